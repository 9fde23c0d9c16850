"""A Factmark project: one SQLite file, its schema kept by sqlite-utils migrations.

Every public method that changes data runs in one transaction that is committed
(with ``synchronous=FULL``) before it returns, so whatever a caller shows as done
survives a crash. Listeners registered with :meth:`Project.subscribe` hear of
each change after it is committed, as one :class:`~factmark.core.changes.ChangeSet`
carrying the new values.

The methods come from one store per topic, each in its own module, all built on
:class:`~factmark.core.storage.Storage` (opening, transactions, listeners): labels
and relation types (``labels_store``), spans and relations (``spans_store``),
suggestions, settings and bulk reading, documents read from files (``documents_store``);
the rest of documents is kept here. Import from this module: it names everything the
stores offer.
"""

from __future__ import annotations

from typing import Any

from factmark.core.changes import ChangeSet, DocumentState
from factmark.core.documents_store import DocumentsStore
from factmark.core.labels_store import COLOUR_PATTERN, check_label, check_relation_type
from factmark.core.model import (
    Document,
    ValidationError,
    validate_status,
)
from factmark.core.reading import ReadingStore, SpanRow
from factmark.core.schema import DOCUMENT_SEARCH_SQL
from factmark.core.settings_store import SettingsStore
from factmark.core.storage import (
    BUSY_TIMEOUT_MS,
    SQLITE_MAGIC,
    OlderProjectError,
    ProjectError,
    _dumps,
    _loads,
    now,
)

#: Documents the window adds to the search index a transaction (about 50 ms of writing
#: for news articles: a label key pressed meanwhile waits at most that long).
SEARCH_INDEX_CHUNK = 500

__all__ = [
    "BUSY_TIMEOUT_MS",
    "COLOUR_PATTERN",
    "SEARCH_INDEX_CHUNK",
    "SQLITE_MAGIC",
    "ChangeSet",
    "DocumentState",
    "OlderProjectError",
    "Project",
    "ProjectError",
    "SpanRow",
    "check_label",
    "check_relation_type",
    "now",
]


class Project(DocumentsStore, ReadingStore, SettingsStore):
    """One open project file. Use :meth:`open`; close it (or use ``with``) when done."""

    _search_index: bool | None = None  # whether the file has Factmark's search index

    # -- documents -----------------------------------------------------------

    def documents(
        self, status: str | None = None, search: str = "", ids: list[int] | None = None
    ) -> list[Document]:
        """Documents in import order, with their span counts but without their text.

        ``status`` keeps one status; ``search`` keeps documents whose title or text
        contains it, ignoring case in every script; ``ids`` keeps those ids. A list of a
        whole archive's documents reads :meth:`document_rows` instead, and counts spans
        for the rows it shows (:meth:`span_counts`).
        """
        where, params = self._document_filter(status, search, ids)
        rows = self._rows(
            "SELECT d.id, d.uid, d.title, d.meta, d.status, "
            "(SELECT count(*) FROM spans s WHERE s.document_id = d.id) AS span_count "
            f"FROM documents d {where} ORDER BY d.id",
            params,
        )
        return [
            Document(i, uid, title, "", {} if meta == "{}" else _loads(meta), state, count)
            for i, uid, title, meta, state, count in rows
        ]

    def document_rows(
        self, status: str | None = None, search: str = "", ids: list[int] | None = None
    ) -> list[tuple[int, str, str, str]]:
        """``(id, uid, title, status)`` of the documents :meth:`documents` lists, as plain
        tuples: a list of 100,000 documents makes no object for the rows never shown."""
        where, params = self._document_filter(status, search, ids)
        return self._rows(
            f"SELECT d.id, d.uid, d.title, d.status FROM documents d {where} ORDER BY d.id",
            params,
        )

    def _document_filter(
        self, status: str | None, search: str, ids: list[int] | None
    ) -> tuple[str, list[str | int]]:
        """The WHERE clause and parameters of a document listing (see :meth:`documents`)."""
        clauses: list[str] = []
        params: list[str | int] = []
        if status:
            clauses.append("d.status = ?")
            params.append(status)
        if search:
            pieces = self._search_pieces(search)
            if pieces is not None:
                # The index names the documents holding every piece; each is checked.
                # Documents it does not know yet (indexed in the background after an
                # import: see index_new_documents) are all checked.
                candidates = "SELECT rowid FROM document_search WHERE document_search MATCH ?"
                params.append(pieces)
                indexed, newest = self._indexed_and_newest()
                if newest > indexed:
                    candidates += " UNION ALL SELECT id FROM documents WHERE id > ?"
                    params.append(indexed)
                clauses.append(f"d.id IN ({candidates})")
            clauses.append("(fm_contains(d.title, ?) OR fm_contains(d.text, ?))")
            params += [search.casefold()] * 2
        if ids is not None:
            clauses.append(f"d.id IN ({', '.join('?' * len(ids))})")
            params += ids
        return (f"WHERE {' AND '.join(clauses)}" if clauses else ""), params

    def span_counts(self, ids: list[int]) -> dict[int, int]:
        """How many spans each of these documents holds (those with none are left out)."""
        counts: dict[int, int] = {}
        for first in range(0, len(ids), 500):
            chunk = ids[first : first + 500]
            counts.update(
                self._rows(
                    "SELECT document_id, count(*) FROM spans WHERE document_id IN "
                    f"({', '.join('?' * len(chunk))}) GROUP BY document_id",
                    chunk,
                )
            )
        return counts

    def _search_pieces(self, search: str) -> str | None:
        """The FTS5 query for the documents whose title or text may hold ``search``: all
        its three-character pieces (the trigram index's terms). None where the index
        cannot answer: fewer than three characters, a character whose case folding
        changes the length (ß folds to ss), or no index of Factmark's making (an older
        project being read, or a table not of our making)."""
        folded = search.casefold()
        if len(folded) < 3 or len(folded) != len(search.lower()):
            return None
        if not self._has_search_index():
            return None
        pieces = dict.fromkeys(folded[i : i + 3] for i in range(len(folded) - 2))
        return " AND ".join('"' + piece.replace('"', '""') + '"' for piece in pieces)

    def _indexed_and_newest(self) -> tuple[int, int]:
        """The id of the newest document the search index knows (0: none) and of the
        newest document (0: none). Documents get ever larger ids and the index takes
        them in id order, so those past the first are the ones it does not know yet."""
        indexed = self.conn.execute(
            "SELECT rowid FROM document_search ORDER BY rowid DESC LIMIT 1"
        ).fetchone()
        newest = self.conn.execute("SELECT max(id) FROM documents").fetchone()[0]
        return (indexed[0] if indexed else 0), (newest or 0)

    def documents_not_indexed(self) -> int:
        """How many documents the search index does not know yet (0 where the project
        has no index of Factmark's making)."""
        if not self._has_search_index():
            return 0
        indexed, _ = self._indexed_and_newest()
        (left,) = self.conn.execute(
            "SELECT count(*) FROM documents WHERE id > ?", [indexed]
        ).fetchone()
        return int(left)

    def index_new_documents(self, limit: int | None = None) -> bool:
        """Add documents the search index does not know yet to it, oldest first: at most
        ``limit`` of them (every one when None), in one transaction. Returns whether the
        index knows every document now (always, where the project has no index of
        Factmark's making: nothing is left to do).

        An import does not index what it stores (the trigram index took a third of an
        import's time): the window fills the index in the background, a few hundred
        documents a transaction, and a search checks every document the index does not
        know yet meanwhile (the same answers, found more slowly)."""
        if not self._has_search_index():
            return True
        indexed, newest = self._indexed_and_newest()
        if newest <= indexed:
            return True
        with self.transaction():
            # Read again under the write lock: another window may have indexed meanwhile.
            indexed, newest = self._indexed_and_newest()
            self.conn.execute(
                "INSERT INTO document_search (rowid, title, text) "
                "SELECT id, title, text FROM documents WHERE id > ? ORDER BY id LIMIT ?",
                [indexed, -1 if limit is None else limit],
            )
            indexed, newest = self._indexed_and_newest()
        return newest <= indexed

    def _has_search_index(self) -> bool:
        if self._search_index is None:
            row = self.conn.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'document_search'"
            ).fetchone()
            self._search_index = row is not None and row[0] == DOCUMENT_SEARCH_SQL
        return self._search_index

    def document(self, document_id: int) -> Document:
        """One document with its full text."""
        rows = self._query(
            "SELECT d.*, (SELECT count(*) FROM spans s WHERE s.document_id = d.id) "
            "AS span_count FROM documents d WHERE d.id = ?",
            [document_id],
        )
        if not rows:
            raise ValidationError(f"no document with id {document_id}")
        r = rows[0]
        self._lengths[document_id] = len(r["text"])
        return Document(
            r["id"],
            r["uid"],
            r["title"],
            r["text"],
            _loads(r["meta"]),
            r["status"],
            r["span_count"],
        )

    def document_count(self) -> int:
        """How many documents the project holds."""
        return int(self._query("SELECT count(*) AS n FROM documents")[0]["n"])

    def has_uid(self, uid: str) -> bool:
        """Whether a document with this text is already in the project."""
        return bool(self._query("SELECT 1 FROM documents WHERE uid = ?", [uid]))

    def document_id(self, uid: str) -> int | None:
        """The id of the document with this text's uid, None when there is none."""
        rows = self._query("SELECT id FROM documents WHERE uid = ?", [uid])
        return int(rows[0]["id"]) if rows else None

    def _status_and_meta(self, document_id: int) -> tuple[str, dict[str, Any]]:
        rows = self._query("SELECT status, meta FROM documents WHERE id = ?", [document_id])
        if not rows:
            raise ValidationError(f"no document with id {document_id}")
        return str(rows[0]["status"]), _loads(rows[0]["meta"])

    def set_status(self, document_id: int, status: str) -> str:
        """Set a document's status; returns the status it had (for undo)."""
        validate_status(status)
        old, meta = self._status_and_meta(document_id)
        with self.transaction():
            self.conn.execute(
                "UPDATE documents SET status = ?, updated_at = ? WHERE id = ?",
                [status, now(), document_id],
            )
            self.changes.document(
                DocumentState(document_id, old, meta), DocumentState(document_id, status, meta)
            )
        return old

    def update_document_meta(self, document_id: int, meta: dict[str, Any]) -> dict[str, Any]:
        """Replace a document's metadata; returns the metadata it had (for undo)."""
        status, old = self._status_and_meta(document_id)
        with self.transaction():
            self.conn.execute(
                "UPDATE documents SET meta = ?, updated_at = ? WHERE id = ?",
                [_dumps(meta), now(), document_id],
            )
            self.changes.document(
                DocumentState(document_id, status, old), DocumentState(document_id, status, meta)
            )
        return old
