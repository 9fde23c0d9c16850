"""Find in the article text (Ctrl+F): a slim bar under the article."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeyEvent, QTextDocument
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QToolButton, QWidget


class FindBar(QWidget):
    """Enter finds the next match, Shift+Enter the previous, Escape closes.

    A found match is selected in the article and the keyboard goes there, so that a label
    key labels it at once (the bar stays open, showing its text); Enter and Shift+Enter
    pressed there while the match is still selected go on to the next or previous match,
    as in the field, and F3 does at any time. ``found`` is emitted then, so that no span
    stays selected that the user no longer sees as such. Clicking the field edits the
    search again.
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
        view.installEventFilter(self)
        # Whether Enter in the article may go to the next match (the window says no while
        # it has another use for Enter: a link being made, a suggestion in hand).
        self.enter_finds: Callable[[], bool] = lambda: True
        self._match: tuple[int, int] | None = None  # the selection last found (UTF-16)
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
            cursor = self.view.textCursor()
            self._match = (cursor.selectionStart(), cursor.selectionEnd())
            self.view.setFocus()  # the label keys label the match; the field would take them
            self.found.emit()
        return found

    def holds_match(self) -> bool:
        """Whether the bar is open and the article still shows its last match selected."""
        cursor = self.view.textCursor()
        return (
            self.isVisible()
            and bool(self.field.text())
            and self._match == (cursor.selectionStart(), cursor.selectionEnd())
        )

    def eventFilter(self, watched, event) -> bool:  # type: ignore[no-untyped-def]
        if watched is self.view and isinstance(event, QKeyEvent):
            return self._article_key(event)
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

    def _article_key(self, event: QKeyEvent) -> bool:
        """Enter / Shift+Enter in the article on a match found: the next / previous match
        (taken before the article's own Enter shortcuts)."""
        if event.key() not in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return False
        if event.modifiers() & ~(
            Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier
        ):
            return False
        if not (self.holds_match() and self.enter_finds()):
            return False
        if event.type() == QEvent.Type.ShortcutOverride:
            event.accept()  # a key press, not the shortcut: it comes back below
            return True
        if event.type() == QEvent.Type.KeyPress:
            self.find_next(backward=bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier))
            return True
        return False


def _button(parent: QWidget, text: str, tip: str) -> QToolButton:
    button = QToolButton(parent)
    button.setText(text)
    button.setToolTip(tip)
    return button
