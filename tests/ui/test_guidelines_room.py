"""With the guidelines open beside the article (F2) every panel stays of use, on a
laptop's screen (1366×768), a large one (1920×1080, the window maximised) and a small one
(1024 wide, where the guidelines float).

The window takes the size it takes on each screen (the available area less a frame).
Expected values come from Qt, never from the code that shares the widths out: the
QFontMetrics of each list's font for the width a text needs, the text rectangle the style
gives a cell (the text is elided to it as Qt draws it), the header's sections and the
splitter's sizes.
"""

from __future__ import annotations

import unicodedata

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication, QStyle, QStyleOptionViewItem, QTableView
from pytestqt.qtbot import QtBot

from factmark.ui.window.main_window import READABLE_CHARACTERS, MainWindow
from tests.ui.helpers import drag_select

TITLE_CHARACTERS = 15  # a title's first characters a shown document list shows at least
LAPTOP, LARGE, SMALL = (1358, 732), (1920, 1050), (1016, 664)
LABELLED = [("claim", "pushed back the Russian army"), ("source", "commanders")]
LABELLED += [("location", "Bakhmut"), ("number", "500 men")]
KEYS = {"claim": Qt.Key.Key_1, "source": Qt.Key.Key_2, "location": Qt.Key.Key_3}
KEYS["number"] = Qt.Key.Key_4


def settle(qtbot: QtBot) -> None:
    for _ in range(4):
        qtbot.wait(20)
        QApplication.processEvents()


def label_one_of_each(window: MainWindow, qtbot: QtBot) -> None:
    """A span of every label, made as a user makes it: select the words, press the key."""
    text = window.article_view.text
    for name, piece in LABELLED:
        start = text.index(piece)
        drag_select(window.article_view, start, start + len(piece))
        qtbot.keyClick(window.article_view, KEYS[name])
    assert window.spans.rowCount() == len(LABELLED)


def press_f2(window: MainWindow, qtbot: QtBot, shown: bool) -> None:
    qtbot.keyClick(window.article_view, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: window.guidelines_dock.isVisible() == shown)
    settle(qtbot)


def shown_text(view: QTableView, row: int, column: int) -> str:
    """What a cell shows of its text: the text elided, as Qt draws it, to the text
    rectangle the style gives the cell (less the text's margins); nothing if the cell is
    out of the list's viewport."""
    index = view.model().index(row, column)
    rect = view.visualRect(index)
    if rect.left() < 0 or rect.right() >= view.viewport().width():
        return ""
    option = QStyleOptionViewItem()
    view.initViewItemOption(option)
    option.rect = rect
    view.itemDelegateForIndex(index).initStyleOption(option, index)
    style = view.style()
    text_rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, option, view)
    margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1
    width = text_rect.width() - 2 * margin
    return option.fontMetrics.elidedText(option.text, Qt.TextElideMode.ElideRight, width)


def assert_headers_whole(view: QTableView) -> None:
    """Each shown column's header says its name whole, inside the list."""
    header = view.horizontalHeader()
    metrics = QFontMetrics(header.font())
    margin = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    for column in range(header.count()):
        if header.isSectionHidden(column):
            continue
        name = view.model().headerData(column, Qt.Orientation.Horizontal)
        left = header.sectionViewportPosition(column)
        size = header.sectionSize(column)
        assert size >= metrics.horizontalAdvance(name) + 2 * margin, (name, size)
        assert left >= 0 and left + size <= view.viewport().width(), (name, left, size)


def readable_width(window: MainWindow) -> int:
    """The article's viewport width that READABLE_CHARACTERS of its prose need: the
    average advance of the article's own text on its font, with the document's margins."""
    view = window.article_view
    text = view.text[:2000]
    advance = view.fontMetrics().horizontalAdvance(text.replace("\n", " ")) / len(text)
    return round(READABLE_CHARACTERS * advance + 2 * view.document().documentMargin())


def narrow(title: str) -> bool:
    return not any(unicodedata.east_asian_width(c) in "WF" for c in title)


@pytest.mark.parametrize("size", [LAPTOP, LARGE, SMALL], ids=["1366", "1920", "1024"])
def test_every_panel_stays_of_use_beside_the_guidelines(
    open_window, qtbot: QtBot, size: tuple[int, int]
) -> None:
    window = open_window()
    window.resize(*size)
    settle(qtbot)
    label_one_of_each(window, qtbot)
    before = window.splitter.sizes()
    assert all(before), "the window starts with both panels beside the article"
    press_f2(window, qtbot, True)
    dock, documents, spans = window.guidelines_dock, window.document_list, window.span_list
    sizes = window.splitter.sizes()
    if dock.isFloating():
        assert size == SMALL, "on a laptop or larger the guidelines stay beside the article"
        assert sizes == before, "floating guidelines take no room from the panels"
    else:
        assert size != SMALL, "a 1024 wide window has no room for them beside the article"
        assert window.article_view.viewport().width() >= readable_width(window)
    # The document list: folded (and the View menu says so), or its titles readable.
    if sizes[0] == 0:
        assert not window.action_table["showDocumentList"].isChecked()
    else:
        assert window.action_table["showDocumentList"].isChecked()
        assert_headers_whole(documents)
        titles = [
            window.documents.model.data(window.documents.model.index(row, 0))
            for row in range(window.documents.model.rowCount())
        ]
        for row, title in enumerate(titles):
            if narrow(title):
                shown = shown_text(documents, row, 0).removesuffix("…")
                assert len(shown) >= min(len(title), TITLE_CHARACTERS), (title, shown)
    # The span list: every label's name whole.
    assert sizes[2] > 0
    assert_headers_whole(spans)
    for row in range(spans.model().rowCount()):
        name = spans.model().data(spans.model().index(row, 0))
        assert shown_text(spans, row, 0) == name
    if size == LARGE:
        assert sizes[0] > 0, "a large screen keeps the document list beside the guidelines"
    press_f2(window, qtbot, False)
    assert window.splitter.sizes() == before, "closing the guidelines gives the widths back"
    assert window.action_table["showDocumentList"].isChecked()
