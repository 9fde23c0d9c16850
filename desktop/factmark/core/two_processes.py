"""Work shared with a second process of this same program, started for it.

A large export (:mod:`factmark.core.exporting.second_process`) and a large project's
agreement figures (:mod:`factmark.core.agreement`) cut the project's documents in two
at an id (:func:`cut`, by the size of their texts, so that both processes finish
together): this process takes the first ones, a second process the rest. The second one
is the same program started with a hidden command (frozen, the bundle's own program),
given a folder of its own (``job.json`` in; ``result.json`` out, put in place by rename
once everything it wrote is), which opens the project read-only. It stops when this
process ends (its standard input, a pipe from this process, closes), and this process
stops it on any failure, a cancel or Ctrl-C; a second process that fails makes the work
fail with its one-line reason. Nothing of either process is left.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

from factmark.core.project import Project, ProjectError

# Every id SQLite can give a row is in range(-IDS, IDS).
IDS = 2**63
# Sizes of this many documents, evenly spread, place the cut.
_SAMPLES = 512


class SecondProcessFailed(OSError):
    """The second process stopped without finishing its part."""


class Cancelled(Exception):
    """The work was cancelled while the second process was at it."""


def cut(project: Project, statuses: list[str], from_bytes: int, share: float = 0.5) -> int | None:
    """The id from which a second process takes the documents with these statuses (all
    when empty), so that this process takes about ``share`` of their texts' bytes; None
    when their texts are fewer than ``from_bytes`` bytes (UTF-8), too few for a second
    process to pay."""
    sampled = project.text_sizes(statuses, _SAMPLES)
    total = sum(size * documents for _, size, documents in sampled)
    if total < from_bytes or len(sampled) < 2:
        return None
    mine, done = total * share, 0
    for first, size, documents in sampled[:-1]:
        if done >= mine:
            return first
        done += size * documents
    return sampled[-1][0]


class SecondProcess:
    """A second process at the part of the work its job describes."""

    def __init__(self, what: str, folder: Path, child: subprocess.Popen[bytes]) -> None:
        self.what = what
        self.folder = folder
        self.child = child

    @classmethod
    def start(cls, what: str, command: str, job: dict[str, Any]) -> SecondProcess:
        """Start ``factmark COMMAND FOLDER`` with ``job`` in FOLDER/job.json; ``what``
        names the work in its failures (``export``: "the second export process ...")."""
        folder = Path(tempfile.mkdtemp(prefix=f"factmark-{what}-"))
        try:
            (folder / "job.json").write_bytes(orjson.dumps(job))
            with open(folder / "errors.txt", "wb") as errors:
                child = subprocess.Popen(
                    [*_program(), command, str(folder)],
                    stdin=subprocess.PIPE,  # closed when this process ends: the second stops
                    stdout=subprocess.DEVNULL,
                    stderr=errors,
                    env=_environment(),
                    creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),
                )
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        return cls(what, folder, child)

    def result(self, cancelled: Callable[[], bool] | None = None) -> dict[str, Any]:
        """What the second process made of its job, once it has ended (raising its
        failure, or :class:`Cancelled` once ``cancelled()`` is true); what it wrote
        besides stays in :attr:`folder` until :meth:`stop`."""
        code = self.child.wait() if cancelled is None else self._ended(cancelled)
        try:
            result: dict[str, Any] = orjson.loads((self.folder / "result.json").read_bytes())
        except (OSError, orjson.JSONDecodeError):
            result = {}
        if code == 0 and "error" not in result and result:
            return result
        error = result.get("error")
        if error is None:
            error = f"the second {self.what} process stopped ({_ended(code)})"
            lines = (self.folder / "errors.txt").read_bytes().decode("utf-8", "replace")
            last = lines.strip().splitlines()[-1:]
            if last:
                error += f": {last[0][:300]}"
            raise SecondProcessFailed(error)
        if result.get("project"):
            raise ProjectError(error)
        raise SecondProcessFailed(result.get("errno") or 0, error)

    def _ended(self, cancelled: Callable[[], bool]) -> int:
        """The second process's exit code once it has ended, ``cancelled()`` looked at
        every 50 ms meanwhile (:class:`Cancelled` once it is true)."""
        while True:
            try:
                return self.child.wait(0.05)
            except subprocess.TimeoutExpired:
                if cancelled():
                    raise Cancelled from None

    def stop(self) -> None:
        """End the second process (when it still runs) and remove what it was given."""
        if self.child.poll() is None:
            self.child.kill()
        if self.child.stdin is not None:
            with contextlib.suppress(OSError):
                self.child.stdin.close()
        self.child.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


def _ended(code: int) -> str:
    if code < 0:
        with contextlib.suppress(ValueError):
            return f"ended by signal {signal.Signals(-code).name}"
    return f"exit code {code}"


def _program() -> list[str]:
    """How to start this program: frozen, the bundle's own executable."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    return [sys.executable, "-m", "factmark"]


def _environment() -> dict[str, str]:
    """This process's environment, with the folder this ``factmark`` was imported from
    first on the module path (a checkout may be imported through ``sys.path``)."""
    environment = dict(os.environ)
    if not getattr(sys, "frozen", False):
        import factmark

        source = str(Path(factmark.__file__).resolve().parent.parent)
        paths = environment.get("PYTHONPATH", "")
        environment["PYTHONPATH"] = os.pathsep.join(filter(None, [source, paths]))
    return environment


# -- the second process ----------------------------------------------------------------


def serve(folder: str, work: Callable[[dict[str, Any], Path], dict[str, Any]]) -> int:
    """In the second process: ``work(job, FOLDER)`` for the job in FOLDER; what it
    returns (JSON values, not empty), or why it failed, goes to FOLDER/result.json."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the first process stops this one
    _stop_with_the_first()
    place = Path(folder)
    try:
        result = work(orjson.loads((place / "job.json").read_bytes()), place)
        code = 0
    except ProjectError as error:
        result, code = {"error": str(error), "project": True}, 1
    except OSError as error:
        where = f"{error.filename}: " if error.filename else ""
        result = {"error": f"{where}{error.strerror or error}", "errno": error.errno}
        code = 1
    except Exception as error:  # said in one line by the first process
        result, code = {"error": f"{type(error).__name__}: {error}"}, 1
    with contextlib.suppress(OSError):
        (place / "result.part").write_bytes(orjson.dumps(result))
        os.replace(place / "result.part", place / "result.json")
    return code


def _stop_with_the_first() -> None:
    """Exit when the first process ends (its end of standard input closes) before this
    one has finished: nothing would take what it writes. Where there is no standard input
    to read (a program without a console may be given none), the first process's end
    goes unseen: it stops this one itself when it fails or is cancelled."""

    def watch() -> None:
        try:
            while os.read(0, 1 << 12):
                pass
        except (OSError, ValueError):
            return
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def read_only(path: str) -> Project:
    """The project of a job, opened to read only: the first process has opened and
    checked it."""
    return Project.open(path, create=False, readonly=True, check_rows=False, check_pages=False)
