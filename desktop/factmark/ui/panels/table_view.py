"""The table view both lists (documents, spans) show their rows in.

The lists' views are made after the window's first paint, and this module with them: it
alone touches Qt's item-view classes, whose enumerations PySide makes when a class is
first touched (about 0.8 million instructions each; the item views have ten).
"""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    Qt,
)
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QStyle, QTableView, QWidget

from factmark.ui.viewports import own_viewport


def make_table(name: str, parent: QWidget, model: QAbstractItemModel, stretched: int) -> QTableView:
    """A compact, row-selecting table showing ``model``: its column ``stretched`` takes
    the room the others (sized by hand, dragged by the user) leave."""
    view = RowTable(parent)
    own_viewport(view)  # see ui/viewports.py
    view.setObjectName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setTabKeyNavigation(False)  # Tab leaves the list (arrows walk its rows)
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


class RowTable(QTableView):
    """A table of rows: Home and End go to its first and last row, as Ctrl+Home and
    Ctrl+End do (a table's own Home and End go to the first and last column, which in a
    list of rows moves nothing a user sees)."""

    def moveCursor(
        self, cursorAction: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier
    ) -> QModelIndex:
        action = QAbstractItemView.CursorAction
        if cursorAction in (action.MoveHome, action.MoveEnd):
            modifiers |= Qt.KeyboardModifier.ControlModifier
        return super().moveCursor(cursorAction, modifiers)


TEXT_SHARE = 0.5  # of a narrow list's width, what its stretched column keeps at least


def fit_columns(
    view: QTableView,
    wanted: dict[int, int],
    least: dict[int, int],
    optional: tuple[int, ...] = (),
) -> ColumnFit:
    """Keep the columns other than the stretched one at their ``wanted`` widths while the
    list is wide enough; as it narrows, they give up room first, each down to its
    ``least``, so that the stretched column keeps at least :data:`TEXT_SHARE` of the
    width and its own ``least`` (no horizontal scroll bar until all are at their least).
    A column is never narrower than its header's name (a header is never cut); the
    ``optional`` columns, in order, hide while the others at their least would leave the
    stretched column less than its least, and show again as the list widens. A column
    the user drags wider or narrower is wanted at that width from then on."""
    return ColumnFit(view, wanted, least, optional)


class ColumnFit(QObject):
    """A list's columns fitted to its width (see :func:`fit_columns`)."""

    def __init__(
        self,
        view: QTableView,
        wanted: dict[int, int],
        least: dict[int, int],
        optional: tuple[int, ...],
    ) -> None:
        super().__init__(view)
        self.view = view
        self.optional = optional
        header = view.horizontalHeader()
        # The stretched column: the one the others leave their room to.
        self.stretched = next(
            column
            for column in range(header.count())
            if header.sectionResizeMode(column) == QHeaderView.ResizeMode.Stretch
        )
        self.wanted: dict[int, int] = {}
        self.least: dict[int, int] = {}
        self._fitting = False
        for column, width in wanted.items():
            self.set_width(column, width, least[column], fit=False)
        self.stretched_least = max(
            least.get(self.stretched, 0), header.sectionSizeHint(self.stretched)
        )
        view.viewport().installEventFilter(self)
        header.sectionResized.connect(self._dragged)
        self.fit()

    def set_width(self, column: int, wanted: int, least: int, *, fit: bool = True) -> None:
        """The width ``column`` wants and the least it keeps (never under its header's)."""
        least = max(least, self.view.horizontalHeader().sectionSizeHint(column))
        self.least[column] = least
        self.wanted[column] = max(wanted, least)
        if fit:
            self.fit()

    def least_width(self) -> int:
        """The list's least outer width: every column but the optional ones at its least,
        the stretched one at its least, the frame and a vertical scroll bar."""
        view = self.view
        columns = sum(w for column, w in self.least.items() if column not in self.optional)
        bar = view.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, view)
        return self.stretched_least + columns + 2 * view.frameWidth() + bar

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    def _dragged(self, column: int, _old: int, new: int) -> None:
        if not self._fitting and column in self.wanted:
            self.wanted[column] = max(new, 1)

    def fit(self) -> None:
        room = self.view.viewport().width()
        hidden: set[int] = set()
        for column in self.optional:
            others = sum(w for c, w in self.least.items() if c not in hidden)
            if room - others >= self.stretched_least:
                break
            hidden.add(column)
        shown = {c: w for c, w in self.wanted.items() if c not in hidden}
        keep = max(self.stretched_least, int(room * TEXT_SHARE))
        over = sum(shown.values()) - (room - keep)
        spare = sum(width - self.least[column] for column, width in shown.items())
        share = min(1.0, over / spare) if over > 0 and spare > 0 else 0.0
        self._fitting = True
        try:
            for column in self.wanted:
                if self.view.isColumnHidden(column) != (column in hidden):
                    self.view.setColumnHidden(column, column in hidden)
            for column, width in shown.items():
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
