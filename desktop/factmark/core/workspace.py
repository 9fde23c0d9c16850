"""Where projects live by default, and the default project a new user starts with."""

from __future__ import annotations

from pathlib import Path

import platformdirs

from factmark.core.project import Project
from factmark.core.resources import seed_files

APP_NAME = "Factmark"
PROJECT_SUFFIX = ".factmark"


def data_dir() -> Path:
    """The per-user data folder (never the install folder), e.g. ``~/.local/share/Factmark``."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_project_path() -> Path:
    """The project opened when none is named."""
    return data_dir() / f"default{PROJECT_SUFFIX}"


def open_project(path: Path | None = None) -> Project:
    """Open ``path`` (default: the default project), seeding a new default project.

    The default project is created on first start with the sample articles from
    ``seeds/``; any other new project starts empty.
    """
    target = path or default_project_path()
    is_new_default = path is None and not target.exists()
    if is_new_default:
        target.parent.mkdir(parents=True, exist_ok=True)
    project = Project.open(target)
    if is_new_default:
        from factmark.core.importing import import_file  # only on first start

        for seed in seed_files():
            import_file(project, seed)
    return project
