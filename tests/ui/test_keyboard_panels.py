"""The keyboard reaches every part of the window: Tab and Shift+Tab go round the document
list, the article, the span list and the details panel (never from cell to cell of a
list), Escape gives the article the keys back, the document shown keeps its row in the
list, and an attribute key says what it set. Real key presses; where the keys are is
Qt's own focusWidget(), what was stored is read with bare sqlite3."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from PySide6.QtCore import QRect, Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget
from pytestqt.qtbot import QtBot

from factmark.ui.window.main_window import MainWindow
from tests.ui.helpers import drag_select, type_text
from tests.ui.test_annotation import KEYS, find
from tests.ui.test_keys_after_dialogs import when_shown

SHIFT_ALT = Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.AltModifier
CLAIM = "he said it had lost around 500 men"


def focused() -> str:
    widget = QApplication.focusWidget()
    return widget.objectName() if widget is not None else ""


def press(qtbot: QtBot, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    """A key pressed where the keys are now."""
    widget = QApplication.focusWidget()
    assert widget is not None
    qtbot.keyClick(widget, key, modifier)


def walk(qtbot: QtBot, key: Qt.Key, presses: int = 40) -> list[str]:
    """The widgets the keys go to at each press of ``key``, until they are back where
    they began."""
    start = QApplication.focusWidget()
    seen = []
    for _ in range(presses):
        press(qtbot, key)
        seen.append(focused())
        if QApplication.focusWidget() is start:
            return seen
    raise AssertionError(f"the keys never came back: {seen}")


def stored_attrs(window: MainWindow) -> dict[str, str]:
    """The attributes of the claim, as the project file holds them (bare sqlite3)."""
    assert window.current is not None
    with sqlite3.connect(Path(window.project.path)) as db:
        rows = db.execute(
            "SELECT attrs FROM spans WHERE document_id = ? AND label = 'claim'",
            (window.current.id,),
        ).fetchall()
    assert len(rows) == 1
    return json.loads(rows[0][0] or "{}")


def shown_title(window: MainWindow) -> str:
    """The title of the document the article shows, read with bare sqlite3."""
    with sqlite3.connect(Path(window.project.path)) as db:
        (title,) = db.execute(
            "SELECT title FROM documents WHERE text = ?", (window.article_view.text,)
        ).fetchone()
    return str(title)


def current_title(window: MainWindow) -> str | None:
    """The title in the document list's current row (None: no row is current)."""
    index = window.document_list.currentIndex()
    return index.siblingAtColumn(0).data() if index.isValid() else None


def with_claim(open_window, qtbot: QtBot) -> MainWindow:  # type: ignore[no-untyped-def]
    """A window at 1366x740 whose seed article has one claim, selected."""
    window = open_window()
    window.resize(1366, 740)
    start = find(window, CLAIM)
    drag_select(window.article_view, start, start + len(CLAIM))
    qtbot.keyClick(window.article_view, KEYS["claim"])
    assert window.article_view.selected_span_id is not None
    return window


# -- Tab -------------------------------------------------------------------------------


def test_tab_from_the_article_goes_round_every_part_and_back(open_window, qtbot: QtBot) -> None:  # type: ignore[no-untyped-def]
    window = with_claim(open_window, qtbot)
    shown = window.session.document_id
    window.article_view.setFocus()
    seen = walk(qtbot, Qt.Key.Key_Tab)
    assert seen[0] == "spanList"  # the article's neighbour on the right
    for part in ("spanNote", "attribute_checkworthy", "attribute_verdict"):
        assert part in seen
    assert seen.index("spanList") < seen.index("spanNote") < seen.index("attribute_checkworthy")
    assert seen.index("attribute_checkworthy") < seen.index("attribute_verdict")
    # Round to the document list's filter, search and list, then the article again.
    assert seen[-4:] == ["statusFilter", "documentSearch", "documentList", "articleView"]
    assert "annotatorButton" not in seen
    assert window.session.document_id == shown  # passing through the list opened nothing
    assert current_title(window) == shown_title(window)
    assert window.article_view.selected_span_id is not None

    back = walk(qtbot, Qt.Key.Key_Backtab)
    assert back == [*seen[-2::-1], "articleView"]  # Shift+Tab: the same round, backwards


def test_tab_in_a_list_leaves_the_list(open_window, qtbot: QtBot) -> None:  # type: ignore[no-untyped-def]
    window = with_claim(open_window, qtbot)
    shown = window.session.document_id
    window.document_list.setFocus()
    row = window.document_list.currentIndex().row()
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() == "articleView"
    assert window.session.document_id == shown
    assert window.document_list.currentIndex().row() == row

    window.span_list.setFocus()
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() not in ("spanList", "")
    window.span_list.setFocus()
    press(qtbot, Qt.Key.Key_Backtab)
    assert focused() == "articleView"


def test_tab_reaches_a_field_below_the_details_fold(open_window, qtbot: QtBot) -> None:  # type: ignore[no-untyped-def]
    window = with_claim(open_window, qtbot)
    window.article_view.setFocus()
    for _ in range(40):
        press(qtbot, Qt.Key.Key_Tab)
        if focused() == "attribute_verdict":
            break
    assert focused() == "attribute_verdict"
    combo = QApplication.focusWidget()
    assert isinstance(combo, QWidget)
    assert _in_view(window, combo)


# -- Escape ----------------------------------------------------------------------------


def test_escape_in_a_list_or_a_panel_gives_the_article_the_keys(open_window, qtbot: QtBot) -> None:  # type: ignore[no-untyped-def]
    window = with_claim(open_window, qtbot)
    selected = window.article_view.selected_span_id
    for widget in (window.span_list, window.details.note, window.document_list):
        widget.setFocus()
        press(qtbot, Qt.Key.Key_Escape)
        assert focused() == "articleView"
        assert window.article_view.selected_span_id == selected  # kept for the keys there
    press(qtbot, Qt.Key.Key_Escape)  # in the article: drops the selection, as before
    assert window.article_view.selected_span_id is None


# -- after a dialog --------------------------------------------------------------------


def test_after_ctrl_o_the_keys_go_back_where_they_were(open_window, qtbot: QtBot) -> None:  # type: ignore[no-untyped-def]
    window = with_claim(open_window, qtbot)
    window.span_list.setFocus()
    closed: list[bool] = []

    def cancel(dialog: QWidget) -> None:
        def escape(tries: int = 200) -> None:  # once the dialog has the keys, as a user
            focus = QApplication.focusWidget()
            if (focus is not None and focus.window() is dialog) or not tries:
                closed.append(True)
                qtbot.keyClick(focus or dialog, Qt.Key.Key_Escape)
            else:
                QTimer.singleShot(20, lambda: escape(tries - 1))

        escape()

    when_shown(QFileDialog, cancel)
    press(qtbot, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    assert closed == [True]
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.waitUntil(lambda: focused() == "spanList")
    press(qtbot, Qt.Key.Key_Tab)  # and the list lets them go on
    assert focused() not in ("spanList", "")


# -- the document shown keeps its row --------------------------------------------------


def test_the_document_shown_keeps_its_row_after_a_search(open_window, qtbot: QtBot) -> None:  # type: ignore[no-untyped-def]
    window = open_window()
    table = window.document_list
    qtbot.keyClick(window.article_view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    title = shown_title(window)
    qtbot.waitUntil(lambda: current_title(window) == title)
    shown = window.session.document_id

    search = window.documents.search
    search.setFocus()
    type_text(search, "харк")  # a word of another article only
    qtbot.waitUntil(lambda: window.documents.model.rowCount() == 1)
    assert current_title(window) != title  # hidden by the search

    press(qtbot, Qt.Key.Key_Tab)  # into the list, whose one row is another document
    assert focused() == "documentList"
    assert window.session.document_id == shown  # passing in opened nothing

    search.setFocus()
    search.selectAll()
    qtbot.keyClick(search, Qt.Key.Key_Backspace)
    qtbot.waitUntil(lambda: window.documents.model.rowCount() > 1)
    assert current_title(window) == title
    assert table.selectionModel().isRowSelected(table.currentIndex().row())
    assert window.session.document_id == shown

    press(qtbot, Qt.Key.Key_Tab)
    assert focused() == "documentList"
    assert window.session.document_id == shown
    assert current_title(window) == title


def test_an_arrow_key_in_a_list_without_the_document_shown_opens_its_first(
    open_window, qtbot: QtBot
) -> None:  # type: ignore[no-untyped-def]
    window = open_window()
    shown = window.session.document_id
    search = window.documents.search
    search.setFocus()
    type_text(search, "харк")  # a word of another article only
    qtbot.waitUntil(lambda: window.documents.model.rowCount() == 1)
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() == "documentList"
    assert window.session.document_id == shown
    press(qtbot, Qt.Key.Key_Down)
    assert window.session.document_id != shown
    assert "харк" in window.article_view.text.lower()
    assert current_title(window) == shown_title(window)


def test_the_document_shown_keeps_its_row_after_a_status_filter(open_window, qtbot: QtBot) -> None:  # type: ignore[no-untyped-def]
    window = open_window()
    title = shown_title(window)
    combo = window.documents.status_filter
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)  # New: every document, the shown one too
    assert combo.currentData() == "new"
    assert current_title(window) == title
    while combo.currentData() != "done":  # none is done: the shown one is filtered out
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert current_title(window) is None
    qtbot.keyClick(combo, Qt.Key.Key_Home)  # All documents
    assert current_title(window) == title


# -- attribute keys --------------------------------------------------------------------


def test_an_attribute_key_says_what_it_set_and_shows_the_field(open_window, qtbot: QtBot) -> None:  # type: ignore[no-untyped-def]
    window = with_claim(open_window, qtbot)
    view = window.article_view
    said = "claim “he said it had lost around 500"  # the claim's text, cut short
    for key, name, value in (
        (Qt.Key.Key_Y, "checkworthy", "yes"),
        (Qt.Key.Key_N, "checkworthy", "no"),
        (Qt.Key.Key_U, "checkworthy", "unsure"),
        (Qt.Key.Key_V, "verdict", "unverified"),
        (Qt.Key.Key_T, "verdict", "true"),
        (Qt.Key.Key_M, "verdict", "misleading"),
    ):
        qtbot.keyClick(view, key, SHIFT_ALT)
        assert stored_attrs(window)[name] == value
        message = window.statusBar().currentMessage()
        assert message.startswith(f"{name}: {value} on {said}")
        assert message.endswith("” — Ctrl+Z undoes.")
        combo = window.details.combos[name]
        qtbot.waitUntil(lambda c=combo: _in_view(window, c))
        qtbot.waitUntil(lambda c=combo, v=value: c.currentData() == v)

    qtbot.keyClick(view, Qt.Key.Key_M, SHIFT_ALT)  # again: nothing to change
    message = window.statusBar().currentMessage()
    assert message.startswith(f"verdict: misleading already on {said}") and message.endswith("”.")


def _in_view(window: MainWindow, widget: QWidget) -> bool:
    """Whether all of ``widget`` shows in the details panel's scrolled area."""
    viewport = window.details.area.viewport()
    top_left = widget.mapTo(viewport, widget.rect().topLeft())
    return QRect(top_left, widget.size()).intersected(viewport.rect()).size() == widget.size()
