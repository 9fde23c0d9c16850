"""View > Mark sentences checked before: the sentences of the article that closely match
an archived claim become claim suggestions, reviewed with the suggestion keys, and the
suggestion panel names the review each one matched."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from factmark.core.archive import add_reviews
from factmark.core.archive_readers import read_archive_file
from factmark.core.incoming import IncomingDocument
from factmark.core.project import Project
from factmark.ui.background.claim_matches import sentence_bounds
from tests.core.archive_samples import BASE, write_samples
from tests.core.test_archive import ARTICLE

FIRST = "A post shared this week says that vaccines against Covid hide microchips to track people."
LAST = "Some people say the coronavirus is spread by 5G mobile networks."


def article_project(path: Path, archive: Path) -> Path:
    with Project.open(path) as project:
        project.add_document(IncomingDocument(ARTICLE, title="Rumours", meta={"lang": "en"}))
        for file in write_samples(archive).values():
            add_reviews(project, (r for _, r in read_archive_file(file).reviews), file.name)
    return path


def click_menu_item(qtbot: QtBot, window, menu: QMenu, text: str) -> None:  # type: ignore[no-untyped-def]
    action = next(a for a in menu.actions() if a.text() == text)
    menu.popup(window.mapToGlobal(QPoint(0, 0)))
    qtbot.waitUntil(menu.isVisible)
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())
    qtbot.waitUntil(lambda: not menu.isVisible())
    window.activateWindow()  # the offscreen platform leaves the closed menu active
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def test_marked_sentences_are_reviewed_like_suggestions_and_name_their_review(
    open_window, qtbot: QtBot, tmp_path: Path
) -> None:
    path = article_project(tmp_path / "rumours.factmark", tmp_path / "archive")
    window = open_window(path)
    view = window.article_view
    qtbot.waitUntil(lambda: view.text == ARTICLE)
    assert view.suggestions == []
    view_menu = window.action_table.menus["View"]
    click_menu_item(qtbot, window, view_menu, "Mark sentences &checked before")
    assert window.action_table["markCheckedSentences"].isChecked()
    qtbot.waitUntil(lambda: len(view.suggestions) == 2, timeout=15000)
    assert [(ARTICLE[s.start : s.end], s.label, s.suggester) for s in view.suggestions] == [
        (FIRST, "claim", "archive"),
        (LAST, "claim", "archive"),
    ]

    # The first is in hand once they are found.
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    shown = window.suggestion_panel.shown_text()
    assert "Suggestion 1 of 2" in shown
    assert (
        "claim “A post shared this week says that vacci…”\n"
        "Checked before: False · FactDesk, “COVID-19 vaccines contain micro…” (72%)" in shown
    )
    assert window.suggestion_panel.body.toolTip() == (
        "Checked before: False · FactDesk · 2021-01-15\n"
        "“COVID-19 vaccines contain microchips that track people”\n"
        f"{BASE}/en/vaccine-microchips"
    )
    qtbot.keyClick(view, Qt.Key.Key_Return)
    spans = window.project.spans(window.current.id)
    assert [(ARTICLE[s.start : s.end], s.label, s.attrs) for s in spans] == [
        (FIRST, "claim", {"suggested_by": "archive"})
    ]
    # The next one is in hand: every word of FactDesk's 5G claim is in it.
    assert f"{BASE}/en/5g-coronavirus" in window.suggestion_panel.body.toolTip()
    qtbot.keyClick(view, Qt.Key.Key_Backspace)
    assert view.suggestions == []
    qtbot.keySequence(view, QKeySequence("Ctrl+Z"))
    assert [ARTICLE[s.start : s.end] for s in view.suggestions] == [LAST]

    # Off: the archive's suggestions are hidden (kept); on again: back.
    click_menu_item(qtbot, window, view_menu, "Mark sentences &checked before")
    assert view.suggestions == []
    click_menu_item(qtbot, window, view_menu, "Mark sentences &checked before")
    qtbot.waitUntil(lambda: len(view.suggestions) == 1, timeout=15000)


def test_sentences_are_unicode_sentences_in_code_points() -> None:
    """The sentences the marking matches: Unicode's sentence boundaries (UAX #29, by
    Qt), whitespace left out, offsets in code points past an emoji (two UTF-16 units),
    and Chinese sentences ended by 。 and ？ with no space after them."""
    text = "Vaccines hide chips 🚨. They do not!  疫苗含有芯片。谁说的？Really?\n\nYes."
    expected = [
        "Vaccines hide chips 🚨.",
        "They do not!",
        "疫苗含有芯片。",
        "谁说的？",
        "Really?",
        "Yes.",
    ]
    assert [(text.index(s), text.index(s) + len(s)) for s in expected] == sentence_bounds(text)


def test_marking_without_an_archive_says_the_archive_is_empty(
    open_window, qtbot: QtBot, tmp_path: Path
) -> None:
    """Not that no sentence matches it: there is nothing to match, and where to add it."""
    path = tmp_path / "no-archive.factmark"
    with Project.open(path) as project:
        project.add_document(IncomingDocument(ARTICLE, title="Rumours", meta={"lang": "en"}))
    window = open_window(path)
    qtbot.waitUntil(lambda: window.article_view.text == ARTICLE)
    view_menu = window.action_table.menus["View"]
    click_menu_item(qtbot, window, view_menu, "Mark sentences &checked before")
    said = window.statusBar().currentMessage
    qtbot.waitUntil(lambda: "archive" in said() and "Looking" not in said(), timeout=15000)
    assert "archive of earlier fact-checks is empty" in said()
    assert "File > Add fact-check archive…" in said()
    assert window.article_view.suggestions == []
