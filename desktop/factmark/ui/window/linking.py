"""Linking: a span linked to another (R, then a click or Enter), and the links of the
document shown, in the relations panel and the article's link strip."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMenu

from factmark.core.changes import ChangeSet
from factmark.core.model import Document, Relation
from factmark.ui.article.article_view import ArticleView
from factmark.ui.panels.relations_panel import RelationsPanel
from factmark.ui.window.annotation import Annotation
from factmark.ui.window.selection import SpanSelection
from factmark.ui.window.session import Session


class Linking(QObject):
    """The link being made (from ``source`` while linking) and the links shown."""

    def __init__(
        self,
        session: Session,
        view: ArticleView,
        annotation: Annotation,
        selection: SpanSelection,
        panel: RelationsPanel,
        tell: Callable[[str, int], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.view = view
        self.annotation = annotation
        self.selection = selection
        self.panel = panel
        self.tell = tell
        self.source: int | None = None  # the span a link starts at, while linking
        self.relations: list[Relation] = []
        session.document_shown.connect(self._shown)
        session.changed.connect(self._changed)
        view.span_clicked.connect(self._span_clicked)
        panel.relation_chosen.connect(self._relation_chosen)
        panel.delete_requested.connect(annotation.delete_relation)

    @property
    def active(self) -> bool:
        return self.source is not None

    def start(self) -> None:
        """R: link the selected span to the next span clicked (or chosen, then Enter)."""
        if self.view.selected_span_id is None:
            self.tell("Select a span first (click it), then press R to link it.", 8000)
            return
        self.source = self.view.selected_span_id
        self.view.set_linking(self.source)
        self.tell(
            "Linking: click the span to link with, or choose it with Alt+Down and press "
            "Enter. Escape cancels.",
            0,
        )

    def cancel(self) -> None:
        self.source = None
        self.view.set_linking(None)

    def finish(self, target: int | None = None) -> None:
        """Link the span linking started at with ``target`` (default: the selected span)."""
        start, self.source = self.source, None
        self.view.set_linking(None)
        target = target if target is not None else self.view.selected_span_id
        first, second = self.view.span(start), self.view.span(target)
        if first is None or second is None or target == start:
            # The span linking started at may have been deleted (or undone) meanwhile.
            self.tell("Link cancelled: choose another span to link with.", 8000)
            return
        self.selection.select(target)  # named as selected, no longer "Link to …?"
        kinds = self.session.project.relation_types()
        obvious = _obvious({first.label, second.label}, kinds)
        kind = None
        if not obvious and len(kinds) > 1:
            kind = self._choose_type(kinds)
            if kind is None:
                self.tell("Link cancelled.", 8000)
                return
        self.annotation.link(first.id or 0, second.id or 0, kinds, kind)

    def step(self, step: int) -> None:
        """Alt+Down / Alt+Up while linking: the next span the link can go to by its labels
        alone (a claim for a source, number or location; those for a claim), any span
        when the source's label implies no link type."""
        source = self.view.span(self.source)
        kinds = self.session.project.relation_types()
        if source is None:
            self.selection.step(step)
            return
        reachable = [label for label in PARTNERS if _obvious({source.label, label}, kinds)]
        if not reachable:
            self.selection.step(step)
            return
        self.selection.step(step, lambda span: span.id != source.id and span.label in reachable)

    def _choose_type(self, kinds: list[str]) -> str | None:
        """Ask which kind of link, at the text cursor (labels alone do not tell)."""
        menu = QMenu(self.view)
        menu.setObjectName("relationTypeMenu")
        for kind in kinds:
            menu.addAction(kind).setData(kind)
        rect = self.view.cursorRect()
        chosen = menu.exec(self.view.viewport().mapToGlobal(rect.bottomLeft()))
        return str(chosen.data()) if chosen is not None else None

    def _span_clicked(self, span_id: int | None) -> None:
        if self.source is not None and span_id is not None:
            self.selection.select(span_id)
            self.finish(span_id)
        else:
            self.selection.clicked(span_id)

    def _relation_chosen(self, relation_id: int) -> None:
        relation = next((r for r in self.relations if r.id == relation_id), None)
        if relation is not None:
            self.selection.select(relation.head_span_id)
            self.view.select_span(relation.head_span_id)

    def _shown(self, _document: Document | None) -> None:
        self.cancel()
        self.refresh()

    def _changed(self, changes: ChangeSet) -> None:
        if self.source is not None and self.view.span(self.source) is None:
            self.cancel()  # its span is gone
            self.tell("Link cancelled: the span it started at is gone.", 8000)
        document_id = self.session.document_id
        if changes.relations_changed(document_id) or changes.documents_reloaded:
            self.refresh()
        elif self.relations and changes.spans_in(document_id):
            self._show()  # spans moved: the link strip follows them

    def refresh(self) -> None:
        """Read the document's links again and show them."""
        document_id = self.session.document_id
        self.relations = self.session.project.relations(document_id) if document_id else []
        self._show()

    def _show(self) -> None:
        span = self.view.span  # the shown spans by id
        self.panel.show_relations(self.relations, span, self.view.text)
        links = [(span(r.head_span_id), span(r.child_span_id), r.label) for r in self.relations]
        self.view.set_links([(head, child, kind) for head, child, kind in links if head and child])


# The labels links are obvious between.
PARTNERS = ("claim", "source", "number", "location", "cue")


def _obvious(labels: set[str], kinds: list[str]) -> bool:
    """Whether two spans' labels alone say which link joins them. The labels decide only
    while the project has that type (it may have been renamed or removed); otherwise the
    user is asked."""
    return (
        (labels == {"source", "claim"} and "attributed_to" in kinds)
        or (labels == {"cue", "claim"} and "cue_of" in kinds)
        or bool("claim" in labels and labels & {"number", "location"} and "part_of" in kinds)
    )
