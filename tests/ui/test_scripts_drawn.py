"""Scripts drawn right: a span's tint covers whole characters as drawn (emoji sequences,
flags, combining marks) up to a paragraph's end, and right-to-left paragraphs start at the
right. Expected positions come from Python's UTF-16 codec and Qt's own layout."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QTextCharFormat

from factmark.core.incoming import IncomingDocument, IncomingSpan
from factmark.core.project import Project


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def tinted(view, qt_start: int, qt_end: int) -> list[tuple[int, int]]:  # type: ignore[no-untyped-def]
    """The UTF-16 ranges between ``qt_start`` and ``qt_end`` that carry a background."""
    block = view.document().findBlock(qt_start)
    base = block.position()
    found = []
    for piece in block.layout().formats():
        if QTextCharFormat(piece.format).background().style().value == 0:
            continue
        found.append((base + piece.start, base + piece.start + piece.length))
    return sorted(found)


def window_on(open_window, tmp_path: Path, text: str, spans: list[tuple[int, int]]):  # type: ignore[no-untyped-def]
    path = tmp_path / "scripts.factmark"
    with Project.open(path) as project:
        project.add_document(
            IncomingDocument(text, "t", spans=[IncomingSpan(s, e, "claim") for s, e in spans])
        )
    return open_window(path)


def test_a_span_after_an_emoji_is_tinted_to_the_end_of_its_paragraph(
    open_window, tmp_path: Path
) -> None:
    text = "Flood in Lagos 🌊🌊 rising today\nNext paragraph."
    start, end = text.index("rising today"), text.index("\n")
    view = window_on(open_window, tmp_path, text, [(start, end)]).article_view
    assert tinted(view, 0, utf16(text[:end])) == [(utf16(text[:start]), utf16(text[:end]))]


def test_a_tint_covers_whole_clusters_it_touches(open_window, tmp_path: Path) -> None:
    # Each span's stored end falls inside a cluster: after the first code point of a
    # thumbs-up with a skin tone, of a flag, of a family joined by ZWJ, of e + acute.
    pieces = ["👍🏽", "🇳🇬", "👩\u200d👩\u200d👧", "e\u0301"]
    text = "".join(f"word {p} and " for p in pieces) + "end"
    spans = []
    for piece in pieces:
        at = text.index(piece)
        spans.append((at, at + 1))
    view = window_on(open_window, tmp_path, text, spans).article_view
    expected = [
        (utf16(text[: text.index(p)]), utf16(text[: text.index(p) + len(p)])) for p in pieces
    ]
    assert tinted(view, 0, utf16(text)) == expected
    project_spans = view.index.spans
    assert [(s.start, s.end) for s in project_spans] == spans  # stored offsets untouched


def test_right_to_left_paragraphs_start_at_the_right(
    open_window, tmp_path: Path, corpus: Path
) -> None:
    arabic = (corpus / "ar-mosul.txt").read_text(encoding="utf-8").split("\n")[0]
    text = f"An English paragraph first.\n{arabic}\nAnd English again."
    view = window_on(open_window, tmp_path, text, []).article_view
    document = view.document()
    margin = document.documentMargin()
    right_edge = view.viewport().width() - margin
    english, rtl, again = (document.findBlockByNumber(n) for n in range(3))
    for block in (english, again):
        last = block.layout().lineAt(block.layout().lineCount() - 1)
        assert last.naturalTextRect().left() < margin + 2  # flush left
    last = rtl.layout().lineAt(rtl.layout().lineCount() - 1)
    assert last.naturalTextRect().right() > right_edge - 20  # ends at the right
    assert last.naturalTextRect().left() > margin + 20
