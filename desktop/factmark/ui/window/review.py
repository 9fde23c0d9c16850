"""Suggestion review: the suggestions of the document shown, the one in hand, and the
keys that accept or reject it (Enter, Backspace, Tab, Shift+Enter)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject

from factmark.core.changes import ChangeSet
from factmark.core.model import Document
from factmark.core.operations import AcceptSuggestion, Compound, Operation, RejectSuggestion
from factmark.ui.article.article_view import ArticleView
from factmark.ui.background.suggestions import SuggestionComputer
from factmark.ui.window.annotation import Annotation
from factmark.ui.window.session import Session
from factmark.ui.window.settings import Settings


class SuggestionReview(QObject):
    """Suggested spans to accept or reject, one key each."""

    def __init__(
        self,
        session: Session,
        settings: Settings,
        view: ArticleView,
        annotation: Annotation,
        tell: Callable[[str, int], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.settings = settings
        self.view = view
        self.annotation = annotation
        self.tell = tell
        self.computer = SuggestionComputer(lambda: session.project, self)
        self.computer.computed.connect(self._computed)
        self.computer.failed.connect(lambda message: tell(message, 8000))
        session.document_shown.connect(self._shown)
        session.changed.connect(self._changed)
        view.suggestion_stepped.connect(self.step)

    def _shown(self, document: Document | None) -> None:
        self.refresh()
        if document is not None and self.settings.suggest_on_open():
            self.computer.run(document)

    def _changed(self, changes: ChangeSet) -> None:
        if changes.suggestions_changed(self.session.document_id) or changes.documents_reloaded:
            self.refresh()

    def refresh(self) -> None:
        document_id = self.session.document_id
        shown = self.session.project.suggestions(document_id) if document_id else []
        self.view.set_suggestions(shown)

    def suggest(self) -> None:
        """Propose spans for the current document (computed in the background)."""
        if self.session.document is None:
            return
        self.tell("Looking for numbers, places and sources…", 0)
        self.computer.run(self.session.document)

    def _computed(self, document_id: int, added: int) -> None:
        if document_id == self.session.document_id:
            waiting = len(self.view.suggestions)
            self.tell(
                f"{added} new suggestions, {waiting} to review: Tab goes to the next, Enter "
                "accepts, Backspace rejects, Shift+Enter accepts all.",
                10000,
            )
            if waiting and self.view.selected_suggestion_id is None:
                self.step(1)

    def accept(self) -> bool:
        """Accept the selected suggestion (or the one at the cursor); False if none."""
        chosen = self.view.suggestion_at_cursor()
        document_id = self.session.document_id
        if chosen is None or chosen.id is None or document_id is None:
            return False
        operation = AcceptSuggestion(document_id, chosen.id, self.annotation.annotator())
        if self.annotation.perform(operation):
            self.step(1, after=chosen.start)
        return True

    def reject(self) -> bool:
        """Reject the selected suggestion (or the one at the cursor); False if none."""
        chosen = self.view.suggestion_at_cursor()
        document_id = self.session.document_id
        if chosen is None or chosen.id is None or document_id is None:
            return False
        if self.annotation.perform(RejectSuggestion(document_id, chosen.id)):
            self.step(1, after=chosen.start)
        return True

    def accept_all(self) -> None:
        """Accept every suggestion of the document, as one undo step."""
        document_id = self.session.document_id
        shown = [s for s in self.view.suggestions if s.id is not None]
        if document_id is None or not shown:
            self.tell("No suggestions to accept: Ctrl+Shift+S suggests spans.", 6000)
            return
        annotator = self.annotation.annotator()
        parts: list[Operation] = [
            AcceptSuggestion(document_id, s.id or 0, annotator) for s in shown
        ]
        text = f"Accept {len(parts)} suggestions"
        if self.annotation.perform(Compound(document_id, parts, text)):
            self.tell(f"Accepted {len(parts)} suggestions.", 6000)

    def step(self, direction: int, after: int | None = None) -> None:
        """Select the next (+1) or previous (-1) suggestion, from the selected one, the
        given offset, or the cursor."""
        shown = self.view.suggestions
        if not shown:
            self.view.select_suggestion(None)
            return
        current = self.view.suggestion(self.view.selected_suggestion_id)
        point = (
            after
            if after is not None
            else (current.start if current else self.view.cursor_offset())
        )
        if direction > 0:
            later = [
                s for s in shown if s.start > point or (after is not None and s.start >= point)
            ]
            chosen = (later or shown)[0]
        else:
            earlier = [s for s in shown if s.start < point]
            chosen = (earlier or shown)[-1]
        self.view.select_suggestion(chosen.id)
