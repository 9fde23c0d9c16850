"""Two writers on one project file: two connections, or a window and the command line.

SQLite (WAL, ``BEGIN IMMEDIATE``) lets one writer in at a time; the other waits up to
the busy timeout. These tests check that waiting writers lose nothing, and that one
kept waiting longer than that gets a clear message and changes nothing. The timeout
is lowered (monkeypatched before opening) so the busy cases take a fraction of a second.
"""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import orjson
import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

import factmark.core.storage as storage_module
from factmark.core.importing import import_file
from factmark.core.incoming import IncomingDocument
from factmark.core.project import Project, ProjectError
from factmark.ui.window.main_window import MainWindow
from tests.core.conftest import project_snapshot
from tests.faults.helpers import REPO, integrity, new_project, words_text

BUSY = "busy in another Factmark window or command"
SHORT_TIMEOUT_MS = 300


@contextmanager
def write_locked(path: Path) -> Iterator[sqlite3.Connection]:
    """Another program holding the project's write lock (an open write transaction)."""
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield other
    finally:
        if other.in_transaction:
            other.rollback()
        other.close()


def test_two_connections_adding_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "shared.factmark"
    documents = new_project(path, [words_text(0, 400), words_text(1000, 400)])
    start_together = threading.Barrier(2)
    returned: dict[str, list[tuple[int, int, int, int, str]]] = {}
    errors: list[BaseException] = []

    def writer(name: str, seed: int) -> None:
        rng = random.Random(seed)
        try:
            # A connection belongs to its thread: each writer opens its own Project.
            with Project.open(path, create=False) as project:
                start_together.wait(timeout=60)
                mine = returned.setdefault(name, [])
                for _ in range(150):
                    document_id = rng.choice(documents)
                    start = rng.randrange(2000)
                    span = project.add_span(document_id, start, start + 5, "claim", name)
                    mine.append((span.id or 0, document_id, span.start, span.end, name))
        except BaseException as error:  # reported below, not lost in the thread
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(n, s)) for n, s in (("a", 1), ("b", 2))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert [len(returned[n]) for n in ("a", "b")] == [150, 150]

    with Project.open(path, create=False) as project:
        assert integrity(project) == ["ok"]
        stored = {
            (s.id, s.document_id, s.start, s.end, s.annotator)
            for d in documents
            for s in project.spans(d)
        }
    everything = set(returned["a"]) | set(returned["b"])
    assert len(everything) == 300  # no id handed out twice
    assert stored == everything


def test_a_short_wait_for_the_other_writer_succeeds(project: Project) -> None:
    """A write lock held for less than the busy timeout (5 s) only delays a change."""
    document_id, _ = project.add_document(IncomingDocument("Kharkiv is quiet today.")) or (0, 0)
    with write_locked(project.path) as other:
        release = threading.Timer(0.5, other.rollback)
        release.start()
        began = time.monotonic()
        span = project.add_span(document_id, 0, 7, "location")
        assert time.monotonic() - began >= 0.4
        release.join()
    assert [s.id for s in project.spans(document_id)] == [span.id]


def test_locked_beyond_the_timeout_is_a_clear_error_and_changes_nothing(
    project_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage_module, "BUSY_TIMEOUT_MS", SHORT_TIMEOUT_MS)
    (document_id,) = new_project(project_path, ["The minister said 42 percent."])
    source = tmp_path / "more.jsonl"
    source.write_bytes(orjson.dumps({"text": "Another article", "spans": []}) + b"\n")
    with Project.open(project_path) as project:
        before = project_snapshot(project)
        with write_locked(project_path):
            attempts = {
                "add_span": lambda: project.add_span(document_id, 4, 12, "source"),
                "set_status": lambda: project.set_status(document_id, "done"),
                "add_label": lambda: project.add_label("quote", "q"),
                "import_file": lambda: import_file(project, source),
            }
            for name, attempt in attempts.items():
                began = time.monotonic()
                with pytest.raises(ProjectError) as caught:
                    attempt()
                assert BUSY in str(caught.value), name
                assert str(caught.value).startswith(str(project_path))
                assert time.monotonic() - began < 3  # the lowered timeout, not 5 s or forever
            # Reading goes on while another writer holds the lock (WAL).
            assert project_snapshot(project) == before
        assert project_snapshot(project) == before  # nothing half-written
        assert project.document(document_id).status == "new"
        project.add_span(document_id, 4, 12, "source")  # and it works once the lock is gone
        assert integrity(project) == ["ok"]


def test_locked_project_in_the_window_says_so_then_works(
    tmp_path: Path, open_window, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage_module, "BUSY_TIMEOUT_MS", SHORT_TIMEOUT_MS)
    path = tmp_path / "locked.factmark"
    (document_id,) = new_project(path, ["Officials in Lagos said 42 people were hurt."])
    window: MainWindow = open_window(path)
    view = window.article_view

    with write_locked(path):
        view.select_range(13, 18)  # "Lagos"
        qtbot.keyClick(view, Qt.Key.Key_3)
        assert BUSY in window.statusBar().currentMessage()
        assert view.spans == [] and window.span_list.model().rowCount() == 0
        assert window.session.undo_stack.count() == 0  # nothing to undo: nothing happened
    with Project.open(path, readonly=True) as reader:
        assert reader.spans(document_id) == []
        assert reader.document(document_id).status == "new"

    view.select_range(13, 18)
    qtbot.keyClick(view, Qt.Key.Key_3)
    assert [(s.start, s.end, s.label) for s in view.spans] == [(13, 18, "location")]
    with Project.open(path, readonly=True) as reader:
        assert [(s.start, s.end) for s in reader.spans(document_id)] == [(13, 18)]


def _import(path: Path, source: Path, text: str) -> None:
    """`factmark import` of one article, run to its end."""
    source.write_bytes(orjson.dumps({"text": text, "spans": []}) + b"\n")
    done = subprocess.run(
        [sys.executable, "-m", "factmark", "import", str(path), str(source)],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert done.returncode == 0 and "imported 1 document" in done.stdout, done


def _seen_by_another_program(path: Path, sql: str) -> list[list[object]]:
    """The rows SQLite in another process reads from the project."""
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json, sqlite3, sys; print(json.dumps(sqlite3.connect(sys.argv[1])"
            ".execute(sys.argv[2]).fetchall()))",
            str(path),
            sql,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    rows: list[list[object]] = orjson.loads(done.stdout)
    return rows


def test_a_second_look_at_the_open_project_keeps_the_command_line_out_of_its_log(
    tmp_path: Path,
) -> None:
    """The window opens its project again in another thread (the claim look-up does, at
    every label). That must not let `factmark import` take the project as unused and
    delete its log (-wal) under the window: what the window saves next would be seen by
    no other program, and lost with the import's work (POSIX locks drop when any
    descriptor of the file closes)."""
    path = tmp_path / "open.factmark"
    (document_id,) = new_project(path, ["Officials in Lagos said 42 people were hurt."])
    with Project.open(path, create=False) as window:
        window.add_span(document_id, 13, 18, "location")
        look_up = threading.Thread(
            target=lambda: Project.open(path, create=False, readonly=True).close()
        )
        look_up.start()
        look_up.join()
        _import(path, tmp_path / "one.jsonl", "Imported while the window is open.")
        window.add_span(document_id, 0, 9, "claim")
        added = window.add_document(IncomingDocument("Pasted in the window " * 200))
        assert added is not None
        spans = 'SELECT start, "end", label FROM spans ORDER BY start'
        assert _seen_by_another_program(path, spans) == [[0, 9, "claim"], [13, 18, "location"]]
        _import(path, tmp_path / "two.jsonl", "Imported later, the window still open.")
    texts = {text for (text,) in _seen_by_another_program(path, "SELECT text FROM documents")}
    assert texts == {
        "Officials in Lagos said 42 people were hurt.",
        "Imported while the window is open.",
        "Pasted in the window " * 200,
        "Imported later, the window still open.",
    }
    assert _seen_by_another_program(path, "PRAGMA integrity_check") == [["ok"]]


def test_window_and_command_line_import_at_once(tmp_path: Path, open_window, qtbot: QtBot) -> None:
    """`factmark import` runs while the window labels words: both finish whole."""
    path = tmp_path / "busy.factmark"
    (document_id,) = new_project(path, [words_text(0, 400)])
    files = []
    for f in range(6):
        files.append(tmp_path / f"batch-{f}.jsonl")
        files[-1].write_bytes(
            b"".join(
                orjson.dumps(
                    {
                        "text": f"Batch {f} article {n}: prices rose 4{n} percent in Kyiv.",
                        "spans": [{"start": 0, "end": 5, "label": "source"}],
                    }
                )
                + b"\n"
                for n in range(300)
            )
        )
    window: MainWindow = open_window(path)
    view = window.article_view
    out = tmp_path / "import.out"
    with out.open("wb") as stdout:
        cli = subprocess.Popen(
            [sys.executable, "-m", "factmark", "import", str(path), *map(str, files)],
            stdout=stdout,
            stderr=subprocess.STDOUT,
            cwd=REPO,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    try:
        qtbot.waitUntil(
            lambda: b"imported" in out.read_bytes() or cli.poll() is not None, timeout=120_000
        )
        words = [(m, m + 6) for m in range(0, len(view.text), 7) if view.text[m] == "w"]
        labelled, while_importing = [], 0
        for start, end in words[:300]:
            view.select_range(start, end)
            qtbot.keyClick(view, Qt.Key.Key_1)
            assert len(view.spans) == len(labelled) + 1, window.statusBar().currentMessage()
            labelled.append((start, end))
            while_importing += cli.poll() is None
            if cli.poll() is not None and len(labelled) >= 20:
                break
        code = cli.wait(timeout=120)
        print("presses while the import ran:", while_importing)
    finally:
        if cli.poll() is None:
            cli.kill()
    assert code == 0, out.read_text()
    assert len([line for line in out.read_text().splitlines() if "imported 300" in line]) == 6

    with Project.open(path, create=False) as project:
        assert integrity(project) == ["ok"]
        assert project.document_count() == 1 + 6 * 300
        stored = {(s.start, s.end) for s in project.spans(document_id)}
        assert stored == set(labelled)
        assert all(d.span_count == 1 for d in project.documents() if d.id != document_id)
