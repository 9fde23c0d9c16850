"""The spans of the document shown, in text order, with the lookups every view needs.

One index is shared by the span list, the article and its painter, and is changed in
place by the edits the project reports: a key press on a document with thousands of
spans moves one entry instead of rebuilding lists and tables of all of them.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from operator import attrgetter

from factmark.core.model import Span


def text_order(span: Span) -> tuple[int, int, str, int]:
    """Text order, outer before inner at the same start (as the project lists spans)."""
    return (span.start, -span.end, span.label, span.id or 0)


class SpanIndex:
    """Spans in text order; by id; their starts (for bisecting); the longest length."""

    def __init__(self, spans: Iterable[Span] = ()) -> None:
        self.spans: list[Span] = []
        self.starts: list[int] = []
        self.by_id: dict[int | None, Span] = {}
        self.longest = 0
        self.reset(spans)

    def reset(self, spans: Iterable[Span]) -> None:
        """Take a document's spans (already in text order, as the project gives them)."""
        spans = list(spans)
        # Built with C-level map/zip: a document may hold thousands of spans.
        self.spans[:] = spans
        self.starts[:] = map(attrgetter("start"), spans)
        self.by_id = dict(zip(map(attrgetter("id"), spans), spans, strict=True))
        self.longest = max((s.end - s.start for s in spans), default=0)

    def __len__(self) -> int:
        return len(self.spans)

    def get(self, span_id: int | None) -> Span | None:
        return self.by_id.get(span_id)

    def row_of(self, span_id: int | None) -> int:
        """The position of a span in text order, or -1."""
        span = self.by_id.get(span_id)
        if span is None:
            return -1
        return bisect_left(self.spans, text_order(span), key=text_order)

    def position_for(self, span: Span) -> int:
        """Where a span not yet in the index would go."""
        return bisect_left(self.spans, text_order(span), key=text_order)

    def insert(self, position: int, span: Span) -> None:
        self.spans.insert(position, span)
        self.starts.insert(position, span.start)
        self.by_id[span.id] = span
        self.longest = max(self.longest, span.end - span.start)

    def remove_at(self, position: int) -> Span:
        # ``longest`` may now be more than the longest span: it only widens searches.
        span = self.spans.pop(position)
        del self.starts[position]
        self.by_id.pop(span.id, None)
        return span

    def overlapping(self, start: int, end: int) -> list[Span]:
        """Spans that cover any of ``[start, end)``, in text order."""
        low = bisect_left(self.starts, start - self.longest)
        high = bisect_left(self.starts, end)
        return [s for s in self.spans[low:high] if s.end > start]

    def find(self, start: int, end: int, label: str, annotator: object = ...) -> Span | None:
        """A span with exactly these edges and label (and annotator, when given)."""
        low = bisect_left(self.starts, start)
        for span in self.spans[low:]:
            if span.start != start:
                return None
            if span.end == end and span.label == label and annotator in (..., span.annotator):
                return span
        return None
