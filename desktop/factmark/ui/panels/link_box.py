"""The box of the link in focus: which link the link keys act on, its attributes (and the
value proposed for one), and its note."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from factmark.core.model import Relation
from factmark.ui.article.typed_text import typed_text
from factmark.ui.panels.narrow import ShrinkingComboBox, wrapping_form

NOTE_PAUSE_MS = 700
NONE_HINT = (
    "Select a linked span or choose a link in the Links list to see its note and attributes."
)


class LinkBox(QGroupBox):
    """Shows and edits one link; it changes nothing itself: edits go out by signal and
    the window makes them undoable operations."""

    note_edited = Signal(int, str)  # relation id, note
    attribute_chosen = Signal(int, str, str)  # relation id, attribute, value ("" = unset)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Link", parent)
        self.setObjectName("linkBox")
        self.relation: Relation | None = None
        self.heading = QLabel(NONE_HINT, self)
        self.heading.setObjectName("linkTitle")
        self.heading.setTextFormat(Qt.TextFormat.PlainText)  # span texts are data
        self.heading.setWordWrap(True)
        self.form = wrapping_form(QFormLayout())
        self.form.setContentsMargins(0, 0, 0, 0)
        self.combos: dict[str, QComboBox] = {}
        self.proposal = QLabel(self)
        self.proposal.setObjectName("linkProposal")
        self.proposal.setTextFormat(Qt.TextFormat.PlainText)
        self.proposal.setWordWrap(True)
        self.proposal.hide()
        self.note = QPlainTextEdit(self)
        self.note.setObjectName("linkNote")
        self.note.setPlaceholderText("Link note: where it was said, doubts about who said it…")
        self.note.setMaximumHeight(self.fontMetrics().height() * 4)
        self.note.setTabChangesFocus(True)  # Tab goes on, as in a form
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(self.form)
        layout.addWidget(self.proposal)
        layout.addWidget(self.note)
        self._timer = QTimer(self, singleShot=True, interval=NOTE_PAUSE_MS)
        self._timer.timeout.connect(self.save_note)
        self.note.textChanged.connect(self._typed)
        self.note.installEventFilter(self)
        self._loading = False
        self.show_link(None, "", [], None, "")

    def show_link(
        self,
        relation: Relation | None,
        described: str,
        definitions: list[dict[str, Any]],
        proposed: tuple[str, str] | None,
        accept_key: str,
    ) -> None:
        """Show a link (None: none in focus) described as ``described``, the attribute
        definitions of its type, and ``proposed`` ``(attribute, value)`` when a value is
        proposed for it (accepted with ``accept_key``)."""
        if self._timer.isActive():
            self.save_note()  # a note being typed belongs to the link it was typed for
        same = (
            relation is not None and self.relation is not None and relation.id == self.relation.id
        )
        self.relation = relation
        self._loading = True
        if relation is None:
            self.heading.setText(NONE_HINT)
        else:
            keys = [k for d in definitions for k in d.get("keys", [])]
            acting = f"\nThe keys {' / '.join(keys)} act on this link." if keys else ""
            self.heading.setText(described + acting)
        stored = relation.note or "" if relation else ""
        # A note is never replaced under the user's typing (the same link, focus in it).
        if not (same and self.note.hasFocus()) and self.note.toPlainText() != stored:
            self.note.setPlainText(stored)
        self.note.setEnabled(relation is not None)
        self._build(definitions, relation)
        if relation is not None and proposed is not None:
            name, value = proposed
            self.proposal.setText(
                f"Proposed {name}: {value} (from the quotation marks around the claim; not "
                f"stored until accepted). {accept_key} accepts it."
            )
            self.proposal.show()
        else:
            self.proposal.hide()
        self._loading = False

    def _build(self, definitions: list[dict[str, Any]], relation: Relation | None) -> None:
        wanted = [(d["name"], list(d["values"]), list(d.get("keys", []))) for d in definitions]
        shown = [(n, c.property("values"), c.property("keys")) for n, c in self.combos.items()]
        if wanted != shown:
            while self.form.rowCount():
                self.form.removeRow(0)
            self.combos = {}
            for name, values, keys in wanted:
                combo: QComboBox = ShrinkingComboBox(self)
                combo.setObjectName(f"linkAttribute_{name}")
                combo.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # the wheel does not focus it
                combo.installEventFilter(self)
                combo.setProperty("values", values)
                combo.setProperty("keys", keys)
                combo.addItem("—", "")
                for n, value in enumerate(values):
                    key = f"  ({keys[n]})" if n < len(keys) else ""
                    combo.addItem(f"{value}{key}", value)
                combo.activated.connect(
                    lambda _i, n=name, c=combo: self._chosen(n, str(c.currentData() or ""))
                )
                title = QLabel(name, self)
                title.setTextFormat(Qt.TextFormat.PlainText)
                self.form.addRow(title, combo)
                self.combos[name] = combo
        for name, combo in self.combos.items():
            value = relation.attrs.get(name, "") if relation is not None else ""
            combo.blockSignals(True)
            combo.setCurrentIndex(max(0, combo.findData(value)))
            combo.blockSignals(False)
            combo.setEnabled(relation is not None)

    # -- edits -------------------------------------------------------------------------

    def _typed(self) -> None:
        if not self._loading and self.relation is not None:
            self._timer.start()

    def save_note(self) -> None:
        """Report the note now (typing paused, focus left, or another link in focus)."""
        self._timer.stop()
        if self.relation is None or self.relation.id is None:
            return
        note = typed_text(self.note.document()).strip()
        if note != (self.relation.note or ""):
            self.note_edited.emit(self.relation.id, note)

    def _chosen(self, name: str, value: str) -> None:
        if self.relation is not None and self.relation.id is not None:
            self.attribute_chosen.emit(self.relation.id, name, value)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.note and event.type() == QEvent.Type.FocusOut:
            self.save_note()
        if (
            isinstance(watched, QComboBox)
            and event.type() == QEvent.Type.Wheel
            and not watched.hasFocus()
        ):
            event.ignore()  # the wheel scrolls the panel, never changes a value on the way
            return True
        return super().eventFilter(watched, event)

    def bring_into_view(self) -> None:
        """Scroll the panel holding the box (the details column) to show it."""
        parent = self.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        if parent is not None:
            parent.ensureWidgetVisible(self, 0, 0)

    def stop(self) -> None:
        """Save a note still being typed (the window is closing or switching project)."""
        if self._timer.isActive():
            self.save_note()
