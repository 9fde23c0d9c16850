"""View > Agreement reads whole on the screens annotators use: the dialog fits the screen's
available area, the documents table takes the room below the figures (many rows, not a
small box), no column heading is cut, the figures above stay readable; Escape closes it
and the keys go back to the article.

The tests run in a process of their own per screen (the offscreen platform reads its
screens from a JSON file), like tests/ui/test_screen_fit.py; in the session's process
(an 800×800 screen) they run too. Expected values come from Qt: the screen's available
area, the header font's metrics and the style's header margins, the rows' heights.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication, QHeaderView, QStyle, QTabWidget
from pytestqt.qtbot import QtBot

from factmark.core.incoming import IncomingDocument, IncomingSpan
from factmark.core.project import Project
from factmark.ui.dialogs.team_dialogs import AgreementDialog
from tests.ui.test_screen_fit import SCREEN_CONFIG, qapp_args, run_on_screen

__all__ = ["qapp_args"]  # the fixture: the screen the subprocess asks for

SCREENS = {
    "laptop": {"name": "Laptop", "x": 0, "y": 0, "width": 1366, "height": 768},
    "small": {"name": "Small", "x": 0, "y": 0, "width": 1024, "height": 700},
    "desk": {"name": "Desk", "x": 0, "y": 0, "width": 1920, "height": 1080},
}
DOCUMENTS = 30
TITLE = "Le ministre de l'Éducation a affirmé que 4 000 postes seraient créés à la rentrée, n°{}"


@pytest.fixture
def desk(tmp_path: Path) -> Path:
    """A desk project as a merge leaves it: 30 documents with long titles, each with two
    annotators' spans side by side, differing on some."""
    path = tmp_path / "desk.factmark"
    with Project.open(path) as project:
        for n in range(DOCUMENTS):
            text = f"Officials in Kyiv said {n + 10} drones were shot down near Odesa on Monday."
            kyiv, number, odesa = text.index("Kyiv"), text.index("drones") - 3, text.index("Odesa")
            spans = [IncomingSpan(kyiv, kyiv + 4, "location", who) for who in ("olena", "marko")]
            spans += [IncomingSpan(number, number + 2, "number", "olena")]
            if n % 3:  # marko left some numbers out
                spans += [IncomingSpan(number, number + 2, "number", "marko")]
            if n % 2:  # and took more of the text than the place
                spans += [IncomingSpan(odesa, len(text) - 1, "location", "marko")]
            project.add_document(IncomingDocument(text, TITLE.format(n), spans=spans))
    return path


def opened(open_window: Any, desk: Path, qtbot: QtBot) -> tuple[Any, AgreementDialog]:
    """The window on ``desk`` with View > Agreement open, as a user opens it."""
    window = open_window(desk)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.article_view.setFocus()
    window.action_table["agreement"].trigger()
    qtbot.waitUntil(lambda: window.findChild(AgreementDialog) is not None)
    dialog = window.findChild(AgreementDialog)
    qtbot.waitExposed(dialog)
    for _ in range(3):
        qtbot.wait(10)
    return window, dialog


def heading_room(header: QHeaderView, sortable: bool) -> list[tuple[str, int, int]]:
    """Each heading's text, the width it needs (its text in the header's font, the style's
    margins, the sort arrow where a click sorts), and the width it has in view."""
    metrics = QFontMetrics(header.font())
    margin = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    # Qt's common style takes the arrow's room (half the header's height and two more
    # margins) from a sorted heading's label.
    arrow = header.height() // 2 + 2 * margin if sortable else 0
    model = header.model()
    rows = []
    for section in range(header.count()):
        text = str(model.headerData(section, Qt.Orientation.Horizontal))
        left = header.sectionViewportPosition(section)
        right = min(left + header.sectionSize(section), header.viewport().width())
        need = metrics.horizontalAdvance(text) + 2 * margin + arrow
        rows.append((text, need, right - max(left, 0)))
    return rows


def test_the_dialog_fits_the_screen(open_window, desk: Path, qtbot: QtBot) -> None:
    _window, dialog = opened(open_window, desk, qtbot)
    area = dialog.screen().availableGeometry()
    frame = dialog.frameGeometry()
    assert area.contains(frame), (frame, area)
    if area.height() <= 800:  # a laptop's screen or smaller: the dialog takes its height
        assert frame.height() >= area.height() - 80, (frame, area)


def test_no_heading_is_cut(open_window, desk: Path, qtbot: QtBot) -> None:
    _window, dialog = opened(open_window, desk, qtbot)
    cut = [
        (text, need, has)
        for text, need, has in heading_room(dialog.documents.horizontalHeader(), True)
        if has < need
    ]
    assert not cut, f"documents table: {cut}"
    tree = dialog.disagreements
    tabs = dialog.findChild(QTabWidget)
    if tabs is not None:  # the disagreements behind a tab: a click shows them
        at = next(n for n in range(tabs.count()) if tabs.widget(n).isAncestorOf(tree))
        bar = tabs.tabBar()
        qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(at).center())
    qtbot.waitUntil(tree.isVisible)
    qtbot.wait(10)
    cut = [(t, need, has) for t, need, has in heading_room(tree.header(), False) if has < need]
    assert not cut, f"disagreements: {cut}"
    assert not tree.horizontalScrollBar().isVisible()  # every column in view


def rows_wanted(height: int) -> int:
    """The documents a user reads without scrolling on a screen this tall."""
    return 14 if height >= 1000 else 9 if height >= 760 else 8


def test_the_documents_table_takes_the_room(open_window, desk: Path, qtbot: QtBot) -> None:
    _window, dialog = opened(open_window, desk, qtbot)
    table = dialog.documents
    assert table.isVisible()
    rows = table.viewport().height() // table.rowHeight(0)
    area = dialog.screen().availableGeometry()
    assert rows >= rows_wanted(area.height()), (rows, table.viewport().height(), area)


def test_the_figures_above_read_whole(open_window, desk: Path, qtbot: QtBot) -> None:
    """The report's first table (overall and per label: F1 and kappa) is in view without
    scrolling: the heading after it is."""
    _window, dialog = opened(open_window, desk, qtbot)
    report = dialog.report
    after = report.document().find("Exact span F1 between annotators")
    assert not after.isNull()
    assert report.verticalScrollBar().value() == 0
    top = report.cursorRect(after).top()
    assert 0 < top < report.viewport().height(), (top, report.viewport().height())


def test_escape_closes_and_the_keys_go_back_to_the_article(
    open_window, desk: Path, qtbot: QtBot
) -> None:
    window, dialog = opened(open_window, desk, qtbot)
    focused = QApplication.focusWidget()
    assert focused is not None and focused.window() is dialog
    qtbot.keyClick(focused, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.waitUntil(window.article_view.hasFocus)


def test_the_keys_start_in_the_documents_and_alt_i_shows_the_disagreements(
    open_window, desk: Path, qtbot: QtBot
) -> None:
    window, dialog = opened(open_window, desk, qtbot)
    assert dialog.documents.hasFocus()  # the arrows move through the documents at once
    qtbot.keyClick(dialog.documents, Qt.Key.Key_Down)
    assert dialog.documents.currentIndex().row() == 1
    qtbot.keyClick(dialog.documents, Qt.Key.Key_I, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(dialog.disagreements.hasFocus)
    assert dialog.disagreements.isVisible() and not dialog.documents.isVisible()
    qtbot.keyClick(dialog.disagreements, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(dialog.documents.hasFocus)
    qtbot.keyClick(dialog.documents, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.waitUntil(window.article_view.hasFocus)


@pytest.mark.skipif(bool(os.environ.get(SCREEN_CONFIG)), reason="runs the others")
@pytest.mark.parametrize("screen", sorted(SCREENS))
def test_on_each_screen(tmp_path: Path, screen: str) -> None:
    """All of the above on an offscreen screen of that size, in a process of its own."""
    assert "3 skipped" in run_on_screen(__file__, SCREENS[screen], tmp_path)
