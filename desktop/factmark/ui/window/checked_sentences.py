"""View > Mark sentences checked before: the sentences of the document shown that closely
match a claim in the project's archive of earlier fact-checks become claim suggestions
(suggester ``archive``), reviewed like every suggestion (Tab, Enter, Backspace); the
suggestion panel names the review each one matched.

The sentences are matched off the GUI thread, on the index Previously checked keeps
(:class:`~factmark.ui.background.claim_matches.ClaimMatches`); the suggestions are stored
when the answer comes back. Turning the option off hides the archive's suggestions (they
stay stored, and come back when it is turned on again).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from factmark.core.model import ARCHIVE_SUGGESTER, Document, Suggestion
from factmark.core.project import ProjectError
from factmark.core.text import counted
from factmark.ui.window.review import SuggestionReview
from factmark.ui.window.session import Session
from factmark.ui.window.settings import Settings

if TYPE_CHECKING:
    from factmark.core.claim_matching import Match
    from factmark.ui.background.claim_matches import ClaimMatches, Marked

NO_ARCHIVE = (
    "No sentence can match: the project's archive of earlier fact-checks is empty "
    "(File > Add fact-check archive… brings one in)."
)


class CheckedSentences(QObject):
    """Marks the sentences of each document shown that were checked before, while on."""

    def __init__(
        self,
        session: Session,
        settings: Settings,
        review: SuggestionReview,
        matches: Callable[[], ClaimMatches],
        tell: Callable[[str, int], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.settings = settings
        self.review = review
        self._look_ups = matches  # Previously checked's, made when first asked for
        self._matches: ClaimMatches | None = None
        self.tell = tell
        self.on = settings.mark_checked_sentences()
        # The review each sentence matched: (document id, start, end) -> match.
        self.reviews: dict[tuple[int, int, int], Match] = {}
        if not self.on:
            review.hidden_suggesters.add(ARCHIVE_SUGGESTER)
        session.document_shown.connect(self._shown)
        session.project_opened.connect(lambda _project: self.reviews.clear())

    @property
    def matches(self) -> ClaimMatches:
        """The archive's look-ups, heard from the first sentences asked for."""
        if self._matches is None:
            matches = self._look_ups()
            matches.sentences_found.connect(self._found)
            matches.sentences_failed.connect(lambda _document, why: self.tell(why, 8000))
            self._matches = matches
        return self._matches

    def set_on(self, on: bool) -> None:
        """Turn marking on (the document shown is matched now) or off (the archive's
        suggestions are hidden)."""
        if on == self.on:
            return
        self.on = on
        self.settings.set_mark_checked_sentences(on)
        if on:
            self.review.hidden_suggesters.discard(ARCHIVE_SUGGESTER)
        else:
            self.review.hidden_suggesters.add(ARCHIVE_SUGGESTER)
        self.review.refresh()
        if on:
            self._mark(self.session.document, announce=True)

    def archive_changed(self) -> None:
        """The archive grew from this window: match the document shown again."""
        if self.on:
            self._mark(self.session.document, announce=False)

    def _shown(self, document: Document | None) -> None:
        if self.on:
            self._mark(document, announce=False)

    def _mark(self, document: Document | None, announce: bool) -> None:
        if document is None or document.id is None:
            return
        if announce:
            self.tell("Looking for sentences checked before in the archive…", 0)
        # With Previously checked, made after the window's first paint.
        from factmark.ui.window.previously_checked import document_language

        self.matches.mark_sentences(document.id, document.text, document_language(document))

    def _found(self, marked: Marked) -> None:
        if not self.on:
            return
        for sentence in marked.found:
            self.reviews[(marked.document_id, sentence.start, sentence.end)] = sentence.match
        try:
            added = self.session.project.add_suggestions(
                marked.document_id, [s.proposal() for s in marked.found]
            )
        except (ProjectError, ValueError) as error:  # the document went meanwhile
            self.tell(f"Sentences checked before were not marked: {error}", 8000)
            return
        if marked.document_id != self.session.document_id:
            return
        self.review.refresh()
        shown = self.review.view.suggestions
        if added and self.review.held is None:
            first = next((s for s in shown if s.suggester == ARCHIVE_SUGGESTER), None)
            if first is not None:
                self.review.pick(first.id)
        if added:
            self.tell(
                f"{counted(added, 'sentence')} checked before, marked as claim suggestions: "
                "Tab goes to each, Enter accepts, Backspace rejects.",
                10000,
            )
        elif not marked.found:
            from factmark.core.archive import archive_size  # loaded by the look-up

            if archive_size(self.session.project) == 0:
                self.tell(NO_ARCHIVE, 10000)
            else:
                self.tell("No sentence of this document closely matches the archive.", 6000)

    def describe(self, suggestion: Suggestion | None) -> tuple[str, str]:
        """For the suggestion panel: the review a sentence suggestion matched, in short
        (rating, publisher, the review's claim), and in full (with its date and URL)."""
        if suggestion is None or suggestion.suggester != ARCHIVE_SUGGESTER:
            return "", ""
        found = self.reviews.get((suggestion.document_id or 0, suggestion.start, suggestion.end))
        if found is None:
            return "Checked before (the review is being looked up)", ""
        review = found.review
        claim = " ".join(review.claim.split())
        head = " · ".join(p for p in (review.rating, review.reviewer) if p)
        short = claim if len(claim) <= 32 else claim[:31] + "…"
        full = " · ".join(p for p in (review.rating, review.reviewer, review.date) if p)
        return (
            f"Checked before: {head}, “{short}”",
            f"Checked before: {full}\n“{claim}”\n{review.url}",
        )
