"""Pieces shared by the tabs of the Labels dialog, which edit a project list in place
(span labels, link types): the same table, buttons, fields and error line in each, and
the one way both make an edit (:func:`make_edit`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from factmark.core.model import ValidationError
from factmark.core.operations import Operation
from factmark.core.project import Project, ProjectError
from factmark.ui.errors import ERROR_COLOUR
from factmark.ui.models.tables import TableModel

# Performs an operation as an undo step of the window; False when it was refused.
Perform = Callable[[Operation], bool]


def free_name(base: str, taken: Iterable[str], separator: str = " ") -> str:
    """``base``, or ``base`` numbered from 2 ("new label 2") when a name in ``taken``
    has it already, ignoring case as the project's name checks do."""
    folded = {name.casefold() for name in taken}
    name, number = base, 2
    while name.casefold() in folded:
        name, number = f"{base}{separator}{number}", number + 1
    return name


def replace_rows(model: TableModel, count: int, assign: Callable[[], None]) -> None:
    """Swap in a model's new rows (``assign`` stores them; ``count`` of them).

    With the same number of rows they are updated in place (no reset), so the view
    keeps its selection and scroll position through a rename or a move.
    """
    if count != model.rowCount():
        model.beginResetModel()
        assign()
        model.endResetModel()
        return
    assign()
    if count:
        last = model.index(count - 1, model.columnCount() - 1)
        model.dataChanged.emit(model.index(0, 0), last)


def item_table(
    parent: QWidget, model: TableModel, name: str, accessible: str, stretch: int
) -> QTableView:
    """A read-only table of whole-row, single selection; column ``stretch`` takes the
    width the others (sized to their contents) leave."""
    table = QTableView(parent)
    table.setObjectName(name)
    table.setAccessibleName(accessible)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    table.setTabKeyNavigation(False)
    header = table.horizontalHeader()
    for column in range(model.columnCount()):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


def select_row(table: QTableView, row: int, column: int) -> None:
    """Make ``row`` the table's current, selected row and scroll to it."""
    model = table.model()
    table.selectionModel().setCurrentIndex(
        model.index(row, column),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    table.scrollTo(model.index(row, 0))


def name_after_change(shown: str | None, row: int, names: list[str]) -> str | None:
    """Which name to select once the list changed: the one shown before if it is still
    there, else the one now at its row (it was renamed or removed), else none."""
    if shown is not None and shown in names:
        return shown
    return names[min(max(row, 0), len(names) - 1)] if names else None


def push_button(parent: QWidget, name: str, text: str, slot: Callable[[], object]) -> QPushButton:
    """A named button calling ``slot`` when clicked."""
    button = QPushButton(text, parent)
    button.setObjectName(name)
    # Enter in a field must apply the field, not press a default button.
    button.setAutoDefault(False)
    button.clicked.connect(lambda _checked=False: slot())
    return button


def line_edit(parent: QWidget, name: str, accessible: str) -> QLineEdit:
    """A named field with a name for screen readers."""
    edit = QLineEdit(parent)
    edit.setObjectName(name)
    edit.setAccessibleName(accessible)
    return edit


def error_label(parent: QWidget, name: str) -> QLabel:
    """The line that shows why the last edit was refused (empty when it worked)."""
    error = QLabel(parent)
    error.setObjectName(name)
    error.setWordWrap(True)
    error.setTextFormat(Qt.TextFormat.PlainText)  # refusals quote names as written
    error.setStyleSheet(f"color: {ERROR_COLOUR};")
    error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    # A line kept for it when empty: a one-line refusal appearing or going moves nothing
    # else in the dialog (the buttons stay under the pointer).
    error.setMinimumHeight(error.fontMetrics().lineSpacing())
    return error


def apply_change(error: QLabel, change: Callable[[], object]) -> bool:
    """Run one Project change; a refusal is shown in ``error``, never raised."""
    try:
        change()
    except (ValidationError, ProjectError) as refused:
        error.setText(str(refused))
        return False
    error.clear()
    return True


def make_edit(
    error: QLabel, project: Project, operation: Operation, perform: Perform | None
) -> bool:
    """Make one edit: through ``perform`` when given (the window's undo history, so
    Ctrl+Z undoes it), else applied to the project at once. A refusal is shown in
    ``error`` with the reason the operation keeps, never raised."""
    if perform is None:
        return apply_change(error, lambda: operation.apply(project))
    if perform(operation):
        error.clear()
        return True
    error.setText(operation.problem or f"{operation.description}: not done")
    return False


def table_with_buttons(table: QTableView, buttons: Iterable[QWidget]) -> QHBoxLayout:
    """The table with its buttons in a column at its right, top-aligned."""
    column = QVBoxLayout()
    for button in buttons:
        column.addWidget(button)
    column.addStretch(1)
    row = QHBoxLayout()
    row.addWidget(table, 1)
    row.addLayout(column)
    return row


def enable_controls(
    add: QWidget,
    remove: QWidget,
    up: QWidget,
    down: QWidget,
    fields: Iterable[QWidget],
    *,
    writable: bool,
    row: int,
    count: int,
) -> None:
    """Enable what applies to the selected ``row`` (-1: none) of ``count`` rows; nothing
    but viewing when the project is read-only."""
    add.setEnabled(writable)
    remove.setEnabled(writable and row >= 0)
    up.setEnabled(writable and row > 0)
    down.setEnabled(writable and 0 <= row < count - 1)
    for field in fields:
        field.setEnabled(writable and row >= 0)
