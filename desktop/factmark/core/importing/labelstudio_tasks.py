"""Label Studio's full JSON export: tasks with annotations, and what the JSON_MIN
reader shares with it (the text field, regions checked against the text, annotators).
See :mod:`factmark.core.importing.labelstudio` for the shapes and the choices made."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeGuard

import orjson

from factmark.core.importing.base import Item, title_from
from factmark.core.incoming import IncomingDocument, IncomingRelation, IncomingSpan
from factmark.core.model import STATUSES, ValidationError

UNLABELLED_LINK = "related"
UNLABELLED = "link| without a label"  # counted apart: these are imported, not left out
# What Factmark's export names an annotation's annotator in (a text area's answer), and
# the task meta key of its links between two annotations' regions.
ANNOTATOR_CONTROL = "factmark_annotator"
LINKS_ACROSS = "factmark_links"
# What Factmark's own export adds to each task's data; not copied into metadata.
_OWN_DATA = ("title", "factmark_id", "factmark_status")
_CHOICE_TYPES = ("choices",)
# Where a control keeps its answer in ``value`` when the key is not the type's name
# (each tag's ``valueType`` in Label Studio's editor).
VALUE_KEYS = {"textarea": "text", "pairwise": "selected"}
_NOTE_TYPES = ("textarea",)


def where(task: Any, index: int) -> str:
    """How a message names a task: by its id, else by its place in the file."""
    if isinstance(task, dict) and isinstance(task.get("id"), str | int):
        return f"task {task['id']}"
    return f"task #{index + 1} (it has no id)"


def read_tasks(tasks: list[Any], path: Path, skipped: Counter[str]) -> Iterator[Item]:
    for index, task in enumerate(tasks):
        try:
            yield Item(None, _task(task, path, skipped))
        except ValidationError as error:
            yield Item(None, ValidationError(f"{where(task, index)}: {error}"))


def _task(task: Any, path: Path, skipped: Counter[str]) -> IncomingDocument:
    if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
        raise ValidationError('a task must be a JSON object with a "data" object')
    data: dict[str, Any] = task["data"]
    annotations = _list(task.get("annotations", task.get("completions")), "annotations")
    key = text_key(data, [r for a in annotations if isinstance(a, dict) for r in _results(a)])
    text: str = data[key]
    meta = {k: v for k, v in data.items() if k != key and k not in _OWN_DATA}
    if "factmark_id" not in data and isinstance(task.get("id"), str | int):
        meta["source_id"] = task["id"]
    for kind in ("predictions", "drafts"):
        regions = sum(len(_results(p)) for p in _list(task.get(kind), kind) if isinstance(p, dict))
        if regions:
            skipped[f"result| in {kind}"] += regions
    document = IncomingDocument(text, _title(data, text, path), meta, _status(data, annotations))
    by_control: dict[str, list[tuple[str, Any]]] = {}
    held: dict[str, list[list[IncomingSpan]]] = {}  # region id -> each annotation's spans
    for number, annotation in enumerate(annotations):
        if not isinstance(annotation, dict):
            raise ValidationError("an annotation must be a JSON object")
        own = _annotation(document, number, annotation, by_control, skipped)
        for region, spans in own.items():
            held.setdefault(region, []).append(spans)
    _links_across(document, task.get("meta"), held, skipped)
    document.meta.update(merged_controls(by_control))
    return document


def _links_across(
    document: IncomingDocument,
    meta: Any,
    regions: dict[str, list[list[IncomingSpan]]],
    skipped: Counter[str],
) -> None:
    """The links Factmark's export keeps in the task's ``meta`` (``factmark_links``):
    they join regions of two annotations, which no relation result can. A region id
    held by several annotations names no span."""
    links = meta.get(LINKS_ACROSS) if isinstance(meta, dict) else None
    if not isinstance(links, list):
        return
    unique = {region: held[0] for region, held in regions.items() if len(held) == 1}
    for link in links:
        if isinstance(link, dict):
            _relation(document, link, unique, skipped)
        else:
            skipped["link| to a region that is no span"] += 1


def merged_controls(by_control: dict[str, list[tuple[str, Any]]]) -> dict[str, Any]:
    """Document-level answers by control name: the value when all annotations agree,
    else each annotator's (or annotation's) value. An answer nested deeper than JSON
    can be stored (255 levels) refuses the task."""
    merged: dict[str, Any] = {}
    for control, values in by_control.items():
        try:
            same = len({orjson.dumps(value) for _, value in values}) == 1
        except orjson.JSONEncodeError:
            raise ValidationError(
                f"the answer of {control!r} is nested more than 255 levels deep, too deep to store"
            ) from None
        merged[control] = values[0][1] if same else dict(values)
    return merged


def text_key(data: dict[str, Any], regions: list[Any]) -> str:
    """The data field holding the text: ``text``, else the only string field, else the
    one string field every region's ``text`` agrees with."""
    if isinstance(data.get("text"), str):
        return "text"
    strings = [k for k, v in data.items() if isinstance(v, str) and k not in _OWN_DATA]
    if len(strings) > 1:
        strings = [k for k in strings if _fits(data[k], regions)] or strings
    if len(strings) == 1:
        return strings[0]
    if not strings:
        raise ValidationError("its data holds no text (no string field)")
    raise ValidationError(
        f"its data holds several texts ({', '.join(map(repr, strings))}) and none is "
        'named "text"; rename the one to import'
    )


def _fits(text: str, regions: list[Any]) -> bool:
    values = [r.get("value") for r in regions if isinstance(r, dict)]
    spans = [v for v in values if isinstance(v, dict) and isinstance(v.get("text"), str)]
    return bool(spans) and all(
        isinstance(v.get("start"), int)
        and isinstance(v.get("end"), int)
        and text[v["start"] : v["end"]] == v["text"]
        for v in spans
    )


def _title(data: dict[str, Any], text: str, path: Path) -> str:
    title = data.get("title")
    return title if isinstance(title, str) and title.strip() else title_from(text, path)


def _status(data: dict[str, Any], annotations: list[Any]) -> str:
    """Factmark's own status when the task carries it; else done when someone submitted
    an annotation, skipped when every annotation was skipped, new when there is none."""
    own = data.get("factmark_status")
    if own in STATUSES:
        return str(own)
    answers = [a for a in annotations if isinstance(a, dict)]
    if not answers:
        return "new"
    if all(a.get("was_cancelled") or a.get("skipped") for a in answers):
        return "skipped"
    return "done"


def _annotation(
    document: IncomingDocument,
    number: int,
    annotation: dict[str, Any],
    by_control: dict[str, list[tuple[str, Any]]],
    skipped: Counter[str],
) -> dict[str, list[IncomingSpan]]:
    """Read one annotation into ``document``; returns its regions' spans by region id."""
    results = _results(annotation)
    for result in results:
        if not isinstance(result, dict):
            raise ValidationError("a result must be a JSON object")
    named = [named_annotator(r) for r in results if r.get("from_name") == ANNOTATOR_CONTROL]
    annotator = next(filter(None, named), None) or annotator_name(annotation.get("completed_by"))
    spans: dict[str, list[IncomingSpan]] = {}
    for result in results:
        if result.get("type") == "labels":
            region_id = str(result.get("id"))
            found = region_spans(document.text, result, (number,), annotator, skipped)
            if found and region_id in spans:
                raise ValidationError(f"two labelled regions share the id {result.get('id')!r}")
            if found:
                spans[region_id] = found
    for result in results:
        kind = result.get("type")
        if kind == "labels" or result.get("from_name") == ANNOTATOR_CONTROL:
            continue
        if kind == "relation":
            _relation(document, result, spans, skipped)
            continue
        value = result.get("value")
        read = (
            value.get(VALUE_KEYS.get(kind, kind))
            if isinstance(value, dict) and isinstance(kind, str)
            else None
        )
        if read is None or kind.endswith("labels"):  # regions of images, audio, HTML...
            skipped[f"result| of type {kind}"] += 1
            continue
        region = spans.get(str(result.get("id")))
        control = str(result.get("from_name") or kind)
        if region is None:
            who = annotator or str(annotation.get("id", number + 1))
            by_control.setdefault(control, []).append((who, read))
        elif kind in _NOTE_TYPES:
            for span in region:
                span.note = joined(span.note, read)
        else:
            single = kind in _CHOICE_TYPES and isinstance(read, list) and len(read) == 1
            for span in region:
                span.attrs[control] = read[0] if single else read
    for region in spans.values():
        document.spans.extend(region)
    return spans


def named_annotator(result: dict[str, Any]) -> str | None:
    """The annotator Factmark's export names in an annotation's ``factmark_annotator``
    text area (its first line), or None."""
    value = result.get("value")
    lines = value.get("text") if isinstance(value, dict) else None
    lines = [lines] if isinstance(lines, str) else lines if isinstance(lines, list) else []
    return next((x.strip() for x in lines if isinstance(x, str) and x.strip()), None)


def region_spans(
    text: str,
    result: dict[str, Any],
    scope: tuple[Any, ...],
    annotator: str | None,
    skipped: Counter[str],
) -> list[IncomingSpan]:
    """The spans of one ``labels`` region (one per label), its text checked against
    the task text; ``scope`` keeps region ids of different annotations apart."""
    value = result.get("value")
    if not isinstance(value, dict):
        raise ValidationError(f"region {result.get('id')!r} has no value")
    start, end, labels = value.get("start"), value.get("end"), value.get("labels")
    if not (_whole(start) and _whole(end)):
        skipped["region| without character offsets"] += 1
        return []
    if not isinstance(labels, list) or not labels:
        skipped["region| without a label"] += 1
        return []
    region_id = result.get("id")
    for label in labels:
        if not isinstance(label, str) or not label.strip():
            raise ValidationError(f"region {region_id!r} has a label that is no name: {label!r}")
    check_region(text, start, end, value.get("text"), region_id)
    meta: dict[str, Any] = result["meta"] if isinstance(result.get("meta"), dict) else {}
    who = meta.get("annotator") if isinstance(meta.get("annotator"), str) else annotator
    attrs = meta.get("attrs")
    spans = []
    for number, label in enumerate(labels):
        ref = (*scope, region_id) if number == 0 else (*scope, region_id, number)
        spans.append(
            IncomingSpan(
                start,
                end,
                label,
                annotator=who,
                note=joined(None, meta.get("text")),
                attrs=dict(attrs) if isinstance(attrs, dict) else {},
                ref=ref,
                text=value.get("text") if isinstance(value.get("text"), str) else None,
            )
        )
    return spans


def _whole(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def check_region(text: str, start: int, end: int, said: Any, region: Any) -> None:
    """Refuse a region outside the text or whose ``text`` is not the text there."""
    if not 0 <= start < end <= len(text):
        raise ValidationError(
            f"region {region!r} at {start}-{end} is outside its text (length {len(text)}) or empty"
        )
    if not isinstance(said, str) or text[start:end] == said:
        return
    hint = ""
    units = text.encode("utf-16-le", "surrogatepass")
    if units[2 * start : 2 * end].decode("utf-16-le", "replace") == said:
        hint = " (its offsets count UTF-16 units, as Label Studio before 1.0 did)"
    raise ValidationError(
        f"region {region!r} at {start}-{end} says {said!r} but the text there is "
        f"{text[start:end]!r}{hint}"
    )


def annotator_name(completed_by: Any) -> str | None:
    """Who made an annotation, when Label Studio says it by e-mail or name (its
    export expands ``completed_by`` to ``{id, email, first_name, last_name}``); a
    bare user number names nobody outside that Label Studio instance."""
    if isinstance(completed_by, str) and completed_by.strip():
        return completed_by.strip()
    if isinstance(completed_by, dict):
        email = completed_by.get("email")
        if isinstance(email, str) and email.strip():
            return email.strip()
        parts = [completed_by.get(k) for k in ("first_name", "last_name")]
        name = " ".join(p.strip() for p in parts if isinstance(p, str) and p.strip())
        return name or None
    return None


def _relation(
    document: IncomingDocument,
    result: dict[str, Any],
    spans: dict[str, list[IncomingSpan]],
    skipped: Counter[str],
) -> None:
    ends = [spans.get(str(result.get(k))) for k in ("from_id", "to_id")]
    if not ends[0] or not ends[1]:
        skipped["link| to a region that is no span"] += 1
        return
    head, child = ends[0][0].ref, ends[1][0].ref
    if result.get("direction") == "left":
        head, child = child, head
    labels = result.get("labels")
    labels = labels if isinstance(labels, list) else []
    names = [x for x in labels if isinstance(x, str) and x.strip()]
    if not names:
        skipped[UNLABELLED] += 1
    # Factmark's export keeps a link's note and attributes in the result's meta (Label
    # Studio's relation has labels and a direction only; it keeps meta as imported).
    meta: dict[str, Any] = result["meta"] if isinstance(result.get("meta"), dict) else {}
    attrs = meta.get("attrs")
    attrs = dict(attrs) if isinstance(attrs, dict) else {}
    note = joined(None, meta.get("text"))
    for name in names or [UNLABELLED_LINK]:
        document.relations.append(IncomingRelation(head, child, name, note, attrs))


def joined(note: str | None, more: Any) -> str | None:
    """A note with ``more`` (a string or Label Studio's list of strings) added below."""
    lines = [more] if isinstance(more, str) else more if isinstance(more, list) else []
    lines = [x for x in lines if isinstance(x, str) and x]
    if not lines:
        return note
    return "\n".join([note, *lines] if note else lines)


def _results(annotation: dict[str, Any]) -> list[Any]:
    return _list(annotation.get("result"), "result")


def _list(value: Any, what: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValidationError(f'"{what}" must be a list')
    return value
