"""Starting the desktop application."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QFileOpenEvent, QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QMainWindow

from factmark import __version__
from factmark.core.project import ProjectError
from factmark.core.resources import resource_path
from factmark.core.workspace import APP_NAME, PROJECT_SUFFIX, open_project
from factmark.ui.errors import install_excepthook
from factmark.ui.plain import plain_tip
from factmark.ui.window.main_window import MainWindow
from factmark.ui.window.settings import Settings


def application() -> QApplication:
    """The QApplication, created once with Factmark's names, style and icon."""
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
    )
    # Fusion follows the system's light or dark colour scheme on every platform. Named
    # on the command line Qt reads, the style is made in C++ alone (app.setStyle would
    # hand it to Python, whose copy of QStyle's enumerations takes milliseconds to make).
    app = QApplication([*sys.argv[:1], "-style", "Fusion"])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("factmark")
    icon = resource_path("icons", "factmark.svg")
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    return app


def create_main_window(
    project_path: str | Path | None = None, *, settings: Settings | None = None
) -> QMainWindow:
    """The main window on ``project_path`` (default project when None), ready to show.

    Does not enter the event loop. Raises ProjectError for a project that cannot be opened.
    ``settings`` replaces the user's settings file (the selftest keeps them untouched).
    """
    application()
    settings = settings or Settings()
    project = open_project(Path(project_path) if project_path else None)
    settings.add_recent_project(project.path)
    return MainWindow(project, settings)


def run(project_path: Path | None = None) -> int:
    """Open the window and run the event loop until it closes; returns the exit code.

    With no project named, the last project used is reopened (the default project
    on first start); the annotator name is asked once, on first start.
    """
    app = application()
    install_excepthook()  # uncaught errors: logged in full and shown, never lost
    settings = Settings()
    if project_path is None:
        project_path = settings.last_project()
    try:
        window = create_main_window(project_path)
    except ProjectError as error:
        from PySide6.QtWidgets import QMessageBox  # here: its type is made when first used

        QMessageBox.critical(None, APP_NAME, plain_tip(str(error)))
        print(f"factmark: error: {error}", file=sys.stderr)
        return 1
    window.show()
    # What start-up made lives as long as the window: later collections leave it out
    # (the command line holds the collector off until the window shows, see run_gui).
    gc.freeze()
    gc.enable()
    if isinstance(window, MainWindow) and sys.platform == "darwin":
        # Only macOS sends FileOpen. A filter on the application sees every event of
        # every widget, each handed to Python: elsewhere it would only slow the window.
        app.installEventFilter(FileOpener(window, app))
    if isinstance(window, MainWindow):
        if not settings.has_annotator():
            window.ask_annotator(first_time=True)
        # The window takes the keyboard (back from the dialog, if one was asked): its
        # shortcuts act only in the active window, and without a window manager (a kiosk
        # session) nothing else activates it: the keys went nowhere until a click.
        window.activateWindow()
        window.article_view.setFocus()
    code = app.exec()
    if isinstance(window, MainWindow):
        window.project.close()
    return code


class FileOpener(QObject):
    """Opens a project the system asks to open (macOS sends a FileOpen event when a
    .factmark file is double-clicked in the Finder; elsewhere it is an argument)."""

    def __init__(self, window: MainWindow, parent: QObject) -> None:
        super().__init__(parent)
        self.window = window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FileOpen and isinstance(event, QFileOpenEvent):
            path = Path(event.file())
            if path.suffix == PROJECT_SUFFIX:
                self.window.files.open_project_file(path)
            else:
                self.window.files.import_paths([path])
            return True
        return super().eventFilter(watched, event)
