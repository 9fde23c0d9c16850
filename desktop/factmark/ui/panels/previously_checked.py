"""The "Previously checked" list under the selected claim: the earlier fact-checks of the
project's archive that best match it (rating, publisher, date, the review's claim with
the words that matched marked)."""

from __future__ import annotations

import re
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QLabel, QVBoxLayout, QWidget

from factmark.core.claim_matching import Match

EMPTY_ARCHIVE = (
    "The project's archive of earlier fact-checks is empty. Add one with "
    "factmark archive add PROJECT FILE (README: “Has this claim been checked before?”)."
)
NO_MATCH = "No earlier fact-check in the archive shares words with this claim."
LOOKING = "Looking in the archive of earlier fact-checks…"
_WORD = re.compile(r"\w\w+")


class PreviouslyCheckedList(QGroupBox):
    """Shows the best matches of the selected claim; hidden for other spans."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Previously checked", parent)
        self.setObjectName("previouslyChecked")
        self.entries: list[Match] = []
        self.text = QLabel(self)
        self.text.setObjectName("previouslyCheckedText")
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        self.hide()

    def show_message(self, message: str) -> None:
        """One line instead of matches (looking, an empty archive, no match, an error)."""
        self.entries = []
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setText(message)
        self.text.setToolTip("")
        self.show()

    def show_matches(self, matches: list[Match], linked_url: str = "") -> None:
        """The matches, best first; the one the claim is linked to says so."""
        if not matches:
            self.show_message(NO_MATCH)
            return
        self.entries = list(matches)
        # Everything shown comes from outside (a feed, a page): escaped, never markup.
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setText("<br>".join(entry_html(m, m.review.url == linked_url) for m in matches))
        self.text.setToolTip("\n".join(m.review.url for m in matches))
        self.show()


def entry_html(match: Match, linked: bool = False) -> str:
    """One match as rich text: rating, publisher and date, then the claim with the
    matched words underlined; every string from the archive escaped."""
    review = match.review
    head = " · ".join(
        part
        for part in (
            f"<b>{escape(review.rating)}</b>" if review.rating else "<b>(no rating)</b>",
            escape(review.reviewer),
            escape(review.date),
        )
        if part
    )
    if linked:
        head += " · <i>linked</i>"
    return f"{head}<br>{marked(review.claim, match.matched_words)}"


def marked(text: str, words: tuple[str, ...]) -> str:
    """``text`` escaped, with the words that matched (any case) underlined."""
    wanted = {word.casefold() for word in words}
    pieces, at = [], 0
    for found in _WORD.finditer(text):
        pieces.append(escape(text[at : found.start()]))
        word = escape(found.group())
        pieces.append(f"<u>{word}</u>" if found.group().casefold() in wanted else word)
        at = found.end()
    pieces.append(escape(text[at:]))
    return "".join(pieces)
