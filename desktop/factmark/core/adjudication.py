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
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from factmark.core.model import GOLD, Span
from factmark.core.operations import AddSpan, Compound, DeleteSpan, Operation, UpdateSpan

REVIEW = "review"  # the attribute holding a span's verdict
ACCEPTED, REJECTED = "accepted", "rejected"


@dataclass(frozen=True)
class Verdict:
    """What accepting or rejecting one span does: its edit (None when the span is
    already as the verdict wants it), whether the gold layer gains or loses the copy,
    and the other annotators whose spans on that text are marked rejected with it."""

    edit: Compound | None
    added_to_gold: bool = False
    removed_from_gold: bool = False
    also_rejected: tuple[str, ...] = ()


def accept(document_id: int, span: Span, spans: Iterable[Span]) -> Verdict:
    """Accept an annotator's ``span`` into the gold layer (``spans``: the document's).

    A gold span cannot be accepted (it is in the gold layer): ValueError."""
    if span.annotator == GOLD:
        raise ValueError("a gold span is in the gold layer already")
    copy = gold_copy(span, spans)
    parts: list[Operation] = []
    if copy is None:
        parts.append(AddSpan(document_id, span.start, span.end, span.label, GOLD))
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
