"""The window's actions, built from the one action table (``factmark.core.actions``).

Menus, toolbars, the article's context menu and the F1 list all come from the table; the
label and attribute actions come from the project. A label or attribute key that an
action or a menu already uses is not bound (Qt would deliver neither), and the window
says so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache
from typing import Any, NamedTuple

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QToolBar, QWidget

from factmark.core.actions import (
    ACTIONS,
    ATTRIBUTE_ACTION_PREFIX,
    LABEL_ACTION_PREFIX,
    LINK_ATTRIBUTE_ACTION_PREFIX,
    MENUS,
    ActionSpec,
    reserved_keys,
)
from factmark.core.model import Label
from factmark.ui.icons import icon, swatch
from factmark.ui.plain import shown_key
from factmark.ui.window.label_bar import LabelBar

# The document toolbar, in order (None: a separator).
DOCUMENT_TOOLBAR = (
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
)
# The article's context menu for a span under the mouse.
SPAN_MENU = ("linkSpan", "deleteSpan", "growStart", "growEnd", "shrinkStart", "shrinkEnd")


class ShortcutRow(NamedTuple):
    """One line of the F1 list: what the keys do and the keys."""

    text: str
    keys: str


class ActionTable(QObject):
    """Every QAction of one window, by name, made from the action table."""

    def __init__(self, window: QMainWindow, article: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self.article = article
        self.by_name: dict[str, QAction] = {}
        self.specs: dict[str, ActionSpec] = {row.name: row for row in ACTIONS}
        self.menus: dict[str, QMenu] = {}
        self.unbound: list[str] = []  # label or attribute keys left unbound, and why
        self._labels_end: QAction | None = None  # the separator after the label actions
        for row in ACTIONS:
            if row.scope != "view":
                self._make(row.name, row.text, row.keys, row.tip, row.scope)
                action = self.by_name[row.name]
                action.setCheckable(row.checkable)
                if row.icon:
                    action.setIcon(icon(row.icon))
                if row.toolbar:
                    action.setIconText(row.toolbar)
        self.label_toolbar = QToolBar("Labels", window)
        self.label_toolbar.setObjectName("labelToolbar")
        self.label_toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.document_toolbar = QToolBar("Document", window)
        self.document_toolbar.setObjectName("documentToolbar")
        self.document_toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.label_bar = LabelBar(window, self.label_toolbar, [self.document_toolbar])

    def __getitem__(self, name: str) -> QAction:
        return self.by_name[name]

    def _make(
        self, name: str, text: str, keys: Iterable[str], tip: str = "", scope: str = "window"
    ) -> QAction:
        action = QAction(text, self.window)
        action.setObjectName(name)
        action.setShortcuts([QKeySequence(key) for key in keys])
        if tip:
            action.setToolTip(tip)
            action.setStatusTip(tip)
        if scope == "article":
            # Enter and Backspace mean other things in text fields: only in the article.
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            self.article.addAction(action)
        else:
            self.window.addAction(action)  # shortcuts work wherever focus is in the window
        self.by_name[name] = action
        return action

    # -- handlers ---------------------------------------------------------------------

    def bind(self, handlers: dict[str, Callable[..., Any]]) -> None:
        """Connect each action to its handler (checkable ones get the new state)."""
        missing = {n for n, s in self.specs.items() if s.scope != "view"} - handlers.keys()
        if missing:
            raise KeyError(f"actions without a handler: {sorted(missing)}")
        for name, handler in handlers.items():
            action = self.by_name[name]
            if action.isCheckable():
                action.toggled.connect(handler)
            else:
                action.triggered.connect(lambda _checked=False, h=handler: h())

    def set_enabled(self, state: dict[str, bool]) -> None:
        """Enable each action whose condition (``when``) holds."""
        for name, row in self.specs.items():
            if row.when and name in self.by_name:
                self.by_name[name].setEnabled(state.get(row.when, True))

    # -- menus and toolbars ---------------------------------------------------------------

    def build_menus(self) -> None:
        """The menu bar and the document toolbar, in the table's order."""
        bar = self.window.menuBar()
        for title, letter in MENUS:
            at = title.index(letter)
            self.menus[title] = bar.addMenu(f"{title[:at]}&{title[at:]}")
        sections: dict[str, int] = {}
        for row in ACTIONS:
            if not row.menu or row.name not in self.by_name:
                continue
            menu = self._menu(row.menu)
            if row.menu in sections and sections[row.menu] != row.section:
                menu.addSeparator()
            sections[row.menu] = row.section
            menu.addAction(self.by_name[row.name])
            if row.name == "openProject":
                self.menus["File/recent"] = menu.addMenu("Open &recent")
        self.attribute_menu = QMenu("Set &attribute", self.window)
        for name in DOCUMENT_TOOLBAR:
            if name is None:
                self.document_toolbar.addSeparator()
            else:
                self.document_toolbar.addAction(self.by_name[name])
        self.window.addToolBar(self.label_toolbar)
        self.window.addToolBar(self.document_toolbar)

    def _menu(self, path: str) -> QMenu:
        if path not in self.menus:
            parent, _, title = path.rpartition("/")
            self.menus[path] = self._menu(parent).addMenu(f"&{title}")
        return self.menus[path]

    def context_menu(self, has_selection: bool, has_span: bool) -> QMenu:
        """The article's context menu for what is under the mouse."""
        menu = QMenu(self.window)
        menu.setObjectName("articleMenu")
        labels = [a for n, a in self.by_name.items() if n.startswith(LABEL_ACTION_PREFIX)]
        if has_selection or has_span:
            submenu = menu.addMenu("Label selection as" if has_selection else "Change label to")
            for action in labels:
                submenu.addAction(action)
        if has_span and not has_selection:
            for name in SPAN_MENU:
                menu.addAction(self.by_name[name])
        if has_selection:
            copy = menu.addAction("Copy")
            copy.triggered.connect(self.article.copy)  # type: ignore[attr-defined]
        menu.addSeparator()
        menu.addAction(self.by_name["find"])
        return menu

    # -- label and attribute actions --------------------------------------------------------

    def set_labels(
        self,
        labels: list[Label],
        attributes: dict[str, list[dict[str, Any]]],
        label_with: Callable[[str], None],
        set_attribute: Callable[[str, str, str], None],
        tooltip: Callable[[Label], str],
    ) -> list[str]:
        """(Re)build the label and attribute actions; returns what could not be bound."""
        for name in [n for n in self.by_name if n.startswith(LABEL_ACTION_PREFIX)] + [
            n for n in self.by_name if n.startswith(ATTRIBUTE_ACTION_PREFIX)
        ]:
            action = self.by_name.pop(name)
            self.window.removeAction(action)
            self.menus["Label"].removeAction(action)
            action.deleteLater()
        taken = dict(_reserved())
        self.unbound = []
        label_menu = self.menus["Label"]
        if self._labels_end is None:  # once: the label actions go before it, every time
            items = label_menu.actions()
            self._labels_end = (
                label_menu.insertSeparator(items[0]) if items else label_menu.addSeparator()
            )
        self.label_toolbar.clear()
        buttons = []
        for label in labels:
            keys = self._free([label.key] if label.key else [], label.name, taken)
            # A name is data: "&" in it is shown, not taken as a menu mnemonic.
            shown = label.name.replace("&", "&&")
            action = self._make(LABEL_ACTION_PREFIX + label.name, shown, keys)
            action.setToolTip(tooltip(label))
            action.setIcon(swatch(label.colour))
            action.triggered.connect(lambda _c=False, n=label.name: label_with(n))
            self.label_toolbar.addAction(action)
            label_menu.insertAction(self._labels_end, action)
            buttons.append((action, shown_key(keys[0]) if keys else "", label.name))
        self.label_bar.set_buttons(buttons)  # the toolbar's texts, shortened to fit
        self.attribute_menu.clear()
        for label_name, definitions in attributes.items():
            for definition in definitions:
                attribute = str(definition.get("name", ""))
                keys = list(definition.get("keys", []))
                for n, value in enumerate(definition.get("values", [])):
                    text = f"{label_name}: {attribute} = {value}"
                    free = self._free(keys[n : n + 1], text, taken)
                    action = self._make(
                        f"{ATTRIBUTE_ACTION_PREFIX}{label_name}_{attribute}_{value}",
                        text.replace("&", "&&"),
                        free,
                    )
                    action.triggered.connect(
                        lambda _c=False, la=label_name, at=attribute, v=value: set_attribute(
                            la, at, v
                        )
                    )
                    self.attribute_menu.addAction(action)
        if self.attribute_menu.menuAction() not in label_menu.actions():
            label_menu.addMenu(self.attribute_menu)
        return self.unbound

    def set_link_attributes(
        self,
        attributes: dict[str, list[dict[str, Any]]],
        set_attribute: Callable[[str, str, str], None],
    ) -> list[str]:
        """(Re)build the link attribute actions (after :meth:`set_labels`, whose keys they
        must not take); returns what could not be bound."""
        for name in [n for n in self.by_name if n.startswith(LINK_ATTRIBUTE_ACTION_PREFIX)]:
            action = self.by_name.pop(name)
            self.window.removeAction(action)
            self.attribute_menu.removeAction(action)
            action.deleteLater()
        taken = dict(_reserved())
        for name, action in self.by_name.items():
            for shortcut in action.shortcuts():
                taken.setdefault(
                    shortcut.toString(QKeySequence.SequenceFormat.PortableText).upper(), f"“{name}”"
                )
        self.unbound = []
        for kind, definitions in attributes.items():
            for definition in definitions:
                attribute = str(definition.get("name", ""))
                keys = list(definition.get("keys", []))
                for n, value in enumerate(definition.get("values", [])):
                    text = f"{kind} link: {attribute} = {value}"
                    free = self._free(keys[n : n + 1], text, taken)
                    action = self._make(
                        f"{LINK_ATTRIBUTE_ACTION_PREFIX}{kind}_{attribute}_{value}",
                        text.replace("&", "&&"),
                        free,
                    )
                    action.triggered.connect(
                        lambda _c=False, k=kind, at=attribute, v=value: set_attribute(k, at, v)
                    )
                    self.attribute_menu.addAction(action)
        return self.unbound

    def _free(self, keys: list[str], owner: str, taken: dict[str, str]) -> list[str]:
        """The keys no one has taken yet (they are then ``owner``'s)."""
        free = []
        for key in keys:
            portable = QKeySequence(key).toString(QKeySequence.SequenceFormat.PortableText)
            if not portable:
                continue
            holder = taken.get(portable.upper())
            if holder is not None:
                self.unbound.append(f"{portable} of “{owner}” is used by {holder}")
                continue
            taken[portable.upper()] = f"“{owner}”"
            free.append(portable)
        return free

    # -- the F1 list ------------------------------------------------------------------------

    def shortcut_rows(self) -> list[ShortcutRow]:
        """Every action that has keys, as the F1 list shows it."""
        rows = []
        for name, row in self.specs.items():
            keys = (
                [QKeySequence(k).toString(QKeySequence.SequenceFormat.NativeText) for k in row.keys]
                if row.scope == "view"
                else self._keys_of(name)
            )
            if keys:
                rows.append(ShortcutRow(row.help or row.title, ", ".join(keys)))
        for name, action in self.by_name.items():
            if name.startswith(
                (LABEL_ACTION_PREFIX, ATTRIBUTE_ACTION_PREFIX, LINK_ATTRIBUTE_ACTION_PREFIX)
            ):
                keys = self._keys_of(name)
                if keys:
                    verb = "Label as " if name.startswith(LABEL_ACTION_PREFIX) else "Set "
                    rows.append(
                        ShortcutRow(verb + action.text().replace("&&", "&"), ", ".join(keys))
                    )
        return rows

    def _keys_of(self, name: str) -> list[str]:
        return [
            s.toString(QKeySequence.SequenceFormat.NativeText)
            for s in self.by_name[name].shortcuts()
        ]


@cache
def _reserved() -> dict[str, str]:
    """The keys actions and menus take (the action table's, fixed), as :func:`_taken`
    spells them; worked out once (callers change a copy)."""
    return _taken(reserved_keys())


def _taken(reserved: dict[str, str]) -> dict[str, str]:
    """Reserved keys in Qt's portable spelling, upper-cased (``SHIFT+ALT+LEFT``)."""
    found = {}
    for key, owner in reserved.items():
        portable = QKeySequence(key).toString(QKeySequence.SequenceFormat.PortableText)
        found[(portable or key).upper()] = owner
    return found
