"""The teams issue's yardstick: three annotators' copies of 50 documents are merged, the
agreement report points at the disputed document, a reviewer adjudicates it by keyboard,
and the export holds the gold layer."""

from __future__ import annotations

from pathlib import Path

import orjson
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from factmark.core.agreement import agreement
from factmark.core.incoming import IncomingDocument
from factmark.core.project import Project
from tests.cli.test_cli import factmark

ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier


def test_fifty_documents_three_annotators(open_window, qtbot: QtBot, tmp_path: Path) -> None:
    base = tmp_path / "desk.factmark"
    with Project.open(base) as project:
        for n in range(50):
            project.add_document(
                IncomingDocument(
                    f"Officials in Kyiv said {n + 10} drones were shot down near Odesa.",
                    f"Report {n:02d}",
                )
            )
    copies = []
    for who in ("olena", "marko", "amina"):
        copy = tmp_path / f"{who}.factmark"
        with Project.open(base) as project:
            project.copy_to(copy)
        with Project.open(copy) as project:
            for document in project.documents():
                text = project.document(document.id).text
                kyiv = text.index("Kyiv")
                project.add_span(document.id, kyiv, kyiv + 4, "location", who)
                number = text.index("drones") - 3
                if document.title == "Report 07" and who != "olena":
                    continue  # the disputed document: only olena marked the number
                project.add_span(document.id, number, number + 2, "number", who)
        copies.append(copy)
    merged = factmark("merge", base, *copies)
    assert merged.returncode == 0, merged.stderr

    with Project.open(base, readonly=True) as project:
        figures = agreement(project)
    assert figures["documents_compared"] == 50
    assert figures["documents"][0]["title"] == "Report 07"  # lowest agreement first

    window = open_window(base)
    disputed = next(d.id for d in window.project.documents() if d.title == "Report 07")
    window.navigator.show(disputed)
    view = window.article_view
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_F6)  # review mode
    qtbot.keyClick(view, Qt.Key.Key_Home, CTRL)
    qtbot.keyClick(view, Qt.Key.Key_Down, ALT)  # a Kyiv location: everyone agrees
    qtbot.keyClick(view, Qt.Key.Key_G)
    for _ in range(4):  # past the other two Kyiv spans and the new gold one
        qtbot.keyClick(view, Qt.Key.Key_Down, ALT)
    assert view.span(view.selected_span_id).label == "number"
    qtbot.keyClick(view, Qt.Key.Key_G)  # the reviewer sides with olena
    qtbot.keyClick(view, Qt.Key.Key_Return, CTRL)  # done

    out = tmp_path / "gold.jsonl"
    exported = factmark("export", base, "-o", out, "--annotator", "gold")
    assert exported.returncode == 0, exported.stderr
    (record,) = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    assert record["title"] == "Report 07"
    assert sorted((s["label"], s["text"]) for s in record["spans"]) == [
        ("location", "Kyiv"),
        ("number", "17"),
    ]
