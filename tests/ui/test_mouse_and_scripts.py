"""Mouse-only editing (edge drags, context menu, hover) and offsets in every script."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt, QTimer
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QMenu, QToolTip
from pytestqt.qtbot import QtBot

from factmark.core.importing import import_file
from factmark.core.project import Project
from factmark.ui.window.main_window import MainWindow
from tests.ui.helpers import _send, click_at, drag_select, point_at
from tests.ui.test_annotation import KEYS, find, stored


@pytest.fixture
def window(open_window) -> MainWindow:
    return open_window()


def test_drag_the_end_edge_of_a_selected_span(window: MainWindow, qtbot: QtBot) -> None:
    view = window.article_view
    start = find(window, "Yevgeny Prigozhin said")
    drag_select(view, start, start + len("Yevgeny"))
    qtbot.keyClick(view, KEYS["source"])
    assert view.selected_span_id is not None
    grip = point_at(view, start + len("Yevgeny"))
    target = point_at(view, start + len("Yevgeny Prigozhin"))
    _send(view, QEvent.Type.MouseButtonPress, grip, Qt.MouseButton.LeftButton)
    _send(view, QEvent.Type.MouseMove, target, Qt.MouseButton.LeftButton)
    _send(view, QEvent.Type.MouseButtonRelease, target, Qt.MouseButton.NoButton)
    assert stored(window) == [("source", "Yevgeny Prigozhin")]
    assert not view.textCursor().hasSelection()  # the drag moved the edge, selected nothing
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored(window) == [("source", "Yevgeny")]


def _choose_from_popup(path: list[str]) -> None:
    """Once the context menu pops up, walk ``path`` of item texts and trigger the last."""

    def step() -> None:
        menu = QApplication.activePopupWidget()
        if not isinstance(menu, QMenu):
            QTimer.singleShot(20, step)
            return
        menu.close()  # always, so a failing test cannot leave the popup blocking
        action = next(a for a in menu.actions() if a.text().replace("&", "") == path[0])
        if action.menu() is not None and len(path) > 1:
            next(a for a in action.menu().actions() if a.text() == path[1]).trigger()
        else:
            action.trigger()

    QTimer.singleShot(20, step)


def test_context_menu_labels_the_selection_and_deletes(window: MainWindow, qtbot: QtBot) -> None:
    view = window.article_view
    start = find(window, "Kremlin")
    inside = point_at(view, start + 3)
    drag_select(view, start, start + len("Kremlin"))
    _choose_from_popup(["Label selection as", "source"])
    view.customContextMenuRequested.emit(inside)
    assert stored(window) == [("source", "Kremlin")]
    view.clear_selection()
    _choose_from_popup(["Delete span"])
    left, right = point_at(view, start + 2), point_at(view, start + 3)
    view.customContextMenuRequested.emit(QPoint((left.x() + right.x()) // 2, left.y()))
    assert stored(window) == []


def test_hovering_a_span_shows_label_and_annotator(window: MainWindow, qtbot: QtBot) -> None:
    view = window.article_view
    start = find(window, "Zelenskyy")
    drag_select(view, start, start + len("Zelenskyy"))
    qtbot.keyClick(view, KEYS["source"])
    left, right = point_at(view, start + 4), point_at(view, start + 5)
    point = QPoint((left.x() + right.x()) // 2, left.y())
    event = QHelpEvent(QEvent.Type.ToolTip, point, view.viewport().mapToGlobal(point))
    QApplication.sendEvent(view.viewport(), event)
    assert QToolTip.text() == f"source — by {window.settings.annotator()}"


# Each corpus file, a piece of it, and the label a user gives it.
SCRIPTS = [
    ("emoji-lagos.txt", "Lagos", "location"),
    ("emoji-lagos.txt", "70%", "number"),
    ("emoji-lagos.txt", "Abuja said on Monday the figure was invented. 🇳🇬", "claim"),
    ("zh-shanghai.txt", "𠮷野家在上海开设了第300家门店", "claim"),
    ("zh-shanghai.txt", "上海", "location"),
    ("fr-combining.txt", "Marseille", "location"),
    ("fr-combining.txt", "seraient créés", "claim"),
    ("uk-kharkiv-crlf.txt", "Харківською областю", "location"),
    ("uk-kharkiv-crlf.txt", "12 безпілотників", "number"),
    ("ar-mosul.txt", "الموصل", "location"),
    ("ar-mosul.txt", "35 مستشفى", "number"),
]


@pytest.mark.parametrize(("name", "piece", "label"), SCRIPTS)
def test_offsets_are_code_points_in_every_script(
    open_window, qtbot: QtBot, corpus: Path, tmp_path: Path, name: str, piece: str, label: str
) -> None:
    path = tmp_path / "scripts.factmark"
    with Project.open(path) as project:
        assert import_file(project, corpus / name).documents == 1
    window = open_window(path)
    # The article as wide as the window: a piece wrapped at a line end in right-to-left
    # text has two places on screen for its first character, and a drag could take either.
    window.splitter.setSizes([0, window.splitter.width(), 0])
    QApplication.processEvents()
    view = window.article_view
    text = view.text
    if name == "fr-combining.txt":
        piece = piece.replace("é", "e\u0301")  # the file's accents are decomposed
    start = text.index(piece)
    window.action_table.by_name["snapToWords"].setChecked(False)
    window.settings.set_snap_to_words(False)
    drag_select(view, start, start + len(piece))
    # Qt's own reading of what the mouse selected (a line break reads as U+2029).
    assert view.textCursor().selectedText() == piece.replace("\n", "\u2029")
    qtbot.keyClick(view, KEYS[label])
    assert stored(window) == [(label, piece)]
    (span,) = window.project.spans(window.current.id)
    assert (span.start, span.end) == (start, start + len(piece))
    assert window.span_list.model().index(0, 1).data() == piece.replace("\n", " ")
    # Clicking inside the span selects it, whatever the script's direction.
    view.clear_selection()
    click_at(qtbot, view, start + len(piece) // 2)
    assert view.selected_span_id == span.id
