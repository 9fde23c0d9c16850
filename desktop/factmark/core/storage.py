"""Where a project lives: its SQLite file opened, checked and migrated, one write
transaction at a time, and the listeners that hear of each committed change.

:class:`Storage` is the base of :class:`~factmark.core.project.Project`; the stores
for each topic (labels, spans, suggestions, settings, bulk reading) build on it.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from factmark.core.changes import ChangeSet
from factmark.core.model import ValidationError
from factmark.core.schema import KNOWN_MIGRATIONS, applied_names, migrations

if TYPE_CHECKING:
    from sqlite_utils import Database

Listener = Callable[[ChangeSet], None]

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000
# How long one step of reading a file from elsewhere (a merge source) may take: a
# view that never ends stops here with a clear error instead of hanging.
FOREIGN_STEP_SECONDS = 5.0
# The files SQLite keeps beside a project while it is open.
SIDE_FILES = ("-wal", "-shm", "-journal")


# The page size of new projects, four times SQLite's default: an article is a row of a
# few KB, a 1 MB one a chain of overflow pages. Measured against 4 KB in the same runs
# (bench/run.py): importing 10,000 articles with 200,000 spans took about 7% less
# processor time, a label key press in the 1 MB article 3.4 ms instead of 7-8 ms
# (median). SQLite fixes the size when the first table is made: older projects keep
# theirs (changing it would rewrite the whole file).
PAGE_SIZE = 16384
# What the write-ahead log is cut back to once SQLite has copied it into the project:
# one large change (a label renamed on 500,000 spans wrote 308 MB of log) otherwise
# leaves the log that size beside the project until the last connection closes.
WAL_SIZE_LIMIT = 64 * 1024 * 1024


class ProjectError(Exception):
    """A project file that cannot be used; the message names the file and the reason."""


class RefusedOutput(ValidationError):
    """A file name an output may not be written to (a project, open or not; an existing
    file a copy would replace); the message names it and says why. Nothing was written."""


class OlderProjectError(ProjectError):
    """A project from an older Factmark, which must be upgraded before it is used."""


def now() -> str:
    """A UTC timestamp with milliseconds, as stored in ``*_at`` columns."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


# orjson is imported where a value is first read or written: a start reads none (the
# settings it reads are read by settings_value), and orjson's import brings uuid and
# platform (20 million instructions).


def _loads(value: str | None) -> dict[str, Any]:
    if not value or value == "{}":
        return {}
    import orjson

    return orjson.loads(value)  # type: ignore[no-any-return]


def _dumps(value: dict[str, Any] | None) -> str:
    if not value:
        return "{}"
    import orjson

    return orjson.dumps(value or {}, option=orjson.OPT_SORT_KEYS).decode()


class Storage:
    """An open project file: its connection, transactions and change listeners."""

    def __init__(self, path: Path, conn: sqlite3.Connection, readonly: bool) -> None:
        self.path = path
        self.conn = conn
        self._db: Database | None = None
        self._savepoints = 0  # savepoints made so far: each nested step gets a new name
        self.readonly = readonly
        self._listeners: list[Listener] = []
        # What the open transaction changed; what committed transactions inside
        # held() changed, waiting to be delivered at once.
        self.changes = ChangeSet()
        self._held: list[ChangeSet] = []
        # Labels known to exist, by name, with their ids (see _check_label, label_id).
        self._label_names: dict[str, int] = {}
        self._annotators: set[str] = set()  # annotator rows known to exist
        self._lengths: dict[int, int] = {}  # text length of documents, by id
        self._whole = False  # inside whole(): nested transactions need no savepoints
        self.backup_path: Path | None = None
        self._step_limit = FOREIGN_STEP_SECONDS  # see time_limit()
        # The file opened, to notice it being moved or deleted while open.
        self._absolute = path.absolute()
        self._file_id = _file_id(self._absolute)
        self._held_file: tuple[int, int] | None = None  # see _hold()
        with _OPEN_LOCK:
            _OPEN_PROJECTS.add(self)

    # -- opening -------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: str | Path,
        *,
        create: bool = True,
        readonly: bool = False,
        check_rows: bool = True,
        check_pages: bool = True,
    ) -> Self:
        """Open (and migrate) the project at ``path``, creating it when allowed.

        Raises ProjectError, never a bare sqlite3 error, when the file is missing,
        not a Factmark project, corrupt, from a newer Factmark, or read-only while
        a write is needed. A file that is not a Factmark project is never modified.

        A file this Factmark did not write last has the values it reads checked first
        (:mod:`factmark.core.soundness`) and is refused when they cannot be read;
        ``check_rows=False`` for merge sources, which are checked row by row anyway;
        ``check_pages=False`` (with both) for a file another process of this export has
        just opened and checked (the second process of an export).
        """
        path = Path(path)
        exists = path.exists()
        if path.is_dir():
            raise ProjectError(f"{path}: is a folder, not a project file")
        if exists:
            _check_regular(path)
        if not exists and (not create or readonly):
            raise ProjectError(f"{path}: no such project file")
        if exists:
            _check_header(path)
            if not readonly and not _writable(path):
                raise ProjectError(
                    f"{path}: the project file is read-only; Factmark will not change it"
                )
        elif not path.parent.is_dir():
            raise ProjectError(f"{path}: the folder {path.parent} does not exist")
        conn: sqlite3.Connection | None = None
        held: tuple[int, int] | None = None
        try:
            pages = check_pages and not (exists and _as_written(path))
            conn, held = _connect(path, readonly, pages=pages)
            project = cls(path, conn, readonly)
            project._held_file = held
            project._prepare(exists, check_code=check_rows)
            if exists and check_rows:
                from factmark.core import soundness

                problem = soundness.check(path, conn)
                if problem is not None:
                    raise ProjectError(f"{path}: {problem}")
        except BaseException as error:
            # A refused file must not stay open: the connection would keep -wal/-shm
            # files beside it (and keep it locked on Windows).
            if conn is not None:
                conn.close()
                _release(held)
            if isinstance(error, sqlite3.DatabaseError):
                raise ProjectError(f"{path}: {_explain(error)}{_log_beside(path, error)}") from None
            raise
        return project

    @classmethod
    def open_beside(cls, path: str | Path, *, readonly: bool = False) -> Self:
        """Open again a project this process has open already (the window's, for a job or
        a look-up in the background): its pages and rows are not read through again, as
        the first opening checked them. The window's own edits change the file's stamp
        (:mod:`factmark.core.soundness`), so :meth:`open` took them for an outside change
        and checked the whole file before each export, agreement, import, merge, claim
        look-up or search-index turn (0.67 s at 10,000 articles, ten times that at
        100,000). A file no connection of this process holds is checked as :meth:`open`
        checks it."""
        beside = _file_id(Path(path)) in _HELD
        return cls.open(
            path, create=False, readonly=readonly, check_rows=not beside, check_pages=not beside
        )

    @classmethod
    def open_to_read(cls, path: str | Path) -> Self:
        """Open an existing project read-only (exports, statistics, merge sources).

        A project from an older Factmark is upgraded first, as opening it for work
        would (a backup copy of the old file is kept beside it), so that reading it
        does not ask the user to open it elsewhere; a read-only older file is refused.
        """
        try:
            return cls.open(path, create=False, readonly=True)
        except EmptyProjectError:
            raise
        except OlderProjectError as older:
            try:
                cls.open(path, create=False).close()
            except ProjectError:
                raise older from None
            return cls.open(path, create=False, readonly=True)

    def _prepare(self, existed: bool, *, check_code: bool = True) -> None:
        """Check the file is a Factmark project this version can use, then migrate it.

        Nothing is written (not even the journal mode) until the checks have passed,
        so a refused file keeps its exact bytes. With ``check_code``, a file holding a
        trigger or view Factmark's schema does not make at its version is refused
        (:mod:`factmark.core.stored_code`): before a migration, which would run it.
        """
        tables = self.conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'")
        has_tables = tables.fetchone()[0] > 0
        applied = set(applied_names(self.conn)) if has_tables else set()
        if has_tables and not applied:
            raise ProjectError(f"{self.path}: not a Factmark project (an unrelated SQLite file)")
        unknown = applied - set(KNOWN_MIGRATIONS)
        if unknown:
            raise ProjectError(
                f"{self.path}: made by a newer Factmark (schema {sorted(unknown)[-1]}); "
                "update Factmark to open it"
            )
        if check_code and existed:
            self._refuse_foreign_code(frozenset(applied))
        pending = [name for name in KNOWN_MIGRATIONS if name not in applied]
        if self.readonly:
            if pending and not applied:
                # An empty file (0 bytes, or a database without tables) is not an old
                # project: reading must never turn it into one.
                raise EmptyProjectError(f"{self.path}: an empty file, not a Factmark project")
            if pending:
                raise OlderProjectError(
                    f"{self.path}: made by an older Factmark and needs upgrading, "
                    "which a read-only project cannot be"
                )
            return
        if pending and existed and applied:
            self.backup_path = self._backup(sorted(applied)[-1])
        if not has_tables:
            # A new project's page size, fixed once it holds a table (see PAGE_SIZE).
            self.conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("PRAGMA synchronous = FULL")
        self.conn.execute(f"PRAGMA journal_size_limit = {WAL_SIZE_LIMIT}")
        if pending:
            migrations().apply(self.db)

    def _refuse_foreign_code(self, applied: frozenset[str]) -> None:
        """Raise ProjectError for a file holding triggers or views Factmark does not make."""
        from factmark.core.stored_code import refusal

        problem = refusal(self.conn, applied)
        if problem is not None:
            raise ProjectError(
                f"{self.path}: {problem}. To keep its annotations: "
                f"factmark merge NEW.factmark {self.path}"
            )

    @property
    def db(self) -> Database:
        """The project's connection as a sqlite-utils ``Database`` (made when first asked
        for: the start of the app does without it)."""
        if self._db is None:
            from sqlite_utils import Database

            # No sqlite-utils plugins: a plugin must not change how projects are stored.
            self._db = Database(self.conn, execute_plugins=False)
        return self._db

    def _backup(self, version: str) -> Path:
        """Copy the file (consistently, through SQLite) before migrating it."""
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")  # distinct even within a second
        return self.copy_to(self.path.with_name(f"{self.path.name}.{version}.{stamp}.bak"))

    def copy_to(self, target: Path) -> Path:
        """A consistent copy of the whole project in a new file (to hand to another
        annotator; a backup). Raises RefusedOutput for a file that exists (nothing is
        replaced), ProjectError when it cannot be written."""
        from factmark.core.outputs import check_copy_target

        target = Path(target)
        if target.exists() and target.resolve() == self.path.resolve():
            raise RefusedOutput(f"{target}: a copy needs another file name than the project's own")
        check_copy_target(target)
        try:
            backup = sqlite3.connect(target)
            try:
                self.conn.backup(backup)
            finally:
                backup.close()
        except sqlite3.Error as error:
            target.unlink(missing_ok=True)
            raise ProjectError(f"{target}: the copy could not be written ({error})") from None
        return target

    def own_files(self) -> list[Path]:
        """The project file and the files SQLite keeps beside it (-wal, -shm, -journal)."""
        return project_files(self._absolute)

    @contextmanager
    def time_limit(self, seconds: float | None = None) -> Iterator[Callable[[], None]]:
        """Bound each step of reading this (foreign) file: a statement that runs longer
        than ``seconds`` since the last call of the yielded ``restart`` is aborted, and
        raises ProjectError naming the file (a view that never ends, say).

        Call ``restart()`` before each batch of rows is fetched, so that a long but
        progressing read is never cut short.
        """
        limit = FOREIGN_STEP_SECONDS if seconds is None else seconds
        self._step_limit = limit
        started = [time.monotonic()]

        def restart() -> None:
            started[0] = time.monotonic()

        def check() -> int:
            return 1 if time.monotonic() - started[0] > limit else 0

        self.conn.set_progress_handler(check, 1000)
        try:
            yield restart
        except sqlite3.OperationalError as error:
            if "interrupted" not in str(error):
                raise
            raise self.read_error(error) from None
        finally:
            self.conn.set_progress_handler(None, 0)

    def read_error(self, error: sqlite3.DatabaseError) -> ProjectError:
        """The error to raise for a failed read of this (foreign) file: one line naming
        it, whichever connection's transaction the read happened in."""
        if "interrupted" in str(error):
            return ProjectError(
                f"{self.path}: reading it took longer than {self._step_limit:g} s at one "
                "step (a view or query that never ends?); it was not used"
            )
        return ProjectError(f"{self.path}: cannot be read ({error})")

    def close(self) -> None:
        """Close the database connection (checkpointing the WAL)."""
        with _OPEN_LOCK:
            _OPEN_PROJECTS.discard(self)
        in_place = self._in_place()
        if not self.readonly and not in_place:
            # SQLite does not checkpoint a moved file on close: what was saved would
            # stay in the log beside the old name. Put it in the file, wherever it is.
            with suppress(sqlite3.DatabaseError):
                self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.conn.close()
        _release(self._held_file)
        self._held_file = None
        if not self.readonly and in_place:
            from factmark.core import soundness

            soundness.remember(self.path)  # what Factmark wrote needs no check next time

    def _in_place(self) -> bool:
        """Whether the project's path still names the file that was opened."""
        return _file_id(self._absolute) == self._file_id

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions and listeners -----------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction (``BEGIN IMMEDIATE``); nested calls use savepoints.

        Listeners hear of the changes once the outermost transaction has committed.
        Raises ProjectError for storage failures (read-only, disk full, locked).
        """
        conn = self.conn
        if conn.in_transaction:
            if self._whole:
                yield  # inside an all-or-nothing edit: a failure undoes all of it anyway
                return
            with self._savepoint():
                yield
            return
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield
                if not self._in_place():
                    # SQLite would commit into a log beside a file that is gone, and
                    # the change would be lost when the project is closed.
                    raise ProjectError(
                        f"{self.path}: the project file was moved or deleted while it was "
                        "open; the change was not saved (open the project where it is now)"
                    )
            except BaseException:
                conn.rollback()
                self._forget_transaction()
                raise
            conn.execute("COMMIT")
        except sqlite3.DatabaseError as error:
            if conn.in_transaction:
                conn.rollback()
            self._forget_transaction()
            raise ProjectError(f"{self.path}: {_explain(error)}") from None
        self._committed()

    @contextmanager
    def _savepoint(self) -> Iterator[None]:
        """A nested step of a transaction, undone alone when it fails (one document of an
        import). SQL of its own: sqlite-utils, and what it imports, is not loaded for it."""
        self._savepoints += 1
        name = f"factmark_{self._savepoints}"
        self.conn.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            # SQLite may have rolled the whole transaction back itself (a full disk): the
            # savepoint is gone then, and the error that did it is the one to tell.
            if self.conn.in_transaction:
                with suppress(sqlite3.OperationalError):
                    self.conn.execute(f"ROLLBACK TO {name}")
                    self.conn.execute(f"RELEASE {name}")
            raise
        self.conn.execute(f"RELEASE {name}")

    @contextmanager
    def whole(self) -> Iterator[None]:
        """One transaction for an edit that is all or nothing (an operation): the writes
        inside it open no savepoints of their own, since any failure undoes everything."""
        with self.transaction():
            outer, self._whole = self._whole, True
            try:
                yield
            finally:
                self._whole = outer

    def subscribe(self, listener: Listener) -> None:
        """Call ``listener(changes)`` after every committed change (after the whole
        operation, for changes made inside :meth:`held`); ``changes.origin`` names who
        started it."""
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        """Stop calling a listener given to :meth:`subscribe`."""
        if listener in self._listeners:
            self._listeners.remove(listener)

    @contextmanager
    def held(self, origin: object = None) -> Iterator[ChangeSet]:
        """Hold back change delivery until the block ends, then deliver everything its
        committed transactions changed as one ChangeSet, with ``origin`` (whoever
        started the change). The ChangeSet is yielded, filled in as the block runs.

        The window runs an operation and pushes its undo step inside this block, so
        views hear of the change once, when it is complete.
        """
        collected = ChangeSet()
        self._held.append(collected)
        try:
            yield collected
        finally:
            self._held.pop()
            if self._held:
                self._held[-1].update(collected)
            elif collected:
                self._deliver(collected, origin)

    def _notify(self, kind: str, document_id: int | None = None) -> None:
        """Record a change of a whole kind (labels, relation types, settings, a document's
        relations or suggestions); delivered with the transaction it belongs to."""
        changes = self.changes
        if kind == "relations" and document_id is not None:
            changes.relations_of.add(document_id)
        elif kind == "suggestions":
            if document_id is None:
                changes.suggestions_reloaded = True
            else:
                changes.suggestions_of.add(document_id)
        elif kind == "documents":
            changes.documents_reloaded = True
        elif kind in ("labels", "relation_types", "label_renamed", "settings"):
            setattr(changes, kind, True)
            if kind in ("labels", "label_renamed"):
                self._label_names.clear()  # at once: later writes of the transaction read
        else:
            raise ValueError(f"unknown kind of change {kind!r}")
        if not self.conn.in_transaction:
            self._committed()

    def _forget_transaction(self) -> None:
        """A rolled-back transaction changed nothing; the caches may have learnt wrong."""
        self.changes = ChangeSet()
        self._label_names.clear()
        self._annotators.clear()

    def _committed(self) -> None:
        changes, self.changes = self.changes, ChangeSet()
        if not changes:
            return
        if changes.labels or changes.label_renamed:
            self._label_names.clear()
        if self._held:
            self._held[-1].update(changes)
        else:
            self._deliver(changes, None)

    def _deliver(self, changes: ChangeSet, origin: object) -> None:
        changes.origin = origin
        for listener in list(self._listeners):
            listener(changes)

    def _rows(self, sql: str, params: list[Any] | tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """The rows of a query as tuples (faster than :meth:`_query` for many rows)."""
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.DatabaseError as error:
            raise ProjectError(f"{self.path}: {_explain(error)}") from None

    def _query(self, sql: str, params: list[Any] | tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        try:
            cursor = self.conn.execute(sql, params)
            columns = [c[0] for c in cursor.description]
            return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
        except sqlite3.DatabaseError as error:
            raise ProjectError(f"{self.path}: {_explain(error)}") from None


class EmptyProjectError(ProjectError):
    """An empty file (or a database without tables) asked for where a project must exist."""


# The projects open in this process (in any thread), which no output may be written onto.
_OPEN_PROJECTS: weakref.WeakSet[Storage] = weakref.WeakSet()
_OPEN_LOCK = threading.Lock()
# The files (device, inode) SQLite connections of this process have open, and how many.
# POSIX locks belong to a process and a file: closing any descriptor of the file drops
# all of them, SQLite's too. A window whose locks were dropped so looks to `factmark
# import` like no one else has the project open: closing, the import checkpoints and
# deletes the -wal and -shm files the window still writes to, and what the window saves
# next is lost (or the next open fails with "disk I/O error"). So Python never opens a
# file listed here; SQLite itself keeps a descriptor open while its locks are held.
_HELD: dict[tuple[int, int], int] = {}


def check_output(output: Path) -> None:
    """Refuse (RefusedOutput, one line naming the file) an output path that is an open
    project or one of the files SQLite keeps beside it: compared by device and inode,
    so a hard link, a symbolic link or another spelling of the name is caught too,
    and by name for a -wal/-shm file that does not exist yet. Nothing is written."""
    output = Path(output)
    found = _file_id(output.absolute())
    with _OPEN_LOCK:
        projects = list(_OPEN_PROJECTS)
    for project in projects:
        main, *beside = project.own_files()
        for file in (main, *beside):
            same_name = file == output.absolute() or _resolved(file) == _resolved(output)
            if not same_name and (found is None or found != _file_id(file)):
                continue
            what = (
                f"the open project {project.path}"
                if file == main
                else f"{file.name}, which SQLite keeps beside the open project {project.path}"
            )
            raise RefusedOutput(
                f"{output}: is {what}; nothing was written onto it (choose another file name)"
            )
        folder = _resolved(output)
        if folder is not None and folder.is_dir() and folder in (_resolved(main) or main).parents:
            raise RefusedOutput(
                f"{output}: holds the open project {project.path}; an export would replace "
                "the folder (choose another)"
            )


def _resolved(path: Path) -> Path | None:
    try:
        return path.absolute().resolve()
    except (OSError, RuntimeError):
        return None


def _check_regular(path: Path) -> None:
    """Refuse at once a path that is not a regular file (a FIFO would block the read, a
    device never end)."""
    try:
        mode = path.stat().st_mode
    except OSError as error:
        raise ProjectError(f"{path}: cannot be read ({error.strerror})") from None
    if stat.S_ISDIR(mode):
        raise ProjectError(f"{path}: is a folder, not a project file")
    if not stat.S_ISREG(mode):
        kind = (
            "a named pipe (FIFO)"
            if stat.S_ISFIFO(mode)
            else "a device"
            if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
            else "a socket"
            if stat.S_ISSOCK(mode)
            else "not a regular file"
        )
        raise ProjectError(f"{path}: is {kind}, not a project file")


def project_files(path: Path) -> list[Path]:
    """A project file and the files SQLite keeps beside it (-wal, -shm, -journal)."""
    return [path, *(path.with_name(path.name + side) for side in SIDE_FILES)]


def read_header(path: Path) -> bytes | None:
    """The first bytes of ``path`` (as many as SQLite's header), or None for a file a
    connection of this process has open: reading it would drop SQLite's locks on it (see
    ``_HELD``). The lock is held while reading, so that no connection takes locks on it
    meanwhile (see ``_hold``). OSError when it cannot be read."""
    with _OPEN_LOCK:
        if _file_id(path) in _HELD:
            return None
        with path.open("rb") as handle:
            return handle.read(len(SQLITE_MAGIC))


def _check_header(path: Path) -> None:
    """Refuse a file that is not an SQLite database before SQLite opens it (and perhaps
    rolls a journal beside it into it). A file this process has open already passed."""
    try:
        header = read_header(path)
    except OSError as error:
        raise ProjectError(f"{path}: cannot be read ({error.strerror})") from None
    if header and header != SQLITE_MAGIC:
        raise ProjectError(f"{path}: not a Factmark project (not an SQLite database)")


def _file_id(path: Path) -> tuple[int, int] | None:
    """Which file ``path`` names (device and inode), or None when there is none."""
    try:
        found = path.stat()
    except OSError:
        return None
    return found.st_dev, found.st_ino


def _writable(path: Path) -> bool:
    """Whether we may write the project: the OS allows it and the file is not marked
    read-only (no write bit), which counts even for an administrator."""
    return (
        os.access(path, os.W_OK)
        and os.access(path.parent, os.W_OK)
        and bool(path.stat().st_mode & 0o222)
    )


def _as_written(path: Path) -> bool:
    """Whether the file is exactly as this Factmark last wrote or checked it (its stamp,
    see :mod:`factmark.core.soundness`): its pages need no reading through at open."""
    from factmark.core import soundness

    try:
        return soundness.stamped(path)
    except OSError:
        return False


def _hold(path: Path) -> tuple[int, int] | None:
    """Count a connection to ``path`` as open in this process, before it takes any lock
    (opening takes none), so that ``_check_header`` no longer opens the file; the key
    to give to ``_release`` once the connection is closed."""
    with _OPEN_LOCK:
        key = _file_id(path)
        if key is not None:
            _HELD[key] = _HELD.get(key, 0) + 1
        return key


def _release(key: tuple[int, int] | None) -> None:
    """A connection counted by ``_hold`` is closed."""
    if key is None:
        return
    with _OPEN_LOCK:
        _HELD[key] -= 1
        if not _HELD[key]:
            del _HELD[key]


def _connect(
    path: Path, readonly: bool, *, pages: bool = True
) -> tuple[sqlite3.Connection, tuple[int, int] | None]:
    """A connection to ``path``, counted by ``_hold`` (the key returned with it), its
    header and (with ``pages``) every page checked."""
    if not readonly and pages and _log_size(path):
        # SQLite reads a log beside the file as part of it, and a connection that may
        # write copies the log into the file when it closes. A log an earlier session
        # left beside a file since restored from a backup makes it read as damaged, and
        # copied in, damages it for good: the checks read through a connection that
        # cannot write, and the file and its log stay as they are when they fail.
        conn, held = _connect(path, True)
        conn.close()
        _release(held)
        pages = False  # checked just now
    if readonly:
        # immutable=1 reads a WAL-mode file without creating -shm/-wal beside it,
        # which a read-only file or folder would not allow.
        flags = "mode=ro" if _writable(path) else "mode=ro&immutable=1"
        uri = f"{path.resolve().as_uri()}?{flags}"
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    else:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
    held = _hold(path)
    conn.create_function("fm_contains", 2, _contains, deterministic=True)
    try:
        _defend(conn)
        conn.execute("PRAGMA foreign_keys = ON")
        # Reading the schema fails at once on a damaged header; quick_check reads
        # every page, so damage in the middle of the file is found now, before
        # anything is written, rather than in the middle of someone's work. A file as
        # this Factmark last wrote it (``pages=False``) is spared the read through every
        # page: an archive of 100,000 articles opens without reading its 500 MB.
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        problems = (
            [row[0] for row in conn.execute("PRAGMA quick_check(5)").fetchall()]
            if pages
            else ["ok"]
        )
    except BaseException:
        conn.close()
        _release(held)
        raise
    if problems != ["ok"]:
        conn.close()
        _release(held)
        raise sqlite3.DatabaseError(f"database disk image is malformed: {'; '.join(problems)}")
    # Journal mode and synchronous are set by Storage._prepare once the file is accepted.
    return conn, held


def _defend(conn: sqlite3.Connection) -> None:
    """SQLite's defences against a hostile file: SQL stored in the file (views,
    triggers, CHECK and default expressions) may not call functions with side effects or
    use virtual tables (``trusted_schema = OFF``), and defensive mode refuses writes that
    could corrupt it (``writable_schema``, shadow tables). Python 3.12 has
    ``Connection.setconfig`` for defensive mode; Python 3.11 has no way to set it, so
    there only ``trusted_schema`` applies."""
    conn.execute("PRAGMA trusted_schema = OFF")
    setconfig = getattr(conn, "setconfig", None)
    defensive = getattr(sqlite3, "SQLITE_DBCONFIG_DEFENSIVE", None)
    if setconfig is not None and defensive is not None:
        setconfig(defensive, True)


def _contains(haystack: str | None, folded_needle: str) -> bool:
    """SQL ``fm_contains``: case-insensitive substring test in any script (LIKE is ASCII-only)."""
    return bool(haystack) and folded_needle in haystack.casefold()  # type: ignore[union-attr]


def _log_size(path: Path) -> int:
    """The size of the write-ahead log beside ``path`` (0: none)."""
    try:
        return Path(f"{path}-wal").stat().st_size
    except OSError:
        return 0


def _log_beside(path: Path, error: sqlite3.DatabaseError) -> str:
    """The likely cause of a file read as damaged, to add to its message, when a
    write-ahead log is beside it: one left by an earlier session (a backup restored over a
    project whose session crashed) or copied from another file. SQLite read it as part of
    the file; the file alone may well be sound. Nothing is moved here: the log may also
    hold the last changes of the file's own session."""
    message = str(error)
    if ("not a database" not in message and "malformed" not in message) or not _log_size(path):
        return ""
    return (
        f"; a write-ahead log {path}-wal is beside it, left by an earlier session or another "
        "file: move it away to open the file as it is"
    )


def _explain(error: sqlite3.DatabaseError) -> str:
    message = str(error)
    if "not a database" in message or "malformed" in message:
        return f"the project file is damaged or not a Factmark project ({message})"
    if "readonly" in message:
        return "the project file is read-only; nothing was changed"
    if "locked" in message or "busy" in message:
        return "the project is busy in another Factmark window or command; try again"
    if "full" in message:
        return "the disk is full; the last change was not saved"
    return message
