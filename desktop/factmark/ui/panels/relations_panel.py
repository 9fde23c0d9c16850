"""The list of the current document's links (relations) between spans."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from factmark.core.model import Relation, Span

EMPTY = (
    "No links yet. Select a span, press R, then click the span it links to: a source to "
    "the claim it makes (attributed_to), a number to its claim (part_of)."
)


BASE_TEXT = Qt.ItemDataRole.UserRole + 1  # a row's text without the proposed cue


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
        self.proposed_cues = {}
        self.setObjectName("relationList")
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
                f'{child.label} "{_short(text[child.start : child.end])}"'
            )
            item.setData(Qt.ItemDataRole.UserRole, relation.id)
            item.setData(BASE_TEXT, item.text())
            self.addItem(item)
        self.blockSignals(False)
        self.show_proposed_cues(self.proposed_cues)

    def show_proposed_cues(self, proposed: dict[int, str]) -> None:
        """Show under each link's row the cue proposed for it (relation id -> its text)."""
        self.proposed_cues = dict(proposed)
        for n in range(self.count()):
            item = self.item(n)
            cue = self.proposed_cues.get(int(item.data(Qt.ItemDataRole.UserRole)))
            shown = str(item.data(BASE_TEXT))
            if cue is not None:
                shown += f"\n    cue proposed: “{_short(cue)}” ({self.accept_key} accepts)"
            if item.text() != shown:
                item.setText(shown)

    def placeholder(self) -> str:
        """What the list says while it is empty (drawn in it), else nothing."""
        return EMPTY if self.count() == 0 else ""

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.count() == 0:  # say what fills the list
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
            painter.drawText(
                self.viewport().rect().adjusted(6, 4, -6, -4),
                flags | Qt.TextFlag.TextWordWrap,
                EMPTY,
            )
            painter.end()

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
