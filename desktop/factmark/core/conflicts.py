"""The queue of merge conflicts and the decision on each, one undoable step per decision.

A three-way merge (:mod:`factmark.core.threeway`) queues a conflict when a span or a link
(its note or an attribute, or its existence) or a document's status was edited both in the target
and in a merged copy since the copy's base. The target keeps its version until someone
decides: :class:`DecideConflict` takes the copy's version (``"source"``) or keeps the
project's (``"target"``), and records the decision, so merging the same copy again does
not queue it again. Undo puts back the span or status and reopens the conflict.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

import orjson

from factmark.core.model import Relation, Span, ValidationError
from factmark.core.operations import Operation
from factmark.core.project import Project
from factmark.core.storage import now
from factmark.core.validation import RelationKey, SpanContent, SpanKey

SIDES = ("source", "target")


@dataclass(frozen=True)
class MergeConflict:
    """One queued conflict: the project's version and the copy's, side by side.

    For a span, a version is ``(note, attrs JSON)`` or None (deleted on that side); for a
    status, the status name."""

    id: int
    document_id: int
    document: str  # the document's title, or the start of its uid when untitled
    kind: str  # "span", "relation" or "status"
    # The span's (annotator, start, end, label), a link's (head key, child key, type);
    # None for a status.
    key: SpanKey | RelationKey | None
    target: SpanContent | str | None
    source: SpanContent | str | None
    copy: str  # the copy it came from, as the merge named it
    decided: str | None  # "source", "target", or None while open

    @property
    def span_key(self) -> SpanKey | None:
        """The span to show for the conflict: the span, or a link's head span."""
        if self.kind == "relation" and self.key is not None:
            return cast("RelationKey", self.key)[0]
        return cast("SpanKey | None", self.key)

    def what(self) -> str:
        """The item in conflict, e.g. ``claim 10-24 by ana``, ``attributed_to link source
        0-9 → claim 12-40`` or ``status``."""
        if self.key is None:
            return "status"
        if self.kind == "relation":
            head, child, link = cast("RelationKey", self.key)
            return f"{link} link {_span_words(head)} → {_span_words(child)}"
        return _span_words(cast("SpanKey", self.key))

    def version(self, side: str) -> str:
        """One side's version in words (``deleted``, ``note 'x'; verdict: false``)."""
        value = self.source if side == "source" else self.target
        if self.kind == "status":
            return str(value).replace("_", " ")
        if not isinstance(value, tuple):
            return "deleted"
        note, attrs = value
        parts = [f"note {note!r}" if note else "no note"]
        parsed: dict[str, Any] = orjson.loads(attrs)
        parts += [f"{name}: {orjson.dumps(v).decode()}" for name, v in sorted(parsed.items())]
        return "; ".join(parts)

    def line(self) -> str:
        """One line for a list: document, item, both versions, the copy."""
        state = f" [took the {_who(self.decided)}]" if self.decided else ""
        return (
            f"{self.document}: {self.what()}: here {self.version('target')} | "
            f"{self.copy}: {self.version('source')}{state}"
        )


def _span_words(key: SpanKey) -> str:
    annotator, start, end, label = key
    return f"{label} {start}-{end}" + (f" by {annotator}" if annotator else "")


def _who(side: str | None) -> str:
    return "copy's" if side == "source" else "project's"


def conflicts(
    project: Project, *, document_id: int | None = None, decided: bool = False
) -> list[MergeConflict]:
    """The queued conflicts (only the open ones unless ``decided``), oldest first."""
    where = [] if decided else ["c.decided IS NULL"]
    params: list[Any] = []
    if document_id is not None:
        where.append("c.document_id = ?")
        params.append(document_id)
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    rows = project.conn.execute(
        "SELECT c.id, c.document_id, d.title, d.uid, c.kind, c.key, c.target, c.source, "
        f"c.copy, c.decided FROM merge_conflicts c JOIN documents d ON d.id = c.document_id "
        f"{clause} ORDER BY c.document_id, c.id",
        params,
    )
    return [_conflict(row) for row in rows]


def conflict(project: Project, conflict_id: int) -> MergeConflict:
    """One conflict by id, open or decided."""
    found = [c for c in conflicts(project, decided=True) if c.id == conflict_id]
    if not found:
        raise ValidationError(f"no merge conflict with id {conflict_id}")
    return found[0]


def _conflict(row: tuple[Any, ...]) -> MergeConflict:
    conflict_id, doc_id, title, uid, kind, key, target, source, copy, decided = row
    parsed_key: SpanKey | RelationKey | None = None
    if kind == "span":
        annotator, start, end, label = orjson.loads(key)
        parsed_key = (annotator, start, end, label)
    elif kind == "relation":
        head, child, link = orjson.loads(key)
        parsed_key = (cast("SpanKey", tuple(head)), cast("SpanKey", tuple(child)), link)
    return MergeConflict(
        conflict_id,
        doc_id,
        title or uid[:12],
        kind,
        parsed_key,
        _version(kind, target),
        _version(kind, source),
        copy,
        decided,
    )


def _version(kind: str, value: str) -> SpanContent | str | None:
    parsed = orjson.loads(value)
    if kind == "status" or parsed is None:
        return parsed  # type: ignore[no-any-return]
    return (parsed[0], parsed[1])


@dataclass
class DecideConflict(Operation):
    """Settle one queued conflict: take the copy's version (``"source"``) or keep the
    project's (``"target"``). One undo step; undo reopens the conflict."""

    conflict_id: int
    take: str
    document_id: int | None = None
    _before: Span | Relation | str | None = None  # the span, link or status as it was
    _relations: list[Relation] | None = None  # links a deletion took with it
    _added: int | None = None  # the span a decision added
    _added_link: int | None = None  # the link a decision added

    def __post_init__(self) -> None:
        if self.take not in SIDES:
            raise ValidationError(
                f"a conflict is settled by 'source' or 'target', not {self.take!r}"
            )

    @property
    def description(self) -> str:  # type: ignore[override]
        return "Take the copy's version" if self.take == "source" else "Keep this version"

    def _apply(self, project: Project) -> None:
        found = conflict(project, self.conflict_id)
        if found.decided is not None:
            raise ValidationError("this conflict has already been settled")
        self.document_id = found.document_id
        if self.take == "source":
            self._take_source(project, found)
        project.conn.execute(
            "UPDATE merge_conflicts SET decided = ?, decided_at = ? WHERE id = ?",
            [self.take, now(), self.conflict_id],
        )
        project.changes.conflicts = True

    def _take_source(self, project: Project, found: MergeConflict) -> None:
        doc_id = found.document_id
        if found.kind == "status":
            self._before = project.set_status(doc_id, str(found.source))
            return
        assert found.key is not None
        if found.kind == "relation":
            self._take_link(project, found)
            return
        key = cast("SpanKey", found.key)
        span = _span_by_key(project, doc_id, key)
        version = found.source if isinstance(found.source, tuple) else None
        if span is None:
            if version is None:
                return
            annotator, start, end, label = key
            note, attrs = version
            added = project.add_span(
                doc_id, start, end, label, annotator, note, orjson.loads(attrs)
            )
            self._added = added.id
        elif version is None:
            self._before, self._relations = project.delete_span(span.id or 0)
        else:
            note, attrs = version
            self._before = project.update_span(span.id or 0, note=note, attrs=orjson.loads(attrs))

    def _take_link(self, project: Project, found: MergeConflict) -> None:
        head_key, child_key, link = cast("RelationKey", found.key)
        head = _span_by_key(project, found.document_id, head_key)
        child = _span_by_key(project, found.document_id, child_key)
        version = found.source if isinstance(found.source, tuple) else None
        if head is None or child is None:
            return  # one of its spans is gone: there is no link to take
        mine = [
            r
            for r in project.relations(found.document_id)
            if (r.head_span_id, r.child_span_id, r.label) == (head.id, child.id, link)
        ]
        if not mine:
            if version is not None:
                added = project.add_relation(
                    head.id or 0, child.id or 0, link, None, version[0], orjson.loads(version[1])
                )
                self._added_link = added.id
        elif version is None:
            self._before = project.delete_relation(mine[0].id or 0)
            self._relations = []  # deleted: revert adds it back
        else:
            self._before = project.update_relation(
                mine[0].id or 0, note=version[0], attrs=orjson.loads(version[1])
            )

    def _revert(self, project: Project) -> None:
        found = conflict(project, self.conflict_id)
        if self._added_link is not None:
            project.delete_relation(self._added_link)
            self._added_link = None
        elif isinstance(self._before, Relation):
            r = self._before
            if self._relations is not None:
                project.add_relation(
                    r.head_span_id, r.child_span_id, r.label, r.id, r.note, r.attrs
                )
            else:
                project.update_relation(r.id or 0, note=r.note, attrs=r.attrs)
        elif self._added is not None:
            project.delete_span(self._added)
            self._added = None
        elif isinstance(self._before, str):
            project.set_status(found.document_id, self._before)
        elif isinstance(self._before, Span) and self._relations is not None:
            project.restore_span(self._before, self._relations)
        elif isinstance(self._before, Span):
            project.update_span(
                self._before.id or 0, note=self._before.note, attrs=self._before.attrs
            )
        self._before, self._relations = None, None
        project.conn.execute(
            "UPDATE merge_conflicts SET decided = NULL, decided_at = NULL WHERE id = ?",
            [self.conflict_id],
        )
        project.changes.conflicts = True


def _span_by_key(project: Project, document_id: int, key: SpanKey) -> Span | None:
    annotator, start, end, label = key
    for span in project.spans(document_id):
        if (span.annotator, span.start, span.end, span.label) == (annotator, start, end, label):
            return span
    return None
