"""The agreement report's documents as a table model: each compared document's figures,
a cell read only when the view asks for it, sortable by any column."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from factmark.core.agreement_table import NAME, ComparedDocuments

FIGURES = (("exact_f1", "exact F1"), ("overlap_f1", "overlap F1"), ("kappa", "kappa"))
DARK = QColor("#111")

Index = QModelIndex | QPersistentModelIndex
Role = Qt.ItemDataRole


def shade_rgb(value: float) -> tuple[int, int, int]:
    """A figure's shade, from red (0) to green (1), like a heatmap: the report's table
    cells and this table's backgrounds."""
    part = max(0.0, min(1.0, value))
    return int(230 - 120 * part), int(120 + 100 * part), 120


def shade(value: float) -> QColor:
    """A figure's background, as the report's tables shade it."""
    return QColor(*shade_rgb(value))


class DocumentFigures(QAbstractTableModel):
    """The compared documents (``figures["documents"]``, lowest agreement first): the
    document (its title, else the start of its id), then exact F1, overlap F1 and kappa.
    A cell's value is read from the table when the view asks for it; a sort computes the
    order of the rows, not the rows."""

    def __init__(
        self, documents: ComparedDocuments | list[dict[str, Any]], parent: Any = None
    ) -> None:
        super().__init__(parent)
        if not isinstance(documents, ComparedDocuments):
            documents = ComparedDocuments.of_rows(documents)
        self.documents = documents
        self.order: list[int] | None = None  # the rows shown, as places; None: the table's

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.documents)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 1 + len(FIGURES)

    def place(self, row: int) -> int:
        """Where the document shown in ``row`` is in the table."""
        return row if self.order is None else self.order[row]

    def document(self, row: int) -> dict[str, Any]:
        """The figures of the document shown in ``row``."""
        return self.documents.row(self.place(row))

    def data(self, index: Index, role: int = Role.DisplayRole) -> Any:
        if not index.isValid():
            return None
        at = self.place(index.row())
        column = index.column()
        if column == 0:
            if role in (Role.DisplayRole, Role.ToolTipRole):
                return self.documents.named(at)
            return None
        value = self.documents.figure(FIGURES[column - 1][0], at)
        if role == Role.DisplayRole:
            return "–" if value is None else f"{value:.2f}"
        if role == Role.TextAlignmentRole:
            if value is None:
                return Qt.AlignmentFlag.AlignCenter
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        if value is not None and role == Role.BackgroundRole:
            return shade(value)
        if value is not None and role == Role.ForegroundRole:
            return DARK
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Role.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Role.DisplayRole:
            return None
        return "Document" if section == 0 else FIGURES[section - 1][1]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Rows by one column (an undefined figure after every defined one); rows equal in
        it keep the report's order, lowest agreement first."""
        name = FIGURES[column - 1][0] if column else NAME
        descending = order == Qt.SortOrder.DescendingOrder
        self.layoutAboutToBeChanged.emit()
        self.order = self.documents.order(name, descending).tolist()
        self.layoutChanged.emit()
