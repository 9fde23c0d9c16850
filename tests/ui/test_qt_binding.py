"""The Qt binding itself must be sound: a long annotation session makes millions of calls.

PySide6 6.12.0 dropped a reference to None on every call of a void method; on Python
3.11, where None's reference count is real, the app then crashed ("deallocating None")
after a few thousand label key presses. pyproject.toml keeps that release out; this
test fails if a binding with such a leak is installed.
"""

from __future__ import annotations

import sys

import pytest
from PySide6.QtGui import QColor, QSyntaxHighlighter, QTextCharFormat, QTextDocument


class _Quiet(QSyntaxHighlighter):
    def highlightBlock(self, text: str) -> None:
        del text


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12")
def test_void_calls_keep_none_alive() -> None:
    document = QTextDocument("one\ntwo\nthree")
    highlighter = _Quiet(document)
    fmt = QTextCharFormat()
    colour = QColor("#E69F00")
    before = sys.getrefcount(None)
    for _ in range(2000):
        fmt.setBackground(colour)
        fmt.setUnderlineColor(colour)
        highlighter.setFormat(0, 1, fmt)
    # A sound binding leaves None's count where it was (give or take a few).
    assert sys.getrefcount(None) - before > -100
