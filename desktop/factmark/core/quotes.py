"""The ``quote`` of a source -> claim link, proposed from the quotation marks around the
claim, in any script.

The attribution corpora (PARC 3.0, PolNeAR, DirectQuote) tell a **direct** quote (the
source's own words, between quotation marks), an **indirect** one (reported speech, no
marks) and a **mixed** one (reported speech quoting some words). A claim's text says which
it is, so the window proposes the value; it is never stored until the annotator accepts
it (one key) or sets another: a proposal shows as such in the link panel, and exports
carry only what a person chose.

Quotation marks are found by their Unicode properties, not a hand list: the initial and
final quote punctuation categories (``Pi``: “ ‘ « ‹ ⸂ ..., ``Pf``: ” ’ » › ...), and the
opening, closing or other punctuation whose Unicode name says it is a quotation mark or a
corner bracket (``Ps``/``Pe``/``Po``: „ ‚ 〝 〞 〟 " ＂ 「 」 『 』 ﹁ ﹂ ...). A mark between two
letters is an apostrophe (Russia’s, l’armée), not a quote.
"""

from __future__ import annotations

import unicodedata
from functools import cache

from factmark.core.model import Relation, Span

QUOTE = "quote"
DIRECT, INDIRECT, MIXED = "direct", "indirect", "mixed"
QUOTE_VALUES = (DIRECT, INDIRECT, MIXED)
ATTRIBUTED_TO = "attributed_to"
# Punctuation that may stand between a quotation and its closing mark, or after it:
# "... Bakhmut." / "... Bakhmut", / 「...」。
_TRAILING = "Po"


@cache
def is_quotation_mark(char: str) -> bool:
    """Whether ``char`` is a quotation mark of any script (see the module docstring)."""
    category = unicodedata.category(char)
    if category in ("Pi", "Pf"):
        return True
    if category in ("Ps", "Pe", "Po"):
        name = unicodedata.name(char, "")
        return "QUOTATION" in name or "CORNER BRACKET" in name
    return False


def _marks(text: str, start: int, end: int) -> list[int]:
    """Where the quotation marks of ``text[start:end]`` are (apostrophes left out)."""
    found = []
    for at in range(start, end):
        if not is_quotation_mark(text[at]):
            continue
        between_letters = (
            0 < at < len(text) - 1 and text[at - 1].isalpha() and text[at + 1].isalpha()
        )
        if not between_letters:
            found.append(at)
    return found


def _opening(text: str, start: int, end: int) -> int | None:
    """The quotation mark opening the claim: its first character, or the one right
    before it (spaces between)."""
    if start < end and is_quotation_mark(text[start]):
        return start
    at = start - 1
    while at >= 0 and text[at] in " \t\u00a0":
        at -= 1
    return at if at >= 0 and is_quotation_mark(text[at]) else None


def _closing(text: str, start: int, end: int) -> int | None:
    """The quotation mark closing the claim: its last character (punctuation such as a
    full stop may follow it inside the span), or the first after it (such punctuation
    between)."""
    at = end - 1
    while (
        at > start
        and unicodedata.category(text[at]) == _TRAILING
        and not is_quotation_mark(text[at])
    ):
        at -= 1
    if at >= start and is_quotation_mark(text[at]) and at > start:
        return at
    at = end
    while at < len(text) and (
        text[at] in " \t\u00a0"
        or (unicodedata.category(text[at]) == _TRAILING and not is_quotation_mark(text[at]))
    ):
        at += 1
    return at if at < len(text) and is_quotation_mark(text[at]) else None


def propose_quote(text: str, start: int, end: int) -> str:
    """``direct`` when the claim ``text[start:end]`` is wrapped in quotation marks (its
    own or those right around it), ``mixed`` when only part of it is quoted, else
    ``indirect``."""
    opening, closing = _opening(text, start, end), _closing(text, start, end)
    inside = [at for at in _marks(text, start, end) if at not in (opening, closing)]
    if opening is not None and closing is not None and opening < closing:
        # Marks of the outer pair's own kind inside: the quote closes and opens again
        # ("A," he said, "B."): part of the claim is the writer's words.
        outer = {text[opening], text[closing]}
        return MIXED if any(text[at] in outer for at in inside) else DIRECT
    return MIXED if inside or opening is not None or closing is not None else INDIRECT


def quote_definition(definitions: dict[str, list[dict[str, object]]]) -> list[str]:
    """The values ``quote`` takes on ``attributed_to`` links in a project (none when the
    project does not define it)."""
    for definition in definitions.get(ATTRIBUTED_TO, []):
        if definition.get("name") == QUOTE:
            values = definition.get("values")
            return [v for v in values if isinstance(v, str)] if isinstance(values, list) else []
    return []


def proposed_quotes(
    text: str,
    spans: dict[int, Span],
    relations: list[Relation],
    definitions: dict[str, list[dict[str, object]]],
) -> dict[int, str]:
    """Per ``attributed_to`` link with no ``quote`` yet, the value proposed from its
    claim's quotation marks (relation id -> value); none when the project does not
    define ``quote`` with that value."""
    values = quote_definition(definitions)
    found: dict[int, str] = {}
    for relation in relations:
        if relation.label != ATTRIBUTED_TO or relation.attrs.get(QUOTE) or relation.id is None:
            continue
        claim = spans.get(relation.child_span_id)
        if claim is None:
            continue
        value = propose_quote(text, claim.start, claim.end)
        if value in values:
            found[relation.id] = value
    return found
