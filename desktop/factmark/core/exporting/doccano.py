"""doccano JSONL: one document per line, in the shape doccano's "Import Dataset" reads.

- Sequence labelling (no exported document has a relation, e.g. a ``--label`` export
  that leaves out one end of every relation):
  ``{"text": ..., "label": [[start, end, "label"], ...], "id": uid, "title": ...}``
- Relation extraction (any exported document has a relation): every line then has
  ``{"text": ..., "entities": [{"id", "label", "start_offset", "end_offset"}],
  "relations": [{"id", "from_id", "to_id", "type"}], "id": uid, "title": ...}``, so the
  file is one consistent "JSONL(Relation)" import (a relation points from the head span
  to the child span; entity ids are Factmark's span numbers, 1..n per line).

Offsets are code points, as in Factmark: doccano's backend is Python and stores
``start_offset`` / ``end_offset`` as given. Keys other than the text and label columns
are kept by doccano as the example's metadata (``ColumnBuilder.build`` in doccano's
``backend/data_import/pipeline/builders.py`` returns ``Record(..., meta=row)`` with what
is left of the line) and written back by its export (``{"id", "text", **meta}``), so
Factmark's ``id`` and ``title`` survive a trip through doccano, and Factmark's own
importer reads this file back with the same spans and relations.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from factmark.core.exporting.base import AtomicFile, ExportContext
from factmark.core.text import counted

NAME = "doccano"
SUFFIX = ".jsonl"
DESCRIPTION = (
    "doccano JSONL: sequence labelling (label triples), or relation extraction "
    "(entities and relations) when the exported documents have relations"
)


class DoccanoWriter:
    """Writes each record as one doccano line."""

    def __init__(self, path: Path, context: ExportContext) -> None:
        self.context = context
        self.relations = context.has_relations
        self.lost_details = 0  # spans whose annotator, note or attributes doccano cannot hold
        self.overlapping = 0  # documents with overlapping or nested spans
        self.link_details = 0  # relations with a note or attributes
        self.out = AtomicFile(path)

    def add(self, record: dict[str, Any]) -> None:
        spans = record["spans"]
        line: dict[str, Any] = {"text": record["text"]}
        if self.relations:
            line["entities"] = [
                {
                    "id": s["id"],
                    "label": s["label"],
                    "start_offset": s["start"],
                    "end_offset": s["end"],
                }
                for s in spans
            ]
            line["relations"] = [_relation(n, r) for n, r in enumerate(record["relations"], 1)]
            self.link_details += sum(1 for r in record["relations"] if r["note"] or r["attrs"])
        else:
            line["label"] = [[s["start"], s["end"], s["label"]] for s in spans]
        line["id"] = record["id"]
        line["title"] = record["title"]
        self.lost_details += sum(1 for s in spans if s["annotator"] or s["note"] or s["attrs"])
        if _overlaps(spans):
            self.overlapping += 1
        self.out.write(orjson.dumps(line, option=orjson.OPT_APPEND_NEWLINE))

    def finish(self) -> list[Path]:
        notes = self.context.notes
        if self.relations:
            notes.append(
                "doccano: the exported documents have relations, so every line uses doccano's "
                'shape ("entities" and "relations"): import it as JSONL(Relation) into a '
                "sequence labelling project with relation labelling turned on"
            )
        if self.link_details:
            notes.append(
                f"doccano: {counted(self.link_details, 'relation')} with a note or attributes "
                '(`quote`): each relation object carries them as `"note"` and `"attrs"`, '
                "which Factmark reads back; doccano itself has no such fields and ignores them"
            )
        if self.overlapping:
            notes.append(
                "doccano: some documents have nested or overlapping spans; doccano keeps them "
                'only in a project created with "Allow overlapping spans" ticked'
            )
        if self.lost_details:
            notes.append(
                "doccano: its format has no place for a span's annotator, note or attributes; "
                f"they are left out on {counted(self.lost_details, 'span')} (the jsonl export "
                "keeps them), and so are the documents' statuses"
            )
        return self.out.finish()

    def discard(self) -> None:
        self.out.discard()


def _relation(number: int, relation: dict[str, Any]) -> dict[str, Any]:
    """A doccano relation; a link's note and attributes ride along when it has them."""
    found: dict[str, Any] = {
        "id": number,
        "from_id": relation["head"],
        "to_id": relation["child"],
        "type": relation["label"],
    }
    if relation["note"]:
        found["note"] = relation["note"]
    if relation["attrs"]:
        found["attrs"] = relation["attrs"]
    return found


def _overlaps(spans: list[dict[str, Any]]) -> bool:
    """Whether any two spans share a character (spans come sorted by start)."""
    reach = -1
    for span in spans:
        if span["start"] < reach:
            return True
        reach = max(reach, span["end"])
    return False


def open_writer(path: Path, context: ExportContext) -> DoccanoWriter:
    """A writer for ``path``."""
    return DoccanoWriter(path, context)
