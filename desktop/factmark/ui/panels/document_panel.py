"""The document list with its status filter and search field."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from factmark.core.project import Project
from factmark.ui.models.tables import STATUS_NAMES, DocumentListModel
from factmark.ui.viewports import own_viewport


def make_table(name: str, parent: QWidget) -> QTableView:
    """A compact, row-selecting table as both lists use."""
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
    return view


class DocumentPanel(QWidget):
    """Status filter, search and the document list; reports the document chosen."""

    document_chosen = Signal(int)

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = DocumentListModel(project, self)
        self.status_filter = QComboBox(self)
        self.status_filter.setObjectName("statusFilter")
        self.status_filter.addItem("All documents", "")
        for status, name in STATUS_NAMES.items():
            self.status_filter.addItem(name, status)
        self.search = QLineEdit(self)
        self.search.setObjectName("documentSearch")
        self.search.setPlaceholderText("Search titles and text…")
        self.search.setClearButtonEnabled(True)
        self.table = make_table("documentList", self)
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # Fixed widths: sizing to contents would measure every row of a big project.
        metrics = self.table.fontMetrics()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(1, metrics.horizontalAdvance("In progress") + 16)
        self.table.setColumnWidth(2, metrics.horizontalAdvance("99999") + 16)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.status_filter)
        layout.addWidget(self.search)
        layout.addWidget(self.table)

        # Searching the text of many documents waits until typing pauses.
        self._search_timer = QTimer(self, singleShot=True, interval=250)
        self._search_timer.timeout.connect(self._apply_filter)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.status_filter.currentIndexChanged.connect(lambda _i: self._apply_filter())
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self._quiet = False

    def set_project(self, project: Project) -> None:
        self.model.project = project
        self.model.reload()

    def stop_pending_search(self) -> None:
        """Forget a search still waiting for typing to pause (the window is closing)."""
        self._search_timer.stop()

    def _apply_filter(self) -> None:
        current = self.current_id()
        self._quiet = True
        self.model.set_filter(self.status_filter.currentData() or "", self.search.text())
        self._quiet = False
        if current is not None:
            self.select(current, emit=False)

    def _row_changed(self, current, _previous) -> None:  # type: ignore[no-untyped-def]
        document_id = self.model.data(current, Qt.ItemDataRole.UserRole)
        if document_id is not None and not self._quiet:
            self.document_chosen.emit(int(document_id))

    def current_id(self) -> int | None:
        index = self.table.currentIndex()
        value = self.model.data(index, Qt.ItemDataRole.UserRole) if index.isValid() else None
        return int(value) if value is not None else None

    def select(self, document_id: int, *, emit: bool = True) -> bool:
        """Highlight a document's row (if shown); emits document_chosen unless told not to."""
        row = self.model.row_of(document_id)
        if row < 0:
            return False
        self._quiet = not emit
        self.table.selectionModel().setCurrentIndex(
            self.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(self.model.index(row, 0))
        self._quiet = False
        return True
