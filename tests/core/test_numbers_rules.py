"""One rule set for numbers, the default guidelines': the number suggester and the
click-to-label word finder (``word_at``) agree on the seed article and on hand strings."""

from __future__ import annotations

import pytest

from factmark.core.resources import seed_files
from factmark.core.selection import word_at
from factmark.core.suggest import suggest_numbers
from factmark.core.suggest.numbers import number_at


def seed_text() -> str:
    seed = next(path for path in seed_files() if path.name == "bakhmut-counterattack.txt")
    return seed.read_text(encoding="utf-8")


def found(text: str) -> list[str]:
    return [text[p.start : p.end] for p in suggest_numbers(text)]


def test_the_seed_articles_numbers_follow_the_guidelines() -> None:
    text = seed_text()
    assert found(text) == [
        "72nd",
        "500 men",  # with what it counts, as the guidelines' "500 men"
        "2 kilometers",
        "1.24 miles",
        "3rd",
        "72nd",
        "500 corpses",
        "thousands",
    ]  # "May 9" is a date, not a number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It lost 500 men.", ["500 men"]),
        ("Support fell to 70%.", ["70%"]),
        ("4 000 soldiers and 4\u00a0000 drones", ["4 000 soldiers", "4\u00a0000 drones"]),
        ("They counted 4 000.", ["4 000"]),
        ("up to 2 kilometers away", ["2 kilometers"]),
        ("On May 9 and 24 February 2022, in 2014, at 10:30 and 9 pm.", []),
        ("one of them said", []),
        # A bare year is a date: nothing counted after it.
        ("The 2022 invasion; 2023 was hot; from 2014-2022; between 2014 and 2022.", []),
        ("In 2014, 2000 people fled and 1900 tanks were lost.", ["2000 people", "1900 tanks"]),
        ("The toll rose to 2,000 and then 2500.", ["2,000", "2500"]),
        ("twelve drones", ["twelve drones"]),
    ],
)
def test_hand_strings(text: str, expected: list[str]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    "text", [seed_text(), "They lost 4\u00a0000 men, 70% of them, on May 9 at 10:30."]
)
def test_word_at_takes_each_number_as_the_suggester_proposes_it(text: str) -> None:
    for proposal in suggest_numbers(text):
        for offset in range(proposal.start, proposal.end):
            assert number_at(text, offset) == (proposal.start, proposal.end)
            assert word_at(text, offset) == (proposal.start, proposal.end)
        assert word_at(text, proposal.end) == (proposal.start, proposal.end)  # just after


def test_word_at_elsewhere_is_still_the_word() -> None:
    text = "They lost 500 men on May 9 near Bakhmut."
    start = text.index("Bakhmut")
    assert word_at(text, start + 2) == (start, start + len("Bakhmut"))
    nine = text.index("9")
    assert number_at(text, nine) is None  # a date's figure is no number
    assert word_at(text, nine) == (nine, nine + 1)
    assert number_at(text, len(text) + 5) is None
