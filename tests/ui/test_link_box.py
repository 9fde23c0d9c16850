"""The link in focus in the window: its note typed in the Link box, the row of the Links
list the keys act on, and a choice among a source's several links."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QScrollArea
from pytestqt.qtbot import QtBot

from factmark.ui.window.main_window import MainWindow
from tests.ui.helpers import click_at, type_text
from tests.ui.test_annotation import find
from tests.ui.test_links_notes import label

QUOTED = "«They just took off and ran out of there.»"
REPORTED = "he said it had lost around 500 men"
SHIFT_ALT = Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.AltModifier


@pytest.fixture
def window(open_window) -> MainWindow:
    return open_window()


def link(window: MainWindow, source: int, claim: int) -> int:
    window.annotation.link(source, claim, window.project.relation_types())
    return next(
        r.id or 0
        for r in window.project.relations(window.current.id)
        if (r.head_span_id, r.child_span_id) == (source, claim)
    )


def test_a_note_typed_in_the_link_box_is_stored_on_the_link_and_undone(
    window: MainWindow, qtbot: QtBot
) -> None:
    claim = label(window, qtbot, QUOTED, "claim")
    source = label(window, qtbot, "Prigozhin", "source", 1)
    relation = link(window, source, claim)
    click_at(qtbot, window.article_view, find(window, QUOTED) + 3)  # the claim, its one link
    box = window.details.link_box
    # A click into the note straight away: the box is up to date before the first key.
    qtbot.mouseClick(box.note.viewport(), Qt.MouseButton.LeftButton)
    assert box.relation is not None and box.relation.id == relation
    assert box.note.isEnabled()
    type_text(box.note, "on Telegram, «video»")
    window.article_view.setFocus()  # leaving the note saves it
    qtbot.waitUntil(lambda: window.project.relation(relation).note == "on Telegram, «video»")
    assert "[note]" in window.relations.rows()[0]
    window.session.undo()
    assert window.project.relation(relation).note is None
    qtbot.waitUntil(lambda: box.note.toPlainText() == "")


def test_a_source_with_two_claims_asks_for_the_link_then_the_chosen_row_takes_the_key(
    window: MainWindow, qtbot: QtBot
) -> None:
    view = window.article_view
    quoted = label(window, qtbot, QUOTED, "claim")
    reported = label(window, qtbot, REPORTED, "claim")
    source = label(window, qtbot, "Prigozhin", "source", 1)
    first, second = link(window, source, quoted), link(window, source, reported)
    click_at(qtbot, view, find(window, "Prigozhin", 1) + 2)
    qtbot.keyClick(view, Qt.Key.Key_I, SHIFT_ALT)  # quote: indirect, but on which link?
    assert window.project.relation(first).attrs == window.project.relation(second).attrs == {}
    assert window.statusBar().currentMessage().startswith("The selected span has several links")
    assert window.relations.currentRow() == -1  # no row: no link in focus
    # Choosing the second row puts that link in focus: the key acts on it, and its box is
    # scrolled into the details column's view (at 1366x768 it sits below the span's).
    window.resize(1366, 768)
    area = window.findChild(QScrollArea, "detailsScroll")
    area.setMaximumHeight(150)
    area.verticalScrollBar().setValue(0)
    qtbot.waitUntil(lambda: window.details.link_box.visibleRegion().isEmpty())
    rows = window.relations
    rect = rows.visualItemRect(rows.item(1))
    qtbot.mouseClick(rows.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.details.link_box.relation.id == second
    box = window.details.link_box  # brought into the details column's view
    qtbot.waitUntil(lambda: not box.visibleRegion().isEmpty())
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_I, SHIFT_ALT)
    assert window.project.relation(second).attrs == {"quote": "indirect"}
    assert window.project.relation(first).attrs == {}
    assert rows.currentRow() == 1 and "[quote: indirect]" in rows.item(1).text()
    # The other link keeps its proposal: direct, from the « » around its claim.
    assert "quote proposed: direct" in rows.item(0).text()


def test_a_long_link_row_wraps_at_the_side_column_instead_of_running_off_it(
    window: MainWindow, qtbot: QtBot
) -> None:
    """At a laptop's width a row (two spans, the link type, a proposal under it) is wider
    than the list: it wraps, with nothing scrolled out of view (Qt's own geometry)."""
    claim = label(window, qtbot, REPORTED, "claim")
    source = label(window, qtbot, "Prigozhin", "source", 1)
    link(window, source, claim)
    panel = window.relations
    qtbot.waitUntil(lambda: panel.count() == 1)
    panel.resize(300, 200)
    item = panel.item(0)
    widest = max(panel.fontMetrics().horizontalAdvance(line) for line in item.text().split("\n"))
    assert widest > panel.viewport().width()  # one line would run off the list
    qtbot.waitUntil(lambda: panel.visualItemRect(item).width() <= panel.viewport().width())
    lines = len(item.text().split("\n"))
    assert panel.visualItemRect(item).height() > lines * panel.fontMetrics().lineSpacing()
    assert panel.horizontalScrollBar().maximum() == 0
