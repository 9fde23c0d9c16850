"""The annotation guidelines (Markdown): reading them by label, and from files."""

from __future__ import annotations

import re
from pathlib import Path

from factmark.core.model import ValidationError
from factmark.core.source_files import MAX_GUIDELINES, read_bounded
from factmark.core.text import normalise_newlines


def section(markdown: str, heading: str) -> str:
    """The text under the ``## heading`` of the guidelines (case-insensitive), or ""."""
    lines = markdown.splitlines()
    found: list[str] = []
    inside = False
    for line in lines:
        match = re.match(r"^(#{1,6})\s+(.*?)\s*#*\s*$", line)
        if match:
            if inside:
                break
            inside = match.group(2).strip().lower() == heading.strip().lower()
            continue
        if inside:
            found.append(line)
    return "\n".join(found).strip()


def decode_guidelines(data: bytes) -> str:
    """Guidelines from a Markdown file's bytes: strictly UTF-8, a BOM removed, ``\\n`` newlines.

    Unlike articles, guidelines are never decoded by guessing: a newsroom writes
    them once and a wrong guess would garble every tooltip and dataset card.
    Raises ValidationError, with the reason alone (callers name the file), for
    bytes that are not UTF-8, binary data (NUL) and files with no text at all
    (most likely a mistake, such as an empty pipe, rather than a wish for none).
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ValidationError("UTF-16 text, not UTF-8; save it as UTF-8")
    if b"\x00" in data:
        raise ValidationError("binary data (it holds NUL bytes), not Markdown text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError(
            f"not UTF-8 text (byte {error.start} is not valid UTF-8); save it as UTF-8"
        ) from None
    if not text.strip():
        raise ValidationError("empty: there are no guidelines in it")
    return normalise_newlines(text)


def read_guidelines(path: Path) -> str:
    """The guidelines in a Markdown file (see :func:`decode_guidelines`).

    Raises OSError when the file cannot be read, ValidationError when it is not
    UTF-8 Markdown text, not a regular file (a device, a named pipe) or larger than
    :data:`~factmark.core.source_files.MAX_GUIDELINES`.
    """
    return decode_guidelines(read_bounded(path, MAX_GUIDELINES, "the guidelines"))
