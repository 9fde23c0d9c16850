"""The triggers and views a project may hold are exactly those Factmark's migrations make, at
every version: a new migration that makes or changes one cannot leave the check behind."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from factmark.core.incoming import IncomingDocument
from factmark.core.project import Project
from factmark.core.schema import KNOWN_MIGRATIONS, migrations
from factmark.core.stored_code import CURRENT, expected


def triggers_and_views(path: Path) -> dict[tuple[str, str], str]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE type IN ('trigger', 'view')"
        ).fetchall()
    finally:
        conn.close()
    return {(kind, name): sql for kind, name, sql in rows}


def test_this_versions_set_is_a_new_projects(tmp_path: Path) -> None:
    path = tmp_path / "new.factmark"
    Project.open(path).close()
    made = triggers_and_views(path)
    assert ("trigger", "spans_tombstone") in made and len(made) == 8
    assert made == CURRENT
    assert expected(frozenset(KNOWN_MIGRATIONS)) == made


def older(path: Path, stop_before: str) -> None:
    """A project as the Factmark whose last migration came before ``stop_before`` made it."""
    db = Database(path)
    migrations().apply(db, stop_before=stop_before)
    db.close()


@pytest.mark.parametrize("stop_before", KNOWN_MIGRATIONS[1:])
def test_an_older_versions_set_is_what_its_migrations_made(
    tmp_path: Path, stop_before: str
) -> None:
    path = tmp_path / "older.factmark"
    older(path, stop_before)
    applied = frozenset(KNOWN_MIGRATIONS[: KNOWN_MIGRATIONS.index(stop_before)])
    assert expected(applied) == triggers_and_views(path)
    # Such a project opens, and is migrated to hold exactly this version's set.
    with Project.open(path, create=False) as project:
        added = project.add_document(IncomingDocument("Kyiv said 12 drones fell.", "t"))
        assert added is not None
        project.add_span(added[0], 0, 4, "location", "ana")
    assert triggers_and_views(path) == CURRENT
