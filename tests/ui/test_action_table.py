"""The action table holds: no key reaches two actions, no key is a menu's Alt+letter, a
label key never takes an action's key (in the core, the Labels dialog, the command line,
imports, merges and projects stored before the rule), attribute keys reach their
attributes, and the README's keyboard table is the one ``docs/keys.py`` writes."""

from __future__ import annotations

import importlib.util
import re
import sqlite3
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QLineEdit,
    QMenu,
    QMenuBar,
    QToolBar,
    QToolButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from factmark.core.actions import ACTIONS, LABEL_ACTION_PREFIX, MENUS, label_key_problem, spec
from factmark.core.incoming import IncomingDocument
from factmark.core.model import ValidationError
from factmark.core.project import Project
from factmark.ui.window.main_window import MainWindow
from tests.cli.test_cli import factmark
from tests.ui.test_labels_dialog import error_text, open_dialog, type_into, widget
from tests.ui.test_shortcuts import CLAIM, NATIVE, Keys, first_key, portable

REPO = Path(__file__).resolve().parents[2]
HOOK = REPO.parent / "shared" / "hooks" / "shortcut-check.py"
LINK = f"“{spec('linkSpan').title}”"  # “Link selected span to…”
# Keys an action takes that a label could be given (one character).
SINGLE_KEYS = sorted((key, row.title) for row in ACTIONS for key in row.keys if len(key) == 1)


# -- where each key acts --------------------------------------------------------------------


def _name(action: QAction) -> str:
    return action.objectName() or action.text().replace("&", "") or "?"


def keys_by_place(window: MainWindow) -> dict[str, dict[str, set[str]]]:
    """For each place the keyboard can be, every key that acts there and who it reaches.

    Window-wide shortcuts act everywhere; a widget's own shortcuts (the article's Enter,
    Backspace, Shift+Enter, and the Tab it handles itself) act while it has the keyboard,
    together with the window-wide ones. Enabled or not: an action disabled now (Undo, Find
    with no document) is enabled later, and then both would want the key.
    """
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # rebuilt label actions
    window_wide: dict[str, set[str]] = defaultdict(set)
    own: dict[QWidget, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    widget_scoped = (
        Qt.ShortcutContext.WidgetShortcut,
        Qt.ShortcutContext.WidgetWithChildrenShortcut,
    )
    containers = (QMenu, QMenuBar, QToolBar, QToolButton)
    for action in window.findChildren(QAction):
        keys = [s.toString(QKeySequence.SequenceFormat.PortableText) for s in action.shortcuts()]
        for key in filter(None, keys):
            if action.shortcutContext() in widget_scoped:
                for widget in action.associatedObjects():
                    if isinstance(widget, QWidget) and not isinstance(widget, containers):
                        own[widget][key].add(_name(action))
            else:
                window_wide[key].add(_name(action))
    for shortcut in window.findChildren(QShortcut):
        sequences: list[QKeySequence] = shortcut.keys()  # a QShortcut's, not a dict's
        for sequence in sequences:
            key = sequence.toString(QKeySequence.SequenceFormat.PortableText)
            if shortcut.context() in widget_scoped and shortcut.parentWidget() is not None:
                own[shortcut.parentWidget()][key].add(shortcut.objectName() or "a shortcut")
            else:
                window_wide[key].add(shortcut.objectName() or "a shortcut")
    for row in ACTIONS:
        if row.scope == "view":  # handled by the article itself
            for key in row.keys:
                own[window.article_view][portable(key)].add(row.name)
    places = {"anywhere in the window": window_wide}
    for widget, keys in own.items():
        here: dict[str, set[str]] = defaultdict(set, {k: set(v) for k, v in window_wide.items()})
        for key, names in keys.items():
            here[key] |= names
        places[f"in {widget.objectName() or type(widget).__name__}"] = here
    return places


def clashes(window: MainWindow) -> list[str]:
    return [
        f"{place}: {key} reaches {sorted(names)}; Qt delivers it to none of them"
        for place, keys in keys_by_place(window).items()
        for key, names in sorted(keys.items())
        if len(names) > 1
    ]


def menu_mnemonics(window: MainWindow) -> dict[str, str]:
    """Alt+letter of each menu of the menu bar, from the titles it shows."""
    found = {}
    for action in window.menuBar().actions():
        key = QKeySequence.mnemonic(action.text()).toString(
            QKeySequence.SequenceFormat.PortableText
        )
        if key:
            found[key] = action.text().replace("&", "")
    return found


def test_table_scopes_become_shortcut_contexts(open_window) -> None:
    """Window actions act anywhere in the window; article actions only in the article
    (so the two act together while it has the keyboard)."""
    window = open_window()
    for row in ACTIONS:
        if row.scope == "view":
            assert row.name not in window.action_table.by_name
            continue
        action = window.action_table[row.name]
        assert [portable(k) for k in row.keys] == [
            s.toString(QKeySequence.SequenceFormat.PortableText) for s in action.shortcuts()
        ]
        if row.scope == "article":
            assert action.shortcutContext() == Qt.ShortcutContext.WidgetShortcut
            assert action in window.article_view.actions()
        else:
            assert action.shortcutContext() == Qt.ShortcutContext.WindowShortcut
            assert action in QWidget.actions(window)  # window.action_table is the ActionTable


def test_no_key_reaches_two_actions(open_window) -> None:
    window = open_window()
    places = keys_by_place(window)
    assert "in articleView" in places
    assert {"enterKey", "linkSpan"} <= set().union(*places["in articleView"].values())
    assert clashes(window) == []


def test_no_key_reaches_two_actions_after_the_labels_change(open_window, qtbot) -> None:
    window = open_window()
    window.project.add_label("rumour", key="7")
    window.project.update_label("claim", key="c")
    qtbot.wait(1)
    assert clashes(window) == []
    assert window.action_table["label_rumour"].shortcuts() == [QKeySequence("7")]


def test_no_shortcut_is_a_menu_mnemonic(open_window) -> None:
    window = open_window()
    mnemonics = menu_mnemonics(window)
    # The core's list (which refuses these keys to labels) is the menu bar's.
    assert set(mnemonics) == {f"Alt+{letter}" for _title, letter in MENUS}
    assert sorted(mnemonics.values()) == sorted(title for title, _letter in MENUS)
    taken = set().union(*(keys.keys() for keys in keys_by_place(window).values()))
    assert not taken & set(mnemonics), {k: mnemonics[k] for k in taken & set(mnemonics)}


def test_the_label_menu_keeps_one_separator_through_label_changes(open_window, qtbot) -> None:
    window = open_window()
    menu = window.action_table.menus["Label"]
    before = [a.text() or "--" for a in menu.actions()]
    for colour in ("#000000", "#111111", "#222222"):
        window.project.update_label("claim", colour=colour)
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert [a.text() or "--" for a in menu.actions()] == before
    assert before[:5] == ["claim", "source", "location", "number", "--"]


@pytest.mark.skipif(not HOOK.exists(), reason=f"{HOOK} is not beside this checkout")
def test_the_shared_shortcut_check_prints_nothing() -> None:
    result = subprocess.run(
        [sys.executable, str(HOOK)], capture_output=True, text=True, timeout=120, cwd=REPO
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""


# -- label keys never take an action's key ---------------------------------------------------


@pytest.mark.parametrize(("key", "title"), SINGLE_KEYS)
def test_the_core_refuses_a_label_key_an_action_uses(
    project: Project, key: str, title: str
) -> None:
    for typed in (key.lower(), key.upper()):
        with pytest.raises(ValidationError, match=re.escape(f"is used by “{title}”")):
            project.add_label("rumour", key=typed)
        with pytest.raises(ValidationError, match=re.escape(f"is used by “{title}”")):
            project.update_label("claim", key=typed)
    assert (project.labels()[0].name, project.labels()[0].key) == ("claim", "1")
    assert label_key_problem("r") == f"key 'r' is used by {LINK}; choose another key"


def test_the_labels_dialog_refuses_it(qtbot: QtBot, project: Project) -> None:
    dialog = open_dialog(qtbot, project)
    type_into(qtbot, widget(dialog, QLineEdit, "labelKey"), "r", enter=False)
    assert error_text(dialog) == f"key 'r' is used by {LINK}; choose another key"
    assert widget(dialog, QLabel, "labelsError").isVisible()
    assert project.labels()[0].key == "1"


def test_edit_labels_in_the_window_refuses_it(open_window, qtbot: QtBot) -> None:
    """Edit > Labels, as the window opens it (its edits are undo steps)."""
    window = open_window()
    seen: list[str] = []

    def type_r() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or dialog.objectName() != "labelsDialog":
            QTimer.singleShot(20, type_r)
            return
        key_field = dialog.findChild(QLineEdit, "labelKey")
        type_into(qtbot, key_field, "g", enter=False)
        seen.append(dialog.findChild(QLabel, "labelsError").text())
        dialog.reject()

    QTimer.singleShot(20, type_r)
    window.action_table["labels"].trigger()
    gold = f"“{spec('acceptGold').title}”"
    assert seen == [f"key 'g' is used by {gold}; choose another key"]
    assert window.project.labels()[0].key == "1"
    assert not window.action_table["undo"].isEnabled()  # nothing was done


@pytest.fixture
def project_file(tmp_path: Path) -> Path:
    path = tmp_path / "keys.factmark"
    Project.open(path).close()
    return path


@pytest.mark.parametrize(
    "arguments", [["--add", "rumour", "--key", "r"], ["--set", "claim", "--key", "R"]]
)
def test_factmark_labels_refuses_it(project_file: Path, arguments: list[str]) -> None:
    before = project_file.read_bytes()
    result = factmark("labels", project_file, *arguments)
    assert result.returncode == 2
    key = arguments[-1]
    assert result.stderr == (
        f"factmark: error: key {key!r} is used by {LINK}; choose another key\n"
    )
    assert project_file.read_bytes() == before


def test_a_label_an_import_adds_takes_no_key_an_action_uses(
    project_file: Path, tmp_path: Path
) -> None:
    with Project.open(project_file, create=False) as project:
        for key in "56789abcdef":
            project.add_label(f"label {key}", key)
    source = tmp_path / "rumours.jsonl"
    source.write_text(
        '{"text": "A rumour said so.", "spans": [{"start": 2, "end": 8, "label": "rumour"}]}\n'
    )
    result = factmark("import", project_file, source, "--create-labels")
    assert result.returncode == 0, result.stderr
    with Project.open(project_file, create=False, readonly=True) as project:
        created = next(x for x in project.labels() if x.name == "rumour")
    # The digits and a-f are the labels'; G accepts a span into the gold layer.
    assert created.key == "h"
    assert result.stdout.splitlines()[-1] == "added labels: rumour (key h)"


def store_key(path: Path, label: str, key: str) -> None:
    """Give a label a key behind the store's back, as a project from before the rule has."""
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE labels SET key = ? WHERE name = ?", [key, label])
    conn.close()


def test_a_merged_copy_brings_no_label_key_an_action_uses(
    project_file: Path, tmp_path: Path
) -> None:
    from factmark.core.merge import merge_projects

    copy = tmp_path / "copy.factmark"
    with Project.open(copy) as other:
        other.add_label("rumour")
        added = other.add_document(IncomingDocument("A rumour said so.", title="Rumour"))
        assert added is not None
        other.add_span(added[0], 2, 8, "rumour", "olena")
    store_key(copy, "rumour", "r")
    with Project.open(project_file, create=False) as target:
        merge_projects(target, [copy])
        merged = next(x for x in target.labels() if x.name == "rumour")
    # Not "r" (R links spans): the next key no label or action has, as an import gives.
    assert merged.key == "5"


def test_a_stored_label_key_r_is_left_unbound_and_r_still_links(open_window, qtbot: QtBot) -> None:
    window = open_window()
    path = Path(window.project.path)
    window.close()
    window.project.close()
    with Project.open(path, create=False) as project:
        project.add_label("rumour", colour="#000000")
    store_key(path, "rumour", "r")

    window = open_window(path)
    rumour = window.action_table[LABEL_ACTION_PREFIX + "rumour"]
    assert rumour.shortcuts() == []
    assert rumour.iconText() == "rumour"  # its toolbar button shows no key
    assert window.statusBar().currentMessage() == (
        f"Keys not bound: R of “rumour” is used by {LINK} (change them in Edit > Labels)."
    )
    assert not any(row.text == "Label as rumour" for row in window.action_table.shortcut_rows())
    assert clashes(window) == []
    keys = Keys(window, qtbot)
    keys.span(CLAIM, "claim")
    keys.span("500", "number")
    keys.press("R")
    assert window.linking.active
    keys.press(first_key("previousSpan"))
    keys.press_in_article("Return")
    assert keys.links() == [("500", "part_of", CLAIM)]
    assert not any(s.label == "rumour" for s in window.project.spans(keys.document_id))


def test_every_attribute_key_reaches_its_attribute(open_window, qtbot: QtBot) -> None:
    window = open_window()
    keys = Keys(window, qtbot)
    pieces = {"claim": CLAIM, "source": "Yevgeny Prigozhin"}
    definitions = window.project.attribute_definitions()
    assert set(definitions) == set(pieces)
    pressed = 0
    for label, attributes in definitions.items():
        span_id = keys.span(pieces[label], label)
        for attribute in attributes:
            for value, key in zip(attribute["values"], attribute["keys"], strict=True):
                assert key.startswith("Shift+Alt+")
                keys.press(key)
                assert QApplication.activePopupWidget() is None, f"{key} opened a menu"
                attrs = window.project.span(span_id).attrs
                assert attrs.get(attribute["name"]) == value, (key, attrs)
                pressed += 1
    assert pressed == 11
    # An attribute of another label's span is refused with a message, not set.
    keys.press(definitions["claim"][0]["keys"][0])
    assert keys.message().startswith("Select a claim span first")


# -- the README's keyboard table ----------------------------------------------------------------


def keys_script() -> ModuleType:
    loader = importlib.util.spec_from_file_location("docs_keys", REPO / "docs" / "keys.py")
    assert loader is not None and loader.loader is not None
    module = importlib.util.module_from_spec(loader)
    loader.loader.exec_module(module)
    return module


def test_the_readme_keyboard_table_is_up_to_date() -> None:
    result = subprocess.run(
        [sys.executable, str(REPO / "docs" / "keys.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
    )
    assert result.returncode == 0, (
        "README.md's keyboard table differs from the action table: run `python docs/keys.py` "
        f"and commit README.md\n{result.stdout}{result.stderr}"
    )


def test_the_readme_and_the_f1_list_list_the_same_keys(open_window) -> None:
    window = open_window()
    f1 = [
        (row.text, [portable(key, NATIVE) for key in row.keys.split(", ")])
        for row in window.action_table.shortcut_rows()
    ]
    readme = [(text, [portable(key) for key in keys]) for text, keys in keys_script().rows()]
    assert f1 == readme
