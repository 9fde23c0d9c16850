"""The main window's spans: selecting and stepping through them, labelling, resizing."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPoint, Qt

from factmark.ui.window.menus import article_menu
from factmark.ui.window.window_parts import WindowParts


class SpanActions(WindowParts):
    """The selected span, kept the same in the article and the span list, for ``MainWindow``.

    Expects of the window: ``article_view``, ``spans`` (the span list's model), ``span_list``,
    ``details``, ``annotation`` and ``show_problem``.
    """

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
