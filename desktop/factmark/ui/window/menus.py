"""The window's menus, toolbar and keyboard shortcuts, built in one place."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMessageBox, QToolBar

from factmark import __version__
from factmark.ui.icons import icon, swatch
from factmark.ui.window.annotation import END, GROW, SHRINK, START

if TYPE_CHECKING:
    from factmark.ui.window.main_window import MainWindow

Key = QKeySequence.StandardKey


def _action(
    window: MainWindow,
    name: str,
    text: str,
    slot: Callable[[], object],
    keys: list[QKeySequence | str | Key] | None = None,
    tip: str = "",
) -> QAction:
    action = QAction(text, window)
    action.setObjectName(name)
    if keys:
        sequences: list[QKeySequence] = []
        for key in keys:
            if isinstance(key, Key):
                sequences.extend(QKeySequence.keyBindings(key))
            else:
                sequences.append(QKeySequence(key))
        action.setShortcuts(sequences)
    if tip:
        action.setToolTip(tip)
        action.setStatusTip(tip)
    action.triggered.connect(lambda _checked=False: slot())
    window.addAction(action)  # shortcuts work wherever focus is in the window
    window.actions_by_name[name] = action
    return action


def build_menus(window: MainWindow) -> None:
    """Create every menu, the label toolbar and their shortcuts."""
    bar = window.menuBar()
    a = window.actions_by_name

    file = bar.addMenu("&File")
    file.addAction(
        _action(window, "newProject", "&New project…", window.choose_new_project, [Key.New])
    )
    file.addAction(
        _action(window, "openProject", "&Open project…", window.choose_project_to_open, [Key.Open])
    )
    window.recent_menu = file.addMenu("Open &recent")
    window.recent_menu.aboutToShow.connect(lambda: _fill_recent(window))
    file.addSeparator()
    file.addAction(
        _action(
            window,
            "importFiles",
            "&Import files…",
            window.choose_files_to_import,
            ["Ctrl+I"],
            "Import .txt, .md, .html, .docx or .jsonl files",
        )
    )
    file.addAction(
        _action(
            window,
            "exportCorpus",
            "&Export corpus…",
            window.choose_export,
            ["Ctrl+E"],
            "Export annotations as a training corpus",
        )
    )
    file.addAction(
        _action(
            window,
            "copyForAnnotator",
            "Export project for &annotator…",
            window.choose_copy_for_annotator,
            [],
            "A copy of this project for a colleague to annotate offline",
        )
    )
    file.addAction(
        _action(
            window,
            "mergeProjects",
            "&Merge projects…",
            window.choose_projects_to_merge,
            [],
            "Bring annotators' copies back into this project, side by side",
        )
    )
    file.addSeparator()
    file.addAction(_action(window, "quit", "&Quit", window.close, [Key.Quit, "Ctrl+Q"]))

    edit = bar.addMenu("&Edit")
    undo = window.annotation.undo_stack.createUndoAction(window, "&Undo")
    undo.setShortcuts([QKeySequence("Ctrl+Z")])
    redo = window.annotation.undo_stack.createRedoAction(window, "&Redo")
    redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
    for action, name in ((undo, "undo"), (redo, "redo")):
        action.setObjectName(name)
        window.addAction(action)
        a[name] = action
        edit.addAction(action)
    edit.addSeparator()
    edit.addAction(
        _action(
            window,
            "deleteSpan",
            "&Delete span",
            window.annotation.delete_selected,
            ["Delete"],
            "Delete the selected span",
        )
    )
    edit.addAction(_action(window, "deselect", "Deselect", window.escape, ["Escape"]))
    edit.addAction(
        _action(window, "find", "&Find in article…", window.find_bar.open_bar, [Key.Find])
    )
    edit.addAction(
        _action(window, "findNext", "Find next", lambda: window.find_bar.find(), [Key.FindNext])
    )
    edit.addSeparator()
    snap = _action(
        window,
        "snapToWords",
        "&Snap selection to whole words",
        lambda: window.settings.set_snap_to_words(a["snapToWords"].isChecked()),
    )
    snap.setCheckable(True)
    snap.setChecked(window.settings.snap_to_words())
    edit.addAction(snap)
    edit.addAction(
        _action(
            window,
            "labels",
            "&Labels…",
            window.show_labels,
            [],
            "Add, rename, recolour, re-key and reorder the project's labels and link types",
        )
    )
    edit.addAction(_action(window, "annotator", "Annotator &name…", window.ask_annotator))

    window.label_menu = bar.addMenu("&Label")
    window.label_toolbar = QToolBar("Labels", window)
    window.label_toolbar.setObjectName("labelToolbar")
    window.label_toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    window.addToolBar(window.label_toolbar)
    label_actions(window)

    article_keys(window)

    document = bar.addMenu("&Document")
    suggestions = document.addMenu("&Suggestions")
    for name in ("suggest", "suggestOnOpen", "enterKey", "acceptAllSuggestions", "backspaceKey"):
        suggestions.addAction(a[name])
    document.addSeparator()
    document.addAction(
        _action(
            window, "nextDocument", "&Next document", lambda: window.step_document(1), ["Alt+Right"]
        )
    )
    document.addAction(
        _action(
            window,
            "previousDocument",
            "&Previous document",
            lambda: window.step_document(-1),
            ["Alt+Left"],
        )
    )
    document.addSeparator()
    done = _action(
        window,
        "markDone",
        "Mark &done and go on",
        lambda: window.mark("done", advance=True),
        ["Ctrl+Return", "Ctrl+Enter"],
        "Mark this document done and open the next unfinished one (Ctrl+Enter)",
    )
    skipped = _action(
        window,
        "markSkipped",
        "Mark &skipped and go on",
        lambda: window.mark("skipped", advance=True),
        ["Ctrl+Shift+Return"],
        "Skip this document and open the next unfinished one",
    )
    progress = _action(
        window, "markInProgress", "Mark &in progress", lambda: window.mark("in_progress")
    )
    for action in (done, skipped, progress):
        document.addAction(action)

    view = bar.addMenu("&View")
    view.addAction(
        _action(
            window,
            "zoomIn",
            "Zoom &in",
            lambda: window.article_view.zoom_by(1),
            [Key.ZoomIn, "Ctrl+="],
        )
    )
    view.addAction(
        _action(
            window, "zoomOut", "Zoom &out", lambda: window.article_view.zoom_by(-1), [Key.ZoomOut]
        )
    )
    view.addAction(
        _action(
            window,
            "zoomReset",
            "&Actual size",
            lambda: window.article_view.zoom_by(-window.article_view.zoom),
            ["Ctrl+0"],
        )
    )
    view.addSeparator()
    view.addAction(
        _action(window, "statistics", "&Statistics…", window.show_statistics, ["Ctrl+Shift+I"])
    )
    review = _action(
        window,
        "reviewMode",
        "&Review mode (colour by annotator)",
        lambda: window.set_review_mode(a["reviewMode"].isChecked()),
        ["F6"],
    )
    review.setCheckable(True)
    view.addAction(review)
    view.addAction(
        _action(window, "agreement", "A&greement between annotators…", window.show_agreement)
    )
    view.addAction(window.label_toolbar.toggleViewAction())
    view.addAction(window.guidelines_dock.toggleViewAction())

    help_menu = bar.addMenu("&Help")
    help_menu.addAction(
        _action(
            window,
            "shortcuts",
            "&Keyboard shortcuts",
            lambda: _show_shortcuts(window),
            [Key.HelpContents, "F1"],
        )
    )
    help_menu.addAction(
        _action(
            window,
            "about",
            "&About Factmark",
            lambda: QMessageBox.about(
                window,
                "About Factmark",
                f"<b>Factmark {__version__}</b><p>Offline annotation of news articles for "
                "fact-checking corpora.</p>",
            ),
        )
    )

    for name, icon_name in ICONS.items():
        a[name].setIcon(icon(icon_name))
    for name, short in (
        ("markDone", "Done"),
        ("markSkipped", "Skip"),
        ("undo", "Undo"),
        ("redo", "Redo"),
        ("previousDocument", "Previous"),
        ("nextDocument", "Next"),
        ("find", "Find"),
        ("statistics", "Statistics"),
    ):
        a[name].setIconText(short)
    navigation = QToolBar("Document", window)
    navigation.setObjectName("documentToolbar")
    navigation.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    for name in (
        "previousDocument",
        "nextDocument",
        "markDone",
        "markSkipped",
        None,
        "undo",
        "redo",
        None,
        "find",
        "statistics",
    ):
        if name is None:
            navigation.addSeparator()
        else:
            navigation.addAction(a[name])
    window.addToolBar(navigation)


ICONS = {
    "importFiles": "import",
    "exportCorpus": "export",
    "deleteSpan": "delete",
    "find": "find",
    "nextDocument": "next",
    "previousDocument": "previous",
    "markDone": "done",
    "markSkipped": "skip",
    "statistics": "statistics",
    "undo": "undo",
    "redo": "redo",
}


def label_actions(window: MainWindow) -> None:
    """(Re)build the label actions from the project's labels: toolbar, menu, keys."""
    for name in [n for n in window.actions_by_name if n.startswith("label_")]:
        window.removeAction(window.actions_by_name.pop(name))
    window.label_toolbar.clear()
    window.label_menu.clear()
    for label in window.project.labels():
        key_text = f" ({label.key})" if label.key else ""
        action = _action(
            window,
            f"label_{label.name}",
            label.name,
            lambda name=label.name: window.label_with(name),
            [label.key] if label.key else None,
            _label_tip(window, label.name, key_text, label.description),
        )
        action.setIcon(swatch(label.colour))
        action.setIconText(f"{label.key}  {label.name}" if label.key else label.name)
        window.label_toolbar.addAction(action)
        window.label_menu.addAction(action)
    window.label_menu.addSeparator()
    for name, text, edge, change, keys in (
        ("growStart", "Grow span at start", START, GROW, ["Shift+Alt+Left"]),
        ("growEnd", "Grow span at end", END, GROW, ["Shift+Alt+Right"]),
        ("shrinkEnd", "Shrink span at end", END, SHRINK, ["Ctrl+Shift+Alt+Left"]),
        ("shrinkStart", "Shrink span at start", START, SHRINK, ["Ctrl+Shift+Alt+Right"]),
    ):
        if name not in window.actions_by_name:
            _action(window, name, text, lambda e=edge, c=change: window.resize_span(e, c), keys)
        window.label_menu.addAction(window.actions_by_name[name])
    window.label_menu.addSeparator()
    if "linkSpan" not in window.actions_by_name:
        _action(
            window,
            "linkSpan",
            "&Link selected span to…",
            window.start_link,
            ["R"],
            "Link the selected span (a source to its claim, a number or place to its "
            "claim): press R, then click the other span",
        )
        confirm = _action(
            window,
            "confirmLink",
            "Link to the chosen span (Enter in the article)",
            lambda: window.finish_link(),
        )
        confirm.setEnabled(False)
    window.label_menu.addAction(window.actions_by_name["linkSpan"])
    _attribute_actions(window)
    taken = {label.key.upper() for label in window.project.labels() if label.key}
    for name, text, verdict, key in (
        ("acceptGold", "Accept span into the gold layer", "accepted", "G"),
        ("rejectReview", "Reject span (review)", "rejected", "X"),
    ):
        if name not in window.actions_by_name:
            _action(
                window,
                name,
                text,
                lambda v=verdict: window.annotation.review_selected(v),
                [key] if key not in taken else None,
            )
        window.label_menu.addAction(window.actions_by_name[name])
    window.label_menu.addSeparator()
    for name, text, step, key in (
        ("nextSpan", "Select next span", 1, "Alt+Down"),
        ("previousSpan", "Select previous span", -1, "Alt+Up"),
    ):
        if name not in window.actions_by_name:
            _action(window, name, text, lambda s=step: window.step_span(s), [key])
        window.label_menu.addAction(window.actions_by_name[name])


def article_keys(window: MainWindow) -> None:
    """Keys that act only while the article has focus (Enter and Backspace mean other
    things in text fields): review suggestions, finish links, delete spans."""
    view = window.article_view
    for name, text, slot, keys in (
        ("enterKey", "Accept suggestion / finish link", window.enter_key, ["Return", "Enter"]),
        (
            "acceptAllSuggestions",
            "Accept all suggestions",
            window.accept_all_suggestions,
            ["Shift+Return", "Shift+Enter"],
        ),
        ("backspaceKey", "Reject suggestion / delete span", window.backspace_key, ["Backspace"]),
    ):
        action = _action(window, name, text, slot, keys)
        window.removeAction(action)
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        view.addAction(action)
    suggest = _action(
        window,
        "suggest",
        "&Suggest spans",
        window.suggest,
        ["Ctrl+Shift+S"],
        "Propose numbers, places and sources to accept (Enter) or reject (Backspace)",
    )
    suggest.setIcon(icon("find"))
    on_open = _action(
        window,
        "suggestOnOpen",
        "Suggest when a document &opens",
        lambda: window.settings.set_suggest_on_open(
            window.actions_by_name["suggestOnOpen"].isChecked()
        ),
    )
    on_open.setCheckable(True)
    on_open.setChecked(window.settings.suggest_on_open())


def _attribute_actions(window: MainWindow) -> None:
    """One action a value of each label attribute, with its key (e.g. Alt+Y: checkworthy yes)."""
    for name in [n for n in window.actions_by_name if n.startswith("attr_")]:
        window.removeAction(window.actions_by_name.pop(name))
    menu = window.label_menu.addMenu("Set &attribute")
    taken = {label.key.upper() for label in window.project.labels() if label.key}
    for label, definitions in window.project.attribute_definitions().items():
        for definition in definitions:
            keys = definition.get("keys", [])
            for n, value in enumerate(definition["values"]):
                key = keys[n] if n < len(keys) and keys[n].upper() not in taken else None
                action = _action(
                    window,
                    f"attr_{label}_{definition['name']}_{value}",
                    f"{label}: {definition['name']} = {value}",
                    lambda lab=label, a=definition["name"], v=value: (
                        window.annotation.set_attribute_of_selected(lab, a, v)
                    ),
                    [key] if key else None,
                )
                menu.addAction(action)


def article_menu(window: MainWindow, has_selection: bool, has_span: bool) -> QMenu:
    """The article's context menu for what is under the mouse."""
    a = window.actions_by_name
    menu = QMenu(window)
    menu.setObjectName("articleMenu")
    labels = [action for name, action in a.items() if name.startswith("label_")]
    if has_selection or has_span:
        title = "Label selection as" if has_selection else "Change label to"
        submenu = menu.addMenu(title)
        for action in labels:
            submenu.addAction(action)
    if has_span and not has_selection:
        for name in ("linkSpan", "deleteSpan", "growStart", "growEnd", "shrinkStart", "shrinkEnd"):
            menu.addAction(a[name])
    if has_selection:
        copy = menu.addAction("Copy")
        copy.triggered.connect(window.article_view.copy)
    menu.addSeparator()
    menu.addAction(a["find"])
    return menu


def _label_tip(window: MainWindow, name: str, key_text: str, description: str) -> str:
    """A label button's tooltip: its definition and the guidelines' examples for it."""
    from html import escape

    from factmark.core.guidelines import section

    guide = section(window.project.guidelines(), name)
    examples = guide.split("Examples:", 1)[1].strip() if "Examples:" in guide else ""
    tip = f"<b>{escape(name)}</b>{escape(key_text)}<br>{escape(description)}"
    if examples:
        items = "".join(
            f"<li>{escape(line.lstrip('- ').replace('**', ''))}</li>"
            for line in examples.splitlines()
            if line.strip()
        )
        tip += f"<br><i>Examples:</i><ul>{items}</ul>"
    return tip


def _fill_recent(window: MainWindow) -> None:
    menu: QMenu = window.recent_menu
    menu.clear()
    for path in window.settings.recent_projects():
        action = menu.addAction(str(path))
        action.triggered.connect(lambda _checked=False, p=path: window.open_project_file(Path(p)))
    if menu.isEmpty():
        menu.addAction("No recent projects").setEnabled(False)


def shortcut_rows(window: MainWindow) -> list[tuple[str, str]]:
    """(action, keys) for every action with a shortcut, as the help lists them."""
    rows = []
    for action in window.actions_by_name.values():
        keys = ", ".join(
            s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts()
        )
        if keys:
            rows.append((action.text().replace("&", ""), keys))
    return rows


def _show_shortcuts(window: MainWindow) -> None:
    rows = "".join(
        f"<tr><td>{name}</td><td><b>{keys}</b></td></tr>" for name, keys in shortcut_rows(window)
    )
    QMessageBox.information(
        window,
        "Keyboard shortcuts",
        "<p>Select text (mouse, Shift+arrows, Ctrl+Shift+arrows), then "
        "press a label key. Click a span to select it; click again to "
        f"reach the span around it.</p><table>{rows}</table>",
    )
