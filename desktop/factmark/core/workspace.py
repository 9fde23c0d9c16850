"""Where projects live by default, and the default project a new user starts with."""

from __future__ import annotations

import os
import posixpath
import sys
from pathlib import Path

from factmark.core.project import Project
from factmark.core.resources import seed_files

APP_NAME = "Factmark"
PROJECT_SUFFIX = ".factmark"


def data_dir() -> Path:
    """The per-user data folder (never the install folder), e.g. ``~/.local/share/Factmark``."""
    return user_dir("XDG_DATA_HOME", "~/.local/share")


def user_dir(variable: str, default: str) -> Path:
    """The per-user folder of Factmark that platformdirs gives: on Linux ``$variable``
    (an XDG base directory) or else ``default`` in the home folder, with the app's name.

    Linux's usual cases are worked out here, as platformdirs does, without importing it
    (its classes take a start 20 million instructions); other systems, Android, and a
    home folder unset or relative (platformdirs then asks the password database) are
    left to platformdirs itself.
    """
    environ = os.environ
    if (
        sys.platform == "linux"
        and not hasattr(sys, "getandroidapilevel")
        and (environ.get("ANDROID_DATA") != "/data" or environ.get("ANDROID_ROOT") != "/system")
    ):
        base = environ.get(variable, "")
        if posixpath.isabs(base):
            return Path(os.path.join(base, APP_NAME))
        if posixpath.isabs(environ.get("HOME", "")):
            return Path(os.path.join(os.path.expanduser(default), APP_NAME))
    import platformdirs  # other systems, and homes Linux leaves to it

    if variable == "XDG_CONFIG_HOME":
        return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))
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
    is_new_default = target == default_project_path() and not target.exists()
    if is_new_default:
        target.parent.mkdir(parents=True, exist_ok=True)
    project = Project.open(target)
    if is_new_default:
        from factmark.core.importing import import_file  # only on first start

        for seed in seed_files():
            import_file(project, seed)
    return project
