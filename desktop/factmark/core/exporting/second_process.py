"""A large export written by two processes: this one and a second one started for it.

A format opts in with ``SECOND_PROCESS = True`` and ``open_share(share, context)``, and its
writer with ``share()``, ``close()``, ``fits(state)``, ``take(state)`` and ``drop(state)``
(brat, CoNLL, attribution, sentences and XMI do). When the selected texts are large enough
for it to pay (:data:`FROM_BYTES`), the documents are cut in two at an id, by the size of
their texts, so that both processes finish together: this process exports the first ones
as it would alone, while a second process, the same program started with a hidden command
(:data:`COMMAND`; frozen, the bundle's own program), opens the project read-only and
exports the rest with the same selection, split, pseudonyms and options, its writers
writing where this process's writers told it to (``share()``: a CoNLL or attribution
file's lines to a file beside it (:func:`part_beside`), brat's files into the folder being
filled, the sentences export's spool beside its output, numbered and labelled here, an XMI
zip's members to a file beside it, their records reported for the zip's one central
directory). Once it has ended, each writer takes its part after its own (``take``) and
finishes as it always does, so the output is the one one process writes, put in place at
once.

The second process reads the project as it is when it starts: a change saved in the window
while the export runs can reach its documents though the first process began reading
before it. A second process knows nothing of the documents before its own: a writer whose
choices depend on them (brat's file names and attributes, XMI's member and feature names
and the order its features were met) reports its choices and ``fits`` checks them; should
they differ, the second process's documents are written again here.
A second process that fails makes the export fail with its one-line reason; a cancel or
Ctrl-C stops it; either way nothing of either process is left (the second process is
started, watched and stopped by :mod:`factmark.core.two_processes`).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any, Protocol

from factmark.core import two_processes
from factmark.core.exporting.base import (
    ExportContext,
    PartCounts,
    Selection,
    Split,
    Writer,
    iter_records,
)
from factmark.core.project import Project
from factmark.core.two_processes import IDS

# The hidden command a second process runs: ``factmark _export-part FOLDER``.
COMMAND = "_export-part"
# Selected texts of fewer bytes (UTF-8) than this are exported by one process: a second
# one reads its job 0.2-0.3 s after it is started (0.1-0.15 s of processor time) and then
# opens the project and reads its index of notes; 12 MB take CoNLL 1.6 s alone, brat 1.2 s.
# The texts' bytes are shared evenly: what the first does besides (reading the sizes,
# taking the second's part) took about what the second's start takes (CoNLL, 100,000
# articles).
FROM_BYTES = 12_000_000


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


def part_beside(path: Path) -> str:
    """A new empty file beside the output ``path`` for a second process to write its part
    of it to (on the output's file system, so that appending it can be a kernel copy)."""
    descriptor, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".second")
    os.close(descriptor)
    return name


def cut(project: Project, selection: Selection, share: float = 0.5) -> int | None:
    """The id from which a second process exports the selected documents, this process
    taking about ``share`` of their texts' bytes (a format whose writer does more once
    every document is seen, in this process alone, sets its ``FIRST_SHARE`` below half),
    or None when their texts are too few bytes for it to pay."""
    return two_processes.cut(project, sorted(selection.statuses), FROM_BYTES, share)


class SecondProcess:
    """A second process exporting the documents from id ``first`` on."""

    def __init__(self, first: int, process: two_processes.SecondProcess) -> None:
        self.ids = range(first, IDS)
        self.own = range(-IDS, first)
        self.process = process

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
        return cls(first, two_processes.SecondProcess.start("export", COMMAND, job))

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
            result = self.process.result(cancelled)
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

    def stop(self) -> None:
        """End the second process (when it still runs) and remove what it was given."""
        self.process.stop()


# -- the second process ----------------------------------------------------------------


def run(folder: str) -> int:
    """``factmark _export-part FOLDER``: export the part the job in FOLDER describes;
    what it chose and counted (or why it failed) goes to FOLDER/result.json."""
    return two_processes.serve(folder, _export_part)


def _export_part(job: dict[str, Any], _folder: Path) -> dict[str, Any]:
    from factmark.core.exporting import FORMATS, contexts_for, record_adder
    from factmark.core.exporting.pseudonyms import OPTION, Pseudonyms

    with two_processes.read_only(job["project"]) as project:
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
            for record in iter_records(project, selection, range(job["first"], IDS)):
                add(record)
        finally:
            states = [[name, writer.close()] for name, writer in writers.items()]
    return {
        "parts": states,
        "counts": [[name, part.as_data()] for name, part in counts.items()],
    }
