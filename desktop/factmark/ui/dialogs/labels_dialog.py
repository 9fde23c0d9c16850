"""Project > Labels: add, rename, re-key, recolour, describe, reorder and remove span labels,
and (in the Link types tab, :mod:`factmark.ui.dialogs.relation_types_panel`) the link types.

Every edit is one operation (:mod:`factmark.core.label_operations`), committed at once:
given the window's ``perform``, it is an undo step of the window, undone with Ctrl+Z like
any annotation edit (a rename keeps the history: steps refer to labels by id). The
project's change (labels) then refreshes this dialog (and the main window's label
toolbar). A refused edit shows its message in the dialog. The table is read-only; the
fields under it edit the selected label.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QIcon, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QColorDialog,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from factmark.core.changes import ChangeSet
from factmark.core.cues import CUE, cues_on, turn_cues_off, turn_cues_on
from factmark.core.label_operations import AddLabel, DeleteLabel, MoveLabel, UpdateLabel
from factmark.core.labels_store import OKABE_ITO, free_colour, free_key
from factmark.core.model import Label
from factmark.core.operations import Operation
from factmark.core.project import Project
from factmark.ui.dialogs.fit import fit_to_screen
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
from factmark.ui.dialogs.relation_types_panel import RelationTypesPanel
from factmark.ui.icons import swatch
from factmark.ui.models.tables import TableModel
from factmark.ui.plain import plain_tip, shown_key

_Index = QModelIndex | QPersistentModelIndex

NEW_LABEL_NAME = "new label"


def new_label_defaults(labels: list[Label]) -> tuple[str, str, str]:
    """Name, key and colour for a label added with the Add button: "new label" (numbered
    when taken), the first free key and the first label colour no label has (as an
    import gives them)."""
    name = free_name(NEW_LABEL_NAME, [label.name for label in labels])
    return name, free_key(labels), free_colour(labels)


class LabelTableModel(TableModel):
    """The project's labels in toolbar order: colour, key, name, description, span count."""

    HEADERS = ("Colour", "Key", "Name", "Description", "Spans")
    COLOUR, KEY, NAME, DESCRIPTION, SPANS = range(5)

    def __init__(self, project: Project, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.labels: list[Label] = []
        self.span_counts: dict[str, int] = {}
        self.reload()

    def reload(self) -> None:
        """Read the labels and their span counts again (in place when as many, so the
        view keeps its selection and scroll position through a rename or a move)."""
        labels, counts = self.project.labels(), self.project.label_span_counts()

        def assign() -> None:
            self.labels, self.span_counts = labels, counts

        replace_rows(self, len(labels), assign)

    def row_of(self, name: str) -> int:
        """The row showing label ``name``, or -1."""
        for row, label in enumerate(self.labels):
            if label.name == name:
                return row
        return -1

    def items(self) -> Sequence[object]:
        return self.labels

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        label, column = self.labels[index.row()], index.column()
        count = self.span_counts.get(label.name, 0)
        if role == Qt.ItemDataRole.DisplayRole:
            key = shown_key(label.key)  # as the toolbar and the menus show it
            return (label.colour, key, label.name, label.description, count)[column]
        if role == Qt.ItemDataRole.DecorationRole and column == self.COLOUR:
            return swatch(label.colour)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (self.KEY, self.SPANS):
            across = (
                Qt.AlignmentFlag.AlignRight
                if column == self.SPANS
                else Qt.AlignmentFlag.AlignHCenter
            )
            return int(across | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            key = f"key {shown_key(label.key)}" if label.key else "no key"
            spans = f"{count} span" if count == 1 else f"{count:,} spans"
            return plain_tip(f"{label.name} ({key}, {spans})\n{label.description}".rstrip())
        return None


class LabelsDialog(QDialog):
    """The project's span labels and link types, editable in two tabs: every change is
    saved as it is made, as an undo step of the window when ``perform`` (the window's
    :meth:`Session.perform`) is given."""

    def __init__(
        self, project: Project, parent: QWidget | None = None, perform: Perform | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("labelsDialog")
        self.setWindowTitle("Labels")
        self.project = project
        self.perform = perform
        self._shown: Label | None = None  # the label the fields under the table edit
        self.colour_dialog: QColorDialog | None = None

        self.model = LabelTableModel(project, self)
        self.table = self._make_table()
        self.add_button = push_button(self, "addLabel", "&Add", self.add_label)
        self.remove_button = push_button(self, "removeLabel", "&Remove", self.remove_label)
        self.up_button = push_button(self, "moveLabelUp", "Move &up", lambda: self.move_label(-1))
        self.down_button = push_button(
            self, "moveLabelDown", "Move &down", lambda: self.move_label(1)
        )
        self.name_edit = line_edit(self, "labelName", "Name of the label")
        self.name_edit.editingFinished.connect(lambda: self._edit("name", self.name_edit))
        self.key_edit = line_edit(self, "labelKey", "Keyboard key (one character, or none)")
        self.key_edit.setPlaceholderText("none")
        self.key_edit.setMaximumWidth(self.fontMetrics().horizontalAdvance("none") * 3)
        self.key_edit.textEdited.connect(self._key_typed)
        self.description_edit = line_edit(self, "labelDescription", "What the label marks")
        self.description_edit.editingFinished.connect(
            lambda: self._edit("description", self.description_edit)
        )
        self.colour_button = push_button(self, "labelColour", "&Colour…", self.choose_colour)
        self.error = error_label(self, "labelsError")
        self.cues = QCheckBox(
            "&Mark cues (said, according to…): the label cue and the link type cue_of", self
        )
        self.cues.setObjectName("markCues")
        self.cues.setToolTip(
            "A cue is the reporting verb or phrase that ties a source to its claim. Turning "
            "cues on adds the label cue (a free key and colour) and the link type cue_of "
            "(cue -> claim); off removes both while no span or link uses them."
        )
        self.cues.setChecked(cues_on(project))
        self.cues.toggled.connect(self._cues_toggled)
        self.link_types = RelationTypesPanel(project, self, perform)

        self._lay_out()
        listener = self._project_changed
        project.subscribe(listener)
        self._listening = True
        self.destroyed.connect(lambda: project.unsubscribe(listener))
        if self.model.labels:
            self.select(self.model.labels[0].name)
        self._update_controls()

    # -- building --------------------------------------------------------------------

    def _make_table(self) -> QTableView:
        table = item_table(self, self.model, "labelTable", "Labels", LabelTableModel.DESCRIPTION)
        table.selectionModel().currentRowChanged.connect(lambda *_: self._show_current())
        table.doubleClicked.connect(self._cell_double_clicked)
        return table

    def _lay_out(self) -> None:
        top = table_with_buttons(
            self.table, (self.add_button, self.remove_button, self.up_button, self.down_button)
        )
        key_row = QHBoxLayout()
        key_row.addWidget(self.key_edit)
        key_row.addSpacing(self.fontMetrics().height())
        key_row.addWidget(self.colour_button)
        key_row.addStretch(1)
        form = QFormLayout()
        for text, field in (("&Name:", self.name_edit), ("&Key:", self.key_edit)):
            caption = QLabel(text, self)
            caption.setBuddy(field)
            form.addRow(caption, field if field is self.name_edit else key_row)
        caption = QLabel("D&escription:", self)
        caption.setBuddy(self.description_edit)
        form.addRow(caption, self.description_edit)

        hint = QLabel(
            "Changes are saved as you make them. A key labels the selected text when pressed; "
            "a label that spans use cannot be removed.",
            self,
        )
        hint.setWordWrap(True)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        close.button(QDialogButtonBox.StandardButton.Close).setAutoDefault(False)

        labels_page = QWidget(self)
        page = QVBoxLayout(labels_page)
        page.addLayout(top, 1)
        page.addLayout(form)
        page.addWidget(self.cues)
        page.addWidget(self.error)
        page.addWidget(hint)
        # Ctrl+Tab (or Alt+L, Alt+T) switches tabs; only the shown tab's mnemonics act.
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("labelTabs")
        self.tabs.addTab(labels_page, "&Labels")
        self.tabs.addTab(self.link_types, "Link &types")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(close)
        em = self.fontMetrics().height()
        fit_to_screen(self, 48 * em, 28 * em)

    # -- state -------------------------------------------------------------------------

    def current_label(self) -> Label | None:
        """The label selected in the table, if any."""
        row = self.table.currentIndex().row()
        return self.model.labels[row] if 0 <= row < len(self.model.labels) else None

    def select(self, name: str) -> None:
        """Select label ``name`` in the table and show it in the fields."""
        row = self.model.row_of(name)
        if row >= 0:
            select_row(self.table, row, LabelTableModel.NAME)
            self._show_current()

    def _show_current(self) -> None:
        label = self.current_label()
        self._shown = label
        self.name_edit.setText(label.name if label else "")
        self.key_edit.setText(label.key if label else "")
        self.description_edit.setText(label.description if label else "")
        self.colour_button.setIcon(swatch(label.colour) if label else QIcon())
        self._update_controls()

    def _update_controls(self) -> None:
        enable_controls(
            self.add_button,
            self.remove_button,
            self.up_button,
            self.down_button,
            (self.name_edit, self.key_edit, self.description_edit, self.colour_button),
            writable=not self.project.readonly,
            row=self.table.currentIndex().row() if self._shown else -1,
            count=len(self.model.labels),
        )

    def _project_changed(self, change: ChangeSet) -> None:
        self.link_types.project_changed(change)
        if not change.labels:
            return
        self.cues.blockSignals(True)
        self.cues.setChecked(cues_on(self.project))
        self.cues.blockSignals(False)
        row = self.table.currentIndex().row()
        self.model.reload()
        shown = self._shown.name if self._shown else None
        name = name_after_change(shown, row, [label.name for label in self.model.labels])
        if name is None:
            self._show_current()
        else:
            self.select(name)

    def _apply(self, operation: Operation) -> bool:
        """Make one edit; a refusal is shown in the dialog, never raised."""
        return make_edit(self.error, self.project, operation, self.perform)

    # -- editing -----------------------------------------------------------------------

    def _edit(self, field: str, edit: QLineEdit) -> None:
        """Apply a field of the label shown; on success show what was stored (tidied)."""
        label = self._shown
        if label is None or edit.text() == getattr(label, field):
            return
        if edit.text().strip() == getattr(label, field):
            edit.setText(getattr(label, field))  # only spaces the project would strip
            self.error.clear()
            return
        if self._apply(UpdateLabel(label.name, {field: edit.text()})):
            self.select(edit.text().strip() if field == "name" else label.name)

    def _key_typed(self, text: str) -> None:
        """A key applies as soon as it is typed; a new character replaces the old one."""
        if len(text) > 1:
            position = self.key_edit.cursorPosition()
            self.key_edit.setText(text[position - 1 : position] or text[-1])
        self._edit("key", self.key_edit)

    def add_label(self) -> None:
        """Add a label at the end with a free name, key and colour, ready to be named."""
        name, key, colour = new_label_defaults(self.model.labels)
        if self._apply(AddLabel(name, key, colour)):
            self.select(name)
            self.name_edit.setFocus(Qt.FocusReason.OtherFocusReason)
            self.name_edit.selectAll()

    def remove_label(self) -> None:
        """Remove the selected label; refused (with the reason shown) while spans use it."""
        label = self.current_label()
        if label is not None:
            self._apply(DeleteLabel(label.name))

    def move_label(self, step: int) -> None:
        """Move the selected label ``step`` places (-1 up, 1 down) in the toolbar order."""
        label = self.current_label()
        if label is None:
            return
        row = self.model.row_of(label.name) + step
        if 0 <= row < len(self.model.labels) and self._apply(MoveLabel(label.name, row)):
            self.select(label.name)

    def _cues_toggled(self, on: bool) -> None:
        """Turn cues on or off (one edit); a refusal is shown and the box follows the
        project."""
        operation = turn_cues_on(self.project) if on else turn_cues_off(self.project)
        if operation is not None and self._apply(operation) and on:
            self.select(CUE)
        self.cues.blockSignals(True)
        self.cues.setChecked(cues_on(self.project))
        self.cues.blockSignals(False)

    def choose_colour(self) -> None:
        """Open a colour chooser for the selected label, offering the Okabe-Ito colours."""
        label = self.current_label()
        if label is None:
            return
        for index, colour in enumerate(OKABE_ITO):
            # The custom colour grid has two rows filled column by column: even indices
            # put the palette along the top row, in order.
            QColorDialog.setCustomColor(2 * index, QColor(colour))
        chooser = QColorDialog(QColor(label.colour), self)
        chooser.setObjectName("labelColourDialog")
        chooser.setWindowTitle(f"Colour of {label.name}")
        # Qt's own dialog everywhere: native ones may not show the custom colours.
        chooser.setOption(QColorDialog.ColorDialogOption.DontUseNativeDialog)
        chooser.colorSelected.connect(lambda colour: self._set_colour(label.name, colour))
        chooser.finished.connect(chooser.deleteLater)
        self.colour_dialog = chooser
        chooser.open()

    def _set_colour(self, name: str, colour: QColor) -> None:
        chosen = colour.name().upper()
        shown = next((label for label in self.model.labels if label.name == name), None)
        if colour.isValid() and (shown is None or shown.colour != chosen):
            self._apply(UpdateLabel(name, {"colour": chosen}))

    def _cell_double_clicked(self, index: QModelIndex) -> None:
        """Double-clicking a cell goes to the field that edits it."""
        if index.column() == LabelTableModel.COLOUR:
            self.choose_colour()
            return
        field = {
            LabelTableModel.KEY: self.key_edit,
            LabelTableModel.DESCRIPTION: self.description_edit,
        }.get(index.column(), self.name_edit)
        field.setFocus(Qt.FocusReason.OtherFocusReason)
        field.selectAll()

    def showEvent(self, event: QShowEvent) -> None:
        """Listen to the project again when shown after closing (``exec()`` twice)."""
        if not self._listening:
            self.project.subscribe(self._project_changed)
            self._listening = True
            self._project_changed(ChangeSet(labels=True))
        super().showEvent(event)

    def done(self, result: int) -> None:
        """Stop listening to the project when the dialog closes."""
        self.project.unsubscribe(self._project_changed)
        self._listening = False
        super().done(result)
