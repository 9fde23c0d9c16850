"""Errors never vanish: an unexpected exception is logged in full and told in a dialog.

Python prints an uncaught exception to a terminal a user of the app never sees. The
hook installed here appends the whole traceback to ``factmark.log`` in the user's
data folder (``core.error_log``) and shows a short dialog naming the error and where
the report is.
"""

from __future__ import annotations

import sys
import threading
import traceback
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QWidget

from factmark.core import error_log
from factmark.core.workspace import APP_NAME

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox

# What an inline message of refused input is written in, beside the field it is about.
ERROR_COLOUR = "#D55E00"  # Okabe-Ito vermilion: readable on light and dark backgrounds

ParentGetter = Callable[[], QWidget | None]


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
    text = error_log.report_text(error, thread)
    _to_stderr(text)
    try:
        error_log.append_to_log(text)
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
        box.setText(f"Something went wrong: {error_log.summary(error)}")
        if failure is None:
            box.setInformativeText(f"The full report was added to {error_log.log_path()}")
        else:
            box.setInformativeText(
                f"The report could not be written to {error_log.log_path()} "
                f"({failure.strerror or failure}); it is under Show Details."
            )
            box.setDetailedText(error_log.report_text(error))
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


def log_error(error: BaseException) -> OSError | None:
    """Log an unexpected exception that was caught (from any thread) without showing it;
    the reason it could not be logged, if so. For an error the caller tells of itself
    once it can: a background job's, when its progress dialog has closed."""
    return _log(error, threading.current_thread().name)


def show_error(error: BaseException, failure: OSError | None = None) -> None:
    """Show the report of an error :func:`log_error` logged (``failure``: what it
    returned) once the GUI thread's event loop is back, as an uncaught one is shown."""
    if _reporter is not None:
        _reporter.show_requested.emit(error, failure)  # queued, even from the GUI thread


def report_error(error: BaseException) -> None:
    """Log and show an unexpected exception that was caught (from any thread).

    Without an installed hook the report goes to the log and stderr only.
    """
    if _reporter is not None:
        _reporter.handle(error)
    else:
        _log(error, threading.current_thread().name)
