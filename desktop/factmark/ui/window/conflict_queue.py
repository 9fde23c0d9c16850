"""The merge conflict queue in review mode: F7 shows the next conflict (its document
opened, the span selected, both versions in the conflict panel), F8 takes the copy's
version and Shift+F8 keeps this project's, each one undo step (core.conflicts)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from factmark.core.changes import ChangeSet
from factmark.core.text import counted
from factmark.ui.article.article_view import ArticleView
from factmark.ui.panels.conflict_panel import ConflictPanel
from factmark.ui.window.session import Session

if TYPE_CHECKING:
    from factmark.core.conflicts import MergeConflict

NONE_WAITING = "No merge conflicts waiting: every one is settled."
NONE_IN_HAND = "No merge conflict shown: F7 shows the next one."


class ConflictQueue(QObject):
    """The open conflicts of the project and the one in hand."""

    def __init__(
        self,
        session: Session,
        view: ArticleView,
        panel: ConflictPanel,
        select: Callable[[int | None], None],
        review_on: Callable[[], None],
        tell: Callable[[str, int], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.view = view
        self.panel = panel
        self.select = select  # selects a span in the article, the list and the details
        self.review_on = review_on
        self.tell = tell
        self.in_hand: MergeConflict | None = None
        self._open: set[int] = set()  # the open conflicts last seen, to tell a reopened one
        panel.hide()
        session.changed.connect(self._changed)
        session.project_opened.connect(lambda _project: self.drop())

    def waiting(self) -> list[MergeConflict]:
        """The open conflicts, by document then age."""
        from factmark.core.conflicts import conflicts  # only once a merge left some

        return conflicts(self.session.project)

    def next(self) -> None:
        """Show the open conflict after the one in hand (the first after the last)."""
        waiting = self.waiting()
        if not waiting:
            self.drop()
            self.tell(NONE_WAITING, 8000)
            return
        self.review_on()
        after = self.in_hand.id if self.in_hand is not None else -1
        ids = [c.id for c in waiting]
        chosen = next((c for c in waiting if c.id > after), waiting[0])
        self._show(chosen, ids.index(chosen.id) + 1, len(waiting))

    def take(self, side: str) -> None:
        """Settle the conflict in hand with ``side`` ("source": the copy's version)."""
        found = self.in_hand
        if found is None:
            self.tell(NONE_IN_HAND if self.waiting() else NONE_WAITING, 8000)
            return
        from factmark.core.conflicts import DecideConflict

        if not self.session.perform(DecideConflict(found.id, side)):
            return
        done = "Took the copy's version" if side == "source" else "Kept this project's version"
        left = len(self.waiting())
        if left:
            self.next()  # its span selected (and named), then what was done said over it
        else:
            self.drop()
        self.tell(f"{done} of {found.what()}; {counted(left, 'conflict')} left (F7).", 8000)

    def drop(self) -> None:
        """Let go of the conflict in hand and hide the panel."""
        self.in_hand = None
        self.panel.hide()

    def _show(self, found: MergeConflict, position: int, waiting: int) -> None:
        self.in_hand = found
        self._open = {c.id for c in self.waiting()}
        if self.session.document_id != found.document_id:
            self.session.show_document(found.document_id)
        self.panel.show_conflict(found, position, waiting, self._here_from(found))
        self.panel.show()  # first: the article is shorter now, and the span must show in it
        key = found.span_key  # a link's conflict shows its head span
        if key is not None:
            _, start, end, _ = key
            for span in self.session.project.spans(found.document_id):
                if (span.annotator, span.start, span.end, span.label) == key:
                    self.select(span.id)
                    self.view.select_span(span.id)  # scrolled into the article's view
                    break
            else:
                self.select(None)
                self.view.select_range(start, end)  # deleted here: show where it was
            # Once the panel has taken its room, the span is brought to the middle of the view.
            QTimer.singleShot(0, self.view.centerCursor)

    def _here_from(self, found: MergeConflict) -> str | None:
        """The copy this project's version of a span came from (its recorded origin),
        None when it was made here or is no span's."""
        if found.kind != "span" or found.key is None:
            return None
        for span in self.session.project.spans(found.document_id):
            if (span.annotator, span.start, span.end, span.label) == found.key and span.id:
                from factmark.core.copies import origin_copy  # only once a merge left some

                return origin_copy(self.session.project, span.id)
        return None

    def _changed(self, changes: ChangeSet) -> None:
        if not changes.conflicts:
            return
        waiting = self.waiting()
        ids = [c.id for c in waiting]
        reopened = [c for c in waiting if c.id not in self._open]
        self._open = set(ids)
        if reopened and self.panel.isVisible():  # an undo: show the conflict it reopened
            self._show(reopened[0], ids.index(reopened[0].id) + 1, len(waiting))
        elif self.in_hand is not None and self.in_hand.id in ids:
            found = waiting[ids.index(self.in_hand.id)]
            position = ids.index(found.id) + 1
            self.panel.show_conflict(found, position, len(waiting), self._here_from(found))
