"""Exporting a project: one writer module per format, one registry.

Adding a format means one new module with ``NAME`` and ``write(project, selection,
path)``, and one entry in ``_WRITERS``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from factmark.core.exporting import jsonl
from factmark.core.exporting.base import ExportResult, Selection
from factmark.core.model import ValidationError
from factmark.core.project import Project

_WRITERS: tuple[ModuleType, ...] = (jsonl,)
WRITERS: dict[str, Callable[[Project, Selection, Path], ExportResult]] = {
    module.NAME: module.write for module in _WRITERS
}


def export(
    project: Project, fmt: str, path: Path, selection: Selection | None = None
) -> ExportResult:
    """Write the selected documents to ``path`` in format ``fmt``."""
    if fmt not in WRITERS:
        raise ValidationError(f"unknown export format {fmt!r} (use {', '.join(WRITERS)})")
    selection = selection or Selection()
    selection.check(project)
    return WRITERS[fmt](project, selection, path)
