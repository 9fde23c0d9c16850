"""JSON Lines corpora, one document per line, in the shapes other tools write.

- plain: ``{"text": ...}`` (optional ``title``, ``meta``, ``status``, ``id``);
- Factmark / Prodigy: ``spans: [{start, end, label, ...}]`` and ``relations``
  (Factmark ``{head, child, label}`` by span id, or Prodigy's ``head_span`` /
  ``child_span`` objects); Prodigy's ``answer`` becomes the status;
- doccano sequence labelling: ``label: [[start, end, label], ...]``, or
  ``entities: [{id, label, start_offset, end_offset}]`` with
  ``relations: [{from_id, to_id, type}]``.

A bad line is reported with its number and the other lines still import. An
``id`` that is not the Factmark uid of the text is kept as ``meta.source_id``.

doccano writes a document's metadata as top-level fields of its line, beside ``id``,
``text``, ``label`` (or ``entities`` and ``relations``) and ``Comments`` (the comments'
texts). On a doccano line (one with ``label``, ``entities`` or ``Comments`` and no
``spans``) every other field is kept in ``meta`` under its own name, and the comments as
``meta.comments`` (Factmark documents have no note of their own); a field whose name the
line's ``meta`` already has is counted in the report instead.

Prodigy's binary answers (``ner.teach``: ``"_view_id": "ner"`` or ``"spans"``, one
suggested span per task, ``"answer"`` accept / reject / ignore) keep only the
accepted spans: a rejected span is the annotator saying "not this". Lines answering
questions about one text (several answers on the same ``text``, binary or not) are
merged into one document holding the spans of each accepted answer, each with its
annotator; the spans of rejected and ignored answers are counted in a note. Such a
document is done when a whole-document answer (``ner.manual``) accepted it, skipped
when every one rejected it, else in progress when it has spans and new when not. A
single whole-document answer keeps its meaning: the answer is the status.

Fields that look like annotations but are not read (doccano's class ``label`` list,
``cats``, ``annotations``...) are counted in a note, never dropped in silence.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any, BinaryIO, TypeGuard

import orjson

from factmark.core.importing.base import Item, json_refusal, noted
from factmark.core.incoming import IncomingDocument, IncomingRelation, IncomingSpan
from factmark.core.model import STATUSES, ValidationError
from factmark.core.source_files import MAX_DOCUMENT
from factmark.core.text import counted, text_uid

SUFFIXES = (".jsonl", ".ndjson")
#: One line: a document's text (at most MAX_DOCUMENT) with its annotations. The file
#: itself may be as large as the disk: it is streamed.
MAX_LINE = 2 * MAX_DOCUMENT
_ANSWERS = {"accept": "done", "reject": "skipped", "ignore": "skipped"}
BINARY_VIEWS = ("ner", "spans")  # Prodigy's accept/reject interfaces for one suggested span
# Fields other tools use for annotations that a line here is not read for.
UNREAD = ("labels", "annotations", "ents", "cats", "predictions", "accept")
_LOOK_READ = frozenset(("label", *UNREAD))
# The fields of a doccano line read for something else than its metadata.
_DOCCANO_READ = frozenset(
    ("id", "text", "title", "meta", "status", "answer", "entities", "relations", *_LOOK_READ)
)
_DOCCANO_MARKS = frozenset(("label", "entities", "Comments"))
COMMENTS = "Comments"


def read(path: Path) -> Iterator[Item]:
    """One item per non-empty line (a document, or that line's error); Prodigy
    answers on one text as one item, at the line of the first.

    The file is streamed, never held whole: a first pass finds the answers to merge
    (by their text) and keeps only where their lines start; the second reads the file
    again line by line, fetching an answer group's other lines when its first comes.
    Memory stays that of one document whatever the file's size.
    """
    with path.open("rb") as handle:
        groups, placed = _answer_groups(handle)
        handle.seek(0)
        tally: Counter[str] = Counter()
        with path.open("rb") as fetcher:
            yield from noted(
                _items(_lines(handle), groups, placed, fetcher, tally), lambda: _told(tally)
            )


def _lines(handle: BinaryIO) -> Iterator[tuple[int, int, bytes | None]]:
    """``(number, position, line)`` of every non-empty line, the BOM dropped; a NUL byte
    anywhere, or no line at all, refuses the whole file (nothing of it is stored).

    A line longer than :data:`MAX_LINE` is never held: it comes as None (that line's
    error), the rest of it skipped a block at a time."""
    position = 0
    empty = True
    number = 0
    while raw := handle.readline(MAX_LINE + 1):
        number += 1
        at, position = position, position + len(raw)
        if len(raw) > MAX_LINE and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):
                raw = handle.readline(_BLOCK)
                position += len(raw)
            empty = False
            yield number, at, None
            continue
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if b"\x00" in raw:
            raise ValidationError("binary file (it holds NUL bytes), not JSON Lines")
        if raw.strip():
            empty = False
            yield number, at, raw
    if empty:
        raise ValidationError("empty file: there is no document to import")


def _items(
    lines: Iterator[tuple[int, int, bytes | None]],
    groups: dict[str, list[int]],
    placed: dict[int, int],
    fetcher: BinaryIO,
    tally: Counter[str],
) -> Iterator[Item]:
    merged: set[str] = set()
    for number, _at, raw in lines:
        if raw is None:
            yield Item(number, ValidationError(_TOO_LONG))
            continue
        try:
            record = _load(raw)
            key = _answer_key(record) or ""
            group = groups.get(key)
            if group is None:
                yield Item(number, parse_record(record, tally))
                continue
        except ValidationError as error:
            yield Item(number, error)
            continue
        if key not in merged:
            merged.add(key)
            yield from _answers(group, lambda n: _line_at(fetcher, placed[n]), tally)


def _line_at(handle: BinaryIO, position: int) -> bytes:
    handle.seek(position)
    raw = handle.readline()
    return raw[3:] if position == 0 and raw.startswith(b"\xef\xbb\xbf") else raw


def _answer_groups(handle: BinaryIO) -> tuple[dict[str, list[int]], dict[int, int]]:
    """The lines to merge, by text: Prodigy answers sharing a text, and every binary
    answer (even alone, its rejected span must not become a span); and where each of
    those lines starts. Only lines mentioning ``"answer"`` are decoded, and a file with
    none (most) is read a block at a time, not line by line."""
    if not _mentions_answers(handle):
        return {}, {}
    handle.seek(0)
    groups: dict[str, list[int]] = {}
    starts: dict[int, int] = {}
    binary: set[str] = set()
    for number, at, raw in _lines(handle):
        if raw is None or _ANSWER not in raw:
            continue
        try:
            record = _load(raw)
        except ValidationError:
            continue
        key = _answer_key(record)
        if key is not None:
            groups.setdefault(key, []).append(number)
            starts[number] = at
            if record.get("_view_id") in BINARY_VIEWS:
                binary.add(key)
    kept = {k: v for k, v in groups.items() if len(v) > 1 or k in binary}
    numbers = {n for v in kept.values() for n in v}
    return kept, {n: at for n, at in starts.items() if n in numbers}


def _mentions_answers(handle: BinaryIO) -> bool:
    """Whether some line holds ``"answer"``, read a block at a time; a NUL byte anywhere
    refuses the file (as :func:`_lines` does) before any of its lines is read."""
    mentions, tail = False, b""
    while block := handle.read(_BLOCK):
        if b"\x00" in block:
            raise ValidationError("binary file (it holds NUL bytes), not JSON Lines")
        # The word may straddle two blocks: the end of the last one is searched again.
        mentions = mentions or _ANSWER in tail + block
        tail = block[1 - len(_ANSWER) :]
    return mentions


_ANSWER = b'"answer"'
_TOO_LONG = (
    f"the line is over the {MAX_LINE >> 20} MB limit for one line (a document of at most "
    f"{MAX_DOCUMENT >> 20} MB of text with its annotations); nothing of it was read"
)
_BLOCK = 1 << 20


def _answer_key(record: Any) -> str | None:
    """The key grouping Prodigy answers: the text of a line that has an answer."""
    if isinstance(record, dict) and "answer" in record and isinstance(record.get("text"), str):
        return text_uid(record["text"])
    return None


def _answers(
    numbers: list[int], line: Callable[[int], bytes], tally: Counter[str]
) -> Iterator[Item]:
    """The document of several answers on one text (bad lines are their own items)."""
    documents: list[tuple[int, dict[str, Any], IncomingDocument]] = []
    for number in numbers:
        try:
            record = _load(line(number))
            documents.append((number, record, parse_record(record, tally)))
        except ValidationError as error:
            yield Item(number, error)
    if not documents:
        return
    spans: list[IncomingSpan] = []
    relations: list[IncomingRelation] = []
    whole: list[str] = []  # answers about the whole document (ner.manual and the like)
    seen: dict[tuple[Any, ...], Any] = {}
    for number, record, document in documents:
        answer = record.get("answer")
        if record.get("_view_id") not in BINARY_VIEWS:
            whole.append(str(answer))
        if answer != "accept":
            tally["ignored" if answer == "ignore" else "rejected"] += len(document.spans)
            continue
        refs = {}
        for span in document.spans:
            same = (span.start, span.end, span.label, span.annotator)
            refs[span.ref] = seen.get(same, (number, span.ref))
            if same not in seen:
                seen[same] = refs[span.ref]
                spans.append(replace(span, ref=refs[span.ref]))
        relations += [
            replace(r, head=refs.get(r.head, r.head), child=refs.get(r.child, r.child))
            for r in document.relations
        ]
    first_number, first, document = documents[0]
    status = first.get("status") or _merged_status(whole, bool(spans))
    yield Item(first_number, replace(document, spans=spans, relations=relations, status=status))


def _merged_status(whole: list[str], has_spans: bool) -> str:
    if "accept" in whole:
        return "done"
    if whole and all(answer in ("reject", "ignore") for answer in whole):
        return "skipped"
    return "in_progress" if has_spans else "new"


def _told(tally: Counter[str]) -> str | None:
    """The file's note: answers' spans left out, and fields not read, with counts."""
    parts = []
    if tally["rejected"] or tally["ignored"]:
        what = " and ".join(
            f"{counted(tally[k], 'span')} {k}" if i == 0 else f"{tally[k]} {k}"
            for i, k in enumerate(k for k in ("rejected", "ignored") if tally[k])
        )
        parts.append(f"left out {what} in Prodigy answers")
    for field in ("label", *UNREAD):
        if tally[f"field {field}"]:
            parts.append(
                f'{counted(tally[f"field {field}"], "line")} with a "{field}" field '
                "Factmark does not read"
            )
    for key in sorted(k for k in tally if k.startswith("not kept ")):
        field = key.removeprefix("not kept ")
        parts.append(
            f'{counted(tally[key], "doccano line")} with a "{field}" field not kept '
            '(its "meta" already has that name)'
        )
    return ", ".join(parts) or None


def _load(raw: bytes) -> Any:
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        raise ValidationError(json_refusal(error, lines=False)) from None


# What a JSON value that is not a string is, as a message names it.
_JSON_KINDS = {
    bool: "true or false",
    int: "a number",
    float: "a number",
    list: "a list",
    dict: "an object",
}


def parse_record(record: Any, tally: Counter[str] | None = None) -> IncomingDocument:
    """Turn one decoded JSON object into a document, whatever shape it has; fields
    that look like annotations but are not read are counted in ``tally``."""
    if not isinstance(record, dict):
        raise ValidationError('a line must be a JSON object with a "text" field')
    text = record.get("text")
    if text is None:
        raise ValidationError('no "text" field (each line needs the article text)')
    if not isinstance(text, str):
        kind = _JSON_KINDS.get(type(text), "something else")
        raise ValidationError(f'"text" must be the article text (a string), not {kind}')
    meta = _dict(record.get("meta"), "meta")
    source_id = record.get("id")
    if source_id is not None and source_id != text_uid(text) and "source_id" not in meta:
        meta["source_id"] = source_id
    title = record.get("title") or _first_line(text)
    if not isinstance(title, str):
        raise ValidationError('"title" must be a string')
    spans, relations = _annotations(record)
    not_kept = _doccano_meta(record, meta) if _doccano(record) else []
    if tally is not None:
        for field in _unread(record):
            tally[f"field {field}"] += 1
        for field in not_kept:
            tally[f"not kept {field}"] += 1
    return IncomingDocument(text, title, meta, _status(record), spans, relations)


def _doccano(record: dict[str, Any]) -> bool:
    """Whether a line has doccano's shape (its metadata at the top level)."""
    return "spans" not in record and not _DOCCANO_MARKS.isdisjoint(record)


def _doccano_meta(record: dict[str, Any], meta: dict[str, Any]) -> list[str]:
    """Put a doccano line's metadata fields and comments into ``meta``; returns the
    fields not kept (``meta`` already had their name)."""
    not_kept = []
    for field, value in record.items():
        if field in _DOCCANO_READ:
            continue
        key = "comments" if field == COMMENTS else field
        if field == COMMENTS and not value:
            continue  # doccano writes "Comments": [] on every line
        if key in meta:
            not_kept.append(field)
        else:
            meta[key] = value
    return not_kept


def _first_line(text: str, limit: int = 80) -> str:
    """A title for a record that has none: its first line, cut at a word near ``limit``."""
    line = _first_nonblank(text, limit)
    if len(line) <= limit:
        return line
    cut = line.rfind(" ", 0, limit)
    return line[: cut if cut > limit // 2 else limit].rstrip() + "…"


def _first_nonblank(text: str, limit: int) -> str:
    """The first line of ``text`` holding more than whitespace, stripped; or, when it is
    longer than ``limit``, enough of it (no article is split whole for its title)."""
    size = limit * 4
    while True:
        head = text[:size]
        whole = len(head) == len(text)
        pieces = head.splitlines()
        for number, piece in enumerate(pieces):
            line = piece.strip()
            if line:
                # The last piece of a head may be cut short; one longer than the limit
                # is long enough whatever follows.
                if whole or number < len(pieces) - 1 or len(line) > limit:
                    return line
                break
        else:
            if whole:
                return ""
        size *= 4


def _status(record: dict[str, Any]) -> str:
    status = record.get("status")
    if status is None:
        status = _ANSWERS.get(str(record.get("answer")), "new")
    if status not in STATUSES:
        raise ValidationError(f"unknown status {status!r} (use one of {', '.join(STATUSES)})")
    return str(status)


def _annotations(record: dict[str, Any]) -> tuple[list[IncomingSpan], list[IncomingRelation]]:
    annotator = record.get("_annotator_id") or record.get("annotator")
    if "spans" in record:
        spans = _factmark_spans(_list(record, "spans"), annotator)
        return spans, [_factmark_relation(r, spans) for r in _list(record, "relations")]
    if "entities" in record:
        spans = [_doccano_entity(e) for e in _list(record, "entities")]
        return spans, [_doccano_relation(r) for r in _list(record, "relations")]
    labels = record.get("label")
    if _triples(labels):
        return [_doccano_triple(x) for x in labels], []
    return [], []


def _unread(record: dict[str, Any]) -> list[str]:
    """Fields of this record that look like annotations but were not read."""
    if _LOOK_READ.isdisjoint(record):  # most records: none of those fields at all
        return []
    found = [field for field in UNREAD if record.get(field)]
    read_triples = "spans" in record or "entities" in record or _triples(record.get("label"))
    if record.get("label") and not read_triples:
        found.insert(0, "label")
    return found


def _triples(value: Any) -> TypeGuard[list[Any]]:
    return isinstance(value, list) and all(isinstance(x, list) for x in value)


def _factmark_spans(items: list[Any], annotator: Any) -> list[IncomingSpan]:
    """The spans of a Factmark / Prodigy record, in order.

    Run for every span of a corpus, so the usual span (an object with a start, an end
    and a label that is text, and no attributes) is made here; any other goes through
    :func:`_factmark_span`, which says what is wrong with it.
    """
    spans: list[IncomingSpan] = []
    append = spans.append
    for index, span in enumerate(items):
        if type(span) is dict and "start" in span and "end" in span:
            label = span.get("label")
            if type(label) is str and label and not label.isspace():
                if len(span) == 3:  # start, end and label only
                    append(
                        IncomingSpan(
                            span["start"], span["end"], label, annotator, None, {}, ("#", index)
                        )
                    )
                    continue
                get = span.get
                if not get("attrs"):
                    append(
                        IncomingSpan(
                            span["start"],
                            span["end"],
                            label,
                            get("annotator", annotator),
                            get("note"),
                            {},
                            get("id", ("#", index)),
                            get("text"),
                        )
                    )
                    continue
        append(_factmark_span(span, index, annotator))
    return spans


def _factmark_span(span: Any, index: int, annotator: Any) -> IncomingSpan:
    """Any span: every field read, the first one wrong refused."""
    if type(span) is not dict:
        span = _dict(span, "span")
    if "start" not in span or "end" not in span or "label" not in span:
        for key in ("start", "end", "label"):
            _get(span, key, "span")
    label = span["label"]
    if type(label) is not str or not label or label.isspace():
        _label(label)
    attrs = span.get("attrs")
    get = span.get
    return IncomingSpan(
        span["start"],
        span["end"],
        label,
        get("annotator", annotator),
        get("note"),
        _dict(attrs, "span attrs") if attrs else {},
        get("id", ("#", index)),
        get("text"),
    )


def _factmark_relation(relation: Any, spans: list[IncomingSpan]) -> IncomingRelation:
    relation = _dict(relation, "relation")
    label = _label(_get(relation, "label", "relation"), "relation label")
    if "head_span" in relation and "child_span" in relation:
        # Prodigy: head/child are token indices; the span objects identify the spans.
        return IncomingRelation(
            _find(relation["head_span"], spans), _find(relation["child_span"], spans), label
        )
    note = relation.get("note")
    if note is not None and not isinstance(note, str):
        raise ValidationError(f"a relation note must be a string, got {note!r}")
    attrs = relation.get("attrs")
    return IncomingRelation(
        _get(relation, "head", "relation"),
        _get(relation, "child", "relation"),
        label,
        note,
        _dict(attrs, "relation attrs") if attrs else {},
    )


def _find(wanted: Any, spans: list[IncomingSpan]) -> Any:
    wanted = _dict(wanted, "relation span")
    for span in spans:
        if (span.start, span.end, span.label) == (
            wanted.get("start"),
            wanted.get("end"),
            wanted.get("label"),
        ):
            return span.ref
    raise ValidationError(f'relation points at a span that is not in "spans": {wanted}')


def _doccano_entity(entity: Any) -> IncomingSpan:
    entity = _dict(entity, "entity")
    return IncomingSpan(
        _get(entity, "start_offset", "entity"),
        _get(entity, "end_offset", "entity"),
        _label(_get(entity, "label", "entity")),
        ref=entity.get("id"),
    )


def _doccano_relation(relation: Any) -> IncomingRelation:
    relation = _dict(relation, "relation")
    note = relation.get("note")  # Factmark's doccano export adds these; doccano ignores them
    if note is not None and not isinstance(note, str):
        raise ValidationError(f"a relation note must be a string, got {note!r}")
    attrs = relation.get("attrs")
    return IncomingRelation(
        _get(relation, "from_id", "relation"),
        _get(relation, "to_id", "relation"),
        _label(_get(relation, "type", "relation"), "relation type"),
        note,
        _dict(attrs, "relation attrs") if attrs else {},
    )


def _doccano_triple(triple: list[Any]) -> IncomingSpan:
    if len(triple) != 3:
        raise ValidationError(f"a doccano label must be [start, end, label], got {triple}")
    return IncomingSpan(triple[0], triple[1], _label(triple[2]))


def _label(value: Any, what: str = "span label") -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(f"a {what} must be a non-empty string, got {value!r}")
    return value


def _get(record: dict[str, Any], key: str, what: str) -> Any:
    if key not in record:
        raise ValidationError(f'a {what} has no "{key}" field: {record}')
    return record[key]


def _list(record: dict[str, Any], key: str) -> list[Any]:
    value = record.get(key) or []
    if not isinstance(value, list):
        raise ValidationError(f'"{key}" must be a list')
    return value


def _dict(value: Any, what: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValidationError(f"a {what} must be a JSON object, got {value!r}")
    return dict(value)
