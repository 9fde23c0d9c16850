"""What the window remembers between runs, in one INI file in the user config folder.

An explicit file (rather than QSettings' default location) keeps every test and
every user profile apart.
"""

from __future__ import annotations

import getpass
import hashlib
from pathlib import Path

import platformdirs
from PySide6.QtCore import QByteArray, QSettings

from factmark.core.workspace import APP_NAME

MAX_RECENT = 8


class Settings:
    """Typed access to the settings Factmark keeps."""

    def __init__(self, path: Path | None = None) -> None:
        config = Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))
        self.path = path or config / "factmark.ini"
        self.qsettings = QSettings(str(self.path), QSettings.Format.IniFormat)

    def sync(self) -> None:
        """Write pending changes to disk now."""
        self.qsettings.sync()

    # -- who is annotating -----------------------------------------------------

    def annotator(self) -> str:
        """The annotator recorded on new spans (the login name until one is chosen)."""
        value = self.qsettings.value("annotator", "")
        return str(value) if value else _login_name()

    def has_annotator(self) -> bool:
        """Whether the user has chosen an annotator name yet."""
        return bool(self.qsettings.value("annotator", ""))

    def set_annotator(self, name: str) -> None:
        self.qsettings.setValue("annotator", name.strip())

    # -- behaviour -----------------------------------------------------------

    def snap_to_words(self) -> bool:
        """Whether selections widen to whole words before labelling (default on)."""
        return _bool(self.qsettings.value("snap_to_words", True))

    def set_snap_to_words(self, on: bool) -> None:
        self.qsettings.setValue("snap_to_words", on)

    def suggest_on_open(self) -> bool:
        """Whether opening a document computes suggestions for it (default off)."""
        return _bool(self.qsettings.value("suggest_on_open", False))

    def set_suggest_on_open(self, on: bool) -> None:
        self.qsettings.setValue("suggest_on_open", on)

    def zoom(self) -> int:
        return int(self.qsettings.value("zoom", 0) or 0)

    def set_zoom(self, steps: int) -> None:
        self.qsettings.setValue("zoom", steps)

    # -- projects and documents ----------------------------------------------

    def recent_projects(self) -> list[Path]:
        """Recently opened projects that still exist, most recent first."""
        value = self.qsettings.value("recent_projects", [])
        paths = [value] if isinstance(value, str) else list(value or [])
        return [Path(p) for p in paths if p and Path(p).exists()]

    def add_recent_project(self, path: Path) -> None:
        paths = [str(path.resolve())] + [
            str(p) for p in self.recent_projects() if p.resolve() != path.resolve()
        ]
        self.qsettings.setValue("recent_projects", paths[:MAX_RECENT])

    def last_project(self) -> Path | None:
        recent = self.recent_projects()
        return recent[0] if recent else None

    def last_document(self, project: Path) -> int | None:
        value = self.qsettings.value(f"last_document/{_key(project)}")
        return int(value) if value not in (None, "") else None

    def set_last_document(self, project: Path, document_id: int | None) -> None:
        self.qsettings.setValue(f"last_document/{_key(project)}", document_id or "")

    # -- window layout -------------------------------------------------------

    def window_state(self) -> tuple[QByteArray | None, QByteArray | None, list[int]]:
        """Saved geometry, dock/toolbar state and splitter sizes (None/[] when unset)."""
        geometry = self.qsettings.value("window/geometry")
        state = self.qsettings.value("window/state")
        sizes = self.qsettings.value("window/splitter", [])
        sizes = [sizes] if isinstance(sizes, str) else list(sizes or [])
        return (
            geometry if isinstance(geometry, QByteArray) else None,
            state if isinstance(state, QByteArray) else None,
            [int(s) for s in sizes],
        )

    def set_window_state(
        self, geometry: QByteArray, state: QByteArray, splitter: list[int]
    ) -> None:
        self.qsettings.setValue("window/geometry", geometry)
        self.qsettings.setValue("window/state", state)
        self.qsettings.setValue("window/splitter", splitter)


def _key(project: Path) -> str:
    return hashlib.sha1(str(project.resolve()).encode()).hexdigest()[:16]


def _bool(value: object) -> bool:
    if isinstance(value, str):
        return value.lower() in ("true", "1", "yes")
    return bool(value)


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "annotator"
