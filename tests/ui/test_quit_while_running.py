"""File > Quit (Ctrl+Q) while a background job runs asks: Wait keeps everything going,
"Cancel … and quit" cancels the job as its Cancel would (an export leaves no file, an
import keeps what it committed), says so in the status bar, and closes the window once
the job has stopped, with no report shown. The keys work in the job's progress dialog,
in the export dialog it runs over, and in the window before the progress shows."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialogButtonBox, QWidget
from pytestqt.qtbot import QtBot

from factmark.ui.window.main_window import MainWindow

CTRL = Qt.KeyboardModifier.ControlModifier

Step = tuple[Callable[[], bool], Callable[[], None]]


def shown(name: str) -> QWidget | None:
    """The visible top-level widget of that object name, if any."""
    for widget in QApplication.topLevelWidgets():
        if widget.objectName() == name and widget.isVisible():
            return widget
    return None


def button(widget: QWidget, text: str) -> QAbstractButton:
    return next(b for b in widget.findChildren(QAbstractButton) if b.text() == text)


def drive(steps: list[Step]) -> QTimer:
    """Do each step's action once its condition holds, in order, as a user would while
    dialogs run their own event loops (an action that opens one runs from a timer of its
    own, so this one keeps looking)."""
    pending = list(steps)

    def look() -> None:
        if pending and pending[0][0]():
            _, action = pending.pop(0)
            QTimer.singleShot(0, action)

    timer = QTimer()
    timer.timeout.connect(look)
    timer.start(20)
    timer.pending = pending  # type: ignore[attr-defined]
    return timer


def export_every_document(qtbot: QtBot, out: Path) -> None:
    """In the export dialog showing: every status chosen, ``out`` as the file, Export."""
    dialog = shown("exportDialog")
    assert dialog is not None
    for box in dialog.statuses.values():  # type: ignore[attr-defined]
        box.setChecked(True)
    dialog.output.setText(str(out))  # type: ignore[attr-defined]
    buttons = dialog.findChild(QDialogButtonBox)
    export = next(
        b for b in buttons.buttons() if buttons.buttonRole(b) == buttons.ButtonRole.AcceptRole
    )
    qtbot.mouseClick(export, Qt.MouseButton.LeftButton)


def progress() -> QWidget | None:
    """The export's progress dialog, once it is up and active."""
    found = shown("exportProgress")
    return found if found is not None and found.isActiveWindow() else None


def export_until_closed(
    qtbot: QtBot, window: MainWindow, timer: QTimer, released: threading.Event
) -> None:
    """Ctrl+E (Export corpus…) in the window, and wait for it to close while ``timer``
    (:func:`drive`) takes the dialogs' steps; every step must have come. ``released``
    lets the held export go on, whatever happened."""
    try:
        qtbot.keyClick(window.article_view, Qt.Key.Key_E, CTRL)
        qtbot.waitUntil(lambda: not window.isVisible(), timeout=10000)
    finally:
        timer.stop()
        released.set()
    assert not timer.pending, f"{len(timer.pending)} steps never came"  # type: ignore[attr-defined]


def held_until(event: threading.Event, real: Callable[..., Any]) -> Callable[..., Any]:
    def held(*args: Any, **kwargs: Any) -> Any:
        event.wait(20)  # still running when the keys are pressed
        return real(*args, **kwargs)

    return held


def test_ctrl_q_during_an_export_asks_and_cancel_and_quit_leaves_no_file(
    open_window, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from factmark.ui.background import jobs

    released = threading.Event()
    monkeypatch.setattr(jobs, "export", held_until(released, jobs.export))
    window: MainWindow = open_window()
    out = tmp_path / "corpus.jsonl"
    said: list[str] = []

    def start_export() -> None:
        export_every_document(qtbot, out)

    def asked() -> QWidget | None:
        return shown("quitWhileRunning")

    def wait_chosen() -> None:
        box = asked()
        assert box is not None
        said.append(box.text())  # type: ignore[attr-defined]
        qtbot.mouseClick(button(box, "Wait"), Qt.MouseButton.LeftButton)

    def still_running() -> bool:
        return asked() is None and progress() is not None and window.isVisible()

    def cancel_chosen() -> None:
        box = asked()
        assert box is not None
        qtbot.mouseClick(button(box, "Cancel export and quit"), Qt.MouseButton.LeftButton)

    def release() -> None:
        said.append(window.statusBar().currentMessage())
        released.set()

    timer = drive(
        [
            (lambda: shown("exportDialog") is not None, start_export),
            (
                lambda: progress() is not None,
                lambda: qtbot.keyClick(progress(), Qt.Key.Key_Q, CTRL),
            ),
            (lambda: asked() is not None, wait_chosen),
            (still_running, lambda: qtbot.keyClick(progress(), Qt.Key.Key_Q, CTRL)),
            (lambda: asked() is not None, cancel_chosen),
            (lambda: "quits" in window.statusBar().currentMessage(), release),
        ]
    )
    export_until_closed(qtbot, window, timer, released)
    assert said[0] == "An export is running."
    assert said[1] == "Cancelling the export: Factmark quits once it has stopped."
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # nothing half-written beside it
    assert shown("exportDialog") is None


def test_ctrl_q_in_the_window_as_an_import_starts_cancels_it_and_shows_no_report(
    open_window, qtbot: QtBot, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """Before its progress shows, the window itself has the keys: it asks the same."""
    from factmark.ui.background import jobs

    released = threading.Event()
    monkeypatch.setattr(jobs, "import_file", held_until(released, jobs.import_file))
    window: MainWindow = open_window()
    path = Path(window.project.path)
    with sqlite3.connect(path) as db:
        (before,) = db.execute("SELECT count(*) FROM documents").fetchone()
    files = [corpus / "fr-combining.txt", corpus / "zh-shanghai.txt"]
    reports: list[str] = []

    def cancel_chosen() -> None:
        box = shown("quitWhileRunning")
        assert box is not None
        qtbot.mouseClick(button(box, "Cancel import and quit"), Qt.MouseButton.LeftButton)
        released.set()

    class ReportWatch(QObject):
        """Sees every report shown, however briefly."""

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Show and watched.objectName() == "importReport":
                reports.append(watched.objectName())
            return False

    def look_for_reports() -> None:
        report = shown("importReport")
        if report is not None:
            report.close()  # the window would wait for it

    timer = drive(
        [
            (lambda: True, lambda: qtbot.keyClick(window.article_view, Qt.Key.Key_Q, CTRL)),
            (lambda: shown("quitWhileRunning") is not None, cancel_chosen),
        ]
    )
    watch = QTimer()
    watch.timeout.connect(look_for_reports)
    watch.start(10)
    seer = ReportWatch()
    QApplication.instance().installEventFilter(seer)
    try:
        window.files.import_paths(files)  # as File > Import, with those files chosen
        qtbot.waitUntil(lambda: not window.isVisible(), timeout=10000)
    finally:
        timer.stop()
        watch.stop()
        QApplication.instance().removeEventFilter(seer)
        released.set()
    assert not timer.pending  # type: ignore[attr-defined]
    assert reports == []
    with sqlite3.connect(path) as db:
        (after,) = db.execute("SELECT count(*) FROM documents").fetchone()
    assert after <= before + 1  # the file being imported when cancelled, at most


def test_an_export_that_ended_before_cancel_and_quit_reached_it_is_said_before_quitting(
    open_window, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """The question said "nothing of the export is left"; an export whose files were
    already in place when the cancel came finishes, and the window says so (naming the
    file) before it closes."""
    from factmark.ui.background import jobs

    released = threading.Event()
    real = jobs.export

    def past_cancelling(*args: Any, **kwargs: Any) -> Any:
        released.wait(20)  # running when the keys are pressed, then beyond the cancel
        kwargs["cancelled"] = lambda: False
        return real(*args, **kwargs)

    monkeypatch.setattr(jobs, "export", past_cancelling)
    window: MainWindow = open_window()
    out = tmp_path / "corpus.jsonl"
    said: list[str] = []

    def start_export() -> None:
        export_every_document(qtbot, out)

    def cancel_chosen() -> None:
        box = shown("quitWhileRunning")
        assert box is not None
        qtbot.mouseClick(button(box, "Cancel export and quit"), Qt.MouseButton.LeftButton)
        released.set()

    def ended_said() -> None:
        box = shown("endedBeforeQuit")
        assert box is not None
        said.append(f"{box.text()}\n{box.informativeText()}")  # type: ignore[attr-defined]
        assert window.isVisible()  # the window waits for the user to read it
        qtbot.mouseClick(button(box, "OK"), Qt.MouseButton.LeftButton)

    timer = drive(
        [
            (lambda: shown("exportDialog") is not None, start_export),
            (
                lambda: progress() is not None,
                lambda: qtbot.keyClick(progress(), Qt.Key.Key_Q, CTRL),
            ),
            (lambda: shown("quitWhileRunning") is not None, cancel_chosen),
            (lambda: shown("endedBeforeQuit") is not None, ended_said),
        ]
    )
    export_until_closed(qtbot, window, timer, released)
    assert said[0].startswith("The export had ended before it could be cancelled.\nExported ")
    assert str(out) in said[0] and said[0].endswith(". Factmark quits now.")
    assert out.exists() and out.read_text(encoding="utf-8").count("\n") >= 1
