"""Editing the annotation guidelines in the window: the dock's Edit, Save, Cancel and Load."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPlainTextEdit, QPushButton
from pytestqt.qtbot import QtBot

from factmark.core.project import Project
from factmark.core.resources import default_guidelines
from factmark.ui.panels.guidelines_panel import MarkdownEditor
from factmark.ui.window.main_window import MainWindow
from tests.ui.helpers import type_text

CTRL = Qt.KeyboardModifier.ControlModifier
LEFT = Qt.MouseButton.LeftButton
Button = QMessageBox.StandardButton
Answer = Callable[[Button, list[str]], None]  # the answer_box fixture
NEW_LINES = [
    "# Desk rules",
    "",
    "Vérifiez chaque chiffre deux fois\u00a0: numbers first.",
    "",
    "## claim",
    "",
    "Examples:",
    "- the bridge reopened on Monday",
]
NEW = "\n".join(NEW_LINES)


@pytest.fixture
def window(open_window) -> MainWindow:
    return open_window()


def button(window: MainWindow, name: str) -> QPushButton:
    found = window.findChild(QPushButton, name)
    assert isinstance(found, QPushButton), name
    return found


def stored(path: Path) -> str:
    """The guidelines as a fresh connection reads them from the file."""
    with Project.open_to_read(path) as project:
        return project.guidelines()


def open_editor(window: MainWindow, qtbot: QtBot) -> MarkdownEditor:
    """F2 shows the guidelines; clicking Edit shows their Markdown in the editor."""
    qtbot.keyClick(window.article_view, Qt.Key.Key_F2)
    assert window.guidelines_dock.isVisible()
    edit = button(window, "guidelinesEdit")
    assert edit.isVisible() and edit.isEnabled()
    qtbot.mouseClick(edit, LEFT)
    editor = window.findChild(QPlainTextEdit, "guidelinesEditor")
    assert isinstance(editor, MarkdownEditor)
    assert editor.isVisible() and not window.guidelines.isVisible()
    qtbot.waitUntil(editor.hasFocus)
    assert editor.source() == window.project.guidelines()
    return editor


def retype(qtbot: QtBot, editor: MarkdownEditor, lines: list[str]) -> None:
    """Select everything and type ``lines`` over it, pressing Return between them."""
    qtbot.keyClick(editor, Qt.Key.Key_A, CTRL)
    for number, line in enumerate(lines):
        if number:
            qtbot.keyClick(editor, Qt.Key.Key_Return)
        type_text(editor, line)


@pytest.fixture
def answer_box(qtbot: QtBot) -> Iterator[Answer]:
    """``answer_box(button, seen)``: click ``button`` in the next message box that has it,
    as a user would, noting its text in ``seen``. Waiting stops with the test."""
    timers: list[QTimer] = []

    def arm(answer: Button, seen: list[str]) -> None:
        timer = QTimer()

        def look() -> None:
            box = QApplication.activeModalWidget()
            if isinstance(box, QMessageBox) and box.button(answer) is not None:
                timer.stop()
                seen.append(box.text())
                qtbot.mouseClick(box.button(answer), LEFT)

        timer.timeout.connect(look)
        timer.start(20)
        timers.append(timer)

    yield arm
    for timer in timers:
        timer.stop()


def test_edit_type_and_ctrl_s_saves_renders_and_updates_label_tips(
    window: MainWindow, qtbot: QtBot
) -> None:
    old_tip = window.action_table.by_name["label_claim"].toolTip()
    assert "it had defeated a Russian infantry unit" in old_tip
    editor = open_editor(window, qtbot)
    retype(qtbot, editor, NEW_LINES)
    assert not button(window, "guidelinesEdit").isVisible()  # still editing
    qtbot.keyClick(editor, Qt.Key.Key_S, CTRL)

    assert window.guidelines.isVisible() and not editor.isVisible()
    shown = window.guidelines.toPlainText()
    assert "Desk rules" in shown and "# Desk rules" not in shown  # rendered, not source
    assert "the bridge reopened on Monday" in shown
    assert "A checkable statement of fact" not in shown
    assert stored(window.project.path) == NEW  # committed, no-break space kept
    assert window.project.guidelines() == NEW
    assert "Saved the guidelines" in window.statusBar().currentMessage()
    action = window.action_table.by_name["label_claim"]
    tool_button = window.action_table.label_toolbar.widgetForAction(action)
    for tip in (action.toolTip(), tool_button.toolTip()):
        assert "the bridge reopened on Monday" in tip
        assert "it had defeated a Russian infantry unit" not in tip


def test_the_save_button_saves_too(window: MainWindow, qtbot: QtBot) -> None:
    editor = open_editor(window, qtbot)
    qtbot.keyClick(editor, Qt.Key.Key_End, CTRL)
    # Real key presses: the label keys (1-4) are window shortcuts, yet they type here.
    qtbot.keyClicks(editor, "Ask the desk editor 1st.")
    qtbot.mouseClick(button(window, "guidelinesSave"), LEFT)
    assert stored(window.project.path) == default_guidelines() + "Ask the desk editor 1st."
    assert "Ask the desk editor 1st." in window.guidelines.toPlainText()
    assert window.spans.spans == []  # no span was labelled meanwhile


@pytest.mark.parametrize("how", ["escape", "cancel button"])
def test_escape_or_cancel_leaves_without_storing(
    window: MainWindow, qtbot: QtBot, how: str
) -> None:
    editor = open_editor(window, qtbot)
    retype(qtbot, editor, ["# Draft that must not be kept"])
    if how == "escape":
        qtbot.keyClick(editor, Qt.Key.Key_Escape)
    else:
        qtbot.mouseClick(button(window, "guidelinesCancel"), LEFT)
    assert window.guidelines.isVisible() and not editor.isVisible()
    assert window.guidelines_dock.isVisible()  # Escape did not close the dock either
    assert "Draft that must not be kept" not in window.guidelines.toPlainText()
    assert "A checkable statement of fact" in window.guidelines.toPlainText()
    assert stored(window.project.path) == default_guidelines()
    # Editing again starts from what is stored, not from the dropped draft.
    qtbot.mouseClick(button(window, "guidelinesEdit"), LEFT)
    assert editor.source() == default_guidelines()
    qtbot.keyClick(editor, Qt.Key.Key_Escape)


def test_closing_with_unsaved_changes_asks_and_cancel_keeps_the_window(
    window: MainWindow, qtbot: QtBot, answer_box: Answer
) -> None:
    editor = open_editor(window, qtbot)
    retype(qtbot, editor, NEW_LINES)
    seen: list[str] = []
    answer_box(Button.Cancel, seen)
    assert not window.close()
    assert seen and "not saved" in seen[0]
    assert window.isVisible()
    assert editor.isVisible() and editor.source() == NEW
    assert stored(window.project.path) == default_guidelines()

    answer_box(Button.Save, seen)
    assert window.close()
    assert len(seen) == 2
    assert not window.isVisible()
    assert stored(window.project.path) == NEW


def test_closing_and_discarding_keeps_the_stored_guidelines(
    window: MainWindow, qtbot: QtBot, answer_box: Answer
) -> None:
    editor = open_editor(window, qtbot)
    retype(qtbot, editor, ["# Thrown away"])
    seen: list[str] = []
    answer_box(Button.Discard, seen)
    assert window.close()
    assert len(seen) == 1
    assert stored(window.project.path) == default_guidelines()


def test_closing_after_an_edit_without_changes_does_not_ask(
    window: MainWindow, qtbot: QtBot
) -> None:
    editor = open_editor(window, qtbot)
    type_text(editor, "x")
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)  # back to what is stored
    assert window.close()  # a question would block here: nothing answers it


def test_switching_project_with_unsaved_changes_asks(
    window: MainWindow,
    qtbot: QtBot,
    answer_box: Answer,
    tmp_path: Path,
) -> None:
    other = tmp_path / "other.factmark"
    with Project.open(other) as project:
        project.set_guidelines("# Other desk\n")
    first = window.project.path
    editor = open_editor(window, qtbot)
    retype(qtbot, editor, ["# Unsaved draft"])
    seen: list[str] = []
    answer_box(Button.Cancel, seen)
    assert not window.files.open_project_file(other)
    assert len(seen) == 1
    assert window.project.path == first and editor.isVisible()

    answer_box(Button.Discard, seen)
    assert window.files.open_project_file(other)
    assert len(seen) == 2
    assert window.project.path == other
    assert not editor.isVisible()
    assert "Other desk" in window.guidelines.toPlainText()
    assert stored(first) == default_guidelines()
    assert stored(other) == "# Other desk\n"


def test_load_file_puts_a_markdown_file_in_the_editor(
    window: MainWindow,
    qtbot: QtBot,
    answer_box: Answer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    good = tmp_path / "desk.md"
    good.write_bytes(b"\xef\xbb\xbf# From a file\r\n\r\nCheck twice.\r\n")
    bad = tmp_path / "latin1.md"
    bad.write_bytes("# Règles\n".encode("latin-1"))
    chosen = [bad]
    monkeypatch.setattr(
        "factmark.ui.file_dialogs.open_file_name",
        lambda *args, **kwargs: (str(chosen[0]), "Markdown (*.md)"),
    )
    editor = open_editor(window, qtbot)
    load = button(window, "guidelinesLoad")

    seen: list[str] = []
    answer_box(Button.Ok, seen)
    qtbot.mouseClick(load, LEFT)
    qtbot.waitUntil(lambda: len(seen) == 1)
    assert seen == ["latin1.md: not UTF-8 text (byte 3 is not valid UTF-8); save it as UTF-8"]
    assert editor.source() == default_guidelines()  # the editor is as it was

    chosen[0] = good
    qtbot.mouseClick(load, LEFT)
    assert editor.source() == "# From a file\n\nCheck twice.\n"
    assert stored(window.project.path) == default_guidelines()  # not saved yet
    qtbot.keyClick(editor, Qt.Key.Key_Z, CTRL)  # loading is one undoable edit
    assert editor.source() == default_guidelines()
    qtbot.mouseClick(load, LEFT)
    qtbot.keyClick(editor, Qt.Key.Key_S, CTRL)
    assert stored(window.project.path) == "# From a file\n\nCheck twice.\n"
    assert "From a file" in window.guidelines.toPlainText()
