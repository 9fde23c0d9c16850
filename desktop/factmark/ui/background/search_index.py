"""The document list's search index, filled in the background.

An import stores its documents without adding them to the search index (the trigram
index took a third of an import's time); the window adds them here, on a connection of
its own, a few hundred documents a transaction (``jobs.fill_search_index``), a moment
after a project opens and after anything brought documents in (an import, a merge).
Meanwhile a search checks every document the index does not know yet (see
``Project._document_filter``): the same answers, found more slowly. A transaction is
written only once the window has made no edit for :data:`QUIET_AFTER_MS` (someone
labelling is not kept waiting for the write lock) and holds it for under a tenth of a
second, so a label key pressed just then waits at most that long.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from factmark.core.project import Project, ProjectError

if TYPE_CHECKING:  # the jobs module is imported when the first filling starts
    from factmark.ui.background.jobs import SearchIndexJob

#: The filling starts this long after a project opens: the window first takes keys.
START_AFTER_MS = 1000
#: Each transaction of the filling waits until the window has made no edit this long.
QUIET_AFTER_MS = 1000


class SearchIndexer(QObject):
    """Keeps the window's project's search index filled: one job at a time, started
    again when more documents came while it ran, stopped when the window closes."""

    #: Documents still to index (0: the index knows every document).
    left = Signal(int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._job: SearchIndexJob | None = None
        self._project: Project | None = None
        self._again = False
        # Set while the window has made no edit for QUIET_AFTER_MS: the job waits on it
        # (asleep, not polling: a thread waking now and then would take the interpreter
        # lock from the label keys).
        self._quiet = threading.Event()
        self._quiet.set()
        self._quiet_timer = QTimer(self, singleShot=True)
        self._quiet_timer.timeout.connect(self._quiet.set)
        self._timer = QTimer(self, singleShot=True, interval=START_AFTER_MS)
        self._timer.timeout.connect(self._start)

    def catch_up(self, project: Project) -> None:
        """Index what ``project`` (the window's) lacks, from a moment from now."""
        self._project = project
        if self._job is not None:
            self._again = True  # documents may have come after the running job looked
            if self._job.project_path != project.path:
                self._job.cancel()
            return
        self._timer.start()

    def edited(self) -> None:
        """The window is about to change the project: the filling waits a moment."""
        self._quiet.clear()
        self._quiet_timer.start(QUIET_AFTER_MS)

    def stop(self) -> None:
        """Stop indexing (the window closes): the chunk being written is finished."""
        self._timer.stop()
        self._quiet_timer.stop()
        self._quiet.set()
        self._project = None
        job, self._job = self._job, None
        if job is not None:
            job.cancel()
            job.wait()
        self.left.emit(0)

    def running(self) -> bool:
        return self._job is not None

    def _start(self) -> None:
        project = self._project
        if project is None or project.readonly or self._job is not None:
            return
        try:
            left = project.documents_not_indexed()
        except ProjectError:
            return  # the window says what is wrong with its project when it is used
        self.left.emit(left)
        if not left:
            return
        from factmark.ui.background.jobs import SearchIndexJob  # not needed to start

        job = self._job = SearchIndexJob(project.path, self._quiet, self)
        job.progressed.connect(lambda done, total, _name: self.left.emit(max(total - done, 1)))
        job.finished.connect(lambda _outcome: self._ended(job))
        job.start()

    def _ended(self, job: SearchIndexJob) -> None:
        if job is not self._job:
            return  # stopped: stop() has said so
        self._job = None
        again, self._again = self._again, False
        if again:
            self._start()
        else:
            self.left.emit(0)
