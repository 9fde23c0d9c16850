"""The window writes no copy or export onto a project: File > Export project for
annotator replaces a file only once the user has agreed, never this window's project or
one another Factmark has open; File > Export corpus never writes onto a project."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit, QMessageBox
from pytestqt.qtbot import QtBot

from factmark.core.incoming import IncomingDocument
from factmark.core.project import Project
from factmark.ui.dialogs.export_dialog import ExportDialog
from tests.ui.test_export_dialog import _export_button

ALICE_TEXT = "Alice's own article, annotated offline."


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def alice(tmp_path: Path) -> Path:
    """An annotator's copy, with her work in it."""
    path = tmp_path / "alice.factmark"
    with Project.open(path) as project:
        added = project.add_document(IncomingDocument(ALICE_TEXT, title="alice's"))
        assert added is not None
        project.add_span(added[0], 0, 5, "source", "alice")
    return path


@pytest.fixture
def answer_boxes(qtbot: QtBot) -> Iterator[Callable[[list[str]], list[str]]]:
    """``answer_boxes(["&No", "OK"])``: each message box that shows from then on is
    answered by a click on the button of the next text; returns the list of the texts of
    the boxes shown, filled in as they show. The question for whom a copy is for is
    answered with Enter (no name)."""
    timers: list[QTimer] = []

    def start(answers: list[str]) -> list[str]:
        shown: list[str] = []

        def answer() -> None:
            box = QApplication.activeModalWidget()
            if isinstance(box, QInputDialog) and box.objectName() == "copyAnnotator":
                field = box.findChild(QLineEdit)
                if box.isVisible() and field is not None:
                    qtbot.keyClick(field, Qt.Key.Key_Return)
                return
            if not isinstance(box, QMessageBox) or not box.isVisible():
                return
            shown.append(box.text())
            wanted = answers[len(shown) - 1] if len(shown) <= len(answers) else "(none left)"
            buttons = {button.text(): button for button in box.buttons()}
            if wanted not in buttons:  # fail in the test, not in Qt's event loop
                wanted = next(iter(buttons))
                shown.append(f"unexpected box: {list(buttons)}")
            qtbot.mouseClick(buttons[wanted], Qt.MouseButton.LeftButton)

        timer = QTimer()
        timer.timeout.connect(answer)
        timer.start(30)
        timers.append(timer)
        return shown

    yield start
    for timer in timers:
        timer.stop()


def choose_in_save_dialog(monkeypatch: pytest.MonkeyPatch, chosen: Path | str) -> None:
    """The save dialog (the platform's own, which a test cannot drive) gives ``chosen``;
    for an existing file it has asked the user already, as it does."""
    monkeypatch.setattr(
        "factmark.ui.file_dialogs.save_file_name",
        lambda *args, **kwargs: (str(chosen), "Factmark projects (*.factmark)"),
    )


def test_a_project_open_in_another_factmark_is_not_replaced(
    open_window,
    qtbot: QtBot,
    alice: Path,
    held: Callable[[Path], None],
    answer_boxes,
    monkeypatch,
) -> None:
    held(alice)  # alice has her copy open in her window
    before = sha256(alice)
    window = open_window()
    choose_in_save_dialog(monkeypatch, alice)  # and the user agreed to replace it there
    shown = answer_boxes(["OK"])
    window.action_table["copyForAnnotator"].trigger()
    assert shown == [
        f"{alice}: is open in a Factmark window or command; it cannot be replaced while "
        "open: close it there first or choose another name"
    ]
    assert sha256(alice) == before
    assert "Copied" not in window.statusBar().currentMessage()


def test_this_windows_own_project_is_not_replaced(
    open_window, qtbot: QtBot, answer_boxes, monkeypatch
) -> None:
    window = open_window()
    own = window.project.path
    spans = {d.id: window.project.spans(d.id) for d in window.project.documents()}
    choose_in_save_dialog(monkeypatch, own)
    shown = answer_boxes(["OK"])
    window.action_table["copyForAnnotator"].trigger()
    assert shown == [f"{own}: a copy needs another file name than the project's own"]
    assert {d.id: window.project.spans(d.id) for d in window.project.documents()} == spans


def test_a_name_given_its_suffix_asks_before_replacing(
    open_window, qtbot: QtBot, alice: Path, answer_boxes, monkeypatch
) -> None:
    """ "alice" typed in the save dialog names no file, so it asked nothing; the copy is
    alice.factmark, which exists: the window asks, and No keeps alice's work."""
    before = sha256(alice)
    window = open_window()
    choose_in_save_dialog(monkeypatch, alice.with_suffix(""))
    question = f"{alice.name} already exists in {alice.parent}.\nReplace it with the copy?"
    shown = answer_boxes(["&No", "&Yes"])
    window.action_table["copyForAnnotator"].trigger()
    assert shown == [question]
    assert sha256(alice) == before

    window.action_table["copyForAnnotator"].trigger()
    assert shown == [question, question]
    with Project.open_to_read(alice) as replaced:
        assert [d.title for d in replaced.documents()] == [
            d.title for d in window.project.documents()
        ]
    assert str(alice) in window.statusBar().currentMessage()


def test_export_corpus_never_writes_onto_a_project(
    open_window, qtbot: QtBot, alice: Path, answer_boxes
) -> None:
    """File > Export corpus, Save as alice.factmark (the save dialog asked to replace)."""
    before = sha256(alice)
    window = open_window()
    dialog = ExportDialog(window.project, window)
    qtbot.addWidget(dialog)
    for box in dialog.statuses.values():
        box.setChecked(True)
    dialog.output.setText(str(alice))
    shown = answer_boxes(["OK"])
    qtbot.mouseClick(_export_button(dialog), Qt.MouseButton.LeftButton)
    assert shown == [
        f"{alice}: is a Factmark project; an export never writes onto one: choose another name"
    ]
    assert sha256(alice) == before
    assert dialog.result() != ExportDialog.DialogCode.Accepted  # stays to choose another name
