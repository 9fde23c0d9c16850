"""The F1 list: every key of the window, as the action table gives them, in a dialog that
fits the screen (it scrolls) and can be filtered by typing."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

INTRO = (
    "Select text (mouse, Shift+arrows, Ctrl+Shift+arrows), then press a label key. "
    "Click a span to select its innermost span; Ctrl+click reaches the span around it. "
    "Drag a handle at the selected span's edge to resize it. "
    "Tab and Shift+Tab go round the document list, the article, the span list and the "
    "selected span's note and attributes (while no suggestions are shown); Escape gives the "
    "article the keys back."
)


class ShortcutsDialog(QDialog):
    """What each key does, one row per action (plain text: no markup is read)."""

    def __init__(self, rows: Sequence[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle("Keyboard shortcuts")
        intro = QLabel(INTRO, self)
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        self.filter = QLineEdit(self)
        self.filter.setObjectName("shortcutFilter")
        self.filter.setPlaceholderText("Type to find a key or an action…")
        self.filter.setClearButtonEnabled(True)
        self.table = QTableWidget(len(rows), 2, self)
        self.table.setObjectName("shortcutTable")
        self.table.setHorizontalHeaderLabels(["Action", "Keys"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        for row, (text, keys) in enumerate(rows):
            self.table.setItem(row, 0, QTableWidgetItem(text))
            key_item = QTableWidgetItem(keys)
            font = key_item.font()
            font.setBold(True)
            key_item.setFont(font)
            self.table.setItem(row, 1, key_item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.filter)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.filter.textChanged.connect(self._filter)
        self._fit_screen(parent)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.table.resizeRowsToContents()  # now that the columns have their widths

    def rows(self) -> list[tuple[str, str]]:
        """The rows shown (not filtered out), as (action, keys)."""
        return [
            (self._text(row, 0), self._text(row, 1))
            for row in range(self.table.rowCount())
            if not self.table.isRowHidden(row)
        ]

    def _text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text() if item is not None else ""

    def _filter(self, text: str) -> None:
        wanted = text.casefold().strip()
        for row in range(self.table.rowCount()):
            line = f"{self._text(row, 0)} {self._text(row, 1)}"
            self.table.setRowHidden(row, bool(wanted) and wanted not in line.casefold())

    def _fit_screen(self, parent: QWidget | None) -> None:
        """Never taller or wider than the screen it opens on (the table scrolls)."""
        screen = (parent.screen() if parent is not None else None) or (
            QGuiApplication.primaryScreen()
        )
        available = screen.availableGeometry()
        self.resize(min(640, available.width() - 40), min(720, available.height() - 80))
