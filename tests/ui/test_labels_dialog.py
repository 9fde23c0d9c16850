"""The Labels dialog edits the project's labels through its real widgets."""

from __future__ import annotations

from typing import TypeVar

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QColorDialog, QLabel, QLineEdit, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from factmark.core.changes import ChangeSet
from factmark.core.incoming import IncomingDocument
from factmark.core.model import Label
from factmark.core.project import Project
from factmark.ui.dialogs.labels_dialog import OKABE_ITO, LabelsDialog, LabelTableModel

TEXT = "The governor said 3 bridges near Kherson were repaired by the army."
DEFAULTS = ["claim", "source", "location", "number"]
W = TypeVar("W", bound=QWidget)


def open_dialog(qtbot: QtBot, project: Project) -> LabelsDialog:
    dialog = LabelsDialog(project)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def widget(dialog: LabelsDialog, kind: type[W], name: str) -> W:
    found = dialog.findChild(kind, name)
    assert found is not None, name
    return found


def click(qtbot: QtBot, dialog: LabelsDialog, name: str) -> None:
    button = widget(dialog, QPushButton, name)
    assert button.isEnabled(), f"{name} is disabled"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def click_row(qtbot: QtBot, dialog: LabelsDialog, row: int, column: int = 2) -> None:
    view = dialog.table
    rect = view.visualRect(view.model().index(row, column))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def type_into(qtbot: QtBot, edit: QLineEdit, text: str, enter: bool = True) -> None:
    """Replace the field's text by typing, as a person does, then press Enter."""
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, text)
    if enter:
        qtbot.keyClick(edit, Qt.Key.Key_Return)


def names(project: Project) -> list[str]:
    return [label.name for label in project.labels()]


def shown_names(dialog: LabelsDialog) -> list[str]:
    model = dialog.table.model()
    return [model.index(row, LabelTableModel.NAME).data() for row in range(model.rowCount())]


def error_text(dialog: LabelsDialog) -> str:
    return widget(dialog, QLabel, "labelsError").text()


@pytest.fixture
def changes(project: Project) -> list[ChangeSet]:
    heard: list[ChangeSet] = []
    project.subscribe(heard.append)
    return heard


@pytest.fixture
def used_project(project: Project) -> Project:
    """The fresh project with one document: two number spans and a location span."""
    added = project.add_document(IncomingDocument(TEXT, title="Bridges"))
    assert added is not None
    for substring, label in (("3", "number"), ("3 bridges", "number"), ("Kherson", "location")):
        start = TEXT.index(substring)
        project.add_span(added[0], start, start + len(substring), label)
    return project


def test_dialog_is_named_titled_and_lists_the_labels(qtbot: QtBot, used_project: Project) -> None:
    dialog = open_dialog(qtbot, used_project)
    assert dialog.objectName() == "labelsDialog"
    assert dialog.windowTitle() == "Labels"
    model = dialog.table.model()
    rows = [
        [model.index(row, column).data() for column in range(model.columnCount())]
        for row in range(model.rowCount())
    ]
    assert [row[:3] + row[4:] for row in rows] == [
        ["#E69F00", "1", "claim", 0],
        ["#56B4E9", "2", "source", 0],
        ["#009E73", "3", "location", 1],
        ["#CC79A7", "4", "number", 2],
    ]
    assert rows[0][3].startswith("A checkable statement")
    swatch = model.index(0, LabelTableModel.COLOUR).data(Qt.ItemDataRole.DecorationRole)
    assert swatch.pixmap(16, 16).toImage().pixelColor(8, 8) == QColor("#E69F00")
    # The first label is selected and shown in the fields.
    assert widget(dialog, QLineEdit, "labelName").text() == "claim"
    assert widget(dialog, QLineEdit, "labelKey").text() == "1"
    assert not widget(dialog, QPushButton, "moveLabelUp").isEnabled()


def test_add_then_type_a_name_and_a_key(
    qtbot: QtBot, project: Project, changes: list[ChangeSet]
) -> None:
    dialog = open_dialog(qtbot, project)
    click(qtbot, dialog, "addLabel")

    assert names(project) == [*DEFAULTS, "new label"]
    name_field = widget(dialog, QLineEdit, "labelName")
    assert name_field.hasFocus()
    assert name_field.selectedText() == "new label"  # typing replaces it

    qtbot.keyClicks(name_field, "weapon")
    qtbot.keyClick(name_field, Qt.Key.Key_Return)
    assert dialog.isVisible()  # Enter applied the name and did not close the dialog
    key_field = widget(dialog, QLineEdit, "labelKey")
    assert key_field.text() == "5"  # the first free digit
    key_field.setFocus()
    qtbot.keyClicks(key_field, "w")  # a typed key replaces the old one at once

    assert project.labels()[-1] == Label("weapon", "w", OKABE_ITO[3], "", 4)
    assert key_field.text() == "w"
    assert shown_names(dialog) == [*DEFAULTS, "weapon"]
    assert dialog.current_label() == project.labels()[-1]
    assert [c.kinds() - {"label_renamed"} for c in changes] == [{"labels"}] * 3  # one commit each
    assert error_text(dialog) == ""


def test_adding_twice_picks_free_names_keys_and_colours(qtbot: QtBot, project: Project) -> None:
    dialog = open_dialog(qtbot, project)
    click(qtbot, dialog, "addLabel")
    click(qtbot, dialog, "addLabel")
    added = project.labels()[4:]
    assert [(x.name, x.key, x.colour) for x in added] == [
        ("new label", "5", "#F0E442"),
        ("new label 2", "6", "#0072B2"),
    ]


def test_renaming_in_the_field_carries_spans_along(qtbot: QtBot, used_project: Project) -> None:
    dialog = open_dialog(qtbot, used_project)
    click_row(qtbot, dialog, 3)
    name_field = widget(dialog, QLineEdit, "labelName")
    assert name_field.text() == "number"

    type_into(qtbot, name_field, "quantity")

    assert names(used_project) == ["claim", "source", "location", "quantity"]
    assert sorted(span.label for span in used_project.spans(1)) == [
        "location",
        "quantity",
        "quantity",
    ]
    assert shown_names(dialog)[3] == "quantity"
    assert dialog.current_label() == used_project.labels()[3]


def test_description_is_saved_when_the_field_is_left(qtbot: QtBot, project: Project) -> None:
    dialog = open_dialog(qtbot, project)
    click_row(qtbot, dialog, 1)
    description = widget(dialog, QLineEdit, "labelDescription")
    type_into(qtbot, description, "Who said it", enter=False)
    widget(dialog, QLineEdit, "labelName").setFocus()  # leaving the field applies it
    qtbot.waitUntil(lambda: project.labels()[1].description == "Who said it")
    assert dialog.table.model().index(1, LabelTableModel.DESCRIPTION).data() == "Who said it"


def test_move_up_and_down_keep_the_label_selected(
    qtbot: QtBot, project: Project, changes: list[ChangeSet]
) -> None:
    dialog = open_dialog(qtbot, project)
    click_row(qtbot, dialog, 3)
    click(qtbot, dialog, "moveLabelUp")
    assert names(project) == ["claim", "source", "number", "location"]
    click(qtbot, dialog, "moveLabelUp")
    click(qtbot, dialog, "moveLabelUp")
    assert names(project) == ["number", "claim", "source", "location"]
    assert shown_names(dialog) == names(project)
    assert dialog.current_label() == project.labels()[0]
    assert not widget(dialog, QPushButton, "moveLabelUp").isEnabled()

    click(qtbot, dialog, "moveLabelDown")
    assert names(project) == ["claim", "number", "source", "location"]
    assert [label.key for label in project.labels()] == ["1", "4", "2", "3"]
    assert [c.kinds() - {"label_renamed"} for c in changes] == [{"labels"}] * 4


def test_remove_refuses_a_used_label_and_says_why(qtbot: QtBot, used_project: Project) -> None:
    dialog = open_dialog(qtbot, used_project)
    click_row(qtbot, dialog, 3)
    click(qtbot, dialog, "removeLabel")
    assert names(used_project) == DEFAULTS
    assert error_text(dialog) == (
        "label 'number' cannot be deleted: 2 spans use it; relabel or delete them first"
    )
    assert error_text(dialog) and widget(dialog, QLabel, "labelsError").isVisible()

    click_row(qtbot, dialog, 1)
    click(qtbot, dialog, "removeLabel")  # source is unused
    assert names(used_project) == ["claim", "location", "number"]
    assert error_text(dialog) == ""  # a change that worked clears the message
    assert shown_names(dialog) == ["claim", "location", "number"]
    assert dialog.current_label() == used_project.labels()[1]  # the next one is selected


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("labelKey", "2", "key '2' is taken by label 'source'"),
        ("labelName", "Source", "label 'Source' exists already (as 'source')"),
        ("labelName", " ", "a label needs a name"),
    ],
)
def test_refused_edits_are_shown_not_raised(
    qtbot: QtBot,
    project: Project,
    changes: list[ChangeSet],
    field: str,
    typed: str,
    message: str,
) -> None:
    dialog = open_dialog(qtbot, project)
    before = project.labels()
    type_into(qtbot, widget(dialog, QLineEdit, field), typed, enter=field != "labelKey")
    assert error_text(dialog) == message
    assert project.labels() == before
    assert changes == []


def test_fixing_a_refused_key_clears_the_message(qtbot: QtBot, project: Project) -> None:
    dialog = open_dialog(qtbot, project)
    key_field = widget(dialog, QLineEdit, "labelKey")
    type_into(qtbot, key_field, "3", enter=False)
    assert error_text(dialog).startswith("key '3' is taken")
    qtbot.keyClicks(key_field, "c")
    assert error_text(dialog) == ""
    assert project.labels()[0].key == "c"


def test_colour_button_offers_okabe_ito_and_applies_the_choice(
    qtbot: QtBot, project: Project
) -> None:
    dialog = open_dialog(qtbot, project)
    click_row(qtbot, dialog, 1)
    click(qtbot, dialog, "labelColour")
    chooser = dialog.findChild(QColorDialog, "labelColourDialog")
    assert chooser is not None and chooser.isVisible()
    assert chooser.currentColor() == QColor("#56B4E9")
    assert [QColorDialog.customColor(2 * n) for n in range(8)] == [QColor(c) for c in OKABE_ITO]

    chooser.setCurrentColor(QColor("#0072b2"))
    chooser.accept()

    assert project.labels()[1].colour == "#0072B2"
    assert dialog.table.model().index(1, LabelTableModel.COLOUR).data() == "#0072B2"


def test_cancelling_the_colour_chooser_changes_nothing(qtbot: QtBot, project: Project) -> None:
    dialog = open_dialog(qtbot, project)
    before = project.labels()
    click(qtbot, dialog, "labelColour")
    chooser = dialog.findChild(QColorDialog, "labelColourDialog")
    assert chooser is not None
    chooser.setCurrentColor(QColor("#000000"))
    chooser.reject()
    assert project.labels() == before


def test_double_clicking_a_key_goes_to_the_key_field(qtbot: QtBot, project: Project) -> None:
    dialog = open_dialog(qtbot, project)
    view = dialog.table
    rect = view.visualRect(view.model().index(2, LabelTableModel.KEY))
    # A real double-click is a click followed by a double-click event (QTest sends only the
    # second part, which item views ignore without the press before it).
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    key_field = widget(dialog, QLineEdit, "labelKey")
    assert key_field.hasFocus()
    assert key_field.text() == "3"


def test_changes_made_elsewhere_show_up(qtbot: QtBot, project: Project) -> None:
    dialog = open_dialog(qtbot, project)
    project.add_label("date", key="d")
    assert shown_names(dialog) == [*DEFAULTS, "date"]
    project.update_label("claim", name="assertion")
    assert shown_names(dialog)[0] == "assertion"
    assert widget(dialog, QLineEdit, "labelName").text() == "assertion"


def test_a_closed_dialog_stops_listening(qtbot: QtBot, project: Project) -> None:
    dialog = open_dialog(qtbot, project)
    dialog.close()
    project.add_label("date")  # must not touch the closed dialog
    assert dialog.table.model().rowCount(QModelIndex()) == 4
    dialog.show()  # shown again, it listens again and catches up
    assert shown_names(dialog) == [*DEFAULTS, "date"]
    QApplication.processEvents()


def test_a_read_only_project_can_be_looked_at_but_not_edited(
    qtbot: QtBot, project: Project
) -> None:
    project.close()
    with Project.open(project.path, readonly=True) as readonly:
        dialog = open_dialog(qtbot, readonly)
        assert shown_names(dialog) == DEFAULTS
        for name in ("addLabel", "removeLabel", "moveLabelDown", "labelColour"):
            assert not widget(dialog, QPushButton, name).isEnabled(), name
        assert not widget(dialog, QLineEdit, "labelName").isEnabled()
        dialog.close()


def test_a_renamed_label_reaches_the_window_toolbar_and_keys(open_window, qtbot) -> None:
    from PySide6.QtCore import Qt

    from tests.ui.helpers import drag_select
    from tests.ui.test_annotation import find, stored

    window = open_window()
    window.project.update_label("location", name="place", key="7")
    assert "label_place" in window.action_table.by_name
    assert "label_location" not in window.action_table.by_name
    start = find(window, "Bakhmut")
    drag_select(window.article_view, start, start + 7)
    qtbot.keyClick(window.article_view, Qt.Key.Key_7)
    assert stored(window) == [("place", "Bakhmut")]


# -- edits as undo steps of the window -------------------------------------------------------

CTRL = Qt.KeyboardModifier.ControlModifier


def in_labels_dialog(window, qtbot: QtBot, edit) -> None:
    """Open Edit > Labels… from the window's action (a modal dialog), run ``edit(dialog)``
    in it, then close it with its Close button; back in the window afterwards."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QDialogButtonBox

    done: list[bool] = []

    def in_the_dialog(tries: int = 250) -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, LabelsDialog):
            if tries:  # for 5 s at most
                QTimer.singleShot(20, lambda: in_the_dialog(tries - 1))
            return
        try:
            dialog.activateWindow()
            qtbot.waitUntil(dialog.isActiveWindow)
            edit(dialog)
            close = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Close)
            qtbot.mouseClick(close, Qt.MouseButton.LeftButton)
            done.append(True)
        finally:
            dialog.reject()  # never leave the modal dialog open

    QTimer.singleShot(0, in_the_dialog)
    window.action_table.by_name["labels"].trigger()
    assert done == [True]
    window.activateWindow()  # the window's keys act in the active window
    qtbot.waitUntil(window.isActiveWindow)


def rename_in_dialog(qtbot: QtBot, dialog: LabelsDialog, row: int, new: str) -> None:
    click_row(qtbot, dialog, row)
    type_into(qtbot, widget(dialog, QLineEdit, "labelName"), new)
    assert error_text(dialog) == ""


def undo(window, qtbot: QtBot) -> None:
    qtbot.keyClick(window.article_view, Qt.Key.Key_Z, CTRL)


def test_a_rename_in_the_dialog_is_undone_with_ctrl_z(open_window, qtbot: QtBot) -> None:
    window = open_window()
    in_labels_dialog(window, qtbot, lambda dialog: rename_in_dialog(qtbot, dialog, 2, "place"))
    assert names(window.project)[2] == "place"
    assert "label_place" in window.action_table.by_name
    assert window.session.undo_stack.undoText() == "Rename label location to place"

    undo(window, qtbot)

    assert names(window.project) == DEFAULTS
    assert "label_location" in window.action_table.by_name
    assert "label_place" not in window.action_table.by_name
    assert window.action_table.by_name["label_location"].isEnabled()
    qtbot.keyClick(window.article_view, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert names(window.project)[2] == "place"  # and redone
    assert "label_place" in window.action_table.by_name


def test_a_relabel_before_a_rename_is_undone_after_it(open_window, qtbot: QtBot) -> None:
    from tests.ui.test_annotation import KEYS, stored
    from tests.ui.test_links_notes import label

    window = open_window()
    label(window, qtbot, "Bakhmut", "claim")
    qtbot.keyClick(window.article_view, KEYS["source"])  # still selected: relabel it
    assert stored(window) == [("source", "Bakhmut")]
    in_labels_dialog(window, qtbot, lambda dialog: rename_in_dialog(qtbot, dialog, 1, "speaker"))
    assert stored(window) == [("speaker", "Bakhmut")]
    assert "can no longer be undone" not in window.statusBar().currentMessage()

    undo(window, qtbot)  # the rename
    assert stored(window) == [("source", "Bakhmut")]
    undo(window, qtbot)  # the relabel
    assert stored(window) == [("claim", "Bakhmut")]
    assert names(window.project) == DEFAULTS


def test_a_relabel_undone_while_the_rename_stays(open_window, qtbot: QtBot) -> None:
    """A rename made outside the window's history (another program) breaks no step."""
    from tests.ui.test_annotation import KEYS, stored
    from tests.ui.test_links_notes import label

    window = open_window()
    label(window, qtbot, "Bakhmut", "claim")
    qtbot.keyClick(window.article_view, KEYS["source"])
    window.project.update_label("claim", name="assertion")
    assert window.session.undo_stack.canUndo()
    undo(window, qtbot)
    assert stored(window) == [("assertion", "Bakhmut")]


def test_every_edit_of_the_dialog_is_one_undo_step(open_window, qtbot: QtBot) -> None:
    window = open_window()
    project = window.project
    before = [(label, label.id) for label in project.labels()]
    types_before = project.relation_type_entries()

    def edit(dialog: LabelsDialog) -> None:
        click(qtbot, dialog, "addLabel")  # "new label", then named
        type_into(qtbot, widget(dialog, QLineEdit, "labelName"), "weapon")
        click_row(qtbot, dialog, 0)
        click(qtbot, dialog, "moveLabelDown")
        type_into(qtbot, widget(dialog, QLineEdit, "labelDescription"), "Said to be true")
        click_row(qtbot, dialog, 4)
        click(qtbot, dialog, "removeLabel")  # weapon, unused
        dialog.link_types.add_type()
        dialog.link_types.move_type(-1)

    in_labels_dialog(window, qtbot, edit)
    stack = window.session.undo_stack
    assert [stack.text(n) for n in range(stack.count())] == [
        "Add label new label",
        "Rename label new label to weapon",
        "Move label claim",
        "Describe label claim",
        "Delete label weapon",
        "Add link type new_type",
        "Move link type new_type",
    ]
    for _ in range(stack.count()):
        undo(window, qtbot)
    assert [(label, label.id) for label in project.labels()] == before
    assert project.relation_type_entries() == types_before


def test_a_refused_edit_says_why_in_the_dialog_and_leaves_no_step(
    open_window, qtbot: QtBot
) -> None:
    window = open_window()
    seen: list[str] = []

    def edit(dialog: LabelsDialog) -> None:
        type_into(qtbot, widget(dialog, QLineEdit, "labelName"), "Source")
        seen.append(error_text(dialog))
        dialog.link_types.name_edit.setText("two words")
        dialog.link_types.name_edit.editingFinished.emit()
        seen.append(widget(dialog, QLabel, "relationTypesError").text())

    in_labels_dialog(window, qtbot, edit)
    assert seen == [
        "label 'Source' exists already (as 'source')",
        "a link type is one word, e.g. contradicts, not 'two words'",
    ]
    assert names(window.project) == DEFAULTS
    assert window.session.undo_stack.count() == 0


def test_a_refusal_appearing_or_going_moves_no_button(qtbot: QtBot, used_project: Project) -> None:
    """The refusal's line is kept when empty: the buttons stay under the pointer."""
    dialog = open_dialog(qtbot, used_project)
    colour = widget(dialog, QPushButton, "labelColour")
    remove = widget(dialog, QPushButton, "removeLabel")

    def places() -> tuple[int, int]:
        return colour.mapTo(dialog, colour.rect().topLeft()).y(), remove.mapTo(
            dialog, remove.rect().topLeft()
        ).y()

    click_row(qtbot, dialog, 3)
    before = places()
    click(qtbot, dialog, "removeLabel")  # number is used: refused, with a one-line reason
    assert error_text(dialog)
    qtbot.wait(50)  # the layout settles
    assert places() == before
    click_row(qtbot, dialog, 1)
    click(qtbot, dialog, "removeLabel")  # source is unused: removed, the message cleared
    assert error_text(dialog) == ""
    qtbot.wait(50)
    assert places() == before


def test_edit_labels_shows_a_key_as_the_toolbar_does(open_window, qtbot: QtBot) -> None:
    """A letter key typed as "w" in Edit > Labels: the dialog's key column and tooltip show
    it as the toolbar button and the Label menu do, "W" (how Qt spells a key to the user),
    not "w" beside "W"."""
    window = open_window()
    seen: dict[str, str] = {}

    def add_with_key(dialog: LabelsDialog) -> None:
        click(qtbot, dialog, "addLabel")
        name_field = widget(dialog, QLineEdit, "labelName")
        qtbot.keyClicks(name_field, "weapon")
        qtbot.keyClick(name_field, Qt.Key.Key_Return)
        key_field = widget(dialog, QLineEdit, "labelKey")
        key_field.setFocus()
        qtbot.keyClicks(key_field, "w")
        model = dialog.table.model()
        row = shown_names(dialog).index("weapon")
        seen["column"] = model.index(row, LabelTableModel.KEY).data()
        seen["tip"] = model.index(row, LabelTableModel.NAME).data(Qt.ItemDataRole.ToolTipRole)

    in_labels_dialog(window, qtbot, add_with_key)
    assert window.project.labels()[-1].key == "w"  # stored as typed
    button = window.action_table.by_name["label_weapon"]
    assert button.iconText().split()[0] == "W"  # the toolbar
    assert seen["column"] == "W"
    assert seen["tip"].startswith("weapon (key W, ")


def test_a_rename_and_its_undo_show_a_busy_pointer_while_spans_follow(
    open_window, qtbot: QtBot, monkeypatch
) -> None:
    """Renaming a label rewrites every span of it (seconds on an archive): the pointer is
    Qt's busy one while the spans follow, for the rename and for Ctrl+Z, and is given back
    after; a key change rewrites no span and leaves the pointer alone."""
    from PySide6.QtGui import QGuiApplication

    window = open_window()
    pointers: list[object] = []
    real = type(window.project).update_label

    def watched(project, name, /, **changes):  # type: ignore[no-untyped-def]
        cursor = QGuiApplication.overrideCursor()
        pointers.append(None if cursor is None else cursor.shape())
        return real(project, name, **changes)

    monkeypatch.setattr(type(window.project), "update_label", watched)
    in_labels_dialog(window, qtbot, lambda dialog: rename_in_dialog(qtbot, dialog, 2, "place"))
    undo(window, qtbot)
    assert pointers == [Qt.CursorShape.WaitCursor, Qt.CursorShape.WaitCursor]
    assert QGuiApplication.overrideCursor() is None

    def new_key(dialog: LabelsDialog) -> None:
        click_row(qtbot, dialog, 2)
        type_into(qtbot, widget(dialog, QLineEdit, "labelKey"), "9")

    in_labels_dialog(window, qtbot, new_key)
    assert pointers[2:] == [None]


def test_a_name_over_100_characters_is_refused_in_the_dialog(
    qtbot: QtBot, project: Project
) -> None:
    dialog = open_dialog(qtbot, project)
    click_row(qtbot, dialog, 0)
    name_field = widget(dialog, QLineEdit, "labelName")

    type_into(qtbot, name_field, "c" * 101)

    assert names(project) == DEFAULTS
    assert error_text(dialog) == (
        f"a label name is at most 100 characters, not 101 ('{'c' * 30}'…); "
        "put the rest in its description"
    )
    type_into(qtbot, name_field, "c" * 100)  # at the limit: taken
    assert names(project) == ["c" * 100, *DEFAULTS[1:]]
    assert error_text(dialog) == ""
