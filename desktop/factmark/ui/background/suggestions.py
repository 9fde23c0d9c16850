"""Suggestions computed off the GUI thread; the result is stored when it comes back.

The suggesters are pure Python (Qt-free); a worker runs them on a copy of the text and
hands the proposals back by signal. A suggester that raises hands back its error
instead, so nothing stays "running".
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from factmark.core.model import Document
from factmark.core.project import Project, ProjectError


class _Computed(QObject):
    """Carries a finished computation back to the GUI thread."""

    done = Signal(int, object)  # document id, proposals (a list) or the error (a str)


class _Compute(QRunnable):
    """Runs the suggesters on a worker thread."""

    def __init__(
        self,
        document_id: int,
        text: str,
        learned: list[tuple[str, str]],
        language: str,
        labels: set[str],
        signals: _Computed,
    ) -> None:
        super().__init__()
        self.args = (document_id, text, learned, language, labels)
        self.signals = signals

    def run(self) -> None:
        document_id, text, learned, language, labels = self.args
        try:
            # Imported when first needed: the suggesters' tables are not on the start path.
            from factmark.core.suggest import suggest

            proposals = [
                p
                for p in suggest(text, project_spans=learned, language=language)
                if p.label in labels
            ]
        except Exception as error:  # a suggester's bug must not leave the document stuck
            from factmark.ui.errors import report_error

            report_error(error)
            self._hand_back(document_id, f"suggesting failed: {error}")
            return
        self._hand_back(document_id, proposals)

    def _hand_back(self, document_id: int, result: object) -> None:
        # The window may have closed meanwhile: nobody is waiting for these suggestions.
        with suppress(RuntimeError):
            self.signals.done.emit(document_id, result)


class SuggestionComputer(QObject):
    """Computes and stores suggestions for documents, one computation per document."""

    computed = Signal(int, int)  # document id, how many new suggestions were stored
    failed = Signal(str)

    def __init__(self, project: Callable[[], Project], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self._signals = _Computed(self)
        self._signals.done.connect(self._store)
        self.running: set[int] = set()

    def run(self, document: Document) -> None:
        """Compute suggestions for a document in the background; stored when done."""
        if document.id is None or document.id in self.running:
            return
        project = self.project()
        language = str(document.meta.get("lang") or document.meta.get("language") or "en")
        labels = {label.name for label in project.labels()}
        self.running.add(document.id)
        QThreadPool.globalInstance().start(
            _Compute(
                document.id, document.text, project.span_texts(), language, labels, self._signals
            )
        )

    def _store(self, document_id: int, proposals: list | str) -> None:  # type: ignore[type-arg]
        self.running.discard(document_id)
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
