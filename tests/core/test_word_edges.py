"""Span edges moved a unit at a time (keyboard) or dragged (mouse handle), on plain text."""

from __future__ import annotations

import pytest

from factmark.core.selection import drag_edge, next_word_edge

TEXT = "Officials were «riled up», he said: don't count 4,000 well-known men..."


def grown(start: int, end: int, edge: str, steps: int) -> str:
    for _ in range(steps):
        if edge == "end":
            end = next_word_edge(TEXT, end, 1)
        else:
            start = next_word_edge(TEXT, start, -1)
    return TEXT[start:end]


def test_quotes_and_punctuation_are_steps_of_their_own() -> None:
    start = TEXT.index("riled")
    end = start + len("riled up")
    assert [grown(start, end, "end", n) for n in (1, 2, 3)] == [
        "riled up»",
        "riled up»,",
        "riled up», he",
    ]
    assert [grown(start, end, "start", n) for n in (1, 2)] == ["«riled up", "were «riled up"]


@pytest.mark.parametrize("word", ["don't", "4,000", "well-known"])
def test_inner_apostrophes_hyphens_and_number_commas_stay_in_the_word(word: str) -> None:
    start = TEXT.index(word)
    assert TEXT[start : next_word_edge(TEXT, start, 1)] == word
    end = start + len(word)
    assert TEXT[next_word_edge(TEXT, end, -1) : end] == word


def test_each_point_of_an_ellipsis_is_a_step() -> None:
    end = TEXT.index("men") + len("men")
    assert TEXT[end : next_word_edge(TEXT, end, 1)] == "."
    assert next_word_edge(TEXT, len(TEXT), -1) == len(TEXT) - 1


def test_scripts_without_spaces_step_a_character() -> None:
    text = "上海开设了第300家门店"
    assert next_word_edge(text, 0, 1) == 1


def test_a_dragged_edge_snaps_to_the_word_when_snapping() -> None:
    start = TEXT.index("riled")
    end = start + len("riled")
    inside_up = TEXT.index("up") + 1
    assert drag_edge(TEXT, start, end, "end", inside_up, snap=True) == (start, inside_up + 1)
    assert drag_edge(TEXT, start, end, "end", inside_up, snap=False) == (start, inside_up)
    inside_were = TEXT.index("were") + 2
    assert drag_edge(TEXT, start, end, "start", inside_were, snap=True) == (
        TEXT.index("were"),
        end,
    )


def test_a_dragged_edge_never_empties_the_span_and_drops_spaces() -> None:
    start = TEXT.index("riled")
    end = start + len("riled up")
    assert drag_edge(TEXT, start, end, "end", start - 5, snap=True) == (start, start + 5)
    # Dragged to just after a space: the span ends before it.
    assert drag_edge(TEXT, start, end, "end", start + len("riled "), snap=False) == (
        start,
        start + len("riled"),
    )
