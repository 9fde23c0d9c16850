"""What the user chose, shared by the window and the command line: one JSON file.

``preferences.json`` lives in the per-user config folder (``platformdirs``, e.g.
``~/.config/Factmark`` on Linux). It holds the annotator name, the behaviour
switches, the zoom, the recent projects and the last document shown per project.
The window's size and layout are not here: they stay in Qt's own settings file.

Every setter writes the whole file at once (a temporary file in the same folder,
then ``os.replace``), so a crash leaves either the old file or the new one. Reading
never raises: a missing, damaged, oversized or non-object file, or a value of the
wrong type, reads as the default, and a damaged file is left as it is until a setter
writes a new one. Each read checks the file's identity (``os.stat``) and reloads it
when another process (another window, ``factmark preferences``) has changed it.

On first use, when ``preferences.json`` does not exist yet but the INI file of
earlier versions (``factmark.ini``, written by Qt's QSettings) does, the annotator,
the switches, the zoom and the recent projects are taken over from it.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import unicodedata
from pathlib import Path
from typing import Any

from factmark.core.model import GOLD, ValidationError
from factmark.core.source_files import not_regular
from factmark.core.workspace import user_dir

PREFERENCES_FILE = "preferences.json"
LEGACY_FILE = "factmark.ini"  # QSettings' INI file of earlier versions
MAX_RECENT = 8
MAX_ANNOTATOR_LENGTH = 100
MAX_FILE_BYTES = 1024 * 1024  # a larger file is not read: defaults are used
MAX_LAST_DOCUMENTS = 200  # projects whose last document is remembered
ZOOM_LIMIT = 100  # zoom steps beyond this either way read as the default
FORMAT_VERSION = 1

_MISSING = "missing"
_UNREADABLE = "unreadable"
# Line and paragraph separators end a line as much as "\n" does.
_REFUSED_CATEGORIES = {"Cc", "Cs", "Zl", "Zp"}


def config_dir() -> Path:
    """The per-user config folder, e.g. ``~/.config/Factmark`` on Linux."""
    return user_dir("XDG_CONFIG_HOME", "~/.config")


def default_path() -> Path:
    """Where the user's preferences are kept when no path is given."""
    return config_dir() / PREFERENCES_FILE


def clean_annotator(name: str) -> str:
    """``name`` without surrounding white space, or ValidationError for a name that
    cannot be recorded on spans: empty, over 100 characters, or holding a line break
    or another control character."""
    cleaned = name.strip()
    if not cleaned:
        raise ValidationError("the annotator name is empty")
    if len(cleaned) > MAX_ANNOTATOR_LENGTH:
        raise ValidationError(
            f"the annotator name is {len(cleaned)} characters long; "
            f"at most {MAX_ANNOTATOR_LENGTH} are allowed"
        )
    for char in cleaned:
        if unicodedata.category(char) in _REFUSED_CATEGORIES:
            raise ValidationError(
                f"the annotator name holds a line break or control character "
                f"(U+{ord(char):04X}); use one line of text"
            )
    return cleaned


def login_name() -> str:
    """The user's login name, or ``"annotator"`` when it cannot be told or recorded."""
    import getpass  # here: it loads the terminal's module, which a start never needs

    try:
        return clean_annotator(getpass.getuser())
    except (KeyError, OSError, ImportError, ValidationError):
        return "annotator"


class Preferences:
    """Typed access to the user's preferences file (see the module's description)."""

    def __init__(self, path: Path | None = None, *, legacy_path: Path | None = None) -> None:
        """Preferences kept in ``path`` (default: ``preferences.json`` in the user config
        folder); ``legacy_path`` is the INI file of earlier versions to take over from
        (default: ``factmark.ini`` beside ``path``)."""
        self.path = Path(path) if path is not None else default_path()
        self.legacy_path = (
            Path(legacy_path) if legacy_path is not None else self.path.parent / LEGACY_FILE
        )
        self._data: dict[str, Any] = {}
        self._signature: tuple[int, int, int] | str | None = None  # None: never read
        self._problem: str | None = None
        self._login: str | None = None  # the login name, asked of the system once

    # -- who is annotating -----------------------------------------------------

    def annotator(self) -> str:
        """The annotator recorded on new spans: the chosen name, else the login name."""
        chosen = self._chosen_annotator()
        if chosen is not None:
            return chosen
        if self._login is None:
            self._login = login_name()
        return self._login

    def has_annotator(self) -> bool:
        """Whether an annotator name has been chosen (rather than the login name)."""
        return self._chosen_annotator() is not None

    def set_annotator(self, name: str) -> None:
        """Choose the annotator name (surrounding white space removed).

        Raises ValidationError for an empty name, one over 100 characters, one with a
        line break or control character, and for ``gold`` (the adjudicated layer's
        name, which only accepting a span in review mode records).
        """
        cleaned = clean_annotator(name)
        if cleaned == GOLD:
            raise ValidationError(
                f"{GOLD!r} names the adjudicated layer (spans accepted in review mode); "
                "choose a person's name or initials"
            )
        self._set("annotator", cleaned)

    def _chosen_annotator(self) -> str | None:
        value = self._current().get("annotator")
        if not isinstance(value, str):
            return None
        try:
            cleaned = clean_annotator(value)
        except ValidationError:
            return None
        return None if cleaned == GOLD else cleaned

    # -- behaviour -------------------------------------------------------------

    def snap_to_words(self) -> bool:
        """Whether selections widen to whole words before labelling (default on)."""
        return self._bool("snap_to_words", True)

    def set_snap_to_words(self, on: bool) -> None:
        """Turn widening selections to whole words on or off."""
        self._set("snap_to_words", bool(on))

    def suggest_on_open(self) -> bool:
        """Whether opening a document computes suggestions for it (default off)."""
        return self._bool("suggest_on_open", False)

    def set_suggest_on_open(self, on: bool) -> None:
        """Turn computing suggestions when a document opens on or off."""
        self._set("suggest_on_open", bool(on))

    def zoom(self) -> int:
        """The article text's zoom in steps from the normal size (default 0)."""
        value = self._current().get("zoom")
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) <= ZOOM_LIMIT:
            return value
        return 0

    def set_zoom(self, steps: int) -> None:
        """Remember the article text's zoom (ValidationError beyond 100 steps either way)."""
        if not isinstance(steps, int) or isinstance(steps, bool) or abs(steps) > ZOOM_LIMIT:
            raise ValidationError(
                f"the zoom must be a whole number from -{ZOOM_LIMIT} to {ZOOM_LIMIT}"
            )
        self._set("zoom", steps)

    # -- projects and documents ------------------------------------------------

    def recent_projects(self) -> list[Path]:
        """Recently opened projects that still exist, most recent first (at most 8)."""
        value = self._current().get("recent_projects")
        if not isinstance(value, list):
            return []
        found: list[Path] = []
        seen: set[str] = set()
        for item in value:
            if not isinstance(item, str) or not item:
                continue
            path = Path(item)
            key = _same_file_key(path)
            if path.is_absolute() and key not in seen and path.exists():
                seen.add(key)
                found.append(path)
            if len(found) == MAX_RECENT:
                break
        return found

    def add_recent_project(self, path: Path) -> None:
        """Put ``path`` first among the recent projects (projects gone are dropped)."""
        resolved = Path(path).resolve()
        key = _same_file_key(resolved)
        others = [p for p in self.recent_projects() if _same_file_key(p) != key]
        self._set("recent_projects", [str(p) for p in [resolved, *others][:MAX_RECENT]])

    def last_project(self) -> Path | None:
        """The project opened most recently that still exists, or None."""
        recent = self.recent_projects()
        return recent[0] if recent else None

    def last_document(self, project_path: Path) -> int | None:
        """The id of the document last shown in this project, or None."""
        table = self._current().get("last_documents")
        if not isinstance(table, dict):
            return None
        value = table.get(_project_key(project_path))
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return value
        return None

    def set_last_document(self, project_path: Path, document_id: int | None) -> None:
        """Remember the document shown in this project (None forgets it)."""
        if document_id is not None and (
            not isinstance(document_id, int) or isinstance(document_id, bool) or document_id < 1
        ):
            raise ValidationError(f"a document id is a positive whole number, not {document_id!r}")
        key = _project_key(project_path)
        table = self._current().get("last_documents")
        table = dict(table) if isinstance(table, dict) else {}
        if table.get(key) == document_id and not self._problem:
            return
        table.pop(key, None)  # re-inserted last: the most recently set stay when trimming
        if document_id is not None:
            table[key] = document_id
        while len(table) > MAX_LAST_DOCUMENTS:
            del table[next(iter(table))]
        self._set("last_documents", table)

    # -- the file --------------------------------------------------------------

    def problem(self) -> str | None:
        """Why the file was not used as it is (damaged, too large...), or None when it was
        read (or does not exist yet); the defaults stand in for what could not be read."""
        self._current()
        return self._problem

    def _bool(self, key: str, default: bool) -> bool:
        value = self._current().get(key)
        return value if isinstance(value, bool) else default

    def _current(self) -> dict[str, Any]:
        """The file's contents, read again only when the file has changed."""
        signature = _signature(self.path)
        if signature == self._signature:
            return self._data
        self._signature = signature
        self._problem = None
        if signature == _MISSING:
            self._data = self._take_over()
        elif signature == _UNREADABLE:
            self._data, self._problem = {}, "cannot be read"
        else:
            self._data, self._problem = _read(self.path)
        return self._data

    def _set(self, key: str, value: Any) -> None:
        """Store one value and write the file now (nothing is written when it is unchanged)."""
        data = self._current()
        unchanged = key in data and type(data[key]) is type(value) and data[key] == value
        if unchanged and not self._problem:
            return
        self._write({**data, key: value})

    def _write(self, data: dict[str, Any]) -> None:
        """Replace the file with ``data`` in one step; keeps ``data`` in memory even when
        writing fails (OSError is raised), so the session goes on with it."""
        data = {"version": FORMAT_VERSION, **{k: v for k, v in data.items() if k != "version"}}
        self._data = data
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(
            dir=self.path.parent, prefix=f".{self.path.stem}-", suffix=".tmp"
        )
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as file:
                file.write(text)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        self._signature = _signature(self.path)
        self._problem = None

    def _take_over(self) -> dict[str, Any]:
        """The values of the earlier versions' INI file, saved as this file (best effort);
        empty when there is no such file."""
        if not self.legacy_path.is_file():
            return {}
        data = read_legacy_settings(self.legacy_path)
        with contextlib.suppress(OSError):  # then taken over for this session only
            self._write(data)
        return self._data


def _signature(path: Path) -> tuple[int, int, int] | str:
    """What tells one version of the file from another (a replaced file is a new inode)."""
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return _MISSING
    except OSError:
        return _UNREADABLE
    return (stat.st_ino, stat.st_mtime_ns, stat.st_size)


def _read(path: Path) -> tuple[dict[str, Any], str | None]:
    """The file's object and None, or ``({}, why)`` when it cannot be used."""
    try:
        kind = not_regular(path)  # before opening it: a named pipe would block
        if kind is not None:
            return {}, f"is not a regular file ({kind})"
        with path.open("rb") as file:
            raw = file.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        return {}, f"cannot be read ({error.strerror or error})"
    if len(raw) > MAX_FILE_BYTES:
        return {}, f"is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB"
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return {}, "is not valid JSON"
    if not isinstance(data, dict):
        return {}, "does not hold a JSON object"
    return data, None


def _project_key(project_path: Path) -> str:
    return str(Path(project_path).resolve())


def _same_file_key(path: Path) -> str:
    """Paths compare as the file system does (case-insensitively on Windows)."""
    return os.path.normcase(str(path))


# -- taking over the INI file of earlier versions ------------------------------


def read_legacy_settings(path: Path) -> dict[str, Any]:
    """The preferences found in a QSettings INI file of an earlier Factmark (section
    ``[General]``): annotator, snap_to_words, suggest_on_open, zoom, recent_projects.

    Values that are missing or cannot be understood are left out; never raises.
    """
    import configparser

    try:
        with path.open("rb") as file:
            raw = file.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:
            return {}
        parser = configparser.RawConfigParser(
            delimiters=("=",), strict=False, interpolation=None, default_section="\0"
        )
        parser.optionxform = str  # type: ignore[assignment,method-assign]
        parser.read_string(raw.decode("utf-8", errors="replace"))
    except (OSError, configparser.Error):
        return {}
    if not parser.has_section("General"):
        return {}
    general = {key: _qt_value(value) for key, value in parser.items("General")}
    taken: dict[str, Any] = {}
    annotator = general.get("annotator")
    if isinstance(annotator, str):
        try:
            name = clean_annotator(annotator)
        except ValidationError:
            name = ""
        if name and name != GOLD:
            taken["annotator"] = name
    for key in ("snap_to_words", "suggest_on_open"):
        value = general.get(key)
        if isinstance(value, str) and value.lower() in ("true", "false"):
            taken[key] = value.lower() == "true"
    zoom = general.get("zoom")
    if isinstance(zoom, str):
        try:
            steps = int(zoom)
        except ValueError:
            steps = None
        if steps is not None and abs(steps) <= ZOOM_LIMIT:
            taken["zoom"] = steps
    recent = general.get("recent_projects")
    if isinstance(recent, str):
        recent = [recent]
    if isinstance(recent, list):
        taken["recent_projects"] = [p for p in recent if p][:MAX_RECENT]
    return taken


def _qt_value(raw: str) -> str | list[str] | None:
    """A value as QSettings reads it from an INI file: a string, a list of strings
    (comma-separated), or None for ``@Invalid()`` and the other ``@Type(...)`` values."""
    items, is_list = _qt_unescape(raw)
    if not is_list:
        return _qt_string(items[0])
    strings = [_qt_string(item) for item in items]
    return [s for s in strings if s is not None]


def _qt_string(text: str) -> str | None:
    if text.startswith("@@"):
        return text[1:]
    if text.startswith("@"):
        return None  # @Invalid(), @ByteArray(...), @Variant(...): not a plain string
    return text


_ESCAPES = {
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "v": "\v",
    '"': '"',
    "?": "?",
    "'": "'",
    "\\": "\\",
}
_HEX = "0123456789abcdefABCDEF"
_OCTAL = "01234567"


def _qt_unescape(raw: str) -> tuple[list[str], bool]:
    """Split and unescape an INI value the way QSettings does: double quotes group,
    backslash escapes (C-style, ``\\x`` hex and octal), unquoted commas separate list
    items, spaces around unquoted items are dropped. Returns the items and whether
    the value is a list (it had an unquoted comma)."""
    items: list[str] = []
    current: list[str] = []
    is_list = in_quotes = quoted = False
    chop_limit = 0
    i, size = 0, len(raw)

    def skip_spaces(at: int) -> int:
        while at < size and raw[at] in " \t":
            at += 1
        return at

    def chop(limit: int) -> None:
        while len(current) > limit and current[-1] in " \t":
            current.pop()

    i = skip_spaces(i)
    while i < size:
        char = raw[i]
        if char == "\\":
            i += 1
            if i >= size:
                break
            code = raw[i]
            i += 1
            if code in _ESCAPES:
                current.append(_ESCAPES[code])
            elif code == "x" or code in _OCTAL:
                # \x and at least one hex digit, or octal digits; a bare \x is dropped.
                digits, base = (_HEX, 16) if code == "x" else (_OCTAL, 8)
                value, count = (0, 0) if code == "x" else (int(code), 1)
                while i < size and raw[i] in digits:
                    value = (value * base + int(raw[i], base)) & 0xFFFF
                    count += 1
                    i += 1
                if count:
                    current.append(_utf16_unit(value))
            chop_limit = len(current)
        elif char == '"':
            i += 1
            quoted = True
            in_quotes = not in_quotes
            if not in_quotes:
                i = skip_spaces(i)
                chop_limit = len(current)
        elif char == "," and not in_quotes:
            if not quoted:
                chop(chop_limit)
            is_list = True
            items.append("".join(current))
            current, quoted = [], False
            i = skip_spaces(i + 1)
            chop_limit = 0
        else:
            current.append(char)
            i += 1
    if not quoted:
        chop(chop_limit)
    items.append("".join(current))
    return items, is_list


def _utf16_unit(value: int) -> str:
    """One UTF-16 code unit as a character (a lone surrogate becomes U+FFFD)."""
    return "\ufffd" if 0xD800 <= value <= 0xDFFF else chr(value)
