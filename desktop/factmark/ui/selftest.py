"""``factmark selftest``: prove an installed build works, end to end, without a screen.

Opens the window offscreen on a temporary project holding the seed article, labels
a span through the window's own widgets, exports, and checks the export.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import orjson

from factmark.core.resources import seed_files

PIECE = "Yevgeny Prigozhin"


class SelftestError(Exception):
    """What went wrong, in one line."""


def selftest() -> str:
    """Run the check; returns the success line or raises SelftestError."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory(prefix="factmark-selftest-") as folder:
        work = Path(folder)
        # Keep the user's real settings and data out of it.
        os.environ["XDG_CONFIG_HOME"] = str(work / "config")
        os.environ["XDG_DATA_HOME"] = str(work / "data")
        from PySide6.QtCore import qInstallMessageHandler
        from PySide6.QtWidgets import QApplication, QToolButton

        from factmark.core.exporting import export
        from factmark.core.exporting.base import Selection
        from factmark.core.importing import import_file
        from factmark.core.project import Project
        from factmark.ui.app import create_main_window
        from factmark.ui.window.main_window import MainWindow
        from factmark.ui.window.settings import Settings

        qInstallMessageHandler(_quiet_offscreen)
        path = work / "selftest.factmark"
        seed = seed_files()[0]
        with Project.open(path) as project:
            report = import_file(project, seed)
            if report.documents != 1:
                raise SelftestError(f"importing the seed article failed: {report.lines()}")
        window = create_main_window(path, settings=Settings(work / "factmark.ini"))
        if not isinstance(window, MainWindow):
            raise SelftestError("the main window did not open")
        window.show()
        QApplication.processEvents()
        view = window.article_view
        start = view.text.find(PIECE)
        if start < 0:
            raise SelftestError(f"the seed article shown does not contain {PIECE!r}")
        view.select_range(start, start + len(PIECE))
        actions = window.action_table
        button = actions.label_toolbar.widgetForAction(actions["label_source"])
        if not isinstance(button, QToolButton):
            raise SelftestError("the 'source' label button is missing from the toolbar")
        button.click()
        QApplication.processEvents()
        listed = window.span_list.model().index(0, 1).data()
        if listed != PIECE:
            raise SelftestError(f"the span list shows {listed!r}, expected {PIECE!r}")
        window.close()
        window.project.close()
        out = work / "export.jsonl"
        with Project.open(path, readonly=True) as project:
            export(project, "jsonl", out, Selection(frozenset()))
        (record,) = [orjson.loads(line) for line in out.read_bytes().splitlines()]
        spans = [(s["label"], s["text"]) for s in record["spans"]]
        if spans != [("source", PIECE)]:
            raise SelftestError(f"the export holds {spans}, expected [('source', {PIECE!r})]")
        return f"selftest ok: labelled {PIECE!r} as source in {seed.name} and exported it"


def _quiet_offscreen(_kind: object, _context: object, message: str) -> None:
    """Drop the offscreen platform's notes about window features it lacks; keep the rest."""
    if "This plugin does not support" not in message:
        print(message, file=sys.stderr)
