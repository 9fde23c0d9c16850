"""What the keys act on is what the screen shows in hand: however a span is selected, the
status bar names it and a suggestion in hand is let go; a span deleted by a key, an undo
and a redo are named too; a message about something no longer in hand goes.

Driven by real key presses and mouse clicks; the expected names come from the article's
text (Python's ``str.index``), the undo stack's own text and the README's wording.
"""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from factmark.ui.window.main_window import MainWindow
from tests.ui.helpers import drag_select, point_at
from tests.ui.test_annotation import KEYS, find, stored

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier
CLAIM = "he said it had lost around 500 men"  # 34 characters: named cut short
HINT = "Select text, then press 1–4 to label it"  # the first-use hint (README)


@pytest.fixture
def window(open_window) -> MainWindow:
    return open_window()


def status(window: MainWindow) -> str:
    return window.statusBar().currentMessage()


def label(window: MainWindow, qtbot: QtBot, text: str, name: str) -> None:
    """Select ``text`` with the mouse and press its label's key."""
    start = find(window, text)
    drag_select(window.article_view, start, start + len(text))
    qtbot.keyClick(window.article_view, KEYS[name])


def selected_text(window: MainWindow) -> str:
    view = window.article_view
    span = view.span(view.selected_span_id)
    assert span is not None
    return view.text[span.start : span.end]


def right_click_then_escape(window: MainWindow, qtbot: QtBot, offset: int) -> None:
    """Right-click inside the character at ``offset``; once the context menu is up,
    Escape closes it (as the user did)."""
    view = window.article_view
    left, right = point_at(view, offset), point_at(view, offset + 1)
    shown: list[bool] = []

    def escape() -> None:
        menu = QApplication.activePopupWidget()
        if not isinstance(menu, QMenu):
            QTimer.singleShot(20, escape)
            return
        shown.append(True)
        qtbot.keyClick(menu, Qt.Key.Key_Escape)

    QTimer.singleShot(20, escape)
    point = view.viewport().mapTo(window, QPoint((left.x() + right.x()) // 2, left.y()))
    # Through the window, as the system's click comes: Qt makes the context menu event.
    qtbot.mouseClick(window.windowHandle(), Qt.MouseButton.RightButton, pos=point)
    qtbot.waitUntil(lambda: bool(shown) and QApplication.activePopupWidget() is None)


def test_a_right_click_on_a_span_lets_go_of_the_suggestion_and_backspace_names_the_span(
    window: MainWindow, qtbot: QtBot
) -> None:
    view = window.article_view
    label(window, qtbot, CLAIM, "claim")
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    qtbot.keyClick(view, Qt.Key.Key_S, CTRL | SHIFT)  # Suggest: the first is in hand
    qtbot.waitUntil(lambda: window.review.held is not None, timeout=10_000)
    qtbot.keyClick(view, Qt.Key.Key_Tab)  # the next one in hand
    waiting = len(window.project.suggestions(window.current.id))
    assert window.review.held is not None
    assert re.match(r"Suggestion \d+ of \d+\n", window.suggestion_panel.shown_text())

    right_click_then_escape(window, qtbot, find(window, CLAIM) + 5)
    assert view.selected_suggestion_id is None  # let go, as a left click lets go
    assert "none in hand" in window.suggestion_panel.shown_text()
    assert selected_text(window) == CLAIM
    assert status(window) == f"Selected: claim “{CLAIM[:31].rstrip()}…”."

    qtbot.keyClick(view, Qt.Key.Key_Backspace)  # acts on the claim the screen shows
    assert stored(window) == []
    assert len(window.project.suggestions(window.current.id)) == waiting  # none rejected
    assert status(window) == f"Deleted claim “{CLAIM[:31].rstrip()}…” — Ctrl+Z undoes."
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert stored(window) == [("claim", CLAIM)]


def test_every_way_of_selecting_a_span_names_it_and_deselecting_unsays_it(
    window: MainWindow, qtbot: QtBot
) -> None:
    view = window.article_view
    assert HINT in status(window)  # an article with no span yet: the first gesture
    label(window, qtbot, "Yevgeny Prigozhin", "source")  # a label key
    assert status(window) == "Selected: source “Yevgeny Prigozhin”."
    label(window, qtbot, "Bakhmut", "location")
    assert status(window) == "Selected: location “Bakhmut”."
    in_text_order = sorted(["Yevgeny Prigozhin", "Bakhmut"], key=lambda t: find(window, t))

    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert status(window) == ""  # nothing selected: nothing named
    qtbot.keyClick(view, Qt.Key.Key_Home, CTRL)
    qtbot.keyClick(view, Qt.Key.Key_Down, ALT)  # the first span in the text
    assert status(window) == f"Selected: {_name(window, in_text_order[0])}."
    qtbot.keyClick(view, Qt.Key.Key_Down, ALT)
    assert status(window) == f"Selected: {_name(window, in_text_order[1])}."
    qtbot.keyClick(view, Qt.Key.Key_Up, ALT)
    assert status(window) == f"Selected: {_name(window, in_text_order[0])}."

    table = window.span_list  # a click on the other span's row in the span list
    row = next(
        r
        for r in range(table.model().rowCount())
        if table.model().index(r, 1).data() == in_text_order[1]
    )
    qtbot.mouseClick(
        table.viewport(),
        Qt.MouseButton.LeftButton,
        pos=table.visualRect(table.model().index(row, 1)).center(),
    )
    assert selected_text(window) == in_text_order[1]
    assert status(window) == f"Selected: {_name(window, in_text_order[1])}."

    view.setFocus()
    qtbot.keyClick(view, KEYS["number"])  # relabelled by a key
    assert status(window) == f"Selected: number “{in_text_order[1]}”."
    undone = window.session.undo_stack.undoText()
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert undone and status(window) == (
        f"Undone: {undone}. Selected: {_name(window, in_text_order[1])}."
    )
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL | SHIFT)
    assert status(window) == f"Redone: {undone}. Selected: number “{in_text_order[1]}”."


def _name(window: MainWindow, text: str) -> str:
    """The label and text of the stored span over ``text``, as the status bar names it."""
    start = find(window, text)
    (span,) = [
        s
        for s in window.project.spans(window.current.id)
        if (s.start, s.end) == (start, start + len(text))
    ]
    return f"{span.label} “{text}”"


def test_the_first_use_hint_shows_only_while_the_article_has_no_span(
    window: MainWindow, qtbot: QtBot
) -> None:
    view = window.article_view
    label(window, qtbot, "Bakhmut", "location")
    assert HINT not in status(window)
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    qtbot.keyClick(view, Qt.Key.Key_Right, ALT)  # the next article: no span
    assert view.spans == [] and HINT in status(window)
    qtbot.keyClick(view, Qt.Key.Key_Left, ALT)  # back on the labelled one
    assert view.spans and status(window) == ""
    qtbot.keyClick(view, Qt.Key.Key_Return, CTRL | SHIFT)  # Skip: the next article
    assert view.spans == [] and HINT in status(window)
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)  # the skip undone: back on the labelled one
    assert [view.text[s.start : s.end] for s in view.spans] == ["Bakhmut"]
    assert status(window) == "Undone: Mark skipped."


def test_a_span_selected_in_one_article_is_not_named_in_the_next(
    window: MainWindow, qtbot: QtBot
) -> None:
    view = window.article_view
    label(window, qtbot, "Bakhmut", "location")
    assert status(window) == "Selected: location “Bakhmut”."
    label(window, qtbot, "Yevgeny Prigozhin", "source")
    qtbot.keyClick(view, Qt.Key.Key_Right, ALT)  # the next article, nothing selected there
    qtbot.keyClick(view, Qt.Key.Key_Left, ALT)
    assert view.selected_span_id is None
    assert "Selected:" not in status(window)


def test_escape_takes_back_what_the_status_bar_said_of_the_suggestion_let_go(
    window: MainWindow, qtbot: QtBot
) -> None:
    view = window.article_view
    qtbot.keyClick(view, Qt.Key.Key_S, CTRL | SHIFT)
    qtbot.waitUntil(lambda: window.review.held is not None, timeout=10_000)
    qtbot.keyClick(view, Qt.Key.Key_Backspace)  # rejected; the next one in hand
    assert "Backspace rejects" in status(window)
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert window.review.held is None
    assert status(window) == ""


def test_while_linking_the_span_chosen_is_named_with_what_enter_does(
    window: MainWindow, qtbot: QtBot
) -> None:
    view = window.article_view
    label(window, qtbot, "Yevgeny Prigozhin", "source")
    label(window, qtbot, "Russian army losses", "claim")
    qtbot.keyClick(view, Qt.Key.Key_Up, ALT)  # the source, first in the text
    qtbot.keyClick(view, Qt.Key.Key_R)  # link it ...
    qtbot.keyClick(view, Qt.Key.Key_Down, ALT)  # ... to the claim
    assert status(window) == "Link to claim “Russian army losses”? Enter links it; Escape cancels."
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert [r.label for r in window.project.relations(window.current.id)] == ["attributed_to"]
    assert status(window) == "Selected: claim “Russian army losses”."


def test_undoing_a_label_leaves_the_article_where_the_label_was(
    window: MainWindow, qtbot: QtBot
) -> None:
    """Ctrl+Z of a span labelled far down the article keeps the article at that place;
    it scrolled up to the span the span list made current when the row went (a claim
    near the top), and put the cursor there."""
    from PySide6.QtGui import QKeySequence

    window.resize(1366, 700)
    view = window.article_view
    label(window, qtbot, "Russian army losses", "claim")  # near the top
    far = find(window, "2 kilometers")
    drag_select(view, far, far + len("2 kilometers"))  # scrolls it into view
    qtbot.keyClick(view, KEYS["number"])
    assert stored(window)[-1] == ("number", "2 kilometers")
    scrolled, cursor = view.verticalScrollBar().value(), view.textCursor().position()
    assert scrolled > 0
    qtbot.keySequence(view, QKeySequence("Ctrl+Z"))
    assert [label for label, _ in stored(window)] == ["claim"]
    assert view.verticalScrollBar().value() == scrolled
    assert view.textCursor().position() == cursor
    assert view.selected_span_id is None
    assert window.span_list.selectionModel().selectedRows() == []
