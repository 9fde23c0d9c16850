"""The window's file dialogs, which tell files apart by their names and never read one.

Qt's file dialog asks its icon provider for each listed file's icon and type, and Qt's own
provider reads the first bytes of a file whose name it does not know (a ``.factmark``
project, its ``-wal`` and ``-shm`` files). Reading a file and closing it drops every POSIX
lock this process holds on it, SQLite's included (see ``core.storage._HELD``): a dialog
opened on the project's folder left the window's project unlocked, so that another Factmark
(``factmark stats``, an import, a second window) took it for unused, checkpointed it and
deleted the ``-wal`` file the window still wrote to; what the window saved next was lost.

These functions answer as ``QFileDialog``'s static functions do (the same arguments, the
same values returned; an empty answer when cancelled) with Qt's own dialog and a provider
that reads nothing. A native dialog runs in this process too, and GTK's reads files to
type them as well, so Qt's own dialog is used everywhere but on Windows, whose file locks
belong to the handle that took them.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QEvent, QFileInfo, QObject
from PySide6.QtGui import QAbstractFileIconProvider, QIcon
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFileIconProvider,
    QFileSystemModel,
    QTreeView,
    QWidget,
)


class NamesOnly(QAbstractFileIconProvider):
    """Icons and types from a file's name and kind (folder or file), never its contents."""

    def __init__(self) -> None:
        super().__init__()
        self._icons = QFileIconProvider()  # asked for icons by kind only

    def icon(self, what: QFileInfo | QAbstractFileIconProvider.IconType) -> QIcon:
        if isinstance(what, QFileInfo):
            kind = (
                QAbstractFileIconProvider.IconType.Folder
                if what.isDir()
                else QAbstractFileIconProvider.IconType.File
            )
            return self._icons.icon(kind)
        return self._icons.icon(what)

    def type(self, info: QFileInfo) -> str:
        if info.isDir():
            return "Folder"
        suffix = info.suffix()
        return f"{suffix} file" if suffix else "File"


_PROVIDER: NamesOnly | None = None

WIDTH, HEIGHT = 900, 540  # the dialog's size where the screen has room for it
SCREEN_MARGIN = 40, 80  # left free on a smaller screen, for the window manager's frame


class FittedColumns(QObject):
    """The dialog's detail view read whole: the size, type and date columns as wide as
    what they show in the folder listed, the names the rest of the view's width.

    Qt's dialog gives them fixed widths ("128.88 GB", "mp3Folder") that cut what it shows
    ("688....KiB", "fact...file"). Only the widths change, never how the columns resize:
    Qt saves the header's state where every Qt program of the user reads it back.
    """

    DETAILS = (1, 2, 3)  # size, type, date modified; 0 is the name

    def __init__(self, view: QTreeView, model: QFileSystemModel) -> None:
        super().__init__(view)
        self._view = view
        model.directoryLoaded.connect(self.fit)
        view.viewport().installEventFilter(self)  # the names follow the dialog's width

    def fit(self, _folder: str = "") -> None:
        for column in self.DETAILS:
            self._view.resizeColumnToContents(column)
        self._give_names_the_rest()

    def _give_names_the_rest(self) -> None:
        header = self._view.header()
        details = sum(header.sectionSize(column) for column in self.DETAILS)
        rest = self._view.viewport().width() - details
        header.resizeSection(0, max(rest, header.minimumSectionSize()))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self._give_names_the_rest()
        return False


def _fit_screen(dialog: QFileDialog) -> None:
    """Open wide enough to read a file's name, size, type and date whole (Qt's dialog
    opens about 630 pixels wide), within the screen of the window it belongs to."""
    area = (dialog.parentWidget() or dialog).screen().availableGeometry()
    dialog.resize(
        min(WIDTH, area.width() - SCREEN_MARGIN[0]), min(HEIGHT, area.height() - SCREEN_MARGIN[1])
    )
    model = dialog.findChild(QFileSystemModel)
    view = dialog.findChild(QTreeView, "treeView")
    if model is not None and view is not None:
        FittedColumns(view, model)


def _dialog(parent: QWidget | None, caption: str, directory: str, filter: str) -> QFileDialog:
    global _PROVIDER
    dialog = QFileDialog(parent, caption, directory, filter)
    if sys.platform != "win32":
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        if _PROVIDER is None:
            _PROVIDER = NamesOnly()  # kept for every dialog: a dialog does not own it
        dialog.setIconProvider(_PROVIDER)
        _fit_screen(dialog)
    return dialog


def _chosen(dialog: QFileDialog) -> list[str]:
    try:
        return dialog.selectedFiles() if dialog.exec() == QDialog.DialogCode.Accepted else []
    finally:
        dialog.deleteLater()


def open_file_name(
    parent: QWidget | None, caption: str = "", directory: str = "", filter: str = ""
) -> tuple[str, str]:
    """An existing file to open, and the filter chosen (``"", ""`` when cancelled)."""
    dialog = _dialog(parent, caption, directory, filter)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    chosen = _chosen(dialog)
    return (chosen[0], dialog.selectedNameFilter()) if chosen else ("", "")


def open_file_names(
    parent: QWidget | None, caption: str = "", directory: str = "", filter: str = ""
) -> tuple[list[str], str]:
    """Existing files to open, and the filter chosen (``[], ""`` when cancelled)."""
    dialog = _dialog(parent, caption, directory, filter)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
    chosen = _chosen(dialog)
    return (chosen, dialog.selectedNameFilter()) if chosen else ([], "")


def save_file_name(
    parent: QWidget | None, caption: str = "", directory: str = "", filter: str = ""
) -> tuple[str, str]:
    """A file to write (the dialog asks before naming an existing one), and the filter
    chosen (``"", ""`` when cancelled)."""
    dialog = _dialog(parent, caption, directory, filter)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    chosen = _chosen(dialog)
    return (chosen[0], dialog.selectedNameFilter()) if chosen else ("", "")


def existing_directory(parent: QWidget | None, caption: str = "", directory: str = "") -> str:
    """A folder (``""`` when cancelled)."""
    dialog = _dialog(parent, caption, directory, "")
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    chosen = _chosen(dialog)
    return chosen[0] if chosen else ""
