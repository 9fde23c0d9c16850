"""The gate every row from another project file passes before anything of it is written.

A colleague's copy is data from outside: it may have been damaged, edited by hand or
made to break Factmark. Before a merge writes anything, every row of the copy is checked
against the model's rules (the rules ``factmark labels --add``, an import and the window
apply), streamed, so a large copy is never held in memory:

- documents: text is valid UTF-8 text without NUL and not empty, ``uid`` is its sha256
  (:func:`~factmark.core.text.text_uid`), the title is text without NUL, ``meta`` is a
  JSON object, the status is a known one, the timestamps are text; no uid twice;
- labels: as :func:`~factmark.core.labels_store.check_label` (name, colour, description;
  a key another label or an action uses is dropped, as a merge always did);
- spans: integer offsets inside their document's text, start before end, a known or
  added label, an annotator name as the preferences take it, a note that is text (or
  none), ``attrs`` a JSON object, text timestamps, an existing document;
- relations: two distinct spans of the relation's own document, a link type as
  :func:`~factmark.core.labels_store.check_relation_type` takes it, a note that is text
  (or none), ``attrs`` a JSON object.

Each problem is one :class:`Problem` (table, row id, what); rows of an invalid row
(spans of a refused document, relations of a refused span) are left out with it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

import orjson

from factmark.core.actions import label_key_problem
from factmark.core.labels_store import check_label, check_relation_type
from factmark.core.model import STATUSES, Label, ValidationError
from factmark.core.preferences import clean_annotator
from factmark.core.safe_text import first_unsafe, printable
from factmark.core.text import check_text, holds_nul, text_uid

# Problems listed one per line; beyond this only the count grows.
MAX_LISTED = 1000

# Rows as the merge reads them from a source (see merge._Source):
# a label: (rowid, name, key, colour, description)
# a document: (id, uid, title, text, meta, status, created_at, updated_at)
# a span: (document_id, id, start, end, label, annotator, note, attrs, created_at, updated_at)
# a relation: (document_id, id, head_span_id, child_span_id, label, note, attrs)
Row = tuple[Any, ...]


class BadText(bytes):
    """Text in a file that is not valid UTF-8 (what :func:`decode_text` gives for it)."""


def decode_text(data: bytes) -> str | BadText:
    """The text factory for reading foreign files: strict UTF-8 (no lone surrogates),
    and a :class:`BadText` instead of an error for anything else, so that one bad row is
    reported as such instead of stopping the whole read."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return BadText(data)


class SourceRows(Protocol):
    """The rows of a source, streamed (the merge's reader)."""

    def labels(self) -> Iterator[Row]: ...

    def documents(self) -> Iterator[Row]: ...

    def groups(self) -> Iterator[tuple[int, list[Row], list[Row]]]:
        """Each document id with its spans and its relations (ids in any table)."""
        ...


@dataclass(frozen=True)
class Problem:
    """One row that breaks a rule."""

    table: str
    row: object  # the row's id
    what: str

    def line(self) -> str:
        """``table row id: what``, escaped for a terminal."""
        return printable(f"{self.table} row {self.row}: {self.what}")


@dataclass
class Verdict:
    """What checking a source found: the problems, the rows to leave out, and what the
    merge needs from the whole source (labels to add, annotators first seen)."""

    problems: list[Problem] = field(default_factory=list)  # the first MAX_LISTED
    count: int = 0
    # Rows valid in themselves but left out with a row they belong to (spans of an invalid
    # document, relations of an invalid span): listed only when the rest is merged.
    followers: list[Problem] = field(default_factory=list)  # the first MAX_LISTED
    followers_count: int = 0
    bad_documents: set[int] = field(default_factory=set)
    bad_spans: set[int] = field(default_factory=set)
    bad_relations: set[int] = field(default_factory=set)
    labels: list[Label] = field(default_factory=list)  # to add to the target, tidied
    relation_types: set[str] = field(default_factory=set)  # link types to add
    annotators: dict[str, str] = field(default_factory=dict)  # name -> first created_at
    unattributed: bool = False  # whether a valid span has no annotator

    def add(self, table: str, row: object, error: Exception) -> None:
        problem = Problem(table, row, str(error))
        if isinstance(error, _Follows):
            self.followers_count += 1
            if len(self.followers) < MAX_LISTED:
                self.followers.append(problem)
            return
        self.count += 1
        if len(self.problems) < MAX_LISTED:
            self.problems.append(problem)

    @property
    def clean(self) -> bool:
        return self.count == 0


class _Bad(Exception):
    """A row's problem (internal)."""


class _Follows(_Bad):
    """A row left out with another, invalid row it belongs to (internal)."""


def check_source(
    source: SourceRows, target_labels: list[Label], target_relation_types: Iterable[str]
) -> Verdict:
    """Check every row of ``source`` against the model's rules, given what the target
    has already (labels and link types are matched by name)."""
    verdict = Verdict()
    labels = _check_labels(source.labels(), target_labels, verdict)
    lengths = _check_documents(source.documents(), verdict)
    types = _LinkTypes(list(target_relation_types), verdict)
    for document_id, spans, relations in source.groups():
        valid_spans = _check_spans(document_id, spans, lengths, labels, verdict)
        _check_relations(document_id, relations, spans, valid_spans, lengths, types, verdict)
    return verdict


def _check_labels(rows: Iterator[Row], target: list[Label], verdict: Verdict) -> dict[str, bool]:
    """Label name -> whether spans may use it (in the target, or added from the source)."""
    usable: dict[str, bool] = {label.name: True for label in target}
    others = list(target)
    keys = {label.key.casefold() for label in target if label.key}
    for rowid, name, key, colour, description in rows:
        if isinstance(name, str) and name in usable:
            continue  # the target's own (or a duplicate row): nothing of it is added
        try:
            for what, value in (("name", name), ("key", key), ("colour", colour)):
                _text(what, value)
            _text("description", description)
            if key.strip().casefold() in keys or label_key_problem(key):
                key = ""  # taken by another label or an action: dropped, as always
            checked = check_label(Label(name, key, colour, description), others)
            if checked.name != name:
                raise _Bad(f"the label name {_shown(name)} starts or ends with spaces")
        except (_Bad, ValidationError) as error:
            verdict.add("labels", rowid, error)
            if isinstance(name, str):
                usable[name] = False
            continue
        checked = Label(checked.name, checked.key, checked.colour, checked.description)
        verdict.labels.append(checked)
        others.append(checked)
        if checked.key:
            keys.add(checked.key.casefold())
        usable[name] = True
    return usable


def _check_documents(rows: Iterator[Row], verdict: Verdict) -> dict[int, int]:
    """Valid document id -> its text's length in code points."""
    lengths: dict[int, int] = {}
    uids: set[str] = set()
    for doc_id, uid, title, text, meta, status, created, updated in rows:
        try:
            text = _text("text", text)
            try:
                check_text(text)
            except ValidationError as error:
                raise _Bad(f"text: {error}") from None
            if uid != text_uid(text):
                raise _Bad(f"uid {_shown(uid)} is not the sha256 of its text")
            if uid in uids:
                raise _Bad("the same text as an earlier document (uid twice)")
            if "\x00" in _text("title", title):
                raise _Bad("the title holds a NUL character")
            _json_object("meta", meta)
            if status not in STATUSES:
                raise _Bad(f"unknown status {_shown(status)}")
            _text("created_at", created)
            _text("updated_at", updated)
        except _Bad as error:
            verdict.add("documents", doc_id, error)
            verdict.bad_documents.add(doc_id)
            continue
        uids.add(uid)
        lengths[doc_id] = len(text)
    return lengths


def _check_spans(
    document_id: int,
    rows: list[Row],
    lengths: dict[int, int],
    labels: dict[str, bool],
    verdict: Verdict,
) -> set[int]:
    """The ids of the document's valid spans."""
    valid: set[int] = set()
    length = lengths.get(document_id)
    annotators = verdict.annotators
    # Written for speed (a copy may hold millions of spans): the usual case is tested
    # first, and the helpers that say what is wrong are called only when something is.
    for _, span_id, start, end, label, annotator, note, attrs, created, updated in rows:
        try:
            if length is None:
                _document(document_id, length, verdict)
            if type(start) is not int or type(end) is not int:
                raise _Bad(f"offsets {_shown(start)}-{_shown(end)} are not integers")
            if not 0 <= start < end <= (length or 0):
                raise _Bad(f"span {start}-{end} is outside its text (length {length}) or empty")
            usable = labels.get(label) if type(label) is str else None
            if usable is None:
                raise _Bad(f"unknown label {_shown(label)} (not in the copy's labels)")
            if not usable:
                raise _Follows(f"left out with its label {_shown(label)}")
            if annotator is not None and annotator not in annotators:
                _annotator(annotator)  # once per name: a valid one is in verdict.annotators
            _note_and_attrs(note, attrs)
            if type(created) is not str or type(updated) is not str:
                _text("created_at", created)
                _text("updated_at", updated)
        except _Bad as error:
            verdict.add("spans", span_id, error)
            verdict.bad_spans.add(span_id)
            continue
        valid.add(span_id)
        if annotator is None:
            verdict.unattributed = True
        elif annotator not in annotators or created < annotators[annotator]:
            annotators[annotator] = created
    return valid


def _check_relations(
    document_id: int,
    rows: list[Row],
    spans: list[Row],
    valid_spans: set[int],
    lengths: dict[int, int],
    types: _LinkTypes,
    verdict: Verdict,
) -> None:
    if not rows:
        return
    span_ids = {row[1] for row in spans}
    for _, relation_id, head, child, label, note, attrs in rows:
        try:
            _document(document_id, lengths.get(document_id), verdict)
            for span in (head, child):
                if span not in span_ids:
                    raise _Bad(f"span {_shown(span)} is not a span of document {document_id}")
                if span not in valid_spans:
                    raise _Follows(f"left out with its span {span}")
            if head == child:
                raise _Bad("a span cannot be linked to itself")
            types.check(label)
            _note_and_attrs(note, attrs)
        except _Bad as error:
            verdict.add("relations", relation_id, error)
            verdict.bad_relations.add(relation_id)


class _LinkTypes:
    """Link types the target has or a source adds, checked once per name."""

    def __init__(self, target: list[str], verdict: Verdict) -> None:
        self.known = set(target)
        self.others = list(target)
        self.refused: dict[object, str] = {}
        self.verdict = verdict

    def check(self, label: object) -> None:
        if isinstance(label, str) and label in self.known:
            return
        if label in self.refused:
            raise _Bad(self.refused[label])
        try:
            if not isinstance(label, str):
                raise _Bad(f"the link type {_shown(label)} is not text")
            if check_relation_type(label, self.others) != label:
                raise _Bad(f"the link type {_shown(label)} starts or ends with spaces")
            if first_unsafe(label) is not None:
                raise _Bad(f"the link type {_shown(label)} holds a control character")
        except (_Bad, ValidationError) as error:
            self.refused[label] = str(error)
            raise _Bad(str(error)) from None
        self.known.add(label)
        self.others.append(label)
        self.verdict.relation_types.add(label)


def _document(document_id: int, length: int | None, verdict: Verdict) -> None:
    if length is not None:
        return
    if document_id in verdict.bad_documents:
        raise _Follows(f"left out with its document {document_id}")
    raise _Bad(f"its document {_shown(document_id)} does not exist")


def _annotator(name: object) -> None:
    name = _text("annotator", name)
    try:
        cleaned = clean_annotator(name)
    except ValidationError as error:
        raise _Bad(str(error)) from None
    if cleaned != name or first_unsafe(name) is not None:
        raise _Bad(f"the annotator name {_shown(name)} is not one clean line of text")


def _text(what: str, value: object) -> str:
    """``value`` when it is text; else _Bad saying what it is."""
    if isinstance(value, str):
        return value
    if isinstance(value, BadText):
        raise _Bad(f"{what} is not valid UTF-8 text")
    if isinstance(value, bytes):
        raise _Bad(f"{what} is binary data (a BLOB), not text")
    if value is None:
        raise _Bad(f"{what} is missing (NULL)")
    raise _Bad(f"{what} is a {type(value).__name__}, not text: {_shown(value)}")


def _note_and_attrs(note: object, attrs: object) -> None:
    """A span's or link's note (text without NUL, or none) and attributes (a JSON object)."""
    # Most notes are text without NUL: one test each; anything else says what it is.
    bad = note is not None and (type(note) is not str or "\x00" in note)
    if bad and "\x00" in _text("note", note):
        raise _Bad("the note holds a NUL character")
    _json_object("attrs", attrs)


def _json_object(what: str, value: object) -> None:
    if value == "{}":  # most rows: no metadata, no attributes
        return
    text = _text(what, value)
    try:
        parsed = orjson.loads(text)
    except orjson.JSONDecodeError:
        raise _Bad(f"{what} is not valid JSON: {_shown(text)}") from None
    if not isinstance(parsed, dict):
        raise _Bad(f"{what} is JSON but not an object: {_shown(text)}")
    if holds_nul(parsed):
        raise _Bad(f"{what} holds a NUL character")


def _shown(value: object, limit: int = 40) -> str:
    """A short repr of a value from the file for a message."""
    shown = repr(value)
    return shown if len(shown) <= limit else shown[: limit - 3] + "..."


# -- the base, tombstones and provenance of a copy (three-way merge) ------------

# A span's identity (annotator, start, end, label) and content (note, attrs as
# canonical JSON text); a link's identity (head span's, child span's, link type).
SpanKey = tuple[str | None, int, int, str]
SpanContent = tuple[str | None, str]
RelationKey = tuple[SpanKey, SpanKey, str]


def span_key(value: object) -> SpanKey:
    """A span identity as ``merge_base`` stores it (a JSON array), or its four values.

    Raises ValidationError saying what is wrong."""
    parsed = list(value) if isinstance(value, tuple) else _parsed(value, "key")
    if not isinstance(parsed, list) or len(parsed) != 4:
        raise ValidationError(f"key {_shown(value)} is not [annotator, start, end, label]")
    annotator, start, end, label = parsed
    if annotator is not None and not isinstance(annotator, str):
        raise ValidationError(f"key {_shown(value)}: the annotator is not text")
    if type(start) is not int or type(end) is not int or not 0 <= start < end:
        raise ValidationError(f"key {_shown(value)}: offsets are not integers, start before end")
    if not isinstance(label, str):
        raise ValidationError(f"key {_shown(value)}: the label is not text")
    return (annotator, start, end, label)


def span_content(value: object) -> SpanContent:
    """A span's note and attributes as ``merge_base`` stores them, or the two values."""
    parsed = list(value) if isinstance(value, tuple) else _parsed(value, "content")
    if not isinstance(parsed, list) or len(parsed) != 2:
        raise ValidationError(f"content {_shown(value)} is not [note, attrs]")
    note, attrs = parsed
    if note is not None and (not isinstance(note, str) or "\x00" in note):
        raise ValidationError(f"content {_shown(value)}: the note is not text")
    return (note, canonical_attrs(attrs))


def relation_key(value: object) -> RelationKey:
    """A link identity: ``[head span key, child span key, link type]``."""
    parsed = _parsed(value, "key")
    if not isinstance(parsed, list) or len(parsed) != 3 or not isinstance(parsed[2], str):
        raise ValidationError(f"key {_shown(value)} is not [head, child, link type]")
    head = span_key(orjson.dumps(parsed[0]).decode())
    child = span_key(orjson.dumps(parsed[1]).decode())
    return (head, child, parsed[2])


def canonical_attrs(attrs: object) -> str:
    """Attributes (JSON object text) with sorted keys, so equal attributes compare equal
    whichever program wrote them. Raises ValidationError when not a JSON object."""
    if attrs == "{}":
        return "{}"
    if not isinstance(attrs, str):
        raise ValidationError(f"attrs {_shown(attrs)} is not JSON text")
    try:
        parsed = orjson.loads(attrs)
    except orjson.JSONDecodeError:
        raise ValidationError(f"attrs {_shown(attrs)} is not valid JSON") from None
    if not isinstance(parsed, dict):
        raise ValidationError(f"attrs {_shown(attrs)} is not a JSON object")
    if not parsed:
        return "{}"
    return orjson.dumps(parsed, option=orjson.OPT_SORT_KEYS).decode()


def span_origin(value: object) -> dict[str, str] | None:
    """A span's provenance (``spans.origin``): None, or a JSON object of text values
    naming the copy it was merged from and when."""
    if value is None:
        return None
    parsed = _parsed(value, "origin")
    if not isinstance(parsed, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and "\x00" not in v for k, v in parsed.items()
    ):
        raise ValidationError(f"origin {_shown(value)} is not a JSON object of text values")
    return {k: parsed[k] for k in ("copy", "annotator", "file", "at") if k in parsed}


def _parsed(value: object, what: str) -> object:
    if not isinstance(value, str):
        raise ValidationError(f"{what} {_shown(value)} is not JSON text")
    try:
        return orjson.loads(value)
    except orjson.JSONDecodeError:
        raise ValidationError(f"{what} {_shown(value)} is not valid JSON") from None
