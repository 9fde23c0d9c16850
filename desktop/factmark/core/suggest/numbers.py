"""The number suggester: figures in any script's digits, English number words, and
the units, currencies, percentages, ordinals and ranges written with them.

One rule set, the default guidelines' (``resources/guidelines.md``, "## number"): a
number is marked with its unit or sign ("2 kilometers", "70%"), and with the people or
things counted ("500 men"); a figure written with spaces or no-break spaces ("4 000",
"4\u00a0000") is one number; dates and times are not numbers. The same rules serve the
suggester (:func:`suggest_numbers`) and the click-to-label word finder
(:func:`number_at`, used by ``core.selection.word_at``).

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
CONFIDENCE = {"digits": 0.9, "words": 0.7, "vague": 0.5}

# Letters of the cased scripts written with spaces: a figure glued to one is part of
# a name ("F-16", "COVID-19", "MH17", "5G"). Chinese 第300家 keeps its 300.
_LETTER = "A-Za-z\u00c0-\u024f\u0370-\u03ff\u0400-\u052f"
_BEFORE = rf"(?<![{_LETTER}\d_])(?<![{_LETTER}][-\u2011])"
_AFTER = rf"(?![{_LETTER}\d_])"
_S = "[ \u00a0]"  # a space or a no-break space
# \d is any script's decimal digit (Arabic-Indic, Devanagari, full-width...). Groups
# of three after a space or no-break space ("4 000"); separators . , ' ’ : and the
# Arabic decimal and thousands signs between digits.
# A bare figure from 1900 to 2099 with nothing counted after it ("the 2022 invasion",
# "2014-2022") is a year in news text far more often than a count: not a number.
_BARE_YEAR = re.compile(r"(?:19|20)\d\d(?:[ \u00a0]?[-\u2013\u2014][ \u00a0]?(?:19|20)\d\d)?")
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
        rf"(?:{_S}{alternation(data['counted'])}{_AFTER}"
        rf"|{alternation(data['percent'])}"
        rf"|[-\u00a0 ]?{alternation(data['units'])}{_AFTER}"
        rf"|{_S}?{symbols}|{_S}{codes}{_AFTER})"
    )
    quantity = rf"(?:{symbols}{_S}?|{codes}{_S})?(?:{figure}|{word_number}){suffix}?"
    to = rf"(?:{_S}?[-\u2013\u2014]{_S}?|{_S}{alternation(data['range_words'])}{_S})"
    year = rf"(?:{alternation(data['before_a_year'])}){_S}(?:1[5-9]|20)\d\d(?:s|{_AFTER})"
    time = (
        r"\d{1,2}:\d{2}(?::\d{2})?(?![\d.,:])"
        rf"(?:{_S}?(?i:a\.m\.|p\.m\.|am|pm){_AFTER})?"
        rf"|\d{{1,2}}{_S}?(?i:a\.m\.|p\.m\.|am|pm){_AFTER}"
    )
    date = (
        rf"{months}{_S}(?:\d{{1,2}}{ordinal}?(?:,?{_S}\d{{4}})?|\d{{4}})(?!\d)"
        rf"|\d{{1,2}}{ordinal}?{_S}{months}(?:,?{_S}\d{{4}})?(?!\d)"
        rf"|{year}|{time}"
    )
    vague = rf"(?i:{alternation(data['vague_quantities'])}){_AFTER}"
    return re.compile(
        rf"{_BEFORE}(?:(?P<date>{date})"
        rf"|(?P<quantity>{quantity}(?:{to}{quantity})?)"
        rf"|(?P<vague>{vague})){_AFTER}"
    )


def number_matches(text: str, *, language: str = "en") -> list[tuple[int, int, str]]:
    """``(start, end, kind)`` of every number in ``text`` by the guidelines' rules, kind
    ``digits``, ``words`` or ``vague``; dates, times, bare years and a lone "one" are
    left out."""
    data = number_words(language)
    alone = {word.casefold() for word in data["alone_is_not_a_number"]}
    counted = {word.casefold() for word in data["counted"]}
    found = []
    for match in number_pattern(language).finditer(text):
        if match.group("date"):
            continue  # matched only so that its figures are not numbers
        words = match.group().casefold().split()
        if match.group("vague"):
            kind = "vague"
        elif _BARE_YEAR.fullmatch(match.group()):
            continue  # a year (see _BARE_YEAR)
        elif any(char.isdigit() for char in match.group()):
            kind = "digits"
        elif words[0] in alone and " ".join(words[1:]) in counted | {""}:
            continue  # "one" alone, or "one man": a pronoun more often than a count
        else:
            kind = "words"
        found.append((match.start(), match.end(), kind))
    return found


def suggest_numbers(text: str, *, language: str = "en") -> list[Proposal]:
    """Every figure in ``text`` as a ``number`` proposal."""
    return [
        Proposal(start, end, LABEL, LABEL, CONFIDENCE[kind])
        for start, end, kind in number_matches(text, language=language)
    ]


def number_at(text: str, offset: int, *, language: str = "en") -> tuple[int, int] | None:
    """The number (by the same rules as :func:`suggest_numbers`) around ``offset``, or
    ending just before it, as ``(start, end)``; None where there is none. Only the
    paragraph around ``offset`` is read."""
    if not 0 <= offset <= len(text):
        return None
    first = text.rfind("\n", 0, offset) + 1
    last = text.find("\n", offset)
    paragraph = text[first : len(text) if last < 0 else last]
    inside = offset - first
    found = [
        (start, end)
        for start, end, _kind in number_matches(paragraph, language=language)
        if start <= inside <= end and (start < inside or inside < end)
    ]
    if not found:
        return None
    start, end = next((m for m in found if m[0] <= inside < m[1]), found[0])
    return first + start, first + end
