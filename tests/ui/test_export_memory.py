"""File > Export corpus proposes the choices of the project's last export (per project)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QStandardPaths, Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QMessageBox,
    QWidget,
)
from pytestqt.qtbot import QtBot

from factmark.core.exporting import FORMATS
from factmark.core.incoming import IncomingDocument
from factmark.core.preferences import config_dir
from factmark.core.project import Project
from factmark.ui.dialogs.export_dialog import ExportDialog
from factmark.ui.window.main_window import MainWindow
from tests.ui.helpers import drag_select
from tests.ui.test_annotation import KEYS, find
from tests.ui.test_export_dialog import _export_button, cancel_while_exporting


def in_export_dialog(window: MainWindow, qtbot: QtBot, act: Callable[[ExportDialog], None]) -> None:
    """Press Ctrl+E in the window and, once the export dialog shows, do ``act`` in it
    (which may press Export); a dialog still open afterwards is closed with Escape."""
    ran: list[BaseException | None] = []

    def step(tries: int = 200) -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ExportDialog) or not dialog.isVisible():
            if tries:
                QTimer.singleShot(20, lambda: step(tries - 1))
            return
        try:
            act(dialog)
            ran.append(None)
        except BaseException as error:  # raised again below, outside Qt's event loop
            ran.append(error)
        if dialog.isVisible():
            qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    boxes: list[str] = []

    def close_a_message_box() -> None:
        """A message box nobody expects fails the test instead of waiting for ever."""
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            boxes.append(box.text())
            box.reject()

    guard = QTimer()
    guard.timeout.connect(close_a_message_box)
    guard.start(50)
    QTimer.singleShot(20, step)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.article_view.setFocus()
    qtbot.keySequence(window.article_view, QKeySequence("Ctrl+E"))
    guard.stop()
    assert boxes == []
    assert ran, "Ctrl+E did not open the export dialog"
    if ran[0] is not None:
        raise ran[0]


def choose(qtbot: QtBot, combo: QComboBox, data: str) -> None:
    """Walk the combo box to the item ``data`` with the arrow keys, as a user does."""
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    for _ in range(combo.count()):
        if combo.currentData() == data:
            return
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentData() == data, f"{data!r} is not offered"


def tick(qtbot: QtBot, box: QCheckBox, on: bool) -> None:
    """Tick or untick ``box`` with the space bar, as a user does."""
    if box.isChecked() != on:
        box.setFocus()
        qtbot.keyClick(box, Qt.Key.Key_Space)
    assert box.isChecked() == on


def type_into(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Replace what ``widget`` (a line or a spin box) holds by typing ``text``."""
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(widget, text)


def export_as(
    qtbot: QtBot, fmt: str, path: Path, **switches: bool
) -> Callable[[ExportDialog], None]:
    """In the dialog: choose ``fmt``, tick every status and set the ``switches`` (card,
    pseudonymise), type ``path``, press Export."""

    def act(dialog: ExportDialog) -> None:
        choose(qtbot, dialog.format, fmt)
        for box in dialog.statuses.values():
            tick(qtbot, box, True)
        for name, on in switches.items():
            tick(qtbot, getattr(dialog, name), on)
        type_into(qtbot, dialog.output, str(path))
        qtbot.mouseClick(_export_button(dialog), Qt.MouseButton.LeftButton)
        assert not dialog.isVisible(), dialog.result_message

    return act


def proposed(window: MainWindow, qtbot: QtBot) -> tuple[str, Path, ExportDialog]:
    """The format and output path the export dialog opens with (then closed unused)."""
    seen: list[tuple[str, Path, ExportDialog]] = []
    in_export_dialog(
        window,
        qtbot,
        lambda d: seen.append((d.format.currentData(), Path(d.output.text()), d)),
    )
    return seen[0]


def default_output(project: Path) -> Path:
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(documents or Path.home()) / f"{project.stem}.jsonl"


def reopen(open_window, window: MainWindow) -> MainWindow:  # type: ignore[no-untyped-def]
    path = Path(window.project.path)
    window.close()
    window.project.close()
    return open_window(path)  # type: ignore[no-any-return]


def test_the_next_export_proposes_the_format_and_folder_written_last(
    open_window, qtbot: QtBot, tmp_path: Path
) -> None:
    window = open_window()
    stem = Path(window.project.path).stem
    (tmp_path / "corpora").mkdir()
    written = tmp_path / "corpora" / "first try.conll"

    def act(dialog: ExportDialog) -> None:
        tick(qtbot, dialog.labels["number"], False)  # not kept
        export_as(qtbot, "conll", written, card=False, pseudonymise=True)(dialog)

    in_export_dialog(window, qtbot, act)
    assert written.is_file()
    assert not (written.parent / "README.md").exists()  # the card was left out

    fmt, path, dialog = proposed(window, qtbot)
    assert (fmt, path) == ("conll", written.parent / f"{stem}{written.suffix}")
    assert all(box.isChecked() for box in dialog.statuses.values())
    assert not dialog.card.isChecked() and dialog.pseudonymise.isChecked()
    assert all(box.isChecked() for box in dialog.labels.values())

    # Remembered across starts; a folder format gets a folder named after the project.
    window = reopen(open_window, window)
    folder = tmp_path / "corpora" / "brat export"
    in_export_dialog(window, qtbot, export_as(qtbot, "brat", folder))
    assert folder.is_dir() and any(folder.iterdir())
    window = reopen(open_window, window)
    fmt, path, _ = proposed(window, qtbot)
    assert (fmt, path) == ("brat", folder.parent / stem)


def test_a_cancelled_export_changes_nothing_remembered(
    open_window, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_window()
    stem = Path(window.project.path).stem
    written = tmp_path / "kept" / "corpus.conll"
    written.parent.mkdir()
    in_export_dialog(window, qtbot, export_as(qtbot, "conll", written))
    assert written.is_file()

    (tmp_path / "other").mkdir()

    def cancelled(dialog: ExportDialog) -> None:
        choose(qtbot, dialog.format, "xmi")
        type_into(qtbot, dialog.output, str(tmp_path / "other" / "corpus.zip"))
        with cancel_while_exporting(qtbot, window, monkeypatch):
            qtbot.mouseClick(_export_button(dialog), Qt.MouseButton.LeftButton)
        assert dialog.isVisible()

    in_export_dialog(window, qtbot, cancelled)
    assert list((tmp_path / "other").iterdir()) == []  # nothing was written there
    fmt, path, _ = proposed(window, qtbot)
    assert (fmt, path) == ("conll", written.parent / f"{stem}.conll")


def test_a_format_no_longer_offered_and_a_folder_gone_give_the_defaults(
    open_window, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_window()
    written = tmp_path / "gone" / "corpus.zip"
    written.parent.mkdir()
    in_export_dialog(window, qtbot, export_as(qtbot, "xmi", written))
    assert written.is_file()
    shutil.rmtree(written.parent)
    monkeypatch.setattr(FORMATS["xmi"], "available", lambda: False, raising=False)
    window = reopen(open_window, window)
    fmt, path, _ = proposed(window, qtbot)
    assert (fmt, path) == ("jsonl", default_output(Path(window.project.path)))


def test_the_other_choices_come_back_and_hand_edited_nonsense_gives_the_defaults(
    open_window, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_window()
    start = find(window, "Bakhmut")
    drag_select(window.article_view, start, start + len("Bakhmut"))
    qtbot.keyClick(window.article_view, KEYS["location"])
    layer = f"annotator:{window.settings.annotator()}"  # offered once they have a span
    written = tmp_path / "out" / "corpus.conll"
    written.parent.mkdir()

    def act(dialog: ExportDialog) -> None:
        choose(qtbot, dialog.format, "conll")  # which offers the nested spans' policies
        choose(qtbot, dialog.nested, "innermost")
        choose(qtbot, dialog.layer, layer)
        tick(qtbot, dialog.split_on, True)
        type_into(qtbot, dialog.split, "train=0.5,dev=0.5")
        type_into(qtbot, dialog.seed, "7")
        type_into(qtbot, dialog.min_per_part, "2")
        type_into(qtbot, dialog.split_by.lineEdit(), "meta.outlet")
        tick(qtbot, dialog.split_on, False)  # written unsplit; the split's values stay
        export_as(qtbot, "conll", written, card=False, pseudonymise=True)(dialog)

    in_export_dialog(window, qtbot, act)
    assert written.is_file()
    path = Path(window.project.path)
    window = reopen(open_window, window)
    _, _, dialog = proposed(window, qtbot)
    assert dialog.nested.currentData() == "innermost" and dialog.layer.currentData() == layer
    assert (dialog.split.text(), dialog.seed.value(), dialog.min_per_part.value()) == (
        "train=0.5,dev=0.5",
        7,
        2,
    )
    assert dialog.split_by.currentText() == "meta.outlet"
    assert not dialog.split_on.isChecked()
    window.close()
    window.project.close()

    ini = config_dir() / "factmark.ini"
    text = ini.read_text(encoding="utf-8")
    for key, nonsense in {
        "format": "conll-u-later",
        "folder": "out",  # relative: not taken for the folder of that name in tmp_path
        "statuses": "new, finished",
        "seed": "many",
        "min_per_part": "5000000",
        "split": "train=2",
        "split_by": "outlet",
        "card": "perhaps",
        "pseudonymise": "",
        "layer": "annotator:nobody here",
        "nested": "@Invalid()",
    }.items():
        text, found = re.subn(rf"(?m)^(\w+\\{key})=.*$", rf"\1={nonsense}", text)
        assert found == 1, f"{key} is not in {text}"
    ini.write_text(text, encoding="utf-8")

    monkeypatch.chdir(tmp_path)
    window = open_window(path)
    fmt, output, dialog = proposed(window, qtbot)
    assert (fmt, output) == ("jsonl", default_output(path))
    assert [s for s, box in dialog.statuses.items() if box.isChecked()] == ["done"]
    assert dialog.seed.value() == 0 and dialog.min_per_part.value() == 0
    assert dialog.split.text() == "train=0.8,dev=0.1,test=0.1"
    assert dialog.split_by.currentText() == ""
    assert dialog.card.isChecked() and not dialog.pseudonymise.isChecked()
    assert dialog.layer.currentData() == "" and dialog.nested.currentData() == "outermost"


def _project(path: Path) -> Path:
    with Project.open(path) as project:
        project.add_document(IncomingDocument("The mayor said 40 bridges closed.\n"))
    return path


def test_two_projects_remember_their_own_exports(open_window, qtbot: QtBot, tmp_path: Path) -> None:
    first, second = _project(tmp_path / "first.factmark"), _project(tmp_path / "second.factmark")
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
    window = open_window(first)
    in_export_dialog(window, qtbot, export_as(qtbot, "conll", tmp_path / "a" / "x.conll"))
    assert (tmp_path / "a" / "x.conll").is_file()
    window.close()
    window.project.close()

    window = open_window(second)
    fmt, path, _ = proposed(window, qtbot)
    assert (fmt, path) == ("jsonl", default_output(second))  # nothing exported from it yet
    in_export_dialog(window, qtbot, export_as(qtbot, "doccano", tmp_path / "b" / "y.jsonl"))
    assert (tmp_path / "b" / "y.jsonl").is_file()
    window.close()
    window.project.close()

    window = open_window(first)
    assert proposed(window, qtbot)[:2] == ("conll", tmp_path / "a" / "first.conll")
    window.close()
    window.project.close()
    window = open_window(second)
    assert proposed(window, qtbot)[:2] == ("doccano", tmp_path / "b" / "second.jsonl")
