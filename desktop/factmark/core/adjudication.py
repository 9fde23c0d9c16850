"""Adjudication into the gold layer: the edits that accepting (G) and rejecting (X) a
span make, each one undo step.

The gold layer is the spans whose annotator is ``gold``. An annotator's span accepted
into it has a *gold copy*: a gold span on exactly its text, with its label. Accepting
marks the span ``review: accepted`` and adds the copy when the gold layer has none;
rejecting marks it ``review: rejected`` and takes the copy out again, as a curation tool
does (INCEpTION's curation: accepting copies into the curated document, rejecting
removes that copy). Rejecting a gold span itself takes it out of the gold layer.
Whenever rejecting takes a gold copy out, the spans on its text with its label that
were marked accepted are marked rejected too: they were accepted into that copy.

The copy carries what the lead accepted: the span's note and attributes (verdict,
checkworthy, ...; not the ``review`` mark, which is about the annotator's span). A link of
the accepted span to a span that is in gold (has a gold copy) is made between the two
gold spans when the second end is accepted, with its note and attributes; a link that
is there already is not made twice. Taking a gold span out takes its links with it (a
deletion does). The copy is the lead's from then on: the annotator's span changed later
(its verdict, its note) changes nothing in gold, and accepting a span whose gold copy is
there already leaves the copy's attributes as they are (it may add missing links).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from factmark.core.model import ACCEPTED, GOLD, REJECTED, REVIEW, Relation, Span
from factmark.core.operations import AddSpan, Compound, DeleteSpan, Operation, UpdateSpan
from factmark.core.project import Project
from factmark.core.records import record


@dataclass(frozen=True)
class Verdict:
    """What accepting or rejecting one span does: its edit (None when the span is
    already as the verdict wants it), whether the gold layer gains or loses the copy,
    and the other annotators whose spans on that text are marked rejected with it."""

    edit: Compound | None
    added_to_gold: bool = False
    removed_from_gold: bool = False
    also_rejected: tuple[str, ...] = ()


def accept(
    document_id: int, span: Span, spans: Iterable[Span], relations: Iterable[Relation] = ()
) -> Verdict:
    """Accept an annotator's ``span`` into the gold layer (``spans`` and ``relations``:
    the document's): its gold copy with its note and attributes, and its links to spans
    in gold as links between the gold spans.

    A gold span cannot be accepted (it is in the gold layer): ValueError."""
    if span.annotator == GOLD:
        raise ValueError("a gold span is in the gold layer already")
    spans = list(spans)
    copy = gold_copy(span, spans)
    parts: list[Operation] = []
    added: AddSpan | None = None
    if copy is None:
        attrs = {k: v for k, v in span.attrs.items() if k != REVIEW}
        added = AddSpan(
            document_id, span.start, span.end, span.label, GOLD, note=span.note, attrs=attrs
        )
        parts.append(added)
    links = _gold_links(span, copy, spans, list(relations))
    if links:
        target: AddSpan | int = added if added is not None else (copy.id if copy else 0) or 0
        parts.append(GoldLinks(document_id, target, links))
    if span.attrs.get(REVIEW) != ACCEPTED:
        parts.append(_marked(document_id, span, ACCEPTED))
    edit = Compound(document_id, parts, f"Accept {span.label} into gold") if parts else None
    return Verdict(edit, added_to_gold=copy is None)


def reject(document_id: int, span: Span, spans: Iterable[Span]) -> Verdict:
    """Reject ``span``: an annotator's is marked rejected and its gold copy, if any, taken
    out; a gold span is taken out of the gold layer. With the copy go the acceptances
    of the spans it stood for (``spans``: the document's)."""
    spans = list(spans)
    copy = span if span.annotator == GOLD else gold_copy(span, spans)
    marked = [span] if span.annotator != GOLD and span.attrs.get(REVIEW) != REJECTED else []
    others = []
    if copy is not None:
        others = [
            s
            for s in spans
            if _same(s, copy)
            and s.id != span.id
            and s.annotator != GOLD
            and s.attrs.get(REVIEW) == ACCEPTED
        ]
    parts: list[Operation] = [_marked(document_id, s, REJECTED) for s in marked + others]
    if copy is not None:
        parts.append(DeleteSpan(document_id, copy.id or 0))
    if not parts:
        return Verdict(None)
    if span.annotator == GOLD:
        text = f"Take {span.label} out of gold"
    elif copy is not None:
        text = f"Reject {span.label} and its gold copy"
    else:
        text = f"Reject {span.label}"
    return Verdict(
        Compound(document_id, parts, text),
        removed_from_gold=copy is not None,
        also_rejected=tuple(s.annotator or "" for s in others),
    )


def gold_copy(span: Span, spans: Iterable[Span]) -> Span | None:
    """The gold span on exactly the text of ``span``, with its label (None: none)."""
    return next((s for s in spans if s.annotator == GOLD and _same(s, span)), None)


def _same(a: Span, b: Span) -> bool:
    return (a.start, a.end, a.label) == (b.start, b.end, b.label)


def _marked(document_id: int, span: Span, verdict: str) -> UpdateSpan:
    return UpdateSpan(document_id, span.id or 0, {"attrs": {**span.attrs, REVIEW: verdict}})


@record(frozen=True)
class GoldLink:
    """A link to make in gold between the accepted span's gold copy and the gold span
    ``other`` (the copy its head when ``copy_is_head``), as the annotator's link was."""

    other: int
    copy_is_head: bool
    label: str
    note: str | None = None
    attrs: dict[str, Any] | None = None


def _gold_links(
    span: Span, copy: Span | None, spans: list[Span], relations: list[Relation]
) -> tuple[GoldLink, ...]:
    """The links of ``span`` whose other end is in gold, as links of its gold copy
    (``copy``, None while it is not made yet), those gold has already left out."""
    by_id = {s.id: s for s in spans}
    have = {(r.head_span_id, r.child_span_id, r.label) for r in relations}
    links: dict[tuple[int, bool, str], GoldLink] = {}
    for relation in relations:
        if span.id not in (relation.head_span_id, relation.child_span_id):
            continue
        copy_is_head = relation.head_span_id == span.id
        other_end = by_id.get(relation.child_span_id if copy_is_head else relation.head_span_id)
        other = gold_copy(other_end, spans) if other_end is not None else None
        if other is None or other.id is None or (copy is not None and other.id == copy.id):
            continue  # the other end is not in gold (or is this very copy)
        if copy is not None and copy.id is not None:
            pair = (copy.id, other.id) if copy_is_head else (other.id, copy.id)
            if (*pair, relation.label) in have:
                continue
        key = (other.id, copy_is_head, relation.label)
        links.setdefault(
            key, GoldLink(other.id, copy_is_head, relation.label, relation.note, relation.attrs)
        )
    return tuple(links.values())


@record(eq=False, repr=False)
class GoldLinks(Operation):
    """Link a gold copy to other gold spans (``copy``: its id, or the edit that adds it,
    applied before this one); redo makes the links again under the same ids."""

    document_id: int
    copy: AddSpan | int
    links: tuple[GoldLink, ...]
    _ids: list[int] | None = None
    _type_ids: list[int] | None = None

    @property
    def description(self) -> str:  # type: ignore[override]
        return "Link in gold"

    def _apply(self, project: Project) -> None:
        copy = self.copy if isinstance(self.copy, int) else self.copy.span_id or 0
        ids, type_ids = [], []
        for n, link in enumerate(self.links):
            label = link.label
            if self._type_ids is not None:  # renamed since: the type's name now
                label = project.relation_type_name(self._type_ids[n])
            head, child = (copy, link.other) if link.copy_is_head else (link.other, copy)
            made = project.add_relation(
                head, child, label, self._ids[n] if self._ids else None, link.note, link.attrs
            )
            ids.append(made.id or 0)
            type_ids.append(project.relation_type_id(label))
        self._ids, self._type_ids = ids, type_ids

    def _revert(self, project: Project) -> None:
        for relation_id in reversed(self._ids or []):
            project.delete_relation(relation_id)


def disputed_span(entry: dict[str, Any], spans: Iterable[Span]) -> Span | None:
    """The span a disagreement of View > Agreement (``entry``, as ``factmark agree``
    lists them) opens on: the disputed span of the first annotator in its versions who
    made one there (a span disagreement: of its label; an attribute's: of the label it
    belongs to), the outermost first; None when none is there (edited since)."""
    start, end = entry["start"], entry["end"]
    label = {"span": entry.get("label"), "attribute": entry.get("span_label")}.get(
        entry.get("kind", "")
    )
    inside = [
        s
        for s in spans
        if s.annotator != GOLD
        and start <= s.start
        and s.end <= end
        and (label is None or s.label == label)
    ]
    inside.sort(key=lambda s: (s.start, -s.end, s.id or 0))
    for name in entry.get("versions", {}):
        mine = [s for s in inside if (s.annotator or "") == name]
        if mine:
            return mine[0]
    return None
