"""Running a background job behind a cancellable progress dialog, and showing how it
ended (the import report, an export's error).

File > Quit (its keys, or closing the window) while a job runs asks whether to wait for
it or to cancel it and quit; cancelled, the job stops as its Cancel stops it (an export
leaves no file, an import keeps the documents it committed, a merge rolls the copy being
merged back, a copy is removed), and the window closes once it has stopped, its report
left unshown.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QWidget,
)

from factmark.core.actions import ACTIONS
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
from factmark.ui.plain import plain_tip, plain_warning

# The progress dialogs of the jobs running (File > Quit asks about the last).
_running: list[_ProgressDialog] = []
# Set from a job cancelled to quit until the window has closed: nothing more is shown.
_quit_chosen: set[QWidget] = set()


def quitting() -> bool:
    """Whether the user chose to cancel a job and quit: the window closes as soon as
    the caller returns, so its report is not shown."""
    return bool(_quit_chosen)


def running_job() -> _ProgressDialog | None:
    """The progress dialog of the job running behind one, if any: closing the window
    then asks it (:meth:`_ProgressDialog.ask_to_quit`) instead of closing at once."""
    return _running[-1] if _running else None


class _ProgressDialog(QProgressDialog):
    """Stays up until the job has really ended; Cancel, Escape and close ask it to stop.

    File > Quit's keys ask whether to wait or to cancel the job and quit (``job``: what
    the question calls it, "export"); they work in the dialog, and in the dialog it
    runs over before it shows (the main window asks in its own closeEvent)."""

    def __init__(
        self,
        parent: QWidget,
        name: str,
        title: str,
        label: str,
        between: str = "document",
        *,
        job: str = "import",
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
        self.job = job
        self.quitting = False  # the user chose to cancel the job and quit
        self._quit = QAction(self)
        self._quit.setShortcuts([QKeySequence(key) for key in _quit_keys()])
        self._quit.triggered.connect(self.ask_to_quit)
        self.addAction(self._quit)
        self._host = parent.window()  # the window the job runs over
        if not _has_shortcut(self._host, self._quit.shortcut()):
            self._host.addAction(self._quit)  # a dialog (Export): its keys quit too
        _running.append(self)

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
        """Show the job's step ``done`` of ``total``, said by :meth:`progress_text`."""
        if self.cancelling:
            return
        self.setLabelText(self.progress_text(done, total, name))
        self.setMaximum(total)  # 0: a busy bar (a merge reading a copy)
        self.setValue(done)  # last: on a modal dialog it processes events

    def progress_text(self, done: int, total: int, name: str) -> str:
        """What the dialog says at step ``done`` of ``total`` (``name``: the job's word
        for it, a file's name for an import)."""
        return f"{self.doing} {name}\n{done + 1:,} of {counted(total, 'file')}"

    def ask_to_quit(self) -> None:
        """Ask whether to wait for the job or to cancel it and quit; once it has
        stopped, :func:`_run` closes the window."""
        if self.quitting:
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Quit",
            f"{_a(self.job).capitalize()} is running.",
            QMessageBox.StandardButton.NoButton,
            self,
        )
        box.setObjectName("quitWhileRunning")
        box.setInformativeText(
            f"Wait for the {self.job} to end, or cancel it and quit Factmark "
            f"({_what_cancel_leaves(self.job)})."
        )
        wait = box.addButton("Wait", QMessageBox.ButtonRole.RejectRole)
        stop = box.addButton(f"Cancel {self.job} and quit", QMessageBox.ButtonRole.AcceptRole)
        stop.setObjectName("cancelAndQuit")
        box.setDefaultButton(wait)
        box.setEscapeButton(wait)
        box.exec()
        chosen = box.clickedButton()
        box.deleteLater()
        if chosen is not stop or self.quitting:
            return
        self.quitting = True
        self.canceled.emit()
        self.setLabelText(f"Cancelling the {self.job}; Factmark quits once it has stopped…")
        top = _main_window(self)
        if hasattr(top, "statusBar"):
            top.statusBar().showMessage(
                f"Cancelling the {self.job}: Factmark quits once it has stopped."
            )

    def finish(self) -> None:
        if self in _running:
            _running.remove(self)
        self._host.removeAction(self._quit)
        self.reset()  # stops the timer that would show it later
        self.hide()
        self.deleteLater()


def _quit_keys() -> tuple[str, ...]:
    """File > Quit's keys, from the action table."""
    return next(row.keys for row in ACTIONS if row.name == "quit")


def _has_shortcut(widget: QWidget, keys: QKeySequence) -> bool:
    return any(action.shortcut() == keys for action in widget.actions())


def _main_window(widget: QWidget) -> QWidget:
    """The window a dialog (or a dialog over a dialog) belongs to."""
    top = widget.window()
    parent = top.parentWidget()
    while parent is not None:
        top = parent.window()
        parent = top.parentWidget()
    return top


def _a(noun: str) -> str:
    return f"an {noun}" if noun[0] in "aeiou" else f"a {noun}"


def _what_cancel_leaves(job: str) -> str:
    """What a job cancelled leaves, as its Cancel does."""
    return {
        "export": "nothing of the export is left",
        "import": "the documents imported so far stay",
        "merge": "the copy being merged is rolled back; copies merged before stay",
        "copy": "nothing of the copy is left",
        "archive import": "the fact-checks added so far stay",
        "agreement count": "nothing was written",
    }[job]


def _quit_once_back(dialog: _ProgressDialog) -> None:
    """Close the dialogs the job ran over and the window, once the caller has returned
    to the event loop (the job's report is not shown: the user asked to quit)."""
    top = _main_window(dialog)
    _quit_chosen.add(top)

    def close() -> None:
        try:
            for widget in QApplication.topLevelWidgets():
                if isinstance(widget, QDialog) and widget.isVisible() and widget is not top:
                    widget.reject()
            top.close()
        finally:
            _quit_chosen.discard(top)

    QTimer.singleShot(0, close)


class _CopyDialog(_ProgressDialog):
    """A copy's progress: the spans whose base is recorded (the file's copy is one step
    before them)."""

    def __init__(self, parent: QWidget, target: Path) -> None:
        self.heading = f"Copying the project to {target.name}…"
        super().__init__(
            parent, "copyProgress", "Export project for annotator", self.heading, "step", job="copy"
        )

    def progress_text(self, done: int, total: int, name: str) -> str:
        return (
            f"{self.heading}\nRecording what it starts from: {done:,} of {counted(total, 'span')}"
        )


class _MergeDialog(_ProgressDialog):
    """A merge's progress: the documents of the copy being merged, checked then merged
    (the job's text names the copy and the stage)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(
            parent, "mergeProgress", "Merging", "Reading the copies…", "batch", job="merge"
        )

    def progress_text(self, done: int, total: int, name: str) -> str:
        return f"Merging {name}"


def _run(job: Job, dialog: _ProgressDialog) -> Any:
    """Run ``job`` while ``dialog`` is up; return its outcome once the thread has ended.

    A job whose work raised ends all the same: its outcome's error names what happened
    and where its report was logged, for the caller to show over the window once the
    dialog has closed."""
    job.shows_crash = False
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
        if dialog.quitting:
            _say_if_it_ended(dialog, job.outcome)
            _quit_once_back(dialog)
    return job.outcome


def _say_if_it_ended(dialog: _ProgressDialog, outcome: Any) -> None:
    """Say so when a job the user cancelled to quit had ended before the cancel reached
    it: an export's files, a copy or a merge are then there, not left out as the question
    said (an import's or an archive's rows stay either way; an agreement count writes
    nothing)."""
    if outcome is None or outcome.cancelled or outcome.error:
        return
    if isinstance(outcome, ExportOutcome):
        done = outcome.summary()
    elif isinstance(outcome, CopyOutcome) and outcome.made is not None:
        done = f"the copy {outcome.made.path} was made"
    elif isinstance(outcome, MergeOutcome):
        done = " ".join(outcome.summary) or "the copies were merged"
    else:
        return
    box = QMessageBox(
        QMessageBox.Icon.Information,
        "Quit",
        f"The {dialog.job} had ended before it could be cancelled.",
        QMessageBox.StandardButton.Ok,
        _main_window(dialog),
    )
    box.setObjectName("endedBeforeQuit")
    done = done.rstrip(".")
    box.setInformativeText(plain_tip(f"{done[0].upper()}{done[1:]}. Factmark quits now."))
    box.exec()
    box.deleteLater()


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
        if not show_report or quitting():
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
    dialog = _ProgressDialog(parent, "exportProgress", "Exporting", label, job="export")
    job = ExportJob(project_path, fmt, output, selection, split=split, options=options, card=card)
    outcome: ExportOutcome = _run(job, dialog)
    if show_errors and outcome.error and not quitting():
        plain_warning(parent, "Export failed", outcome.error)
    return outcome


def run_add_archive(
    parent: QWidget, project_path: Path, paths: list[Path], *, show_report: bool = True
) -> ArchiveOutcome:
    """Add files to the archive of earlier fact-checks in the background behind a
    progress dialog, then show the per-file report as an import's is shown."""
    dialog = _ProgressDialog(
        parent, "archiveProgress", "Adding fact-checks", "Reading files…", job="archive import"
    )
    dialog.doing = "Reading"
    outcome: ArchiveOutcome = _run(ArchiveJob(project_path, paths), dialog)
    if show_report and not quitting():
        from factmark.ui.dialogs.import_report import ReportDialog  # when first needed

        if outcome.error and not outcome.reports:
            plain_warning(parent, "Adding fact-checks failed", outcome.error)
        else:
            ReportDialog(outcome, parent, title="Fact-check archive report").exec()
    return outcome


def run_merge(parent: QWidget, project_path: Path, paths: list[Path]) -> MergeOutcome:
    """Merge copies in the background behind a progress dialog (Cancel rolls back the
    copy being merged); returns once it has ended. Showing the report is the caller's."""
    outcome: MergeOutcome = _run(MergeJob(project_path, paths), _MergeDialog(parent))
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
    if outcome.error and not quitting():
        plain_warning(parent, "Export project for annotator", outcome.error)
    return outcome


def run_agreement(parent: QWidget, project_path: Path) -> AgreementOutcome:
    """Count the agreement figures in the background behind a progress dialog (shown only
    when it takes a while); returns once the counting has ended. An error is shown in a
    message box; the figures and a cancel are the caller's."""
    label = "Comparing the annotators' spans…"
    dialog = _ProgressDialog(
        parent, "agreementProgress", "Agreement", label, "batch", job="agreement count"
    )
    outcome: AgreementOutcome = _run(AgreementJob(project_path), dialog)
    if outcome.error and not quitting():
        plain_warning(parent, "Agreement failed", outcome.error)
    return outcome
