"""View > Agreement: the disagreements behind the figures open in review mode, by mouse
(double-click) and by keyboard (Enter), with the disputed place selected."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem
from pytestqt.qtbot import QtBot

from factmark.core.incoming import IncomingDocument, IncomingSpan
from factmark.core.project import Project
from factmark.ui.dialogs.team_dialogs import AgreementDialog
from tests.ui.helpers import click_at

CTRL = Qt.KeyboardModifier.ControlModifier

TEXT = "Army says 240 troops left Kyiv."


def team_project(path: Path) -> Path:
    with Project.open(path) as project:
        project.add_document(IncomingDocument("Nothing disputed here.", title="calm"))
        project.add_document(
            IncomingDocument(
                TEXT,
                title="troops",
                spans=[
                    IncomingSpan(10, 13, "number", "ana"),  # 240
                    IncomingSpan(10, 20, "number", "ben"),  # 240 troops
                    IncomingSpan(26, 30, "location", "ana"),  # only ana marks Kyiv
                ],
            )
        )
    return path


def open_dialog(window, qtbot: QtBot) -> tuple[AgreementDialog, QTreeWidget]:
    window.action_table["agreement"].trigger()
    qtbot.waitUntil(lambda: window.findChild(AgreementDialog) is not None)
    dialog = window.findChild(AgreementDialog)
    qtbot.waitExposed(dialog)
    tabs = dialog.tabs.tabBar()  # the disagreements have a tab of their own: a click shows it
    qtbot.mouseClick(tabs, Qt.MouseButton.LeftButton, pos=tabs.tabRect(1).center())
    tree = dialog.findChild(QTreeWidget, "agreementDisagreements")
    qtbot.waitUntil(tree.isVisible)
    return dialog, tree


def child(tree: QTreeWidget, figure: str) -> QTreeWidgetItem:
    top = next(
        tree.topLevelItem(n)
        for n in range(tree.topLevelItemCount())
        if tree.topLevelItem(n).text(0).startswith(figure)
    )
    return top.child(0)


def test_double_click_opens_the_disagreement_in_review_mode(
    open_window, qtbot: QtBot, tmp_path: Path
) -> None:
    window = open_window(team_project(tmp_path / "team.factmark"))
    window.navigator.show(next(d.id for d in window.project.documents() if d.title == "calm"))
    dialog, tree = open_dialog(window, qtbot)
    assert "Krippendorff's unitizing alpha" in dialog.report.toPlainText()
    # One group per figure with a disagreement: the number (240 / 240 troops), Kyiv.
    groups = [tree.topLevelItem(n).text(0) for n in range(tree.topLevelItemCount())]
    assert groups == ["spans location (1)", "spans number (1)"]
    number = child(tree, "spans number")
    assert (number.text(0), number.text(1)) == ("troops", "[10, 20)")
    assert number.text(2) == "ana: [10, 13) “240”   |   ben: [10, 20) “240 troops”"

    rect = tree.visualItemRect(number)
    # A double-click as the mouse makes it: press and release, then the second press.
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert window.current.title == "troops"
    assert window.action_table["reviewMode"].isChecked()
    assert window.article_view.painter.by_annotator  # coloured by annotator
    # The disputed span of the first annotator listed (ana's "240") is selected, not the
    # text: the Selected span panel shows it and G accepts it into gold at once.
    view = window.article_view
    qtbot.waitUntil(lambda: view.selected_span_id is not None)
    assert view.selected_range() is None
    with closing(sqlite3.connect(window.project.path)) as db:
        (ana,) = db.execute(
            "SELECT id FROM spans WHERE annotator = 'ana' AND label = 'number'"
        ).fetchone()
    assert view.selected_span_id == ana
    assert window.statusBar().currentMessage().startswith("Selected: number “240”")
    qtbot.keyClick(view, Qt.Key.Key_G)
    with closing(sqlite3.connect(window.project.path)) as db:
        gold = db.execute(
            "SELECT start, \"end\", label FROM spans WHERE annotator = 'gold'"
        ).fetchall()
    assert gold == [(10, 13, "number")]
    # Ctrl+click on the same place reaches the other annotator's span, as ever.
    click_at(qtbot, view, 11, CTRL)
    selected = view.span(view.selected_span_id)
    assert selected is not None and selected.annotator != "ana"


def test_enter_opens_the_disagreement(open_window, qtbot: QtBot, tmp_path: Path) -> None:
    window = open_window(team_project(tmp_path / "team.factmark"))
    dialog, tree = open_dialog(window, qtbot)
    dialog.activateWindow()  # the keyboard goes to the dialog, not to the window behind
    tree.setFocus()
    qtbot.waitUntil(tree.hasFocus)
    tree.setCurrentItem(child(tree, "spans location"))
    qtbot.keyClick(tree, Qt.Key.Key_Return)
    view = window.article_view
    qtbot.waitUntil(lambda: view.selected_span_id is not None)
    kyiv = view.span(view.selected_span_id)  # ana's location, the one in the disagreement
    assert (kyiv.start, kyiv.end, kyiv.label, kyiv.annotator) == (26, 30, "location", "ana")
    assert window.current.title == "troops"
    assert window.action_table["reviewMode"].isChecked()


def test_a_long_list_shows_the_first_of_each_figure_and_counts_them_all(
    open_window, qtbot: QtBot, tmp_path: Path, monkeypatch
) -> None:
    """An archive's disagreements run to hundreds of thousands: the list holds the first
    of each figure (DISAGREEMENTS_LISTED), and its headings and tab count every one."""
    from factmark.ui.background import jobs

    monkeypatch.setattr(jobs, "DISAGREEMENTS_LISTED", 2)
    path = tmp_path / "many.factmark"
    with Project.open(path) as project:
        for n in range(5):  # five documents where ana and ben mark 240 differently
            project.add_document(
                IncomingDocument(
                    f"{TEXT} ({n})",
                    title=f"troops {n}",
                    spans=[
                        IncomingSpan(10, 13, "number", "ana"),
                        IncomingSpan(10, 20, "number", "ben"),
                    ],
                )
            )
    with sqlite3.connect(path) as db:  # the oracle: the spans as stored
        (disputed,) = db.execute(
            "SELECT count(DISTINCT document_id) FROM spans WHERE label = 'number'"
        ).fetchone()
    assert disputed == 5
    window = open_window(path)
    dialog, tree = open_dialog(window, qtbot)

    (group,) = [tree.topLevelItem(n) for n in range(tree.topLevelItemCount())]
    assert group.text(0) == (
        "spans number (5; the first 2 listed: factmark agree --json lists all)"
    )
    assert [group.child(n).text(0) for n in range(group.childCount())] == [
        "troops 0",
        "troops 1",
    ]
    assert dialog.tabs.tabText(1) == "D&isagreements (5)"
