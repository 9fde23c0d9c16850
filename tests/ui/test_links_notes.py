"""Fact-checker depth: links between spans, notes, attributes, document fields, guidelines."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from factmark.core.exporting import export
from factmark.core.exporting.base import Selection
from factmark.ui.window.main_window import MainWindow
from tests.ui.helpers import click_at, drag_select, pick_in_next_menu, type_text, wheel_down
from tests.ui.test_annotation import KEYS, find

ALT = Qt.KeyboardModifier.AltModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def window(open_window) -> MainWindow:
    return open_window()


def label(window: MainWindow, qtbot: QtBot, piece: str, name: str, occurrence: int = 0) -> int:
    start = find(window, piece, occurrence)
    drag_select(window.article_view, start, start + len(piece))
    qtbot.keyClick(window.article_view, KEYS[name])
    span_id = window.article_view.selected_span_id
    assert span_id is not None
    return span_id


def links(window: MainWindow) -> list[tuple[str, str, str]]:
    text = window.article_view.text
    spans = {s.id: s for s in window.project.spans(window.current.id)}
    return [
        (
            text[spans[r.head_span_id].start : spans[r.head_span_id].end],
            r.label,
            text[spans[r.child_span_id].start : spans[r.child_span_id].end],
        )
        for r in window.project.relations(window.current.id)
    ]


def test_link_source_to_claim_with_r_and_a_click(window: MainWindow, qtbot: QtBot) -> None:
    view = window.article_view
    claim = "he said it had lost around 500 men"
    label(window, qtbot, claim, "claim")
    label(window, qtbot, "Prigozhin", "source", 1)
    qtbot.keyClick(view, Qt.Key.Key_Escape)  # drop the selection of the source
    click_at(qtbot, view, find(window, claim) + 3)  # select the claim, as the issue says
    qtbot.keyClick(view, Qt.Key.Key_R)
    click_at(qtbot, view, find(window, "Prigozhin", 1) + 2)  # then click the other span
    assert links(window) == [("Prigozhin", "attributed_to", claim)]
    rows = window.relations.rows()
    assert rows == [
        f'source "Prigozhin" → attributed_to → claim "{claim}"\n'
        "    quote proposed: indirect (Shift+Alt+W accepts)"  # no quotation marks around it
    ]
    assert len(view.links) == 1
    # Delete from the relations panel, then undo.
    window.relations.setCurrentRow(0)
    window.relations.setFocus()
    qtbot.keyClick(window.relations, Qt.Key.Key_Delete)
    assert links(window) == []
    assert window.relations.rows() == []
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert links(window) == [("Prigozhin", "attributed_to", claim)]


def test_link_by_keyboard_alone(window: MainWindow, qtbot: QtBot) -> None:
    view = window.article_view
    claim = "he said it had lost around 500 men"
    claim_id = label(window, qtbot, claim, "claim")
    label(window, qtbot, "500", "number")  # nested in the claim, selected now
    qtbot.keyClick(view, Qt.Key.Key_R)
    qtbot.keyClick(view, Qt.Key.Key_Up, ALT)  # the previous span in text order: the claim
    assert view.selected_span_id == claim_id
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert links(window) == [("500", "part_of", claim)]
    # Escape in link mode cancels without linking.
    qtbot.keyClick(view, Qt.Key.Key_R)
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert window.linking.source is None
    qtbot.keyClick(view, Qt.Key.Key_Return)  # Enter no longer links anything
    assert links(window) == [("500", "part_of", claim)]


def test_while_linking_alt_up_and_down_step_over_spans_no_link_reaches(
    window: MainWindow, qtbot: QtBot
) -> None:
    """A source's link goes to a claim: Alt+Up passes the location and the number between
    them and stops on the claim; with no claim further on, Alt+Down says so and stays."""
    view = window.article_view
    claim = "he said it had lost around 500 men"
    claim_id = label(window, qtbot, claim, "claim")
    label(window, qtbot, "500 men", "number")
    label(window, qtbot, "Prigozhin", "location", 2)  # another span between the two
    source_id = label(window, qtbot, "Prigozhin", "source", 3)  # later, outside the claim
    qtbot.keyClick(view, Qt.Key.Key_R)
    qtbot.keyClick(view, Qt.Key.Key_Down, ALT)  # no claim after it
    assert view.selected_span_id == source_id
    assert "No span to link with after this one" in window.statusBar().currentMessage()
    qtbot.keyClick(view, Qt.Key.Key_Up, ALT)
    assert view.selected_span_id == claim_id
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert links(window) == [("Prigozhin", "attributed_to", claim)]
    # Outside link mode Alt+Up still walks every span.
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    window.selection.select(source_id)
    qtbot.keyClick(view, Qt.Key.Key_Up, ALT)
    assert view.span(view.selected_span_id).label == "location"


def test_deleting_a_span_takes_its_links_and_undo_brings_both(
    window: MainWindow, qtbot: QtBot
) -> None:
    view = window.article_view
    claim = "he said it had lost around 500 men"
    claim_id = label(window, qtbot, claim, "claim")
    source_id = label(window, qtbot, "Prigozhin", "source", 1)
    window.annotation.link(source_id, claim_id, window.project.relation_types())
    window.selection.select(source_id)
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert links(window) == [] and window.relations.rows() == []
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert links(window) == [("Prigozhin", "attributed_to", claim)]


def test_attribute_keys_and_a_note(window: MainWindow, qtbot: QtBot) -> None:
    view = window.article_view
    claim_id = label(window, qtbot, "he said it had lost around 500 men", "claim")
    qtbot.keyClick(view, Qt.Key.Key_Y, SHIFT | ALT)  # checkworthy: yes
    qtbot.keyClick(view, Qt.Key.Key_M, SHIFT | ALT)  # verdict: misleading
    assert window.project.span(claim_id).attrs == {"checkworthy": "yes", "verdict": "misleading"}
    # The details panel shows it too, at the next frame (the article is painted first).
    combos = window.details.combos
    qtbot.waitUntil(lambda: combos["verdict"].currentData() == "misleading")
    assert combos["checkworthy"].currentData() == "yes"
    # A note typed in the side panel is saved when typing pauses or focus leaves.
    window.details.note.setFocus()
    type_text(window.details.note, "ISW says 100, not 500\u00a0: ask them")
    view.setFocus()
    QApplication.processEvents()
    # The no-break space is kept as typed (French puts one before a colon).
    assert window.project.span(claim_id).note == "ISW says 100, not 500\u00a0: ask them"
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)  # undo the note
    assert window.project.span(claim_id).note is None
    # An attribute of another label does not apply.
    label(window, qtbot, "Bakhmut", "location")
    qtbot.keyClick(view, Qt.Key.Key_Y, SHIFT | ALT)
    assert "Select a claim span first" in window.statusBar().currentMessage()
    # The combo box in the panel works too.
    source_id = label(window, qtbot, "Yevgeny Prigozhin", "source")
    qtbot.waitUntil(lambda: "kind" in window.details.combos)
    combo = window.details.combos["kind"]
    combo.setCurrentIndex(combo.findData("person"))
    combo.activated.emit(combo.currentIndex())
    assert window.project.span(source_id).attrs == {"kind": "person"}


def test_document_fields_are_edited_and_exported(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    field = window.details.fields["publication"]
    field.setFocus()
    type_text(field, "NBC News")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    url = window.details.fields["url"]
    url.setFocus()
    qtbot.keyClicks(url, "https://example.org/bakhmut")
    qtbot.keyClick(url, Qt.Key.Key_Return)
    meta = window.project.document(window.current.id).meta
    assert meta == {"publication": "NBC News", "url": "https://example.org/bakhmut"}
    out = tmp_path / "out.jsonl"
    export(window.project, "jsonl", out, Selection(frozenset()))
    first = orjson.loads(out.read_bytes().splitlines()[0])
    assert first["meta"] == meta


def test_the_issue_yardstick_reaches_every_export(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    """Link "Prigozhin said" to his claims, mark one check-worthy with a note, export all."""
    view = window.article_view
    claims = ["Russian army losses", "he said it had lost around 500 men"]
    claim_ids = [label(window, qtbot, c, "claim") for c in claims]
    source = label(window, qtbot, "Yevgeny Prigozhin said", "source")
    for claim_id in claim_ids:
        window.selection.select(source)
        qtbot.keyClick(view, Qt.Key.Key_R)
        window.linking.finish(claim_id)
    window.selection.select(claim_ids[1])
    qtbot.keyClick(view, Qt.Key.Key_Y, SHIFT | ALT)
    window.annotation.set_note(claim_ids[1], "check ISW")
    project = window.project
    for fmt, name in (
        ("jsonl", "a.jsonl"),
        ("doccano", "b.jsonl"),
        ("labelstudio", "c.json"),
        ("brat", "brat"),
    ):
        export(project, fmt, tmp_path / name, Selection(frozenset()))
    record = orjson.loads((tmp_path / "a.jsonl").read_bytes().splitlines()[0])
    by_id = {s["id"]: s for s in record["spans"]}
    assert sorted(
        (by_id[r["head"]]["text"], r["label"], by_id[r["child"]]["text"])
        for r in record["relations"]
    ) == sorted(("Yevgeny Prigozhin said", "attributed_to", c) for c in claims)
    marked = next(s for s in record["spans"] if s["text"] == claims[1])
    assert marked["attrs"] == {"checkworthy": "yes"} and marked["note"] == "check ISW"
    doccano = orjson.loads((tmp_path / "b.jsonl").read_bytes().splitlines()[0])
    assert len(doccano["relations"]) == 2
    tasks = orjson.loads((tmp_path / "c.json").read_bytes())
    results = tasks[0]["annotations"][0]["result"]
    assert sum(1 for r in results if r["type"] == "relation") == 2
    ann = next((tmp_path / "brat").glob("bakhmut*.ann")).read_text(encoding="utf-8")
    assert sum(1 for line in ann.splitlines() if line.startswith("R")) == 2
    assert "check ISW" in ann
    card = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert "## Annotation guidelines" in card and "checkworthy" in card


def test_guidelines_panel_and_label_tooltips(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.keyClick(window.article_view, Qt.Key.Key_F2)
    assert window.guidelines_dock.isVisible()
    assert "A checkable statement of fact" in window.guidelines.toPlainText()
    tip = window.action_table.by_name["label_claim"].toolTip()
    assert "Examples:" in tip and "it had defeated a Russian infantry unit" in tip


def test_an_unusual_link_asks_for_its_type(window: MainWindow, qtbot: QtBot) -> None:
    window.project.add_relation_type("located_in")
    place = label(window, qtbot, "Bakhmut", "location")
    source = label(window, qtbot, "Yevgeny Prigozhin", "source")
    window.selection.select(source)
    qtbot.keyClick(window.article_view, Qt.Key.Key_R)
    pick_in_next_menu(qtbot, "located_in")
    window.linking.finish(place)
    assert links(window) == [("Yevgeny Prigozhin", "located_in", "Bakhmut")]


def test_a_renamed_usual_type_is_asked_for_not_guessed(window: MainWindow, qtbot: QtBot) -> None:
    """Once `attributed_to` is renamed, a source and a claim no longer say which type
    they take: the menu asks, and the link gets the type the user picks."""
    offered: list[str] = []
    window.project.update_relation_type("attributed_to", name="cites")
    claim = label(window, qtbot, "it had defeated a Russian infantry unit", "claim")
    source = label(window, qtbot, "Ukraine’s army", "source")
    window.selection.select(source)
    qtbot.keyClick(window.article_view, Qt.Key.Key_R)
    pick_in_next_menu(qtbot, "cites", offered)
    window.linking.finish(claim)
    assert offered == ["cites", "part_of"]
    assert links(window) == [("Ukraine’s army", "cites", "it had defeated a Russian infantry unit")]


def test_alt_down_in_an_attribute_list_opens_it_instead_of_moving_on(
    window: MainWindow, qtbot: QtBot
) -> None:
    view = window.article_view
    claim_id = label(window, qtbot, "he said it had lost around 500 men", "claim")
    qtbot.waitUntil(lambda: "verdict" in window.details.combos)
    combo = window.details.combos["verdict"]
    combo.setFocus()
    qtbot.waitUntil(combo.hasFocus)
    qtbot.keyClick(combo, Qt.Key.Key_Down, ALT)
    qtbot.waitUntil(lambda: combo.view().isVisible())
    assert view.selected_span_id == claim_id  # the selection stayed
    combo.hidePopup()


def test_the_wheel_over_an_attribute_list_scrolls_and_changes_nothing(
    window: MainWindow, qtbot: QtBot
) -> None:
    """Turning the mouse wheel over a verdict list while scrolling the side panel must not
    set a verdict (the list was not chosen: it has no focus)."""
    claim_id = label(window, qtbot, "he said it had lost around 500 men", "claim")
    qtbot.waitUntil(lambda: "verdict" in window.details.combos)
    combo = window.details.combos["verdict"]
    assert not combo.hasFocus()
    wheel_down(combo, 3)
    assert window.project.span(claim_id).attrs == {}
    assert combo.currentData() == ""


def _hint_height(panel, text: str) -> int:
    """The height Qt's own wrapping gives ``text`` at the list's width (a label of the
    list's font), with the hint's margins in the list (6 px each side, 4 above and below)."""
    from PySide6.QtWidgets import QLabel

    oracle = QLabel(text)
    oracle.setFont(panel.font())
    oracle.setWordWrap(True)
    return oracle.heightForWidth(panel.viewport().width() - 12) + 8


def _guidelines_open(window: MainWindow, qtbot: QtBot, width: int, height: int) -> None:
    window.resize(width, height)
    qtbot.wait(50)
    qtbot.keyClick(window.article_view, Qt.Key.Key_F2)
    qtbot.waitUntil(window.guidelines_dock.isVisible)
    qtbot.waitUntil(lambda: window.relations.width() < 260)  # the side column made room
    qtbot.wait(50)  # the splitter's layout settles
    assert window.relations.count() == 0


def test_the_empty_links_list_says_all_of_its_hint_beside_the_guidelines(
    window: MainWindow, qtbot: QtBot
) -> None:
    """On a laptop's screen F2 narrows the side column, which wraps the empty links list's
    hint on more lines: the list grows to hold them (its last line was cut off), taking
    the room from the span list, which keeps a few rows."""
    from factmark.ui.panels.relations_panel import EMPTY

    _guidelines_open(window, qtbot, 1366, 700)
    panel = window.relations
    assert panel.placeholder() == EMPTY
    assert panel.viewport().height() >= _hint_height(panel, EMPTY)
    assert window.span_list.height() >= 100  # the span list still shows rows


def test_a_narrow_empty_links_list_says_the_first_sentence_of_its_hint_whole(
    window: MainWindow, qtbot: QtBot
) -> None:
    """With no room for all of the hint, the list says its first sentence, whole."""
    from PySide6.QtCore import QPoint

    from factmark.ui.panels.relations_panel import EMPTY, EMPTY_SHORT

    window.resize(800, 600)
    qtbot.wait(50)
    handle = window.splitter.handle(2)  # the side column narrowed to 125 pixels
    middle = handle.rect().center()
    to = middle + QPoint(window.splitter.sizes()[2] - 125, 0)
    qtbot.mousePress(handle, Qt.MouseButton.LeftButton, pos=middle)
    qtbot.mouseMove(handle, to)
    qtbot.mouseRelease(handle, Qt.MouseButton.LeftButton, pos=to)
    qtbot.waitUntil(lambda: window.relations.width() < 130)
    qtbot.wait(50)  # the side column's layout settles
    panel = window.relations
    assert panel.count() == 0
    assert panel.viewport().height() < _hint_height(panel, EMPTY)  # no room for it all
    assert panel.placeholder() == EMPTY_SHORT
    assert panel.viewport().height() >= _hint_height(panel, EMPTY_SHORT)


def test_the_side_column_stands_as_before_once_the_guidelines_close(
    window: MainWindow, qtbot: QtBot
) -> None:
    """The room the panels took from the span list while the guidelines narrowed the
    side column goes back to it when they close (the span list stayed short, the
    suggestion panel half empty)."""
    window.resize(1366, 700)
    qtbot.wait(100)
    side = window.relations.parentWidget()
    before = side.sizes()
    qtbot.keyClick(window.article_view, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: window.relations.width() < 260)
    qtbot.waitUntil(lambda: side.sizes()[0] < before[0])  # the panels took room
    qtbot.keyClick(window.article_view, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: not window.guidelines_dock.isVisible())
    qtbot.waitUntil(lambda: side.sizes() == before)


def test_a_dragged_side_column_keeps_the_users_layout_when_the_guidelines_close(
    window: MainWindow, qtbot: QtBot
) -> None:
    """Once the user drags a handle of the side column, the panels give nothing back."""
    from PySide6.QtCore import QPoint

    window.resize(1366, 700)
    qtbot.wait(100)
    side = window.relations.parentWidget()
    qtbot.keyClick(window.article_view, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: window.relations.width() < 260)
    qtbot.wait(50)
    handle = side.handle(2)  # between the suggestion panel and the links list
    middle = handle.rect().center()
    qtbot.mousePress(handle, Qt.MouseButton.LeftButton, pos=middle)
    qtbot.mouseMove(handle, middle + QPoint(0, -20))
    qtbot.mouseRelease(handle, Qt.MouseButton.LeftButton, pos=middle + QPoint(0, -20))
    dragged = side.sizes()
    qtbot.keyClick(window.article_view, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: not window.guidelines_dock.isVisible())
    qtbot.wait(100)
    assert side.sizes()[0] == dragged[0]  # the span list as the user left it
