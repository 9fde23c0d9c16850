"""Unexpected errors are logged in full and told in a dialog, never lost, never looping."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QThread, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from factmark import __version__
from factmark.core import error_log
from factmark.ui import errors


@dataclass
class Seen:
    """What the error dialogs showed, read by :func:`close_dialogs` before closing them."""

    texts: list[str] = field(default_factory=list)
    informative: list[str] = field(default_factory=list)
    formats: list[Qt.TextFormat] = field(default_factory=list)
    on_gui_thread: list[bool] = field(default_factory=list)
    while_open: Callable[[], None] | None = None  # run while the first dialog is open


@pytest.fixture
def hook(qapp: QApplication) -> Iterator[None]:
    """The hook installed for one test; the hooks before it are put back afterwards."""
    before = (sys.excepthook, threading.excepthook)
    errors.install_excepthook()
    yield
    errors.uninstall_excepthook()
    assert (sys.excepthook, threading.excepthook) == before
    sys.excepthook, threading.excepthook = before


@pytest.fixture
def close_dialogs(hook: None) -> Iterator[Seen]:
    """Records and closes every error dialog that opens while the test runs (with OK)."""
    seen = Seen()
    looking = [True]

    def look() -> None:
        if not looking[0]:
            return
        # Looks on with a new timer: a timer never fires inside its own slot, and a
        # second dialog (a failure of the guard against one) must be closed too.
        QTimer.singleShot(10, look)
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox) or box.objectName() != "errorReport":
            return
        try:
            seen.texts.append(box.text())
            seen.informative.append(box.informativeText())
            seen.formats.append(box.textFormat())
            informative = box.findChild(QLabel, "qt_msgbox_informativelabel")
            if informative is not None:
                seen.formats.append(informative.textFormat())
            seen.on_gui_thread.append(QThread.isMainThread())
            if seen.while_open is not None:
                action, seen.while_open = seen.while_open, None
                action()
        finally:
            box.button(QMessageBox.StandardButton.Ok).click()

    QTimer.singleShot(10, look)
    yield seen
    looking[0] = False


MESSAGE = "the span list lost its place\nsecond line of the message"


def failing_deep_inside(error: Exception) -> None:
    raise error


def caught(error: Exception | None = None) -> Exception:
    """``error`` (default a ValueError) raised and caught, so it carries a traceback."""
    try:
        failing_deep_inside(error or ValueError(MESSAGE))
    except Exception as raised:
        return raised
    raise AssertionError("nothing was raised")


def log_text() -> str:
    return error_log.log_path().read_text(encoding="utf-8")


def test_the_log_is_in_the_user_data_folder() -> None:
    # tests/conftest.py points XDG_DATA_HOME at a temporary folder.
    expected = Path(os.environ["XDG_DATA_HOME"]) / "Factmark" / "factmark.log"
    assert error_log.log_path() == expected


def test_an_uncaught_error_is_logged_and_shown(close_dialogs: Seen) -> None:
    error = caught()
    sys.excepthook(type(error), error, error.__traceback__)
    log = log_text()
    assert "Traceback (most recent call last)" in log
    assert "in failing_deep_inside" in log
    assert "    raise error" in log  # the source line
    assert "ValueError: the span list lost its place\nsecond line of the message" in log
    assert f"Factmark {__version__}" in log
    assert close_dialogs.texts == ["Something went wrong: ValueError: the span list lost its place"]
    assert close_dialogs.informative == [f"The full report was added to {error_log.log_path()}"]
    assert close_dialogs.formats == [Qt.TextFormat.PlainText, Qt.TextFormat.PlainText]


def test_a_caught_error_can_be_reported_the_same_way(close_dialogs: Seen) -> None:
    error = caught(KeyError("<b>no such key</b>"))
    errors.report_error(error)
    assert "KeyError: '<b>no such key</b>'" in log_text()
    # Plain text: markup in a message is shown as typed.
    assert close_dialogs.texts == ["Something went wrong: KeyError: '<b>no such key</b>'"]


def test_reports_are_appended_with_a_time_stamp(close_dialogs: Seen) -> None:
    for message in ("first", "second"):
        error = caught(OSError(message))
        sys.excepthook(type(error), error, error.__traceback__)
    log = log_text()
    assert log.index("OSError: first") < log.index("OSError: second")
    headers = [line for line in log.splitlines() if line.startswith("==== ")]
    assert len(headers) == 2
    assert all(line[5:9].isdigit() and "T" in line for line in headers)  # ISO date and time
    assert len(close_dialogs.texts) == 2


def test_a_full_log_moves_aside_and_keeps_the_newest(close_dialogs: Seen) -> None:
    path = error_log.log_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    old = "old report line\n" * (error_log.MAX_LOG_BYTES // 16 + 1)
    path.write_text(old, encoding="utf-8")
    assert path.stat().st_size > error_log.MAX_LOG_BYTES
    error = caught()
    sys.excepthook(type(error), error, error.__traceback__)
    assert path.with_name("factmark.log.1").read_text(encoding="utf-8") == old
    assert "old report line" not in log_text()
    assert "ValueError: the span list lost its place" in log_text()


def test_the_log_stays_bounded_however_many_errors(
    close_dialogs: Seen, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(error_log, "MAX_LOG_BYTES", 4_000)
    path = error_log.log_path()
    for n in range(30):
        errors.report_error(caught(RuntimeError(f"number {n}")))
        assert path.stat().st_size <= 4_000
    assert path.with_name("factmark.log.1").stat().st_size <= 4_000
    assert "RuntimeError: number 29" in log_text()  # the newest is kept
    assert "RuntimeError: number 0\n" not in log_text()
    assert not path.with_name("factmark.log.2").exists()


def test_a_huge_message_is_cut_in_the_middle(close_dialogs: Seen) -> None:
    error = caught(ValueError("x" * 10 * error_log.MAX_REPORT_CHARS))
    errors.report_error(error)
    log = log_text()
    assert len(log) < 2 * error_log.MAX_REPORT_CHARS
    assert "characters left out" in log
    assert "Traceback (most recent call last)" in log
    (text,) = close_dialogs.texts
    assert len(text) < 300 and text.endswith("…")


def test_an_error_while_the_dialog_is_open_is_only_logged(close_dialogs: Seen) -> None:
    second = caught(LookupError("while the dialog was open"))
    close_dialogs.while_open = lambda: sys.excepthook(type(second), second, second.__traceback__)
    error = caught()
    sys.excepthook(type(error), error, error.__traceback__)
    assert "LookupError: while the dialog was open" in log_text()
    assert close_dialogs.texts == ["Something went wrong: ValueError: the span list lost its place"]
    # Once it is closed, the next error is shown again.
    errors.report_error(second)
    assert close_dialogs.texts[-1] == "Something went wrong: LookupError: while the dialog was open"


def test_a_dialog_that_fails_to_show_is_logged_without_recursion(
    hook: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []

    def broken_exec(box: QMessageBox) -> int:
        calls.append(1)
        raise RuntimeError("no display for the dialog")

    monkeypatch.setattr(QMessageBox, "exec", broken_exec)
    error = caught()
    sys.excepthook(type(error), error, error.__traceback__)  # returns, raises nothing
    assert calls == [1]
    log = log_text()
    assert "ValueError: the span list lost its place" in log
    assert "RuntimeError: no display for the dialog" in log
    assert QApplication.activeModalWidget() is None


def test_an_error_in_a_worker_thread_is_logged_and_shown_on_the_gui_thread(
    close_dialogs: Seen, qtbot: QtBot
) -> None:
    def work() -> None:
        failing_deep_inside(ValueError(MESSAGE))

    worker = threading.Thread(target=work, name="import-worker")
    worker.start()
    worker.join(10)
    assert not worker.is_alive()
    log = log_text()  # written by the worker itself, before any dialog
    assert "thread import-worker" in log
    assert "in work" in log and "in failing_deep_inside" in log
    qtbot.waitUntil(lambda: bool(close_dialogs.texts), timeout=5_000)
    assert close_dialogs.texts == ["Something went wrong: ValueError: the span list lost its place"]
    assert close_dialogs.on_gui_thread == [True]


def test_a_report_from_a_thread_while_a_dialog_is_open_is_logged(
    close_dialogs: Seen, qtbot: QtBot
) -> None:
    def from_thread() -> None:
        worker = threading.Thread(target=lambda: errors.report_error(caught()))
        worker.start()
        worker.join(10)

    close_dialogs.while_open = from_thread
    errors.report_error(caught(OSError("disk full")))
    qtbot.wait(100)  # the thread's dialog, if not dropped while the first was open
    assert close_dialogs.texts[0] == "Something went wrong: OSError: disk full"
    assert len(close_dialogs.texts) <= 2  # never a dialog for a dialog
    assert log_text().count("ValueError: the span list lost its place") == 1


def test_an_unwritable_log_still_shows_the_report(
    close_dialogs: Seen, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be", encoding="utf-8")
    monkeypatch.setattr(error_log, "log_path", lambda: blocker / "factmark.log")
    errors.report_error(caught())
    (informative,) = close_dialogs.informative
    assert informative.startswith(f"The report could not be written to {blocker / 'factmark.log'}")
