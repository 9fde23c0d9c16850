"""A file dialog opened on the project's folder leaves the window's hold on its project.

Qt's file dialog typed each file it listed by reading its first bytes; reading and closing
the project file dropped SQLite's POSIX locks of the window's process on it. Another
Factmark then took the project for unused: closing, it checkpointed and deleted the -wal
file the window still wrote to, and the label the window saved next was lost. The oracles:
the kernel's lock table (/proc/locks) and the project read back with bare sqlite3.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog
from pytestqt.qtbot import QtBot

from factmark.core.incoming import IncomingDocument
from factmark.core.project import Project
from tests.ui.helpers import drag_select
from tests.ui.test_annotation import KEYS

REPO = Path(__file__).resolve().parents[2]
TEXT = "The mayor of Kharkiv said 40 people were evacuated."

pytestmark = pytest.mark.skipif(
    not Path("/proc/locks").exists(), reason="the kernel's lock table is Linux's"
)


def locks_held(path: Path) -> int:
    """How many locks this process holds on ``path`` (the kernel's table)."""
    inode, pid = os.stat(path).st_ino, str(os.getpid())
    rows = Path("/proc/locks").read_text().splitlines()
    return sum(1 for row in rows if f":{inode} " in row and row.split()[4] == pid)


def look_around_then_cancel(qtbot: QtBot, project: Path) -> None:
    """Once the file dialog shows, let it list and type the project's folder (its
    files painted), then close it as Cancel does."""

    def step(tries: int = 500) -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QFileDialog) and dialog.isVisible():
            end = time.monotonic() + 1.5
            while time.monotonic() < end:  # the listing is filled by a thread
                QApplication.processEvents()
                dialog.repaint()
            assert project.name in os.listdir(dialog.directory().absolutePath())
            dialog.reject()
        elif tries:
            QTimer.singleShot(20, lambda: step(tries - 1))

    QTimer.singleShot(20, step)


def test_a_file_dialog_on_the_projects_folder_keeps_the_project_locked(
    open_window, qtbot: QtBot, tmp_path: Path
) -> None:
    path = tmp_path / "desk.factmark"
    with Project.open(path) as project:
        project.add_document(IncomingDocument(TEXT, "Kharkiv"))
    window = open_window(path)
    held = locks_held(path)
    assert held > 0  # SQLite's shared lock while the window has the project open

    look_around_then_cancel(qtbot, path)
    window.action_table["openProject"].trigger()  # File > Open project, on its folder

    assert locks_held(path) == held
    # Another Factmark changes the project meanwhile, as a desk's script would.
    added = subprocess.run(
        [sys.executable, "-m", "factmark", "labels", str(path), "--add", "weapon"],
        env={**os.environ, "PYTHONPATH": str(REPO / "desktop")},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert added.returncode == 0, added.stderr
    start = TEXT.index("Kharkiv")
    drag_select(window.article_view, start, start + len("Kharkiv"))
    qtbot.keyClick(window.article_view, KEYS["location"])
    window.close()
    window.project.close()

    with sqlite3.connect(path) as db:  # the label the window saved is in the project
        stored = db.execute(
            'SELECT d.text, s.start, s."end", s.label FROM spans s '
            "JOIN documents d ON d.id = s.document_id"
        ).fetchall()
        labels = [name for (name,) in db.execute("SELECT name FROM labels")]
    assert [(text[a:b], label) for text, a, b, label in stored] == [("Kharkiv", "location")]
    assert "weapon" in labels  # and so is the other Factmark's
