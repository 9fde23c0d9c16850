"""Reviewing suggestions in the window: Suggest, Tab, Enter, Backspace, Shift+Enter, undo."""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing
from pathlib import Path

import orjson
import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from factmark.core.exporting import export
from factmark.core.exporting.base import Selection
from factmark.ui.window.main_window import MainWindow
from tests.ui.test_annotation import stored

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def window(open_window, qtbot: QtBot) -> MainWindow:
    window = open_window()
    window.article_view.setFocus()
    qtbot.keyClick(window.article_view, Qt.Key.Key_S, CTRL | SHIFT)  # Suggest
    qtbot.waitUntil(lambda: bool(window.article_view.suggestions), timeout=10_000)
    return window


def pending(window: MainWindow) -> list[tuple[str, str]]:
    text = window.article_view.text
    return [(s.label, text[s.start : s.end]) for s in window.project.suggestions(window.current.id)]


def waiting(window: MainWindow) -> list[tuple[str, int, int]]:
    """The suggestions stored for the article: label and offsets (a word met twice is
    two suggestions)."""
    return [(s.label, s.start, s.end) for s in window.project.suggestions(window.current.id)]


def test_suggest_proposes_numbers_places_and_sources_but_stores_no_span(window) -> None:
    found = pending(window)
    assert ("location", "Bakhmut") in found
    assert ("number", "500 men") in found  # with what it counts, as the guidelines say
    assert any(label == "source" and "Prigozhin" in text for label, text in found)
    assert stored(window) == []  # nothing annotated until accepted
    assert window.document_list.model().index(0, 1).data() == "New"
    assert window.article_view.selected_suggestion_id is not None  # ready for Enter


def test_the_first_suggestion_of_the_article_is_in_hand_first(window: MainWindow) -> None:
    """The article opens with the cursor at its start, where the first suggestion begins
    ("Ukraine"): that one is in hand, not the second."""
    view = window.article_view
    first = min(window.project.suggestions(window.current.id), key=lambda s: (s.start, s.end))
    assert (first.start, view.text[first.start : first.end]) == (0, "Ukraine")
    in_hand = view.suggestion(view.selected_suggestion_id)
    assert in_hand is not None and in_hand.start == 0
    assert "Suggestion 1 of " in window.suggestion_panel.shown_text()


def test_enter_accepts_backspace_rejects_tab_moves(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    view = window.article_view
    first = view.suggestion(view.selected_suggestion_id)
    qtbot.keyClick(view, Qt.Key.Key_Return)  # accept
    accepted = (first.label, view.text[first.start : first.end])
    assert stored(window) == [accepted]
    span = window.project.spans(window.current.id)[0]
    assert span.attrs == {"suggested_by": first.suggester}
    assert span.annotator == window.settings.annotator()
    second = view.suggestion(view.selected_suggestion_id)
    assert second is not None and second.id != first.id
    qtbot.keyClick(view, Qt.Key.Key_Backspace)  # reject
    assert (second.label, second.start, second.end) not in waiting(window)
    assert stored(window) == [accepted]
    before = view.selected_suggestion_id
    qtbot.keyClick(view, Qt.Key.Key_Tab)  # next suggestion
    assert view.selected_suggestion_id != before
    # Undo the rejection, then the acceptance.
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert (second.label, second.start, second.end) in waiting(window)
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert stored(window) == []
    assert (first.label, first.start, first.end) in waiting(window)
    # Suggestions never reach an export.
    out = tmp_path / "out.jsonl"
    export(window.project, "jsonl", out, Selection(frozenset()))
    assert all(record["spans"] == [] for record in map(orjson.loads, out.read_bytes().splitlines()))


def test_shift_enter_accepts_all(window: MainWindow, qtbot: QtBot) -> None:
    count = len(window.article_view.suggestions)
    qtbot.keyClick(window.article_view, Qt.Key.Key_Return, SHIFT)
    assert window.article_view.suggestions == []
    assert len(stored(window)) == count
    assert window.document_list.model().index(0, 1).data() == "In progress"


def test_backspace_without_a_suggestion_still_deletes_the_selected_span(
    open_window, qtbot: QtBot
) -> None:
    from tests.ui.helpers import drag_select
    from tests.ui.test_annotation import KEYS, find

    window = open_window()
    start = find(window, "Bakhmut")
    drag_select(window.article_view, start, start + 7)
    qtbot.keyClick(window.article_view, KEYS["location"])
    qtbot.keyClick(window.article_view, Qt.Key.Key_Backspace)
    assert stored(window) == []


def test_the_suggestion_in_hand_is_shown_whole_beside_the_guidelines(
    window: MainWindow, qtbot: QtBot
) -> None:
    """F2 narrows the side column, which wraps the panel's text on more lines: the panel
    grows to hold them (its last lines, the confidence and the keys, were cut off)."""
    qtbot.keyClick(window.article_view, Qt.Key.Key_F2)
    qtbot.waitUntil(window.guidelines_dock.isVisible)
    panel = window.suggestion_panel
    qtbot.waitUntil(lambda: panel.width() < 260)  # the side column made room
    qtbot.wait(50)  # the splitter's layout settles
    assert panel.keys.isVisible()
    for label in (panel.heading, panel.body, panel.keys):
        needed = label.heightForWidth(label.width())  # Qt's own wrapping of the text
        assert label.height() >= needed, label.text()
        assert label.y() + needed <= panel.height(), label.text()


def test_suggestions_asked_for_from_the_document_list_are_reviewed_with_their_keys(
    open_window, qtbot: QtBot
) -> None:
    """A document opened with a click in the list, Ctrl+Shift+S, Enter: the suggestion in
    hand is accepted (the keys stayed in the list, where Enter did nothing)."""
    from PySide6.QtWidgets import QApplication

    window = open_window()
    table = window.document_list
    second = table.visualRect(table.model().index(1, 0)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=second)
    qtbot.waitUntil(
        lambda: window.current.id == table.model().index(1, 0).data(Qt.ItemDataRole.UserRole)
    )
    assert QApplication.focusWidget() is table
    qtbot.keyClick(table, Qt.Key.Key_S, CTRL | SHIFT)  # Suggest, pressed where the keys are
    qtbot.waitUntil(lambda: window.review.held is not None, timeout=10_000)
    held = window.review.held
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)  # where a real key goes
    assert [(s.label, s.start, s.end) for s in window.project.spans(window.current.id)] == [
        (held.label, held.start, held.end)
    ]


def spans_in_file(window: MainWindow) -> list[tuple[int, int, str]]:
    """(start, end, label) of the article's spans, read with bare sqlite3."""
    with closing(sqlite3.connect(Path(window.project.path))) as db:
        return db.execute(
            'SELECT start, "end", label FROM spans WHERE document_id = ?', [window.current.id]
        ).fetchall()


def test_accept_all_never_stacks_a_span_on_one_already_there(open_window, qtbot: QtBot) -> None:
    """Spans made before suggesting: a source "Bakhmut" (the project suggester proposes
    "Bakhmut" as a source wherever it is, beside the location suggester's location),
    the source "Wagner Group chief Yevgeny Prigozhin" (and "Prigozhin" is proposed as
    a source from elsewhere in the project) and a claim holding "500 men". Accept all
    adds no second span on any text that has one, nor a source inside that source; the
    number inside the claim (another label) is accepted, and the status bar counts what
    was left out."""
    from tests.ui.helpers import drag_select
    from tests.ui.test_annotation import KEYS, find

    window = open_window()
    view = window.article_view
    made = [
        ("Bakhmut", "source", 0),
        ("Prigozhin", "source", 1),  # "Prigozhin said Thursday": learned as a source
        ("Wagner Group chief Yevgeny Prigozhin", "source", 0),
        ("he said it had lost around 500 men", "claim", 0),
    ]
    for text, label, occurrence in made:
        start = find(window, text, occurrence)
        drag_select(view, start, start + len(text))
        qtbot.keyClick(view, KEYS[label])
    before = spans_in_file(window)
    assert len(before) == len(made)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_S, CTRL | SHIFT)  # Suggest
    qtbot.waitUntil(lambda: bool(view.suggestions), timeout=10_000)
    with closing(sqlite3.connect(Path(window.project.path))) as db:
        (proposed,) = db.execute(
            "SELECT count(*) FROM suggestions WHERE document_id = ?", [window.current.id]
        ).fetchone()

    qtbot.keyClick(view, Qt.Key.Key_Return, SHIFT)  # accept all
    after = spans_in_file(window)
    ranges = [(start, end) for start, end, _label in after]
    assert len(ranges) == len(set(ranges)), "two spans on one text"
    wagner = find(window, "Wagner Group chief Yevgeny Prigozhin")
    inside = wagner + len("Wagner Group chief Yevgeny ")
    assert (inside, inside + len("Prigozhin"), "source") not in after
    number = find(window, "500 men")
    assert (number, number + len("500 men"), "number") in after  # inside the claim
    said = re.fullmatch(
        r"Accepted (\d+) suggestions; left out (\d+) suggestions? on text a span already "
        r"marks( \(Tab reviews the \d+ still waiting\))?\.",
        window.statusBar().currentMessage(),
    )
    assert said is not None, window.statusBar().currentMessage()
    accepted, left_out = int(said[1]), int(said[2])
    assert accepted == len(after) - len(before)
    assert accepted + left_out == proposed
    # Left out: at each other "Bakhmut", the location or the source (the same text).
    assert left_out == find_all(view.text, "Bakhmut") - 1


def find_all(text: str, word: str) -> int:
    """How many times ``word`` stands in ``text`` as a word of its own."""
    return len(re.findall(rf"\b{re.escape(word)}\b", text))


def test_suggesting_with_the_cursor_past_every_suggestion_says_how_many_and_the_keys(
    open_window, qtbot: QtBot
) -> None:
    """Ctrl+Shift+S with the cursor at the end of the article (after every suggestion):
    nothing is reviewed yet, so the status bar counts the suggestions and names the keys
    (not "Last suggestion reviewed"), and the first one from the top is in hand."""
    window = open_window()
    view = window.article_view
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_End, CTRL)  # the cursor after the last word
    qtbot.keyClick(view, Qt.Key.Key_S, CTRL | SHIFT)
    qtbot.waitUntil(lambda: bool(view.suggestions), timeout=10_000)
    qtbot.waitUntil(lambda: "to review" in window.statusBar().currentMessage(), timeout=5_000)
    found = waiting(window)
    message = window.statusBar().currentMessage()
    assert "Last suggestion reviewed" not in message
    assert f"{len(found)} new suggestions, {len(found)} to review: Enter accepts" in message
    assert "Tab skips" in message
    first = min(found, key=lambda s: (s[1], s[2]))
    in_hand = view.suggestion(view.selected_suggestion_id)
    assert in_hand is not None and (in_hand.label, in_hand.start, in_hand.end) == first
