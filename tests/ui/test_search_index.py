"""The document list's search index is filled in the background after an import: the
window says how many documents are left, searching works all the while, closing the
window stops the filling between two transactions, and the next opening goes on.

Oracles: the project file read with plain sqlite3 (the documents stored, the rows of
the full-text index) and Python's own ``casefold`` and ``in`` for what a search finds."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from factmark.core.importing import collect_files, import_file
from factmark.core.project import Project
from factmark.ui.background import jobs, search_index
from tests.ui.helpers import type_text
from tests.ui.test_jobs import answer_modal
from tests.ui.test_projects import drop


def counts(path: Path) -> tuple[int, int]:
    """(documents stored, documents in the full-text index), read by plain sqlite3."""
    with sqlite3.connect(path) as conn:
        stored = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        indexed = conn.execute("SELECT count(*) FROM document_search").fetchone()[0]
    return stored, indexed


@pytest.fixture
def imported(tmp_path: Path, corpus: Path) -> Path:
    """A project holding the shared corpus, imported on the command line's path."""
    path = tmp_path / "archive.factmark"
    files, _ = collect_files([corpus])
    with Project.open(path) as project:
        for file in files:
            import_file(project, file)
    return path


def slow_disk(monkeypatch: pytest.MonkeyPatch, seconds: float) -> Callable[..., bool]:
    """Each transaction of the filling takes ``seconds`` longer, as on a slow disk;
    returns the real method."""
    index = Project.index_new_documents

    def slow(project: Project, limit: int | None = None) -> bool:
        time.sleep(seconds)
        return index(project, limit)

    monkeypatch.setattr(Project, "index_new_documents", slow)
    return index


@pytest.fixture
def one_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """One document a transaction, so that the filling takes several steps."""
    monkeypatch.setattr(jobs, "SEARCH_INDEX_CHUNK", 1)


def test_the_window_fills_the_index_after_an_import_and_says_how_much_is_left(
    open_window, qtbot: QtBot, imported: Path, one_at_a_time: None, monkeypatch
) -> None:
    monkeypatch.setattr(search_index, "START_AFTER_MS", 2000)  # time to listen first
    stored, indexed = counts(imported)
    assert stored > 5 and indexed == 0  # the import left the index to the window
    window = open_window(imported)
    label = window.indexing_label
    assert not label.isVisible()
    seen: list[tuple[int, str, bool]] = []
    window.navigator.indexer.left.connect(
        lambda left: seen.append((left, label.text(), label.isVisible()))
    )
    qtbot.waitUntil(lambda: bool(seen) and seen[-1][0] == 0, timeout=15000)
    assert seen[0] == (stored, f"Indexing {stored} documents for search", True)
    assert [left for left, _, _ in seen] == sorted((left for left, _, _ in seen), reverse=True)
    assert len(seen) > 3  # step by step
    assert not label.isVisible()
    assert counts(imported) == (stored, stored)


def test_a_search_finds_documents_not_indexed_yet(
    open_window, qtbot: QtBot, imported: Path, monkeypatch
) -> None:
    monkeypatch.setattr(search_index, "START_AFTER_MS", 60_000)  # not begun in this test
    window = open_window(imported)
    panel = window.documents
    type_text(panel.search, "ХАРКІВ")
    with sqlite3.connect(imported) as conn:
        expected = [
            title
            for title, text in conn.execute("SELECT title, text FROM documents ORDER BY id")
            if "харків" in title.casefold() or "харків" in text.casefold()
        ]
    assert expected
    qtbot.waitUntil(lambda: panel.model.rowCount() == len(expected))
    shown = [panel.model.index(row, 0).data() for row in range(panel.model.rowCount())]
    assert shown == expected
    assert counts(imported)[1] == 0  # found without the index


def test_closing_the_window_stops_the_filling_and_the_next_opening_goes_on(
    open_window, qtbot: QtBot, imported: Path, one_at_a_time: None, monkeypatch
) -> None:
    monkeypatch.setattr(search_index, "START_AFTER_MS", 0)
    index = slow_disk(monkeypatch, 0.05)  # the filling is still going when the window closes
    stored, _ = counts(imported)
    window = open_window(imported)
    qtbot.waitUntil(lambda: counts(imported)[1] > 0, timeout=10000)
    window.close()
    assert not window.navigator.indexer.running()
    window.project.close()
    with sqlite3.connect(imported) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    part = counts(imported)[1]
    assert 0 < part < stored
    monkeypatch.setattr(Project, "index_new_documents", index)
    again = open_window(imported)
    qtbot.waitUntil(lambda: not again.navigator.indexer.running(), timeout=15000)
    qtbot.waitUntil(lambda: counts(imported)[1] == stored, timeout=15000)
    with sqlite3.connect(imported) as conn:
        rows = [r[0] for r in conn.execute("SELECT rowid FROM document_search ORDER BY rowid")]
        ids = [r[0] for r in conn.execute("SELECT id FROM documents ORDER BY id")]
    assert rows == ids  # each document once


def test_documents_dropped_on_the_window_are_indexed_after_their_import(
    open_window, qtbot: QtBot, tmp_path: Path, corpus: Path, monkeypatch
) -> None:
    from factmark.ui.dialogs.import_report import ReportDialog

    monkeypatch.setattr(search_index, "START_AFTER_MS", 0)
    path = tmp_path / "empty.factmark"
    window = open_window(path)
    seen: list = []
    timer = answer_modal(qtbot, ReportDialog, seen)
    try:
        drop(window, [corpus / "annotated.jsonl"])
    finally:
        timer.stop()
    assert counts(path)[0] == 3
    qtbot.waitUntil(lambda: counts(path) == (3, 3), timeout=10000)
    qtbot.waitUntil(lambda: not window.indexing_label.isVisible())


def test_the_index_waits_while_someone_labels(
    open_window, qtbot: QtBot, imported: Path, one_at_a_time: None, monkeypatch
) -> None:
    from PySide6.QtCore import Qt

    monkeypatch.setattr(search_index, "START_AFTER_MS", 0)
    monkeypatch.setattr(search_index, "QUIET_AFTER_MS", 600)
    slow_disk(monkeypatch, 0.2)  # the filling has not ended when the user starts
    stored, _ = counts(imported)
    window = open_window(imported)
    view = window.article_view
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(view, Qt.Key.Key_Right, shift)  # the first word
    qtbot.keyClick(view, Qt.Key.Key_1)  # labelled: the user is at work
    qtbot.wait(300)  # a transaction begun before the key has ended by now
    before = counts(imported)[1]
    for _ in range(8):  # a label, undone, labelled again: an edit every 0.2 s
        qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        qtbot.wait(100)
        qtbot.keyClick(view, Qt.Key.Key_Right, shift)
        qtbot.keyClick(view, Qt.Key.Key_1)
        qtbot.wait(100)
    assert counts(imported)[1] == before < stored  # not a document indexed meanwhile
    assert window.indexing_label.isVisible()
    qtbot.waitUntil(lambda: counts(imported)[1] == stored, timeout=15000)  # then it goes on
    qtbot.waitUntil(lambda: not window.indexing_label.isVisible())


def test_the_status_bar_groups_large_counts_by_thousands(
    open_window, qtbot: QtBot, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr(search_index, "START_AFTER_MS", 2000)  # time to listen first
    source = tmp_path / "many.jsonl"
    source.write_text(
        "".join(f'{{"text": "Article number {n} about the flood."}}\n' for n in range(1001)),
        encoding="utf-8",
    )
    path = tmp_path / "many.factmark"
    with Project.open(path) as project:
        assert import_file(project, source).documents == 1001
    window = open_window(path)
    assert window.progress_label.text() == "0 / 1,001 done"
    seen: list[str] = []
    window.navigator.indexer.left.connect(lambda _left: seen.append(window.indexing_label.text()))
    qtbot.waitUntil(lambda: not window.navigator.indexer.running() and bool(seen), timeout=15000)
    assert seen[0] == "Indexing 1,001 documents for search"


def test_the_filling_does_not_read_the_open_project_through_again(
    open_window, qtbot: QtBot, imported: Path, monkeypatch
) -> None:
    # The window checked the project when it opened it; the filling, which opens it
    # after the window's edits changed it, does not check every row again.
    from PySide6.QtCore import Qt

    from factmark.core import soundness

    monkeypatch.setattr(search_index, "START_AFTER_MS", 1500)
    monkeypatch.setattr(search_index, "QUIET_AFTER_MS", 300)
    checked: list[object] = []
    real = soundness.problems
    monkeypatch.setattr(soundness, "problems", lambda conn: checked.append(conn) or real(conn))
    stored, _ = counts(imported)
    window = open_window(imported)
    assert checked == []  # the file is as the import left it: not read through
    view = window.article_view
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(view, Qt.Key.Key_Right, shift)
    qtbot.keyClick(view, Qt.Key.Key_2)  # a source: the file is no longer as last checked
    assert counts(imported)[1] == 0  # the filling has not begun yet
    qtbot.waitUntil(lambda: counts(imported)[1] == stored, timeout=15000)
    assert checked == []
