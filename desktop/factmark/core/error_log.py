"""The log of unexpected errors, ``factmark.log`` in the user's data folder.

A bug must leave its whole traceback where it can be found, whatever met it: the
window's error reports (``ui.errors``) and an import's file that a reader could not
read (``importing.import_file``) append here. The log stays bounded: past
:data:`MAX_LOG_BYTES` it moves aside to ``factmark.log.1`` (replacing an older one).
"""

from __future__ import annotations

import os
import threading
import traceback
from datetime import datetime
from pathlib import Path

from factmark import __version__
from factmark.core.workspace import APP_NAME, data_dir

LOG_NAME = "factmark.log"
# Past this size the log moves aside to factmark.log.1 (replacing an older one), so
# the two together stay near twice this.
MAX_LOG_BYTES = 1_000_000
# One report longer than this (an exception holding a huge text) keeps its two ends.
MAX_REPORT_CHARS = 100_000
MAX_SUMMARY_CHARS = 200

_log_lock = threading.Lock()


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


def report_text(error: BaseException, thread: str | None = None) -> str:
    """The report the log keeps of ``error``: a header (when, which version, on what,
    in which thread) then its traceback, cut in the middle past
    :data:`MAX_REPORT_CHARS`."""
    import platform  # here: its import compiles nine regular expressions, at every start

    stamp = datetime.now().astimezone().isoformat(timespec="seconds")
    header = (
        f"==== {stamp}  {APP_NAME} {__version__}  Python {platform.python_version()} "
        f"on {platform.platform()}  thread {thread or threading.current_thread().name}\n"
    )
    body = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    if len(body) > MAX_REPORT_CHARS:
        half = MAX_REPORT_CHARS // 2
        left_out = len(body) - 2 * half
        body = f"{body[:half]}\n[… {left_out} characters left out …]\n{body[-half:]}"
    return header + body + "\n"


def append_to_log(text: str) -> None:
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


def log_error(error: BaseException) -> OSError | None:
    """Append ``error``'s report to the log (nowhere else); the reason it could not be
    written, if so."""
    try:
        append_to_log(report_text(error))
    except OSError as failure:
        return failure
    return None


def told(error: BaseException, failure: OSError | None) -> str:
    """``error`` in one line, then where its full report is (``failure``: why it could
    not be written, from :func:`log_error`), e.g. ``RuntimeError: boom (the full report
    is in ~/.local/share/Factmark/factmark.log)``."""
    where = (
        f"the full report is in {log_path()}"
        if failure is None
        else f"its report could not be written to {log_path()}: {failure.strerror or failure}"
    )
    return f"{summary(error)} ({where})"
