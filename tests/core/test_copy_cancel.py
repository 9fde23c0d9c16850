"""A copy for an annotator stops at once when cancelled and leaves nothing: no half-made
file, and a file it was to replace as it was; it says how far its base is."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

import factmark.core.copies as copies
from factmark.core.copies import CopyCancelled, make_copy
from factmark.core.incoming import IncomingDocument
from factmark.core.project import Project

TEXT = "The army said 240 soldiers crossed the river near Bakhmut on Monday."
SPANS = [(0, 8, "source"), (14, 17, "number"), (18, 26, "claim"), (27, 34, "claim"),
         (50, 57, "location"), (61, 67, "claim")]  # fmt: skip


@pytest.fixture
def lead(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project of 6 spans, whose copy records its base 2 spans a statement."""
    monkeypatch.setattr(copies, "BASE_CHUNK", 2)
    path = tmp_path / "lead.factmark"
    with Project.open(path) as project:
        project.add_document(IncomingDocument(TEXT, title="a"))
        document = project.documents()[0].id or 0
        for start, end, label in SPANS:
            project.add_span(document, start, end, label, "lead")
    return path


def _files(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


def test_progress_counts_the_spans_up_to_all_of_them(lead: Path, tmp_path: Path) -> None:
    told: list[tuple[int, int]] = []
    with Project.open(lead) as project:
        made = make_copy(
            project, tmp_path / "ana.factmark", "ana", progress=lambda *t: told.append(t)
        )
    with closing(sqlite3.connect(tmp_path / "ana.factmark")) as db:
        (recorded,) = db.execute("SELECT count(*) FROM merge_base WHERE kind = 'span'").fetchone()
    assert recorded == made.spans == len(SPANS)
    assert told[-1] == (6, 6)
    assert [done for done, _ in told] == sorted(done for done, _ in told)  # never back
    assert len(told) >= 4  # 3 statements of 2 spans, then all


def test_a_cancel_leaves_no_copy_and_the_file_it_was_to_replace_as_it_was(
    lead: Path, tmp_path: Path
) -> None:
    target = tmp_path / "ana.factmark"
    with Project.open(lead) as project:
        make_copy(project, target, "ana")  # last week's copy, to be replaced
    before, listed = target.read_bytes(), _files(tmp_path)
    stop = False

    def told(done: int, total: int) -> None:
        nonlocal stop
        stop = done > 0  # cancelled once the first spans' base is recorded

    with Project.open(lead) as project, pytest.raises(CopyCancelled):
        make_copy(project, target, "ben", replace=True, cancelled=lambda: stop, progress=told)
    assert stop
    assert target.read_bytes() == before
    assert _files(tmp_path) == listed  # no half-made copy beside it


def test_a_statement_running_when_cancelled_is_stopped(
    lead: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite asks between its own steps: a cancel does not wait for a statement."""
    monkeypatch.setattr(copies, "CANCEL_CHECK_STEPS", 1)
    asked = 0

    def cancelled() -> bool:
        nonlocal asked
        asked += 1
        # Past the looks between steps (after SQLite's backup, before each of 3
        # statements): only SQLite, asking while a statement runs, sees the cancel.
        return asked > 6

    with Project.open(lead) as project, pytest.raises(CopyCancelled):
        make_copy(project, tmp_path / "ana.factmark", "ana", cancelled=cancelled)
    assert _files(tmp_path) == ["lead.factmark"]


def test_ctrl_c_leaves_no_half_made_copy(lead: Path, tmp_path: Path) -> None:
    def interrupted(done: int, total: int) -> None:
        if done:
            raise KeyboardInterrupt

    with Project.open(lead) as project, pytest.raises(KeyboardInterrupt):
        make_copy(project, tmp_path / "ana.factmark", "ana", progress=interrupted)
    assert _files(tmp_path) == ["lead.factmark"]
