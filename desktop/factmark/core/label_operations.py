"""Edits of a project's labels and link types (Edit > Labels) as operations, so the
window undoes them with Ctrl+Z like any annotation edit.

Each refers to its label or link type by the stable id the project gives it (the name
passed in is looked up when the operation is first applied), so a step still undoes
the right one after it was renamed; a rename itself is one of these steps, and so the
history survives it. Deleting and then undoing puts the label or link type back with the
same id, place, key, colour and description (and a label with the suggestions deleting
it dropped). The stores' checks apply unchanged: a refused edit raises ValidationError
and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from factmark.core.model import Label, RelationType, ValidationError
from factmark.core.operations import Operation
from factmark.core.project import Project


class LabelOperation(Operation):
    """An edit of the project's labels or link types: of no one document."""

    document_id: int | None = None


def _label(project: Project, label_id: int) -> Label:
    """The label with id ``label_id`` as it is now."""
    for label in project.labels():
        if label.id == label_id:
            return label
    raise ValidationError(f"the label (number {label_id}) no longer exists")


def _relation_type(project: Project, type_id: int) -> RelationType:
    """The link type with id ``type_id`` as it is now."""
    for entry in project.relation_type_entries():
        if entry.id == type_id:
            return entry
    raise ValidationError(f"the link type (number {type_id}) no longer exists")


# -- span labels ----------------------------------------------------------------------


@dataclass
class AddLabel(LabelOperation):
    """Add a label at the end of the list; redo puts it back under the same id."""

    name: str
    key: str = ""
    colour: str = "#999999"
    label_description: str = ""
    _label: Label | None = None  # as stored (with its id and place)

    @property
    def description(self) -> str:  # type: ignore[override]
        return f"Add label {self._label.name if self._label else self.name}"

    def _apply(self, project: Project) -> None:
        if self._label is None:
            self._label = project.add_label(
                self.name, self.key, self.colour, self.label_description
            )
        else:
            project.restore_label(self._label)

    def _revert(self, project: Project) -> None:
        assert self._label is not None and self._label.id is not None
        self._label = project.delete_label(project.label_name(self._label.id))


@dataclass
class UpdateLabel(LabelOperation):
    """Rename, re-key, recolour or re-describe a label (``changes`` as
    :meth:`Project.update_label` takes them); spans follow a rename."""

    name: str
    changes: dict[str, str]
    _label_id: int | None = None
    _before: dict[str, str] = field(default_factory=dict)
    _after: dict[str, str] = field(default_factory=dict)  # as stored (tidied)
    _names: tuple[str, str] | None = None  # before and after, for the description

    @property
    def description(self) -> str:  # type: ignore[override]
        old, new = self._names or (self.name, self.changes.get("name", self.name))
        if old != new:
            return f"Rename label {old} to {new}"
        what = {"key": "Change key of", "colour": "Recolour", "description": "Describe"}
        return f"{what.get(next(iter(self.changes), ''), 'Change')} label {new}"

    def rewrites_many(self) -> bool:
        return "name" in self.changes  # every span or link of it follows a rename

    def _apply(self, project: Project) -> None:
        if self._label_id is None:
            self._label_id = project.label_id(self.name)
            changes = self.changes
        else:
            changes = self._after
        old = _label(project, self._label_id)
        new = project.update_label(old.name, **changes)
        self._before = {key: getattr(old, key) for key in self.changes}
        self._after = {key: getattr(new, key) for key in self.changes}
        self._names = (old.name, new.name)

    def _revert(self, project: Project) -> None:
        assert self._label_id is not None
        project.update_label(project.label_name(self._label_id), **self._before)


@dataclass
class MoveLabel(LabelOperation):
    """Move a label to ``position`` (0 is first); revert moves it back."""

    name: str
    position: int
    _label_id: int | None = None
    _from: int = 0

    @property
    def description(self) -> str:  # type: ignore[override]
        return f"Move label {self.name}"

    def _apply(self, project: Project) -> None:
        if self._label_id is None:
            self._label_id = project.label_id(self.name)
        self.name = project.label_name(self._label_id)
        self._from = project.move_label(self.name, self.position)

    def _revert(self, project: Project) -> None:
        assert self._label_id is not None
        project.move_label(project.label_name(self._label_id), self._from)


@dataclass
class DeleteLabel(LabelOperation):
    """Delete a label no span uses (a used one is refused); revert puts it back with the
    same id, place, key, colour and description, and its suggestions."""

    name: str
    _label: Label | None = None  # as it was when deleted
    # Its suggestions (awaiting review or rejected), which deleting it drops.
    _suggestions: list[tuple[Any, ...]] = field(default_factory=list)

    @property
    def description(self) -> str:  # type: ignore[override]
        return f"Delete label {self._label.name if self._label else self.name}"

    def _apply(self, project: Project) -> None:
        if self._label is None or self._label.id is None:
            name = self.name
        else:
            name = project.label_name(self._label.id)
        self._suggestions = project.label_suggestion_rows(name)
        self._label = project.delete_label(name)

    def _revert(self, project: Project) -> None:
        assert self._label is not None
        project.restore_label(self._label, self._suggestions)


# -- link types -------------------------------------------------------------------------


@dataclass
class AddRelationType(LabelOperation):
    """Add a link type at the end of the list; redo puts it back under the same id."""

    name: str
    type_description: str = ""
    _kind: RelationType | None = None  # as stored (with its id and place)

    @property
    def description(self) -> str:  # type: ignore[override]
        return f"Add link type {self._kind.name if self._kind else self.name}"

    def _apply(self, project: Project) -> None:
        if self._kind is None:
            name = project.add_relation_type(self.name, self.type_description)
            self._kind = _relation_type(project, project.relation_type_id(name))
        else:
            project.restore_relation_type(self._kind)

    def _revert(self, project: Project) -> None:
        assert self._kind is not None and self._kind.id is not None
        self._kind = project.delete_relation_type(project.relation_type_name(self._kind.id))


@dataclass
class UpdateRelationType(LabelOperation):
    """Rename or re-describe a link type (``changes`` as
    :meth:`Project.update_relation_type` takes them); links follow a rename."""

    name: str
    changes: dict[str, str]
    _type_id: int | None = None
    _before: dict[str, str] = field(default_factory=dict)
    _after: dict[str, str] = field(default_factory=dict)  # as stored (tidied)
    _names: tuple[str, str] | None = None  # before and after, for the description

    @property
    def description(self) -> str:  # type: ignore[override]
        old, new = self._names or (self.name, self.changes.get("name", self.name))
        if old != new:
            return f"Rename link type {old} to {new}"
        return f"Describe link type {new}"

    def rewrites_many(self) -> bool:
        return "name" in self.changes  # every span or link of it follows a rename

    def _apply(self, project: Project) -> None:
        if self._type_id is None:
            self._type_id = project.relation_type_id(self.name)
            changes = self.changes
        else:
            changes = self._after
        old = _relation_type(project, self._type_id)
        project.update_relation_type(old.name, **changes)
        new = _relation_type(project, self._type_id)
        self._before = {key: getattr(old, key) for key in self.changes}
        self._after = {key: getattr(new, key) for key in self.changes}
        self._names = (old.name, new.name)

    def _revert(self, project: Project) -> None:
        assert self._type_id is not None
        project.update_relation_type(project.relation_type_name(self._type_id), **self._before)


@dataclass
class MoveRelationType(LabelOperation):
    """Move a link type to ``position`` (0 is first); revert moves it back."""

    name: str
    position: int
    _type_id: int | None = None
    _from: int = 0

    @property
    def description(self) -> str:  # type: ignore[override]
        return f"Move link type {self.name}"

    def _apply(self, project: Project) -> None:
        if self._type_id is None:
            self._type_id = project.relation_type_id(self.name)
        self.name = project.relation_type_name(self._type_id)
        self._from = project.move_relation_type(self.name, self.position)

    def _revert(self, project: Project) -> None:
        assert self._type_id is not None
        project.move_relation_type(project.relation_type_name(self._type_id), self._from)


@dataclass
class DeleteRelationType(LabelOperation):
    """Delete a link type no link uses (a used one is refused); revert puts it back
    with the same id, place and description."""

    name: str
    _kind: RelationType | None = None  # as it was when deleted

    @property
    def description(self) -> str:  # type: ignore[override]
        return f"Delete link type {self._kind.name if self._kind else self.name}"

    def _apply(self, project: Project) -> None:
        if self._kind is None or self._kind.id is None:
            name = self.name
        else:
            name = project.relation_type_name(self._kind.id)
        self._kind = project.delete_relation_type(name)

    def _revert(self, project: Project) -> None:
        assert self._kind is not None
        project.restore_relation_type(self._kind)
