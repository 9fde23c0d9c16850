"""Cues and the outlet's own voice: the rest of an attribution besides source and claim.

The attribution literature (PARC 3.0, PolNeAR) marks three parts: the *source*, the
*cue* (the reporting verb or phrase: "said", "according to", "wrote on Telegram") and the
*content* (here the claim). Factmark links a source to its claim (``attributed_to``,
source -> claim); a project that marks cues has besides:

- the label ``cue`` (off in the default label set; :func:`turn_cues_on` adds it with the
  first free digit key and the first Okabe-Ito colour no label has), and
- the link type ``cue_of``, cue -> claim: the cue introduces that claim. The source is
  found through the claim's ``attributed_to`` link; when a claim has several sources and
  several cues, each source takes the cue nearest to it (:func:`cue_for`).

A cue is proposed, never stored, for each ``attributed_to`` link whose claim has no cue
yet (:func:`proposed_cues`), from the attribution patterns of the document's language
(``resources/suggest/attribution-<lang>.json``, their ``cue`` group), and accepted with
one step (:class:`AcceptCue`: the cue span and its link).

A claim with no source may be marked as the outlet's (or its author's) own voice: the
span attribute ``voice: outlet`` (:data:`VOICE`), so that an unattributed claim is told
from a link forgotten. Being an attribute, it goes wherever span attributes go (merges,
copies, every export's ``attrs``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from factmark.core.cue_names import CUE as CUE
from factmark.core.cue_names import CUE_OF as CUE_OF
from factmark.core.cue_names import OUTLET as OUTLET
from factmark.core.cue_names import VOICE as VOICE
from factmark.core.cue_names import cues_on as cues_on
from factmark.core.cue_names import is_outlet_voice as is_outlet_voice
from factmark.core.labels_store import free_colour, free_key
from factmark.core.model import Relation, Span, ValidationError
from factmark.core.operations import AddRelation, AddSpan, Compound, Operation
from factmark.core.project import Project

ATTRIBUTED_TO = "attributed_to"
CLAIM = "claim"
CUE_DESCRIPTION = (
    "The reporting verb or phrase that ties a source to what it says: said, according to, "
    "wrote on Telegram."
)
CUE_OF_DESCRIPTION = (
    "A cue span and the claim it introduces (the source comes from the claim's attributed_to link)."
)
# How far from the source and the claim a pattern is tried, in characters.
_REACH = 300


# -- turning cues on and off ---------------------------------------------------------------


def turn_cues_on(project: Project) -> Operation | None:
    """The edit that adds what the project lacks of the ``cue`` label and the ``cue_of``
    link type (one undo step), or None when it has both."""
    # Label operations are read when cues are turned on or off, not by every window.
    from factmark.core.label_operations import AddLabel, AddRelationType

    labels = project.labels()
    parts: list[Operation] = []
    if not any(label.name == CUE for label in labels):
        parts.append(AddLabel(CUE, free_key(labels), free_colour(labels), CUE_DESCRIPTION))
    if CUE_OF not in project.relation_types():
        parts.append(AddRelationType(CUE_OF, CUE_OF_DESCRIPTION))
    return Compound(None, parts, "Mark cues") if parts else None


def turn_cues_off(project: Project) -> Operation | None:
    """The edit that removes the ``cue`` label and the ``cue_of`` link type, or None when
    the project has neither. Applying it is refused (ValidationError) while spans or links
    use them."""
    from factmark.core.label_operations import DeleteLabel, DeleteRelationType

    parts: list[Operation] = []
    if CUE_OF in project.relation_types():
        parts.append(DeleteRelationType(CUE_OF))
    if any(label.name == CUE for label in project.labels()):
        parts.append(DeleteLabel(CUE))
    return Compound(None, parts, "Stop marking cues") if parts else None


# -- the cue of an attribution ------------------------------------------------------------


def _distance(a: tuple[int, int], b: tuple[int, int]) -> int:
    """Characters between two ranges (0 when they touch or overlap)."""
    return max(0, b[0] - a[1], a[0] - b[1])


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def cue_for(source: tuple[int, int] | None, cues: Sequence[tuple[int, int]]) -> int | None:
    """Which of a claim's linked ``cues`` belongs to ``source`` (its index): the one
    nearest the source, the first in text order on a tie (None without cues)."""
    if not cues:
        return None
    if source is None:
        return 0
    return min(range(len(cues)), key=lambda n: (_distance(cues[n], source), cues[n]))


def find_cue(
    text: str,
    source: tuple[int, int],
    claim: tuple[int, int],
    language: str = "en",
    bounds: Sequence[tuple[int, int]] | None = None,
) -> tuple[int, int] | None:
    """The cue that ties ``source`` to ``claim`` in ``text``, or None.

    Only the sentences the claim touches are searched (a cue stands by its content). First
    the attribution patterns: the ``cue`` group of a match whose ``source`` group overlaps
    the source span ("Prigozhin *said* Thursday"); else the pattern file's cue words
    (``source_cues``) in those sentences, outside the claim and the source, the nearest
    to the claim ("where he *said* it had lost"), those between source and claim first.
    ``bounds`` are the text's sentences when known (``suggest.sources.sentences``).
    """
    # Imported here: the patterns are needed only when cues are proposed, not by exports.
    from factmark.core.suggest.sources import attribution_rules, sentences

    rules = attribution_rules(language)
    if rules is None:
        return None
    near = [s for s in bounds or sentences(text) if _overlap(s, claim)]
    if not near:
        return None
    region = (near[0][0], near[-1][1])

    def usable(cue: tuple[int, int]) -> bool:
        inside = region[0] <= cue[0] and cue[1] <= region[1]
        return inside and cue[0] < cue[1] and not _overlap(cue, claim) and not _overlap(cue, source)

    found: list[tuple[int, int]] = []
    low = max(0, min(source[0], region[0]) - _REACH)
    high = min(len(text), max(source[1], region[1]) + _REACH)
    for _name, pattern in rules.patterns:
        if "cue" not in pattern.groupindex:
            continue
        for match in pattern.finditer(text, low, high):
            cue = match.span("cue")
            if _overlap(match.span("source"), source) and usable(cue):
                found.append(cue)
    if not found and rules.cue is not None:
        found = [hit.span() for hit in rules.cue.finditer(text, *region) if usable(hit.span())]
        between = (min(source[1], claim[1]), max(source[0], claim[0]))
        inner = [cue for cue in found if between[0] <= cue[0] and cue[1] <= between[1]]
        found = inner or found
    if not found:
        return None
    return min(found, key=lambda cue: (_distance(cue, claim), cue))


@dataclass(frozen=True)
class CueProposal:
    """A cue proposed for one ``attributed_to`` link, not stored until accepted."""

    relation_id: int
    source_id: int
    claim_id: int
    start: int
    end: int


def proposed_cues(
    text: str, spans: Iterable[Span], relations: Iterable[Relation], language: str = "en"
) -> list[CueProposal]:
    """A cue for each ``attributed_to`` link whose claim has no ``cue_of`` link yet, in
    the order of the links; a link whose cue is not found gets none."""
    by_id = {span.id: span for span in spans}
    relations = list(relations)
    cued = {r.child_span_id for r in relations if r.label == CUE_OF}
    found: list[CueProposal] = []
    bounds: list[tuple[int, int]] | None = None
    for relation in relations:
        if relation.label != ATTRIBUTED_TO or relation.child_span_id in cued:
            continue
        source, claim = by_id.get(relation.head_span_id), by_id.get(relation.child_span_id)
        if source is None or claim is None or relation.id is None:
            continue
        if bounds is None:
            from factmark.core.suggest.sources import sentences

            bounds = list(sentences(text))
        cue = find_cue(text, (source.start, source.end), (claim.start, claim.end), language, bounds)
        if cue is not None:
            found.append(CueProposal(relation.id, source.id or 0, claim.id or 0, cue[0], cue[1]))
    return found


def language_of(meta: dict[str, object]) -> str:
    """The language whose patterns a document's cues are found with: its metadata ``lang``
    (or ``language``), else its primary subtag when only that has a pattern file
    (``en-GB`` -> ``en``); English when it names none."""
    from factmark.core.suggest.sources import attribution_path

    value = meta.get("lang") or meta.get("language") or "en"
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z0-9_-]+", value.strip()):
        return "en"
    value = value.strip()
    primary = value.replace("_", "-").split("-")[0].lower()
    return value if attribution_path(value).is_file() or primary == value else primary


@dataclass
class AcceptCue(Operation):
    """A proposed cue accepted: the ``cue`` span (or the one already there) and its
    ``cue_of`` link to the claim, as one edit; redo makes both under the same ids."""

    document_id: int
    start: int
    end: int
    claim_id: int
    annotator: str | None = None
    span_id: int | None = None  # the cue span, once known
    _add_span: AddSpan | None = None
    _link: AddRelation | None = None

    @property
    def description(self) -> str:  # type: ignore[override]
        return "Accept cue"

    def _apply(self, project: Project) -> None:
        if self._link is None:
            if CUE not in {label.name for label in project.labels()}:
                raise ValidationError("the project does not mark cues (turn them on first)")
            existing = next(
                (
                    s
                    for s in project.spans(self.document_id)
                    if (s.start, s.end, s.label) == (self.start, self.end, CUE)
                ),
                None,
            )
            if existing is None:
                self._add_span = AddSpan(
                    self.document_id, self.start, self.end, CUE, self.annotator
                )
            else:
                self.span_id = existing.id
        if self._add_span is not None:
            self._add_span._apply(project)
            self.span_id = self._add_span.span_id
        if self._link is None:
            self._link = AddRelation(self.document_id, self.span_id or 0, self.claim_id, CUE_OF)
        self._link._apply(project)

    def _revert(self, project: Project) -> None:
        assert self._link is not None
        self._link._revert(project)
        if self._add_span is not None:
            self._add_span._revert(project)
