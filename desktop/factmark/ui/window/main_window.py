"""The main window: document list, article view and span list around one project."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from factmark.core.model import Document, Relation
from factmark.core.project import Change, Project, ProjectError
from factmark.core.workspace import open_project
from factmark.ui.article.article_view import ArticleView
from factmark.ui.article.find_bar import FindBar
from factmark.ui.background.suggestions import Suggestions
from factmark.ui.models.tables import SpanListModel
from factmark.ui.panels.details_panel import DetailsPanel
from factmark.ui.panels.document_panel import DocumentPanel, make_table
from factmark.ui.panels.guidelines_panel import GuidelinesPanel
from factmark.ui.panels.relations_panel import RelationsPanel
from factmark.ui.window.annotation import Annotation
from factmark.ui.window.menus import build_menus, label_actions
from factmark.ui.window.settings import Settings
from factmark.ui.window.window_dialogs import DialogActions
from factmark.ui.window.window_documents import DocumentActions
from factmark.ui.window.window_files import FileActions
from factmark.ui.window.window_links import LinkActions
from factmark.ui.window.window_spans import SpanActions
from factmark.ui.window.window_suggestions import SuggestionActions


class MainWindow(
    DocumentActions,
    SpanActions,
    LinkActions,
    SuggestionActions,
    DialogActions,
    FileActions,
    QMainWindow,
):
    """One project's annotation window.

    It builds the widgets and holds all the state; the methods of each part (documents,
    spans, links, suggestions, dialogs, files) come from the mixins listed before
    ``QMainWindow``, so their Qt overrides (drag and drop) are the ones Qt calls.
    """

    def __init__(self, project: Project, settings: Settings | None = None) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.project = project
        self.settings = settings or Settings()
        self.current: Document | None = None
        self._relations: list[Relation] = []
        self.setAcceptDrops(True)

        self.documents = DocumentPanel(project, self)
        self.document_list = self.documents.table
        self.article_view = ArticleView(self)
        self.find_bar = FindBar(self.article_view, self)
        self.spans = SpanListModel(project, self)
        self.span_list = make_table("spanList", self)
        self.span_list.setModel(self.spans)
        header = self.span_list.horizontalHeader()
        # Fixed widths: sizing to contents would measure all of thousands of spans.
        metrics = self.span_list.fontMetrics()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        self.span_list.setColumnWidth(0, metrics.horizontalAdvance("location") + 40)
        self.span_list.setColumnWidth(2, metrics.horizontalAdvance("Annotator") + 16)

        centre = QWidget(self)
        column = QVBoxLayout(centre)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.article_view)
        column.addWidget(self.find_bar)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.relations = RelationsPanel(self)
        self.details = DetailsPanel(lambda: self.project.attribute_definitions(), self)
        self.side = QSplitter(Qt.Orientation.Vertical, self)
        self.side.setObjectName("sideSplitter")
        for widget in (self.span_list, self.relations, self.details):
            self.side.addWidget(widget)
        self.side.setSizes([380, 120, 300])
        for widget in (self.documents, centre, self.side):
            self.splitter.addWidget(widget)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([280, 760, 320])
        self.setCentralWidget(self.splitter)

        self.annotation = Annotation(
            project,
            self.article_view,
            self.settings.annotator,
            self.settings.snap_to_words,
            self.show_document,
            self,
        )
        self.annotation.failed.connect(self.show_problem)
        self.annotation.span_selected.connect(self.select_span)
        self.article_view.zoom_by(self.settings.zoom())

        self._build_status_bar()
        self.guidelines_dock = QDockWidget("Guidelines", self)
        self.guidelines_dock.setObjectName("guidelinesDock")
        self.guidelines_panel = GuidelinesPanel(project, self.guidelines_dock)
        self.guidelines_panel.saved.connect(
            lambda message: self.statusBar().showMessage(message, 6000)
        )
        self.guidelines = self.guidelines_panel.view  # the rendered guidelines
        self.guidelines_dock.setWidget(self.guidelines_panel)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.guidelines_dock)
        self.guidelines_dock.hide()
        self.guidelines_dock.toggleViewAction().setShortcut("F2")
        self.actions_by_name: dict[str, QAction] = {}
        build_menus(self)

        self.documents.document_chosen.connect(self.show_document)
        self.article_view.span_clicked.connect(self._span_clicked)
        self.article_view.span_resized.connect(self.annotation.resize_to)
        self.relations.relation_chosen.connect(self._relation_chosen)
        self.relations.delete_requested.connect(self.annotation.delete_relation)
        self.details.note_edited.connect(self.annotation.set_note)
        self.details.attribute_chosen.connect(self.annotation.set_attribute)
        self.details.document_fields_edited.connect(self.annotation.set_document_meta)
        self.link_from: int | None = None  # the span a link starts at, while linking
        self.suggestions = Suggestions(
            lambda: self.project, self.article_view, self.annotation, self
        )
        self.article_view.suggestion_stepped.connect(self.suggestions.step)
        self.suggestions.computed.connect(self._suggestions_computed)
        self.article_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.article_view.customContextMenuRequested.connect(self._article_menu)
        self.span_list.selectionModel().currentRowChanged.connect(self._span_row_changed)
        project.subscribe(self._project_changed)

        self.resize(1360, 860)
        self._restore_layout()
        self._open_first_document()
        self._update_titles()
        self.article_view.setFocus()  # keys (Enter, Backspace, arrows) act on the article

    # -- project ---------------------------------------------------------------

    def set_project(self, project: Project) -> None:
        """Switch the window to another project (the old one is closed)."""
        self.settings.set_last_document(self.project.path, self.current and self.current.id)
        self.details.stop()  # a note being typed is saved to the project it belongs to
        self.project.unsubscribe(self._project_changed)
        self.project.close()
        self.project = project
        self.annotation.project = project
        self.annotation.undo_stack.clear()
        self.spans.project = project
        self.documents.set_project(project)
        project.subscribe(self._project_changed)
        label_actions(self)
        self.guidelines_panel.set_project(project)
        self.current = None
        self._open_first_document()
        self._update_titles()

    def open_project_file(self, path: Path) -> bool:
        """Open (or create) the project at ``path`` in this window."""
        if not self.guidelines_panel.confirm_leave():
            return False
        try:
            project = open_project(path)
        except ProjectError as error:
            QMessageBox.warning(self, "Cannot open project", str(error))
            return False
        self.settings.add_recent_project(project.path)
        self.set_project(project)
        return True

    def _open_first_document(self) -> None:
        remembered = self.settings.last_document(self.project.path)
        rows = self.documents.model.documents
        if remembered is not None and self.documents.model.row_of(remembered) >= 0:
            self.show_document(remembered)
        elif rows:
            self.show_document(rows[0].id or 0)
        else:
            self.show_document(None)

    # -- keys in the article ---------------------------------------------------

    # Each key goes to whichever part holds something: a link, a suggestion, the find bar.

    def enter_key(self) -> None:
        """Enter in the article: finish a link, else accept the suggestion in hand."""
        if self.link_from is not None:
            self.finish_link()
        elif not self.suggestions.accept():
            self.show_problem("No suggestion here: press Tab to go to the next one.")

    def backspace_key(self) -> None:
        """Backspace in the article: reject the suggestion in hand, else delete the span."""
        if not self.suggestions.reject():
            self.annotation.delete_selected()

    def escape(self) -> None:
        """Escape cancels linking, closes the find bar, else drops the selection."""
        if self.link_from is not None:
            self.cancel_link()
            self.statusBar().showMessage("Link cancelled.", 3000)
            return
        if self.find_bar.isVisible():
            self.find_bar.close_bar()
            return
        self.article_view.clear_selection()
        self.select_span(None)

    # -- change notifications --------------------------------------------------

    def _project_changed(self, change: Change) -> None:
        """Bring the views up to date after a committed change, touching only what it hit."""
        current = self.current.id if self.current else None
        if change.kind == "labels":
            label_actions(self)
            # Older undo steps name labels that may be renamed or gone now.
            if self.annotation.undo_stack.count():
                self.annotation.undo_stack.clear()
                self.show_problem("The labels changed, so earlier edits can no longer be undone.")
            self.spans.show_document(self.current)
            self.article_view.update_spans(self.spans.spans, None, self.spans.colours)
        elif change.kind == "spans" and change.document_id == current:
            selected = self.article_view.selected_span_id
            if change.span_ids:
                ranges = self.spans.refresh_spans(change.span_ids)
                self.article_view.update_spans(self.spans.spans, ranges)
            else:
                self.spans.show_document(self.current)
                self.article_view.update_spans(self.spans.spans)
            self.select_span(selected if self.article_view.span(selected) else None)
        if change.kind in ("spans", "relations") and change.document_id == current:
            self._refresh_relations()
        if change.kind == "suggestions" and change.document_id in (None, current):
            self._refresh_suggestions()
        if change.kind == "settings":
            self.guidelines_panel.refresh()
            label_actions(self)  # attribute keys and label tooltips may have changed
            self.select_span(self.article_view.selected_span_id)
        if change.kind == "documents" and (
            change.document_id is None or self.documents.model.row_of(change.document_id) < 0
        ):
            self.documents.model.reload()
        elif change.document_id is not None and change.kind in ("spans", "documents"):
            self.documents.model.update_document(change.document_id)
        if change.kind == "documents" and change.document_id == current and self.current:
            (summary,) = self.project.documents(ids=[current]) or (None,)
            if summary is not None:
                self.current = replace(self.current, status=summary.status, meta=summary.meta)
                self.details.show_document(self.current)
        self._update_titles()

    def show_problem(self, message: str) -> None:
        self.statusBar().showMessage(message, 8000)

    # -- status bar, titles ----------------------------------------------------

    def _build_status_bar(self) -> None:
        self.progress_label = QLabel(self)
        self.progress_label.setObjectName("progressLabel")
        self.annotator_button = QToolButton(self)
        self.annotator_button.setObjectName("annotatorButton")
        self.annotator_button.setAutoRaise(True)
        self.annotator_button.setToolTip(
            "The name recorded on the spans you make. Click to change."
        )
        self.annotator_button.clicked.connect(lambda: self.ask_annotator())
        self.statusBar().addPermanentWidget(self.progress_label)
        self.statusBar().addPermanentWidget(self.annotator_button)

    def ask_annotator(self, first_time: bool = False) -> None:
        """Ask for the annotator name (prefilled with the current one)."""
        prompt = (
            "Your name or initials, recorded on every span you make:"
            if first_time
            else "Annotator name recorded on new spans:"
        )
        name, ok = QInputDialog.getText(self, "Annotator", prompt, text=self.settings.annotator())
        if ok and name.strip():
            self.settings.set_annotator(name)
            self._update_titles()

    def _update_titles(self) -> None:
        counts = self.project.status_counts()
        total = sum(counts.values())
        self.progress_label.setText(f"{counts['done']} / {total} done")
        self.annotator_button.setText(f"Annotator: {self.settings.annotator()}")
        title = self.current.title if self.current and self.current.title else ""
        self.setWindowTitle(" — ".join(p for p in (title, self.project.path.stem, "Factmark") if p))

    # -- layout ----------------------------------------------------------------

    def _restore_layout(self) -> None:
        geometry, state, sizes = self.settings.window_state()
        if geometry is not None:
            self.restoreGeometry(geometry)
        if state is not None:
            self.restoreState(state)
        if len(sizes) == 3 and all(s >= 0 for s in sizes):
            self.splitter.setSizes(sizes)

    def save_layout(self) -> None:
        self.settings.set_window_state(self.saveGeometry(), self.saveState(), self.splitter.sizes())
        self.settings.set_zoom(self.article_view.zoom)
        self.settings.set_last_document(self.project.path, self.current and self.current.id)
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.guidelines_panel.confirm_leave():  # the user chose Cancel
            event.ignore()
            return
        self.details.stop()
        self.documents.stop_pending_search()
        self.save_layout()
        self.project.unsubscribe(self._project_changed)
        super().closeEvent(event)
