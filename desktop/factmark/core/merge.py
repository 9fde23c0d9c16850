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

A merge only adds and updates: a span deleted in a copy is not deleted in the
target. Relations are matched by their spans' identities and their label. Labels
a copy uses that the target lacks are added at the end of the label list.

Each source is merged in one transaction of the target: a source that fails
leaves the target as it was before that source.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from factmark.core.project import Project, ProjectError
from factmark.core.schema import NEXT_LABEL_ID, NEXT_RELATION_TYPE_ID

# (annotator, start, end, label): a span's identity within one document.
SpanKey = tuple[str | None, int, int, str]


@dataclass(frozen=True)
class Conflict:
    """One conflict and which side's version was kept."""

    kind: str  # "span" or "status"
    document: str  # the document's title, or its uid when untitled
    what: str  # e.g. "claim 10-24 by ana" or "status"
    kept: str  # "source" or "target"
    target_value: str
    source_value: str

    def describe(self) -> str:
        """One line for the user."""
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
    error: str | None = None

    @property
    def failed(self) -> bool:
        """Whether the source could not be merged (nothing of it was)."""
        return self.error is not None

    def lines(self) -> list[str]:
        """The report as lines for the user; an error is one ``: error:`` line."""
        if self.error is not None:
            return [f"{self.source}: error: {self.error}"]
        taken = sum(1 for c in self.conflicts if c.kept == "source")
        head = (
            f"{self.source}: {self.documents_added} documents added, "
            f"{self.spans_added} spans added, {self.relations_added} relations added, "
            f"{len(self.conflicts)} conflicts resolved ({taken} to the source, "
            f"{len(self.conflicts) - taken} to the target)"
        )
        lines = [head]
        if self.labels_added:
            lines.append(f"  labels added: {', '.join(self.labels_added)}")
        lines += [f"  conflict: {c.describe()}" for c in self.conflicts]
        return lines


def merge_projects(target: Project, sources: Iterable[str | Path]) -> list[MergeReport]:
    """Merge each source project file into ``target``; one report per source.

    A source that cannot be opened or is not a Factmark project gets a report
    with its error and the others are still merged.
    """
    reports = []
    for source in sources:
        path = Path(source)
        report = MergeReport(path)
        if _same_file(path, target.path):
            report.error = "is the target project itself"
        else:
            try:
                with Project.open_to_read(path) as project:
                    merge_project(target, project, report)
            except ProjectError as error:
                report.error = _without_path(str(error), path)
        reports.append(report)
    return reports


def merge_project(
    target: Project, source: Project, report: MergeReport | None = None
) -> MergeReport:
    """Merge one open source project into ``target`` in one transaction."""
    report = report or MergeReport(source.path)
    data = _read_source(source)
    with target.transaction():
        _merge_labels(target, data.labels, report)
        documents = _merge_documents(target, data.documents, report)
        span_ids = _merge_spans(target, data, documents, report)
        _merge_relations(target, data.relations, documents, span_ids, report)
        # Views read documents, labels and link types again once the merge commits.
        changes = target.changes
        changes.documents_reloaded = changes.labels = changes.relation_types = True
    return report


# -- reading the source ---------------------------------------------------------


@dataclass
class _SourceData:
    labels: list[tuple[str, str, str, str]]
    # source document id -> (uid, title, text, meta, status, created_at, updated_at)
    documents: dict[int, tuple[Any, ...]]
    # (source document id, source span id, start, end, label, annotator, note, attrs,
    #  created_at, updated_at)
    spans: list[tuple[Any, ...]]
    # (source document id, head span id, child span id, label)
    relations: list[tuple[int, int, int, str]]


def _read_source(source: Project) -> _SourceData:
    conn = source.conn
    try:
        labels = conn.execute(
            "SELECT name, key, colour, description FROM labels ORDER BY position, name"
        ).fetchall()
        documents = {
            row[0]: row[1:]
            for row in conn.execute(
                "SELECT id, uid, title, text, meta, status, created_at, updated_at FROM documents"
            )
        }
        spans = conn.execute(
            'SELECT document_id, id, start, "end", label, annotator, note, attrs, created_at, '
            'updated_at FROM spans ORDER BY document_id, start, "end", id'
        ).fetchall()
        relations = conn.execute(
            "SELECT document_id, head_span_id, child_span_id, label FROM relations ORDER BY id"
        ).fetchall()
    except sqlite3.DatabaseError as error:
        raise ProjectError(f"{source.path}: cannot be read ({error})") from None
    return _SourceData(labels, documents, spans, relations)


# -- writing the target ---------------------------------------------------------


def _merge_labels(
    target: Project, labels: list[tuple[str, str, str, str]], report: MergeReport
) -> None:
    existing = {label.name: label for label in target.labels()}
    taken_keys = {label.key.casefold() for label in existing.values() if label.key}
    position = len(existing)
    for name, key, colour, description in labels:
        if name in existing:
            continue
        # A key the target gives another label already is dropped, not duplicated.
        key = "" if key.casefold() in taken_keys else key
        target.conn.execute(
            "INSERT INTO labels (id, name, key, colour, description, position) "
            f"VALUES ({NEXT_LABEL_ID}, ?, ?, ?, ?, ?)",
            [name, key, colour, description, position],
        )
        taken_keys.add(key.casefold())
        position += 1
        report.labels_added.append(name)


def _merge_documents(
    target: Project, documents: dict[int, tuple[Any, ...]], report: MergeReport
) -> dict[int, tuple[int, str]]:
    """Add missing documents, resolve status conflicts; source id -> (target id, name)."""
    conn = target.conn
    known = {
        uid: (doc_id, status, updated_at)
        for doc_id, uid, status, updated_at in conn.execute(
            "SELECT id, uid, status, updated_at FROM documents"
        )
    }
    mapping: dict[int, tuple[int, str]] = {}
    for source_id, (uid, title, text, meta, status, created, updated) in documents.items():
        name = title or uid[:12]
        found = known.get(uid)
        if found is None:
            cursor = conn.execute(
                "INSERT INTO documents (uid, title, text, meta, status, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [uid, title, text, meta, status, created, updated],
            )
            mapping[source_id] = (int(cursor.lastrowid or 0), name)
            report.documents_added += 1
            continue
        doc_id, target_status, target_updated = found
        mapping[source_id] = (doc_id, name)
        if status == target_status:
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


def _merge_spans(
    target: Project,
    data: _SourceData,
    documents: dict[int, tuple[int, str]],
    report: MergeReport,
) -> dict[int, int]:
    """Add missing spans, resolve note/attrs conflicts; source span id -> target span id
    (for the spans relations need)."""
    conn = target.conn
    annotators = {row[5] for row in data.spans}
    existing = _target_spans(conn, annotators)
    in_relations = {span_id for r in data.relations for span_id in (r[1], r[2])}
    first_seen: dict[str, str] = {}
    for row in data.spans:
        if row[5] and (row[5] not in first_seen or row[8] < first_seen[row[5]]):
            first_seen[row[5]] = row[8]
    conn.executemany(
        "INSERT OR IGNORE INTO annotators (name, created_at) VALUES (?, ?)",
        sorted(first_seen.items()),
    )
    span_ids: dict[int, int] = {}
    plain: list[tuple[Any, ...]] = []
    for doc, span_id, start, end, label, annotator, note, attrs, created, updated in data.spans:
        doc_id, name = documents[doc]
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


def _target_spans(
    conn: sqlite3.Connection, annotators: set[str | None]
) -> dict[tuple[Any, ...], tuple[int, str | None, str, str]]:
    """The target's spans by these annotators, by identity (the oldest of duplicates)."""
    names = sorted(name for name in annotators if name is not None)
    clauses = []
    if names:
        clauses.append(f"annotator IN ({', '.join('?' * len(names))})")
    if None in annotators:
        clauses.append("annotator IS NULL")
    if not clauses:
        return {}
    rows = conn.execute(
        'SELECT document_id, annotator, start, "end", label, id, note, attrs, updated_at '
        f"FROM spans WHERE {' OR '.join(clauses)} ORDER BY id DESC",
        names,
    )
    return {row[:5]: row[5:] for row in rows}


def _span_id(conn: sqlite3.Connection, key: tuple[Any, ...]) -> int:
    doc_id, annotator, start, end, label = key
    row = conn.execute(
        "SELECT id FROM spans WHERE document_id = ? AND annotator IS ? AND start = ? "
        'AND "end" = ? AND label = ? ORDER BY id LIMIT 1',
        [doc_id, annotator, start, end, label],
    ).fetchone()
    return int(row[0])


def _merge_relations(
    target: Project,
    relations: list[tuple[int, int, int, str]],
    documents: dict[int, tuple[int, str]],
    span_ids: dict[int, int],
    report: MergeReport,
) -> None:
    if not relations:
        return
    conn = target.conn
    doc_ids = sorted({documents[r[0]][0] for r in relations})
    existing = {
        tuple(row)
        for row in conn.execute(
            "SELECT head_span_id, child_span_id, label FROM relations "
            f"WHERE document_id IN ({', '.join('?' * len(doc_ids))})",
            doc_ids,
        )
    }
    for doc, head, child, label in relations:
        key = (span_ids[head], span_ids[child], label)
        if key in existing:
            continue
        conn.execute(
            "INSERT OR IGNORE INTO relation_types (id, name, position) "
            f"VALUES ({NEXT_RELATION_TYPE_ID}, ?, 100)",
            [label],
        )
        conn.execute(
            "INSERT INTO relations (document_id, head_span_id, child_span_id, label) "
            "VALUES (?, ?, ?, ?)",
            [documents[doc][0], *key],
        )
        existing.add(key)
        report.relations_added += 1


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
