"""``has_rtl_letter`` answers as the expression of right-to-left letters alone did.

The oracle: the expression, searched in the whole text (as the article view did before it
first tried Windows-1252), for every code point, alone and inside Latin text, and
for every text of the shared corpus (lone surrogates from undecodable bytes among them).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from factmark.ui.article.article_view import has_rtl_letter

ORACLE = re.compile(
    "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff]"
)
# Typographic quotes, dashes, Latin-1 letters and CRLF: Windows-1252 encodes them all.
LATIN = "L’armée «avançait» – “vite”…\r\n"


@pytest.mark.parametrize("block", range(0, 0x110000, 0x10000), ids=hex)
def test_every_code_point_alone_and_among_latin_text(block: int) -> None:
    for point in range(block, block + 0x10000):
        letter = chr(point)
        for text in (letter, LATIN + letter, letter + LATIN + "x"):
            assert has_rtl_letter(text) == bool(ORACLE.search(text)), (hex(point), text)


def test_texts_of_the_shared_corpus(corpus: Path) -> None:
    texts = [
        path.read_bytes().decode("utf-8", "surrogateescape")
        for path in sorted(corpus.rglob("*.txt"))
    ]
    texts += [line for text in texts for line in text.splitlines(keepends=True)]
    assert any(has_rtl_letter(text) for text in texts)  # Arabic among them
    assert not all(has_rtl_letter(text) for text in texts)
    for text in ["", LATIN, "\ud800 lone surrogate", LATIN + "\udfff", *texts]:
        assert has_rtl_letter(text) == bool(ORACLE.search(text)), text[:60]
