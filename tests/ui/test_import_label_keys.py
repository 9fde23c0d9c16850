"""Labels an import adds in the window come with a key and a colour of their own: the report
names them with their keys, and the key labels a selection at once."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from factmark.core.importing import FileReport
from factmark.core.model import Label
from factmark.ui.dialogs.import_report import ReportDialog
from factmark.ui.window.main_window import MainWindow
from tests.ui.helpers import drag_select
from tests.ui.test_import_labels import TSV, XMI, stored_rows
from tests.ui.test_jobs import watch
from tests.ui.test_projects import drop

DEFAULT = ["claim", "source", "location", "number"]
# The labels the two INCEpTION files bring, in the order the files name them (see
# tests/ui/test_import_labels.py).
ADDED = ["LOC", "NamedEntity", "[wave]", "PER", "quote"]


def portable(key: str) -> str:
    return QKeySequence(key).toString(QKeySequence.SequenceFormat.PortableText).upper()


def window_shortcuts(window: MainWindow) -> dict[str, str]:
    """Every key a QAction of the window other than a label's takes, with its action."""
    taken = {}
    for action in window.findChildren(QAction):
        if action.objectName().startswith("label_"):
            continue
        for shortcut in action.shortcuts():
            taken[shortcut.toString(QKeySequence.SequenceFormat.PortableText).upper()] = (
                action.objectName() or action.text()
            )
    return taken


def import_with_new_labels(qtbot: QtBot, window: MainWindow) -> list[ReportDialog]:
    """Drop the two files; once the first report has the keys, its "Add these labels and
    import again" button is clicked, and the second report is closed once it has them,
    as a person reads a report before closing it. Returns both reports."""
    seen: list[ReportDialog] = []

    def check() -> None:
        modal = QApplication.activeModalWidget()
        if isinstance(modal, ReportDialog) and modal not in seen and modal.isActiveWindow():
            seen.append(modal)
            if len(seen) == 1:
                qtbot.mouseClick(modal.add_labels_button, Qt.MouseButton.LeftButton)
            else:
                modal.reject()

    timer = watch(qtbot, check)
    try:
        drop(window, [XMI, TSV])
    finally:
        timer.stop()
    assert len(seen) == 2
    qtbot.waitUntil(window.isActiveWindow)  # the keys are back once the reports close
    return seen


def test_added_labels_get_free_keys_and_colours_and_label_from_the_keyboard(
    open_window, qtbot: QtBot, tmp_path: Path
) -> None:
    path = tmp_path / "peers.factmark"
    window = open_window(path)
    first, second = import_with_new_labels(qtbot, window)
    assert first.added_labels.isHidden()  # the first import added nothing

    # The project as a bare sqlite3 reader sees it.
    rows = stored_rows(path, "SELECT name, key, colour FROM labels ORDER BY position")
    assert [name for name, _key, _colour in rows] == DEFAULT + ADDED
    keys = [key for _name, key, _colour in rows]
    assert all(keys), rows  # every added label got a key
    assert len({key.casefold() for key in keys}) == len(keys), rows
    colours = [colour.upper() for _name, _key, colour in rows]
    assert len(set(colours)) == len(colours), rows  # pairwise different
    assert "#999999" not in colours
    # No key of theirs is a key any other action of the window takes...
    taken = window_shortcuts(window)
    assert "R" in taken and "CTRL+Z" in taken  # (the oracle sees the window's keys)
    clashes = {key: taken[portable(key)] for key in keys if portable(key) in taken}
    assert clashes == {}
    # ... and each is bound to its label's action, on the toolbar.
    for name, key, _colour in rows:
        action = window.action_table[f"label_{name}"]
        assert [portable(s.toString()) for s in action.shortcuts()] == [portable(key)]

    # The report named them with those keys.
    named = ", ".join(f"{name} (key {key})" for name, key, _colour in rows[4:])
    assert second.added_labels.text() == f"Added labels: {named}."
    assert second.added_labels.isVisibleTo(second)
    assert f"Added labels: {named}." in second.text()  # and Copy takes it

    # The last one's key labels a selection: the span is stored with that label.
    quote_key = dict((name, key) for name, key, _colour in rows)["quote"]
    view = window.article_view
    word = next(w for w in ("says", "Kharkiv") if w in view.text)
    start = view.text.index(word)
    drag_select(view, start, start + len(word))
    qtbot.keyClick(view, quote_key)
    spans = stored_rows(
        path,
        'SELECT s.label, substr(d.text, s.start + 1, s."end" - s.start) FROM spans s '
        "JOIN documents d ON d.id = s.document_id",
    )
    assert ("quote", word) in spans


def test_the_report_says_where_to_give_a_key_when_none_was_free(qtbot: QtBot) -> None:
    report = FileReport(Path("peers.tsv"), documents=1, spans=2)
    report.added_labels = [Label("LOC", "", "#999999"), Label("PER", "", "#999999")]
    dialog = ReportDialog([report])
    qtbot.addWidget(dialog)
    assert dialog.added_labels.text() == (
        "Added labels: LOC (no key), PER (no key). "
        "No key was free for LOC, PER; give them one in Edit > Labels."
    )
    assert not dialog.added_labels.isHidden()
