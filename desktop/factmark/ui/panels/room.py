"""Room for the side column's panels whose text wraps on more lines when it narrows.

A panel under the span list that says how tall its text needs it to be
(``room_needed()``, pixels) is watched by :func:`fit_when_resized`, and calls
:func:`fit_soon` when its text changes; once the
side column's splitter has placed its parts (a panel is resized while they are placed,
which would place them again over a change made then), each such panel shorter than it
needs, top first, is made as tall, the room taken from the span list (which scrolls) as
long as that keeps :data:`SPAN_LIST_KEEPS`; a panel that needs less again (the column
widened) gives what it took back to the span list. No minimum size is set, so the window
can still be as small as before. A drag of the splitter's handles is the user's layout:
what the panels took is theirs from then on.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QSplitter, QWidget

SPAN_LIST_KEEPS = 120  # pixels the span list (the side column's first part) keeps
_PENDING = "factmarkFitPending"  # a splitter's property while its fit waits
_WATCHED = "factmarkFitWatched"  # a splitter's property once its drags are heard
_TAKEN = "factmarkRoomTaken"  # a panel's property: pixels it took from the span list


def fit_when_resized(panel: QWidget) -> None:
    """Fit the side column ``panel`` is part of whenever it is resized or shown (its
    text wraps on another number of lines)."""
    panel.installEventFilter(_Refit(panel))


class _Refit(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Show) and isinstance(watched, QWidget):
            fit_soon(watched)
        return False


def fit_soon(panel: QWidget) -> None:
    """Fit the side column ``panel`` is part of, once its parts are placed."""
    splitter = panel.parentWidget()
    if not isinstance(splitter, QSplitter) or splitter.property(_PENDING):
        return
    if not splitter.property(_WATCHED):
        splitter.setProperty(_WATCHED, True)
        splitter.splitterMoved.connect(lambda _at, _index: _forget(splitter))
    splitter.setProperty(_PENDING, True)
    QTimer.singleShot(0, splitter, lambda: _fit(splitter))


def _forget(splitter: QSplitter) -> None:
    for here in range(splitter.count()):
        panel = splitter.widget(here)
        if panel is not None:
            panel.setProperty(_TAKEN, 0)


def _fit(splitter: QSplitter) -> None:
    splitter.setProperty(_PENDING, False)
    sizes = splitter.sizes()
    for here in range(1, splitter.count()):
        panel = splitter.widget(here)
        needed = getattr(panel, "room_needed", None)
        if panel is None or needed is None or not panel.isVisible():
            continue
        need, taken = needed(), int(panel.property(_TAKEN) or 0)
        if need > sizes[here]:
            change = min(need - sizes[here], sizes[0] - SPAN_LIST_KEEPS)
            change = max(change, 0)
        else:
            change = -min(taken, sizes[here] - need)
        if change:
            sizes[0] -= change
            sizes[here] += change
            panel.setProperty(_TAKEN, taken + change)
    if sizes != splitter.sizes():
        splitter.setSizes(sizes)
