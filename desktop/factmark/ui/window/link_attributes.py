"""A link's attributes and note in the window: the link in focus, the keys that set its
attributes, and the quote proposed from the claim's quotation marks.

The link in focus is the one chosen in the Links list, else the only link of the selected
span that has attributes (a source with one claim, a claim with one source); its row is
the current row of the Links list and the Link box in the details panel names it, so a
key never acts on a link out of sight. With several such links the keys say to choose one
in the list. The ``quote`` proposed for an ``attributed_to`` link with none is shown in the
Link box and under the link's row, never stored until accepted (Shift+Alt+W) or replaced
by a value set with its key (see :mod:`factmark.core.quotes`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject

from factmark.core.actions import spec
from factmark.core.changes import ChangeSet
from factmark.core.model import Document, Relation, Span
from factmark.core.operations import UpdateRelation
from factmark.core.quotes import QUOTE, proposed_quotes
from factmark.ui.article.article_view import ArticleView
from factmark.ui.panels.link_box import LinkBox
from factmark.ui.panels.relations_panel import RelationsPanel
from factmark.ui.window.annotation import Annotation
from factmark.ui.window.linking import Linking
from factmark.ui.window.session import Session


def _short(text: str, limit: int = 50) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


class LinkAttributes(QObject):
    """The link in focus, its box, and the link keys."""

    def __init__(
        self,
        session: Session,
        view: ArticleView,
        annotation: Annotation,
        linking: Linking,
        panel: RelationsPanel,
        box: LinkBox,
        tell: Callable[[str], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.view = view
        self.annotation = annotation
        self.linking = linking
        self.panel = panel
        self.box = box
        self.tell = tell
        self.focus: int | None = None  # the relation id the keys act on
        self.chosen: int | None = None  # the link last chosen in the Links list
        self.proposals: dict[int, str] = {}
        self._definitions: dict[str, list[dict[str, Any]]] | None = None
        session.project_opened.connect(self._opened)
        # After Linking's own handlers (made before this part): the links are read by then.
        session.document_shown.connect(self._shown)
        session.changed.connect(self._changed)
        panel.relation_chosen.connect(self._chosen)
        box.note_edited.connect(self.set_note)
        box.attribute_chosen.connect(self.set_attribute)

    # -- which link -------------------------------------------------------------------

    def definitions(self) -> dict[str, list[dict[str, Any]]]:
        """The project's link attributes by link type (read once, again when changed)."""
        if self._definitions is None:
            self._definitions = self.session.project.link_attribute_definitions()
        return self._definitions

    def _opened(self, _project: object) -> None:
        self._definitions = None
        self.refresh()

    def _shown(self, _document: Document | None) -> None:
        self.focus = self.chosen = None
        self.refresh()

    def _changed(self, changes: ChangeSet) -> None:
        document_id = self.session.document_id
        if changes.settings:
            self._definitions = None
        if (
            changes.relations_changed(document_id)
            or (self.linking.relations and changes.spans_in(document_id))
            or changes.documents_reloaded
            or changes.settings
        ):
            self.refresh()

    def _chosen(self, relation_id: int) -> None:
        self.chosen = relation_id
        self.refresh()
        self.box.bring_into_view()  # a link chosen in the list: its box, not the span's

    def span_selected(self, span: Span | None, _text: str = "") -> None:
        """The selected span changed: its link comes into focus."""
        if span is None or self.chosen not in self._links_of(span.id):
            self.chosen = None
        self.refresh()

    def _links_of(self, span_id: int | None) -> list[int]:
        return [
            r.id or 0
            for r in self.linking.relations
            if span_id is not None and span_id in (r.head_span_id, r.child_span_id)
        ]

    def _candidates(self) -> list[Relation]:
        """The selected span's links whose type has attributes."""
        selected = self.view.selected_span_id
        definitions = self.definitions()
        return [
            r
            for r in self.linking.relations
            if selected is not None
            and selected in (r.head_span_id, r.child_span_id)
            and r.label in definitions
        ]

    def relation(self, relation_id: int | None) -> Relation | None:
        return next((r for r in self.linking.relations if r.id == relation_id), None)

    def refresh(self) -> None:
        """Work out the link in focus and the proposals again, and show them."""
        relations = self.linking.relations
        spans = {span.id or 0: span for span in self.view.spans}
        definitions = self.definitions()
        self.proposals = proposed_quotes(self.view.text, spans, relations, definitions)
        if self.relation(self.chosen) is not None:
            self.focus = self.chosen
        else:
            self.chosen = None
            candidates = self._candidates()
            self.focus = candidates[0].id if len(candidates) == 1 else None
        key = spec("acceptQuote").keys[0]
        self.panel.show_link_details(self.proposals, key)
        self.panel.mark_focus(self.focus)
        focused = self.relation(self.focus)
        proposal = self.proposals.get(self.focus or 0)
        self.box.show_link(
            focused,
            self.describe(focused) if focused is not None else "",
            definitions.get(focused.label, []) if focused is not None else [],
            (QUOTE, proposal) if proposal is not None else None,
            key,
        )

    def describe(self, relation: Relation) -> str:
        span, text = self.view.span, self.view.text
        head, child = span(relation.head_span_id), span(relation.child_span_id)
        if head is None or child is None:
            return relation.label
        return (
            f"{head.label} “{_short(text[head.start : head.end])}” → {relation.label} → "
            f"{child.label} “{_short(text[child.start : child.end])}”"
        )

    def _target(self, kind: str | None = None) -> Relation | None:
        """The link the keys act on, or None after saying what to select."""
        focused = self.relation(self.focus)
        if focused is not None and (kind is None or focused.label == kind):
            return focused
        several = len(self._candidates()) > 1
        what = f"an {kind} link" if kind else "a link"
        self.tell(
            "The selected span has several links: choose one in the Links list first."
            if several
            else f"Select a span with {what} (a source or its claim), or choose the link in "
            "the Links list first."
        )
        return None

    # -- edits ------------------------------------------------------------------------

    def set_attribute(self, relation_id: int, name: str, value: str) -> bool:
        """Set (or with "" clear) one attribute of a link, one undo step."""
        relation = self.relation(relation_id)
        document_id = self.session.document_id
        if relation is None or document_id is None:
            return False
        attrs = dict(relation.attrs)
        if value:
            attrs[name] = value
        else:
            attrs.pop(name, None)
        if attrs == relation.attrs:
            return False
        return self.annotation.perform(UpdateRelation(document_id, relation_id, {"attrs": attrs}))

    def set_note(self, relation_id: int, note: str) -> None:
        document_id = self.session.document_id
        if document_id is not None and self.relation(relation_id) is not None:
            self.annotation.perform(
                UpdateRelation(document_id, relation_id, {"note": note or None})
            )

    def set_by_key(self, kind: str, name: str, value: str) -> None:
        """A link attribute key (Shift+Alt+Q / I / X for quote): sets the value on the link
        in focus."""
        relation = self._target(kind)
        if relation is None or relation.id is None:
            return
        if self.set_attribute(relation.id, name, value):
            self.tell(f"{name}: {value}, on the link {self.describe(relation)}.")

    def accept(self) -> None:
        """Shift+Alt+W: store the quote proposed for the link in focus."""
        relation = self._target()
        if relation is None or relation.id is None:
            return
        value = self.proposals.get(relation.id)
        if value is None:
            self.tell(
                f"No quote proposed for this link: it has one ({relation.attrs[QUOTE]})."
                if relation.attrs.get(QUOTE)
                else "No quote proposed for this link (quotes are proposed for attributed_to "
                "links); set one with its key."
            )
            return
        if self.set_attribute(relation.id, QUOTE, value):
            self.tell(f"quote: {value} accepted, on the link {self.describe(relation)}.")

    def stop(self) -> None:
        self.box.stop()
