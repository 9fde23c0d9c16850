"""The window's background work on its own project (imports, exports, merges, the
archive, agreement, claim look-ups, the search index) opens the file again without
reading every page and row through: the window's first opening checked it, and its own
edits since only changed the file's stamp. A file this process does not hold open is
still checked.

The oracle: which checks ran, seen by wrapping SQLite's page check and the row check,
and a file damaged from outside refused with the check's own message."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from factmark.core import soundness, storage
from factmark.core.exporting.base import Selection
from factmark.core.importing import import_file
from factmark.core.project import Project
from factmark.ui.background import jobs
from factmark.ui.background.claim_matches import ArchiveIndex

ALL = Selection(statuses=frozenset())


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The checks run from now on: "pages" (every page read) and "rows"."""
    ran: list[str] = []
    problems = soundness.problems
    monkeypatch.setattr(soundness, "problems", lambda conn: ran.append("rows") or problems(conn))
    connect = storage._connect

    def connecting(path: Path, readonly: bool, *, pages: bool = True):  # type: ignore[no-untyped-def]
        if pages:
            ran.append("pages")
        return connect(path, readonly, pages=pages)

    monkeypatch.setattr(storage, "_connect", connecting)
    return ran


@pytest.fixture
def window_project(tmp_path: Path, corpus: Path) -> Iterator[Project]:
    """The project as the window holds it: open, and edited since it was opened."""
    path = tmp_path / "desk.factmark"
    with Project.open(path) as project:
        import_file(project, corpus / "annotated.jsonl")
    project = Project.open(path)
    document = project.documents()[0]
    assert document.id is not None
    project.add_span(document.id, 0, 3, "claim")  # the file's stamp is not the one checked
    assert not soundness.stamped(path)
    yield project
    project.close()


def _never() -> bool:
    return False


def _progress(done: int, total: int, name: str) -> None:
    pass


WORK: dict[str, Callable[[Path, Path], object]] = {
    "import": lambda path, corpus: jobs.import_paths(
        path, [corpus / "fr-combining.txt"], _progress, _never
    ),
    "export": lambda path, corpus: jobs.export_project(
        path, "jsonl", path.with_suffix(".jsonl"), ALL, _never, card=False
    ),
    "merge": lambda path, corpus: jobs.merge_sources(path, [], _progress, _never),
    "archive": lambda path, corpus: jobs.add_to_archive(path, [], _progress, _never),
    "agreement": lambda path, corpus: jobs.agreement_figures(path, _never),
    "search index": lambda path, corpus: jobs.fill_search_index(path, _progress, _never),
    "claim look-up": lambda path, corpus: ArchiveIndex(path).look_up(("Water is safe", "en"), None),
}


@pytest.mark.parametrize("work", WORK)
def test_background_work_on_the_windows_project_does_not_check_it_again(
    work: str, window_project: Project, checks: list[str], corpus: Path
) -> None:
    outcome = WORK[work](window_project.path, corpus)
    assert getattr(outcome, "error", None) is None
    assert checks == []


def test_a_file_no_connection_holds_is_checked(
    tmp_path: Path, corpus: Path, checks: list[str]
) -> None:
    path = tmp_path / "desk.factmark"
    with Project.open(path) as project:
        import_file(project, corpus / "annotated.jsonl")
    checks.clear()
    with sqlite3.connect(path) as conn:  # changed from outside: a note that is not text
        conn.execute("UPDATE spans SET note = x'00ff' WHERE id = 1")
    outcome = jobs.export_project(path, "jsonl", tmp_path / "out.jsonl", ALL, _never)
    assert outcome.error is not None and "rows cannot be read" in outcome.error
    assert checks == ["pages", "rows"]
    assert not (tmp_path / "out.jsonl").exists()
