"""Running a background job behind a cancellable progress dialog, and showing how it
ended (the import report, an export's error)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QLabel, QProgressDialog, QPushButton, QWidget

from factmark.core.exporting.base import Selection, Split
from factmark.core.text import counted
from factmark.ui.background.jobs import (
    MINIMUM_DURATION_MS,
    AgreementJob,
    AgreementOutcome,
    ArchiveJob,
    ArchiveOutcome,
    CopyJob,
    CopyOutcome,
    ExportJob,
    ExportOutcome,
    ImportJob,
    ImportOutcome,
    Job,
    MergeJob,
    MergeOutcome,
)
from factmark.ui.plain import plain_warning


class _ProgressDialog(QProgressDialog):
    """Stays up until the job has really ended; Cancel, Escape and close ask it to stop."""

    def __init__(
        self, parent: QWidget, name: str, title: str, label: str, between: str = "document"
    ) -> None:
        super().__init__(label, "Cancel", 0, 0, parent)
        self.canceled.disconnect(self.cancel)  # the default would hide it at once
        self.setObjectName(name)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setAutoClose(False)
        self.setAutoReset(False)
        self.setMinimumWidth(420)
        self.setMinimumDuration(MINIMUM_DURATION_MS)
        # Starts the wait for that duration: until a value is set Qt waits its default 4 s,
        # however long a job that sends no progress (an export, the agreement) runs.
        self.setValue(0)
        text = self.findChild(QLabel)
        if text is not None:  # it names files: shown as written, never as markup
            text.setTextFormat(Qt.TextFormat.PlainText)
        self.cancelling = False
        self.between = between  # the steps a cancel stops between
        self.canceled.connect(self._cancelling)
        self.doing = "Importing"  # what show_progress says is under way

    def _cancelling(self) -> None:
        self.cancelling = True
        self.setLabelText(f"Cancelling after the current {self.between}…")
        button = self.findChild(QPushButton)
        if button is not None:
            button.setEnabled(False)

    def closeEvent(self, event: QCloseEvent) -> None:
        event.ignore()
        self.canceled.emit()

    def reject(self) -> None:
        self.canceled.emit()

    def show_progress(self, done: int, total: int, name: str) -> None:
        if self.cancelling:
            return
        self.setLabelText(f"{self.doing} {name}\n{done + 1:,} of {counted(total, 'file')}")
        self.setMaximum(total)
        self.setValue(done)  # last: on a modal dialog it processes events

    def finish(self) -> None:
        self.reset()  # stops the timer that would show it later
        self.hide()
        self.deleteLater()


class _CopyDialog(_ProgressDialog):
    """A copy's progress: the spans whose base is recorded (the file's copy is one step
    before them)."""

    def __init__(self, parent: QWidget, target: Path) -> None:
        self.heading = f"Copying the project to {target.name}…"
        super().__init__(
            parent, "copyProgress", "Export project for annotator", self.heading, "step"
        )

    def show_progress(self, done: int, total: int, name: str) -> None:
        if self.cancelling:
            return
        self.setLabelText(
            f"{self.heading}\nRecording what it starts from: {done:,} of {counted(total, 'span')}"
        )
        self.setMaximum(max(total, 1))
        self.setValue(done)


def _run(job: Job, dialog: _ProgressDialog) -> Any:
    """Run ``job`` while ``dialog`` is up; return its outcome once the thread has ended."""
    loop = QEventLoop()
    job.finished.connect(loop.quit)
    job.progressed.connect(dialog.show_progress)
    dialog.canceled.connect(job.cancel)
    job.start()
    try:
        if job.outcome is None:
            loop.exec()
        if job.outcome is None:  # the application is quitting: stop and wait
            job.cancel()
            job.wait()
    finally:
        dialog.finish()
    return job.outcome


def run_import(
    parent: QWidget, project_path: Path, paths: list[Path], *, show_report: bool = True
) -> ImportOutcome:
    """Import in the background behind a progress dialog, then show the report.

    Returns once the import has ended. With ``show_report=False`` nothing is shown
    afterwards (tests, or callers with their own display of the outcome). When the
    report's "Add these labels and import again" is chosen, the files refused for labels
    the project lacks are imported again adding them (their documents already in are
    skipped as duplicates), and that import's outcome is returned.
    """
    create_labels = False
    while True:
        dialog = _ProgressDialog(parent, "importProgress", "Importing", "Looking for files…")
        job = ImportJob(project_path, paths)
        job.create_labels = create_labels
        outcome: ImportOutcome = _run(job, dialog)
        if not show_report:
            return outcome
        from factmark.ui.dialogs.import_report import ReportDialog  # when first needed

        if outcome.error and not outcome.reports:
            plain_warning(parent, "Import failed", outcome.error)
            return outcome
        if ReportDialog(outcome, parent).exec() != ReportDialog.IMPORT_AGAIN:
            return outcome
        paths, create_labels = outcome.refused_for_labels, True


def run_export(
    parent: QWidget,
    project_path: Path,
    fmt: str,
    output: Path,
    selection: Selection,
    *,
    split: Split | None = None,
    options: dict[str, str] | None = None,
    card: bool = True,
    show_errors: bool = True,
) -> ExportOutcome:
    """Export in the background behind a progress dialog; returns once it has ended.

    An error is shown in a message box (unless ``show_errors`` is False); success is
    left to the caller (``outcome.summary()`` suits a status bar).
    """
    label = f"Exporting to {Path(output).name}…"
    dialog = _ProgressDialog(parent, "exportProgress", "Exporting", label)
    job = ExportJob(project_path, fmt, output, selection, split=split, options=options, card=card)
    outcome: ExportOutcome = _run(job, dialog)
    if show_errors and outcome.error:
        plain_warning(parent, "Export failed", outcome.error)
    return outcome


def run_add_archive(
    parent: QWidget, project_path: Path, paths: list[Path], *, show_report: bool = True
) -> ArchiveOutcome:
    """Add files to the archive of earlier fact-checks in the background behind a
    progress dialog, then show the per-file report as an import's is shown."""
    dialog = _ProgressDialog(parent, "archiveProgress", "Adding fact-checks", "Reading files…")
    dialog.doing = "Reading"
    outcome: ArchiveOutcome = _run(ArchiveJob(project_path, paths), dialog)
    if show_report:
        from factmark.ui.dialogs.import_report import ReportDialog  # when first needed

        if outcome.error and not outcome.reports:
            plain_warning(parent, "Adding fact-checks failed", outcome.error)
        else:
            ReportDialog(outcome, parent, title="Fact-check archive report").exec()
    return outcome


def run_merge(parent: QWidget, project_path: Path, paths: list[Path]) -> MergeOutcome:
    """Merge copies in the background behind a progress dialog (Cancel rolls back the
    copy being merged); returns once it has ended. Showing the report is the caller's."""
    dialog = _ProgressDialog(parent, "mergeProgress", "Merging", "Reading the copies…")
    dialog.doing = "Merging"
    outcome: MergeOutcome = _run(MergeJob(project_path, paths), dialog)
    return outcome


def run_copy(
    parent: QWidget, project_path: Path, target: Path, annotator: str | None = None
) -> CopyOutcome:
    """Copy the project for another annotator in the background behind a progress dialog
    (shown only when it takes a while; Cancel removes the copy); returns once it has
    ended. An error is shown in a message box; saying what was made is the caller's.
    ``annotator``: whom the copy is for (recorded in it), or None."""
    dialog = _CopyDialog(parent, target)
    outcome: CopyOutcome = _run(CopyJob(project_path, target, annotator), dialog)
    if outcome.error:
        plain_warning(parent, "Export project for annotator", outcome.error)
    return outcome


def run_agreement(parent: QWidget, project_path: Path) -> AgreementOutcome:
    """Count the agreement figures in the background behind a progress dialog (shown only
    when it takes a while); returns once the counting has ended. An error is shown in a
    message box; the figures and a cancel are the caller's."""
    label = "Comparing the annotators' spans…"
    dialog = _ProgressDialog(parent, "agreementProgress", "Agreement", label, "batch")
    outcome: AgreementOutcome = _run(AgreementJob(project_path), dialog)
    if outcome.error:
        plain_warning(parent, "Agreement failed", outcome.error)
    return outcome
