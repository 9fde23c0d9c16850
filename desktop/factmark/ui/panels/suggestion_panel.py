"""The suggestion in hand: what Enter accepts and Backspace rejects, shown beside the
article (label, suggester, confidence and its text), or what fills it when empty."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from factmark.core.model import Suggestion
from factmark.ui.panels.room import fit_soon, fit_when_resized

EMPTY = (
    "No suggestions to review. Document > Suggest spans (Ctrl+Shift+S) proposes numbers, "
    "places and sources; each is shown here, to accept (Enter) or reject (Backspace)."
)
NONE_IN_HAND = "{waiting:,} to review, none in hand: Tab goes to the next one."
KEYS = "Enter accepts and goes to the next · Backspace rejects · Tab skips · Esc lets go"


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class SuggestionPanel(QWidget):
    """One suggestion at a time: the one the review keys act on."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        fit_when_resized(self)  # its text wraps at its width: see ui/panels/room.py
        self.setObjectName("suggestionPanel")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        self.heading = QLabel(self)
        self.heading.setObjectName("suggestionHeading")
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.body = QLabel(self)
        self.body.setObjectName("suggestionText")
        self.body.setTextFormat(Qt.TextFormat.PlainText)
        self.body.setWordWrap(True)
        self.keys = QLabel(KEYS, self)
        self.keys.setObjectName("suggestionKeys")
        self.keys.setWordWrap(True)
        self.keys.setTextFormat(Qt.TextFormat.PlainText)
        for label in (self.heading, self.body, self.keys):
            layout.addWidget(label)
        layout.addStretch(1)
        self._layout = layout
        self.show_suggestion(None, "", 0, 0)

    def room_needed(self) -> int:
        """As tall as its text at its width (the side column narrows as the guidelines
        open beside it, and wraps it on more lines): see ui/panels/room.py."""
        return self._layout.totalHeightForWidth(self.width())

    def show_suggestion(
        self,
        suggestion: Suggestion | None,
        text: str,
        position: int,
        waiting: int,
        detail: str = "",
        detail_tip: str = "",
    ) -> None:
        """Show the suggestion in hand (``position`` of ``waiting``), or what to do;
        ``detail`` says more about it in place of the suggester (the review a sentence
        matched), ``detail_tip`` is the panel's tooltip then."""
        if suggestion is None:
            self.heading.setText("Suggestion")
            self.body.setText(NONE_IN_HAND.format(waiting=waiting) if waiting else EMPTY)
            self.body.setToolTip("")
            self.keys.setVisible(False)
            fit_soon(self)
            return
        self.heading.setText(f"Suggestion {position:,} of {waiting:,}")
        if detail:  # shorter text: the panel keeps its four lines
            self.body.setText(
                f"{suggestion.label} “{_short(text, 40)}”\n{detail} ({suggestion.confidence:.0%})"
            )
        else:
            self.body.setText(
                f"{suggestion.label} “{_short(text)}”\n"
                f"by the {suggestion.suggester} suggester, "
                f"confidence {suggestion.confidence:.0%}"
            )
        self.body.setToolTip(detail_tip)
        self.keys.setVisible(True)
        fit_soon(self)

    def shown_text(self) -> str:
        """What the panel says (tests and screen readers)."""
        return f"{self.heading.text()}\n{self.body.text()}"
