"""Plain text and Markdown articles (``.txt``, ``.md``): one file, one document."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from factmark.core.importing.base import Item, title_from
from factmark.core.incoming import IncomingDocument
from factmark.core.source_files import MAX_DOCUMENT, read_bounded
from factmark.core.text import decode_bytes

SUFFIXES = (".txt", ".md", ".markdown")


def read(path: Path) -> Iterator[Item]:
    """The file's text, decoded (UTF-8 or a detected encoding, which is reported)."""
    decoded = decode_bytes(read_bounded(path, MAX_DOCUMENT))
    meta = {} if decoded.was_utf8 else {"encoding": decoded.encoding}
    yield Item(
        None,
        IncomingDocument(decoded.text, title_from(decoded.text, path), meta),
        None if decoded.was_utf8 else f"decoded as {decoded.encoding}",
    )
