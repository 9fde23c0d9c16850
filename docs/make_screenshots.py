"""Regenerate the screenshots in docs/: ``python docs/make_screenshots.py`` (or into another
folder: ``python docs/make_screenshots.py FOLDER``).

Annotates the seed article of a throwaway default project with real key presses and saves
each screen the README shows. With a display (``DISPLAY`` set, e.g. the 1366×768 screen
of ``../shared/tools/xwindow``) it runs on the real X window with real fonts, so emoji and
CJK titles are drawn, and the window takes the size it takes on that screen; without one
it runs offscreen at a laptop's size.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
OUT.mkdir(parents=True, exist_ok=True)
work = Path(tempfile.mkdtemp(prefix="factmark-shots-"))
os.environ["QT_QPA_PLATFORM"] = "xcb" if os.environ.get("DISPLAY") else "offscreen"
os.environ["XDG_DATA_HOME"] = str(work / "data")
os.environ["XDG_CONFIG_HOME"] = str(work / "config")
sys.path.insert(0, str(HERE.parent / "desktop"))

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QColor, QPalette  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from factmark.core.agreement import agreement  # noqa: E402
from factmark.core.importing import collect_files, import_file  # noqa: E402
from factmark.core.project import Project  # noqa: E402
from factmark.ui.app import application, create_main_window  # noqa: E402
from factmark.ui.dialogs.export_dialog import ExportDialog  # noqa: E402
from factmark.ui.dialogs.import_report import ReportDialog  # noqa: E402
from factmark.ui.dialogs.labels_dialog import LabelsDialog  # noqa: E402
from factmark.ui.dialogs.stats_dialog import StatsDialog  # noqa: E402
from factmark.ui.dialogs.team_dialogs import AgreementDialog  # noqa: E402
from factmark.ui.window.main_window import MainWindow  # noqa: E402

SPANS = [
    ("Ukraine has pushed back the Russian army from some positions around Bakhmut", "1"),
    ("Bakhmut", "3"),
    ("commanders on both sides", "2"),
    ("Yevgeny Prigozhin", "2"),
    ("72nd Brigade", "2"),
    ("he said it had lost around 500 men", "1"),
    ("500", "4"),
]
DARK = {
    QPalette.ColorRole.Window: "#2b2b2b",
    QPalette.ColorRole.WindowText: "#e6e6e6",
    QPalette.ColorRole.Base: "#1e1e1e",
    QPalette.ColorRole.AlternateBase: "#262626",
    QPalette.ColorRole.Text: "#e6e6e6",
    QPalette.ColorRole.Button: "#333333",
    QPalette.ColorRole.ButtonText: "#e6e6e6",
    QPalette.ColorRole.Highlight: "#2f65ca",
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.PlaceholderText: "#9a9a9a",
}


def settle() -> None:
    for _ in range(20):
        QApplication.processEvents()
        QTest.qWait(10)


def save(widget: QWidget, name: str) -> None:
    widget.show()
    settle()
    widget.grab().save(str(OUT / name), "PNG", 0)  # 0: smallest file
    print(OUT / name)


def annotate(window: MainWindow) -> None:
    view = window.article_view
    for piece, key in SPANS:
        start = view.text.index(piece)
        view.select_range(start, start + len(piece))
        QTest.keyClick(view, getattr(Qt.Key, f"Key_{key}"))
    QApplication.processEvents()


def agree(window: MainWindow) -> None:
    """Two more annotators mark the seed article, a little differently."""
    project = window.project
    document = window.current
    assert document is not None and document.id is not None
    text = window.article_view.text
    for annotator, pieces in {
        "marko": [*SPANS[:5], ("lost around 500 men", "1"), ("500 men", "4")],
        "ines": [*SPANS[1:], ("Russian army", "2")],
    }.items():
        for piece, key in pieces:
            start = text.index(piece)
            label = project.labels()[int(key) - 1].name
            project.add_span(document.id, start, start + len(piece), label, annotator)


def main() -> None:
    app = application()
    window = create_main_window()
    assert isinstance(window, MainWindow)
    window.settings.set_annotator("olena")
    window.annotator_button.setText("Annotator: olena")
    if QApplication.platformName() == "offscreen":
        window.resize(1358, 732)  # what it takes on a 1366×768 laptop
    window.show()
    window.activateWindow()  # label keys are window shortcuts: they need an active window
    for _ in range(500):
        if window.isActiveWindow():
            break
        QTest.qWait(10)
    annotate(window)
    ids = {window.article_view.text[s.start : s.end]: s.id for s in window.spans.spans}
    claim = ids["he said it had lost around 500 men"]
    for head in ("Yevgeny Prigozhin", "500"):
        window.selection.select(ids[head])
        window.linking.start()
        window.linking.finish(claim)
    window.selection.select(claim)
    QTest.keyClick(window.article_view, Qt.Key.Key_Y, Qt.KeyboardModifier.AltModifier)
    window.annotation.set_note(claim, "ISW counted about 100; ask the brigade's press office.")
    window.navigator.mark("done")
    save(window, "main-window.png")
    QTest.keyClick(window.article_view, Qt.Key.Key_F2)  # the guidelines dock, being edited
    QTest.mouseClick(window.guidelines_panel.edit_button, Qt.MouseButton.LeftButton)
    save(window, "guidelines-edit.png")
    window.guidelines_panel.cancel()
    window.guidelines_dock.hide()
    save(StatsDialog(window.project, window), "statistics.png")
    save(LabelsDialog(window.project, window), "labels.png")
    link_types = LabelsDialog(window.project, window)
    link_types.tabs.setCurrentWidget(link_types.link_types)
    save(link_types, "link-types.png")
    save(ExportDialog(window.project, window), "export.png")
    corpus = HERE.parent.parent / "shared" / "corpus"
    if corpus.is_dir():
        files, _ = collect_files([corpus])
        with Project.open(work / "import.factmark") as other:
            reports = [import_file(other, f) for f in files]
        save(ReportDialog(reports, window), "import-report.png")
    palette = QPalette()
    for role, colour in DARK.items():
        palette.setColor(role, QColor(colour))
    app.setPalette(palette)
    save(window, "main-window-dark.png")
    app.setPalette(QPalette())
    agree(window)
    save(AgreementDialog(window.project, agreement(window.project), window), "agreement.png")
    os._exit(0)  # skip tearing down Qt objects at exit


if __name__ == "__main__":
    main()
