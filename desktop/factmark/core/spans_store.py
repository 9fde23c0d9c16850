"""Spans (labelled stretches of a document's text) and the relations that link them."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from factmark.core.changes import DocumentState
from factmark.core.model import Relation, Span, ValidationError, spans_from_rows, validate_offsets
from factmark.core.schema import NEXT_RELATION_TYPE_ID
from factmark.core.storage import Storage, _dumps, _loads, now

if TYPE_CHECKING:  # annotations only: the window starts without them
    from factmark.core.incoming import IncomingSpan


class SpansStore(Storage):
    """A project's spans and relations, each change reported for its document."""

    # -- spans ---------------------------------------------------------------

    def spans(self, document_id: int) -> list[Span]:
        """A document's spans in text order (outer before inner at the same start)."""
        # Rows as tuples of just the fields a Span has: a document opens with thousands.
        rows = self._rows(
            'SELECT id, document_id, start, "end", label, annotator, note, attrs FROM spans '
            'WHERE document_id = ? ORDER BY start, "end" DESC, label, id',
            [document_id],
        )
        return spans_from_rows(rows, _loads)

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
        validate_offsets(self._text_length(document_id), start, end)
        self._check_label(label)
        stamp = now()
        with self.transaction():
            new_id = self._insert_span(
                document_id, start, end, label, annotator, note, attrs or {}, stamp, span_id
            )
            span = Span(new_id, document_id, start, end, label, annotator, note, attrs or {})
            self.changes.span(None, span)
            self._mark_in_progress(document_id, stamp)
        return span

    def _mark_in_progress(self, document_id: int, stamp: str) -> None:
        """A new document becomes in progress when its first span is made (one
        statement: nothing is read first)."""
        updated = self.conn.execute(
            "UPDATE documents SET status = 'in_progress', updated_at = ? "
            "WHERE id = ? AND status = 'new'",
            [stamp, document_id],
        )
        if updated.rowcount:
            self.changes.document(
                DocumentState(document_id, "new"), DocumentState(document_id, "in_progress")
            )

    def _text_length(self, document_id: int) -> int:
        """A document's text length in code points (SQLite's length() counts characters,
        as Python does). Texts never change, so each is counted once: counting reads the
        whole text."""
        length = self._lengths.get(document_id)
        if length is None:
            rows = self._query(
                "SELECT length(text) AS n FROM documents WHERE id = ?", [document_id]
            )
            if not rows:
                raise ValidationError(f"no document with id {document_id}")
            length = self._lengths[document_id] = int(rows[0]["n"])
        return length

    def status_of(self, document_id: int) -> str:
        """A document's status, without reading its text."""
        rows = self._query("SELECT status FROM documents WHERE id = ?", [document_id])
        if not rows:
            raise ValidationError(f"no document with id {document_id}")
        return str(rows[0]["status"])

    def _check_label(self, label: str) -> None:
        """Refuse a label the project does not have (known labels are remembered until
        the labels change, so labelling does not ask SQLite every time)."""
        if label in self._label_names:
            return
        rows = self._query("SELECT id FROM labels WHERE name = ?", [label])
        if not rows:
            raise ValidationError(f"unknown label {label!r}")
        self._label_names[label] = int(rows[0]["id"])

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
        if annotator and annotator not in self._annotators:
            self.conn.execute(
                "INSERT OR IGNORE INTO annotators (name, created_at) VALUES (?, ?)",
                [annotator, stamp],
            )
            self._annotators.add(annotator)
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
        validate_offsets(self._text_length(old.document_id or 0), start, end)
        if "label" in changes:
            self._check_label(changes["label"])
        new = Span(
            old.id,
            old.document_id,
            start,
            end,
            changes.get("label", old.label),
            old.annotator,
            changes.get("note", old.note),
            dict(changes["attrs"]) if "attrs" in changes else old.attrs,
        )
        stored = {k: _dumps(v) if k == "attrs" else v for k, v in changes.items()}
        columns = ", ".join(f'"{column}" = ?' for column in stored)
        with self.transaction():
            self.conn.execute(
                f"UPDATE spans SET {columns}, updated_at = ? WHERE id = ?",
                [*stored.values(), now(), span_id],
            )
            self.changes.span(old, new)
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
            self.changes.span(span, None)
            for relation in relations:
                self.changes.relation(relation, None)
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
                    relation.note,
                    relation.attrs,
                )
                self.changes.relation(None, relation)
            self.changes.span(None, span)

    # -- relations -----------------------------------------------------------

    def relations(self, document_id: int) -> list[Relation]:
        """A document's relations in creation order."""
        rows = self._rows(
            "SELECT id, document_id, head_span_id, child_span_id, label, note, attrs "
            "FROM relations WHERE document_id = ? ORDER BY id",
            [document_id],
        )
        return [_relation(row) for row in rows]

    def relation(self, relation_id: int) -> Relation:
        """One relation by id."""
        rows = self._rows(
            "SELECT id, document_id, head_span_id, child_span_id, label, note, attrs "
            "FROM relations WHERE id = ?",
            [relation_id],
        )
        if not rows:
            raise ValidationError(f"no relation with id {relation_id}")
        return _relation(rows[0])

    def add_relation(
        self,
        head_span_id: int,
        child_span_id: int,
        label: str,
        relation_id: int | None = None,
        note: str | None = None,
        attrs: dict[str, Any] | None = None,
    ) -> Relation:
        """Link two spans of the same document (``relation_id``, ``note`` and ``attrs``
        restore a deleted link as it was: undo)."""
        head, child = self.span(head_span_id), self.span(child_span_id)
        if head.document_id != child.document_id:
            raise ValidationError("a relation links two spans of the same document")
        if head_span_id == child_span_id:
            raise ValidationError("a span cannot be linked to itself")
        with self.transaction():
            new_id = self._insert_relation(
                head.document_id or 0,
                head_span_id,
                child_span_id,
                label,
                relation_id,
                note,
                attrs or {},
            )
            relation = Relation(
                new_id, head.document_id, head_span_id, child_span_id, label, note, attrs or {}
            )
            self.changes.relation(None, relation)
        return relation

    def _insert_relation(
        self,
        document_id: int,
        head: int,
        child: int,
        label: str,
        relation_id: int | None = None,
        note: str | None = None,
        attrs: dict[str, Any] | None = None,
    ) -> int:
        self.conn.execute(
            "INSERT OR IGNORE INTO relation_types (id, name, position) "
            f"VALUES ({NEXT_RELATION_TYPE_ID}, ?, 100)",
            [label],
        )
        cursor = self.conn.execute(
            "INSERT INTO relations (id, document_id, head_span_id, child_span_id, label, note, "
            "attrs) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [relation_id, document_id, head, child, label, note, _dumps(attrs or {})],
        )
        return int(cursor.lastrowid or 0)

    def update_relation(self, relation_id: int, **changes: Any) -> Relation:
        """Change a link's note or attrs; returns the link as it was (for undo).

        The note is text or None, the attributes a JSON object of values (a type's
        values are text; other values a file brought are kept as they are)."""
        allowed = {"note", "attrs"}
        if not changes.keys() <= allowed:
            raise ValidationError(f"links have no field {sorted(changes.keys() - allowed)}")
        note = changes.get("note")
        if note is not None and (not isinstance(note, str) or "\x00" in note):
            raise ValidationError("a link's note is text without NUL characters")
        if "attrs" in changes and not isinstance(changes["attrs"], dict):
            raise ValidationError("a link's attributes are a JSON object")
        old = self.relation(relation_id)
        new = replace(
            old,
            note=changes.get("note", old.note),
            attrs=dict(changes["attrs"]) if "attrs" in changes else old.attrs,
        )
        with self.transaction():
            self.conn.execute(
                "UPDATE relations SET note = ?, attrs = ? WHERE id = ?",
                [new.note, _dumps(new.attrs), relation_id],
            )
            self.changes.relation(old, new)
        return old

    def delete_relation(self, relation_id: int) -> Relation:
        """Delete a relation; returns it so undo can restore it."""
        relation = self.relation(relation_id)
        with self.transaction():
            self.conn.execute("DELETE FROM relations WHERE id = ?", [relation_id])
            self.changes.relation(relation, None)
        return relation


def _relation(row: tuple[Any, ...]) -> Relation:
    relation_id, document_id, head, child, label, note, attrs = row
    return Relation(
        relation_id,
        document_id,
        head,
        child,
        label,
        note,
        {} if attrs == "{}" else _loads(attrs),
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
