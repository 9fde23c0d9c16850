"""The keys go back where they came from once one of the window's dialogs that had them
closes: to the dialog still open under it, or else to the window. A window manager does
that; without one (an X session with none, Qt's offscreen screen) the keys went nowhere
until a click. Keys that leave for another program leave no dialog closed."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QWindow
from PySide6.QtWidgets import QApplication, QWidget
from shiboken6 import isValid


class KeysBack(QObject):
    """Watches which of ``window``'s dialogs take the keys, and gives them back when one
    closes (a part of the window: it lives as long as the window)."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self._dialogs_with_keys: set[QWindow] = set()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)

    def _focus_changed(self, _old: QWidget | None, now: QWidget | None) -> None:
        if now is None or not self._owns(dialog := now.window()):
            return
        handle = dialog.windowHandle()
        if handle is None or handle in self._dialogs_with_keys:
            return
        self._dialogs_with_keys.add(handle)

        def closed(visible: bool) -> None:
            if visible:
                return
            handle.visibleChanged.disconnect(closed)
            if isValid(self):  # a dialog may outlive the window that opened it
                self._dialogs_with_keys.discard(handle)
                QTimer.singleShot(0, self, self._keys_back)

        handle.visibleChanged.connect(closed)

    def _owns(self, window: QWidget) -> bool:
        """Whether ``window`` is a dialog of the window's (or of one of its dialogs)."""
        owner = window.parentWidget()
        while owner is not None and owner is not self.window:
            owner = owner.parentWidget()
        return owner is self.window

    def _keys_back(self) -> None:
        active = QApplication.activeWindow()  # none, or the closed dialog still
        if self.window.isVisible() and (active is None or not active.isVisible()):
            (QApplication.activeModalWidget() or self.window).activateWindow()
