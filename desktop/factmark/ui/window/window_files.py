"""The main window's files: projects to open, create, merge and copy; imports; export."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QFileDialog, QMessageBox

from factmark.core.project import ProjectError
from factmark.core.workspace import PROJECT_SUFFIX
from factmark.ui.window.window_parts import WindowParts

if TYPE_CHECKING:
    from factmark.ui.background.jobs import ImportOutcome


class FileActions(WindowParts):
    """The File menu's work and drag and drop of files onto ``MainWindow``.

    ``MainWindow`` lists this class before ``QMainWindow``, so its ``dragEnterEvent`` and
    ``dropEvent`` are the ones Qt calls. The merger, the import jobs and the export dialog
    are imported when first used, to keep them out of the window's start.
    Expects of the window: ``project``, ``current``, ``documents`` (the document panel),
    ``statusBar()``, ``show_document``, ``open_project_file``, ``_open_first_document`` and
    ``_update_titles``.
    """

    def choose_project_to_open(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            "Open project",
            str(self.project.path.parent),
            f"Factmark projects (*{PROJECT_SUFFIX});;All files (*)",
        )
        if path:
            self.open_project_file(Path(path))

    def choose_new_project(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            "New project",
            str(self.project.path.parent / f"untitled{PROJECT_SUFFIX}"),
            f"Factmark projects (*{PROJECT_SUFFIX})",
        )
        if path:
            target = Path(path)
            if target.suffix != PROJECT_SUFFIX:
                target = target.with_name(target.name + PROJECT_SUFFIX)
            if target.exists():
                QMessageBox.warning(
                    self, "New project", f"{target} exists already; open it instead."
                )
                return
            self.open_project_file(target)

    def choose_files_to_import(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self,
            "Import articles",
            str(Path.home()),
            "Articles (*.txt *.md *.html *.htm *.docx *.jsonl);;All files (*)",
        )
        if paths:
            self.import_paths([Path(p) for p in paths])

    def import_paths(self, paths: list[Path], *, show_report: bool = True) -> ImportOutcome:
        """Import files and folders in the background, then show the per-file report."""
        from factmark.ui.background.jobs import run_import  # not needed to start the window

        outcome = run_import(self, self.project.path, paths, show_report=show_report)
        self.documents.model.reload()
        self._update_titles()
        if self.current is None:
            self._open_first_document()
        return outcome

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and all(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls()]
        event.acceptProposedAction()
        projects = [p for p in paths if p.suffix == PROJECT_SUFFIX]
        if projects:
            self.open_project_file(projects[0])
        others = [p for p in paths if p.suffix != PROJECT_SUFFIX]
        if others:
            self.import_paths(others)

    def choose_projects_to_merge(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self,
            "Merge annotators' projects into this one",
            str(self.project.path.parent),
            f"Factmark projects (*{PROJECT_SUFFIX})",
        )
        if paths:
            self.merge_projects([Path(p) for p in paths])

    def merge_projects(self, paths: list[Path]) -> list[str]:
        """Merge other copies of the project into this one; shows and returns the report."""
        from factmark.core.merge import merge_projects

        self.setCursor(Qt.CursorShape.WaitCursor)
        try:
            reports = merge_projects(self.project, paths)
        finally:
            self.unsetCursor()
        lines = [line for report in reports for line in report.lines()]
        self.documents.model.reload()
        if self.current is not None:
            current, self.current = self.current.id, None
            self.show_document(current)
        self._update_titles()
        QMessageBox.information(self, "Merge projects", "\n".join(lines) or "Nothing to merge.")
        return lines

    def choose_copy_for_annotator(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            "Export project for annotator",
            str(self.project.path.with_name(f"{self.project.path.stem}-copy{PROJECT_SUFFIX}")),
            f"Factmark projects (*{PROJECT_SUFFIX})",
        )
        if path:
            self.copy_for_annotator(Path(path))

    def copy_for_annotator(self, path: Path) -> None:
        """Write a copy of the project for another annotator to work on offline."""
        try:
            self.project.copy_to(path)
        except (OSError, ValueError, ProjectError) as error:
            QMessageBox.warning(self, "Export project for annotator", str(error))
            return
        self.statusBar().showMessage(
            f"Copied the project to {path}; merge it back with File > Merge projects.", 10000
        )

    def choose_export(self) -> None:
        from factmark.ui.dialogs.export_dialog import ExportDialog

        ExportDialog(self.project, self).exec()
