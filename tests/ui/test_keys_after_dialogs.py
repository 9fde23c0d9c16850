"""Once a dialog of the window closes, the keys go back where they came from: the next
shortcut works without a click. A window manager does that for the window; without one
(an X session with none, and Qt's offscreen screen, which these tests run on) the keys
went nowhere until the window was clicked: Ctrl+E pressed again after an export did
nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from factmark.ui.dialogs.export_dialog import ExportDialog
from factmark.ui.window.main_window import MainWindow
from tests.ui.helpers import drag_select
from tests.ui.test_annotation import KEYS, find, listed
from tests.ui.test_export_dialog import _export_button


def when_shown(kind: type[QWidget], act: Callable[[QWidget], None]) -> None:
    """Run ``act`` on the modal ``kind`` once it shows and has the keys (the key that
    opens it blocks; a person's keys reach a dialog only once it is active, and on a
    busy machine it becomes active a while after it shows)."""

    def step(tries: int = 1000) -> None:  # 20 s
        dialog = QApplication.activeModalWidget()
        if (
            isinstance(dialog, kind)
            and dialog.isVisible()
            and QApplication.activeWindow() is dialog
        ):
            act(dialog)
        elif tries:
            QTimer.singleShot(20, lambda: step(tries - 1))

    QTimer.singleShot(20, step)


def press_ctrl_e(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.keySequence(window.article_view, QKeySequence("Ctrl+E"))


def test_ctrl_e_again_after_an_export_and_after_cancel(
    open_window, qtbot: QtBot, tmp_path: Path
) -> None:
    window = open_window()
    opened: list[str] = []

    def export(dialog: QWidget) -> None:
        assert isinstance(dialog, ExportDialog)
        opened.append("export")
        dialog.output.setText(str(tmp_path / "corpus.jsonl"))
        qtbot.mouseClick(_export_button(dialog), Qt.MouseButton.LeftButton)

    def cancel(dialog: QWidget) -> None:
        opened.append("cancel")
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    when_shown(ExportDialog, export)
    press_ctrl_e(window, qtbot)
    assert (tmp_path / "corpus.jsonl").exists()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)  # no click in between
    when_shown(ExportDialog, cancel)
    press_ctrl_e(window, qtbot)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    when_shown(ExportDialog, cancel)
    press_ctrl_e(window, qtbot)
    assert opened == ["export", "cancel", "cancel"]


def test_a_label_key_works_after_the_shortcuts_list_closes(open_window, qtbot: QtBot) -> None:
    window = open_window()
    start = find(window, "Bakhmut")
    drag_select(window.article_view, start, start + len("Bakhmut"))
    when_shown(QDialog, lambda dialog: qtbot.keyClick(dialog, Qt.Key.Key_Escape))
    qtbot.keyClick(window.article_view, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window.article_view, KEYS["location"])
    assert listed(window) == [("location", "Bakhmut")]


def test_a_message_over_a_dialog_gives_the_keys_back_to_that_dialog(
    open_window, qtbot: QtBot, tmp_path: Path
) -> None:
    """A bad split refused by a message box over the export dialog: closing the message
    leaves the export dialog with the keys (Escape closes it), then the window."""
    window = open_window()
    seen: list[object] = []

    def refuse_then_escape(dialog: QWidget) -> None:
        assert isinstance(dialog, ExportDialog)
        dialog.output.setText(str(tmp_path / "corpus.jsonl"))
        dialog.split_on.setChecked(True)
        dialog.split.setText("train=lots")

        def close_message(box: QWidget) -> None:
            assert isinstance(box, QMessageBox)
            box.accept()

            def after() -> None:
                seen.append(QApplication.activeWindow())
                qtbot.keyClick(dialog, Qt.Key.Key_Escape)

            QTimer.singleShot(50, after)

        when_shown(QMessageBox, close_message)
        qtbot.mouseClick(_export_button(dialog), Qt.MouseButton.LeftButton)

    when_shown(ExportDialog, refuse_then_escape)
    press_ctrl_e(window, qtbot)
    assert len(seen) == 1 and isinstance(seen[0], ExportDialog)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    assert not (tmp_path / "corpus.jsonl").exists()


def test_a_window_that_is_not_one_of_its_dialogs_is_left_alone(open_window, qtbot: QtBot) -> None:
    """Another top-level window closing (not the window's own dialog) does not pull the
    keys to the window."""
    window = open_window()
    other = QWidget()
    qtbot.addWidget(other)
    other.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    other.show()
    other.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is other)
    other.setFocus()
    other.hide()
    qtbot.wait(100)
    assert QApplication.activeWindow() is not window
