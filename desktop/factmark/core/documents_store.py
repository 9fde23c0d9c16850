"""Documents coming in from files: each checked whole, then stored with its spans.

:meth:`DocumentsStore.add_document` stores one document in a step of its own. An import
stores thousands in one transaction (one file): a :class:`DocumentBatch` checks each
document as it comes, by the same rules, and writes the ones that passed a few hundred
at a time, one statement for their rows and one for their spans. Every check is made
before anything of a document is written, so a refused document leaves nothing behind
and the others go on; a storage error (a full disk) undoes the caller's whole
transaction, as it always did.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from factmark.core.model import (
    ValidationError,
    check_name_length,
    validate_offsets,
    validate_status,
)
from factmark.core.schema import NEXT_RELATION_TYPE_ID
from factmark.core.storage import _dumps, now
from factmark.core.suggestions_store import SuggestionsStore
from factmark.core.text import check_text, text_uid

if TYPE_CHECKING:  # annotations only: the window starts without them
    from factmark.core.incoming import IncomingDocument, IncomingSpan
    from factmark.core.model import Label

# Documents held before a batch is written: a bound on their count and on their text.
BATCH_DOCUMENTS = 100
BATCH_CHARACTERS = 4_000_000


class DocumentsStore(SuggestionsStore):
    """Storing documents read from files (imports)."""

    def add_document(
        self, incoming: IncomingDocument, *, create_labels: bool = False
    ) -> tuple[int, int] | None:
        """Store a document with its spans and relations, all or nothing.

        Returns ``(document_id, span_count)``, or None when a document with the
        same text is already stored. Raises ValidationError for any bad part.
        """
        uid = _checked_uid(incoming)
        if self._uid_stored(uid):
            return None
        known = self._label_set()
        check_parts(incoming, known, create_labels)
        with self.transaction():
            for label in _new_labels(incoming.spans, known):
                self._insert_label(label)
            stamp = now()
            inserted = self.conn.execute(
                "INSERT INTO documents (uid, title, text, meta, status, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                _document_row(uid, incoming, stamp),
            )
            document_id = int(inserted.lastrowid or 0)
            self._insert_parts(document_id, incoming, stamp)
            self.changes.documents_reloaded = True
        return document_id, len(incoming.spans)

    def document_batch(self, *, create_labels: bool = False) -> DocumentBatch:
        """A batch for storing many documents inside the open transaction (see
        :class:`DocumentBatch`); labels a document brings are added when
        ``create_labels``."""
        if not self.conn.in_transaction:
            raise RuntimeError("a document batch is written inside a transaction")
        return DocumentBatch(self, create_labels)

    def _insert_parts(self, document_id: int, incoming: IncomingDocument, stamp: str) -> None:
        """A stored document's spans and relations (checked already)."""
        if not incoming.relations:
            self._insert_spans(document_id, incoming.spans, stamp)
            return
        ids: dict[Any, int] = {}
        for span in incoming.spans:  # one by one: relations need each span's id
            span_id = self._insert_span(
                document_id,
                span.start,
                span.end,
                span.label,
                span.annotator,
                span.note,
                span.attrs,
                stamp,
            )
            if span.ref is not None:
                ids[span.ref] = span_id
        for relation in incoming.relations:
            self._insert_relation(
                document_id,
                ids[relation.head],
                ids[relation.child],
                relation.label,
                None,
                relation.note,
                relation.attrs,
            )

    def _uid_stored(self, uid: str) -> bool:
        return bool(self._rows("SELECT 1 FROM documents WHERE uid = ?", (uid,)))

    def _label_set(self) -> set[str]:
        return {name for (name,) in self._rows("SELECT name FROM labels")}


class DocumentBatch:
    """Documents stored a batch at a time inside the caller's transaction (an import).

    :meth:`add` checks a document at once, by :meth:`DocumentsStore.add_document`'s
    rules, and tells what became of it; the documents that passed are written when
    :data:`BATCH_DOCUMENTS` wait or their text passes :data:`BATCH_CHARACTERS`, and by
    :meth:`flush`, which the caller calls before its transaction commits. Documents,
    spans and links get the ids one at a time would have given them, in the same order.
    A label a document brings that the project lacks (``create_labels``) is added at
    once, with the next free key and colour (:meth:`LabelsStore.free_key_and_colour`),
    and listed in :attr:`added_labels`.

    A document waits as the rows it will be written as, not as the objects it came in:
    tuples of numbers and text, which the garbage collector soon stops tracking, where
    the objects of a hundred documents would be walked again at every collection.
    """

    def __init__(self, store: DocumentsStore, create_labels: bool) -> None:
        self._store = store
        self._create_labels = create_labels
        self._known = store._label_set()
        self._documents: list[tuple[Any, ...]] = []  # rows, with the ids they will have
        self._spans: list[tuple[Any, ...]] = []
        # Links, their ends as positions in ``_spans`` (the spans' ids are known once
        # the batch is written).
        self._relations: list[tuple[Any, ...]] = []
        self._uids: set[str] = set()  # of the waiting documents
        self._characters = 0
        # The labels added for the documents, with the key and colour each was given.
        self.added_labels: list[Label] = []

    def add(self, incoming: IncomingDocument) -> int | None:
        """Check a document and store it (now or with its batch): returns its span count,
        or None when a document with the same text is stored or waiting. Raises
        ValidationError, and nothing of the document is kept, for any bad part."""
        store = self._store
        uid = _checked_uid(incoming)
        if uid in self._uids or store._uid_stored(uid):
            return None
        check_parts(incoming, self._known, self._create_labels)
        if self._create_labels:
            for label in _new_labels(incoming.spans, self._known):
                # Stored at once: later documents' checks see it (a label's case).
                self.added_labels.append(store._insert_label(label))
        stamp = now()
        documents = self._documents
        document_id = (documents[-1][0] if documents else self._last_id("documents")) + 1
        row = (document_id, *_document_row(uid, incoming, stamp))
        # A span without annotator and note leaves them out of its row: the sqlite3
        # module binds None through its adapters, slowly (an import of 200,000 spans
        # spent 0.15 s of processor time binding their NULLs).
        spans = [
            (
                document_id,
                s.start,
                s.end,
                s.label,
                _dumps(s.attrs) if s.attrs else "{}",
                stamp,
                stamp,
            )
            if s.annotator is None and s.note is None
            else (
                document_id,
                s.start,
                s.end,
                s.label,
                _dumps(s.attrs) if s.attrs else "{}",
                stamp,
                stamp,
                s.annotator,
                s.note,
            )
            for s in incoming.spans
        ]
        documents.append(row)
        if incoming.relations:
            self._relations += _relation_rows(document_id, incoming, len(self._spans))
        self._spans += spans
        self._uids.add(uid)
        self._characters += len(incoming.text)
        if len(documents) >= BATCH_DOCUMENTS or self._characters >= BATCH_CHARACTERS:
            self.flush()
        return len(incoming.spans)

    def _last_id(self, table: str) -> int:
        """The largest id of the documents or spans stored (0 for none)."""
        (last,) = self._store.conn.execute(f"SELECT max(id) FROM {table}").fetchone()
        return int(last or 0)

    def flush(self) -> None:
        """Write the documents waiting, with their spans and annotators."""
        documents, spans, relations = self._documents, self._spans, self._relations
        if not documents:
            return
        self._documents, self._spans, self._relations = [], [], []
        self._uids, self._characters = set(), 0
        store = self._store
        conn = store.conn
        shift = self._last_id("documents") + 1 - documents[0][0]
        if shift:  # documents stored by other means since the first of these was added
            documents = [(row[0] + shift, *row[1:]) for row in documents]
            spans = [(row[0] + shift, *row[1:]) for row in spans]
            relations = [(row[0] + shift, *row[1:]) for row in relations]
        conn.executemany(
            "INSERT INTO documents (id, uid, title, text, meta, status, created_at, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            documents,
        )
        # Each name with the stamp of the first document naming it (hence reversed).
        annotators = {row[7]: row[5] for row in reversed(spans) if len(row) == 9 and row[7]}
        conn.executemany(
            "INSERT OR IGNORE INTO annotators (name, created_at) VALUES (?, ?)",
            sorted(annotators.items()),
        )
        store._annotators.update(annotators)
        first = self._write_spans(spans, numbered=bool(relations))
        if relations:
            # A link's type is added, if new, as one link at a time would add it.
            conn.executemany(
                "INSERT OR IGNORE INTO relation_types (id, name, position) "
                f"VALUES ({NEXT_RELATION_TYPE_ID}, ?, 100)",
                [(label,) for label in dict.fromkeys(row[3] for row in relations)],
            )
            conn.executemany(
                "INSERT INTO relations (document_id, head_span_id, child_span_id, label, "
                "note, attrs) VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (document_id, first + head, first + child, label, note, attrs)
                    for document_id, head, child, label, note, attrs in relations
                ],
            )
        store.changes.documents_reloaded = True

    def _write_spans(self, spans: list[tuple[Any, ...]], numbered: bool) -> int:
        """Insert span rows, with and without annotator and note, in their order; when
        ``numbered``, with their ids given. Returns the id of the first."""
        first = self._last_id("spans") + 1
        kinds = set(map(len, spans))
        if len(kinds) == 1 and not numbered:
            self._store.conn.executemany(_SPANS[kinds.pop()], spans)
        elif kinds:
            # Both kinds, one statement after the other, or links to point at: each
            # span is given the id it has in the rows' order.
            rows = [(first + n, *row) for n, row in enumerate(spans)]
            for size in sorted(kinds):
                self._store.conn.executemany(
                    _SPANS[size + 1], [row for row in rows if len(row) == size + 1]
                )
        return first


_SPAN_FIELDS = ("document_id", "start", '"end"', "label", "attrs", "created_at", "updated_at")
# A batch's span rows by their length: without and with annotator and note, each also
# with its id first.
_SPANS = {
    len(fields): f"INSERT INTO spans ({', '.join(fields)}) VALUES ({', '.join('?' * len(fields))})"
    for fields in (
        _SPAN_FIELDS,
        (*_SPAN_FIELDS, "annotator", "note"),
        ("id", *_SPAN_FIELDS),
        ("id", *_SPAN_FIELDS, "annotator", "note"),
    )
}


def _relation_rows(
    document_id: int, incoming: IncomingDocument, first: int
) -> list[tuple[Any, ...]]:
    """A checked document's links as rows whose ends are the positions of its spans in
    the batch, ``first`` being its first span's."""
    at = {span.ref: first + n for n, span in enumerate(incoming.spans) if span.ref is not None}
    return [
        (
            document_id,
            at[relation.head],
            at[relation.child],
            relation.label,
            relation.note,
            _dumps(relation.attrs) if relation.attrs else "{}",
        )
        for relation in incoming.relations
    ]


def _checked_uid(incoming: IncomingDocument) -> str:
    """The uid of a document whose text and status are valid."""
    check_text(incoming.text)
    validate_status(incoming.status)
    return text_uid(incoming.text)


def _document_row(uid: str, incoming: IncomingDocument, stamp: str) -> tuple[Any, ...]:
    return (
        uid,
        incoming.title,
        incoming.text,
        _dumps(incoming.meta),
        incoming.status,
        stamp,
        stamp,
    )


class UnknownLabel(ValidationError):
    """A document refused only for labels the project lacks: ``labels``, every one its
    spans name (set by :func:`check_parts`; importing with ``create_labels`` adds them)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.labels: list[str] = []


def _new_labels(spans: list[IncomingSpan], known: set[str]) -> list[str]:
    """The labels of ``spans`` not in ``known``, in the order they first come (added to
    ``known``)."""
    new = [label for label in dict.fromkeys(span.label for span in spans) if label not in known]
    known.update(new)
    return new


def check_parts(incoming: IncomingDocument, known: set[str], create_labels: bool) -> None:
    """Refuse a document whose spans or relations break the model's rules (offsets in
    its text, the span's text where given, a known label unless ``create_labels``, text
    fields, span ids once each, relations between its spans)."""
    text = incoming.text
    length = len(text)
    for span in incoming.spans:
        # The usual span passes these tests at once; any other is checked in full,
        # which says what is wrong.
        start, end, annotator, note, ref = span.start, span.end, span.annotator, span.note, span.ref
        if not (
            type(start) is int
            and type(end) is int
            and 0 <= start < end <= length
            and (span.text is None or span.text == text[start:end])
            and (create_labels or span.label in known)
            and (annotator is None or type(annotator) is str)
            and (note is None or type(note) is str)
            and (ref is None or type(ref) in _REF_TYPES)
        ):
            try:
                _check_span(text, span, known, create_labels)
            except UnknownLabel as error:
                error.labels = [
                    name
                    for name in dict.fromkeys(s.label for s in incoming.spans)
                    if isinstance(name, str) and name not in known
                ]
                raise
    refs = [span.ref for span in incoming.spans if span.ref is not None]
    if len(refs) != len(set(refs)):
        raise ValidationError(f"two spans share the id {_shared(refs)!r}")
    if incoming.relations:
        wanted = set(refs)
        for relation in incoming.relations:
            for end_ref in (relation.head, relation.child):
                # A file's id may be a list or an object: no span has it (and no set holds it).
                if type(end_ref) not in _REF_TYPES or end_ref not in wanted:
                    raise ValidationError(
                        f"relation {relation.label!r} points at unknown span {end_ref!r}"
                    )
            if not isinstance(relation.label, str) or not relation.label.strip():
                raise ValidationError(f"a relation needs a label, got {relation.label!r}")
            if relation.note is not None and not isinstance(relation.note, str):
                raise ValidationError(f"a relation note must be a string, got {relation.note!r}")
            if not isinstance(relation.attrs, dict):
                raise ValidationError(
                    f"relation attributes must be an object, got {relation.attrs!r}"
                )


_REF_TYPES = (str, int, float, tuple)


def _shared(refs: list[Any]) -> Any:
    """The first span id ``refs`` holds twice, as the file wrote it: a reader that keeps
    ids of several records apart makes them (record, id) pairs."""
    seen = set()
    for ref in refs:
        if ref in seen:
            return ref[-1] if isinstance(ref, tuple) and ref else ref
        seen.add(ref)
    return None


def _check_span(text: str, span: IncomingSpan, known: set[str], create_labels: bool) -> None:
    """Every rule for one span, in order; raises ValidationError for the first broken."""
    validate_offsets(text, span.start, span.end)
    if span.text is not None and span.text != text[span.start : span.end]:
        raise ValidationError(
            f"span {span.start}-{span.end} text {span.text!r} does not match the "
            f"document text there ({text[span.start : span.end]!r})"
        )
    if span.label not in known and isinstance(span.label, str):
        check_name_length(span.label, "a label name")  # said as such, not as unknown
    if span.label not in known and not create_labels:
        raise UnknownLabel(
            f"unknown label {span.label!r} (project labels: {', '.join(sorted(known))})"
        )
    for name, value in (("annotator", span.annotator), ("note", span.note)):
        if value is not None and not isinstance(value, str):
            raise ValidationError(f"a span {name} must be a string, got {value!r}")
    if span.ref is not None and not isinstance(span.ref, str | int | float | tuple):
        raise ValidationError(f"a span id must be a number or a string, got {span.ref!r}")
