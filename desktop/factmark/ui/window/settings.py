"""What the window remembers between runs.

The user's preferences (annotator, behaviour switches, zoom, recent projects, last
document per project) are the core's ``Preferences`` (``preferences.json``), which the
command line reads and changes too. The window's geometry, dock and toolbar state,
splitter sizes and the choices of each project's last export (which only the window
proposes again) stay in Qt's INI file (``factmark.ini``), both files in the user
config folder. Explicit files (rather than QSettings' default location) keep
every test and every user profile apart.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings

from factmark.core.preferences import LEGACY_FILE, PREFERENCES_FILE, Preferences, config_dir

if TYPE_CHECKING:
    from factmark.ui.dialogs.export_choices import ExportChoices

# Keys of earlier versions' INI file that preferences.json has taken over.
_TAKEN_OVER = ("annotator", "snap_to_words", "suggest_on_open", "zoom", "recent_projects")
MAX_EXPORT_PROJECTS = 50  # projects whose last export's choices are remembered
_EXPORT_TEXTS = ("format", "nested", "scheme", "layer", "split", "split_by")
_EXPORT_SWITCHES = ("split_on", "card", "pseudonymise")
_EXPORT_NUMBERS = ("seed", "min_per_part")


class Settings:
    """Typed access to the settings Factmark keeps: the preferences, and the layout."""

    def __init__(
        self, path: Path | None = None, preferences: Preferences | Path | None = None
    ) -> None:
        """Settings with the window layout in ``path`` (default ``factmark.ini`` in the
        user config folder) and the preferences in ``preferences``: a Preferences, or the
        path of its file (default ``preferences.json`` beside ``path``)."""
        self.path = path or config_dir() / LEGACY_FILE
        if not isinstance(preferences, Preferences):
            preferences = Preferences(preferences or self.path.parent / PREFERENCES_FILE)
        self.preferences = preferences
        self.qsettings = QSettings(str(self.path), QSettings.Format.IniFormat)
        self._forget_taken_over()

    def _forget_taken_over(self) -> None:
        """Drop from the INI file what preferences.json holds now (taken over on first
        use), so that it is kept in one place only."""
        if self.preferences.legacy_path != self.path:
            return
        self.preferences.problem()  # reading takes over the INI file's values if needed
        if not self.preferences.path.exists():
            return
        for key in (*_TAKEN_OVER, "last_document"):
            if self.qsettings.contains(key) or key in self.qsettings.childGroups():
                self.qsettings.remove(key)

    def sync(self) -> None:
        """Write pending layout changes to disk now (preferences are written at once)."""
        self.qsettings.sync()

    # -- who is annotating -----------------------------------------------------

    def annotator(self) -> str:
        """The annotator recorded on new spans (the login name until one is chosen)."""
        return self.preferences.annotator()

    def has_annotator(self) -> bool:
        """Whether the user has chosen an annotator name yet."""
        return self.preferences.has_annotator()

    def set_annotator(self, name: str) -> None:
        """Choose the annotator name; ValidationError for one that cannot be recorded
        (empty, over 100 characters, a line break or control character, ``gold``)."""
        self.preferences.set_annotator(name)

    # -- behaviour -----------------------------------------------------------

    def snap_to_words(self) -> bool:
        """Whether selections widen to whole words before labelling (default on)."""
        return self.preferences.snap_to_words()

    def set_snap_to_words(self, on: bool) -> None:
        """Turn widening selections to whole words on or off."""
        _keep_going(self.preferences.set_snap_to_words, on)

    def suggest_on_open(self) -> bool:
        """Whether opening a document computes suggestions for it (default off)."""
        return self.preferences.suggest_on_open()

    def set_suggest_on_open(self, on: bool) -> None:
        """Turn computing suggestions when a document opens on or off."""
        _keep_going(self.preferences.set_suggest_on_open, on)

    def zoom(self) -> int:
        """The article text's zoom in steps from the normal size."""
        return self.preferences.zoom()

    def set_zoom(self, steps: int) -> None:
        """Remember the article text's zoom."""
        _keep_going(self.preferences.set_zoom, steps)

    # -- projects and documents ----------------------------------------------

    def recent_projects(self) -> list[Path]:
        """Recently opened projects that still exist, most recent first."""
        return self.preferences.recent_projects()

    def add_recent_project(self, path: Path) -> None:
        """Put ``path`` first among the recent projects."""
        _keep_going(self.preferences.add_recent_project, path)

    def last_project(self) -> Path | None:
        """The project opened most recently that still exists, or None."""
        return self.preferences.last_project()

    def last_document(self, project: Path) -> int | None:
        """The id of the document last shown in ``project``, or None."""
        return self.preferences.last_document(project)

    def set_last_document(self, project: Path, document_id: int | None) -> None:
        """Remember the document shown in ``project`` (None forgets it)."""
        _keep_going(self.preferences.set_last_document, project, document_id)

    # -- window layout -------------------------------------------------------

    def window_state(self) -> tuple[QByteArray | None, QByteArray | None, list[int]]:
        """Saved geometry, dock/toolbar state and splitter sizes (None/[] when unset)."""
        geometry = self.qsettings.value("window/geometry")
        state = self.qsettings.value("window/state")
        stored = self.qsettings.value("window/splitter", [])
        sizes = [stored] if isinstance(stored, str) else list(stored or [])  # type: ignore[call-overload]
        try:
            splitter = [int(s) for s in sizes]
        except (TypeError, ValueError):
            splitter = []
        return (
            geometry if isinstance(geometry, QByteArray) else None,
            state if isinstance(state, QByteArray) else None,
            splitter,
        )

    def document_fields_open(self) -> bool:
        """Whether the details panel shows the document's fields (default folded)."""
        return str(self.qsettings.value("window/document_fields", "false")).lower() == "true"

    def set_document_fields_open(self, shown: bool) -> None:
        """Remember whether the document's fields are shown or folded."""
        self.qsettings.setValue("window/document_fields", "true" if shown else "false")

    def mark_checked_sentences(self) -> bool:
        """Whether sentences matching the archive of fact-checks are marked (default off)."""
        return str(self.qsettings.value("view/mark_checked_sentences", "false")).lower() == "true"

    def set_mark_checked_sentences(self, on: bool) -> None:
        """Remember whether sentences matching the archive are marked."""
        self.qsettings.setValue("view/mark_checked_sentences", "true" if on else "false")

    # -- File > Export corpus --------------------------------------------------

    def export_choices(self, project: Path) -> ExportChoices:
        """The choices of the last export written from ``project``; a value missing or
        of the wrong kind (a hand-edited file) is None. Whether a value still makes
        sense (a format still offered, a folder still there) is the dialog's to judge."""
        from factmark.ui.dialogs.export_choices import ExportChoices

        group = _export_group(project)

        def stored(key: str) -> object:
            return self.qsettings.value(f"{group}/{key}")

        folder = _text(stored("folder"))
        statuses = stored("statuses")
        if isinstance(statuses, str):  # QSettings reads "a, b" as a list, "a" as a string
            statuses = statuses.split(",")
        ticked = None
        if isinstance(statuses, list) and all(isinstance(s, str) for s in statuses):
            ticked = frozenset(s.strip() for s in statuses) - {""} or None
        return ExportChoices(
            format=_text(stored("format")),
            folder=Path(folder) if folder and Path(folder).is_absolute() else None,
            nested=_text(stored("nested")),
            scheme=_text(stored("scheme")),
            statuses=ticked,
            layer=_text(stored("layer")),
            split_on=_switch(stored("split_on")),
            split=_text(stored("split")),
            seed=_whole(stored("seed")),
            min_per_part=_whole(stored("min_per_part")),
            split_by=_text(stored("split_by")),
            card=_switch(stored("card")),
            pseudonymise=_switch(stored("pseudonymise")),
        )

    def set_export_choices(self, project: Path, choices: ExportChoices) -> None:
        """Remember the choices of an export just written from ``project`` (the values
        of at most 50 projects are kept, those of the latest exports)."""
        group = _export_group(project)
        self.qsettings.remove(group)
        self.qsettings.setValue(f"{group}/project", str(Path(project).resolve()))
        self.qsettings.setValue(f"{group}/saved", time.time_ns())
        for key in (*_EXPORT_TEXTS, *_EXPORT_NUMBERS):
            chosen = getattr(choices, key)
            if chosen is not None:
                self.qsettings.setValue(f"{group}/{key}", chosen)
        for key in _EXPORT_SWITCHES:
            chosen = getattr(choices, key)
            if chosen is not None:
                self.qsettings.setValue(f"{group}/{key}", "true" if chosen else "false")
        if choices.folder is not None:
            self.qsettings.setValue(f"{group}/folder", str(choices.folder))
        if choices.statuses:
            self.qsettings.setValue(f"{group}/statuses", sorted(choices.statuses))
        self._forget_oldest_exports()
        self.qsettings.sync()

    def _forget_oldest_exports(self) -> None:
        self.qsettings.beginGroup("export")
        try:
            projects = self.qsettings.childGroups()
            saved = {p: _whole(self.qsettings.value(f"{p}/saved")) or 0 for p in projects}
            for oldest in sorted(projects, key=saved.__getitem__)[:-MAX_EXPORT_PROJECTS]:
                self.qsettings.remove(oldest)
        finally:
            self.qsettings.endGroup()

    def set_window_state(
        self, geometry: QByteArray, state: QByteArray, splitter: list[int]
    ) -> None:
        """Remember the window's geometry, dock/toolbar state and splitter sizes."""
        self.qsettings.setValue("window/geometry", geometry)
        self.qsettings.setValue("window/state", state)
        self.qsettings.setValue("window/splitter", splitter)


def _export_group(project: Path) -> str:
    """The INI group of a project's export choices: a digest of its resolved path (a
    path cannot be a QSettings key); the group's ``project`` value names it for readers."""
    import hashlib  # loaded when the export dialog opens, not at start

    digest = hashlib.sha256(str(Path(project).resolve()).encode("utf-8", "surrogatepass"))
    return f"export/{digest.hexdigest()[:16]}"


def _text(value: object) -> str | None:
    """A text value as QSettings reads it: unquoted commas in a hand-edited file make
    it a list, which stands for the text with its commas."""
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return ",".join(value)
    return value if isinstance(value, str) else None


def _switch(value: object) -> bool | None:
    text = str(value).strip().lower() if isinstance(value, (str, bool)) else ""
    return {"true": True, "false": False}.get(text)


def _whole(value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and len(value) < 40:
        try:
            return int(value)
        except ValueError:
            return None
    return None


def _keep_going(setter: Callable[..., None], *args: object) -> None:
    """Call a preferences setter; a file that cannot be written (read-only folder, full
    disk) does not interrupt the window: the value holds for this session."""
    try:
        setter(*args)
    except OSError as error:
        print(f"factmark: preferences not saved: {error}", file=sys.stderr)
