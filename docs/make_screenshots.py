"""Regenerate the screenshots in docs/: ``python docs/make_screenshots.py``.

Runs offscreen on a throwaway default project, annotates the seed article with real
key presses, and saves each screen the README shows.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
work = Path(tempfile.mkdtemp(prefix="factmark-shots-"))
os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ["XDG_DATA_HOME"] = str(work / "data")
os.environ["XDG_CONFIG_HOME"] = str(work / "config")
sys.path.insert(0, str(HERE.parent / "desktop"))

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QColor, QPalette  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from factmark.core.importing import collect_files, import_file  # noqa: E402
from factmark.core.project import Project  # noqa: E402
from factmark.ui.app import application, create_main_window  # noqa: E402
from factmark.ui.dialogs.export_dialog import ExportDialog  # noqa: E402
from factmark.ui.dialogs.import_report import ReportDialog  # noqa: E402
from factmark.ui.dialogs.labels_dialog import LabelsDialog  # noqa: E402
from factmark.ui.dialogs.stats_dialog import StatsDialog  # noqa: E402
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
    QPalette.ColorRole.Window: "#2b2b2b", QPalette.ColorRole.WindowText: "#e6e6e6",
    QPalette.ColorRole.Base: "#1e1e1e", QPalette.ColorRole.AlternateBase: "#262626",
    QPalette.ColorRole.Text: "#e6e6e6", QPalette.ColorRole.Button: "#333333",
    QPalette.ColorRole.ButtonText: "#e6e6e6", QPalette.ColorRole.Highlight: "#2f65ca",
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.PlaceholderText: "#9a9a9a",
}


def save(widget: QWidget, name: str) -> None:
    widget.show()
    QApplication.processEvents()
    widget.grab().save(str(HERE / name))
    print(HERE / name)


def annotate(window: MainWindow) -> None:
    view = window.article_view
    for piece, key in SPANS:
        start = view.text.index(piece)
        view.select_range(start, start + len(piece))
        QTest.keyClick(view, getattr(Qt.Key, f"Key_{key}"))
    QApplication.processEvents()


def main() -> None:
    app = application()
    window = create_main_window()
    assert isinstance(window, MainWindow)
    window.resize(1360, 860)
    window.show()
    window.activateWindow()  # label keys are window shortcuts: they need an active window
    while not window.isActiveWindow():
        QApplication.processEvents()
    annotate(window)
    ids = {window.article_view.text[s.start:s.end]: s.id for s in window.spans.spans}
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
    os._exit(0)  # skip tearing down Qt objects at exit


if __name__ == "__main__":
    main()
