"""The side panel for the selected span (note, attributes) and the document's fields."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from factmark.core.actions import spec
from factmark.core.cues import CLAIM, is_outlet_voice
from factmark.core.model import Document, Span
from factmark.ui.article.typed_text import typed_text
from factmark.ui.errors import ERROR_COLOUR
from factmark.ui.panels.link_box import LinkBox
from factmark.ui.panels.narrow import ShrinkingComboBox, WrappingCheckBox, wrapping_form
from factmark.ui.panels.previously_checked import PreviouslyCheckedList
from factmark.ui.plain import escape

DOCUMENT_FIELDS = (
    ("publication", "Publication"),
    ("url", "URL"),
    ("date", "Date"),
    ("language", "Language"),
)
NOTE_PAUSE_MS = 700


def meta_key(field: str, meta: dict[str, Any]) -> str:
    """The metadata key a document field shows and edits: the language is ``lang`` when
    the document has one (what ``factmark import --lang`` and most JSONL write, and what
    every reader of the language takes first), else ``language``."""
    return "lang" if field == "language" and "lang" in meta else field


class DetailsPanel(QWidget):
    """Edits the selected span's note and attributes, and the document's fields.

    It changes nothing itself: it reports edits by signal, and the window turns them
    into undoable operations.
    """

    note_edited = Signal(int, str)  # span id, note
    attribute_chosen = Signal(int, str, str)  # span id, attribute, value ("" = unset)
    outlet_voice_set = Signal(int, bool)  # claim span id, whether the outlet's own voice
    document_fields_edited = Signal(int, dict)  # document id, the new meta

    def __init__(
        self,
        definitions: Callable[[], dict[str, list[dict[str, Any]]]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("detailsPanel")
        self.definitions = definitions
        self.span: Span | None = None
        self.document: Document | None = None

        self.span_box = QGroupBox("Selected span", self)
        self.span_title = QLabel("Click a span to see its note and attributes.", self.span_box)
        self.span_title.setWordWrap(True)
        self.note = QPlainTextEdit(self.span_box)
        self.note.setObjectName("spanNote")
        self.note.setPlaceholderText("Note: why you marked it, doubts, sources to check…")
        self.note.setMaximumHeight(self.fontMetrics().height() * 5)
        self.note.setTabChangesFocus(True)  # Tab goes on to the attributes, as in a form
        # One attribute form per label, built when first needed.
        self.attribute_pages = QStackedWidget(self.span_box)
        self._pages: dict[str, QWidget] = {}
        self._page_combos: dict[str, dict[str, QComboBox]] = {}
        self._definitions: dict[str, list[dict[str, Any]]] | None = None
        self.combos: dict[str, QComboBox] = {}
        span_layout = QVBoxLayout(self.span_box)
        span_layout.addWidget(self.span_title)
        # Where a merged span came from (core.copies.describe_origin); hidden for others.
        self.span_origin = QLabel(self.span_box)
        self.span_origin.setObjectName("spanOrigin")
        self.span_origin.setTextFormat(Qt.TextFormat.PlainText)
        self.span_origin.setWordWrap(True)
        self.span_origin.hide()
        span_layout.addWidget(self.span_origin)
        # A claim's best matches in the archive of earlier fact-checks (hidden for others),
        # first under its title: at 1366x768 what comes after the note needs scrolling.
        self.previously_checked = PreviouslyCheckedList(self.span_box)
        span_layout.addWidget(self.previously_checked)
        span_layout.addWidget(self.note)
        # A claim with no source: the outlet's (or its author's) own voice (core.cues).
        self.outlet_voice_row = WrappingCheckBox(
            "Source: the outlet / author (no source span)", self.span_box
        )
        self.outlet_voice = self.outlet_voice_row.box
        self.outlet_voice.setObjectName("outletVoice")
        key = spec("outletVoice").keys[0]
        self.outlet_voice_row.setToolTip(
            "The claim is the outlet's or its author's own voice, not a source's: an "
            f"unattributed claim, not a forgotten link ({key})"
        )
        self.outlet_voice.toggled.connect(self._outlet_voice_toggled)
        span_layout.addWidget(self.outlet_voice_row)
        span_layout.addWidget(self.attribute_pages)

        # The document's fields are needed now and then: folded under a header by default,
        # so that the side column leaves the span's note and attributes room on a laptop.
        self.document_toggle = QToolButton(self)
        self.document_toggle.setObjectName("documentToggle")
        self.document_toggle.setText("Document fields")
        self.document_toggle.setToolTip(
            "Show or hide the document's publication, URL, date and language"
        )
        self.document_toggle.setCheckable(True)
        self.document_toggle.setAutoRaise(True)
        self.document_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.document_toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.document_toggle.toggled.connect(self._document_toggled)
        self.document_box = QGroupBox(self)
        self.document_box.setObjectName("documentBox")
        self.document_box.hide()
        self.fields: dict[str, QLineEdit] = {}
        document_form = wrapping_form(QFormLayout(self.document_box))
        for key, title in DOCUMENT_FIELDS:
            field = QLineEdit(self.document_box)
            field.setObjectName(f"documentField_{key}")
            field.editingFinished.connect(self._fields_edited)
            self.fields[key] = field
            document_form.addRow(title, field)
        # Why a field's value was not kept (a language that is neither a tag nor a name).
        self.field_error = QLabel(self.document_box)
        self.field_error.setObjectName("documentFieldError")
        self.field_error.setTextFormat(Qt.TextFormat.PlainText)  # it quotes what was typed
        self.field_error.setWordWrap(True)
        self.field_error.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.field_error.hide()
        document_form.addRow(self.field_error)

        # The boxes scroll inside the panel: a span with other attributes changes their
        # height without laying out (and repainting) the rest of the window.
        content = QWidget(self)
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.span_box)
        self.link_box = LinkBox(content)  # the link in focus: its attributes and note
        column.addWidget(self.link_box)
        column.addWidget(self.document_toggle)
        column.addWidget(self.document_box)
        column.addStretch(1)
        self.area = area = QScrollArea(self)
        area.setObjectName("detailsScroll")
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        # Tab stops at its fields, never at the area: a stop that shows no focus (a field
        # Tab reaches is scrolled into view).
        area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        area.setWidget(content)
        # A narrow side column wraps and shortens the boxes; it never scrolls sideways.
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        area.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(area)

        self._note_timer = QTimer(self, singleShot=True, interval=NOTE_PAUSE_MS)
        self._note_timer.timeout.connect(self.save_note)
        self.note.textChanged.connect(self._note_typed)
        self.note.installEventFilter(self)
        self._loading = False
        self.show_span(None, "")

    # -- showing ---------------------------------------------------------------

    def show_span(self, span: Span | None, text: str) -> None:
        """Show a span's note and attributes (None: nothing selected)."""
        same = span is not None and self.span is not None and span.id == self.span.id
        if self._note_timer.isActive() and not same:
            self.save_note()  # a note being typed belongs to the span it was typed for
        self.span = span
        if not same:  # another span is read from the top; the same one stays where it was
            self.area.verticalScrollBar().setValue(0)
        self._loading = True
        self._show_note(span, same)
        if span is None:
            self.span_title.setText("Click a span to see its note and attributes.")
        else:
            shown = text if len(text) <= 80 else text[:77] + "…"
            # Span text and label names are data: shown as text, never as markup.
            self.span_title.setText(f"<b>{escape(span.label)}</b>: {escape(shown)}")
        self._build_attributes(span)
        self.outlet_voice.blockSignals(True)
        self.outlet_voice.setChecked(span is not None and is_outlet_voice(span.attrs))
        self.outlet_voice.blockSignals(False)
        self.outlet_voice_row.setVisible(span is not None and span.label == CLAIM)
        self._loading = False

    def _show_note(self, span: Span | None, same: bool) -> None:
        """Put the span's note in the field, unless it is the same span shown again (its
        note saved as typed, say): then the field is left as the user left it (text,
        cursor, selection, undo) while typing is still to be saved or the field already
        says the stored note; a note changed elsewhere (undone, say) replaces it."""
        stored = span.note or "" if span else ""
        typing = same and self._note_timer.isActive()
        if not typing and not (same and typed_text(self.note.document()).strip() == stored):
            self.note.setPlainText(stored)
        self.note.setEnabled(span is not None)

    def _outlet_voice_toggled(self, checked: bool) -> None:
        if self.span is not None and self.span.id is not None:
            self.outlet_voice_set.emit(self.span.id, checked)

    def show_origin(self, origin: str | None) -> None:
        """Show where the selected span came from (a merged copy), or nothing."""
        self.span_origin.setText(origin or "")
        self.span_origin.setVisible(bool(origin))
        self.span_title.setToolTip(origin or "")

    def refresh_definitions(self) -> None:
        """The project's attribute definitions changed: build the forms afresh."""
        self._definitions = None
        for page in list(self._pages.values()):
            self.attribute_pages.removeWidget(page)
            page.deleteLater()
        self._pages.clear()
        self._page_combos.clear()
        self._build_attributes(self.span)

    def _build_attributes(self, span: Span | None) -> None:
        """Show the attribute form of the span's label (built once per label) with the
        span's values: choosing another span changes values, not widgets."""
        label = span.label if span is not None else ""
        if label not in self._pages:
            self._pages[label] = self._form(label)
            self.attribute_pages.addWidget(self._pages[label])
        self.attribute_pages.setCurrentWidget(self._pages[label])
        self.combos = self._page_combos[label]
        for name, combo in self.combos.items():
            value = span.attrs.get(name, "") if span is not None else ""
            combo.blockSignals(True)
            combo.setCurrentIndex(max(0, combo.findData(value)))
            combo.blockSignals(False)

    def _form(self, label: str) -> QWidget:
        page = QWidget(self.attribute_pages)
        form = wrapping_form(QFormLayout(page))
        form.setContentsMargins(0, 0, 0, 0)
        combos: dict[str, QComboBox] = {}
        if self._definitions is None:
            self._definitions = self.definitions()
        for definition in self._definitions.get(label, []) if label else []:
            name = definition["name"]
            combo = ShrinkingComboBox(page)
            combo.installEventFilter(self)  # its Alt+Down opens it, not the next span
            combo.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # the wheel does not focus it
            combo.setObjectName(f"attribute_{name}")
            combo.addItem("—", "")
            keys = definition.get("keys", [])
            for n, value in enumerate(definition["values"]):
                key = f"  ({keys[n]})" if n < len(keys) else ""
                combo.addItem(f"{value}{key}", value)
            combo.activated.connect(
                lambda _i, n=name, c=combo: self._attribute_chosen(n, c.currentData())
            )
            combos[name] = combo
            title = QLabel(name, page)
            title.setTextFormat(Qt.TextFormat.PlainText)  # a name from the project: data
            form.addRow(title, combo)
        self._page_combos[label] = combos
        return page

    def show_attribute(self, name: str) -> None:
        """Scroll the selected span's field ``name`` into view once the panel shows its
        value (set by a key, the change went unseen below the fold at 1366x768)."""

        def scroll() -> None:
            combo = self.combos.get(name)
            if combo is not None:
                self.area.ensureWidgetVisible(combo)

        QTimer.singleShot(0, self, scroll)

    def set_document_open(self, shown: bool) -> None:
        """Unfold (True) or fold the document's fields."""
        self.document_toggle.setChecked(shown)
        self._document_toggled(shown)

    def _document_toggled(self, shown: bool) -> None:
        self.document_box.setVisible(shown)
        arrow = Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow
        self.document_toggle.setArrowType(arrow)

    def show_document(self, document: Document | None) -> None:
        """Show a document's fields (from its metadata)."""
        same = (
            document is not None and self.document is not None and document.id == self.document.id
        )
        self.document = document
        for key, field in self.fields.items():
            stored = str(document.meta.get(meta_key(key, document.meta), "")) if document else ""
            # The same document's field saying its value already keeps its cursor and undo.
            if not (same and field.text().strip() == stored):
                field.setText(stored)
            field.setEnabled(document is not None)
        if not same:
            self.field_error.hide()

    # -- edits -----------------------------------------------------------------

    def _note_typed(self) -> None:
        if not self._loading and self.span is not None:
            self._note_timer.start()

    def save_note(self) -> None:
        """Report the note now (typing paused, focus left, or another span chosen)."""
        self._note_timer.stop()
        if self.span is None or self.span.id is None:
            return
        note = typed_text(self.note.document()).strip()
        if note != (self.span.note or ""):
            self.note_edited.emit(self.span.id, note)

    def eventFilter(self, watched, event) -> bool:  # type: ignore[no-untyped-def]
        if watched is self.note and event.type() == event.Type.FocusOut:
            self.save_note()
        if (
            isinstance(watched, QComboBox)
            and event.type() == event.Type.Wheel
            and not watched.hasFocus()
        ):
            # The wheel scrolls the panel; it never changes an attribute the pointer passes
            # over on the way (a wrong verdict set while scrolling, seen at 1366x768).
            event.ignore()
            return True  # not taken by the list: Qt hands it on to the scrolling panel
        if (
            isinstance(watched, QComboBox)
            and event.type() == event.Type.ShortcutOverride
            and event.modifiers() == Qt.KeyboardModifier.AltModifier
            and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up)
        ):
            # A focused drop-down keeps Alt+Down / Alt+Up (open the list) for itself;
            # in the article they select the next / previous span.
            event.accept()
            return True
        return super().eventFilter(watched, event)

    def _attribute_chosen(self, name: str, value: str) -> None:
        if self.span is not None and self.span.id is not None:
            self.attribute_chosen.emit(self.span.id, name, value or "")

    def _fields_edited(self) -> None:
        if self.document is None or self.document.id is None:
            return
        meta = dict(self.document.meta)
        refused = ""
        for field_key, field in self.fields.items():
            key = meta_key(field_key, self.document.meta)
            value = field.text().strip()
            if field_key == "language" and value:
                from factmark.core.archive import language_tag  # not at start
                from factmark.core.model import ValidationError

                try:
                    value = language_tag(value)  # "Chinese" is kept as zh
                except ValidationError:
                    refused = (
                        f"Language not changed: “{value}” is neither a language tag "
                        "(en, zh-TW) nor a language's English name (Chinese)."
                    )
                    continue
                if value != field.text():
                    field.setText(value)
            if value:
                meta[key] = value
            else:
                meta.pop(key, None)
        self.field_error.setText(refused)
        self.field_error.setVisible(bool(refused))
        if meta != self.document.meta:
            self.document_fields_edited.emit(self.document.id, meta)

    def stop(self) -> None:
        """Save a note still being typed (the window is closing or switching project)."""
        if self._note_timer.isActive():
            self.save_note()
