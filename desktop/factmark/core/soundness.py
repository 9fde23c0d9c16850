"""A project file is checked before it is used, unless this Factmark wrote it last.

A colleague's copy, or a file edited by hand, may hold values the window and the exports
cannot read: malformed JSON in ``meta`` or ``attrs``, offsets that are not whole numbers,
a note stored as bytes, a link to a span that is gone. Opening it as it is would fail
later, in the middle of someone's work, with a traceback. So the columns Factmark reads
are checked by SQLite itself (no text is read into Python) when a file is opened, unless
it is exactly what Factmark last wrote or checked: the device, inode, size,
modification and change time of the file and of its write-ahead log are kept in
``checked-projects.json`` in the user data folder after a check and whenever Factmark
closes a project it wrote (losing that small file costs only a check). A file that fails
is refused with one line naming the file, the first problems and the count, and how to
keep its valid rows (a merge, which checks every row by the model's full rules).
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

from factmark.core.source_files import not_regular
from factmark.core.workspace import data_dir

REMEMBERED = 200  # project files whose stamp is kept
MAX_BYTES = 256 * 1024
LISTED = 5  # problems named in a refusal

# (what is wrong, the query listing the ids of rows with that problem)
CHECKS: tuple[tuple[str, str], ...] = (
    (
        "documents row {}: text, title or metadata of the wrong type, or meta not a JSON object",
        "SELECT id FROM documents WHERE typeof(text) != 'text' OR typeof(title) != 'text' "
        "OR typeof(meta) != 'text' OR NOT json_valid(meta) OR json_type(meta) != 'object'",
    ),
    (
        "spans row {}: offsets that are not whole numbers with start before end",
        "SELECT id FROM spans WHERE typeof(start) != 'integer' OR typeof(\"end\") != "
        "'integer' OR start < 0 OR start >= \"end\"",
    ),
    (
        "spans row {}: a label, annotator or note that is not text, or attrs not a JSON object",
        "SELECT id FROM spans WHERE typeof(label) != 'text' "
        "OR typeof(annotator) NOT IN ('text', 'null') OR typeof(note) NOT IN ('text', 'null') "
        "OR typeof(attrs) != 'text' OR NOT json_valid(attrs) OR json_type(attrs) != 'object'",
    ),
    (
        "suggestions row {}: offsets that are not whole numbers with start before end",
        "SELECT id FROM suggestions WHERE typeof(start) != 'integer' OR typeof(\"end\") != "
        "'integer' OR start < 0 OR start >= \"end\"",
    ),
    (
        "relations row {}: a link between spans that are not both there, in its document",
        "SELECT r.id FROM relations r LEFT JOIN spans h ON h.id = r.head_span_id "
        "LEFT JOIN spans c ON c.id = r.child_span_id WHERE h.id IS NULL OR c.id IS NULL "
        "OR h.document_id != r.document_id OR c.document_id != r.document_id "
        "OR typeof(r.label) != 'text'",
    ),
    (
        "relations row {}: a note that is not text, or attrs not a JSON object",
        "SELECT id FROM relations WHERE typeof(note) NOT IN ('text', 'null') "
        "OR typeof(attrs) != 'text' OR NOT json_valid(attrs) OR json_type(attrs) != 'object'",
    ),
    (
        "spans row {}: offsets past the end of its document's text",
        # Each text's length counted once, not once for each of its spans (an archive
        # of 2,000,000 spans: 2.3 s to 0.4 s); the spans' ends read from their index.
        "WITH lengths(document, size) AS MATERIALIZED (SELECT id, length(text) "
        "FROM documents WHERE typeof(text) = 'text') SELECT s.id FROM lengths "
        "JOIN spans s ON s.document_id = lengths.document "
        'WHERE typeof(s."end") = \'integer\' AND s."end" > lengths.size',
    ),
    (
        "documents row {}: text holding NUL (binary data)",
        "SELECT id FROM documents WHERE typeof(text) = 'text' AND instr(text, char(0)) > 0",
    ),
    (
        "settings row {}: a value that is not JSON, guidelines that are not text or "
        "attributes that are not a JSON object",
        "SELECT quote(key) FROM settings WHERE typeof(value) != 'text' OR NOT json_valid(value) "
        "OR (key = 'guidelines' AND json_type(value) != 'text') "
        "OR (key IN ('attributes', 'link_attributes') AND json_type(value) != 'object')",
    ),
    (
        "spans row {}: an origin (the copy it was merged from) that is not a JSON object",
        "SELECT id FROM spans WHERE origin IS NOT NULL AND (typeof(origin) != 'text' "
        "OR NOT json_valid(origin) OR json_type(origin) != 'object')",
    ),
    (
        "tombstones row {}: a deleted span or link whose offsets, names or values are "
        "of the wrong type",
        "SELECT id FROM tombstones WHERE typeof(start) != 'integer' OR typeof(\"end\") != "
        "'integer' OR typeof(label) != 'text' OR typeof(annotator) NOT IN ('text', 'null') "
        "OR typeof(note) NOT IN ('text', 'null') OR typeof(attrs) != 'text' "
        "OR NOT json_valid(attrs) OR json_type(attrs) != 'object' OR (kind = 'relation' AND "
        "(typeof(link) != 'text' OR typeof(child_start) != 'integer' OR typeof(child_end) "
        "!= 'integer' OR typeof(child_label) != 'text' "
        "OR typeof(child_annotator) NOT IN ('text', 'null')))",
    ),
    (
        "merge_base row {}: a base entry that is not text and JSON",
        "SELECT rowid FROM merge_base WHERE typeof(uid) != 'text' OR typeof(key) != 'text' "
        "OR typeof(content) != 'text' OR NOT json_valid(content) "
        "OR (kind != 'document' AND (NOT json_valid(key) OR json_type(key) != 'array'))",
    ),
    (
        "merge_conflicts row {}: a queued conflict whose item or versions are not JSON",
        "SELECT id FROM merge_conflicts WHERE typeof(key) != 'text' OR typeof(target) != 'text' "
        "OR typeof(source) != 'text' OR typeof(copy) != 'text' OR NOT json_valid(target) "
        "OR NOT json_valid(source) OR (kind = 'span' AND (NOT json_valid(key) "
        "OR json_type(key) != 'array' OR json_array_length(key) != 4 "
        "OR json_type(target) NOT IN ('array', 'null') "
        "OR json_type(source) NOT IN ('array', 'null'))) "
        "OR (kind = 'status' AND (json_type(target) != 'text' OR json_type(source) != 'text')) "
        "OR (kind = 'relation' AND (NOT json_valid(key) OR json_type(key) != 'array' "
        "OR json_array_length(key) != 3 OR json_type(target) NOT IN ('array', 'null') "
        "OR json_type(source) NOT IN ('array', 'null')))",
    ),
    (
        "fact_checks row {}: an archived fact-check whose URL, claim or details are not text",
        "SELECT id FROM fact_checks WHERE typeof(url) != 'text' OR typeof(claim) != 'text' "
        "OR typeof(rating) != 'text' OR typeof(reviewer) != 'text' "
        "OR typeof(claimant) != 'text' OR typeof(review_date) != 'text' "
        "OR typeof(language) != 'text' OR typeof(title) != 'text' "
        "OR typeof(source_file) != 'text'",
    ),
    (
        "spans row {}: a span of a document or label that is not there",
        "SELECT s.id FROM spans s LEFT JOIN documents d ON d.id = s.document_id "
        "LEFT JOIN labels l ON l.name = s.label WHERE d.id IS NULL OR l.name IS NULL",
    ),
)


def problems(conn: sqlite3.Connection) -> tuple[list[str], int]:
    """The first problems of an open project's rows (as lines) and how many there are."""
    found: list[str] = []
    count = 0
    for what, query in CHECKS:
        ids = [row[0] for row in conn.execute(query)]
        count += len(ids)
        found += [what.format(i) for i in ids[: max(0, LISTED - len(found))]]
    return found, count


def stamped(path: Path) -> bool:
    """Whether ``path`` is exactly as this Factmark last wrote or checked it."""
    return bool(_stamps().get(_key(path)) == file_stamp(path))


def check(path: Path, conn: sqlite3.Connection) -> str | None:
    """Why the project at ``path`` (open on ``conn``) cannot be used, or None; a file as
    this Factmark last wrote or checked it is not checked again."""
    try:
        if stamped(path):
            return None
    except OSError:
        return None  # the file went away: opening it fails with its own message
    found, count = problems(conn)
    if count:
        more = f"; and {count - len(found)} more" if count > len(found) else ""
        return (
            f"{count:,} rows cannot be read ({'; '.join(found)}{more}); nothing was changed. "
            f"To keep its valid rows: factmark merge NEW.factmark {path} --skip-invalid"
        )
    remember(path)
    return None


def file_stamp(path: Path) -> list[int]:
    """What identifies a project file's content as last seen: device, inode, size,
    modification and change time of the file, size, modification and change time of its
    write-ahead log (0s when it has none).

    The change time (``st_ctime_ns``) is the one no user tool can set back: a file edited
    in place that keeps its inode and size, its modification time set back with
    ``touch``/``os.utime``, still has a new one, so any write Factmark did not record makes
    it check the file again."""
    found = os.stat(path)
    stamp = [found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns]
    try:
        wal = os.stat(f"{path}-wal")
    except OSError:
        return [*stamp, 0, 0, 0]
    # An empty log (opening a file creates one) holds nothing: as good as none.
    if not wal.st_size:
        return [*stamp, 0, 0, 0]
    return [*stamp, wal.st_size, wal.st_mtime_ns, wal.st_ctime_ns]


def remember(path: Path) -> None:
    """Remember a project file as Factmark left it, so that opening it again costs no
    check (best effort: a file not remembered is checked again, nothing worse)."""
    try:
        stamps = _stamps()
        key = _key(path)
        stamps.pop(key, None)  # re-inserted last: the most recent stay when trimming
        stamps[key] = file_stamp(path)
        while len(stamps) > REMEMBERED:
            del stamps[next(iter(stamps))]
        _write(stamps)
    except OSError:
        pass


def _path() -> Path:
    return data_dir() / "checked-projects.json"


def _key(path: Path) -> str:
    return os.path.normcase(str(Path(path).resolve()))


def _stamps() -> dict[str, Any]:
    """The remembered stamps; a damaged or oversized file counts as none, and so does
    one that is not a regular file (a named pipe would block the opening).

    Damaged means anything reading it can raise: not UTF-8 or not JSON (ValueError),
    nested deeper than Python's parser goes (RecursionError: a few thousand ``[``
    are enough), or unreadable (OSError)."""
    try:
        if not_regular(_path()) is not None:
            return {}
        with _path().open("rb") as file:
            raw = file.read(MAX_BYTES + 1)
        data = json.loads(raw) if len(raw) <= MAX_BYTES else {}
    except (OSError, ValueError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


def _write(stamps: dict[str, Any]) -> None:
    folder = _path().parent
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".checked-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump(stamps, file)
        os.replace(temporary, _path())
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
