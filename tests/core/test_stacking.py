"""Which suggestions would mark again what a span marks, and what Accept all takes."""

from __future__ import annotations

from factmark.core.model import Span, Suggestion
from factmark.core.stacking import accepted_together, stacks_on


def span(start: int, end: int, label: str) -> Span:
    return Span(None, 1, start, end, label)


def suggestion(start: int, end: int, label: str, confidence: float = 0.8) -> Suggestion:
    return Suggestion(None, 1, start, end, label, "rule", confidence)


def test_the_same_text_stacks_whatever_the_label_nesting_only_within_a_label() -> None:
    claim = span(10, 40, "claim")
    assert stacks_on(suggestion(10, 40, "number"), claim)  # the same text
    assert stacks_on(suggestion(12, 20, "claim"), claim)  # inside its own label
    assert stacks_on(suggestion(5, 45, "claim"), claim)  # around its own label
    assert not stacks_on(suggestion(12, 20, "number"), claim)  # a number inside a claim
    assert not stacks_on(suggestion(5, 45, "source"), claim)
    assert not stacks_on(suggestion(30, 50, "claim"), claim)  # overlapping, not nested


def test_accept_all_takes_the_more_confident_of_two_on_one_text_and_keeps_order() -> None:
    given = [
        suggestion(0, 7, "location", 0.8),
        suggestion(0, 7, "source", 0.9),
        suggestion(20, 27, "location", 0.8),  # a source span is on it already
        suggestion(30, 60, "claim", 0.5),
        suggestion(35, 38, "number", 0.9),  # inside the claim: kept
        suggestion(25, 65, "claim", 0.3),  # around the claim taken: left out
    ]
    kept, left = accepted_together(given, [span(20, 27, "source")])
    assert kept == [given[1], given[3], given[4]]
    assert left == [given[0], given[2], given[5]]
