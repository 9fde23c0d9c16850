"""The Statistics dialog: annotation progress, spans per label and spans per annotator.

The charts are painted with QPainter (QtCharts lives in PySide6-Addons, which we do not
ship). Sizes derive from the font so they scale with the user's font and screen; text
uses the widget palette so light and dark themes both stay readable.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from factmark.core.project import Project
from factmark.ui.dialogs.fit import fit_to_screen, scrolling
from factmark.ui.plain import plain_tip

Row = tuple[str, int, QColor]

# Document statuses in the order the progress strip stacks them, with their display names.
STATUS_NAMES: tuple[tuple[str, str], ...] = (
    ("done", "Done"),
    ("in_progress", "In progress"),
    ("skipped", "Skipped"),
    ("new", "New"),
)
# Okabe-Ito colours, distinguishable with the common colour-vision deficiencies.
# "new" has none: it is drawn as the empty part of the strip, in a palette colour.
STATUS_COLOURS: dict[str, str] = {"done": "#009E73", "in_progress": "#0072B2", "skipped": "#E69F00"}
UNLABELLED_COLOUR = "#999999"  # for spans whose label is not in the project's label list


def _outline(colour: QColor) -> QColor:
    """A darker edge that keeps pale fills (yellow, sky blue) visible on light backgrounds."""
    edge = colour.darker(135)
    edge.setAlpha(max(colour.alpha(), 160))
    return edge


def _row_text(rows: list[Row]) -> str:
    """Rows as "name: count" lines, for tooltips and screen readers."""
    return "\n".join(f"{name}: {count:,}" for name, count, _colour in rows)


class BarChart(QWidget):
    """Horizontal bars, one per row: the name on the left, the count at the bar's end.

    The longest bar fills the width left over by the names and counts.
    """

    ROW_HEIGHT = 1.7  # in font heights
    BAR_HEIGHT = 1.05
    GAP = 0.6
    MIN_BAR_SHARE = 0.4  # names longer than the rest are elided (the tooltip has them in full)

    def __init__(self, parent: QWidget | None = None, empty_text: str = "Nothing yet") -> None:
        super().__init__(parent)
        self._rows: list[Row] = []
        self._empty_text = empty_text
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._describe()

    def rows(self) -> list[Row]:
        """The rows shown, in display order."""
        return list(self._rows)

    def set_rows(self, rows: list[Row]) -> None:
        """Show these ``(name, count, colour)`` rows, top to bottom."""
        self._rows = [(name, count, QColor(colour)) for name, count, colour in rows]
        self._describe()
        self.updateGeometry()
        self.update()

    def _describe(self) -> None:
        text = _row_text(self._rows) or self._empty_text
        self.setToolTip(plain_tip(text))  # label and annotator names, as written
        self.setAccessibleDescription(text)

    def _metrics(self) -> QFontMetricsF:
        return QFontMetricsF(self.font())

    def _count_text(self, count: int) -> str:
        return f"{count:,}"

    def _name_width(self) -> float:
        metrics = self._metrics()
        return max((metrics.horizontalAdvance(name) for name, _c, _q in self._rows), default=0.0)

    def _count_width(self) -> float:
        metrics = self._metrics()
        return max(
            (metrics.horizontalAdvance(self._count_text(c)) for _n, c, _q in self._rows),
            default=0.0,
        )

    def _height(self) -> int:
        return round(max(len(self._rows), 1) * self.ROW_HEIGHT * self._metrics().height())

    def sizeHint(self) -> QSize:
        """Room for every name, a comfortable bar length and the counts; one line per row."""
        em = self._metrics().height()
        width = self._name_width() + self._count_width() + 2 * self.GAP * em + 16 * em
        return QSize(round(width), self._height())

    def minimumSizeHint(self) -> QSize:
        """Every row stays visible; names may be elided and bars short."""
        em = self._metrics().height()
        width = min(self._name_width(), 8 * em) + self._count_width() + 2 * self.GAP * em + 4 * em
        return QSize(round(width), self._height())

    def changeEvent(self, event: QEvent) -> None:
        """Recompute the size when the font changes (row height depends on it)."""
        if event.type() == QEvent.Type.FontChange:
            self.updateGeometry()
        super().changeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        """Draw the rows, or the empty text when there are none."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        if not self._rows:
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(
                QRectF(self.rect()),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                self._empty_text,
            )
            return
        metrics = self._metrics()
        em = metrics.height()
        gap = self.GAP * em
        row_height = self.ROW_HEIGHT * em
        bar_height = self.BAR_HEIGHT * em
        count_width = self._count_width()
        bar_minimum = max(self.width() * self.MIN_BAR_SHARE, 4 * em)
        room_for_names = self.width() - count_width - 1.5 * gap - bar_minimum
        name_width = max(min(self._name_width(), room_for_names), 2 * em)
        bar_left = name_width + gap
        bar_room = max(self.width() - bar_left - gap / 2 - count_width, 1.0)
        longest = max(count for _n, count, _c in self._rows) or 1
        text_colour = palette.color(self.foregroundRole())
        for index, (name, count, colour) in enumerate(self._rows):
            top = index * row_height
            painter.setPen(text_colour)
            painter.drawText(
                QRectF(0, top, name_width, row_height),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                metrics.elidedText(name, Qt.TextElideMode.ElideRight, name_width),
            )
            length = bar_room * count / longest
            if length > 0:
                bar = QRectF(bar_left, top + (row_height - bar_height) / 2, length, bar_height)
                painter.setPen(QPen(_outline(colour), 1))
                painter.setBrush(colour)
                radius = min(3.0, length / 2)
                painter.drawRoundedRect(bar.adjusted(0.5, 0.5, -0.5, -0.5), radius, radius)
                painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(text_colour)
            painter.drawText(
                QRectF(bar_left + length + gap / 2, top, count_width + gap, row_height),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                self._count_text(count),
            )


class ProgressStrip(QWidget):
    """One stacked bar of document statuses, with a legend of names and counts under it."""

    BAR_HEIGHT = 1.3  # in font heights
    SPACING = 0.5
    LEGEND_GAP = 1.4
    SWATCH = 0.75

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._segments: list[Row] = []
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def segments(self) -> list[Row]:
        """The ``(name, count, colour)`` segments, left to right."""
        return list(self._segments)

    def set_segments(self, segments: list[Row]) -> None:
        """Show these segments; each gets a share of the width matching its count."""
        self._segments = [(name, count, QColor(colour)) for name, count, colour in segments]
        text = _row_text(self._segments)
        self.setToolTip(plain_tip(text))
        self.setAccessibleDescription(text)
        self.updateGeometry()
        self.update()

    def _legend_items(self) -> list[str]:
        return [f"{name} {count:,}" for name, count, _c in self._segments]

    def _legend_width(self) -> float:
        metrics = QFontMetricsF(self.font())
        em = metrics.height()
        items = self._legend_items()
        widths = [em * (self.SWATCH + 0.4) + metrics.horizontalAdvance(i) for i in items]
        return sum(widths) + self.LEGEND_GAP * em * max(len(items) - 1, 0)

    def sizeHint(self) -> QSize:
        """The bar over a one-line legend, wide enough for the legend."""
        em = QFontMetricsF(self.font()).height()
        height = em * (self.BAR_HEIGHT + self.SPACING + 1)
        return QSize(round(max(self._legend_width(), 20 * em)), round(height) + 1)

    def minimumSizeHint(self) -> QSize:
        """Never narrower than the legend, so no count is cut off."""
        return QSize(round(self._legend_width()) + 1, self.sizeHint().height())

    def changeEvent(self, event: QEvent) -> None:
        """Recompute the size when the font changes."""
        if event.type() == QEvent.Type.FontChange:
            self.updateGeometry()
        super().changeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        """Draw the stacked bar, then the legend."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = QFontMetricsF(self.font())
        em = metrics.height()
        bar = QRectF(0.5, 0.5, self.width() - 1.0, self.BAR_HEIGHT * em)
        outline = QPainterPath()
        outline.addRoundedRect(bar, 4, 4)
        self._paint_segments(painter, bar, outline)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(self._edge_colour(), 1))
        painter.drawPath(outline)
        self._paint_legend(painter, metrics, bar.bottom() + self.SPACING * em)

    def _edge_colour(self) -> QColor:
        return self.palette().color(QPalette.ColorRole.Mid)

    def _paint_segments(self, painter: QPainter, bar: QRectF, outline: QPainterPath) -> None:
        total = sum(count for _n, count, _c in self._segments)
        if not total:
            return
        painter.save()
        painter.setClipPath(outline)
        painter.setPen(Qt.PenStyle.NoPen)
        left = bar.left()
        for _name, count, colour in self._segments:
            width = bar.width() * count / total
            painter.setBrush(colour)
            painter.drawRect(QRectF(left, bar.top(), width, bar.height()))
            left += width
        painter.restore()

    def _paint_legend(self, painter: QPainter, metrics: QFontMetricsF, top: float) -> None:
        em = metrics.height()
        swatch = self.SWATCH * em
        text_colour = self.palette().color(self.foregroundRole())
        left = 0.0
        for (_name, _count, colour), text in zip(self._segments, self._legend_items(), strict=True):
            square = QRectF(left, top + (em - swatch) / 2, swatch, swatch)
            edge = _outline(colour) if colour.alpha() == 255 else self._edge_colour()
            painter.setPen(QPen(edge, 1))
            painter.setBrush(colour)
            painter.drawRoundedRect(square.adjusted(0.5, 0.5, -0.5, -0.5), 2, 2)
            left += swatch + 0.4 * em
            painter.setPen(text_colour)
            painter.drawText(
                QRectF(left, top, metrics.horizontalAdvance(text) + 1, em),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                text,
            )
            left += metrics.horizontalAdvance(text) + self.LEGEND_GAP * em


def progress_headline(done: int, total: int) -> str:
    """E.g. "12 of 40 documents done (30%)"; rounded down so 100% means all done."""
    if not total:
        return "No documents yet"
    noun = "document" if total == 1 else "documents"
    percent = done * 100 // total
    share = "<1%" if done and not percent else f"{percent}%"
    return f"{done:,} of {total:,} {noun} done ({share})"


class StatsDialog(QDialog):
    """How far a project's annotation has got, per status, label and annotator."""

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self._stats: dict[str, dict[str, int]] = {}
        self._colours: dict[str, str] = {}
        self.setObjectName("statsDialog")
        self.setWindowTitle("Statistics")

        self.headline = QLabel()
        self.headline.setObjectName("progressHeadline")
        self.headline.setTextFormat(Qt.TextFormat.PlainText)  # "<1%" is text, not a tag
        headline_font = QFont(self.font())
        headline_font.setPointSizeF(headline_font.pointSizeF() * 1.25)
        headline_font.setBold(True)
        self.headline.setFont(headline_font)
        self.progress = ProgressStrip()
        self.progress.setObjectName("progressStrip")
        self.progress.setAccessibleName("Documents by status")

        self.label_heading = self._heading("labelHeading")
        self.label_chart = BarChart(empty_text="No labels in this project")
        self.label_chart.setObjectName("labelChart")
        self.label_chart.setAccessibleName("Spans per label")

        self.annotator_heading = self._heading("annotatorHeading")
        self.annotator_chart = BarChart(empty_text="No spans yet")
        self.annotator_chart.setObjectName("annotatorChart")
        self.annotator_chart.setAccessibleName("Spans per annotator")

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        # The figures scroll (many labels or annotators); the Close button stays in view.
        figures = QWidget(self)
        column = QVBoxLayout(figures)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.headline)
        column.addWidget(self.progress)
        for heading, chart in (
            (self.label_heading, self.label_chart),
            (self.annotator_heading, self.annotator_chart),
        ):
            column.addSpacing(self.fontMetrics().height())
            column.addWidget(heading)
            column.addWidget(chart)
        column.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(scrolling(figures, self), 1)
        layout.addSpacing(self.fontMetrics().height() // 2)
        layout.addWidget(buttons)
        self.refresh()
        hint = figures.sizeHint()
        fit_to_screen(self, hint.width() + 40, hint.height() + buttons.sizeHint().height() + 60)

    def _heading(self, name: str) -> QLabel:
        heading = QLabel()
        heading.setObjectName(name)
        heading.setTextFormat(Qt.TextFormat.PlainText)
        font = QFont(self.font())
        font.setBold(True)
        heading.setFont(font)
        return heading

    def refresh(self) -> None:
        """Re-read the project's statistics and labels and show them."""
        self._stats = self.project.stats()
        self._colours = {label.name: label.colour for label in self.project.labels()}
        self._show()

    def changeEvent(self, event: QEvent) -> None:
        """Re-pick the palette-derived colours when the theme changes (no re-reading)."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self._stats:
            self._show()

    def _show(self) -> None:
        by_status = self._stats["documents"]
        total = sum(by_status.values())
        self.headline.setText(progress_headline(by_status.get("done", 0), total))
        self.progress.set_segments(
            [(name, by_status.get(key, 0), self._status_colour(key)) for key, name in STATUS_NAMES]
        )
        by_label = self._stats["spans_by_label"]
        # Label order first; a span label missing from the list still gets its bar, last.
        names = [*self._colours, *(name for name in by_label if name not in self._colours)]
        self.label_chart.set_rows(
            [
                (name, by_label.get(name, 0), QColor(self._colours.get(name, UNLABELLED_COLOUR)))
                for name in names
            ]
        )
        self.label_heading.setText(self._spans_heading("Spans per label", by_label))
        by_annotator = self._stats["spans_by_annotator"]
        neutral = self.palette().color(QPalette.ColorRole.Highlight)
        self.annotator_chart.set_rows([(name, n, neutral) for name, n in by_annotator.items()])
        self.annotator_heading.setText(self._spans_heading("Spans per annotator", by_annotator))

    def _status_colour(self, status: str) -> QColor:
        if status in STATUS_COLOURS:
            return QColor(STATUS_COLOURS[status])
        # Not yet started: the strip's empty part, a faint tint of the theme's mid tone.
        empty = self.palette().color(QPalette.ColorRole.Mid)
        empty.setAlpha(110)
        return empty

    def _spans_heading(self, title: str, counts: dict[str, int]) -> str:
        total = sum(counts.values())
        noun = "span" if total == 1 else "spans"
        return f"{title} ({total:,} {noun} in all)"
