"""Saved news pages (``.html``, ``.htm``): article text and metadata via trafilatura.

The article body is extracted once, at import, and the extracted plain text is
what is stored and annotated. Boilerplate (menus, comments, adverts) is left out.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from factmark.core.importing.base import Item, title_from
from factmark.core.incoming import IncomingDocument
from factmark.core.model import ValidationError
from factmark.core.source_files import MAX_DOCUMENT, MAX_PAGE, read_bounded, too_large
from factmark.core.text import check_text, decode_bytes

SUFFIXES = (".html", ".htm")
_META_FIELDS = {
    "url": "url",
    "date": "date",
    "sitename": "publication",
    "language": "language",
    "author": "author",
}


def read(path: Path) -> Iterator[Item]:
    """The main article text of a saved page, with its title, URL, date and publication."""
    import trafilatura  # slow to import: only when a page is actually read

    html = decode_bytes(read_bounded(path, MAX_PAGE, "a saved page")).text
    result = trafilatura.bare_extraction(
        html, favor_recall=True, with_metadata=True, include_comments=False, include_tables=True
    )
    body = _field(result, "text") or ""
    if not body.strip():
        body = trafilatura.html2txt(html) or ""
    if not body.strip():
        raise ValidationError("no article text found in the page")
    check_text(body)
    if len(body.encode("utf-8")) > MAX_DOCUMENT:
        raise ValidationError(too_large(len(body.encode("utf-8")), MAX_DOCUMENT, "a document"))
    meta: dict[str, Any] = {}
    for source, target in _META_FIELDS.items():
        value = _field(result, source)
        if value:
            meta[target] = str(value)
    title = str(_field(result, "title") or "") or title_from(body, path)
    yield Item(None, IncomingDocument(body, title, meta))


def _field(result: Any, name: str) -> Any:
    if result is None:
        return None
    if isinstance(result, dict):
        return result.get(name)
    return getattr(result, name, None)
