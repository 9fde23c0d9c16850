"""Annotator pseudonyms, for sharing a corpus outside the newsroom (``--pseudonymise
annotators``).

Each annotator name becomes ``annotator-`` and 12 hex digits of an HMAC-SHA256 of the name
under a random key the project keeps in its settings (``annotator_pseudonym_key``, made at
the first pseudonymised export). So the same name gets the same pseudonym in every export
of the project (and of its copies, which carry the key), while someone holding the corpus
cannot find who is behind a pseudonym by trying names: without the key, a guess cannot be
checked. The gold layer (``gold``) is a role, not a person, and keeps its name; spans
without an annotator stay without one.

Only annotator names are replaced: span notes, document metadata and the guidelines are
exported as they are written.
"""

from __future__ import annotations

import re
from typing import Any

from factmark.core.model import GOLD, ValidationError
from factmark.core.settings_store import SettingsStore

OPTION = "pseudonymise"  # the export option (``options["pseudonymise"] = "annotators"``)
WHAT = ("annotators",)  # what can be pseudonymised
SETTING = "annotator_pseudonym_key"
PREFIX = "annotator-"
DIGITS = 12  # 48 bits: two names of one project sharing a pseudonym is not to be expected
_KEY = re.compile(r"[0-9a-f]{64}")


def check_option(value: str | None) -> None:
    """Raise ValidationError unless ``value`` is something that can be pseudonymised."""
    if value is not None and value not in WHAT:
        raise ValidationError(f"cannot pseudonymise {value!r} (use {', '.join(WHAT)})")


def ensure_key(project: SettingsStore) -> None:
    """Make the project's pseudonym key when it has none (or an unusable one); needs a
    project open for writing. Names keep their pseudonyms once the key exists."""
    if not _usable(project.setting(SETTING)):
        import secrets  # loaded when a key is made: it loads OpenSSL's hashes

        project.set_setting(SETTING, secrets.token_hex(32))


def has_key(project: SettingsStore) -> bool:
    """Whether the project has its pseudonym key (exports can pseudonymise read-only)."""
    return _usable(project.setting(SETTING))


class Pseudonyms:
    """Annotator name -> pseudonym under one project's key."""

    def __init__(self, key: bytes) -> None:
        self._key = key
        self._known: dict[str, str] = {}

    @classmethod
    def of(cls, project: SettingsStore) -> Pseudonyms:
        """The project's pseudonyms; raises ValidationError when it has no key yet (see
        :func:`ensure_key`)."""
        key = project.setting(SETTING)
        if not _usable(key):
            raise ValidationError(
                f"{getattr(project, 'path', 'the project')}: no pseudonym key yet; open the "
                "project for writing once to make one"
            )
        return cls(bytes.fromhex(key))

    def name(self, annotator: str | None) -> str | None:
        """The pseudonym of ``annotator`` (``gold`` and no annotator stay as they are)."""
        if not annotator or annotator == GOLD:
            return annotator
        known = self._known.get(annotator)
        if known is None:
            import hashlib  # loaded by a pseudonymised export only: OpenSSL's hashes
            import hmac

            digest = hmac.new(
                self._key, annotator.encode("utf-8", "surrogatepass"), hashlib.sha256
            ).hexdigest()
            known = self._known[annotator] = PREFIX + digest[:DIGITS]
        return known

    def record(self, record: dict[str, Any]) -> dict[str, Any]:
        """The record with every span's annotator replaced (in place)."""
        for span in record["spans"]:
            span["annotator"] = self.name(span["annotator"])
        return record


def _usable(key: object) -> bool:
    return isinstance(key, str) and _KEY.fullmatch(key) is not None
