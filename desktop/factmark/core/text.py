"""Turning file bytes into stored text, exactly as the offsets rule says.

The stored text is the imported text with a UTF-8 BOM removed and ``\\r\\n`` /
``\\r`` turned into ``\\n``; nothing else changes (no NFC, no whitespace edits).
A leading U+FEFF is always taken for a BOM (however many there are), so stored
text is a fixed point of the rule and survives export and re-import unchanged.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from charset_normalizer import from_bytes

from factmark.core.model import ValidationError

# charset-normalizer rates how garbled a decoding looks; above this it is a guess
# we would rather refuse than store as mojibake.
_MAX_CHAOS = 0.2


@dataclass(frozen=True)
class Decoded:
    """Text decoded from bytes and the encoding that was used."""

    text: str
    encoding: str

    @property
    def was_utf8(self) -> bool:
        return self.encoding in ("utf-8", "utf-8-sig")


def normalise_newlines(text: str) -> str:
    """Turn ``\\r\\n`` and lone ``\\r`` into ``\\n`` and drop leading BOMs."""
    text = text.lstrip("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def check_text(text: str) -> None:
    """Refuse text a document cannot hold: NUL (binary data) or nothing but whitespace."""
    if "\x00" in text:
        raise ValidationError("binary data (the text holds NUL characters), not an article")
    if not text.strip():
        raise ValidationError("empty: there is no text to annotate")


def decode_bytes(data: bytes) -> Decoded:
    """Decode file bytes: UTF-8 (with or without BOM) first, else a detected encoding.

    Raises ValidationError for binary data, empty input, or bytes whose encoding
    cannot be told with confidence (rather than storing mojibake).
    """
    if not data.strip():
        raise ValidationError("empty file: there is no text to annotate")
    if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ValidationError("binary file (it holds NUL bytes), not text")
    if data.startswith(b"\xef\xbb\xbf"):
        return Decoded(_utf8(data[3:]), "utf-8-sig")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None or best.chaos > _MAX_CHAOS:
        raise ValidationError("unknown text encoding (not UTF-8, and no other encoding fits)")
    text = str(best)
    if "\x00" in text:
        raise ValidationError("binary file (it holds NUL bytes), not text")
    return Decoded(text, best.encoding)


def _utf8(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ValidationError(
            f"starts with a UTF-8 BOM but byte {error.start} is not UTF-8"
        ) from None


def text_uid(text: str) -> str:
    """The document identity: sha256 of the stored (normalised) text, in hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
