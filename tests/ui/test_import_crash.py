"""An error no reader expected never stops an import or holds the window: the file it
met is one line of the import report (its traceback in factmark.log) and the other files
come in; a background job whose work raised ends, its progress dialog closes, and the
error is shown over the window, which then quits on Ctrl+Q as ever."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from factmark.core import error_log, importing
from factmark.core.importing import text
from factmark.ui import errors, file_dialogs
from factmark.ui.dialogs.import_report import ReportDialog
from factmark.ui.dialogs.progress import running_job
from factmark.ui.window.main_window import MainWindow
from tests.ui.test_jobs import answer_modal

CTRL = Qt.KeyboardModifier.ControlModifier
TEXTS = {"a.txt": "First article.\n", "b.txt": "Second article.\n", "c.txt": "Third article.\n"}


@pytest.fixture
def hook() -> Iterator[None]:
    """The error hook the app installs at start (create_main_window alone has none)."""
    errors.install_excepthook()
    yield
    errors.uninstall_excepthook()


def three_files(folder: Path) -> list[Path]:
    folder.mkdir()
    for name, content in TEXTS.items():
        (folder / name).write_text(content, encoding="utf-8")
    return [folder / name for name in TEXTS]


def raising_on(name: str, real: Callable[[Path], Any]) -> Callable[[Path], Any]:
    """A reader that raises what no reader expects on the file ``name``, reads the rest."""

    def read(path: Path) -> Any:
        if path.name == name:
            raise RuntimeError("a reader bug")
        return real(path)

    return read


def shown(name: str) -> QWidget | None:
    for widget in QApplication.topLevelWidgets():
        if widget.objectName() == name and widget.isVisible():
            return widget
    return None


def titles(window: MainWindow) -> list[str]:
    model = window.document_list.model()
    return sorted(model.index(row, 0).data() for row in range(model.rowCount()))


def choose_files(monkeypatch: pytest.MonkeyPatch, files: Sequence[Path]) -> None:
    """File > Import's dialog answers with ``files``, as a user choosing them."""
    monkeypatch.setattr(
        file_dialogs, "open_file_names", lambda *_args: ([str(f) for f in files], "")
    )


def test_a_file_a_reader_cannot_read_is_one_report_line_and_the_others_come_in(
    open_window, hook: None, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    files = three_files(tmp_path / "articles")
    monkeypatch.setitem(importing.READERS, ".txt", raising_on("b.txt", text.read))
    choose_files(monkeypatch, files)
    window: MainWindow = open_window(tmp_path / "new.factmark")
    seen: list[Any] = []
    timer = answer_modal(qtbot, QWidget, seen)
    try:
        qtbot.keyClick(window.article_view, Qt.Key.Key_I, CTRL)  # File > Import…
        qtbot.waitUntil(lambda: len(seen) >= 2, timeout=10000)
    finally:
        timer.stop()

    assert isinstance(seen[0], ReportDialog)  # the report, and no other box before it
    lines = seen[0].text().splitlines()
    logged = error_log.log_path()
    assert lines == [
        "Imported 2 documents (0 spans) from 3 files; 1 file had errors",
        f"{files[0]}: imported 1 document, 0 spans",
        f"{files[1]}: error: could not be read: RuntimeError: a reader bug "
        f"(the full report is in {logged})",
        f"{files[2]}: imported 1 document, 0 spans",
    ]
    assert titles(window) == ["First article.", "Third article."]
    assert shown("importProgress") is None and running_job() is None
    log = error_log.log_path().read_text(encoding="utf-8")
    assert "Traceback" in log and "RuntimeError: a reader bug" in log


def test_a_job_whose_work_raises_closes_its_dialog_and_shows_the_error_over_the_window(
    open_window, hook: None, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from factmark.ui.background import jobs

    files = three_files(tmp_path / "articles")
    dialog_up = threading.Event()
    real = jobs.import_file

    def import_file(project: Any, path: Path, **kwargs: Any) -> Any:
        if path.name == "b.txt":  # the import itself fails, with its dialog up
            dialog_up.wait(10)
            raise RuntimeError("an import bug")
        return real(project, path, **kwargs)

    monkeypatch.setattr(jobs, "import_file", import_file)
    choose_files(monkeypatch, files)
    window: MainWindow = open_window(tmp_path / "new.factmark")
    boxes: list[tuple[str, bool, bool]] = []  # text, progress dialog up, over the window

    def look() -> None:
        if shown("importProgress") is not None:
            dialog_up.set()
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and box.isVisible():
            over = box.parentWidget() is not None and box.parentWidget().window() is window
            boxes.append((box.text(), shown("importProgress") is not None, over))
            ok = box.button(QMessageBox.StandardButton.Ok)
            if ok is not None:
                qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
            if box.isVisible():
                box.done(0)  # the click did not reach it: end the box, the test fails

    timer = QTimer()
    timer.timeout.connect(look)
    timer.start(20)
    try:
        qtbot.keyClick(window.article_view, Qt.Key.Key_I, CTRL)
        qtbot.waitUntil(lambda: bool(boxes) and running_job() is None, timeout=15000)
    finally:
        timer.stop()
        dialog_up.set()

    assert len(boxes) == 1, boxes
    message, progress_up, over_window = boxes[0]
    assert "an import bug" in message and str(error_log.log_path()) in message
    assert not progress_up and over_window
    assert shown("importProgress") is None
    assert titles(window) == ["First article."]  # stored before the error, listed
    log = error_log.log_path().read_text(encoding="utf-8")
    assert "RuntimeError: an import bug" in log and "Traceback" in log
    window.activateWindow()  # offscreen, the box closing hands activation back to none
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.article_view, Qt.Key.Key_Q, CTRL)  # File > Quit
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5000)
