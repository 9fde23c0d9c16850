"""Driving the article view as a person does: mouse drags and clicks at characters."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QMouseEvent, QTextCursor, QWheelEvent
from PySide6.QtWidgets import QApplication, QMenu, QWidget
from pytestqt.qtbot import QtBot

from factmark.ui.article.article_view import ArticleView


def utf16_position(text: str, offset: int) -> int:
    """Qt's position of code point ``offset`` in ``text``: the UTF-16 units before it.

    Counted by Python's codec, not by the product's converter, so tests that place
    the mouse with it check that converter rather than share its mistakes.
    """
    return len(text[:offset].encode("utf-16-le")) // 2


def point_at(view: ArticleView, offset: int) -> QPoint:
    """The viewport point of the gap before code point ``offset`` (where a caret goes).

    Found with Qt's own geometry: a cursor at the UTF-16 position of the offset in the
    text Qt holds (``toPlainText`` keeps every character's length), then ``cursorRect``.
    """
    cursor = QTextCursor(view.document())
    cursor.setPosition(utf16_position(view.toPlainText(), offset))
    view.setTextCursor(cursor)
    view.ensureCursorVisible()
    QApplication.processEvents()
    rect = view.cursorRect(cursor)
    return QPoint(rect.center().x(), rect.center().y())


def _send(view: ArticleView, kind: QEvent.Type, point: QPoint, buttons: Qt.MouseButton) -> None:
    event = QMouseEvent(
        kind,
        QPointF(point),
        QPointF(view.viewport().mapToGlobal(point)),
        Qt.MouseButton.LeftButton if kind != QEvent.Type.MouseMove else Qt.MouseButton.NoButton,
        buttons,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(view.viewport(), event)


def drag_select(view: ArticleView, start: int, end: int) -> None:
    """Press the mouse at ``start``, drag to ``end`` and release, as a user selects text."""
    # Both ends in view first: placing the end may scroll, which would move the start.
    point_at(view, end)
    begin, finish = point_at(view, start), point_at(view, end)
    assert point_at(view, start) == begin, "the selection is taller than the viewport"
    _send(view, QEvent.Type.MouseButtonPress, begin, Qt.MouseButton.LeftButton)
    middle = QPoint((begin.x() + finish.x()) // 2, finish.y())
    _send(view, QEvent.Type.MouseMove, middle, Qt.MouseButton.LeftButton)
    _send(view, QEvent.Type.MouseMove, finish, Qt.MouseButton.LeftButton)
    _send(view, QEvent.Type.MouseButtonRelease, finish, Qt.MouseButton.NoButton)


def click_at(
    qtbot: QtBot,
    view: ArticleView,
    offset: int,
    modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    """Click inside the character at ``offset`` (holding ``modifiers``)."""
    left, right = point_at(view, offset), point_at(view, offset + 1)
    if left.y() != right.y():
        right = QPoint(left.x() + 4, left.y())
    qtbot.mouseClick(
        view.viewport(),
        Qt.MouseButton.LeftButton,
        modifiers,
        QPoint((left.x() + right.x()) // 2, left.y()),
    )


def type_text(widget: QWidget, text: str) -> None:
    """Type any text, one key event per character (QTest only types ASCII)."""
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def pick_in_next_menu(qtbot: QtBot, text: str, offered: list[str] | None = None) -> None:
    """When the next popup menu opens, arrow to its item ``text`` and press Enter, as a
    user does; ``offered`` (if given) receives the texts of all its items."""

    def pick() -> None:
        menu = QApplication.activePopupWidget()
        if not isinstance(menu, QMenu):
            QTimer.singleShot(20, pick)
            return
        if offered is not None:
            offered.extend(action.text() for action in menu.actions())
        menu.setActiveAction(next(a for a in menu.actions() if a.text() == text))
        qtbot.keyClick(menu, Qt.Key.Key_Return)

    QTimer.singleShot(20, pick)


def wheel_down(widget: QWidget, notches: int) -> None:
    """Turn the mouse wheel over ``widget``'s middle ``notches`` down (no button, no
    modifier held), then let the events run."""
    centre = QPointF(widget.rect().center())
    for _ in range(notches):
        QApplication.sendEvent(
            widget,
            QWheelEvent(
                centre,
                QPointF(widget.mapToGlobal(widget.rect().center())),
                QPoint(0, 0),
                QPoint(0, -120),
                Qt.MouseButton.NoButton,
                Qt.KeyboardModifier.NoModifier,
                Qt.ScrollPhase.NoScrollPhase,
                False,
            ),
        )
    QApplication.processEvents()


def answer_annotator_names(qtbot: QtBot, names: list[str | None], asked: list[str]) -> QTimer:
    """Answer File > Export project for annotator's question for the annotator's name as a
    user does: each time it shows, type the next of ``names`` and press Enter (None:
    Escape, cancelling; so is a question beyond them). ``asked`` receives the question's
    text each time. The timer is returned (stop it when done)."""
    from PySide6.QtWidgets import QInputDialog, QLineEdit

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QInputDialog) or dialog.objectName() != "copyAnnotator":
            return
        if not dialog.isVisible():
            return
        asked.append(dialog.labelText())
        name = names[len(asked) - 1] if len(asked) <= len(names) else None
        field = dialog.findChild(QLineEdit)
        assert field is not None
        if name is None:
            qtbot.keyClick(field, Qt.Key.Key_Escape)
            return
        field.selectAll()
        qtbot.keyClick(field, Qt.Key.Key_Backspace)
        type_text(field, name)
        qtbot.keyClick(field, Qt.Key.Key_Return)

    timer = QTimer()
    timer.timeout.connect(answer)
    timer.start(30)
    return timer
