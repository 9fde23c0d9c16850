"""The article text widget: read-only, wrapped, selectable by mouse and keyboard."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QTextOption
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from factmark.ui.offsets import OffsetMap


class ArticleView(QPlainTextEdit):
    """Shows one document's stored text; positions it reports are code points."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("articleView")
        self.setReadOnly(True)
        # Read-only, yet a visible cursor that Shift+arrows can extend.
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF(), 10.0) * 1.25)
        self.setFont(font)
        self.document().setDocumentMargin(24)
        self.offsets = OffsetMap("")
        self.text = ""

    def show_text(self, text: str) -> None:
        """Replace the shown text (the stored text, exactly)."""
        self.text = text
        self.offsets = OffsetMap(text)
        self.setPlainText(text)

    def selected_range(self) -> tuple[int, int] | None:
        """The selection as code-point offsets ``(start, end)``, or None."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        return (
            self.offsets.to_py(cursor.selectionStart()),
            self.offsets.to_py(cursor.selectionEnd()),
        )
