"""The window's file dialogs open wide enough to read a file's name, size, type and date
whole, within the screen.

Qt's own dialog opened about 630 pixels wide with fixed column widths, so that a project's
size read "688....KiB" and its type "fact...file". Each dialog is opened as a user opens
it (the File menu's items, the export's folder choice), lists a folder holding a project,
a .jsonl file, a subfolder and a long name, and is looked at before it is cancelled.

The tests run in the session's process (an 800×800 screen) and once more in a process of
their own on a 1024×600 screen and a 1366×768 one, like tests/ui/test_screen_fit.py.
Expected values come from Qt: the text the dialog's model shows in each cell, measured
with the view's font metrics and the style's item margins (Qt elides text that is wider
than the cell less those margins), the view's own size hint for the names, the screen's
available area.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialogButtonBox,
    QFileDialog,
    QStyle,
    QTreeView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from factmark.core.incoming import IncomingDocument
from factmark.core.project import Project
from factmark.ui import file_dialogs
from factmark.ui.window.main_window import MainWindow
from tests.ui.test_screen_fit import SCREEN_CONFIG, qapp_args, run_on_screen

__all__ = ["qapp_args"]  # the fixture: the screen the subprocess asks for

SCREENS = {
    "laptop": {"name": "Laptop", "x": 0, "y": 0, "width": 1366, "height": 768},
    "small": {"name": "Small", "x": 0, "y": 0, "width": 1024, "height": 600},
}
LONG_NAME = "Kharkiv evacuation report - interviews (final).txt"
COLUMNS = ("name", "size", "type", "date modified")


@pytest.fixture
def desk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder as a desk keeps one: the project, files to import, a subfolder; it is
    also the home folder, where File > Import begins."""
    folder = tmp_path / "desk"
    (folder / "archive").mkdir(parents=True)
    with Project.open(folder / "desk.factmark") as project:
        project.add_document(IncomingDocument("The mayor of Kharkiv said 40 people left.", "K"))
    (folder / "leads.jsonl").write_text('{"text": "A claim."}\n' * 800, encoding="utf-8")
    (folder / LONG_NAME).write_text("Interviews.\n", encoding="utf-8")
    monkeypatch.setenv("HOME", str(folder))
    return folder


def global_rect(widget: QWidget) -> QRect:
    return QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())


def spin(seconds: float, until: Callable[[], bool] = lambda: False) -> None:
    """Run the event loop for ``seconds``, or until ``until()`` holds (inside the dialog's
    own loop, where qtbot cannot wait)."""
    end = time.monotonic() + seconds
    while not until() and time.monotonic() < end:
        QApplication.processEvents()


def look_then_cancel(seen: dict[str, Any]) -> None:
    """Once the file dialog shows and has listed its folder, note what a user sees in
    ``seen``, then close it as Cancel does."""

    def step(tries: int = 1000) -> None:  # 20 s
        dialog = QApplication.activeModalWidget()
        view = dialog.findChild(QTreeView, "treeView") if dialog is not None else None
        if isinstance(dialog, QFileDialog) and dialog.isVisible() and view is not None:
            spin(20, lambda: "archive" in listed(view))  # the listing is filled by a thread
            spin(1.0)  # and typed, and laid out
            seen.update(measure(dialog, view))
            dialog.resize(dialog.width() - 150, dialog.height())  # a user narrows it
            spin(0.5)
            seen["narrowed"] = (view.header().length(), view.viewport().width())
            dialog.reject()
        elif tries:
            QTimer.singleShot(20, lambda: step(tries - 1))

    QTimer.singleShot(20, step)


def listed(view: QTreeView) -> list[str]:
    """The names the dialog lists, in its order."""
    model, root = view.model(), view.rootIndex()
    return [model.index(row, 0, root).data() for row in range(model.rowCount(root))]


def measure(dialog: QFileDialog, view: QTreeView) -> dict[str, Any]:
    """What decides whether a user reads the dialog whole, from Qt's own geometry."""
    model, header, root = view.model(), view.header(), view.rootIndex()
    metrics = view.fontMetrics()
    # QCommonStyle draws an item's text inside its cell less this margin on each side.
    margin = view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1
    cut = []
    for row in range(model.rowCount(root)):
        name = model.index(row, 0, root).data()
        for column in (1, 2, 3):
            text = model.index(row, column, root).data() or ""
            needed = metrics.horizontalAdvance(text) + 2 * margin
            if header.sectionSize(column) < needed:
                width = header.sectionSize(column)
                cut.append(f"{name}'s {COLUMNS[column]} {text!r}: {width} px < {needed}")
    if header.sectionSize(0) < view.sizeHintForColumn(0):
        cut.append(f"names: {header.sectionSize(0)} px < {view.sizeHintForColumn(0)}")
    buttons: list[QAbstractButton] = [
        b for box in dialog.findChildren(QDialogButtonBox) for b in box.buttons()
    ]
    area = dialog.screen().availableGeometry()
    return {
        "listed": listed(view),
        "cut": cut,
        "columns": header.length(),
        "view": view.viewport().width(),
        "area": area,
        "frame": dialog.frameGeometry(),
        "buttons": [(b.text(), b.isVisible(), area.contains(global_rect(b))) for b in buttons],
    }


def export_folder(window: MainWindow, folder: Path) -> None:
    file_dialogs.existing_directory(window, "Export into folder", str(folder))


OPENERS: dict[str, tuple[Callable[[MainWindow, Path], None], set[str]]] = {
    # File menu items (the functions they use): what the dialog lists in the desk folder
    "openProject": (lambda w, _: w.action_table["openProject"].trigger(), {"desk.factmark"}),
    "importFiles": (lambda w, _: w.action_table["importFiles"].trigger(), {LONG_NAME}),
    "mergeProjects": (lambda w, _: w.action_table["mergeProjects"].trigger(), {"desk.factmark"}),
    "copyForAnnotator": (
        lambda w, _: w.action_table["copyForAnnotator"].trigger(),
        {"desk.factmark"},
    ),
    "exportIntoFolder": (export_folder, set()),
}


@pytest.mark.parametrize("opener", sorted(OPENERS))
def test_a_file_dialog_shows_each_files_name_size_type_and_date_whole(
    open_window, qtbot: QtBot, desk: Path, opener: str
) -> None:
    window = open_window(desk / "desk.factmark")
    open_dialog, names = OPENERS[opener]
    seen: dict[str, Any] = {}
    look_then_cancel(seen)
    open_dialog(window, desk)
    assert seen, "no file dialog showed"

    assert {"archive", *names} <= set(seen["listed"]), seen["listed"]
    assert seen["cut"] == [], "\n".join(seen["cut"])
    # The names take the rest of the view: no room left over, nothing to scroll to.
    assert seen["columns"] == seen["view"], (seen["columns"], seen["view"])
    columns, view = seen["narrowed"]  # and so they do once the dialog is narrowed
    assert columns == view, (columns, view)
    assert seen["area"].contains(seen["frame"]), (seen["frame"], seen["area"])
    assert seen["buttons"] and all(shown and inside for _, shown, inside in seen["buttons"])


@pytest.mark.skipif(bool(os.environ.get(SCREEN_CONFIG)), reason="runs the others")
@pytest.mark.parametrize("screen", sorted(SCREENS))
def test_on_each_screen(tmp_path: Path, screen: str) -> None:
    """All of the above on an offscreen screen of that size, in a process of its own."""
    assert f"{len(SCREENS)} skipped" in run_on_screen(__file__, SCREENS[screen], tmp_path)
