"""A fact-checker marks the seed article's attributions from the window alone: turns cues
on in Edit > Labels, labels sources, claims and a cue with their keys, links them with R
and a click, accepts a proposed cue with Shift+Alt+K and marks a claim as the outlet's own voice
with Shift+Alt+A; the attribution export then holds what was marked."""

from __future__ import annotations

from pathlib import Path

import orjson
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QCheckBox
from pytestqt.qtbot import QtBot

from factmark.core.actions import spec
from factmark.core.exporting import export
from factmark.core.exporting.base import Selection
from factmark.ui.dialogs.labels_dialog import LabelsDialog
from tests.ui.helpers import click_at
from tests.ui.test_annotation import find
from tests.ui.test_shortcuts import Keys

PRIGOZHIN_CLAIM = "Ukrainian forces had been «unfortunately, partially successful»"
SYRSKYI_CLAIM = "Ukrainian forces carried out «effective counterattacks» in Bakhmut"
OUTLET_CLAIM = "Russia’s military has not commented"


def turn_cues_on_in_the_labels_dialog(keys: Keys) -> None:
    """Edit > Labels, tick Mark cues, close: as the window opens the dialog."""
    window, qtbot = keys.window, keys.qtbot

    def tick() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, LabelsDialog)
        box = dialog.findChild(QCheckBox, "markCues")
        assert box is not None and not box.isChecked()
        qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
        assert box.isChecked()
        assert dialog.current_label() is not None and dialog.current_label().name == "cue"
        dialog.reject()

    QTimer.singleShot(100, tick)
    window.action_table["labels"].trigger()
    assert window.action_table["markCues"].isChecked()  # the Label menu's tick follows
    qtbot.waitUntil(window.isActiveWindow)


def test_attributions_marked_from_the_window_alone(
    open_window, qtbot: QtBot, tmp_path: Path
) -> None:
    window = open_window()
    keys = Keys(window, qtbot)
    view = keys.view
    turn_cues_on_in_the_labels_dialog(keys)
    cue = window.project.labels()[-1]
    assert (cue.name, cue.key) == ("cue", "5")
    assert window.action_table["label_cue"].shortcuts()[0].toString() == "5"
    # Its button explains it with the guidelines' examples.
    assert "<li>Prigozhin said Thursday on Telegram</li>" in (
        window.action_table["label_cue"].toolTip()
    )

    # Prigozhin: source, claim, R and a click; the cue is proposed and Shift+Alt+K accepts it.
    claim = keys.span(PRIGOZHIN_CLAIM, "claim")
    at_thursday = view.text[: view.text.index("Prigozhin said Thursday")].count("Prigozhin")
    keys.span("Prigozhin", "source", at_thursday)
    keys.press(spec("linkSpan").keys[0])
    click_at(qtbot, view, find(window, PRIGOZHIN_CLAIM) + 3)
    assert keys.message().startswith("Cue “said” proposed")
    assert view.selected_span_id == claim
    keys.press(spec("acceptCue").keys[0])
    assert ("said", "cue_of", PRIGOZHIN_CLAIM) in keys.links()

    # Syrskyi: the cue marked by hand with its key and linked to the claim (R, click).
    keys.span(SYRSKYI_CLAIM, "claim")
    said = view.text.index("Syrskyi said") + len("Syrskyi ")
    view.select_range(said, said + 4)
    keys.press_in_article("5")
    assert ("cue", "said") in keys.spans()
    keys.press(spec("linkSpan").keys[0])
    click_at(qtbot, view, find(window, SYRSKYI_CLAIM) + 3)
    keys.span("Oleksandr Syrskyi", "source")
    keys.press(spec("linkSpan").keys[0])
    click_at(qtbot, view, find(window, SYRSKYI_CLAIM) + 3)
    assert keys.links()[-2:] == [
        ("said", "cue_of", SYRSKYI_CLAIM),
        ("Oleksandr Syrskyi", "attributed_to", SYRSKYI_CLAIM),
    ]
    assert view.cue_proposals == []  # the claim has its cue: nothing proposed

    # A claim in the outlet's own voice.
    outlet = keys.span(OUTLET_CLAIM, "claim")
    keys.press(spec("outletVoice").keys[0])
    assert window.project.span(outlet).attrs == {"voice": "outlet"}

    text = view.text
    keys.press(spec("markDone").keys[0])
    out = tmp_path / "a.jsonl"
    export(window.project, "attribution", out, Selection(frozenset()), card=False)
    lines = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    shown = [
        (
            line["source"]["text"] if line["source"] else None,
            line["voice"],
            text[: line["cue"]["start"]].split()[-1] + " " + line["cue"]["text"]
            if line["cue"]
            else None,
            line["content"]["text"],
        )
        for line in lines
    ]
    assert shown == [
        ("Prigozhin", "source", "Prigozhin said", PRIGOZHIN_CLAIM),
        (None, "outlet", None, OUTLET_CLAIM),
        ("Oleksandr Syrskyi", "source", "Syrskyi said", SYRSKYI_CLAIM),
    ]


def test_turning_cues_on_is_one_undo_step_and_off_is_refused_while_used(
    open_window, qtbot: QtBot
) -> None:
    window = open_window()
    keys = Keys(window, qtbot)
    before = (window.project.labels(), window.project.relation_types())
    turn_cues_on_in_the_labels_dialog(keys)
    keys.press(spec("undo").keys[0])
    assert (window.project.labels(), window.project.relation_types()) == before
    assert not window.action_table["markCues"].isChecked()
    assert "label_cue" not in window.action_table.by_name
    keys.press(spec("redo").keys[0])
    assert window.action_table["markCues"].isChecked()
    said = keys.view.text.index("Syrskyi said") + len("Syrskyi ")
    keys.view.select_range(said, said + 4)
    keys.press_in_article("5")
    window.action_table["markCues"].trigger()  # off: refused, the cue span uses the label
    assert window.action_table["markCues"].isChecked()
    assert "'cue' cannot be deleted: 1 span uses it" in keys.message()
    assert [label.name for label in window.project.labels()][-1] == "cue"


def test_linking_a_source_to_an_outlet_claim_unmarks_it_in_the_same_step(
    open_window, qtbot: QtBot
) -> None:
    window = open_window()
    keys = Keys(window, qtbot)
    claim = keys.span(OUTLET_CLAIM, "claim")
    keys.press(spec("outletVoice").keys[0])
    assert window.project.span(claim).attrs == {"voice": "outlet"}
    keys.span("Kremlin", "source", 2)
    keys.press(spec("linkSpan").keys[0])
    click_at(qtbot, keys.view, find(window, OUTLET_CLAIM) + 3)
    assert keys.links() == [("Kremlin", "attributed_to", OUTLET_CLAIM)]
    assert window.project.span(claim).attrs == {}
    keys.press(spec("undo").keys[0])  # one step: no link, marked again
    assert keys.links() == []
    assert window.project.span(claim).attrs == {"voice": "outlet"}


def test_the_details_box_marks_the_outlet_voice(open_window, qtbot: QtBot) -> None:
    window = open_window()
    keys = Keys(window, qtbot)
    source = keys.span("Kremlin", "source", 2)
    box = window.details.outlet_voice
    qtbot.waitUntil(lambda: window.details.span is not None)
    assert not box.isVisible()  # a source has no such box
    claim = keys.span(OUTLET_CLAIM, "claim")
    qtbot.waitUntil(box.isVisible)
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
    assert window.project.span(claim).attrs == {"voice": "outlet"}
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
    assert window.project.span(claim).attrs == {}
    # With a source linked, ticking it is refused and the box stays clear.
    window.annotation.link(source, claim, window.project.relation_types())
    window.selection.select(claim)
    qtbot.waitUntil(box.isVisible)
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
    assert window.project.span(claim).attrs == {}
    assert not box.isChecked()
    assert keys.message().startswith("This claim is attributed to “Kremlin”")
