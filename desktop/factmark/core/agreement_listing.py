"""Every span disagreement of a project, a batch of documents at a time, and the
agreement JSON written as they are found (``factmark agree --json``).

An archive has hundreds of thousands of disagreements, each with every annotator's
version: held whole as Python objects they took ten times the memory of the figures
themselves. Here they are read a batch of documents at a time (``BATCH`` of them:
:mod:`factmark.core.agreement_scan`), in document id order, and each batch is written out
before the next is read. A project whose texts come to ``FROM_BYTES`` or more
(:mod:`factmark.core.agreement`) has the disagreements of its later documents laid out by
a second process meanwhile, into a file of its own that is copied out after this
process's (the list is made in Python, one processor's work: two take about half the time).
"""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from factmark.core import agreement, two_processes
from factmark.core.agreement_links import compared, span_disagreements
from factmark.core.agreement_scan import EVERY_ID, Codes, read_batches
from factmark.core.project import Project
from factmark.core.two_processes import IDS

# The JSON's layout: that of ``orjson.dumps(figures, option=OPTION)``, to the byte.
OPTION = orjson.OPT_INDENT_2
# The key the disagreements are listed under, and that of their counts (after it).
LISTED = "disagreements"
COUNTS = "disagreement_counts"
# Before the first item of a list that is a member of the top object, and between items.
FIRST, BETWEEN = b"\n    ", b",\n    "
# The hidden command of the second process: ``factmark _agree-list FOLDER``.
COMMAND = "_agree-list"
# The file it lays its disagreements out in, in its folder.
LAID = "disagreements.part"
# The share of the texts' bytes whose disagreements this process lists: after its own, it
# writes every document's row (100,000 of them 1.9 s) and copies the second's out, so that
# it is given less (at 100,000 articles 0.53 of them took it 1 s longer than the second).
SHARE = 0.46


@dataclass(frozen=True)
class Laid:
    """Disagreements laid out in a file (by :func:`lay_out`), with their counts by label."""

    path: Path
    counts: dict[str, int]


Part = list[dict[str, Any]] | Laid


def span_disagreement_batches(
    project: Project, ids: range = EVERY_ID
) -> Iterator[list[dict[str, Any]]]:
    """The span disagreements of the project's compared documents with ids in ``ids`` (as
    :func:`factmark.core.agreement_links.span_disagreements` gives them), one list per
    batch of documents read, in document id order: the order ``agreement(project)`` lists
    them in."""
    labels = [label.name for label in project.labels()]
    for batch in read_batches(project, Codes(labels), Codes([]), True, ids):
        yield [entry for one in compared(batch) for entry in span_disagreements(one)]


def span_disagreement_parts(project: Project) -> Iterator[Part]:
    """Every span disagreement of the project, in document id order: lists of them, and
    for a large project, last, those of its later documents :class:`Laid` out by a
    second process started first. Close the iterator when stopping before its end (the
    second process is stopped and its folder removed)."""
    first = two_processes.cut(project, [], agreement.FROM_BYTES, SHARE)
    if first is None:
        yield from span_disagreement_batches(project)
        return
    job = {"project": str(project.path), "first": first}
    second = two_processes.SecondProcess.start("agreement", COMMAND, job)
    try:
        yield from span_disagreement_batches(project, range(-IDS, first))
        result = second.result()
        yield Laid(second.folder / result["file"], result["counts"])
    finally:
        second.stop()


def run_second_part(folder: str) -> int:
    """``factmark _agree-list FOLDER``: lay out the disagreements the job in FOLDER gives."""
    return two_processes.serve(folder, _second_part)


def _second_part(job: dict[str, Any], folder: Path) -> dict[str, Any]:
    """In a second process: the span disagreements of the documents from id ``first`` on,
    laid out in a file in ``folder``, and their counts by label."""
    with two_processes.read_only(job["project"]) as project, open(folder / LAID, "wb") as out:
        counts = lay_out(span_disagreement_batches(project, range(job["first"], IDS)), out)
    return {"file": LAID, "counts": counts}


def lay_out(parts: Iterable[list[dict[str, Any]]], out: BinaryIO) -> dict[str, int]:
    """Write the entries of ``parts`` to ``out`` as items of the ``"disagreements"`` list
    (each indented to its place, a comma and line break between them, none around);
    their counts by label."""
    counted: Counter[str] = Counter()
    written = False
    for part in parts:
        if part:
            out.write(BETWEEN if written else b"")
            out.write(_items(part))
            counted.update(entry["label"] for entry in part)
            written = True
    return dict(counted)


def write_json(figures: dict[str, Any], spans: Iterable[Part], out: BinaryIO) -> None:
    """Write to ``out`` the JSON of ``figures`` with the span disagreements of ``spans``
    listed first under ``"disagreements"``, each part written as it comes.

    ``figures`` is ``agreement(project, streamed=True)``: its ``"disagreements"`` hold the
    links' and attributes' only, its ``"documents"`` is an iterator of lists of rows, and
    ``disagreement_counts["spans"]`` is counted here from the span disagreements written
    (as ``agreement(project)`` counts them from its list). The bytes are those of
    ``orjson.dumps(agreement(project), option=OPTION) + b"\\n"``, with no list whole in
    memory: each member is dumped on its own, and a list given as parts is dumped a part
    at a time, each part indented to its place in the whole (a JSON string holds no line
    break, so every line break in a part is one of its layout's).
    """
    counted: Counter[str] = Counter()
    for number, (key, value) in enumerate(figures.items()):
        out.write(b"{\n" if number == 0 else b",\n")
        if key == LISTED:
            value = chain(_counting(spans, counted), [value])
        elif key == COUNTS:  # after the list: every span disagreement is counted by now
            value = {**value, "spans": dict(sorted(counted.items()))}
        if isinstance(value, Iterator):
            _write_list(key, value, out)
        else:
            out.write(orjson.dumps({key: value}, option=OPTION)[2:-2])
    out.write(b"\n}\n" if figures else b"{}\n")


def _write_list(key: str, parts: Iterator[Part], out: BinaryIO) -> None:
    """``key`` and the list of the items of ``parts``, as a member of the top object."""
    out.write(b"  " + orjson.dumps(key) + b": [")
    written = False
    for part in parts:
        if isinstance(part, Laid):
            with open(part.path, "rb") as laid:
                if not laid.read(1):
                    continue
                laid.seek(0)
                out.write(BETWEEN if written else FIRST)
                shutil.copyfileobj(laid, out, 1 << 20)
        elif part:
            out.write(BETWEEN if written else FIRST)
            out.write(_items(part))
        else:
            continue
        written = True
    out.write(b"\n  ]" if written else b"]")


def _items(part: list[Any]) -> bytes:
    """The items of ``part`` as they stand in a list that is a member of the top object,
    without :data:`FIRST` before the first."""
    # "[\n" and "\n]" left out; two spaces more before each line
    return orjson.dumps(part, option=OPTION)[4:-2].replace(b"\n", b"\n  ")


def _counting(parts: Iterable[Part], counted: Counter[str]) -> Iterator[Part]:
    """``parts`` as they come, each entry counted by label into ``counted``."""
    for part in parts:
        if isinstance(part, Laid):
            counted.update(part.counts)
        else:
            counted.update(entry["label"] for entry in part)
        yield part
