"""The article first: after a label key the span is in the article and the file at once,
the panels beside it a frame later; whatever the user does next sees them current."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter
from pytestqt.qtbot import QtBot

from factmark.ui.window.main_window import MainWindow
from tests.ui.helpers import drag_select
from tests.ui.test_annotation import KEYS, find

CLAIM = "he said it had lost around 500 men"


@pytest.fixture
def window(open_window) -> MainWindow:
    return open_window()


def test_the_article_and_the_file_first_the_side_panels_at_the_next_frame(
    window: MainWindow, qtbot: QtBot
) -> None:
    view = window.article_view
    side = window.findChild(QSplitter, "sideSplitter")
    start = find(window, CLAIM)
    drag_select(view, start, start + len(CLAIM))
    qtbot.keyClick(view, KEYS["claim"])
    # At once: stored, in the article and in the span list's rows.
    stored = window.project.spans(window.current.id)
    assert [(s.start, s.end, s.label) for s in stored] == [(start, start + len(CLAIM), "claim")]
    assert view.selected_span_id == stored[0].id
    assert window.spans.rowCount() == 1
    # The panels beside the article paint at the next frame, and then show the span.
    assert not side.updatesEnabled()
    qtbot.waitUntil(lambda: side.updatesEnabled(), timeout=1000)
    assert window.details.span is not None and window.details.span.id == stored[0].id
    assert CLAIM in window.details.span_title.text()


def test_a_note_typed_straight_after_the_label_key_goes_to_the_new_span(
    window: MainWindow, qtbot: QtBot
) -> None:
    view = window.article_view
    start = find(window, CLAIM)
    drag_select(view, start, start + len(CLAIM))
    qtbot.keyClick(view, KEYS["claim"])
    claim_id = view.selected_span_id
    # Faster than a frame: the click into the note brings the panel up to date first.
    note = window.details.note
    qtbot.mouseClick(note.viewport(), Qt.MouseButton.LeftButton)
    assert window.details.span is not None and window.details.span.id == claim_id
    assert note.isEnabled()
    qtbot.keyClicks(note, "ask ISW")
    view.setFocus()
    qtbot.waitUntil(lambda: window.project.span(claim_id).note == "ask ISW", timeout=2000)
