"""Under a status filter or a search, the document list says how many documents it shows
of all of them, and why it is empty when it shows none."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from factmark.ui.window.main_window import MainWindow
from tests.ui.helpers import type_text


def summary(window: MainWindow) -> QLabel:
    found = window.documents.findChild(QLabel, "documentListSummary")
    assert found is not None
    return found


def documents_stored(window: MainWindow) -> int:
    """The project's documents, counted with bare sqlite3 (the oracle)."""
    with sqlite3.connect(Path(window.project.path)) as db:
        (count,) = db.execute("SELECT count(*) FROM documents").fetchone()
    return int(count)


def test_a_search_says_how_many_of_all_documents_it_shows(open_window, qtbot: QtBot) -> None:  # type: ignore[no-untyped-def]
    window = open_window()
    panel = window.documents
    total = documents_stored(window)
    assert total > 1
    assert not summary(window).isVisible()  # nothing filtered: nothing to say

    type_text(panel.search, "харк")
    qtbot.waitUntil(lambda: summary(window).isVisible())
    assert summary(window).text() == f"1 of {total:,} documents: matching “харк”."

    panel.search.selectAll()
    type_text(panel.search, "no such words anywhere")
    qtbot.waitUntil(lambda: "0 of" in summary(window).text())
    assert summary(window).text() == (
        f"0 of {total:,} documents: matching “no such words anywhere”. "
        "Clear the search to see the others."
    )

    panel.search.selectAll()
    qtbot.keyClick(panel.search, Qt.Key.Key_Backspace)
    qtbot.waitUntil(lambda: not summary(window).isVisible())
    assert panel.model.rowCount() == total


def test_a_status_filter_that_hides_every_document_says_so(open_window, qtbot: QtBot) -> None:  # type: ignore[no-untyped-def]
    window = open_window()
    combo = window.documents.status_filter
    total = documents_stored(window)
    with sqlite3.connect(Path(window.project.path)) as db:
        skipped = db.execute("SELECT count(*) FROM documents WHERE status = 'skipped'").fetchone()
    assert skipped == (0,)

    combo.setFocus()
    while combo.currentData() != "skipped":  # All documents, New, In progress, Done, Skipped
        qtbot.keyClick(combo, Qt.Key.Key_Down)

    assert window.documents.model.rowCount() == 0
    assert summary(window).isVisible()
    assert summary(window).text() == (
        f"0 of {total:,} documents: skipped. Choose All documents to see the others."
    )

    qtbot.keyClick(combo, Qt.Key.Key_Home)
    assert combo.currentData() == ""
    assert not summary(window).isVisible()


def test_a_status_filter_and_a_search_that_hide_every_document_name_both(
    open_window, qtbot: QtBot
) -> None:  # type: ignore[no-untyped-def]
    window = open_window()
    panel = window.documents
    total = documents_stored(window)
    panel.status_filter.setFocus()
    while panel.status_filter.currentData() != "new":
        qtbot.keyClick(panel.status_filter, Qt.Key.Key_Down)
    type_text(panel.search, "no such words anywhere")
    qtbot.waitUntil(lambda: "0 of" in summary(window).text())
    assert summary(window).text() == (
        f"0 of {total:,} documents: new and matching “no such words anywhere”. "
        "Choose All documents or clear the search to see the others."
    )
