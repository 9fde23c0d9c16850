"""What every export writer shares: selection, split, records, results and atomic output.

A format is one module with ``NAME``, ``SUFFIX`` (``""`` for a folder), ``DESCRIPTION``
and ``open_writer(path, context) -> Writer``; the registry in ``__init__`` lists them.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import gc
import os
import shutil
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import orjson

from factmark.core.model import GOLD, STATUSES, Label, ValidationError
from factmark.core.outputs import check_export_output
from factmark.core.project import Project, SpanRow
from factmark.core.text import counted

if TYPE_CHECKING:
    from factmark.core.exporting.grouping import GroupPlan


@dataclass(frozen=True)
class Selection:
    """Which documents and spans go into an export.

    Empty sets mean "no filter"; by default only documents marked done are exported,
    since unfinished ones would teach a model that unmarked text is not a claim.
    """

    statuses: frozenset[str] = frozenset({"done"})
    labels: frozenset[str] = frozenset()
    annotators: frozenset[str] = frozenset()
    majority: bool = False  # keep spans that most of a document's annotators made

    @property
    def gold_only(self) -> bool:
        """The gold layer alone is asked for: then only documents adjudicated (with at
        least one gold span) are exported, since a document nobody adjudicated would
        teach a model that nothing in it is a claim."""
        return self.annotators == {GOLD} and not self.majority

    def check(self, project: Project) -> None:
        """Raise ValidationError for a status, label or annotator the project does not know."""
        for status in self.statuses - set(STATUSES):
            raise ValidationError(f"unknown status {status!r} (use {', '.join(STATUSES)})")
        known = {label.name for label in project.labels()}
        for label in self.labels - known:
            raise ValidationError(
                f"unknown label {label!r} (project labels: {', '.join(sorted(known))})"
            )
        if not self.annotators:
            return  # no annotator asked for: no need to read every span's
        annotators = project.annotators()
        for annotator in sorted(self.annotators - set(annotators)):
            known_names = ", ".join(annotators) or "none"
            raise ValidationError(f"no spans by {annotator!r} (annotators: {known_names})")


@dataclass(frozen=True)
class Split:
    """Documents divided into named parts (train/dev/test) by a seeded hash of their uid.

    A document's part depends only on its uid and the seed, so the same seed gives
    the same split, and adding documents never moves the ones already placed.
    """

    parts: tuple[tuple[str, float], ...]
    seed: int = 0
    # The export is refused (nothing written) when a part would get fewer documents.
    min_per_part: int = 0
    # A metadata field: documents sharing its value go to one part (see ``grouping``).
    by: str | None = None

    @classmethod
    def parse(cls, text: str, seed: int = 0, min_per_part: int = 0, by: str | None = None) -> Split:
        """``"train=0.8,dev=0.1,test=0.1"`` -> a Split; the fractions must add up to 1.
        ``by`` is ``meta.FIELD`` (or None for a split by document)."""
        if by is not None:
            from factmark.core.exporting.grouping import field_name

            by = field_name(by)
        if min_per_part < 0:
            raise ValidationError(
                f"the least documents per part must be 0 or more, not {min_per_part}"
            )
        parts = []
        for item in text.split(","):
            name, _, value = item.partition("=")
            name = name.strip()
            try:
                fraction = float(value)
            except ValueError:
                raise ValidationError(
                    f"bad split part {item.strip()!r}: write NAME=FRACTION, e.g. train=0.8"
                ) from None
            if not name.isidentifier() or not 0 <= fraction <= 1:
                raise ValidationError(f"bad split part {item.strip()!r}: write NAME=FRACTION")
            parts.append((name, fraction))
        if len({name for name, _ in parts}) != len(parts):
            raise ValidationError("each split part needs its own name")
        if abs(sum(f for _, f in parts) - 1) > 1e-6:
            raise ValidationError(f"split fractions add up to {sum(f for _, f in parts):g}, not 1")
        return cls(tuple(parts), seed, min_per_part, by)

    def part_of(self, uid: str) -> str:
        """The part a document belongs to."""
        import hashlib  # a split's only: loading OpenSSL's hashes takes milliseconds

        digest = hashlib.sha256(f"{self.seed}:{uid}".encode()).digest()
        point = int.from_bytes(digest[:8], "big") / 2**64
        total = 0.0
        for name, fraction in self.parts:
            total += fraction
            if point < total:
                return name
        return self.parts[-1][0]

    def describe(self) -> str:
        """As the user wrote it: ``train=0.8,dev=0.1,test=0.1``."""
        return ",".join(f"{name}={fraction:g}" for name, fraction in self.parts)


class SplitTooSmall(ValidationError):
    """A split part would get fewer documents than ``Split.min_per_part``; nothing written."""


@dataclass
class ExportContext:
    """What a writer may need beyond the records: labels, relation types and options."""

    labels: list[Label]
    relation_types: list[str]
    options: dict[str, str] = field(default_factory=dict)
    has_relations: bool = False
    part: str | None = None
    notes: list[str] = field(default_factory=list)  # writers report adjustments here
    # One dict for the writers of every part of an export (export() passes the same one):
    # what a format must decide for the whole export (spaCy's tokenizer) is decided there.
    shared: dict[str, Any] = field(default_factory=dict)
    # Values the dataset card's loading instructions need (spaCy's `--lang`), shared too.
    card_values: dict[str, str] = field(default_factory=dict)
    # True once the export is cancelled (a writer that works long in finish() looks).
    cancelled: Callable[[], bool] | None = None
    # What the output holds besides its documents when it is not their spans and links:
    # noun -> number (claimreview's reviews), set by finish(); the export's messages
    # count these (see HOLDS).
    written: dict[str, int] = field(default_factory=dict)


class Writer(Protocol):
    """One output (a file or a folder) being written; nothing is in place until finish()."""

    def add(self, record: dict[str, Any]) -> None:
        """Write one document record (as iter_records makes them)."""

    def finish(self) -> list[Path]:
        """Put the complete output in place; returns the files written."""

    def discard(self) -> None:
        """Throw away what was written (the export failed)."""


@dataclass
class PartCounts:
    """What went into one part of an export (or the whole export)."""

    documents: int = 0
    spans: int = 0
    relations: int = 0
    by_label: Counter[str] = field(default_factory=Counter)
    outlet_voiced: int = 0  # claims marked as the outlet's own voice (core.cues)
    fact_checked: int = 0  # claims linked to an earlier fact-check (``fact_check_url``)
    # attributed_to links by their quote value ("" for none marked)
    by_quote: dict[str, int] = field(default_factory=dict)
    written: dict[str, int] = field(default_factory=dict)  # the writer's (ExportContext)
    # Documents whose exported spans are by more than one annotator (pooled in them),
    # and those annotators -> how many such documents they have spans in.
    pooled: int = 0
    pooled_annotators: dict[str, int] = field(default_factory=dict)

    def add(self, record: dict[str, Any]) -> None:
        self.documents += 1
        self.spans += len(record["spans"])
        self.relations += len(record["relations"])
        names = set(map(_ANNOTATOR, record["spans"]))  # made in C: an export has many spans
        if len(names) > 1:
            names.discard(None)
            names.discard("")
            if len(names) > 1:
                self.pooled += 1
                for name in names:
                    self.pooled_annotators[name] = self.pooled_annotators.get(name, 0) + 1
        for relation in record["relations"]:
            if relation["label"] == "attributed_to":
                quote = relation["attrs"].get("quote", "")
                quote = quote if isinstance(quote, str) else ""
                self.by_quote[quote] = self.by_quote.get(quote, 0) + 1
        spans = record["spans"]
        self.by_label.update(map(_LABEL, spans))  # counted in C: an export has many spans
        for span in filter(_ATTRS, spans):
            if span["label"] == "claim":
                # cues brings the operations with it: loaded for a claim with attributes only
                from factmark.core.cues import is_outlet_voice

                if is_outlet_voice(span["attrs"]):
                    self.outlet_voiced += 1
                if span["attrs"].get("fact_check_url"):
                    self.fact_checked += 1

    def as_data(self) -> dict[str, Any]:
        """The counts as JSON values (a second process sends its part's)."""
        return {**self.__dict__, "by_label": dict(self.by_label)}

    def add_counts(self, data: dict[str, Any]) -> None:
        """Add counts made by :meth:`as_data` of documents after this part's own."""
        self.documents += data["documents"]
        self.spans += data["spans"]
        self.relations += data["relations"]
        self.by_label.update(data["by_label"])
        self.outlet_voiced += data["outlet_voiced"]
        self.fact_checked += data["fact_checked"]
        for quote, number in data["by_quote"].items():
            self.by_quote[quote] = self.by_quote.get(quote, 0) + number
        self.pooled += data["pooled"]
        for name, number in data["pooled_annotators"].items():
            self.pooled_annotators[name] = self.pooled_annotators.get(name, 0) + number


_LABEL = itemgetter("label")
_ANNOTATOR = itemgetter("annotator")
_ATTRS = itemgetter("attrs")

# What an export's messages count besides the documents, unless the format's module says
# otherwise in its own HOLDS: ``span`` and ``link`` are the exported records' spans and
# links, unless the writer counts them itself (CoNLL: the spans it could tag); any other
# noun is counted by the writer (ExportContext.written).
HOLDS = ("span", "link")


def wrote(
    documents: int, spans: int, links: int, written: dict[str, int], holds: Iterable[str]
) -> str:
    """What an export wrote, as its messages say it (the command line's and the
    window's alike): "6 documents, 5 spans and 1 link", "6 documents and 5 spans" for a
    format without links, "1 review from 6 documents" for one of its own units."""
    numbers = {"span": spans, "link": links}
    nouns = list(holds)
    things = [counted(written.get(noun, numbers.get(noun, 0)), noun) for noun in nouns]
    if set(nouns) <= set(numbers):
        return listed([counted(documents, "document"), *things])
    return f"{listed(things)} from {counted(documents, 'document')}"


def listed(things: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    return " and ".join(filter(None, [", ".join(things[:-1]), *things[-1:]]))


@dataclass
class ExportResult:
    """How much an export wrote and where."""

    path: Path
    documents: int = 0
    spans: int = 0
    relations: int = 0
    files: list[Path] = field(default_factory=list)
    outputs: dict[str, Path] = field(default_factory=dict)  # part ("all" unsplit) -> path
    parts: dict[str, PartCounts] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    card_values: dict[str, str] = field(default_factory=dict)  # see ExportContext
    # What the user must not miss (an empty split part): the CLI prints these on stderr.
    warnings: list[str] = field(default_factory=list)
    card: Path | None = None
    groups: GroupPlan | None = None  # a split by a metadata field: what each part holds
    holds: tuple[str, ...] = HOLDS  # what the format holds (its module's HOLDS)
    # A gold export: the selected documents left out for having no gold span.
    not_adjudicated: int = 0
    # Documents holding several annotators' spans side by side (see pooled_line), or "".
    pooled: str = ""
    written: dict[str, int] = field(default_factory=dict)  # over every part (ExportContext)

    def wrote(self) -> str:
        """What the export wrote, counted as its format holds it (see ``wrote``)."""
        return wrote(self.documents, self.spans, self.relations, self.written, self.holds)

    def part_wrote(self, part: str) -> str:
        """What one part of a split wrote, counted as the whole is."""
        counts = self.parts[part]
        return wrote(counts.documents, counts.spans, counts.relations, counts.written, self.holds)

    @property
    def empty_parts(self) -> list[str]:
        """The parts of a split that got no document (their outputs hold nothing)."""
        return [name for name, part in self.parts.items() if name != "all" and not part.documents]


def not_adjudicated(project: Project, selection: Selection) -> int:
    """How many documents of the selected statuses a gold export leaves out for having
    no gold span (0 for any other export)."""
    if not selection.gold_only:
        return 0
    statuses = sorted(selection.statuses)
    where = f"status IN ({', '.join('?' * len(statuses))}) AND " if statuses else ""
    row = project.conn.execute(
        f"SELECT count(*) FROM documents WHERE {where}NOT EXISTS "
        "(SELECT 1 FROM spans WHERE spans.document_id = documents.id AND annotator = ?)",
        [*statuses, GOLD],
    ).fetchone()
    return int(row[0])


def pooled_line(parts: Iterable[PartCounts], documents: int) -> str:
    """What an export's messages say when documents hold spans of several annotators side
    by side ("" when none does): how many, whose, and how to export one layer. Only for a
    format that loses whose span is whose (not one whose module says
    ``KEEPS_ANNOTATORS``)."""
    pooled = 0
    annotators: set[str] = set()
    for part in parts:
        pooled += part.pooled
        annotators.update(part.pooled_annotators)
    if not pooled:
        return ""
    names = sorted(annotators)
    shown = ", ".join(names[:5]) + (f" and {len(names) - 5:,} more" if len(names) > 5 else "")
    return (
        f"spans of {len(names):,} annotators ({shown}) pooled in {pooled:,} of "
        f"{counted(documents, 'document')}: each annotator's spans side by side, a claim "
        "once for every annotator who marked it; to export one layer, choose one annotator "
        "(--annotator NAME), the spans most annotators made (--majority) or the adjudicated "
        "layer (--annotator gold); in the window, Spans"
    )


def left_out_line(number: int) -> str:
    """What the messages of a gold export say of the documents it left out ("" none)."""
    if not number:
        return ""
    return (
        f"{counted(number, 'document')} without gold spans left out "
        "(not adjudicated: G in review mode puts spans in gold)"
    )


def majority_vote(spans: list[Any]) -> list[Any]:
    """One span per (start, end, label) that more than half of the document's annotators
    made (the gold layer and spans without an annotator do not vote), in text order."""
    voters = {s.annotator for s in spans if s.annotator and s.annotator != GOLD}
    votes: dict[tuple[int, int, str], set[str]] = {}
    first: dict[tuple[int, int, str], Any] = {}
    for span in spans:
        if span.annotator and span.annotator != GOLD:
            key = (span.start, span.end, span.label)
            votes.setdefault(key, set()).add(span.annotator)
            first.setdefault(key, span)
    return [first[key] for key in first if len(votes[key]) * 2 > len(voters)]


def iter_records(
    project: Project, selection: Selection, ids: range | None = None
) -> Iterator[dict[str, Any]]:
    """Documents in project order as Factmark records, spans numbered 1..n per document
    (only those whose id is in ``ids`` when given).

    Spans are in text order (outer before inner at the same start); relations
    point at those numbers. This order is what makes export -> import -> export
    byte-identical.
    """
    labels, annotators = selection.labels, selection.annotators
    gold_only = selection.gold_only
    for document, rows, relations in project.export_rows(sorted(selection.statuses), ids):
        # Rows as tuples (document_id, id, start, end, label, annotator, note, attrs):
        # unpacked, not named, since an export reads hundreds of thousands.
        if selection.majority:
            rows = majority_vote(list(map(SpanRow._make, rows)))
        if gold_only and not any(row[5] == GOLD for row in rows):
            continue  # not adjudicated: left out (counted by ``not_adjudicated``)
        if labels or annotators:
            rows = [
                row
                for row in rows
                if (not labels or row[4] in labels) and (not annotators or row[5] in annotators)
            ]
        text = document.text
        record = {
            "id": document.uid,
            "title": document.title,
            "text": text,
            "status": document.status,
            "meta": document.meta,
            "spans": [
                {
                    "id": number,
                    "start": start,
                    "end": end,
                    "label": label,
                    "text": text[start:end],
                    "annotator": annotator,
                    "note": note,
                    "attrs": orjson.loads(attrs) if attrs != "{}" else {},
                }
                for number, (_, _, start, end, label, annotator, note, attrs) in enumerate(
                    rows, start=1
                )
            ],
            "relations": [],
        }
        if relations:
            numbers = {row[1]: n for n, row in enumerate(rows, start=1)}
            record["relations"] = [
                {
                    "head": numbers[r.head_span_id],
                    "child": numbers[r.child_span_id],
                    "label": r.label,
                    "note": r.note,
                    "attrs": r.attrs,
                }
                for r in relations
                if r.head_span_id in numbers and r.child_span_id in numbers
            ]
        yield record


# Bytes written to a file at a time: an export writes tens of megabytes, a record of a
# few kilobytes at a time.
WRITE_BUFFER = 1 << 20


class AtomicFile:
    """A file written beside its final name and renamed into place when complete.

    A failed or interrupted export leaves no partial file under the final name, and
    an earlier file of that name stays as it was until the new one is complete.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        check_export_output(path)  # never onto a project (open or not) or its -wal/-shm
        path.parent.mkdir(parents=True, exist_ok=True)
        # Not a `with` block: the file must outlive it to be renamed into place.
        self.handle = tempfile.NamedTemporaryFile(  # noqa: SIM115
            dir=path.parent,
            prefix=f".{path.name}.",
            suffix=".part",
            delete=False,
            buffering=WRITE_BUFFER,
        )
        # The file itself: the wrapper looks each method up anew, call after call.
        self._file = self.handle.file

    def write(self, data: bytes) -> None:
        self._file.write(data)

    def append(self, path: Path) -> None:
        """Write the bytes of the file ``path`` after what was written so far (a part a
        second process wrote), copied by the kernel where it can."""
        self._file.flush()
        start = self._file.tell()
        with open(path, "rb") as source:
            try:
                while _copy_file_range(source.fileno(), self._file.fileno(), 1 << 30):
                    pass
            except OSError as error:  # not on this system or between these file systems
                if error.errno not in (errno.ENOSYS, errno.EXDEV, errno.EINVAL, errno.EPERM):
                    raise
                source.seek(0)
                self._file.seek(start)
                self._file.truncate()
                shutil.copyfileobj(source, self._file, WRITE_BUFFER)
        self._file.seek(0, os.SEEK_END)

    def finish(self) -> list[Path]:
        self.handle.flush()
        os.fsync(self.handle.fileno())
        self.handle.close()
        # Temporary files are private (0600); the export gets the usual permissions.
        os.chmod(self.handle.name, 0o666 & ~_umask())
        _place_now_or_with_the_rest(self)
        return [self.path]

    def place(self) -> None:
        """Move the complete file under its final name."""
        os.replace(self.handle.name, self.path)

    def discard(self) -> None:
        with contextlib.suppress(OSError):  # closing flushes, which fails on a full disk
            self.handle.close()
        Path(self.handle.name).unlink(missing_ok=True)


def _copy_file_range(source: int, target: int, count: int) -> int:
    """``os.copy_file_range`` (Linux), or OSError(ENOSYS) where Python has none."""
    copy = getattr(os, "copy_file_range", None)
    if copy is None:
        raise OSError(errno.ENOSYS, os.strerror(errno.ENOSYS))
    return int(copy(source, target, count))


_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)
_OPEN_AT = os.open in os.supports_dir_fd


class _Folder:
    """A folder that files are written into through :meth:`write` (or :meth:`file`), so
    that it knows what it holds without listing itself."""

    _FLAGS = _NEW_FILE

    def __init__(self, temp: Path) -> None:
        self.temp = temp
        # Opened before anything is written in it: syncing its file system through this
        # descriptor reports every write-back error since (see _flush_to_disk).
        self._descriptor = os.open(self.temp, os.O_RDONLY)
        self._written: dict[str, None] = {}  # relative names, in the order first written
        self._folders = {""}  # relative folders known to exist

    def file(self, relative: str) -> Path:
        """Where to write ``relative`` inside the folder being filled."""
        self._announce(relative)
        return self.temp / relative

    def write(self, relative: str, data: bytes) -> None:
        """Write the whole file ``relative`` inside the folder being filled (through the
        system calls alone: no buffered file object for a file written at once)."""
        self._announce(relative)
        if _OPEN_AT:  # named from the folder's descriptor: no walk down the whole path
            descriptor = os.open(relative, self._FLAGS, 0o666, dir_fd=self._descriptor)
        else:
            descriptor = os.open(os.path.join(self.temp, relative), self._FLAGS, 0o666)
        try:
            written = os.write(descriptor, data)  # all of it at once, but for a signal
            if written < len(data):
                view = memoryview(data)[written:]
                while view:
                    view = view[os.write(descriptor, view) :]
        finally:
            os.close(descriptor)

    def _announce(self, relative: str) -> None:
        """The folder of ``relative`` made, and the file counted as written."""
        folder = os.path.dirname(relative) if "/" in relative else ""
        if folder not in self._folders:
            (self.temp / folder).mkdir(parents=True, exist_ok=True)
            self._folders.add(folder)
        self._written[relative] = None

    def _close(self) -> None:
        if self._descriptor >= 0:
            os.close(self._descriptor)
            self._descriptor = -1


class FolderPart(_Folder):
    """The files a second process writes into the folder another process is filling
    (see ``second_process``): that process puts the folder in place. A file of a name
    the other process has written is left as it is (the other writes over this one's):
    the other process then writes this one's documents itself."""

    _FLAGS = (_NEW_FILE & ~os.O_TRUNC) | os.O_EXCL

    def write(self, relative: str, data: bytes) -> None:
        try:
            super().write(relative, data)
        except FileExistsError:
            del self._written[relative]

    def written(self) -> list[str]:
        """The relative names written, in the order first written."""
        return list(self._written)

    def close(self) -> None:
        self._close()


class AtomicFolder(_Folder):
    """A folder filled beside its final name and moved into place when complete.

    An earlier folder of that name is replaced only once the new one is whole. Writers
    make every file through :meth:`write` (or :meth:`file`), so that the folder knows what
    it holds without listing itself at the end.
    """

    MARKER = ".factmark-export"

    def __init__(self, path: Path) -> None:
        self.path = path
        check_export_output(path)  # never onto a project, nor over a folder holding an open one
        if path.exists() and not path.is_dir():
            raise ValidationError(f"{path} is a file; this format writes a folder")
        if path.is_dir() and any(path.iterdir()) and not (path / self.MARKER).exists():
            # Only a folder an earlier export made is ever replaced, never someone's own.
            raise ValidationError(
                f"{path} is a folder with other things in it; export into a new or empty folder"
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        super().__init__(
            Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part"))
        )
        (self.temp / self.MARKER).write_text(
            "This folder was written by a Factmark export; the next export to it replaces it.\n",
            encoding="utf-8",
        )

    def holds(self, relative: str) -> bool:
        """Whether this process wrote the file ``relative``."""
        return relative in self._written

    def adopt(self, names: Iterable[str]) -> None:
        """Count files another process wrote into the folder (``FolderPart``) as written."""
        self._folders.update(map(os.path.dirname, names))
        self._written.update(dict.fromkeys(names))

    def finish(self) -> list[Path]:
        from concurrent.futures import ThreadPoolExecutor  # an export's, not start-up's

        # The files go to the disk in a thread (the system call lets go of the interpreter)
        # while their names are sorted and their paths made here.
        written = list(self._written)
        try:
            with ThreadPoolExecutor(max_workers=1) as disk:
                flushed = disk.submit(
                    _flush_to_disk,
                    self._descriptor,
                    (os.path.join(self.temp, name) for name in written),
                )
                if len(self._folders) == 1:  # no subfolder: no name holds a "/"
                    names = sorted(written)
                else:
                    names = sorted(written, key=lambda name: name.split("/"))
                with _collector_paused():
                    paths = [self.path / name for name in names]
                flushed.result()  # what it raised (a full disk), raised here
        finally:
            self._close()
        os.chmod(self.temp, 0o777 & ~_umask())  # mkdtemp makes it private (0700)
        _place_now_or_with_the_rest(self)
        return paths

    def place(self) -> None:
        """Move the complete folder under its final name (replacing an earlier export)."""
        old = None
        if self.path.exists():
            old = self.path.with_name(f".{self.path.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            os.replace(self.path, old)
        os.replace(self.temp, self.path)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)

    def discard(self) -> None:
        self._close()
        shutil.rmtree(self.temp, ignore_errors=True)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector paused inside the block: made one after the other, the
    200,003 paths a brat export of 100,000 articles returns ran it over and over (0.40-0.49 s
    of processor time for them against 0.63-0.64 s, after the second process has ended)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _flush_to_disk(folder: int, files: Iterable[str]) -> None:
    """Every file on the disk before the folder is moved into place, so that a crash
    never leaves an export of empty files under its final name, and a disk that fills up
    while they are written out is told.

    On Linux 5.8 and later one ``syncfs`` of the folder's file system writes them all out
    and reports any write-back error (a full disk, an I/O error) since ``folder`` was
    opened, which was before the first file was written: a brat export writes two files a
    document, and an ``fsync`` each took most of its time. Elsewhere ``sync`` writes them
    all out and each file's ``fsync`` after it asks whether that went well."""
    if _syncfs is not None:
        _syncfs(folder)
        return
    sync = getattr(os, "sync", None)
    if sync is not None:
        sync()
    for file in files:
        descriptor = os.open(file, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _load_syncfs() -> Callable[[int], None] | None:
    """Linux's ``syncfs`` as a function raising OSError, where it reports write-back
    errors (Linux 5.8 and later); None elsewhere."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        major, minor = (int(part) for part in os.uname().release.split(".")[:2])
    except ValueError:
        return None
    if (major, minor) < (5, 8):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        call = libc.syncfs
    except (OSError, AttributeError):
        return None
    call.argtypes = [ctypes.c_int]
    call.restype = ctypes.c_int

    def syncfs(descriptor: int) -> None:
        if call(descriptor) != 0:
            number = ctypes.get_errno()
            raise OSError(number, os.strerror(number))

    return syncfs


_syncfs = _load_syncfs()


class Placement(Protocol):
    """A complete output waiting to be moved under its final name."""

    def place(self) -> None: ...

    def discard(self) -> None: ...


# Outputs finished but not yet placed, while :func:`outputs_placed_together` is active.
_WAITING: ContextVar[list[Placement] | None] = ContextVar("waiting_outputs", default=None)


def _place_now_or_with_the_rest(output: Placement) -> None:
    waiting = _WAITING.get()
    if waiting is None:
        output.place()
    else:
        waiting.append(output)


@contextlib.contextmanager
def outputs_placed_together() -> Iterator[None]:
    """Outputs finished inside this block are moved into place only when the whole block
    has succeeded (all parts of a split, every per-label file): a failure in a later part
    leaves every earlier output of an earlier export as it was, and removes what it wrote."""
    waiting: list[Placement] = []
    token = _WAITING.set(waiting)
    try:
        yield
    except BaseException:
        for output in waiting:
            output.discard()
        raise
    finally:
        _WAITING.reset(token)
    for output in waiting:
        output.place()


def _umask() -> int:
    """The process umask (read by setting it and putting it back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
