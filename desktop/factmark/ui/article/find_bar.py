"""Find in the article text (Ctrl+F): a slim bar under the article."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QTextDocument
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QToolButton, QWidget


class FindBar(QWidget):
    """Enter finds the next match, Shift+Enter the previous, Escape closes.

    A found match stays selected in the article, so a label key labels it; ``found`` is
    emitted then, so that no span stays selected that the user no longer sees as such.
    """

    found = Signal()

    def __init__(self, view: QPlainTextEdit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findBar")
        self.view = view
        self.field = QLineEdit(self)
        self.field.setObjectName("findField")
        self.field.setPlaceholderText("Find in article")
        self.field.setClearButtonEnabled(True)
        self.result = QLabel(self)
        previous = _button(self, "▲", "Previous match (Shift+Enter)")
        following = _button(self, "▼", "Next match (Enter)")
        close = _button(self, "✕", "Close (Escape)")
        previous.clicked.connect(lambda: self.find_next(backward=True))
        following.clicked.connect(lambda: self.find_next())
        close.clicked.connect(self.close_bar)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        for widget in (self.field, previous, following, self.result, close):
            layout.addWidget(widget)
        self.field.installEventFilter(self)
        self.field.returnPressed.connect(lambda: self.find_next())
        self.field.textChanged.connect(lambda _text: self.result.clear())
        self.hide()

    def open_bar(self) -> None:
        """Show the bar with the article's selected text (if short) to find."""
        selected = self.view.textCursor().selectedText()
        if selected and len(selected) < 80 and "\u2029" not in selected:
            self.field.setText(selected)
        self.show()
        self.field.setFocus()
        self.field.selectAll()

    def close_bar(self) -> None:
        # The article takes the keyboard first: hiding the bar while its field has it would
        # pass it on to the next widget (the span list, which would select its first span
        # and drop the match found, so that a label key relabelled that span instead).
        self.view.setFocus()
        self.hide()

    def find_next(self, *, backward: bool = False) -> bool:
        """Select the next (or previous) match, wrapping around the article."""
        needle = self.field.text()
        if not needle:
            return False
        flags = QTextDocument.FindFlag.FindBackward if backward else QTextDocument.FindFlag(0)
        found = self.view.find(needle, flags)
        if not found:
            cursor = self.view.textCursor()
            cursor.movePosition(
                cursor.MoveOperation.End if backward else cursor.MoveOperation.Start
            )
            self.view.setTextCursor(cursor)
            found = self.view.find(needle, flags)
        self.result.setText("" if found else "Not found")
        if found:
            self.found.emit()
        return found

    def eventFilter(self, watched, event) -> bool:  # type: ignore[no-untyped-def]
        if (
            watched is self.field
            and isinstance(event, QKeyEvent)
            and (event.type() == QKeyEvent.Type.KeyPress)
        ):
            if event.key() == Qt.Key.Key_Escape:
                self.close_bar()
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and (
                event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            ):
                self.find_next(backward=True)
                return True
        return super().eventFilter(watched, event)


def _button(parent: QWidget, text: str, tip: str) -> QToolButton:
    button = QToolButton(parent)
    button.setText(text)
    button.setToolTip(tip)
    return button
