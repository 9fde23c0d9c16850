"""``has_rtl_letter`` finds a right-to-left letter where Python's Unicode database says
there is one.

The oracle: ``unicodedata.bidirectional`` (R or AL; an unassigned code point of a
right-to-left block counts, as Unicode's default bidirectional class there is R or AL),
for every code point, alone and inside Latin text, and for every text of the shared corpus
(lone surrogates from undecodable bytes among them). Digits, marks and punctuation of those
scripts are no letters: an English article quoting Arabic-Indic digits is set flush left.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from factmark.ui.article.article_view import has_rtl_letter

# The right-to-left blocks (Hebrew to Arabic Extended-A, the presentation forms, the astral
# right-to-left blocks), where an unassigned code point defaults to R or AL.
RTL_BLOCKS = ((0x0590, 0x08FF), (0xFB1D, 0xFDFF), (0xFE70, 0xFEFC), (0x10800, 0x10FFF),
              (0x1E800, 0x1EFFF))  # fmt: skip
RTL = frozenset(
    point
    for point in range(0x110000)
    if unicodedata.bidirectional(chr(point)) in ("R", "AL")
    or (
        unicodedata.bidirectional(chr(point)) == ""
        and unicodedata.category(chr(point)) in ("Cn", "Co")
        and any(low <= point <= high for low, high in RTL_BLOCKS)
    )
)


class _Oracle:
    @staticmethod
    def search(text: str) -> bool:
        return any(ord(char) in RTL for char in text)


ORACLE = _Oracle()
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


def test_arabic_indic_digits_are_no_right_to_left_letters(
    open_window, qtbot, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    """An English article quoting ٢٤٠ and ۱۲ (Arabic-Indic digits) is set flush left, as
    any left-to-right article; an Arabic one is justified (each paragraph ends on its own
    side)."""
    from factmark.core.incoming import IncomingDocument
    from factmark.core.project import Project

    path = tmp_path / "digits.factmark"
    with Project.open(path) as project:
        project.add_document(
            IncomingDocument("Officials said ٢٤٠ people were evacuated; ۱۲ more later.", "A")
        )
        project.add_document(IncomingDocument("قال مسؤولون إن ٢٤٠ شخصا أُجلوا.", "B"))
    window = open_window(path)

    def alignment() -> Qt.AlignmentFlag:
        return window.article_view.document().defaultTextOption().alignment()

    assert window.current.title == "A"
    assert alignment() == Qt.AlignmentFlag.AlignLeft
    qtbot.keyClick(window.article_view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert window.current.title == "B"
    assert alignment() == Qt.AlignmentFlag.AlignJustify
