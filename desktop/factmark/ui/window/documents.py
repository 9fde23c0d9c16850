"""Document navigation: which document the window shows, stepping through the list,
marking status."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer

from factmark.core.changes import ChangeSet
from factmark.core.model import Document
from factmark.core.project import Project
from factmark.ui.background.search_index import SearchIndexer
from factmark.ui.panels.document_panel import DocumentPanel
from factmark.ui.window.annotation import Annotation
from factmark.ui.window.session import Session
from factmark.ui.window.settings import Settings

UNFINISHED = ("new", "in_progress")
# The document shown is written to the preferences this long after it was opened (and
# when the window closes): stepping through documents writes once, not at every step,
# and never before the document is painted.
REMEMBER_AFTER_MS = 1000


class DocumentNavigator(QObject):
    """The document list and the document shown, kept in step; the list's search index
    filled in the background (``indexer``) after the project opens and after documents
    came in."""

    def __init__(
        self,
        session: Session,
        settings: Settings,
        panel: DocumentPanel,
        annotation: Annotation,
        tell: Callable[[str], None],
        focus_article: Callable[[], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.settings = settings
        self.panel = panel
        self.annotation = annotation
        self.tell = tell
        self.focus_article = focus_article
        self._to_remember: tuple[Path, int | None] | None = None
        self._remember = QTimer(self, singleShot=True, interval=REMEMBER_AFTER_MS)
        self._remember.timeout.connect(self.remember_now)
        self.indexer = SearchIndexer(self)
        session.performing.connect(self.indexer.edited)  # the index waits for the user
        panel.document_chosen.connect(self.show)
        session.document_shown.connect(self._shown)
        session.project_opened.connect(self._project_opened)
        session.changed.connect(self._changed)

    def show(self, document_id: int | None) -> None:
        """Show a document (None: an empty view)."""
        self.session.show_document(document_id)

    def open_first(self) -> None:
        """The document last shown in this project, else the first of the list."""
        project = self.session.project
        remembered = self.settings.last_document(project.path)
        rows = self.panel.model.documents
        if remembered is not None and self.panel.model.row_of(remembered) >= 0:
            self.show(remembered)
        else:
            self.show(rows[0].id if len(rows) else None)

    def _shown(self, document: Document | None) -> None:
        if document is not None:
            self.panel.select(document.id or 0, emit=False)
            self._to_remember = (self.session.project.path, document.id)
            self._remember.start()

    def remember_now(self) -> None:
        """Write the document last shown to the preferences (if not written yet)."""
        self._remember.stop()
        if self._to_remember is not None:
            self.settings.set_last_document(*self._to_remember)
            self._to_remember = None

    def stop(self) -> None:
        """The window closes and writes the document shown itself: nothing waits."""
        self._remember.stop()
        self._to_remember = None

    def _project_opened(self, project: Project) -> None:
        self.panel.set_project(project)
        self.open_first()
        self.indexer.catch_up(project)

    def _changed(self, changes: ChangeSet) -> None:
        model = self.panel.model
        if changes.documents_reloaded:
            model.reload()
            shown = self.session.document_id
            if shown is not None:  # its row highlighted again (a reload clears it)
                self.panel.select(shown, emit=False)
            self.indexer.catch_up(self.session.project)
        elif changes.documents or changes.spans:
            model.apply_edits(changes.documents, changes.span_count_deltas())

    def step(self, step: int) -> None:
        """Show the next (+1) or previous (-1) document of the list."""
        ids = self.panel.model.ids()
        if not ids:
            return
        current = self.session.document_id
        if current not in ids:
            target = ids[0]
        else:
            position = ids.index(current) + step
            if not 0 <= position < len(ids):
                self.tell(
                    "This is the last document." if step > 0 else "This is the first document."
                )
                return
            target = ids[position]
        self.show(target)
        self.focus_article()

    def mark(self, status: str, *, advance: bool = False) -> None:
        """Set the current document's status; with ``advance`` go on to the next
        unfinished document."""
        if self.session.document is None or not self.annotation.set_status(status):
            return
        if advance:
            self._go_to_next_unfinished()

    def _go_to_next_unfinished(self) -> None:
        ids: list[int | None] = [
            i
            for i, _uid, _title, status in self.session.project.document_rows()
            if status in UNFINISHED
        ]
        current = self.session.document_id or 0
        after = [i for i in ids if (i or 0) > current]
        target = (after or ids or [None])[0]
        if target is None:
            self.tell("Every document is done or skipped. Well done!")
            return
        if self.panel.model.row_of(target) < 0:
            self.panel.status_filter.setCurrentIndex(0)
            self.panel.search.clear()
            self.panel.model.set_filter()
        self.show(target)
        self.focus_article()
