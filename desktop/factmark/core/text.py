"""Turning file bytes into stored text, exactly as the offsets rule says.

The stored text is the imported text with a UTF-8 BOM removed and ``\\r\\n`` /
``\\r`` turned into ``\\n``; nothing else changes (no NFC, no whitespace edits).
A leading U+FEFF is always taken for a BOM (however many there are), so stored
text is a fixed point of the rule and survives export and re-import unchanged.
"""

from __future__ import annotations

from typing import NamedTuple

from factmark.core.model import ValidationError

# charset-normalizer rates how garbled a decoding looks; above this it is a guess
# we would rather refuse than store as mojibake.
_MAX_CHAOS = 0.2
# Decodings this close to the least garbled one are as likely to be right.
_TIED_CHAOS = 0.01
# Legacy encodings an article is plausibly saved in. DOS and Mac code pages are left
# out: on a short text they look as clean as these and would win as often as not.
_LEGACY_ENCODINGS = [
    "cp1252",
    "iso8859_15",
    "cp1250",
    "iso8859_2",
    "cp1251",
    "koi8_r",
    "koi8_u",
    "cp1253",
    "cp1254",
    "cp1255",
    "cp1256",
    "cp1257",
    "gb18030",
    "big5",
    "shift_jis",
    "euc_jp",
    "euc_kr",
    "utf_16",
    "utf_32",
]


class Decoded(NamedTuple):
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
    if not text or text.isspace():  # nothing but whitespace (without copying the text)
        raise ValidationError("empty: there is no text to annotate")


def decode_bytes(data: bytes) -> Decoded:
    """Decode file bytes: UTF-8 (with or without BOM) first, else a detected encoding.

    Raises ValidationError for binary data, empty input, or bytes whose encoding
    cannot be told with confidence (rather than storing mojibake): when equally
    clean candidates read the bytes differently (Latin-1 ``ñ`` is Central European
    ``ń``), the file is refused rather than decoded by a coin toss.
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
        pass  # not UTF-8: find the encoding below
    from charset_normalizer import from_bytes  # only for files that are not UTF-8

    matches = list(from_bytes(data, cp_isolation=_LEGACY_ENCODINGS))
    least = min((m.chaos for m in matches), default=1.0)
    if least > _MAX_CHAOS:
        raise ValidationError("unknown text encoding (not UTF-8, and no other encoding fits)")
    tied = [m for m in matches if m.chaos <= least + _TIED_CHAOS]
    if len({str(m) for m in tied}) > 1:
        names = ", ".join(m.encoding for m in tied)
        raise ValidationError(
            f"the text encoding cannot be told for sure (it reads differently as {names}); "
            "save the file as UTF-8 and import it again"
        )
    best = tied[0]
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
    import hashlib  # when a document is added: the window starts without it

    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def holds_nul(value: object) -> bool:
    """Whether a string anywhere in ``value`` (JSON data: dicts, lists, strings) holds NUL.
    A loop, not recursion: a file's data may nest deeper than Python's stack."""
    waiting = [value]
    while waiting:
        item = waiting.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            waiting.extend(item.keys())
            waiting.extend(item.values())
        elif isinstance(item, list):
            waiting.extend(item)
    return False


def counted(number: int, noun: str) -> str:
    """``number`` with ``noun`` as English says it: "1 document", "2 documents"."""
    return f"{number:,} {noun}" if number == 1 else f"{number:,} {noun}s"
