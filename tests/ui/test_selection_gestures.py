"""Selection that does what the hand expects, and link mode visible where the eyes are.

Driven by real mouse events and key presses; where the pointer goes comes from Qt's own
geometry (``point_at``), what is expected from Python's text.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from factmark.core.importing import import_file
from factmark.core.project import Project
from factmark.ui.article.article_view import ArticleView
from factmark.ui.window.main_window import MainWindow
from tests.ui.helpers import _send, click_at, drag_select, point_at
from tests.ui.test_annotation import KEYS, find, stored

CLAIM = "he said it had lost around 500 men"
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def window(open_window) -> MainWindow:
    return open_window()


def label(window: MainWindow, qtbot: QtBot, text: str, name: str) -> int:
    """Select ``text`` with the mouse, press its label's key; its start offset."""
    view = window.article_view
    start = find(window, text)
    drag_select(view, start, start + len(text))
    qtbot.keyClick(view, KEYS[name])
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    return start


def nested(window: MainWindow, qtbot: QtBot) -> int:
    """A claim with a number inside it; the number's offset."""
    label(window, qtbot, CLAIM, "claim")
    return label(window, qtbot, "500 men", "number")


def status(window: MainWindow) -> str:
    return window.statusBar().currentMessage()


def test_a_click_selects_the_innermost_and_delete_deletes_it(
    window: MainWindow, qtbot: QtBot
) -> None:
    view = window.article_view
    number = nested(window, qtbot)
    assert view.selected_span_id is None
    for _ in range(2):  # clicking again keeps the innermost
        click_at(qtbot, view, number + 1)
        assert view.span(view.selected_span_id).label == "number"
    message = status(window)
    assert "Selected: number “500 men”, inside claim “he said it had lost around 500" in message
    assert "Ctrl+click selects the claim around it" in message
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert stored(window) == [("claim", CLAIM)]


def test_ctrl_click_reaches_the_span_around_and_says_so(window: MainWindow, qtbot: QtBot) -> None:
    view = window.article_view
    number = nested(window, qtbot)
    click_at(qtbot, view, number + 1, CTRL)  # nothing selected: the span around the innermost
    assert view.span(view.selected_span_id).label == "claim"
    assert "Selected: claim “he said it had lost around 500" in status(window)
    assert "holding number “500 men”" in status(window)
    assert "a click selects the innermost span" in status(window)
    assert not view.textCursor().hasSelection()
    click_at(qtbot, view, number + 1)
    assert view.span(view.selected_span_id).label == "number"
    click_at(qtbot, view, number + 1, CTRL)
    assert view.span(view.selected_span_id).label == "claim"
    click_at(qtbot, view, number + 1, CTRL)  # nothing around the claim: it stays
    assert view.span(view.selected_span_id).label == "claim"
    qtbot.keyClick(view, Qt.Key.Key_Delete)  # the span the status bar named
    assert stored(window) == [("number", "500 men")]


def test_a_drag_starting_on_a_span_selects_text(window: MainWindow, qtbot: QtBot) -> None:
    view = window.article_view
    start = label(window, qtbot, CLAIM, "claim")
    click_at(qtbot, view, start + 3)
    assert view.span(view.selected_span_id).label == "claim"
    inner = start + CLAIM.index("lost")
    drag_select(view, inner, inner + len("lost around"))
    assert view.selected_range() == (inner, inner + len("lost around"))
    assert view.selected_span_id is None  # the span is no longer in hand
    assert stored(window) == [("claim", CLAIM)]  # not resized
    qtbot.keyClick(view, KEYS["number"])
    assert stored(window) == [("claim", CLAIM), ("number", "lost around")]


def _shape(view: ArticleView, point: QPoint) -> Qt.CursorShape:
    _send(view, QEvent.Type.MouseMove, point, Qt.MouseButton.NoButton)
    return view.viewport().cursor().shape()


def test_only_the_drawn_handle_resizes_and_the_edge_snaps(window: MainWindow, qtbot: QtBot) -> None:
    view = window.article_view
    text = "Yevgeny Prigozhin said"
    start = label(window, qtbot, "Yevgeny", "source")
    click_at(qtbot, view, start + 1)
    view.viewport().repaint()
    # Handles are drawn at both edges, where Qt puts a caret at the span's edges.
    edges = [point_at(view, start), point_at(view, start + len("Yevgeny"))]
    assert len(view.painted_handles) == 2
    for bar, edge in zip(view.painted_handles, edges, strict=True):
        assert abs(bar.center().x() - edge.x()) <= 2
        assert bar.top() <= edge.y() <= bar.bottom()
    # The resize arrow only over a handle; the text beam over the span's middle.
    middle = point_at(view, start + 3)
    assert _shape(view, middle) == Qt.CursorShape.IBeamCursor
    assert _shape(view, edges[1]) == Qt.CursorShape.SizeHorCursor
    # Dragged into the middle of "Prigozhin", the end snaps to the word's end.
    target = point_at(view, start + text.index("Prigozhin") + 4)
    _send(view, QEvent.Type.MouseButtonPress, edges[1], Qt.MouseButton.LeftButton)
    _send(view, QEvent.Type.MouseMove, target, Qt.MouseButton.LeftButton)
    assert view.painter.preview is not None
    assert text[: view.painter.preview.end - start] == "Yevgeny Prigozhin"  # shown so
    _send(view, QEvent.Type.MouseButtonRelease, target, Qt.MouseButton.NoButton)
    assert stored(window) == [("source", "Yevgeny Prigozhin")]
    assert not view.textCursor().hasSelection()
    assert status(window) == "Selected: source “Yevgeny Prigozhin”."  # as it is now


def test_the_handle_does_not_snap_when_snapping_is_off(window: MainWindow, qtbot: QtBot) -> None:
    view = window.article_view
    window.action_table["snapToWords"].setChecked(False)
    start = label(window, qtbot, "Yevgeny", "source")
    click_at(qtbot, view, start + 1)
    handle = point_at(view, start + len("Yevgeny"))
    target = point_at(view, start + len("Yevgeny Pri"))
    _send(view, QEvent.Type.MouseButtonPress, handle, Qt.MouseButton.LeftButton)
    _send(view, QEvent.Type.MouseMove, target, Qt.MouseButton.LeftButton)
    _send(view, QEvent.Type.MouseButtonRelease, target, Qt.MouseButton.NoButton)
    assert stored(window) == [("source", "Yevgeny Pri")]


QUOTED = "Officials were «riled up», he said (again)."


def test_keyboard_grow_steps_over_quotes_and_punctuation(
    open_window, qtbot: QtBot, tmp_path: Path
) -> None:
    source = tmp_path / "quotes.txt"
    source.write_text(QUOTED + "\n", encoding="utf-8")
    path = tmp_path / "quotes.factmark"
    with Project.open(path) as project:
        assert import_file(project, source).documents == 1
    window = open_window(path)
    view = window.article_view
    start = QUOTED.index("riled")
    drag_select(view, start, start + len("riled up"))
    qtbot.keyClick(view, KEYS["claim"])
    grow = Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.AltModifier

    def press(key: Qt.Key, modifiers: Qt.KeyboardModifier, expected: str) -> None:
        qtbot.keyClick(view, key, modifiers)
        assert stored(window) == [("claim", expected)]

    press(Qt.Key.Key_Right, grow, "riled up»")
    press(Qt.Key.Key_Right, grow, "riled up»,")
    press(Qt.Key.Key_Left, grow, "«riled up»,")
    press(Qt.Key.Key_Left, grow, "were «riled up»,")
    shrink = grow | Qt.KeyboardModifier.ControlModifier
    press(Qt.Key.Key_Left, shrink, "were «riled up»")  # the end gives back the comma
    press(Qt.Key.Key_Right, shrink, "«riled up»")  # the start gives back "were"
    press(Qt.Key.Key_Right, shrink, "riled up»")  # ... then the quote mark alone


def _pixels(view: ArticleView) -> QImage:
    QApplication.processEvents()
    return view.viewport().grab().toImage()


def _near(colour: QColor, wanted: QColor) -> bool:
    return all(
        abs(a - b) <= 40 for a, b in zip(colour.getRgb()[:3], wanted.getRgb()[:3], strict=True)
    )


def test_link_mode_marks_the_span_and_the_pointer(window: MainWindow, qtbot: QtBot) -> None:
    view = window.article_view
    claim = label(window, qtbot, CLAIM, "claim")
    source = label(window, qtbot, "Yevgeny Prigozhin", "source")
    click_at(qtbot, view, source + 1)
    plain = view.text.index("Wagner")  # plain text, in no span
    assert not view.spans_at(plain)
    qtbot.keyClick(view, Qt.Key.Key_R)
    assert view.linking_id == view.selected_span_id
    assert view.viewport().cursor().shape() in (
        Qt.CursorShape.CrossCursor,
        Qt.CursorShape.PointingHandCursor,
    )
    assert _shape(view, point_at(view, plain)) == Qt.CursorShape.CrossCursor
    assert _shape(view, point_at(view, claim + 3)) == Qt.CursorShape.PointingHandCursor
    # The span linked from is outlined: where Qt puts its first character, the outline's
    # colour is on screen around it.
    first = point_at(view, source)  # (scrolls it into view)
    image = _pixels(view)
    assert view.painted_link_source
    outline = view.painted_link_source[0]
    assert outline.left() < first.x() and outline.top() < first.y() < outline.bottom()
    y = int(outline.center().y())
    left = int(outline.left())
    marked = [image.pixelColor(x, y) for x in range(left - 2, left + 3)]
    assert any(_near(c, QColor("#CC0066")) for c in marked), marked
    # Escape ends the mode: no outline, the text beam again.
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert view.linking_id is None
    assert _shape(view, point_at(view, plain)) == Qt.CursorShape.IBeamCursor
    _pixels(view)
    assert view.painted_link_source == []


def test_a_link_draws_no_line_across_the_text(window: MainWindow, qtbot: QtBot) -> None:
    view = window.article_view
    claim = label(window, qtbot, CLAIM, "claim")
    source = label(window, qtbot, "Yevgeny Prigozhin", "source")
    click_at(qtbot, view, source + 1)
    qtbot.keyClick(view, Qt.Key.Key_R)
    click_at(qtbot, view, claim + 3)  # links them: attributed_to
    assert view.linking_id is None
    assert len(view.links) == 1
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    blue = QColor("#0072B2")  # attributed_to's colour
    for offset in (source + len("Yevgeny Prigozhin"), claim + len(CLAIM)):
        end = point_at(view, offset)
        image = _pixels(view)
        # A mark at the span's end; from a few pixels on, nothing of the link's colour
        # along that line of text up to the strip.
        y = view._anchor(offset).y()
        row = [image.pixelColor(x, y) for x in range(end.x() + 10, view.viewport().width())]
        assert not any(_near(c, blue) for c in row)
        near_end = [
            image.pixelColor(x, yy) for x in range(end.x() - 2, end.x() + 7) for yy in (y - 1, y)
        ]
        assert any(_near(c, blue) for c in near_end)


def test_selecting_a_linked_span_outlines_the_span_it_is_linked_with(
    window: MainWindow, qtbot: QtBot
) -> None:
    view = window.article_view
    claim = label(window, qtbot, CLAIM, "claim")
    source = label(window, qtbot, "Yevgeny Prigozhin", "source")
    click_at(qtbot, view, source + 1)
    qtbot.keyClick(view, Qt.Key.Key_R)
    click_at(qtbot, view, claim + 3)
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    blue = QColor("#0072B2")

    def outlined() -> bool:
        first = point_at(view, claim)  # where Qt puts the claim's first character
        image = _pixels(view)
        column = [image.pixelColor(x, first.y()) for x in range(first.x() - 3, first.x() + 2)]
        return any(_near(c, blue) for c in column)

    assert not outlined()
    click_at(qtbot, view, source + 1)  # the source: its claim is outlined in blue
    assert view.span(view.selected_span_id).label == "source"
    assert outlined()
