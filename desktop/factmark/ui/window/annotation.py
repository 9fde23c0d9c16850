"""Editing spans from the article view: labelling, relabelling, deleting, resizing.

Every edit is a core operation performed through the session: applied (and committed)
as one undo step; the views repaint when the session broadcasts the change.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Concatenate, ParamSpec, TypeVar

from PySide6.QtCore import QObject, Signal

from factmark.core.cue_names import CUE, CUE_OF, VOICE, is_outlet_voice
from factmark.core.model import ACCEPTED, GOLD
from factmark.core.operations import (
    AddRelation,
    AddSpan,
    Compound,
    DeleteRelation,
    DeleteSpan,
    Operation,
    SetDocumentMeta,
    SetStatus,
    UpdateSpan,
)
from factmark.core.selection import next_word_edge, span_range, trim, word_at
from factmark.ui.article.article_view import ArticleView
from factmark.ui.window.selection import span_name
from factmark.ui.window.session import Session

GROW, SHRINK = 1, -1
START, END = "start", "end"

_P = ParamSpec("_P")
_R = TypeVar("_R")


def painted_once(
    method: Callable[Concatenate[Annotation, _P], _R],
) -> Callable[Concatenate[Annotation, _P], _R]:
    """An edit that changes spans and then selects one repaints each paragraph it touched
    once, when it is done (not once for the change and again for the selection)."""

    def wrapper(self: Annotation, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        with self.view.painter.held():
            return method(self, *args, **kwargs)

    return wrapper


class Annotation(QObject):
    """The span edits of one window, over its session and article view."""

    span_selected = Signal(object)  # span id or None, after an edit chose it
    told = Signal(str)  # what an edit did, for the status bar

    def __init__(
        self,
        session: Session,
        view: ArticleView,
        annotator: Callable[[], str],
        snap: Callable[[], bool],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.view = view
        self.annotator = annotator
        self.snap = snap
        view.snap_words = snap  # a dragged edge snaps (and is previewed) as selections do

    @property
    def document_id(self) -> int | None:
        return self.session.document_id

    def failed(self, message: str) -> None:
        self.session.problem.emit(message)

    def perform(self, operation: Operation) -> bool:
        """Apply an operation as one undo step (False, with a message, when it fails)."""
        return self.session.perform(operation, self)

    # -- labelling -----------------------------------------------------------

    @painted_once
    def label(self, name: str) -> None:
        """Label the selection (or the word at the cursor) as ``name``; with no
        selection but a selected span, relabel that span instead."""
        if self.document_id is None:
            return
        selected = self.view.selected_range()
        if selected is None and self.view.selected_span_id is not None:
            self.relabel(self.view.selected_span_id, name)
            return
        if selected is None:
            found = word_at(self.view.text, self.view.cursor_offset())
            if found is None:
                self.failed("Select some text first, then press a label key.")
                return
            selected = found
        chosen = span_range(self.view.text, *selected, snap=self.snap())
        if chosen is None:
            self.failed("The selection holds only spaces; nothing to label.")
            return
        start, end = chosen
        existing = self.view.index.find(start, end, name)
        self.view.clear_selection()
        if existing is not None:
            self.span_selected.emit(existing.id)
            return
        operation = AddSpan(self.document_id, start, end, name, self.annotator())
        if self.perform(operation):
            self.span_selected.emit(operation.span_id)

    @painted_once
    def relabel(self, span_id: int, name: str) -> None:
        span = self.view.span(span_id)
        if span is None or span.label == name or self.document_id is None:
            return
        self.perform(UpdateSpan(self.document_id, span_id, {"label": name}))
        self.span_selected.emit(span_id)

    @painted_once
    def delete_selected(self) -> bool:
        """Delete the selected span; False (with a message) when none was deleted."""
        span_id = self.view.selected_span_id
        if span_id is None or self.document_id is None:
            self.failed("Click a span first to select it, then press Delete.")
            return False
        if not self.perform(DeleteSpan(self.document_id, span_id)):
            return False
        self.span_selected.emit(None)
        return True

    @painted_once
    def resize_selected(self, edge: str, change: int) -> None:
        """Grow or shrink the selected span at one edge by a word, or by a punctuation mark
        or quote on its own (by a character when word snapping is off)."""
        span = self.view.span(self.view.selected_span_id)
        if span is None or self.document_id is None:
            self.failed("Click a span first to select it, then resize it.")
            return
        text = self.view.text
        outward = -1 if edge == START else 1
        direction = outward * change
        point = span.start if edge == START else span.end
        moved = (
            next_word_edge(text, point, direction)
            if self.snap()
            else max(0, min(len(text), point + direction))
        )
        start, end = (moved, span.end) if edge == START else (span.start, moved)
        start, end = trim(text, start, end)
        if start >= end or (start, end) == (span.start, span.end):
            return
        self.perform(UpdateSpan(self.document_id, span.id or 0, {"start": start, "end": end}))
        self.span_selected.emit(span.id)

    @painted_once
    def resize_to(self, span_id: int, start: int, end: int) -> None:
        """Give a span new edges (an edge dragged with the mouse), trimmed of spaces."""
        span = self.view.span(span_id)
        if span is None or self.document_id is None:
            return
        start, end = trim(self.view.text, start, end)
        if start >= end:
            self.failed("A span cannot be empty; drag its edge less far.")
            return
        if (start, end) != (span.start, span.end):
            self.perform(UpdateSpan(self.document_id, span_id, {"start": start, "end": end}))
        self.span_selected.emit(span_id)

    # -- adjudication ------------------------------------------------------------

    @painted_once
    def review_selected(self, verdict: str, reviewing: bool = True) -> None:
        """Adjudicate the selected span (see core.adjudication): ``accepted`` copies an
        annotator's span into the gold layer, ``rejected`` leaves it out and takes its
        gold copy out again (a gold span: out of the gold layer). One undo step; the
        status bar says what was done. Outside review mode (``reviewing`` False) the
        keys change nothing: a G or X typed into the article by mistake makes no gold."""
        if not reviewing:
            self.failed(
                "G accepts into gold and X rejects in review mode (View > Review mode, F6); "
                "nothing changed."
            )
            return
        span = self.view.span(self.view.selected_span_id)
        if span is None or self.document_id is None:
            self.failed("Select an annotator's span first (click it or Alt+Down).")
            return
        name = span_name(self.view.text, span)
        if verdict == ACCEPTED and span.annotator == GOLD:
            self.failed(f"{name} is in the gold layer already; X takes it out.")
            return
        from factmark.core import adjudication  # at the first G or X: not on the start path

        spans = self.session.project.spans(self.document_id)
        if verdict == ACCEPTED:
            relations = self.session.project.relations(self.document_id)
            done = adjudication.accept(self.document_id, span, spans, relations)
        else:
            done = adjudication.reject(self.document_id, span, spans)
        if done.edit is None:
            self.told.emit(f"Nothing to change: {name} is {verdict} already.")
            return
        if not self.perform(done.edit):
            return
        if verdict == ACCEPTED:
            there = "" if done.added_to_gold else " (its gold copy was there already)"
            self.told.emit(f"Accepted into gold: {name}{there}.")
            return
        if span.annotator == GOLD:
            said = f"Rejected: {name} (removed from gold)"
        else:
            said = f"Rejected: {name}" + (" (removed from gold)" if done.removed_from_gold else "")
        if done.also_rejected:
            too = "" if span.annotator == GOLD else " too"
            said += f"; the same span by {', '.join(done.also_rejected)} marked rejected{too}"
        self.told.emit(said + ".")

    # -- links, notes, attributes -------------------------------------------------

    def link(self, first: int, second: int, kinds: list[str], kind: str | None = None) -> None:
        """Link two spans, choosing the type and direction from their labels:
        a source is attributed_to the claim; a cue is cue_of it; a number or location is
        part_of it; otherwise ``kind`` (or the first relation type), from the first span to
        the second. A claim marked as the outlet's own voice loses the mark when a source
        is linked to it (in the same undo step)."""
        a, b = self.view.span(first), self.view.span(second)
        if a is None or b is None or self.document_id is None:
            return
        pair = {a.label, b.label}
        if pair == {"source", "claim"} and "attributed_to" in kinds:
            kind, head, child = "attributed_to", *((a, b) if a.label == "source" else (b, a))
        elif pair == {CUE, "claim"} and CUE_OF in kinds:
            kind, head, child = CUE_OF, *((a, b) if a.label == CUE else (b, a))
        elif "claim" in pair and pair & {"number", "location"} and "part_of" in kinds:
            kind, head, child = "part_of", *((a, b) if b.label == "claim" else (b, a))
        elif kinds:
            kind, head, child = (kind if kind in kinds else kinds[0]), a, b
        else:
            self.failed("The project has no relation types to link with.")
            return
        if any(
            r.head_span_id == head.id and r.child_span_id == child.id and r.label == kind
            for r in self.session.project.relations(self.document_id)
        ):
            self.failed("These spans are linked already.")
            return
        link = AddRelation(self.document_id, head.id or 0, child.id or 0, kind)
        if kind == "attributed_to" and is_outlet_voice(child.attrs):
            attrs = {k: v for k, v in child.attrs.items() if k != VOICE}
            unmark = UpdateSpan(self.document_id, child.id or 0, {"attrs": attrs})
            if self.perform(Compound(self.document_id, [link, unmark], link.description)):
                self.failed("The claim has a source now: it is no longer the outlet's own voice.")
            return
        self.perform(link)

    def delete_relation(self, relation_id: int) -> None:
        if self.document_id is not None:
            self.perform(DeleteRelation(self.document_id, relation_id))

    def set_note(self, span_id: int, note: str) -> None:
        if self.document_id is not None:
            self.perform(UpdateSpan(self.document_id, span_id, {"note": note or None}))

    def set_attribute(self, span_id: int, name: str, value: str) -> None:
        """Set (or with "" clear) one attribute of a span."""
        self.set_attributes(span_id, {name: value})

    def set_attributes(self, span_id: int, values: dict[str, str]) -> bool:
        """Set (or with "" clear) attributes of a span, in one undo step; False when
        nothing changed."""
        span = self.view.span(span_id)
        if span is None or self.document_id is None:
            return False
        attrs = dict(span.attrs)
        for name, value in values.items():
            if value:
                attrs[name] = value
            else:
                attrs.pop(name, None)
        if attrs == span.attrs:
            return False
        return self.perform(UpdateSpan(self.document_id, span_id, {"attrs": attrs}))

    def set_attribute_of_selected(self, label: str, name: str, value: str) -> bool:
        """An attribute key: applies to the selected span when it has that attribute;
        False when nothing changed (with a message when no such span is selected)."""
        span = self.view.span(self.view.selected_span_id)
        if span is None or span.label != label:
            self.failed(f"Select a {label} span first; {name} belongs to {label} spans.")
            return False
        return self.set_attributes(span.id or 0, {name: value})

    def set_document_meta(self, document_id: int, meta: dict) -> None:  # type: ignore[type-arg]
        self.perform(SetDocumentMeta(document_id, meta))

    # -- document status -----------------------------------------------------

    def set_status(self, status: str) -> bool:
        if self.document_id is None:
            return False
        return self.perform(SetStatus(self.document_id, status))
