"""Home and End in the document list and the span list go to the first and the last row
(a table's own Home and End go to its first and last column, which moves nothing in a
list of rows); Ctrl+Home and Ctrl+End still do the same."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from factmark.core.incoming import IncomingDocument, IncomingSpan
from factmark.core.project import Project
from factmark.ui.window.main_window import MainWindow

CTRL = Qt.KeyboardModifier.ControlModifier
TITLES = [f"Article {n:02}" for n in range(1, 41)]  # more rows than the list shows at once
WORDS = "Kyiv said forty two soldiers crossed the river near Bakhmut on Tuesday"
# The spans of each article, in text order (the oracle for the span list's ends).
SPANS = [(0, 4, "location"), (10, 15, "number"), (16, 19, "number"), (54, 61, "location")]


def _project(path: Path) -> Path:
    with Project.open(path) as project:
        for title in TITLES:
            spans = [IncomingSpan(start, end, label) for start, end, label in SPANS]
            project.add_document(IncomingDocument(f"{WORDS} ({title}).", title, spans=spans))
    return path


def _shown_title(window: MainWindow) -> str:
    """The title of the document the window shows, read with bare sqlite3."""
    with sqlite3.connect(Path(window.project.path)) as db:
        row = db.execute("SELECT title FROM documents WHERE id = ?", (window.current.id,))
        (title,) = row.fetchone()
    return str(title)


def _selected_span(window: MainWindow) -> tuple[int, int]:
    span_id = window.article_view.selected_span_id
    assert span_id is not None
    with sqlite3.connect(Path(window.project.path)) as db:
        start, end = db.execute(
            'SELECT start, "end" FROM spans WHERE id = ?', (span_id,)
        ).fetchone()
    return int(start), int(end)


def test_home_and_end_in_the_document_list_open_the_first_and_last_document(
    open_window, tmp_path: Path, qtbot: QtBot
) -> None:  # type: ignore[no-untyped-def]
    window = open_window(_project(tmp_path / "many.factmark"))
    table = window.documents.table
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Down)  # the list takes the keys: a row is current
    qtbot.keyClick(table, Qt.Key.Key_End)
    qtbot.waitUntil(lambda: _shown_title(window) == TITLES[-1])
    assert table.currentIndex().row() == len(TITLES) - 1
    assert table.visualRect(table.currentIndex()).intersects(table.viewport().rect())
    qtbot.keyClick(table, Qt.Key.Key_Home)
    qtbot.waitUntil(lambda: _shown_title(window) == TITLES[0])
    assert table.currentIndex().row() == 0
    qtbot.keyClick(table, Qt.Key.Key_End, CTRL)  # as before
    qtbot.waitUntil(lambda: _shown_title(window) == TITLES[-1])


def test_home_and_end_in_the_span_list_select_the_first_and_last_span(
    open_window, tmp_path: Path, qtbot: QtBot
) -> None:  # type: ignore[no-untyped-def]
    window = open_window(_project(tmp_path / "many.factmark"))
    table = window.span_list
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: window.article_view.selected_span_id is not None)
    qtbot.keyClick(table, Qt.Key.Key_End)
    qtbot.waitUntil(lambda: _selected_span(window) == SPANS[-1][:2])
    qtbot.keyClick(table, Qt.Key.Key_Home)
    qtbot.waitUntil(lambda: _selected_span(window) == SPANS[0][:2])
