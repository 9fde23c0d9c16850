"""Starting the desktop application."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox

from factmark import __version__
from factmark.core.project import ProjectError
from factmark.core.workspace import APP_NAME, open_project
from factmark.ui.main_window import MainWindow


def application() -> QApplication:
    """The QApplication, created once with Factmark's names."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
        app.setApplicationName(APP_NAME)
        app.setOrganizationName(APP_NAME)
        app.setApplicationVersion(__version__)
    return app


def create_main_window(project_path: str | Path | None = None) -> QMainWindow:
    """The main window on ``project_path`` (default project when None), ready to show.

    Does not enter the event loop. Raises ProjectError for a project that cannot be opened.
    """
    application()
    project = open_project(Path(project_path) if project_path else None)
    window = MainWindow(project)
    return window


def run(project_path: Path | None = None) -> int:
    """Open the window and run the event loop until it closes; returns the exit code."""
    app = application()
    try:
        window = create_main_window(project_path)
    except ProjectError as error:
        QMessageBox.critical(None, APP_NAME, str(error))
        print(f"factmark: error: {error}", file=sys.stderr)
        return 1
    window.show()
    return app.exec()
