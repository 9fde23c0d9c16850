"""Suggestion review with one visible state: the suggestion in hand is in the panel and
inside the viewport, lets go on any other click, selection or Escape, and the end of the
review is announced. Driven by real key presses and mouse events."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from pytestqt.qtbot import QtBot

from factmark.core.actions import ACTIONS
from factmark.core.model import Proposal
from factmark.ui.window.main_window import MainWindow
from tests.ui.helpers import click_at, drag_select
from tests.ui.test_annotation import KEYS, find, stored

ALT = Qt.KeyboardModifier.AltModifier


def suggest(window: MainWindow, *pieces: tuple[str, str, int]) -> None:
    """Store suggestions (label, text, occurrence) for the shown document."""
    assert window.current is not None and window.current.id is not None
    proposals = []
    for label, piece, occurrence in pieces:
        start = find(window, piece, occurrence)
        proposals.append(Proposal(start, start + len(piece), label, "number", 0.9))
    window.session.project.add_suggestions(window.current.id, proposals)
    assert len(window.article_view.suggestions) == len(pieces)


def pending(window: MainWindow) -> list[str]:
    assert window.current is not None
    text = window.article_view.text
    return [text[s.start : s.end] for s in window.project.suggestions(window.current.id)]


def in_hand(window: MainWindow) -> str | None:
    view = window.article_view
    found = view.suggestion(view.selected_suggestion_id)
    return view.text[found.start : found.end] if found else None


def inside_viewport(window: MainWindow) -> bool:
    """The suggestion in hand lies inside the viewport, by Qt's own geometry."""
    view = window.article_view
    found = view.suggestion(view.selected_suggestion_id)
    assert found is not None
    cursor = QTextCursor(view.document())
    cursor.setPosition(len(view.text[: found.start].encode("utf-16-le")) // 2)
    top = view.cursorRect(cursor)
    cursor.setPosition(len(view.text[: found.end].encode("utf-16-le")) // 2)
    bottom = view.cursorRect(cursor)
    return top.top() >= 0 and bottom.bottom() <= view.viewport().height()


def status(window: MainWindow) -> str:
    return window.statusBar().currentMessage()


@pytest.fixture
def window(open_window, qtbot: QtBot) -> MainWindow:
    window = open_window()
    window.resize(900, 520)  # small: the article needs scrolling
    qtbot.wait(10)
    window.article_view.setFocus()
    suggest(window, ("number", "72nd", 0), ("number", "500", 0), ("number", "2 kilometers", 0))
    return window


def test_tab_shows_the_suggestion_in_hand_in_the_panel_and_inside_the_viewport(
    window: MainWindow, qtbot: QtBot
) -> None:
    view = window.article_view
    qtbot.keyClick(view, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    for piece, number in (("72nd", 1), ("500", 2), ("2 kilometers", 3)):
        qtbot.keyClick(view, Qt.Key.Key_Tab)
        assert in_hand(window) == piece
        assert inside_viewport(window)
        shown = window.suggestion_panel.shown_text()
        assert f"Suggestion {number} of 3" in shown
        assert f"number “{piece}”" in shown
        assert "number suggester" in shown and "90%" in shown
    # Past the last one: announced, nothing in hand, no silent wrap.
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert in_hand(window) is None
    assert "Last suggestion reviewed; Tab starts again from the top" in status(window)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert stored(window) == []  # Enter had nothing in hand
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert in_hand(window) == "72nd"  # starts again from the top, as announced


def test_enter_accepts_goes_to_the_next_and_says_so_then_announces_the_end(
    window: MainWindow, qtbot: QtBot
) -> None:
    view = window.article_view
    qtbot.keyClick(view, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert stored(window) == [("number", "72nd")]
    assert in_hand(window) == "500"
    assert "Accepted number “72nd”" in status(window) and "Next" in status(window)
    qtbot.keyClick(view, Qt.Key.Key_Backspace)
    assert pending(window) == ["2 kilometers"]
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert in_hand(window) is None
    assert "No more suggestions" in status(window)
    assert "Suggestion" in window.suggestion_panel.shown_text()
    assert "Ctrl+Shift+S" in window.suggestion_panel.shown_text()  # says what fills it


def test_a_click_elsewhere_lets_go_so_backspace_rejects_nothing(
    window: MainWindow, qtbot: QtBot
) -> None:
    view = window.article_view
    qtbot.keyClick(view, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert in_hand(window) == "72nd"
    click_at(qtbot, view, find(window, "Bakhmut") + 2)  # plain text
    assert in_hand(window) is None
    assert "none in hand" in window.suggestion_panel.shown_text()
    qtbot.keyClick(view, Qt.Key.Key_Backspace)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert len(pending(window)) == 3 and stored(window) == []


def test_a_text_selection_or_escape_lets_go(window: MainWindow, qtbot: QtBot) -> None:
    view = window.article_view
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert in_hand(window) is not None
    start = find(window, "Prigozhin")
    drag_select(view, start, start + len("Prigozhin"))
    assert in_hand(window) is None
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert len(pending(window)) == 3 and stored(window) == []
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert in_hand(window) is not None
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert in_hand(window) is None
    qtbot.keyClick(view, Qt.Key.Key_Backspace)
    assert len(pending(window)) == 3


def test_selecting_a_span_by_keyboard_lets_go_so_backspace_deletes_that_span(
    window: MainWindow, qtbot: QtBot
) -> None:
    view = window.article_view
    start = find(window, "Bakhmut")
    view.select_range(start, start + len("Bakhmut"))
    qtbot.keyClick(view, KEYS["location"])
    qtbot.keyClick(view, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert in_hand(window) == "72nd"
    assert view.selected_span_id is None  # one thing in hand
    qtbot.keyClick(view, Qt.Key.Key_Up, ALT)  # select a span instead
    assert view.selected_span_id is not None
    qtbot.keyClick(view, Qt.Key.Key_Backspace)
    assert stored(window) == []  # the span the user selected went
    assert len(pending(window)) == 3  # no suggestion was rejected


def test_a_suggestion_inside_a_span_is_picked_by_a_click(window: MainWindow, qtbot: QtBot) -> None:
    view = window.article_view
    claim = "it had lost around 500 men"
    start = find(window, claim)
    view.select_range(start, start + len(claim))
    qtbot.keyClick(view, KEYS["claim"])
    click_at(qtbot, view, find(window, "500") + 1)  # inside the dashed outline
    assert in_hand(window) == "500"
    assert view.selected_span_id is None
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert ("number", "500") in stored(window) and ("claim", claim) in stored(window)
    # Where no suggestion lies, a click inside the span selects the span, as before.
    click_at(qtbot, view, find(window, "lost"))
    assert view.span(view.selected_span_id).label == "claim"  # type: ignore[union-attr]


def test_enter_on_a_suggestion_scrolled_off_screen_brings_it_back_first(
    window: MainWindow, qtbot: QtBot
) -> None:
    view = window.article_view
    qtbot.keyClick(view, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert in_hand(window) == "72nd"
    bar = view.verticalScrollBar()
    assert bar.maximum() > 0, "the window must be small enough to scroll"
    bar.setValue(bar.maximum() if bar.value() < bar.maximum() // 2 else 0)
    qtbot.wait(10)
    assert not inside_viewport(window)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert stored(window) == []  # nothing acted on out of sight
    assert inside_viewport(window) and "off screen" in status(window)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert stored(window) == [("number", "72nd")]


def test_the_help_text_says_enter_goes_to_the_next() -> None:
    enter = next(a for a in ACTIONS if a.name == "enterKey")
    assert "go to the next" in enter.help
