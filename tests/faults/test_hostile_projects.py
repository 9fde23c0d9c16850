"""Hostile project files: a colleague's copy made to break the user's project, and
outputs aimed at the project itself.

Every hostile file is built here. Each attack must get a clear one-line message and
exit code, and leave the user's project byte for byte as it was (or, with
``--skip-invalid``, exactly the valid rows added); the project must still open and
export afterwards.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import time
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

from factmark.core.exporting import export
from factmark.core.incoming import IncomingDocument
from factmark.core.merge import merge_projects
from factmark.core.model import ValidationError
from factmark.core.project import Project, ProjectError
from factmark.core.schema import migrations
from factmark.core.storage import Storage
from factmark.core.text import text_uid
from tests.faults.helpers import factmark, integrity, posix_only, sha256

ARTICLE = "The army said 240 soldiers crossed the river near Bakhmut on Monday.\n"
OTHER = "Officials in Kyiv told reporters 15,000 people fled the city.\n"
STAMP = "2026-01-01T00:00:00.000+00:00"


def one_line(result: subprocess.CompletedProcess[str], *parts: str) -> str:
    """The one stderr line holding all ``parts`` (and no traceback anywhere)."""
    assert "Traceback" not in result.stderr, result.stderr
    found = [line for line in result.stderr.splitlines() if all(p in line for p in parts)]
    assert len(found) == 1, result.stderr
    return found[0]


@pytest.fixture
def mine(tmp_path: Path) -> Path:
    """The user's own project: one article with one span and a relation."""
    path = tmp_path / "mine.factmark"
    with Project.open(path) as project:
        added = project.add_document(IncomingDocument(ARTICLE, title="Bakhmut"))
        assert added is not None
        claim = project.add_span(added[0], 0, 8, "claim", "ana")
        number = project.add_span(added[0], 14, 17, "number", "ana")
        project.add_relation(claim.id or 0, number.id or 0, "attributed_to")
    return path


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A colleague's copy, sound: two articles with spans by ben and a relation."""
    path = tmp_path / "copy.factmark"
    with Project.open(path) as project:
        first = project.add_document(IncomingDocument(ARTICLE, title="Bakhmut"))
        second = project.add_document(IncomingDocument(OTHER, title="Kyiv"))
        assert first is not None and second is not None
        source = project.add_span(first[0], 0, 8, "source", "ben")
        claim = project.add_span(first[0], 9, 13, "claim", "ben", note="check it")
        project.add_relation(claim.id or 0, source.id or 0, "attributed_to")
        project.add_span(second[0], 33, 39, "number", "ben")
    return path


def sql(path: Path, *statements: str, params: tuple[object, ...] = ()) -> None:
    """Change a file behind Factmark's back, as a hand-edited or hostile copy is."""
    conn = sqlite3.connect(path)
    try:
        for statement in statements:
            conn.execute(statement, params if "?" in statement else ())
        conn.commit()
    finally:
        conn.close()


def usable(path: Path, tmp_path: Path) -> None:
    """The project opens, is sound, and exports as JSONL."""
    with Project.open(path, create=False) as project:
        assert integrity(project) == ["ok"]
        out = tmp_path / "check.jsonl"
        export(project, "jsonl", out, card=False)
        for line in out.read_bytes().splitlines():
            record = orjson.loads(line)
            for span in record["spans"]:
                assert record["text"][span["start"] : span["end"]] == span["text"]


def spans_of(path: Path) -> set[tuple[object, ...]]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return set(
            conn.execute(
                'SELECT d.uid, s.annotator, s.start, s."end", s.label, s.note FROM spans s '
                "JOIN documents d ON d.id = s.document_id"
            ).fetchall()
        )
    finally:
        conn.close()


# -- rows that break the rules: refused whole, one line each ----------------------------

SPAN_COLUMNS = 'document_id, start, "end", label, annotator, note, attrs, created_at, updated_at'

LABEL_ROW = "INSERT INTO labels (id, name, key, colour, description, position) VALUES "
SPAN_ROW = f"INSERT INTO spans ({SPAN_COLUMNS}) VALUES "
RELATION_ROW = "INSERT INTO relations (document_id, head_span_id, child_span_id, label) VALUES "
NUL_TEXT = OTHER + "\x00"

# name: (statements, parameters, table, what the line says)
HOSTILE_ROWS: dict[str, tuple[list[str], tuple[object, ...], str, str]] = {
    "malformed meta": (
        ["UPDATE documents SET meta = '{\"a\": ' WHERE id = 2"],
        (),
        "documents",
        "meta is not valid JSON",
    ),
    "NUL deep inside meta": (  # deeper than Python's stack would allow a recursive check
        ["UPDATE documents SET meta = ? WHERE id = 2"],
        ('{"a": ' + "[" * 900 + '"\\u0000"' + "]" * 900 + "}",),
        "documents",
        "holds a NUL character",
    ),
    "meta not an object": (
        ["UPDATE documents SET meta = '[1, 2]' WHERE id = 2"],
        (),
        "documents",
        "meta is JSON but not an object",
    ),
    "malformed attrs": (
        ["UPDATE spans SET attrs = '{oops' WHERE id = 3"],
        (),
        "spans",
        "attrs is not valid JSON",
    ),
    "note as a BLOB": (
        ["UPDATE spans SET note = x'00ff10' WHERE id = 3"],
        (),
        "spans",
        "note is binary data (a BLOB)",
    ),
    "span past its text": (
        ['UPDATE spans SET "end" = 5000 WHERE id = 3'],
        (),
        "spans",
        "outside its text",
    ),
    "end not an integer": (
        ["UPDATE spans SET \"end\" = '39x' WHERE id = 3"],
        (),
        "spans",
        "are not integers",
    ),
    "end a real number": (
        ['UPDATE spans SET "end" = 38.5 WHERE id = 3'],
        (),
        "spans",
        "are not integers",
    ),
    "NUL in text": (
        ["UPDATE documents SET text = ?, uid = ? WHERE id = 2"],
        (NUL_TEXT, text_uid(NUL_TEXT)),
        "documents",
        "NUL",
    ),
    "text not UTF-8": (
        ["UPDATE documents SET text = CAST(x'ff41' AS TEXT) WHERE id = 2"],
        (),
        "documents",
        "text is not valid UTF-8",
    ),
    "uid not the text's hash": (
        ["UPDATE documents SET uid = 'abc' WHERE id = 2"],
        (),
        "documents",
        "is not the sha256 of its text",
    ),
    "dangling relation": (
        [RELATION_ROW + "(1, 2, 999, 'part_of')"],
        (),
        "relations",
        "span 999 is not a span of document 1",
    ),
    "span of a missing document": (
        [SPAN_ROW + "(77, 0, 3, 'claim', 'ben', NULL, '{}', 'x', 'x')"],
        (),
        "spans",
        "its document 77 does not exist",
    ),
    "unknown label": (
        [SPAN_ROW + "(1, 0, 3, 'ghost', 'ben', NULL, '{}', 'x', 'x')"],
        (),
        "spans",
        "unknown label 'ghost'",
    ),
    "label with a newline": (
        [LABEL_ROW + "(90, 'bad' || char(10) || 'name', '', '#112233', '', 9)"],
        (),
        "labels",
        "line breaks",
    ),
    "colour javascript:": (
        [LABEL_ROW + "(91, 'evil', '', 'javascript:alert(1)', '', 9)"],
        (),
        "labels",
        "colour",
    ),
    "two-character key": (
        [LABEL_ROW + "(92, 'wide', 'ab', '#112233', '', 9)"],
        (),
        "labels",
        "one character",
    ),
    "link type with a space": (
        ["UPDATE relations SET label = 'two words' WHERE id = 1"],
        (),
        "relations",
        "one word",
    ),
    "malformed link attrs": (
        ["UPDATE relations SET attrs = '{\"quote\": ' WHERE id = 1"],
        (),
        "relations",
        "attrs is not valid JSON",
    ),
    "link attrs not an object": (
        ["UPDATE relations SET attrs = '\"direct\"' WHERE id = 1"],
        (),
        "relations",
        "attrs is JSON but not an object",
    ),
    "link note as a BLOB": (
        ["UPDATE relations SET note = x'00ff10' WHERE id = 1"],
        (),
        "relations",
        "note is binary data (a BLOB)",
    ),
    "link note holding NUL": (
        ["UPDATE relations SET note = 'said' || char(0) WHERE id = 1"],
        (),
        "relations",
        "the note holds a NUL character",
    ),
    "annotator with an escape": (
        ["UPDATE spans SET annotator = 'ben' || char(27) || '[31m' WHERE id = 3"],
        (),
        "spans",
        "annotator",
    ),
}


@posix_only
@pytest.mark.parametrize("attack", list(HOSTILE_ROWS))
def test_a_copy_breaking_a_rule_is_refused_whole(
    attack: str, mine: Path, copy: Path, tmp_path: Path
) -> None:
    statements, params, table, what = HOSTILE_ROWS[attack]
    sql(copy, *statements, params=params)
    before, source_before = sha256(mine), sha256(copy)
    result = factmark("merge", mine, copy)
    assert result.returncode == 1
    line = one_line(result, f"{copy}: error: {table} row", what)
    assert "\x1b" not in line and "\n" not in line
    assert f"{copy}: error: refused: 1 invalid row (listed below)" in result.stderr
    assert sha256(mine) == before
    assert sha256(copy) == source_before
    usable(mine, tmp_path)


def test_skip_invalid_adds_exactly_the_valid_rows(mine: Path, copy: Path, tmp_path: Path) -> None:
    # The second article's span is bad; the first article's span and relation are sound.
    sql(copy, "UPDATE spans SET attrs = '{oops' WHERE id = 3")
    expected = spans_of(mine) | {row for row in spans_of(copy) if row[2:4] != (33, 39)}
    result = factmark("merge", "--skip-invalid", mine, copy)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert f"{copy}: left out: spans row 3: attrs is not valid JSON" in result.stdout
    assert f"{copy}: 1 document added, 2 spans added, 1 relation added" in result.stdout
    assert spans_of(mine) == expected
    with Project.open(mine, create=False) as project:
        assert project.document_count() == 2
        assert sum(len(project.relations(d.id or 0)) for d in project.documents()) == 2
    usable(mine, tmp_path)
    # Merging it again changes nothing (the bad row is still left out).
    again = factmark("merge", "--skip-invalid", mine, copy)
    assert again.returncode == 1
    assert "0 documents added, 0 spans added, 0 relations added" in again.stdout
    assert spans_of(mine) == expected


def test_a_sound_copy_still_merges_with_exit_0(mine: Path, copy: Path, tmp_path: Path) -> None:
    result = factmark("merge", mine, copy)
    assert result.returncode == 0, result.stderr
    assert f"{copy}: 1 document added, 3 spans added, 1 relation added" in result.stdout
    usable(mine, tmp_path)


def test_refused_rows_are_counted_beyond_the_listed_ones(mine: Path, copy: Path) -> None:
    sql(
        copy,
        f"INSERT INTO spans ({SPAN_COLUMNS}) SELECT 1, value, value + 1, 'claim', 'ben', "
        "NULL, '{', 'x', 'x' FROM (WITH RECURSIVE n(value) AS (SELECT 0 UNION ALL "
        "SELECT value + 1 FROM n WHERE value < 1199) SELECT value FROM n)",
    )
    with Project.open(mine, create=False) as project:
        (report,) = merge_projects(project, [copy])
    assert report.failed and report.problem_count == 1200
    lines = report.lines()
    assert lines[0].startswith(f"{copy}: error: refused: 1,200 invalid rows")
    assert lines[-1] == f"{copy}: error: ... and 200 more"
    assert len(lines) == 1 + 1000 + 1


# -- code stored in a copy never runs -------------------------------------------------


def make_older_copy(path: Path) -> None:
    """A copy as the first Factmark release wrote it, with two spans, plus a trigger on
    the migrations table that would wipe them during an upgrade."""
    db = Database(path)
    db.execute("PRAGMA journal_mode = WAL")
    migrations().apply(db, stop_before="m002_relation_types")
    with db.atomic():
        db.execute(
            "INSERT INTO documents (id, uid, title, text, meta, status, created_at, updated_at) "
            "VALUES (1, ?, 'Bakhmut', ?, '{}', 'done', ?, ?)",
            [text_uid(ARTICLE), ARTICLE, STAMP, STAMP],
        )
        for span_id, start, end, label in ((1, 0, 8, "source"), (2, 14, 17, "number")):
            db.execute(
                f"INSERT INTO spans (id, {SPAN_COLUMNS}) "
                "VALUES (?, 1, ?, ?, ?, 'old', NULL, '{}', ?, ?)",
                [span_id, start, end, label, STAMP, STAMP],
            )
        db.execute(
            "CREATE TRIGGER wipe AFTER INSERT ON _sqlite_migrations "
            "BEGIN DELETE FROM spans; DELETE FROM documents; END"
        )
        db.execute("CREATE VIEW spy AS SELECT * FROM spans")
    db.close()


def test_an_older_copy_is_upgraded_in_a_temporary_copy_without_its_triggers(
    mine: Path, tmp_path: Path
) -> None:
    older = tmp_path / "older.factmark"
    make_older_copy(older)
    source_before = sha256(older)
    result = factmark("merge", mine, older)
    assert result.returncode == 0, result.stderr
    assert f"{older}: 0 documents added, 2 spans added" in result.stdout
    assert {row for row in spans_of(mine) if row[1] == "old"} == {
        (text_uid(ARTICLE), "old", 0, 8, "source", None),
        (text_uid(ARTICLE), "old", 14, 17, "number", None),
    }
    # The copy itself was only read: same bytes, no backup made beside it, trigger kept.
    assert sha256(older) == source_before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".bak")]
    conn = sqlite3.connect(older)
    assert conn.execute("SELECT count(*) FROM spans").fetchone() == (2,)
    assert conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall() == [
        ("wipe",)
    ]
    conn.close()
    with Project.open(mine, create=False) as project:
        triggers = project.conn.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('trigger', 'view') AND name IN "
            "('wipe', 'spy')"
        ).fetchall()
        assert triggers == []
    usable(mine, tmp_path)


def test_an_older_copy_breaking_a_rule_is_refused_under_its_own_name(
    mine: Path, tmp_path: Path
) -> None:
    older = tmp_path / "older.factmark"
    make_older_copy(older)
    sql(older, "UPDATE spans SET attrs = '[]' WHERE id = 2")
    before, source_before = sha256(mine), sha256(older)
    result = factmark("merge", mine, older)
    assert result.returncode == 1
    one_line(result, f"{older}: error: spans row 2: attrs is JSON but not an object")
    assert "factmark-merge-" not in result.stdout + result.stderr  # not the temporary copy
    assert (sha256(mine), sha256(older)) == (before, source_before)


FOREVER = (
    "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) "
    "SELECT x AS document_id, x AS id, 0 AS start, 1 AS \"end\", 'claim' AS label, "
    "NULL AS annotator, NULL AS note, '{}' AS attrs, 'x' AS created_at, 'x' AS updated_at "
    "FROM n WHERE x < 0"
)


def test_a_view_in_place_of_a_table_is_refused_at_once(
    mine: Path, copy: Path, tmp_path: Path
) -> None:
    sql(copy, "PRAGMA foreign_keys = OFF", "DROP TABLE relations", "DROP TABLE spans")
    sql(copy, f"CREATE VIEW spans AS {FOREVER}")
    before = sha256(mine)
    started = time.monotonic()
    result = factmark("merge", mine, copy)
    assert time.monotonic() - started < 30
    assert result.returncode == 1
    one_line(result, f"{copy}: error: not a Factmark project (its ")
    assert sha256(mine) == before
    usable(mine, tmp_path)


def test_reading_a_view_that_never_ends_stops_at_the_time_limit(copy: Path) -> None:
    sql(copy, f"CREATE VIEW forever AS {FOREVER}")
    # Opened as a merge opens its sources (opened directly, a view is refused at once).
    with Storage.open(copy, create=False, readonly=True, check_rows=False) as source:
        started = time.monotonic()
        limit = pytest.raises(ProjectError, match="longer than 1 s at one step")
        with limit, source.time_limit(1.0) as restart:
            restart()
            source.conn.execute("SELECT count(*) FROM forever").fetchone()
        assert time.monotonic() - started < 10
        # The connection is usable again, without the limit.
        assert source.conn.execute("SELECT count(*) FROM documents").fetchone() == (2,)


def test_a_merge_reads_every_batch_under_the_time_limit(
    mine: Path, copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each batch of the source is fetched with the clock restarted: a long merge is not
    cut short, but one step that does not end is (here a limit of 0 s stops the first)."""
    from factmark.core import storage

    sql(
        copy,
        f"INSERT INTO spans ({SPAN_COLUMNS}) SELECT 2, 0, value, 'claim', 'ben', NULL, '{{}}', "
        "'x', 'x' FROM (WITH RECURSIVE n(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM n "
        "WHERE value < 60) SELECT value FROM n)",
    )
    monkeypatch.setattr(storage, "FOREIGN_STEP_SECONDS", 0.0)
    before = sha256(mine)
    with Project.open(mine, create=False) as project:
        (report,) = merge_projects(project, [copy])
    assert report.failed and "longer than 0 s at one step" in (report.error or "")
    assert sha256(mine) == before


# -- files that are no project ---------------------------------------------------------


@posix_only
def test_a_fifo_as_a_source_is_refused_at_once(mine: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.factmark"
    os.mkfifo(fifo)
    before = sha256(mine)
    result = factmark("merge", mine, fifo)  # would block for ever reading the header
    assert result.returncode == 1
    one_line(result, f"{fifo}: error: is a named pipe (FIFO), not a project file")
    assert sha256(mine) == before
    export_result = factmark("export", fifo, "-o", tmp_path / "x.jsonl")
    assert export_result.returncode == 1
    one_line(export_result, f"{fifo}: is a named pipe (FIFO)")
    usable(mine, tmp_path)


@posix_only
def test_a_device_as_a_source_is_refused_at_once(mine: Path, tmp_path: Path) -> None:
    before = sha256(mine)
    result = factmark("merge", mine, "/dev/zero")
    assert result.returncode == 1
    one_line(result, "/dev/zero: error: is a device, not a project file")
    assert sha256(mine) == before
    usable(mine, tmp_path)


def test_an_empty_file_is_never_turned_into_a_project(mine: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.factmark"
    empty.write_bytes(b"")
    before = sha256(mine)
    result = factmark("merge", mine, empty)
    assert result.returncode == 1
    one_line(result, f"{empty}: error: an empty file, not a Factmark project")
    assert empty.read_bytes() == b""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.factmark", "mine.factmark"]
    assert sha256(mine) == before
    assert factmark("export", empty, "-o", tmp_path / "x.jsonl").returncode == 1
    assert empty.read_bytes() == b""
    assert not (tmp_path / "x.jsonl").exists()
    usable(mine, tmp_path)


# -- never write onto a project --------------------------------------------------------


def test_export_onto_the_project_itself_is_refused(mine: Path, tmp_path: Path) -> None:
    before = sha256(mine)
    result = factmark("export", mine, "-o", mine, "--all")
    assert result.returncode == 2
    line = one_line(result, f"{mine}: is the open project")
    assert line.startswith("factmark: error: ")
    assert sha256(mine) == before
    usable(mine, tmp_path)


@posix_only
@pytest.mark.parametrize("link", ["hard", "symbolic"])
@pytest.mark.parametrize("which", ["", "-wal"])
def test_export_onto_the_project_by_another_name_is_refused(
    mine: Path, tmp_path: Path, link: str, which: str
) -> None:
    target = Path(f"{mine}{which}")
    if not target.exists():
        target.write_bytes(b"")  # SQLite keeps an empty -wal beside an open project
    other = tmp_path / "corpus.jsonl"
    if link == "hard":
        os.link(target, other)
    else:
        other.symlink_to(target)
    before = sha256(mine)
    with Project.open(mine, create=False) as project:  # the -wal exists while it is open
        with pytest.raises(ValidationError, match="nothing was written onto it"):
            export(project, "jsonl", other)
        with pytest.raises(ValidationError, match=r"nothing was written onto it|another file"):
            project.copy_to(other)
    if which == "" or link == "symbolic":  # a hard link to a -wal SQLite since removed is not
        result = factmark("export", mine, "-o", other, "--all")
        assert result.returncode == 2, result.stderr
        one_line(result, f"{other}: is ")
    assert sha256(mine) == before
    usable(mine, tmp_path)


def test_export_by_the_name_of_the_wal_is_refused(mine: Path, tmp_path: Path) -> None:
    wal = Path(f"{mine}-wal")
    wal.unlink(missing_ok=True)
    result = factmark("export", mine, "-o", wal, "--all")
    assert result.returncode == 2
    one_line(result, f"{wal}: is {wal.name}, which SQLite keeps beside the open project")
    usable(mine, tmp_path)


# -- any mutation of a copy: merged into a sound project, or refused --------------------

COLUMNS = {
    "documents": ["uid", "title", "text", "meta", "status", "created_at", "updated_at"],
    "spans": ["document_id", "start", '"end"', "label", "annotator", "note", "attrs"],
    "relations": ["document_id", "head_span_id", "child_span_id", "label"],
    "labels": ["name", "key", "colour", "description", "position"],
}
VALUES = st.one_of(
    st.none(),
    st.integers(min_value=-3, max_value=200),
    st.floats(allow_nan=True),
    st.text(max_size=12),
    st.binary(max_size=6),
    st.sampled_from(
        ["{}", "{", "[]", '{"a": 1}', "claim", "part_of", "done", "ben", "\x00", "#FFFFFF"]
    ),
)
MUTATION = st.tuples(
    st.sampled_from(sorted(COLUMNS)), st.integers(min_value=1, max_value=4), st.data()
)


@settings(
    max_examples=int(os.environ.get("FACTMARK_EXAMPLES", "50")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_any_mutated_copy_merges_soundly_or_is_refused(
    data: st.DataObject,
    tmp_path_factory: pytest.TempPathFactory,
    sound: Callable[[], tuple[Path, Path]],
) -> None:
    folder = tmp_path_factory.mktemp("mutated")
    mine, copy = sound()
    mutations = data.draw(st.lists(MUTATION, min_size=1, max_size=4))
    conn = sqlite3.connect(copy)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("PRAGMA ignore_check_constraints = ON")
    for table, row, values in mutations:
        if values.draw(st.booleans()):
            column = values.draw(st.sampled_from(COLUMNS[table]))
            value = values.draw(VALUES)
            with suppress(sqlite3.DatabaseError):  # a NOT NULL or UNIQUE column keeps its value
                conn.execute(f"UPDATE {table} SET {column} = ? WHERE rowid = ?", [value, row])
        else:
            columns = COLUMNS[table]
            row_values = [values.draw(VALUES) for _ in columns]
            with suppress(sqlite3.DatabaseError):
                conn.execute(
                    f"INSERT INTO {table} ({', '.join(columns)}) "
                    f"VALUES ({', '.join('?' * len(columns))})",
                    row_values,
                )
    conn.commit()
    conn.close()
    before = sha256(mine)
    with Project.open(mine, create=False) as project:
        (report,) = merge_projects(project, [copy])
    if report.failed:
        assert report.error and "\n" not in report.error
        assert sha256(mine) == before
    usable(mine, folder)
    with Project.open(mine, create=False) as project:
        for document in project.documents():
            project.spans(document.id or 0)
            project.relations(document.id or 0)


@pytest.fixture
def sound(tmp_path_factory: pytest.TempPathFactory) -> Callable[[], tuple[Path, Path]]:
    """A fresh user project and a sound copy to mutate, made once and copied each time."""
    base = tmp_path_factory.mktemp("sound")
    made = {"mine": base / "mine.factmark", "copy": base / "copy.factmark"}
    with Project.open(made["mine"]) as project:
        added = project.add_document(IncomingDocument(ARTICLE, title="Bakhmut"))
        assert added is not None
        project.add_span(added[0], 0, 8, "claim", "ana")
    with Project.open(made["copy"]) as project:
        first = project.add_document(IncomingDocument(ARTICLE, title="Bakhmut"))
        second = project.add_document(IncomingDocument(OTHER, title="Kyiv"))
        assert first is not None and second is not None
        a = project.add_span(first[0], 0, 8, "source", "ben")
        b = project.add_span(first[0], 9, 13, "claim", "ben", note="n")
        project.add_relation(b.id or 0, a.id or 0, "attributed_to")
        project.add_span(second[0], 33, 39, "number", "ben", attrs={"checkworthy": "yes"})

    def make() -> tuple[Path, Path]:
        folder = tmp_path_factory.mktemp("example")
        paths = []
        for name, path in made.items():
            new = folder / path.name
            src = sqlite3.connect(path)
            dst = sqlite3.connect(new)
            src.backup(dst)
            src.close()
            dst.close()
            paths.append(new)
            del name
        return paths[0], paths[1]

    return make


# -- the window: File > Merge runs off the GUI thread and can be cancelled ---------------


def test_the_window_refuses_a_bad_copy_and_shows_its_first_lines(
    open_window: Callable[..., Any], mine: Path, copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sql(
        copy,
        f"INSERT INTO spans ({SPAN_COLUMNS}) SELECT 1, value, value + 1, 'claim', 'ben', "
        "NULL, '{', 'x', 'x' FROM "
        "(WITH RECURSIVE n(value) AS (SELECT 0 UNION ALL SELECT value + 1 FROM n "
        "WHERE value < 59) SELECT value FROM n)",
    )
    shown: list[tuple[str, list[str]]] = []

    def read(dialog: Any) -> int:
        rows = [dialog.lines.item(row).text() for row in range(dialog.lines.count())]
        shown.append((dialog.summary.text(), rows))
        return 0

    monkeypatch.setattr("factmark.ui.dialogs.merge_report.MergeReportDialog.exec", read)
    window = open_window(mine)
    before = spans_of(mine)
    lines = window.files.merge_projects([copy])
    assert lines[0].startswith(f"{copy}: error: refused: 60 invalid rows")
    assert len(lines) == 61
    ((summary, rows),) = shown
    assert summary == lines[0]  # the error, above the rows it refused
    assert rows == lines  # every one of them in the list
    assert spans_of(mine) == before
    assert window.project.document_count() == 1


def test_a_cancelled_merge_rolls_the_copy_back(mine: Path, copy: Path, tmp_path: Path) -> None:
    from factmark.ui.background.jobs import merge_sources

    before = spans_of(mine)
    asked = []

    def cancelled() -> bool:
        asked.append(1)
        return len(asked) > 3  # after the merge has begun reading the copy

    outcome = merge_sources(mine, [copy, copy], lambda *_: None, cancelled)
    assert outcome.cancelled
    assert outcome.lines == [f"{copy}: error: cancelled; nothing of it was merged"]
    assert spans_of(mine) == before
    usable(mine, tmp_path)


def test_a_merge_job_runs_in_its_thread(qtbot: Any, mine: Path, copy: Path) -> None:
    from factmark.ui.background.jobs import MergeJob

    job = MergeJob(mine, [copy])
    with qtbot.waitSignal(job.finished, timeout=60_000):
        job.start()
    assert job.outcome.lines[0].startswith(f"{copy}: 1 document added, 3 spans added")


def test_file_export_corpus_onto_the_open_project_is_refused(
    open_window: Callable[..., Any], mine: Path
) -> None:
    from factmark.core.exporting.base import Selection
    from factmark.ui.dialogs.progress import run_export

    window = open_window(mine)
    before = spans_of(mine)
    outcome = run_export(window, mine, "jsonl", mine, Selection(), show_errors=False)
    assert outcome.error is not None
    assert outcome.error.startswith(f"{mine}: is the open project")
    assert spans_of(mine) == before
    assert window.project.document_count() == 1
