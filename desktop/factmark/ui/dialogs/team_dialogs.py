"""Team work in the window: merge annotators' copies, and the agreement report."""

from __future__ import annotations

from collections import deque
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeyEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from factmark.core.agreement_table import ComparedDocuments
from factmark.core.project import Project
from factmark.ui.background.agreement_report import agreement_html
from factmark.ui.dialogs.fit import fit_to_screen, scrolling
from factmark.ui.dialogs.stats_dialog import BarChart
from factmark.ui.models.agreement_documents import DocumentFigures

# Disagreement rows made at once: the first when the list opens, then one batch per turn
# of the event loop.
ROWS_AT_ONCE = 2000
KINDS = {"span": "spans", "link": "link", "attribute": "attribute"}
# The dialog's size where the screen has room (a 1920×1080 desk); on a 1366×768 laptop or
# smaller it takes the screen's available area.
SIZE = (1280, 960)
SUMMARY_SHARE = 0.4  # the most of the dialog's height the figures above the tables take


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

    place_chosen = Signal(int, int, int, object)  # document id, start, end, the entry

    def __init__(
        self,
        disagreements: list[dict[str, Any]],
        parent: QWidget | None = None,
        counts: dict[str, dict[str, int]] | None = None,
    ):
        """``counts``: how many disagreements each figure has (``disagreement_counts``),
        when ``disagreements`` lists only the first of them."""
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
            total = (counts or {}).get(f"{kind}s", {}).get(name, len(entries))
            shown = f"{total:,}"
            if total > len(entries):
                shown += f"; the first {len(entries):,} listed: factmark agree --json lists all"
            top = QTreeWidgetItem(self, [f"{KINDS[kind]} {name} ({shown})"])
            self._unmade.append((top, entries, 0))
        # Rows beyond the first are made a batch per turn of the event loop, so that the
        # window answers while a large project's list fills (100,000 rows take seconds).
        self._filling = QTimer(self)
        self._filling.setInterval(0)
        self._filling.timeout.connect(lambda: self._make(ROWS_AT_ONCE))
        self._make(ROWS_AT_ONCE)
        # Columns as wide as their headings and the first rows; the versions, the long
        # text, take the rest (the first column is capped in resizeEvent).
        self.resizeColumnToContents(1)
        self._first_width = max(self.sizeHintForColumn(0), self.header().sectionSizeHint(0))
        if self._unmade:
            self._filling.start()
        self.itemActivated.connect(self._open)
        self.itemDoubleClicked.connect(self._open)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # A long document name takes at most two fifths of what the place leaves, so that
        # every heading and most of each version stay in view (no sideways scrolling).
        room = self.viewport().width() - self.columnWidth(1)
        width = min(self._first_width, room * 2 // 5)
        self.setColumnWidth(0, max(width, self.header().sectionSizeHint(0)))

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
            self.place_chosen.emit(entry["document_id"], entry["start"], entry["end"], entry)


def disagreeing(figures: dict[str, Any]) -> int:
    """How many disagreements are behind the figures (more than are listed, maybe)."""
    counts = figures.get("disagreement_counts")
    if counts is None:
        return len(figures.get("disagreements", []))
    return sum(sum(by_name.values()) for by_name in counts.values())


def _titled(parent: QWidget, title: str, view: QWidget) -> QWidget:
    """``view`` under a line saying what it shows (wrapped on a narrow screen)."""
    box = QWidget(parent)
    column = QVBoxLayout(box)
    column.setContentsMargins(6, 6, 6, 6)
    line = QLabel(title, box)
    line.setWordWrap(True)
    column.addWidget(line)
    column.addWidget(view, 1)
    return box


class DocumentTable(QTableView):
    """Each compared document's figures, lowest agreement first, sortable by a click on a
    column's header; a double-click or Enter on one opens the document."""

    document_chosen = Signal(str)  # the document's uid

    def __init__(
        self, documents: ComparedDocuments | list[dict[str, Any]], parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.setObjectName("agreementDocuments")
        self.setModel(DocumentFigures(documents, self))
        self.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.verticalHeader().hide()
        # The report's order (exact F1, lowest first) is the first sort, without moving a row.
        self.horizontalHeader().setSortIndicator(1, Qt.SortOrder.AscendingOrder)
        self.setSortingEnabled(True)
        # The document's name takes what the figures leave: no empty strip at the right.
        header = self.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(80)
        # The figures share one width: their widest heading (with room for the sort
        # arrow) or value.
        figures = range(1, header.count())
        width = max(max(header.sectionSizeHint(c), self.sizeHintForColumn(c)) for c in figures)
        for column in figures:
            self.setColumnWidth(column, width)
        self.activated.connect(self._open)
        self.doubleClicked.connect(self._open)

    def event(self, event: QEvent) -> bool:
        # Enter is this table's (opening the document), not a shortcut of the window's.
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter opens the current document on every platform, as in the disagreements.
        current = self.currentIndex()
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and current.isValid():
            self._open(current)
            return
        super().keyPressEvent(event)

    def _open(self, index: QModelIndex) -> None:
        model = self.model()
        if index.isValid() and isinstance(model, DocumentFigures):
            self.document_chosen.emit(model.document(index.row())["id"])


class AgreementDialog(QDialog):
    """View > Agreement: the figures of ``factmark agree`` (``figures``, with the
    disagreements) with a pair heatmap and per-label bars above, and below, taking the rest
    of a dialog as large as the screen allows, the documents and the disagreements behind
    the figures, a tab each; choosing a document or a disagreement closes the dialog with
    ``document_chosen`` or ``place_chosen``."""

    place_chosen = Signal(int, int, int, object)  # document id, start, end, the entry
    document_chosen = Signal(str)  # a document's uid

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
        # Above: the report and the per-label bars side by side (each scrolls when long).
        self.summary = QSplitter(Qt.Orientation.Horizontal, self)
        self.summary.setObjectName("agreementSummary")
        self.summary.addWidget(self.report)
        self.summary.addWidget(scrolling(self.bars, self))
        # Below, taking the rest of the dialog: the documents, and the disagreements.
        self.disagreements = DisagreementList(
            self.figures.get("disagreements", []), self, self.figures.get("disagreement_counts")
        )
        self.disagreements.place_chosen.connect(self._chosen)
        self.documents = DocumentTable(self.figures["documents"], self)
        self.documents.document_chosen.connect(self._document)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("agreementTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(
            _titled(
                self,
                "Documents, lowest agreement first (a click on a heading sorts; double-click "
                "or Enter opens the document in review mode):",
                self.documents,
            ),
            f"&Documents ({len(self.figures['documents']):,})",
        )
        self.tabs.addTab(
            _titled(
                self,
                "Disagreements behind the figures (double-click or Enter opens the place in "
                "review mode):",
                self.disagreements,
            ),
            f"D&isagreements ({disagreeing(self.figures):,})",
        )
        self.tabs.currentChanged.connect(self._tab_shown)
        self.split = QSplitter(Qt.Orientation.Vertical, self)
        self.split.addWidget(self.summary)
        self.split.addWidget(self.tabs)
        self.split.setChildrenCollapsible(False)
        self.split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.split, 1)
        layout.addWidget(buttons)
        fit_to_screen(self, *SIZE)
        self._shared = False  # the split between figures and tables, made on first show
        self.documents.setFocus()  # arrows move through the documents, Enter opens one

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shared:
            self._shared = True
            self._share_height()

    def _share_height(self) -> None:
        """The figures above take what they need, at most ``SUMMARY_SHARE`` of the
        height; the tables below the rest."""
        frame = 2 * self.report.frameWidth() + 2
        report = int(self.report.document().size().height()) + frame  # laid out to its width
        wanted = max(report, self.bars.sizeHint().height() + 4)
        total = sum(self.split.sizes())
        summary = min(wanted, int(total * SUMMARY_SHARE))
        self.split.setSizes([summary, total - summary])
        width = sum(self.summary.sizes())
        self.summary.setSizes([width * 3 // 5, width - width * 3 // 5])  # the report wider

    def _tab_shown(self, index: int) -> None:
        """The keys go to the table of the tab chosen (Alt+D, Alt+I or a click)."""
        (self.documents if index == 0 else self.disagreements).setFocus()

    def _document(self, uid: str) -> None:
        self.accept()
        self.document_chosen.emit(uid)

    def _chosen(self, document_id: int, start: int, end: int, entry: dict[str, Any]) -> None:
        self.accept()
        self.place_chosen.emit(document_id, start, end, entry)
