"""Where a file a user names may be written: never onto a project.

An export (``export -o``, File > Export corpus, its dataset card and split parts) never
writes onto a Factmark project, any other SQLite database or the ``-wal``/``-shm``/
``-journal`` file SQLite keeps beside a project, open or not: a project open in another
process (a window) would go on writing into a file no longer there, and one that is not
open would simply be lost. A copy of a project (``factmark copy``, File > Export project
for annotator) replaces no file at all unless asked to (the window asks the user), and
never one a Factmark has open.

A project is recognised by what is inside the file, not by its name: the SQLite header,
then the migrations Factmark records in it (:func:`factmark.core.schema.applied_names`).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from factmark.core.schema import applied_names
from factmark.core.storage import (
    _HELD,
    _OPEN_LOCK,
    SIDE_FILES,
    SQLITE_MAGIC,
    ProjectError,
    RefusedOutput,
    _file_id,
    check_output,
    read_header,
)

__all__ = ["check_copy_target", "check_export_output", "file_kind", "open_elsewhere"]


def check_export_output(output: Path) -> None:
    """Refuse (RefusedOutput, one line naming the file) an export's output that is an open
    project or beside one (:func:`~factmark.core.storage.check_output`), an existing
    Factmark project or other SQLite database, or a file SQLite keeps beside one.
    Nothing is written."""
    output = Path(output)
    check_output(output)
    kind = file_kind(output)
    if kind is not None:
        raise RefusedOutput(
            f"{output}: is {kind}; an export never writes onto one: choose another name"
        )
    _check_not_beside_a_project(output)


def check_copy_target(target: Path, *, replace: bool = False) -> None:
    """Refuse (RefusedOutput) the file a copy of a project is to be written to when it
    is an open project or beside one, or exists at all, unless ``replace``; even then a
    folder, a file SQLite keeps beside a project and a project a Factmark has open in
    another process are refused. ProjectError when its folder does not exist. Nothing is
    written."""
    target = Path(target)
    check_output(target)
    if target.is_dir():
        raise RefusedOutput(f"{target}: is a folder; choose a file name for the copy")
    if not target.parent.is_dir():
        raise ProjectError(f"{target}: the folder {target.parent} does not exist")
    _check_not_beside_a_project(target)
    if not (target.exists() or target.is_symlink()):
        return
    if not replace:
        if file_kind(target) == "a Factmark project":
            raise RefusedOutput(
                f"{target}: is a Factmark project; a copy never replaces one: remove it "
                "first or choose another name"
            )
        raise RefusedOutput(
            f"{target}: exists; a copy never replaces a file: remove it first or choose "
            "another name"
        )
    if open_elsewhere(target):
        raise RefusedOutput(
            f"{target}: is open in a Factmark window or command; it cannot be replaced "
            "while open: close it there first or choose another name"
        )


def file_kind(path: Path) -> str | None:
    """``"a Factmark project"``, ``"an SQLite database"`` (any other, or one whose
    schema cannot be read), or None for anything else (no file, a folder, another kind
    of file). Reading it changes nothing: the schema is read as an immutable file, then,
    for a project another process has just made (its tables only in its -wal yet),
    read-only beside that process."""
    path = Path(path)
    if not path.is_file():
        return None
    try:
        header = read_header(path)
    except OSError:
        return None
    if header is None:  # open in this process (a connection checked it): a project
        return "a Factmark project"
    if header != SQLITE_MAGIC:
        return None
    uri = path.resolve().as_uri()
    flags = ["mode=ro&immutable=1"]
    if all(Path(f"{path}{side}").exists() for side in ("-wal", "-shm")):
        flags.append("mode=ro")  # open elsewhere (or left so): what its -wal holds too
    for flag in flags:
        try:
            conn = sqlite3.connect(f"{uri}?{flag}", uri=True, timeout=0)
        except sqlite3.Error:
            continue
        try:
            if applied_names(conn):
                return "a Factmark project"
        except sqlite3.Error:
            pass  # its schema unreadable this way: the next way, else "an SQLite database"
        finally:
            conn.close()
    return "an SQLite database"


def open_elsewhere(path: Path) -> bool:
    """Whether a Factmark (any SQLite connection, in this process or another) has the
    database at ``path`` open. A Factmark holds a shared lock on its project for as long
    as it has it open (SQLite's WAL mode does): an exclusive lock is asked for without
    waiting and refused then. A file that is not an SQLite database is open nowhere."""
    path = Path(path)
    with _OPEN_LOCK:
        if _file_id(path) in _HELD:
            return True
    if file_kind(path) is None:
        return False
    conn = sqlite3.connect(path, timeout=0)
    try:
        conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        conn.rollback()
    except sqlite3.OperationalError as error:
        return "locked" in str(error) or "busy" in str(error)
    except sqlite3.DatabaseError:
        return False  # damaged: not a project a Factmark could have open
    finally:
        conn.close()
    return False


def _check_not_beside_a_project(output: Path) -> None:
    """Refuse a name ending in -wal, -shm or -journal beside an SQLite file."""
    for side in SIDE_FILES:
        if output.name.endswith(side) and len(output.name) > len(side):
            owner = output.with_name(output.name[: -len(side)])
            if file_kind(owner) is not None:
                raise RefusedOutput(
                    f"{output}: is {output.name}, which SQLite keeps beside the project "
                    f"{owner}; nothing is written onto it: choose another name"
                )
