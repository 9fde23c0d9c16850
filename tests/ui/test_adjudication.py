"""Adjudication: review annotators' spans into a gold layer by keyboard; export it."""

from __future__ import annotations

from pathlib import Path

import orjson
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from factmark.core.exporting import export
from factmark.core.exporting.base import Selection

ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier


def test_review_into_gold_and_export_gold_and_majority(
    open_window, qtbot: QtBot, tmp_path: Path
) -> None:
    window = open_window()
    project, document = window.project, window.current
    text = document.text
    bakhmut, prigozhin = text.index("Bakhmut"), text.index("Yevgeny Prigozhin")
    for who in ("olena", "marko", "amina"):
        project.add_span(document.id, bakhmut, bakhmut + 7, "location", who)
    project.add_span(document.id, prigozhin, prigozhin + 17, "source", "olena")
    window.navigator.show(None)
    window.navigator.show(document.id)  # as after a merge

    view = window.article_view
    qtbot.keyClick(view, Qt.Key.Key_F6)  # review mode: colour by annotator
    painter = view.painter
    assert painter.by_annotator and set(painter.annotator_colours) >= {"olena", "marko", "gold"}
    qtbot.keyClick(view, Qt.Key.Key_Home, CTRL)
    qtbot.keyClick(view, Qt.Key.Key_Down, ALT)  # first span: a Bakhmut location
    assert view.span(view.selected_span_id).label == "location"
    qtbot.keyClick(view, Qt.Key.Key_G)  # accept into gold
    gold = [s for s in project.spans(document.id) if s.annotator == "gold"]
    assert [(s.start, s.end, s.label) for s in gold] == [(bakhmut, bakhmut + 7, "location")]
    source = next(s for s in project.spans(document.id) if s.label == "source")
    window.selection.select(source.id)
    qtbot.keyClick(view, Qt.Key.Key_X)  # reject olena's lone source
    assert project.span(source.id).attrs == {"review": "rejected"}
    assert len([s for s in project.spans(document.id) if s.annotator == "gold"]) == 1
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)  # undo the rejection (one step)
    assert project.span(source.id).attrs == {}

    gold_out, majority_out = tmp_path / "gold.jsonl", tmp_path / "majority.jsonl"
    export(project, "jsonl", gold_out, Selection(frozenset(), annotators=frozenset({"gold"})))
    export(project, "jsonl", majority_out, Selection(frozenset(), majority=True))
    gold_record = orjson.loads(gold_out.read_bytes().splitlines()[0])
    assert [(s["text"], s["label"]) for s in gold_record["spans"]] == [("Bakhmut", "location")]
    majority = orjson.loads(majority_out.read_bytes().splitlines()[0])
    # Bakhmut: 3 of 3 annotators; the source: 1 of 3, left out.
    assert [(s["text"], s["label"]) for s in majority["spans"]] == [("Bakhmut", "location")]
