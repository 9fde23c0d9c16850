"""Review mode's colours follow the document shown (another document, another project,
spans added), each annotator keeping one colour; the span list's columns at narrow widths."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from factmark.core.incoming import IncomingDocument, IncomingSpan
from factmark.core.project import Project
from factmark.ui import file_dialogs

ALT = Qt.KeyboardModifier.AltModifier
GREY = QColor("#999999").rgb()  # a span without a colour of its own

ALPHA = "Olena met Marko in Kharkiv on Monday. The mayor said 40 shops reopened."
BETA = "Amina wrote that Odesa port handled 3 ships. The minister denied the figure."
GAMMA = "Reports from Lviv say 12 schools closed. Officials gave no reason for it."


def _spans(text: str, marks: list[tuple[str, str, str]]) -> list[IncomingSpan]:
    return [
        IncomingSpan(text.index(words), text.index(words) + len(words), label, who)
        for words, label, who in marks
    ]


def _make(path: Path, documents: list[tuple[str, list[tuple[str, str, str]]]]) -> None:
    with Project.open(path) as project:
        for n, (text, marks) in enumerate(documents):
            project.add_document(IncomingDocument(text, f"doc {n}", spans=_spans(text, marks)))


def _stored(path: Path) -> dict[int, list[tuple[int, int, str]]]:
    """Who made which span, per document, read from the file with bare sqlite3."""
    rows: dict[int, list[tuple[int, int, str]]] = {}
    with sqlite3.connect(path) as db:
        for document, start, end, who in db.execute(
            'SELECT document_id, start, "end", annotator FROM spans ORDER BY start'
        ):
            rows.setdefault(document, []).append((start, end, who))
    return rows


def _painted(window, start: int) -> int:
    """The background drawn at ``start`` in the article (ASCII text: Qt's offsets)."""
    block = window.article_view.document().findBlock(start)
    at = start - block.position()
    for piece in block.layout().formats():
        if piece.start <= at < piece.start + piece.length:
            return piece.format.background().color().rgb()
    raise AssertionError(f"nothing painted at {start}")


def _colours_shown(window, path: Path) -> dict[str, int]:
    """Each annotator of the document shown with the colour their spans are drawn in;
    every span of one annotator drawn alike, none grey, no two annotators alike."""
    by_annotator: dict[str, set[int]] = {}
    for start, _end, who in _stored(path)[window.current.id]:
        by_annotator.setdefault(who, set()).add(_painted(window, start))
    assert all(len(drawn) == 1 for drawn in by_annotator.values()), by_annotator
    colours = {who: drawn.pop() for who, drawn in by_annotator.items()}
    assert GREY not in colours.values(), colours
    assert len(set(colours.values())) == len(colours), colours
    return colours


# The words a reader is given for review mode's colours (Okabe & Ito's palette).
COLOUR_WORDS = ("blue", "red-orange", "yellow", "green", "pink", "sky blue", "orange")


def _legend_names(window, path: Path, absent: set[str]) -> None:
    """The legend names each annotator of the document with a colour in words (never a
    hex code), gold in black."""
    message = window.statusBar().currentMessage()
    assert message.startswith("Review mode:"), message
    assert "#" not in message, message
    for _start, _end, who in _stored(path)[window.current.id]:
        assert any(f"{who} {word}," in message + "," for word in COLOUR_WORDS), (who, message)
    assert message.endswith("gold black"), message
    for who in absent:
        assert f"{who} " not in message, (who, message)


@pytest.fixture
def merged(tmp_path: Path) -> Path:
    path = tmp_path / "merged.factmark"
    _make(
        path,
        [
            (ALPHA, [("Olena", "source", "zoe"), ("Kharkiv", "location", "zoe")]),
            (
                BETA,
                [
                    ("Amina", "source", "bob"),
                    ("Odesa", "location", "carol"),
                    ("3 ships", "number", "zoe"),
                ],
            ),
        ],
    )
    return path


def test_review_colours_follow_each_document(open_window, qtbot: QtBot, merged: Path) -> None:
    window = open_window(merged)
    view = window.article_view
    assert window.current.text == ALPHA
    qtbot.keyClick(view, Qt.Key.Key_F6)
    first = _colours_shown(window, merged)
    _legend_names(window, merged, absent={"bob", "carol"})

    qtbot.keyClick(view, Qt.Key.Key_Right, ALT)  # the next document: others' spans
    assert window.current.text == BETA
    second = _colours_shown(window, merged)
    assert second["zoe"] == first["zoe"]  # zoe keeps her colour
    _legend_names(window, merged, absent=set())

    qtbot.keyClick(view, Qt.Key.Key_Left, ALT)
    assert _colours_shown(window, merged) == first


def test_review_colours_follow_spans_added(open_window, qtbot: QtBot, merged: Path) -> None:
    window = open_window(merged)
    qtbot.keyClick(window.article_view, Qt.Key.Key_F6)
    start = ALPHA.index("Monday")
    window.project.add_span(window.current.id, start, start + 6, "claim", "zed")  # merged in
    qtbot.waitUntil(lambda: _painted(window, start) != GREY, timeout=2000)
    colours = _colours_shown(window, merged)
    assert set(colours) == {"zoe", "zed"}
    _legend_names(window, merged, absent={"bob", "carol"})


def test_review_colours_follow_another_project(
    open_window, qtbot: QtBot, merged: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "other.factmark"
    _make(other, [(GAMMA, [("Lviv", "location", "dan"), ("12 schools", "number", "erin")])])
    window = open_window(merged)
    qtbot.keyClick(window.article_view, Qt.Key.Key_F6)

    def choose(parent: QWidget, title: str, folder: str, kinds: str) -> tuple[str, str]:
        return str(other), kinds

    monkeypatch.setattr(file_dialogs, "open_file_name", choose)
    window.action_table["openProject"].trigger()  # File > Open project
    qtbot.waitUntil(lambda: window.current is not None and window.current.text == GAMMA)
    assert window.action_table["reviewMode"].isChecked()
    _colours_shown(window, other)
    _legend_names(window, other, absent={"zoe", "bob", "carol"})


@pytest.mark.parametrize("side", [180, 200, 240])
def test_span_text_keeps_the_most_room_in_a_narrow_column(
    open_window, qtbot: QtBot, merged: Path, side: int
) -> None:
    window = open_window(merged)
    window.resize(1024, 700)
    sizes = window.splitter.sizes()
    total = sum(sizes)
    window.splitter.setSizes([sizes[0], total - sizes[0] - side, side])
    table = window.span_list
    header = table.horizontalHeader()
    qtbot.waitUntil(lambda: abs(table.width() - side) <= 2)
    qtbot.wait(50)
    label, text, annotator = (header.sectionSize(n) for n in range(3))
    room = table.viewport().width()
    assert text >= label and text >= annotator, (label, text, annotator, room)
    assert label + text + annotator <= room, (label, text, annotator, room)
    assert table.horizontalScrollBar().maximum() == 0


def test_span_list_columns_keep_their_widths_when_there_is_room(
    open_window, qtbot: QtBot, merged: Path
) -> None:
    window = open_window(merged)
    window.resize(1366, 768)
    sizes = window.splitter.sizes()
    total = sum(sizes)
    window.splitter.setSizes([sizes[0], total - sizes[0] - 420, 420])
    table = window.span_list
    qtbot.waitUntil(lambda: abs(table.width() - 420) <= 2)
    metrics, header = table.fontMetrics(), table.horizontalHeader()
    assert header.sectionSize(0) >= metrics.horizontalAdvance("location")
    assert header.sectionSize(2) >= metrics.horizontalAdvance("Annotator")
    assert header.sectionSize(1) >= header.sectionSize(0)
