"""The project suggester: text already labelled somewhere in the project is proposed
again wherever it appears, as Prodigy's pattern matching does.

An exact match is likely right; a match that differs only in case ("kyiv", "KYIV")
less so.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from factmark.core.model import Proposal
from factmark.core.suggest.phrases import PhraseMatcher

SUGGESTER = "project"
EXACT_CONFIDENCE = 0.9
CASE_CONFIDENCE = 0.6
MIN_LENGTH = 2  # a single character ("5", "沪") matches far too often


def suggest_from_project(text: str, labelled: Iterable[tuple[str, str]]) -> list[Proposal]:
    """Proposals for every place ``text`` holds a ``(text, label)`` pair of ``labelled``."""
    learned = _Learned.of(tuple(sorted(set(labelled))))
    proposals = []
    for match in learned.exact.find(text, overlapping=True):
        for label in learned.labels[match.phrase]:
            proposals.append(Proposal(match.start, match.end, label, SUGGESTER, EXACT_CONFIDENCE))
    for match in learned.folded.find(text, overlapping=True):
        if text[match.start : match.end] == match.phrase:
            continue  # found above
        for label in learned.labels[match.phrase]:
            proposals.append(Proposal(match.start, match.end, label, SUGGESTER, CASE_CONFIDENCE))
    return proposals


class _Learned:
    """Matchers over a project's labelled texts, kept for the next document."""

    def __init__(self, pairs: tuple[tuple[str, str], ...]) -> None:
        self.labels: dict[str, set[str]] = {}
        for phrase, label in pairs:
            if len(phrase.strip()) >= MIN_LENGTH:
                self.labels.setdefault(phrase.strip(), set()).add(label)
        self.exact = PhraseMatcher.of(self.labels)
        self.folded = PhraseMatcher.of(self.labels, ignore_case=True)

    @classmethod
    @lru_cache(maxsize=4)
    def of(cls, pairs: tuple[tuple[str, str], ...]) -> _Learned:
        return cls(pairs)
