"""Label Studio JSON exports: the full "JSON" export and the flat "JSON_MIN" one.

JSON (Label Studio's own format, also what ``factmark export --format labelstudio``
writes) is a list of tasks (one task alone is taken too)::

    {"id": 17, "data": {"text": ...},
     "annotations": [{"id": 4, "completed_by": {"email": ...}, "was_cancelled": false,
        "result": [
          {"id": "r1", "type": "labels", "from_name": "label", "to_name": "text",
           "value": {"start": 3, "end": 9, "text": ..., "labels": ["claim"]},
           "meta": {"text": ["region note"]}},
          {"id": "r1", "type": "choices", "value": {"start": 3, ..., "choices": ["high"]}},
          {"type": "relation", "from_id": "r1", "to_id": "r2", "direction": "right",
           "labels": ["supports"]}]}],
     "predictions": [...]}

Each task becomes one document; the spans of every annotation are kept, each with its
annotator (``meta.annotator`` of a result, else the annotation's answer in the
``factmark_annotator`` text area Factmark's export names its annotator in, else
``completed_by``'s e-mail or name; a bare user number names nobody). A region with
several labels gives one span per label. Links Factmark's export keeps in the task's
``meta.factmark_links`` (between regions of two annotations, which no relation result
can join) are read too, each end by a region id only one annotation holds.
Results sharing a region's ``id`` (Label Studio's per-region controls) are that span's
attributes (``choices`` and other values, by control name) or its note (``textarea``,
and the region's own ``meta.text``); results on no region are the document's, kept in
its metadata by control name. Relations keep their first label; an unlabelled one is
named ``related``, a ``left`` one is turned round.

JSON_MIN, written by label-studio-converter, is a flat list of records: the task's
data fields, ``id``, ``annotator`` and, for each control, its regions as a list of
``{start, end, text, labels}`` under the control's name; one record per annotation.

Offsets are code points of the task text as Label Studio holds it (its editor counts
``\\r\\n`` as two characters); the stored text then follows the offsets rule, offsets
moving with it. A region's ``text`` must equal the task text at its offsets, or the
task is refused, named by its id. Predictions, drafts and results Factmark cannot
read (image regions, HTML ranges, regions without a label) are counted in a note.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from factmark.core.importing import labelstudio_min, labelstudio_tasks
from factmark.core.importing.base import Item, json_refusal, noted
from factmark.core.importing.labelstudio_tasks import UNLABELLED, UNLABELLED_LINK
from factmark.core.model import ValidationError
from factmark.core.source_files import read_bounded
from factmark.core.text import counted

SUFFIXES = (".json",)
MAX_BYTES = 1 << 30  # the file is parsed whole; past this, memory would be the limit
NAMED = 10  # region entries that are no object named in the report; the rest counted


def read(path: Path) -> Iterator[Item]:
    """One item per task: its document, or its error naming the task."""
    tasks = load(path)
    skipped: Counter[str] = Counter()
    if any(isinstance(t, dict) and isinstance(t.get("data"), dict) for t in tasks):
        items = labelstudio_tasks.read_tasks(tasks, path, skipped)
    else:
        items = labelstudio_min.read_records(tasks, path, skipped)
    yield from noted(items, lambda: left_out(skipped))


def load(path: Path) -> list[Any]:
    """The file's tasks, or ValidationError for a file that is no Label Studio export."""
    if path.stat().st_size > MAX_BYTES:
        raise ValidationError(
            f"the file is larger than {MAX_BYTES >> 30} GiB; split the export to import it"
        )
    data = read_bounded(path, MAX_BYTES, "a Label Studio export")  # it may grow meanwhile
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if not data.strip():
        raise ValidationError("empty file: there is no task to import")
    try:
        tasks = orjson.loads(data)
    except orjson.JSONDecodeError as error:
        raise ValidationError(json_refusal(error)) from None
    if isinstance(tasks, dict):
        tasks = [tasks]
    if not isinstance(tasks, list) or not tasks:
        raise ValidationError(
            "not a Label Studio export (a JSON list of tasks, each with its text)"
        )
    return tasks


def left_out(skipped: Counter[str]) -> str | None:
    """The note telling what the file held that no span or field took, with counts,
    and the answers of JSON_MIN kept in documents' metadata for want of their region.

    Each key is a noun and the words after it, split by ``|``: ``"result| in predictions"``.
    """
    renamed = skipped.pop(UNLABELLED, 0)
    not_objects = _not_objects(skipped)
    unplaced = _taken(skipped, labelstudio_min.UNPLACED)
    maybe = _taken(skipped, labelstudio_min.MAYBE_ON_REGIONS)
    told = [
        f"{counted(number, what.split('|')[0])}{what.split('|')[1]}"
        for what, number in sorted(skipped.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    notes = ["left out: " + ", ".join(told)] if told else []
    notes += not_objects
    if renamed:
        notes.append(f"{counted(renamed, 'link')} without a label imported as {UNLABELLED_LINK!r}")
    if unplaced:
        answers = ", ".join(f"{counted(n, 'answer')} of {name!r}" for name, n in unplaced)
        notes.append(
            f"kept in the documents' metadata: {answers} on regions JSON_MIN does not name, "
            "as it writes an answer of one choice or one line without its region and the "
            "annotation had several regions it could be on"
        )
    if maybe:
        controls = ", ".join(f"{name!r} in {counted(n, 'record')}" for name, n in maybe)
        notes.append(
            f"kept in the documents' metadata, though they may be answers on regions: "
            f"{controls}, as JSON_MIN writes an answer of one choice or one line without "
            "its region and Label Studio's JSON export keeps it"
        )
    return "; ".join(notes) or None


def _not_objects(skipped: Counter[str]) -> list[str]:
    """The entries of JSON_MIN region lists that are no object, taken out of ``skipped``
    and told by record and control: ``record 3: region 2 of 'label' is not an object:
    left out`` (up to :data:`NAMED` places and records named, the rest counted)."""
    places: dict[tuple[str, str], list[str]] = {}
    for key in [key for key in skipped if key.startswith(labelstudio_min.NOT_AN_OBJECT)]:
        del skipped[key]
        record, rest = key.removeprefix(labelstudio_min.NOT_AN_OBJECT).split("|", 1)
        control, place = rest.rsplit("|", 1)
        places.setdefault((record, control), []).append(place)
    told = []
    for (record, control), found in list(places.items())[:NAMED]:
        shown = [*found[:NAMED], f"{len(found) - NAMED:,} more"] if len(found) > NAMED else found
        named = " and ".join([", ".join(shown[:-1]), shown[-1]] if len(shown) > 1 else shown)
        what = "region" if len(found) == 1 else "regions"
        verb = "is not an object" if len(found) == 1 else "are not objects"
        told.append(f"record {record}: {what} {named} of {control!r} {verb}: left out")
    if len(places) > NAMED:
        more = counted(len(places) - NAMED, "more record")
        told.append(f"{more} with regions that are not objects: left out")
    return told


def _taken(skipped: Counter[str], prefix: str) -> list[tuple[str, int]]:
    """The counts whose key starts with ``prefix``, by the rest of the key, taken out."""
    keys = sorted(key for key in skipped if key.startswith(prefix))
    return [(key.removeprefix(prefix), skipped.pop(key)) for key in keys]
