"""The article first: after an edit, the panels beside it are painted one frame later;
at start, they are made and take their places right after the window's first paint.

A label key changes the article, the span list, the details and the document's row. The
eyes are on the article, so it is painted at once; the other panels stop painting until
the next frame (16 ms, one refresh of a 60 Hz screen), and updates handed to
:meth:`NextFrame.later` run then, the latest of each kind only. Their models change at
once (a test or a reader of the model sees the new rows); only painting waits. Whatever the
user does next (a key, a click, the wheel) first brings the panels up to date, so no input
ever acts on a panel that does not show the present.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

FRAME_MS = 16
# What the user does: the panels are brought up to date before it is handled.
_INPUT = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.ShortcutOverride,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.Wheel,
        QEvent.Type.FocusIn,
    }
)


class NextFrame(QObject):
    """Holds the painting of some widgets, and some updates of them, until the next frame."""

    def __init__(self, widgets: Sequence[QWidget], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.widgets = list(widgets)
        self._pending: dict[str, Callable[[], None]] = {}
        self._timer = QTimer(self, singleShot=True, interval=FRAME_MS)
        self._timer.timeout.connect(self.flush)

    @property
    def holding(self) -> bool:
        return self._timer.isActive()

    def hold(self) -> None:
        """An edit begins: paint the widgets at the next frame, not now."""
        if self.holding:
            return  # a frame is already waited for: keys held down paint once a frame
        for widget in self.widgets:
            widget.setUpdatesEnabled(False)
        self._timer.start()
        application = QApplication.instance()
        if application is not None:
            application.installEventFilter(self)  # only while holding: the next input

    def later(self, kind: str, update: Callable[[], None]) -> None:
        """Run ``update`` at the next frame when holding (replacing one of the same kind
        waiting), else now."""
        if self.holding:
            self._pending[kind] = update
        else:
            self._pending.pop(kind, None)
            update()

    def flush(self) -> None:
        """Run what waits and paint the widgets now (the frame has come, or the window
        needs them current: a project closing, a dialog opening)."""
        self._timer.stop()
        application = QApplication.instance()
        if application is not None:
            application.removeEventFilter(self)
        pending, self._pending = self._pending, {}
        for update in pending.values():
            update()
        for widget in self.widgets:
            widget.setUpdatesEnabled(True)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT and self._timer.isActive():
            self.flush()  # the user acts: on panels that show the present
        return False


class AfterFirstPaint(QObject):
    """Runs ``then`` once, in the event loop's next turn after ``widget`` is first painted
    (a widget never shown never runs it)."""

    def __init__(self, widget: QWidget, then: Callable[[], None]) -> None:
        super().__init__(widget)
        self._then = then
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._then)
        return False


# A click, or the context menu, on a widget.
_CLICKS = frozenset(
    {
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.ContextMenu,
    }
)


class OnFirstClick(QObject):
    """Runs ``first`` before the first click on ``widget`` is handled (what the click
    does may need what ``first`` makes), unless :meth:`remove` is called before."""

    def __init__(self, widget: QWidget, first: Callable[[], object]) -> None:
        super().__init__(widget)
        self._widget = widget
        self._first = first
        widget.installEventFilter(self)

    def remove(self) -> None:
        self._widget.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _CLICKS:
            self.remove()
            self._first()
        return False
