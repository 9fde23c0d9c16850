"""The window and its dialogs fit the screen they open on.

Every test runs on the session's offscreen screen (800×800 unless told otherwise), and
once more in a subprocess whose offscreen screen is a 1366×768 laptop's (the offscreen
platform reads its screens from a JSON file: ``-platform offscreen:configfile=FILE``).
Expected values come from Qt's own geometry: the screen's available area, the widgets'
global rectangles and the article's laid-out lines.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt, QTimer
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialogButtonBox, QWidget
from pytestqt.qtbot import QtBot

from factmark.core.agreement import agreement
from factmark.core.importing import collect_files, import_file
from factmark.core.project import Project
from factmark.ui.dialogs.export_dialog import ExportDialog
from factmark.ui.dialogs.import_report import ReportDialog
from factmark.ui.dialogs.labels_dialog import LabelsDialog
from factmark.ui.dialogs.shortcuts import ShortcutsDialog
from factmark.ui.dialogs.stats_dialog import StatsDialog
from factmark.ui.dialogs.team_dialogs import AgreementDialog
from factmark.ui.window.main_window import READABLE_CHARACTERS, MainWindow

SCREEN_CONFIG = "FACTMARK_TEST_SCREEN"  # the offscreen screens' JSON file, in the subprocess
LAPTOP = {"name": "Laptop", "x": 0, "y": 0, "width": 1366, "height": 768}


@pytest.fixture(scope="session")
def qapp_args(pytestconfig: pytest.Config) -> list[str]:
    """The application's arguments: the laptop's screen when the subprocess asks for it."""
    args = [pytestconfig.getini("qt_qapp_name")]
    config = os.environ.get(SCREEN_CONFIG)
    if config:
        args += ["-platform", f"offscreen:configfile={config}"]
    return args


def settle(qtbot: QtBot) -> None:
    """Let queued layout and deferred calls run."""
    for _ in range(3):
        qtbot.wait(10)
        QApplication.processEvents()


def available(widget: QWidget) -> QRect:
    return widget.screen().availableGeometry()


def global_rect(widget: QWidget) -> QRect:
    return QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())


def assert_on_screen(widget: QWidget, what: str) -> None:
    area = available(widget.window())
    assert widget.isVisible(), f"{what} is hidden"
    assert area.contains(global_rect(widget)), f"{what} {global_rect(widget)} is off {area}"


def line_lengths(window: MainWindow, paragraphs: int = 6) -> list[int]:
    """Characters on each full line (not a paragraph's last) of the first paragraphs."""
    block = window.article_view.document().firstBlock()
    lengths: list[int] = []
    while block.isValid() and paragraphs:
        layout = block.layout()
        lengths += [layout.lineAt(n).textLength() for n in range(layout.lineCount() - 1)]
        block = block.next()
        paragraphs -= 1
    return lengths


def laptop_or_wider(window: MainWindow) -> bool:
    return available(window).width() >= LAPTOP["width"]


def test_the_screen_is_the_one_asked_for(qapp: QApplication) -> None:
    geometry = qapp.primaryScreen().geometry()
    if os.environ.get(SCREEN_CONFIG):
        assert geometry == QRect(LAPTOP["x"], LAPTOP["y"], LAPTOP["width"], LAPTOP["height"])


def test_the_window_opens_inside_the_screen(open_window, qtbot: QtBot) -> None:
    window = open_window()
    area = available(window)
    assert area.contains(window.frameGeometry()), (window.frameGeometry(), area)
    assert_on_screen(window.statusBar(), "the status bar")
    window.find_bar.open_bar()
    settle(qtbot)
    assert_on_screen(window.find_bar, "the find bar")
    view = window.article_view
    view.moveCursor(QTextCursor.MoveOperation.End)
    view.ensureCursorVisible()
    settle(qtbot)
    end = view.cursorRect()
    assert view.viewport().rect().contains(end), "the article's last line is not in view"
    assert area.contains(QRect(view.viewport().mapToGlobal(end.topLeft()), end.size()))


def test_a_saved_geometry_too_big_for_the_screen_is_shrunk(open_window, qtbot: QtBot) -> None:
    window = open_window()
    area = available(window)
    window.resize(area.width() + 600, area.height() + 400)  # saved on a bigger screen
    path = Path(window.project.path)
    window.close()
    window.project.close()
    again = open_window(path)
    assert area.contains(again.frameGeometry()), (again.frameGeometry(), area)
    assert_on_screen(again.statusBar(), "the status bar")


def test_the_article_keeps_its_measure_with_the_panels_open(open_window, qtbot: QtBot) -> None:
    window = open_window()
    settle(qtbot)
    documents, article, side = window.splitter.sizes()
    assert documents > 0 and side > 0, "the side panels are open"
    assert not window.details.document_box.isVisible(), "the document's fields start folded"
    if laptop_or_wider(window):
        assert statistics.median(line_lengths(window)) >= READABLE_CHARACTERS
    else:  # a small screen: the article still has the larger share
        assert article > max(documents, side)


def test_the_document_fields_fold_and_the_window_remembers(open_window, qtbot: QtBot) -> None:
    window = open_window()
    toggle = window.details.document_toggle
    qtbot.mouseClick(toggle, Qt.MouseButton.LeftButton)
    assert window.details.document_box.isVisible()
    path = Path(window.project.path)
    window.close()
    window.project.close()
    again = open_window(path)
    assert again.details.document_box.isVisible()
    qtbot.mouseClick(again.details.document_toggle, Qt.MouseButton.LeftButton)
    assert not again.details.document_box.isVisible()
    assert again.settings.document_fields_open() is False


def test_the_guidelines_never_squeeze_the_article(open_window, qtbot: QtBot) -> None:
    window = open_window()
    qtbot.keyClick(window.article_view, Qt.Key.Key_F2)
    dock = window.guidelines_dock
    qtbot.waitUntil(dock.isVisible)
    settle(qtbot)
    if not dock.isFloating():
        assert statistics.median(line_lengths(window)) >= READABLE_CHARACTERS
        assert window.frameGeometry().width() <= available(window).width()
    if laptop_or_wider(window):
        assert not dock.isFloating(), "on a laptop the guidelines stay beside the article"
    qtbot.keyClick(window.article_view, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: not dock.isVisible())
    settle(qtbot)
    assert window.splitter.sizes()[0] > 0, "the document list is back"


@pytest.mark.parametrize("guidelines", [False, True])
def test_no_window_width_freezes_the_window(open_window, qtbot: QtBot, guidelines: bool) -> None:
    window = open_window()
    window.guidelines_dock.setVisible(guidelines)
    settle(qtbot)
    for width in [*range(600, 1367, 61), 1366, 900, 600]:
        window.resize(width, 700)
        settle(qtbot)  # a layout loop would never return from here
        assert window.article_view.viewport().width() > 0
        assert window.isVisible()


def _buttons(dialog: QWidget) -> list[QAbstractButton]:
    return [b for box in dialog.findChildren(QDialogButtonBox) for b in box.buttons()]


def test_no_dialog_is_taller_than_the_screen(
    open_window, qtbot: QtBot, corpus: Path, tmp_path: Path
) -> None:
    window = open_window()
    project = window.project
    for n in range(40):  # a long label list: charts and tables must scroll, not grow
        project.add_label(f"label number {n}", "", "#3366aa", "")
    files, _ = collect_files([corpus])
    with Project.open(tmp_path / "import.factmark") as other:
        reports = [import_file(other, f) for f in files]
    rows = [(row.text, row.keys) for row in window.action_table.shortcut_rows()]
    dialogs = {
        "labels": LabelsDialog(project, window),
        "statistics": StatsDialog(project, window),
        "agreement": AgreementDialog(project, agreement(project), window),
        "export": ExportDialog(project, window),
        "import report": ReportDialog(reports, window),
        "shortcuts": ShortcutsDialog(rows, window),
    }
    area = available(window)
    for name, dialog in dialogs.items():
        dialog.show()
        qtbot.waitExposed(dialog)
        settle(qtbot)
        frame = dialog.frameGeometry()
        assert frame.height() <= area.height(), f"{name} is taller than the screen"
        assert frame.width() <= area.width(), f"{name} is wider than the screen"
        assert area.contains(frame), f"{name} {frame} is off {area}"
        assert _buttons(dialog), name
        for button in _buttons(dialog):
            assert_on_screen(button, f"{name}'s {button.text()!r} button")
        dialog.close()


def run_on_screen(test_file: str, screen: dict[str, object], tmp_path: Path) -> str:
    """Run the tests of ``test_file`` in a process of its own whose offscreen screen is
    ``screen`` (its qapp_args read SCREEN_CONFIG); their output, once all passed."""
    config = tmp_path / "screens.json"
    config.write_text(json.dumps({"screens": [screen]}), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", test_file],
        env={**os.environ, SCREEN_CONFIG: str(config)},
        capture_output=True,
        text=True,
        timeout=600,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert "failed" not in result.stdout
    return result.stdout


@pytest.mark.skipif(bool(os.environ.get(SCREEN_CONFIG)), reason="runs the others")
def test_on_a_laptop_screen(tmp_path: Path) -> None:
    """All of the above on an offscreen screen of 1366×768, in a process of its own."""
    assert "1 skipped" in run_on_screen(__file__, LAPTOP, tmp_path)


def view_action(window: MainWindow, text: str):  # type: ignore[no-untyped-def]
    """The View menu's item with this text (its & mnemonic left out)."""
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    return next(a for a in menu.actions() if a.text().replace("&", "") == text)


@pytest.mark.parametrize(("item", "place"), [("Document list", 0), ("Side panels", 2)])
def test_the_view_menu_folds_and_unfolds_each_panel(
    open_window, qtbot: QtBot, item: str, place: int
) -> None:
    window = open_window()
    settle(qtbot)
    action = view_action(window, item)
    before = window.splitter.sizes()
    assert action.isCheckable() and action.isChecked() and before[place] > 0
    action.trigger()
    settle(qtbot)
    folded = window.splitter.sizes()
    assert folded[place] == 0 and not action.isChecked()
    assert folded[1] == before[1] + before[place]  # the article has the width
    action.trigger()
    settle(qtbot)
    assert window.splitter.sizes() == before and action.isChecked()


def test_the_view_menu_tick_follows_a_panel_dragged_away(open_window, qtbot: QtBot) -> None:
    window = open_window()
    settle(qtbot)
    handle = window.splitter.handle(1)  # between the document list and the article
    middle = handle.rect().center()
    qtbot.mousePress(handle, Qt.MouseButton.LeftButton, pos=middle)
    away = QPoint(middle.x() - window.splitter.sizes()[0] - 50, middle.y())
    qtbot.mouseMove(handle, away)
    qtbot.mouseRelease(handle, Qt.MouseButton.LeftButton, pos=away)
    settle(qtbot)
    assert window.splitter.sizes()[0] == 0
    assert not view_action(window, "Document list").isChecked()


def _project_and_a_copy_deleting_its_spans(folder: Path, spans: int) -> tuple[Path, Path]:
    """A project with ``spans`` spans by olena, and marko's copy of it that deleted them
    all: merged back, the report lists each deletion (the first 50, the rest counted)."""
    from factmark.core.copies import make_copy
    from factmark.core.incoming import IncomingDocument, IncomingSpan

    words = "The minister said that forty two soldiers crossed the river near Bakhmut. " * 80
    lead, copy = folder / "lead.factmark", folder / "marko.factmark"
    with Project.open(lead) as project:
        starts = range(0, spans * 10, 10)
        incoming = [IncomingSpan(s, s + 7, "claim", annotator="olena") for s in starts]
        project.add_document(IncomingDocument(words, title="long", spans=incoming))
        make_copy(project, copy, "marko")
    with Project.open(copy) as marko:
        for span in marko.spans(1):
            marko.delete_span(span.id or 0)
    return lead, copy


def test_a_long_merge_report_fits_the_screen_and_closes_with_its_keys(
    open_window, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """File > Merge projects with a copy that deleted 300 spans: the report fits the
    screen's available area, its summary at the top and its Close button on screen and
    the default; every line of the report is in its list; Enter closes it, and Escape."""
    import shutil

    from factmark.core.merge import merge_projects

    lead, copy = _project_and_a_copy_deleting_its_spans(tmp_path, 300)
    twin = Path(shutil.copy(lead, tmp_path / "twin.factmark"))
    with Project.open(twin) as project:  # the same merge by the core: the report's lines
        (report,) = merge_projects(project, [copy])
    window = open_window(lead)
    monkeypatch.setattr(
        "factmark.ui.file_dialogs.open_file_names", lambda *_args: ([str(copy)], "")
    )
    seen: list[dict[str, object]] = []

    def look_and_press(key: Qt.Key) -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or dialog.objectName() == "mergeProgress" or not dialog.isVisible():
            return
        if dialog.objectName() != "mergeReport":  # another box: closed, to fail below
            seen.append({"other": dialog.objectName() or type(dialog).__name__})
            dialog.close()
            return
        settle(qtbot)
        area = available(window)
        close = next(b for b in _buttons(dialog) if b.text() == "Close")
        lines = dialog.findChild(QWidget, "mergeReportLines")
        summary = dialog.findChild(QWidget, "mergeSummary")
        seen.append(
            {
                "frame": dialog.frameGeometry(),
                "area": area,
                "default": close.isDefault(),
                "summary": summary.text(),
                "rows": [lines.item(n).text() for n in range(lines.count())],
            }
        )
        assert_on_screen(close, "the Close button")
        assert_on_screen(summary, "the summary")
        qtbot.keyClick(dialog.focusWidget() or dialog, key)

    for key in (Qt.Key.Key_Return, Qt.Key.Key_Escape):
        timer = QTimer()
        timer.timeout.connect(lambda key=key: look_and_press(key))
        timer.start(50)
        before = len(seen)
        window.action_table["mergeProjects"].trigger()  # returns once the report is closed
        timer.stop()
        assert len(seen) == before + 1, "no merge report was shown"
    first = seen[0]
    assert "other" not in first, first
    assert first["area"].contains(first["frame"]), first  # type: ignore[attr-defined]
    assert first["default"]
    assert str(first["summary"]).startswith(f"{copy}: 0 documents added")
    assert "300 spans deleted" in str(first["summary"])
    assert first["rows"] == report.lines()  # every line, none cut
    assert len(report.lines()) > 40
