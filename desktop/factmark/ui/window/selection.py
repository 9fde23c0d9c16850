"""Span selection: the spans of the document shown, in the article and the span list,
and the selected span, kept the same in both and in the details panel."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QObject, QPoint, Qt, Signal
from PySide6.QtWidgets import QMenu

from factmark.core.changes import ChangeSet
from factmark.core.model import GOLD, Document, Span
from factmark.ui.article.article_view import ArticleView
from factmark.ui.models.tables import SpanListModel
from factmark.ui.window.session import Session

if TYPE_CHECKING:
    from PySide6.QtWidgets import QTableView

    from factmark.ui.panels.details_panel import DetailsPanel


class SpanSelection(QObject):
    """The shown spans and the selected one, for the article, span list and details."""

    details_shown = Signal(object, str)  # the span the details show (or None), its text
    span_selected = Signal(object)  # the span selected now (or None), however it was chosen

    def __init__(
        self,
        session: Session,
        view: ArticleView,
        model: SpanListModel,
        table: QTableView | None,
        details: DetailsPanel | None,
        context_menu: Callable[[bool, bool], QMenu],
        tell: Callable[[str], None],
        later: Callable[[str, Callable[[], None]], None] = lambda _kind, update: update(),
        parent: QObject | None = None,
    ) -> None:
        """``later(kind, update)`` runs a details update now or at the next frame (see
        pacing.NextFrame): the article is painted first. The span list's ``table`` and
        ``details`` may come later (:meth:`show_table_in`, :meth:`show_details_in`)."""
        super().__init__(parent)
        self.later = later
        self.session = session
        self.view = view
        self.model = model
        self.table: QTableView | None = None
        self.details = details
        self.context_menu = context_menu
        self.tell = tell
        session.document_shown.connect(self._shown)
        session.changed.connect(self._changed)
        if table is not None:
            self.show_table_in(table)
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(self._article_menu)

    @property
    def selected(self) -> int | None:
        return self.view.selected_span_id

    def show_table_in(self, table: QTableView) -> None:
        """The span list's table, made after the selection: it highlights the span
        selected now, and selects in the article the span chosen in it."""
        self.table = table
        table.selectionModel().currentRowChanged.connect(self._row_changed)
        self._select_row(self.view.selected_span_id)

    def show_details_in(self, details: DetailsPanel) -> None:
        """The details panel, made after the selection: it shows the document and the
        span selected now (and says so to whoever follows the details)."""
        self.details = details
        details.show_document(self.session.document)
        self._show_details(self.view.span(self.view.selected_span_id))

    def _shown(self, document: Document | None) -> None:
        self.model.project = self.session.project
        self.model.show_document(document)
        self.view.show_document(document.text if document else "", self.model.colours)
        if self.details is not None:
            self.details.show_document(document)
        self._show_details(None)
        self.span_selected.emit(None)  # the span selected before is not in this document

    def _changed(self, changes: ChangeSet) -> None:
        document_id = self.session.document_id
        selected = self.view.selected_span_id
        # The span list's rows change under its selection: the row Qt makes current when
        # the selected one goes is nobody's choice (it selected, and scrolled the article
        # to, the span beside one an undo removed). Its highlight follows below.
        rows = self.table.selectionModel() if self.table is not None else None
        held = rows.blockSignals(True) if rows is not None else False
        try:
            if changes.labels or changes.label_renamed or changes.documents_reloaded:
                # Colours or stored names changed, or a merge may have added spans: read again.
                self.model.project = self.session.project
                self.model.show_document(self.session.document)
                self.view.update_spans(None, self.model.colours)
            else:
                edits = changes.spans_in(document_id)
                if edits:
                    ranges = self.model.apply_edits(edits.values())
                    self.view.update_spans(ranges)
        finally:
            if rows is not None:
                rows.blockSignals(held)
        if rows is not None and (changes.spans or changes.documents_reloaded):
            in_hand = self.view.selected_span_id
            if rows.currentIndex().row() != (
                self.model.row_of(in_hand) if in_hand is not None else -1
            ):
                self._select_row(in_hand)
        if selected is not None and (
            selected in changes.spans or changes.labels or changes.settings or changes.label_renamed
        ):
            # The selected span changed or went: show it as it is now in every view.
            self.select(selected if self.view.span(selected) else None)
            before = changes.spans[selected].old if selected in changes.spans else None
            now = self.view.span(selected)
            if before is not None and now is not None and _shape(before) != _shape(now):
                self.tell(self.describe(now))  # resized or relabelled: say what it is now
        edit = changes.documents.get(document_id or 0)
        shown = edit is not None and edit.new is not None and self.session.document is not None
        if shown and self.details is not None:
            self.details.show_document(self.session.document)

    def select(self, span_id: int | None) -> None:
        """Select a span in the view, the span list and the details (None: deselect), and
        say so (``span_selected``): every way of selecting a span comes through here."""
        self.view.select_span(span_id, scroll=False)
        span = self.view.span(span_id)
        self._show_details(span)
        self._select_row(span_id)
        self.span_selected.emit(span)

    def _select_row(self, span_id: int | None) -> None:
        """The span list highlights a span's row (None: none), once the list is made."""
        if self.table is None:
            return
        from factmark.ui.panels.table_view import select_no_row, select_row

        row = self.model.row_of(span_id) if span_id is not None else -1
        selection = self.table.selectionModel()
        selection.blockSignals(True)
        if row >= 0:
            select_row(self.table, self.model.index(row, 0))
        else:
            select_no_row(self.table)
        selection.blockSignals(False)
        # With its signals held back the list is not told to repaint: it would go on
        # showing the row selected before (a selection the user no longer has).
        self.table.viewport().update()

    def _show_details(self, span: Span | None) -> None:
        text = self.view.text[span.start : span.end] if span else ""
        self.later("details", lambda: self._details_of(span, text))

    def _details_of(self, span: Span | None, text: str) -> None:
        if self.details is None:
            return  # the details are not made yet: they show the selection once made
        self.details.show_span(span, text)
        origin = None
        if span is not None and span.id is not None:
            # Copies and their checks: loaded when a span is first shown, not at start.
            from factmark.core.copies import describe_origin

            origin = describe_origin(self.session.project, span.id)
        self.details.show_origin(origin)
        self.details_shown.emit(span, text)

    def clicked(self, span_id: int | None) -> None:
        """A span clicked (or Ctrl+clicked) in the article: select it (None: plain text,
        deselect)."""
        self.select(span_id)

    def describe(self, span: Span) -> str:
        """The status bar's words for a selected span (and the spans it is nested in).

        A span on exactly the same text (its gold copy, another annotator's) is neither
        around nor inside it: it is named once, by its layer ("also in gold")."""
        line = f"Selected: {self.name(span)}"
        edges = (span.start, span.end)
        enclosing = self.view.enclosing(span)  # those on the same text first: shortest
        same = [s for s in enclosing if (s.start, s.end) == edges]
        around = [s for s in enclosing if (s.start, s.end) != edges]
        inside = [s for s in self.view.inside(span) if (s.start, s.end) != edges]
        if same:
            line += f" ({also(span, same)})"
        if around:
            line += f", inside {self.name(around[0])}"
        if inside:
            line += f", holding {self.name(inside[0])}" + (
                f" and {len(inside) - 1} more" if len(inside) > 1 else ""
            )
        if same:  # Ctrl+click takes the innermost span around it: one on the same text
            return line + f" — Ctrl+click selects the {same[0].label} {layer(same[0])}."
        if around:
            return line + f" — Ctrl+click selects the {around[0].label} around it."
        if inside:
            return line + " — a click selects the innermost span."
        return line + "."

    def name(self, span: Span) -> str:
        """A span's label and its text, cut short: claim “lost around 500…”."""
        return span_name(self.view.text, span)

    def step(self, step: int, among: Callable[[Span], bool] | None = None) -> None:
        """Select the next (+1) or previous (-1) span in text order, from the selected
        span or else from the text cursor, and scroll it into view; with ``among``, the
        next span it takes (while linking: the spans a link from the source can reach)."""
        spans = self.model.spans
        if not spans:
            self.tell("This document has no spans yet.")
            return
        row = self.model.row_of(self.view.selected_span_id)
        if row < 0:
            cursor = self.view.cursor_offset()
            after = [n for n, s in enumerate(spans) if s.start >= cursor]
            before = [n for n, s in enumerate(spans) if s.start < cursor]
            rows = after + before[::-1] if step > 0 else before[::-1] + after
            if among is None:
                rows = [(after[:1] or [len(spans) - 1])[0] if step > 0 else (before[-1:] or [0])[0]]
        else:
            rows = list(range(row + 1, len(spans))) if step > 0 else list(range(row - 1, -1, -1))
            if among is None:
                rows = [max(0, min(len(spans) - 1, row + step))]
        chosen = next((n for n in rows if among is None or among(spans[n])), None)
        if chosen is None:
            where = "after" if step > 0 else "before"
            self.tell(f"No span to link with {where} this one.")
            return
        self.view.clear_selection()
        self.select(spans[chosen].id)
        self.view.select_span(spans[chosen].id)

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        span_id = self.model.data(current, Qt.ItemDataRole.UserRole)
        if span_id is not None:
            self.select(int(span_id))
            self.view.select_span(int(span_id))  # scrolled into the article's view

    def _article_menu(self, point: QPoint) -> None:
        """Right-click: label the selection, or relabel / delete the span under the mouse
        (selected first, as a click selects it: the menu and the keys act on it)."""
        view = self.view
        has_selection = view.textCursor().hasSelection()
        under = view.spans_at(view.offset_at(point))
        if not has_selection and under and view.selected_span_id not in {s.id for s in under}:
            self.select(under[0].id)
        menu = self.context_menu(has_selection, view.selected_span_id is not None)
        menu.exec(view.viewport().mapToGlobal(point))


def span_name(text: str, span: Span) -> str:
    """A span's label and its text (of the document ``text``), cut short:
    claim “lost around 500…”."""
    words = " ".join(text[span.start : span.end].split())
    if len(words) > 32:
        words = words[:31].rstrip() + "…"
    return f"{span.label} “{words}”"


def layer(span: Span) -> str:
    """Whose a span is, in a few words: "in gold", "by olena", "by an unnamed annotator"."""
    if span.annotator == GOLD:
        return "in gold"
    return f"by {span.annotator}" if span.annotator else "by an unnamed annotator"


def also(span: Span, same: list[Span]) -> str:
    """The other spans on exactly the text of ``span``: "also in gold", "also source by
    olena and 1 more" (their label named when it is not the span's)."""
    first = same[0]
    kind = "" if first.label == span.label else f"{first.label} "
    more = f" and {len(same) - 1} more" if len(same) > 1 else ""
    return f"also {kind}{layer(first)}{more}"


def _shape(span: Span) -> tuple[int, int, str]:
    """What the status bar says of a span: its edges and label."""
    return span.start, span.end, span.label
