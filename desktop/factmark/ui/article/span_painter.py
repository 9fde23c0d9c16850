"""Painting spans into the article: per-block formats, recomputed only where spans changed.

The outermost span of a stretch of text gives it a tinted background; a span nested
inside it adds its own tint on top and an underline in its colour; a third level
adds a wavy underline. The selected span is drawn strongest. No format changes the
font, so painting never moves text (which would make mouse positions drift).
"""

from __future__ import annotations

import itertools
from bisect import bisect_left
from operator import attrgetter, sub

from PySide6.QtGui import QColor, QSyntaxHighlighter, QTextCharFormat, QTextDocument

from factmark.core.model import Span
from factmark.ui.article.offsets import OffsetMap

TINT_ALPHA = 80


def tint(colour: str, alpha: int = TINT_ALPHA) -> QColor:
    """A label colour made translucent, readable on light and dark backgrounds."""
    result = QColor(colour)
    result.setAlpha(alpha)
    return result


def blend(under: QColor, over: QColor) -> QColor:
    """``over`` painted on ``under`` (both translucent), as one colour."""
    a_over, a_under = over.alphaF(), under.alphaF()
    alpha = a_over + a_under * (1 - a_over)
    if alpha == 0:
        return QColor(0, 0, 0, 0)

    def mix(o: float, u: float) -> float:
        return (o * a_over + u * a_under * (1 - a_over)) / alpha

    return QColor.fromRgbF(
        mix(over.redF(), under.redF()),
        mix(over.greenF(), under.greenF()),
        mix(over.blueF(), under.blueF()),
        alpha,
    )


class SpanPainter(QSyntaxHighlighter):
    """Gives each text block the formats of the spans that cover it."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self.spans: list[Span] = []
        self._starts: list[int] = []
        self._by_id: dict[int | None, Span] = {}
        self._longest = 0
        self.colours: dict[str, str] = {}
        self.offsets = OffsetMap("")
        self.selected_id: int | None = None
        self.by_annotator = False  # review mode: colour spans by who made them
        self.annotator_colours: dict[str, str] = {}

    def set_spans(
        self,
        spans: list[Span],
        colours: dict[str, str],
        offsets: OffsetMap,
        selected_id: int | None,
        *,
        repaint: bool = True,
    ) -> None:
        """Take a new document's spans (sorted by start, outer first); repaint all."""
        self.offsets = offsets
        self.colours = dict(colours)
        self.selected_id = selected_id
        self._take(spans)
        if repaint:
            self.rehighlight()

    def update(
        self,
        spans: list[Span],
        changed: list[tuple[int, int]],
        selected_id: int | None,
        colours: dict[str, str] | None = None,
    ) -> None:
        """Take the span list after an edit; repaint only the blocks of ``changed``
        ranges (and of the spans losing or gaining the selection)."""
        if colours is not None and colours != self.colours:
            self.colours = dict(colours)
            self._take(spans)
            self.rehighlight()
            return
        ranges = list(changed)
        before = self._by_id  # the spans as they were painted
        self._take(spans)
        if selected_id != self.selected_id:
            ids = (selected_id, self.selected_id)
            found = [table.get(i) for table in (before, self._by_id) for i in ids]
            ranges += [(s.start, s.end) for s in found if s is not None]
        self.selected_id = selected_id
        self._repaint_ranges(ranges)

    def _take(self, spans: list[Span]) -> None:
        # Built with C-level map/zip rather than Python loops: thousands of spans may be
        # taken on every key press.
        self.spans = spans
        self._starts = list(map(attrgetter("start"), spans))
        ends = map(attrgetter("end"), spans)
        self._longest = max(map(sub, ends, self._starts), default=0)
        self._by_id = dict(zip(map(attrgetter("id"), spans), spans, strict=True))

    def _repaint_ranges(self, ranges: list[tuple[int, int]]) -> None:
        document = self.document()
        if document is None:
            return
        blocks: set[int] = set()
        for start, end in ranges:
            first = document.findBlock(self.offsets.to_qt(start)).blockNumber()
            last = document.findBlock(self.offsets.to_qt(max(start, end - 1))).blockNumber()
            blocks.update(range(first, last + 1))
        for number in sorted(blocks):
            self.rehighlightBlock(document.findBlockByNumber(number))

    def highlightBlock(self, text: str) -> None:
        if not self.spans:
            return
        block = self.currentBlock()
        qt_start = block.position()
        b0 = self.offsets.to_py(qt_start)
        b1 = self.offsets.to_py(qt_start + len(text))
        lo = bisect_left(self._starts, b0 - self._longest)
        hi = bisect_left(self._starts, b1)
        covering = [s for s in self.spans[lo:hi] if s.end > b0]
        if not covering:
            return
        edges = sorted(
            {b0, b1}
            | {s.start for s in covering if b0 < s.start < b1}
            | {s.end for s in covering if b0 < s.end < b1}
        )
        for left, right in itertools.pairwise(edges):
            layers = [s for s in covering if s.start <= left and s.end >= right]
            if layers:
                start = self.offsets.to_qt(left) - qt_start
                length = self.offsets.to_qt(right) - qt_start - start
                self.setFormat(start, length, self._format(layers))

    def colour_of(self, span: Span) -> str:
        """A span's colour: its label's, or in review mode its annotator's."""
        if self.by_annotator:
            return self.annotator_colours.get(span.annotator or "", "#999999")
        return self.colours.get(span.label, "#999999")

    def _format(self, layers: list[Span]) -> QTextCharFormat:
        """The look of text covered by ``layers`` (outermost first)."""
        fmt = QTextCharFormat()
        background = QColor(0, 0, 0, 0)
        for depth, span in enumerate(layers):
            selected = span.id == self.selected_id
            colour = self.colour_of(span)
            background = blend(background, tint(colour, 200 if selected else TINT_ALPHA))
            if depth >= 1 or selected:
                fmt.setUnderlineColor(QColor(colour))
                fmt.setUnderlineStyle(
                    QTextCharFormat.UnderlineStyle.WaveUnderline
                    if depth >= 2
                    else QTextCharFormat.UnderlineStyle.SingleUnderline
                )
            if selected:
                # Strong colour with dark text; no bold, which would reflow the line.
                fmt.setForeground(QColor("#111111"))
        fmt.setBackground(background)
        return fmt
