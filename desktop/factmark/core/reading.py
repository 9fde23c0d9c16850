"""Reading a whole project at once: the rows exports stream, and the statistics."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from itertools import groupby, starmap
from operator import attrgetter, itemgetter
from typing import Any, NamedTuple

from factmark.core.labels_store import LabelsStore
from factmark.core.model import Document, Relation
from factmark.core.storage import ProjectError, _explain, _loads


class SpanRow(NamedTuple):
    """A span as bulk reads return it: a plain tuple, ``attrs`` still JSON text."""

    document_id: int
    id: int
    start: int
    end: int
    label: str
    annotator: str | None
    note: str | None
    attrs: str


# At most this many notes and attributes are held at once to export the spans without
# them (see ReadingStore._sparse_span_extras), so that the memory they take stays bounded.
SPARSE_EXTRAS = 50_000


class ReadingStore(LabelsStore):
    """Bulk reads and statistics over every document of a project."""

    # -- bulk reading ----------------------------------------------------------

    def export_rows(
        self, statuses: list[str], ids: range | None = None
    ) -> Iterator[tuple[Document, list[tuple[Any, ...]], list[Relation]]]:
        """Stream documents with these statuses (all when empty), their spans and relations;
        only those whose id is in ``ids`` when given (a step-1 range: a part of an export).

        Three ordered queries merged in step, so a large project is read once
        without a query per document. Spans come as the plain tuples SQLite gives, in
        :class:`SpanRow`'s order (attrs still JSON text; ``SpanRow._make`` names them),
        in text order, since exports read hundreds of thousands.
        """
        conditions = [f"status IN ({', '.join('?' * len(statuses))})"] if statuses else []
        values: list[Any] = list(statuses)
        within, bounds = "", []
        if ids is not None:
            # The last id, not the stop: a range may end after SQLite's largest id.
            within = "WHERE document_id >= ? AND document_id <= ?"
            bounds = [ids.start, ids.stop - 1]
            conditions.append("id >= ? AND id <= ?")
            values += bounds
        where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
        try:
            documents = self.conn.execute(
                f"SELECT id, uid, title, text, meta, status FROM documents {where} ORDER BY id",
                values,
            )
            # The text-order index covers every column but note and attrs, which most
            # spans leave empty: when few have them, the spans are read from the index
            # alone (a lookup in the table per span took a third of the reading) and
            # those few apart.
            extras = self._sparse_span_extras()
            columns = "note, attrs" if extras is None else "NULL, '{}'"
            spans = groupby(
                self.conn.execute(
                    f'SELECT document_id, id, start, "end", label, annotator, {columns} '
                    f'FROM spans {within} ORDER BY document_id, start, "end" DESC, label, id',
                    bounds,
                ),
                key=itemgetter(0),
            )
            relations = groupby(
                starmap(
                    _relation,
                    self.conn.execute(
                        "SELECT id, document_id, head_span_id, child_span_id, label, note, attrs "
                        f"FROM relations {within} ORDER BY document_id, id",
                        bounds,
                    ),
                ),
                key=attrgetter("document_id"),
            )
            span_group = next(spans, None)
            relation_group = next(relations, None)
            for doc_id, uid, title, text, meta, status in documents:
                while span_group is not None and span_group[0] < doc_id:
                    span_group = next(spans, None)
                doc_spans: list[tuple[Any, ...]] = []
                if span_group is not None and span_group[0] == doc_id:
                    doc_spans = list(span_group[1])
                    span_group = next(spans, None)
                    found = extras.get(doc_id) if extras else None
                    if found:
                        doc_spans = [
                            row if row[1] not in found else (*row[:6], *found[row[1]])
                            for row in doc_spans
                        ]
                while relation_group is not None and relation_group[0] < doc_id:
                    relation_group = next(relations, None)
                doc_relations: list[Relation] = []
                if relation_group is not None and relation_group[0] == doc_id:
                    doc_relations = list(relation_group[1])
                    relation_group = next(relations, None)
                yield (
                    Document(doc_id, uid, title, text, _loads(meta), status, len(doc_spans)),
                    doc_spans,
                    doc_relations,
                )
        except sqlite3.DatabaseError as error:
            raise ProjectError(f"{self.path}: {_explain(error)}") from None

    def _sparse_span_extras(self) -> dict[int, dict[int, tuple[str | None, str]]] | None:
        """``note`` and ``attrs`` of the spans that have either, by document and span id;
        None when more than a twentieth of the spans (or :data:`SPARSE_EXTRAS` of them)
        have them: reading them with every span is then as quick and holds less."""
        (total,) = self.conn.execute("SELECT count(*) FROM spans").fetchone()
        limit = min(total // 20, SPARSE_EXTRAS)
        rows = self.conn.execute(
            # NOT INDEXED: one pass over the table, not a lookup per span
            "SELECT document_id, id, note, attrs FROM spans NOT INDEXED "
            "WHERE note IS NOT NULL OR attrs <> '{}' LIMIT ?",
            [limit + 1],
        ).fetchall()
        if len(rows) > limit:
            return None
        extras: dict[int, dict[int, tuple[str | None, str]]] = {}
        for document_id, span_id, note, attrs in rows:
            extras.setdefault(document_id, {})[span_id] = (note, attrs)
        return extras

    def text_sizes(self, statuses: list[str], samples: int) -> list[tuple[int, int, int]]:
        """What an export's work is spread by, read without reading every text: for at most
        ``samples`` of the documents with these statuses (all when empty), evenly spread in
        export order from the first, ``(id, size of its text in bytes, documents it stands
        for)``: itself and those after it up to the next."""
        where = f"WHERE status IN ({', '.join('?' * len(statuses))})" if statuses else ""
        try:
            ids = [
                row[0]
                for row in self.conn.execute(
                    f"SELECT id FROM documents {where} ORDER BY id", statuses
                )
            ]
            step = max(1, -(-len(ids) // samples))  # at most ``samples`` of them
            sampled = ids[::step]  # SQLite takes 999 parameters or more
            sizes = dict(
                self.conn.execute(
                    "SELECT id, length(CAST(text AS BLOB)) FROM documents WHERE id IN "
                    f"({', '.join('?' * len(sampled))})",
                    sampled,
                ).fetchall()
            )
        except sqlite3.DatabaseError as error:
            raise ProjectError(f"{self.path}: {_explain(error)}") from None
        return [
            (ids[k], sizes.get(ids[k], 0), min(step, len(ids) - k))
            for k in range(0, len(ids), step)
        ]

    def document_metas(self, statuses: list[str]) -> Iterator[tuple[str, dict[str, Any]]]:
        """``(uid, meta)`` of the documents with these statuses (all when empty), in
        export order, without their text (a split by a metadata field reads them first)."""
        where = f"WHERE status IN ({', '.join('?' * len(statuses))})" if statuses else ""
        try:
            rows = self.conn.execute(
                f"SELECT uid, meta FROM documents {where} ORDER BY id", statuses
            )
            for uid, meta in rows:
                yield uid, _loads(meta)
        except sqlite3.DatabaseError as error:
            raise ProjectError(f"{self.path}: {_explain(error)}") from None

    def meta_keys(self, documents: int = 2000, limit: int = 100) -> list[str]:
        """The metadata keys of the latest ``documents`` documents, sorted (at most
        ``limit``): suggestions, read in milliseconds whatever the project's size (every
        document's metadata took 0.8 s at 100,000)."""
        try:
            rows = self.conn.execute(
                "SELECT DISTINCT j.key FROM (SELECT meta FROM documents ORDER BY id DESC "
                "LIMIT ?) d, json_each(CASE WHEN json_valid(d.meta) AND json_type(d.meta) = "
                "'object' THEN d.meta ELSE '{}' END) j ORDER BY j.key LIMIT ?",
                [documents, limit],
            ).fetchall()
        except sqlite3.DatabaseError:
            return []
        return [key for (key,) in rows if isinstance(key, str)]

    # -- ranges of documents, for the agreement figures ------------------------

    def next_document_id(self, at_least: int) -> int | None:
        """The smallest document id from ``at_least`` on (None when there is none): ids
        may leave gaps of any size, which ranges of ids are not stepped through."""
        (found,) = self.conn.execute(
            "SELECT min(id) FROM documents WHERE id >= ?", [at_least]
        ).fetchone()
        return None if found is None else int(found)

    def joined_texts(self, ids: list[int]) -> tuple[str, str, str, str, bytes, bytes] | None:
        """These documents (at most a few thousand) as one row: their ids, their texts'
        lengths in characters (as SQLite counts them: up to a NUL) and in UTF-8 bytes, and
        the lengths in UTF-8 bytes of each one's uid and title, each list numbers in
        decimal separated by commas; their texts' UTF-8 with a space between each and the
        next; and their uids' and titles' UTF-8 end to end (uid, title, uid, ...). In the
        order SQLite joins them (id order in practice, not promised: the ids say it); None
        when none of them exists.

        One row, not one per document: the module lets go of the interpreter lock for each
        row SQLite steps to, and a thread counting beside the one reading kept it waiting
        for the lock back after each of a batch's 1,024 rows; and the agreement decodes the
        texts a run of them at a time, the uids and titles only of the documents it lists.
        """
        if not ids:
            return None
        marks = ", ".join("?" * len(ids))
        found = self.conn.execute(
            "SELECT group_concat(id), group_concat(length(text)), "
            "group_concat(length(CAST(text AS BLOB))), "
            "group_concat(length(CAST(uid AS BLOB)) || ',' || length(CAST(title AS BLOB))), "
            "CAST(group_concat(CAST(text AS BLOB), ' ') AS BLOB), "
            "CAST(group_concat(CAST(uid AS BLOB) || CAST(title AS BLOB), '') AS BLOB) FROM ("
            f"SELECT id, uid, title, text FROM documents WHERE id IN ({marks}) ORDER BY id)",
            ids,
        ).fetchone()
        return None if found[0] is None else found

    def spans_between(self, first: int, last: int) -> list[tuple[Any, ...]]:
        """Spans of the documents with ids in ``[first, last]``, in text order, as
        :class:`SpanRow` tuples; ``attrs`` is None where it holds nothing (``{}``) and
        ``note`` is not read (one range query: the agreement reads millions of rows)."""
        return self.conn.execute(
            'SELECT document_id, id, start, "end", label, annotator, NULL, '
            "NULLIF(attrs, '{}') FROM spans WHERE document_id BETWEEN ? AND ? "
            'ORDER BY document_id, start, "end" DESC, label, id',
            [first, last],
        ).fetchall()

    def coded_spans_between(
        self, first: int, last: int, annotators: dict[str, int], labels: dict[str, int]
    ) -> tuple[str, str] | None:
        """The spans of the documents with ids in ``[first, last]`` (in text order as
        SQLite steps through the index; the agreement's counts do not depend on it), as
        two lists of numbers in decimal, separated by commas (None when there is none): per
        span ``(document_id * A + annotator + 1) * L + label + 1`` in the first and
        ``start * 2**32 + end`` in the second, where annotators and labels are their
        numbers in ``annotators`` and ``labels`` (-1 for a name not there, or no
        annotator), ``A = len(annotators) + 1`` and ``L = len(labels) + 1``. The caller
        sees that ``(last + 1) * A * L`` fits in 63 bits; offsets do (SQLite holds no text
        of 2**30 bytes or more).

        Read from the text-order index alone (m015), and joined by SQLite into one row:
        the agreement reads millions of spans, and a Python object per span and number
        was most of it (while SQLite steps, other threads run Python).
        """
        cases = []
        values: list[Any] = []
        for column, codes in (("annotator", annotators), ("label", labels)):
            if not codes:
                cases.append("-1")
                continue
            cases.append(f"CASE {column} {' '.join(['WHEN ? THEN ?'] * len(codes))} ELSE -1 END")
            for name, code in codes.items():
                values += [name, code]
        people, kinds = len(annotators) + 1, len(labels) + 1
        # No ORDER BY (nor the subquery it needs): SQLite steps through the index in its
        # order, and the counts do not depend on it (7 % of the query's time).
        key, bounds = self.conn.execute(
            f"SELECT group_concat((document_id * {people} + {cases[0]} + 1) * {kinds} "
            f'+ {cases[1]} + 1), group_concat(start * 4294967296 + "end") FROM spans '
            "INDEXED BY spans_in_text_order WHERE document_id BETWEEN ? AND ?",
            [*values, first, last],
        ).fetchone()
        return None if key is None else (key, bounds)

    def documents_with_attributes(self, first: int, last: int) -> list[int]:
        """Ids in ``[first, last]`` of the documents having a span with attributes (from
        their own small index, m015)."""
        return [
            row[0]
            for row in self.conn.execute(
                "SELECT DISTINCT document_id FROM spans INDEXED BY spans_with_attributes "
                "WHERE attrs <> '{}' AND document_id BETWEEN ? AND ?",
                [first, last],
            )
        ]

    def spans_of(self, ids: list[int]) -> list[tuple[Any, ...]]:
        """The spans of these documents as :meth:`spans_between` gives them."""
        if not ids:
            return []
        marks = ", ".join("?" * len(ids))
        return self.conn.execute(
            'SELECT document_id, id, start, "end", label, annotator, NULL, '
            f"NULLIF(attrs, '{{}}') FROM spans WHERE document_id IN ({marks}) "
            'ORDER BY document_id, start, "end" DESC, label, id',
            ids,
        ).fetchall()

    def relations_between(self, first: int, last: int) -> list[Relation]:
        """Relations of the documents with ids in ``[first, last]``, by document and id."""
        return list(
            starmap(
                Relation,
                self.conn.execute(
                    "SELECT id, document_id, head_span_id, child_span_id, label FROM relations "
                    "WHERE document_id BETWEEN ? AND ? ORDER BY document_id, id",
                    [first, last],
                ),
            )
        )

    # -- statistics ----------------------------------------------------------

    def has_relations(self, statuses: list[str]) -> bool:
        """Whether any document with these statuses (any status when empty) has relations."""
        where = f"WHERE d.status IN ({', '.join('?' * len(statuses))})" if statuses else ""
        rows = self._query(
            f"SELECT 1 FROM relations r JOIN documents d ON d.id = r.document_id {where} LIMIT 1",
            statuses,
        )
        return bool(rows)

    def annotators(self) -> list[str]:
        """Names of everyone who has made a span in this project, in name order.

        Found by stepping through the index of labels and annotators (m013), each label
        and then each of its annotators the next one after the last: a few lookups where
        a ``DISTINCT`` read every span (0.12 s of processor time at 2 million spans).
        """
        rows = self._query(_ANNOTATORS)
        return sorted(r["annotator"] for r in rows)

    def status_counts(self) -> dict[str, int]:
        """How many documents have each status (all four statuses present)."""
        counts = dict.fromkeys(("new", "in_progress", "done", "skipped"), 0)
        for r in self._query("SELECT status, count(*) AS n FROM documents GROUP BY status"):
            counts[r["status"]] = r["n"]
        return counts

    def stats(self) -> dict[str, dict[str, int]]:
        """Documents by status, spans by label and spans by annotator."""
        by_status = self.status_counts()
        by_label = {label.name: 0 for label in self.labels()}
        annotators: dict[str, int] = {}
        # Each label's and annotator's spans counted as one range of the label-and-annotator
        # index, the pairs found by stepping through it as ``annotators`` does: 77 ms of
        # processor time at 2 million spans where a ``GROUP BY`` over the index took 124.
        for label, annotator, n in self._rows(_SPANS_BY_LABEL_AND_ANNOTATOR):
            if not n:
                continue
            by_label[label] = by_label.get(label, 0) + n
            who = annotator or "(none)"
            annotators[who] = annotators.get(who, 0) + n
        by_annotator = dict(sorted(annotators.items()))
        return {
            "documents": by_status,
            "spans_by_label": by_label,
            "spans_by_annotator": by_annotator,
        }


def _relation(
    relation_id: int,
    document_id: int,
    head: int,
    child: int,
    label: str,
    note: str | None,
    attrs: str,
) -> Relation:
    """A link as exports read it, with its note and attributes."""
    return Relation(
        relation_id, document_id, head, child, label, note, {} if attrs == "{}" else _loads(attrs)
    )


# Each label in the spans, then each of its annotators (NULL apart), each the next one after
# the last in the index of labels and annotators (m013): a few lookups per name.
_LABELS_AND_ANNOTATORS = """
WITH RECURSIVE
  kinds(name) AS (
    SELECT min(label) FROM spans
    UNION ALL
    SELECT (SELECT min(label) FROM spans WHERE label > kinds.name) FROM kinds
    WHERE name IS NOT NULL
  ),
  people(label, name) AS (
    SELECT name, (
      SELECT min(annotator) FROM spans WHERE label = kinds.name AND annotator IS NOT NULL
    ) FROM kinds WHERE name IS NOT NULL
    UNION ALL
    SELECT label, (
      SELECT min(annotator) FROM spans WHERE label = people.label AND annotator > people.name
    ) FROM people WHERE name IS NOT NULL
  )
"""
_ANNOTATORS = (
    _LABELS_AND_ANNOTATORS + "SELECT DISTINCT name AS annotator FROM people WHERE name IS NOT NULL"
)
# Every label's spans without an annotator, then those of each of its annotators.
_SPANS_BY_LABEL_AND_ANNOTATOR = (
    _LABELS_AND_ANNOTATORS
    + """
SELECT name, NULL, (SELECT count(*) FROM spans WHERE label = kinds.name AND annotator IS NULL)
FROM kinds WHERE name IS NOT NULL
UNION ALL
SELECT label, name, (
  SELECT count(*) FROM spans WHERE label = people.label AND annotator = people.name
) FROM people WHERE name IS NOT NULL
"""
)
