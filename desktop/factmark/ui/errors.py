"""Errors never vanish: an unexpected exception is logged in full and told in a dialog.

Python prints an uncaught exception to a terminal a user of the app never sees. The
hook installed here appends the whole traceback to ``factmark.log`` in the user's
data folder and shows a short dialog naming the error and where the report is.
"""

from __future__ import annotations

import os
import sys
import threading
import traceback
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QWidget

from factmark import __version__
from factmark.core.workspace import APP_NAME, data_dir

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox

# What an inline message of refused input is written in, beside the field it is about.
ERROR_COLOUR = "#D55E00"  # Okabe-Ito vermilion: readable on light and dark backgrounds
LOG_NAME = "factmark.log"
# Past this size the log moves aside to factmark.log.1 (replacing an older one), so
# the two together stay near twice this.
MAX_LOG_BYTES = 1_000_000
# One report longer than this (an exception holding a huge text) keeps its two ends.
MAX_REPORT_CHARS = 100_000
MAX_SUMMARY_CHARS = 200

ParentGetter = Callable[[], QWidget | None]


def log_path() -> Path:
    """Where unexpected errors are logged, e.g. ``~/.local/share/Factmark/factmark.log``."""
    return data_dir() / LOG_NAME


def summary(error: BaseException) -> str:
    """What failed, in one line: the exception's type and the first line of its message."""
    name = type(error).__name__
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    if not lines:
        return name
    line = f"{name}: {lines[0]}"
    if len(line) > MAX_SUMMARY_CHARS:
        line = line[: MAX_SUMMARY_CHARS - 1] + "…"
    return line


def _report_text(error: BaseException, thread: str) -> str:
    import platform  # here: its import compiles nine regular expressions, at every start

    stamp = datetime.now().astimezone().isoformat(timespec="seconds")
    header = (
        f"==== {stamp}  {APP_NAME} {__version__}  Python {platform.python_version()} "
        f"on {platform.platform()}  thread {thread}\n"
    )
    body = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    if len(body) > MAX_REPORT_CHARS:
        half = MAX_REPORT_CHARS // 2
        left_out = len(body) - 2 * half
        body = f"{body[:half]}\n[… {left_out} characters left out …]\n{body[-half:]}"
    return header + body + "\n"


_log_lock = threading.Lock()


def _append_to_log(text: str) -> None:
    """Append ``text`` to the log, first moving a full log aside. Raises OSError."""
    path = log_path()
    with _log_lock:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            size = 0
        if size and size + len(text.encode("utf-8")) > MAX_LOG_BYTES:
            os.replace(path, path.with_name(LOG_NAME + ".1"))
        with path.open("a", encoding="utf-8", errors="backslashreplace") as log:
            log.write(text)


def _to_stderr(text: str) -> None:
    # A windowed build has no stderr; a terminal gets the report as Python would print it.
    try:
        if sys.stderr is not None:
            sys.stderr.write(text)
            sys.stderr.flush()
    except Exception:
        pass


def _log(error: BaseException, thread: str) -> OSError | None:
    """Write the report to stderr and the log; the reason it could not be logged, if so."""
    text = _report_text(error, thread)
    _to_stderr(text)
    try:
        _append_to_log(text)
    except OSError as failure:
        return failure
    return None


class _Reporter(QObject):
    """Logs errors from any thread and shows them, one at a time, on the GUI thread."""

    show_requested = Signal(object, object)  # the exception, the log error (or None)

    def __init__(self, parent_getter: ParentGetter | None) -> None:
        super().__init__()
        self.parent_getter = parent_getter
        self.showing = False
        self.show_requested.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def handle(self, error: BaseException, thread: str | None = None) -> None:
        """Log ``error``; show it unless a report is already being shown. Never raises."""
        try:
            failure = _log(error, thread or threading.current_thread().name)
            app = QCoreApplication.instance()
            if not isinstance(app, QApplication):
                return  # no window to show it in: the log (and stderr) holds it
            from PySide6.QtCore import QThread  # here: its type is made when first used

            if QThread.isMainThread():
                self._show(error, failure)
            else:
                self.show_requested.emit(error, failure)  # queued to the GUI thread
        except Exception:
            _to_stderr("".join(traceback.format_exc()))

    def _show(self, error: BaseException, failure: OSError | None) -> None:
        if self.showing:
            return  # an error while the dialog is open: logged above, not shown again
        self.showing = True
        try:
            self._dialog(error, failure).exec()
        except Exception as dialog_error:
            # Showing the report failed too: log that, and show nothing more.
            _log(dialog_error, threading.current_thread().name)
        finally:
            self.showing = False

    def _dialog(self, error: BaseException, failure: OSError | None) -> QMessageBox:
        from PySide6.QtWidgets import QMessageBox  # here: its type is made when first used

        parent = self._parent()
        box = QMessageBox(parent)
        box.setObjectName("errorReport")
        box.setIcon(QMessageBox.Icon.Critical)
        box.setWindowTitle(f"{APP_NAME} — unexpected error")
        box.setText(f"Something went wrong: {summary(error)}")
        if failure is None:
            box.setInformativeText(f"The full report was added to {log_path()}")
        else:
            box.setInformativeText(
                f"The report could not be written to {log_path()} ({failure.strerror or failure}); "
                "it is under Show Details."
            )
            box.setDetailedText(_report_text(error, threading.current_thread().name))
        box.setTextFormat(Qt.TextFormat.PlainText)  # after the texts: applies to both
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        return box

    def _parent(self) -> QWidget | None:
        if self.parent_getter is not None:
            try:
                return self.parent_getter()
            except Exception:
                return None
        return QApplication.activeWindow()


SysHook = Callable[[type[BaseException], BaseException, TracebackType | None], object]
ThreadHook = Callable[[threading.ExceptHookArgs], object]

_reporter: _Reporter | None = None
_previous: tuple[SysHook, ThreadHook] | None = None


def _sys_hook(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt) or _reporter is None:
        sys.__excepthook__(kind, error, trace)
        return
    if error.__traceback__ is None and trace is not None:
        error = error.with_traceback(trace)
    _reporter.handle(error)


def _thread_hook(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit:
        return  # a thread's normal way to stop, ignored as Python does
    if _reporter is None:
        threading.__excepthook__(args)
        return
    error = args.exc_value
    if error is None:
        error = RuntimeError(f"{args.exc_type.__name__} (raised without a value)")
    if error.__traceback__ is None and args.exc_traceback is not None:
        error = error.with_traceback(args.exc_traceback)
    _reporter.handle(error, args.thread.name if args.thread else None)


def install_excepthook(parent_getter: ParentGetter | None = None) -> None:
    """Route uncaught exceptions (in slots and in worker threads too) to the log and a
    dialog. Call once the QApplication exists, on its thread. ``parent_getter`` gives the
    dialog's parent window (default: the active window)."""
    global _reporter, _previous
    if _previous is None:
        _previous = (sys.excepthook, threading.excepthook)
    _reporter = _Reporter(parent_getter)
    sys.excepthook = _sys_hook
    threading.excepthook = _thread_hook


def uninstall_excepthook() -> None:
    """Put back the hooks that were there before :func:`install_excepthook`."""
    global _reporter, _previous
    if _previous is not None:
        sys.excepthook, threading.excepthook = _previous
        _previous = None
    _reporter = None


def report_error(error: BaseException) -> None:
    """Log and show an unexpected exception that was caught (from any thread).

    Without an installed hook the report goes to the log and stderr only.
    """
    if _reporter is not None:
        _reporter.handle(error)
    else:
        _log(error, threading.current_thread().name)
