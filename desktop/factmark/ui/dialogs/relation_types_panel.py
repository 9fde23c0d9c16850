"""The Link types tab of the Labels dialog: add, rename, describe, reorder and remove
the project's relation (link) types.

As in the Labels tab, every edit is one operation, committed at once (an undo step of
the window when given its ``perform``); the project's change then refreshes the table, and
a refused edit shows its one-line reason. A rename carries the existing links along (the
core renames them in the same transaction).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from factmark.core.changes import ChangeSet
from factmark.core.label_operations import (
    AddRelationType,
    DeleteRelationType,
    MoveRelationType,
    UpdateRelationType,
)
from factmark.core.operations import Operation
from factmark.core.project import Project
from factmark.ui.dialogs.list_editing import (
    Perform,
    enable_controls,
    error_label,
    free_name,
    item_table,
    line_edit,
    make_edit,
    name_after_change,
    push_button,
    replace_rows,
    select_row,
    table_with_buttons,
)
from factmark.ui.models.tables import TableModel
from factmark.ui.plain import plain_tip

_Index = QModelIndex | QPersistentModelIndex
NEW_TYPE_NAME = "new_type"  # one word, as link types are


class RelationTypeTableModel(TableModel):
    """The project's link types in menu order: name, description, how many links."""

    HEADERS = ("Name", "Description", "Links")
    NAME, DESCRIPTION, LINKS = range(3)

    def __init__(self, project: Project, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.rows: list[dict[str, Any]] = []  # name, description, links
        self.reload()

    def reload(self) -> None:
        """Read the link types and their link counts again (in place when as many)."""
        rows = self.project.relation_type_rows()
        replace_rows(self, len(rows), lambda: setattr(self, "rows", rows))

    def names(self) -> list[str]:
        """The link type names, in order."""
        return [row["name"] for row in self.rows]

    def row_of(self, name: str) -> int:
        """The row showing link type ``name``, or -1."""
        names = self.names()
        return names.index(name) if name in names else -1

    def items(self) -> Sequence[object]:
        return self.rows

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (row["name"], row["description"], row["links"])[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.LINKS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            links = f"{row['links']} link" if row["links"] == 1 else f"{row['links']:,} links"
            return plain_tip(f"{row['name']} ({links})\n{row['description']}".rstrip())
        return None


class RelationTypesPanel(QWidget):
    """The project's link types, editable: every change is saved as it is made (as an
    undo step of the window when ``perform`` is given)."""

    def __init__(
        self, project: Project, parent: QWidget | None = None, perform: Perform | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("relationTypesPanel")
        self.project = project
        self.perform = perform
        self._shown: str | None = None  # the type the fields under the table edit

        self.model = RelationTypeTableModel(project, self)
        self.table = item_table(
            self, self.model, "relationTypeTable", "Link types", RelationTypeTableModel.DESCRIPTION
        )
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_current())
        self.table.doubleClicked.connect(self._cell_double_clicked)
        self.add_button = push_button(self, "addRelationType", "&Add", self.add_type)
        self.remove_button = push_button(self, "removeRelationType", "&Remove", self.remove_type)
        self.up_button = push_button(
            self, "moveRelationTypeUp", "Move &up", lambda: self.move_type(-1)
        )
        self.down_button = push_button(
            self, "moveRelationTypeDown", "Move &down", lambda: self.move_type(1)
        )
        self.name_edit = line_edit(self, "relationTypeName", "Name of the link type")
        self.name_edit.setPlaceholderText("one word, e.g. contradicts")
        self.name_edit.editingFinished.connect(lambda: self._edit("name", self.name_edit.text()))
        self.description_edit = line_edit(self, "relationTypeDescription", "What the link means")
        self.description_edit.editingFinished.connect(
            lambda: self._edit("description", self.description_edit.text())
        )
        self.error = error_label(self, "relationTypesError")
        self._lay_out()
        if self.model.rows:
            self.select(self.model.rows[0]["name"])
        self._update_controls()

    def _lay_out(self) -> None:
        top = table_with_buttons(
            self.table, (self.add_button, self.remove_button, self.up_button, self.down_button)
        )

        form = QFormLayout()
        for text, field in (("&Name:", self.name_edit), ("D&escription:", self.description_edit)):
            caption = QLabel(text, self)
            caption.setBuddy(field)
            form.addRow(caption, field)
        hint = QLabel(
            "Changes are saved as you make them. Links follow a rename; a type that links "
            "use cannot be removed. The link menu lists the types in this order.",
            self,
        )
        hint.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addLayout(top, 1)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(hint)

    # -- state -------------------------------------------------------------------------

    def current_type(self) -> dict[str, Any] | None:
        """The link type selected in the table (name, description, links), if any."""
        row = self.table.currentIndex().row()
        return self.model.rows[row] if 0 <= row < len(self.model.rows) else None

    def select(self, name: str) -> None:
        """Select link type ``name`` in the table and show it in the fields."""
        row = self.model.row_of(name)
        if row >= 0:
            select_row(self.table, row, RelationTypeTableModel.NAME)
            self._show_current()

    def _show_current(self) -> None:
        shown = self.current_type()
        self._shown = shown["name"] if shown else None
        self.name_edit.setText(shown["name"] if shown else "")
        self.description_edit.setText(shown["description"] if shown else "")
        self._update_controls()

    def _update_controls(self) -> None:
        enable_controls(
            self.add_button,
            self.remove_button,
            self.up_button,
            self.down_button,
            (self.name_edit, self.description_edit),
            writable=not self.project.readonly,
            row=self.table.currentIndex().row() if self._shown else -1,
            count=len(self.model.rows),
        )

    def project_changed(self, change: ChangeSet) -> None:
        """Show a committed change: types edited ("relation_types", or "labels" for a
        rename) or links made ("relations")."""
        if not (change.labels or change.relation_types or change.relations_of or change.relations):
            return
        row = self.table.currentIndex().row()
        self.model.reload()
        name = name_after_change(self._shown, row, self.model.names())
        if name is None:
            self._show_current()
        else:
            self.select(name)

    # -- editing -----------------------------------------------------------------------

    def _apply(self, operation: Operation) -> bool:
        """Make one edit; a refusal is shown in the panel, never raised."""
        return make_edit(self.error, self.project, operation, self.perform)

    def _edit(self, field: str, text: str) -> None:
        """Apply a field of the type shown; on success show what was stored (tidied)."""
        shown = self.current_type()
        if shown is None or text == shown[field]:
            return
        if text.strip() == shown[field]:  # only spaces the project would strip
            (self.name_edit if field == "name" else self.description_edit).setText(shown[field])
            self.error.clear()
            return
        name = shown["name"]
        if self._apply(UpdateRelationType(name, {field: text})):
            self.select(text.strip() if field == "name" else name)

    def add_type(self) -> None:
        """Add a link type at the end with a free name, ready to be named."""
        name = free_name(NEW_TYPE_NAME, self.model.names(), "_")
        if self._apply(AddRelationType(name)):
            self.select(name)
            self.name_edit.setFocus(Qt.FocusReason.OtherFocusReason)
            self.name_edit.selectAll()

    def remove_type(self) -> None:
        """Remove the selected link type; refused (with the reason shown) while links use it."""
        shown = self.current_type()
        if shown is not None:
            self._apply(DeleteRelationType(shown["name"]))

    def move_type(self, step: int) -> None:
        """Move the selected link type ``step`` places (-1 up, 1 down) in the list."""
        shown = self.current_type()
        if shown is None:
            return
        name = shown["name"]
        row = self.model.row_of(name) + step
        if 0 <= row < len(self.model.rows) and self._apply(MoveRelationType(name, row)):
            self.select(name)

    def _cell_double_clicked(self, index: QModelIndex) -> None:
        """Double-clicking a cell goes to the field that edits it."""
        field = (
            self.description_edit
            if index.column() == RelationTypeTableModel.DESCRIPTION
            else self.name_edit
        )
        field.setFocus(Qt.FocusReason.OtherFocusReason)
        field.selectAll()
