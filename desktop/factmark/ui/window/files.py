"""Project files: projects to open, create, merge and copy; imports; export; files
dropped on the window."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QMainWindow, QMessageBox

from factmark.core.changes import ChangeSet
from factmark.core.project import Project, ProjectError
from factmark.core.workspace import PROJECT_SUFFIX, open_project
from factmark.ui import file_dialogs
from factmark.ui.plain import plain_tip
from factmark.ui.window.documents import DocumentNavigator
from factmark.ui.window.session import Session
from factmark.ui.window.settings import Settings

if TYPE_CHECKING:
    from factmark.ui.background.jobs import ArchiveOutcome, ImportOutcome


class ProjectFiles(QObject):
    """The File menu's work, and files dropped on the window.

    The merger, the import jobs and the export dialog are imported when first used, to
    keep them out of the window's start.
    """

    archive_added = Signal()  # the archive may have changed (added to, or merged)

    def __init__(
        self,
        window: QMainWindow,
        session: Session,
        settings: Settings,
        navigator: DocumentNavigator,
        confirm_leave: Callable[[], bool],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.window = window
        self.session = session
        self.settings = settings
        self.navigator = navigator
        self.confirm_leave = confirm_leave  # False: the user keeps editing the guidelines

    @property
    def project(self) -> Project:
        return self.session.project

    def open_project_file(self, path: Path) -> bool:
        """Open (or create) the project at ``path`` in this window."""
        if not self.confirm_leave():
            return False
        try:
            project = open_project(path)
        except ProjectError as error:
            QMessageBox.warning(self.window, "Cannot open project", plain_tip(str(error)))
            return False
        self.settings.add_recent_project(project.path)
        self.settings.set_last_document(self.session.project.path, self.session.document_id)
        self.session.set_project(project)
        return True

    def choose_project_to_open(self) -> None:
        path, _ = file_dialogs.open_file_name(
            self.window,
            "Open project",
            str(self.project.path.parent),
            f"Factmark projects (*{PROJECT_SUFFIX});;All files (*)",
        )
        if path:
            self.open_project_file(Path(path))

    def choose_new_project(self) -> None:
        path, _ = file_dialogs.save_file_name(
            self.window,
            "New project",
            str(self.project.path.parent / f"untitled{PROJECT_SUFFIX}"),
            f"Factmark projects (*{PROJECT_SUFFIX})",
        )
        if path:
            target = _project_file(path)
            if target.exists():
                QMessageBox.warning(
                    self.window,
                    "New project",
                    plain_tip(f"{target} exists already; open it instead."),
                )
                return
            self.open_project_file(target)

    def choose_files_to_import(self) -> None:
        paths, _ = file_dialogs.open_file_names(
            self.window,
            "Import articles",
            str(Path.home()),
            import_filter(),
        )
        if paths:
            self.import_paths([Path(p) for p in paths])

    def choose_archive_files(self) -> None:
        paths, _ = file_dialogs.open_file_names(
            self.window,
            "Add fact-check archive",
            str(Path.home()),
            archive_filter(),
        )
        if paths:
            self.add_archive([Path(p) for p in paths])

    def add_archive(self, paths: list[Path], *, show_report: bool = True) -> ArchiveOutcome:
        """Add files of earlier fact-checks to the project's archive in the background,
        then show the per-file report; the claim shown is matched again."""
        from factmark.ui.dialogs.progress import run_add_archive  # not needed to start

        outcome = run_add_archive(self.window, self.project.path, paths, show_report=show_report)
        self.archive_added.emit()
        self.window.statusBar().showMessage(outcome.summary(), 10000)
        return outcome

    def import_paths(self, paths: list[Path], *, show_report: bool = True) -> ImportOutcome:
        """Import files and folders in the background, then show the per-file report."""
        from factmark.ui.dialogs.progress import run_import  # not needed to start the window

        outcome = run_import(self.window, self.project.path, paths, show_report=show_report)
        # The document list reads itself again (DocumentNavigator hears documents_reloaded);
        # the report may have added labels (and an import, link types) for them.
        self.session.changed.emit(
            ChangeSet(documents_reloaded=True, labels=True, relation_types=True)
        )
        if self.session.document is None:
            self.navigator.open_first()
        return outcome

    def drag_entered(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and all(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropped(self, event: QDropEvent) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls()]
        event.acceptProposedAction()
        projects = [p for p in paths if p.suffix == PROJECT_SUFFIX]
        if projects:
            self.open_project_file(projects[0])
        others = [p for p in paths if p.suffix != PROJECT_SUFFIX]
        if others:
            self.import_paths(others)

    def choose_projects_to_merge(self) -> None:
        paths, _ = file_dialogs.open_file_names(
            self.window,
            "Merge annotators' projects into this one",
            str(self.project.path.parent),
            f"Factmark projects (*{PROJECT_SUFFIX})",
        )
        if paths:
            self.merge_projects([Path(p) for p in paths])

    def merge_projects(self, paths: list[Path]) -> list[str]:
        """Merge other copies of the project into this one; shows and returns the report
        (its lines, and why it stopped if it did).

        The merge runs in the background behind a progress dialog whose Cancel rolls
        back the copy being merged; this returns once it has ended.
        """
        # Not needed to start the window:
        from factmark.ui.dialogs.merge_report import CANCELLED, MergeReportDialog
        from factmark.ui.dialogs.progress import quitting, run_merge

        outcome = run_merge(self.window, self.project.path, paths)
        # The merge wrote through its own connection: the views read everything again.
        self.session.changed.emit(
            ChangeSet(documents_reloaded=True, labels=True, relation_types=True)
        )
        self.archive_added.emit()  # a copy's fact-checks may have come too
        if not quitting():  # quitting: the window closes at once
            MergeReportDialog(outcome, self.window).exec()
        lines = list(outcome.lines)
        if outcome.error:
            lines.append(outcome.error)
        if outcome.cancelled:
            lines.append(CANCELLED)
        return lines

    def choose_copy_for_annotator(self) -> None:
        chosen, _ = file_dialogs.save_file_name(
            self.window,
            "Export project for annotator",
            str(self.project.path.with_name(f"{self.project.path.stem}-copy{PROJECT_SUFFIX}")),
            f"Factmark projects (*{PROJECT_SUFFIX})",
        )
        if not chosen:
            return
        path = _project_file(chosen)
        annotator = self.ask_annotator()
        if annotator is None:
            return  # cancelled: no copy
        # The dialog asked before replacing the file it named; a name given its suffix
        # afterwards may name a file it never asked about.
        self.copy_for_annotator(path, asked=path == Path(chosen), annotator=annotator or None)

    def ask_annotator(self) -> str | None:
        """The name of the annotator a copy is for, recorded in it as ``factmark copy
        --annotator`` records it: "" when left empty (it is optional), None when
        cancelled. A name that cannot be recorded is asked again, saying why."""
        from PySide6.QtWidgets import QDialog, QInputDialog

        from factmark.core.model import ValidationError
        from factmark.core.preferences import clean_annotator

        typed, why = "", ""
        while True:
            dialog = QInputDialog(self.window)
            dialog.setObjectName("copyAnnotator")
            dialog.setWindowTitle("Export project for annotator")
            dialog.setLabelText(
                f"{why}Who is this copy for? The annotator's name is recorded in the copy "
                "(optional: leave it empty for none)."
            )
            dialog.setTextValue(typed)
            answered = dialog.exec() == QDialog.DialogCode.Accepted
            typed = dialog.textValue()
            dialog.deleteLater()
            if not answered:
                return None
            if not typed.strip():
                return ""
            try:
                return clean_annotator(typed)
            except ValidationError as error:
                why = f"Not a name that can be recorded: {error}.\n"

    def copy_for_annotator(
        self, path: Path, *, asked: bool = False, annotator: str | None = None
    ) -> None:
        """Write a copy of the project for another annotator to work on offline; it
        remembers its base, so merging it back applies its deletions too (core.copies).

        An existing file is replaced only once the user has agreed (in the file dialog:
        ``asked``, or here), and never when it is this window's project or a project a
        Factmark has open (core.outputs.check_copy_target). ``annotator``: the name the
        copy records as the one it is for (None: none)."""
        from factmark.ui.dialogs.progress import run_copy

        if path.exists() and not asked and not self._replace_agreed(path):
            return
        # In the background: an archive of 100,000 articles takes tens of seconds to copy.
        outcome = run_copy(self.window, self.project.path, path, annotator)
        if outcome.made is None:
            return
        who = f" for {outcome.made.annotator}" if outcome.made.annotator else ""
        self.window.statusBar().showMessage(
            f"Copied the project{who} to {path}; merge it back with File > Merge projects.",
            10000,
        )

    def _replace_agreed(self, path: Path) -> bool:
        answer = QMessageBox.question(
            self.window,
            "Export project for annotator",
            plain_tip(f"{path.name} already exists in {path.parent}.\nReplace it with the copy?"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def choose_export(self) -> None:
        from factmark.ui.dialogs.export_dialog import ExportDialog

        ExportDialog(self.project, self.window, memory=self.settings).exec()


def _project_file(chosen: str) -> Path:
    """The project file a save dialog chose: a name typed without the suffix gets it."""
    target = Path(chosen)
    if target.suffix != PROJECT_SUFFIX:
        target = target.with_name(target.name + PROJECT_SUFFIX)
    return target


def archive_filter() -> str:
    """The file dialog's filter for archives: the suffixes the archive's readers take."""
    from factmark.core.archive_readers import SUFFIXES

    patterns = " ".join(f"*{suffix}" for suffix in SUFFIXES)
    return (
        f"Fact-checks: ClaimReview, Google Fact Check Tools, pages, CSV ({patterns});;All files (*)"
    )


def import_filter() -> str:
    """The file dialog's filter: every suffix some reader takes (the registry's)."""
    from factmark.core.importing import READERS  # the readers are not needed to start

    patterns = " ".join(f"*{suffix}" for suffix in READERS)
    return f"Articles and annotated corpora ({patterns});;All files (*)"
