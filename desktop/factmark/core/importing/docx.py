"""Word documents (``.docx``) via python-docx: paragraphs kept, one blank line between."""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from factmark.core.importing.base import Item, title_from
from factmark.core.model import IncomingDocument, ValidationError

SUFFIXES = (".docx",)


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
        document = docx.Document(str(path))
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
    except damaged:
        raise ValidationError("not a readable .docx file (damaged or truncated)") from None
    text = "\n\n".join(paragraphs) + "\n" if paragraphs else ""
    yield Item(None, IncomingDocument(text, title or title_from(text, path), meta))
