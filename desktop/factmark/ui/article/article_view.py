"""The article text widget: read-only, wrapped, selectable by mouse and keyboard.

It shows one document's stored text with its spans painted in, tells which span
the user clicked, and reports every position as a code-point offset.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPen,
    QTextBlock,
    QTextCursor,
    QTextOption,
)
from PySide6.QtWidgets import QPlainTextEdit, QToolTip, QWidget

from factmark.core.model import Span, Suggestion
from factmark.core.selection import drag_edge
from factmark.ui.article.offsets import OffsetMap
from factmark.ui.article.span_painter import SpanPainter
from factmark.ui.models.span_index import SpanIndex
from factmark.ui.plain import plain_tip
from factmark.ui.viewports import own_viewport

MIN_ZOOM, MAX_ZOOM = -6, 12
HANDLE = 4  # pixels around a handle of the selected span's edges that start a drag
KNOB = 3.5  # the radius of a handle's knob
LINK_MARGIN = 56  # pixels on the right where links between spans are drawn
# Letters of the right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, N'Ko, Samaritan,
# Mandaic, their presentation forms, and the astral RTL blocks): the characters whose
# bidirectional class is R or AL, and the unassigned code points of those blocks (R or AL
# by default), and the right-to-left mark. Not their digits (Arabic-Indic ٢٤٠ are AN, as
# a left-to-right text may quote them), marks or punctuation. Compiled when a text first
# needs it (about 4 million instructions; see has_rtl_letter).
_RTL_LETTER = (
    "["
    "\u0590\u05be\u05c0\u05c3\u05c6\u05c8-\u05ff\u0608\u060b\u060d\u061b-\u064a"
    "\u066d-\u066f\u0671-\u06d5\u06e5-\u06e6\u06ee-\u06ef\u06fa-\u0710\u0712-\u072f"
    "\u074b-\u07a5\u07b1-\u07ea\u07f4-\u07f5\u07fa-\u07fc\u07fe-\u0815\u081a\u0824"
    "\u0828\u082e-\u0858\u085c-\u088f\u0892-\u0897\u08a0-\u08c9\u200f\ufb1d"
    "\ufb1f-\ufb28\ufb2a-\ufd3d\ufd50-\ufdce\ufdd0-\ufdfc\ufe70-\ufefc"
    "\U00010800-\U0001091e\U00010920-\U00010a00\U00010a04\U00010a07-\U00010a0b"
    "\U00010a10-\U00010a37\U00010a3b-\U00010a3e\U00010a40-\U00010ae4"
    "\U00010ae7-\U00010b38\U00010b40-\U00010d23\U00010d28-\U00010d2f"
    "\U00010d3a-\U00010e5f\U00010e7f-\U00010eaa\U00010ead-\U00010f45"
    "\U00010f51-\U00010f81\U00010f86-\U00010fff\U0001e800-\U0001e8cf"
    "\U0001e8d7-\U0001e943\U0001e94b-\U0001eeef\U0001eef2-\U0001efff"
    "]"
)
# The blocks those letters are in (and the mark): a text is scanned for these, and only
# what is found is asked whether it is a letter.
_RTL_BLOCK = (
    "[\u0590-\u08ff\u200f\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff]"
)
LINK_COLOURS = {"attributed_to": "#0072B2", "part_of": "#D55E00", "cue_of": "#009E73"}  # Okabe-Ito


class ArticleView(QPlainTextEdit):
    """Shows one document's text and spans; positions it reports are code points."""

    span_clicked = Signal(object)  # the span id, or None when clicking plain text
    span_resized = Signal(int, int, int)  # span id, new start, new end (edge dragged)
    suggestion_stepped = Signal(int)  # Tab (+1) / Shift+Tab (-1) with suggestions shown
    suggestion_clicked = Signal(int)  # a click inside a suggestion's outline picks it

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._own_viewport()
        self.setObjectName("articleView")
        self.setReadOnly(True)
        # Read-only, yet with a cursor that Shift+arrows and Ctrl+Shift+arrows extend.
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setCursorWidth(2)
        self.setTabChangesFocus(True)  # Tab moves on to the span list
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF(), 10.0) * 1.3)
        self.setFont(font)
        self.document().setDocumentMargin(28)
        self.zoom = 0
        self.offsets = OffsetMap("")
        self.text = ""
        self.index = SpanIndex()  # the shown spans: the span list's index, once shared
        self.selected_span_id: int | None = None
        self.painter = SpanPainter(self.document(), self.index, self._repaint_blocks)
        self.painter.near = self._near
        self._near_range: range | None = None  # the blocks near the screen, until it moves
        self._press_position: int | None = None
        self._drag: tuple[Span, str] | None = None
        self._outer_click = False  # a Ctrl+click, handled at the press
        self.snap_words: Callable[[], bool] = lambda: True  # snap a dragged edge to words
        self.linking_id: int | None = None  # the span a link is being made from
        self.painted_handles: list[QRectF] = []  # where the last paint drew the handles
        self.painted_link_source: list[QRectF] = []  # ... and the linking span's outline
        self.links: list[tuple[Span, Span, str]] = []  # head, child, relation type
        # Cues proposed for links, not stored: ([start, end), colour), drawn dotted.
        self.cue_proposals: list[tuple[int, int, str]] = []
        self.painted_cue_proposals: list[QRectF] = []  # where the last paint drew them
        self.suggestions: list[Suggestion] = []
        self.selected_suggestion_id: int | None = None
        # Whether a click may pick a suggestion (not while linking: set by the window).
        self.suggestion_clicks_allowed: Callable[[], bool] = lambda: True
        # Links are drawn in a strip right of the text, like an editor's line numbers.
        self.link_area = LinkArea(self)
        self.setViewportMargins(0, 0, LINK_MARGIN, 0)
        self.setMouseTracking(True)

    def _own_viewport(self) -> None:
        """A viewport made in Python (see ui/viewports.py), with the text cursor Qt gives
        its own, and the paint device the text layout measures fonts on."""
        viewport = own_viewport(self)
        viewport.setCursor(Qt.CursorShape.IBeamCursor)
        self.document().documentLayout().setPaintDevice(viewport)

    # -- content -------------------------------------------------------------

    def _repaint_blocks(self, blocks: list[QTextBlock]) -> None:
        """Repaint where these blocks are on screen (nothing for blocks out of view)."""
        offset = self.contentOffset()
        height = self.viewport().height()
        for block in blocks:
            rect = self.blockBoundingGeometry(block).translated(offset).toAlignedRect()
            if rect.bottom() >= 0 and rect.top() <= height:
                self.viewport().update(rect)

    def share_index(self, index: SpanIndex) -> None:
        """Show the spans of ``index`` (the span list's), which its owner keeps current."""
        self.index = index
        self.painter.index = index

    @property
    def spans(self) -> list[Span]:
        """The shown spans in text order."""
        return self.index.spans

    def show_document(self, text: str, colours: dict[str, str]) -> None:
        """Replace the text (the stored text, exactly) and paint the index's spans."""
        self.text = text
        self.offsets = OffsetMap(text)
        self.selected_span_id = None
        self.suggestions = []
        self.selected_suggestion_id = None
        self.cue_proposals = []
        # Formats are computed once, when the painter meets the new text.
        self.painter.setDocument(None)
        self._align_for(text)
        self.setPlainText(text)
        self._near_range = None
        self.painter.set_colours(colours, self.offsets, None, repaint=False)
        self.painter.setDocument(self.document())  # paints every block once

    def _align_for(self, text: str) -> None:
        """Start each paragraph at its own side. The plain-text layout has one alignment
        for all paragraphs and does not flip "left" for a right-to-left one, but it does
        set a justified paragraph's last line at the paragraph's own side: a document with
        right-to-left text is set justified (right-to-left paragraphs end at the right,
        left-to-right ones at the left), any other flush left, as before."""
        wanted = (
            Qt.AlignmentFlag.AlignJustify if has_rtl_letter(text) else Qt.AlignmentFlag.AlignLeft
        )
        document = self.document()
        option = document.defaultTextOption()
        if option.alignment() != wanted:
            option.setAlignment(wanted)
            document.setDefaultTextOption(option)

    def update_spans(
        self, changed: list[tuple[int, int]] | None = None, colours: dict[str, str] | None = None
    ) -> None:
        """The index's spans changed; repaint only the ``changed`` ranges (everything when
        not given)."""
        if self.selected_span_id not in self.index.by_id:
            self.selected_span_id = None
        if changed is None:
            self.painter.set_colours(
                colours or self.painter.colours, self.offsets, self.selected_span_id
            )
        else:
            self.painter.update(changed, self.selected_span_id)

    def select_span(self, span_id: int | None, *, scroll: bool = True) -> None:
        """Mark a span as selected (drawn strongest) and scroll it into view."""
        if span_id != self.selected_span_id:
            linked = self._linked_to(self.selected_span_id) or self._linked_to(span_id)
            self.selected_span_id = span_id
            self.painter.update([], span_id)
            if linked:
                self.viewport().update()  # the outlines of the spans it is linked with
                self.link_area.update()
        span = self.span(span_id)
        if span is not None and scroll:
            cursor = self.textCursor()
            cursor.setPosition(self.offsets.to_qt(span.start))
            self.setTextCursor(cursor)
            self.ensureCursorVisible()

    def span(self, span_id: int | None) -> Span | None:
        """The shown span with this id."""
        return self.index.by_id.get(span_id)

    def spans_at(self, offset: int) -> list[Span]:
        """Spans covering the character at ``offset``, innermost (shortest) first."""
        return sorted(
            self.index.overlapping(offset, offset + 1), key=lambda s: (s.end - s.start, s.start)
        )

    # -- links -------------------------------------------------------------------

    def set_links(self, links: list[tuple[Span, Span, str]]) -> None:
        """The relations to draw: (head span, child span, type)."""
        if links == self.links:
            return  # most span edits leave the links as they were: no repaint of the text
        self.links = links
        self.viewport().update()
        self.link_area.update()

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self._near_range = None
        super().resizeEvent(event)
        rect = self.viewport().geometry()
        self.link_area.setGeometry(rect.right() + 1, rect.top(), LINK_MARGIN, rect.height())

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        self._near_range = None
        super().scrollContentsBy(dx, dy)
        self.link_area.update()

    def _shown_blocks(self) -> list[QTextBlock]:
        """The blocks on the screen, from the first visible one down."""
        blocks = []
        block = self.firstVisibleBlock()
        top = self.blockBoundingGeometry(block).translated(self.contentOffset()).top()
        height = self.viewport().height()
        while block.isValid() and top <= height:
            blocks.append(block)
            top += self.blockBoundingRect(block).height()
            block = block.next()
        return blocks

    def _near(self) -> range:
        """The numbers of the blocks on the screen and a screenful either side: a whole
        document pass formats these at once, the rest when they come near (see
        SpanPainter)."""
        if self._near_range is None:
            shown = self._shown_blocks()
            first = shown[0].blockNumber() if shown else 0
            count = max(len(shown), 1)
            self._near_range = range(max(0, first - count), first + 2 * count)
        return self._near_range

    def paintEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if self.painter.pending:
            self.painter.format_blocks(self._shown_blocks())  # formatted before they show
        super().paintEvent(event)
        if self.suggestions:
            self._paint_suggestions()
        if self.links:
            self._paint_links()
        self._paint_link_source()
        self._paint_cue_proposals()
        self._paint_handles()

    # -- the selected span's handles, the span being linked ------------------------

    def handles(self) -> list[tuple[str, QRectF, QRectF]]:
        """(edge, bar, grip) of the selected span's two handles, in viewport pixels: the
        bar is drawn at the edge, the grip (a little larger) is where a drag resizes."""
        span = self.painter.preview or self.span(self.selected_span_id)
        if span is None:
            return []
        rects = self._range_rects(span.start, span.end)
        if not rects:
            return []
        found = []
        rtl = [
            self.document().findBlock(self.offsets.to_qt(offset)).textDirection()
            == Qt.LayoutDirection.RightToLeft
            for offset in (span.start, max(span.start, span.end - 1))
        ]
        for edge, rect, x in (
            ("start", rects[0], rects[0].right() if rtl[0] else rects[0].left()),
            ("end", rects[-1], rects[-1].left() if rtl[1] else rects[-1].right()),
        ):
            # Inside the line's box, so repainting the span's paragraph repaints them.
            bar = QRectF(x - 1.5, rect.top(), 3, rect.height())
            found.append((edge, bar, bar.adjusted(-HANDLE, -HANDLE, HANDLE, HANDLE)))
        return found

    def _paint_handles(self) -> None:
        """Small handles at both edges of the selected span: drag one to resize it."""
        self.painted_handles = []
        span = self.painter.preview or self.span(self.selected_span_id)
        if span is None:
            return
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        colour = QColor(self.painter.colour_of(span)).darker(160)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        for edge, bar, _grip in self.handles():
            painter.drawRect(bar)
            # A knob at the top of the start edge and the bottom of the end edge.
            knob = bar.top() if edge == "start" else bar.bottom() - 2 * KNOB
            painter.drawEllipse(QRectF(bar.center().x() - KNOB, knob, 2 * KNOB, 2 * KNOB))
            self.painted_handles.append(bar)
        painter.end()

    def set_linking(self, span_id: int | None) -> None:
        """Show that a link is being made from ``span_id`` (None: no longer): the span is
        outlined and the pointer is a cross (a pointing hand over spans)."""
        self.linking_id = span_id
        self._set_pointer(self.viewport().mapFromGlobal(self.cursor().pos()))
        self.viewport().update()

    def _paint_link_source(self) -> None:
        """The span a link is being made from: a thick dashed outline around it."""
        self.painted_link_source = []
        span = self.span(self.linking_id)
        if span is None:
            return
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(QColor("#CC0066"), 2.5, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for rect in self._range_rects(span.start, span.end):
            outline = rect.adjusted(-3, -2, 3, 2)
            painter.drawRoundedRect(outline, 4, 4)
            self.painted_link_source.append(outline)
        painter.end()

    def set_cue_proposals(self, proposals: list[tuple[int, int, str]]) -> None:
        """The cues proposed for links (``start``, ``end``, colour): outlined dotted until
        accepted; they are not spans and take no clicks."""
        if proposals != self.cue_proposals:
            self.cue_proposals = proposals
            self.viewport().update()

    def _paint_cue_proposals(self) -> None:
        self.painted_cue_proposals = []
        if not self.cue_proposals:
            return
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for start, end, colour in self.cue_proposals:
            painter.setPen(QPen(QColor(colour).darker(140), 1.6, Qt.PenStyle.DotLine))
            for rect in self._range_rects(start, end):
                outline = rect.adjusted(-2, 0, 2, 0)
                painter.drawRoundedRect(outline, 3, 3)
                self.painted_cue_proposals.append(outline)
        painter.end()

    # -- suggestions -------------------------------------------------------------

    def set_suggestions(self, suggestions: list[Suggestion]) -> None:
        """The suggestions awaiting review, drawn with dashed outlines."""
        self.suggestions = sorted(suggestions, key=lambda s: (s.start, -s.end))
        if self.selected_suggestion_id not in {s.id for s in suggestions}:
            self.selected_suggestion_id = None
        self.viewport().update()

    def suggestion(self, suggestion_id: int | None) -> Suggestion | None:
        return next((s for s in self.suggestions if s.id == suggestion_id), None)

    def select_suggestion(self, suggestion_id: int | None) -> None:
        """Mark a suggestion as the one Enter accepts and Backspace rejects; show it."""
        self.selected_suggestion_id = suggestion_id
        found = self.suggestion(suggestion_id)
        if found is not None:
            cursor = self.textCursor()
            cursor.setPosition(self.offsets.to_qt(found.start))
            self.setTextCursor(cursor)
            self.ensureCursorVisible()
        self.viewport().update()

    def suggestion_at_cursor(self) -> Suggestion | None:
        """The selected suggestion, else one covering the text cursor."""
        chosen = self.suggestion(self.selected_suggestion_id)
        if chosen is not None:
            return chosen
        offset = self.cursor_offset()
        return next((s for s in self.suggestions if s.start <= offset < s.end), None)

    def _paint_suggestions(self) -> None:
        painter = QPainter(self.viewport())
        height = self.viewport().height()
        for suggestion in self.suggestions:
            rects = self._range_rects(suggestion.start, suggestion.end)
            if not rects or rects[0].top() > height or rects[-1].bottom() < 0:
                continue
            colour = QColor(self.painter.colours.get(suggestion.label, "#7F7F7F"))
            chosen = suggestion.id == self.selected_suggestion_id
            pen = QPen(colour, 2.0 if chosen else 1.3, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            fill = QColor(colour)
            fill.setAlpha(60 if chosen else 0)
            painter.setBrush(fill)
            for rect in rects:
                painter.drawRoundedRect(rect.adjusted(0, 1, 0, -1), 3, 3)
        painter.end()

    def _range_rects(self, start: int, end: int) -> list[QRectF]:
        """One rectangle per visual line that ``[start, end)`` covers, in viewport pixels."""
        document = self.document()
        qt_start, qt_end = self.offsets.to_qt(start), self.offsets.to_qt(end)
        block = document.findBlock(qt_start)
        offset = self.contentOffset()
        rects: list[QRectF] = []
        while block.isValid() and block.position() <= qt_end:
            geometry = self.blockBoundingGeometry(block).translated(offset)
            layout = block.layout()
            for n in range(layout.lineCount()):
                line = layout.lineAt(n)
                line_start = block.position() + line.textStart()
                line_end = line_start + line.textLength()
                a, b = max(qt_start, line_start), min(qt_end, line_end)
                if a >= b:
                    continue
                x1 = _x(line.cursorToX(a - block.position()))
                x2 = _x(line.cursorToX(b - block.position()))
                top = geometry.top() + line.y()
                rects.append(
                    QRectF(min(x1, x2) + geometry.left(), top, abs(x2 - x1), line.height())
                )
            block = block.next()
        return rects

    def _visible_links(self) -> list[tuple[int, QPoint, QPoint, QColor, str, bool]]:
        """(lane, head anchor, child anchor, colour, type, whether the selected span is one
        of its two) of links with an end on screen."""
        height = self.viewport().height()
        shown = []
        for lane, (head, child, kind) in enumerate(self.links):
            a, b = self._anchor(head.end), self._anchor(child.end)
            if (a.y() < 0 and b.y() < 0) or (a.y() > height and b.y() > height):
                continue
            colour = QColor(LINK_COLOURS.get(kind, "#7F7F7F"))
            chosen = self.selected_span_id in (head.id, child.id)
            shown.append((lane % 5, a, b, colour, kind, chosen))
        return shown

    def _linked_to(self, span_id: int | None) -> list[tuple[Span, Span, str]]:
        """The links (head, child, type) that the span ``span_id`` is part of."""
        if span_id is None:
            return []
        return [link for link in self.links if span_id in (link[0].id, link[1].id)]

    def _paint_linked_outlines(self, painter: QPainter) -> None:
        """The selected span's links: both spans of each outlined in the link's colour."""
        for head, child, kind in self._linked_to(self.selected_span_id):
            painter.setPen(QPen(QColor(LINK_COLOURS.get(kind, "#7F7F7F")), 1.5))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            for span in (head, child):
                for rect in self._range_rects(span.start, span.end):
                    painter.drawRoundedRect(rect.adjusted(-1, 0, 1, 0), 3, 3)

    def _paint_links(self) -> None:
        """In the text only a small mark at each linked span's end, in the link's colour
        (a dot at the head, an arrowhead at the child): no line crosses the text, so no
        link reads as a box around other text. The brackets are in the link strip."""
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._paint_linked_outlines(painter)
        painter.setPen(Qt.PenStyle.NoPen)
        for _lane, a, b, colour, _kind, _chosen in self._visible_links():
            painter.setBrush(colour)
            painter.drawEllipse(QRectF(a.x() - 1, a.y() - 3, 5, 5))
            painter.drawPolygon([b, QPoint(b.x() + 5, b.y() - 3), QPoint(b.x() + 5, b.y() + 3)])
        painter.end()

    def paint_link_area(self, painter: QPainter) -> None:
        """Each link as a bracket in its own lane of the strip, with its type's letter: a
        tick at the height of each span's line, starting from the text's edge (a dot at
        the head's line, an arrowhead at the child's)."""
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        small = QFont(self.font())
        small.setPointSizeF(max(6.0, self.font().pointSizeF() * 0.6))
        painter.setFont(small)
        for lane, a, b, colour, kind, chosen in self._visible_links():
            x = 8 + lane * 9
            painter.setPen(QPen(colour, 3.2 if chosen else 1.8))
            painter.drawLine(QPoint(0, a.y()), QPoint(x, a.y()))
            painter.drawLine(QPoint(0, b.y()), QPoint(x, b.y()))
            painter.drawLine(QPoint(x, a.y()), QPoint(x, b.y()))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            painter.drawEllipse(QRectF(0, a.y() - 2.5, 5, 5))
            painter.drawPolygon([QPoint(0, b.y()), QPoint(6, b.y() - 4), QPoint(6, b.y() + 4)])
            painter.setPen(QPen(colour))
            painter.drawText(QPoint(x + 3, (a.y() + b.y()) // 2 + 4), kind[:1].upper())

    def _anchor(self, offset: int) -> QPoint:
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.offsets.to_qt(offset))
        rect = self.cursorRect(cursor)
        return QPoint(rect.right() + 1, rect.bottom() - 1)  # below the text of the line

    # -- selection -----------------------------------------------------------

    def selected_range(self) -> tuple[int, int] | None:
        """The text selection as code-point offsets ``(start, end)``, or None."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        return (
            self.offsets.to_py(cursor.selectionStart()),
            self.offsets.to_py(cursor.selectionEnd()),
        )

    def cursor_offset(self) -> int:
        """The text cursor as a code-point offset."""
        return self.offsets.to_py(self.textCursor().position())

    def select_range(self, start: int, end: int) -> None:
        """Select ``[start, end)`` (code points), as a user would with the mouse."""
        cursor = self.textCursor()
        cursor.setPosition(self.offsets.to_qt(start))
        cursor.setPosition(self.offsets.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)

    def clear_selection(self) -> None:
        """Drop the text selection, keeping the cursor where the selection ended."""
        cursor = self.textCursor()
        cursor.clearSelection()
        self.setTextCursor(cursor)

    # -- zoom ----------------------------------------------------------------

    def zoom_by(self, steps: int) -> None:
        """Make the text larger (positive) or smaller, within sensible limits."""
        target = max(MIN_ZOOM, min(MAX_ZOOM, self.zoom + steps))
        if target > self.zoom:
            self.zoomIn(target - self.zoom)
        elif target < self.zoom:
            self.zoomOut(self.zoom - target)
        self.zoom = target

    # -- mouse ---------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        point = event.position().toPoint()
        self._press_position = self.cursorForPosition(point).position()
        left = event.button() == Qt.MouseButton.LeftButton
        edge = self._edge_at(point) if left else None
        if edge is not None:
            self._drag = edge  # dragging a selected span's handle, not selecting text
            return
        if left and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            # Ctrl+click: the span around the selected one (or around the innermost).
            around = self.span_around(self.offset_at(point))
            if around is not None:
                self._outer_click = True
                self.clear_selection()
                self.span_clicked.emit(around)
                return
        super().mousePressEvent(event)

    def _edge_preview(self, span: Span, edge: str, point: QPoint) -> Span:
        """The span as it would be with ``edge`` dragged to ``point`` (snapped to words
        when selections are)."""
        gap = self.offset_at_gap(point)
        start, end = drag_edge(self.text, span.start, span.end, edge, gap, snap=self.snap_words())
        return replace(span, start=start, end=end)

    def _set_pointer(self, point: QPoint) -> None:
        """The pointer's shape: a resize arrow over a handle; while linking a cross (a
        pointing hand over a span); else the text beam."""
        if self.linking_id is not None:
            inside = self.viewport().rect().contains(point)
            over_span = inside and bool(self.spans_at(self.offset_at(point)))
            shape = Qt.CursorShape.PointingHandCursor if over_span else Qt.CursorShape.CrossCursor
        elif self._edge_at(point) is not None:
            shape = Qt.CursorShape.SizeHorCursor
        else:
            shape = Qt.CursorShape.IBeamCursor
        self.viewport().setCursor(shape)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        point = event.position().toPoint()
        if self._drag is not None:
            span, edge = self._drag
            preview = self._edge_preview(span, edge, point)
            shown = self.painter.preview or span
            self.painter.preview = preview
            self.painter.update(
                [(span.start, span.end), (shown.start, shown.end), (preview.start, preview.end)],
                self.selected_span_id,
            )
            self.viewport().update()  # the handles follow the edge
            return
        if not event.buttons():
            self._set_pointer(point)
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._outer_click:
            self._outer_click = False
            return
        if self._drag is not None:
            span, edge = self._drag
            self._drag = None
            dragged = self._edge_preview(span, edge, event.position().toPoint())
            start, end = dragged.start, dragged.end
            shown = self.painter.preview or span
            self.painter.preview = None
            self.painter.update(
                [(span.start, span.end), (shown.start, shown.end)], self.selected_span_id
            )
            self.viewport().update()
            if start < end and (start, end) != (span.start, span.end):
                self.span_resized.emit(span.id, start, end)
            return
        super().mouseReleaseEvent(event)
        if event.button() != Qt.MouseButton.LeftButton:
            return
        if self.textCursor().hasSelection():
            if self.selected_span_id is not None:
                self.span_clicked.emit(None)  # a new selection: the span is no longer in hand
            return
        position = self.cursorForPosition(event.position().toPoint()).position()
        if position != self._press_position:
            return
        offset = self.offset_at(event.position().toPoint())
        if self._click_picks_suggestion(offset):
            return
        span_id = self._span_to_select(offset)
        if span_id is None:
            under = next((s for s in self.suggestions if s.start <= offset < s.end), None)
            self.select_suggestion(under.id if under else None)
        self.span_clicked.emit(span_id)

    def _click_picks_suggestion(self, offset: int) -> bool:
        """A click inside a suggestion's outline picks it (the innermost), even inside a
        span, unless a gesture (linking) claims clicks; True when it did."""
        if not self.suggestions or not self.suggestion_clicks_allowed():
            return False
        under = [s for s in self.suggestions if s.start <= offset < s.end and s.id is not None]
        if not under:
            return False
        chosen = min(under, key=lambda s: (s.end - s.start, s.start))
        self.suggestion_clicked.emit(chosen.id)
        return True

    def _edge_at(self, point: QPoint) -> tuple[Span, str] | None:
        """The selected span's edge (``start`` or ``end``) whose handle is under ``point``."""
        span = self.span(self.selected_span_id)
        if span is None or self.linking_id is not None:
            return None
        for edge, _bar, grip in self.handles():
            if grip.contains(QPointF(point)):
                return span, edge
        return None

    def offset_at_gap(self, point: QPoint) -> int:
        """The code-point offset of the gap between characters nearest to ``point``."""
        return self.offsets.to_py(self.cursorForPosition(point).position())

    def offset_at(self, point: QPoint) -> int:
        """The code point under ``point`` (the character whose box holds it)."""
        cursor = self.cursorForPosition(point)
        rect = self.cursorRect(cursor)
        offset = self.offsets.to_py(cursor.position())
        # cursorForPosition gives the nearest gap; the character lies before that gap
        # when the point is on the gap's reading-backward side.
        right_to_left = cursor.block().textDirection() == Qt.LayoutDirection.RightToLeft
        before = point.x() > rect.x() if right_to_left else point.x() < rect.x()
        if before and offset > 0:
            offset -= 1
        return offset

    def _span_to_select(self, offset: int) -> int | None:
        """The innermost span under a click (Ctrl+click reaches the ones around it)."""
        under = self.spans_at(offset)
        return under[0].id if under else None

    def enclosing(self, span: Span) -> list[Span]:
        """The spans around ``span`` (holding all of it), innermost first."""
        return [
            s
            for s in self.spans_at(span.start)
            if s.id != span.id and s.start <= span.start and s.end >= span.end
        ]

    def inside(self, span: Span) -> list[Span]:
        """The spans within ``span`` (not the span itself), in text order."""
        return [
            s
            for s in self.index.overlapping(span.start, span.end)
            if s.id != span.id and span.start <= s.start and s.end <= span.end
        ]

    def span_around(self, offset: int) -> int | None:
        """What Ctrl+click at ``offset`` selects: the span around the selected one when
        that is under the pointer, else the span around the innermost one; the span
        itself when none is around it (None: no span there)."""
        under = self.spans_at(offset)
        if not under:
            return None
        current = next((s for s in under if s.id == self.selected_span_id), under[0])
        around = self.enclosing(current)
        if current.id != self.selected_span_id and not around:
            return current.id
        return around[0].id if around else current.id

    def focusNextPrevChild(self, forward: bool) -> bool:
        # Tab walks the suggestions awaiting review; without any, it moves focus on.
        if self.suggestions:
            self.suggestion_stepped.emit(1 if forward else -1)
            return True
        return super().focusNextPrevChild(forward)

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            return self.event(event)
        return super().viewportEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            under = self.spans_at(self.offset_at(event.pos()))
            if under:
                QToolTip.showText(event.globalPos(), span_tooltip(under), self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)


def span_tooltip(spans: list[Span]) -> str:
    """The tooltip over spans: label, annotator and note of each, shown as written."""
    return plain_tip("\n".join(_describe(s) for s in spans))


def _describe(span: Span) -> str:
    parts = [span.label]
    if span.annotator:
        parts.append(f"by {span.annotator}")
    line = " — ".join(parts)
    return f"{line}\n    {span.note}" if span.note else line


class LinkArea(QWidget):
    """The strip right of the article text where links between spans are drawn."""

    def __init__(self, view: ArticleView) -> None:
        super().__init__(view)
        self.view = view
        self.setObjectName("linkArea")

    def paintEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        painter = QPainter(self)
        # A rectangle without a pen, not fillRect: one of fillRect's overloads takes a
        # gradient preset, and PySide makes QGradient's 180 enumeration members to try it
        # (about 2 ms at the window's first paint).
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.view.palette().base())
        painter.drawRect(event.rect())
        if self.view.links:
            self.view.paint_link_area(painter)
        painter.end()


def has_rtl_letter(text: str) -> bool:
    """Whether ``text`` holds a letter of a right-to-left script."""
    if text.isascii():
        return False
    try:
        # Windows-1252 holds ASCII, Latin-1's letters and the quotation marks and dashes
        # of most Western news, and no right-to-left letter: a text it encodes (in C)
        # has none, told without compiling the expression. Any other text fails at its
        # first other character, at once.
        text.encode("cp1252")
    except UnicodeEncodeError:
        # One scan by the regex engine for the right-to-left blocks (max() over the text
        # took three times as long), each character found there then asked whether it is
        # a letter: scanning a 1 MB article for the letters' 53 ranges at once took five
        # times as long as for the blocks' five.
        return any(re.match(_RTL_LETTER, found.group()) for found in re.finditer(_RTL_BLOCK, text))
    return False


def _x(found: object) -> float:
    """The x of ``QTextLine.cursorToX``, which PySide returns with the cursor position."""
    value = found[0] if isinstance(found, tuple) else found
    return float(value)  # type: ignore[arg-type]
