"""Room for a side panel whose text wraps on more lines when the side column narrows."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QSplitter, QWidget

SPAN_LIST_KEEPS = 120  # pixels the span list (the side column's first part) keeps


def grow_soon(panel: QWidget, needed: Callable[[], int]) -> None:
    """Once the side column's splitter has placed its parts (a panel is resized while it
    places them, and would place them again over a change made then), make ``panel``,
    one of them, ``needed()`` pixels tall if it is shorter: the room is taken from the
    span list above (which scrolls), as long as that keeps :data:`SPAN_LIST_KEEPS`. No
    minimum size is set, so the window can still be as small as before."""
    QTimer.singleShot(0, panel, lambda: _grow(panel, needed))


def _grow(panel: QWidget, needed: Callable[[], int]) -> None:
    splitter = panel.parentWidget()
    if not isinstance(splitter, QSplitter) or not panel.isVisible():
        return
    sizes = splitter.sizes()
    here = splitter.indexOf(panel)
    give = min(needed() - sizes[here], sizes[0] - SPAN_LIST_KEEPS) if here > 0 else 0
    if give > 0:
        sizes[0] -= give
        sizes[here] += give
        splitter.setSizes(sizes)
