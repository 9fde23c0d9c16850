"""Cues and the outlet's own voice in the window (see :mod:`factmark.core.cues`).

While the project marks cues, each ``attributed_to`` link of the document shown whose
claim has no cue yet gets the cue the attribution patterns find between its source and
its claim: drawn dotted in the article and named under the link in the Links list, never
stored until accepted (Shift+Alt+K, with the link's source or claim selected: the cue span and its
``cue_of`` link, one undo step). Label > Mark cues (or the Labels dialog) turns cues on
and off; Shift+Alt+A marks the selected claim, which has no source, as the outlet's own
voice (again: unmarks it), as the box in the details panel does.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction

from factmark.core.actions import spec
from factmark.core.changes import ChangeSet
from factmark.core.cues import (
    ATTRIBUTED_TO,
    CLAIM,
    CUE,
    OUTLET,
    VOICE,
    AcceptCue,
    CueProposal,
    cues_on,
    is_outlet_voice,
    language_of,
    proposed_cues,
    turn_cues_off,
    turn_cues_on,
)
from factmark.core.model import Document
from factmark.ui.article.article_view import ArticleView
from factmark.ui.panels.details_panel import DetailsPanel
from factmark.ui.panels.relations_panel import RelationsPanel
from factmark.ui.window.annotation import Annotation
from factmark.ui.window.linking import Linking
from factmark.ui.window.session import Session

TURN_ON_HINT = "This project does not mark cues: Label > Mark cues turns them on."


class CueMarking(QObject):
    """The cues proposed for the document shown, and the keys that act on them."""

    def __init__(
        self,
        session: Session,
        view: ArticleView,
        annotation: Annotation,
        linking: Linking,
        panel: RelationsPanel,
        details: DetailsPanel,
        switch: QAction,
        tell: Callable[[str], None],
        annotator: Callable[[], str],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.view = view
        self.annotation = annotation
        self.linking = linking
        self.panel = panel
        self.details = details
        self.switch = switch  # Label > Mark cues
        self.tell = tell
        self.annotator = annotator
        self.proposals: list[CueProposal] = []
        self.on = False
        panel.accept_key = spec("acceptCue").keys[0]
        # After Linking's own handlers (made before this part): the links are read by then.
        session.document_shown.connect(self._shown)
        session.changed.connect(self._changed)
        session.project_opened.connect(lambda _project: self._labels_changed())
        details.outlet_voice_set.connect(self.set_outlet_voice)
        self._labels_changed()

    # -- what is proposed ---------------------------------------------------------------

    def _labels_changed(self) -> None:
        self.on = cues_on(self.session.project)
        self.switch.setChecked(self.on)
        self.refresh()

    def _shown(self, _document: Document | None) -> None:
        self.refresh()

    def _changed(self, changes: ChangeSet) -> None:
        if changes.labels:
            self._labels_changed()
            return
        document_id = self.session.document_id
        if (
            changes.relations_changed(document_id)
            or changes.spans_in(document_id)
            or changes.documents_reloaded
        ):
            self.refresh()
            self._announce(changes)

    def refresh(self) -> None:
        """Find the cues of the document's links again and show them."""
        document = self.session.document
        if document is None or not self.on:
            self.proposals = []
        else:
            self.proposals = proposed_cues(
                self.view.text, self.view.spans, self.linking.relations, language_of(document.meta)
            )
        text = self.view.text
        self.panel.show_proposed_cues(
            {p.relation_id: text[p.start : p.end] for p in self.proposals}
        )
        colour = (
            next(  # the labels read only for cues to show (not at every label key)
                (label.colour for label in self.session.project.labels() if label.name == CUE),
                "",
            )
            if self.proposals
            else ""
        )
        self.view.set_cue_proposals([(p.start, p.end, colour) for p in self.proposals])

    def _announce(self, changes: ChangeSet) -> None:
        """A source just linked to a claim: say which cue is proposed for the link."""
        added = {
            edit.new.id
            for edit in changes.relations.values()
            if edit.old is None and edit.new is not None and edit.new.label == ATTRIBUTED_TO
        }
        for proposal in self.proposals:
            if proposal.relation_id in added:
                cue = self.view.text[proposal.start : proposal.end]
                key = spec("acceptCue").keys[0]
                self.tell(f"Cue “{cue}” proposed for this link (dotted): press {key} to accept it.")
                return

    # -- the keys -------------------------------------------------------------------------

    def accept(self) -> None:
        """Shift+Alt+K: accept the cue proposed for the selected span's link (else the link chosen
        in the Links list)."""
        document_id = self.session.document_id
        if document_id is None:
            return
        if not self.on:
            self.tell(TURN_ON_HINT)
            return
        selected = self.view.selected_span_id
        chosen = [p for p in self.proposals if selected in (p.source_id, p.claim_id)]
        item = self.panel.currentItem()
        if not chosen and item is not None:
            relation_id = item.data(Qt.ItemDataRole.UserRole)
            chosen = [p for p in self.proposals if p.relation_id == relation_id]
        if not chosen:
            self.tell(
                "No cue proposed here: select the source or the claim of a link whose cue is "
                f"drawn dotted, then press {spec('acceptCue').keys[0]}."
                if self.proposals
                else "No cue proposed: link a source to its claim first (R), or mark the cue "
                "yourself with its label key."
            )
            return
        proposal = chosen[0]
        cue = self.view.text[proposal.start : proposal.end]
        operation = AcceptCue(
            document_id, proposal.start, proposal.end, proposal.claim_id, self.annotator()
        )
        if self.annotation.perform(operation):
            self.tell(f"Cue “{cue}” marked and linked to its claim (cue_of).")

    def toggle_outlet_voice(self) -> None:
        """Shift+Alt+A: the selected claim is (again: is not) the outlet's own voice."""
        span = self.view.span(self.view.selected_span_id)
        if span is None or span.label != CLAIM or span.id is None:
            self.tell("Select a claim first: a claim with no source can be the outlet's voice.")
            return
        self.set_outlet_voice(span.id, not is_outlet_voice(span.attrs))

    def set_outlet_voice(self, span_id: int, on: bool) -> None:
        """Mark a claim as the outlet's own voice, or unmark it; refused for a claim a
        source is linked to."""
        span = self.view.span(span_id)
        if span is None:
            return
        sources = [
            self.view.span(r.head_span_id)
            for r in self.linking.relations
            if r.label == ATTRIBUTED_TO and r.child_span_id == span_id
        ]
        named = [s for s in sources if s is not None]
        if on and named:
            who = self.view.text[named[0].start : named[0].end]
            self.tell(
                f"This claim is attributed to “{who}”; delete that link first to make it the "
                "outlet's own voice."
            )
            self.details.show_span(span, self.view.text[span.start : span.end])
            return
        if self.annotation.set_attributes(span_id, {VOICE: OUTLET if on else ""}):
            key = spec("outletVoice").keys[0]
            self.tell(
                f"Claim marked as the outlet's own voice (no source); {key} again unmarks it."
                if on
                else "Claim no longer marked as the outlet's own voice."
            )

    def set_cues(self, on: bool) -> None:
        """Label > Mark cues: add the cue label and link type, or remove them (refused
        while spans or links use them; the tick then follows the project)."""
        project = self.session.project
        if on == cues_on(project):
            return
        operation = turn_cues_on(project) if on else turn_cues_off(project)
        if operation is not None and self.session.perform(operation, self):
            if on:
                cue = next(label for label in project.labels() if label.name == CUE)
                key = f"press {cue.key}" if cue.key else "give it a key in Edit > Labels"
                self.tell(
                    f"Cues on: select a reporting verb and {key} to mark it; a source linked "
                    "to its claim gets its cue proposed."
                )
            else:
                self.tell("Cues off: the label cue and the link type cue_of are removed.")
        self._labels_changed()
