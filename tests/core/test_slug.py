"""File names from titles (brat's files, XMI's members): the same names as the regular
expression that made them before, on the shared corpus's titles and hostile text; brat's
file names from a title and an id the same as its first way of telling whether a title's
slug names anything."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from factmark.core.exporting.base import ExportContext, FolderPart
from factmark.core.exporting.brat import BratWriter, slug

_SLUG = re.compile(r"[a-z0-9]+")


def old_slug(text: str, limit: int = 40) -> str:
    """The slug as it was first written (kept as the oracle)."""
    if _SLUG.fullmatch(text):
        return text[:limit]
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")[:limit].strip("-")


HOSTILE = "aZ9 -_.\t\n\r\x0b\x1c\u00e9e\u0301ﬁ𠮷Ω–—'\"ÄßØ🚀北京مرحبا\u2028\x00\x7f\x80\ufb01"


@given(st.text(alphabet=HOSTILE, max_size=90), st.sampled_from([1, 3, 12, 40, 200]))
@settings(max_examples=3000, deadline=None)
def test_the_same_slugs_on_hostile_text(text: str, limit: int) -> None:
    assert slug(text, limit) == old_slug(text, limit)


@given(st.text(max_size=60))
@settings(max_examples=2000, deadline=None)
def test_the_same_slugs_on_any_text(text: str) -> None:
    assert slug(text) == old_slug(text)


def test_the_same_slugs_on_the_corpus(corpus: Path) -> None:
    lines = [
        line
        for path in sorted(corpus.rglob("*"))
        if path.is_file()
        for line in path.read_bytes().decode("utf-8", "replace").splitlines()
    ]
    assert lines
    for line in lines:
        for limit in (12, 40, 200):
            assert slug(line, limit) == old_slug(line, limit)
            assert slug(line[:80], limit) == old_slug(line[:80], limit)


def old_stem(writer: BratWriter, record: dict[str, str]) -> str:
    """BratWriter._stem's title and id as they were first written (the oracle)."""
    title = slug(record.get("title") or "")
    if not any("a" <= ch <= "z" for ch in title):
        title = ""
    uid = slug(str(record["id"]), limit=200) or "document"
    return f"{title}-{uid[:12]}" if title else uid[:12]


DIGITS = "0123456789 -Ω北٣²½"


@given(
    st.text(alphabet=HOSTILE + DIGITS, max_size=60) | st.text(alphabet=DIGITS, max_size=20),
    st.text(alphabet="0123456789abcdef", min_size=1, max_size=64),
)
@settings(max_examples=2000, deadline=None)
def test_brat_file_names_are_the_first_ones(title: str, uid: str) -> None:
    writer = BratWriter(None, ExportContext([], []), out=_NoFolder())
    record = {"title": title, "id": uid}
    assert writer._stem(record) == old_stem(writer, record)


class _NoFolder(FolderPart):
    """A writer's folder that is never written to."""

    def __init__(self) -> None:  # no folder to open
        pass
