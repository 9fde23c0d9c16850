"""Ten labels on the label toolbar at 1366 px wide: every one stays on the toolbar, never
behind the » button; when the names are too long for the row they are shortened (the key
stays, the full name is in the tooltip and the Label menu)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QToolButton
from pytestqt.qtbot import QtBot

from factmark.core.project import Project
from factmark.ui.window.main_window import MainWindow

KEYS = "56789a"
SHORT = ["LOC", "NamedEntity", "misleading", "[wave]", "PER", "quote"]
LONG = [
    "armed organisation",
    "date or time expression",
    "military unit or formation",
    "military event",
    "populated settlement",
    "official person or office",
]


def window_with(open_window, tmp_path: Path, names: list[str]) -> MainWindow:
    """A window on a new project with the four default labels and ``names`` after them."""
    path = tmp_path / "ten.factmark"
    with Project.open(path) as project:
        for name, key in zip(names, KEYS, strict=True):
            project.add_label(name, key)
    return open_window(path)


def sized(qtbot: QtBot, window: MainWindow, width: int, height: int = 768) -> None:
    window.resize(width, height)
    qtbot.waitUntil(lambda: window.width() == width)
    for _ in range(3):  # the toolbars are laid out on the events a resize posts
        QApplication.processEvents()


def buttons(window: MainWindow) -> list[tuple[QAction, QToolButton]]:
    toolbar = window.action_table.label_toolbar
    found = []
    for action in toolbar.actions():
        button = toolbar.widgetForAction(action)
        assert isinstance(button, QToolButton)
        found.append((action, button))
    return found


def on_the_toolbar(window: MainWindow) -> list[str]:
    """The labels whose buttons Qt shows on the toolbar itself (not behind its »)."""
    toolbar = window.action_table.label_toolbar
    return [
        action.text().replace("&&", "&")
        for action, button in buttons(window)
        if button.isVisible() and toolbar.rect().contains(button.geometry())
    ]


def key_of(action: QAction) -> str:
    return action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)


def test_four_default_and_six_added_labels_all_show_at_1366(
    open_window, qtbot: QtBot, tmp_path: Path
) -> None:
    window = window_with(open_window, tmp_path, SHORT)
    sized(qtbot, window, 1366)
    names = ["claim", "source", "location", "number", *SHORT]
    assert on_the_toolbar(window) == names
    for action, button in buttons(window):
        assert button.text().startswith(f"{key_of(action)}  ")


def test_long_names_are_shortened_rather_than_hidden(
    open_window, qtbot: QtBot, tmp_path: Path
) -> None:
    window = window_with(open_window, tmp_path, LONG)
    names = ["claim", "source", "location", "number", *LONG]
    sized(qtbot, window, 1366)
    assert on_the_toolbar(window) == names
    shortened = [(a, b) for a, b in buttons(window) if b.text().endswith("…")]
    assert shortened, [b.text() for _a, b in buttons(window)]
    for action, button in shortened:
        name = action.text().replace("&&", "&")
        key = key_of(action)
        assert button.text().startswith(f"{key}  ")
        assert name.startswith(button.text().removeprefix(f"{key}  ").removesuffix("…"))
        assert name in action.toolTip()  # the full name, with the label's definition
    # Wide enough, the names are whole again; narrow, the keys at least stay in sight.
    sized(qtbot, window, 2600)
    assert [b.text() for a, b in buttons(window)] == [
        f"{key_of(a)}  {a.text()}" for a, _b in buttons(window)
    ]
    sized(qtbot, window, 800, 600)
    assert on_the_toolbar(window) == names


def test_a_label_named_with_100000_characters_leaves_the_row_to_the_document_buttons(
    open_window, qtbot: QtBot, tmp_path: Path
) -> None:
    # A project made before names had a limit (no command makes such a label now).
    path = tmp_path / "old.factmark"
    Project.open(path).close()
    name = "x" * 100_000
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(
            "INSERT INTO labels (id, name, key, colour, description, position) "
            "VALUES ((SELECT max(id) + 1 FROM labels), ?, '5', '#999999', '', 4)",
            [name],
        )
    conn.close()
    window = open_window(path)
    sized(qtbot, window, 1366)

    assert on_the_toolbar(window) == ["claim", "source", "location", "number", name]
    long_button = buttons(window)[-1][1]
    assert long_button.text() == "5  " + "x" * 30 + "…"
    assert name in buttons(window)[-1][0].toolTip()
    toolbar = window.action_table.document_toolbar
    shown = [
        button.text().replace("&", "")
        for action in toolbar.actions()
        if isinstance(button := toolbar.widgetForAction(action), QToolButton)
        and button.isVisible()
        and toolbar.rect().contains(button.geometry())
    ]
    for wanted in ("Previous", "Next", "Done", "Skip", "Undo"):
        assert wanted in shown, shown
