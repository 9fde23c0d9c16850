"""Word documents (``.docx``) via python-docx: paragraphs kept, one blank line between."""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from factmark.core.importing.base import Item, title_from
from factmark.core.incoming import IncomingDocument
from factmark.core.model import ValidationError

SUFFIXES = (".docx",)
# A .docx is a zip archive: the sizes its directory gives are checked before any part
# is inflated, so that a small file that inflates to gigabytes (a zip bomb) is refused
# at once. Real Word documents are far below both limits. An archive can understate a
# size, and zipfile's read() inflates a whole part before cutting it to that size, so
# python-docx never reads the file itself: it reads a copy whose parts were inflated in
# small steps and never past their stated sizes (see _bounded_copy).
MAX_UNCOMPRESSED = 200 * 1024 * 1024  # all parts together, in bytes
MAX_RATIO = 100  # inflated / compressed, for a part of more than BIG_PART bytes
BIG_PART = 10 * 1024 * 1024


def read(path: Path) -> Iterator[Item]:
    """The document's paragraph text; its title property (or first line) as title."""
    import docx  # imported when a .docx is read, not at every start
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import LxmlError

    # A damaged part (bad XML, bad compressed data, elements where others belong)
    # surfaces as any of these, when the file is opened or a part is first read.
    damaged = (
        PackageNotFoundError,
        zipfile.BadZipFile,
        zlib.error,
        LxmlError,
        KeyError,
        ValueError,
        AttributeError,
        NotImplementedError,  # a zip version or compression Python cannot read
        EOFError,
    )
    try:
        document = docx.Document(_bounded_copy(path))
        paragraphs = [p.text for p in document.paragraphs if p.text.strip()]
        properties = document.core_properties
        meta = {
            key: str(value)
            for key, value in (
                ("author", properties.author),
                ("date", properties.created and properties.created.date().isoformat()),
                ("language", properties.language),
            )
            if value
        }
        title = (properties.title or "").strip()
    except ValidationError:
        raise  # check_sizes' refusal, which is a ValueError too
    except damaged:
        raise ValidationError("not a readable .docx file (damaged or truncated)") from None
    text = "\n\n".join(paragraphs) + "\n" if paragraphs else ""
    yield Item(None, IncomingDocument(text, title or title_from(text, path), meta))


def _bounded_copy(path: Path) -> io.BytesIO:
    """The archive's parts, after :func:`check_sizes`, in an uncompressed in-memory copy.

    Each part is inflated in 64 KB steps and never past the size the archive states
    (zipfile stops there; a part whose data runs longer fails its CRC check or its XML
    is cut short): at most :data:`MAX_UNCOMPRESSED` bytes in all, however the archive lies.
    """
    copy = io.BytesIO()
    with zipfile.ZipFile(path) as archive, zipfile.ZipFile(copy, "w") as out:
        parts = archive.infolist()
        check_sizes(parts)
        # A name given twice: zipfile reads the last one, and so does the copy.
        for name, part in {part.filename: part for part in parts}.items():
            if part.is_dir():
                continue
            if part.flag_bits & 0x1:  # zipfile would raise RuntimeError asking for a password
                raise ValidationError(f"part {name!r} of the .docx is encrypted: it cannot be read")
            chunks = []
            with archive.open(part) as member:
                while chunk := member.read(64 * 1024):
                    chunks.append(chunk)
            out.writestr(name, b"".join(chunks))
    copy.seek(0)
    return copy


def check_sizes(parts: list[zipfile.ZipInfo]) -> None:
    """Refuse an archive whose parts would inflate past :data:`MAX_UNCOMPRESSED` in
    all, or a big part compressed more than :data:`MAX_RATIO` times (ValidationError);
    only the archive's directory is read."""
    total = sum(part.file_size for part in parts)
    if total > MAX_UNCOMPRESSED:
        raise ValidationError(
            f"refused: the .docx would inflate to {_megabytes(total)}, over the "
            f"{MAX_UNCOMPRESSED // _MB} MB limit (a zip bomb?); nothing of it was read"
        )
    for part in parts:
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > BIG_PART and ratio > MAX_RATIO:
            raise ValidationError(
                f"refused: part {part.filename!r} of the .docx would inflate "
                f"{ratio:.0f} times, to {_megabytes(part.file_size)}, over the limit of "
                f"{MAX_RATIO} times (a zip bomb?); nothing of it was read"
            )


_MB = 1024 * 1024


def _megabytes(size: int) -> str:
    return f"{size / _MB:.1f} MB"
