"""The "Previously checked" list under the selected claim: the earlier fact-checks of the
project's archive that best match it (rating, publisher, date, the review's site as a
link that opens the review in the browser, and the review's claim with the words that
matched marked), each with a Link button; with no archive, one short line instead."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from factmark.ui.panels.narrow import OneLineLabel
from factmark.ui.plain import escape

if TYPE_CHECKING:  # matches come from the matcher, loaded when a claim is first looked up
    from factmark.core.claim_matching import Match

EMPTY_ARCHIVE = (
    "The project's archive of earlier fact-checks is empty: File > Add fact-check archive… "
    "brings one in (or factmark archive add PROJECT FILE)."
)
# With an empty archive the list is one line: this, and a link that opens File > Add
# fact-check archive…; the longer how-to is its tooltip.
EMPTY_LINE = "Previously checked: no archive yet,"
ADD_LINK = "add one…"
NO_MATCH = "No earlier fact-check in the archive shares words with this claim."
LOOKING = "Looking in the archive of earlier fact-checks…"
LINK_KEYS = ("Alt+1", "Alt+2", "Alt+3")  # the action table's keys, shown on the buttons
SITE_WIDTH = 230  # pixels: a review's address is elided in the middle to this
_WORD = re.compile(r"\w\w+")


def open_review(url: str) -> bool:
    """Open a review's page in the system's browser; only http and https addresses (the
    archive keeps no others, and nothing else is handed to the system)."""
    address = QUrl(url, QUrl.ParsingMode.StrictMode)
    if not address.isValid() or address.scheme().lower() not in ("http", "https"):
        return False
    return QDesktopServices.openUrl(address)


class MatchRow(QWidget):
    """One earlier fact-check: a head line (number, rating, publisher, date), the
    review's claim with the matched words marked, then its address as a link (elided to
    the row's width) beside the Link button."""

    def __init__(self, number: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.number = number
        self.setObjectName(f"previouslyCheckedMatch{number}")
        self.url = ""
        self.head = QLabel(self)
        self.head.setTextFormat(Qt.TextFormat.RichText)
        self.head.setWordWrap(True)
        self.site = QLabel(self)
        self.site.setObjectName(f"previouslyCheckedSite{number}")
        self.site.setTextFormat(Qt.TextFormat.RichText)
        self.site.setOpenExternalLinks(False)  # opened here, after checking the address
        self.site.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self.site.linkActivated.connect(lambda _href: open_review(self.url))
        # Its width is the row's, not its text's: the address is elided to fit (resizeEvent).
        self.site.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.button = QToolButton(self)
        self.button.setObjectName(f"previouslyCheckedLink{number}")
        self.button.setAutoRaise(True)
        self.claim = QLabel(self)
        self.claim.setTextFormat(Qt.TextFormat.RichText)
        self.claim.setWordWrap(True)
        self.claim.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 2, 0, 2)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(0)
        grid.addWidget(self.head, 0, 0, 1, 3)
        grid.addWidget(self.claim, 1, 0, 1, 3)
        grid.addWidget(self.site, 2, 0, 1, 2)  # all the width the button leaves
        grid.addWidget(self.button, 2, 2)
        grid.setColumnStretch(1, 1)

    def show_match(self, match: Match, linked: bool) -> None:
        review = match.review
        self.url = review.url
        self.head.setText(head_html(self.number, match, linked))
        self._elide_site()
        self.site.setToolTip(f"Open the review in the browser: {review.url}")
        self.button.setText("Linked" if linked else "Link")
        self.button.setEnabled(not linked)
        self.button.setToolTip(
            "The claim is linked to this fact-check"
            if linked
            else f"Link the claim to this fact-check ({LINK_KEYS[self.number - 1]})"
        )
        self.claim.setText(marked(review.claim, match.matched_words))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide_site()

    def _elide_site(self) -> None:
        """The address elided to :data:`SITE_WIDTH`, or to less in a narrow column."""
        if self.url:
            width = max(0, min(SITE_WIDTH, self.site.width() - 2))
            self.site.setText(site_html(self.url, self.site.fontMetrics(), width))


class PreviouslyCheckedList(QWidget):
    """Shows the best matches of the selected claim; hidden for other spans."""

    link_chosen = Signal(int)  # the number of the match to link (1 = the best)
    add_archive_chosen = Signal()  # the empty archive's line was clicked

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("previouslyChecked")
        self.entries: list[Match] = []
        self.box = QGroupBox("Previously checked", self)
        self.text = QLabel(self.box)  # a message instead of matches
        self.text.setObjectName("previouslyCheckedText")
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.rows: list[MatchRow] = []
        self._box_layout = QVBoxLayout(self.box)
        self._box_layout.addWidget(self.text)
        self.empty = QWidget(self)
        self.empty.setObjectName("previouslyCheckedEmpty")
        self.empty.setToolTip(EMPTY_ARCHIVE)
        self.empty_text = OneLineLabel(EMPTY_LINE, self.empty)  # two lines in a narrow column
        self.add_link = QLabel(f'<a href="#add">{ADD_LINK}</a>', self.empty)
        self.add_link.setObjectName("previouslyCheckedAdd")
        self.add_link.setTextFormat(Qt.TextFormat.RichText)
        self.add_link.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self.add_link.linkActivated.connect(lambda _href: self.add_archive_chosen.emit())
        line = QHBoxLayout(self.empty)
        line.setContentsMargins(0, 2, 0, 2)
        line.setSpacing(4)
        line.addWidget(self.empty_text)
        line.addWidget(self.add_link, 0, Qt.AlignmentFlag.AlignBottom)  # after its last line
        line.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.box)
        layout.addWidget(self.empty)
        self.hide()

    def row(self, number: int) -> MatchRow:
        """The row of match ``number`` (1 = the best), made when first needed."""
        while len(self.rows) < number:
            made = MatchRow(len(self.rows) + 1, self.box)
            made.button.clicked.connect(lambda _c=False, n=made.number: self.link_chosen.emit(n))
            self._box_layout.addWidget(made)
            self.rows.append(made)
        return self.rows[number - 1]

    def show_message(self, message: str) -> None:
        """One line instead of matches (looking, no match, an error)."""
        self.entries = []
        self.text.setText(message)
        self.text.show()
        for row in self.rows:
            row.hide()
        self.empty.hide()
        self.box.show()
        self.show()

    def show_empty_archive(self) -> None:
        """The archive is empty: one short line whose link adds one."""
        self.entries = []
        self.box.hide()
        self.empty.show()
        self.show()

    def show_matches(self, matches: list[Match], linked_url: str = "") -> None:
        """The matches, best first; the one the claim is linked to says so."""
        if not matches:
            self.show_message(NO_MATCH)
            return
        self.entries = list(matches)
        self.text.hide()
        self.empty.hide()
        for number, match in enumerate(matches, start=1):
            row = self.row(number)
            row.show_match(match, match.review.url == linked_url)
            row.show()
        for row in self.rows[len(matches) :]:
            row.hide()
        self.box.show()
        self.show()

    def shown_text(self) -> str:
        """What the list says, as rich text (tests and screen readers)."""
        if self.empty.isVisibleTo(self):
            return f"{EMPTY_LINE} {ADD_LINK}"
        if not self.entries:
            return self.text.text()
        return "<br>".join(
            f"{row.head.text()} {row.site.text()}<br>{row.claim.text()}"
            for row in self.rows[: len(self.entries)]
        )


def site_html(url: str, metrics: QFontMetrics, width: int) -> str:
    """A review's address as a link: host and path without the scheme, elided in the
    middle to ``width`` pixels, escaped (the address comes from outside)."""
    parts = urlsplit(url)
    shown = f"{parts.hostname or ''}{parts.path}".rstrip("/") or url
    shown = metrics.elidedText(shown, Qt.TextElideMode.ElideMiddle, width)
    return f'<a href="#review">{escape(shown)}</a>'


def head_html(number: int, match: Match, linked: bool = False) -> str:
    """A match's head line as rich text: its number, rating, publisher and date; every
    string from the archive escaped."""
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
    return f"{number}. {head}"


def marked(text: str, words: tuple[str, ...]) -> str:
    """``text`` escaped, with the words that matched (any case) underlined; in Chinese
    and Japanese, the matched pairs of characters."""
    from factmark.core.claim_matching import CJK_RUN  # loaded by the look-up already

    wanted = {word.casefold() for word in words}
    underlined = [False] * len(text)
    for found in _WORD.finditer(text):
        if found.group().casefold() in wanted:
            underlined[found.start() : found.end()] = [True] * (found.end() - found.start())
    for run in CJK_RUN.finditer(text):
        piece = run.group()
        for at in range(len(piece)):
            for size in (2, 1):
                if piece[at : at + size] in wanted and (size == 2 or len(piece) == 1):
                    start = run.start() + at
                    underlined[start : start + size] = [True] * size
    pieces, at = [], 0
    while at < len(text):
        end = at
        while end < len(text) and underlined[end] == underlined[at]:
            end += 1
        chunk = escape(text[at:end])
        pieces.append(f"<u>{chunk}</u>" if underlined[at] else chunk)
        at = end
    return "".join(pieces)
