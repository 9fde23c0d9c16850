"""Turning what a user selected into span offsets: trimming and snapping to words.

Word snapping widens a selection outward to whole words, so a sloppy mouse drag
still labels "Bakhmut" and not "akhmu". Scripts written without spaces (Chinese,
Japanese) have no word boundaries to snap to, so their characters are left alone.
"""

from __future__ import annotations

import unicodedata


def is_word_char(char: str) -> bool:
    """Letters, digits and combining marks of space-separated scripts."""
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return False
    return char.isalnum() or unicodedata.category(char).startswith("M")


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop leading and trailing whitespace from ``[start, end)``."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen ``[start, end)`` outward to whole words, then trim whitespace."""
    start, end = trim(text, start, end)
    if start == end:
        return start, end
    while start > 0 and is_word_char(text[start - 1]) and is_word_char(text[start]):
        start -= 1
    while end < len(text) and is_word_char(text[end]) and is_word_char(text[end - 1]):
        end += 1
    return start, end


def word_at(text: str, offset: int) -> tuple[int, int] | None:
    """The word around ``offset`` (or just before it), or None where there is none; a
    number is taken whole, by the number suggester's rules ("500 men", "4 000", "70%")."""
    # The number rules (their patterns built on first use) are loaded when first needed,
    # not with the window: a label key on a selection never needs them.
    from factmark.core.suggest.numbers import number_at

    if (number := number_at(text, offset)) is not None:
        return number
    if offset < len(text) and is_word_char(text[offset]):
        start = end = offset
    elif offset > 0 and is_word_char(text[offset - 1]):
        start = end = offset - 1
    else:
        return None
    while start > 0 and is_word_char(text[start - 1]):
        start -= 1
    while end < len(text) and is_word_char(text[end]):
        end += 1
    return start, end


def span_range(text: str, start: int, end: int, *, snap: bool) -> tuple[int, int] | None:
    """The span a selection gives: snapped (or just trimmed); None when nothing is left."""
    start, end = snap_to_words(text, start, end) if snap else trim(text, start, end)
    return (start, end) if start < end else None


JOINERS = "'’-‐"  # inside a word: don't, well-known
NUMBER_JOINERS = ".,"  # inside a number: 3.5, 4,000


def _joined(text: str, at: int) -> bool:
    """Whether the punctuation at ``at`` joins the characters either side into one word."""
    if not 0 < at < len(text) - 1:
        return False
    before, char, after = text[at - 1], text[at], text[at + 1]
    if not (is_word_char(before) and is_word_char(after)):
        return False
    return char in JOINERS or (char in NUMBER_JOINERS and before.isdigit() and after.isdigit())


def next_word_edge(text: str, offset: int, direction: int) -> int:
    """The next edge of a unit from ``offset`` going right (+1) or left (-1), spaces
    skipped: a unit is a word (with inner apostrophes, hyphens, and a number's inner
    points and commas) or one punctuation mark or quote on its own.

    Used to grow or shrink a span edge a unit at a time, so «riled up» grows to take in
    its quote marks one at a time.
    """
    position = offset
    step_char = position + direction
    if min(position, step_char) >= 0 and max(position, step_char) <= len(text):
        char = text[min(position, step_char)]
        if unicodedata.east_asian_width(char) in ("W", "F") and not char.isspace():
            return step_char  # no words to step over in scripts without spaces
    if direction > 0:
        while position < len(text) and text[position].isspace():
            position += 1
        if position < len(text) and not is_word_char(text[position]):
            return position + 1  # a punctuation mark or quote, on its own
        while position < len(text) and (is_word_char(text[position]) or _joined(text, position)):
            position += 1
    else:
        while position > 0 and text[position - 1].isspace():
            position -= 1
        if position > 0 and not is_word_char(text[position - 1]):
            return position - 1
        while position > 0 and (is_word_char(text[position - 1]) or _joined(text, position - 1)):
            position -= 1
    return position


def drag_edge(
    text: str, start: int, end: int, edge: str, gap: int, *, snap: bool
) -> tuple[int, int]:
    """A span ``[start, end)`` with its ``edge`` ("start" or "end") dragged to ``gap``:
    the moved edge widened to a whole word when snapping (as a selection is), spaces
    trimmed, never empty (the other edge stays)."""
    if edge == "start":
        start = min(gap, end - 1)
        if snap:
            while 0 < start < end and is_word_char(text[start - 1]) and is_word_char(text[start]):
                start -= 1
        while start < end - 1 and text[start].isspace():
            start += 1
    else:
        end = max(gap, start + 1)
        if snap:
            while (
                start < end < len(text) and is_word_char(text[end]) and is_word_char(text[end - 1])
            ):
                end += 1
        while end > start + 1 and text[end - 1].isspace():
            end -= 1
    return start, end
