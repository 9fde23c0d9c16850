"""Factmark JSON Lines: the lossless format, one document per line (DESIGN.md section 5).

Also readable as Prodigy-style span tasks (``text`` and ``spans`` with ``start``,
``end``, ``label``), by Hugging Face ``datasets.load_dataset("json", ...)``, and
importable back into Factmark unchanged.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from factmark.core.exporting.base import AtomicFile, ExportContext

NAME = "jsonl"
SUFFIX = ".jsonl"
KEEPS_ANNOTATORS = True  # each span's annotator: no note of annotators pooled (base)
DESCRIPTION = "Factmark JSONL: lossless, one document per line (Prodigy-style spans)"


class JsonlWriter:
    """Writes each record as one line of JSON."""

    def __init__(self, path: Path) -> None:
        self.out = AtomicFile(path)

    def add(self, record: dict[str, Any]) -> None:
        self.out.write(orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE))

    def finish(self) -> list[Path]:
        return self.out.finish()

    def discard(self) -> None:
        self.out.discard()


def open_writer(path: Path, context: ExportContext) -> JsonlWriter:
    """A writer for ``path``."""
    del context  # the lossless format needs nothing beyond the records
    return JsonlWriter(path)
