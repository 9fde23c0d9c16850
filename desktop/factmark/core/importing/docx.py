"""Word documents (``.docx``) via python-docx: paragraphs kept, one blank line between."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

from factmark.core.importing.base import Item, title_from
from factmark.core.model import IncomingDocument, ValidationError

SUFFIXES = (".docx",)


def read(path: Path) -> Iterator[Item]:
    """The document's paragraph text; its title property (or first line) as title."""
    import docx  # imported when a .docx is read, not at every start
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError):
        raise ValidationError("not a readable .docx file (damaged or truncated)") from None
    paragraphs = [p.text for p in document.paragraphs if p.text.strip()]
    text = "\n\n".join(paragraphs) + "\n" if paragraphs else ""
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
    title = (properties.title or "").strip() or title_from(text, path)
    yield Item(None, IncomingDocument(text, title, meta))
