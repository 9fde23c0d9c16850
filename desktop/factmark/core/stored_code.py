"""A project file runs no SQL but Factmark's own: its triggers and views are checked at open.

SQLite keeps triggers and views in the file, and runs a trigger by itself whenever its
table is written. A project from elsewhere holding ``CREATE TRIGGER ... AFTER INSERT ON
spans BEGIN DELETE FROM spans ...`` would delete annotations as they are made, behind a
window that shows them; ``trusted_schema = OFF`` stops only the functions such SQL may
call. So a file whose triggers and views are not exactly the ones Factmark's schema makes
at the file's version (name and SQL, as ``sqlite_master`` keeps them) is refused before
anything is written, migrations and their backup copy included. One query of
``sqlite_master``; the set of this version is a constant (``schema.TRIGGERS``), that of an
older version made once by running its migrations in memory.

A merge reads its sources without this check: it only reads them, and upgrades an older
one in a temporary copy whose triggers and views it drops first. That is how the
annotations of a refused file are kept.
"""

from __future__ import annotations

import sqlite3
from functools import cache

from factmark.core.schema import KNOWN_MIGRATIONS, MIGRATIONS, TRIGGERS

# (type, name) -> sql, as sqlite_master has them
Code = dict[tuple[str, str], str]

LISTED = 3  # names given in a refusal

CURRENT: Code = {("trigger", name): sql for name, sql in TRIGGERS.items()}


def stored(conn: sqlite3.Connection) -> Code:
    """The triggers and views a database holds."""
    rows = conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE type IN ('trigger', 'view')"
    )
    return {(kind, name): sql for kind, name, sql in rows}


def expected(applied: frozenset[str]) -> Code:
    """The triggers and views Factmark's schema makes once ``applied`` (migration names)
    are applied."""
    if applied == frozenset(KNOWN_MIGRATIONS):
        return CURRENT
    return _made_by(applied)


@cache
def _made_by(applied: frozenset[str]) -> Code:
    """What these migrations make, found by applying them to a database in memory (an
    older project: about to be migrated, which loads sqlite-utils anyway)."""
    if not applied:
        return {}
    from sqlite_utils import Database

    db = Database(memory=True, execute_plugins=False)
    try:
        for migration in MIGRATIONS:
            if migration.__name__ in applied:
                migration(db)
        return stored(db.conn)
    except sqlite3.DatabaseError:
        # Migrations that cannot follow each other (a file made by no Factmark): only
        # this version's own triggers are allowed.
        return CURRENT
    finally:
        db.close()


def foreign(conn: sqlite3.Connection, applied: frozenset[str]) -> list[tuple[str, str]]:
    """The triggers and views (type, name) of an open project that Factmark's schema does
    not make at its version (``applied``), or makes with other SQL; triggers first."""
    allowed = expected(applied)
    found = [key for key, sql in stored(conn).items() if allowed.get(key) != sql]
    return sorted(found, key=lambda key: (key[0] != "trigger", key[1]))


def refusal(conn: sqlite3.Connection, applied: frozenset[str]) -> str | None:
    """Why a project (open on ``conn``, at the version ``applied``) is not opened, as one
    line after its name: the triggers and views Factmark does not make; None when it
    holds none."""
    found = foreign(conn, applied)
    if not found:
        return None
    parts = []
    for kind in ("trigger", "view"):
        names = [name for what, name in found if what == kind]
        if names:
            shown = ", ".join(names[:LISTED])
            more = f" and {len(names) - LISTED} more" if len(names) > LISTED else ""
            noun = f"a {kind}" if len(names) == 1 else f"{kind}s"
            parts.append(f"{noun} Factmark does not make ({shown}{more})")
    harm = (
        "it could change or delete annotations"
        if found[0][0] == "trigger"
        else "it could show other rows than the project holds"
    )
    return f"holds {' and '.join(parts)}: not opened; {harm}"
