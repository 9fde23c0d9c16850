"""Press what you document: every key of the action table and of the F1 list, pressed in a
real window, does what its row says.

Each action with keys has one check below (``CHECKS``); a new action with keys and no
check fails ``test_every_action_with_keys_has_a_check``. The label keys and attribute
keys of the default project are pressed too, and the F1 list must list exactly the keys
pressed here.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from factmark.core.actions import (
    ACTIONS,
    ATTRIBUTE_ACTION_PREFIX,
    LABEL_ACTION_PREFIX,
    LINK_ATTRIBUTE_ACTION_PREFIX,
    spec,
)
from factmark.core.archive import Review, add_reviews
from factmark.core.conflicts import conflicts
from factmark.core.model import GOLD, Proposal
from factmark.core.project import Project
from factmark.core.resources import default_labels, resource_path
from factmark.ui.dialogs.export_dialog import ExportDialog
from factmark.ui.dialogs.shortcuts import ShortcutsDialog
from factmark.ui.dialogs.stats_dialog import StatsDialog
from factmark.ui.window.main_window import MainWindow
from tests.ui.helpers import click_at, drag_select
from tests.ui.test_annotation import find, stored

PORTABLE = QKeySequence.SequenceFormat.PortableText
NATIVE = QKeySequence.SequenceFormat.NativeText
CLAIM = "he said it had lost around 500 men"


def portable(key: str, form: QKeySequence.SequenceFormat = PORTABLE) -> str:
    """A key in Qt's portable spelling (``Delete`` and ``Del`` are the same key)."""
    return QKeySequence(key, form).toString(PORTABLE)


def first_key(name: str) -> str:
    """The first key the action table gives an action."""
    return spec(name).keys[0]


# -- what is pressed: the table's keys, the default labels' keys, the attribute keys ------


def _label_keys() -> list[tuple[str, str, str]]:
    """(action name, key, F1 text) of the default project's label keys."""
    return [
        (LABEL_ACTION_PREFIX + label["name"], label["key"], f"Label as {label['name']}")
        for label in default_labels()["labels"]
        if label.get("key")
    ]


def _attribute_keys() -> list[tuple[str, str, str]]:
    """(action name, key, F1 text) of the attribute keys a new project has."""
    found = []
    attributes = json.loads(resource_path("attributes.json").read_text(encoding="utf-8"))
    for label, definitions in attributes.items():
        if label.startswith("_"):
            continue
        for definition in definitions:
            name = definition["name"]
            for value, key in zip(definition["values"], definition.get("keys", []), strict=False):
                found.append(
                    (
                        f"{ATTRIBUTE_ACTION_PREFIX}{label}_{name}_{value}",
                        key,
                        f"Set {label}: {name} = {value}",
                    )
                )
    return found


def _link_attribute_keys() -> list[tuple[str, str, str]]:
    """(action name, key, F1 text) of the link attribute keys a new project has."""
    found = []
    attributes = json.loads(resource_path("link_attributes.json").read_text(encoding="utf-8"))
    for kind, definitions in attributes.items():
        if kind.startswith("_"):
            continue
        for definition in definitions:
            name = definition["name"]
            for value, key in zip(definition["values"], definition.get("keys", []), strict=False):
                found.append(
                    (
                        f"{LINK_ATTRIBUTE_ACTION_PREFIX}{kind}_{name}_{value}",
                        key,
                        f"Set {kind} link: {name} = {value}",
                    )
                )
    return found


PRESSES: list[tuple[str, str, str]] = [
    (row.name, key, row.help or row.title) for row in ACTIONS for key in row.keys
]
PRESSES += _label_keys() + _attribute_keys() + _link_attribute_keys()


# -- one window, and pressing keys in it ------------------------------------------------


@dataclass
class Keys:
    """A window to press keys in, as a user does, on the widget that has focus."""

    window: MainWindow
    qtbot: QtBot
    shown: list[object] = field(default_factory=list)  # what the last dialog listed
    after_first_key: Callable[[], None] | None = None  # run once the first key is handled

    @property
    def view(self):  # type: ignore[no-untyped-def]
        return self.window.article_view

    @property
    def document_id(self) -> int:
        assert self.window.current is not None and self.window.current.id is not None
        return self.window.current.id

    def press(self, key: str, widget: QWidget | None = None) -> None:
        """Press ``key`` (the action table's spelling) on ``widget``, else on the widget
        that has the keyboard; it must open no dialog or menu."""
        opened = self.opened_by(key, widget)
        assert opened == [], f"{key} opened {opened}"

    def opened_by(self, key: str, widget: QWidget | None = None) -> list[tuple[type, str]]:
        """Press ``key``; the modal windows and menus it opened (class, title), each closed
        as Escape closes it (rejected) once it shows, so a stray one fails the test rather
        than waiting for an answer for ever. What a dialog listed (a message box's text,
        the rows of the F1 list) is kept in ``shown``."""
        target = widget or QApplication.focusWidget()
        assert target is not None, "no widget has the keyboard"
        sequence = QKeySequence(key)
        assert sequence.count() == 1 and portable(key), f"{key!r} is not one key"
        seen: list[tuple[type, str]] = []

        def close_it() -> None:
            modal = QApplication.activeModalWidget()
            if modal is not None and modal is not self.window:
                seen.append((type(modal), modal.windowTitle()))
                if isinstance(modal, QMessageBox):
                    self.shown.append(modal.text())
                if isinstance(modal, ShortcutsDialog):
                    self.shown.append(modal.rows())
                modal.reject()  # type: ignore[attr-defined]
            popup = QApplication.activePopupWidget()
            if popup is not None:
                seen.append((type(popup), popup.objectName()))
                popup.close()

        timer = QTimer()
        timer.timeout.connect(close_it)
        timer.start(20)
        try:
            self.qtbot.keySequence(target, sequence)
        finally:
            timer.stop()
        then, self.after_first_key = self.after_first_key, None
        if then is not None:
            then()
        return seen

    def press_in_article(self, key: str) -> None:
        self.view.setFocus()
        self.press(key, self.view)

    def span(self, piece: str, label: str, occurrence: int = 0) -> int:
        """Select ``piece`` and press its label's key: the new span's id. (Selected as the
        mouse does, but in one step: a drag between points found one after the other
        misses when the window is laid out so that the piece needs scrolling.)"""
        start = find(self.window, piece, occurrence)
        self.view.select_range(start, start + len(piece))
        key = next(x.key for x in self.window.project.labels() if x.name == label)
        self.press_in_article(key)
        span_id = self.view.selected_span_id
        assert span_id is not None, f"{key} did not label {piece!r}"
        return span_id

    def spans(self) -> list[tuple[str, str]]:
        return stored(self.window)

    def edges(self, span_id: int) -> str:
        span = self.window.project.span(span_id)
        return self.view.text[span.start : span.end]

    def suggest(self, *pieces: tuple[str, str]) -> list[tuple[str, str]]:
        """Store suggestions (label, text) for the document; they show at once."""
        proposals = []
        for label, piece in pieces:
            start = find(self.window, piece)
            proposals.append(Proposal(start, start + len(piece), label, "test", 0.9))
        assert self.window.session.project.add_suggestions(self.document_id, proposals) == len(
            pieces
        )
        assert len(self.view.suggestions) == len(pieces)
        return self.pending()

    def pending(self) -> list[tuple[str, str]]:
        text = self.view.text
        return [
            (s.label, text[s.start : s.end])
            for s in self.window.project.suggestions(self.document_id)
        ]

    def chosen_suggestion(self) -> str | None:
        found = self.view.suggestion(self.view.selected_suggestion_id)
        return self.view.text[found.start : found.end] if found else None

    def links(self) -> list[tuple[str, str, str]]:
        project, text = self.window.project, self.view.text
        spans = {s.id: s for s in project.spans(self.document_id)}
        return [
            (
                text[spans[r.head_span_id].start : spans[r.head_span_id].end],
                r.label,
                text[spans[r.child_span_id].start : spans[r.child_span_id].end],
            )
            for r in project.relations(self.document_id)
        ]

    def message(self) -> str:
        return self.window.statusBar().currentMessage()


Check = Callable[[Keys, str], None]


# -- File ------------------------------------------------------------------------------


def opens(kind: type, title: str) -> Check:
    def check(keys: Keys, key: str) -> None:
        seen = keys.opened_by(key)
        assert seen[:1] == [(kind, title)], f"{key} opened {seen}, not the {title} dialog"
        assert keys.window.isVisible()

    return check


def check_quit(keys: Keys, key: str) -> None:
    keys.press(key)
    keys.qtbot.waitUntil(lambda: not keys.window.isVisible())


# -- Edit ------------------------------------------------------------------------------


def check_undo(keys: Keys, key: str) -> None:
    keys.span("Bakhmut", "location")
    assert keys.spans() == [("location", "Bakhmut")]
    keys.press(key)
    assert keys.spans() == []
    assert keys.window.action_table["redo"].isEnabled()


def check_redo(keys: Keys, key: str) -> None:
    keys.span("Bakhmut", "location")
    keys.press(first_key("undo"))
    assert keys.spans() == []
    keys.press(key)
    assert keys.spans() == [("location", "Bakhmut")]


def check_delete_span(keys: Keys, key: str) -> None:
    keys.span("Bakhmut", "location")
    keys.press(key)
    assert keys.spans() == []
    # In the list of links, the same key deletes the chosen link, not a span.
    claim = keys.span(CLAIM, "claim")
    source = keys.span("Prigozhin", "source", 1)
    keys.window.annotation.link(source, claim, keys.window.project.relation_types())
    assert keys.links() == [("Prigozhin", "attributed_to", CLAIM)]
    relations = keys.window.relations
    relations.setCurrentRow(0)
    relations.setFocus()
    keys.press(key, relations)
    assert keys.links() == []
    assert sorted(keys.spans()) == [("claim", CLAIM), ("source", "Prigozhin")]


def check_deselect(keys: Keys, key: str) -> None:
    view = keys.view
    # A selected span and the span list's row are dropped.
    keys.span("Bakhmut", "location")
    assert keys.window.span_list.selectionModel().hasSelection()
    keys.press(key)
    assert view.selected_span_id is None
    assert not keys.window.span_list.selectionModel().hasSelection()
    # So is selected text.
    start = find(keys.window, "Kremlin")
    view.select_range(start, start + 7)
    keys.press(key)
    assert not view.textCursor().hasSelection()
    # Linking is cancelled.
    keys.window.selection.select(keys.window.project.spans(keys.document_id)[0].id)
    keys.press(first_key("linkSpan"))
    assert keys.window.linking.active
    keys.press(key)
    assert not keys.window.linking.active
    assert keys.message() == "Link cancelled."
    # The find bar closes, and the article has the keyboard again.
    keys.press(first_key("find"))
    assert keys.window.find_bar.isVisible()
    keys.press(key)
    assert not keys.window.find_bar.isVisible()
    assert view.hasFocus()


def check_find(keys: Keys, key: str) -> None:
    bar = keys.window.find_bar
    start = find(keys.window, "Prigozhin")
    keys.view.select_range(start, start + len("Prigozhin"))
    keys.press(key)
    assert bar.isVisible()
    assert bar.field.hasFocus()
    assert bar.field.text() == "Prigozhin"  # the selected text, ready to find


def check_find_next(keys: Keys, key: str) -> None:
    view, bar = keys.view, keys.window.find_bar
    keys.press(first_key("find"))
    keys.qtbot.keyClicks(bar.field, "Bakhmut")
    for occurrence in (0, 1):
        keys.press(key)  # in the find field
        start = find(keys.window, "Bakhmut", occurrence)
        assert view.selected_range() == (start, start + 7)
    keys.press(first_key("deselect"))  # closes the bar; the match stays selected
    keys.press(key)  # in the article
    start = find(keys.window, "Bakhmut", 2)
    assert view.selected_range() == (start, start + 7)


# -- Label -----------------------------------------------------------------------------


def resizes(piece: str, label: str, becomes: str) -> Check:
    def check(keys: Keys, key: str) -> None:
        span_id = keys.span(piece, label)
        keys.press(key)
        assert keys.edges(span_id) == becomes
        assert keys.view.selected_span_id == span_id  # still selected, to press again

    return check


def check_link(keys: Keys, key: str) -> None:
    keys.span(CLAIM, "claim")
    keys.span("500", "number")  # inside the claim; selected now
    keys.press(key)
    assert keys.window.linking.active
    assert keys.message().startswith("Linking:")
    keys.press(first_key("previousSpan"))  # the claim
    keys.press_in_article(first_key("enterKey"))
    assert keys.links() == [("500", "part_of", CLAIM)]
    # With no span selected, the key says what to do.
    keys.press(first_key("deselect"))
    keys.press(key)
    assert not keys.window.linking.active
    assert keys.message().startswith("Select a span first")


SYRSKYI_CLAIM = "Ukrainian forces carried out «effective counterattacks» in Bakhmut"


def check_accept_cue(keys: Keys, key: str) -> None:
    window, view = keys.window, keys.view
    keys.press(key)  # cues are off in a new project: the key says how to turn them on
    assert keys.message() == "This project does not mark cues: Label > Mark cues turns them on."
    window.action_table["markCues"].trigger()  # Label > Mark cues
    assert [label.name for label in window.project.labels()][-1] == "cue"
    claim = keys.span(SYRSKYI_CLAIM, "claim")
    keys.span("Oleksandr Syrskyi", "source")
    keys.press(first_key("linkSpan"))
    click_at(keys.qtbot, view, find(window, SYRSKYI_CLAIM) + 3)
    said = view.text.index("Syrskyi said") + len("Syrskyi ")
    assert (
        keys.message() == f"Cue “said” proposed for this link (dotted): press {key} to accept it."
    )
    assert keys.spans().count(("cue", "said")) == 0  # proposed, not stored
    assert "cue proposed: “said”" in window.relations.rows()[0]
    keys.qtbot.waitUntil(lambda: bool(view.painted_cue_proposals))
    # Drawn around the right "said": Qt's own cursor rectangle of its middle is inside.
    middle = view.cursorRect(cursor_at(view, said + 2)).center()
    assert any(rect.contains(middle.toPointF()) for rect in view.painted_cue_proposals)
    keys.press(key)
    cue = next(s for s in window.project.spans(keys.document_id) if s.label == "cue")
    assert (cue.start, cue.end) == (said, said + 4)
    assert ("said", "cue_of", SYRSKYI_CLAIM) in keys.links()
    assert view.cue_proposals == [] and "cue proposed" not in window.relations.rows()[0]
    keys.press(first_key("undo"))  # one step takes the span and its link
    assert ("cue", "said") not in keys.spans() and len(keys.links()) == 1
    assert window.project.span(claim).label == "claim"
    keys.qtbot.waitUntil(lambda: len(view.cue_proposals) == 1)  # proposed again


QUOTED_CLAIM = "«They just took off and ran out of there.»"


def link_of(keys: Keys, source: int, claim: int) -> int:
    """Link a source to its claim as R does; the link's id."""
    window = keys.window
    window.annotation.link(source, claim, window.project.relation_types())
    (relation,) = [
        r for r in window.project.relations(keys.document_id) if r.child_span_id == claim
    ]
    return relation.id or 0


def check_accept_quote(keys: Keys, key: str) -> None:
    window = keys.window
    box, links = window.details.link_box, window.relations
    claim = keys.span(QUOTED_CLAIM, "claim")
    relation = link_of(keys, keys.span("Prigozhin", "source", 1), claim)
    window.selection.select(claim)
    # Proposed from the « » around the claim, shown as such, not stored.
    keys.qtbot.waitUntil(lambda: box.proposal.isVisible())
    assert box.proposal.text().startswith("Proposed quote: direct")
    assert f"quote proposed: direct ({key} accepts)" in links.rows()[0]
    assert links.currentRow() == 0  # the row of the link the key acts on
    assert window.project.relation(relation).attrs == {}
    keys.press(key)
    assert window.project.relation(relation).attrs == {"quote": "direct"}
    keys.qtbot.waitUntil(lambda: box.combos["quote"].currentData() == "direct")
    assert not box.proposal.isVisible() and "[quote: direct]" in links.rows()[0]
    assert "quote proposed" not in links.rows()[0]
    keys.press(first_key("undo"))
    assert window.project.relation(relation).attrs == {}
    # Nothing selected: the key says what to select.
    keys.press(first_key("deselect"))
    keys.press(key)
    assert window.project.relation(relation).attrs == {}
    assert keys.message().startswith("Select a span with a link")


def check_link_attribute_key(name: str) -> Check:
    text = next(t for n, _k, t in _link_attribute_keys() if n == name)
    kind, rest = text.removeprefix("Set ").split(" link: ", 1)
    attribute, value = rest.split(" = ", 1)

    def check(keys: Keys, key: str) -> None:
        window = keys.window
        claim = keys.span(SYRSKYI_CLAIM, "claim")
        source = keys.span("Oleksandr Syrskyi", "source")
        relation = link_of(keys, source, claim)
        assert window.project.relation(relation).label == kind
        window.selection.select(source)  # the source's only link is in focus
        keys.press(key)
        assert QApplication.activePopupWidget() is None, f"{key} opened a menu"
        assert window.project.relation(relation).attrs == {attribute: value}
        box = window.details.link_box
        keys.qtbot.waitUntil(lambda: box.combos[attribute].currentData() == value)
        assert "Syrskyi" in box.heading.text() and key in box.heading.text()
        keys.press(first_key("undo"))
        assert window.project.relation(relation).attrs == {}

    return check


def cursor_at(view, offset: int):  # type: ignore[no-untyped-def]
    cursor = view.textCursor()
    cursor.setPosition(view.offsets.to_qt(offset))
    return cursor


def check_outlet_voice(keys: Keys, key: str) -> None:
    window = keys.window
    claim = keys.span("Russia’s military has not commented", "claim")
    keys.press(key)
    assert window.project.span(claim).attrs == {"voice": "outlet"}
    box = window.details.outlet_voice
    keys.qtbot.waitUntil(lambda: box.isVisible() and box.isChecked())
    keys.press(key)  # again: unmarked
    assert window.project.span(claim).attrs == {}
    keys.qtbot.waitUntil(lambda: not box.isChecked())
    keys.press(first_key("undo"))
    assert window.project.span(claim).attrs == {"voice": "outlet"}
    # A claim with a source is not the outlet's: refused, and said why.
    other = keys.span(CLAIM, "claim")
    source = keys.span("Prigozhin", "source", 1)
    window.annotation.link(source, other, window.project.relation_types())
    window.selection.select(other)
    keys.press(key)
    assert window.project.span(other).attrs == {}
    assert keys.message().startswith("This claim is attributed to “Prigozhin”")
    # Nothing selected: the key says what to select.
    keys.press(first_key("deselect"))
    keys.press(key)
    assert keys.message().startswith("Select a claim first")


def annotator_spans(keys: Keys) -> None:
    """Spans by two annotators over Bakhmut and Prigozhin, as after a merge."""
    project, text, document_id = keys.window.project, keys.view.text, keys.document_id
    bakhmut, prigozhin = text.index("Bakhmut"), text.index("Yevgeny Prigozhin")
    for who in ("olena", "marko"):
        project.add_span(document_id, bakhmut, bakhmut + 7, "location", who)
    project.add_span(document_id, prigozhin, prigozhin + 17, "source", "olena")
    keys.window.navigator.show(None)
    keys.window.navigator.show(document_id)
    keys.view.setFocus()


# Reviews sharing four, two and one words with the claim (BM25 ranks them in that order).
FACT_CHECKS = (
    Review(url="https://checks.example/en/500-men", claim="The army lost around 500 men",
           rating="Unproven"),
    Review(url="https://checks.example/en/500-tanks",
           claim="The brigade lost 500 tanks in one month", rating="False"),
    Review(url="https://checks.example/en/ten-thousand",
           claim="Ten thousand men joined the army this spring", rating="True"),
)  # fmt: skip


def links_fact_check(number: int) -> Check:
    def check(keys: Keys, key: str) -> None:
        add_reviews(keys.window.project, FACT_CHECKS, "archive.csv")
        span_id = keys.span(CLAIM, "claim")
        listed = keys.window.details.previously_checked
        keys.qtbot.waitUntil(lambda: len(listed.entries) == 3, timeout=15000)
        keys.press(key)
        chosen = FACT_CHECKS[number - 1]
        attrs = keys.window.project.span(span_id).attrs
        assert attrs == {"fact_check_url": chosen.url, "fact_check_rating": chosen.rating}

    return check


def outside_review_mode_changes_nothing(keys: Keys, key: str) -> None:
    """G or X typed outside review mode (into the article, by mistake) leaves every span
    as the file holds it and says where the key works."""

    def stored() -> list[tuple]:
        with closing(sqlite3.connect(keys.window.project.path)) as db:
            return db.execute(
                'SELECT id, start, "end", label, annotator, attrs FROM spans ORDER BY id'
            ).fetchall()

    before = stored()
    keys.press(key)
    assert stored() == before
    assert keys.message().startswith("G accepts into gold and X rejects in review mode (")


def check_accept_gold(keys: Keys, key: str) -> None:
    annotator_spans(keys)
    keys.press("Ctrl+Home")
    keys.press(first_key("nextSpan"))
    chosen = keys.view.span(keys.view.selected_span_id)
    outside_review_mode_changes_nothing(keys, key)
    keys.press(first_key("reviewMode"))
    keys.press(key)
    gold = [s for s in keys.window.project.spans(keys.document_id) if s.annotator == GOLD]
    assert [(s.start, s.end, s.label) for s in gold] == [(chosen.start, chosen.end, "location")]
    assert keys.window.project.span(chosen.id).attrs == {"review": "accepted"}


def check_reject_review(keys: Keys, key: str) -> None:
    annotator_spans(keys)
    source = next(s for s in keys.window.project.spans(keys.document_id) if s.label == "source")
    keys.window.selection.select(source.id)
    outside_review_mode_changes_nothing(keys, key)
    keys.press(first_key("reviewMode"))
    keys.press(key)
    assert keys.window.project.span(source.id).attrs == {"review": "rejected"}
    assert not any(s.annotator == GOLD for s in keys.window.project.spans(keys.document_id))


def steps_spans(forward: bool) -> Check:
    def check(keys: Keys, key: str) -> None:
        first = keys.span("Bakhmut", "location")
        second = keys.span("Yevgeny Prigozhin", "source")
        keys.press(first_key("deselect"))
        keys.press("Ctrl+Home" if forward else "Ctrl+End")
        order = [first, second] if forward else [second, first]
        for span_id in order:
            keys.press(key)
            assert keys.view.selected_span_id == span_id
            row = keys.window.span_list.selectionModel().currentIndex().row()
            assert keys.window.spans.row_of(span_id) == row

    return check


# -- Document --------------------------------------------------------------------------


def check_suggest(keys: Keys, key: str) -> None:
    assert keys.view.suggestions == []
    keys.press(key)
    keys.qtbot.waitUntil(lambda: bool(keys.view.suggestions), timeout=10_000)
    assert ("location", "Bakhmut") in keys.pending()
    assert keys.view.selected_suggestion_id is not None  # ready for Enter
    assert keys.spans() == []


def check_enter(keys: Keys, key: str) -> None:
    keys.suggest(("location", "Bakhmut"), ("number", "500"))
    keys.press_in_article(first_key("nextSuggestion"))
    assert keys.chosen_suggestion() == "Bakhmut"
    keys.press_in_article(key)
    assert keys.spans() == [("location", "Bakhmut")]
    assert keys.pending() == [("number", "500")]
    assert keys.chosen_suggestion() == "500"  # on to the next
    # While linking, the same key links to the chosen span.
    keys.span(CLAIM, "claim")
    keys.press(first_key("linkSpan"))
    keys.press(first_key("previousSpan"))
    keys.press_in_article(key)
    assert keys.links() == [("Bakhmut", "part_of", CLAIM)]


def check_accept_all(keys: Keys, key: str) -> None:
    suggested = keys.suggest(
        ("location", "Bakhmut"), ("number", "500"), ("source", "Yevgeny Prigozhin")
    )
    keys.press_in_article(key)
    assert sorted(keys.spans()) == sorted(suggested)
    assert keys.pending() == [] and keys.view.suggestions == []
    keys.press(first_key("undo"))  # one step brings them all back
    assert keys.spans() == []
    assert sorted(keys.pending()) == sorted(suggested)


def check_backspace(keys: Keys, key: str) -> None:
    keys.suggest(("location", "Bakhmut"))
    keys.press_in_article(first_key("nextSuggestion"))
    keys.press_in_article(key)
    assert keys.pending() == [] and keys.spans() == []
    # With no suggestion in hand, it deletes the selected span.
    keys.span("Prigozhin", "source")
    keys.press_in_article(key)
    assert keys.spans() == []


def steps_suggestions(forward: bool) -> Check:
    def check(keys: Keys, key: str) -> None:
        keys.suggest(("location", "Bakhmut"), ("number", "500"), ("source", "Yevgeny Prigozhin"))
        keys.press_in_article("Ctrl+End" if not forward else "Ctrl+Home")
        order = ["Bakhmut", "Yevgeny Prigozhin", "500"]
        for piece in order if forward else order[::-1]:
            keys.press_in_article(key)
            assert keys.chosen_suggestion() == piece
        assert keys.view.hasFocus()  # the key stepped, it did not move the focus on

    return check


def steps_documents(step: int) -> Check:
    def check(keys: Keys, key: str) -> None:
        documents = keys.window.documents.model.documents
        first = keys.document_id
        assert first == documents[0].id
        if step < 0:
            keys.press(first_key("nextDocument"))
            assert keys.document_id == documents[1].id
        keys.press(key)
        assert keys.document_id == (documents[1].id if step > 0 else first)
        assert keys.view.hasFocus()

    return check


def marks(status: str) -> Check:
    def check(keys: Keys, key: str) -> None:
        first = keys.document_id
        keys.press(key)
        assert keys.window.project.document(first).status == status
        assert keys.document_id != first  # on to the next unfinished one

    return check


# -- View and Help ------------------------------------------------------------------------


def zooms(direction: int) -> Check:
    def check(keys: Keys, key: str) -> None:
        base = keys.view.font().pointSizeF()
        if direction == 0:
            keys.press(first_key("zoomIn"))
            assert keys.view.font().pointSizeF() > base
        keys.press(key)
        size = keys.view.font().pointSizeF()
        assert (size > base) if direction > 0 else (size < base) if direction < 0 else size == base

    return check


def check_review_mode(keys: Keys, key: str) -> None:
    action, painter = keys.window.action_table["reviewMode"], keys.view.painter
    assert not action.isChecked() and not painter.by_annotator
    keys.press(key)
    assert action.isChecked() and painter.by_annotator
    assert keys.message().startswith("Review mode:")
    keys.press(key)
    assert not action.isChecked() and not painter.by_annotator


def _queue_a_conflict(keys: Keys) -> int:
    """Two copies of the window's project give one span different notes; both merged:
    one conflict waiting. The span's id."""
    from factmark.core.copies import make_copy
    from factmark.core.merge import merge_projects

    span_id = keys.span(CLAIM, "claim")
    project = keys.window.project
    copies = []
    for name in ("ana", "bob"):
        path = project.path.with_name(f"{name}-copy.factmark")
        copies.append(make_copy(project, path, name).path)
        with Project.open(path) as copy:
            copy.update_span(span_id, note=f"{name}'s note")
    merge_projects(project, copies)
    assert project.span(span_id).note == "ana's note"
    return span_id


def check_next_conflict(keys: Keys, key: str) -> None:
    _queue_a_conflict(keys)
    keys.press(key)
    assert keys.window.action_table["reviewMode"].isChecked()
    assert keys.window.conflict_panel.isVisible()
    assert "ana's note" in keys.window.conflict_panel.shown_text()
    assert "bob's note" in keys.window.conflict_panel.shown_text()


def settles(side: str) -> Check:
    def check(keys: Keys, key: str) -> None:
        span_id = _queue_a_conflict(keys)
        keys.press(first_key("nextConflict"))
        keys.press(key)
        expected = "bob's note" if side == "source" else "ana's note"
        assert keys.window.project.span(span_id).note == expected
        assert conflicts(keys.window.project) == []
        assert not keys.window.conflict_panel.isVisible()

    return check


def check_guidelines(keys: Keys, key: str) -> None:
    dock, action = keys.window.guidelines_dock, keys.window.action_table["showGuidelines"]
    assert not dock.isVisible()
    keys.press(key)
    assert dock.isVisible() and action.isChecked()
    keys.press(key)
    assert not dock.isVisible() and not action.isChecked()


def check_shortcut_list(keys: Keys, key: str) -> None:
    seen = keys.opened_by(key)
    assert seen == [(ShortcutsDialog, "Keyboard shortcuts")], seen
    rows = [(row.text, row.keys) for row in keys.window.action_table.shortcut_rows()]
    assert keys.shown == [rows]  # every row, none filtered out


# -- labels and attributes ----------------------------------------------------------------


def check_label_key(name: str) -> Check:
    label = name.removeprefix(LABEL_ACTION_PREFIX)

    def check(keys: Keys, key: str) -> None:
        start = find(keys.window, "Bakhmut")
        drag_select(keys.view, start, start + 3)  # part of the word: it snaps to all of it
        keys.press_in_article(key)
        assert keys.spans() == [(label, "Bakhmut")]
        other = next(x for x in keys.window.project.labels() if x.name != label)
        keys.press_in_article(other.key)  # the span is still selected: relabel it
        assert keys.spans() == [(other.name, "Bakhmut")]
        keys.press_in_article(key)
        assert keys.spans() == [(label, "Bakhmut")]

    return check


ATTRIBUTE_SPANS = {"claim": CLAIM, "source": "Yevgeny Prigozhin"}


def check_attribute_key(name: str) -> Check:
    text = next(t for n, _k, t in _attribute_keys() if n == name)
    label, rest = text.removeprefix("Set ").split(": ", 1)
    attribute, value = rest.split(" = ", 1)

    def check(keys: Keys, key: str) -> None:
        span_id = keys.span(ATTRIBUTE_SPANS[label], label)
        keys.press(key)
        assert QApplication.activePopupWidget() is None, f"{key} opened a menu"
        assert keys.window.project.span(span_id).attrs == {attribute: value}
        # The details panel shows the value at the next frame (the article first).
        details = keys.window.details
        keys.qtbot.waitUntil(lambda: details.combos[attribute].currentData() == value)

    return check


CHECKS: dict[str, Check] = {
    "newProject": opens(QFileDialog, "New project"),
    "openProject": opens(QFileDialog, "Open project"),
    "importFiles": opens(QFileDialog, "Import articles"),
    "exportCorpus": opens(ExportDialog, "Export corpus"),
    "quit": check_quit,
    "undo": check_undo,
    "redo": check_redo,
    "deleteSpan": check_delete_span,
    "deselect": check_deselect,
    "find": check_find,
    "findNext": check_find_next,
    "growStart": resizes("500", "number", "around 500"),
    "growEnd": resizes("500", "number", "500 men"),
    "shrinkEnd": resizes("lost around 500", "claim", "lost around"),
    "shrinkStart": resizes("lost around 500", "claim", "around 500"),
    "linkSpan": check_link,
    "linkFactCheck": links_fact_check(1),
    "linkFactCheck2": links_fact_check(2),
    "linkFactCheck3": links_fact_check(3),
    "acceptCue": check_accept_cue,
    "acceptQuote": check_accept_quote,
    "outletVoice": check_outlet_voice,
    "acceptGold": check_accept_gold,
    "rejectReview": check_reject_review,
    "nextSpan": steps_spans(forward=True),
    "previousSpan": steps_spans(forward=False),
    "suggest": check_suggest,
    "enterKey": check_enter,
    "acceptAllSuggestions": check_accept_all,
    "backspaceKey": check_backspace,
    "nextSuggestion": steps_suggestions(forward=True),
    "previousSuggestion": steps_suggestions(forward=False),
    "nextDocument": steps_documents(1),
    "previousDocument": steps_documents(-1),
    "markDone": marks("done"),
    "markSkipped": marks("skipped"),
    "zoomIn": zooms(1),
    "zoomOut": zooms(-1),
    "zoomReset": zooms(0),
    "statistics": opens(StatsDialog, "Statistics"),
    "reviewMode": check_review_mode,
    "nextConflict": check_next_conflict,
    "takeCopyVersion": settles("source"),
    "keepThisVersion": settles("target"),
    "showGuidelines": check_guidelines,
    "shortcuts": check_shortcut_list,
}


def check_for(name: str) -> Check:
    if name.startswith(LABEL_ACTION_PREFIX):
        return check_label_key(name)
    if name.startswith(ATTRIBUTE_ACTION_PREFIX):
        return check_attribute_key(name)
    if name.startswith(LINK_ATTRIBUTE_ACTION_PREFIX):
        return check_link_attribute_key(name)
    return CHECKS[name]


# -- the tests ----------------------------------------------------------------------------


def test_every_action_with_keys_has_a_check() -> None:
    with_keys = {row.name for row in ACTIONS if row.keys}
    assert set(CHECKS) == with_keys, (
        "every action with keys needs a check of what its keys do: "
        f"missing {sorted(with_keys - set(CHECKS))}, stale {sorted(set(CHECKS) - with_keys)}"
    )


def test_the_f1_list_lists_exactly_the_keys_pressed_here(open_window) -> None:
    window = open_window()
    listed = {
        (row.text, portable(key, NATIVE))
        for row in window.action_table.shortcut_rows()
        for key in row.keys.split(", ")
    }
    pressed = {(text, portable(key)) for _name, key, text in PRESSES}
    assert listed == pressed


@pytest.mark.parametrize("panels", ["placed", "waiting"])
@pytest.mark.parametrize(
    ("name", "key"), [pytest.param(name, key, id=f"{name}-{key}") for name, key, _ in PRESSES]
)
def test_pressing_the_key_does_what_the_row_says(
    open_window, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, name: str, key: str, panels: str
) -> None:
    """Also with the check's first key pressed while the panels beside the article still
    wait for their places (as a key pressed the moment the window shows): what it did
    shows in them once they are placed."""
    place = MainWindow._place_panels
    if panels == "waiting":
        monkeypatch.setattr(MainWindow, "_place_panels", lambda _window: None)
    window = open_window(panels_placed=panels == "placed")
    assert window.panels_placed == (panels == "placed")
    # Waiting, the span list's view, the side panels and the parts they serve are not
    # made yet either.
    assert (window._side_panels is None) == (panels == "waiting")
    assert (window._span_list is None) == (panels == "waiting")
    assert (window.documents._widgets is None) == (panels == "waiting")
    keys = Keys(window, qtbot)
    if panels == "waiting":

        def place_panels() -> None:
            while not window.panels_placed:
                place(window)
            shown = window.documents.isVisible() and window.side.isVisible()
            assert shown or not window.isVisible()  # Ctrl+Q closed it

        keys.after_first_key = place_panels
    window.article_view.setFocus()
    qtbot.waitUntil(window.article_view.hasFocus)
    check_for(name)(keys, key)
    assert window.panels_placed


def test_clicking_a_span_while_linking_links_it(open_window, qtbot: QtBot) -> None:
    """R, then a click: the other way to finish a link the F1 row names."""
    window = open_window()
    keys = Keys(window, qtbot)
    keys.span(CLAIM, "claim")
    keys.span("Prigozhin", "source", 1)
    keys.press(first_key("linkSpan"))
    click_at(qtbot, keys.view, find(window, CLAIM) + 3)
    assert keys.links() == [("Prigozhin", "attributed_to", CLAIM)]
