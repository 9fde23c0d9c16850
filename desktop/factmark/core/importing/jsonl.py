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
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from factmark.core.importing.base import Item
from factmark.core.model import (
    STATUSES,
    IncomingDocument,
    IncomingRelation,
    IncomingSpan,
    ValidationError,
)
from factmark.core.text import text_uid

SUFFIXES = (".jsonl", ".ndjson")
_ANSWERS = {"accept": "done", "reject": "skipped", "ignore": "skipped"}


def read(path: Path) -> Iterator[Item]:
    """One item per non-empty line: a document, or that line's error."""
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data:
        raise ValidationError("binary file (it holds NUL bytes), not JSON Lines")
    if not data.strip():
        raise ValidationError("empty file: there is no document to import")
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if not raw.strip():
            continue
        try:
            yield Item(number, parse_record(_load(raw)))
        except ValidationError as error:
            yield Item(number, error)


def _load(raw: bytes) -> Any:
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        reason = str(error).split(":")[0]
        raise ValidationError(f"not valid JSON ({reason})") from None


def parse_record(record: Any) -> IncomingDocument:
    """Turn one decoded JSON object into a document, whatever shape it has."""
    if not isinstance(record, dict):
        raise ValidationError('a line must be a JSON object with a "text" field')
    text = record.get("text")
    if not isinstance(text, str):
        raise ValidationError('no "text" field (each line needs the article text)')
    meta = _dict(record.get("meta"), "meta")
    source_id = record.get("id")
    if source_id is not None and source_id != text_uid(text) and "source_id" not in meta:
        meta["source_id"] = source_id
    title = record.get("title") or _first_line(text)
    if not isinstance(title, str):
        raise ValidationError('"title" must be a string')
    spans, relations = _annotations(record)
    return IncomingDocument(text, title, meta, _status(record), spans, relations)


def _first_line(text: str, limit: int = 80) -> str:
    """A title for a record that has none: its first line, cut at a word near ``limit``."""
    line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if len(line) <= limit:
        return line
    cut = line.rfind(" ", 0, limit)
    return line[: cut if cut > limit // 2 else limit].rstrip() + "…"


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
        spans = [_factmark_span(s, i, annotator) for i, s in enumerate(_list(record, "spans"))]
        return spans, [_factmark_relation(r, spans) for r in _list(record, "relations")]
    if "entities" in record:
        spans = [_doccano_entity(e) for e in _list(record, "entities")]
        return spans, [_doccano_relation(r) for r in _list(record, "relations")]
    labels = record.get("label")
    if isinstance(labels, list) and all(isinstance(x, list) for x in labels):
        return [_doccano_triple(x) for x in labels], []
    return [], []


def _factmark_span(span: Any, index: int, annotator: Any) -> IncomingSpan:
    span = _dict(span, "span")
    ref = span.get("id", ("#", index))
    return IncomingSpan(
        start=_get(span, "start", "span"),
        end=_get(span, "end", "span"),
        label=_label(_get(span, "label", "span")),
        annotator=span.get("annotator", annotator),
        note=span.get("note"),
        attrs=_dict(span.get("attrs"), "span attrs"),
        ref=ref,
        text=span.get("text"),
    )


def _factmark_relation(relation: Any, spans: list[IncomingSpan]) -> IncomingRelation:
    relation = _dict(relation, "relation")
    label = _label(_get(relation, "label", "relation"), "relation label")
    if "head_span" in relation and "child_span" in relation:
        # Prodigy: head/child are token indices; the span objects identify the spans.
        return IncomingRelation(
            _find(relation["head_span"], spans), _find(relation["child_span"], spans), label
        )
    return IncomingRelation(
        _get(relation, "head", "relation"), _get(relation, "child", "relation"), label
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
    return IncomingRelation(
        _get(relation, "from_id", "relation"),
        _get(relation, "to_id", "relation"),
        _label(_get(relation, "type", "relation"), "relation type"),
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
