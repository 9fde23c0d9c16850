"""Painting spans into the article: per-block formats, recomputed only where spans changed.

Each paragraph's formats are set on its layout (``QTextLayout.setFormats``), as a syntax
highlighter would, but only for the paragraphs asked for: a highlighter calls back into
Python for every paragraph of a document it is given, which for a long article costs more
than Qt's own reading of the text.

The outermost span of a stretch of text gives it a tinted background; a span nested
inside it adds its own tint on top and an underline in its colour; a third level
adds a wavy underline. The selected span is drawn strongest. No format changes the
font, so painting never moves text (which would make mouse positions drift).
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QColor, QTextBlock, QTextCharFormat, QTextDocument, QTextLayout

from factmark.core.model import REJECTED, REVIEW, Span
from factmark.ui.article.offsets import OffsetMap
from factmark.ui.models.span_index import SpanIndex, text_order

if TYPE_CHECKING:
    from PySide6.QtCore import QTextBoundaryFinder

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


BACKGROUND_SLICE = 200  # blocks the background pass formats between two turns of the loop
BACKGROUND_PAUSE_MS = 5  # between two slices: keys and paints go first


class SpanPainter(QObject):
    """Gives each text block the formats of the spans that cover it."""

    def __init__(
        self,
        document: QTextDocument,
        index: SpanIndex,
        show_blocks: Callable[[list[QTextBlock]], None] = lambda _blocks: None,
    ) -> None:
        super().__init__(document)
        self._document: QTextDocument | None = document
        # Whether a paragraph of the document may carry formats (none in a new one).
        self._formatted = False
        self.index = index  # the spans shown, kept current by the span list's model
        self.show_blocks = show_blocks  # repaints the screen where these blocks are
        self.preview: Span | None = None  # a span whose edge is being dragged, as it would be
        self.colours: dict[str, str] = {}
        self.offsets = OffsetMap("")
        self.selected_id: int | None = None
        self._selected_range: tuple[int, int] | None = None  # where the selection is painted
        self.by_annotator = False  # review mode: colour spans by who made them
        # Inside held(): the ranges to repaint when it ends (each block once).
        self._held: list[tuple[int, int]] | None = None
        # Formatting on demand: a whole-document pass (a document opened, colours changed)
        # formats only the blocks in ``near()`` (the screen and a screen either side) and
        # leaves the rest pending; the view formats pending blocks before it paints them
        # (format_blocks), and a background pass, started by the paint after the whole-
        # document pass, formats the rest a slice at a time.
        self.near: Callable[[], range] = lambda: range(0, 1 << 30)
        self._pending: set[int] = set()
        self._background = QTimer(self, singleShot=True, interval=BACKGROUND_PAUSE_MS)
        self._background.timeout.connect(self._format_slice)
        self.annotator_colours: dict[str, str] = {}  # review mode's, by annotator

    def set_colours(
        self,
        colours: dict[str, str],
        offsets: OffsetMap,
        selected_id: int | None,
        *,
        repaint: bool = True,
    ) -> None:
        """Take a new document (its offsets) or new colours; repaint all."""
        if offsets is not self.offsets:
            self._pending.clear()  # block numbers of the document shown before
        self.offsets = offsets
        self.colours = dict(colours)
        self._select(selected_id)
        if repaint:
            self.rehighlight()

    @property
    def pending(self) -> int:
        """How many blocks are not formatted yet (0 once the background pass is done)."""
        return len(self._pending)

    def format_blocks(self, blocks: list[QTextBlock]) -> None:
        """Format those of ``blocks`` still pending (the view, before painting them)."""
        waiting = [b for b in blocks if b.blockNumber() in self._pending]
        if waiting:
            self._rehighlight_blocks(waiting)
        if self._pending and not self._background.isActive():
            self._background.start()  # the rest once the screen is painted

    def _format_slice(self) -> None:
        document = self.document()
        if document is None or not self._pending:
            return
        slice_ = sorted(self._pending)[:BACKGROUND_SLICE]
        self._rehighlight_blocks([document.findBlockByNumber(n) for n in slice_])
        if self._pending:
            self._background.start()

    def _rehighlight_blocks(self, blocks: list[QTextBlock]) -> None:
        """Format these blocks now; their height does not change (no format changes the
        font), so the layout's "repaint everything" signal is held back."""
        document = self.document()
        if document is None:
            return
        layout = document.documentLayout()
        layout.blockSignals(True)
        try:
            for block in blocks:
                self._pending.discard(block.blockNumber())
                self._apply(document, block, self._ranges(block))
        finally:
            layout.blockSignals(False)

    # -- the document and whole-document passes -----------------------------------

    def document(self) -> QTextDocument | None:
        return self._document

    def setDocument(self, document: QTextDocument | None) -> None:
        """Paint ``document`` (None: let go of the one painted): a whole-document pass."""
        self._background.stop()
        self._pending.clear()
        if document is not self._document:
            self._formatted = False  # a document of new text: no paragraph has formats
        self._document = document
        if document is not None:
            self.rehighlight()

    def rehighlight(self) -> None:
        """A whole-document pass: the paragraphs in ``near()`` are formatted now and
        repainted, the others when they are about to be seen or by the background pass
        (none when no span is shown and none was painted)."""
        document = self.document()
        if document is None:
            return
        count = document.blockCount()
        near = self.near()
        first, last = max(0, near.start), min(count, near.stop)
        if self._formatted or self.index.spans or self.preview is not None:
            self._pending = set(range(count))  # the background pass starts at the next paint
        blocks = [document.findBlockByNumber(n) for n in range(first, last)]
        self._rehighlight_blocks(blocks)
        self.show_blocks(blocks)

    def update(self, changed: list[tuple[int, int]], selected_id: int | None) -> None:
        """The index changed in ``changed`` ranges (or the selection changed): repaint
        only their blocks, and those of the spans losing or gaining the selection."""
        ranges = list(changed)
        before = (self.selected_id, self._selected_range)
        self._select(selected_id)
        if (self.selected_id, self._selected_range) != before:
            ranges += [r for r in (before[1], self._selected_range) if r is not None]
        self._repaint_ranges(ranges)

    def _select(self, selected_id: int | None) -> None:
        self.selected_id = selected_id
        span = self.index.get(selected_id)
        self._selected_range = (span.start, span.end) if span is not None else None

    @contextmanager
    def held(self) -> Iterator[None]:
        """Repaint once, when the block ends, every block that changes inside it (a label
        key adds a span and then selects it: its paragraph is formatted once, not twice)."""
        if self._held is not None:
            yield  # already held by an outer block, which repaints
            return
        self._held = []
        try:
            yield
        finally:
            ranges, self._held = self._held, None
            self._repaint_ranges(ranges)

    def _repaint_ranges(self, ranges: list[tuple[int, int]]) -> None:
        """Compute the formats of the blocks these ranges touch again, and repaint just
        those blocks: Qt would repaint the whole viewport after each block."""
        if self._held is not None:
            self._held += ranges
            return
        document = self.document()
        if document is None or not ranges:
            return
        numbers: set[int] = set()
        for start, end in ranges:
            first = document.findBlock(self.offsets.to_qt(start)).blockNumber()
            last = document.findBlock(self.offsets.to_qt(max(start, end - 1))).blockNumber()
            numbers.update(range(first, last + 1))
        blocks = [document.findBlockByNumber(number) for number in sorted(numbers)]
        self._rehighlight_blocks(blocks)
        self.show_blocks(blocks)

    def _ranges(self, block: QTextBlock) -> list[QTextLayout.FormatRange]:
        """The formats of the spans covering ``block``, as ranges of its UTF-16 units."""
        if not self.index.spans and self.preview is None:
            return []
        text = block.text()
        qt_start = block.position()
        b0 = self.offsets.to_py(qt_start)
        # The block's length counts UTF-16 units (and its paragraph end), as positions do;
        # len(text) would count code points and stop short after an emoji.
        units = block.length() - 1
        b1 = self.offsets.to_py(qt_start + units)
        covering = self.index.overlapping(b0, b1)
        preview = self.preview
        if preview is not None:
            covering = [s for s in covering if s.id != preview.id]
            if preview.start < b1 and preview.end > b0:
                covering = sorted([*covering, preview], key=text_order)
        if not covering:
            return []
        edges = sorted(
            {b0, b1}
            | {s.start for s in covering if b0 < s.start < b1}
            | {s.end for s in covering if b0 < s.end < b1}
        )
        clusters = _Clusters(text)
        ranges: list[QTextLayout.FormatRange] = []
        for left, right in itertools.pairwise(edges):
            layers = [s for s in covering if s.start <= left and s.end >= right]
            if layers:
                # A tint covers whole characters as drawn: an edge inside an emoji sequence
                # or before a combining mark widens to the cluster (a format change inside
                # one would break it into pieces); the stored offsets stay as they are.
                start = self.offsets.to_qt(left) - qt_start
                end = self.offsets.to_qt(right) - qt_start
                if _inside_cluster(text, left - b0):
                    start = clusters.start(start)
                if _inside_cluster(text, right - b0):
                    end = clusters.end(end)
                start, end = max(0, start), min(units, end)
                if start >= end:
                    continue
                if ranges and ranges[-1].start + ranges[-1].length > start:
                    # A widened edge overlaps the stretch before: this one is drawn there.
                    before = ranges[-1]
                    before.length = start - before.start
                    if before.length <= 0:
                        ranges.pop()
                item = QTextLayout.FormatRange()
                item.start, item.length, item.format = start, end - start, self._format(layers)
                ranges.append(item)
        return ranges

    def _apply(
        self, document: QTextDocument, block: QTextBlock, ranges: list[QTextLayout.FormatRange]
    ) -> None:
        """Set a block's formats and have it laid out again (nothing when it had none
        and gets none)."""
        layout = block.layout()
        if not ranges and not layout.formats():
            return
        layout.setFormats(ranges)
        document.markContentsDirty(block.position(), block.length())
        if ranges:
            self._formatted = True

    def colour_of(self, span: Span) -> str:
        """A span's colour: its label's, or in review mode its annotator's."""
        if self.by_annotator:
            try:  # review mode's colours give a colour to a name met first here
                return self.annotator_colours[span.annotator or ""]
            except KeyError:
                return "#999999"
        return self.colours.get(span.label, "#999999")

    def _format(self, layers: list[Span]) -> QTextCharFormat:
        """The look of text covered by ``layers`` (outermost first)."""
        fmt = QTextCharFormat()
        background = QColor(0, 0, 0, 0)
        for depth, span in enumerate(layers):
            selected = span.id == self.selected_id
            colour = self.colour_of(span)
            # In review mode a rejected span is struck through and paler: X shows at once.
            rejected = self.by_annotator and span.attrs.get(REVIEW) == REJECTED
            alpha = 200 if selected else TINT_ALPHA // 2 if rejected else TINT_ALPHA
            background = blend(background, tint(colour, alpha))
            if rejected:
                fmt.setFontStrikeOut(True)  # the glyphs keep their widths: no reflow
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


class _Clusters:
    """Grapheme cluster edges of a paragraph (UTF-16 positions), as Qt draws them; Qt is
    asked only once an edge falls inside a cluster (see :func:`_inside_cluster`)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._finder: QTextBoundaryFinder | None = None

    @property
    def finder(self) -> QTextBoundaryFinder:
        if self._finder is None:
            from PySide6.QtCore import QTextBoundaryFinder  # its type made when first used

            self._finder = QTextBoundaryFinder(QTextBoundaryFinder.BoundaryType.Grapheme, self.text)
        return self._finder

    def start(self, position: int) -> int:
        """``position``, or the start of the cluster it falls inside."""
        finder = self.finder
        finder.setPosition(position)
        return position if finder.isAtBoundary() else max(0, finder.toPreviousBoundary())

    def end(self, position: int) -> int:
        """``position``, or the end of the cluster it falls inside."""
        finder = self.finder
        finder.setPosition(position)
        if finder.isAtBoundary():
            return position
        found = finder.toNextBoundary()
        return position if found < 0 else found


_ZWJ = "\u200d"


def _inside_cluster(text: str, index: int) -> bool:
    """Whether code point ``index`` of a paragraph may fall inside a grapheme cluster: it is
    a combining mark, a joiner or selector, an emoji modifier or tag, follows a joiner, or
    is the second of two regional indicators. A cheap test; Qt's finder decides."""
    if index <= 0 or index >= len(text):
        return False
    char, before = text[index], text[index - 1]
    if before == _ZWJ or char == _ZWJ:
        return True
    code = ord(char)
    if (
        0xFE00 <= code <= 0xFE0F  # variation selectors
        or 0x1F3FB <= code <= 0x1F3FF  # skin tones
        or 0xE0020 <= code <= 0xE007F  # tags (subdivision flags)
        or 0xE0100 <= code <= 0xE01EF
    ):
        return True
    if 0x1F1E6 <= code <= 0x1F1FF and 0x1F1E6 <= ord(before) <= 0x1F1FF:
        return True  # inside a flag (or between two: Qt tells)
    return char > "\u02ff" and unicodedata.category(char)[0] == "M"
