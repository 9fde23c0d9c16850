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
    """The word around ``offset`` (or just before it), or None where there is none."""
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


def next_word_edge(text: str, offset: int, direction: int) -> int:
    """The next word boundary from ``offset`` going right (+1) or left (-1).

    Used to grow or shrink a span edge by a whole word.
    """
    position = offset
    step_char = position + direction
    if min(position, step_char) >= 0 and max(position, step_char) <= len(text):
        char = text[min(position, step_char)]
        if unicodedata.east_asian_width(char) in ("W", "F") and not char.isspace():
            return step_char  # no words to step over in scripts without spaces
    if direction > 0:
        while position < len(text) and not is_word_char(text[position]):
            position += 1
        while position < len(text) and is_word_char(text[position]):
            position += 1
    else:
        while position > 0 and not is_word_char(text[position - 1]):
            position -= 1
        while position > 0 and is_word_char(text[position - 1]):
            position -= 1
    return position
