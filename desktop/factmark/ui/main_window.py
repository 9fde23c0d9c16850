"""The main window: document list, article view and span list around one project."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMainWindow,
    QSplitter,
    QTableView,
    QWidget,
)

from factmark import __version__
from factmark.core.project import Change, Project
from factmark.ui.article_view import ArticleView
from factmark.ui.models import DocumentListModel, SpanListModel


def _table(name: str, parent: QWidget) -> QTableView:
    view = QTableView(parent)
    view.setObjectName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.verticalHeader().hide()
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.horizontalHeader().setHighlightSections(False)
    return view


class MainWindow(QMainWindow):
    """One project's annotation window."""

    def __init__(self, project: Project) -> None:
        super().__init__()
        self.project = project
        self.current_id: int | None = None
        self.setWindowTitle(f"{project.path.stem} — Factmark")

        self.documents = DocumentListModel(project, self)
        self.document_list = _table("documentList", self)
        self.document_list.setModel(self.documents)
        header = self.document_list.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)

        self.article_view = ArticleView(self)

        self.spans = SpanListModel(project, self)
        self.span_list = _table("spanList", self)
        self.span_list.setModel(self.spans)
        self.span_list.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        for widget in (self.document_list, self.article_view, self.span_list):
            self.splitter.addWidget(widget)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([260, 700, 300])
        self.setCentralWidget(self.splitter)

        self.progress_label = QLabel(self)
        self.statusBar().addPermanentWidget(self.progress_label)
        self.statusBar().showMessage(f"Factmark {__version__} — {project.path}")

        self.document_list.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self.open_document(
                self.documents.data(current, Qt.ItemDataRole.UserRole)
            )
        )
        project.subscribe(self._project_changed)
        self.resize(1280, 800)
        self._update_progress()
        if self.documents.documents:
            self.select_document(self.documents.documents[0].id or 0)

    def select_document(self, document_id: int) -> None:
        """Make ``document_id`` current in the document list (which opens it)."""
        row = self.documents.row_of(document_id)
        if row >= 0:
            self.document_list.selectionModel().setCurrentIndex(
                self.documents.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )

    def open_document(self, document_id: int | None) -> None:
        """Show a document's text and spans."""
        self.current_id = document_id
        document = self.project.document(document_id) if document_id else None
        self.article_view.show_text(document.text if document else "")
        self.spans.show_document(document)

    def _project_changed(self, change: Change) -> None:
        current = self.current_id
        self.documents.reload()
        if current is not None:
            self.select_document(current)
        self._update_progress()

    def _update_progress(self) -> None:
        done = sum(1 for d in self.documents.documents if d.status == "done")
        self.progress_label.setText(f"{done} / {len(self.documents.documents)} done")

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self.project.unsubscribe(self._project_changed)
        super().closeEvent(event)
