"""Sentences that closely match a claim in the archive of earlier fact-checks: proposed
as claim suggestions (suggester ``archive``), each with the review it matched, so that a
fact-checker sees which sentences of an article were checked before even where no claim
span exists yet.

A sentence is proposed when its best-covering match among the top few covers at least
:data:`MIN_COVERAGE` of the BM25 weight of that review's claim (``Match.coverage``: the
share of the claim's words, weighted by how rare they are in the archive, that the
sentence holds; the review's title does not count)
and shares at least :data:`MIN_WORDS` words with it. A sentence sharing one or two
common words with a review ("5G", "vaccines") is not proposed; the reworded claim is.
The suggestion's confidence is that coverage.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from factmark.core.model import ARCHIVE_SUGGESTER, Proposal

if TYPE_CHECKING:  # the matcher is made by the caller; the window starts without it
    from factmark.core.claim_matching import ClaimMatcher, Match

SUGGESTER = ARCHIVE_SUGGESTER
LABEL = "claim"
MIN_COVERAGE = 0.7
MIN_WORDS = 3
CANDIDATES = 3  # the best matches by score among which the best-covering one is taken
MAX_SENTENCE = 2000  # characters: a longer "sentence" (a list, a table) is not matched


@dataclass(frozen=True)
class CheckedSentence:
    """A sentence ``[start, end)`` of a text and the archived review it closely matches."""

    start: int
    end: int
    match: Match

    def proposal(self) -> Proposal:
        """The sentence as a claim suggestion (its confidence: the match's coverage)."""
        return Proposal(self.start, self.end, LABEL, SUGGESTER, self.match.coverage)


def checked_sentences(
    text: str,
    sentences: Iterable[tuple[int, int]],
    matcher: ClaimMatcher,
    language: str = "",
    *,
    min_coverage: float = MIN_COVERAGE,
    min_words: int = MIN_WORDS,
) -> list[CheckedSentence]:
    """The sentences of ``text`` (``[start, end)`` code-point bounds, from a segmenter)
    that closely match a review of the archive, in text order, each with that review."""
    found = []
    for start, end in sentences:
        if end - start > MAX_SENTENCE:
            continue
        matches = matcher.match(text[start:end], language, CANDIDATES)
        close = [
            m for m in matches if m.coverage >= min_coverage and len(m.matched_words) >= min_words
        ]
        if close:
            # The closest: the highest coverage; equal ones keep the ranking's order.
            best = max(close, key=lambda m: m.coverage)
            found.append(CheckedSentence(start, end, best))
    return found
