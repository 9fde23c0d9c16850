"""Team work in the window: merge annotators' copies, and the agreement report."""

from __future__ import annotations

from collections import deque
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from factmark.core.project import Project
from factmark.ui.background.agreement_report import agreement_html
from factmark.ui.dialogs.fit import available_area, fit_to_screen, scrolling
from factmark.ui.dialogs.stats_dialog import BarChart

# Disagreement rows made at once: the first when the list opens, then one batch per turn
# of the event loop.
ROWS_AT_ONCE = 2000
KINDS = {"span": "spans", "link": "link", "attribute": "attribute"}


def _row(entry: dict[str, Any]) -> QTreeWidgetItem:
    """One disagreement's row: its document, place and every annotator's version."""
    versions = "   |   ".join(f"{who}: {v}" for who, v in entry["versions"].items())
    row = QTreeWidgetItem([entry["document"], f"[{entry['start']}, {entry['end']})", versions])
    row.setToolTip(2, versions)
    row.setData(0, Qt.ItemDataRole.UserRole, entry)
    return row


class DisagreementList(QTreeWidget):
    """Every disagreement behind the figures, grouped by figure (label, link type,
    attribute); a double-click or Enter on one opens its place."""

    place_chosen = Signal(int, int, int)  # document id, start, end

    def __init__(self, disagreements: list[dict[str, Any]], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("agreementDisagreements")
        self.setHeaderLabels(["Figure / document", "Place", "Versions"])
        self.setRootIsDecorated(True)
        groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for entry in disagreements:
            groups.setdefault((entry["kind"], entry["label"]), []).append(entry)
        # Each group's rows still to be made, from the first not yet made.
        self._unmade: deque[tuple[QTreeWidgetItem, list[dict[str, Any]], int]] = deque()
        for (kind, name), entries in sorted(groups.items()):
            top = QTreeWidgetItem(self, [f"{KINDS[kind]} {name} ({len(entries)})"])
            self._unmade.append((top, entries, 0))
        # Rows beyond the first are made a batch per turn of the event loop, so that the
        # window answers while a large project's list fills (100,000 rows take seconds).
        self._filling = QTimer(self)
        self._filling.setInterval(0)
        self._filling.timeout.connect(lambda: self._make(ROWS_AT_ONCE))
        self._make(ROWS_AT_ONCE)
        self.resizeColumnToContents(0)
        if self._unmade:
            self._filling.start()
        self.itemActivated.connect(self._open)
        self.itemDoubleClicked.connect(self._open)

    def filled(self) -> bool:
        """Whether every disagreement has its row."""
        return not self._unmade

    def _make(self, rows: int) -> None:
        """Make up to ``rows`` more rows, in order."""
        while rows > 0 and self._unmade:
            top, entries, first = self._unmade.popleft()
            last = min(len(entries), first + rows)
            top.addChildren([_row(entry) for entry in entries[first:last]])
            if not first:
                top.setExpanded(True)  # every group open, as each gets its first rows
            rows -= last - first
            if last < len(entries):
                self._unmade.appendleft((top, entries, last))
        if not self._unmade:
            self._filling.stop()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter opens the current disagreement on every platform (the item view's own
        # Enter handling differs between styles), instead of the dialog's default button.
        item = self.currentItem()
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and item is not None:
            self._open(item)
            return
        super().keyPressEvent(event)

    def _open(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        entry = item.data(0, Qt.ItemDataRole.UserRole)
        if isinstance(entry, dict):
            self.place_chosen.emit(entry["document_id"], entry["start"], entry["end"])


class AgreementDialog(QDialog):
    """View > Agreement: the figures of ``factmark agree`` (``figures``, with the
    disagreements) with a pair heatmap, and the disagreements behind them; choosing one
    closes the dialog with ``place_chosen``."""

    place_chosen = Signal(int, int, int)  # document id, start, end

    def __init__(
        self,
        project: Project,
        figures: dict[str, Any],
        parent: QWidget | None = None,
        report: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("agreementDialog")
        self.setWindowTitle("Agreement between annotators")
        self.figures = figures  # factmark.core.agreement.agreement's, counted in the background
        self.report = QTextBrowser(self)
        self.report.setObjectName("agreementReport")
        # The report's HTML made with the figures, in the background, when given.
        self.report.setHtml(agreement_html(self.figures) if report is None else report)
        # Per-label bars: exact span F1 in percent, in each label's colour.
        self.bars = BarChart(self, "No label compared yet")
        self.bars.setObjectName("agreementBars")
        colours = {label.name: label.colour for label in project.labels()}
        self.bars.set_rows(
            [
                (f"{name} (exact F1 %)", round(100 * row["exact_f1"]), QColor(colours[name]))
                for name, row in self.figures["labels"].items()
                if row["exact_f1"] is not None
            ]
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, parent=self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        # Many labels: the bars scroll, at most a third of the screen's height.
        bars = scrolling(self.bars, self)
        bars.setMaximumHeight(
            min(self.bars.sizeHint().height() + 4, available_area(self).height() // 3)
        )
        layout.addWidget(bars)
        self.disagreements = DisagreementList(self.figures.get("disagreements", []), self)
        self.disagreements.place_chosen.connect(self._chosen)
        below = QWidget(self)
        column = QVBoxLayout(below)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(
            QLabel(
                "Disagreements behind the figures (double-click or Enter opens the place in "
                "review mode):",
                below,
            )
        )
        column.addWidget(self.disagreements)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.report)
        split.addWidget(below)
        layout.addWidget(split, 1)
        layout.addWidget(buttons)
        fit_to_screen(self, 640, 560)

    def _chosen(self, document_id: int, start: int, end: int) -> None:
        self.accept()
        self.place_chosen.emit(document_id, start, end)
