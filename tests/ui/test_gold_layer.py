"""The gold layer holds what the lead accepted: G copies a span with its attributes and
note, and a link between two spans once both are in gold; X takes a gold span out with
its links (one Ctrl+Z brings both back); a gold export holds the adjudicated documents
only and says how many it left out.

Driven by real key presses and mouse clicks in review mode. The oracles are the spans and
relations tables read with bare sqlite3, and the JSONL that ``factmark export
--annotator gold`` (run as a process) and File > Export corpus write, parsed.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import orjson
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from factmark.core.incoming import IncomingDocument
from factmark.core.project import Project
from factmark.ui.dialogs.export_dialog import ExportDialog
from factmark.ui.window.main_window import MainWindow
from tests.cli.test_cli import factmark, read_jsonl
from tests.ui.helpers import click_at

CTRL = Qt.KeyboardModifier.ControlModifier
TEXT = "Mayor Ivan Petrenko said that 240 troops left Kyiv on Monday."
SOURCE, CLAIM = "Ivan Petrenko", "240 troops left Kyiv"
CLAIM_ATTRS = {"verdict": "false", "checkworthy": "yes"}
NOTE = "The ministry denies it."


def desk_project(path: Path) -> Path:
    """ana's source and claim (verdict false, a note) linked attributed_to, ben's claim
    on the same text with another verdict; two more done documents nobody adjudicates."""
    with Project.open(path) as project:
        added = project.add_document(IncomingDocument(TEXT, title="desk"))
        assert added is not None
        desk = added[0]
        s, c = TEXT.index(SOURCE), TEXT.index(CLAIM)
        source = project.add_span(
            desk, s, s + len(SOURCE), "source", "ana", attrs={"kind": "person"}
        )
        claim = project.add_span(desk, c, c + len(CLAIM), "claim", "ana", NOTE, CLAIM_ATTRS)
        project.add_span(desk, c, c + len(CLAIM), "claim", "ben", attrs={"verdict": "true"})
        project.add_relation(
            source.id or 0, claim.id or 0, "attributed_to", attrs={"quote": "indirect"}
        )
        for title, text in (("Lagos", "Lagos said the port reopened."), ("Харків", "Тиша.")):
            made = project.add_document(IncomingDocument(text, title=title))
            assert made is not None
            other = made[0]
            if title == "Lagos":
                project.add_span(other, 0, 5, "location", "ana")
        for document in project.documents():
            project.set_status(document.id or 0, "done")
    return path


def stored(path: str | Path, query: str) -> list[tuple]:
    with closing(sqlite3.connect(path)) as db:
        return db.execute(query).fetchall()


def gold_spans(window: MainWindow) -> list[tuple[str, str, str | None, dict]]:
    """(text, label, note, attrs) of the gold spans, as the file holds them."""
    rows = stored(
        window.project.path,
        "SELECT start, \"end\", label, note, attrs FROM spans WHERE annotator = 'gold' "
        "ORDER BY start",
    )
    return [(TEXT[s:e], label, note, json.loads(attrs)) for s, e, label, note, attrs in rows]


def gold_links(window: MainWindow) -> list[tuple[str, str, str, dict]]:
    """(head text, child text, type, attrs) of the links between two gold spans."""
    rows = stored(
        window.project.path,
        'SELECT h.start, h."end", c.start, c."end", r.label, r.attrs FROM relations r '
        "JOIN spans h ON h.id = r.head_span_id JOIN spans c ON c.id = r.child_span_id "
        "WHERE h.annotator = 'gold' AND c.annotator = 'gold'",
    )
    return [(TEXT[hs:he], TEXT[cs:ce], label, json.loads(a)) for hs, he, cs, ce, label, a in rows]


def select(window: MainWindow, qtbot: QtBot, text: str, annotator: str) -> None:
    """Click ``text`` in the article, then walk the spans with Alt+Down until
    ``annotator``'s span on it is selected."""
    view = window.article_view
    click_at(qtbot, view, TEXT.index(text) + 2)
    for _ in range(8):
        span = view.span(view.selected_span_id)
        if span is not None and (span.annotator, TEXT[span.start : span.end]) == (annotator, text):
            return
        qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    raise AssertionError(f"{annotator}'s span on {text!r} could not be selected")


@pytest.fixture
def window(open_window, qtbot: QtBot, tmp_path: Path) -> MainWindow:
    window = open_window(desk_project(tmp_path / "desk.factmark"))
    window.navigator.show(next(d.id for d in window.project.documents() if d.title == "desk"))
    qtbot.keyClick(window.article_view, Qt.Key.Key_F6)  # review mode
    return window


@pytest.mark.parametrize("first", [SOURCE, CLAIM])
def test_g_copies_attributes_note_and_the_link_once_both_ends_are_in_gold(
    window: MainWindow, qtbot: QtBot, tmp_path: Path, first: str
) -> None:
    view = window.article_view
    second = CLAIM if first == SOURCE else SOURCE
    select(window, qtbot, first, "ana")
    qtbot.keyClick(view, Qt.Key.Key_X)  # rejected first (marked so), then accepted after all
    qtbot.keyClick(view, Qt.Key.Key_G)
    assert gold_links(window) == []  # one end only
    select(window, qtbot, second, "ana")
    qtbot.keyClick(view, Qt.Key.Key_G)
    assert gold_spans(window) == [
        (SOURCE, "source", None, {"kind": "person"}),
        (CLAIM, "claim", NOTE, CLAIM_ATTRS),  # not the review mark
    ]
    assert gold_links(window) == [(SOURCE, CLAIM, "attributed_to", {"quote": "indirect"})]

    out = tmp_path / "gold.jsonl"
    result = factmark("export", window.project.path, "-o", out, "--annotator", "gold")
    assert result.returncode == 0, result.stderr
    assert "1 document, 2 spans and 1 link" in result.stdout
    assert "2 documents without gold spans left out" in result.stdout
    (record,) = read_jsonl(out)  # Lagos and Харків were never adjudicated
    assert record["title"] == "desk"
    spans = {s["id"]: (s["text"], s["attrs"], s["note"]) for s in record["spans"]}
    assert sorted(spans.values()) == sorted(
        [(SOURCE, {"kind": "person"}, None), (CLAIM, CLAIM_ATTRS, NOTE)]
    )
    (link,) = record["relations"]
    assert (spans[link["head"]][0], spans[link["child"]][0], link["label"]) == (
        SOURCE,
        CLAIM,
        "attributed_to",
    )


def test_x_on_a_gold_span_takes_its_links_and_ctrl_z_brings_them_back(
    window: MainWindow, qtbot: QtBot
) -> None:
    view = window.article_view
    for text in (SOURCE, CLAIM):
        select(window, qtbot, text, "ana")
        qtbot.keyClick(view, Qt.Key.Key_G)
    linked = gold_links(window)
    assert len(linked) == 1
    # The annotator's span changed afterwards: the gold copy is the lead's, unchanged.
    shift_alt = Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.AltModifier
    qtbot.keyClick(view, Qt.Key.Key_T, shift_alt)  # verdict: true
    (ana_attrs,) = stored(
        window.project.path,
        "SELECT attrs FROM spans WHERE annotator = 'ana' AND label = 'claim'",
    )
    assert json.loads(ana_attrs[0])["verdict"] == "true"
    assert gold_spans(window)[1] == (CLAIM, "claim", NOTE, CLAIM_ATTRS)

    select(window, qtbot, CLAIM, "gold")
    qtbot.keyClick(view, Qt.Key.Key_X)
    assert [text for text, *_ in gold_spans(window)] == [SOURCE]
    assert gold_links(window) == []
    assert stored(window.project.path, "SELECT count(*) FROM relations") == [(1,)]  # ana's
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)  # one step: the span and its link
    assert [text for text, *_ in gold_spans(window)] == [SOURCE, CLAIM]
    assert gold_links(window) == linked


def test_the_export_dialog_says_how_many_documents_had_no_gold(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    select(window, qtbot, CLAIM, "ben")
    qtbot.keyClick(window.article_view, Qt.Key.Key_G)
    dialog = ExportDialog(window.project, window)
    qtbot.addWidget(dialog)
    done = stored(window.project.path, "SELECT count(*) FROM documents WHERE status = 'done'")
    assert dialog.counts.text() == f"{done[0][0]} of 3 documents will be exported."
    dialog.layer.setCurrentIndex(dialog.layer.findData("gold"))
    # Before the export, the count says what it will write: the adjudicated documents.
    assert dialog.counts.text() == (
        "1 of 3 documents will be exported (2 of the chosen statuses have no gold span)."
    )
    out = tmp_path / "gold.jsonl"
    dialog.output.setText(str(out))
    export_button = next(
        b
        for b in dialog.buttons.buttons()
        if dialog.buttons.buttonRole(b) == QDialogButtonBox.ButtonRole.AcceptRole
    )
    qtbot.mouseClick(export_button, Qt.MouseButton.LeftButton)
    records = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    assert [r["title"] for r in records] == ["desk"]
    assert [(s["text"], s["attrs"]) for s in records[0]["spans"]] == [(CLAIM, {"verdict": "true"})]
    assert dialog.result_message.startswith("Exported 1 document, 1 span and 0 links to ")
    assert dialog.result_message.endswith(
        " 2 documents without gold spans left out (not adjudicated: G in review mode puts "
        "spans in gold)."
    )
