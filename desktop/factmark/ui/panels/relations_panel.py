"""The list of the current document's links (relations) between spans."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QRect, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPalette,
)
from PySide6.QtWidgets import QListView, QListWidget, QListWidgetItem, QWidget

from factmark.core.model import Relation, Span
from factmark.ui.panels.room import fit_soon, fit_when_resized
from factmark.ui.viewports import own_viewport

# The empty list's text: its margins in the list (left, top, right, bottom) and flags.
EMPTY_MARGINS = (6, 4, -6, -4)
EMPTY_FLAGS = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap
EMPTY = (
    "No links yet. Select a span, press R, then click the span it links to: a source to "
    "the claim it makes (attributed_to), a number to its claim (part_of)."
)
# What the list says when it has no room for all of EMPTY (its tooltip says the rest).
EMPTY_SHORT = "No links yet. Select a span, press R, then click the span it links to."


BASE_TEXT = Qt.ItemDataRole.UserRole + 1  # a row's text without the proposed cue


def _details(relation: Relation) -> str:
    """A link's attributes and whether it has a note, after its row's text."""
    shown = "".join(f"  [{name}: {value}]" for name, value in sorted(relation.attrs.items()))
    return shown + ("  [note]" if relation.note else "")


def _short(text: str, limit: int = 40) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


class RelationsPanel(QListWidget):
    """One row a link: ``source "Prigozhin" → attributed_to → claim "..."``.

    Choosing a row selects its head span; Delete (or the context menu) removes it.
    """

    relation_chosen = Signal(int)  # relation id
    delete_requested = Signal(int)  # relation id
    # The text of the cue proposed for a link (relation id -> text), shown under its row.
    proposed_cues: dict[int, str]
    accept_key = "Shift+Alt+K"  # the key that accepts a proposed cue (set by the window)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        fit_when_resized(self)  # its text wraps at its width: see ui/panels/room.py
        own_viewport(self)  # see ui/viewports.py
        self.proposed_cues = {}
        self.proposed_quotes: dict[int, str] = {}
        self.quote_key = ""
        self.focus: int | None = None  # the link the link keys act on (its row is current)
        self.setObjectName("relationList")
        # A row is wrapped at the column's width (a link between two long spans, its
        # attributes and proposals run wider than the side column of a laptop screen).
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        remove = QAction("Delete link", self)
        remove.triggered.connect(self._delete_current)
        self.addAction(remove)
        self.currentItemChanged.connect(self._current_changed)
        self.setToolTip(
            "Links between spans. Select a span, press R, then click the span to "
            "link it with. Delete removes the selected link."
        )

    def show_relations(
        self, relations: list[Relation], span: Callable[[int], Span | None], text: str
    ) -> None:
        """List a document's relations; ``span`` finds a shown span by id (relations with
        a span not shown are skipped)."""
        self.blockSignals(True)
        self.clear()
        for relation in relations:
            head, child = span(relation.head_span_id), span(relation.child_span_id)
            if head is None or child is None:
                continue
            item = QListWidgetItem(
                f'{head.label} "{_short(text[head.start : head.end])}" → {relation.label} → '
                f'{child.label} "{_short(text[child.start : child.end])}"' + _details(relation)
            )
            item.setData(Qt.ItemDataRole.UserRole, relation.id)
            item.setData(BASE_TEXT, item.text())
            self.addItem(item)
        self.blockSignals(False)
        self.show_proposed_cues(self.proposed_cues)
        self.mark_focus(self.focus)
        fit_soon(self)

    def show_proposed_cues(self, proposed: dict[int, str]) -> None:
        """Show under each link's row the cue proposed for it (relation id -> its text)."""
        self.proposed_cues = dict(proposed)
        self._compose()

    def show_link_details(self, quotes: dict[int, str], accept_key: str) -> None:
        """Show under each link's row the quote proposed for it (relation id -> value)."""
        self.proposed_quotes, self.quote_key = dict(quotes), accept_key
        self._compose()

    def _compose(self) -> None:
        for n in range(self.count()):
            item = self.item(n)
            relation_id = int(item.data(Qt.ItemDataRole.UserRole))
            cue = self.proposed_cues.get(relation_id)
            quote = self.proposed_quotes.get(relation_id)
            shown = str(item.data(BASE_TEXT))
            if cue is not None:
                shown += f"\n    cue proposed: “{_short(cue)}” ({self.accept_key} accepts)"
            if quote is not None:
                shown += f"\n    quote proposed: {quote} ({self.quote_key} accepts)"
            if item.text() != shown:
                item.setText(shown)

    def mark_focus(self, relation_id: int | None) -> None:
        """Make the link the keys act on the current row (None: no row), without
        choosing it (its head span stays as selected)."""
        self.focus = relation_id
        found = None
        for n in range(self.count()):
            if self.item(n).data(Qt.ItemDataRole.UserRole) == relation_id:
                found = self.item(n)
        if found is self.currentItem():
            return
        self.blockSignals(True)
        if found is None:
            self.setCurrentRow(-1)
            self.clearSelection()
        else:
            self.setCurrentItem(found)
        self.blockSignals(False)

    def placeholder(self) -> str:
        """What the list says while it is empty (drawn in it), else nothing: all of its
        hint when the list has room for it, else the first sentence."""
        if self.count():
            return ""
        room = self.viewport().height()
        return EMPTY if self._wrapped_height(EMPTY) <= room else EMPTY_SHORT

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.count() == 0:  # say what fills the list
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            shown = self.viewport().rect().adjusted(*EMPTY_MARGINS)
            painter.drawText(shown, EMPTY_FLAGS, self.placeholder())
            painter.end()

    def room_needed(self) -> int:
        """While empty, as tall as its hint wrapped at its width (the side column narrows
        as the guidelines open beside it, and wraps it on more lines, whose last were cut
        off): see ui/panels/room.py."""
        if self.count():
            return 0
        return self._wrapped_height(EMPTY) + self.height() - self.viewport().height()

    def _wrapped_height(self, text: str) -> int:
        """The viewport height ``text`` takes, wrapped at the list's width, with margins."""
        left, top, right, bottom = EMPTY_MARGINS
        width = self.viewport().width() - left + right
        wrapped = self.fontMetrics().boundingRect(QRect(0, 0, width, 10_000), EMPTY_FLAGS, text)
        return wrapped.height() + top - bottom

    def rows(self) -> list[str]:
        """The rows as shown (tests and screen readers)."""
        return [self.item(n).text() for n in range(self.count())]

    def _current_changed(self, current: QListWidgetItem | None, _previous: object) -> None:
        if current is not None:
            self.relation_chosen.emit(int(current.data(Qt.ItemDataRole.UserRole)))

    def _delete_current(self) -> None:
        item = self.currentItem()
        if item is not None:
            self.delete_requested.emit(int(item.data(Qt.ItemDataRole.UserRole)))

    def event(self, event: QEvent) -> bool:
        # Delete is the window's "delete span" too: with a link chosen, it is claimed here
        # before the window's shortcut sees it, so it removes the link, not its head span.
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
            and self.currentItem() is not None
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self._delete_current()
            return
        super().keyPressEvent(event)
