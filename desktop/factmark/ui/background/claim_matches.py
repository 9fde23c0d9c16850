"""Claims matched against the project's archive of earlier fact-checks, off the GUI thread.

The BM25 index (:class:`~factmark.core.claim_matching.ClaimMatcher`) is built in a worker
the first time a claim is looked up after the project opens, and kept for the next
look-ups; each look-up first reads the archive's version (a cheap query on the worker's
own read-only connection) and builds the index again when the archive changed (say,
``factmark archive add`` run beside the window). One look-up runs at a time.
"""

from __future__ import annotations

import threading
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from factmark.core.archive import archive_version, archived_reviews
from factmark.core.claim_matching import ClaimMatcher, Match
from factmark.core.project import Project, ProjectError

TOP = 3

Version = tuple[int, int, str]
Key = tuple[str, str]  # the claim's text, its language


@dataclass(frozen=True)
class Looked:
    """What a look-up found: the archive's version and size, and the best matches (None
    when the caller's cached matches are still those of this version)."""

    key: Key
    version: Version
    size: int
    matches: list[Match] | None


class ArchiveIndex:
    """The index of one project's archive, kept between look-ups (one at a time)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lock = threading.Lock()
        self.version: Version | None = None
        self.size = 0
        self.matcher: ClaimMatcher | None = None

    def look_up(self, key: Key, known: Version | None) -> Looked:
        """The best matches of a claim, building the index first when it is stale."""
        with self.lock:
            project = Project.open(self.path, create=False, readonly=True)
            try:
                version = archive_version(project)
                if version != self.version:
                    reviews = archived_reviews(project)
                    self.matcher = ClaimMatcher(reviews)
                    self.size, self.version = len(reviews), version
            finally:
                project.close()
            if known == version:
                return Looked(key, version, self.size, None)
            assert self.matcher is not None
            matches = self.matcher.match(key[0], key[1], TOP) if self.size else []
            return Looked(key, version, self.size, matches)


class _Found(QObject):
    """Carries a look-up back to the GUI thread."""

    done = Signal(object, object, object)  # the ArchiveIndex, the Key, a Looked or why not


class _LookUp(QRunnable):
    def __init__(self, index: ArchiveIndex, key: Key, known: Version | None, signals: _Found):
        super().__init__()
        self.index, self.key, self.known, self.signals = index, key, known, signals

    def run(self) -> None:
        result: Looked | str
        try:
            result = self.index.look_up(self.key, self.known)
        except ProjectError as error:
            result = f"The archive could not be read: {error}"
        except Exception as error:  # a matcher's bug must not leave the panel waiting
            from factmark.ui.errors import report_error

            report_error(error)
            result = f"Matching failed: {error}"
        # The window may have closed meanwhile: nobody is waiting for the answer.
        with suppress(RuntimeError):
            self.signals.done.emit(self.index, self.key, result)


class ClaimMatches(QObject):
    """Looks claims up in the background; ``found`` brings each answer back."""

    found = Signal(object)  # a Looked
    failed = Signal(object, str)  # the Key, why

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.index: ArchiveIndex | None = None
        self._signals = _Found(self)
        self._signals.done.connect(self._done)
        self._asked: set[Key] = set()  # look-ups running
        # A pool of its own: closing waits for look-ups, not for other background work.
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)

    def open(self, path: Path) -> None:
        """Work on this project's archive (its index built at the first look-up)."""
        self.index = ArchiveIndex(path)
        self._asked.clear()

    def look_up(self, key: Key, known: Version | None) -> None:
        """Find the best matches of a claim; ``known`` is the version of the matches the
        caller holds for it (the answer then says whether they still hold)."""
        if self.index is None or key in self._asked:
            return
        self._asked.add(key)
        self.pool.start(_LookUp(self.index, key, known, self._signals))

    @property
    def running(self) -> bool:
        return bool(self._asked)

    def _done(self, index: ArchiveIndex, key: Key, result: Looked | str) -> None:
        if index is not self.index:
            return  # an answer about the project open before
        self._asked.discard(key)
        if isinstance(result, str):
            self.failed.emit(key, result)
        else:
            self.found.emit(result)

    def wait(self) -> None:
        """Block until running look-ups are done (closing, tests)."""
        self.pool.waitForDone()
