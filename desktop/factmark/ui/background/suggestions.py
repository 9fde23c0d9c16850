"""Suggestions in the window: computed off the GUI thread, reviewed with one key each.

Enter accepts the selected suggestion (or the one at the cursor), Backspace rejects it,
Tab / Shift+Tab walk the suggestions, Shift+Enter accepts all of the document's.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from factmark.core.model import Document
from factmark.core.operations import AcceptSuggestion, RejectSuggestion
from factmark.core.project import Project
from factmark.ui.article.article_view import ArticleView
from factmark.ui.window.annotation import Annotation


class _Computed(QObject):
    """Carries a finished computation back to the GUI thread."""

    done = Signal(int, object)  # document id, proposals


class _Compute(QRunnable):
    """Runs the (pure, Qt-free) suggesters on a worker thread."""

    def __init__(
        self,
        document_id: int,
        text: str,
        learned: list[tuple[str, str]],
        language: str,
        labels: set[str],
        signals: _Computed,
    ) -> None:
        super().__init__()
        self.args = (document_id, text, learned, language, labels)
        self.signals = signals

    def run(self) -> None:
        # Imported when first needed: the suggesters' tables are not on the start path.
        from factmark.core.suggest import suggest

        document_id, text, learned, language, labels = self.args
        proposals = [
            p for p in suggest(text, project_spans=learned, language=language) if p.label in labels
        ]
        self.signals.done.emit(document_id, proposals)


class Suggestions(QObject):
    """The suggestion actions of one window."""

    computed = Signal(int, int)  # document id, how many new suggestions were stored

    def __init__(
        self,
        project: Callable[[], Project],
        view: ArticleView,
        annotation: Annotation,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.project = project
        self.view = view
        self.annotation = annotation
        self._signals = _Computed(self)
        self._signals.done.connect(self._store)
        self.running: set[int] = set()

    def run(self, document: Document) -> None:
        """Compute suggestions for a document in the background; stored when done."""
        if document.id is None or document.id in self.running:
            return
        project = self.project()
        language = str(document.meta.get("lang") or document.meta.get("language") or "en")
        labels = {label.name for label in project.labels()}
        self.running.add(document.id)
        QThreadPool.globalInstance().start(
            _Compute(
                document.id, document.text, project.span_texts(), language, labels, self._signals
            )
        )

    def _store(self, document_id: int, proposals: list) -> None:  # type: ignore[type-arg]
        self.running.discard(document_id)
        try:
            added = self.project().add_suggestions(document_id, proposals)
        except Exception as error:
            self.annotation.failed.emit(str(error))
            return
        self.computed.emit(document_id, added)

    def wait(self) -> None:
        """Block until running computations are done (tests, closing)."""
        QThreadPool.globalInstance().waitForDone()

    # -- review ----------------------------------------------------------------

    def accept(self) -> bool:
        """Accept the selected suggestion (or the one at the cursor); False if none."""
        chosen = self.view.suggestion_at_cursor()
        if chosen is None or chosen.id is None or self.annotation.document_id is None:
            return False
        operation = AcceptSuggestion(
            self.annotation.document_id, chosen.id, self.annotation.annotator()
        )
        if self.annotation.perform(operation):
            self.step(1, after=chosen.start)
        return True

    def reject(self) -> bool:
        """Reject the selected suggestion (or the one at the cursor); False if none."""
        chosen = self.view.suggestion_at_cursor()
        if chosen is None or chosen.id is None or self.annotation.document_id is None:
            return False
        if self.annotation.perform(RejectSuggestion(self.annotation.document_id, chosen.id)):
            self.step(1, after=chosen.start)
        return True

    def accept_all(self) -> int:
        """Accept every suggestion of the document (one undo step each)."""
        accepted = 0
        for suggestion in list(self.view.suggestions):
            if suggestion.id is not None and self.annotation.document_id is not None:
                operation = AcceptSuggestion(
                    self.annotation.document_id, suggestion.id, self.annotation.annotator()
                )
                accepted += self.annotation.perform(operation)
        return accepted

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
