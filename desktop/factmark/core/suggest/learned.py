"""The project suggester: text already labelled somewhere in the project is proposed
again wherever it appears, as Prodigy's pattern matching and INCEpTION's string
matching recommender do.

An exact match is likely right; a match that differs only in case ("kyiv", "KYIV")
less so.

What a project has labelled is learned once (:class:`LearnedPhrases`, from the text of
every span) and then kept up to date span by span as spans are added, relabelled and
deleted: a phrase stays learned with a label while any span with that label holds it.
"""

from __future__ import annotations

from collections.abc import Iterable

from factmark.core.model import Proposal
from factmark.core.suggest.phrases import PhraseMatcher

SUGGESTER = "project"
EXACT_CONFIDENCE = 0.9
CASE_CONFIDENCE = 0.6
MIN_LENGTH = 2  # a single character ("5", "沪") matches far too often


class LearnedPhrases:
    """The phrases a project's spans hold, with their labels, ready to be found in a text.

    Made from the ``(text, label)`` of every span (one pair per span: how many spans
    hold a phrase with a label is counted), then changed with :meth:`add` and
    :meth:`remove` as spans come and go, without being made again. Not thread-safe:
    one thread at a time uses it.
    """

    def __init__(self, spans: Iterable[tuple[str, str]] = ()) -> None:
        # phrase -> label -> how many spans hold it with that label
        self._labels: dict[str, dict[str, int]] = {}
        labels = self._labels
        for text, label in spans:
            phrase = text.strip()
            if len(phrase) >= MIN_LENGTH:
                counts = labels.get(phrase)
                if counts is None:
                    labels[phrase] = {label: 1}
                else:
                    counts[label] = counts.get(label, 0) + 1
        # One matcher ignoring case finds the exact matches too (told apart by comparing
        # the text); phrases whose length changes when lower-cased ("İzmir") cannot be
        # found ignoring case, and have an exact matcher of their own.
        self._folded = PhraseMatcher.of(labels, ignore_case=True)
        self._exact = PhraseMatcher.of(p for p in labels if not _folds(p))

    def __len__(self) -> int:
        """How many different phrases are learned."""
        return len(self._labels)

    def labels_of(self, phrase: str) -> dict[str, int]:
        """The labels ``phrase`` is learned with, and how many spans hold it with each."""
        return dict(self._labels.get(phrase.strip(), {}))

    def add(self, text: str, label: str) -> None:
        """A span labelled ``label`` now holds ``text``."""
        phrase = text.strip()
        if len(phrase) < MIN_LENGTH:
            return
        counts = self._labels.get(phrase)
        if counts is None:
            self._labels[phrase] = {label: 1}
            self._matcher(phrase).add(phrase)
        else:
            counts[label] = counts.get(label, 0) + 1

    def remove(self, text: str, label: str) -> None:
        """A span labelled ``label`` holding ``text`` is gone (or relabelled): the
        phrase is forgotten with that label once no span holds it with it."""
        phrase = text.strip()
        counts = self._labels.get(phrase)
        if counts is None or label not in counts:
            return
        counts[label] -= 1
        if counts[label] > 0:
            return
        del counts[label]
        if not counts:
            del self._labels[phrase]
            self._matcher(phrase).remove(phrase)

    def _matcher(self, phrase: str) -> PhraseMatcher:
        return self._folded if _folds(phrase) else self._exact

    def propose(self, text: str) -> list[Proposal]:
        """Proposals for every place ``text`` holds a learned phrase, once per label."""
        labels = self._labels
        proposals = []
        for match in self._exact.find(text, overlapping=True):
            for label in labels[match.phrase]:
                proposals.append(
                    Proposal(match.start, match.end, label, SUGGESTER, EXACT_CONFIDENCE)
                )
        for match in self._folded.find(text, overlapping=True):
            exact = text[match.start : match.end] == match.phrase
            confidence = EXACT_CONFIDENCE if exact else CASE_CONFIDENCE
            for label in labels[match.phrase]:
                proposals.append(Proposal(match.start, match.end, label, SUGGESTER, confidence))
        return proposals


def _folds(phrase: str) -> bool:
    """Whether ``phrase`` lower-cased keeps its length (it can be found ignoring case)."""
    return len(phrase.lower()) == len(phrase)


def suggest_from_project(text: str, labelled: Iterable[tuple[str, str]]) -> list[Proposal]:
    """Proposals for every place ``text`` holds a ``(text, label)`` pair of ``labelled``
    (learned for this call alone: keep a :class:`LearnedPhrases` to suggest in many
    texts)."""
    return LearnedPhrases(labelled).propose(text)
