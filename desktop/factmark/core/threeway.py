"""Three-way merge of a copy that remembers its base (see :mod:`factmark.core.copies`).

For every span, link and attribute the merge compares three versions: the copy's
**base** (what the copy held when it was made), the **copy** now and the **target** now.

- Spans are identified by ``(annotator, start, end, label)`` within a document (matched
  by its text's uid); their content is the note and each attribute. Moving or relabelling
  a span is deleting one and adding another. Links are identified by their two spans'
  identities and their type; their content, as a span's, is their note and each of their
  attributes (``quote``), merged field by field, an edit on both sides queued as a
  conflict of kind ``relation``.
- What the copy changed since its base and the target did not is applied: added,
  changed and **deleted** spans and links, and each attribute and note on its own (two
  colleagues setting different attributes of one span both count).
- A span the copy deleted is recognised by its base, or by a **tombstone**: every
  project records what it deleted (triggers on the spans and links tables), and a merge
  carries deletions on, so that A's deletion merged into B reaches C when B is merged
  into C. A deleted span comes back only if it is added again under the same identity.
- An edit in both since the base (different values of one field, or an edit on one side
  and a deletion on the other) is a **conflict**: the target keeps its version, the
  merge changes nothing of that field, and the conflict is queued in ``merge_conflicts``
  for a decision in review mode (F7 shows the next one). Never by timestamp. The same
  conflict (same span, same two versions) is queued once, and not again once decided, so
  merging the same copy twice changes nothing.
- A span the target took from this same copy and has not edited since follows the copy
  (the copy is then its only author): later rounds of edits by the annotator apply.
  Each span a merge compares records in its ``origin`` the copy's version it last saw
  (``last_copy``, ``last_held``): the next round of that copy merges each field against
  that version, so the target's edits since (a ``review`` mark, a decided conflict) stay
  and the annotator's later edits of other fields apply, without a conflict.
- A later round applies only what the copy changed since the round before: the target
  records each deletion of the copy it took (``deletions_taken``: it deleted the span or
  link, queued the conflict the deletion made, or had deleted it too), with the copy's
  tombstone it came from, and a later round of the same copy passes over it, so a span
  or link the lead added again stays. A new tombstone of the same identity (the
  annotator added it again and deleted it again) is a new deletion; another copy's
  deletion of it is that copy's own.
- A tombstone of the copy whose span the copy's base did not hold (the copy added the
  span, then deleted it) deletes the target's span only if it is the same span: each
  tombstone records where its span came from (made in the copy, or merged into it from
  another copy), and the target's span must have come from there too. A span made in the
  target itself, or taken from yet another copy (the same gold span accepted in another
  copy), was never the copy's, so its tombstone stands for another span and it stays. A
  link the copy added and removed is, likewise, the target's only if both its ends are.
  A tombstone of an older Factmark does not say: any span the target took from a copy is
  taken for it, as before.
- A document's status follows the same rule, except that a document in progress on one
  side and done or skipped on the other becomes done or skipped (it moved on; not a
  conflict). Done against skipped is a conflict.
- **Provenance**: a span added or changed by a merge records in ``spans.origin`` the
  copy it came from (its id, annotator and file name) and when it was last edited there;
  a span that came to the copy from yet another copy keeps that first copy.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import orjson

from factmark.core.model import ValidationError
from factmark.core.project import Project, ProjectError
from factmark.core.storage import now
from factmark.core.validation import (
    RelationKey,
    SpanContent,
    SpanKey,
    Verdict,
    canonical_attrs,
    relation_key,
    span_content,
    span_key,
    span_origin,
)

Rows = Callable[[str], Iterator[tuple[Any, ...]]]
_COPY_TABLES = ("copy_origin", "merge_base", "tombstones")
MISSING = object()  # a field one version lacks
# Status a document moves on to from "in progress" without it being a conflict.
_MOVED_ON = {"done", "skipped"}


@dataclass
class DocumentBase:
    """One document as the copy held it when made."""

    status: str | None = None
    spans: dict[SpanKey, SpanContent] = field(default_factory=dict)
    relations: dict[RelationKey, SpanContent] = field(default_factory=dict)
    # The base's span rows as stored (identity, content: JSON), put in ``spans`` when
    # needed (read_spans): a document the copy left as it was needs none of them parsed.
    stored: list[tuple[str, str]] = field(default_factory=list)
    # Once found the same as the copy's spans (same_spans): those, by identity as stored.
    same: dict[str, str] | None = None

    def read_spans(self) -> None:
        """Put the stored span rows in ``spans`` (a row that breaks the rules, reported
        when the base was checked, is passed over); none when they are the copy's spans
        (:meth:`span` parses only those asked for)."""
        if self.same is not None:
            return
        for key, content in self.stored:
            try:
                self.spans[span_key(key)] = span_content(content)
            except (ValidationError, orjson.JSONDecodeError):
                continue
        self.stored = []

    def same_spans(self, stored: dict[str, str]) -> bool:
        """Whether the base's spans are, as stored, exactly ``stored`` (identity -> content,
        JSON as a copy writes it): then their values are the same too."""
        if (
            not self.spans
            and len(self.stored) == len(stored)
            and all(stored.get(key) == content for key, content in self.stored)
        ):
            self.same = stored
        return self.same is not None

    def span(self, key: SpanKey) -> SpanContent | None:
        """The base's content of the span ``key`` (None: the base lacks it)."""
        if self.same is None:
            return self.spans.get(key)
        found = self.same.get(_dumps(key))
        return None if found is None else span_content(found)

    def holds(self, key: SpanKey) -> bool:
        """Whether the base holds the span ``key``."""
        return key in self.spans if self.same is None else _dumps(key) in self.same


@dataclass
class Deleted:
    """What a project records it deleted in one document (its tombstones), and each
    tombstone's number (its row id: a later deletion of the same identity gets another)."""

    spans: dict[SpanKey, SpanContent] = field(default_factory=dict)
    relations: dict[RelationKey, SpanContent] = field(default_factory=dict)
    span_rows: dict[SpanKey, int] = field(default_factory=dict)
    relation_rows: dict[RelationKey, int] = field(default_factory=dict)
    # Where each deleted span came from: the copy it was merged from, "" when it was made
    # in the project itself, None when not known (a tombstone of an older Factmark).
    span_origins: dict[SpanKey, str | None] = field(default_factory=dict)


@dataclass
class CopyBase:
    """A copy's origin, checked from the copy file, and its base, tombstones and span
    provenance read a document at a time as the merge goes (:meth:`load`): a copy's whole
    base is as large as its spans."""

    copy_id: str
    annotator: str | None
    file: str
    rows: Rows | None = None  # reads the copy
    # The document being merged's: its base (by uid), tombstones (by the copy's document
    # id) and span provenance (by the copy's span id, read when first asked for).
    documents: dict[str, DocumentBase] = field(default_factory=dict)
    deleted: dict[int, Deleted] = field(default_factory=dict)
    origins: dict[int, dict[str, str]] = field(default_factory=dict)
    _document: int | None = None  # the copy's document id the origins are read for
    _origins_read: bool = False
    _streams: dict[str, _ByDocument] = field(default_factory=dict)

    def load(self, doc_id: int) -> DocumentBase | None:
        """Read the base and tombstones of the copy's document ``doc_id`` in place of the
        document's before (its base: None when the base lacks the document). Rows that
        break the rules were reported by :func:`read_copy_base` and are passed over."""
        self.documents.clear()
        self.deleted.clear()
        self.origins.clear()
        self._document, self._origins_read = doc_id, False
        for _, _rowid, uid, kind, key, content in sorted(
            self._stream("base", _BASE_STREAM, _BASE_ONE).take(doc_id), key=_second
        ):
            if kind == "span" and isinstance(key, str) and isinstance(content, str):
                document = self.documents.setdefault(uid, DocumentBase())
                document.stored.append((key, content))
                continue
            try:
                _add_base_row(self.documents, uid, kind, key, content)
            except (ValidationError, orjson.JSONDecodeError):
                continue
        for _, rowid, _, *row in self._stream("tombstones", _TOMBSTONE_STREAM, _TOMBSTONE_ONE).take(
            doc_id
        ):
            try:
                _add_tombstone(self.deleted.setdefault(doc_id, Deleted()), row, rowid)
            except ValidationError:
                continue
        return next(iter(self.documents.values()), None)

    def status(self, doc_id: int) -> str | None:
        """The status the copy's document ``doc_id`` had in the base (None: none)."""
        documents: dict[str, DocumentBase] = {}
        for _rowid, uid, kind, key, content in self._read(_STATUS_ONE.format(doc_id)):
            try:
                _add_base_row(documents, uid, kind, key, content)
            except (ValidationError, orjson.JSONDecodeError):
                continue
        found = next(iter(documents.values()), None)
        return found.status if found is not None else None

    def origin(self, span_id: int, updated: str) -> str:
        """The provenance a span of the copy (of the document loaded) gets in the target
        (JSON)."""
        if not self._origins_read and self._document is not None:
            self._origins_read = True
            for found_id, value in self._read(_ORIGINS_ONE.format(self._document)):
                try:
                    parsed = span_origin(value)
                except ValidationError:
                    continue
                if parsed:
                    self.origins[found_id] = parsed
        found = self.origins.get(span_id)
        if found is None or "copy" not in found:
            found = {"copy": self.copy_id, "file": self.file, "at": updated}
            if self.annotator:
                found["annotator"] = self.annotator
        return orjson.dumps(found, option=orjson.OPT_SORT_KEYS).decode()

    def _read(self, sql: str) -> Iterator[tuple[Any, ...]]:
        return iter(()) if self.rows is None else self.rows(sql)

    def _stream(self, name: str, ordered: str, one: str) -> _ByDocument:
        found = self._streams.get(name)
        if found is None:
            found = self._streams[name] = _ByDocument(self._read, ordered, one)
        return found


class _ByDocument:
    """The rows of a query in the copy's document order (its first column), a document at
    a time: one stream while documents are asked for in that order, and a query of the
    document's own for one asked out of order."""

    def __init__(self, read: Rows, ordered: str, one: str) -> None:
        self._read, self._ordered, self._one = read, ordered, one
        self._rows: Iterator[tuple[Any, ...]] | None = None
        self._next: tuple[Any, ...] | None = None
        self._last: int | None = None

    def take(self, doc_id: int) -> list[tuple[Any, ...]]:
        """The rows of the copy's document ``doc_id``."""
        if self._last is not None and doc_id <= self._last:
            return list(self._read(self._one.format(doc_id)))
        if self._rows is None:
            self._rows = self._read(self._ordered)
            self._next = next(self._rows, None)
        self._last = doc_id
        found = []
        while self._next is not None and self._next[0] <= doc_id:
            if self._next[0] == doc_id:
                found.append(self._next)
            self._next = next(self._rows, None)
        return found


def _second(row: tuple[Any, ...]) -> Any:
    return row[1]


# The copy's base and tombstones of a document (its id formatted in as an integer).
_BASE_COLUMNS = "d.id, m.rowid, m.uid, m.kind, m.key, m.content"
_BASE_STREAM = (
    f"SELECT {_BASE_COLUMNS} FROM documents d JOIN merge_base m ON m.uid = d.uid ORDER BY d.id"
)
_BASE_ONE = (
    f"SELECT {_BASE_COLUMNS} FROM documents d JOIN merge_base m ON m.uid = d.uid WHERE d.id = {{}}"
)
_STATUS_ONE = (
    "SELECT m.rowid, m.uid, m.kind, m.key, m.content FROM documents d JOIN merge_base m "
    "ON m.uid = d.uid AND m.kind = 'document' WHERE d.id = {} ORDER BY m.rowid"
)
_TOMBSTONE_COLUMNS = (
    'document_id, kind, annotator, start, "end", label, note, attrs, '
    "child_annotator, child_start, child_end, child_label, link, origin"
)
_TOMBSTONE_STREAM = (
    f"SELECT document_id, rowid, {_TOMBSTONE_COLUMNS} FROM tombstones "
    "WHERE typeof(document_id) = 'integer' ORDER BY document_id, rowid"
)
_TOMBSTONE_ONE = (
    f"SELECT document_id, rowid, {_TOMBSTONE_COLUMNS} FROM tombstones "
    "WHERE typeof(document_id) = 'integer' AND document_id = {} ORDER BY rowid"
)
_ORIGINS_ONE = (
    "SELECT id, origin FROM spans WHERE typeof(document_id) = 'integer' "
    "AND document_id = {} AND origin IS NOT NULL"
)


def read_copy_base(
    conn: sqlite3.Connection, rows: Rows, file: str, verdict: Verdict
) -> CopyBase | None:
    """The base of the copy open on ``conn`` (read through ``rows``), or None when it has
    none (made by an older Factmark, or not made as a copy). Every row of the base, the
    tombstones and the spans' provenance is checked here, one at a time, and those that
    break the rules are added to ``verdict`` as problems; the merge reads them again a
    document at a time (:meth:`CopyBase.load`)."""
    found = dict(
        conn.execute(
            "SELECT name, type FROM sqlite_master WHERE name IN (?, ?, ?)", _COPY_TABLES
        ).fetchall()
    )
    if "copy_origin" not in found:
        return None
    for name in _COPY_TABLES:
        if found.get(name) != "table":
            what = "missing" if name not in found else f"a {found[name]}, not a table"
            raise ProjectError(f"not a Factmark project (its {name} table is {what})")
    origin = list(rows("SELECT rowid, copy_id, annotator FROM copy_origin ORDER BY rowid LIMIT 2"))
    if not origin:
        return None
    if len(origin) > 1 or not isinstance(origin[0][1], str):
        verdict.add("copy_origin", origin[0][0], ValidationError("not one copy id of text"))
        return None
    annotator = origin[0][2] if isinstance(origin[0][2], str) else None
    base = CopyBase(origin[0][1], annotator, file, rows)
    _check_base(rows, verdict)
    _check_tombstones(rows, verdict)
    for span_id, value in rows("SELECT id, origin FROM spans WHERE origin IS NOT NULL"):
        try:
            span_origin(value)
        except ValidationError as error:
            verdict.add("spans", span_id, error)
            verdict.bad_spans.add(span_id)
    return base


def _check_base(rows: Rows, verdict: Verdict) -> None:
    documents: dict[str, DocumentBase] = {}
    for rowid, uid, kind, key, content in rows(
        "SELECT rowid, uid, kind, key, content FROM merge_base"
    ):
        try:
            _add_base_row(documents, uid, kind, key, content)
        except (ValidationError, orjson.JSONDecodeError) as error:
            verdict.add("merge_base", rowid, ValidationError(str(error)))
        documents.clear()  # checked, not kept


def _add_base_row(
    documents: dict[str, DocumentBase], uid: object, kind: object, key: object, content: object
) -> None:
    if not isinstance(uid, str):
        raise ValidationError("the document uid is not text")
    document = documents.setdefault(uid, DocumentBase())
    if kind == "document":
        status = orjson.loads(content) if isinstance(content, str) else None
        if not isinstance(status, str):
            raise ValidationError(f"status {content!r} is not JSON text")
        document.status = status
    elif kind == "span":
        document.spans[span_key(key)] = span_content(content)
    elif kind == "relation":
        # A copy made before links had a note and attributes stored "[]".
        empty = content == "[]"
        found = (None, "{}") if empty else span_content(content)
        document.relations[relation_key(key)] = found
    else:
        raise ValidationError(f"unknown kind {kind!r}")


def _check_tombstones(rows: Rows, verdict: Verdict) -> None:
    for rowid, doc_id, *row in rows(f"SELECT rowid, {_TOMBSTONE_COLUMNS} FROM tombstones"):
        try:
            if type(doc_id) is not int:
                raise ValidationError("the document id is not an integer")
            _add_tombstone(Deleted(), row)
        except ValidationError as error:
            verdict.add("tombstones", rowid, error)


def _add_tombstone(deleted: Deleted, row: list[Any], rowid: int | None = None) -> None:
    kind, annotator, start, end, label, note, attrs, *child, link, origin = row
    key = span_key((annotator, start, end, label))
    if kind == "span":
        deleted.spans[key] = span_content((note, attrs))
        deleted.span_origins[key] = _tombstone_origin(origin)
        if rowid is not None:
            deleted.span_rows[key] = rowid
    elif kind == "relation":
        if not isinstance(link, str):
            raise ValidationError("the link type is not text")
        relation = (key, span_key(tuple(child)), link)
        deleted.relations[relation] = span_content((note, attrs))
        if rowid is not None:
            deleted.relation_rows[relation] = rowid
    else:
        raise ValidationError(f"unknown kind {kind!r}")


def _tombstone_origin(value: object) -> str | None:
    """The copy a deleted span came from, as its tombstone records it: "" when made in
    the project itself, None when the tombstone does not say (an older Factmark's)."""
    if value is None or value == "":
        return value
    found = span_origin(value)  # ValidationError when not a JSON object of text values
    return (found or {}).get("copy", "")


# -- deciding ---------------------------------------------------------------------


def _fields(content: SpanContent) -> dict[str, object]:
    note, attrs = content
    found: dict[str, object] = {"note": note}
    if attrs != "{}":
        found.update({f"attrs.{k}": v for k, v in orjson.loads(attrs).items()})
    return found


def _content(fields: dict[str, object]) -> SpanContent:
    attrs = {k[6:]: v for k, v in fields.items() if k.startswith("attrs.") and v is not MISSING}
    note = fields.get("note")
    dumped = orjson.dumps(attrs, option=orjson.OPT_SORT_KEYS).decode() if attrs else "{}"
    return (note if isinstance(note, str) else None, dumped)


def merge_content(
    base: SpanContent, source: SpanContent, target: SpanContent
) -> tuple[SpanContent, SpanContent, bool]:
    """Three-way merge of a span's note and attributes, field by field: the result with
    the target's value where both changed a field, the result with the source's there,
    and whether any field was changed on both sides (a conflict)."""
    b, s, t = _fields(base), _fields(source), _fields(target)
    keep: dict[str, object] = {}
    take: dict[str, object] = {}
    conflict = False
    for name in {**b, **s, **t}:
        bv, sv, tv = b.get(name, MISSING), s.get(name, MISSING), t.get(name, MISSING)
        if sv in (tv, bv):
            keep[name] = take[name] = tv
        elif tv == bv:
            keep[name] = take[name] = sv
        else:
            keep[name], take[name] = tv, sv
            conflict = True
    return _content(keep), _content(take), conflict


def status_decision(base: str | None, source: str, target: str) -> str:
    """``"keep"``, ``"take"`` (the source's) or ``"conflict"`` for a document's status."""
    if source in (target, base):
        return "keep"
    if target == base:
        return "take"
    if {source, target} & {"in_progress"} and {source, target} & _MOVED_ON:
        return "take" if source in _MOVED_ON else "keep"
    return "conflict"


# -- writing the target -----------------------------------------------------------


# How many of the spans a merge deleted that were not the copy's annotator's are named.
DELETED_LISTED = 50


@dataclass
class Tally:
    """What a three-way merge did, for the report."""

    spans_added: int = 0
    spans_changed: int = 0
    spans_deleted: int = 0
    relations_added: int = 0
    relations_changed: int = 0
    relations_deleted: int = 0
    queued: list[str] = field(default_factory=list)  # one line per conflict queued
    # One line per span deleted that is not the copy's annotator's own, the first
    # DELETED_LISTED of them (a copy deleting a label may delete hundreds of thousands),
    # and how many there were.
    deleted: list[str] = field(default_factory=list)
    deleted_count: int = 0
    gone: list[SpanKey] = field(default_factory=list)  # deleted in the document being merged
    # Spans to add, written many at once (flush); the spans of the document being merged
    # that links added need at once (their ids).
    pending: list[list[Any]] = field(default_factory=list)
    ends: set[SpanKey] = field(default_factory=set)
    # The target's documents holding spans an earlier merge of this copy took or saw:
    # the copy may have gone back to its base there.
    taken: set[int] = field(default_factory=set)
    # The copy's deletions of the document being merged that rounds took
    # (deletions_taken; read a document at a time, :meth:`load_deletions`): (target
    # document, kind, identity as JSON) -> the copy's tombstone number (None: no
    # tombstone); those this round takes, to be written.
    copy_id: str = ""
    deletions: dict[tuple[int, str, str], int | None] = field(default_factory=dict)
    deletions_taken: list[list[Any]] = field(default_factory=list)

    def flush(self, conn: sqlite3.Connection) -> None:
        """Write the spans waiting to be added, and the deletions taken."""
        conn.executemany(_INSERT_SPAN, self.pending)
        self.pending.clear()
        self._write_deletions(conn)

    def load_deletions(self, conn: sqlite3.Connection, doc_id: int) -> None:
        """Read the copy's deletions of the target's document ``doc_id`` that rounds took
        in place of the document's before (those this round took so far are written first):
        a copy that deleted a label over hundreds of thousands of spans has as many, and
        only one document's are held at a time."""
        self._write_deletions(conn)
        self.deletions = {
            (doc_id, kind, key): tombstone
            for kind, key, tombstone in conn.execute(
                "SELECT kind, key, tombstone FROM deletions_taken WHERE document_id = ? "
                "AND copy_id = ?",
                [doc_id, self.copy_id],
            )
        }

    def _write_deletions(self, conn: sqlite3.Connection) -> None:
        if self.deletions_taken:
            conn.executemany(
                "INSERT OR REPLACE INTO deletions_taken (document_id, copy_id, kind, key, "
                "tombstone) VALUES (?, ?, ?, ?, ?)",
                self.deletions_taken,
            )
            self.deletions_taken.clear()

    def taken_before(self, doc_id: int, kind: str, key: str, tombstone: int | None) -> bool:
        """Whether an earlier round of this copy took this deletion of the copy: the
        same tombstone of the copy, or none both times (the copy lacks a span or link of
        its base); a new tombstone is a new deletion (added again, deleted again)."""
        found = self.deletions.get((doc_id, kind, key), MISSING)
        return found is not MISSING and found == tombstone

    def take(self, doc_id: int, kind: str, key: str, tombstone: int | None) -> None:
        """Record that this round took the copy's deletion (deleted the target's span or
        link, queued the conflict it makes, or found the target had deleted it too)."""
        self.deletions[(doc_id, kind, key)] = tombstone
        self.deletions_taken.append([doc_id, self.copy_id, kind, key, tombstone])


_INSERT_SPAN = (
    'INSERT INTO spans (document_id, start, "end", label, annotator, note, attrs, created_at, '
    "updated_at, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
# Spans waiting to be added at most (then written).
PENDING = 5000


@dataclass
class _TargetSpan:
    id: int
    content: SpanContent
    updated: str
    origin: dict[str, str] | None


def _dumps(value: object) -> str:
    return orjson.dumps(value).decode()


def queue_conflict(
    conn: sqlite3.Connection,
    doc_id: int,
    kind: str,
    key: str,
    target: str,
    source: str,
    copy: str,
) -> bool:
    """Queue one conflict unless the same one (same item, same two versions) is already
    queued or decided; whether it was queued."""
    known = conn.execute(
        "SELECT 1 FROM merge_conflicts WHERE document_id = ? AND kind = ? AND key = ? "
        "AND target = ? AND source = ?",
        [doc_id, kind, key, target, source],
    ).fetchone()
    if known is not None:
        return False
    conn.execute(
        "INSERT INTO merge_conflicts (document_id, kind, key, target, source, copy, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [doc_id, kind, key, target, source, copy, now()],
    )
    return True


def copy_label(base: CopyBase) -> str:
    """How the copy is named in the queue: its annotator and file."""
    who = f"{base.annotator}'s copy" if base.annotator else "copy"
    return f"{who} {base.file}"


def merge_document(
    target: Project,
    doc_id: int,
    name: str,
    new: bool,
    document: DocumentBase | None,
    spans: list[tuple[Any, ...]],
    relations: list[tuple[Any, ...]],
    base: CopyBase,
    source_doc_id: int,
    tally: Tally,
) -> None:
    """Merge one document's spans and links of the copy into the target."""
    conn = target.conn
    document = document if document is not None and not new else DocumentBase()
    deleted = base.deleted.get(source_doc_id, Deleted())
    source: dict[SpanKey, tuple[SpanContent, int, str, str]] = {}
    stored: dict[str, str] = {}  # the copy's spans as its base stores them
    keys_by_id: dict[int, SpanKey] = {}
    # Spans the copy holds in several rows that differ (one of a duplicate edited).
    variants: dict[SpanKey, list[tuple[SpanContent, int, str, str]]] = {}
    for _, span_id, start, end, label, annotator, note, attrs, created, updated in spans:
        key = (annotator, start, end, label)
        keys_by_id[span_id] = key
        version = ((note, canonical_attrs(attrs)), span_id, created, updated)
        first = source.setdefault(key, version)
        if first[0] != version[0]:
            variants.setdefault(key, [first]).append(version)
        stored.setdefault(_dumps(key), _dumps((note, attrs)))
    source_relations: dict[RelationKey, SpanContent] = {}
    for _, _, head, child, label, note, attrs in relations:
        source_relations.setdefault(
            (keys_by_id[head], keys_by_id[child], label), (note, canonical_attrs(attrs))
        )
    # Only what the copy changed since its base can change the target: spans added or
    # edited, spans of the base or tombstones no longer there, links added, edited (their
    # note or attributes) or removed.
    # Spans the same as stored in the base are the same: none of them is parsed.
    changed: list[SpanKey] = []
    if variants or not document.same_spans(stored):
        document.read_spans()
        _edited_variants(source, variants, document)
        changed = [k for k, v in source.items() if document.spans.get(k) != v[0]]
        changed += [k for k in document.spans if k not in source]
    changed += [k for k in deleted.spans if k not in source and not document.holds(k)]
    links = Links(
        added={k: v for k, v in source_relations.items() if k not in document.relations},
        edited={
            k: (document.relations[k], v)
            for k, v in source_relations.items()
            if k in document.relations and document.relations[k] != v
        },
        removed={
            k: v
            for k, v in {**deleted.relations, **document.relations}.items()
            if k not in source_relations
        },
    )
    if not changed and not links and not new and doc_id not in tally.taken:
        return
    document.read_spans()
    ends = {end for group in links.groups() for link in group for end in link[:2]}
    tally.ends = ends
    if len(tally.pending) >= PENDING:
        tally.flush(conn)
    tally.load_deletions(conn, doc_id)
    annotators = {key[0] for key in changed} | {key[0] for key in ends}
    existing, tombs, tomb_relations = _target_state(conn, doc_id, new, annotators, base.copy_id)
    # A span the target took from this copy unchanged since follows the copy even where
    # the copy went back to its base version; so does each field of one whose copy's
    # version the last round saw.
    changed += [
        k
        for k, t in existing.items()
        if k in source and (_follows(t, base) or _held(t, base) not in (None, source[k][0]))
    ]
    copy = copy_label(base)

    def conflict(key: SpanKey, mine: SpanContent | None, theirs: SpanContent | None) -> None:
        key_text, mine_text, theirs_text = _dumps(list(key)), _dumps(mine), _dumps(theirs)
        if queue_conflict(conn, doc_id, "span", key_text, mine_text, theirs_text, copy):
            tally.queued.append(f"{name}: {_describe_key(key)}")

    for key in dict.fromkeys(changed):
        _merge_span(
            conn, doc_id, key, document, source, deleted, existing, tombs, base, conflict, tally
        )
    # Spans of others than the copy's annotator that the merge deleted are named.
    others = [k for k in tally.gone if k[0] != base.annotator]
    tally.deleted_count += len(others)
    room = DELETED_LISTED - len(tally.deleted)
    tally.deleted += [f"{name}: {_describe_key(k)}" for k in others[: max(room, 0)]]
    tally.gone.clear()

    def link_conflict(
        key: RelationKey, mine: SpanContent | None, theirs: SpanContent | None
    ) -> None:
        key_text = _dumps([list(key[0]), list(key[1]), key[2]])
        if queue_conflict(conn, doc_id, "relation", key_text, _dumps(mine), _dumps(theirs), copy):
            tally.queued.append(f"{name}: {_describe_link(key)}")

    def gone_here(key: RelationKey) -> bool:
        # The target lacks the link as it, or one of its spans, was deleted here or the
        # copy's deletion of that span was taken.
        return key in tomb_relations or any(
            end not in existing
            and (end in tombs or (doc_id, "span", _dumps(list(end))) in tally.deletions)
            for end in key[:2]
        )

    def same_end(end: SpanKey) -> bool:
        # Whether the target's span is the one the copy's link ended at: one of the base,
        # or one from where the copy's came from (made in the copy: this copy).
        if document.holds(end) or end not in existing:
            return True
        if end in source:
            _, span_id, _, updated = source[end]
            came_from: str | None = orjson.loads(base.origin(span_id, updated)).get("copy")
            return (existing[end].origin or {}).get("copy") == came_from
        if end not in deleted.span_origins:
            return True  # nothing says where it came from
        return _same_span(deleted.span_origins[end], existing[end], base)

    def same_link(key: RelationKey) -> bool:
        # A link the copy added and then removed (its base lacks it) is the target's link
        # only if both ends are the same spans: a gold link the lead made and undid in the
        # copy does not remove the one another copy brought between its own gold spans.
        return key in document.relations or all(same_end(end) for end in key[:2])

    removals = _Removals(deleted.relation_rows, gone_here, same_link)
    _merge_relations(conn, doc_id, links, existing, tomb_relations, removals, link_conflict, tally)


def _edited_variants(
    source: dict[SpanKey, tuple[SpanContent, int, str, str]],
    variants: dict[SpanKey, list[tuple[SpanContent, int, str, str]]],
    document: DocumentBase,
) -> None:
    """The copy's version of a span it holds in rows that differ (the same span twice,
    one row edited since: its base records the span once): the first row that differs
    from the base, so an edit of either row is the copy's edit of the span."""
    for key, versions in variants.items():
        was = document.spans.get(key)
        source[key] = next((v for v in versions if v[0] != was), versions[0])


def _merge_span(
    conn: sqlite3.Connection,
    doc_id: int,
    key: SpanKey,
    document: DocumentBase,
    source: dict[SpanKey, tuple[SpanContent, int, str, str]],
    deleted: Deleted,
    existing: dict[SpanKey, _TargetSpan],
    tombs: dict[SpanKey, SpanContent],
    base: CopyBase,
    conflict: Callable[[SpanKey, SpanContent | None, SpanContent | None], None],
    tally: Tally,
) -> None:
    found = source.get(key)
    was = document.span(key)
    mine = existing.get(key)
    if found is not None:
        theirs, span_id, created, updated = found
        origin = _seen(base.origin(span_id, updated), base, theirs)
        if mine is None:
            gone = was if was is not None else tombs.get(key)
            if gone is None:
                annotator, start, end, label = key
                row = [doc_id, start, end, label, annotator, *theirs, created, updated, origin]
                span_id = 0  # written with others later, unless a link needs its id now
                if key in tally.ends:
                    span_id = int(conn.execute(_INSERT_SPAN, row).lastrowid or 0)
                else:
                    tally.pending.append(row)
                existing[key] = _TargetSpan(span_id, theirs, updated, None)
                tally.spans_added += 1
            elif theirs != gone:
                conflict(key, None, theirs)  # deleted here, changed there
            return
        held = _held(mine, base)
        if theirs == mine.content:
            if held is not None and held != theirs:  # the version seen moves on
                _note_seen(conn, mine, base, theirs)
            return
        if held is not None:
            ancestor: SpanContent | None = held
        else:
            ancestor = mine.content if _follows(mine, base) else was
        if ancestor is None:
            conflict(key, mine.content, theirs)  # added on both sides, differently
            return
        kept, taken, clash = merge_content(ancestor, theirs, mine.content)
        if kept != mine.content:
            # The copy's version now: it follows the copy; a mix of both sides' edits
            # was made here, now.
            stamp = updated if kept == theirs else now()
            if kept != theirs:  # keeps where it came from, with the copy's version seen
                origin = _seen(_dumps(mine.origin or {}), base, theirs)
            mine.origin = orjson.loads(origin)
            rows = _same_rows(conn, doc_id, key, mine)
            conn.executemany(
                "UPDATE spans SET note = ?, attrs = ?, updated_at = ?, origin = ? WHERE id = ?",
                [[*kept, stamp, origin, row] for row in rows],
            )
            mine.content, mine.updated = kept, stamp
            tally.spans_changed += len(rows)
        elif held != theirs:
            _note_seen(conn, mine, base, theirs)
        if clash:
            conflict(key, kept, taken)
        return
    gone = deleted.spans.get(key, was)
    if gone is None:
        return
    # A deletion an earlier round of this copy took is not taken again: a span the
    # target holds now under that identity was added again since.
    key_text, tombstone = _dumps(list(key)), deleted.span_rows.get(key)
    if tally.taken_before(doc_id, "span", key_text, tombstone):
        return
    if mine is None:
        if key in tombs:  # deleted here too: taken
            tally.take(doc_id, "span", key_text, tombstone)
        return
    if was is None and not _same_span(deleted.span_origins.get(key), mine, base):
        return  # the copy never saw it: its tombstone stands for another span
    if mine.content in (gone, _held(mine, base)) or _follows(mine, base):
        # Every span of the target under that identity goes: the same span twice (an
        # import's duplicate rows) is one span to the copy, whose base holds it once.
        annotator, start, end, label = key
        cursor = conn.execute(
            "DELETE FROM spans WHERE document_id = ? AND annotator IS ? AND start = ? "
            'AND "end" = ? AND label = ?',
            [doc_id, annotator, start, end, label],
        )
        del existing[key]
        tally.spans_deleted += cursor.rowcount
        tally.gone.append(key)
    else:
        conflict(key, mine.content, None)  # changed here, deleted there
    tally.take(doc_id, "span", key_text, tombstone)


def _same_rows(conn: sqlite3.Connection, doc_id: int, key: SpanKey, mine: _TargetSpan) -> list[int]:
    """The target's rows of the span ``key`` that hold what ``mine`` (the oldest) holds:
    the same span twice (an import's duplicate rows) is one span to the copy, so an edit
    the merge takes reaches every row of it. A row edited on its own here keeps its edit."""
    annotator, start, end, label = key
    found = conn.execute(
        "SELECT id, note, attrs FROM spans WHERE document_id = ? AND annotator IS ? "
        'AND start = ? AND "end" = ? AND label = ?',
        [doc_id, annotator, start, end, label],
    )
    return [
        row_id
        for row_id, note, attrs in found
        if row_id == mine.id or (note, canonical_attrs(attrs)) == mine.content
    ]


def _same_span(deleted: str | None, mine: _TargetSpan, base: CopyBase) -> bool:
    """Whether the target's span ``mine`` is the one a tombstone of the copy stands for,
    when the copy's base lacks the span (the copy added it, then deleted it). The tombstone
    says where the deleted span came from (``deleted``): made in the copy, it is the
    target's span only if the target took it from this copy; merged into the copy from
    another, only if the target's came from that same copy. A span the target made itself
    or took from yet another copy (the same gold span accepted in another copy) stays. An
    older tombstone does not say: any span the target took from a copy, or whose version
    of this copy it saw, is taken for it."""
    came_from = (mine.origin or {}).get("copy")
    if deleted is None:
        return bool(came_from) or _held(mine, base) is not None
    return came_from == (deleted or base.copy_id)


def _seen(origin: str, base: CopyBase, theirs: SpanContent) -> str:
    """``origin`` (JSON) with the copy's version the target has now seen."""
    found = orjson.loads(origin)
    found["last_copy"], found["last_held"] = base.copy_id, _dumps(list(theirs))
    return orjson.dumps(found, option=orjson.OPT_SORT_KEYS).decode()


def _note_seen(
    conn: sqlite3.Connection, mine: _TargetSpan, base: CopyBase, theirs: SpanContent
) -> None:
    """Record that the target has seen the copy's version ``theirs`` of a span it keeps
    as it is (its content and edit time unchanged)."""
    origin = _seen(_dumps(mine.origin or {}), base, theirs)
    conn.execute("UPDATE spans SET origin = ? WHERE id = ?", [origin, mine.id])
    mine.origin = orjson.loads(origin)


def _held(mine: _TargetSpan, base: CopyBase) -> SpanContent | None:
    """The copy's version of a span the last merge of this copy saw (None: none seen)."""
    origin = mine.origin
    if not origin or origin.get("last_copy") != base.copy_id or "last_held" not in origin:
        return None
    note, attrs = orjson.loads(origin["last_held"])
    return (note, attrs)


def _follows(mine: _TargetSpan, base: CopyBase) -> bool:
    """Whether the target's span came from this copy and was not edited since."""
    origin = mine.origin
    return bool(origin) and origin.get("copy") == base.copy_id and origin.get("at") == mine.updated  # type: ignore[union-attr]


@dataclass
class _Removals:
    """What a link's removal by the copy needs besides: the copy's tombstone numbers, and
    whether the target lacks a link because it or one of its spans was deleted."""

    rows: dict[RelationKey, int]
    gone_here: Callable[[RelationKey], bool]
    # Whether the target's link is the one the copy removed (not another's, the same).
    same_link: Callable[[RelationKey], bool]


@dataclass
class Links:
    """What the copy did to one document's links since its base: added (with their
    content), edited (base content, copy's content), removed (the content it had)."""

    added: dict[RelationKey, SpanContent]
    edited: dict[RelationKey, tuple[SpanContent, SpanContent]]
    removed: dict[RelationKey, SpanContent]

    def groups(self) -> tuple[Any, ...]:
        return (self.added, self.edited, self.removed)

    def __bool__(self) -> bool:
        return bool(self.added or self.edited or self.removed)


def _merge_relations(
    conn: sqlite3.Connection,
    doc_id: int,
    links: Links,
    existing: dict[SpanKey, _TargetSpan],
    tombs: dict[RelationKey, SpanContent],
    removals: _Removals,
    conflict: Callable[[RelationKey, SpanContent | None, SpanContent | None], None],
    tally: Tally,
) -> None:
    """Links the copy added (unless deleted here), edited and removed since its base
    (unless an earlier round of the copy took that removal); a link's note and each
    attribute are merged on their own, as a span's."""
    if not links:
        return
    ids = {span.id: key for key, span in existing.items()}
    mine: dict[RelationKey, tuple[int, SpanContent]] = {}
    for relation_id, head, child, label, note, attrs in conn.execute(
        "SELECT id, head_span_id, child_span_id, label, note, attrs FROM relations "
        "WHERE document_id = ?",
        [doc_id],
    ):
        if head in ids and child in ids:
            mine.setdefault(
                (ids[head], ids[child], label), (relation_id, (note, canonical_attrs(attrs)))
            )
    for key, theirs in links.added.items():
        head, child, label = key
        if key in mine:
            if mine[key][1] != theirs:
                conflict(key, mine[key][1], theirs)  # added on both sides, differently
            continue
        if key in tombs or head not in existing or child not in existing:
            continue  # deleted here (or one of its spans is)
        conn.execute(
            "INSERT INTO relations (document_id, head_span_id, child_span_id, label, note, "
            "attrs) VALUES (?, ?, ?, ?, ?, ?)",
            [doc_id, existing[head].id, existing[child].id, label, *theirs],
        )
        tally.relations_added += 1
    for key, (was, theirs) in links.edited.items():
        found = mine.get(key)
        if found is None:
            if key in tombs or (key[0] in existing and key[1] in existing):
                conflict(key, None, theirs)  # deleted here, changed there
            continue
        relation_id, content = found
        kept, taken, clash = merge_content(was, theirs, content)
        if kept != content:
            conn.execute(
                "UPDATE relations SET note = ?, attrs = ? WHERE id = ?", [*kept, relation_id]
            )
            tally.relations_changed += 1
        if clash:
            conflict(key, kept, taken)
    for key, was in links.removed.items():
        key_text = _dumps([list(key[0]), list(key[1]), key[2]])
        tombstone = removals.rows.get(key)
        if tally.taken_before(doc_id, "relation", key_text, tombstone):
            continue  # a link added again since an earlier round took its deletion
        found = mine.get(key)
        if found is None:
            if removals.gone_here(key):  # deleted here too, or with its span: taken
                tally.take(doc_id, "relation", key_text, tombstone)
            continue
        if not removals.same_link(key):
            continue  # the copy's own link, removed before the target saw it: another
        relation_id, content = found
        if content == was:
            conn.execute("DELETE FROM relations WHERE id = ?", [relation_id])
            tally.relations_deleted += 1
        else:
            conflict(key, content, None)  # changed here, deleted there
        tally.take(doc_id, "relation", key_text, tombstone)


def _target_state(
    conn: sqlite3.Connection,
    doc_id: int,
    new: bool,
    annotators: set[str | None],
    copy_id: str,
) -> tuple[dict[SpanKey, _TargetSpan], dict[SpanKey, SpanContent], dict[RelationKey, SpanContent]]:
    """The target's spans of a document by identity (the oldest of duplicates) and its
    tombstones: the spans of ``annotators`` (those the copy's changes name) and those
    taken from this copy. The target is this Factmark's own file: its values are trusted."""
    existing: dict[SpanKey, _TargetSpan] = {}
    if new:
        return existing, {}, {}
    names = sorted(name for name in annotators if name is not None)
    clauses = [f"annotator IN ({', '.join('?' * len(names))})"] if names else []
    if None in annotators:
        clauses.append("annotator IS NULL")
    clauses.append("instr(origin, ?) > 0")
    for span_id, annotator, start, end, label, note, attrs, updated, origin in conn.execute(
        'SELECT id, annotator, start, "end", label, note, attrs, updated_at, origin FROM spans '
        f"WHERE document_id = ? AND ({' OR '.join(clauses)}) ORDER BY id DESC",
        [doc_id, *names, copy_id],
    ):
        parsed = orjson.loads(origin) if origin else None
        existing[(annotator, start, end, label)] = _TargetSpan(
            span_id, (note, canonical_attrs(attrs)), updated, parsed
        )
    deleted = target_tombstones(conn, doc_id)
    return existing, deleted.spans, deleted.relations


def documents_taken(conn: sqlite3.Connection, copy_id: str) -> set[int]:
    """The target's documents with spans an earlier merge of the copy took or saw."""
    found = conn.execute(
        "SELECT DISTINCT document_id FROM spans WHERE instr(origin, ?) > 0", [copy_id]
    )
    return {row[0] for row in found}


def target_tombstones(conn: sqlite3.Connection, doc_id: int) -> Deleted:
    """The target's tombstones of a document, read as the merge comes to it (a merge
    handles each document once, so those it writes meanwhile are not needed). Where their
    spans came from is not needed either (only a copy's tombstones are asked), so it is
    not read."""
    found = Deleted()
    for row in conn.execute(
        f"SELECT {_TOMBSTONE_COLUMNS} FROM tombstones WHERE document_id = ? ORDER BY id", [doc_id]
    ):
        _add_tombstone(found, [*row[1:-1], None])
    return found


def _describe_key(key: SpanKey) -> str:
    annotator, start, end, label = key
    who = f" by {annotator}" if annotator else ""
    return f"{label} {start}-{end}{who}"


def _describe_link(key: RelationKey) -> str:
    head, child, label = key
    return f"{label} link {_describe_key(head)} → {_describe_key(child)}"
