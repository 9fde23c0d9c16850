"""The table view both lists (documents, spans) show their rows in.

The lists' views are made after the window's first paint, and this module with them: it
alone touches Qt's item-view classes, whose enumerations PySide makes when a class is
first touched (about 0.8 million instructions each; the item views have ten).
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QEvent, QItemSelectionModel, QModelIndex, QObject
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


TEXT_SHARE = 0.5  # of a narrow list's width, what its stretched column keeps at least


def fit_columns(view: QTableView, wanted: dict[int, int], least: dict[int, int]) -> None:
    """Keep the columns other than the stretched one at their ``wanted`` widths while the
    list is wide enough; as it narrows, they give up room first, each down to its
    ``least``, so that the stretched column keeps at least :data:`TEXT_SHARE` of the
    width (no horizontal scroll bar until all are at their least). A column the user
    drags wider or narrower is wanted at that width from then on."""
    _ColumnFit(view, wanted, least)


class _ColumnFit(QObject):
    def __init__(self, view: QTableView, wanted: dict[int, int], least: dict[int, int]) -> None:
        super().__init__(view)
        self.view = view
        self.wanted = dict(wanted)
        self.least = {column: min(least[column], width) for column, width in wanted.items()}
        self._fitting = False
        view.viewport().installEventFilter(self)
        view.horizontalHeader().sectionResized.connect(self._dragged)
        self.fit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    def _dragged(self, column: int, _old: int, new: int) -> None:
        if not self._fitting and column in self.wanted:
            self.wanted[column] = max(new, 1)

    def fit(self) -> None:
        room = self.view.viewport().width()
        over = sum(self.wanted.values()) - int(room * (1 - TEXT_SHARE))
        spare = sum(width - self.least[column] for column, width in self.wanted.items())
        share = min(1.0, over / spare) if over > 0 and spare > 0 else 0.0
        self._fitting = True
        try:
            for column, width in self.wanted.items():
                given = round(width - (width - self.least[column]) * share)
                if self.view.columnWidth(column) != given:
                    self.view.setColumnWidth(column, given)
        finally:
            self._fitting = False


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
