"""A backup restored over a project whose crashed session left its write-ahead log beside it:
SQLite reads the old log into the restored file, which then reads as damaged. Factmark says
the likely cause, writes nothing (copying the log into the file would damage it for good),
and once the user has moved the log away the file opens as it was backed up."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from factmark.core.project import Project, ProjectError
from tests.faults.helpers import factmark, posix_only, sha256

pytestmark = posix_only

RESTORED_OVER_A_CRASH = """
import os, shutil, sys
from factmark.core.incoming import IncomingDocument
from factmark.core.project import Project
path, backup = sys.argv[1], sys.argv[2]
with Project.open(path) as project:
    for i in range(20):
        project.add_document(IncomingDocument(f"Backup-era article {i} about Kharkiv.", f"old {i}"))
shutil.copy(path, backup)  # the user's backup
with Project.open(path) as project:  # later work, in the file once closed
    for i in range(200):
        added = project.add_document(IncomingDocument(f"Later article {i} on Odesa.", f"later {i}"))
        project.add_span(added[0], 0, 5, "claim", "ana")
project = Project.open(path)  # a session that crashes, its log left beside the file
for i in range(200):
    project.add_document(IncomingDocument(f"Crashed-session article {i} on Lviv.", f"crash {i}"))
shutil.copy(backup, path)  # the user restores the backup; the log stays
os._exit(0)
"""


def documents_in(path: Path) -> int:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return int(conn.execute("SELECT count(*) FROM documents").fetchone()[0])
    finally:
        conn.close()


def test_a_backup_restored_beside_an_old_log_is_refused_saying_why(tmp_path: Path) -> None:
    path, backup = tmp_path / "P.factmark", tmp_path / "P.backup.factmark"
    subprocess.run(
        [sys.executable, "-c", RESTORED_OVER_A_CRASH, path, backup], check=True, timeout=120
    )
    log = Path(f"{path}-wal")
    assert log.stat().st_size > 0
    before = (sha256(path), sha256(log))
    (tmp_path / "one.jsonl").write_text('{"text": "A new article on Kharkiv."}\n', "utf-8")
    cause = (
        f"; a write-ahead log {log} is beside it, left by an earlier session or another file: "
        "move it away to open the file as it is"
    )
    for opening in (Project.open, Project.open_to_read):
        with pytest.raises(ProjectError) as refused:
            opening(path)
        message = str(refused.value)
        assert message.startswith(f"{path}: the project file is damaged or not a Factmark project")
        assert message.endswith(cause) and "\n" not in message
    for command in (["import", path, tmp_path / "one.jsonl"], ["stats", path]):
        result = factmark(*command)
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        (line,) = result.stderr.splitlines()
        assert line.startswith(f"factmark: error: {path}: the project file is damaged")
        assert line.endswith(cause)
    # Nothing was written: not the log into the file, not the file.
    assert (sha256(path), sha256(log)) == before
    # The user moves the log away: the file opens as it was backed up.
    shutil.move(log, tmp_path / "P.factmark-wal.old")
    Path(f"{path}-shm").unlink(missing_ok=True)
    with Project.open(path, create=False) as project:
        assert project.document_count() == documents_in(backup) == 20


def test_a_damaged_file_without_a_log_is_told_as_damaged_only(tmp_path: Path) -> None:
    path = tmp_path / "P.factmark"
    Project.open(path).close()
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # the first page's contents, past its header
    path.write_bytes(bytes(data))
    with pytest.raises(ProjectError) as refused:
        Project.open(path)
    message = str(refused.value)
    assert message.startswith(f"{path}: the project file is damaged or not a Factmark project")
    assert "write-ahead log" not in message
