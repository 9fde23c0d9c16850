"""Previously checked: the selected claim's best matches in the project's archive of
earlier fact-checks, shown under its details, and the keys (Alt+1 to Alt+3, Shift+Alt+C
for the best) and buttons that link the claim to one of them (stored on the span as the
attributes ``fact_check_url`` and ``fact_check_rating``, so every export carries them in
``attrs``).

Matching runs off the GUI thread (:mod:`factmark.ui.background.claim_matches`); the
matches are cached per claim text and language until the archive changes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from factmark.core.model import Document, Span, ValidationError
from factmark.core.project import Project
from factmark.ui.article.article_view import ArticleView
from factmark.ui.panels.previously_checked import (
    EMPTY_ARCHIVE,
    LOOKING,
    NO_MATCH,
    PreviouslyCheckedList,
)
from factmark.ui.window.annotation import Annotation
from factmark.ui.window.session import Session

if TYPE_CHECKING:
    from factmark.core.claim_matching import Match
    from factmark.ui.background.claim_matches import ClaimMatches, Key, Looked, Version

CLAIM = "claim"
ORDINALS = ("best", "second", "third")
URL_ATTRIBUTE = "fact_check_url"
RATING_ATTRIBUTE = "fact_check_rating"


def document_language(document: Document | None) -> str:
    """A document's language (its ``lang`` metadata) as a tag; empty (English) when it
    has none or not one."""
    from factmark.core.archive import language_tag  # with the archive, not at start

    meta = document.meta if document is not None else {}
    value = meta.get("lang") or meta.get("language") or ""
    try:
        return language_tag(value.strip()) if isinstance(value, str) else ""
    except ValidationError:
        return ""


class PreviouslyChecked(QObject):
    """Keeps the "Previously checked" list in step with the selected claim."""

    def __init__(
        self,
        session: Session,
        view: ArticleView,
        annotation: Annotation,
        panel: PreviouslyCheckedList,
        tell: Callable[[str], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.view = view
        self.annotation = annotation
        self.panel = panel
        self.tell = tell
        self._matches: ClaimMatches | None = None  # made, with its module, when first used
        self._cache: dict[Key, list[Match]] = {}
        self._version: Version | None = None
        self._size: int | None = None
        self._shown: Key | None = None  # the claim the list is about
        self._linked = ""  # the URL the claim shown is linked to
        self._opened(session.project)
        session.project_opened.connect(self._opened)
        panel.link_chosen.connect(self.link)

    @property
    def matches(self) -> ClaimMatches:
        """The look-ups in the open project's archive, made at the first (a start that
        selects no claim goes without them and their module)."""
        if self._matches is None:
            from factmark.ui.background.claim_matches import ClaimMatches

            matches = ClaimMatches(self)
            matches.open(self.session.project.path)
            matches.found.connect(self._found)
            matches.failed.connect(self._failed)
            self._matches = matches
        return self._matches

    def wait(self) -> None:
        """Block until running look-ups are done (closing: a look-up reads the project)."""
        if self._matches is not None:
            self._matches.wait()

    def _opened(self, project: Project) -> None:
        """Another project: its archive, its index (built at the first look-up)."""
        if self._matches is not None:
            self._matches.open(project.path)
        self._cache.clear()
        self._version = self._size = self._shown = None
        self.panel.hide()

    # -- showing ------------------------------------------------------------------------

    def show_span(self, span: Span | None, text: str) -> None:
        """The details show ``span``: for a claim, show its matches (cached, or looked
        up in the background); for anything else, no list."""
        if span is None or span.label != CLAIM or not text.strip():
            self._shown = None
            self.panel.hide()
            return
        key = (text, self._language())
        self._shown = key
        self._linked = str(span.attrs.get(URL_ATTRIBUTE, ""))
        cached = self._cache.get(key)
        if cached is None:
            self.panel.show_message(LOOKING)
        else:
            self._show(cached)
        # Cached matches are checked against the archive's version (it may have grown).
        self.matches.look_up(key, self._version if cached is not None else None)

    def refresh(self) -> None:
        """Look the claim shown up again (the archive changed from this window)."""
        if self._shown is not None:
            self.matches.look_up(self._shown, None)

    def _found(self, looked: Looked) -> None:
        if looked.version != self._version:
            self._cache.clear()
            self._version = looked.version
        self._size = looked.size
        if looked.matches is not None:
            self._cache[looked.key] = looked.matches
        elif looked.key not in self._cache:  # dropped meanwhile: ask for the matches
            self.matches.look_up(looked.key, None)
            return
        if looked.key == self._shown:
            self._show(self._cache[looked.key])

    def _failed(self, key: Key, why: str) -> None:
        if key == self._shown:
            self.panel.show_message(why)

    def _show(self, matches: list[Match]) -> None:
        if self._size == 0:
            self.panel.show_empty_archive()
        else:
            self.panel.show_matches(matches, self._linked)

    def _language(self) -> str:
        return document_language(self.session.document)

    # -- linking ------------------------------------------------------------------------

    def link_best(self) -> None:
        """Link the selected claim to its best match."""
        self.link(1)

    def link(self, number: int) -> None:
        """Link the selected claim to its match ``number`` (1 = the best) in the list:
        the review's URL and rating set on the span in one undo step."""
        span = self.view.span(self.view.selected_span_id)
        if span is None or span.id is None or span.label != CLAIM:
            self.tell("Select a claim first: an earlier fact-check of it is linked to it.")
            return
        key = (self.view.text[span.start : span.end], self._language())
        matches = self._cache.get(key)
        if matches is None:
            self.matches.look_up(key, None)
            self.tell(f"{LOOKING} Press again once the list shows.")
            return
        if not matches:
            self.tell(EMPTY_ARCHIVE if self._size == 0 else NO_MATCH)
            return
        if number > len(matches):
            self.tell(f"Previously checked lists {len(matches):,} match(es) for this claim.")
            return
        chosen = matches[number - 1].review
        values = {URL_ATTRIBUTE: chosen.url, RATING_ATTRIBUTE: chosen.rating}
        if self.annotation.set_attributes(span.id, values):
            rating = f" ({chosen.rating})" if chosen.rating else ""
            which = ORDINALS[number - 1] if number <= len(ORDINALS) else f"number {number}"
            self.tell(f"Linked the claim to the {which} earlier fact-check{rating}: {chosen.url}")
        else:
            self.tell(f"This claim is linked to {chosen.url} already.")
