"""doccano 1.8.4's JSONL import, reproduced without Django, to read our doccano export as
doccano does.

Each step follows the named function of doccano's ``backend/data_import/`` at tag v1.8.4
(doccano is MIT licensed, Copyright (c) 2018 TIS inc.); only the database writes are left
out, and pydantic's checks are written out by hand:

- ``pipeline/parsers.py`` ``LineReader`` / ``JSONLParser.parse``: each line ``rstrip()``-ed
  and ``json.loads``-ed, a line that is not JSON is an error and skipped;
- ``pipeline/readers.py`` ``Reader.batch``: the rows of a file become one ``pandas``
  DataFrame (a key missing from a row is NaN there);
- ``pipeline/makers.py`` ``ExampleMaker.make``: the ``text`` column is the example's text,
  every other column except the excluded ones is its metadata; no ``text`` column at all
  is the error "Column text not found in the file"; ``LabelMaker.make``: the label column
  ``explode``-d, NaN dropped, each item parsed, an item that fails to parse silently
  dropped; a file without the column is the error "Column label not found in the file"
  (and no span at all);
- ``pipeline/label.py`` ``SpanLabel.parse``: a list is zipped with ``["start_offset",
  "end_offset", "label"]``, a dict read by key; ``label`` must be a non-empty string,
  offsets non-negative integers with start < end; ``RelationLabel``: ``from_id``, ``to_id``
  integers, ``type`` a non-empty string;
- ``pipeline/labels.py`` ``Spans.clean``: unless the project allows overlapping spans,
  spans sorted by start and each one starting before the end of the last kept is dropped;
- ``datasets.py`` ``SequenceLabelingDataset`` reads the ``label`` column,
  ``RelationExtractionDataset`` the ``entities`` and ``relations`` columns (relations find
  their spans by ``id`` within the same example: ``Spans.id_to_span``).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

UUID_COLUMN = "example_uuid"
LINE_NUMBER_COLUMN = "#line_number"
UPLOAD_NAME_COLUMN = "upload_name"
FILE_NAME_COLUMN = "filename"


@dataclass
class Example:
    """One doccano example as its database would hold it."""

    text: str
    meta: dict[str, Any]
    spans: list[tuple[int, int, str]] = field(default_factory=list)
    relations: list[tuple[tuple[int, int, str], tuple[int, int, str], str]] = field(
        default_factory=list
    )


@dataclass
class Imported:
    examples: list[Example]
    errors: list[str]


def _rows(path: Path) -> tuple[pd.DataFrame, list[str]]:
    """``JSONLParser.parse`` under ``Reader.batch`` (one batch: our files are small)."""
    errors = []
    rows = []
    with path.open(encoding="utf-8") as handle:  # doccano detects it; ours is UTF-8
        for line_num, line in enumerate(handle, start=1):
            try:
                row = json.loads(line.rstrip())
            except json.JSONDecodeError as error:
                errors.append(f"line {line_num}: {error}")
                continue
            rows.append(
                {
                    UUID_COLUMN: uuid.uuid4(),
                    FILE_NAME_COLUMN: path.name,
                    UPLOAD_NAME_COLUMN: path.name,
                    LINE_NUMBER_COLUMN: line_num,
                    **row,
                }
            )
    return pd.DataFrame(rows), errors


def _examples(df: pd.DataFrame, exclude: list[str], errors: list[str]) -> dict[uuid.UUID, Example]:
    """``ExampleMaker.make`` with ``TextData``: text required and non-empty."""
    if "text" not in df.columns:
        errors.append("Column text not found in the file")
        return {}
    kept = df.loc[:, ~df.columns.isin(exclude)].dropna(subset=["text"])
    examples = {}
    for row in kept.to_dict(orient="records"):
        row.pop(LINE_NUMBER_COLUMN, 0)
        key = row.pop(UUID_COLUMN)
        row.pop(FILE_NAME_COLUMN)
        row.pop(UPLOAD_NAME_COLUMN)
        text = row.pop("text")
        if not isinstance(text, str) or not text:
            errors.append("The empty text is not allowed.")
            continue
        examples[key] = Example(text, row)
    return examples


def _labels(df: pd.DataFrame, column: str, errors: list[str]) -> list[tuple[uuid.UUID, Any]]:
    """``LabelMaker.make`` up to the parse: (example uuid, raw item) per label item."""
    if column not in df.columns:
        errors.append(f"Column {column} not found in the file")
        return []
    exploded = df.explode(column)[[UUID_COLUMN, column]].dropna(subset=[column])
    return [(row[UUID_COLUMN], row[column]) for row in exploded.to_dict(orient="records")]


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _span(obj: Any) -> dict[str, Any] | None:
    """``SpanLabel.parse`` and its pydantic checks; None where doccano drops the item."""
    if isinstance(obj, list | tuple):
        obj = dict(zip(["start_offset", "end_offset", "label"], obj, strict=False))
    elif not isinstance(obj, dict):
        return None
    start, end, label = obj.get("start_offset"), obj.get("end_offset"), obj.get("label")
    if not (_is_int(start) and _is_int(end) and start >= 0 and end >= 0):
        return None
    if not isinstance(label, str) or not label or start >= end:
        return None
    return obj


def _clean(
    spans: list[tuple[uuid.UUID, dict[str, Any]]], allow_overlapping: bool
) -> list[tuple[uuid.UUID, dict[str, Any]]]:
    """``Spans.clean``: groupby example (consecutive rows), keep non-overlapping by start."""
    if allow_overlapping:
        return spans
    kept = []
    groups: list[list[tuple[uuid.UUID, dict[str, Any]]]] = []
    for item in spans:
        if groups and groups[-1][0][0] == item[0]:
            groups[-1].append(item)
        else:
            groups.append([item])
    for group in groups:
        last_offset = -1
        for item in sorted(group, key=lambda pair: pair[1]["start_offset"]):
            if item[1]["start_offset"] >= last_offset:
                last_offset = item[1]["end_offset"]
                kept.append(item)
    return kept


def read_sequence_labelling(path: Path, *, allow_overlapping: bool = True) -> Imported:
    """What a doccano "Sequence Labeling" project stores from ``path`` imported as JSONL
    (``SequenceLabelingDataset``, label column ``label``)."""
    df, errors = _rows(path)
    examples = _examples(df, ["label"], errors)
    raw = [(key, _span(item)) for key, item in _labels(df, "label", errors)]
    for key, span in _clean([(k, s) for k, s in raw if s is not None], allow_overlapping):
        if key in examples:
            examples[key].spans.append((span["start_offset"], span["end_offset"], span["label"]))
    return Imported(list(examples.values()), errors)


def read_relation_extraction(path: Path, *, allow_overlapping: bool = True) -> Imported:
    """What a doccano sequence labelling project with relations stores from ``path``
    imported as "JSONL(Relation)" (``RelationExtractionDataset``)."""
    df, errors = _rows(path)
    examples = _examples(df, ["entities", "relations"], errors)
    raw = [(key, _span(item)) for key, item in _labels(df, "entities", errors)]
    spans = _clean([(k, s) for k, s in raw if s is not None], allow_overlapping)
    by_id = {}
    for key, span in spans:
        triple = (span["start_offset"], span["end_offset"], span["label"])
        by_id[(span.get("id", -1), key)] = triple
        if key in examples:
            examples[key].spans.append(triple)
    for key, relation in _labels(df, "relations", errors):
        if not isinstance(relation, dict):
            continue
        head, child, kind = relation.get("from_id"), relation.get("to_id"), relation.get("type")
        if not (_is_int(head) and _is_int(child) and isinstance(kind, str) and kind):
            continue
        # Relations.save looks each end up in id_to_span: a missing one raises KeyError,
        # which fails the whole import in doccano.
        examples[key].relations.append((by_id[(head, key)], by_id[(child, key)], kind))
    return Imported(list(examples.values()), errors)
