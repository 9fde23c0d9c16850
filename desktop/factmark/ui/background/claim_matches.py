"""Claims matched against the project's archive of earlier fact-checks, off the GUI thread.

The BM25 index (:class:`~factmark.core.claim_matching.ClaimMatcher`) is built in a worker
the first time a claim is looked up after the project opens, and kept for the next
look-ups; each look-up first reads the archive's version (a cheap query on the worker's
own read-only connection) and builds the index again when the archive changed (say,
``factmark archive add`` run beside the window). One look-up runs at a time.

The same index finds the sentences of a document that closely match an archived claim
(View > Mark sentences checked before). The sentences are Qt's Unicode sentence
boundaries (``QTextBoundaryFinder``, UAX #29) rather than the spaCy sentencizer of the
``sentences`` export: they are the same in every install (spaCy is optional, and not in
every build), and they end a Chinese or Japanese sentence at 。 or ？ with no space after
it, where spaCy's multi-language tokenizer runs the sentences of a paragraph together.
"""

from __future__ import annotations

import threading
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRunnable, QTextBoundaryFinder, QThreadPool, Signal

from factmark.core.checked_sentences import CheckedSentence, checked_sentences
from factmark.core.project import Project, ProjectError
from factmark.ui.article.offsets import OffsetMap

if TYPE_CHECKING:  # the archive and its matcher are loaded by the worker, when first used
    from factmark.core.claim_matching import ClaimMatcher, Match

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
            version, matcher = self._current()
            if known == version:
                return Looked(key, version, self.size, None)
            matches = matcher.match(key[0], key[1], TOP) if self.size else []
            return Looked(key, version, self.size, matches)

    def sentences(self, document_id: int, text: str, language: str) -> Marked:
        """The sentences of a text that closely match an archived claim."""
        with self.lock:
            version, matcher = self._current()
            if not self.size:
                return Marked(document_id, version, [])
            found = checked_sentences(text, sentence_bounds(text), matcher, language)
            return Marked(document_id, version, found)

    def _current(self) -> tuple[Version, ClaimMatcher]:
        """The archive's version and its matcher, built again when the archive changed."""
        from factmark.core.archive import archive_version, archived_reviews
        from factmark.core.claim_matching import ClaimMatcher

        project = Project.open_beside(self.path, readonly=True)
        try:
            version = archive_version(project)
            if version != self.version or self.matcher is None:
                reviews = archived_reviews(project)
                self.matcher = ClaimMatcher(reviews)
                self.size, self.version = len(reviews), version
        finally:
            project.close()
        return version, self.matcher


@dataclass(frozen=True)
class Marked:
    """The sentences of a document that closely match an archived claim."""

    document_id: int
    version: Version
    found: list[CheckedSentence]


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """A text's sentences (Unicode's rules, UAX #29) as code-point bounds, without
    whitespace at their edges."""
    offsets = OffsetMap(text)
    finder = QTextBoundaryFinder(QTextBoundaryFinder.BoundaryType.Sentence, text)
    found, start = [], 0
    while (position := finder.toNextBoundary()) != -1:
        end = offsets.to_py(position)
        a, b = start, end
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            found.append((a, b))
        start = end
    return found


class _Found(QObject):
    """Carries a look-up back to the GUI thread."""

    done = Signal(object, object, object)  # the ArchiveIndex, the Key, a Looked or why not
    marked = Signal(object, int, object)  # the ArchiveIndex, the document, Marked or why not


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


class _MarkSentences(QRunnable):
    def __init__(
        self, index: ArchiveIndex, document_id: int, text: str, language: str, signals: _Found
    ):
        super().__init__()
        self.index, self.signals = index, signals
        self.args = (document_id, text, language)

    def run(self) -> None:
        document_id = self.args[0]
        result: Marked | str
        try:
            result = self.index.sentences(*self.args)
        except ProjectError as error:
            result = f"The archive could not be read: {error}"
        except Exception as error:  # a bug must not leave the document waiting
            from factmark.ui.errors import report_error

            report_error(error)
            result = f"Matching sentences failed: {error}"
        with suppress(RuntimeError):
            self.signals.marked.emit(self.index, document_id, result)


class ClaimMatches(QObject):
    """Looks claims up in the background; ``found`` brings each answer back."""

    found = Signal(object)  # a Looked
    failed = Signal(object, str)  # the Key, why
    sentences_found = Signal(object)  # a Marked
    sentences_failed = Signal(int, str)  # the document, why

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.index: ArchiveIndex | None = None
        self._signals = _Found(self)
        self._signals.done.connect(self._done)
        self._signals.marked.connect(self._marked)
        self._asked: set[Key] = set()  # look-ups running
        self._marking: set[int] = set()  # documents whose sentences are being matched
        # A pool of its own: closing waits for look-ups, not for other background work.
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)

    def open(self, path: Path) -> None:
        """Work on this project's archive (its index built at the first look-up)."""
        self.index = ArchiveIndex(path)
        self._asked.clear()
        self._marking.clear()

    def look_up(self, key: Key, known: Version | None) -> None:
        """Find the best matches of a claim; ``known`` is the version of the matches the
        caller holds for it (the answer then says whether they still hold)."""
        if self.index is None or key in self._asked:
            return
        self._asked.add(key)
        self.pool.start(_LookUp(self.index, key, known, self._signals))

    def mark_sentences(self, document_id: int, text: str, language: str) -> None:
        """Find the sentences of a document that closely match an archived claim."""
        if self.index is None or document_id in self._marking:
            return
        self._marking.add(document_id)
        self.pool.start(_MarkSentences(self.index, document_id, text, language, self._signals))

    @property
    def running(self) -> bool:
        return bool(self._asked or self._marking)

    def _marked(self, index: ArchiveIndex, document_id: int, result: Marked | str) -> None:
        if index is not self.index:
            return
        self._marking.discard(document_id)
        if isinstance(result, str):
            self.sentences_failed.emit(document_id, result)
        else:
            self.sentences_found.emit(result)

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
