"""A large export written by two processes: this one and a second one started for it.

A format opts in with ``SECOND_PROCESS = True`` and ``open_share(share, context)``, and its
writer with ``share()``, ``close()``, ``fits(state)``, ``take(state)`` and ``drop(state)``
(brat and CoNLL do). When the selected texts are large enough for it to pay
(:data:`FROM_BYTES`), the documents are cut in two at an id, by the size of their texts, so
that both processes finish together: this process exports the first ones as it would
alone, while a second process, the same program started with a hidden command
(:data:`COMMAND`; frozen, the bundle's own program), opens the project read-only and
exports the rest with the same selection, split, pseudonyms and options, its writers
writing where this process's writers told it to (``share()``: a CoNLL file's lines to a
file beside it, brat's files into the folder being filled). Once it has ended, each writer
takes its part after its own (``take``) and finishes as it always does, so the output is
the one one process writes, put in place at once.

The second process reads the project as it is when it starts: a change saved in the window
while the export runs can reach its documents though the first process began reading
before it. A second process knows nothing of the documents before its own: a writer whose
choices depend on them (brat's file names and attributes) reports its choices and ``fits``
checks them; should they differ, the second process's documents are written again here.
A second process that fails makes the export fail with its one-line reason; a cancel or
Ctrl-C stops it; either way nothing of either process is left.
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
from collections.abc import Callable, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any, Protocol

import orjson

from factmark.core.exporting.base import (
    ExportContext,
    PartCounts,
    Selection,
    Split,
    Writer,
    iter_records,
)
from factmark.core.project import Project, ProjectError

# The hidden command a second process runs: ``factmark _export-part FOLDER``.
COMMAND = "_export-part"
# Selected texts of fewer bytes (UTF-8) than this are exported by one process: a second
# one reads its job 0.2-0.3 s after it is started (0.1-0.15 s of processor time) and then
# opens the project and reads its index of notes; 12 MB take CoNLL 1.6 s alone, brat 1.2 s.
# The texts' bytes are shared evenly: what the first does besides (reading the sizes,
# taking the second's part) took about what the second's start takes (CoNLL, 100,000
# articles).
FROM_BYTES = 12_000_000
# Sizes of this many documents, evenly spread, place the cut.
_SAMPLES = 512
# Every id SQLite can give a row is in range(-_IDS, _IDS).
_IDS = 2**63


class Sharing(Writer, Protocol):
    """A writer whose output a second process can write a part of (see the module)."""

    def share(self) -> dict[str, Any]:
        """Where the second process writes (JSON values for its ``open_share``)."""

    def close(self) -> dict[str, Any]:
        """In the second process: its part complete; what it chose and counted."""

    def fits(self, state: dict[str, Any]) -> bool:
        """Whether the part described by ``state`` is what this writer would have written."""

    def take(self, state: dict[str, Any]) -> None:
        """The part written by the second process, after this writer's own."""

    def drop(self, state: dict[str, Any]) -> None:
        """Remove the part written by the second process."""


class SecondProcessFailed(OSError):
    """The second process of an export stopped without finishing its part."""


class Cancelled(Exception):
    """The export was cancelled while the second process was writing."""


def cut(project: Project, selection: Selection) -> int | None:
    """The id from which a second process exports the selected documents, or None when
    their texts are too few bytes for it to pay."""
    sampled = project.text_sizes(sorted(selection.statuses), _SAMPLES)
    total = sum(size * documents for _, size, documents in sampled)
    if total < FROM_BYTES or len(sampled) < 2:
        return None
    mine, done = total / 2, 0
    for first, size, documents in sampled[:-1]:
        if done >= mine:
            return first
        done += size * documents
    return sampled[-1][0]


class SecondProcess:
    """A second process exporting the documents from id ``first`` on."""

    def __init__(self, first: int, folder: Path, child: subprocess.Popen[bytes]) -> None:
        self.ids = range(first, _IDS)
        self.own = range(-_IDS, first)
        self.folder = folder
        self.child = child

    @classmethod
    def start(
        cls,
        project: Project,
        fmt: str,
        selection: Selection,
        options: Mapping[str, str],
        has_relations: bool,
        split: Split | None,
        groups: Mapping[str, str] | None,
        writers: Mapping[str | None, Sharing],
        first: int,
    ) -> SecondProcess:
        """Start the second process for the documents from id ``first`` on."""
        folder = Path(tempfile.mkdtemp(prefix="factmark-export-"))
        try:
            job = {
                "project": str(project.path),
                "format": fmt,
                "statuses": sorted(selection.statuses),
                "labels": sorted(selection.labels),
                "annotators": sorted(selection.annotators),
                "majority": selection.majority,
                "options": dict(options),
                "has_relations": has_relations,
                "split": None if split is None else [list(split.parts), split.seed],
                "groups": groups,
                "first": first,
                "shares": [[name, writer.share()] for name, writer in writers.items()],
            }
            (folder / "job.json").write_bytes(orjson.dumps(job))
            with open(folder / "errors.txt", "wb") as errors:
                child = subprocess.Popen(
                    [*_program(), COMMAND, str(folder)],
                    stdin=subprocess.PIPE,  # closed when this process ends: the second stops
                    stdout=subprocess.DEVNULL,
                    stderr=errors,
                    env=_environment(),
                    creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),
                )
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        return cls(first, folder, child)

    def join(
        self,
        writers: Mapping[str | None, Sharing],
        counts: Mapping[str | None, PartCounts],
        cancelled: Callable[[], bool] | None,
        again: Callable[[range], None],
    ) -> None:
        """Wait for the second process, then give each writer its part (or, should a
        writer's choices differ, write its documents here with ``again``)."""
        try:
            while True:
                try:
                    code = self.child.wait(0.05)
                    break
                except subprocess.TimeoutExpired:
                    if cancelled is not None and cancelled():
                        raise Cancelled from None
            result = self._result(code)
            states = {name: state for name, state in result["parts"]}
            if all(writer.fits(states[name]) for name, writer in writers.items()):
                for name, writer in writers.items():
                    writer.take(states[name])
                for name, data in result["counts"]:
                    counts[name].add_counts(data)
            else:
                for name, writer in writers.items():
                    writer.drop(states[name])
                again(self.ids)
        finally:
            self.stop()

    def _result(self, code: int) -> dict[str, Any]:
        try:
            result: dict[str, Any] = orjson.loads((self.folder / "result.json").read_bytes())
        except (OSError, orjson.JSONDecodeError):
            result = {}
        if code == 0 and "parts" in result:
            return result
        error = result.get("error")
        if error is None:
            error = f"the second export process stopped ({_ended(code)})"
            lines = (self.folder / "errors.txt").read_bytes().decode("utf-8", "replace")
            last = lines.strip().splitlines()[-1:]
            if last:
                error += f": {last[0][:300]}"
            raise SecondProcessFailed(error)
        if result.get("project"):
            raise ProjectError(error)
        raise SecondProcessFailed(result.get("errno") or 0, error)

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


def run(folder: str) -> int:
    """``factmark _export-part FOLDER``: export the part the job in FOLDER describes;
    what it chose and counted (or why it failed) goes to FOLDER/result.json."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the first process stops this one
    _stop_with_the_first()
    place = Path(folder)
    try:
        result: dict[str, Any] = _export_part(orjson.loads((place / "job.json").read_bytes()))
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


def _export_part(job: dict[str, Any]) -> dict[str, Any]:
    from factmark.core.exporting import FORMATS, contexts_for, record_adder
    from factmark.core.exporting.pseudonyms import OPTION, Pseudonyms

    # The first process has opened and checked the project: only read it.
    with Project.open(
        job["project"], create=False, readonly=True, check_rows=False, check_pages=False
    ) as project:
        selection = Selection(
            frozenset(job["statuses"]),
            frozenset(job["labels"]),
            frozenset(job["annotators"]),
            majority=job["majority"],
        )
        module: ModuleType = FORMATS[job["format"]]
        names = [name for name, _ in job["shares"]]
        contexts: dict[str | None, ExportContext] = contexts_for(
            project, selection, names, job["options"], job["has_relations"]
        )
        writers: dict[str | None, Sharing] = {
            name: module.open_share(share, contexts[name]) for name, share in job["shares"]
        }
        split = None
        if job["split"] is not None:
            parts, seed = job["split"]
            split = Split(tuple((name, fraction) for name, fraction in parts), seed)
        pseudonyms = Pseudonyms.of(project) if job["options"].get(OPTION) else None
        counts = {name: PartCounts() for name in names}
        add = record_adder(split, job["groups"], pseudonyms, writers, counts)
        try:
            for record in iter_records(project, selection, range(job["first"], _IDS)):
                add(record)
        finally:
            states = [[name, writer.close()] for name, writer in writers.items()]
    return {
        "parts": states,
        "counts": [[name, part.as_data()] for name, part in counts.items()],
    }
