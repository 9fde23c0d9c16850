"""The Link types tab of the Labels dialog edits the project's link types through its
real widgets, and the window's links follow."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
)
from pytestqt.qtbot import QtBot

from factmark.core.changes import ChangeSet
from factmark.core.exporting import export
from factmark.core.exporting.base import Selection
from factmark.core.incoming import IncomingDocument
from factmark.core.project import Project
from factmark.ui.dialogs.labels_dialog import LabelsDialog
from factmark.ui.dialogs.relation_types_panel import RelationTypeTableModel
from factmark.ui.window.main_window import MainWindow
from tests.ui.helpers import pick_in_next_menu
from tests.ui.test_labels_dialog import click, open_dialog, type_into, widget

TEXT = "The governor said 3 bridges near Kherson were repaired by the army."
DEFAULTS = ["attributed_to", "part_of"]
ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def changes(project: Project) -> list[ChangeSet]:
    heard: list[ChangeSet] = []
    project.subscribe(heard.append)
    return heard


@pytest.fixture
def linked_project(project: Project) -> Project:
    """One document: "3" and "Kherson" part_of the claim, two links of one type."""
    added = project.add_document(IncomingDocument(TEXT, title="Bridges"))
    assert added is not None
    ids = {}
    for piece, label in (("3", "number"), ("Kherson", "location"), ("3 bridges", "claim")):
        start = TEXT.index(piece)
        ids[piece] = project.add_span(added[0], start, start + len(piece), label).id
    for piece in ("3", "Kherson"):
        project.add_relation(ids[piece], ids["3 bridges"], "part_of")
    return project


def open_link_types(qtbot: QtBot, project: Project, parent: MainWindow | None = None):
    """Open the Labels dialog and click its Link types tab."""
    if parent is None:
        dialog = open_dialog(qtbot, project)
    else:
        dialog = LabelsDialog(project, parent)
        dialog.show()
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow)
    go_to_tab(qtbot, dialog, 1)
    return dialog


def go_to_tab(qtbot: QtBot, dialog: LabelsDialog, index: int) -> None:
    bar = widget(dialog, QTabWidget, "labelTabs").tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    assert dialog.tabs.currentIndex() == index


def table_rows(dialog: LabelsDialog) -> list[list[object]]:
    model = dialog.link_types.table.model()
    return [
        [model.index(row, column).data() for column in range(model.columnCount())]
        for row in range(model.rowCount())
    ]


def shown_names(dialog: LabelsDialog) -> list[str]:
    return [row[RelationTypeTableModel.NAME] for row in table_rows(dialog)]


def click_row(qtbot: QtBot, dialog: LabelsDialog, row: int, column: int = 0) -> None:
    view = dialog.link_types.table
    rect = view.visualRect(view.model().index(row, column))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def error_text(dialog: LabelsDialog) -> str:
    return widget(dialog, QLabel, "relationTypesError").text()


def name_field(dialog: LabelsDialog) -> QLineEdit:
    return widget(dialog, QLineEdit, "relationTypeName")


def test_the_tab_lists_types_with_their_links(qtbot: QtBot, linked_project: Project) -> None:
    dialog = open_link_types(qtbot, linked_project)
    assert dialog.tabs.tabText(1) == "Link &types"
    rows = table_rows(dialog)
    assert [[row[0], row[2]] for row in rows] == [["attributed_to", 0], ["part_of", 2]]
    assert rows[0][1] == "A source span and the claim it makes."
    assert name_field(dialog).text() == "attributed_to"  # the first is selected
    assert name_field(dialog).isVisible()
    assert not widget(dialog, QLineEdit, "labelName").isVisible()  # the Labels tab is hidden
    assert not widget(dialog, QPushButton, "moveRelationTypeUp").isEnabled()
    # Ctrl+Tab goes back to the labels, as in any tabbed dialog, and on again.
    qtbot.keyClick(dialog.link_types.table, Qt.Key.Key_Tab, CTRL)
    assert dialog.tabs.currentIndex() == 0
    qtbot.keyClick(dialog.table, Qt.Key.Key_Tab, CTRL)
    assert dialog.tabs.currentIndex() == 1


def test_add_name_and_describe_a_type_then_link_with_it(
    open_window, qtbot: QtBot, tmp_path: Path
) -> None:
    """Edit > Labels…, Link types tab, Add, type a name and a description, Close; then the
    link menu offers the new type and the link and its export carry it."""
    window = open_window()
    seen: list[str] = []

    def in_the_dialog(tries: int = 250) -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, LabelsDialog):
            if tries:  # for 5 s at most
                QTimer.singleShot(20, lambda: in_the_dialog(tries - 1))
            return
        try:
            dialog.activateWindow()  # its mnemonics act in the active window
            qtbot.waitUntil(dialog.isActiveWindow)
            go_to_tab(qtbot, dialog, 1)
            # Add, by its mnemonic (a mnemonic animates the click: it lands a moment later).
            qtbot.keyClick(dialog.link_types.table, Qt.Key.Key_A, ALT)
            qtbot.waitUntil(lambda: len(dialog.link_types.model.rows) == 3)
            seen.append(name_field(dialog).selectedText())
            qtbot.keyClicks(name_field(dialog), "contradicts")
            qtbot.keyClick(name_field(dialog), Qt.Key.Key_Return)
            description = widget(dialog, QLineEdit, "relationTypeDescription")
            type_into(qtbot, description, "The child span refutes the head span")
            seen.append(error_text(dialog))
            seen.extend(shown_names(dialog))
            qtbot.mouseClick(
                dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Close),
                Qt.MouseButton.LeftButton,
            )
            seen.append("open" if dialog.isVisible() else "closed")
        finally:
            dialog.reject()  # never leave the modal dialog open

    QTimer.singleShot(0, in_the_dialog)
    window.action_table.by_name["labels"].trigger()
    assert seen == ["new_type", "", *DEFAULTS, "contradicts", "closed"]
    assert window.project.relation_type_rows()[-1] == {
        "name": "contradicts",
        "description": "The child span refutes the head span",
        "links": 0,
    }
    assert window.project.labels()[-1].name == "number"  # Alt+A added no label

    from tests.ui.test_links_notes import label, links

    offered: list[str] = []

    window.activateWindow()  # label keys are window shortcuts: back to the window
    qtbot.waitUntil(window.isActiveWindow)
    place = label(window, qtbot, "Bakhmut", "location")
    source = label(window, qtbot, "Yevgeny Prigozhin", "source")
    window.selection.select(source)
    qtbot.keyClick(window.article_view, Qt.Key.Key_R)
    pick_in_next_menu(qtbot, "contradicts", offered)  # the new type, last in the menu
    window.linking.finish(place)
    assert offered == [*DEFAULTS, "contradicts"]
    assert links(window) == [("Yevgeny Prigozhin", "contradicts", "Bakhmut")]
    window.navigator.mark("done")
    out = tmp_path / "out.jsonl"
    export(window.project, "jsonl", out, Selection())
    record = orjson.loads(out.read_bytes().splitlines()[0])
    assert [r["label"] for r in record["relations"]] == ["contradicts"]


def test_renaming_a_type_in_use_renames_its_links_everywhere(
    open_window, qtbot: QtBot, tmp_path: Path
) -> None:
    from tests.ui.test_links_notes import label, links

    window = open_window()
    claim = "he said it had lost around 500 men"
    claim_id = label(window, qtbot, claim, "claim")
    source_id = label(window, qtbot, "Prigozhin", "source", 1)
    window.annotation.link(source_id, claim_id, window.project.relation_types())
    assert links(window) == [("Prigozhin", "attributed_to", claim)]

    dialog = open_link_types(qtbot, window.project, window)
    assert table_rows(dialog)[0][2] == 1
    click_row(qtbot, dialog, 0)
    type_into(qtbot, name_field(dialog), "said_by")

    assert error_text(dialog) == ""
    assert shown_names(dialog) == ["said_by", "part_of"]
    assert dialog.link_types.current_type() == {
        "name": "said_by",
        "description": "A source span and the claim it makes.",
        "links": 1,
    }
    assert links(window) == [("Prigozhin", "said_by", claim)]  # what the project stores
    # The window's link list shows the new name at once.
    assert window.relations.rows() == [f'source "Prigozhin" → said_by → claim "{claim}"']
    dialog.close()
    out = tmp_path / "out.jsonl"
    export(window.project, "jsonl", out, Selection(frozenset()))
    record = orjson.loads(out.read_bytes().splitlines()[0])
    assert [r["label"] for r in record["relations"]] == ["said_by"]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("Part_Of", "link type 'Part_Of' exists already (as 'part_of')"),
        (" ", "a link type needs a name"),
        ("two words", "a link type is one word, e.g. contradicts, not 'two words'"),
    ],
)
def test_refused_names_are_shown_not_raised(
    qtbot: QtBot, project: Project, changes: list[ChangeSet], typed: str, message: str
) -> None:
    dialog = open_link_types(qtbot, project)
    type_into(qtbot, name_field(dialog), typed)
    assert error_text(dialog) == message
    assert widget(dialog, QLabel, "relationTypesError").isVisible()
    assert project.relation_types() == DEFAULTS
    assert changes == []
    type_into(qtbot, name_field(dialog), "said_by")  # fixing it clears the message
    assert error_text(dialog) == ""
    assert project.relation_types() == ["said_by", "part_of"]


def test_remove_refuses_a_type_in_use_and_says_how_many_links(
    qtbot: QtBot, linked_project: Project
) -> None:
    dialog = open_link_types(qtbot, linked_project)
    click_row(qtbot, dialog, 1)
    click(qtbot, dialog, "removeRelationType")
    assert linked_project.relation_types() == DEFAULTS
    assert error_text(dialog) == (
        "link type 'part_of' cannot be deleted: 2 links use it; delete those links first"
    )
    assert widget(dialog, QLabel, "labelsError").text() == ""  # the other tab's line

    click_row(qtbot, dialog, 0)
    click(qtbot, dialog, "removeRelationType")  # attributed_to is unused
    assert linked_project.relation_types() == ["part_of"]
    assert error_text(dialog) == ""
    assert shown_names(dialog) == ["part_of"]
    assert dialog.link_types.current_type()["name"] == "part_of"


def test_move_up_and_down_keep_the_type_selected(
    qtbot: QtBot, project: Project, changes: list[ChangeSet]
) -> None:
    project.add_relation_type("contradicts")
    changes.clear()
    dialog = open_link_types(qtbot, project)
    click_row(qtbot, dialog, 2)
    click(qtbot, dialog, "moveRelationTypeUp")
    assert project.relation_types() == ["attributed_to", "contradicts", "part_of"]
    click(qtbot, dialog, "moveRelationTypeUp")
    assert project.relation_types() == ["contradicts", *DEFAULTS]
    assert shown_names(dialog) == project.relation_types()
    assert name_field(dialog).text() == "contradicts"
    assert not widget(dialog, QPushButton, "moveRelationTypeUp").isEnabled()

    qtbot.keyClick(dialog.link_types.table, Qt.Key.Key_D, ALT)  # Move down, by its mnemonic
    qtbot.waitUntil(lambda: project.relation_types()[0] == "attributed_to")
    assert project.relation_types() == ["attributed_to", "contradicts", "part_of"]
    assert [label.name for label in project.labels()][:2] == ["claim", "source"]  # untouched
    assert [c.kinds() for c in changes] == [{"relation_types"}] * 3


def test_double_clicking_a_description_goes_to_its_field(qtbot: QtBot, project: Project) -> None:
    dialog = open_link_types(qtbot, project)
    view = dialog.link_types.table
    rect = view.visualRect(view.model().index(1, RelationTypeTableModel.DESCRIPTION))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    description = widget(dialog, QLineEdit, "relationTypeDescription")
    assert description.hasFocus()
    type_into(qtbot, description, "Inside the claim", enter=False)
    name_field(dialog).setFocus()  # leaving the field applies it
    qtbot.waitUntil(lambda: project.relation_type_rows()[1]["description"] == "Inside the claim")
    assert table_rows(dialog)[1][1] == "Inside the claim"


def test_changes_made_elsewhere_show_up(qtbot: QtBot, linked_project: Project) -> None:
    dialog = open_link_types(qtbot, linked_project)
    linked_project.add_relation_type("cites")
    assert shown_names(dialog) == [*DEFAULTS, "cites"]
    linked_project.update_relation_type("attributed_to", name="said_by")
    assert name_field(dialog).text() == "said_by"  # the selected one, renamed
    spans = linked_project.spans(1)
    linked_project.add_relation(spans[0].id, spans[1].id, "cites")
    assert table_rows(dialog)[2][2] == 1  # a new link is counted
    dialog.close()
    linked_project.add_relation_type("quotes")  # a closed dialog does not listen
    assert "quotes" not in shown_names(dialog)
    dialog.show()
    assert shown_names(dialog)[-1] == "quotes"


def test_a_read_only_project_shows_its_types_but_not_edits(qtbot: QtBot, project: Project) -> None:
    project.close()
    with Project.open(project.path, readonly=True) as readonly:
        dialog = open_link_types(qtbot, readonly)
        assert shown_names(dialog) == DEFAULTS
        for name in ("addRelationType", "removeRelationType", "moveRelationTypeDown"):
            assert not widget(dialog, QPushButton, name).isEnabled(), name
        assert not name_field(dialog).isEnabled()
        dialog.close()


def test_editing_a_type_elsewhere_keeps_the_windows_undo(open_window, qtbot: QtBot) -> None:
    """Describing, moving or renaming a type keeps the history: steps refer to link types
    by their ids, so undoing a link after its type was renamed puts back the new name."""
    from tests.ui.test_links_notes import label, links

    window = open_window()
    label(window, qtbot, "Bakhmut", "location")
    window.project.update_relation_type("part_of", description="Inside the claim")
    window.project.move_relation_type("part_of", 0)
    qtbot.keyClick(window.article_view, Qt.Key.Key_Z, CTRL)
    assert window.project.spans(window.current.id) == []  # the label was undone
    place = label(window, qtbot, "Bakhmut", "location")
    source = label(window, qtbot, "Yevgeny Prigozhin", "source")
    window.annotation.link(source, place, ["part_of"])
    (link,) = window.project.relations(window.current.id)
    window.annotation.delete_relation(link.id)
    window.project.update_relation_type("part_of", name="inside")
    assert "can no longer be undone" not in window.statusBar().currentMessage()
    qtbot.keyClick(window.article_view, Qt.Key.Key_Z, CTRL)  # the deleted link is back
    assert links(window) == [("Yevgeny Prigozhin", "inside", "Bakhmut")]
    assert window.session.undo_stack.canUndo()
