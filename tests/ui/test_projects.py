"""Opening, creating and switching projects in the window."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from pytestqt.qtbot import QtBot

from factmark.core.importing import import_file
from factmark.core.project import Project
from factmark.ui.window.main_window import MainWindow
from tests.ui.helpers import drag_select
from tests.ui.test_annotation import KEYS, find, stored


def drop(window: MainWindow, paths: list[Path]) -> None:
    """Drop files on the window as a file manager would.

    Qt delivers drop events only during a real drag session, which a test cannot
    start, so the enter and drop events go to the window's handlers directly.
    """
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    enter = QDragEnterEvent(
        QPoint(400, 300),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dragEnterEvent(enter)
    assert enter.isAccepted()
    event = QDropEvent(
        QPointF(400, 300),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)


def test_dropping_a_project_file_opens_it(
    open_window, qtbot: QtBot, tmp_path: Path, corpus: Path
) -> None:
    other = tmp_path / "other.factmark"
    with Project.open(other) as project:
        import_file(project, corpus / "zh-shanghai.txt")
    window = open_window()
    start = find(window, "Bakhmut")
    drag_select(window.article_view, start, start + 7)
    qtbot.keyClick(window.article_view, KEYS["location"])
    drop(window, [other])
    assert window.project.path == other
    assert window.article_view.text.startswith("据新华社报道")
    assert window.document_list.model().rowCount() == 1
    assert other.stem in window.windowTitle()
    # Undo does not reach into the project left behind.
    assert not window.action_table.by_name["undo"].isEnabled()
    assert window.settings.recent_projects()[0] == other.resolve()


def test_a_bad_project_file_gets_a_message_and_the_window_stays(
    open_window, qtbot: QtBot, tmp_path: Path, monkeypatch
) -> None:
    bad = tmp_path / "notes.factmark"
    bad.write_text("not a database")
    window = open_window()
    shown = []
    monkeypatch.setattr(
        "factmark.ui.window.files.QMessageBox.warning",
        lambda _parent, title, text: shown.append((title, text)),
    )
    assert not window.files.open_project_file(bad)
    assert shown == [
        ("Cannot open project", f"{bad}: not a Factmark project (not an SQLite database)")
    ]
    assert window.project.path.name == "default.factmark"
    assert bad.read_text() == "not a database"


def test_new_project_starts_empty_and_labels_work(
    open_window, qtbot: QtBot, tmp_path: Path, corpus: Path
) -> None:
    window = open_window()
    fresh = tmp_path / "fresh.factmark"
    assert window.files.open_project_file(fresh)
    assert window.document_list.model().rowCount() == 0
    assert window.article_view.toPlainText() == ""
    qtbot.keyClick(window.article_view, KEYS["claim"])  # nothing to label: no crash, no span
    with Project.open(fresh) as project:
        import_file(project, corpus / "fr-combining.txt")
    window.documents.model.reload()
    window.navigator.show(window.documents.model.documents[0].id)
    start = find(window, "Marseille")
    drag_select(window.article_view, start, start + len("Marseille"))
    qtbot.keyClick(window.article_view, KEYS["location"])
    assert stored(window) == [("location", "Marseille")]


def test_dropping_article_files_imports_them_and_reports(
    open_window, qtbot: QtBot, corpus: Path, tmp_path: Path
) -> None:
    from factmark.ui.dialogs.import_report import ReportDialog
    from tests.ui.test_jobs import answer_modal

    window = open_window(tmp_path / "empty.factmark")
    assert window.document_list.model().rowCount() == 0
    seen: list = []
    timer = answer_modal(qtbot, ReportDialog, seen)
    try:
        drop(window, [corpus / "annotated.jsonl", corpus / "bad" / "binary.txt"])
    finally:
        timer.stop()
    report = seen[0].text()
    assert "annotated.jsonl: imported 3 documents, 16 spans" in report
    assert "binary.txt: error: binary file" in report
    model = window.document_list.model()
    assert [model.index(r, 0).data() for r in range(3)] == ["Lagos water post", "Харків", "上海"]
    assert window.article_view.text.startswith("🚨 BREAKING")  # the first one is shown
    assert len(window.spans.spans) == 7


def test_the_system_asking_to_open_a_project_opens_it(
    open_window, tmp_path: Path, corpus: Path
) -> None:
    from PySide6.QtGui import QFileOpenEvent
    from PySide6.QtWidgets import QApplication

    from factmark.ui.app import FileOpener

    other = tmp_path / "finder.factmark"
    with Project.open(other) as project:
        import_file(project, corpus / "ar-mosul.txt")
    window = open_window()
    app = QApplication.instance()
    opener = FileOpener(window, app)
    app.installEventFilter(opener)
    try:
        QApplication.sendEvent(app, QFileOpenEvent(str(other)))
    finally:
        app.removeEventFilter(opener)
    assert window.project.path == other
    assert window.article_view.text.startswith("قال وزير الصحة")


def test_the_document_shown_stays_highlighted_in_the_list_after_an_import(
    open_window, qtbot: QtBot, tmp_path: Path
) -> None:
    """An import reloads the list: the row of the document shown is highlighted again
    (it was left without one), whether the import brought documents or only duplicates."""
    from PySide6.QtWidgets import QDialog

    from factmark.ui.dialogs.import_report import ReportDialog
    from tests.ui.test_jobs import answer_modal

    window = open_window()
    qtbot.keyClick(window.article_view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    shown = window.current.id
    table = window.document_list

    def highlighted() -> list[int]:
        rows = table.selectionModel().selectedRows()
        return [int(r.data(Qt.ItemDataRole.UserRole)) for r in rows]

    assert highlighted() == [shown]
    seed = Path(__file__).parents[2] / "seeds" / "bakhmut-counterattack.txt"
    other = tmp_path / "new.txt"
    other.write_text("A new article about a new claim.", encoding="utf-8")
    for files in ([seed], [other]):  # only a duplicate; then a new document
        seen: list[QDialog] = []
        timer = answer_modal(qtbot, ReportDialog, seen)
        try:
            drop(window, files)
        finally:
            timer.stop()
        assert seen
        assert window.current.id == shown
        qtbot.waitUntil(lambda: highlighted() == [shown])
        assert table.currentIndex().data(Qt.ItemDataRole.UserRole) == shown
