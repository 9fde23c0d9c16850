"""The number suggester: figures in any script's digits, English number words, and
the units, currencies, percentages, ordinals, ranges and dates written with them.

Everything language-specific (units, currency codes, number words, month names)
comes from ``resources/suggest/numbers-en.json``; this module only assembles one
regular expression from it, compiled once per process.
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

from factmark.core.model import Proposal
from factmark.core.resources import resource_path
from factmark.core.suggest.phrases import alternation

LABEL = "number"
CONFIDENCE = {"digits": 0.9, "date": 0.8, "words": 0.7, "vague": 0.5}

# Letters of the cased scripts written with spaces: a figure glued to one is part of
# a name ("F-16", "COVID-19", "MH17", "5G"). Chinese 第300家 keeps its 300.
_LETTER = "A-Za-z\u00c0-\u024f\u0370-\u03ff\u0400-\u052f"
_BEFORE = rf"(?<![{_LETTER}\d_])(?<![{_LETTER}][-\u2011])"
_AFTER = rf"(?![{_LETTER}\d_])"
_S = "[ \u00a0]"  # a space or a no-break space
# \d is any script's decimal digit (Arabic-Indic, Devanagari, full-width...). Groups
# of three after a space or no-break space ("4 000"); separators . , ' ’ : and the
# Arabic decimal and thousands signs between digits.
_FIGURE = (
    r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?!\d)"
    r"|\d+(?:[.,\u066b\u066c'’:]\d+)*"
)


@cache
def number_words(language: str = "en") -> dict[str, Any]:
    """``resources/suggest/numbers-<language>.json`` (English when there is none)."""
    path = resource_path("suggest", f"numbers-{language}.json")
    if not path.is_file():
        path = resource_path("suggest", "numbers-en.json")
    with path.open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


@cache
def number_pattern(language: str = "en") -> re.Pattern[str]:
    """The compiled number expression; named groups tell what kind of figure matched."""
    data = number_words(language)
    words, ordinal = alternation(data["number_words"]), alternation(data["ordinal_suffixes"])
    symbols, codes = alternation(data["currency_symbols"]), alternation(data["currency_codes"])
    months = alternation(data["months"])
    # "and" only after a scale word: "one hundred and fifty", not "five and six"
    scales = [word for word in data["scales"] if word.isalpha() and len(word) > 2]
    after_scale = "|".join(f"(?<={re.escape(word)})" for word in scales)
    word_number = (
        rf"(?i:(?:an?{_S}(?={alternation([*scales, 'dozen'])}))?{words}"
        rf"(?:(?:[-\u00a0 ]|(?:{after_scale}){_S}and{_S}){words})*){_AFTER}"
    )
    figure = (
        rf"(?:{_FIGURE})(?:{ordinal}{_AFTER}"
        rf"|{_S}?{alternation(data['scales'])}{_AFTER}"
        rf"|{alternation(data['scale_suffixes'])}{_AFTER})?"
    )
    suffix = (
        rf"(?:{alternation(data['percent'])}"
        rf"|[-\u00a0 ]?{alternation(data['units'])}{_AFTER}"
        rf"|{_S}?{symbols}|{_S}{codes}{_AFTER})"
    )
    quantity = rf"(?:{symbols}{_S}?|{codes}{_S})?(?:{figure}|{word_number}){suffix}?"
    to = rf"(?:{_S}?[-\u2013\u2014]{_S}?|{_S}{alternation(data['range_words'])}{_S})"
    date = (
        rf"{months}{_S}(?:\d{{1,2}}{ordinal}?(?:,?{_S}\d{{4}})?|\d{{4}})(?!\d)"
        rf"|\d{{1,2}}{ordinal}?{_S}{months}(?:,?{_S}\d{{4}})?(?!\d)"
    )
    vague = rf"(?i:{alternation(data['vague_quantities'])}){_AFTER}"
    return re.compile(
        rf"{_BEFORE}(?:(?P<date>{date})"
        rf"|(?P<quantity>{quantity}(?:{to}{quantity})?)"
        rf"|(?P<vague>{vague})){_AFTER}"
    )


def suggest_numbers(text: str, *, language: str = "en") -> list[Proposal]:
    """Every figure in ``text`` as a ``number`` proposal."""
    alone = {word.casefold() for word in number_words(language)["alone_is_not_a_number"]}
    proposals = []
    for match in number_pattern(language).finditer(text):
        found = match.group()
        if match.group("date"):
            kind = "date"
        elif match.group("vague"):
            kind = "vague"
        elif any(char.isdigit() for char in found):
            kind = "digits"
        elif found.casefold() in alone:
            continue
        else:
            kind = "words"
        proposals.append(Proposal(match.start(), match.end(), LABEL, LABEL, CONFIDENCE[kind]))
    return proposals
