"""The main window's documents: showing one, stepping through the list, marking status."""

from __future__ import annotations

from factmark.core.project import ProjectError
from factmark.ui.window.window_parts import WindowParts

UNFINISHED = ("new", "in_progress")


class DocumentActions(WindowParts):
    """Which document the window shows, and its status, for ``MainWindow``.

    Expects of the window: ``project``, ``settings``, ``current`` (the document shown),
    ``documents`` (the document panel), ``article_view``, ``spans``, ``annotation``,
    ``suggestions``, ``details``, ``statusBar()``, ``show_problem``, ``cancel_link``,
    ``_refresh_relations``, ``_refresh_suggestions`` and ``_update_titles``.
    """

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
