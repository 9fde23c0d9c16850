"""Room for the panels: the widths beside the article when the guidelines open
(:func:`share_beside_guidelines`), and the heights of the side column's panels whose text
wraps on more lines when it narrows.

Heights: a panel under the span list that says how tall its text needs it to be
(``room_needed()``, pixels) is watched by :func:`fit_when_resized`, and calls
:func:`fit_soon` when its text changes; once the side column's splitter has placed its
parts (a panel is resized while they are placed, which would place them again over a
change made then), each such panel shorter than it needs, top first, is made as tall,
the room taken from the span list (which scrolls) as long as that keeps
:data:`SPAN_LIST_KEEPS`; a panel that needs less again (the column widened) gives what it
took back to the span list. No minimum size is set, so the window
can still be as small as before. A drag of the splitter's handles is the user's layout:
what the panels took is theirs from then on.
"""

from __future__ import annotations

from typing import NamedTuple

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


class Width(NamedTuple):
    """A panel's width beside the article: the least at which it is of use (narrower, it
    folds), and the width it had before (0: folded)."""

    least: int
    had: int


def share_beside_guidelines(
    total: int, readable: int, comfortable: int, documents: Width, side: Width
) -> tuple[int, int, int] | None:
    """The widths of the document list, the article and the side column sharing ``total``
    pixels once the guidelines open beside them; ``None`` when even the article at its
    ``readable`` measure and the side column at its least do not fit (the guidelines
    float over the window instead).

    The rule: the article keeps its readable measure; each panel open keeps at least its
    least; if both panels do not fit at that, the document list folds (the side column
    holds the work in hand). Room to spare goes to the article up to its ``comfortable``
    measure, then to the panels towards the widths they had (in proportion to what each
    lacks), then to the article. A folded panel stays folded."""
    panels = [documents, side]
    shown = [panel.had > 0 for panel in panels]

    def least() -> int:
        return sum(panel.least for panel, open_ in zip(panels, shown, strict=True) if open_)

    if shown[0] and total - readable < least():
        shown[0] = False
    if total - readable < least():
        return None
    widths = [panel.least if open_ else 0 for panel, open_ in zip(panels, shown, strict=True)]
    spare = total - sum(widths) - max(readable, min(comfortable, total - sum(widths)))
    lacking = [
        max(0, panel.had - width) if open_ else 0
        for panel, width, open_ in zip(panels, widths, shown, strict=True)
    ]
    given = min(max(spare, 0), sum(lacking))
    if given:
        first = given * lacking[0] // sum(lacking)
        widths = [widths[0] + first, widths[1] + given - first]
    return widths[0], total - sum(widths), widths[1]
