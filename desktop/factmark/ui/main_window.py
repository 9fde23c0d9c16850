"""The main window: document list, article view and span list around one project."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPoint, Qt
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from factmark.core.model import GOLD, Document, Relation
from factmark.core.project import Change, Project, ProjectError
from factmark.core.workspace import PROJECT_SUFFIX, open_project
from factmark.ui.annotation import Annotation
from factmark.ui.article_view import ArticleView
from factmark.ui.details_panel import DetailsPanel
from factmark.ui.document_panel import DocumentPanel, make_table
from factmark.ui.find_bar import FindBar
from factmark.ui.guidelines_panel import GuidelinesPanel
from factmark.ui.menus import article_menu, build_menus, label_actions
from factmark.ui.models import SpanListModel
from factmark.ui.relations_panel import RelationsPanel
from factmark.ui.settings import Settings
from factmark.ui.suggestions import Suggestions

if TYPE_CHECKING:
    from factmark.ui.jobs import ImportOutcome

UNFINISHED = ("new", "in_progress")
# Annotators in review mode: Okabe-Ito colours not used for labels first.
REVIEW_COLOURS = ("#0072B2", "#D55E00", "#F0E442", "#009E73", "#CC79A7", "#56B4E9", "#E69F00")


class MainWindow(QMainWindow):
    """One project's annotation window."""

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

    # -- documents -------------------------------------------------------------

    def show_document(self, document_id: int | None) -> None:
        """Show a document's text and spans (None: an empty view)."""
        if self.current is not None and self.current.id == document_id:
            return
        try:
            document = self.project.document(document_id) if document_id else None
        except (ProjectError, ValueError) as error:
            self.show_problem(str(error))
            return
        self.current = document
        self.annotation.document_id = document.id if document else None
        self.spans.show_document(document)
        self.article_view.show_document(
            document.text if document else "", self.spans.spans, self.spans.colours
        )
        self.cancel_link()
        self._refresh_relations()
        self._refresh_suggestions()
        if document is not None and self.settings.suggest_on_open():
            self.suggestions.run(document)
        self.details.show_document(document)
        self.details.show_span(None, "")
        if document is not None:
            self.documents.select(document.id or 0, emit=False)
            self.settings.set_last_document(self.project.path, document.id)
        self._update_titles()

    def step_document(self, step: int) -> None:
        """Show the next (+1) or previous (-1) document of the list."""
        ids = [d.id for d in self.documents.model.documents]
        if not ids:
            return
        if self.current is None or self.current.id not in ids:
            target = ids[0]
        else:
            position = ids.index(self.current.id) + step
            if not 0 <= position < len(ids):
                self.statusBar().showMessage(
                    "This is the last document." if step > 0 else "This is the first document.",
                    4000,
                )
                return
            target = ids[position]
        self.show_document(target)
        self.article_view.setFocus()

    def mark(self, status: str, *, advance: bool = False) -> None:
        """Set the current document's status; with ``advance`` go on to the next
        unfinished document."""
        if self.current is None or not self.annotation.set_status(status):
            return
        if advance:
            self._go_to_next_unfinished()

    def _go_to_next_unfinished(self) -> None:
        ids = [d.id for d in self.project.documents() if d.status in UNFINISHED]
        after = [i for i in ids if self.current and (i or 0) > (self.current.id or 0)]
        target = (after or ids or [None])[0]
        if target is None:
            self.statusBar().showMessage("Every document is done or skipped. Well done!", 8000)
            return
        if self.documents.model.row_of(target) < 0:
            self.documents.status_filter.setCurrentIndex(0)
            self.documents.search.clear()
            self.documents.model.set_filter()
        self.show_document(target)
        self.article_view.setFocus()

    # -- spans -----------------------------------------------------------------

    def step_span(self, step: int) -> None:
        """Select the next (+1) or previous (-1) span in text order, from the selected
        span or else from the text cursor, and scroll it into view."""
        spans = self.spans.spans
        if not spans:
            self.show_problem("This document has no spans yet.")
            return
        row = self.spans.row_of(self.article_view.selected_span_id)
        if row < 0:
            cursor = self.article_view.cursor_offset()
            after = [n for n, s in enumerate(spans) if s.start >= cursor]
            before = [n for n, s in enumerate(spans) if s.start < cursor]
            row = (after[:1] or [len(spans) - 1])[0] if step > 0 else (before[-1:] or [0])[0]
        else:
            row = max(0, min(len(spans) - 1, row + step))
        self.article_view.clear_selection()
        self.select_span(spans[row].id)
        self.article_view.select_span(spans[row].id)

    def select_span(self, span_id: int | None) -> None:
        """Select a span in the view and in the span list (None: deselect)."""
        self.article_view.select_span(span_id, scroll=False)
        span = self.article_view.span(span_id)
        self.details.show_span(span, self.article_view.text[span.start : span.end] if span else "")
        row = self.spans.row_of(span_id) if span_id is not None else -1
        model = self.span_list.selectionModel()
        model.blockSignals(True)
        if row >= 0:
            model.setCurrentIndex(
                self.spans.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.span_list.scrollTo(self.spans.index(row, 0))
        else:
            model.clearSelection()
            model.setCurrentIndex(QModelIndex(), QItemSelectionModel.SelectionFlag.Clear)
        model.blockSignals(False)

    def _span_row_changed(self, current, _previous) -> None:  # type: ignore[no-untyped-def]
        span_id = self.spans.data(current, Qt.ItemDataRole.UserRole)
        if span_id is not None:
            self.article_view.select_span(int(span_id))

    def label_with(self, name: str) -> None:
        self.annotation.label(name)

    def resize_span(self, edge: str, change: int) -> None:
        self.annotation.resize_selected(edge, change)

    def _article_menu(self, point: QPoint) -> None:
        """Right-click: label the selection, or relabel / delete the span under the mouse."""
        view = self.article_view
        has_selection = view.textCursor().hasSelection()
        under = view.spans_at(view.offset_at(point))
        if not has_selection and under and view.selected_span_id not in {s.id for s in under}:
            self.select_span(under[0].id)
        menu = article_menu(self, has_selection, view.selected_span_id is not None)
        menu.exec(view.viewport().mapToGlobal(point))

    # -- links -----------------------------------------------------------------

    def start_link(self) -> None:
        """R: link the selected span to the next span clicked (or chosen, then Enter)."""
        if self.article_view.selected_span_id is None:
            self.show_problem("Select a span first (click it), then press R to link it.")
            return
        self.link_from = self.article_view.selected_span_id
        self.actions_by_name["confirmLink"].setEnabled(True)
        self.statusBar().showMessage(
            "Linking: click the span to link with, or choose it with Alt+Down and press "
            "Enter. Escape cancels."
        )

    def cancel_link(self) -> None:
        self.link_from = None
        if "confirmLink" in self.actions_by_name:
            self.actions_by_name["confirmLink"].setEnabled(False)

    def finish_link(self, target: int | None = None) -> None:
        """Link the span linking started at with ``target`` (default: the selected span)."""
        start, self.link_from = self.link_from, None
        self.actions_by_name["confirmLink"].setEnabled(False)
        target = target if target is not None else self.article_view.selected_span_id
        if start is None or target is None or target == start:
            self.show_problem("Link cancelled: choose another span to link with.")
            return
        self.statusBar().clearMessage()
        kinds = self.project.relation_types()
        labels = {self.article_view.span(start).label, self.article_view.span(target).label}
        # The labels decide the type only while the project has that type (it may
        # have been renamed or removed); otherwise the user is asked.
        obvious = (labels == {"source", "claim"} and "attributed_to" in kinds) or bool(
            "claim" in labels and labels & {"number", "location"} and "part_of" in kinds
        )
        kind = None
        if not obvious and len(kinds) > 1:
            kind = self._choose_relation_type(kinds)
            if kind is None:
                self.show_problem("Link cancelled.")
                return
        self.annotation.link(start, target, kinds, kind)

    def _choose_relation_type(self, kinds: list[str]) -> str | None:
        """Ask which kind of link, at the text cursor (labels alone do not tell)."""
        menu = QMenu(self)
        menu.setObjectName("relationTypeMenu")
        for kind in kinds:
            menu.addAction(kind).setData(kind)
        rect = self.article_view.cursorRect()
        chosen = menu.exec(self.article_view.viewport().mapToGlobal(rect.bottomLeft()))
        return str(chosen.data()) if chosen is not None else None

    def _span_clicked(self, span_id: int | None) -> None:
        if self.link_from is not None and span_id is not None:
            self.select_span(span_id)
            self.finish_link(span_id)
            return
        self.select_span(span_id)

    def _relation_chosen(self, relation_id: int) -> None:
        relation = next((r for r in self._relations if r.id == relation_id), None)
        if relation is not None:
            self.select_span(relation.head_span_id)
            self.article_view.select_span(relation.head_span_id)

    def _refresh_suggestions(self) -> None:
        shown = self.project.suggestions(self.current.id) if self.current else []
        self.article_view.set_suggestions(shown)

    def suggest(self) -> None:
        """Propose spans for the current document (computed in the background)."""
        if self.current is None:
            return
        self.statusBar().showMessage("Looking for numbers, places and sources…")
        self.suggestions.run(self.current)

    def _suggestions_computed(self, document_id: int, added: int) -> None:
        if self.current is not None and document_id == self.current.id:
            waiting = len(self.article_view.suggestions)
            self.statusBar().showMessage(
                f"{added} new suggestions, {waiting} to review: Tab goes to the next, Enter "
                "accepts, Backspace rejects, Shift+Enter accepts all.",
                10000,
            )
            if waiting and self.article_view.selected_suggestion_id is None:
                self.suggestions.step(1)

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

    def accept_all_suggestions(self) -> None:
        accepted = self.suggestions.accept_all()
        self.statusBar().showMessage(f"Accepted {accepted} suggestions.", 6000)

    def _refresh_relations(self) -> None:
        self._relations = self.project.relations(self.current.id) if self.current else []
        span = self.article_view.span  # the shown spans by id
        self.relations.show_relations(self._relations, span, self.article_view.text)
        links = [(span(r.head_span_id), span(r.child_span_id), r.label) for r in self._relations]
        self.article_view.set_links(
            [(head, child, kind) for head, child, kind in links if head and child]
        )

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

    def show_labels(self) -> None:
        from factmark.ui.labels_dialog import LabelsDialog

        LabelsDialog(self.project, self).exec()

    def show_statistics(self) -> None:
        from factmark.ui.stats_dialog import StatsDialog

        StatsDialog(self.project, self).exec()

    def set_review_mode(self, on: bool) -> None:
        """Review mode colours spans by annotator (gold black) for adjudication."""
        painter = self.article_view.painter
        names = sorted({s.annotator or "" for s in self.spans.spans} - {GOLD})
        painter.annotator_colours = {
            name: REVIEW_COLOURS[n % len(REVIEW_COLOURS)] for n, name in enumerate(names)
        }
        painter.annotator_colours[GOLD] = "#000000"
        painter.by_annotator = on
        painter.rehighlight()
        if on:
            legend = ", ".join(
                f"{name or '(none)'} {colour}" for name, colour in painter.annotator_colours.items()
            )
            self.statusBar().showMessage(
                f"Review mode: G accepts the selected span into the gold layer, X rejects it. "
                f"Colours: {legend}",
                15000,
            )

    def show_agreement(self) -> None:
        from factmark.ui.team_dialogs import AgreementDialog

        AgreementDialog(self.project, self).exec()

    def choose_projects_to_merge(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self,
            "Merge annotators' projects into this one",
            str(self.project.path.parent),
            f"Factmark projects (*{PROJECT_SUFFIX})",
        )
        if paths:
            self.merge_projects([Path(p) for p in paths])

    def merge_projects(self, paths: list[Path]) -> list[str]:
        """Merge other copies of the project into this one; shows and returns the report."""
        from factmark.core.merge import merge_projects

        self.setCursor(Qt.CursorShape.WaitCursor)
        try:
            reports = merge_projects(self.project, paths)
        finally:
            self.unsetCursor()
        lines = [line for report in reports for line in report.lines()]
        self.documents.model.reload()
        if self.current is not None:
            current, self.current = self.current.id, None
            self.show_document(current)
        self._update_titles()
        QMessageBox.information(self, "Merge projects", "\n".join(lines) or "Nothing to merge.")
        return lines

    def choose_copy_for_annotator(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            "Export project for annotator",
            str(self.project.path.with_name(f"{self.project.path.stem}-copy{PROJECT_SUFFIX}")),
            f"Factmark projects (*{PROJECT_SUFFIX})",
        )
        if path:
            self.copy_for_annotator(Path(path))

    def copy_for_annotator(self, path: Path) -> None:
        """Write a copy of the project for another annotator to work on offline."""
        try:
            self.project.copy_to(path)
        except (OSError, ValueError, ProjectError) as error:
            QMessageBox.warning(self, "Export project for annotator", str(error))
            return
        self.statusBar().showMessage(
            f"Copied the project to {path}; merge it back with File > Merge projects.", 10000
        )

    def choose_export(self) -> None:
        from factmark.ui.export_dialog import ExportDialog

        ExportDialog(self.project, self).exec()

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

    # -- files -----------------------------------------------------------------

    def choose_project_to_open(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            "Open project",
            str(self.project.path.parent),
            f"Factmark projects (*{PROJECT_SUFFIX});;All files (*)",
        )
        if path:
            self.open_project_file(Path(path))

    def choose_new_project(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            "New project",
            str(self.project.path.parent / f"untitled{PROJECT_SUFFIX}"),
            f"Factmark projects (*{PROJECT_SUFFIX})",
        )
        if path:
            target = Path(path)
            if target.suffix != PROJECT_SUFFIX:
                target = target.with_name(target.name + PROJECT_SUFFIX)
            if target.exists():
                QMessageBox.warning(
                    self, "New project", f"{target} exists already; open it instead."
                )
                return
            self.open_project_file(target)

    def choose_files_to_import(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self,
            "Import articles",
            str(Path.home()),
            "Articles (*.txt *.md *.html *.htm *.docx *.jsonl);;All files (*)",
        )
        if paths:
            self.import_paths([Path(p) for p in paths])

    def import_paths(self, paths: list[Path], *, show_report: bool = True) -> ImportOutcome:
        """Import files and folders in the background, then show the per-file report."""
        from factmark.ui.jobs import run_import  # not needed to start the window

        outcome = run_import(self, self.project.path, paths, show_report=show_report)
        self.documents.model.reload()
        self._update_titles()
        if self.current is None:
            self._open_first_document()
        return outcome

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and all(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls()]
        event.acceptProposedAction()
        projects = [p for p in paths if p.suffix == PROJECT_SUFFIX]
        if projects:
            self.open_project_file(projects[0])
        others = [p for p in paths if p.suffix != PROJECT_SUFFIX]
        if others:
            self.import_paths(others)

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
