"""The source and claim suggesters: attribution patterns kept as data.

``resources/suggest/attribution-<language>.json`` holds word lists, macros built
from them and regular expressions with a ``source`` group, so a newsroom adds its
language by adding a file, not code. See the ``_comment`` in the English file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from factmark.core.model import Proposal, ValidationError
from factmark.core.resources import resource_path
from factmark.core.suggest.numbers import suggest_numbers
from factmark.core.suggest.phrases import alternation

SOURCE_CONFIDENCE = 0.7
CLAIM_CONFIDENCE = 0.3  # a sentence with an attribution cue or a figure
CLAIM_BOTH_CONFIDENCE = 0.4  # ... with both
_PLACEHOLDER = re.compile(r"\{(LIST:)?([A-Za-z_]+)\}")
_MAX_EXPANSIONS = 20
# How far from a cue word ("said", "according to") a pattern is tried: the patterns
# only run near cues, which keeps a long text fast.
_WINDOW = 300


@dataclass(frozen=True)
class AttributionRules:
    """One language's compiled attribution patterns."""

    language: str
    patterns: tuple[tuple[str, re.Pattern[str]], ...]
    strip_leading: frozenset[str]
    not_sources: frozenset[str]
    claim_cue: re.Pattern[str]
    cue: re.Pattern[str] | None  # every pattern holds one of these; None: run everywhere


def attribution_path(language: str) -> Path:
    """Where the patterns of ``language`` live (the file may not exist)."""
    return resource_path("suggest", f"attribution-{language}.json")


@cache
def attribution_rules(language: str = "en") -> AttributionRules | None:
    """The compiled patterns of ``language``, or None when there is no file for it."""
    path = attribution_path(language)
    if not path.is_file():
        return None
    return compile_rules(json.loads(path.read_text(encoding="utf-8")))


def compile_rules(data: dict[str, Any]) -> AttributionRules:
    """Compile a pattern file's contents; ValidationError names a broken pattern."""
    lists: dict[str, list[str]] = data.get("lists", {})
    macros: dict[str, str] = data.get("macros", {})

    def expand(template: str) -> str:
        for _ in range(_MAX_EXPANSIONS):
            expanded = _PLACEHOLDER.sub(replace, template)
            if expanded == template:
                return expanded
            template = expanded
        raise ValidationError(f"attribution macros refer to each other in a loop: {template}")

    def replace(match: re.Match[str]) -> str:
        is_list, name = match.group(1), match.group(2)
        if is_list:
            if name not in lists:
                raise ValidationError(f"attribution patterns use an unknown list {name!r}")
            return alternation(lists[name])
        if name not in macros:
            return match.group()  # a regex repetition such as {0,9}
        return macros[name]

    patterns = []
    for entry in data.get("patterns", []):
        try:
            pattern = re.compile(expand(entry["regex"]))
        except re.error as error:
            raise ValidationError(f"attribution pattern {entry.get('name')!r}: {error}") from None
        if "source" not in pattern.groupindex:
            raise ValidationError(f"attribution pattern {entry.get('name')!r} has no source group")
        patterns.append((str(entry.get("name", "")), pattern))
    cues = [expand(cue) for cue in data.get("claim_cues", [])]
    source_cues = [expand(cue) for cue in data.get("source_cues", [])]
    return AttributionRules(
        language=str(data.get("language", "")),
        patterns=tuple(patterns),
        strip_leading=frozenset(data.get("strip_leading", [])),
        not_sources=frozenset(word.casefold() for word in data.get("not_sources", [])),
        claim_cue=re.compile("|".join(cues) if cues else r"(?!)"),
        cue=re.compile("|".join(source_cues)) if source_cues else None,
    )


def suggest_sources(text: str, *, language: str = "en") -> list[Proposal]:
    """Who a statement is attributed to ("X said", "according to X", "“…,” said X")."""
    rules = attribution_rules(language)
    if rules is None:
        return []
    found: dict[tuple[int, int], Proposal] = {}
    for start, end in _windows(text, rules.cue):
        for _name, pattern in rules.patterns:
            for match in pattern.finditer(text, start, end):
                span = _tidy(text, *match.span("source"), rules)
                if span is not None:
                    found.setdefault(span, Proposal(*span, "source", "source", SOURCE_CONFIDENCE))
    return sorted(found.values(), key=lambda p: (p.start, -p.end))


def _windows(text: str, cue: re.Pattern[str] | None) -> list[tuple[int, int]]:
    """Stretches of ``text`` around cue words, merged where they touch; a window
    ends at a line break, where patterns may expect one ($)."""
    if cue is None:
        return [(0, len(text))]
    windows: list[tuple[int, int]] = []
    for hit in cue.finditer(text):
        start = max(0, hit.start() - _WINDOW)
        line_end = text.find("\n", hit.end(), hit.end() + _WINDOW)
        end = line_end if line_end != -1 else min(len(text), hit.end() + _WINDOW)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(end, windows[-1][1]))
        else:
            windows.append((start, end))
    return windows


def _tidy(text: str, start: int, end: int, rules: AttributionRules) -> tuple[int, int] | None:
    """The source without leading filler words ("But", "On") and trailing punctuation
    (an abbreviation keeps its dot); None for a pronoun or a day."""
    words = list(re.finditer(r"\S+", text[start:end]))
    while words and words[0].group() in rules.strip_leading:
        words.pop(0)
    if not words:
        return None
    start, end = start + words[0].start(), start + words[-1].end()
    last = words[-1].group()
    while end > start and not text[end - 1].isalnum():
        if text[end - 1] == "." and last.count(".") > 1:
            break
        end -= 1
    if end <= start or text[start:end].casefold() in rules.not_sources:
        return None
    return start, end


def sentences(text: str) -> Iterator[tuple[int, int]]:
    """``[start, end)`` of each sentence, without surrounding spaces: a sentence ends
    at . ! ? (and closing quotes) before a space and a capital, digit or opening
    quote, or at a line break."""
    for paragraph in re.finditer(r"[^\n]+", text):
        start = paragraph.start()
        stops = [paragraph.start() + m.end() for m in _SENTENCE_END.finditer(paragraph.group())]
        for end in [*stops, paragraph.end()]:
            span = _strip(text, start, end)
            if span is not None:
                yield span
            start = end


def _strip(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


_SENTENCE_END = re.compile(r"[.!?…]+[”\"»’)\]]*(?=\s+[«“\"‘(\[]?[A-Z\u00c0-\u00de\u0400-\u042f\d])")


def suggest_claims(
    text: str, *, language: str = "en", numbers: list[Proposal] | None = None
) -> list[Proposal]:
    """Sentences that may hold a checkable claim: those with an attribution cue or a
    figure (``numbers``: the number suggester's proposals, found here when not given).
    Low confidence by design; questions are left out."""
    rules = attribution_rules(language)
    if numbers is None:
        numbers = suggest_numbers(text, language=language)
    figures = sorted(p.start for p in numbers)
    proposals = []
    index = 0
    for start, end in sentences(text):
        if text[start:end].rstrip('”"»’)').endswith("?"):
            continue
        while index < len(figures) and figures[index] < start:
            index += 1
        has_figure = index < len(figures) and figures[index] < end
        has_cue = rules is not None and rules.claim_cue.search(text, start, end) is not None
        if has_figure or has_cue:
            confidence = CLAIM_BOTH_CONFIDENCE if has_figure and has_cue else CLAIM_CONFIDENCE
            proposals.append(Proposal(start, end, "claim", "claim", confidence))
    return proposals
