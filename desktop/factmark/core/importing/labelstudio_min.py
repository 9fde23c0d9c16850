"""Label Studio's JSON_MIN export (label-studio-converter ``convert_to_json_min``).

One flat record per annotation: the task's data fields, ``id``, ``annotator``,
``annotation_id``, ``created_at``, ``updated_at``, ``lead_time``, and per control its
results under the control's name: text regions as a list of
``{start, end, text, labels}``, per-region answers as ``{start, end, ..., choices}``
(or ``text: [...]`` for a text area), a document's single choice as a plain string.
A control with one result whose answer is a single choice (or one line of text) is
written as that bare value, its region left out: it can only be the document's. With
several choices (or lines) the converter keeps the region, as one object rather than a
list: that answer goes to the span at its offsets, as the full export's does (the
choices as a list, one choice as text).
Records of one task (same ``id``) become one document holding every annotation's
spans. Relations are not in JSON_MIN (the converter drops them).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from factmark.core.importing import labelstudio_tasks as full
from factmark.core.importing.base import Item
from factmark.core.incoming import IncomingDocument, IncomingSpan
from factmark.core.model import STATUSES, ValidationError

# What the converter adds to each record besides the task data and the results.
_BOOKKEEPING = ("id", "annotator", "annotation_id", "created_at", "updated_at", "lead_time")
_NOT_META = (*_BOOKKEEPING, "agreement", "factmark_id", "factmark_status", "title")


def read_records(records: list[Any], path: Path, skipped: Counter[str]) -> Iterator[Item]:
    """One item per task: the records sharing an ``id`` (else a text) merged."""
    tasks: dict[Any, list[tuple[int, dict[str, Any]]]] = {}
    for index, record in enumerate(records):
        if not isinstance(record, dict):
            yield Item(None, ValidationError(f"{full.where(record, index)}: not a JSON object"))
            continue
        key = record.get("id")
        if not isinstance(key, str | int):
            key = ("#", index)
        tasks.setdefault(key, []).append((index, record))
    for group in tasks.values():
        index, first = group[0]
        try:
            yield Item(None, _task(group, path, skipped))
        except ValidationError as error:
            yield Item(None, ValidationError(f"{full.where(first, index)}: {error}"))


def _task(
    group: list[tuple[int, dict[str, Any]]], path: Path, skipped: Counter[str]
) -> IncomingDocument:
    first = group[0][1]
    regions = [
        {"value": item}
        for value in first.values()
        if isinstance(value, list)
        for item in value
        if isinstance(item, dict)
    ]
    data = {k: v for k, v in first.items() if k not in _BOOKKEEPING}
    key = full.text_key(data, regions)
    text: str = first[key]
    status = first.get("factmark_status")
    if status not in STATUSES:
        answered = any(r.get("annotation_id") is not None for _, r in group)
        status = "done" if answered else "new"
    meta: dict[str, Any] = {}
    if "factmark_id" not in first and isinstance(first.get("id"), str | int):
        meta["source_id"] = first["id"]
    document = IncomingDocument(text, full._title(first, text, path), meta, str(status))
    by_control: dict[str, list[tuple[str, Any]]] = {}
    for number, (_, record) in enumerate(group):
        if record.get(key) != text:
            raise ValidationError(f"its records do not all hold the same {key!r}")
        annotator = full.annotator_name(record.get("annotator"))
        who = annotator or str(record.get("annotation_id", number + 1))
        controls = [(c, v) for c, v in record.items() if c != key and c not in _NOT_META]
        # Labelled regions first: the answers on them find their spans whatever the order.
        controls.sort(key=lambda item: not _labelled(item[1]))
        for control, value in controls:
            if isinstance(value, dict) and ("start" in value or "end" in value):
                _regions(document, number, control, [value], annotator, skipped)
            elif _answers_on_regions(value):
                _regions(document, number, control, value, annotator, skipped)
            elif _answers_on_document(value):  # e.g. a rating: [{"rating": 4}]
                by_control.setdefault(control, []).append((who, next(iter(value[0].values()))))
            elif isinstance(value, list) and value and all(isinstance(x, dict) for x in value):
                skipped[f"result| of {control} with no text offsets"] += len(value)
            elif isinstance(value, dict) and isinstance(value.get("choices"), list):
                by_control.setdefault(control, []).append((who, value["choices"]))
            else:
                by_control.setdefault(control, []).append((who, value))
    document.meta.update(full.merged_controls(by_control))
    return document


def _labelled(value: Any) -> bool:
    """Whether a field holds labelled text regions (spans)."""
    return isinstance(value, list) and any(isinstance(x, dict) and "labels" in x for x in value)


def _answers_on_regions(value: Any) -> bool:
    """Whether a field holds a control's results on text regions (with offsets)."""
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(x, dict) for x in value)
        and any("labels" in x or "start" in x or "end" in x for x in value)
    )


def _answers_on_document(value: Any) -> bool:
    """Whether a field holds one answer on the whole text, kept under its kind."""
    return (
        isinstance(value, list)
        and len(value) == 1
        and isinstance(value[0], dict)
        and len(value[0]) == 1
    )


def _regions(
    document: IncomingDocument,
    number: int,
    control: str,
    items: list[dict[str, Any]],
    annotator: str | None,
    skipped: Counter[str],
) -> None:
    """A control's results: labelled regions become spans; per-region answers (no
    ``labels``) go to the span of this annotation at the same offsets."""
    own = [s for s in document.spans if s.ref and s.ref[0] == number]
    for index, item in enumerate(items):
        if "labels" in item:
            result = {"id": f"{control}[{index}]", "value": item}
            document.spans.extend(
                full.region_spans(document.text, result, (number,), annotator, skipped)
            )
            continue
        answer = _answer(item)
        at = [s for s in own if (s.start, s.end) == (item.get("start"), item.get("end"))]
        if answer is None or not at:
            skipped[f"result| of {control} on no labelled region"] += 1
            continue
        for span in at:
            _attach(span, control, *answer)


def _answer(item: dict[str, Any]) -> tuple[str, Any] | None:
    """The kind and value of a per-region answer: a text area's lines, or one value
    (choices, rating, number...) besides the region's own fields."""
    if isinstance(item.get("text"), list):
        return "note", item["text"]
    rest = {k: v for k, v in item.items() if k not in ("start", "end", "text")}
    if len(rest) != 1:
        return None
    ((kind, value),) = rest.items()
    if kind == "choices" and isinstance(value, list) and len(value) == 1:
        value = value[0]
    return "attr", value


def _attach(span: IncomingSpan, control: str, kind: str, value: Any) -> None:
    if kind == "note":
        span.note = full.joined(span.note, value)
    else:
        span.attrs[control] = value
