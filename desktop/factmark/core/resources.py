"""Finding the top-level ``resources/`` and ``seeds/`` folders wherever Factmark runs.

Three layouts hold them: the PyInstaller bundle (``sys._MEIPASS/factmark/...``),
an installed wheel (``factmark/resources`` beside this package, mapped there by
hatchling's force-include) and the source checkout (``<repo>/resources``).
"""

from __future__ import annotations

import json
import sys
from functools import cache
from pathlib import Path
from typing import Any

_PACKAGE = Path(__file__).resolve().parent.parent


def _candidates(name: str) -> list[Path]:
    found = []
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        found.append(Path(bundle) / "factmark" / name)
    found.append(_PACKAGE / name)
    found.append(_PACKAGE.parent.parent / name)
    return found


@cache
def data_dir(name: str) -> Path:
    """The folder ``resources`` or ``seeds``, from the first layout that has it."""
    for candidate in _candidates(name):
        if candidate.is_dir():
            return candidate
    tried = ", ".join(str(c) for c in _candidates(name))
    raise FileNotFoundError(f"Factmark's {name}/ folder is missing (looked in {tried})")


def resource_path(*parts: str) -> Path:
    """A file under ``resources/``."""
    return data_dir("resources").joinpath(*parts)


def seed_files() -> list[Path]:
    """The sample articles of a new default project: the top-level ones first.

    ``seeds/`` holds the article a new user sees first; ``seeds/scripts/`` holds
    short articles in other scripts and newline styles.
    """
    root = data_dir("seeds")
    return sorted(
        (p for p in root.rglob("*.txt")), key=lambda p: (len(p.relative_to(root).parts), p.name)
    )


@cache
def default_labels() -> dict[str, Any]:
    """The default label set and relation types from ``resources/labels.json``."""
    with resource_path("labels.json").open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def default_guidelines() -> str:
    """The annotation guidelines a new project starts with (``resources/guidelines.md``).

    Read as migration m004 reads them, so resetting a project gives back exactly
    what a new project holds.
    """
    return resource_path("guidelines.md").read_text(encoding="utf-8")
