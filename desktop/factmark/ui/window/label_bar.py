"""The label toolbar kept whole: when its buttons do not fit beside the document toolbar,
each shows its key and a shortened name (the full name stays in its tooltip and in the
Label menu) instead of Qt hiding the last labels behind the toolbar's » button.

Qt lays out a row of toolbars by giving each, from the left, its full width while the
toolbars after it keep at least their smallest; the document toolbar, after the labels,
folds into its own » (whose list holds every action it hides). So the labels have the
row's width less the document toolbar's smallest width, and the names are shortened,
by as few characters as will do, to fit that.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QToolBar

# A shortened name keeps at least these characters before its "…" (then the key alone).
SHORTEST_NAME = 3
# A button never shows more of a name than this, however wide the window: a label
# named with a sentence (or 100,000 characters, from a project made before names had
# a limit) leaves the room of the row to Previous, Next, Done, Skip and Undo.
LONGEST_SHOWN = 30


class LabelBar(QObject):
    """Sets the label buttons' texts (``5  organisation``, shortened when the window is
    too narrow for them) and sets them again as the window is resized."""

    def __init__(self, window: QMainWindow, labels: QToolBar, others: list[QToolBar]) -> None:
        super().__init__(window)
        self.window = window
        self.toolbar = labels
        self.others = others  # the toolbars that may share the labels' row
        self._buttons: list[tuple[QAction, str, str]] = []
        self.shortened_to: int | None = None  # the characters a name keeps, None: whole
        window.installEventFilter(self)
        for toolbar in (labels, *others):
            toolbar.orientationChanged.connect(self.fit)
            toolbar.topLevelChanged.connect(self.fit)
        for toolbar in others:
            toolbar.visibilityChanged.connect(self.fit)

    def set_buttons(self, buttons: list[tuple[QAction, str, str]]) -> None:
        """The label actions on the toolbar with their key ("" for none) and name."""
        self._buttons = buttons
        self.fit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    def fit(self) -> None:
        """Whole names when they fit the room the labels have, else the longest names
        that do (the key alone when even the shortest names do not)."""
        if not self._buttons:
            return
        self._show(None)
        room = self._room()
        longest = min(max(len(name) for _action, _key, name in self._buttons), LONGEST_SHOWN)
        if room is None or self._width() <= room or longest <= SHORTEST_NAME:
            return
        fits, low, high = 0, SHORTEST_NAME, longest - 1
        while low <= high:  # the longest names that fit: a binary search
            middle = (low + high) // 2
            self._show(middle)
            if self._width() <= room:
                fits, low = middle, middle + 1
            else:
                high = middle - 1
        self._show(fits)

    def _show(self, keep: int | None) -> None:
        """Set each button's text, its name cut to ``keep`` characters (None: whole up
        to :data:`LONGEST_SHOWN`; 0: the key alone, or the shortest name for a label
        without a key)."""
        self.shortened_to = keep
        if keep is None:
            keep = LONGEST_SHOWN  # names no longer than it are whole
        for action, key, name in self._buttons:
            if keep == 0 and key:
                text = key
            else:
                shown = _shortened(name, keep if keep != 0 else SHORTEST_NAME)
                # A name is data: "&" in it is shown, not taken as a mnemonic.
                shown = shown.replace("&", "&&")
                text = f"{key}  {shown}" if key else shown
            if action.iconText() != text:
                action.setIconText(text)

    def _width(self) -> int:
        return self.toolbar.sizeHint().width()

    def _room(self) -> int | None:
        """The width the label toolbar can have in its row, or None when it is not in a
        row (floating, or standing on the window's side)."""
        window, toolbar = self.window, self.toolbar
        area = window.toolBarArea(toolbar)
        if toolbar.isFloating() or toolbar.orientation() != Qt.Orientation.Horizontal:
            return None
        room = window.width()
        for other in self.others:
            if other.isHidden() or other.isFloating() or window.toolBarArea(other) != area:
                continue
            if abs(other.geometry().center().y() - toolbar.geometry().center().y()) > 2:
                continue  # on a row of its own
            if other.x() < toolbar.x():  # it takes its whole width first
                room -= other.sizeHint().width()
            else:  # it folds into its » down to its smallest
                room -= max(other.minimumSizeHint().width(), other.minimumWidth())
        return room


def _shortened(name: str, keep: int | None) -> str:
    """``name`` cut to ``keep`` characters and "…" (whole when it is that short)."""
    if keep is None or len(name) <= keep + 1:
        return name
    return name[:keep].rstrip() + "…"
