"""Suggest spans learns what the project has labelled once, in the background, and keeps up
as spans are labelled, deleted and imported (the project suggester in the window)."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

import orjson
import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from factmark.core import storage
from factmark.core.incoming import IncomingDocument, IncomingSpan
from factmark.core.project import Project
from factmark.ui import file_dialogs
from factmark.ui.dialogs.import_report import ReportDialog
from factmark.ui.window.main_window import MainWindow
from tests.ui.helpers import click_at, drag_select
from tests.ui.test_annotation import KEYS
from tests.ui.test_jobs import answer_modal

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier

# Labelled "claim", which no rule suggests by default: only the project suggester can.
FIRST = "Officials promised a grain corridor. The river port stayed shut all winter."
SECOND = "Nobody believed the grain corridor would hold, and the river port reopened."


@pytest.fixture
def path(tmp_path: Path) -> Path:
    """A project of two documents; the first has "grain corridor" labelled claim."""
    path = tmp_path / "learned.factmark"
    with Project.open(path) as project:
        start = FIRST.index("grain corridor")
        span = IncomingSpan(start, start + len("grain corridor"), "claim")
        project.add_document(IncomingDocument(FIRST, title="a first", spans=[span]))
        project.add_document(IncomingDocument(SECOND, title="b second"))
    return path


def proposed(path: Path, text: str) -> set[tuple[str, str, str]]:
    """(text, label, suggester) of the suggestions stored for the document holding
    ``text``, read with sqlite3 alone."""
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(
            'SELECT substr(d.text, g.start + 1, g."end" - g.start), g.label, g.suggester '
            "FROM suggestions g JOIN documents d ON d.id = g.document_id WHERE d.text = ?",
            [text],
        ).fetchall()
    finally:
        conn.close()
    return set(rows)


def spans_of(path: Path, text: str) -> list[tuple[str, str]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(
            'SELECT substr(d.text, s.start + 1, s."end" - s.start), s.label FROM spans s '
            "JOIN documents d ON d.id = s.document_id WHERE d.text = ?",
            [text],
        ).fetchall()
    finally:
        conn.close()


def suggest_here(window: MainWindow, qtbot: QtBot) -> None:
    """Ctrl+Shift+S in the article, waiting for the suggestions to be stored."""
    view = window.article_view
    view.setFocus()
    with qtbot.waitSignal(window.review.computer.computed, timeout=15_000):
        qtbot.keyClick(view, Qt.Key.Key_S, CTRL | SHIFT)


def go_to(window: MainWindow, qtbot: QtBot, text: str) -> None:
    """Alt+Right / Alt+Left to the document holding ``text``."""
    for key in (Qt.Key.Key_Right, Qt.Key.Key_Left):
        if window.article_view.text == text:
            return
        qtbot.keyClick(window.article_view, key, ALT)
    qtbot.waitUntil(lambda: window.article_view.text == text)


def learnings(window: MainWindow) -> int:
    phrases = window.review.computer.phrases
    return 0 if phrases is None else phrases.learnings


class Traced:
    """Every statement any project connection runs, with the thread that ran it."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.statements: list[tuple[str, str]] = []
        connect = sqlite3.connect

        def traced(*args: Any, **kwargs: Any) -> sqlite3.Connection:
            conn = connect(*args, **kwargs)
            conn.set_trace_callback(
                lambda sql: self.statements.append((threading.current_thread().name, sql))
            )
            return conn

        monkeypatch.setattr(storage.sqlite3, "connect", traced)

    def reading_every_span(self) -> list[str]:
        """The threads that read the text of every span (the query is the only one that
        joins every span to its document's text)."""
        return [
            thread
            for thread, sql in self.statements
            if "FROM spans s JOIN documents d" in sql and "document_id = ?" not in sql
        ]


def test_a_phrase_labelled_in_another_document_is_proposed(
    open_window, qtbot: QtBot, path: Path
) -> None:
    window = open_window(path)
    go_to(window, qtbot, SECOND)
    said: list[str] = []
    window.statusBar().messageChanged.connect(said.append)
    suggest_here(window, qtbot)
    assert ("grain corridor", "claim", "project") in proposed(path, SECOND)
    assert "Learning from 1 labelled span…" in said
    shown = {window.article_view.text[s.start : s.end] for s in window.article_view.suggestions}
    assert "grain corridor" in shown


def test_a_phrase_labelled_now_is_proposed_next_without_learning_again(
    open_window, qtbot: QtBot, path: Path
) -> None:
    window = open_window(path)
    go_to(window, qtbot, FIRST)
    suggest_here(window, qtbot)  # learns from the project
    assert learnings(window) == 1
    view = window.article_view
    start = FIRST.index("river port")
    drag_select(view, start, start + len("river port"))
    qtbot.keyClick(view, KEYS["location"])
    assert ("river port", "location") in spans_of(path, FIRST)
    go_to(window, qtbot, SECOND)
    suggest_here(window, qtbot)
    assert ("river port", "location", "project") in proposed(path, SECOND)
    assert learnings(window) == 1  # kept up to date, not learned again


def test_a_phrase_whose_only_span_is_deleted_is_no_longer_proposed(
    open_window, qtbot: QtBot, path: Path
) -> None:
    window = open_window(path)
    go_to(window, qtbot, FIRST)
    suggest_here(window, qtbot)  # learns from the project
    view = window.article_view
    click_at(qtbot, view, FIRST.index("grain corridor") + 3)  # the span, not a suggestion
    assert view.selected_span_id is not None
    qtbot.keyClick(view, Qt.Key.Key_Backspace)
    assert spans_of(path, FIRST) == []
    go_to(window, qtbot, SECOND)
    suggest_here(window, qtbot)
    assert not any(text == "grain corridor" for text, _, _ in proposed(path, SECOND))
    assert learnings(window) == 1


def test_phrases_of_imported_spans_are_proposed(
    open_window, qtbot: QtBot, path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_window(path)
    go_to(window, qtbot, SECOND)
    suggest_here(window, qtbot)  # learns from the project before the import
    assert not any(text == "river port" for text, _, _ in proposed(path, SECOND))
    third = "The river port of Izmail was busy."
    start = third.index("river port")
    batch = tmp_path / "batch.jsonl"
    record = {"text": third, "spans": [{"start": start, "end": start + 10, "label": "claim"}]}
    batch.write_bytes(orjson.dumps(record) + b"\n")
    monkeypatch.setattr(file_dialogs, "open_file_names", lambda *args: ([str(batch)], ""))
    seen: list[Any] = []
    timer = answer_modal(qtbot, ReportDialog, seen)
    try:
        qtbot.keyClick(window.article_view, Qt.Key.Key_I, CTRL)  # File > Import files…
        qtbot.waitUntil(lambda: bool(seen), timeout=15_000)
    finally:
        timer.stop()
    window.activateWindow()  # as the report closing gives it back the keys
    qtbot.waitUntil(window.isActiveWindow)
    go_to(window, qtbot, SECOND)
    suggest_here(window, qtbot)
    assert ("river port", "claim", "project") in proposed(path, SECOND)
    assert learnings(window) == 2  # learned again once, after the import


def test_the_gui_thread_never_reads_every_span(
    open_window, qtbot: QtBot, path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    traced = Traced(monkeypatch)
    window = open_window(path)
    go_to(window, qtbot, SECOND)
    suggest_here(window, qtbot)
    assert ("grain corridor", "claim", "project") in proposed(path, SECOND)
    readers = traced.reading_every_span()
    assert readers, "the learning query was not seen"
    assert threading.main_thread().name not in readers


def test_learning_stops_when_cancelled_and_starts_afresh_next_time(path: Path) -> None:
    """What the window does when it closes or opens another project mid-learning."""
    from factmark.core.project import ProjectError
    from factmark.ui.background.suggestions import ProjectPhrases

    phrases = ProjectPhrases(path)
    phrases.cancel()
    with phrases.lock, pytest.raises(ProjectError, match="cancelled"):
        phrases.current(lambda _spans: None)
    assert phrases.learnings == 0
    again = ProjectPhrases(path)
    with again.lock:
        learned = again.current(lambda _spans: None)
    assert learned.labels_of("grain corridor") == {"claim": 1}
