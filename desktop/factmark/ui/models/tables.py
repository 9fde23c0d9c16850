"""Thin Qt item models over core data; they refresh when the project reports a change."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any, overload

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from factmark.core.changes import DocumentState, Edit
from factmark.core.model import REVIEW, Document, Span
from factmark.core.project import Project
from factmark.ui.models.span_index import SpanIndex
from factmark.ui.plain import plain_tip

STATUS_NAMES = {"new": "New", "in_progress": "In progress", "done": "Done", "skipped": "Skipped"}
_Index = QModelIndex | QPersistentModelIndex


class TableModel(QAbstractTableModel):
    """A flat table with fixed column titles; subclasses say what the rows are."""

    HEADERS: tuple[str, ...] = ()

    def items(self) -> Sequence[object]:
        """The objects shown, one per row (each model lists its own; not abc: Qt
        classes have a metaclass of their own)."""
        raise NotImplementedError(f"{type(self).__name__} must define items")

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items())

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None


class ListedDocuments(Sequence[Document]):
    """The document list's rows: ``(id, uid, title, status)`` tuples from the project,
    made into Documents (without text, metadata or counts) only when one is asked for, so
    that listing an archive of 100,000 documents builds 30 objects, not 100,000."""

    def __init__(self, rows: list[tuple[int, str, str, str]]) -> None:
        self.rows = rows
        self._made: dict[int, Document] = {}

    def __len__(self) -> int:
        return len(self.rows)

    @overload
    def __getitem__(self, index: int) -> Document: ...

    @overload
    def __getitem__(self, index: slice) -> list[Document]: ...

    def __getitem__(self, index: int | slice) -> Document | list[Document]:
        if isinstance(index, slice):
            return [self[n] for n in range(*index.indices(len(self.rows)))]
        if index < 0:
            index += len(self.rows)
        made = self._made.get(index)
        if made is None:
            document_id, uid, title, status = self.rows[index]
            made = self._made[index] = Document(document_id, uid, title, "", {}, status)
        return made

    def __setitem__(self, index: int, document: Document) -> None:
        self._made[index] = document

    def ids(self) -> list[int]:
        return [row[0] for row in self.rows]


class DocumentListModel(TableModel):
    """The project's documents: title, status and span count."""

    HEADERS = ("Title", "Status", "Spans")

    def __init__(self, project: Project, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.status = ""
        self.search = ""
        self.documents: ListedDocuments = ListedDocuments([])
        self._rows: dict[int, int] = {}  # document id -> row
        # Span counts of the rows shown so far: read for the rows painted, a page at a time,
        # so that a list of 100,000 documents does not count 2 million spans to open.
        self._counts: dict[int, int] = {}
        self._take(project.document_rows())

    def _take(self, rows: list[tuple[int, str, str, str]]) -> None:
        self.documents = ListedDocuments(rows)
        self._rows = {row[0]: n for n, row in enumerate(rows)}
        self._counts = {}

    def reload(self) -> None:
        """Read the (filtered) document list again, e.g. after an import."""
        self.beginResetModel()
        self._take(self.project.document_rows(self.status or None, self.search))
        self.endResetModel()

    def ids(self) -> list[int]:
        """The listed documents' ids, in order."""
        return self.documents.ids()

    def span_count(self, row: int) -> int:
        """The span count of the document in ``row`` (those around it are read with it)."""
        document_id = self.documents[row].id or 0
        if document_id not in self._counts:
            page = self.documents.ids()[max(0, row - 50) : row + 150]
            found = self.project.span_counts(page)
            self._counts.update({i: found.get(i, 0) for i in page})
        return self._counts[document_id]

    def set_filter(self, status: str = "", search: str = "") -> None:
        """Show only documents with ``status`` (all when empty) containing ``search``."""
        self.status, self.search = status, search
        self.reload()

    def apply_edits(
        self, states: dict[int, Edit[DocumentState]], span_counts: dict[int, int]
    ) -> None:
        """Take documents' new statuses and metadata and their span count changes (from
        the change the project reported); a document that leaves the filtered list
        makes the list read again."""
        for document_id in states.keys() | span_counts.keys():
            row = self.row_of(document_id)
            if row < 0:
                continue
            document = self.documents[row]
            edit = states.get(document_id)
            if edit is not None and edit.new is not None:
                if self.status and edit.new.status != self.status:
                    self.reload()  # it left the filtered list
                    return
                document = replace(document, status=edit.new.status, meta=edit.new.meta)
            if document_id in self._counts:
                self._counts[document_id] += span_counts.get(document_id, 0)
            self.documents[row] = document
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.HEADERS) - 1))

    def items(self) -> Sequence[object]:
        return self.documents

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        document = self.documents[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            column = index.column()
            if column == 2:
                return self.span_count(index.row())
            if column == 1:
                return STATUS_NAMES.get(document.status, document.status)
            return document.title or f"Document {document.id}"
        if role == Qt.ItemDataRole.UserRole:
            return document.id
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tip(document.title)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def row_of(self, document_id: int) -> int:
        """The row showing a document, or -1."""
        return self._rows.get(document_id, -1)


_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_USER = int(Qt.ItemDataRole.UserRole.value)
_DECORATION = int(Qt.ItemDataRole.DecorationRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_SPAN_ROLES = frozenset((_DISPLAY, _USER, _DECORATION, _TOOLTIP))


class SpanListModel(TableModel):
    """The current document's spans in text order: label, text and annotator."""

    HEADERS = ("Label", "Text", "Annotator")

    def __init__(self, project: Project, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.text = ""
        self.document_id: int | None = None
        self.span_index = SpanIndex()  # shared with the article and its painter
        self.colours: dict[str, str] = {}
        self._swatches: dict[str, QColor] = {}  # the colours as Qt takes them, by label

    @property
    def spans(self) -> list[Span]:
        return self.span_index.spans

    def show_document(self, document: Document | None) -> None:
        """Show the spans of ``document`` (None: none)."""
        self.beginResetModel()
        self.document_id = document.id if document else None
        self.text = document.text if document else ""
        self.span_index.reset(self.project.spans(document.id) if document and document.id else [])
        self.colours = {label.name: label.colour for label in self.project.labels()}
        self._swatches = {}
        self.endResetModel()

    def items(self) -> Sequence[object]:
        return self.span_index.spans

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Called for every role of every visible cell on each repaint: roles the list
        # does not use are answered first, by plain int comparison.
        if role not in _SPAN_ROLES or not index.isValid():
            return None
        span = self.span_index.spans[index.row()]
        if role == _DISPLAY:
            text = self.text[span.start : span.end].replace("\n", " ")
            column = index.column()
            if column == 2:  # the annotator, and the adjudication's verdict on the span
                verdict = span.attrs.get(REVIEW)
                who = span.annotator or ""
                return f"{who} ({verdict})".lstrip() if isinstance(verdict, str) else who
            return (span.label, text)[column]
        if role == _USER:
            return span.id
        if role == _DECORATION:
            if index.column() != 0:
                return None
            colour = self._swatches.get(span.label)
            if colour is None:
                colour = self._swatches[span.label] = QColor(
                    self.colours.get(span.label, "#999999")
                )
            return colour
        if role == _TOOLTIP:
            return plain_tip(
                f"{span.label} [{span.start}, {span.end})" + (f"\n{span.note}" if span.note else "")
            )
        return None

    def apply_edits(self, edits: Iterable[Edit[Span]]) -> list[tuple[int, int]]:
        """Take spans added, changed or removed (their new values, from the change the
        project reported) and move only their rows; nothing is read again.

        Returns the text ranges they covered before and after, for repainting.
        """
        ranges: list[tuple[int, int]] = []
        spans = self.span_index
        for edit in edits:
            old, new = edit.old, edit.new
            shown_before = old or new
            row = spans.row_of(shown_before.id if shown_before is not None else None)
            if row >= 0:
                shown = spans.spans[row]
                ranges.append((shown.start, shown.end))
                self.beginRemoveRows(QModelIndex(), row, row)
                spans.remove_at(row)
                self.endRemoveRows()
            if new is None or new.document_id != self.document_id:
                continue
            ranges.append((new.start, new.end))
            position = spans.position_for(new)
            self.beginInsertRows(QModelIndex(), position, position)
            spans.insert(position, new)
            self.endInsertRows()
        return ranges

    def set_colours(self, colours: dict[str, str]) -> None:
        """New label colours (labels were recoloured or renamed)."""
        self.colours = colours
        self._swatches = {}
        if self.spans:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.spans) - 1, 0))

    def row_of(self, span_id: int | None) -> int:
        """The row showing a span, or -1."""
        return self.span_index.row_of(span_id)
