"""Suggestion review: the suggestions of the document shown, the one in hand, and the
keys that accept or reject it (Enter, Backspace, Tab, Shift+Enter)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QTextCursor

from factmark.core.changes import ChangeSet
from factmark.core.model import Document, Suggestion
from factmark.core.operations import AcceptSuggestion, Compound, Operation, RejectSuggestion
from factmark.core.stacking import accepted_together
from factmark.core.text import counted
from factmark.ui.article.article_view import ArticleView
from factmark.ui.background.suggestions import SuggestionComputer
from factmark.ui.window.annotation import Annotation
from factmark.ui.window.session import Session
from factmark.ui.window.settings import Settings

LAST_REVIEWED = "Last suggestion reviewed; Tab starts again from the top ({waiting:,} left)."
NO_MORE = "No more suggestions: every one is reviewed."


class SuggestionReview(QObject):
    """Suggested spans to accept or reject, one key each.

    One suggestion at most is *in hand*: the one drawn strongest in the article, kept
    inside the visible viewport and shown in the suggestion panel. Only that one is
    accepted (Enter) or rejected (Backspace); it stops being in hand as soon as the
    user clicks or selects anything else, or presses Escape.
    """

    in_hand = Signal(object)  # the Suggestion in hand, or None

    def __init__(
        self,
        session: Session,
        settings: Settings,
        view: ArticleView,
        annotation: Annotation,
        tell: Callable[[str, int], None],
        withdraw: Callable[[str], None] = lambda _message: None,
        parent: QObject | None = None,
    ) -> None:
        """``tell(message, timeout)`` says something in the status bar; ``withdraw``
        clears a message it still shows (one about a suggestion let go)."""
        super().__init__(parent)
        self.session = session
        self.settings = settings
        self.view = view
        self.annotation = annotation
        self.tell = tell
        self.withdraw = withdraw
        self._said_in_hand = ""  # the last message about the suggestion in hand
        self.at_end = False  # the last one was reached: the next Tab starts from the top
        self.hidden_suggesters: set[str] = set()  # suggestions not shown (a view option)
        self._span_when_picked: int | None = None
        self.computer = SuggestionComputer(lambda: session.project, lambda: session.document, self)
        self.computer.computed.connect(self._computed)
        self.computer.failed.connect(lambda message: tell(message, 8000))
        self.computer.learning.connect(self._learning)
        session.document_shown.connect(self._shown)
        session.changed.connect(self.computer.changed)
        session.changed.connect(self._changed)
        session.project_opened.connect(lambda _project: self.computer.drop())
        view.suggestion_stepped.connect(self.step)
        view.suggestion_clicked.connect(self._clicked)
        view.span_clicked.connect(lambda _span_id: self.drop())
        view.selectionChanged.connect(self._selection_changed)

    # -- the suggestion in hand ---------------------------------------------------------

    @property
    def held(self) -> Suggestion | None:
        """The suggestion in hand, if any."""
        return self.view.suggestion(self.view.selected_suggestion_id)

    def pick(self, suggestion_id: int | None) -> None:
        """Take a suggestion in hand (None: none) and show it, scrolled into view."""
        self.view.select_suggestion(suggestion_id)
        chosen = self.held
        if chosen is not None:
            self.at_end = False
            if not self.visible(chosen):
                self.view.centerCursor()
        self.in_hand.emit(chosen)  # the window lets go of the selected span
        self._span_when_picked = self.view.selected_span_id

    def drop(self) -> None:
        """Let go of the suggestion in hand (the user chose something else); a message
        telling what Enter and Backspace do to it goes too."""
        if self.view.selected_suggestion_id is not None:
            self.view.select_suggestion(None)
            self.withdraw(self._said_in_hand)
        self.in_hand.emit(None)

    def position(self) -> tuple[int, int]:
        """The place of the suggestion in hand among those waiting (1-based; 0 for none),
        and how many wait."""
        shown = self.view.suggestions
        ids = [s.id for s in shown]
        chosen = self.view.selected_suggestion_id
        return (ids.index(chosen) + 1 if chosen in ids else 0), len(shown)

    def visible(self, suggestion: Suggestion) -> bool:
        """Whether the whole suggestion (its first line at least) is inside the viewport."""
        height = self.view.viewport().height()
        cursor = QTextCursor(self.view.document())
        cursor.setPosition(self.view.offsets.to_qt(suggestion.start))
        first = self.view.cursorRect(cursor)
        cursor.setPosition(self.view.offsets.to_qt(suggestion.end))
        last = self.view.cursorRect(cursor)
        if first.top() < 0 or first.bottom() > height:
            return False
        return last.bottom() <= height or last.top() - first.top() >= height

    def _clicked(self, suggestion_id: int) -> None:
        self.view.clear_selection()
        self.pick(suggestion_id)
        chosen = self.held
        if chosen is not None:
            self._tell_in_hand(
                self._describe(chosen, "In hand") + " Enter accepts, Backspace rejects.", 8000
            )

    def _selection_changed(self) -> None:
        if self.view.textCursor().hasSelection():
            self.drop()  # a text selection is what the keys act on now

    def _usable(self) -> Suggestion | None:
        """The suggestion in hand, when the keys may act on it: not once another span
        was selected since it was picked; and not while off screen (it is scrolled
        back into view instead, and the user told)."""
        chosen = self.held
        if chosen is None or chosen.id is None:
            return None
        if self.view.selected_span_id not in (None, self._span_when_picked):
            self.drop()  # a span was chosen since: the keys act on it instead
            return None
        if not self.visible(chosen):
            self.pick(chosen.id)
            self._tell_in_hand(
                "The suggestion in hand was off screen; here it is. Press again to act.", 8000
            )
            return None
        return chosen

    def _tell_in_hand(self, message: str, timeout: int) -> None:
        """Say what the keys do to the suggestion in hand (withdrawn once let go)."""
        self._said_in_hand = message
        self.tell(message, timeout)

    def _describe(self, chosen: Suggestion, verb: str) -> str:
        text = " ".join(self.view.text[chosen.start : chosen.end].split())
        if len(text) > 50:
            text = text[:49] + "…"
        return f"{verb} {chosen.label} “{text}”."

    def _shown(self, document: Document | None) -> None:
        self.at_end = False
        self.refresh()
        if document is not None and self.settings.suggest_on_open():
            self.computer.run(document)

    def _changed(self, changes: ChangeSet) -> None:
        if changes.suggestions_changed(self.session.document_id) or changes.documents_reloaded:
            self.refresh()

    def refresh(self) -> None:
        document_id = self.session.document_id
        shown = self.session.project.suggestions(document_id) if document_id else []
        if self.hidden_suggesters:
            shown = [s for s in shown if s.suggester not in self.hidden_suggesters]
        self.view.set_suggestions(shown)
        self.in_hand.emit(self.held)

    def suggest(self) -> None:
        """Propose spans for the current document (computed in the background)."""
        if self.session.document is None:
            return
        # The review keys (Enter, Backspace, Tab) act in the article: asked from the
        # document list, they went to the list and did nothing.
        self.view.setFocus()
        self.tell("Looking for numbers, places and sources…", 0)
        self.computer.run(self.session.document)

    def _learning(self, spans: int) -> None:
        if spans:
            self.tell(f"Learning from {counted(spans, 'labelled span')}…", 0)

    def _computed(self, document_id: int, added: int) -> None:
        if document_id == self.session.document_id:
            waiting = len(self.view.suggestions)
            self._tell_in_hand(
                f"{counted(added, 'new suggestion')}, {waiting:,} to review: Enter accepts and "
                "goes to the next, Backspace rejects, Tab skips, Shift+Enter accepts all.",
                10000,
            )
            if waiting and self.view.selected_suggestion_id is None:
                # From the cursor, a suggestion that starts there included: the first
                # word of an article opened (the cursor at 0) was left for last. With
                # the cursor past the last one, from the top: nothing is reviewed yet,
                # and the message above stays (not "last suggestion reviewed").
                cursor = self.view.cursor_offset()
                ahead = any(s.start >= cursor for s in self.view.suggestions)
                self.step(1, after=cursor if ahead else 0)

    def accept(self) -> bool:
        """Accept the suggestion in hand and go to the next; False if none is in hand."""
        return self._act(accepting=True)

    def reject(self) -> bool:
        """Reject the suggestion in hand and go to the next; False if none is in hand."""
        return self._act(accepting=False)

    def _act(self, accepting: bool) -> bool:
        shown_before = self.held is not None
        chosen = self._usable()
        document_id = self.session.document_id
        if chosen is None or chosen.id is None or document_id is None:
            return shown_before and self.held is not None  # brought back on screen: handled
        operation: Operation = (
            AcceptSuggestion(document_id, chosen.id, self.annotation.annotator())
            if accepting
            else RejectSuggestion(document_id, chosen.id)
        )
        if self.annotation.perform(operation):
            done = self._describe(chosen, "Accepted" if accepting else "Rejected")
            self.step(1, after=chosen.start, done=done)
        return True

    def accept_all(self) -> None:
        """Accept every suggestion of the document, as one undo step, but those that
        would stack on a span (core.stacking): the status bar counts what it left out."""
        document_id = self.session.document_id
        shown = [s for s in self.view.suggestions if s.id is not None]
        if document_id is None or not shown:
            self.tell("No suggestions to accept: Ctrl+Shift+S suggests spans.", 6000)
            return
        kept, left = accepted_together(shown, self.view.index.spans)
        if not kept:
            self.tell(f"Nothing accepted: {_left_out(left)}; Tab reviews them one by one.", 8000)
            return
        annotator = self.annotation.annotator()
        parts: list[Operation] = [AcceptSuggestion(document_id, s.id or 0, annotator) for s in kept]
        text = f"Accept {counted(len(parts), 'suggestion')}"
        if not self.annotation.perform(Compound(document_id, parts, text)):
            return
        said = f"Accepted {counted(len(parts), 'suggestion')}"
        if left:
            waiting = len(self.view.suggestions)
            said += f"; {_left_out(left)}" + (
                f" (Tab reviews the {waiting} still waiting)" if waiting else ""
            )
        self.tell(said + ".", 8000)

    def step(self, direction: int, after: int | None = None, done: str = "") -> None:
        """Take the next (+1) or previous (-1) suggestion in hand, from the one in hand,
        the given offset, or the cursor. Past the last (or before the first) one the
        end is announced and nothing is in hand; the next Tab starts again from the top
        (Shift+Tab from the bottom)."""
        lead = f"{done} " if done else ""
        shown = self.view.suggestions
        if not shown:
            self.pick(None)
            if done or direction:
                self.tell(lead + NO_MORE, 10000)
            return
        current = self.held
        point = (
            after
            if after is not None
            else (current.start if current else self.view.cursor_offset())
        )
        if direction > 0:
            later = [
                s for s in shown if s.start > point or (after is not None and s.start >= point)
            ]
            chosen = later[0] if later else (shown[0] if self.at_end else None)
        else:
            earlier = [s for s in shown if s.start < point]
            chosen = earlier[-1] if earlier else (shown[-1] if self.at_end else None)
        if chosen is None:
            self.pick(None)
            self.at_end = True
            end = (
                LAST_REVIEWED.format(waiting=len(shown))
                if direction > 0
                else f"First suggestion reached; Shift+Tab starts again from the bottom "
                f"({len(shown):,} left)."
            )
            self.tell(lead + end, 10000)
            return
        self.pick(chosen.id)
        if done:
            number, waiting = self.position()
            self._tell_in_hand(
                f"{lead}Next: {number:,} of {waiting:,}. Enter accepts, Backspace rejects.", 8000
            )


def _left_out(left: list[Suggestion]) -> str:
    """Accept all's words for the suggestions it left out (core.stacking)."""
    return f"left out {counted(len(left), 'suggestion')} on text a span already marks"
