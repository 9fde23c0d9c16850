"""The main window: lays out its parts and wires them together, in one place.

The window holds no annotation state of its own: the session holds the project, the
document shown and the undo history; each part (document navigation, span selection,
linking, suggestion review, project files) owns its job and subscribes itself to the
session. The actions come from the one action table; ``_handlers`` binds each to its
part.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QRect, QSize, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QFontMetrics, QShowEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from factmark.core.changes import ChangeSet
from factmark.core.cue_names import cues_on
from factmark.core.guidelines import section
from factmark.core.model import Document, Label, Span, Suggestion
from factmark.core.project import Project
from factmark.ui.article.article_view import ArticleView
from factmark.ui.article.find_bar import FindBar
from factmark.ui.models.tables import SpanListModel
from factmark.ui.panels.document_panel import DocumentPanel
from factmark.ui.panels.hints import NO_DOCUMENT, label_hint
from factmark.ui.plain import escape, shown_key
from factmark.ui.window.actions import ActionTable
from factmark.ui.window.annotation import END, GROW, SHRINK, START, Annotation
from factmark.ui.window.checked_sentences import CheckedSentences
from factmark.ui.window.documents import DocumentNavigator
from factmark.ui.window.keys_back import KeysBack
from factmark.ui.window.pacing import AfterFirstPaint, NextFrame, OnFirstClick
from factmark.ui.window.review import SuggestionReview
from factmark.ui.window.selection import SpanSelection
from factmark.ui.window.session import Session
from factmark.ui.window.settings import Settings

if TYPE_CHECKING:
    from PySide6.QtWidgets import QTableView

    from factmark.ui.panels.conflict_panel import ConflictPanel
    from factmark.ui.panels.details_panel import DetailsPanel
    from factmark.ui.panels.guidelines_panel import GuidelinesPanel, GuidelinesView
    from factmark.ui.panels.relations_panel import RelationsPanel
    from factmark.ui.panels.suggestion_panel import SuggestionPanel
    from factmark.ui.panels.table_view import ColumnFit
    from factmark.ui.window.conflict_queue import ConflictQueue
    from factmark.ui.window.cues import CueMarking
    from factmark.ui.window.dialogs import ProjectDialogs
    from factmark.ui.window.files import ProjectFiles
    from factmark.ui.window.link_attributes import LinkAttributes
    from factmark.ui.window.linking import Linking
    from factmark.ui.window.previously_checked import PreviouslyChecked
    from factmark.ui.window.review_mode import ReviewMode
    from factmark.ui.window.side_panels import SidePanels

# The size the window asks for on a big screen; on a smaller one it takes the available area.
WANTED_SIZE = QSize(1360, 860)
# Room left for a window manager's title bar and borders before the window is shown.
FRAME_ALLOWANCE = QSize(8, 36)
COMFORTABLE_CHARACTERS = 66  # the article's measure the panels make room for
READABLE_CHARACTERS = 60  # below this, panels fold and the guidelines float
MINIMUM_CHARACTERS = 28  # the article is never narrower than this
SIDE_LEAST = 200  # pixels: the side column beside the guidelines keeps at least this
SPAN_TEXT_CHARACTERS = 12  # of a span's text, what a narrow span list shows at least
LONGEST_LABEL = 24  # characters of a label's name the span list makes room for at most
DOCUMENT_LIST, SIDE_PANELS = 0, 2  # the folding panels' places in the main splitter
# A line of ordinary English prose: its average advance is the article's character width.
MEASURE_SAMPLE = "Ukraine has pushed back the Russian army from some positions around Bakhmut"


class MainWindow(QMainWindow):
    """One project's annotation window: the parts laid out and wired together."""

    def __init__(self, project: Project, settings: Settings | None = None) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.settings = settings or Settings()
        self.session = Session(project, self)
        self.setAcceptDrops(True)
        self._build_widgets()
        self._build_parts()
        self._connect()
        self._fit_first_size()
        self._restore_layout()
        self.navigator.open_first()
        self.navigator.indexer.catch_up(project)  # a moment after the window shows
        self._update_titles()
        self.article_view.setFocus()  # keys (Enter, Backspace, arrows) act on the article

    # -- what tests and scripts reach -----------------------------------------------------

    @property
    def project(self) -> Project:
        return self.session.project

    @property
    def current(self) -> Document | None:
        return self.session.document

    # -- layout -----------------------------------------------------------------------------

    def _build_widgets(self) -> None:
        self.documents = DocumentPanel(self.project, self)
        self.article_view = ArticleView(self)
        self.find_bar = FindBar(self.article_view, self)
        self.spans = SpanListModel(self.project, self)
        self.article_view.share_index(self.spans.span_index)
        self._span_list: QTableView | None = None  # its view: made with the side panels
        self._span_columns: ColumnFit | None = None  # its columns, fitted to its width

        centre = QWidget(self)
        column = QVBoxLayout(centre)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.article_view)
        column.addWidget(self.find_bar)
        self._column = column  # the merge conflict panel goes under the find bar once made
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.side = QSplitter(Qt.Orientation.Vertical, self)
        self.side.setObjectName("sideSplitter")
        # The span list and the panels under it: see side_panels.
        # The first paint shows the article and its label keys alone: the panels beside it
        # take their places in the next turns of the event loop (painting the document
        # list's titles in every script was half the first paint). Empty stand-ins hold
        # their places meanwhile, so the article never moves.
        self._waiting_panels = [(DOCUMENT_LIST, self.documents), (SIDE_PANELS, self.side)]
        for panel in (self.documents, self.side):
            panel.hide()
        for widget in (QWidget(self), centre, QWidget(self)):
            self.splitter.addWidget(widget)
        AfterFirstPaint(self.article_view.viewport(), self._place_panels)
        self._stretch_panels()
        # The side panels fold away (drag their edge to the window's side); the article never.
        self.splitter.setCollapsible(0, True)
        self.splitter.setCollapsible(1, False)
        self.splitter.setCollapsible(2, True)
        self.centre = centre
        centre.setMinimumWidth(self.article_width(MINIMUM_CHARACTERS))
        self.splitter.setSizes([280, 760, 320])
        self.setCentralWidget(self.splitter)

        self.progress_label = QLabel(self)
        self.progress_label.setObjectName("progressLabel")
        self.annotator_button = QToolButton(self)
        self.annotator_button.setObjectName("annotatorButton")
        self.annotator_button.setAutoRaise(True)
        # A click's convenience: Tab passes it by (the keys have Edit > Annotator name).
        self.annotator_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.annotator_button.setToolTip(
            "The name recorded on the spans you make. Click to change."
        )
        # Their texts before the status bar first lays them out: its height is then the
        # one it keeps (set later, the article moved by two pixels after the first paint).
        self.progress_label.setText("0 / 0 done")
        self.annotator_button.setText(f"Annotator: {self.settings.annotator()}")
        # Shown while the search index is filled in the background (after an import).
        self.indexing_label = QLabel(self)
        self.indexing_label.setObjectName("indexingLabel")
        self.indexing_label.setToolTip(
            "Documents imported are added to the search index in the background; "
            "until then a search checks them one by one (the same results, more slowly)"
        )
        self.indexing_label.hide()
        self.statusBar().addPermanentWidget(self.indexing_label)
        self.statusBar().addPermanentWidget(self.progress_label)
        self.statusBar().addPermanentWidget(self.annotator_button)

        self.guidelines_dock = QDockWidget("Guidelines", self)
        self.guidelines_dock.setObjectName("guidelinesDock")
        # The guidelines panel is made when the dock first shows (see guidelines_panel).
        self._guidelines_panel: GuidelinesPanel | None = None
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.guidelines_dock)
        self.guidelines_dock.hide()
        # Shown by the View menu, F-key or the layout restored from the last run.
        self.guidelines_dock.visibilityChanged.connect(self._guidelines_shown)
        self._sizes_before_dock: list[int] | None = None
        self._widths_had: list[int] | None = None  # the panels' widths before the dock
        self._folded_widths: dict[int, int] = {}  # a folded panel's width, to unfold it at
        self.guidelines_dock.visibilityChanged.connect(
            lambda _visible: QTimer.singleShot(0, self._make_room_for_article)
        )
        self.article_view.zoom_by(self.settings.zoom())

    def _build_parts(self) -> None:
        session, view = self.session, self.article_view
        # After an edit the article paints at once, the panels beside it a frame later.
        self.next_frame = NextFrame([self.documents, self.side], self)
        self.action_table = ActionTable(self, view)
        self.annotation = Annotation(
            session, view, self.settings.annotator, self.settings.snap_to_words, self
        )
        self.navigator = DocumentNavigator(
            session, self.settings, self.documents, self.annotation, self.tell, view.setFocus, self
        )
        self.selection = SpanSelection(
            session,
            view,
            self.spans,
            None,  # the span list's view and the details: made after the first paint
            None,  # (see side_panels)
            self.action_table.context_menu,
            self.tell,
            self.next_frame.later,
            self,
        )
        self._side_panels: SidePanels | None = None  # made after the first paint
        self.review = SuggestionReview(
            session, self.settings, view, self.annotation, self.tell, self.withdraw, self
        )
        self._selection_said = ""  # what the status bar last said of the selected span
        self.checked_sentences = CheckedSentences(
            session,
            self.settings,
            self.review,
            lambda: self.previously_checked.matches,
            self.tell,
            self,
        )
        # Made when first used, with their modules: the File menu's work, the dialogs,
        # review mode and the merge conflict queue (see their properties).
        self._files: ProjectFiles | None = None
        self._dialogs: ProjectDialogs | None = None
        self._review_mode: ReviewMode | None = None
        self._conflicts: ConflictQueue | None = None

    @property
    def side_panels(self) -> SidePanels:
        """The panels under the span list and the parts they serve: made in the event
        loop's first turn after the first paint, or when first needed if sooner (a key,
        a click in the article); they show what the session holds then."""
        if self._side_panels is None:
            from factmark.ui.window.side_panels import SidePanels

            self.span_list  # noqa: B018  (made first: the top of the side column)
            self._side_panels = SidePanels(
                self,
                self.session,
                self.settings,
                self.annotation,
                self.selection,
                self.side,
                self.action_table["markCues"],
                lambda: self.files.choose_archive_files(),
                self.tell,
            )
            self.selection.show_details_in(self._side_panels.details)
            self._show_suggestion(self.review.held)
            self._mouse_waits.remove()
        return self._side_panels

    @property
    def document_list(self) -> QTableView:
        """The document list's view: made as it takes its place after the first paint,
        or when first needed if sooner."""
        return self.documents.table

    @property
    def span_list(self) -> QTableView:
        """The span list's view, at the top of the side column: made with the side
        panels, or when first needed if sooner; it shows the spans and the selection
        the session holds then."""
        if self._span_list is None:
            from factmark.ui.panels.table_view import fit_columns, make_table

            table = make_table("spanList", self, self.spans, stretched=1)
            metrics = table.fontMetrics()
            # Label keeps the project's label names whole (its colour's swatch before
            # them); Annotator gives up its room to the span's text first as the side
            # column narrows, then hides.
            label = self._label_column_width(metrics)
            self._span_columns = fit_columns(
                table,
                wanted={0: label, 2: metrics.horizontalAdvance("Annotator") + 16},
                least={0: label, 1: (SPAN_TEXT_CHARACTERS + 1) * metrics.averageCharWidth(), 2: 0},
                optional=(2,),
            )
            self.side.insertWidget(0, table)
            self.selection.show_table_in(table)
            self._span_list = table
        return self._span_list

    def _label_column_width(self, metrics: QFontMetrics) -> int:
        """The span list's Label column: the longest of the project's label names whole
        (up to :data:`LONGEST_LABEL` characters), after its colour's swatch."""
        longest = max(
            (metrics.horizontalAdvance(label.name) for label in self.project.labels()), default=0
        )
        return min(longest, LONGEST_LABEL * metrics.averageCharWidth()) + 40

    def _fit_label_column(self) -> None:
        """The labels changed (renamed, added, another project): Label fits their names."""
        if self._span_list is not None and self._span_columns is not None:
            width = self._label_column_width(self._span_list.fontMetrics())
            self._span_columns.set_width(0, width, width)

    @property
    def relations(self) -> RelationsPanel:
        return self.side_panels.relations

    @property
    def details(self) -> DetailsPanel:
        return self.side_panels.details

    @property
    def suggestion_panel(self) -> SuggestionPanel:
        return self.side_panels.suggestion_panel

    @property
    def linking(self) -> Linking:
        return self.side_panels.linking

    @property
    def cues(self) -> CueMarking:
        return self.side_panels.cues

    @property
    def link_attributes(self) -> LinkAttributes:
        return self.side_panels.link_attributes

    @property
    def previously_checked(self) -> PreviouslyChecked:
        return self.side_panels.previously_checked

    @property
    def files(self) -> ProjectFiles:
        """The File menu's work and files dropped on the window (made when first used)."""
        if self._files is None:
            from factmark.ui.window.files import ProjectFiles

            files = ProjectFiles(
                self,
                self.session,
                self.settings,
                self.navigator,
                self.confirm_leave_guidelines,
                self,
            )
            files.archive_added.connect(self.previously_checked.refresh)
            files.archive_added.connect(self.checked_sentences.archive_changed)
            self._files = files
        return self._files

    @property
    def dialogs(self) -> ProjectDialogs:
        """The dialogs the menus open (made when first used)."""
        if self._dialogs is None:
            from factmark.ui.window.dialogs import ProjectDialogs

            self._dialogs = ProjectDialogs(self, self.session, self.settings, self.action_table)
        return self._dialogs

    def _reviewing(self) -> bool:
        """Whether review mode (F6) is on: G and X adjudicate only then."""
        return self.action_table["reviewMode"].isChecked()

    @property
    def review_mode(self) -> ReviewMode:
        """Colouring spans by annotator (made when first turned on)."""
        if self._review_mode is None:
            from factmark.ui.window.review_mode import ReviewMode

            self._review_mode = ReviewMode(self.article_view, self.spans, self.session, self)
        return self._review_mode

    @property
    def conflicts(self) -> ConflictQueue:
        """The merge conflict queue and its panel under the article (made when first
        used: until a conflict is shown, the panel is hidden and nothing waits in hand)."""
        if self._conflicts is None:
            from factmark.ui.panels.conflict_panel import ConflictPanel
            from factmark.ui.window.conflict_queue import ConflictQueue

            panel = ConflictPanel(self)
            self._column.addWidget(panel)
            self._conflicts = ConflictQueue(
                self.session,
                self.article_view,
                panel,
                self.selection.select,
                self._review_on,
                self.tell,
                self,
            )
        return self._conflicts

    @property
    def conflict_panel(self) -> ConflictPanel:
        return self.conflicts.panel

    @property
    def guidelines_panel(self) -> GuidelinesPanel:
        """The guidelines panel in its dock, made when first needed: a window whose
        guidelines are never opened does without it (and its Markdown rendering)."""
        if self._guidelines_panel is None:
            from factmark.ui.panels.guidelines_panel import GuidelinesPanel

            panel = GuidelinesPanel(self.project, self.guidelines_dock)
            panel.saved.connect(lambda message: self.tell(message, 6000))
            self.guidelines_dock.setWidget(panel)
            self._guidelines_panel = panel
        return self._guidelines_panel

    @property
    def guidelines(self) -> GuidelinesView:
        """The rendered guidelines."""
        return self.guidelines_panel.view

    def show_guidelines(self, shown: bool) -> None:
        """Show or hide the guidelines dock (the panel made first)."""
        if shown:
            self.guidelines_panel  # noqa: B018  (made before the dock shows)
            if not self.guidelines_dock.isVisible():  # the panels' widths, before it shows
                self._widths_had = self.splitter.sizes()
        self.guidelines_dock.setVisible(shown)

    def _guidelines_shown(self, visible: bool) -> None:
        if visible:
            self.guidelines_panel  # noqa: B018  (made as the dock shows)

    def cancel_guidelines_edit(self) -> None:
        """Drop an edit of the guidelines in progress, unsaved (none made: nothing)."""
        if self._guidelines_panel is not None:
            self._guidelines_panel.cancel()

    def confirm_leave_guidelines(self) -> bool:
        """False when the user cancels leaving guidelines being edited (none: True)."""
        panel = self._guidelines_panel
        return panel is None or panel.confirm_leave()

    def _handlers(self) -> dict[str, Callable[..., Any]]:
        """Every action of the table with the part that does it."""
        navigator = self.navigator
        annotation, view = self.annotation, self.article_view
        return {
            "newProject": lambda: self.files.choose_new_project(),
            "openProject": lambda: self.files.choose_project_to_open(),
            "importFiles": lambda: self.files.choose_files_to_import(),
            "addArchive": lambda: self.files.choose_archive_files(),
            "exportCorpus": lambda: self.files.choose_export(),
            "copyForAnnotator": lambda: self.files.choose_copy_for_annotator(),
            "mergeProjects": lambda: self.files.choose_projects_to_merge(),
            "quit": self.close,
            "undo": lambda: self.undo(redo=False),
            "redo": lambda: self.undo(redo=True),
            "deleteSpan": self.delete_span,
            "deselect": self.escape,
            "find": self.find_bar.open_bar,
            "findNext": lambda: self.find_bar.find_next(),
            "snapToWords": self.settings.set_snap_to_words,
            "labels": lambda: self.dialogs.labels(),
            "annotator": self.ask_annotator,
            "growStart": lambda: annotation.resize_selected(START, GROW),
            "growEnd": lambda: annotation.resize_selected(END, GROW),
            "shrinkEnd": lambda: annotation.resize_selected(END, SHRINK),
            "shrinkStart": lambda: annotation.resize_selected(START, SHRINK),
            "linkSpan": lambda: self.linking.start(),
            "linkFactCheck": lambda: self.previously_checked.link_best(),
            "linkFactCheck2": lambda: self.previously_checked.link(2),
            "linkFactCheck3": lambda: self.previously_checked.link(3),
            "acceptCue": lambda: self.cues.accept(),
            "acceptQuote": lambda: self.link_attributes.accept(),
            "outletVoice": lambda: self.cues.toggle_outlet_voice(),
            "markCues": lambda on: self.cues.set_cues(on),
            "acceptGold": lambda: annotation.review_selected("accepted", self._reviewing()),
            "rejectReview": lambda: annotation.review_selected("rejected", self._reviewing()),
            "nextSpan": lambda: self._step(1),
            "previousSpan": lambda: self._step(-1),
            "suggest": self.review.suggest,
            "suggestOnOpen": self.settings.set_suggest_on_open,
            "enterKey": self.enter_key,
            "acceptAllSuggestions": self.review.accept_all,
            "backspaceKey": self.backspace_key,
            "nextDocument": lambda: navigator.step(1),
            "previousDocument": lambda: navigator.step(-1),
            "markDone": lambda: navigator.mark("done", advance=True),
            "markSkipped": lambda: navigator.mark("skipped", advance=True),
            "markInProgress": lambda: navigator.mark("in_progress"),
            "zoomIn": lambda: view.zoom_by(1),
            "zoomOut": lambda: view.zoom_by(-1),
            "zoomReset": lambda: view.zoom_by(-view.zoom),
            "statistics": lambda: self.dialogs.statistics(),
            "reviewMode": lambda on: self.review_mode.set(on),
            "nextConflict": lambda: self.conflicts.next(),
            "takeCopyVersion": lambda: self.conflicts.take("source"),
            "keepThisVersion": lambda: self.conflicts.take("target"),
            "agreement": lambda: self.dialogs.agreement(),
            "markCheckedSentences": self.checked_sentences.set_on,
            "showDocumentList": lambda shown: self.show_panel(DOCUMENT_LIST, shown),
            "showSidePanels": lambda shown: self.show_panel(SIDE_PANELS, shown),
            "showLabelToolbar": self.action_table.label_toolbar.setVisible,
            "showGuidelines": self.show_guidelines,
            "shortcuts": lambda: self.dialogs.shortcuts(),
            "about": lambda: self.dialogs.about(),
        }

    def _connect(self) -> None:
        """All wiring between the parts, the session and the widgets, in one place."""
        actions, session = self.action_table, self.session
        actions.build_menus()
        actions["snapToWords"].setChecked(self.settings.snap_to_words())
        actions["suggestOnOpen"].setChecked(self.settings.suggest_on_open())
        actions["showLabelToolbar"].setChecked(True)
        actions["markCues"].setChecked(cues_on(self.project))  # before the cue part is made
        self.splitter.splitterMoved.connect(lambda _pos, _index: self._panels_shown())
        self._panels_shown()
        actions.bind(self._handlers())
        self.guidelines_dock.visibilityChanged.connect(actions["showGuidelines"].setChecked)
        self.action_table.label_toolbar.visibilityChanged.connect(
            actions["showLabelToolbar"].setChecked
        )
        actions.menus["File/recent"].aboutToShow.connect(self._fill_recent)
        stack = session.undo_stack
        stack.canUndoChanged.connect(actions["undo"].setEnabled)
        stack.canRedoChanged.connect(actions["redo"].setEnabled)
        stack.undoTextChanged.connect(lambda text: actions["undo"].setText(f"&Undo {text}"))
        stack.redoTextChanged.connect(lambda text: actions["redo"].setText(f"&Redo {text}"))
        actions["undo"].setEnabled(False)
        actions["redo"].setEnabled(False)

        session.problem.connect(lambda message: self.tell(message))
        self.annotation.told.connect(lambda message: self.tell(message))
        session.performing.connect(self.next_frame.hold)
        session.project_closing.connect(self.next_frame.flush)
        session.changed.connect(self._changed)
        session.document_shown.connect(self._document_shown)
        session.project_opened.connect(self._project_opened)
        self.annotation.span_selected.connect(self.selection.select)
        self.selection.span_selected.connect(self._span_selected)
        self.navigator.indexer.left.connect(self._indexing_left)
        actions["markCheckedSentences"].setChecked(self.settings.mark_checked_sentences())
        # A match found is the selection now: Delete must not act on a span selected before.
        self.find_bar.found.connect(lambda: self.selection.select(None))
        # Enter on a match found goes to the next one, unless a link or a suggestion waits.
        self.find_bar.enter_finds = lambda: not self.linking.active and self.review.held is None
        self.review.in_hand.connect(self._suggestion_in_hand)
        self.article_view.setPlaceholderText(NO_DOCUMENT)
        self.article_view.suggestion_clicks_allowed = lambda: not self.linking.active
        self.article_view.span_resized.connect(self.annotation.resize_to)
        # A click in the article may act on a part made with the side panels: they are
        # made first if the click comes before them.
        self._mouse_waits = OnFirstClick(self.article_view.viewport(), lambda: self.side_panels)
        self.annotator_button.clicked.connect(lambda: self.ask_annotator())
        self._rebuild_label_actions()
        self._keys_back = KeysBack(self)  # the keys come back after a dialog closes

    # -- what the session says --------------------------------------------------------------

    def _changed(self, changes: ChangeSet) -> None:
        if changes.labels or changes.settings:
            self._rebuild_label_actions()
            self._fit_label_column()
        if changes.settings and self._guidelines_panel is not None:
            self._guidelines_panel.refresh()
        if (changes.settings or changes.labels) and self._side_panels is not None:
            self.details.refresh_definitions()  # attribute keys or labels may differ
        if changes.documents_reloaded:
            self._update_titles()
        elif changes.documents:
            for edit in changes.documents.values():  # counts follow, nothing is read
                if edit.old is not None and edit.new is not None:
                    self._counts[edit.old.status] -= 1
                    self._counts[edit.new.status] += 1
            self._update_titles(reread=False)

    def _indexing_left(self, left: int) -> None:
        documents = "1 document" if left == 1 else f"{left:,} documents"
        self.indexing_label.setText(f"Indexing {documents} for search")
        self.indexing_label.setVisible(left > 0)

    def _document_shown(self, document: Document | None) -> None:
        self._update_titles()
        self._update_enabled()
        shown = self.statusBar().currentMessage()
        if document is not None and not self.article_view.spans:
            if not shown:
                self.tell(label_hint(self.project.labels()), 0)  # the one gesture, taught
        elif shown and shown == label_hint(self.project.labels()):
            self.tell("")  # taught while the article has no span only

    def _project_opened(self, project: Project) -> None:
        if self._side_panels is not None:
            self.details.refresh_definitions()
        if self._guidelines_panel is not None:
            self._guidelines_panel.set_project(project)
        self._rebuild_label_actions()
        self._fit_label_column()
        self._update_titles(reread=True)

    def _rebuild_label_actions(self) -> None:
        project = self.project
        unbound = self.action_table.set_labels(
            project.labels(),
            project.attribute_definitions(),
            self.annotation.label,
            self.attribute_key,
            lambda label: label_tooltip(project.guidelines(), label),
        )
        unbound += self.action_table.set_link_attributes(
            project.link_attribute_definitions(),
            lambda kind, name, value: self.link_attributes.set_by_key(kind, name, value),
        )
        if unbound:
            self.tell("Keys not bound: " + "; ".join(unbound) + " (change them in Edit > Labels).")

    def _suggestion_in_hand(self, chosen: Suggestion | None) -> None:
        """One thing in hand: a suggestion picked lets go of the selected span."""
        if chosen is not None and self.article_view.selected_span_id is not None:
            self.selection.select(None)
        if self._side_panels is not None:  # else shown once they are made
            self._show_suggestion(chosen)

    def _show_suggestion(self, chosen: Suggestion | None) -> None:
        """The suggestion panel shows the suggestion in hand."""
        number, waiting = self.review.position()
        text = self.article_view.text[chosen.start : chosen.end] if chosen else ""
        detail, tip = self.checked_sentences.describe(chosen)
        self.suggestion_panel.show_suggestion(chosen, text, number, waiting, detail, tip)

    def _update_enabled(self) -> None:
        self.action_table.set_enabled({"document": self.current is not None})

    # -- keys that go to whichever part holds something --------------------------------------

    def enter_key(self) -> None:
        """Enter in the article: finish a link, else accept the suggestion in hand."""
        if self.linking.active:
            self.linking.finish()
        elif not self.review.accept():
            self.tell("No suggestion here: press Tab to go to the next one.")

    def backspace_key(self) -> None:
        """Backspace in the article: reject the suggestion in hand, else delete the span."""
        if not self.review.reject():
            self.delete_span()

    def delete_span(self) -> None:
        """Delete (Backspace with no suggestion in hand): delete the selected span and
        name it in the status bar, so the user sees which span went."""
        span = self.article_view.span(self.article_view.selected_span_id)
        before = self.statusBar().currentMessage()
        if not self.annotation.delete_selected() or span is None:
            return
        message = f"Deleted {self.selection.name(span)} — Ctrl+Z undoes."
        said = self.statusBar().currentMessage()  # by a part the deletion touched
        self.tell(f"{message} {said}" if said and said != before else message)

    def attribute_key(self, label: str, name: str, value: str) -> None:
        """An attribute key (Shift+Alt+Y…): set it on the selected span, say so, and show
        the field in the details panel (below its fold on a small screen)."""
        span = self.article_view.span(self.article_view.selected_span_id)
        if span is not None and span.label == label and span.attrs.get(name) == value:
            message = f"{name}: {value} already on {self.selection.name(span)}."
        elif self.annotation.set_attribute_of_selected(label, name, value) and span is not None:
            message = f"{name}: {value} on {self.selection.name(span)} — Ctrl+Z undoes."
        else:
            return  # no span of that label selected (the annotation said so), or it failed
        self.tell(message)
        self.details.show_attribute(name)

    def undo(self, redo: bool) -> None:
        """Ctrl+Z / Ctrl+Shift+Z: undo (redo) a step and say which, in the undo stack's
        words, with the span selected after it."""
        done = self.session.redo() if redo else self.session.undo()
        if done is None:
            return  # nothing to undo, or it failed (the session said why)
        message = f"{'Redone' if redo else 'Undone'}: {done}."
        span = self.article_view.span(self.article_view.selected_span_id)
        if span is not None:
            message += " " + self.selection.describe(span)
            self._selection_said = message
        self.tell(message)

    def _span_selected(self, span: Span | None) -> None:
        """However a span was selected, it is the one thing in hand (a suggestion in
        hand is let go) and the status bar names it; none selected: it no longer does."""
        if span is None:
            self.withdraw(self._selection_said)
            return
        if self.article_view.selected_suggestion_id is not None:
            self.review.drop()
        if self._side_panels is not None and self.linking.active:
            said = f"Link to {self.selection.name(span)}? Enter links it; Escape cancels."
        else:
            said = self.selection.describe(span)
        self._selection_said = said
        self.tell(said)

    def _step(self, step: int) -> None:
        """Alt+Down / Alt+Up: the next span, or while linking the next one a link reaches."""
        if self.linking.active:
            self.linking.step(step)
        else:
            self.selection.step(step)

    def escape(self) -> None:
        """Escape cancels linking, closes the find bar, gives the article the keys back
        from a list or a panel (the selection kept for them), else drops the selection."""
        if self.linking.active:
            self.linking.cancel()
            self.tell("Link cancelled.", 3000)
            return
        if self.find_bar.isVisible():
            self.find_bar.close_bar()
            return
        if not self.article_view.hasFocus():
            self.article_view.setFocus(Qt.FocusReason.ShortcutFocusReason)
            return
        self.article_view.clear_selection()
        self.review.drop()
        self.selection.select(None)

    def focusNextPrevChild(self, next: bool) -> bool:
        """Tab / Shift+Tab: through the window's parts as they stand on the screen, and
        each part's fields as its layouts show them (see tab_cycle)."""
        from factmark.ui.window.tab_cycle import bring_into_view, next_in_chain

        parts = (self.documents, self.centre, self.side, self.guidelines_dock)
        target = next_in_chain(self, parts, self.focusWidget(), next)
        if target is None:
            return super().focusNextPrevChild(next)
        reason = Qt.FocusReason.TabFocusReason if next else Qt.FocusReason.BacktabFocusReason
        target.setFocus(reason)
        bring_into_view(target)
        return True

    # -- status bar, titles ---------------------------------------------------------------

    def _review_on(self) -> None:
        """Turn review mode on (the merge conflict queue shows in it)."""
        action = self.action_table["reviewMode"]
        if not action.isChecked():
            action.trigger()

    def tell(self, message: str, timeout: int = 8000) -> None:
        """A message in the status bar (0: until the next one; empty: clear it)."""
        if message:
            self.statusBar().showMessage(message, timeout)
        else:
            self.statusBar().clearMessage()

    def withdraw(self, message: str) -> None:
        """Clear the status bar if it still says ``message`` (no longer true)."""
        if message and self.statusBar().currentMessage() == message:
            self.statusBar().clearMessage()

    def ask_annotator(self, first_time: bool = False) -> None:
        if self.dialogs.ask_annotator(first_time):
            self._update_titles()

    def _update_titles(self, reread: bool = True) -> None:
        if reread:
            self._counts = self.project.status_counts()
        counts = self._counts
        total = sum(counts.values())
        self.progress_label.setText(f"{counts['done']:,} / {total:,} done")
        self.annotator_button.setText(f"Annotator: {self.settings.annotator()}")
        title = self.current.title if self.current and self.current.title else ""
        self.setWindowTitle(" — ".join(p for p in (title, self.project.path.stem, "Factmark") if p))

    def _fill_recent(self) -> None:
        menu = self.action_table.menus["File/recent"]
        menu.clear()
        for path in self.settings.recent_projects():
            action = menu.addAction(str(path))
            action.triggered.connect(
                lambda _checked=False, p=path: self.files.open_project_file(Path(p))
            )
        if menu.isEmpty():
            menu.addAction("No recent projects").setEnabled(False)

    # -- layout kept between runs -------------------------------------------------------------

    def _restore_layout(self) -> None:
        geometry, state, sizes = self.settings.window_state()
        if geometry is not None:
            self.restoreGeometry(geometry)
            self._keep_on_screen()  # saved on a bigger screen: shrunk to fit this one
        if state is not None:
            self.restoreState(state)
        if len(sizes) == 3 and all(s >= 0 for s in sizes):
            self.splitter.setSizes(sizes)

    # -- fitting the screen -----------------------------------------------------------------

    def _available(self) -> QRect:
        """The area of the screen the window is on that windows may use."""
        return self.screen().availableGeometry()

    def article_width(self, characters: int) -> int:
        """The article's width (margins, link strip and scroll bar included) that shows
        ``characters`` characters of ordinary prose a line at the article's font."""
        view = self.article_view
        advance = view.fontMetrics().horizontalAdvance(MEASURE_SAMPLE) / len(MEASURE_SAMPLE)
        margins = view.viewportMargins()
        chrome = (
            2 * view.document().documentMargin()
            + margins.left()
            + margins.right()
            + 2 * view.frameWidth()
            + view.verticalScrollBar().sizeHint().width()
        )
        return round(characters * advance + chrome) + 2

    def _fit_first_size(self) -> None:
        """The first size: what the layout wants on a big screen, never more than the
        available area of the screen the window opens on, centred in it."""
        area = self._available()
        width = min(WANTED_SIZE.width(), area.width() - FRAME_ALLOWANCE.width())
        height = min(WANTED_SIZE.height(), area.height() - FRAME_ALLOWANCE.height())
        self.resize(width, height)
        self.move(
            area.x() + max(0, (area.width() - width - FRAME_ALLOWANCE.width()) // 2),
            area.y() + max(0, (area.height() - height - FRAME_ALLOWANCE.height()) // 2),
        )
        self._fit_splitters(width)

    def _fit_splitters(self, width: int) -> None:
        """Share ``width`` out: the article its comfortable measure first, then the
        document list and the side column what is left, within sensible bounds."""
        handles = 2 * self.splitter.handleWidth()
        rest = max(0, width - self.article_width(COMFORTABLE_CHARACTERS) - handles)
        documents = max(160, min(280, round(rest * 0.45)))
        side = max(200, min(340, rest - documents))
        self.splitter.setSizes([documents, max(0, width - documents - side - handles), side])

    def _keep_on_screen(self) -> None:
        """Shrink and move the window so that all of it, frame included, is inside the
        available area of its screen."""
        area = self._available()
        frame = self.frameGeometry()
        extra = frame.size() - self.geometry().size()
        width = min(self.width(), area.width() - extra.width())
        height = min(self.height(), area.height() - extra.height())
        if (width, height) != (self.width(), self.height()):
            self.resize(max(width, self.minimumWidth()), max(height, self.minimumHeight()))
        frame = self.frameGeometry()
        x = max(area.left(), min(frame.left(), area.right() + 1 - frame.width()))
        y = max(area.top(), min(frame.top(), area.bottom() + 1 - frame.height()))
        if (x, y) != (frame.left(), frame.top()):
            self.move(x, y)

    def _stretch_panels(self) -> None:
        """A narrower window narrows the panels as well as the article."""
        for index, stretch in enumerate((1, 3, 1)):
            self.splitter.setStretchFactor(index, stretch)

    def _place_panels(self) -> None:
        """Make the side panels (unless they were needed sooner), then put each panel
        waiting in its place beside the article, at the width its stand-in had; one step
        a turn of the event loop, so that a key pressed meanwhile waits for one at most.
        The panels show whatever was done before they were made and placed."""
        if self._side_panels is None:
            self.side_panels  # noqa: B018  (made now)
            QTimer.singleShot(0, self._place_panels)
            return
        if not self._waiting_panels:
            return
        index, panel = self._waiting_panels.pop(0)
        if panel is self.documents:
            self.documents.make()  # its widgets, in a turn of their own
        stand_in = self.splitter.replaceWidget(index, panel)
        if stand_in is not None:
            stand_in.deleteLater()
        self._stretch_panels()  # kept by the widget, not by its place
        panel.show()
        if self._waiting_panels:
            QTimer.singleShot(0, self._place_panels)
        else:
            self._panels_shown()
            if self.guidelines_dock.isVisible():
                self._make_room_for_article()  # they waited for the panels' widths

    @property
    def panels_placed(self) -> bool:
        """Whether the panels beside the article are in their places (right after the
        window's first paint)."""
        return not self._waiting_panels

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not event.spontaneous():
            self._keep_on_screen()  # the frame's size is known now
            self._panels_shown()  # and the panels' widths

    def show_panel(self, index: int, shown: bool) -> None:
        """Fold a panel beside the article away (its width goes to the article), or
        unfold it at the width it had."""
        sizes = self.splitter.sizes()
        if shown == (sizes[index] > 0):
            return
        if shown:
            width = self._folded_widths.pop(index, 0) or (280 if index == DOCUMENT_LIST else 320)
            give = min(width, max(0, sizes[1] - self.article_width(MINIMUM_CHARACTERS)))
            sizes[index], sizes[1] = give, sizes[1] - give
        else:
            self._folded_widths[index] = sizes[index]
            sizes[1] += sizes[index]
            sizes[index] = 0
        self.splitter.setSizes(sizes)
        self._panels_shown()

    def _panels_shown(self) -> None:
        """The View menu's ticks follow the panels, however they were folded."""
        sizes = self.splitter.sizes()
        actions = self.action_table
        actions["showDocumentList"].setChecked(sizes[DOCUMENT_LIST] > 0)
        actions["showSidePanels"].setChecked(sizes[SIDE_PANELS] > 0)

    def _make_room_for_article(self) -> None:
        """The guidelines dock was opened or closed: share the width out again.

        Opening it keeps the article's readable measure and each panel's least width (the
        document list's titles readable, the span list's label names whole), folding the
        document list if both panels do not fit; if the window is still too narrow, the
        dock floats beside it (see :func:`~factmark.ui.panels.room.share_beside_guidelines`).
        Closing it gives the panels their widths back."""
        dock = self.guidelines_dock
        if not dock.isVisible() or dock.isFloating():
            self._widths_had = None
            if self._sizes_before_dock is not None and not dock.isVisible():
                self.splitter.setSizes(self._sizes_before_dock)
                if self._sizes_before_dock[DOCUMENT_LIST]:
                    self._folded_widths.pop(DOCUMENT_LIST, None)
                self._sizes_before_dock = None
                self._panels_shown()
            return
        if not self.panels_placed:
            return  # once they are (see _place_panels): their least widths are known then
        from factmark.ui.panels.room import Width, share_beside_guidelines

        sizes = self.splitter.sizes()
        had, self._widths_had = self._widths_had or sizes, None
        if self._sizes_before_dock is None:
            # Set again once the dock closes, while the splitter is still narrow: it keeps
            # them as the widths wanted and has them again, exactly, when it widens.
            self._sizes_before_dock = list(had)
        least = [self._documents_least(), 0, self._side_least()]
        comfortable = self.article_width(COMFORTABLE_CHARACTERS)
        if sizes[1] >= comfortable and all(
            s == 0 or s >= n for s, n in zip(sizes, least, strict=True)
        ):
            return  # room enough for all
        shared = share_beside_guidelines(
            sum(sizes),
            self.article_width(READABLE_CHARACTERS),
            comfortable,
            Width(least[DOCUMENT_LIST], had[DOCUMENT_LIST] if sizes[DOCUMENT_LIST] else 0),
            Width(least[SIDE_PANELS], had[SIDE_PANELS] if sizes[SIDE_PANELS] else 0),
        )
        if shared is None:
            self._sizes_before_dock = None  # the splitter widens back by itself
            dock.setFloating(True)  # too narrow for both: the guidelines float over it
            return
        if sizes[DOCUMENT_LIST] and not shared[DOCUMENT_LIST]:  # unfolded at the width it had
            self._folded_widths[DOCUMENT_LIST] = had[DOCUMENT_LIST]
        self.splitter.setSizes(list(shared))
        self._panels_shown()

    def _documents_least(self) -> int:
        """The document list's least width: its titles readable."""
        self.documents.make()
        columns = self.documents.columns
        return columns.least_width() if columns is not None else 0

    def _side_least(self) -> int:
        """The side column's least width: the span list's label names whole, and some of
        the spans' text."""
        self.span_list  # noqa: B018  (made with its columns)
        columns = self._span_columns
        return max(SIDE_LEAST, columns.least_width() if columns is not None else 0)

    def save_layout(self) -> None:
        self.settings.set_window_state(self.saveGeometry(), self.saveState(), self.splitter.sizes())
        self.settings.set_zoom(self.article_view.zoom)
        self.navigator.stop()
        self.settings.set_last_document(self.project.path, self.session.document_id)
        self.settings.sync()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        self.files.drag_entered(event)

    def dropEvent(self, event: QDropEvent) -> None:
        self.files.dropped(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        from factmark.ui.dialogs.progress import running_job  # loaded by then if one runs

        job = running_job()
        if job is not None:  # asks: wait, or cancel it and quit once it has stopped
            event.ignore()
            job.ask_to_quit()
            return
        if not self.confirm_leave_guidelines():  # the user chose Cancel
            event.ignore()
            return
        self.next_frame.flush()  # the panels' last updates, while the project is open
        if self._side_panels is not None:
            self._side_panels.stop()
        self.documents.stop_pending_search()
        self.navigator.indexer.stop()  # the chunk being written ends first
        self.review.computer.drop()  # learning what the project labelled stops
        self.save_layout()
        self.session.close()
        super().closeEvent(event)


def label_tooltip(guidelines: str, label: Label) -> str:
    """A label button's tooltip: its definition and the guidelines' examples for it."""
    key_text = f" ({shown_key(label.key)})" if label.key else ""
    guide = section(guidelines, label.name)
    examples = guide.split("Examples:", 1)[1].strip() if "Examples:" in guide else ""
    tip = f"<b>{escape(label.name)}</b>{escape(key_text)}<br>{escape(label.description)}"
    if examples:
        items = "".join(
            f"<li>{escape(line.lstrip('- ').replace('**', ''))}</li>"
            for line in examples.splitlines()
            if line.strip()
        )
        tip += f"<br><i>Examples:</i><ul>{items}</ul>"
    return tip
