"""Copies of a project for another annotator, each remembering what it was made from.

File > Export project for annotator and ``factmark copy`` both call :func:`make_copy`:
a consistent copy of the whole file (SQLite's backup), then, in the copy only, its
**base**: one ``copy_origin`` row (a new copy id, the annotator it is for, when and from
which file) and one ``merge_base`` row per document (its status), span and link (its
identity and content) as they were at that moment. A later merge of the copy compares
the copy with its base to see what the annotator added, changed and deleted
(:mod:`factmark.core.threeway`). The conflict queue of the project is not copied: the
decisions are the project's own.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import replace as replaced
from pathlib import Path

from factmark.core.model import ValidationError
from factmark.core.outputs import check_copy_target
from factmark.core.preferences import clean_annotator
from factmark.core.project import Project, ProjectError
from factmark.core.storage import RefusedOutput, now, project_files
from factmark.core.validation import span_origin


@dataclass(frozen=True)
class CopyMade:
    """What :func:`make_copy` wrote."""

    path: Path
    copy_id: str
    annotator: str | None
    documents: int
    spans: int
    relations: int


class CopyCancelled(Exception):
    """The copy was cancelled before it was whole: nothing of it was left."""


# Spans whose base is recorded in one statement: between two, the copy says how far it
# is, and a cancel also stops a statement at once (100,000 articles: 2,000,000 spans
# took about 7 s in one statement, which a cancel had to wait for).
BASE_CHUNK = 100_000
# SQLite instructions between two looks at ``cancelled`` while a statement runs.
CANCEL_CHECK_STEPS = 10_000

# The identity and content of spans and links as stored in ``merge_base`` and
# ``tombstones`` (JSON arrays made by SQLite, as the tombstone triggers make them).
SPAN_KEY = 'json_array(s.annotator, s.start, s."end", s.label)'
SPAN_CONTENT = "json_array(s.note, s.attrs)"
RELATION_CONTENT = "json_array(r.note, r.attrs)"
RELATION_KEY = (
    'json_array(json_array(h.annotator, h.start, h."end", h.label), '
    'json_array(c.annotator, c.start, c."end", c.label), r.label)'
)


def make_copy(
    project: Project,
    path: str | Path,
    annotator: str | None = None,
    *,
    replace: bool = False,
    cancelled: Callable[[], bool] = lambda: False,
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> CopyMade:
    """Copy ``project`` to ``path`` for ``annotator`` (a name as the preferences take
    it, or None) and record the copy's base in it. Raises RefusedOutput for a file that
    exists (unless ``replace``: the user agreed to replace it) or that a Factmark has
    open (:func:`factmark.core.outputs.check_copy_target`), ProjectError or
    ValidationError (the file name and the reason). The copy is made beside ``path`` and
    renamed into place once whole: no half-made copy is ever left, and a file replaced
    stays as it was until then. Once ``cancelled()`` is true the copy stops and raises
    CopyCancelled (a Ctrl-C too leaves nothing); ``progress(spans, total)`` tells how
    many spans' base is recorded."""
    path = Path(path)
    if annotator is not None:
        annotator = clean_annotator(annotator)
    if path.exists() and path.resolve() == project.path.resolve():
        raise RefusedOutput(f"{path}: a copy needs another file name than the project's own")
    check_copy_target(path, replace=replace)
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}.part")
    try:
        project.copy_to(temporary)  # SQLite's backup: one step (a second at 100,000 articles)
        if cancelled():
            raise CopyCancelled
        made = _record_base(project, temporary, annotator, cancelled, progress)
        if replace:
            # What SQLite kept beside the file replaced (no one has it open) must not be
            # read as the copy's own.
            for side in project_files(path)[1:]:
                side.unlink(missing_ok=True)
        os.replace(temporary, path)
    except BaseException as error:
        for leftover in project_files(temporary):
            leftover.unlink(missing_ok=True)
        if cancelled() and not isinstance(error, CopyCancelled):
            raise CopyCancelled from None  # a statement cancelled, which SQLite calls an error
        if not isinstance(error, (sqlite3.DatabaseError, OSError, ProjectError)):
            raise
        reason = str(error).removeprefix(f"{temporary}: ")
        raise ProjectError(f"{path}: the copy could not be finished ({reason})") from None
    return replaced(made, path=path)


def _record_base(
    project: Project,
    path: Path,
    annotator: str | None,
    cancelled: Callable[[], bool],
    progress: Callable[[int, int], None],
) -> CopyMade:
    copy_id = uuid.uuid4().hex
    conn = sqlite3.connect(path)
    conn.set_progress_handler(lambda: int(cancelled()), CANCEL_CHECK_STEPS)
    try:
        with conn:
            conn.execute("DELETE FROM copy_origin")
            conn.execute("DELETE FROM merge_base")
            conn.execute("DELETE FROM merge_conflicts")
            conn.execute(
                "INSERT INTO copy_origin (copy_id, annotator, made_at, made_from) "
                "VALUES (?, ?, ?, ?)",
                [copy_id, annotator, now(), project.path.name],
            )
            documents = conn.execute(
                "INSERT INTO merge_base (uid, kind, key, content) "
                "SELECT uid, 'document', '', json_quote(status) FROM documents"
            ).rowcount
            spans = _record_spans(conn, cancelled, progress)
            relations = conn.execute(
                "INSERT OR IGNORE INTO merge_base (uid, kind, key, content) "
                f"SELECT d.uid, 'relation', {RELATION_KEY}, {RELATION_CONTENT} FROM relations r "
                "JOIN documents d ON d.id = r.document_id "
                "JOIN spans h ON h.id = r.head_span_id JOIN spans c ON c.id = r.child_span_id"
            ).rowcount
    finally:
        conn.close()
    return CopyMade(path, copy_id, annotator, documents, spans, relations)


def _record_spans(
    conn: sqlite3.Connection, cancelled: Callable[[], bool], progress: Callable[[int, int], None]
) -> int:
    """Each span's identity and content in ``merge_base``, the spans with ids in one
    range of :data:`BASE_CHUNK` a statement; returns how many were recorded.
    ``progress`` is told the spans whose ids come before the range recorded next (ids
    are dense where spans are rarely deleted; the count is an estimate otherwise)."""
    (total, low, high) = conn.execute("SELECT count(*), min(id), max(id) FROM spans").fetchone()
    recorded = 0
    for first in range(low or 0, (high or -1) + 1, BASE_CHUNK):
        progress(round(total * (first - low) / (high - low + 1)), total)
        if cancelled():
            raise CopyCancelled
        recorded += conn.execute(
            "INSERT OR IGNORE INTO merge_base (uid, kind, key, content) "
            f"SELECT d.uid, 'span', {SPAN_KEY}, {SPAN_CONTENT} "
            "FROM spans s JOIN documents d ON d.id = s.document_id "
            "WHERE s.id >= ? AND s.id < ?",
            [first, first + BASE_CHUNK],
        ).rowcount
    progress(total, total)
    return recorded


def describe_origin(project: Project, span_id: int) -> str | None:
    """Where a span came from, for the details panel: ``Merged from ana's copy
    (ana.factmark), last edited there 2026-05-04 10:12 UTC``; None for a span made here."""
    origin = _origin(project, span_id)
    if origin is None:
        return None
    at = origin.get("at", "")
    when = f", last edited there {at[:10]} {at[11:16]} UTC" if len(at) >= 16 else ""
    return f"Merged from {_copy_words(origin)}{when}"


def origin_copy(project: Project, span_id: int) -> str | None:
    """The copy a span came from, in words (``ana's copy (ana.factmark)``), for the
    conflict panel's heading of this project's version; None for a span made here."""
    origin = _origin(project, span_id)
    return None if origin is None else _copy_words(origin)


def _origin(project: Project, span_id: int) -> dict[str, str] | None:
    """The span's recorded origin (core.validation.span_origin), None when it has none."""
    try:
        row = project.conn.execute("SELECT origin FROM spans WHERE id = ?", [span_id]).fetchone()
    except sqlite3.ProgrammingError:
        return None  # the project was closed before the panel caught up (a window closing)
    if row is None or not row[0]:
        return None
    try:
        origin = span_origin(row[0]) or {}
    except ValidationError:
        return None
    if "copy" not in origin:
        return None  # made here; a merge only noted the copy's version it saw
    return origin


def _copy_words(origin: dict[str, str]) -> str:
    who = f"{origin['annotator']}'s copy" if origin.get("annotator") else "a copy"
    where = f" ({origin['file']})" if origin.get("file") else ""
    return who + where
