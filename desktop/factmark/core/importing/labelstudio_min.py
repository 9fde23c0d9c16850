"""Label Studio's JSON_MIN export (label-studio-converter ``convert_to_json_min``).

One flat record per annotation: the task's data fields, ``id``, the controls' results
under each control's name, then ``annotator``, ``annotation_id``, ``created_at``,
``updated_at``, ``lead_time`` (in that order: ``convert_to_json_min`` copies the task
data, sets ``id``, adds the controls and then the rest). Text regions come as a list of
``{start, end, text, labels}``. The converter's ``prettify_result`` writes an answer
(a Choices or TextArea result) of exactly one choice (or one line) as that bare string,
its region left out, and an answer of several as the result's value, region included:

- one result: the bare string, or the value ``{start, end, text, choices: [...]}`` (a
  per-region answer; it goes to the span at its offsets, as the full export's does, the
  choices as a list) or ``{choices: [...]}`` (the document's);
- several results (only a per-region control has several in one annotation, one on
  each region): a list of them, bare strings and values mixed.

So a bare string may be the document's answer or an answer on a region, and which region
is not written. It goes onto a span only where the file says which: the control answers
on regions (somewhere in the file it has a value with offsets, which also tells a choice,
an attribute, from a text area's line, a note), and its bare answers in a record are as
many as the regions of that annotation holding none of its answers, all alike (one answer
and one such region, the usual case): each of those regions gets it. Otherwise it stays
in the document's metadata under the control's name, and the import report says so:
how many answers of a control known to be on regions could not be placed, and which
controls of a record with regions may be answers on regions (unless the file shows them
answered on a document without regions: then they are the document's).
Records of one task (same ``id``) become one document holding every annotation's
spans, each with its annotator: the record's ``factmark_annotator`` (the text area
Factmark's export names an annotation's annotator in), else its ``annotator``.
Relations are not in JSON_MIN (the converter drops them).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from factmark.core.importing import labelstudio_tasks as full
from factmark.core.importing.base import Item
from factmark.core.incoming import IncomingDocument, IncomingSpan
from factmark.core.model import STATUSES, ValidationError

# What the converter adds to each record besides the task data and the results.
_BOOKKEEPING = ("id", "annotator", "annotation_id", "created_at", "updated_at", "lead_time")
# Factmark's own fields: its export's data, and the text area naming the annotator.
_OWN = ("factmark_id", "factmark_status", "title", full.ANNOTATOR_CONTROL)
_NOT_META = (*_BOOKKEEPING, "agreement", *_OWN)
# Keys of the report's counts (see labelstudio.left_out): answers of a control on
# regions that could not be placed, and records whose bare answers may be on regions.
UNPLACED = "unplaced|"
MAYBE_ON_REGIONS = "maybe on regions|"
# The entries of a region list that are no JSON object: the key's rest is the record's
# number, the control and the entry's place (``3|label|2``).
NOT_AN_OBJECT = "not an object|"


@dataclass
class _Controls:
    """What the whole file says of its controls: those answering on regions, with the
    kind of their answers (``attr`` or ``note``), and those answering on documents."""

    on_regions: dict[str, str] = field(default_factory=dict)
    on_documents: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, records: list[Any]) -> _Controls:
        found = cls()
        for record in records:
            if not isinstance(record, dict):
                continue
            regions = any(map(_labelled, record.values()))
            controls = _control_names(record)
            for name, value in record.items():
                for item in value if isinstance(value, list) else [value]:
                    if _on_region(item) and (answer := _answer(item)) is not None:
                        found.on_regions.setdefault(name, answer[0])
                if (isinstance(value, dict) and not _on_region(value)) or (
                    not regions and name in controls and isinstance(value, str)
                ):
                    found.on_documents.add(name)  # {choices: [...]}, or no region to be on
        return found


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
    controls = _Controls.of(records)
    for group in tasks.values():
        index, first = group[0]
        try:
            yield Item(None, _task(group, path, skipped, controls))
        except ValidationError as error:
            yield Item(None, ValidationError(f"{full.where(first, index)}: {error}"))


def _task(
    group: list[tuple[int, dict[str, Any]]],
    path: Path,
    skipped: Counter[str],
    known: _Controls,
) -> IncomingDocument:
    first = group[0][1]
    regions = [
        {"value": item}
        for value in first.values()
        if isinstance(value, list)
        for item in value
        if isinstance(item, dict)
    ]
    data = {k: v for k, v in first.items() if k not in (*_BOOKKEEPING, full.ANNOTATOR_CONTROL)}
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
    for number, (index, record) in enumerate(group):
        if record.get(key) != text:
            raise ValidationError(f"its records do not all hold the same {key!r}")
        # Factmark's export names the annotator in a text area; ``annotator`` is then
        # Label Studio's account that imported it, or nobody.
        named = record.get(full.ANNOTATOR_CONTROL)
        annotator = full.named_annotator({"value": {"text": named}}) or full.annotator_name(
            record.get("annotator")
        )
        who = annotator or str(record.get("annotation_id", number + 1))
        controls = [(c, v) for c, v in record.items() if c != key and c not in _NOT_META]
        # Labelled regions first: the answers on them find their spans whatever the order.
        controls.sort(key=lambda item: not _labelled(item[1]))
        has_regions = any(_labelled(v) for _, v in controls)
        written_as_controls = _control_names(record)
        for control, value in controls:
            if _labelled(value) and not all(isinstance(x, dict) for x in value):
                _not_objects(value, index, control, skipped)  # the regions are kept
                _regions(document, number, control, value, annotator, skipped)
                continue
            bare = _bare(value)
            if bare is not None and control in known.on_regions:
                answers, strings = bare
                _regions(document, number, control, answers, annotator, skipped)
                if not _place(document, number, control, answers, strings, known):
                    skipped[f"{UNPLACED}{control}"] += len(strings)
                    by_control.setdefault(control, []).append((who, _one_or_all(strings)))
            elif isinstance(value, dict) and ("start" in value or "end" in value):
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
                if (
                    bare is not None
                    and has_regions
                    and control in written_as_controls
                    and control not in known.on_documents
                ):
                    skipped[f"{MAYBE_ON_REGIONS}{control}"] += 1
                by_control.setdefault(control, []).append((who, value))
    document.meta.update(full.merged_controls(by_control))
    return document


def _not_objects(value: list[Any], index: int, control: str, skipped: Counter[str]) -> None:
    """Count, each by its record (``index``, from 0) and its place in the list, the
    entries of a list of labelled regions that are no region (a string, a list): they
    are left out, and the report names them."""
    for place, item in enumerate(value):
        if not isinstance(item, dict):
            skipped[f"{NOT_AN_OBJECT}{index + 1}|{control}|{place + 1}"] += 1


def _control_names(record: dict[str, Any]) -> set[str]:
    """The keys the converter wrote a control's results under: those between ``id`` and
    ``annotator`` (none when the record is not in the converter's order; when the task
    data holds an ``id`` of its own, the data fields after it are among them)."""
    keys = list(record)
    if "id" not in record or "annotator" not in record:
        return set()
    first, last = keys.index("id"), keys.index("annotator")
    return set(keys[first + 1 : last]) if first < last else set()


def _on_region(item: Any) -> bool:
    """Whether ``item`` is an answer's value with offsets (not a labelled region)."""
    return isinstance(item, dict) and "labels" not in item and ("start" in item or "end" in item)


def _bare(value: Any) -> tuple[list[dict[str, Any]], list[str]] | None:
    """A control's results holding answers written bare (strings), as (values with
    offsets, bare strings); None when there is no bare string among them."""
    if isinstance(value, str):
        return [], [value]
    if not isinstance(value, list) or not all(
        isinstance(item, str) or _on_region(item) for item in value
    ):
        return None
    strings = [item for item in value if isinstance(item, str)]
    return ([item for item in value if isinstance(item, dict)], strings) if strings else None


def _place(
    document: IncomingDocument,
    number: int,
    control: str,
    answers: list[dict[str, Any]],
    strings: list[str],
    known: _Controls,
) -> bool:
    """Put the bare answers of one annotation's control on its regions where the file
    says which (see the module); whether they were put."""
    regions: dict[Any, list[IncomingSpan]] = {}  # a region with several labels: a span each
    for span in document.spans:
        if span.ref and span.ref[0] == number:
            regions.setdefault(span.ref[:2], []).append(span)
    taken = [(item.get("start"), item.get("end")) for item in answers]  # any JSON: a list
    free = [spans for spans in regions.values() if (spans[0].start, spans[0].end) not in taken]
    if len(free) != len(strings) or len(set(strings)) != 1:
        return False
    kind = known.on_regions[control]
    for spans in free:
        for span in spans:
            _attach(span, control, kind, [strings[0]] if kind == "note" else strings[0])
    return True


def _one_or_all(strings: list[str]) -> str | list[str]:
    return strings[0] if len(strings) == 1 else strings


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
    items: list[Any],
    annotator: str | None,
    skipped: Counter[str],
) -> None:
    """A control's results: labelled regions become spans; per-region answers (no
    ``labels``) go to the span of this annotation at the same offsets. An entry that is
    no object is passed over (:func:`_not_objects` counts it)."""
    own = [s for s in document.spans if s.ref and s.ref[0] == number]
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            continue
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
