"""The window and the command line share one preferences file; the layout stays in Qt's."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt
from pytestqt.qtbot import QtBot

from factmark.core.preferences import Preferences
from factmark.ui.window.main_window import MainWindow
from factmark.ui.window.settings import Settings
from tests.cli.test_cli import factmark
from tests.ui.test_annotation import KEYS, stored

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT_CTRL = Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.ControlModifier


def label_first_word(window: MainWindow, qtbot: QtBot) -> None:
    """Select the article's first word from the start, as a user does, and press 1."""
    view = window.article_view
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Home, CTRL)
    qtbot.keyClick(view, Qt.Key.Key_Right, SHIFT_CTRL)
    qtbot.keyClick(view, KEYS["claim"])


def test_the_annotator_set_on_the_command_line_is_recorded_by_the_window(
    open_window, qtbot: QtBot
) -> None:
    result = factmark("preferences", "--annotator", "olena")
    assert result.returncode == 0, result.stderr

    window = open_window()
    assert window.settings.has_annotator()  # so the first-start question is not asked
    assert window.annotator_button.text() == "Annotator: olena"
    label_first_word(window, qtbot)
    assert stored(window) == [("claim", "Ukraine")]
    assert [s.annotator for s in window.project.spans(window.current.id)] == ["olena"]

    # Changed on the command line while the window is open: the next span has it.
    assert factmark("preferences", "--annotator", "bohdan").returncode == 0
    view = window.article_view
    qtbot.keyClick(view, Qt.Key.Key_End, CTRL)
    qtbot.keyClick(view, Qt.Key.Key_Left, SHIFT_CTRL)
    qtbot.keyClick(view, KEYS["source"])
    annotators = [s.annotator for s in window.project.spans(window.current.id)]
    assert sorted(annotators) == ["bohdan", "olena"]


def test_the_window_keeps_the_switches_the_command_line_set(open_window, qtbot: QtBot) -> None:
    assert factmark("preferences", "--snap", "off", "--suggest-on-open", "on").returncode == 0
    window = open_window()
    assert window.action_table.by_name["snapToWords"].isChecked() is False
    assert window.settings.suggest_on_open() is True
    window.action_table.by_name["snapToWords"].trigger()  # on again, from the View menu
    assert Preferences().snap_to_words() is True


def test_layout_stays_in_qt_settings_and_preferences_in_their_file(tmp_path: Path) -> None:
    settings = Settings(tmp_path / "factmark.ini")
    assert settings.preferences.path == tmp_path / "preferences.json"
    settings.set_annotator("olena")
    settings.set_zoom(3)
    settings.set_window_state(QByteArray(b"geometry"), QByteArray(b"state"), [10, 20, 30])
    settings.sync()

    again = Settings(tmp_path / "factmark.ini")
    assert again.annotator() == "olena"
    assert again.zoom() == 3
    assert again.window_state() == (QByteArray(b"geometry"), QByteArray(b"state"), [10, 20, 30])
    ini = QSettings(str(tmp_path / "factmark.ini"), QSettings.Format.IniFormat)
    assert sorted(ini.allKeys()) == ["window/geometry", "window/splitter", "window/state"]


def test_settings_of_an_earlier_version_are_taken_over(tmp_path: Path) -> None:
    project = tmp_path / "news.factmark"
    project.write_bytes(b"")
    old = tmp_path / "old" / "factmark.ini"
    # What the earlier Settings class wrote, through QSettings itself.
    earlier = QSettings(str(old), QSettings.Format.IniFormat)
    earlier.setValue("annotator", "Zoë, Müller")
    earlier.setValue("snap_to_words", False)
    earlier.setValue("suggest_on_open", True)
    earlier.setValue("zoom", -2)
    earlier.setValue("recent_projects", [str(project)])
    earlier.setValue("last_document/0123456789abcdef", 5)
    earlier.setValue("window/splitter", [1, 2, 3])
    earlier.sync()
    del earlier

    settings = Settings(old)
    assert settings.annotator() == "Zoë, Müller"
    assert settings.snap_to_words() is False
    assert settings.suggest_on_open() is True
    assert settings.zoom() == -2
    assert settings.recent_projects() == [project]
    assert settings.window_state()[2] == [1, 2, 3]
    settings.sync()
    # Kept in one place: the INI file holds the layout only from now on.
    ini = QSettings(str(old), QSettings.Format.IniFormat)
    assert ini.allKeys() == ["window/splitter"]
    assert Preferences(tmp_path / "old" / "preferences.json").annotator() == "Zoë, Müller"


def test_the_document_shown_is_remembered_a_moment_after_it_opens(
    open_window, qtbot: QtBot
) -> None:
    """Stepping through documents writes the preferences file once they settle (not at
    every step, and never before the document is painted); closing writes at once."""
    import json

    window = open_window()
    first = window.current.id
    view = window.article_view
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    shown = window.current.id
    assert shown != first
    key = str(window.project.path.resolve())

    def remembered() -> object:
        stored = json.loads(Preferences().path.read_text(encoding="utf-8"))
        return stored.get("last_documents", {}).get(key)

    assert remembered() != shown  # not yet: the step is still being painted
    qtbot.waitUntil(lambda: remembered() == shown, timeout=3000)
    qtbot.keyClick(view, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    window.close()  # no wait: closing writes the document shown
    assert remembered() == first
