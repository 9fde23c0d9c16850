"""Suggestions computed off the GUI thread; the result is stored when it comes back.

The suggesters are pure Python (Qt-free); a worker runs them on a copy of the text and
hands the proposals back by signal. A suggester that raises hands back its error
instead, so nothing stays "running".

What the project has labelled (the project suggester's :class:`LearnedPhrases`) is
learned by a worker, on a read-only connection of its own, the first time suggestions
are asked for after the project opens, and kept: every span added, relabelled or
deleted in the window changes it (the GUI thread queues the edit; the worker applies
the queue before it proposes), so the next document needs no learning. An import, a
merge or a change of labels has it learned again when next needed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from factmark.core.changes import ChangeSet, Edit
from factmark.core.model import Document, Span, ValidationError
from factmark.core.project import Project, ProjectError

if TYPE_CHECKING:  # the suggesters are imported by the worker, when first needed
    from factmark.core.suggest import LearnedPhrases

# A span edit heard, with the texts of its old and new span when they were at hand.
Heard = tuple[Edit[Span], str | None, str | None]


class ProjectPhrases:
    """What one project has labelled, learned once and kept up to date.

    The GUI thread only queues (:meth:`heard`, :meth:`forget`); a worker, holding
    :attr:`lock`, brings the learned phrases up to date (:meth:`current`) and proposes
    with them, so two threads never touch them at once.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lock = threading.Lock()  # held by the worker that uses the learned phrases
        self._queue_lock = threading.Lock()  # guards the queue and the flag below
        self._queue: list[Heard] = []
        self._stale = True  # learn again from the whole project when next needed
        self._learned: LearnedPhrases | None = None
        self.learnings = 0  # how many times the whole project was read (tests, logs)
        self._cancelled = threading.Event()

    # -- the GUI thread -----------------------------------------------------------------

    def heard(self, edits: list[Heard]) -> None:
        """Spans were added, changed or deleted (their edits as the project reported)."""
        with self._queue_lock:
            if not self._stale:
                self._queue += edits

    def cancel(self) -> None:
        """Stop learning (the window closes, another project opens): a worker reading the
        project stops within 10,000 spans and its suggestions fail."""
        self._cancelled.set()

    def forget(self) -> None:
        """Learn again from the whole project when next needed (after an import, say)."""
        with self._queue_lock:
            self._stale = True
            self._queue.clear()

    # -- a worker, holding the lock -------------------------------------------------------

    def current(self, learning: Callable[[int], None]) -> LearnedPhrases:
        """The learned phrases, up to date with every edit heard; learned from the whole
        project first when needed (``learning(spans)`` is told before)."""
        with self._queue_lock:
            stale, self._stale = self._stale or self._learned is None, False
            queued, self._queue = self._queue, []
        if stale:
            try:
                self._learned = self._learn(learning)
            except BaseException:
                with self._queue_lock:
                    self._stale = True  # try again next time
                raise
            return self._learned
        assert self._learned is not None
        if queued:
            project = _Reader(self.path)
            try:
                for edit, old_text, new_text in queued:
                    if edit.old is not None:
                        self._learned.remove(old_text or project.text(edit.old), edit.old.label)
                    if edit.new is not None:
                        self._learned.add(new_text or project.text(edit.new), edit.new.label)
            finally:
                project.close()
        return self._learned

    def _learn(self, learning: Callable[[int], None]) -> LearnedPhrases:
        from factmark.core.suggest import LearnedPhrases

        project = _Reader(self.path)
        try:
            with project.project.snapshot():
                learning(project.project.span_count())
                learned = LearnedPhrases(self._unless_cancelled(project.project))
                self.learnings += 1
                # Edits heard while reading may be in what was read, or not: each span they
                # touched counts as it was read, replaced by its state now.
                with self._queue_lock:
                    queued, self._queue = self._queue, []
                latest: dict[int, Span | None] = {}
                texts: dict[int, str | None] = {}
                for edit, _old_text, new_text in queued:
                    key = (edit.new or edit.old).id or 0  # type: ignore[union-attr]
                    latest[key], texts[key] = edit.new, new_text
                for span_id, now in latest.items():
                    read = project.span(span_id)
                    if read is not None:
                        learned.remove(project.text(read), read.label)
                    if now is not None:
                        learned.add(texts[span_id] or project.text(now), now.label)
        finally:
            project.close()
        return learned

    def _unless_cancelled(self, project: Project) -> Iterator[tuple[str, str]]:
        from factmark.core.suggest.learned import MIN_LENGTH

        for n, pair in enumerate(project.labelled_texts(MIN_LENGTH)):
            if n % 10_000 == 0 and self._cancelled.is_set():
                raise ProjectError(f"{self.path}: learning its labelled text was cancelled")
            yield pair


class _Reader:
    """A read-only connection of the worker's own, opened when first needed."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._project: Project | None = None

    @property
    def project(self) -> Project:
        if self._project is None:
            self._project = Project.open_beside(self.path, readonly=True)
        return self._project

    def text(self, span: Span) -> str:
        return self.project.span_text(span.document_id or 0, span.start, span.end) or ""

    def span(self, span_id: int) -> Span | None:
        try:
            return self.project.span(span_id)
        except ValidationError:
            return None

    def close(self) -> None:
        if self._project is not None:
            self._project.close()


class _Computed(QObject):
    """Carries a finished computation back to the GUI thread."""

    # the ProjectPhrases, the document id, proposals (a list) or the error (a str)
    done = Signal(object, int, object)
    learning = Signal(object, int)  # the ProjectPhrases, how many spans it learns from


class _Compute(QRunnable):
    """Runs the suggesters on a worker thread."""

    def __init__(
        self,
        document_id: int,
        text: str,
        phrases: ProjectPhrases,
        language: str,
        labels: set[str],
        signals: _Computed,
    ) -> None:
        super().__init__()
        self.args = (document_id, text, language, labels)
        self.phrases = phrases
        self.signals = signals

    def run(self) -> None:
        document_id, text, language, labels = self.args
        phrases = self.phrases
        try:
            # Imported when first needed: the suggesters' tables are not on the start path.
            from factmark.core.suggest import suggest

            with phrases.lock:
                learned = phrases.current(lambda spans: self._tell_learning(spans))
                proposals = [
                    p
                    for p in suggest(text, learned=learned, language=language)
                    if p.label in labels
                ]
        except Exception as error:  # a suggester's bug must not leave the document stuck
            if not isinstance(error, ProjectError):
                from factmark.ui.errors import report_error

                report_error(error)
            self._hand_back(document_id, f"suggesting failed: {error}")
            return
        self._hand_back(document_id, proposals)

    def _tell_learning(self, spans: int) -> None:
        with suppress(RuntimeError):
            self.signals.learning.emit(self.phrases, spans)

    def _hand_back(self, document_id: int, result: object) -> None:
        # The window may have closed meanwhile: nobody is waiting for these suggestions.
        with suppress(RuntimeError):
            self.signals.done.emit(self.phrases, document_id, result)


class SuggestionComputer(QObject):
    """Computes and stores suggestions for documents, one computation per document,
    keeping what the open project has labelled learned between them."""

    computed = Signal(int, int)  # document id, how many new suggestions were stored
    failed = Signal(str)
    learning = Signal(int)  # learning from this many labelled spans (before suggesting)

    def __init__(
        self,
        project: Callable[[], Project],
        shown: Callable[[], Document | None] = lambda: None,
        parent: QObject | None = None,
    ) -> None:
        """``shown`` gives the document on screen, whose text spares reading spans'."""
        super().__init__(parent)
        self.project = project
        self.shown = shown
        self._signals = _Computed(self)
        self._signals.done.connect(self._store)
        self._signals.learning.connect(self._learning)
        self.running: set[int] = set()
        self.phrases: ProjectPhrases | None = None  # of the open project, once needed

    def run(self, document: Document) -> None:
        """Compute suggestions for a document in the background; stored when done."""
        if document.id is None or document.id in self.running:
            return
        project = self.project()
        if self.phrases is None or self.phrases.path != project.path:
            self.phrases = ProjectPhrases(project.path)
        language = str(document.meta.get("lang") or document.meta.get("language") or "en")
        labels = {label.name for label in project.labels()}
        self.running.add(document.id)
        QThreadPool.globalInstance().start(
            _Compute(document.id, document.text, self.phrases, language, labels, self._signals)
        )

    def changed(self, changes: ChangeSet) -> None:
        """Keep what was learned up to date with a change of the project."""
        phrases = self.phrases
        if phrases is None:
            return  # nothing learned yet: the whole project is read when first needed
        if changes.documents_reloaded or changes.labels or changes.label_renamed:
            phrases.forget()
            return
        if not changes.spans:
            return
        shown = self.shown()
        text = shown.text if shown is not None else None
        document_id = shown.id if shown is not None else None

        def text_of(span: Span | None) -> str | None:
            if span is None or span.document_id != document_id or text is None:
                return None  # read by the worker
            return text[span.start : span.end]

        phrases.heard(
            [(edit, text_of(edit.old), text_of(edit.new)) for edit in changes.spans.values()]
        )

    def drop(self) -> None:
        """Forget the open project's learned phrases (another project opens, the window
        closes); learning them stops."""
        if self.phrases is not None:
            self.phrases.cancel()
        self.phrases = None

    def _learning(self, phrases: ProjectPhrases, spans: int) -> None:
        if phrases is self.phrases:
            self.learning.emit(spans)

    def _store(self, phrases: ProjectPhrases, document_id: int, proposals: list | str) -> None:  # type: ignore[type-arg]
        self.running.discard(document_id)
        if phrases is not self.phrases:
            return  # proposals for the project open before
        if isinstance(proposals, str):
            self.failed.emit(proposals)
            return
        try:
            added = self.project().add_suggestions(document_id, proposals)
        except (ProjectError, ValueError) as error:
            self.failed.emit(str(error))
            return
        self.computed.emit(document_id, added)

    def wait(self) -> None:
        """Block until running computations are done (tests, closing)."""
        QThreadPool.globalInstance().waitForDone()
