"""What a committed write changed, carrying the new values, so views update without
reading the project again.

Every write of a store records what it did into the transaction's :class:`ChangeSet`;
when the outermost transaction commits (or, inside :meth:`Storage.held`, when the whole
operation and its undo step are complete) listeners receive one merged ChangeSet and the
object that started the change (``origin``), so the view that started it can skip its
own echo.
"""

from __future__ import annotations

from dataclasses import field
from typing import Any, Generic, NamedTuple, TypeVar

from factmark.core.model import Relation, Span
from factmark.core.records import record

T = TypeVar("T")
FLAGS = (
    "documents_reloaded",
    "suggestions_reloaded",
    "labels",
    "relation_types",
    "label_renamed",
    "settings",
    "conflicts",
)


@record(frozen=True)
class DocumentState:
    """The parts of a document a write can change (never its text)."""

    id: int
    status: str
    meta: dict[str, Any] = field(default_factory=dict, hash=False, compare=True)


class Edit(NamedTuple, Generic[T]):
    """One row before and after a change: ``old`` None for an added row, ``new`` None
    for a removed one. (A named tuple: a frozen dataclass's generated methods are
    compiled at every start.)"""

    old: T | None
    new: T | None

    @property
    def added(self) -> bool:
        return self.old is None and self.new is not None

    @property
    def removed(self) -> bool:
        return self.old is not None and self.new is None


@record
class ChangeSet:
    """The rows a write (or an operation of several writes) added, changed or removed."""

    spans: dict[int, Edit[Span]] = field(default_factory=dict)
    relations: dict[int, Edit[Relation]] = field(default_factory=dict)
    documents: dict[int, Edit[DocumentState]] = field(default_factory=dict)
    # Documents whose relations or suggestions changed in ways not listed row by row.
    relations_of: set[int] = field(default_factory=set)
    suggestions_of: set[int] = field(default_factory=set)
    # Something changed that views must read again as a whole.
    documents_reloaded: bool = False  # documents added or removed in bulk (import, merge)
    suggestions_reloaded: bool = False
    labels: bool = False  # labels added, renamed, recoloured, re-keyed, moved, deleted
    relation_types: bool = False  # link types added, described, moved or deleted
    label_renamed: bool = False  # a label or link type renamed: stored names changed
    settings: bool = False  # guidelines, attribute definitions
    conflicts: bool = False  # the merge conflict queue (a merge queued, a decision taken)
    # Who started the change (the part of the window whose action it was), when told.
    origin: object = field(default=None, compare=False)

    # -- recording (stores call these inside their transaction) --------------

    def span(self, old: Span | None, new: Span | None) -> None:
        """Record a span added (old None), changed, or removed (new None)."""
        key = (new or old).id or 0  # type: ignore[union-attr]
        _merge(self.spans, key, old, new)

    def relation(self, old: Relation | None, new: Relation | None) -> None:
        """Record a relation added (old None), changed (its note or attributes), or removed
        (new None)."""
        key = (new or old).id or 0  # type: ignore[union-attr]
        _merge(self.relations, key, old, new)

    def document(self, old: DocumentState | None, new: DocumentState | None) -> None:
        """Record a document's status or metadata changing."""
        key = (new or old).id  # type: ignore[union-attr]
        _merge(self.documents, key, old, new)

    def update(self, other: ChangeSet) -> None:
        """Add what ``other`` (a later change) did to this one."""
        for key, edit in other.spans.items():
            _merge(self.spans, key, edit.old, edit.new)
        for key, relation in other.relations.items():
            _merge(self.relations, key, relation.old, relation.new)
        for key, state in other.documents.items():
            _merge(self.documents, key, state.old, state.new)
        self.relations_of |= other.relations_of
        self.suggestions_of |= other.suggestions_of
        for flag in FLAGS:
            if getattr(other, flag):
                setattr(self, flag, True)

    # -- reading (views call these) -------------------------------------------

    def __bool__(self) -> bool:
        return bool(self.kinds())

    def kinds(self) -> set[str]:
        """The kinds of change it holds, by name (for logs and tests)."""
        found = {
            name
            for name in ("spans", "relations", "documents", "relations_of", "suggestions_of")
            if getattr(self, name)
        }
        return found | {flag for flag in FLAGS if getattr(self, flag)}

    def spans_in(self, document_id: int | None) -> dict[int, Edit[Span]]:
        """The span edits of one document."""
        return {
            key: edit
            for key, edit in self.spans.items()
            if (edit.new or edit.old).document_id == document_id  # type: ignore[union-attr]
        }

    def relations_changed(self, document_id: int | None) -> bool:
        """Whether the links of a document may have changed (a removed span takes its
        links with it)."""
        if document_id in self.relations_of or self.label_renamed:
            return True
        if any(
            (e.new or e.old).document_id == document_id  # type: ignore[union-attr]
            for e in self.relations.values()
        ):
            return True
        return any(edit.removed for edit in self.spans_in(document_id).values())

    def suggestions_changed(self, document_id: int | None) -> bool:
        return self.suggestions_reloaded or document_id in self.suggestions_of

    def span_count_deltas(self) -> dict[int, int]:
        """Per document, how many spans were added less how many were removed."""
        deltas: dict[int, int] = {}
        for edit in self.spans.values():
            step = 1 if edit.added else -1 if edit.removed else 0
            if step:
                document = (edit.new or edit.old).document_id or 0  # type: ignore[union-attr]
                deltas[document] = deltas.get(document, 0) + step
        return deltas


def _merge(rows: dict[int, Edit[T]], key: int, old: T | None, new: T | None) -> None:
    """Fold a later edit of a row into an earlier one: the first ``old``, the last ``new``;
    a row added and then removed leaves nothing."""
    earlier = rows.get(key)
    first = earlier.old if earlier is not None else old
    if first is None and new is None:
        rows.pop(key, None)
    else:
        rows[key] = Edit(first, new)
