"""A long article opens without formatting every paragraph first: paragraphs are tinted
before they are painted, and the rest in the background. Expected tints are read from
Qt's own layout of the block (its formats), at positions from Python's UTF-16 codec."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QTextCharFormat
from pytestqt.qtbot import QtBot

from factmark.core.incoming import IncomingDocument, IncomingSpan
from factmark.core.project import Project


def tinted(block) -> bool:  # type: ignore[no-untyped-def]
    return any(
        QTextCharFormat(f.format).background().style() != Qt.BrushStyle.NoBrush
        for f in block.layout().formats()
    )


def test_a_far_paragraph_is_tinted_when_it_is_shown(
    open_window, qtbot: QtBot, tmp_path: Path
) -> None:
    paragraphs = [f"Paragraph {n}: the council said 🌊 it met." for n in range(3000)]
    text = "\n".join(paragraphs)
    last = text.rindex("council")
    spans = [IncomingSpan(text.index("council"), text.index("council") + 7, "source")]
    spans.append(IncomingSpan(last, last + 7, "source"))
    path = tmp_path / "long.factmark"
    with Project.open(path) as project:
        project.add_document(IncomingDocument(text, "long", spans=spans))
    window = open_window(path)
    view = window.article_view
    document = view.document()
    qtbot.wait(1)
    assert tinted(document.firstBlock())  # on the screen: tinted at once
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    view.viewport().repaint()  # the end of the article is painted now
    assert tinted(document.lastBlock())
    # Every paragraph gets its formats in the background, without a key pressed.
    qtbot.waitUntil(lambda: view.painter.pending == 0, timeout=5000)
    middle = document.findBlockByNumber(1500)
    assert not tinted(middle)  # no span there: nothing to tint


def background_of(block) -> QColor:  # type: ignore[no-untyped-def]
    """The tint of the first formatted stretch of a paragraph, from Qt's own layout."""
    formats = [QTextCharFormat(f.format) for f in block.layout().formats()]
    tinted_formats = [f for f in formats if f.background().style() != Qt.BrushStyle.NoBrush]
    return tinted_formats[0].background().color()


def test_new_colours_reach_a_far_paragraph_painted_before(
    open_window, qtbot: QtBot, tmp_path: Path
) -> None:
    """F6 (review mode) colours spans by annotator: a paragraph far down, tinted in its
    label's colour when it was shown, takes the annotator's colour when shown again."""
    paragraphs = [f"Paragraph {n}: the council said it met." for n in range(3000)]
    text = "\n".join(paragraphs)
    last = text.rindex("council")
    spans = [IncomingSpan(last, last + 7, "source", annotator="olena")]
    path = tmp_path / "long.factmark"
    with Project.open(path) as project:
        project.add_document(IncomingDocument(text, "long", spans=spans))
    window = open_window(path)
    view = window.article_view
    document = view.document()
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    view.viewport().repaint()
    label_tint = background_of(document.lastBlock())
    qtbot.keyClick(view, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(view, Qt.Key.Key_F6)  # review mode: colours by annotator
    assert view.painter.pending > 0  # the far paragraph waits for its turn ...
    qtbot.keyClick(view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    view.viewport().repaint()  # ... or for being shown
    review_tint = background_of(document.lastBlock())
    # The first review colour (Okabe-Ito blue) is the one annotator's, under no other.
    rgb = (review_tint.red(), review_tint.green(), review_tint.blue())
    assert all(abs(got - want) <= 1 for got, want in zip(rgb, (0x00, 0x72, 0xB2), strict=True))
    assert review_tint.rgb() != label_tint.rgb()
