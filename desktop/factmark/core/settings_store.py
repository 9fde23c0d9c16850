"""Project settings (a JSON value per key): the annotation guidelines, span and link
attributes."""

from __future__ import annotations

import json
from typing import Any

from factmark.core.model import ValidationError
from factmark.core.storage import Storage
from factmark.core.text import normalise_newlines


class SettingsStore(Storage):
    """A project's settings; a change to any of them is a "settings" change."""

    # -- settings: guidelines, attributes ------------------------------------

    def setting(self, key: str, default: Any = None) -> Any:
        """A project setting (JSON value), or ``default``."""
        rows = self._query("SELECT value FROM settings WHERE key = ?", [key])
        return settings_value(rows[0]["value"]) if rows else default

    def set_setting(self, key: str, value: Any) -> None:
        """Store a project setting (any JSON value) in one transaction."""
        import orjson  # not at start (see storage._loads)

        with self.transaction():
            self.conn.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, orjson.dumps(value).decode()],
            )
        self._notify("settings")

    def guidelines(self) -> str:
        """The project's annotation guidelines (Markdown)."""
        return str(self.setting("guidelines", ""))

    def set_guidelines(self, text: str) -> None:
        """Replace the project's annotation guidelines (Markdown) in one transaction.

        Newlines are stored as ``\\n`` (``\\r\\n`` and ``\\r`` converted, leading BOMs
        dropped), as for document text. Text holding NUL (binary data) or unpaired
        surrogates is refused with ValidationError, and the stored guidelines stay as
        they were. Empty text is allowed: the export card then has no guidelines
        section. Listeners hear a "settings" change.
        """
        if "\x00" in text:
            raise ValidationError(
                "binary data (the guidelines hold NUL characters), not Markdown text"
            )
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise ValidationError("the guidelines hold unpaired surrogates, not text") from None
        self.set_setting("guidelines", normalise_newlines(text))

    def attribute_definitions(self) -> dict[str, list[dict[str, Any]]]:
        """Per label, the attributes its spans can carry: name, values and keys.

        Only well-formed definitions are given (a name, a list of text values, optionally
        a list of text keys): a project from elsewhere may hold anything here.
        """
        return _definitions(self.setting("attributes", {}))

    def link_attribute_definitions(self) -> dict[str, list[dict[str, Any]]]:
        """Per link type, the attributes its links can carry (``quote`` on
        ``attributed_to`` by default), in the shape of :meth:`attribute_definitions`."""
        return _definitions(self.setting("link_attributes", {}))


class _OrjsonReadsIt(Exception):
    """A value that orjson may read otherwise than json."""


def _integer(text: str) -> int:
    number = int(text)
    if not -(2**63) <= number < 2**64:
        raise _OrjsonReadsIt  # orjson reads it as a float
    return number


def _not_json_alone(text: str) -> object:
    raise _OrjsonReadsIt


def settings_value(text: str | bytes) -> Any:
    """The value orjson reads from a stored setting, without importing orjson for the
    values a start reads (the guidelines, attribute definitions: see storage._loads).

    The standard library's json, which a start has loaded anyway, reads a setting with
    no ``\\u`` escape, float or NaN whose integers fit in 64 bits as orjson does; any
    other text, and any json refuses, is read by orjson itself (its value or its error).
    """
    if isinstance(text, str) and "\\u" not in text:
        try:
            text.encode()  # no lone surrogate, which orjson refuses and json reads
            return json.loads(
                text,
                parse_int=_integer,
                parse_float=_not_json_alone,
                parse_constant=_not_json_alone,
            )
        except (ValueError, RecursionError, _OrjsonReadsIt):
            pass
    import orjson

    return orjson.loads(text)


def _definitions(value: object) -> dict[str, list[dict[str, Any]]]:
    """The well-formed attribute definitions of a setting's value, by label or type."""
    if not isinstance(value, dict):
        return {}
    found: dict[str, list[dict[str, Any]]] = {}
    for label, definitions in value.items():
        kept = [d for d in definitions if _well_formed(d)] if isinstance(definitions, list) else []
        if isinstance(label, str) and kept:
            found[label] = kept
    return found


def _well_formed(definition: object) -> bool:
    """Whether an attribute definition has what the window and exports use."""
    if not isinstance(definition, dict) or not isinstance(definition.get("name"), str):
        return False
    values, keys = definition.get("values"), definition.get("keys", [])
    return (
        isinstance(values, list)
        and all(isinstance(v, str) for v in values)
        and isinstance(keys, list)
        and all(isinstance(k, str) for k in keys)
    )
