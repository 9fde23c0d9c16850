"""The table view both lists (documents, spans) show their rows in.

The lists' views are made after the window's first paint, and this module with them: it
alone touches Qt's item-view classes, whose enumerations PySide makes when a class is
first touched (about 0.8 million instructions each; the item views have ten).
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QItemSelectionModel, QModelIndex
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from factmark.ui.viewports import own_viewport


def make_table(name: str, parent: QWidget, model: QAbstractItemModel, stretched: int) -> QTableView:
    """A compact, row-selecting table showing ``model``: its column ``stretched`` takes
    the room the others (sized by hand, dragged by the user) leave."""
    view = QTableView(parent)
    own_viewport(view)  # see ui/viewports.py
    view.setObjectName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.setAlternatingRowColors(True)
    view.horizontalHeader().setHighlightSections(False)
    view.setModel(model)
    header = view.horizontalHeader()
    # Widths set by hand: sizing to contents would measure every row of a big list.
    for column in range(model.columnCount()):
        if column == stretched:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        else:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
    return view


def select_row(table: QTableView, index: QModelIndex) -> None:
    """Make ``index``'s row the selected and current one, and scroll it into view."""
    table.selectionModel().setCurrentIndex(
        index,
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    table.scrollTo(index)


def select_no_row(table: QTableView) -> None:
    """Select no row, and leave none current."""
    selection = table.selectionModel()
    selection.clearSelection()
    selection.setCurrentIndex(QModelIndex(), QItemSelectionModel.SelectionFlag.Clear)
