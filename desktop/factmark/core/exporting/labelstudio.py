"""Label Studio JSON tasks, with the labeling config Label Studio needs beside them.

``corpus.json`` is a JSON array of tasks, one per document, each with one annotation per
annotator (Label Studio's own model: its agreement, review and converter read each
annotation as one person's work)::

    {"id": 1, "data": {"text": ..., "title": ..., "factmark_id": uid, "factmark_status": ...},
     "annotations": [{"result": [
        {"id": "s1", "from_name": "label", "to_name": "text", "type": "labels",
         "value": {"start": 13, "end": 82, "text": ..., "labels": ["claim"]},
         "meta": {"annotator": "amina", "text": [note], "attrs": {...}}},
        {"type": "relation", "from_id": "s5", "to_id": "s1", "direction": "right",
         "labels": ["attributed_to"], "meta": {"text": [note], "attrs": {"quote": ...}}},
        {"id": "factmark_annotator", "from_name": "factmark_annotator", "to_name": "text",
         "type": "textarea", "value": {"text": ["amina"]}}], "ground_truth": false},
       {"result": [... bo's spans ...], "ground_truth": false}],
     "meta": {"factmark_links": [relation results joining two annotations' regions]}}

and ``corpus.labeling-config.xml`` the ``<View>`` to paste into the project's labeling
interface (every project label with its colour and key, the relation types,
``<Text name="text" value="$text"/>`` and, when some exported span has an annotator,
the ``factmark_annotator`` text area).

Choices made here:

- Each task has an ``id``, its place in the export (1, 2, ...): label-studio-converter
  reads ``task["id"]`` for every format and fails without it. Label Studio itself
  gives imported tasks ids of its own.

- Factmark's spans are people's work, so they go into ``annotations``, not
  ``predictions`` (which Label Studio shows as a model's pre-annotations to review).
  Each annotator's spans are one annotation, in the order of their names; the spans
  without an annotator are one annotation of their own, first. A document without
  spans gets one empty annotation when it is done or skipped ("nothing to label
  here"); a skipped document's annotations are ``was_cancelled``, Label Studio's
  "skipped". Unfinished documents without spans have none and stay unlabeled tasks.
- ``ground_truth`` is written on each annotation, true only for the gold layer's
  (annotator ``gold``): Label Studio's importer makes an imported annotation ground
  truth unless told (``annotation.pop('ground_truth', True)`` in ``add_annotations``),
  which would put every annotator's work forward as the reference.
- Who made an annotation is not ``completed_by``: on import Label Studio resolves that
  to an account of the instance, by e-mail (``{"email": ...}``) or user id, and refuses
  the whole import for any other value, an unknown e-mail included unless the server
  sets ``ALLOW_IMPORT_TASKS_WITH_UNKNOWN_EMAILS`` (``_insert_valid_completed_by`` in
  ``label_studio/tasks/serializers.py``; its newest releases credit an unknown one to
  whoever imports instead), while a Factmark annotator is just a name. Without
  ``completed_by`` the annotation is credited to whoever imports the file, and the
  card says so. The name is the annotation's answer in the ``factmark_annotator``
  text area (a ``textarea`` result on no region), which Label Studio shows with the
  annotation and its converter writes (JSON_MIN's ``factmark_annotator``); it is also
  in each region's ``meta.annotator``, which Label Studio keeps as it is (``meta:
  types.frozen()`` in ``web/libs/editor/src/regions/Result.js``), together with the
  span's note as ``meta.text``, the region note Label Studio shows and edits
  (``setMetaText`` in ``web/libs/editor/src/mixins/Normalization``).
- A relation lives in one annotation and joins two of its regions (``from_id`` and
  ``to_id`` are region ids of that annotation's result). A link between spans of two
  annotators (or an annotator's span and one without an annotator) has no place
  there: it goes into the task's ``meta`` under ``factmark_links``, as a relation
  result (region ids are unique in the task), which Label Studio keeps with the task
  and exports (its export leaves out only ``overlap`` and ``is_labeled``) but does not
  show; Factmark reads it back, and the card counts these links.
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
from factmark.core.importing.labelstudio_tasks import ANNOTATOR_CONTROL, LINKS_ACROSS
from factmark.core.model import GOLD

NAME = "labelstudio"
SUFFIX = ".json"
# Each annotator's spans are an annotation of their own: no note of annotators pooled (base)
KEEPS_ANNOTATORS = True
DESCRIPTION = (
    "Label Studio JSON tasks (spans as labels results, relations as relation results) "
    "with the .labeling-config.xml Label Studio needs beside them"
)
CONFIG_SUFFIX = ".labeling-config.xml"
FROM_NAME = "label"  # the <Labels> control
TO_NAME = "text"  # the <Text> object, fed from data.text
_NAMED = "labelstudio.annotators"  # ExportContext.shared: some exported span has one


def config_path(tasks: Path) -> Path:
    """Where the labeling config for a tasks file goes: ``corpus.json`` ->
    ``corpus.labeling-config.xml``."""
    return tasks.with_name(f"{tasks.name.removesuffix(tasks.suffix)}{CONFIG_SUFFIX}")


def labeling_config(context: ExportContext, annotators: bool = False) -> str:
    """The ``<View>`` for a project with these labels and relation types; with
    ``annotators``, the ``factmark_annotator`` text area that shows whose each
    annotation is."""
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
    if annotators:
        ET.SubElement(view, "Header", value="Annotator in Factmark")
        ET.SubElement(
            view,
            "TextArea",
            name=ANNOTATOR_CONTROL,
            toName=TO_NAME,
            rows="1",
            maxSubmissions="1",
            placeholder="the Factmark annotator whose annotation this is",
        )
    ET.indent(view)
    return ET.tostring(view, encoding="unicode") + "\n"


def task(record: dict[str, Any], number: int = 1) -> dict[str, Any]:
    """One Factmark record as the Label Studio task with id ``number``: one annotation
    per annotator (the spans without one in an annotation of their own)."""
    results: dict[str | None, list[dict[str, Any]]] = {}
    owner: dict[int, str | None] = {}  # span number -> whose annotation holds its region
    for span in record["spans"]:
        who = span["annotator"] or None
        owner[span["id"]] = who
        results.setdefault(who, []).append(_region(span))
    across = []
    for relation in record["relations"]:
        who = owner[relation["head"]]
        if who == owner[relation["child"]]:
            results[who].append(_link(relation))
        else:  # a relation joins regions of one annotation only
            across.append(_link(relation))
    annotations = []
    for who in sorted(results, key=lambda name: (name is not None, name or "")):
        result = results[who]
        if who is not None:
            result.append(annotator_result(who))
        annotations.append({"result": result, "ground_truth": who == GOLD})
    if not annotations and record["status"] in ("done", "skipped"):
        annotations.append({"result": [], "ground_truth": False})  # "nothing to label here"
    if record["status"] == "skipped":
        for annotation in annotations:
            annotation["was_cancelled"] = True
    done: dict[str, Any] = {
        "id": number,
        "data": {
            TO_NAME: record["text"],
            "title": record["title"],
            "factmark_id": record["id"],
            "factmark_status": record["status"],
        },
        "annotations": annotations,
    }
    if across:
        done["meta"] = {LINKS_ACROSS: across}
    return done


def annotator_result(name: str) -> dict[str, Any]:
    """The ``factmark_annotator`` text area's answer naming an annotation's annotator."""
    return {
        "id": ANNOTATOR_CONTROL,
        "from_name": ANNOTATOR_CONTROL,
        "to_name": TO_NAME,
        "type": "textarea",
        "value": {"text": [name]},
    }


def _region(span: dict[str, Any]) -> dict[str, Any]:
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
    return _with_meta(region, span, span["annotator"])


def _link(relation: dict[str, Any]) -> dict[str, Any]:
    link: dict[str, Any] = {
        "type": "relation",
        "from_id": _region_id(relation["head"]),
        "to_id": _region_id(relation["child"]),
        "direction": "right",
        "labels": [relation["label"]],
    }
    # Label Studio's relation holds labels and a direction only: the link's note and
    # attributes go in its meta, as a span's, which Label Studio keeps as imported.
    return _with_meta(link, relation)


def _with_meta(
    result: dict[str, Any], record: dict[str, Any], annotator: str | None = None
) -> dict[str, Any]:
    """``result`` with a ``meta`` holding what Label Studio has no field for (the
    annotator, the note as its ``text``, the attributes), when there is any."""
    meta: dict[str, Any] = {}
    if annotator:
        meta["annotator"] = annotator
    if record["note"]:
        meta["text"] = [record["note"]]
    if record["attrs"]:
        meta["attrs"] = record["attrs"]
    if meta:
        result["meta"] = meta
    return result


def _region_id(span_number: int) -> str:
    return f"s{span_number}"


class LabelStudioWriter:
    """Streams tasks into one JSON array; writes the labeling config beside it."""

    def __init__(self, path: Path, context: ExportContext) -> None:
        self.context = context
        self.count = 0
        self.across = 0  # links between two annotations' regions (in the task's meta)
        self.config = AtomicFile(config_path(path))
        try:
            self.out = AtomicFile(path)
        except BaseException:
            self.config.discard()
            raise
        self.out.write(b"[")

    def add(self, record: dict[str, Any]) -> None:
        self.out.write(b"\n" if self.count == 0 else b",\n")
        written = task(record, self.count + 1)
        self.out.write(orjson.dumps(written))
        self.count += 1
        self.across += len(written.get("meta", {}).get(LINKS_ACROSS, ()))
        if not self.context.shared.get(_NAMED) and any(
            span["annotator"] for span in record["spans"]
        ):
            self.context.shared[_NAMED] = True  # every part's config then shows the names

    def finish(self) -> list[Path]:
        self.out.write(b"\n]\n" if self.count else b"]\n")
        named = bool(self.context.shared.get(_NAMED))
        self.config.write(labeling_config(self.context, named).encode("utf-8"))
        part = f"{self.context.part}: " if self.context.part else ""
        notes = [
            "Label Studio: set the project's labeling interface to the "
            f"`*{CONFIG_SUFFIX}` file beside the tasks before importing them"
        ]
        if named:
            notes.append(
                "Label Studio: each annotator's spans are an annotation of their own, "
                "without `completed_by`: Label Studio takes only one of its accounts there "
                "(an e-mail or user id it knows; any other name refuses the whole import, "
                "or in its newest releases is credited to whoever imports), so the "
                "annotations are credited to whoever imports the file and each names its "
                f"Factmark annotator in the `{ANNOTATOR_CONTROL}` text area the labeling "
                "config shows (and in each region's `meta.annotator`)"
            )
        if self.across:
            notes.append(
                f"{part}links between two annotators' spans (or an annotator's and a span "
                "without one): Label Studio's relations join regions of one annotation, so "
                f"these are in the task's `meta.{LINKS_ACROSS}`, which Label Studio keeps "
                f"but does not show, and Factmark reads back: {self.across:,}"
            )
        self.context.notes += [note for note in notes if note not in self.context.notes]
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
