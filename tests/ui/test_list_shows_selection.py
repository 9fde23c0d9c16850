"""The span list paints the selection the article has: a span let go when a suggestion is
taken in hand is no longer painted selected. Expected colours are read from what Qt paints
(a grab of the list) and its palette. (In the real X window the list went on painting the
row: its selection was cleared with signals held back and it was never told to repaint;
offscreen, the side column happens to repaint whole, so this checks the state painted.)"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from pytestqt.qtbot import QtBot

from tests.ui.helpers import drag_select
from tests.ui.test_annotation import KEYS, find


def first_row_colour(window):  # type: ignore[no-untyped-def]
    table = window.span_list
    rect = table.visualRect(table.model().index(0, 1))
    image = table.viewport().grab().toImage()
    return image.pixelColor(rect.right() - 3, rect.center().y())


def test_a_suggestion_taken_in_hand_unpaints_the_span_selected(open_window, qtbot: QtBot) -> None:
    window = open_window()
    view = window.article_view
    claim = "Ukraine has pushed back the Russian army from"
    start = find(window, claim)
    drag_select(view, start, start + len(claim))
    qtbot.keyClick(view, KEYS["claim"])
    highlight = window.span_list.palette().color(QPalette.ColorRole.Highlight)
    qtbot.waitUntil(lambda: first_row_colour(window) == highlight, timeout=2000)
    ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(view, Qt.Key.Key_S, ctrl_shift)  # suggestions: the first is taken in hand
    qtbot.waitUntil(lambda: window.review.held is not None, timeout=10000)
    assert view.selected_span_id is None
    qtbot.wait(50)
    assert first_row_colour(window) != highlight
