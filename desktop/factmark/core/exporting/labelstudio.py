"""Label Studio JSON tasks, with the labeling config Label Studio needs beside them.

``corpus.json`` is a JSON array of tasks, one per document::

    {"id": 1, "data": {"text": ..., "title": ..., "factmark_id": uid, "factmark_status": ...},
     "annotations": [{"result": [
        {"id": "s1", "from_name": "label", "to_name": "text", "type": "labels",
         "value": {"start": 13, "end": 82, "text": ..., "labels": ["claim"]},
         "meta": {"annotator": ..., "text": [note], "attrs": {...}}},
        {"type": "relation", "from_id": "s5", "to_id": "s1", "direction": "right",
         "labels": ["attributed_to"], "meta": {"text": [note], "attrs": {"quote": ...}}}]}]}

and ``corpus.labeling-config.xml`` the ``<View>`` to paste into the project's labeling
interface (every project label with its colour and key, the relation types, and
``<Text name="text" value="$text"/>``).

Choices made here:

- Each task has an ``id``, its place in the export (1, 2, ...): label-studio-converter
  reads ``task["id"]`` for every format and fails without it. Label Studio itself
  gives imported tasks ids of its own.

- Factmark's spans are people's work, so they go into ``annotations``, not
  ``predictions`` (which Label Studio shows as a model's pre-annotations to review).
  A document gets an annotation when it has spans or is done or skipped (a done
  document without spans says "nothing to label here"); a skipped document's
  annotation is ``was_cancelled``, Label Studio's "skipped". Unfinished documents
  without spans have none and stay unlabeled tasks.
- The annotator is not ``completed_by``: on import Label Studio resolves that to an
  account of the instance (by e-mail or user id) and refuses unknown ones
  (``_insert_valid_completed_by`` in ``label_studio/tasks/serializers.py``), while a
  Factmark annotator is just a name. It goes into each result's ``meta``, which Label
  Studio keeps as it is (``meta: types.frozen()`` in ``web/libs/editor/src/regions/
  Result.js``), together with the span's note as ``meta.text``, the region note Label
  Studio shows and edits (``setMetaText`` in ``web/libs/editor/src/mixins/Normalization``).
  The annotation is credited to whoever imports the file.
- A relation points from the head span to the child span (``direction: right``). Label
  Studio's relation result holds ``labels`` and ``direction`` only (its editor's
  ``RelationStore`` serialises ``from_id``, ``to_id``, ``direction``, ``labels``): a
  link's note and attributes (``quote``) go into the relation result's ``meta``
  (``{"text": [note], "attrs": {...}}``, as a span's), kept in the task as imported and
  read back by Factmark. Label Studio shows neither, and its editor writes relations
  without them when someone saves that annotation there again.

Offsets: ``value.start`` / ``value.end`` are **code points**, the same numbers as
Factmark's, not UTF-16 units (JavaScript string indices). Label Studio's frontend
converts on its side (``web/libs/editor/src/utils/selection-tools.js``):
``fixCodePointsInRange`` / ``charsToCodePoints`` turn a browser selection into code
points ("In python and other modern tools complex unicode symbols handled as code points,
not UTF chars. So for external usage js length should be converted to code points
count"), ``findOnPosition`` counts ``[...textContent].length`` and ``codePointsToChars``
maps stored offsets back to UTF-16 when it highlights them; the newer renderer
(``tags/object/RichText/domManager.ts``) builds its offsets from ``[...text]`` too, and
the ``<Text>`` tag shows each ``\\n`` as a ``<br/>`` counted as one position. Older
releases counted UTF-16 units and put spans after an emoji off by one per emoji
(label-studio issues #539, #1008, #1347); that was fixed by storing code points
(label-studio PR #1559 / label-studio-frontend PR #308, merged in label-studio PR #1662,
"emoji in NER"). Issue #4988 (1.9.1) is a display glitch with emoji ZWJ sequences
while the exported offsets were right. So no conversion happens here; the tests
re-derive each span the way that frontend code does, from UTF-16 units.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import orjson

from factmark.core.exporting.base import AtomicFile, ExportContext

NAME = "labelstudio"
SUFFIX = ".json"
# Not KEEPS_ANNOTATORS: every annotator's spans go into a task's one annotation, and the
# annotator only into each result's meta, which Label Studio neither shows nor exports
# (its converter reads ``value``): there, two annotators' copies of a span are two
# regions of one annotation, and the messages say the spans are pooled.
DESCRIPTION = (
    "Label Studio JSON tasks (spans as labels results, relations as relation results) "
    "with the .labeling-config.xml Label Studio needs beside them"
)
CONFIG_SUFFIX = ".labeling-config.xml"
FROM_NAME = "label"  # the <Labels> control
TO_NAME = "text"  # the <Text> object, fed from data.text


def config_path(tasks: Path) -> Path:
    """Where the labeling config for a tasks file goes: ``corpus.json`` ->
    ``corpus.labeling-config.xml``."""
    return tasks.with_name(f"{tasks.name.removesuffix(tasks.suffix)}{CONFIG_SUFFIX}")


def labeling_config(context: ExportContext) -> str:
    """The ``<View>`` for a project with these labels and relation types."""
    view = ET.Element("View")
    labels = ET.SubElement(view, "Labels", name=FROM_NAME, toName=TO_NAME)
    for label in context.labels:
        attributes = {"value": label.name, "background": label.colour}
        if label.key:
            attributes["hotkey"] = label.key
        ET.SubElement(labels, "Label", attributes)
    if context.relation_types:
        relations = ET.SubElement(view, "Relations")
        for kind in context.relation_types:
            ET.SubElement(relations, "Relation", value=kind)
    ET.SubElement(view, "Text", name=TO_NAME, value=f"${TO_NAME}")
    ET.indent(view)
    return ET.tostring(view, encoding="unicode") + "\n"


def task(record: dict[str, Any], number: int = 1) -> dict[str, Any]:
    """One Factmark record as the Label Studio task with id ``number``."""
    result: list[dict[str, Any]] = []
    for span in record["spans"]:
        region: dict[str, Any] = {
            "id": _region_id(span["id"]),
            "from_name": FROM_NAME,
            "to_name": TO_NAME,
            "type": "labels",
            "value": {
                "start": span["start"],
                "end": span["end"],
                "text": span["text"],
                "labels": [span["label"]],
            },
        }
        meta: dict[str, Any] = {}
        if span["annotator"]:
            meta["annotator"] = span["annotator"]
        if span["note"]:
            meta["text"] = [span["note"]]
        if span["attrs"]:
            meta["attrs"] = span["attrs"]
        if meta:
            region["meta"] = meta
        result.append(region)
    for relation in record["relations"]:
        link: dict[str, Any] = {
            "type": "relation",
            "from_id": _region_id(relation["head"]),
            "to_id": _region_id(relation["child"]),
            "direction": "right",
            "labels": [relation["label"]],
        }
        # Label Studio's relation holds labels and a direction only: the link's note and
        # attributes go in its meta, as a span's, which Label Studio keeps as imported.
        meta = {}
        if relation["note"]:
            meta["text"] = [relation["note"]]
        if relation["attrs"]:
            meta["attrs"] = relation["attrs"]
        if meta:
            link["meta"] = meta
        result.append(link)
    annotations = []
    if result or record["status"] in ("done", "skipped"):
        annotation: dict[str, Any] = {"result": result}
        if record["status"] == "skipped":
            annotation["was_cancelled"] = True
        annotations.append(annotation)
    return {
        "id": number,
        "data": {
            TO_NAME: record["text"],
            "title": record["title"],
            "factmark_id": record["id"],
            "factmark_status": record["status"],
        },
        "annotations": annotations,
    }


def _region_id(span_number: int) -> str:
    return f"s{span_number}"


class LabelStudioWriter:
    """Streams tasks into one JSON array; writes the labeling config beside it."""

    def __init__(self, path: Path, context: ExportContext) -> None:
        self.context = context
        self.count = 0
        self.config = AtomicFile(config_path(path))
        try:
            self.config.write(labeling_config(context).encode("utf-8"))
            self.out = AtomicFile(path)
        except BaseException:
            self.config.discard()
            raise
        self.out.write(b"[")

    def add(self, record: dict[str, Any]) -> None:
        self.out.write(b"\n" if self.count == 0 else b",\n")
        self.out.write(orjson.dumps(task(record, self.count + 1)))
        self.count += 1

    def finish(self) -> list[Path]:
        self.out.write(b"\n]\n" if self.count else b"]\n")
        note = (
            "Label Studio: set the project's labeling interface to the "
            f"`*{CONFIG_SUFFIX}` file beside the tasks before importing them"
        )
        if note not in self.context.notes:
            self.context.notes.append(note)
        try:
            files = self.config.finish()
        except BaseException:
            self.out.discard()
            raise
        return files + self.out.finish()

    def discard(self) -> None:
        self.config.discard()
        self.out.discard()


def open_writer(path: Path, context: ExportContext) -> LabelStudioWriter:
    """A writer for ``path``."""
    return LabelStudioWriter(path, context)
