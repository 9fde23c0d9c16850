"""Names from data made safe to print: the one helper every report line goes through.

A file name, label, annotator or title comes from outside (a colleague's copy, a
saved page, a folder someone sent). Printed raw, an escape sequence in it drives
the terminal (colours, cursor moves, a rewritten title bar), a newline forges a
report line of its own and a bidi override shows the line's characters in another
order than they are. :func:`printable` writes each such character as an escape
(``\\x1b``, ``\\n``, ``\\u202e``), so a report line is one line and shows what is
there. Everything else (accents, CJK, Arabic, emoji) is printed as it is.
"""

from __future__ import annotations

import unicodedata

# Bidi controls: embeddings and overrides (U+202A-U+202E), isolates (U+2066-U+2069)
# and the invisible marks (U+200E LRM, U+200F RLM, U+061C ALM). The marks are
# escaped too: invisible, they can still move what follows them in a line.
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
# Control characters (C0, DEL, C1), lone surrogates (a file name's undecodable
# bytes, as os.listdir gives them) and the Unicode line and paragraph separators.
_ESCAPED_CATEGORIES = frozenset({"Cc", "Cs", "Zl", "Zp"})
_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def unsafe(char: str) -> bool:
    """Whether ``char`` is escaped by :func:`printable` (a control, surrogate,
    line separator or bidi control character)."""
    return char in BIDI_CONTROLS or unicodedata.category(char) in _ESCAPED_CATEGORIES


def printable(value: object, keep: str = "") -> str:
    """``str(value)`` with every unsafe character escaped; the characters in ``keep``
    (e.g. ``"\\n\\t"`` for a whole document) are left as they are.

    ``"\\x1b[31mred"`` -> ``"\\\\x1b[31mred"``; the byte 0xFF of a file name that is
    not UTF-8 (``"\\udcff"`` after ``os.fsdecode``) -> ``"\\\\xff"``. Escaped text is
    printable, so escaping it again changes nothing.
    """
    text = str(value)
    if text.isprintable():  # everything escaped below is not printable: the usual case
        return text
    return "".join(_escape(char) if char not in keep and unsafe(char) else char for char in text)


def first_unsafe(text: str) -> str | None:
    """The first character of ``text`` that :func:`printable` would escape, or None."""
    return next((char for char in text if unsafe(char)), None)


def _escape(char: str) -> str:
    if char in _SHORT:
        return _SHORT[char]
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte os.fsdecode could not decode: show the byte
        return f"\\x{code - 0xDC00:02x}"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"
