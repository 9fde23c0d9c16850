"""Merging annotators' copies of a project back into one project.

Documents are matched by uid (the sha256 of their text). A span is identified by
``(document uid, annotator, start, end, label)``: each annotator's spans are kept
side by side, and a span already in the target is never added twice, so merging
the same file again changes nothing. Spans without an annotator keep ``None``
and are matched on the same identity.

Conflicts are resolved by the newest change (``updated_at``; on a tie the target
wins) and reported:

- the same span (same identity) with a different note or attributes;
- the same document with a different status. A document's ``updated_at`` also
  moves when its metadata is edited, so "newest" means the document last changed.

The copy's archive of earlier fact-checks comes too (:mod:`.archive_merge`): each
review checked as ``archive add`` checks one, a new URL added, and for a URL both hold
the newer change kept; a review that fails a check is listed and left out.

A merge only adds and updates: a span deleted in a copy is not deleted in the
target. Relations are matched by their spans' identities and their label; a link in
both takes the note and each attribute only the copy has, and where both have another
value the target's is kept and reported (links have no edit time). Labels
a copy uses that the target lacks are added at the end of the label list.

Each source is merged in one transaction of the target: a source that fails
leaves the target as it was before that source.
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from factmark.core.archive_merge import SOURCE_COLUMNS, ArchiveMerge, merge_archive
from factmark.core.model import Label
from factmark.core.project import Project, ProjectError
from factmark.core.safe_text import printable
from factmark.core.schema import NEXT_LABEL_ID, NEXT_RELATION_TYPE_ID
from factmark.core.storage import OlderProjectError, now
from factmark.core.text import counted
from factmark.core.threeway import (
    DELETED_LISTED,
    CopyBase,
    Tally,
    copy_label,
    documents_taken,
    merge_document,
    queue_conflict,
    read_copy_base,
    status_decision,
)
from factmark.core.validation import Verdict, check_source, decode_text

# ``progress(done, total, stage)``: a source's documents checked, then merged.
MergeProgress = Callable[[int, int, str], None]
# (annotator, start, end, label): a span's identity within one document.
SpanKey = tuple[str | None, int, int, str]


@dataclass(frozen=True)
class Conflict:
    """One conflict and which side's version was kept."""

    kind: str  # "span", "link" or "status"
    document: str  # the document's title, or its uid when untitled
    what: str  # e.g. "claim 10-24 by ana" or "status"
    kept: str  # "source" or "target"
    target_value: str
    source_value: str

    def describe(self) -> str:
        """One line for the user."""
        if self.kind == "link":  # links have no edit time: the target's values stay
            return (
                f"{self.document}: {self.what}: kept this project's {self.target_value} "
                f"over the copy's {self.source_value}"
            )
        won = self.source_value if self.kept == "source" else self.target_value
        lost = self.target_value if self.kept == "source" else self.source_value
        return f"{self.document}: {self.what}: kept the {self.kept}'s newer {won} over {lost}"


@dataclass
class MergeReport:
    """What merging one source did, or the error that stopped it."""

    source: Path
    documents_added: int = 0
    spans_added: int = 0
    relations_added: int = 0
    labels_added: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    # A three-way merge (a copy with a base): what else it did, and the conflicts it
    # queued for review (one line each); without_base: a copy without one.
    spans_changed: int = 0
    spans_deleted: int = 0
    relations_changed: int = 0
    relations_deleted: int = 0
    queued: list[str] = field(default_factory=list)
    # Spans deleted that were not the copy's annotator's own: one line each for the
    # first of them, and how many there were.
    deleted: list[str] = field(default_factory=list)
    deleted_count: int = 0
    three_way: bool = False
    without_base: bool = False
    error: str | None = None
    # Rows that break the model's rules (``table row id: what``, the first thousand) and
    # how many there were; with skipped, they were left out and the rest was merged.
    problems: list[str] = field(default_factory=list)
    problem_count: int = 0
    skipped: bool = False
    # With skipped: valid rows left out with an invalid row they belong to.
    followers: list[str] = field(default_factory=list)
    followers_count: int = 0
    archive: ArchiveMerge = field(default_factory=ArchiveMerge)

    @property
    def failed(self) -> bool:
        """Whether the source could not be merged (nothing of it was)."""
        return self.error is not None

    @property
    def incomplete(self) -> bool:
        """Whether anything of the source was refused or left out."""
        return self.failed or self.problem_count > 0

    def lines(self) -> list[str]:
        """The report as lines for the user, escaped for a terminal: an error is one
        ``: error:`` line, then one line per invalid row; rows left out by
        ``skip_invalid`` are listed after the summary."""
        return [printable(line) for line, _said in self._lines()]

    def summary(self) -> list[str]:
        """The lines of :meth:`lines` that say what the merge did (the counts, the error,
        the labels added), without those that list rows one by one (conflicts, queued and
        deleted spans, refused and left-out rows): a few lines, however large the copy."""
        return [printable(line) for line, said in self._lines() if said]

    def _problem_lines(self, what: str, problems: list[str], count: int) -> list[tuple[str, bool]]:
        lines = [(f"{self.source}: {what}{problem}", False) for problem in problems]
        if count > len(problems):
            lines.append((f"{self.source}: {what}... and {count - len(problems)} more", False))
        return lines

    def _lines(self) -> list[tuple[str, bool]]:
        """Each line, and whether it belongs to the summary."""
        if self.error is not None:
            listed = self._problem_lines("error: ", self.problems, self.problem_count)
            return [(f"{self.source}: error: {self.error}", True), *listed]
        taken = sum(1 for c in self.conflicts if c.kept == "source")
        head = (
            f"{self.source}: {counted(self.documents_added, 'document')} added, "
            f"{counted(self.spans_added, 'span')} added, "
            f"{counted(self.relations_added, 'relation')} added, "
            f"{counted(len(self.conflicts), 'conflict')} resolved ({taken} to the source, "
            f"{len(self.conflicts) - taken} to the target)"
        )
        lines = [(head, True)]
        if self.three_way:
            lines.append(
                (
                    f"  {counted(self.spans_changed, 'span')} changed, "
                    f"{counted(self.spans_deleted, 'span')} deleted, "
                    f"{counted(self.relations_changed, 'relation')} changed, "
                    f"{counted(self.relations_deleted, 'relation')} deleted (three-way, from "
                    f"the copy's base); {counted(len(self.queued), 'conflict')} queued for "
                    "review (F7 in the window; factmark merge --conflicts)",
                    True,
                )
            )
            lines += [(f"  queued: {line}", False) for line in self.queued[:QUEUED_LISTED]]
            if len(self.queued) > QUEUED_LISTED:
                more = len(self.queued) - QUEUED_LISTED
                lines.append((f"  queued: ... and {more} more", False))
            lines += [(f"  deleted: {line}", False) for line in self.deleted]
            if self.deleted_count > DELETED_LISTED:
                more = self.deleted_count - DELETED_LISTED
                lines.append((f"  deleted: ... and {more} more", False))
        if self.without_base:
            lines.append(
                (
                    "  no base (made by an older Factmark, or not by Export project for "
                    "annotator): spans and links deleted in it cannot be seen, so none were "
                    "deleted",
                    True,
                )
            )
        if self.labels_added:
            lines.append((f"  labels added: {', '.join(self.labels_added)}", True))
        archive = self.archive
        if archive.added or archive.updated or archive.refused_count:
            lines.append(
                (
                    f"  fact-checks: {archive.added} added, {archive.updated} updated (the "
                    f"newer of a review both hold), {archive.refused_count} refused",
                    True,
                )
            )
            lines += self._problem_lines("refused: ", archive.refused, archive.refused_count)
        lines += [(f"  conflict: {c.describe()}", False) for c in self.conflicts]
        if self.skipped:
            lines.append(
                (
                    f"{self.source}: left out {counted(self.problem_count, 'invalid row')} "
                    f"and {counted(self.followers_count, 'row')} that belong to them:",
                    True,
                )
            )
            lines += self._problem_lines("left out: ", self.problems, self.problem_count)
            lines += self._problem_lines("left out: ", self.followers, self.followers_count)
        return lines


# Queued conflicts listed one per line in a report; the rest counted.
QUEUED_LISTED = 50


def merge_projects(
    target: Project,
    sources: Iterable[str | Path],
    *,
    skip_invalid: bool = False,
    cancelled: Callable[[], bool] | None = None,
    progress: MergeProgress | None = None,
) -> list[MergeReport]:
    """Merge each source project file into ``target``; one report per source.

    A source that cannot be opened, is not a Factmark project or holds rows that break
    the model's rules gets a report with its error (and, for invalid rows, one line per
    problem) and nothing of it is merged; the other sources are still merged. With
    ``skip_invalid`` the valid rows of such a source are merged and the rest listed.

    A source is only ever read: one from an older Factmark is upgraded in a temporary
    copy, whose triggers and views are dropped first, so nothing stored in it runs.

    Once ``cancelled()`` is true (it is asked before each batch of rows read) the source
    being merged is rolled back, reported as cancelled, and no further source is merged.
    ``progress(done, total, stage)`` tells how far the source being merged is: its
    documents checked (stage ``"checking"``), then merged (``"merging"``).
    """
    reports = []
    for source in sources:
        path = Path(source)
        report = MergeReport(path)
        reports.append(report)
        if _same_file(path, target.path):
            report.error = "is the target project itself"
            continue
        opened = path  # or the temporary copy an older source is upgraded in
        try:
            with ExitStack() as stack:
                project = _open_source(path, stack)
                opened = project.path
                merge_project(
                    target,
                    project,
                    report,
                    skip_invalid=skip_invalid,
                    cancelled=cancelled,
                    progress=progress,
                )
        except MergeCancelled:
            report.error = "cancelled; nothing of it was merged"
            break
        except ProjectError as error:
            report.error = _without_path(_without_path(str(error), opened), path)
    return reports


class _Undecodable(Exception):
    """Text in the source that is not UTF-8 stopped a fast read (internal)."""


class MergeCancelled(ProjectError):
    """The merge was cancelled; the source being merged was rolled back."""


def merge_project(
    target: Project,
    source: Project,
    report: MergeReport | None = None,
    *,
    skip_invalid: bool = False,
    cancelled: Callable[[], bool] | None = None,
    progress: MergeProgress | None = None,
) -> MergeReport:
    """Merge one open source project into ``target`` in one transaction.

    Every row of the source is checked first (:func:`validation.check_source`); when any
    breaks a rule nothing is written (unless ``skip_invalid``: then the rest is).
    """
    report = report or MergeReport(source.path)
    reader = _Source(source, cancelled, progress)
    with reader.reading():
        try:
            verdict = check_source(reader, target.labels(), target.relation_types())
        except _Undecodable:
            # Text that is not UTF-8 somewhere: check again, decoding each value in Python
            # (slower), so that each such value is one row's problem.
            reader.lenient = True
            verdict = check_source(reader, target.labels(), target.relation_types())
        try:
            base = read_copy_base(source.conn, reader.rows, report.source.name, verdict)
        except _Undecodable:
            reader.lenient = True  # each undecodable value is then one row's problem
            base = read_copy_base(source.conn, reader.rows, report.source.name, verdict)
        report.problems = [problem.line() for problem in verdict.problems]
        report.problem_count = verdict.count
        if verdict.count and not skip_invalid:
            report.error = (
                f"refused: {counted(verdict.count, 'invalid row')} (listed below); nothing of "
                "it was merged (merge --skip-invalid merges the rest)"
            )
            return report
        report.skipped = verdict.count > 0
        report.followers = [problem.line() for problem in verdict.followers]
        report.followers_count = verdict.followers_count
        reader.stage = "merging"
        with target.transaction():
            _merge_labels(target, verdict, report)
            documents = _merge_documents(target, reader, verdict, report, base)
            if base is None:
                report.without_base = True
                _merge_annotations(target, reader, verdict, documents, report)
            else:
                report.three_way = True
                _merge_three_way(target, reader, verdict, documents, base, report)
            _merge_fact_checks(target, reader, report)
            # Views read documents, labels and link types again once the merge commits.
            changes = target.changes
            changes.documents_reloaded = changes.labels = changes.relation_types = True
            changes.conflicts = bool(report.queued)
    return report


# -- opening the source ---------------------------------------------------------


def _open_source(path: Path, stack: ExitStack) -> Project:
    """The source, read-only; an older one upgraded in a temporary copy (the file itself
    is never written), with the copy's triggers and views dropped before the upgrade."""
    try:
        return stack.enter_context(
            Project.open(path, create=False, readonly=True, check_rows=False)
        )
    except OlderProjectError:
        pass
    folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="factmark-merge-")))
    copy = folder / "source.factmark"
    _copy_without_code(path, copy)
    try:
        Project.open(copy, create=False, check_rows=False).close()  # migrates the copy
    except ProjectError as error:
        reason = _without_path(str(error), copy)
        raise ProjectError(f"{path}: cannot be upgraded to read it ({reason})") from None
    return stack.enter_context(Project.open(copy, create=False, readonly=True, check_rows=False))


def _copy_without_code(path: Path, copy: Path) -> None:
    """Copy ``path`` (SQLite's backup, read-only) to ``copy``, then drop every trigger and
    view of the copy: the upgrade of an older source must run only Factmark's SQL."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    reading = sqlite3.connect(uri, uri=True)
    written = sqlite3.connect(copy)
    try:
        reading.execute("PRAGMA trusted_schema = OFF")
        written.execute("PRAGMA trusted_schema = OFF")
        reading.backup(written)
        code = written.execute(
            "SELECT type, name FROM sqlite_master WHERE type IN ('trigger', 'view')"
        ).fetchall()
        for kind, name in code:
            quoted = '"' + str(name).replace('"', '""') + '"'
            written.execute(f"DROP {'TRIGGER' if kind == 'trigger' else 'VIEW'} IF EXISTS {quoted}")
        written.commit()
    except sqlite3.DatabaseError as error:
        raise ProjectError(f"{path}: cannot be read ({error})") from None
    finally:
        reading.close()
        written.close()


# -- reading the source ---------------------------------------------------------

# Rows fetched from the source at a time: the read is streamed, never held whole.
BATCH = 2000
# The target's spans a merge may read at once to match a source's against (about 60 MB);
# beyond this it reads them one document at a time.
SPANS_READ_AT_ONCE = 200_000
# What the merge reads; each must be a table (a view could run without end).
_TABLES = ("labels", "documents", "spans", "relations")


class _Source:
    """A source project's rows, streamed in batches, each batch under the time limit."""

    def __init__(
        self,
        project: Project,
        cancelled: Callable[[], bool] | None = None,
        progress: MergeProgress | None = None,
    ) -> None:
        self.project = project
        self.conn = project.conn
        self._restart: Callable[[], None] = lambda: None
        self._cancelled = cancelled or (lambda: False)
        self._progress = progress
        self.stage = "checking"  # what progress says of the documents groups() yields
        # Whether text is decoded in Python (validation.decode_text), which tells bad
        # text row by row; SQLite's own decoding is faster but stops at the first.
        self.lenient = False

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Read under the time limit, with SQLite errors told as the file's."""
        conn = self.conn
        factory = conn.text_factory
        try:
            with self.project.time_limit() as restart:
                self._restart = restart
                self._check_tables()
                yield
        except sqlite3.DatabaseError as error:
            raise self.project.read_error(error) from None
        finally:
            conn.text_factory = factory
            self._restart = lambda: None

    def _check_tables(self) -> None:
        found = {
            row[0]: row[1]
            for row in self.conn.execute(
                "SELECT name, type FROM sqlite_master WHERE name IN (?, ?, ?, ?)", _TABLES
            )
        }
        for name in _TABLES:
            if found.get(name) != "table":
                what = "missing" if name not in found else f"a {found[name]}, not a table"
                raise ProjectError(
                    f"{self.project.path}: not a Factmark project (its {name} table is {what})"
                )

    def rows(self, sql: str) -> Iterator[tuple[Any, ...]]:
        """The rows of a query of the source, streamed under the time limit."""
        return self._rows(sql)

    def _rows(self, sql: str) -> Iterator[tuple[Any, ...]]:
        # Errors are the source's, named here: the rows are also read inside the target's
        # transaction, which would take an SQLite error for its own.
        self.conn.text_factory = decode_text if self.lenient else str
        try:
            self._restart()
            cursor = self.conn.execute(sql)
            while True:
                if self._cancelled():
                    raise MergeCancelled(f"{self.project.path}: cancelled")
                self._restart()
                rows = cursor.fetchmany(BATCH)
                if not rows:
                    return
                yield from rows
        except sqlite3.OperationalError as error:
            if not self.lenient and str(error).startswith("Could not decode to UTF-8"):
                raise _Undecodable from None
            raise self.project.read_error(error) from None
        except sqlite3.DatabaseError as error:
            raise self.project.read_error(error) from None

    def labels(self) -> Iterator[tuple[Any, ...]]:
        return self._rows(
            "SELECT rowid, name, key, colour, description FROM labels ORDER BY position, name"
        )

    def documents(self) -> Iterator[tuple[Any, ...]]:
        return self._rows(
            "SELECT id, uid, title, text, meta, status, created_at, updated_at "
            "FROM documents ORDER BY id"
        )

    def groups(self) -> Iterator[tuple[int, list[tuple[Any, ...]], list[tuple[Any, ...]]]]:
        """Each document id with its spans and relations (read side by side, both in
        document order, so only one document's rows are held at a time)."""
        spans = self._rows(
            'SELECT document_id, id, start, "end", label, annotator, note, attrs, created_at, '
            "updated_at FROM spans ORDER BY document_id"
        )
        relations = self._rows(
            "SELECT document_id, id, head_span_id, child_span_id, label, note, attrs "
            "FROM relations ORDER BY document_id, id"
        )
        span = next(spans, None)
        relation = next(relations, None)
        told = _Told(self._progress, self.stage, self._documents)
        while span is not None or relation is not None:
            keys = [row[0] for row in (span, relation) if row is not None]
            document = min(keys, key=_order)
            group_spans: list[tuple[Any, ...]] = []
            while span is not None and span[0] == document:
                group_spans.append(span)
                span = next(spans, None)
            group_relations: list[tuple[Any, ...]] = []
            while relation is not None and relation[0] == document:
                group_relations.append(relation)
                relation = next(relations, None)
            if not group_spans and not group_relations:
                # Keys SQLite orders otherwise than Python (a hostile file's mixed types):
                # take the rows one by one rather than loop.
                row = span if span is not None else relation
                assert row is not None
                if row is span:
                    group_spans.append(span)
                    span = next(spans, None)
                else:
                    group_relations.append(row)
                    relation = next(relations, None)
            told.one()
            yield document, group_spans, group_relations
        told.all()

    def _documents(self) -> int:
        (count,) = self.conn.execute("SELECT count(*) FROM documents").fetchone()
        return int(count)


class _Told:
    """Progress through a source's documents, told about two hundred times a pass."""

    def __init__(
        self, progress: MergeProgress | None, stage: str, documents: Callable[[], int]
    ) -> None:
        self.progress, self.stage = progress, stage
        self.total = documents() if progress is not None else 0
        self.done = 0
        self.step = max(1, self.total // 200)
        if progress is not None:
            progress(0, self.total, stage)

    def one(self) -> None:
        self.done += 1
        if self.progress is not None and self.done % self.step == 0:
            self.progress(min(self.done, self.total), self.total, self.stage)

    def all(self) -> None:
        if self.progress is not None:
            self.progress(self.total, self.total, self.stage)


def _merge_fact_checks(target: Project, reader: _Source, report: MergeReport) -> None:
    """The copy's archive of earlier fact-checks, each review checked (a copy made
    before the archive existed, or a file without the table, has none to bring)."""
    table = reader.conn.execute(
        "SELECT type FROM sqlite_master WHERE name = 'fact_checks'"
    ).fetchone()
    if table is None or table[0] != "table":
        return
    lenient, reader.lenient = reader.lenient, True  # text that is not UTF-8: one row's
    try:
        rows = reader.rows(f"SELECT rowid, {SOURCE_COLUMNS} FROM fact_checks ORDER BY rowid")
        merge_archive(target, rows, report.source.name, report.archive)
    finally:
        reader.lenient = lenient


def _order(key: object) -> tuple[int, object]:
    """SQLite's order of values: NULL, numbers, text, blobs."""
    if key is None:
        return (0, 0)
    if isinstance(key, int | float):
        return (1, key)
    if isinstance(key, str):
        return (2, key)
    return (3, bytes(key) if isinstance(key, bytes) else repr(key))


# -- writing the target ---------------------------------------------------------


def _merge_labels(target: Project, verdict: Verdict, report: MergeReport) -> None:
    """Add the labels the source brings (checked and tidied) at the end of the list. One
    whose key another label has (dropped by the check), or whose colour another label has
    (a label renamed in the copy keeps its old one's), gets the next free key and colour,
    as a label an import adds does."""
    labels = target.labels()
    position = len(labels)
    for number, label in enumerate(verdict.labels):
        # The labels still to come keep their own keys and colours: none is given away.
        key, colour = target.free_key_and_colour([*labels, *verdict.labels[number + 1 :]])
        if label.key:
            key = label.key
        if label.colour.upper() not in {other.colour.upper() for other in labels}:
            colour = label.colour
        added = Label(label.name, key, colour, label.description, position)
        target.conn.execute(
            "INSERT INTO labels (id, name, key, colour, description, position) "
            f"VALUES ({NEXT_LABEL_ID}, ?, ?, ?, ?, ?)",
            [added.name, added.key, added.colour, added.description, position],
        )
        labels.append(added)
        position += 1
        report.labels_added.append(label.name)


def _merge_documents(
    target: Project,
    source: _Source,
    verdict: Verdict,
    report: MergeReport,
    base: CopyBase | None = None,
) -> dict[int, tuple[int, str, bool]]:
    """Add missing documents, resolve status conflicts (three-way when the source has a
    ``base``); source id -> (target id, name, whether it is new)."""
    conn = target.conn
    known = {
        uid: (doc_id, status, updated_at)
        for doc_id, uid, status, updated_at in conn.execute(
            "SELECT id, uid, status, updated_at FROM documents"
        )
    }
    mapping: dict[int, tuple[int, str, bool]] = {}
    for source_id, uid, title, text, meta, status, created, updated in source.documents():
        if source_id in verdict.bad_documents:
            continue
        name = title or uid[:12]
        found = known.get(uid)
        if found is None:
            cursor = conn.execute(
                "INSERT INTO documents (uid, title, text, meta, status, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [uid, title, text, meta, status, created, updated],
            )
            mapping[source_id] = (int(cursor.lastrowid or 0), name, True)
            report.documents_added += 1
            continue
        doc_id, target_status, target_updated = found
        mapping[source_id] = (doc_id, name, False)
        if status == target_status:
            continue
        if base is not None:
            _three_way_status(target, base, source_id, doc_id, name, status, target_status, report)
            continue
        newer = updated > target_updated
        if newer:
            conn.execute(
                "UPDATE documents SET status = ?, updated_at = ? WHERE id = ?",
                [status, updated, doc_id],
            )
        report.conflicts.append(
            Conflict(
                "status", name, "status", "source" if newer else "target", target_status, status
            )
        )
    return mapping


def _three_way_status(
    target: Project,
    base: CopyBase,
    source_id: int,
    doc_id: int,
    name: str,
    status: str,
    target_status: str,
    report: MergeReport,
) -> None:
    decision = status_decision(base.status(source_id), status, target_status)
    if decision == "take":
        target.conn.execute(
            "UPDATE documents SET status = ?, updated_at = ? WHERE id = ?", [status, now(), doc_id]
        )
    elif decision == "conflict":
        pair = (orjson.dumps(target_status).decode(), orjson.dumps(status).decode())
        if queue_conflict(target.conn, doc_id, "status", "", *pair, copy_label(base)):
            report.queued.append(f"{name}: status {target_status} here, {status} in the copy")


def _add_names(conn: sqlite3.Connection, verdict: Verdict) -> None:
    """The copy's annotators and link types that the project lacks, before its rows."""
    conn.executemany(
        "INSERT OR IGNORE INTO annotators (name, created_at) VALUES (?, ?)",
        sorted(verdict.annotators.items()),
    )
    conn.executemany(
        "INSERT OR IGNORE INTO relation_types (id, name, position) "
        f"VALUES ({NEXT_RELATION_TYPE_ID}, ?, 100)",
        [[name] for name in sorted(verdict.relation_types)],
    )


def _merge_three_way(
    target: Project,
    source: _Source,
    verdict: Verdict,
    documents: dict[int, tuple[int, str, bool]],
    base: CopyBase,
    report: MergeReport,
) -> None:
    """Spans and relations of a copy with a base, one document at a time (threeway)."""
    conn = target.conn
    _add_names(conn, verdict)
    tally = Tally(taken=documents_taken(conn, base.copy_id), copy_id=base.copy_id)
    seen: set[int] = set()
    for document, spans, relations in source.groups():
        found = documents.get(document)
        if found is None:
            continue  # a document left out: its rows were left out with it
        seen.add(document)
        doc_id, name, new = found
        spans = [row for row in spans if row[1] not in verdict.bad_spans]
        relations = [row for row in relations if row[1] not in verdict.bad_relations]
        merge_document(
            target,
            doc_id,
            name,
            new,
            base.load(document),
            spans,
            relations,
            base,
            document,
            tally,
        )
    # Documents whose spans were all deleted in the copy have no rows in it.
    for document, (doc_id, name, new) in documents.items():
        if document not in seen and not new:
            merge_document(
                target,
                doc_id,
                name,
                new,
                base.load(document),
                [],
                [],
                base,
                document,
                tally,
            )
    tally.flush(conn)
    report.spans_added += tally.spans_added
    report.relations_added += tally.relations_added
    report.spans_changed = tally.spans_changed
    report.spans_deleted = tally.spans_deleted
    report.relations_changed = tally.relations_changed
    report.relations_deleted = tally.relations_deleted
    report.queued += tally.queued
    report.deleted += tally.deleted
    report.deleted_count += tally.deleted_count


def _merge_annotations(
    target: Project,
    source: _Source,
    verdict: Verdict,
    documents: dict[int, tuple[int, str, bool]],
    report: MergeReport,
) -> None:
    """Spans and relations, one source document at a time."""
    conn = target.conn
    _add_names(conn, verdict)
    # The target's spans a source's spans can match: those of the same annotators. Read
    # at once when they are not too many, else one document at a time (bounded memory).
    names = sorted(verdict.annotators)
    clauses = [f"annotator IN ({', '.join('?' * len(names))})"] if names else []
    if verdict.unattributed:
        clauses.append("annotator IS NULL")
    where = f"({' OR '.join(clauses) or '0'})"
    columns = 'document_id, annotator, start, "end", label, id, note, attrs, updated_at'
    matching = f"SELECT {columns} FROM spans WHERE document_id = ? AND {where} ORDER BY id DESC"
    preloaded: dict[int, dict[tuple[Any, ...], tuple[Any, ...]]] | None = None
    (count,) = conn.execute(f"SELECT count(*) FROM spans WHERE {where}", names).fetchone()
    if count <= SPANS_READ_AT_ONCE:
        preloaded = {}
        rows = conn.execute(f"SELECT {columns} FROM spans WHERE {where} ORDER BY id DESC", names)
        for row in rows:
            preloaded.setdefault(row[0], {})[row[:5]] = row[5:]
    for document, spans, relations in source.groups():
        found = documents.get(document)
        if found is None:
            continue  # a document left out: its rows were left out with it
        doc_id, name, new = found
        spans = [row for row in spans if row[1] not in verdict.bad_spans]
        relations = [row for row in relations if row[1] not in verdict.bad_relations]
        existing: dict[tuple[Any, ...], tuple[Any, ...]] = {}
        if preloaded is not None:
            existing = preloaded.pop(doc_id, {})
        elif not new and spans:
            existing = {row[:5]: row[5:] for row in conn.execute(matching, [doc_id, *names])}
        span_ids = _merge_spans(conn, doc_id, name, existing, spans, relations, report)
        _merge_relations(conn, doc_id, name, new, relations, span_ids, report)


def _merge_spans(
    conn: sqlite3.Connection,
    doc_id: int,
    name: str,
    existing: dict[tuple[Any, ...], tuple[Any, ...]],
    spans: list[tuple[Any, ...]],
    relations: list[tuple[Any, ...]],
    report: MergeReport,
) -> dict[int, int]:
    """Add one document's missing spans, resolve note/attrs conflicts; source span id ->
    target span id (for the spans its relations need). ``existing``: the target's spans
    of the document by the same annotators, by identity (the oldest of duplicates)."""
    in_relations = {span_id for r in relations for span_id in (r[2], r[3])}
    span_ids: dict[int, int] = {}
    plain: list[tuple[Any, ...]] = []
    for _, span_id, start, end, label, annotator, note, attrs, created, updated in spans:
        key = (doc_id, annotator, start, end, label)
        found = existing.get(key)
        if found is None:
            row = (doc_id, start, end, label, annotator, note, attrs, created, updated)
            if span_id in in_relations:
                cursor = conn.execute(_INSERT_SPAN, row)
                found = (int(cursor.lastrowid or 0), note, attrs, updated)
                span_ids[span_id] = found[0]
            else:
                plain.append(row)
                found = (0, note, attrs, updated)
            existing[key] = found  # a copy holding the same span twice adds it once
            report.spans_added += 1
            continue
        target_id, target_note, target_attrs, target_updated = found
        if not target_id:  # a duplicate within this copy of a span not inserted yet
            conn.executemany(_INSERT_SPAN, plain)
            plain.clear()
            target_id = _span_id(conn, key)
            existing[key] = (target_id, *found[1:])
        span_ids[span_id] = target_id
        if (note, attrs) == (target_note, target_attrs):
            continue
        newer = updated > target_updated
        if newer:
            conn.execute(
                "UPDATE spans SET note = ?, attrs = ?, updated_at = ? WHERE id = ?",
                [note, attrs, updated, target_id],
            )
            existing[key] = (target_id, note, attrs, updated)
        who = f" by {annotator}" if annotator else ""
        report.conflicts.append(
            Conflict(
                "span",
                name,
                f"{label} {start}-{end}{who}",
                "source" if newer else "target",
                _describe(target_note, target_attrs),
                _describe(note, attrs),
            )
        )
    conn.executemany(_INSERT_SPAN, plain)
    return span_ids


_INSERT_SPAN = (
    'INSERT INTO spans (document_id, start, "end", label, annotator, note, attrs, '
    "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def _span_id(conn: sqlite3.Connection, key: tuple[Any, ...]) -> int:
    doc_id, annotator, start, end, label = key
    row = conn.execute(
        "SELECT id FROM spans WHERE document_id = ? AND annotator IS ? AND start = ? "
        'AND "end" = ? AND label = ? ORDER BY id LIMIT 1',
        [doc_id, annotator, start, end, label],
    ).fetchone()
    return int(row[0])


def _merge_relations(
    conn: sqlite3.Connection,
    doc_id: int,
    name: str,
    new: bool,
    relations: list[tuple[Any, ...]],
    span_ids: dict[int, int],
    report: MergeReport,
) -> None:
    """Add the links the target lacks; a link both have takes the note and each
    attribute the target's lacks, and keeps the target's where both differ (reported:
    links have no edit time to say which is newer)."""
    if not relations:
        return
    existing: dict[tuple[Any, ...], tuple[int, str | None, str]] = {}
    if not new:
        for relation_id, head, child, label, note, attrs in conn.execute(
            "SELECT id, head_span_id, child_span_id, label, note, attrs FROM relations "
            "WHERE document_id = ? ORDER BY id DESC",
            [doc_id],
        ):
            existing[(head, child, label)] = (relation_id, note, attrs)
    for _, _, head, child, label, note, attrs in relations:
        key = (span_ids[head], span_ids[child], label)
        found = existing.get(key)
        if found is None:
            cursor = conn.execute(
                "INSERT INTO relations (document_id, head_span_id, child_span_id, label, note, "
                "attrs) VALUES (?, ?, ?, ?, ?, ?)",
                [doc_id, *key, note, attrs],
            )
            existing[key] = (int(cursor.lastrowid or 0), note, attrs)
            report.relations_added += 1
            continue
        relation_id, target_note, target_attrs = found
        if (note, attrs) == (target_note, target_attrs):
            continue
        mine = orjson.loads(target_attrs)
        theirs = orjson.loads(attrs)
        merged = {**theirs, **mine}
        merged_note = target_note if target_note is not None else note
        if (merged_note, merged) != (target_note, mine):
            dumped = orjson.dumps(merged).decode() if merged else "{}"
            conn.execute(
                "UPDATE relations SET note = ?, attrs = ? WHERE id = ?",
                [merged_note, dumped, relation_id],
            )
            existing[key] = (relation_id, merged_note, dumped)
        clashes = note is not None and note != merged_note
        clashes = clashes or any(merged.get(k) != v for k, v in theirs.items())
        if clashes:
            ends = [
                conn.execute(
                    'SELECT label, start, "end" FROM spans WHERE id = ?', [span_id]
                ).fetchone()
                for span_id in key[:2]
            ]
            what = f"{label} link {ends[0][0]} {ends[0][1]}-{ends[0][2]} → " + (
                f"{ends[1][0]} {ends[1][1]}-{ends[1][2]}"
            )
            report.conflicts.append(
                Conflict(
                    "link",
                    name,
                    what,
                    "target",
                    _describe(target_note, target_attrs),
                    _describe(note, attrs),
                )
            )


def _describe(note: str | None, attrs: str) -> str:
    parts = [f"note {note!r}" if note else "no note"]
    if attrs and attrs != "{}":
        parts.append(f"attrs {attrs}")
    return ", ".join(parts)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and a.samefile(b)
    except OSError:
        return False


def _without_path(message: str, path: Path) -> str:
    """ProjectError messages start with the path, which the report line already shows."""
    prefix = f"{path}: "
    return message[len(prefix) :] if message.startswith(prefix) else message
