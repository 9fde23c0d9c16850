"""A project file from elsewhere holding SQL of its own (a trigger, a view, Factmark's own
trigger rewritten) is refused with one line before anything is written, by the window and
by every command; a merge still takes its annotations, without that SQL."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from factmark.core.project import Project, ProjectError
from factmark.core.schema import migrations
from factmark.ui.app import create_main_window
from tests.faults.helpers import factmark, new_project, sha256

TEXT = "Prigozhin said Wagner had lost 500 men near Bakhmut on Tuesday."
OTHER = (
    '{"text": "Officials in Kyiv told reporters 15,000 people fled.", "spans": '
    '[{"start": 0, "end": 9, "label": "claim"}, {"start": 13, "end": 17, "label": "location"}]}\n'
)

# name in the refusal -> (what the refusal calls it, the SQL stored in the file)
ATTACKS = {
    "zz_wipe": (
        "a trigger",
        "CREATE TRIGGER zz_wipe AFTER INSERT ON spans "
        "BEGIN DELETE FROM spans WHERE id <> NEW.id; END",
    ),
    "spans_tombstone": (
        "a trigger",  # Factmark's own name, other SQL
        "DROP TRIGGER spans_tombstone; CREATE TRIGGER spans_tombstone AFTER DELETE ON spans "
        "BEGIN DELETE FROM documents; END",
    ),
    "Relabel": (
        "a trigger",
        'CREATE TRIGGER "Relabel" BEFORE UPDATE ON labels BEGIN UPDATE spans SET note = 1; END',
    ),
    "spy": ("a view", "CREATE VIEW spy AS SELECT * FROM spans"),
}
HARM = {
    "a trigger": "it could change or delete annotations",
    "a view": "it could show other rows than the project holds",
}


def made(path: Path) -> None:
    """A sound project: one article with one span."""
    (document,) = new_project(path, [TEXT])
    with Project.open(path, create=False) as project:
        project.add_span(document, 0, 9, "source", "ana")


def stored(path: Path, script: str) -> None:
    """Put SQL into the file behind Factmark's back, as a colleague's tool could."""
    conn = sqlite3.connect(path)
    conn.executescript(script)
    conn.close()


def refusal(path: Path, name: str) -> str:
    kind, _ = ATTACKS[name]
    return (
        f"{path}: holds {kind} Factmark does not make ({name}): not opened; {HARM[kind]}. "
        f"To keep its annotations: factmark merge NEW.factmark {path}"
    )


def span_count(path: Path) -> int:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return int(conn.execute("SELECT count(*) FROM spans").fetchone()[0])
    finally:
        conn.close()


@pytest.mark.parametrize("name", list(ATTACKS))
def test_sql_stored_in_a_project_is_refused_by_every_command(name: str, tmp_path: Path) -> None:
    path = tmp_path / "theirs.factmark"
    made(path)
    stored(path, ATTACKS[name][1])
    (tmp_path / "two.jsonl").write_text(OTHER, encoding="utf-8")
    before = sha256(path)
    with pytest.raises(ProjectError) as refused:
        Project.open(path)
    assert str(refused.value) == refusal(path, name)
    commands = [
        ["import", path, tmp_path / "two.jsonl"],
        ["stats", path],
        ["export", path, "--all", "-o", tmp_path / "out.jsonl"],
        ["copy", path, tmp_path / "copy.factmark", "--annotator", "ben"],
    ]
    for command in commands:
        result = factmark(*command)
        assert result.returncode == 1, (command, result.stdout, result.stderr)
        assert result.stderr == f"factmark: error: {refusal(path, name)}\n", command
    assert sha256(path) == before
    assert span_count(path) == 1
    assert not (tmp_path / "out.jsonl").exists() and not (tmp_path / "copy.factmark").exists()


def test_the_window_refuses_such_a_file_from_open_and_from_the_command_line(
    open_window: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "trigger.factmark"
    made(path)
    stored(path, ATTACKS["zz_wipe"][1])
    before = sha256(path)
    window = open_window()
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        "factmark.ui.window.files.QMessageBox.warning",
        lambda _parent, title, text: shown.append((title, text)),
    )
    assert not window.files.open_project_file(path)
    assert shown == [("Cannot open project", refusal(path, "zz_wipe"))]
    assert window.project.path.name == "default.factmark"
    with pytest.raises(ProjectError, match=r"holds a trigger Factmark does not make \(zz_wipe\)"):
        create_main_window(path)
    assert sha256(path) == before


def test_a_merge_takes_the_annotations_of_such_a_file_without_its_sql(tmp_path: Path) -> None:
    theirs = tmp_path / "theirs.factmark"
    made(theirs)
    stored(theirs, ATTACKS["zz_wipe"][1] + ";" + ATTACKS["spy"][1])
    mine = tmp_path / "new.factmark"
    result = factmark("merge", mine, theirs)
    assert result.returncode == 0, result.stderr
    with Project.open(mine, create=False) as project:
        (document,) = project.documents()
        (span,) = project.spans(document.id or 0)
        assert (span.start, span.end, span.label, span.annotator) == (0, 9, "source", "ana")
        names = project.conn.execute(
            "SELECT name FROM sqlite_master WHERE name IN ('zz_wipe', 'spy')"
        ).fetchall()
        assert names == []


def test_an_older_project_holding_a_trigger_is_refused_before_its_upgrade(
    tmp_path: Path,
) -> None:
    """The trigger would run during the upgrade (here, on the migrations' own table), and
    the backup copy made before it is written: neither happens."""
    path = tmp_path / "older.factmark"
    db = Database(path)
    db.execute("PRAGMA journal_mode = WAL")
    migrations().apply(db, stop_before="m008_merge_base")
    db.execute(
        "CREATE TRIGGER wipe AFTER INSERT ON _sqlite_migrations BEGIN DELETE FROM labels; END"
    )
    db.close()
    before = sha256(path)
    for opening in (Project.open, Project.open_to_read):
        with pytest.raises(ProjectError) as refused:
            opening(path)
        assert str(refused.value) == (
            f"{path}: holds a trigger Factmark does not make (wipe): not opened; "
            "it could change or delete annotations. "
            f"To keep its annotations: factmark merge NEW.factmark {path}"
        )
    assert sha256(path) == before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".bak")]  # no backup made
