"""Annotation edits as operations that can be applied and reverted exactly.

The ui wraps each in a QUndoCommand whose ``redo`` applies it; scripts may use them
directly. Each operation remembers what it needs to undo itself (the span as it was,
the relations a deletion took with it, the status before), and reports the document it
touched so a view can show where an undo happened. ``apply`` and ``revert`` each run in
one transaction (all of the edit or none of it) and return the ChangeSet they committed.

Operations refer to labels and link types by their stable ids, not their names: a name
given to an operation is looked up when it is first applied, and each later apply or
revert writes the name that label has then. A label renamed between an edit and its
undo (Edit > Labels, itself an operation of :mod:`factmark.core.label_operations`) thus
breaks no step of the history.

Operations are neither compared nor printed: their records (dataclasses whose methods a
start does not compile) make no ``__eq__`` or ``__repr__``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import field, replace
from typing import Any

from factmark.core.changes import ChangeSet
from factmark.core.model import Relation, Span, Suggestion, ValidationError
from factmark.core.project import Project, ProjectError
from factmark.core.records import record


class Operation(ABC):
    """Base of all edits: ``apply`` then ``revert`` leaves the project as before."""

    document_id: int | None  # the document edited; None for edits of the whole project
    description: str = ""
    # Why the last apply or revert was refused (its message for the user); "" when it
    # worked. A caller that only learns whether an edit worked (the window's undo
    # history) reads the reason here.
    problem: str = ""

    def rewrites_many(self) -> bool:
        """Whether the edit may rewrite every span of a label or link type: seconds on an
        archive (a label renamed on 500,000 spans: about 2.5 s), for which the window
        shows a busy cursor."""
        return False

    def apply(self, project: Project) -> ChangeSet:
        """Make the edit in one committed transaction; returns what it changed."""
        return self._run(project, self._apply)

    def revert(self, project: Project) -> ChangeSet:
        """Undo exactly what apply did, in one committed transaction."""
        return self._run(project, self._revert)

    def _run(self, project: Project, step: Callable[[Project], None]) -> ChangeSet:
        self.problem = ""
        try:
            return _in_one_transaction(project, step)
        except (ValidationError, ProjectError) as refused:
            self.problem = str(refused)
            raise

    @abstractmethod
    def _apply(self, project: Project) -> None:
        """The writes of the edit (inside the transaction ``apply`` opened)."""

    @abstractmethod
    def _revert(self, project: Project) -> None:
        """The writes that undo it (inside the transaction ``revert`` opened)."""


def _in_one_transaction(project: Project, step: Callable[[Project], None]) -> ChangeSet:
    with project.held() as changes, project.whole():
        step(project)
    return changes


@record(eq=False, repr=False)
class Compound(Operation):
    """Several operations as one edit and one undo step (accept all suggestions): all
    applied in one transaction, reverted in reverse order in one transaction."""

    document_id: int | None
    parts: Sequence[Operation]
    text: str = "Edit"

    @property
    def description(self) -> str:  # type: ignore[override]
        return self.text

    def _apply(self, project: Project) -> None:
        for part in self.parts:
            part._apply(project)

    def _revert(self, project: Project) -> None:
        for part in reversed(self.parts):
            part._revert(project)


@record(eq=False, repr=False)
class AddSpan(Operation):
    """Label ``[start, end)`` of a document (with a note and attributes when given: a
    span copied); redo recreates the span under the same id."""

    document_id: int
    start: int
    end: int
    label: str
    annotator: str | None = None
    span_id: int | None = None
    _status_before: str | None = None
    _label_id: int | None = None
    note: str | None = None
    attrs: dict[str, Any] | None = None

    @property
    def description(self) -> str:  # type: ignore[override]
        return f"Label {self.label}"

    def _apply(self, project: Project) -> None:
        if self._label_id is None:
            self._label_id = project.label_id(self.label)
        else:
            self.label = project.label_name(self._label_id)  # renamed since: its name now
        span = project.add_span(
            self.document_id,
            self.start,
            self.end,
            self.label,
            self.annotator,
            self.note,
            self.attrs,
            span_id=self.span_id,
        )
        self.span_id = span.id
        self._status_before = _status_before(project, self.document_id)

    def _revert(self, project: Project) -> None:
        assert self.span_id is not None
        project.delete_span(self.span_id)
        if self._status_before == "new":
            project.set_status(self.document_id, "new")


@record(eq=False, repr=False)
class DeleteSpan(Operation):
    """Delete a span; revert restores it, with the same id and its relations."""

    document_id: int
    span_id: int
    _span: Span | None = None
    _relations: list[Relation] = field(default_factory=list)
    _label_id: int = 0
    _type_ids: list[int] = field(default_factory=list)  # of the relations, in order

    @property
    def description(self) -> str:  # type: ignore[override]
        return f"Delete {self._span.label if self._span else 'span'}"

    def _apply(self, project: Project) -> None:
        self._span, self._relations = project.delete_span(self.span_id)
        self._label_id = project.label_id(self._span.label)
        self._type_ids = [project.relation_type_id(r.label) for r in self._relations]

    def _revert(self, project: Project) -> None:
        assert self._span is not None
        self._span = replace(self._span, label=project.label_name(self._label_id))
        self._relations = [
            replace(relation, label=project.relation_type_name(type_id))
            for relation, type_id in zip(self._relations, self._type_ids, strict=True)
        ]
        project.restore_span(self._span, self._relations)


@record(eq=False, repr=False)
class UpdateSpan(Operation):
    """Change a span's label, edges, note or attrs; revert puts the old values back."""

    document_id: int
    span_id: int
    changes: dict[str, Any]
    _before: dict[str, Any] = field(default_factory=dict)
    # A label change: the ids of the label before and after it.
    _label_ids: tuple[int, int] | None = None

    @property
    def description(self) -> str:  # type: ignore[override]
        if "label" in self.changes:
            return f"Relabel as {self.changes['label']}"
        if {"start", "end"} & self.changes.keys():
            return "Resize span"
        return "Edit span"

    def _apply(self, project: Project) -> None:
        if "label" in self.changes:
            after = (
                project.label_id(self.changes["label"])
                if self._label_ids is None
                else self._label_ids[1]
            )
            # A copy: the dict the caller gave stays as it was.
            self.changes = {**self.changes, "label": project.label_name(after)}
        old = project.update_span(self.span_id, **self.changes)
        self._before = {key: getattr(old, key) for key in self.changes}
        if "label" in self.changes:
            self._label_ids = (project.label_id(old.label), after)

    def _revert(self, project: Project) -> None:
        before = dict(self._before)
        if self._label_ids is not None and "label" in before:
            before["label"] = project.label_name(self._label_ids[0])
        project.update_span(self.span_id, **before)


@record(eq=False, repr=False)
class SetStatus(Operation):
    """Set a document's status; revert restores the previous one."""

    document_id: int
    status: str
    _before: str | None = None

    @property
    def description(self) -> str:  # type: ignore[override]
        return f"Mark {self.status.replace('_', ' ')}"

    def _apply(self, project: Project) -> None:
        self._before = project.set_status(self.document_id, self.status)

    def _revert(self, project: Project) -> None:
        assert self._before is not None
        project.set_status(self.document_id, self._before)


@record(eq=False, repr=False)
class AddRelation(Operation):
    """Link two spans; redo recreates the relation under the same id."""

    document_id: int
    head_span_id: int
    child_span_id: int
    label: str
    relation_id: int | None = None
    _type_id: int | None = None

    @property
    def description(self) -> str:  # type: ignore[override]
        return f"Link ({self.label})"

    def _apply(self, project: Project) -> None:
        if self._type_id is not None:
            self.label = project.relation_type_name(self._type_id)
        relation = project.add_relation(
            self.head_span_id, self.child_span_id, self.label, self.relation_id
        )
        self.relation_id = relation.id
        # Looked up once linked: a type the project did not list is added by linking.
        self._type_id = project.relation_type_id(self.label)

    def _revert(self, project: Project) -> None:
        assert self.relation_id is not None
        project.delete_relation(self.relation_id)


@record(eq=False, repr=False)
class DeleteRelation(Operation):
    """Delete a relation; revert puts it back with the same id."""

    document_id: int
    relation_id: int
    _relation: Relation | None = None
    _type_id: int = 0

    @property
    def description(self) -> str:  # type: ignore[override]
        return "Delete link"

    def _apply(self, project: Project) -> None:
        self._relation = project.delete_relation(self.relation_id)
        self._type_id = project.relation_type_id(self._relation.label)

    def _revert(self, project: Project) -> None:
        assert self._relation is not None
        r = self._relation = replace(
            self._relation, label=project.relation_type_name(self._type_id)
        )
        project.add_relation(r.head_span_id, r.child_span_id, r.label, r.id, r.note, r.attrs)


@record(eq=False, repr=False)
class UpdateRelation(Operation):
    """Change a link's note or attributes; revert puts the old values back."""

    document_id: int
    relation_id: int
    changes: dict[str, Any]
    _before: dict[str, Any] = field(default_factory=dict)

    @property
    def description(self) -> str:  # type: ignore[override]
        return "Edit link note" if set(self.changes) == {"note"} else "Edit link"

    def _apply(self, project: Project) -> None:
        old = project.update_relation(self.relation_id, **self.changes)
        self._before = {key: getattr(old, key) for key in self.changes}

    def _revert(self, project: Project) -> None:
        project.update_relation(self.relation_id, **self._before)


@record(eq=False, repr=False)
class SetDocumentMeta(Operation):
    """Replace a document's metadata (publication, URL, date, language...)."""

    document_id: int
    meta: dict[str, Any]
    _before: dict[str, Any] = field(default_factory=dict)

    @property
    def description(self) -> str:  # type: ignore[override]
        return "Edit document fields"

    def _apply(self, project: Project) -> None:
        self._before = project.update_document_meta(self.document_id, self.meta)

    def _revert(self, project: Project) -> None:
        project.update_document_meta(self.document_id, self._before)


@record(eq=False, repr=False)
class AcceptSuggestion(Operation):
    """Accept a suggestion as a span by ``annotator``; revert deletes the span and puts
    the suggestion back exactly (same id), redo recreates the span under the same id."""

    document_id: int
    suggestion_id: int
    annotator: str | None = None
    span_id: int | None = None
    _suggestion: Suggestion | None = None
    _status_before: str | None = None
    _label_id: int = 0

    @property
    def description(self) -> str:  # type: ignore[override]
        return f"Accept {self._suggestion.label if self._suggestion else 'suggestion'}"

    def _apply(self, project: Project) -> None:
        # Suggestions follow a label's rename in the file: the one read has its name now.
        self._suggestion = project.suggestion(self.suggestion_id)
        self._label_id = project.label_id(self._suggestion.label)
        span = project.accept_suggestion(self.suggestion_id, self.annotator, self.span_id)
        self.span_id = span.id
        self._status_before = _status_before(project, self.document_id)

    def _revert(self, project: Project) -> None:
        assert self.span_id is not None and self._suggestion is not None
        project.delete_span(self.span_id)
        self._suggestion = _relabelled(project, self._suggestion, self._label_id)
        project.restore_suggestion(self._suggestion)
        if self._status_before == "new":
            project.set_status(self.document_id, "new")


@record(eq=False, repr=False)
class RejectSuggestion(Operation):
    """Reject a suggestion (suggesting again skips it); revert puts it back for review."""

    document_id: int
    suggestion_id: int
    _suggestion: Suggestion | None = None
    _label_id: int = 0

    @property
    def description(self) -> str:  # type: ignore[override]
        return f"Reject {self._suggestion.label if self._suggestion else 'suggestion'}"

    def _apply(self, project: Project) -> None:
        self._suggestion = project.reject_suggestion(self.suggestion_id)
        self._label_id = project.label_id(self._suggestion.label)

    def _revert(self, project: Project) -> None:
        assert self._suggestion is not None
        self._suggestion = _relabelled(project, self._suggestion, self._label_id)
        project.restore_suggestion(self._suggestion)


def _relabelled(project: Project, suggestion: Suggestion, label_id: int) -> Suggestion:
    """The suggestion with the name its label has now."""
    return replace(suggestion, label=project.label_name(label_id))


def _status_before(project: Project, document_id: int) -> str | None:
    """The status the document had before the open transaction changed it (None: it did
    not change), read from what the transaction recorded."""
    edit = project.changes.documents.get(document_id)
    return edit.old.status if edit is not None and edit.old is not None else None
