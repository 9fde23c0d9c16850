"""Annotating in the window with real key presses and mouse drags."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCharFormat
from pytestqt.qtbot import QtBot

from factmark.core.project import Project
from factmark.ui.window.main_window import MainWindow
from tests.ui.helpers import click_at, drag_select, type_text, utf16_position

KEYS = {
    "claim": Qt.Key.Key_1,
    "source": Qt.Key.Key_2,
    "location": Qt.Key.Key_3,
    "number": Qt.Key.Key_4,
}


def stored(window: MainWindow) -> list[tuple[str, str]]:
    """(label, text) of the current document's spans as the database holds them."""
    assert window.current is not None
    with Project.open(window.project.path, readonly=True) as fresh:  # a second reader
        text = fresh.document(window.current.id).text
        return [(s.label, text[s.start : s.end]) for s in fresh.spans(window.current.id)]


def listed(window: MainWindow) -> list[tuple[str, str]]:
    model = window.span_list.model()
    return [(model.index(r, 0).data(), model.index(r, 1).data()) for r in range(model.rowCount())]


def find(window: MainWindow, needle: str, occurrence: int = 0) -> int:
    text = window.article_view.text
    index = -1
    for _ in range(occurrence + 1):
        index = text.index(needle, index + 1)
    return index


@pytest.fixture
def window(open_window) -> MainWindow:
    return open_window()


def test_keyboard_selection_and_label_key(window: MainWindow, qtbot: QtBot) -> None:
    view = window.article_view
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(
        view,
        Qt.Key.Key_Right,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )  # selects "Ukraine "
    qtbot.keyClick(view, Qt.Key.Key_3)
    assert stored(window) == [("location", "Ukraine")]  # trailing space trimmed
    assert listed(window) == [("location", "Ukraine")]
    model = window.span_list.model()
    assert model.index(0, 2).data() == window.settings.annotator()
    assert window.document_list.model().index(0, 1).data() == "In progress"
    assert window.document_list.model().index(0, 2).data() == 1


def test_mouse_drag_snaps_to_whole_words(window: MainWindow, qtbot: QtBot) -> None:
    start = find(window, "Bakhmut")
    drag_select(window.article_view, start + 1, start + 5)  # "akhm"
    assert window.article_view.textCursor().selectedText() == "akhm"
    qtbot.keyClick(window.article_view, KEYS["location"])
    assert stored(window) == [("location", "Bakhmut")]


def test_snapping_can_be_turned_off(window: MainWindow, qtbot: QtBot) -> None:
    window.action_table.by_name["snapToWords"].trigger()
    assert not window.settings.snap_to_words()
    start = find(window, "Bakhmut")
    drag_select(window.article_view, start, start + 4)
    qtbot.keyClick(window.article_view, KEYS["location"])
    assert stored(window) == [("location", "Bakh")]


def test_nested_number_inside_claim(window: MainWindow, qtbot: QtBot) -> None:
    claim = "he said it had lost around 500 men"
    start = find(window, claim)
    drag_select(window.article_view, start, start + len(claim))
    qtbot.keyClick(window.article_view, KEYS["claim"])
    number = find(window, "500")
    drag_select(window.article_view, number, number + 3)
    qtbot.keyClick(window.article_view, KEYS["number"])
    assert stored(window) == [("claim", claim), ("number", "500")]
    assert listed(window) == [("claim", claim), ("number", "500")]
    # Both show: the number's characters are painted differently from the claim's.
    view = window.article_view
    # Qt's formats count UTF-16 units: the offsets are turned into those by Python's codec.
    number_at = utf16_position(view.toPlainText(), number)
    claim_at = utf16_position(view.toPlainText(), start)
    block = view.document().findBlock(number_at)
    formats = {(f.start, f.length): QTextCharFormat(f.format) for f in block.layout().formats()}
    number_fmt = next(
        f for (s, n), f in formats.items() if s <= number_at - block.position() < s + n
    )
    claim_fmt = next(f for (s, n), f in formats.items() if s <= claim_at - block.position() < s + n)
    assert number_fmt.background().color() != claim_fmt.background().color()
    assert number_fmt.fontUnderline() or number_fmt.underlineStyle() != 0


def test_click_span_relabel_delete_undo_redo(window: MainWindow, qtbot: QtBot) -> None:
    view = window.article_view
    start = find(window, "Yevgeny Prigozhin")
    drag_select(view, start, start + len("Yevgeny Prigozhin"))
    qtbot.keyClick(view, KEYS["location"])
    view.clear_selection()
    click_at(qtbot, view, start + 3)
    assert view.selected_span_id is not None
    qtbot.keyClick(view, KEYS["source"])  # relabel the selected span
    assert stored(window) == [("source", "Yevgeny Prigozhin")]
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert stored(window) == []
    assert listed(window) == []
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored(window) == [("source", "Yevgeny Prigozhin")]
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored(window) == [("location", "Yevgeny Prigozhin")]
    qtbot.keyClick(
        view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert stored(window) == [("source", "Yevgeny Prigozhin")]
    assert listed(window) == [("source", "Yevgeny Prigozhin")]


def test_ctrl_click_reaches_the_outer_span(window: MainWindow, qtbot: QtBot) -> None:
    view = window.article_view
    claim = "lost around 500 men"
    start = find(window, claim)
    drag_select(view, start, start + len(claim))
    qtbot.keyClick(view, KEYS["claim"])
    number = find(window, "500")
    drag_select(view, number, number + 3)
    qtbot.keyClick(view, KEYS["number"])
    assert view.span(view.selected_span_id).label == "number"  # the new span is selected
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert view.selected_span_id is None
    click_at(qtbot, view, number + 1)
    assert view.span(view.selected_span_id).label == "number"
    click_at(qtbot, view, number + 1)  # clicking again keeps the innermost
    assert view.span(view.selected_span_id).label == "number"
    click_at(qtbot, view, number + 1, Qt.KeyboardModifier.ControlModifier)
    assert view.span(view.selected_span_id).label == "claim"
    # The span list follows the view.
    assert window.span_list.currentIndex().data() == "claim"


def test_resize_selected_span_by_keyboard(window: MainWindow, qtbot: QtBot) -> None:
    view = window.article_view
    start = find(window, "Prigozhin said")
    drag_select(view, start, start + len("Prigozhin"))
    qtbot.keyClick(view, KEYS["source"])
    alt_shift = Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(view, Qt.Key.Key_Left, alt_shift)  # grow at start: "Yevgeny Prigozhin"
    qtbot.keyClick(view, Qt.Key.Key_Right, alt_shift)  # grow at end: "... said"
    assert stored(window) == [("source", "Yevgeny Prigozhin said")]
    qtbot.keyClick(view, Qt.Key.Key_Left, alt_shift | Qt.KeyboardModifier.ControlModifier)
    assert stored(window) == [("source", "Yevgeny Prigozhin")]
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored(window) == [("source", "Yevgeny Prigozhin said")]


def test_span_list_selection_scrolls_the_view(window: MainWindow, qtbot: QtBot) -> None:
    view = window.article_view
    late = find(window, "Institute for the Study of War")  # the last paragraph
    drag_select(view, late, late + len("Institute for the Study of War"))
    qtbot.keyClick(view, KEYS["source"])
    view.verticalScrollBar().setValue(0)
    click_at(qtbot, view, 0)  # plain text: deselects
    assert view.selected_span_id is None
    table = window.span_list
    rect = table.visualRect(table.model().index(0, 1))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert view.span(view.selected_span_id).label == "source"
    assert view.verticalScrollBar().value() > 0


def test_undo_across_documents(window: MainWindow, qtbot: QtBot) -> None:
    view = window.article_view
    first = window.current.id
    start = find(window, "Bakhmut")
    drag_select(view, start, start + 7)
    qtbot.keyClick(view, KEYS["location"])
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert window.current.id != first
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.current.id == first  # undo brought the document back
    assert stored(window) == []
    assert window.document_list.model().index(0, 1).data() == "New"


def test_done_and_next_with_ctrl_enter(window: MainWindow, qtbot: QtBot) -> None:
    first = window.current.id
    assert window.progress_label.text() == "0 / 6 done"
    qtbot.keyClick(window.article_view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window.project.document(first).status == "done"
    assert window.current.id != first
    assert window.progress_label.text() == "1 / 6 done"
    qtbot.keyClick(window.article_view, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.current.id == first
    assert window.document_list.model().index(0, 1).data() == "Done"


def test_find_then_label(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.keyClick(window.article_view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.find_bar.isVisible()
    qtbot.keyClicks(window.find_bar.field, "Telegram")
    qtbot.keyClick(window.find_bar.field, Qt.Key.Key_Return)
    qtbot.keyClick(window.find_bar.field, Qt.Key.Key_Escape)
    assert not window.find_bar.isVisible()
    qtbot.keyClick(window.article_view, KEYS["source"])
    assert stored(window) == [("source", "Telegram")]


def test_zoom_keys(window: MainWindow, qtbot: QtBot) -> None:
    size = window.article_view.font().pointSizeF()
    qtbot.keyClick(window.article_view, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert window.article_view.font().pointSizeF() > size
    qtbot.keyClick(window.article_view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert window.article_view.font().pointSizeF() == size


def test_document_filter_and_search(window: MainWindow, qtbot: QtBot) -> None:
    panel = window.documents
    type_text(panel.search, "харк")  # case-insensitive in Cyrillic
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1)
    assert panel.model.index(0, 0).data().startswith("Мер Харкова")
    panel.search.clear()
    qtbot.keyClick(window.article_view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    panel.status_filter.setCurrentIndex(panel.status_filter.findData("done"))
    assert panel.model.rowCount() == 1
    assert panel.model.index(0, 0).data() == "Bakhmut counterattack"


def test_everything_is_there_after_reopening(open_window, qtbot: QtBot) -> None:
    window = open_window()
    start = find(window, "Bakhmut")
    drag_select(window.article_view, start, start + 7)
    qtbot.keyClick(window.article_view, KEYS["location"])
    qtbot.keyClick(window.article_view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    second = window.current.id
    window.resize(760, 600)  # fits the offscreen screen, so the geometry is kept as is
    window.splitter.setSizes([150, 450, 140])
    sizes = window.splitter.sizes()
    window.close()
    window.project.close()
    again = open_window(Path(window.project.path))
    assert again.size() == window.size()
    assert again.current.id == second  # the last document is restored
    assert again.splitter.sizes() == sizes
    qtbot.keyClick(again.article_view, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert stored(again) == [("location", "Bakhmut")]
