"""OffsetMap checked against oracles that are not the product's code.

Stored offsets count code points, Qt's positions count UTF-16 units. The expected
values here come from Python's UTF-16 codec and from Qt itself (a cursor's selected
text, ``QTextDocument.find``), never from the converter under test.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from factmark.core.importing import import_file
from factmark.core.project import Project
from factmark.ui.article.offsets import OffsetMap
from tests.conftest import SHARED_CORPUS
from tests.ui.helpers import drag_select

FIND = QTextDocument.FindFlag.FindCaseSensitively

HAND = {
    "ascii": "Plain ASCII text, nothing astral.",
    "empty": "",
    "emoji": "🚨 BREAKING 🚨 water 😱 unsafe 👍.",
    "flags": "🇳🇬 Nigeria 🇺🇦🇫🇷 then 🇬🇧.",
    "zwj": "family 👩\u200d👩\u200d👧\u200d👦 and 🏳\ufe0f\u200d🌈 done",
    "skin tones": "ok 👍🏽 👋🏿 yes",
    "keycap": "press 1\ufe0f\u20e3 now",
    "astral cjk": "𠀋 and 𠮷野家 in 上海",
    "combining": "Le ministre de l'E\u0301ducation a affirme\u0301 cre\u0301e\u0301s",
    "arabic": "قال وزير الصحة إن عدد المصابين ارتفع إلى 240 شخصا",
    "mixed rtl": "وزير 🚨 الصحة 𠀋 said 🇳🇬 done",
    "math letters": "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝐛𝐨𝐥𝐝",
    "lines": "first 😱 line\nsecond 🇳🇬 line\n\nfourth 𠀋\n",
    "only astral": "😱𠀋🇳🇬👍🏽",
    "spaces": "no\u00a0break and\u2028line separator\tand tab",
}


def utf16(text: str, offset: int) -> int:
    """Oracle: the UTF-16 units before code point ``offset``."""
    return len(text[:offset].encode("utf-16-le")) // 2


def _article_texts(path: Path) -> list[str]:
    """The texts a corpus file holds, as stored: ``\\n`` line ends (what Qt is given)."""
    if path.suffix == ".jsonl":
        return [json.loads(line)["text"] for line in path.read_text("utf-8").splitlines() if line]
    return [path.read_text("utf-8").replace("\r\n", "\n").replace("\r", "\n")]


def _corpus_articles() -> list[tuple[str, str]]:
    files = sorted([*SHARED_CORPUS.glob("*.txt"), *SHARED_CORPUS.glob("*.jsonl")])
    return [
        (f"{path.name}#{n}", text) for path in files for n, text in enumerate(_article_texts(path))
    ]


CORPUS = _corpus_articles()
ALL = [*HAND.items(), *CORPUS]
IDS = [name for name, _text in ALL]


def test_the_corpus_is_there(corpus: Path) -> None:
    """Fails (through the fixture) when the shared corpus is missing, rather than
    the corpus checks below silently having nothing to check."""
    assert len(CORPUS) >= 7
    assert any(ord(char) > 0xFFFF for _name, text in CORPUS for char in text)


# -- plain Python ---------------------------------------------------------------


def _check_against_codec(text: str) -> None:
    offsets = OffsetMap(text)
    positions = [utf16(text, i) for i in range(len(text) + 1)]
    assert [offsets.to_qt(i) for i in range(len(text) + 1)] == positions
    assert [offsets.to_py(p) for p in positions] == list(range(len(text) + 1))
    # Every UTF-16 position, also inside a surrogate pair, goes to the start of the
    # character it falls in (or the gap it is).
    total = positions[-1]
    for position in range(total + 1):
        expected = max(i for i, p in enumerate(positions) if p <= position)
        assert offsets.to_py(position) == expected, (position, text)


@pytest.mark.parametrize("text", [t for _n, t in ALL], ids=IDS)
def test_code_points_match_python_utf16(text: str) -> None:
    _check_against_codec(text)


def test_raw_crlf_files_match_python_utf16_too(corpus: Path) -> None:
    # The converter works on any str, line ends as they are (Qt is only given "\n").
    for path in sorted(corpus.glob("*.txt")):
        _check_against_codec(path.read_text("utf-8"))


def test_inside_a_surrogate_pair_is_the_characters_start() -> None:
    text = "a😱b𠀋c🇳🇬"
    offsets = OffsetMap(text)
    for index, char in enumerate(text):
        if ord(char) > 0xFFFF:
            low_unit = utf16(text, index) + 1  # between the high and the low surrogate
            assert offsets.to_py(low_unit) == index
            assert offsets.to_py(low_unit + 1) == index + 1


# -- Qt itself ------------------------------------------------------------------


def _document(text: str) -> QTextDocument:
    document = QTextDocument()
    document.setPlainText(text)
    return document


def _qt_reads(text: str, pairs: list[tuple[int, int]]) -> None:
    """A cursor set at the converted positions selects exactly ``text[a:b]``."""
    document = _document(text)
    offsets = OffsetMap(text)
    cursor = QTextCursor(document)
    for a, b in pairs:
        cursor.setPosition(offsets.to_qt(a))
        cursor.setPosition(offsets.to_qt(b), QTextCursor.MoveMode.KeepAnchor)
        # Either end may come first; Qt reads a line break as U+2029.
        expected = text[min(a, b) : max(a, b)].replace("\n", "\u2029")
        assert cursor.selectedText() == expected, (a, b, text)


# PySide6 reads a str that starts with U+FEFF or U+FFFE as UTF-16 with a byte-order mark:
# it drops the mark (and byte-swaps the rest after U+FFFE) before Qt sees it.
_BOMS = ("\ufeff", "\ufffe")


def _qt_finds(text: str, needles: set[str]) -> None:
    """Every match ``QTextDocument.find`` makes, mapped back, is where Python finds it."""
    document = _document(text)
    offsets = OffsetMap(text)
    # Qt searches within one paragraph, and reads a no-break space as a space.
    searched = text.replace("\u00a0", " ")
    for needle in needles:
        if not needle or "\n" in needle or "\u00a0" in needle or needle.startswith(_BOMS):
            continue
        python_start = searched.find(needle)
        found = document.find(needle, 0, FIND)
        while python_start != -1:
            assert not found.isNull(), (needle, python_start, text)
            assert (offsets.to_py(found.selectionStart()), offsets.to_py(found.selectionEnd())) == (
                python_start,
                python_start + len(needle),
            ), (needle, text)
            # The next match starts after this one's first character, as in Python.
            python_start = searched.find(needle, python_start + 1)
            after = QTextCursor(document)
            after.setPosition(found.selectionStart() + 1)
            found = document.find(needle, after, FIND)
        assert found.isNull(), (needle, text)


def _needles(text: str) -> set[str]:
    words = set(text.split())
    pieces = {text[i : i + size] for size in (1, 2, 3, 5) for i in range(len(text))}
    return words | pieces


@pytest.mark.parametrize("text", [t for _n, t in HAND.items()], ids=list(HAND))
def test_qt_selects_every_range_of_hand_strings(qapp: QApplication, text: str) -> None:
    n = len(text)
    _qt_reads(text, [(a, b) for a in range(n + 1) for b in range(n + 1)])


@pytest.mark.parametrize("text", [t for _n, t in CORPUS], ids=[n for n, _t in CORPUS])
def test_qt_selects_ranges_of_corpus_articles(qapp: QApplication, text: str) -> None:
    n = len(text)
    # Every start with short and long ends, both directions (the anchor may come last).
    pairs = [(a, b) for a in range(n + 1) for b in {*range(a, min(n, a + 12) + 1), n, 0}]
    _qt_reads(text, pairs)


@pytest.mark.parametrize("text", [t for _n, t in ALL], ids=IDS)
def test_qt_find_maps_back_to_python_find(qapp: QApplication, text: str) -> None:
    _qt_finds(text, _needles(text))


def test_the_document_holds_as_many_units_as_python_counts(qapp: QApplication) -> None:
    # The oracle's premise: Qt's plain text is the same UTF-16 text, unit for unit.
    for _name, text in ALL:
        document = _document(text)
        assert document.characterCount() == utf16(text, len(text)) + 1  # + the final block end


# -- generated strings ----------------------------------------------------------

# Qt turns "\r" into a paragraph break and keeps U+FDD0/U+FDD1 for frames; stored texts
# never hold "\r" (newlines are normalised) nor NUL.
_CHARS = st.characters(exclude_categories=("Cs",), exclude_characters="\r\x00\ufdd0\ufdd1\u2029")
_TRICKY = st.sampled_from(
    [
        "😱",
        "🇳🇬",
        "👩\u200d👩\u200d👧",
        "👍🏽",
        "\U00020bb7",
        "𠀋",
        "e\u0301",
        "\u0301",
        "مرحبا",
        "\u200f",
        "\n",
        " ",
        "\U0010fffd",
        "\U00010000",
        "\uffff",
    ]
)
TEXTS = st.lists(st.one_of(_CHARS, _TRICKY), max_size=24).map("".join)
# FACTMARK_EXAMPLES=4000 runs a longer search.
EXAMPLES = settings(
    max_examples=int(os.environ.get("FACTMARK_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@EXAMPLES
@given(text=TEXTS)
def test_generated_strings_match_python_utf16(text: str) -> None:
    _check_against_codec(text)


@EXAMPLES
@given(text=TEXTS, data=st.data())
def test_generated_strings_match_qt(qapp: QApplication, text: str, data: st.DataObject) -> None:
    # Stored texts never start with U+FEFF (import strips it); see _BOMS.
    assume(not text.startswith(_BOMS))
    n = len(text)
    _qt_reads(text, [(a, b) for a in range(n + 1) for b in range(n + 1)])
    start = data.draw(st.integers(0, n), label="start")
    size = data.draw(st.integers(1, 4), label="size")
    _qt_finds(text, {text[start : start + size], *text.split()})


# -- the window, end to end -----------------------------------------------------


@pytest.mark.parametrize("word", ["BREAKING", "Lagos", "Abuja", "invented"])
def test_dragging_a_word_after_emoji_labels_that_word(
    open_window, qtbot: QtBot, corpus: Path, tmp_path: Path, word: str
) -> None:
    """The mouse is placed with Qt's geometry (``cursorRect``) at UTF-16 positions counted
    by Python's codec (``drag_select``); the stored span must hold the word, as Python's
    str slices it."""
    path = tmp_path / "emoji.factmark"
    with Project.open(path) as project:
        assert import_file(project, corpus / "emoji-lagos.txt").documents == 1
    window = open_window(path)
    view = window.article_view
    text = view.toPlainText()  # Qt's text; its astral characters come before the word
    start = text.index(word)
    assert any(ord(char) > 0xFFFF for char in text[:start])
    drag_select(view, start, start + len(word))
    assert view.textCursor().selectedText() == word  # Qt agrees the mouse selected it
    qtbot.keyClick(view, "1")
    assert window.current is not None and window.current.id is not None
    document = window.project.document(window.current.id)
    spans = window.project.spans(window.current.id)
    assert [document.text[s.start : s.end] for s in spans] == [word]
    assert [(s.start, s.end) for s in spans] == [(start, start + len(word))]
