"""The panels under the span list (the suggestion in hand, the links, the selected span's
details) and the parts that only they serve: linking, cues, link attributes and the
archive's earlier fact-checks.

They are made after the window's first paint (or when first needed, if sooner), with
their modules: the first paint and a label key pressed at once do without them. Made
late, they read what the session holds now, so they show whatever was done before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QSplitter, QWidget

from factmark.ui.panels.details_panel import DetailsPanel
from factmark.ui.panels.relations_panel import RelationsPanel
from factmark.ui.panels.suggestion_panel import SuggestionPanel
from factmark.ui.window.annotation import Annotation
from factmark.ui.window.cues import CueMarking
from factmark.ui.window.link_attributes import LinkAttributes
from factmark.ui.window.linking import Linking
from factmark.ui.window.previously_checked import PreviouslyChecked
from factmark.ui.window.selection import SpanSelection
from factmark.ui.window.session import Session
from factmark.ui.window.settings import Settings


class Tell(Protocol):
    """The window's status bar message (timeout in ms; 0: until the next one)."""

    def __call__(self, message: str, timeout: int = 8000) -> None: ...


class SidePanels(QObject):
    """The side column's panels below the span list, and the parts they serve."""

    def __init__(
        self,
        window: QWidget,
        session: Session,
        settings: Settings,
        annotation: Annotation,
        selection: SpanSelection,
        side: QSplitter,
        cues_switch: QAction,
        add_archive: Callable[[], None],
        tell: Tell,
    ) -> None:
        """``side`` is the side column the panels go into, under the span list;
        ``cues_switch`` Label > Mark cues; ``add_archive`` asks for archive files."""
        super().__init__(window)
        view = selection.view
        self.relations = RelationsPanel(window)
        self.details = DetailsPanel(lambda: session.project.attribute_definitions(), window)
        self.details.set_document_open(settings.document_fields_open())
        self.details.document_toggle.toggled.connect(settings.set_document_fields_open)
        self.suggestion_panel = SuggestionPanel(window)
        for part in (self.suggestion_panel, self.relations, self.details):
            side.addWidget(part)
        side.setSizes([300, 150, 110, 240])  # the suggestion in hand: four lines

        self.linking = Linking(session, view, annotation, selection, self.relations, tell, self)
        self.cues = CueMarking(
            session,
            view,
            annotation,
            self.linking,
            self.relations,
            self.details,
            cues_switch,
            tell,
            settings.annotator,
            self,
        )
        self.link_attributes = LinkAttributes(
            session,
            view,
            annotation,
            self.linking,
            self.relations,
            self.details.link_box,
            tell,
            self,
        )
        self.previously_checked = PreviouslyChecked(
            session, view, annotation, self.details.previously_checked, tell, self
        )

        session.project_closing.connect(self.details.stop)  # a note typed is saved first
        session.project_closing.connect(self.link_attributes.stop)
        selection.details_shown.connect(self.previously_checked.show_span)
        selection.details_shown.connect(self.link_attributes.span_selected)
        self.details.previously_checked.add_archive_chosen.connect(add_archive)
        self.details.note_edited.connect(annotation.set_note)
        self.details.attribute_chosen.connect(annotation.set_attribute)
        self.details.document_fields_edited.connect(annotation.set_document_meta)

        # The document shown may have been shown, and changed, before: read it now.
        self.linking.refresh()
        self.link_attributes.refresh()

    def stop(self) -> None:
        """The window closes: a note being typed is saved, look-ups finish."""
        self.details.stop()
        self.link_attributes.stop()
        self.previously_checked.wait()  # a look-up reads the project file
