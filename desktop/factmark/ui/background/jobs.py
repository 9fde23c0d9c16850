"""Slow work (bulk import, export) off the GUI thread; ``dialogs.progress`` runs a job
behind a cancellable progress dialog.

An SQLite connection belongs to the thread that opened it, so each job opens its own
:class:`~factmark.core.project.Project` on the project file inside its worker thread
(WAL mode lets it work beside the window's connection) and closes it when done. The
worker never touches widgets: progress and the outcome come back by signal.

The window's own ``Project`` hears nothing of what a worker's connection changed
(listeners are per connection), so callers reload their views after a job.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from factmark.core.archive_files import ArchiveFileReport
from factmark.core.error_log import told
from factmark.core.exporting import export, writes_folder
from factmark.core.exporting.base import ExportResult, Selection, Split
from factmark.core.importing import (
    FileReport,
    added_labels,
    collect_files,
    import_file,
    missing_labels,
)
from factmark.core.model import Label, ValidationError
from factmark.core.project import SEARCH_INDEX_CHUNK, Project, ProjectError
from factmark.core.storage import project_files
from factmark.core.text import counted
from factmark.ui.errors import log_error, show_error

#: Jobs shorter than this never show their progress dialog (no flashing window).
MINIMUM_DURATION_MS = 400

Progress = Callable[[int, int, str], None]
Cancelled = Callable[[], bool]


# -- outcomes ----------------------------------------------------------------------


@dataclass
class ImportOutcome:
    """What an import did: one report per file tried, whether it was cancelled, any error.

    ``error`` is set when the project itself could not be used (read-only, damaged,
    gone); files imported before that stay imported and keep their reports.
    """

    reports: list[FileReport] = field(default_factory=list)
    total_files: int = 0
    cancelled: bool = False
    error: str | None = None

    @property
    def documents(self) -> int:
        return sum(report.documents for report in self.reports)

    @property
    def spans(self) -> int:
        return sum(report.spans for report in self.reports)

    @property
    def links(self) -> int:
        return sum(report.links for report in self.reports)

    @property
    def duplicates(self) -> int:
        return sum(report.duplicates for report in self.reports)

    @property
    def failed_files(self) -> int:
        return sum(report.failed for report in self.reports)

    @property
    def unknown_labels(self) -> list[str]:
        """The labels the project lacks that refused documents name, in file order."""
        return missing_labels(self.reports)

    @property
    def added_labels(self) -> list[Label]:
        """The labels the import added, with the keys they were given, in file order."""
        return added_labels(self.reports)

    @property
    def refused_for_labels(self) -> list[Path]:
        """The files with documents refused for labels the project lacks."""
        return [report.path for report in self.reports if report.unknown_labels]

    def summary(self) -> str:
        """One sentence for the user, e.g. ``Imported 5 documents (12 spans) from 7 files``."""
        if self.error and not self.reports:
            return f"Import failed: {self.error}"
        links = f", {counted(self.links, 'link')}" if self.links else ""
        parts = [
            f"Imported {counted(self.documents, 'document')} ({counted(self.spans, 'span')}"
            f"{links}) from {counted(len(self.reports), 'file')}"
        ]
        if self.duplicates:
            parts.append(counted(self.duplicates, "duplicate"))
        if self.failed_files:
            parts.append(f"{counted(self.failed_files, 'file')} had errors")
        text = "; ".join(parts)
        if self.cancelled:
            text = f"Cancelled after {len(self.reports):,} of {self.total_files:,} files. {text}"
        if self.error:
            text += f". Import stopped: {self.error}"
        return text

    def lines(self) -> list[str]:
        """Every report line, file by file."""
        return [line for report in self.reports for line in report.lines()]


@dataclass
class ExportOutcome:
    """What an export wrote (``result``), or why it did not: cancelled or ``error``."""

    result: ExportResult | None = None
    cancelled: bool = False
    error: str | None = None

    def summary(self) -> str:
        """One sentence for the user (status bar or message box)."""
        if self.error:
            return f"Export failed: {self.error}"
        if self.result is None:
            return "Export cancelled; nothing was written"
        result = self.result
        return f"Exported {result.wrote()} to {result.path}"


@dataclass
class ArchiveOutcome:
    """What adding files to the archive of earlier fact-checks did: one report per file
    tried, whether it was cancelled, and any error with the project itself."""

    reports: list[ArchiveFileReport] = field(default_factory=list)
    total_files: int = 0
    cancelled: bool = False
    error: str | None = None
    size: int = 0  # the reviews the archive holds afterwards

    @property
    def failed_files(self) -> int:
        return sum(report.failed for report in self.reports)

    def summary(self) -> str:
        """One sentence: the reviews added and updated, from how many files."""
        if self.error and not self.reports:
            return f"Adding to the archive failed: {self.error}"
        added = sum(r.counts.added for r in self.reports if r.counts)
        updated = sum(r.counts.updated for r in self.reports if r.counts)
        text = (
            f"Added {counted(added, 'fact-check')} and updated {updated} from "
            f"{counted(len(self.reports), 'file')}; the archive holds {self.size:,}"
        )
        if self.failed_files:
            text += f"; {counted(self.failed_files, 'file')} had refused items or errors"
        if self.cancelled:
            text = f"Cancelled after {len(self.reports):,} of {self.total_files:,} files. {text}"
        if self.error:
            text += f". Stopped: {self.error}"
        return text

    def lines(self) -> list[str]:
        """Every report line, file by file."""
        return [line for report in self.reports for line in report.lines()]


@dataclass
class MergeOutcome:
    """What merging copies into the project did: the report lines (one source's error,
    each refused row), or why it stopped."""

    lines: list[str] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)  # the lines saying what each merge did
    cancelled: bool = False
    error: str | None = None


@dataclass
class AgreementOutcome:
    """The agreement figures (``figures``, as :func:`factmark.core.agreement.agreement`
    gives them, the documents as a table) with their report's HTML (``report``), or why
    there are none: cancelled or ``error``."""

    figures: dict[str, Any] | None = None
    report: str = ""
    cancelled: bool = False
    error: str | None = None


@dataclass
class CopyOutcome:
    """A copy of the project made for an annotator (``made``), or why there is none:
    cancelled (the copy removed) or ``error``."""

    made: Any = None  # factmark.core.copies.CopyMade
    cancelled: bool = False
    error: str | None = None


# -- the work itself (runs in the worker thread; no Qt here) --------------------------


def copy_project(
    project_path: Path,
    target: Path,
    cancelled: Cancelled,
    annotator: str | None = None,
    progress: Progress = lambda done, total, name: None,
) -> CopyOutcome:
    """A copy of the project file for ``annotator`` (None: no name), with its base (core.copies),
    read from a read-only connection of this thread; ``progress(spans, total, "")`` as
    its base is recorded. A cancel stops it within a moment and leaves nothing (a file
    it was to replace stays as it was); a cancel once it is written removes it."""
    from factmark.core.copies import CopyCancelled, make_copy

    existed = target.exists()
    try:
        with Project.open_beside(project_path, readonly=True) as project:
            # The window asked the user before a file was replaced; a project a Factmark
            # has open, this window's too, is refused all the same.
            made = make_copy(
                project,
                target,
                annotator,
                replace=True,
                cancelled=cancelled,
                progress=lambda done, total: progress(done, total, ""),
            )
    except CopyCancelled:
        return CopyOutcome(cancelled=True)
    except (OSError, ValueError, ProjectError, sqlite3.Error) as error:
        return CopyOutcome(error=str(error))
    if cancelled():
        if not existed:
            for made_file in project_files(target):
                made_file.unlink(missing_ok=True)
        return CopyOutcome(cancelled=True)
    return CopyOutcome(made=made)


def import_paths(
    project_path: Path,
    paths: Sequence[Path],
    progress: Progress,
    cancelled: Cancelled,
    *,
    create_labels: bool = False,
) -> ImportOutcome:
    """Import files and folders into the project file, committing file by file.

    ``progress(done, total, name)`` is called before each file. Once ``cancelled()``
    is true the import stops before the next document; what was stored stays. With
    ``create_labels`` labels the project lacks are added, as ``--create-labels`` does.
    """
    files, missing = collect_files(paths)
    outcome = ImportOutcome(reports=list(missing), total_files=len(files) + len(missing))
    try:
        project = Project.open_beside(project_path)
    except ProjectError as error:
        return ImportOutcome(total_files=outcome.total_files, error=str(error))
    stopped = False

    def check() -> bool:
        nonlocal stopped
        stopped = stopped or cancelled()
        return stopped

    with project:
        for done, path in enumerate(files):
            if check():
                break
            progress(done, len(files), path.name)
            try:
                report = import_file(project, path, create_labels=create_labels, cancelled=check)
            except ProjectError as error:
                outcome.error = str(error)
                break
            if stopped:
                # Cut short: keep the report only if part of the file went in.
                if report.documents or report.duplicates or report.errors or report.added_labels:
                    report.notes.append("the rest of this file was not imported: cancelled")
                    outcome.reports.append(report)
                break
            outcome.reports.append(report)
    outcome.cancelled = stopped
    return outcome


def export_project(
    project_path: Path,
    fmt: str,
    output: Path,
    selection: Selection,
    cancelled: Cancelled,
    split: Split | None = None,
    options: dict[str, str] | None = None,
    card: bool = True,
) -> ExportOutcome:
    """Export from a read-only connection; cancelling aborts it and leaves no file."""
    if cancelled():
        return ExportOutcome(cancelled=True)
    try:
        project = Project.open_beside(project_path, readonly=True)
    except ProjectError as error:
        return ExportOutcome(error=str(error))
    # export() aborts the running query once cancelled (the writer's atomic output then
    # removes its partial file and any old file stays as it was), until its outputs are
    # in place: after that it finishes and the outcome says what it wrote.
    try:
        result = export(
            project, fmt, output, selection, split, options, card=card, cancelled=cancelled
        )
    except Exception as error:
        if cancelled():
            return ExportOutcome(cancelled=True)
        if isinstance(error, ValidationError | ProjectError):
            return ExportOutcome(error=str(error))
        if isinstance(error, OSError):
            return ExportOutcome(error=_describe_os_error(error, output, fmt))
        raise
    finally:
        project.close()
    return ExportOutcome(result=result)


def merge_sources(
    project_path: Path, paths: Sequence[Path], progress: Progress, cancelled: Cancelled
) -> MergeOutcome:
    """Merge copies into the project file, one transaction per copy.

    ``progress(done, total, text)`` tells how far the copy being merged is: its documents
    checked, then merged (``total`` counts each document twice), with ``text`` naming the
    copy and the stage. Once ``cancelled()`` is true the copy being merged is rolled back
    (the merge asks before each batch of rows) and the rest are not merged; copies merged
    before stay merged.
    """
    from factmark.core.merge import merge_projects  # the merger only when a merge runs

    try:
        project = Project.open_beside(project_path)
    except ProjectError as error:
        return MergeOutcome(error=str(error))
    outcome = MergeOutcome()
    with project:
        for number, path in enumerate(paths):
            if cancelled():
                outcome.cancelled = True
                break
            which = f" (copy {number + 1} of {len(paths)})" if len(paths) > 1 else ""
            progress(0, 0, f"{path.name}{which}\nReading it…")

            def told(done: int, total: int, stage: str, copy: str = path.name + which) -> None:
                merged = stage == "merging"
                doing = "Merging" if merged else "Checking"
                text = f"{copy}\n{doing} its documents: {done:,} of {total:,}"
                progress(done + (total if merged else 0), 2 * total, text)

            (report,) = merge_projects(project, [path], cancelled=cancelled, progress=told)
            outcome.lines += report.lines()
            outcome.summary += report.summary()
            if cancelled():
                outcome.cancelled = True
                break
    return outcome


def add_to_archive(
    project_path: Path, paths: Sequence[Path], progress: Progress, cancelled: Cancelled
) -> ArchiveOutcome:
    """Add files of earlier fact-checks to the project's archive, one transaction per
    file; once ``cancelled()`` is true no further file is read (those added stay)."""
    from factmark.core.archive import archive_size
    from factmark.core.archive_files import add_archive_file, collect_archive_files

    files, missing = collect_archive_files(paths)
    outcome = ArchiveOutcome(reports=list(missing), total_files=len(files) + len(missing))
    try:
        project = Project.open_beside(project_path)
    except ProjectError as error:
        outcome.error = str(error)
        return outcome
    with project:
        for done, path in enumerate(files):
            if cancelled():
                outcome.cancelled = True
                break
            progress(done, len(files), path.name)
            try:
                outcome.reports.append(add_archive_file(project, path))
            except ProjectError as error:
                outcome.error = str(error)
                break
        outcome.size = archive_size(project)
    return outcome


# Disagreements listed in View > Agreement of each figure (label, link type, attribute),
# from the first documents on; their counts are every one (factmark agree --json lists all).
DISAGREEMENTS_LISTED = 1000


def agreement_figures(project_path: Path, cancelled: Cancelled) -> AgreementOutcome:
    """The agreement figures with the disagreements behind them, from a read-only
    connection; once ``cancelled()`` is true the counting stops (a second process counting
    part of a large project is ended) and nothing is kept."""
    from factmark.core.agreement import agreement  # numpy and the counting when first needed
    from factmark.core.two_processes import Cancelled as Stopped
    from factmark.ui.background.agreement_report import agreement_html

    try:
        project = Project.open_beside(project_path, readonly=True)
    except ProjectError as error:
        return AgreementOutcome(error=str(error))
    # A progress handler aborts a running query once cancelled, as an export's does.
    project.conn.set_progress_handler(lambda: int(cancelled()), 200)
    try:
        figures = agreement(project, cancelled=cancelled, examples=DISAGREEMENTS_LISTED, table=True)
    except Stopped:
        return AgreementOutcome(cancelled=True)
    except (ProjectError, OSError, sqlite3.Error) as error:
        if cancelled():
            return AgreementOutcome(cancelled=True)
        if isinstance(error, OSError):  # the second process failed, as factmark agree says
            return AgreementOutcome(error=f"{project_path}: {error.strerror or error}")
        return AgreementOutcome(error=str(error))
    finally:
        project.close()
    # The report made here too: at 100,000 articles its HTML takes seconds.
    return AgreementOutcome(figures=figures, report=agreement_html(figures))


@dataclass
class IndexOutcome:
    """How many documents were indexed, and why the filling stopped early if it did."""

    indexed: int = 0
    error: str | None = None


def fill_search_index(
    project_path: Path,
    progress: Progress,
    cancelled: Cancelled,
    wait_turn: Callable[[], object] = lambda: None,
    still_quiet: Callable[[], bool] = lambda: True,
) -> IndexOutcome:
    """Add the documents the project's search index does not know yet to it,
    :data:`SEARCH_INDEX_CHUNK` a transaction, until none is left or ``cancelled()``;
    ``progress(done, total, "")`` after each.

    ``wait_turn()`` returns when the window has made no edit for a moment; the project
    is opened then (without reading it through: the window opened and checked it) and
    indexed while ``still_quiet()``, then closed until the next turn: a label key never
    waits for the index. A project that cannot be written (read-only, busy
    beyond the wait, gone) ends the filling with its error: searches go on checking the
    documents not indexed one by one."""
    outcome = IndexOutcome()
    total: int | None = None
    caught_up = False
    try:
        while not caught_up:
            wait_turn()
            if cancelled():
                break
            with Project.open_beside(project_path) as project:
                if total is None:
                    total = project.documents_not_indexed()
                while not caught_up and still_quiet() and not cancelled():
                    caught_up = project.index_new_documents(SEARCH_INDEX_CHUNK)
                    outcome.indexed += SEARCH_INDEX_CHUNK
                    total = max(total, outcome.indexed + (0 if caught_up else 1))  # more came
                    progress(min(outcome.indexed, total), total, "")
        outcome.indexed = min(outcome.indexed, total or 0)
    except ProjectError as error:
        outcome.error = str(error)
    return outcome


def _describe_os_error(error: OSError, output: Path, fmt: str) -> str:
    """Say what went wrong with the output path in the user's terms."""
    if output.is_dir() and not writes_folder(fmt):
        return f"{output} is a folder; choose a file name to export to"
    blocker = next((p for p in (output.parent, *output.parent.parents) if p.exists()), None)
    if blocker is not None and not blocker.is_dir():
        return f"cannot create the folder {output.parent}: {blocker} is a file, not a folder"
    where = error.filename or output
    return f"cannot write {where}: {error.strerror or error}"


# -- jobs: a worker on its own QThread ---------------------------------------------


class _Worker(QObject):
    """Lives in the job's thread and runs the work there."""

    progressed = Signal(int, int, str)
    done = Signal(object, object)  # the outcome; the error and its log's, if the work raised

    def __init__(self, work: Callable[[Progress], Any], crashed: Callable[[str], Any]) -> None:
        super().__init__()
        self._work = work
        self._crashed = crashed

    @Slot()
    def run(self) -> None:
        crash = None
        try:
            outcome = self._work(self.progressed.emit)
        except Exception as error:  # a bug must still end the job, not hang the window
            # Only logged here: a dialog shown from this thread would open under the
            # progress dialog and hold the window until it closed (see Job.crash).
            failure = log_error(error)
            crash = (error, failure)
            outcome = self._crashed(f"unexpected error: {told(error, failure)}")
        self.done.emit(outcome, crash)


# Jobs whose thread runs, so one dropped by its owner is not destroyed mid-run.
_running: set[Job] = set()


class Job(QObject):
    """Base of background jobs: start once, cancel any time, outcome by ``finished``."""

    progressed = Signal(int, int, str)  # done, total, current file name
    finished = Signal(object)  # the outcome

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cancel = threading.Event()
        self._thread: QThread | None = None
        self._worker: _Worker | None = None  # a Python reference keeps it alive while it runs
        self.outcome: Any = None
        # The work raised: its outcome's error names it, with where its report was logged.
        # The report is shown once the job has ended, unless its owner tells the outcome's
        # error itself (set shows_crash False: a progress dialog's caller, once it closed).
        self.crash: Exception | None = None
        self.shows_crash = True

    # Each job says what it does and how a crash is reported (ImportJob, ExportJob).
    # Not abc: Qt classes have a metaclass of their own.
    def _work(self, progress: Progress, cancelled: Cancelled) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must define _work")

    def _failed(self, message: str) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must define _failed")

    def start(self) -> None:
        """Run the work in a new thread; ``finished`` is emitted (once) when it ends."""
        if self._thread is not None:
            raise RuntimeError("a job runs only once")
        thread = QThread()
        thread.setObjectName(type(self).__name__)
        worker = _Worker(self._run_in_thread, self._failed)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        # quit() directly from the worker thread, so wait() can never deadlock.
        worker.done.connect(thread.quit, Qt.ConnectionType.DirectConnection)
        worker.progressed.connect(self.progressed)
        worker.done.connect(self._worker_done)
        thread.finished.connect(worker.deleteLater)
        self._thread, self._worker = thread, worker
        _running.add(self)
        thread.start()

    def _run_in_thread(self, progress: Progress) -> Any:
        outcome = self._work(progress, self._cancel.is_set)
        self.outcome = outcome  # readable after wait() even if the signal is never delivered
        return outcome

    def cancel(self) -> None:
        """Ask the work to stop at its next checkpoint (thread-safe)."""
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def is_running(self) -> bool:
        return self._thread is not None and self._thread.isRunning()

    def wait(self) -> None:
        """Block until the thread has ended (e.g. when the application quits mid-job)."""
        if self._thread is not None:
            self._thread.wait()
        self._worker = None  # deleted with deleteLater when its thread finished
        _running.discard(self)

    @Slot(object, object)
    def _worker_done(
        self, outcome: Any, crash: tuple[Exception, OSError | None] | None = None
    ) -> None:
        self.outcome = outcome
        self.wait()
        if crash is not None:
            self.crash = crash[0]
            if self.shows_crash:
                show_error(*crash)  # once back in the event loop, after finished
        self.finished.emit(outcome)


class _FilesJob(Job):
    """A job that brings other files into a project file (an import, a merge)."""

    def __init__(
        self, project_path: Path, paths: Sequence[Path], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.project_path = Path(project_path)
        self.paths = list(paths)


class ImportJob(_FilesJob):
    """Import files and folders (expanded with ``collect_files``) into a project file;
    with ``create_labels`` the labels the files name that the project lacks are added."""

    create_labels = False

    def _work(self, progress: Progress, cancelled: Cancelled) -> ImportOutcome:
        return import_paths(
            self.project_path, self.paths, progress, cancelled, create_labels=self.create_labels
        )

    def _failed(self, message: str) -> ImportOutcome:
        return ImportOutcome(error=message)


class ExportJob(Job):
    """Export a project file (opened read-only) in one format."""

    def __init__(
        self,
        project_path: Path,
        fmt: str,
        output: Path,
        selection: Selection,
        parent: QObject | None = None,
        split: Split | None = None,
        options: dict[str, str] | None = None,
        card: bool = True,
    ) -> None:
        super().__init__(parent)
        self.card = card
        self.project_path = Path(project_path)
        self.fmt = fmt
        self.output = Path(output)
        self.selection = selection
        self.split = split
        self.options = options

    def _work(self, progress: Progress, cancelled: Cancelled) -> ExportOutcome:
        return export_project(
            self.project_path,
            self.fmt,
            self.output,
            self.selection,
            cancelled,
            self.split,
            self.options,
            self.card,
        )

    def _failed(self, message: str) -> ExportOutcome:
        return ExportOutcome(error=message)


class ArchiveJob(_FilesJob):
    """Add files of earlier fact-checks to a project file's archive."""

    def _work(self, progress: Progress, cancelled: Cancelled) -> ArchiveOutcome:
        return add_to_archive(self.project_path, self.paths, progress, cancelled)

    def _failed(self, message: str) -> ArchiveOutcome:
        return ArchiveOutcome(error=message)


class AgreementJob(Job):
    """The agreement figures of a project file (opened read-only)."""

    def __init__(self, project_path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project_path = Path(project_path)

    def _work(self, progress: Progress, cancelled: Cancelled) -> AgreementOutcome:
        return agreement_figures(self.project_path, cancelled)

    def _failed(self, message: str) -> AgreementOutcome:
        return AgreementOutcome(error=message)


class CopyJob(Job):
    """A copy of a project file for another annotator (:func:`copy_project`)."""

    def __init__(
        self,
        project_path: Path,
        target: Path,
        annotator: str | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.project_path, self.target = Path(project_path), Path(target)
        self.annotator = annotator

    def _work(self, progress: Progress, cancelled: Cancelled) -> CopyOutcome:
        return copy_project(self.project_path, self.target, cancelled, self.annotator, progress)

    def _failed(self, message: str) -> CopyOutcome:
        return CopyOutcome(error=message)


class MergeJob(_FilesJob):
    """Merge copies (other project files) into a project file."""

    def _work(self, progress: Progress, cancelled: Cancelled) -> MergeOutcome:
        return merge_sources(self.project_path, self.paths, progress, cancelled)

    def _failed(self, message: str) -> MergeOutcome:
        return MergeOutcome(error=message)


class SearchIndexJob(Job):
    """:func:`fill_search_index` in a thread of its own (see ``search_index``): each
    transaction waits for ``quiet`` to be set; :meth:`cancel` sets it too."""

    def __init__(
        self, project_path: Path, quiet: threading.Event, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.project_path = project_path
        self.quiet = quiet

    def _work(self, progress: Progress, cancelled: Cancelled) -> IndexOutcome:
        quiet = self.quiet
        return fill_search_index(self.project_path, progress, cancelled, quiet.wait, quiet.is_set)

    def _failed(self, message: str) -> IndexOutcome:
        return IndexOutcome(error=message)

    def cancel(self) -> None:
        super().cancel()
        self.quiet.set()  # a filling waiting for its turn sees the cancel at once
