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
annotator (``meta.annotator`` of a result, else ``completed_by``'s e-mail or name; a bare
user number names nobody). A region with several labels gives one span per label.
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
from factmark.core.importing.base import Item, noted
from factmark.core.importing.labelstudio_tasks import UNLABELLED, UNLABELLED_LINK
from factmark.core.model import ValidationError
from factmark.core.text import counted

SUFFIXES = (".json",)
MAX_BYTES = 1 << 30  # the file is parsed whole; past this, memory would be the limit


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
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if not data.strip():
        raise ValidationError("empty file: there is no task to import")
    try:
        tasks = orjson.loads(data)
    except orjson.JSONDecodeError as error:
        raise ValidationError(f"not valid JSON ({str(error).split(':')[0]})") from None
    if isinstance(tasks, dict):
        tasks = [tasks]
    if not isinstance(tasks, list) or not tasks:
        raise ValidationError(
            "not a Label Studio export (a JSON list of tasks, each with its text)"
        )
    return tasks


def left_out(skipped: Counter[str]) -> str | None:
    """The note telling what the file held that no span or field took, with counts.

    Each key is a noun and the words after it, split by ``|``: ``"result| in predictions"``.
    """
    renamed = skipped.pop(UNLABELLED, 0)
    told = [
        f"{counted(number, what.split('|')[0])}{what.split('|')[1]}"
        for what, number in sorted(skipped.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    note = "left out: " + ", ".join(told) if told else ""
    if renamed:
        named = f"{counted(renamed, 'link')} without a label imported as {UNLABELLED_LINK!r}"
        note = f"{note}; {named}" if note else named
    return note or None
