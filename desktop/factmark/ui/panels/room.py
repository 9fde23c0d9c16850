"""Room for the side column's panels whose text wraps on more lines when it narrows.

A panel under the span list that says how tall its text needs it to be
(``room_needed()``, pixels) calls :func:`fit_soon` when that may have changed; once the
side column's splitter has placed its parts (a panel is resized while they are placed,
which would place them again over a change made then), each such panel shorter than it
needs, top first, is made as tall, the room taken from the span list (which scrolls) as
long as that keeps :data:`SPAN_LIST_KEEPS`. No minimum size is set, so the window can
still be as small as before.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QSplitter, QWidget

SPAN_LIST_KEEPS = 120  # pixels the span list (the side column's first part) keeps
_PENDING = "factmarkFitPending"  # a splitter's property while its fit waits


def fit_soon(panel: QWidget) -> None:
    """Fit the side column ``panel`` is part of, once its parts are placed."""
    splitter = panel.parentWidget()
    if isinstance(splitter, QSplitter) and not splitter.property(_PENDING):
        splitter.setProperty(_PENDING, True)
        QTimer.singleShot(0, splitter, lambda: _fit(splitter))


def _fit(splitter: QSplitter) -> None:
    splitter.setProperty(_PENDING, False)
    sizes = splitter.sizes()
    for here in range(1, splitter.count()):
        panel = splitter.widget(here)
        needed = getattr(panel, "room_needed", None)
        if panel is None or needed is None or not panel.isVisible():
            continue
        give = min(needed() - sizes[here], sizes[0] - SPAN_LIST_KEEPS)
        if give > 0:
            sizes[0] -= give
            sizes[here] += give
    if sizes != splitter.sizes():
        splitter.setSizes(sizes)
