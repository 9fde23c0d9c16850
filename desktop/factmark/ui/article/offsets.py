"""The one place where Python code points and Qt's UTF-16 positions meet.

Stored offsets count code points; QTextCursor positions count UTF-16 units, in
which every astral character (emoji, flags' halves, rare CJK) takes two.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

# Characters outside the Basic Multilingual Plane: two UTF-16 units each.
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class OffsetMap:
    """Converts between code-point offsets and UTF-16 positions of one text."""

    def __init__(self, text: str) -> None:
        # Found by the regex engine, not a Python loop over every character: a long
        # article opens at once.
        astral = [found.start() for found in _ASTRAL.finditer(text)]
        self._astral = astral
        # UTF-16 position of each astral character's second (low surrogate) unit.
        self._low_units = [index + n + 1 for n, index in enumerate(astral)]
        self.length = len(text)

    def to_qt(self, offset: int) -> int:
        """Code-point offset -> UTF-16 position."""
        return offset + bisect_left(self._astral, offset)

    def to_py(self, position: int) -> int:
        """UTF-16 position -> code-point offset (inside a surrogate pair: the char's start)."""
        return position - bisect_right(self._low_units, position)
