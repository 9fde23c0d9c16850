"""First start teaches the one gesture: the status bar says how to label, the article
says what to do when there is nothing to show, and the links and suggestions panels
say what fills them."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from factmark.core.model import Label
from factmark.ui.panels.hints import NO_DOCUMENT, label_keys
from tests.ui.helpers import drag_select
from tests.ui.test_annotation import find, stored


def test_first_start_says_select_text_then_press_1_to_4(open_window, qtbot: QtBot) -> None:
    window = open_window()
    message = window.statusBar().currentMessage()
    assert message.startswith("Select text, then press 1–4 to label it")
    assert "claim" in message and "number" in message
    # The gesture it teaches works as said.
    start = find(window, "Bakhmut")
    drag_select(window.article_view, start, start + len("Bakhmut"))
    qtbot.keyClick(window.article_view, Qt.Key.Key_3)
    assert stored(window) == [("location", "Bakhmut")]


def test_the_empty_panels_say_what_fills_them(open_window) -> None:
    window = open_window()
    assert window.relations.count() == 0
    assert "press R" in window.relations.placeholder()
    assert "Ctrl+Shift+S" in window.suggestion_panel.shown_text()


def test_an_empty_project_says_how_to_bring_articles_in(open_window, tmp_path: Path) -> None:
    window = open_window(tmp_path / "empty.factmark")
    assert window.article_view.toPlainText() == ""
    assert window.article_view.placeholderText() == NO_DOCUMENT


def test_label_keys_read_as_a_user_reads_them() -> None:
    def labels(*keys: str) -> list[Label]:
        return [Label(name=f"l{n}", key=key) for n, key in enumerate(keys)]

    assert label_keys(labels("1", "2", "3", "4")) == "1–4"
    assert label_keys(labels("1", "Q")) == "1 or Q"
    assert label_keys(labels("1", "3", "4")) == "1, 3 or 4"
    assert label_keys(labels("", "")) == ""


def test_a_label_key_after_a_click_labels_the_number_as_the_guidelines_say(
    open_window, qtbot: QtBot
) -> None:
    from tests.ui.helpers import click_at

    window = open_window()
    click_at(qtbot, window.article_view, find(window, "500 men") + 1)  # no selection
    assert not window.article_view.textCursor().hasSelection()
    qtbot.keyClick(window.article_view, Qt.Key.Key_4)
    assert stored(window) == [("number", "500 men")]  # the number with what it counts
