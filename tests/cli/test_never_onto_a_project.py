"""No command writes onto a project, whether open elsewhere or not, and a bad output or a
closed standard output gives one line, never a traceback: real runs of ``factmark``."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.cli.test_cli import factmark

from factmark.core.incoming import IncomingDocument
from factmark.core.project import Project
from factmark.core.workspace import default_project_path

TEXT = "Army says 240 troops left Kyiv."


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    """The single line a refused command wrote on stderr (nothing on stdout)."""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert result.stdout == ""
    return lines[0]


def files_in(folder: Path) -> list[str]:
    """The names in ``folder``, but for what SQLite keeps beside the project read."""
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("news.factmark-"))


def new_project(path: Path, text: str = TEXT) -> Path:
    with Project.open(path) as project:
        added = project.add_document(IncomingDocument(text, title="troops"))
        assert added is not None
        project.add_span(added[0], 10, 13, "number", "lead")
    return path


@pytest.fixture
def news(tmp_path: Path) -> Path:
    return new_project(tmp_path / "news.factmark")


# A Factmark holding a project open (as the window does) until its stdin closes.
def test_copy_and_export_never_replace_the_project_a_window_has_open(
    news: Path, held: Callable[[Path], None]
) -> None:
    """The window is open on the default project; a copy or an export aimed at its file
    is refused and the file keeps its bytes (it was replaced, exit 0)."""
    default = default_project_path()
    default.parent.mkdir(parents=True, exist_ok=True)
    new_project(default, "The default project's own article.")
    held(default)
    before = sha256(default)

    copy = factmark("copy", news, default)
    assert copy.returncode == 2
    assert one_line(copy) == (
        f"factmark: error: {default}: is a Factmark project; a copy never replaces one: "
        "remove it first or choose another name"
    )
    assert sha256(default) == before

    export = factmark("export", news, "--all", "-o", default)
    assert export.returncode == 2
    assert one_line(export) == (
        f"factmark: error: {default}: is a Factmark project; an export never writes onto "
        "one: choose another name"
    )
    assert sha256(default) == before
    assert not (default.parent / "README.md").exists()  # nor its dataset card


def test_copy_never_replaces_an_annotators_copy(news: Path, tmp_path: Path) -> None:
    alice = tmp_path / "alice.factmark"
    made = factmark("copy", news, alice, "--annotator", "alice")
    assert made.returncode == 0, made.stderr
    with Project.open(alice) as theirs:  # alice's work, which a second copy would lose
        theirs.add_span(theirs.documents()[0].id or 0, 0, 4, "source", "alice")
    before = sha256(alice)

    again = factmark("copy", news, alice)
    assert again.returncode == 2
    assert one_line(again) == (
        f"factmark: error: {alice}: is a Factmark project; a copy never replaces one: "
        "remove it first or choose another name"
    )
    assert sha256(alice) == before
    assert files_in(tmp_path) == ["alice.factmark", "news.factmark"]


def test_export_onto_a_closed_project_or_database_is_refused(news: Path, tmp_path: Path) -> None:
    alice = new_project(tmp_path / "alice.factmark", "Alice's article.")
    other = tmp_path / "notes.db"  # an SQLite database of someone else's
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
    conn.close()
    for target, what in ((alice, "a Factmark project"), (other, "an SQLite database")):
        before = sha256(target)
        for fmt in ("jsonl", "brat"):
            result = factmark("export", news, "--all", "--format", fmt, "-o", target)
            assert result.returncode == 2, (fmt, result.stderr)
            assert one_line(result) == (
                f"factmark: error: {target}: is {what}; an export never writes onto one: "
                "choose another name"
            )
            assert sha256(target) == before
    assert files_in(tmp_path) == ["alice.factmark", "news.factmark", "notes.db"]


def test_export_onto_the_wal_of_a_project_open_elsewhere_is_refused(
    news: Path, tmp_path: Path, held: Callable[[Path], None]
) -> None:
    """A project another Factmark has just made (its tables still in its -wal only)."""
    fresh = tmp_path / "fresh.factmark"
    held(fresh)
    wal = Path(f"{fresh}-wal")
    before = {path: sha256(path) for path in (fresh, wal)}
    result = factmark("export", news, "--all", "-o", fresh)
    assert result.returncode == 2
    assert one_line(result).startswith(f"factmark: error: {fresh}: is a Factmark project; ")
    result = factmark("export", news, "--all", "-o", wal)
    assert result.returncode == 2
    assert one_line(result) == (
        f"factmark: error: {wal}: is {wal.name}, which SQLite keeps beside the project "
        f"{fresh}; nothing is written onto it: choose another name"
    )
    assert {path: sha256(path) for path in (fresh, wal)} == before


def test_copy_onto_a_text_file_is_refused(news: Path, tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n", encoding="utf-8")
    result = factmark("copy", news, notes)
    assert result.returncode == 2
    assert one_line(result) == (
        f"factmark: error: {notes}: exists; a copy never replaces a file: remove it first "
        "or choose another name"
    )
    assert notes.read_text(encoding="utf-8") == "my notes\n"


def test_copy_into_a_missing_folder_says_so(news: Path, tmp_path: Path) -> None:
    target = tmp_path / "nowhere" / "y.factmark"
    result = factmark("copy", news, target)
    assert result.returncode == 1
    assert one_line(result) == (
        f"factmark: error: {target}: the folder {target.parent} does not exist"
    )
    assert files_in(tmp_path) == ["news.factmark"]


@pytest.mark.parametrize(
    "command",
    [("stats",), ("stats", "--json"), ("labels",), ("guidelines",), ("agree", "--json")],
)
def test_a_closed_standard_output_ends_the_command_quietly(
    news: Path, command: tuple[str, ...]
) -> None:
    """``factmark stats P | head -3``: the reader stops reading; no traceback, exit 1 (as
    Python's documentation advises for a closed pipe)."""
    reading, writing = os.pipe()
    os.close(reading)  # the reader has gone before anything is written
    try:
        script = Path(sys.executable).parent / "factmark"
        head = [str(script)] if script.exists() else [sys.executable, "-m", "factmark"]
        result = subprocess.run(
            [*head, command[0], str(news), *command[1:]],
            stdout=writing,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    finally:
        os.close(writing)
    assert result.stderr == ""
    assert result.returncode == 1


def test_merge_conflicts_with_sources_is_a_usage_error(news: Path, tmp_path: Path) -> None:
    ana = tmp_path / "ana.factmark"
    assert factmark("copy", news, ana, "--annotator", "ana").returncode == 0
    with Project.open(ana) as theirs:
        theirs.add_span(theirs.documents()[0].id or 0, 0, 4, "source", "ana")
    before = sha256(news)
    result = factmark("merge", news, ana, "--conflicts")
    assert result.returncode == 2
    assert one_line(result) == (
        "factmark: error: --conflicts lists the queue of TARGET: give no SOURCE "
        f"(factmark merge --conflicts {news})"
    )
    assert sha256(news) == before  # nothing merged
    listed = factmark("merge", "--conflicts", news)
    assert listed.returncode == 0
    assert (
        listed.stdout == "0 conflicts waiting in the review queue (F7 in the window shows each)\n"
    )
