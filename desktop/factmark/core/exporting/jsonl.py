"""Factmark JSON Lines: the lossless format, one document per line (DESIGN.md section 5).

Also readable as Prodigy-style span tasks (``text`` and ``spans`` with ``start``,
``end``, ``label``), and importable back into Factmark unchanged.
"""

from __future__ import annotations

from pathlib import Path

import orjson

from factmark.core.exporting.base import ExportResult, Selection, atomic_output, iter_records
from factmark.core.project import Project

NAME = "jsonl"


def write(project: Project, selection: Selection, path: Path) -> ExportResult:
    """Write the selection to ``path`` (atomically) and return the counts."""
    result = ExportResult(path, files=[path])
    with atomic_output(path) as out:
        for record in iter_records(project, selection):
            out.write(orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE))
            result.documents += 1
            result.spans += len(record["spans"])
            result.relations += len(record["relations"])
    return result
