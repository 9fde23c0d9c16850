"""The merge conflict in hand, under the article in review mode: this project's version
beside the copy's, and the keys that settle it (F8 takes the copy's, Shift+F8 keeps this)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from factmark.core.conflicts import MergeConflict

KEYS = "F8 takes the copy's version · Shift+F8 keeps this project's · F7 goes to the next"


def _label(name: str, parent: QWidget, wrap: bool = True) -> QLabel:
    label = QLabel(parent)
    label.setObjectName(name)
    label.setTextFormat(Qt.TextFormat.PlainText)  # versions are data: never rich text
    label.setWordWrap(wrap)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class ConflictPanel(QFrame):
    """One conflict at a time, both versions side by side."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflictPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        # As tall as its lines, no taller: the article keeps the rest of the column.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        self.heading = _label("conflictHeading", self)
        sides = QHBoxLayout()
        self.target_title = _label("conflictTargetTitle", self)
        self.target = _label("conflictTarget", self)
        self.source_title = _label("conflictSourceTitle", self)
        self.source = _label("conflictSource", self)
        for title, body in ((self.target_title, self.target), (self.source_title, self.source)):
            box = QVBoxLayout()
            title.setStyleSheet("font-weight: bold")
            box.addWidget(title)
            box.addWidget(body)
            box.addStretch(1)
            sides.addLayout(box, 1)
        self.keys = _label("conflictKeys", self)
        self.keys.setText(KEYS)
        layout.addWidget(self.heading)
        layout.addLayout(sides)
        layout.addWidget(self.keys)

    def show_conflict(
        self, conflict: MergeConflict, position: int, waiting: int, here_from: str | None = None
    ) -> None:
        """Show ``conflict``, the ``position``-th of the ``waiting`` open ones; ``here_from``
        names the copy this project's version came from (``ana's copy (ana.factmark)``),
        None for a version made here."""
        self.heading.setText(
            f"Merge conflict {position:,} of {waiting:,} · {conflict.document} · {conflict.what()}"
        )
        self.target_title.setText(
            f"This project, from {here_from}" if here_from else "This project"
        )
        self.target.setText(conflict.version("target"))
        self.source_title.setText(f"From {conflict.copy}")
        self.source.setText(conflict.version("source"))

    def shown_text(self) -> str:
        """What the panel says (tests and screen readers)."""
        shown = (self.heading, self.target_title, self.target, self.source_title, self.source)
        return "\n".join(label.text() for label in shown)
