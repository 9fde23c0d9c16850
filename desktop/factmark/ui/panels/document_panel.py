"""The document list with its status filter and search field."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from factmark.core.project import Project
from factmark.ui.models.tables import STATUS_NAMES, DocumentListModel

if TYPE_CHECKING:
    from PySide6.QtWidgets import QComboBox, QTableView

    from factmark.ui.panels.table_view import ColumnFit

TITLE_CHARACTERS = 16  # of a title, what a narrow document list shows at least


class DocumentPanel(QWidget):
    """Status filter, search and the document list; reports the document chosen."""

    document_chosen = Signal(int)

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        """The list's model is made now; its widgets when first needed (:meth:`make`:
        the window makes them after its first paint). Until then the panel keeps the
        document to highlight."""
        super().__init__(parent)
        self.model = DocumentListModel(project, self)
        self._widgets: tuple[QComboBox, QLineEdit, QTableView] | None = None
        self.columns: ColumnFit | None = None  # the list's columns, fitted to its width
        # The document the window shows: its row is the current one whenever it is listed
        # (after a filter, a search, an import), and it is highlighted once the widgets
        # are made.
        self._shown: int | None = None
        # Searching the text of many documents waits until typing pauses.
        self._search_timer = QTimer(self, singleShot=True, interval=250)
        self._search_timer.timeout.connect(self._apply_filter)
        self._quiet = False

    def make(self) -> tuple[QComboBox, QLineEdit, QTableView]:
        """The status filter, the search field and the list (made at the first call),
        the document chosen before highlighted."""
        if self._widgets is not None:
            return self._widgets
        from PySide6.QtWidgets import QComboBox  # its enumerations made now: see table_view

        from factmark.ui.panels.table_view import fit_columns, make_table

        status_filter = QComboBox(self)
        status_filter.setObjectName("statusFilter")
        status_filter.addItem("All documents", "")
        for status, name in STATUS_NAMES.items():
            status_filter.addItem(name, status)
        search = QLineEdit(self)
        search.setObjectName("documentSearch")
        search.setPlaceholderText("Search titles and text…")
        search.setClearButtonEnabled(True)
        table = make_table("documentList", self, self.model, stretched=0)
        metrics = table.fontMetrics()
        # A narrow list keeps its titles readable: Status and Spans give up their room
        # first (Spans hides), then the list folds (see the window's room for the article).
        self.columns = fit_columns(
            table,
            wanted={
                1: metrics.horizontalAdvance("In progress") + 16,
                2: metrics.horizontalAdvance("99999") + 16,
            },
            least={0: (TITLE_CHARACTERS + 1) * metrics.averageCharWidth() + 8, 1: 0, 2: 0},
            optional=(2,),
        )
        # How many documents a filter or search shows, and what to do when it shows none.
        self.summary = QLabel(self)
        self.summary.setObjectName("documentListSummary")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)  # the search as typed
        self.summary.setWordWrap(True)
        self.summary.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(status_filter)
        layout.addWidget(search)
        layout.addWidget(self.summary)
        layout.addWidget(table)
        self.model.modelReset.connect(self._summarise)  # a filter, a search, an import
        self.model.modelReset.connect(self._keep_shown_row)  # the reset left no row current

        search.textChanged.connect(lambda _text: self._search_timer.start())
        status_filter.currentIndexChanged.connect(lambda _i: self._apply_filter())
        table.selectionModel().currentRowChanged.connect(self._row_changed)
        table.installEventFilter(self)
        self._widgets = (status_filter, search, table)
        if self._shown is not None:
            self.select(self._shown, emit=False)
        return self._widgets

    @property
    def status_filter(self) -> QComboBox:
        return self.make()[0]

    @property
    def search(self) -> QLineEdit:
        return self.make()[1]

    @property
    def table(self) -> QTableView:
        return self.make()[2]

    def set_project(self, project: Project) -> None:
        self._shown = None  # an id of the project before means another document now
        self.model.project = project
        self.model.reload()

    def stop_pending_search(self) -> None:
        """Forget a search still waiting for typing to pause (the window is closing)."""
        self._search_timer.stop()

    def _apply_filter(self) -> None:
        self._quiet = True
        self.model.set_filter(self.status_filter.currentData() or "", self.search.text())
        self._quiet = False

    def _keep_shown_row(self) -> None:
        """The document shown is the current row again if the list holds it (read again,
        the list has no current row); the document shown stays as it is."""
        if self._widgets is not None and self._shown is not None:
            self.select(self._shown, emit=False)

    def _summarise(self) -> None:
        """Under a status filter or a search: how many documents the list shows of all of
        them, and, when it shows none, what shows the others (choosing All documents only
        under a status filter, clearing the search only under a search)."""
        status, search = self.model.status, self.model.search
        if not status and not search:
            self.summary.hide()
            return
        shown, total = self.model.rowCount(), self.model.project.document_count()
        which = []
        if status:
            which.append(STATUS_NAMES.get(status, status).lower())
        if search:
            which.append(f"matching “{search}”")
        text = f"{shown:,} of {total:,} documents: {' and '.join(which)}."
        if not shown:
            # Only the steps that show more: "All documents" is no help when it is chosen.
            steps = (["choose All documents"] if status else []) + (
                ["clear the search"] if search else []
            )
            said = " or ".join(steps)
            text += f" {said[0].upper()}{said[1:]} to see the others."
        self.summary.setText(text)
        self.summary.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        table = self._widgets[2] if self._widgets is not None else None
        if (
            watched is table
            and event.type() == QEvent.Type.FocusIn
            and not table.currentIndex().isValid()
        ):
            # Qt makes the first row current as a list with none takes the keys: Tab
            # passing through (the document shown filtered out) must not open it. The
            # first arrow key does.
            from factmark.ui.panels.table_view import select_no_row

            self._quiet = True
            try:
                table.event(event)
            finally:
                self._quiet = False
            select_no_row(table)
            return True
        return super().eventFilter(watched, event)

    def _row_changed(self, current, _previous) -> None:  # type: ignore[no-untyped-def]
        document_id = self.model.data(current, Qt.ItemDataRole.UserRole)
        if document_id is not None and not self._quiet:
            self.document_chosen.emit(int(document_id))

    def select(self, document_id: int, *, emit: bool = True) -> bool:
        """Highlight a document's row (if listed); emits document_chosen unless told not
        to: then the window shows that document, and its row is highlighted whenever the
        list holds it again."""
        if not emit:
            self._shown = document_id
        row = self.model.row_of(document_id)
        if row < 0:
            return False
        if self._widgets is None:  # highlighted once made
            self._shown = document_id
            if emit:
                self.document_chosen.emit(document_id)
            return True
        from factmark.ui.panels.table_view import select_row

        self._quiet = not emit
        select_row(self.table, self.model.index(row, 0))
        self._quiet = False
        return True
