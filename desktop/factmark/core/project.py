"""A Factmark project: one SQLite file, its schema kept by sqlite-utils migrations.

Every public method that changes data runs in one transaction that is committed
(with ``synchronous=FULL``) before it returns, so whatever a caller shows as done
survives a crash. Listeners registered with :meth:`Project.subscribe` hear of
each change after it is committed.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from itertools import groupby, starmap
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import orjson

from factmark.core.model import (
    Document,
    IncomingDocument,
    IncomingSpan,
    Label,
    Proposal,
    Relation,
    Span,
    Suggestion,
    ValidationError,
    validate_offsets,
    validate_status,
)
from factmark.core.schema import KNOWN_MIGRATIONS, applied_names, migrations
from factmark.core.text import check_text, normalise_newlines, text_uid

if TYPE_CHECKING:
    from sqlite_utils import Database

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000
BULK_CHANGE = 50  # more document changes than this in one transaction: one "documents" change
COLOUR_PATTERN = re.compile(r"#[0-9A-Fa-f]{6}")


class ProjectError(Exception):
    """A project file that cannot be used; the message names the file and the reason."""


class OlderProjectError(ProjectError):
    """A project from an older Factmark, which must be upgraded before it is used."""


@dataclass(frozen=True)
class Change:
    """What a committed change touched, for views to decide whether to refresh."""

    kind: str  # "spans", "relations", "documents", "labels", "suggestions"
    document_id: int | None = None
    span_ids: tuple[int, ...] = ()  # for "spans": the spans added, changed or removed


def now() -> str:
    """A UTC timestamp with milliseconds, as stored in ``*_at`` columns."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _loads(value: str | None) -> dict[str, Any]:
    return orjson.loads(value) if value and value != "{}" else {}


class SpanRow(NamedTuple):
    """A span as bulk reads return it: a plain tuple, ``attrs`` still JSON text."""

    document_id: int
    id: int
    start: int
    end: int
    label: str
    annotator: str | None
    note: str | None
    attrs: str


def _dumps(value: dict[str, Any] | None) -> str:
    if not value:
        return "{}"
    return orjson.dumps(value or {}, option=orjson.OPT_SORT_KEYS).decode()


class Project:
    """One open project file. Use :meth:`open`; close it (or use ``with``) when done."""

    def __init__(self, path: Path, conn: sqlite3.Connection, readonly: bool) -> None:
        self.path = path
        self.conn = conn
        self._db: Database | None = None
        self.readonly = readonly
        self._listeners: list[Callable[[Change], None]] = []
        self._pending: dict[tuple[str, int | None], Change] = {}
        self.backup_path: Path | None = None
        # The file opened, to notice it being moved or deleted while open.
        self._absolute = path.absolute()
        self._file_id = _file_id(self._absolute)

    # -- opening -------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, *, create: bool = True, readonly: bool = False) -> Project:
        """Open (and migrate) the project at ``path``, creating it when allowed.

        Raises ProjectError, never a bare sqlite3 error, when the file is missing,
        not a Factmark project, corrupt, from a newer Factmark, or read-only while
        a write is needed. A file that is not a Factmark project is never modified.
        """
        path = Path(path)
        exists = path.exists()
        if path.is_dir():
            raise ProjectError(f"{path}: is a folder, not a project file")
        if not exists and (not create or readonly):
            raise ProjectError(f"{path}: no such project file")
        if exists:
            _check_header(path)
            if not readonly and not _writable(path):
                raise ProjectError(
                    f"{path}: the project file is read-only; Factmark will not change it"
                )
        elif not path.parent.is_dir():
            raise ProjectError(f"{path}: the folder {path.parent} does not exist")
        conn: sqlite3.Connection | None = None
        try:
            conn = _connect(path, readonly)
            project = cls(path, conn, readonly)
            project._prepare(exists)
        except BaseException as error:
            # A refused file must not stay open: the connection would keep -wal/-shm
            # files beside it (and keep it locked on Windows).
            if conn is not None:
                conn.close()
            if isinstance(error, sqlite3.DatabaseError):
                raise ProjectError(f"{path}: {_explain(error)}") from None
            raise
        return project

    @classmethod
    def open_to_read(cls, path: str | Path) -> Project:
        """Open an existing project read-only (exports, statistics, merge sources).

        A project from an older Factmark is upgraded first, as opening it for work
        would (a backup copy of the old file is kept beside it), so that reading it
        does not ask the user to open it elsewhere; a read-only older file is refused.
        """
        try:
            return cls.open(path, create=False, readonly=True)
        except OlderProjectError as older:
            try:
                cls.open(path, create=False).close()
            except ProjectError:
                raise older from None
            return cls.open(path, create=False, readonly=True)

    def _prepare(self, existed: bool) -> None:
        """Check the file is a Factmark project this version can use, then migrate it.

        Nothing is written (not even the journal mode) until the checks have passed,
        so a refused file keeps its exact bytes.
        """
        tables = self.conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'")
        has_tables = tables.fetchone()[0] > 0
        applied = set(applied_names(self.conn)) if has_tables else set()
        if has_tables and not applied:
            raise ProjectError(f"{self.path}: not a Factmark project (an unrelated SQLite file)")
        unknown = applied - set(KNOWN_MIGRATIONS)
        if unknown:
            raise ProjectError(
                f"{self.path}: made by a newer Factmark (schema {sorted(unknown)[-1]}); "
                "update Factmark to open it"
            )
        pending = [name for name in KNOWN_MIGRATIONS if name not in applied]
        if self.readonly:
            if pending:
                raise OlderProjectError(
                    f"{self.path}: made by an older Factmark and needs upgrading, "
                    "which a read-only project cannot be"
                )
            return
        if pending and existed and applied:
            self.backup_path = self._backup(sorted(applied)[-1])
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("PRAGMA synchronous = FULL")
        if pending:
            migrations().apply(self.db)

    @property
    def db(self) -> Database:
        """The project's connection as a sqlite-utils ``Database`` (made when first asked
        for: the start of the app does without it)."""
        if self._db is None:
            from sqlite_utils import Database

            # No sqlite-utils plugins: a plugin must not change how projects are stored.
            self._db = Database(self.conn, execute_plugins=False)
        return self._db

    def _backup(self, version: str) -> Path:
        """Copy the file (consistently, through SQLite) before migrating it."""
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")  # distinct even within a second
        return self.copy_to(self.path.with_name(f"{self.path.name}.{version}.{stamp}.bak"))

    def copy_to(self, target: Path) -> Path:
        """A consistent copy of the whole project (to hand to another annotator)."""
        target = Path(target)
        if target.exists() and target.resolve() == self.path.resolve():
            raise ValidationError("a copy needs another file name than the project's own")
        backup = sqlite3.connect(target)
        try:
            self.conn.backup(backup)
        finally:
            backup.close()
        return target

    def close(self) -> None:
        """Close the database connection (checkpointing the WAL)."""
        if not self.readonly and not self._in_place():
            # SQLite does not checkpoint a moved file on close: what was saved would
            # stay in the log beside the old name. Put it in the file, wherever it is.
            with suppress(sqlite3.DatabaseError):
                self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.conn.close()

    def _in_place(self) -> bool:
        """Whether the project's path still names the file that was opened."""
        return _file_id(self._absolute) == self._file_id

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions and listeners -----------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction (``BEGIN IMMEDIATE``); nested calls use savepoints.

        Listeners hear of the changes once the outermost transaction has committed.
        Raises ProjectError for storage failures (read-only, disk full, locked).
        """
        conn = self.conn
        if conn.in_transaction:
            with self.db.atomic():
                yield
            return
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield
                if not self._in_place():
                    # SQLite would commit into a log beside a file that is gone, and
                    # the change would be lost when the project is closed.
                    raise ProjectError(
                        f"{self.path}: the project file was moved or deleted while it was "
                        "open; the change was not saved (open the project where it is now)"
                    )
            except BaseException:
                conn.rollback()
                self._pending.clear()
                raise
            conn.execute("COMMIT")
        except sqlite3.DatabaseError as error:
            if conn.in_transaction:
                conn.rollback()
            self._pending.clear()
            raise ProjectError(f"{self.path}: {_explain(error)}") from None
        self._flush()

    def subscribe(self, listener: Callable[[Change], None]) -> None:
        """Call ``listener(change)`` after every committed change."""
        self._listeners.append(listener)

    def unsubscribe(self, listener: Callable[[Change], None]) -> None:
        """Stop calling a listener given to :meth:`subscribe`."""
        if listener in self._listeners:
            self._listeners.remove(listener)

    def _notify(
        self, kind: str, document_id: int | None = None, span_ids: tuple[int, ...] = ()
    ) -> None:
        key = (kind, document_id)
        pending = self._pending.get(key)
        if pending is None:
            self._pending[key] = Change(kind, document_id, span_ids)
        else:
            merged = pending.span_ids + tuple(i for i in span_ids if i not in pending.span_ids)
            self._pending[key] = Change(kind, document_id, merged)
        if not self.conn.in_transaction:
            self._flush()

    def _flush(self) -> None:
        pending, self._pending = list(self._pending.values()), {}
        # A bulk change (an import of many documents) is reported once, as a whole.
        if sum(1 for change in pending if change.kind == "documents") > BULK_CHANGE:
            pending = [c for c in pending if c.kind != "documents"] + [Change("documents")]
        for change in pending:
            for listener in list(self._listeners):
                listener(change)

    def _query(self, sql: str, params: list[Any] | tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        try:
            cursor = self.conn.execute(sql, params)
            columns = [c[0] for c in cursor.description]
            return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
        except sqlite3.DatabaseError as error:
            raise ProjectError(f"{self.path}: {_explain(error)}") from None

    # -- labels --------------------------------------------------------------

    def labels(self) -> list[Label]:
        """The project's span labels in toolbar order."""
        return [
            Label(r["name"], r["key"], r["colour"], r["description"], r["position"])
            for r in self._query("SELECT * FROM labels ORDER BY position, name")
        ]

    def add_label(
        self, name: str, key: str = "", colour: str = "#999999", description: str = ""
    ) -> Label:
        """Add a span label at the end of the label list.

        The name must be new, the key one printable character no other label uses
        (or empty for none) and the colour ``#RRGGBB``; see :func:`check_label`.
        """
        with self.transaction():
            labels = self.labels()
            label = check_label(Label(name, key, colour, description, len(labels)), labels)
            self.conn.execute(
                "INSERT INTO labels (name, key, colour, description, position) "
                "VALUES (?, ?, ?, ?, ?)",
                [label.name, label.key, label.colour, label.description, label.position],
            )
        self._notify("labels")
        return label

    def update_label(self, name: str, /, **changes: Any) -> Label:
        """Rename, re-key, recolour or re-describe a label; spans follow a rename.

        ``update_label("claim", name="assertion", key="a")``: ``name`` is
        positional-only so that ``name=`` can be a change. The new values are
        checked as :meth:`add_label` checks them; changing nothing writes nothing
        and notifies no one.
        """
        allowed = {"name", "key", "colour", "description"}
        if not changes.keys() <= allowed:
            raise ValidationError(f"labels have no field {sorted(changes.keys() - allowed)}")
        with self.transaction():
            labels = self.labels()
            old = _find_label(labels, name)
            new = check_label(replace(old, **changes), [x for x in labels if x.name != name])
            if new == old:
                return old
            # spans.label is a foreign key with ON UPDATE CASCADE: a rename carries them along.
            self.conn.execute(
                "UPDATE labels SET name = ?, key = ?, colour = ?, description = ? WHERE name = ?",
                [new.name, new.key, new.colour, new.description, name],
            )
        self._notify("labels")
        return new

    def move_label(self, name: str, position: int) -> int:
        """Move a label to ``position`` (0 is first) in the toolbar order, shifting the
        labels in between; returns the position it had (for undo)."""
        with self.transaction():
            names = [label.name for label in self.labels()]
            old, names = _reordered(names, name, position, "label")
            self._number_rows("labels", names)
        self._notify("labels")
        return old

    def delete_label(self, name: str) -> Label:
        """Delete a label no span uses; returns it (with its position) so undo can
        add it back. Refuses a label in use rather than delete or orphan spans."""
        with self.transaction():
            labels = self.labels()
            label = _find_label(labels, name)
            used = self.label_span_counts().get(name, 0)
            if used:
                noun = "span uses" if used == 1 else "spans use"
                raise ValidationError(
                    f"label {name!r} cannot be deleted: {used} {noun} it; "
                    "relabel or delete them first"
                )
            self.conn.execute("DELETE FROM labels WHERE name = ?", [name])
            self._number_rows("labels", [x.name for x in labels if x.name != name])
        self._notify("labels")
        return label

    def label_span_counts(self) -> dict[str, int]:
        """How many spans use each label, every project label present (0 when unused)."""
        counts = {label.name: 0 for label in self.labels()}
        for r in self._query("SELECT label, count(*) AS n FROM spans GROUP BY label"):
            counts[r["label"]] = r["n"]
        return counts

    def _number_rows(self, table: str, names: list[str]) -> None:
        """Store ``names`` as the order of ``table`` (labels or relation types),
        positions 0, 1, 2, ..."""
        if table not in ("labels", "relation_types"):
            raise ValueError(f"{table!r} has no positions")
        self.conn.executemany(
            f"UPDATE {table} SET position = ? WHERE name = ?",
            [(position, name) for position, name in enumerate(names)],
        )

    def relation_types(self) -> list[str]:
        """The project's relation types in order."""
        rows = self._query("SELECT name FROM relation_types ORDER BY position, name")
        return [r["name"] for r in rows]

    def relation_type_rows(self) -> list[dict[str, Any]]:
        """Relation types with their description and how many links use each."""
        return self._query(
            "SELECT t.name, t.description, "
            "(SELECT count(*) FROM relations r WHERE r.label = t.name) AS links "
            "FROM relation_types t ORDER BY t.position, t.name"
        )

    def add_relation_type(self, name: str, description: str = "") -> str:
        """Add a relation type (a word, e.g. ``contradicts``) at the end of the list;
        returns its name as stored. The name is checked by :func:`check_relation_type`."""
        with self.transaction():
            names = self.relation_types()
            name = check_relation_type(name, names)
            self.conn.execute(
                "INSERT INTO relation_types (name, description, position) "
                "SELECT ?, ?, coalesce(max(position) + 1, 0) FROM relation_types",
                [name, _description(description)],
            )
        self._notify("labels")
        return name

    def update_relation_type(self, name: str, /, **changes: str) -> str:
        """Rename or re-describe a relation type; returns its name as stored.

        ``update_relation_type("part_of", name="located_in")``: the links using the
        type follow a rename in the same transaction (``relations.label`` is plain
        text, no foreign key), and each document they are in is reported as a
        "relations" change besides the "labels" one. The new name is checked as
        :meth:`add_relation_type` checks it; changing nothing writes nothing.
        """
        allowed = {"name", "description"}
        if not changes.keys() <= allowed:
            raise ValidationError(f"link types have no field {sorted(changes.keys() - allowed)}")
        with self.transaction():
            rows = {r["name"]: r for r in self.relation_type_rows()}
            if name not in rows:
                raise ValidationError(f"unknown link type {name!r}")
            others = [other for other in rows if other != name]
            new_name = check_relation_type(changes.get("name", name), others)
            description = _description(changes.get("description", rows[name]["description"]))
            if (new_name, description) == (name, rows[name]["description"]):
                return name
            self.conn.execute(
                "UPDATE relation_types SET name = ?, description = ? WHERE name = ?",
                [new_name, description, name],
            )
            if new_name != name:
                self._rename_relations(name, new_name)
        self._notify("labels")
        return new_name

    def _rename_relations(self, old: str, new: str) -> None:
        """Give the links of type ``old`` type ``new`` (inside a transaction)."""
        touched = self._query(
            "SELECT DISTINCT document_id FROM relations WHERE label = ? ORDER BY document_id", [old]
        )
        self.conn.execute("UPDATE relations SET label = ? WHERE label = ?", [new, old])
        for row in touched:
            self._notify("relations", row["document_id"])

    def move_relation_type(self, name: str, position: int) -> int:
        """Move a relation type to ``position`` (0 is first) in the list, shifting the
        types in between; returns the position it had."""
        with self.transaction():
            old, names = _reordered(self.relation_types(), name, position, "link type")
            self._number_rows("relation_types", names)
        self._notify("labels")
        return old

    def delete_relation_type(self, name: str) -> None:
        """Delete a relation type no link uses. Refuses one in use rather than delete
        links or leave them with a type the project does not list."""
        with self.transaction():
            rows = {r["name"]: r["links"] for r in self.relation_type_rows()}
            if name not in rows:
                raise ValidationError(f"unknown link type {name!r}")
            used = rows[name]
            if used:
                noun = "link uses" if used == 1 else "links use"
                raise ValidationError(
                    f"link type {name!r} cannot be deleted: {used} {noun} it; "
                    "delete those links first"
                )
            self.conn.execute("DELETE FROM relation_types WHERE name = ?", [name])
            self._number_rows("relation_types", [other for other in rows if other != name])
        self._notify("labels")

    # -- documents -----------------------------------------------------------

    def documents(
        self, status: str | None = None, search: str = "", ids: list[int] | None = None
    ) -> list[Document]:
        """Documents in import order, with their span counts but without their text.

        ``status`` keeps one status; ``search`` keeps documents whose title or text
        contains it, ignoring case in every script; ``ids`` keeps those ids.
        """
        clauses: list[str] = []
        params: list[str | int] = []
        if status:
            clauses.append("d.status = ?")
            params.append(status)
        if search:
            clauses.append("(fm_contains(d.title, ?) OR fm_contains(d.text, ?))")
            params += [search.casefold()] * 2
        if ids is not None:
            clauses.append(f"d.id IN ({', '.join('?' * len(ids))})")
            params += ids
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = self._query(
            "SELECT d.id, d.uid, d.title, d.meta, d.status, "
            "(SELECT count(*) FROM spans s WHERE s.document_id = d.id) AS span_count "
            f"FROM documents d {where} ORDER BY d.id",
            params,
        )
        return [
            Document(
                r["id"], r["uid"], r["title"], "", _loads(r["meta"]), r["status"], r["span_count"]
            )
            for r in rows
        ]

    def document(self, document_id: int) -> Document:
        """One document with its full text."""
        rows = self._query(
            "SELECT d.*, (SELECT count(*) FROM spans s WHERE s.document_id = d.id) "
            "AS span_count FROM documents d WHERE d.id = ?",
            [document_id],
        )
        if not rows:
            raise ValidationError(f"no document with id {document_id}")
        r = rows[0]
        return Document(
            r["id"],
            r["uid"],
            r["title"],
            r["text"],
            _loads(r["meta"]),
            r["status"],
            r["span_count"],
        )

    def document_count(self) -> int:
        """How many documents the project holds."""
        return int(self._query("SELECT count(*) AS n FROM documents")[0]["n"])

    def has_uid(self, uid: str) -> bool:
        """Whether a document with this text is already in the project."""
        return bool(self._query("SELECT 1 FROM documents WHERE uid = ?", [uid]))

    def set_status(self, document_id: int, status: str) -> str:
        """Set a document's status; returns the status it had (for undo)."""
        validate_status(status)
        old = self.document(document_id).status
        with self.transaction():
            self.conn.execute(
                "UPDATE documents SET status = ?, updated_at = ? WHERE id = ?",
                [status, now(), document_id],
            )
        self._notify("documents", document_id)
        return old

    def add_document(
        self, incoming: IncomingDocument, *, create_labels: bool = False
    ) -> tuple[int, int] | None:
        """Store a document with its spans and relations, all or nothing.

        Returns ``(document_id, span_count)``, or None when a document with the
        same text is already stored. Raises ValidationError for any bad part.
        """
        check_text(incoming.text)
        validate_status(incoming.status)
        uid = text_uid(incoming.text)
        if self.has_uid(uid):
            return None
        known = {label.name for label in self.labels()}
        for span in incoming.spans:
            validate_offsets(incoming.text, span.start, span.end)
            if span.text is not None and span.text != incoming.text[span.start : span.end]:
                raise ValidationError(
                    f"span {span.start}-{span.end} text {span.text!r} does not match the "
                    f"document text there ({incoming.text[span.start : span.end]!r})"
                )
            if span.label not in known and not create_labels:
                raise ValidationError(
                    f"unknown label {span.label!r} (project labels: {', '.join(sorted(known))})"
                )
            for name, value in (("annotator", span.annotator), ("note", span.note)):
                if value is not None and not isinstance(value, str):
                    raise ValidationError(f"a span {name} must be a string, got {value!r}")
            if span.ref is not None and not isinstance(span.ref, str | int | float | tuple):
                raise ValidationError(f"a span id must be a number or a string, got {span.ref!r}")
        refs = [span.ref for span in incoming.spans if span.ref is not None]
        if len(refs) != len(set(refs)):
            raise ValidationError("two spans share the same id")
        for relation in incoming.relations:
            for end in (relation.head, relation.child):
                if end not in refs:
                    raise ValidationError(
                        f"relation {relation.label!r} points at unknown span {end!r}"
                    )
            if not isinstance(relation.label, str) or not relation.label.strip():
                raise ValidationError(f"a relation needs a label, got {relation.label!r}")
        with self.transaction():
            stamp = now()
            inserted = self.conn.execute(
                "INSERT INTO documents (uid, title, text, meta, status, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    uid,
                    incoming.title,
                    incoming.text,
                    _dumps(incoming.meta),
                    incoming.status,
                    stamp,
                    stamp,
                ],
            )
            document_id = int(inserted.lastrowid or 0)
            for label in {span.label for span in incoming.spans} - known:
                self._insert_label(label)
                known.add(label)
            ids: dict[Any, int] = {}
            if incoming.relations:
                for span in incoming.spans:  # one by one: relations need each span's id
                    span_id = self._insert_span(
                        document_id,
                        span.start,
                        span.end,
                        span.label,
                        span.annotator,
                        span.note,
                        span.attrs,
                        stamp,
                    )
                    if span.ref is not None:
                        ids[span.ref] = span_id
            else:
                self._insert_spans(document_id, incoming.spans, stamp)
            for relation in incoming.relations:
                self._insert_relation(
                    document_id, ids[relation.head], ids[relation.child], relation.label
                )
        self._notify("documents", document_id)
        return document_id, len(incoming.spans)

    def _insert_label(self, name: str) -> None:
        position = int(self._query("SELECT count(*) AS n FROM labels")[0]["n"])
        self.conn.execute("INSERT INTO labels (name, position) VALUES (?, ?)", [name, position])

    # -- spans ---------------------------------------------------------------

    def spans(self, document_id: int) -> list[Span]:
        """A document's spans in text order (outer before inner at the same start)."""
        rows = self._query(
            'SELECT * FROM spans WHERE document_id = ? ORDER BY start, "end" DESC, label, id',
            [document_id],
        )
        return [_span(r) for r in rows]

    def span(self, span_id: int) -> Span:
        """One span by id."""
        rows = self._query("SELECT * FROM spans WHERE id = ?", [span_id])
        if not rows:
            raise ValidationError(f"no span with id {span_id}")
        return _span(rows[0])

    def add_span(
        self,
        document_id: int,
        start: int,
        end: int,
        label: str,
        annotator: str | None = None,
        note: str | None = None,
        attrs: dict[str, Any] | None = None,
        span_id: int | None = None,
    ) -> Span:
        """Label ``text[start:end]`` of a document; marks a new document in progress.

        ``span_id`` restores a deleted span under its old id (undo).
        """
        length, status = self._length_and_status(document_id)
        validate_offsets(length, start, end)
        self._check_label(label)
        with self.transaction():
            new_id = self._insert_span(
                document_id, start, end, label, annotator, note, attrs or {}, now(), span_id
            )
            if status == "new":
                self.conn.execute(
                    "UPDATE documents SET status = 'in_progress', updated_at = ? WHERE id = ?",
                    [now(), document_id],
                )
                self._notify("documents", document_id)
        self._notify("spans", document_id, (new_id,))
        return self.span(new_id)

    def status_of(self, document_id: int) -> str:
        """A document's status, without reading its text."""
        return self._length_and_status(document_id)[1]

    def _length_and_status(self, document_id: int) -> tuple[int, str]:
        """A document's text length in code points and its status, without its text.

        SQLite's length() counts characters, as Python does.
        """
        rows = self._query(
            "SELECT length(text) AS n, status FROM documents WHERE id = ?", [document_id]
        )
        if not rows:
            raise ValidationError(f"no document with id {document_id}")
        return int(rows[0]["n"]), str(rows[0]["status"])

    def _check_label(self, label: str) -> None:
        if not self._query("SELECT 1 FROM labels WHERE name = ?", [label]):
            raise ValidationError(f"unknown label {label!r}")

    def _insert_span(
        self,
        document_id: int,
        start: int,
        end: int,
        label: str,
        annotator: str | None,
        note: str | None,
        attrs: dict[str, Any],
        stamp: str,
        span_id: int | None = None,
    ) -> int:
        if annotator:
            self.conn.execute(
                "INSERT OR IGNORE INTO annotators (name, created_at) VALUES (?, ?)",
                [annotator, stamp],
            )
        cursor = self.conn.execute(
            'INSERT INTO spans (id, document_id, start, "end", label, annotator, note, attrs, '
            "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [span_id, document_id, start, end, label, annotator, note, _dumps(attrs), stamp, stamp],
        )
        return int(cursor.lastrowid or 0)

    def _insert_spans(self, document_id: int, spans: list[IncomingSpan], stamp: str) -> None:
        """Insert many spans at once (an import), with their annotators."""
        annotators = {span.annotator for span in spans if span.annotator}
        self.conn.executemany(
            "INSERT OR IGNORE INTO annotators (name, created_at) VALUES (?, ?)",
            [(name, stamp) for name in sorted(annotators)],
        )
        self.conn.executemany(
            'INSERT INTO spans (document_id, start, "end", label, annotator, note, attrs, '
            "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    document_id,
                    s.start,
                    s.end,
                    s.label,
                    s.annotator,
                    s.note,
                    _dumps(s.attrs),
                    stamp,
                    stamp,
                )
                for s in spans
            ],
        )

    def update_span(self, span_id: int, **changes: Any) -> Span:
        """Change a span's start, end, label, note or attrs; returns the span as it was."""
        allowed = {"start", "end", "label", "note", "attrs"}
        if not changes.keys() <= allowed:
            raise ValidationError(f"spans have no field {sorted(changes.keys() - allowed)}")
        old = self.span(span_id)
        start, end = changes.get("start", old.start), changes.get("end", old.end)
        validate_offsets(self._length_and_status(old.document_id or 0)[0], start, end)
        if "label" in changes:
            self._check_label(changes["label"])
        if "attrs" in changes:
            changes["attrs"] = _dumps(changes["attrs"])
        columns = ", ".join(f'"{column}" = ?' for column in changes)
        with self.transaction():
            self.conn.execute(
                f"UPDATE spans SET {columns}, updated_at = ? WHERE id = ?",
                [*changes.values(), now(), span_id],
            )
        self._notify("spans", old.document_id, (span_id,))
        return old

    def delete_span(self, span_id: int) -> tuple[Span, list[Relation]]:
        """Delete a span and its relations; returns both so undo can restore them."""
        span = self.span(span_id)
        relations = [
            r
            for r in self.relations(span.document_id or 0)
            if span_id in (r.head_span_id, r.child_span_id)
        ]
        with self.transaction():
            self.conn.execute("DELETE FROM spans WHERE id = ?", [span_id])
        self._notify("spans", span.document_id, (span_id,))
        return span, relations

    def restore_span(self, span: Span, relations: list[Relation]) -> None:
        """Put back a span (same id) and its relations as :meth:`delete_span` returned them."""
        with self.transaction():
            self._insert_span(
                span.document_id or 0,
                span.start,
                span.end,
                span.label,
                span.annotator,
                span.note,
                span.attrs,
                now(),
                span.id,
            )
            for relation in relations:
                self._insert_relation(
                    relation.document_id or 0,
                    relation.head_span_id,
                    relation.child_span_id,
                    relation.label,
                    relation.id,
                )
        self._notify("spans", span.document_id, (span.id or 0,))

    # -- suggestions -------------------------------------------------------------

    def suggestions(self, document_id: int) -> list[Suggestion]:
        """A document's suggestions awaiting review, in text order.

        Rejected suggestions and those a span with the same offsets and label has
        made redundant are left out.
        """
        rows = self._query(
            "SELECT g.* FROM suggestions g WHERE g.document_id = ? AND g.rejected_at IS NULL "
            "AND NOT EXISTS (SELECT 1 FROM spans s WHERE s.document_id = g.document_id "
            'AND s.start = g.start AND s."end" = g."end" AND s.label = g.label) '
            'ORDER BY g.start, g."end" DESC, g.label, g.id',
            [document_id],
        )
        return [_suggestion(r) for r in rows]

    def suggestion(self, suggestion_id: int) -> Suggestion:
        """One suggestion awaiting review, by id (ValidationError if none or rejected)."""
        rows = self._query(
            "SELECT * FROM suggestions WHERE id = ? AND rejected_at IS NULL", [suggestion_id]
        )
        if not rows:
            raise ValidationError(f"no suggestion with id {suggestion_id} awaits review")
        return _suggestion(rows[0])

    def add_suggestions(self, document_id: int, proposals: Iterable[Proposal]) -> int:
        """Store proposals for review in one transaction; returns how many were new.

        Skipped: proposals already stored (awaiting review or rejected before, so a
        refusal sticks) and those identical to an existing span. All are checked
        first (offsets, known label, confidence in [0, 1]); one bad proposal stores
        none. Suggestions never change the document's status.
        """
        proposals = list(proposals)
        length, _ = self._length_and_status(document_id)
        known = {label.name for label in self.labels()}
        for p in proposals:
            validate_offsets(length, p.start, p.end)
            if p.label not in known:
                raise ValidationError(f"unknown label {p.label!r}")
            if not isinstance(p.suggester, str) or not p.suggester:
                raise ValidationError(f"a suggestion needs a suggester, got {p.suggester!r}")
            if not 0.0 <= float(p.confidence) <= 1.0:
                raise ValidationError(f"confidence {p.confidence!r} is outside 0-1")
        with self.transaction():
            before = self.conn.total_changes
            stamp = now()
            self.conn.executemany(
                'INSERT OR IGNORE INTO suggestions (document_id, start, "end", label, suggester, '
                "confidence, created_at) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7 WHERE NOT EXISTS "
                "(SELECT 1 FROM spans WHERE document_id = ?1 AND start = ?2 "
                'AND "end" = ?3 AND label = ?4)',
                [
                    (document_id, p.start, p.end, p.label, p.suggester, float(p.confidence), stamp)
                    for p in proposals
                ],
            )
            added = self.conn.total_changes - before
        if added:
            self._notify("suggestions", document_id)
        return added

    def accept_suggestion(
        self, suggestion_id: int, annotator: str | None = None, span_id: int | None = None
    ) -> Span:
        """Turn a suggestion into a normal span in one transaction; returns the span.

        The span records ``annotator`` and ``attrs["suggested_by"]`` (the suggester),
        the suggestion is removed, and a new document becomes in progress as when
        a span is added by hand. ``span_id`` recreates the span under its old id (redo).
        """
        suggestion = self.suggestion(suggestion_id)
        document_id = suggestion.document_id or 0
        _, status = self._length_and_status(document_id)
        s = suggestion
        if self._query(
            'SELECT 1 FROM spans WHERE document_id = ? AND start = ? AND "end" = ? AND label = ?',
            [document_id, s.start, s.end, s.label],
        ):
            raise ValidationError(f"{s.start}-{s.end} is already labelled {s.label}")
        with self.transaction():
            stamp = now()
            new_id = self._insert_span(
                document_id,
                s.start,
                s.end,
                s.label,
                annotator,
                None,
                {"suggested_by": s.suggester},
                stamp,
                span_id,
            )
            self.conn.execute("DELETE FROM suggestions WHERE id = ?", [suggestion_id])
            if status == "new":
                self.conn.execute(
                    "UPDATE documents SET status = 'in_progress', updated_at = ? WHERE id = ?",
                    [stamp, document_id],
                )
                self._notify("documents", document_id)
            self._notify("spans", document_id, (new_id,))
            self._notify("suggestions", document_id)
        return self.span(new_id)

    def reject_suggestion(self, suggestion_id: int) -> Suggestion:
        """Hide a suggestion for good (suggesting again skips it); returns it for undo."""
        suggestion = self.suggestion(suggestion_id)
        with self.transaction():
            self.conn.execute(
                "UPDATE suggestions SET rejected_at = ? WHERE id = ?", [now(), suggestion_id]
            )
        self._notify("suggestions", suggestion.document_id)
        return suggestion

    def restore_suggestion(self, suggestion: Suggestion) -> None:
        """Put a suggestion back for review exactly as it was (same id), whether it was
        rejected or accepted (undo)."""
        s = suggestion
        with self.transaction():
            self.conn.execute(
                "DELETE FROM suggestions WHERE id = ? OR (document_id = ? AND start = ? "
                'AND "end" = ? AND label = ?)',
                [s.id, s.document_id, s.start, s.end, s.label],
            )
            self.conn.execute(
                'INSERT INTO suggestions (id, document_id, start, "end", label, suggester, '
                "confidence, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [s.id, s.document_id, s.start, s.end, s.label, s.suggester, s.confidence, now()],
            )
        self._notify("suggestions", s.document_id)

    def clear_suggestions(self, document_id: int) -> int:
        """Forget every suggestion of a document, rejected ones too, so suggesting again
        starts afresh; returns how many were awaiting review."""
        pending = len(self.suggestions(document_id))
        with self.transaction():
            self.conn.execute("DELETE FROM suggestions WHERE document_id = ?", [document_id])
        self._notify("suggestions", document_id)
        return pending

    def span_texts(self) -> list[tuple[str, str]]:
        """Distinct ``(text, label)`` of every span in the project, for suggesting the
        same text again wherever it appears (SQLite's substr counts code points)."""
        rows = self._query(
            'SELECT DISTINCT substr(d.text, s.start + 1, s."end" - s.start) AS text, s.label '
            "FROM spans s JOIN documents d ON d.id = s.document_id ORDER BY text, s.label"
        )
        return [(r["text"], r["label"]) for r in rows]

    # -- relations -----------------------------------------------------------

    def relations(self, document_id: int) -> list[Relation]:
        """A document's relations in creation order."""
        rows = self._query(
            "SELECT * FROM relations WHERE document_id = ? ORDER BY id", [document_id]
        )
        return [
            Relation(r["id"], r["document_id"], r["head_span_id"], r["child_span_id"], r["label"])
            for r in rows
        ]

    def add_relation(
        self, head_span_id: int, child_span_id: int, label: str, relation_id: int | None = None
    ) -> Relation:
        """Link two spans of the same document."""
        head, child = self.span(head_span_id), self.span(child_span_id)
        if head.document_id != child.document_id:
            raise ValidationError("a relation links two spans of the same document")
        if head_span_id == child_span_id:
            raise ValidationError("a span cannot be linked to itself")
        with self.transaction():
            new_id = self._insert_relation(
                head.document_id or 0, head_span_id, child_span_id, label, relation_id
            )
        self._notify("relations", head.document_id)
        return Relation(new_id, head.document_id, head_span_id, child_span_id, label)

    def _insert_relation(
        self, document_id: int, head: int, child: int, label: str, relation_id: int | None = None
    ) -> int:
        self.conn.execute(
            "INSERT OR IGNORE INTO relation_types (name, position) VALUES (?, ?)", [label, 100]
        )
        cursor = self.conn.execute(
            "INSERT INTO relations (id, document_id, head_span_id, child_span_id, label) "
            "VALUES (?, ?, ?, ?, ?)",
            [relation_id, document_id, head, child, label],
        )
        return int(cursor.lastrowid or 0)

    def delete_relation(self, relation_id: int) -> Relation:
        """Delete a relation; returns it so undo can restore it."""
        rows = self._query("SELECT * FROM relations WHERE id = ?", [relation_id])
        if not rows:
            raise ValidationError(f"no relation with id {relation_id}")
        r = rows[0]
        with self.transaction():
            self.conn.execute("DELETE FROM relations WHERE id = ?", [relation_id])
        self._notify("relations", r["document_id"])
        return Relation(
            r["id"], r["document_id"], r["head_span_id"], r["child_span_id"], r["label"]
        )

    # -- settings: guidelines, attributes ------------------------------------

    def setting(self, key: str, default: Any = None) -> Any:
        """A project setting (JSON value), or ``default``."""
        rows = self._query("SELECT value FROM settings WHERE key = ?", [key])
        return orjson.loads(rows[0]["value"]) if rows else default

    def set_setting(self, key: str, value: Any) -> None:
        """Store a project setting (any JSON value) in one transaction."""
        with self.transaction():
            self.conn.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, orjson.dumps(value).decode()],
            )
        self._notify("settings")

    def guidelines(self) -> str:
        """The project's annotation guidelines (Markdown)."""
        return str(self.setting("guidelines", ""))

    def set_guidelines(self, text: str) -> None:
        """Replace the project's annotation guidelines (Markdown) in one transaction.

        Newlines are stored as ``\\n`` (``\\r\\n`` and ``\\r`` converted, leading BOMs
        dropped), as for document text. Text holding NUL (binary data) or unpaired
        surrogates is refused with ValidationError, and the stored guidelines stay as
        they were. Empty text is allowed: the export card then has no guidelines
        section. Listeners hear a "settings" change.
        """
        if "\x00" in text:
            raise ValidationError(
                "binary data (the guidelines hold NUL characters), not Markdown text"
            )
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise ValidationError("the guidelines hold unpaired surrogates, not text") from None
        self.set_setting("guidelines", normalise_newlines(text))

    def attribute_definitions(self) -> dict[str, list[dict[str, Any]]]:
        """Per label, the attributes its spans can carry: name, values and keys."""
        value = self.setting("attributes", {})
        return value if isinstance(value, dict) else {}

    def update_document_meta(self, document_id: int, meta: dict[str, Any]) -> dict[str, Any]:
        """Replace a document's metadata; returns the metadata it had (for undo)."""
        old = self.document(document_id).meta
        with self.transaction():
            self.conn.execute(
                "UPDATE documents SET meta = ?, updated_at = ? WHERE id = ?",
                [_dumps(meta), now(), document_id],
            )
        self._notify("documents", document_id)
        return old

    # -- bulk reading ----------------------------------------------------------

    def export_rows(
        self, statuses: list[str]
    ) -> Iterator[tuple[Document, list[SpanRow], list[Relation]]]:
        """Stream documents with these statuses (all when empty), their spans and relations.

        Three ordered queries merged in step, so a large project is read once
        without a query per document. Spans come as light ``SpanRow`` tuples (attrs
        still JSON text), in text order, since exports read hundreds of thousands.
        """
        where = f"WHERE status IN ({', '.join('?' * len(statuses))})" if statuses else ""
        try:
            documents = self.conn.execute(
                f"SELECT id, uid, title, text, meta, status FROM documents {where} ORDER BY id",
                statuses,
            )
            spans = groupby(
                map(
                    SpanRow._make,
                    self.conn.execute(
                        'SELECT document_id, id, start, "end", label, annotator, note, attrs '
                        'FROM spans ORDER BY document_id, start, "end" DESC, label, id'
                    ),
                ),
                key=attrgetter("document_id"),
            )
            relations = groupby(
                starmap(
                    Relation,
                    self.conn.execute(
                        "SELECT id, document_id, head_span_id, child_span_id, label "
                        "FROM relations ORDER BY document_id, id"
                    ),
                ),
                key=attrgetter("document_id"),
            )
            span_group = next(spans, None)
            relation_group = next(relations, None)
            for doc_id, uid, title, text, meta, status in documents:
                while span_group is not None and span_group[0] < doc_id:
                    span_group = next(spans, None)
                doc_spans: list[SpanRow] = []
                if span_group is not None and span_group[0] == doc_id:
                    doc_spans = list(span_group[1])
                    span_group = next(spans, None)
                while relation_group is not None and relation_group[0] < doc_id:
                    relation_group = next(relations, None)
                doc_relations: list[Relation] = []
                if relation_group is not None and relation_group[0] == doc_id:
                    doc_relations = list(relation_group[1])
                    relation_group = next(relations, None)
                yield (
                    Document(doc_id, uid, title, text, _loads(meta), status, len(doc_spans)),
                    doc_spans,
                    doc_relations,
                )
        except sqlite3.DatabaseError as error:
            raise ProjectError(f"{self.path}: {_explain(error)}") from None

    # -- statistics ----------------------------------------------------------

    def has_relations(self, statuses: list[str]) -> bool:
        """Whether any document with these statuses (any status when empty) has relations."""
        where = f"WHERE d.status IN ({', '.join('?' * len(statuses))})" if statuses else ""
        rows = self._query(
            f"SELECT 1 FROM relations r JOIN documents d ON d.id = r.document_id {where} LIMIT 1",
            statuses,
        )
        return bool(rows)

    def annotators(self) -> list[str]:
        """Names of everyone who has made a span in this project, in name order."""
        rows = self._query("SELECT DISTINCT annotator FROM spans WHERE annotator IS NOT NULL")
        return sorted(r["annotator"] for r in rows)

    def status_counts(self) -> dict[str, int]:
        """How many documents have each status (all four statuses present)."""
        counts = dict.fromkeys(("new", "in_progress", "done", "skipped"), 0)
        for r in self._query("SELECT status, count(*) AS n FROM documents GROUP BY status"):
            counts[r["status"]] = r["n"]
        return counts

    def stats(self) -> dict[str, dict[str, int]]:
        """Documents by status, spans by label and spans by annotator."""
        by_status = self.status_counts()
        by_label = self.label_span_counts()
        by_annotator = {
            (r["annotator"] or "(none)"): r["n"]
            for r in self._query(
                "SELECT annotator, count(*) AS n FROM spans GROUP BY annotator ORDER BY annotator"
            )
        }
        return {
            "documents": by_status,
            "spans_by_label": by_label,
            "spans_by_annotator": by_annotator,
        }


def check_label(label: Label, others: list[Label]) -> Label:
    """The label tidied (name, key and description stripped, colour in capitals), or
    ValidationError with a message for the user when it breaks a rule.

    Names are non-empty, printable and differ from the ``others`` (ignoring case, so
    "Claim" cannot sit beside "claim"). A key is a keyboard shortcut: empty for none,
    else one printable character no other label uses, again ignoring case (Qt treats
    "a" and "A" as the same key). Colours are ``#RRGGBB``.
    """
    fields = (label.name, label.key, label.colour, label.description)
    if not all(isinstance(value, str) for value in fields):
        raise ValidationError(f"label fields must be text, got {fields!r}")
    name, key = label.name.strip(), label.key.strip()
    if not name:
        raise ValidationError("a label needs a name")
    if not name.isprintable():
        raise ValidationError(f"a label name cannot hold line breaks or tabs: {name!r}")
    _check_unique(name, [other.name for other in others], "label")
    if len(key) > 1 or not key.isprintable():
        raise ValidationError(
            f"a label key is one character (a letter, digit or sign) or none, got {key!r}"
        )
    for other in others:
        if key and other.key.casefold() == key.casefold():
            raise ValidationError(f"key {key!r} is taken by label {other.name!r}")
    if not COLOUR_PATTERN.fullmatch(label.colour):
        raise ValidationError(
            f"a label colour is written #RRGGBB, e.g. #E69F00, got {label.colour!r}"
        )
    return replace(
        label,
        name=name,
        key=key,
        colour=label.colour.upper(),
        description=label.description.strip(),
    )


def check_relation_type(name: str, others: list[str]) -> str:
    """The relation type name stripped, or ValidationError with a message for the user.

    A type is one word (exporters such as brat need that), e.g. ``contradicts``, and
    differs from the ``others`` ignoring case, as label names do.
    """
    if not isinstance(name, str):
        raise ValidationError(f"a link type name is text, got {name!r}")
    name = name.strip()
    if not name:
        raise ValidationError("a link type needs a name")
    if not name.isprintable() or any(char.isspace() for char in name):
        raise ValidationError(f"a link type is one word, e.g. contradicts, not {name!r}")
    _check_unique(name, others, "link type")
    return name


def _check_unique(name: str, others: list[str], what: str) -> None:
    """Refuse a ``name`` that one of ``others`` has already, ignoring case."""
    for other in others:
        if other.casefold() == name.casefold():
            as_named = "" if other == name else f" (as {other!r})"
            raise ValidationError(f"{what} {name!r} exists already{as_named}")


def _description(value: object) -> str:
    if not isinstance(value, str):
        raise ValidationError(f"a description is text, got {value!r}")
    return value.strip()


def _reordered(names: list[str], name: str, position: int, what: str) -> tuple[int, list[str]]:
    """The index of ``name`` in ``names`` and the names with it moved to ``position``;
    ValidationError for an unknown name or a position outside the list."""
    if name not in names:
        raise ValidationError(f"unknown {what} {name!r}")
    if not isinstance(position, int) or not 0 <= position < len(names):
        raise ValidationError(f"{what} position {position!r} is outside 0-{len(names) - 1}")
    old = names.index(name)
    moved = [other for other in names if other != name]
    moved.insert(position, name)
    return old, moved


def _find_label(labels: list[Label], name: str) -> Label:
    for label in labels:
        if label.name == name:
            return label
    raise ValidationError(f"unknown label {name!r}")


def _suggestion(r: dict[str, Any]) -> Suggestion:
    return Suggestion(
        r["id"], r["document_id"], r["start"], r["end"], r["label"], r["suggester"], r["confidence"]
    )


def _span(r: dict[str, Any]) -> Span:
    return Span(
        r["id"],
        r["document_id"],
        r["start"],
        r["end"],
        r["label"],
        r["annotator"],
        r["note"],
        _loads(r["attrs"]),
    )


def _check_header(path: Path) -> None:
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_MAGIC))
    except OSError as error:
        raise ProjectError(f"{path}: cannot be read ({error.strerror})") from None
    if header and header != SQLITE_MAGIC:
        raise ProjectError(f"{path}: not a Factmark project (not an SQLite database)")


def _file_id(path: Path) -> tuple[int, int] | None:
    """Which file ``path`` names (device and inode), or None when there is none."""
    try:
        found = path.stat()
    except OSError:
        return None
    return found.st_dev, found.st_ino


def _writable(path: Path) -> bool:
    """Whether we may write the project: the OS allows it and the file is not marked
    read-only (no write bit), which counts even for an administrator."""
    return (
        os.access(path, os.W_OK)
        and os.access(path.parent, os.W_OK)
        and bool(path.stat().st_mode & 0o222)
    )


def _connect(path: Path, readonly: bool) -> sqlite3.Connection:
    if readonly:
        # immutable=1 reads a WAL-mode file without creating -shm/-wal beside it,
        # which a read-only file or folder would not allow.
        flags = "mode=ro" if _writable(path) else "mode=ro&immutable=1"
        uri = f"{path.resolve().as_uri()}?{flags}"
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    else:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.create_function("fm_contains", 2, _contains, deterministic=True)
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        # Reading the schema fails at once on a damaged header; quick_check reads
        # every page, so damage in the middle of the file is found now, before
        # anything is written, rather than in the middle of someone's work.
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        problems = [row[0] for row in conn.execute("PRAGMA quick_check(5)").fetchall()]
    except BaseException:
        conn.close()
        raise
    if problems != ["ok"]:
        conn.close()
        raise sqlite3.DatabaseError(f"database disk image is malformed: {'; '.join(problems)}")
    # Journal mode and synchronous are set by Project._prepare once the file is accepted.
    return conn


def _contains(haystack: str | None, folded_needle: str) -> bool:
    """SQL ``fm_contains``: case-insensitive substring test in any script (LIKE is ASCII-only)."""
    return bool(haystack) and folded_needle in haystack.casefold()  # type: ignore[union-attr]


def _explain(error: sqlite3.DatabaseError) -> str:
    message = str(error)
    if "not a database" in message or "malformed" in message:
        return f"the project file is damaged or not a Factmark project ({message})"
    if "readonly" in message:
        return "the project file is read-only; nothing was changed"
    if "locked" in message or "busy" in message:
        return "the project is busy in another Factmark window or command; try again"
    if "full" in message:
        return "the disk is full; the last change was not saved"
    return message
