"""The main window's suggestions: computing them and showing the ones to review."""

from __future__ import annotations

from factmark.ui.window.window_parts import WindowParts


class SuggestionActions(WindowParts):
    """Suggested spans to accept or reject, for ``MainWindow``.

    Expects of the window: ``project``, ``current``, ``article_view``, ``suggestions``
    (the suggestions controller) and ``statusBar()``.
    """

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

    def accept_all_suggestions(self) -> None:
        accepted = self.suggestions.accept_all()
        self.statusBar().showMessage(f"Accepted {accepted} suggestions.", 6000)
