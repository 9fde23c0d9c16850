"""A project file opened directly (not merged) whose values Factmark cannot read is refused
with one line before it is used; a file as Factmark left it is not checked again."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from factmark.core import soundness
from factmark.core.incoming import IncomingDocument
from factmark.core.project import Project, ProjectError
from factmark.ui.app import create_main_window

TEXT = "Prigozhin said Wagner had lost 500 men near Bakhmut on Tuesday."


def made(path: Path) -> int:
    """A sound project with one document holding one span; returns the span's id."""
    with Project.open(path) as project:
        added = project.add_document(IncomingDocument(TEXT, "t"))
        assert added is not None
        return project.add_span(added[0], 0, 9, "source", "ana").id or 0


def tamper(path: Path, statement: str) -> str:
    """Change the file behind Factmark's back, as an editor or another tool would."""
    with sqlite3.connect(path) as conn:
        conn.execute(statement)
    conn.close()
    return hashlib.sha256(path.read_bytes()).hexdigest()


HOSTILE = {
    "meta not JSON": "UPDATE documents SET meta = '{\"a\": '",
    "meta not an object": "UPDATE documents SET meta = '[1, 2]'",
    "attrs not JSON": "UPDATE spans SET attrs = '{oops'",
    "end not a number": "UPDATE spans SET \"end\" = 'nine'",
    "note stored as bytes": "UPDATE spans SET note = x'00ff'",
    "end past the text": 'UPDATE spans SET "end" = 5000',
    "NUL in the text": "UPDATE documents SET text = text || char(0)",
    "settings not JSON": "UPDATE settings SET value = '{oops' WHERE key = 'attributes'",
    "guidelines not text": "UPDATE settings SET value = '[1]' WHERE key = 'guidelines'",
    "link attrs not JSON": (
        "INSERT INTO relations (document_id, head_span_id, child_span_id, label, attrs) "
        "VALUES (1, 1, 1, 'attributed_to', '{oops')"
    ),
    "link attrs not an object": (
        "INSERT INTO relations (document_id, head_span_id, child_span_id, label, attrs) "
        "VALUES (1, 1, 1, 'attributed_to', '[\"direct\"]')"
    ),
    "link note stored as bytes": (
        "INSERT INTO relations (document_id, head_span_id, child_span_id, label, note) "
        "VALUES (1, 1, 1, 'attributed_to', x'00ff')"
    ),
    "link attributes not an object": (
        "UPDATE settings SET value = '[1]' WHERE key = 'link_attributes'"
    ),
    "link to a span that is gone": (
        "INSERT INTO relations (document_id, head_span_id, child_span_id, label) "
        "VALUES (1, 1, 999, 'attributed_to')"
    ),
}


@pytest.mark.parametrize("attack", list(HOSTILE))
def test_a_file_factmark_cannot_read_is_refused_with_one_line(attack: str, tmp_path: Path) -> None:
    path = tmp_path / "p.factmark"
    made(path)
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("PRAGMA ignore_check_constraints = ON")  # a crafted file has none
        conn.execute(HOSTILE[attack])
    conn.close()
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(ProjectError, match=r"rows? cannot be read") as refused:
        Project.open(path)
    assert "\n" not in str(refused.value) and "--skip-invalid" in str(refused.value)
    for command in (["export", path, "-o", tmp_path / "out.jsonl", "--all"], ["stats", path]):
        result = subprocess.run(
            [sys.executable, "-m", "factmark", *map(str, command)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr
        (line,) = result.stderr.strip().splitlines()
        assert line.startswith(f"factmark: error: {path}: ") and "cannot be read" in line
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert not (tmp_path / "out.jsonl").exists()


def test_the_window_refuses_such_a_file_and_stays_on_its_project(
    open_window, tmp_path: Path, monkeypatch
) -> None:
    path = tmp_path / "p.factmark"
    made(path)
    tamper(path, "UPDATE spans SET attrs = '{oops'")
    window = open_window()
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        "factmark.ui.window.files.QMessageBox.warning",
        lambda _parent, title, text: shown.append((title, text)),
    )
    assert not window.files.open_project_file(path)
    assert shown and shown[0][0] == "Cannot open project" and "cannot be read" in shown[0][1]
    assert window.project.path.name == "default.factmark"


def test_a_file_as_factmark_left_it_is_not_checked_again(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "p.factmark"
    made(path)
    checked: list[Path] = []
    real = soundness.problems
    monkeypatch.setattr(soundness, "problems", lambda conn: checked.append(path) or real(conn))
    Project.open(path).close()  # written by Factmark last: no check
    assert checked == []
    tamper(path, "UPDATE documents SET title = 'edited elsewhere'")
    Project.open(path).close()  # changed behind its back: checked once, then remembered
    Project.open_to_read(path).close()
    assert checked == [path]


def test_an_edit_that_keeps_inode_size_and_time_is_checked_all_the_same(tmp_path: Path) -> None:
    """An edit in place that sets the modification time back (``touch -d``, ``os.utime``)
    keeps inode, size and mtime: only the change time, which no tool can set back, tells."""
    path = tmp_path / "p.factmark"
    made(path)
    subprocess.run([sys.executable, "-m", "factmark", "stats", path], check=True, timeout=120)
    kept = os.stat(path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = DELETE")  # no log left beside it
    conn.execute("PRAGMA ignore_check_constraints = ON")
    conn.execute("UPDATE spans SET \"end\" = 'nine'")
    conn.commit()
    conn.close()
    os.utime(path, ns=(kept.st_atime_ns, kept.st_mtime_ns))
    edited = os.stat(path)
    assert (edited.st_ino, edited.st_size, edited.st_mtime_ns) == (
        kept.st_ino,
        kept.st_size,
        kept.st_mtime_ns,
    )
    assert not Path(f"{path}-wal").exists()
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    result = subprocess.run(
        [sys.executable, "-m", "factmark", "export", path, "--all", "-o", tmp_path / "x.jsonl"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert result.stderr == (
        f"factmark: error: {path}: 1 rows cannot be read (spans row 1: offsets that are not "
        "whole numbers with start before end); nothing was changed. To keep its valid rows: "
        f"factmark merge NEW.factmark {path} --skip-invalid\n"
    )
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert not (tmp_path / "x.jsonl").exists()


def test_the_windows_next_start_does_not_check_its_own_project_again(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Factmark's own writes, and its closing, leave the file stamped as it left it."""
    path = tmp_path / "p.factmark"
    made(path)
    checked: list[int] = []
    real = soundness.problems
    monkeypatch.setattr(soundness, "problems", lambda conn: checked.append(1) or real(conn))
    for start in range(2):
        window = create_main_window(path)
        qtbot.addWidget(window)
        window.show()
        window.activateWindow()  # keyboard shortcuts act in the active window
        qtbot.waitExposed(window)
        qtbot.waitUntil(window.isActiveWindow)
        view = window.article_view
        view.select_range(15 + start * 7, 21 + start * 7)  # "Wagner", then "had lo"
        qtbot.keyClick(view, Qt.Key.Key_1)
        window.close()
        window.project.close()
    assert checked == []
    with Project.open(path, create=False) as project:
        assert len(project.spans(1)) == 3
    assert checked == []
