"""G and X as a curator uses them: G copies the selected span into the gold layer, X
leaves it out and takes its gold copy out again (X on the gold copy itself: out of the
gold layer); each says in the status bar what it did, and one Ctrl+Z undoes it whole.

Driven by real key presses and mouse drags. The oracles are the spans table read with
bare sqlite3 and the output of ``factmark export --annotator gold`` run as a process;
the expected words are the README's.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from factmark.ui.window.main_window import MainWindow
from tests.cli.test_cli import factmark, read_jsonl
from tests.ui.helpers import click_at, drag_select
from tests.ui.test_annotation import KEYS, find

CTRL = Qt.KeyboardModifier.ControlModifier
SOURCE = "Yevgeny Prigozhin"  # 17 characters: named whole in the status bar
NAME = f"source “{SOURCE}”"


@pytest.fixture
def window(open_window, qtbot: QtBot) -> MainWindow:
    """A window in review mode (F6), where G and X adjudicate."""
    window = open_window()
    qtbot.keyClick(window.article_view, Qt.Key.Key_F6)
    return window


def spans(window: MainWindow) -> list[tuple[str, str, str, dict]]:
    """(text, label, annotator, attrs) of every span of the article, as the file holds
    them, read by a connection of its own."""
    text = window.article_view.text
    with closing(sqlite3.connect(Path(window.project.path))) as db:
        rows = db.execute(
            'SELECT start, "end", label, annotator, attrs FROM spans WHERE document_id = ? '
            "ORDER BY start, annotator",
            [window.current.id],
        ).fetchall()
    return [(text[s:e], label, who or "", json.loads(attrs)) for s, e, label, who, attrs in rows]


def gold_export(window: MainWindow, tmp_path: Path) -> list[tuple[str, str]]:
    """(text, label) of the article's spans in ``factmark export --annotator gold --all``
    (none when the command says the project has no gold spans)."""
    out = tmp_path / "gold.jsonl"
    result = factmark("export", window.project.path, "-o", out, "--annotator", "gold", "--all")
    if result.returncode == 2 and "no spans by 'gold'" in result.stderr:
        return []
    assert result.returncode == 0, result.stderr
    records = [r for r in read_jsonl(out) if r["text"] == window.article_view.text]
    return [(s["text"], s["label"]) for r in records for s in r["spans"]]


def status(window: MainWindow) -> str:
    return window.statusBar().currentMessage()


def label_source(window: MainWindow, qtbot: QtBot) -> str:
    """Label SOURCE as a source with the mouse and key 2; the annotator it records."""
    start = find(window, SOURCE)
    drag_select(window.article_view, start, start + len(SOURCE))
    qtbot.keyClick(window.article_view, KEYS["source"])
    return window.settings.annotator()


def test_x_after_g_takes_the_span_out_of_gold_and_ctrl_z_brings_both_back(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    view = window.article_view
    me = label_source(window, qtbot)
    qtbot.keyClick(view, Qt.Key.Key_G)
    assert status(window) == f"Accepted into gold: {NAME}."
    accepted = [
        (SOURCE, "source", "gold", {}),
        (SOURCE, "source", me, {"review": "accepted"}),
    ]
    assert sorted(spans(window)) == sorted(accepted)
    assert (SOURCE, "source") in gold_export(window, tmp_path)

    qtbot.keyClick(view, Qt.Key.Key_X)
    assert status(window) == f"Rejected: {NAME} (removed from gold)."
    assert spans(window) == [(SOURCE, "source", me, {"review": "rejected"})]
    assert (SOURCE, "source") not in gold_export(window, tmp_path)

    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)  # one step: the mark and the gold copy
    assert status(window).startswith("Undone: Reject source and its gold copy.")
    assert sorted(spans(window)) == sorted(accepted)
    assert (SOURCE, "source") in gold_export(window, tmp_path)
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)  # then the acceptance
    assert spans(window) == [(SOURCE, "source", me, {})]


def test_x_on_the_gold_copy_takes_it_out_and_rejects_what_it_stood_for(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    view = window.article_view
    me = label_source(window, qtbot)
    qtbot.keyClick(view, Qt.Key.Key_G)
    click_at(qtbot, view, find(window, SOURCE) + 3, CTRL)  # the span on the same text
    selected = view.span(view.selected_span_id)
    assert selected is not None and selected.annotator == "gold"
    qtbot.keyClick(view, Qt.Key.Key_X)
    assert status(window) == (
        f"Rejected: {NAME} (removed from gold); the same span by {me} marked rejected."
    )
    assert spans(window) == [(SOURCE, "source", me, {"review": "rejected"})]
    assert (SOURCE, "source") not in gold_export(window, tmp_path)
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert sorted(spans(window)) == sorted(
        [(SOURCE, "source", "gold", {}), (SOURCE, "source", me, {"review": "accepted"})]
    )


def test_x_without_a_gold_copy_rejects_only_and_says_so(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    view = window.article_view
    me = label_source(window, qtbot)
    qtbot.keyClick(view, Qt.Key.Key_X)
    assert status(window) == f"Rejected: {NAME}."
    assert spans(window) == [(SOURCE, "source", me, {"review": "rejected"})]
    assert gold_export(window, tmp_path) == []


def test_after_g_the_status_bar_names_the_selected_span_once(
    window: MainWindow, qtbot: QtBot
) -> None:
    """The span and its gold copy lie on the same text: neither is "inside" or
    "holding" the other (the status bar read "source X, inside source X, holding
    source X")."""
    view = window.article_view
    label_source(window, qtbot)
    qtbot.keyClick(view, Qt.Key.Key_G)
    click_at(qtbot, view, find(window, SOURCE) + 3)  # select it again, as the tester did
    said = status(window)
    assert said.startswith(f"Selected: {NAME}")
    assert said.count(SOURCE) == 1
    assert "inside" not in said and "holding" not in said
    assert "also in gold" in said


def test_rejecting_one_annotator_takes_back_the_others_acceptance(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    """Two annotators made the same span; G on one put it in gold; X on the other takes
    the copy out, and the first is no longer marked accepted into a copy that is gone."""
    view, project, document = window.article_view, window.project, window.current
    start = find(window, "Bakhmut")
    for who in ("olena", "marko"):
        project.add_span(document.id, start, start + 7, "location", who)
    window.navigator.show(None)
    window.navigator.show(document.id)  # as after a merge
    click_at(qtbot, view, start + 2)
    first = view.span(view.selected_span_id)
    qtbot.keyClick(view, Qt.Key.Key_G)
    click_at(qtbot, view, start + 2, CTRL)  # the other annotator's, on the same text
    other = view.span(view.selected_span_id)
    assert other is not None and other.annotator not in ("gold", first.annotator)
    qtbot.keyClick(view, Qt.Key.Key_X)
    assert status(window) == (
        "Rejected: location “Bakhmut” (removed from gold); the same span by "
        f"{first.annotator} marked rejected too."
    )
    assert [(who, attrs) for text, _label, who, attrs in spans(window) if text == "Bakhmut"] == [
        ("marko", {"review": "rejected"}),
        ("olena", {"review": "rejected"}),
    ]
    assert ("Bakhmut", "location") not in gold_export(window, tmp_path)


def _struck(window: MainWindow, start: int, end: int) -> list[bool]:
    """Whether each character of [start, end) is drawn struck through (ASCII text)."""
    view = window.article_view
    flags = []
    for at in range(start, end):
        block = view.document().findBlock(at)
        inside = at - block.position()
        formats = [f for f in block.layout().formats() if f.start <= inside < f.start + f.length]
        flags.append(any(f.format.fontStrikeOut() for f in formats))
    return flags


def _annotator_cells(window: MainWindow) -> list[str]:
    model = window.span_list.model()
    return [model.index(row, 2).data() for row in range(model.rowCount())]


def test_in_review_mode_a_rejected_span_is_struck_and_the_list_says_so(
    window: MainWindow, qtbot: QtBot
) -> None:
    """In review mode, X on an annotator's span: the article draws it struck through at
    once and the span list's annotator cell says "(rejected)"; G on it then: no longer
    struck, "(accepted)"; out of review mode nothing is struck."""
    view = window.article_view
    me = label_source(window, qtbot)
    start = find(window, SOURCE)
    end = start + len(SOURCE)
    assert window.action_table["reviewMode"].isChecked()  # the fixture pressed F6
    assert _struck(window, start, end) == [False] * len(SOURCE)
    qtbot.keyClick(view, Qt.Key.Key_X)
    assert spans(window) == [(SOURCE, "source", me, {"review": "rejected"})]
    qtbot.waitUntil(lambda: _struck(window, start, end) == [True] * len(SOURCE))
    assert _annotator_cells(window) == [f"{me} (rejected)"]
    qtbot.keyClick(view, Qt.Key.Key_G)
    marks = {who: attrs.get("review") for _text, _label, who, attrs in spans(window)}
    assert marks[me] == "accepted" and "gold" in marks
    qtbot.waitUntil(lambda: _struck(window, start, end) == [False] * len(SOURCE))
    gold_cell = "gold" if marks["gold"] is None else f"gold ({marks['gold']})"
    assert sorted(_annotator_cells(window)) == sorted([gold_cell, f"{me} (accepted)"])
    qtbot.keyClick(view, Qt.Key.Key_F6)  # review mode off: spans drawn by label again
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)  # back to rejected, outside review mode
    qtbot.waitUntil(lambda: _annotator_cells(window) == [f"{me} (rejected)"])
    assert _struck(window, start, end) == [False] * len(SOURCE)
