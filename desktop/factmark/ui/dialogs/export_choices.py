"""What File > Export corpus proposes again: the choices of the project's last export.

Kept light (no exporter is imported) so that the window's settings can build these
values without loading the export machinery at start.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol


@dataclass(frozen=True)
class ExportChoices:
    """The choices an export was made with; None where nothing (usable) is remembered.

    The labels ticked are not among them: projects differ in their labels, and a label
    added since would silently be left out of the next export.
    """

    format: str | None = None
    folder: Path | None = None  # the folder the export was written into
    nested: str | None = None
    scheme: str | None = None
    statuses: frozenset[str] | None = None
    layer: str | None = None  # "", "gold", "majority" or "annotator:NAME"
    split_on: bool | None = None
    split: str | None = None
    seed: int | None = None
    min_per_part: int | None = None
    split_by: str | None = None
    card: bool | None = None
    pseudonymise: bool | None = None


class ExportMemory(Protocol):
    """Where the dialog finds and keeps the choices of each project's last export."""

    def export_choices(self, project: Path) -> ExportChoices:
        """The choices of the last export written from ``project``."""
        ...

    def set_export_choices(self, project: Path, choices: ExportChoices) -> None:
        """Remember the choices of an export just written from ``project``."""
        ...
