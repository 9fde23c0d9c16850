"""Matching a claim against the archive of earlier fact-checks: BM25 (bm25s) over each
review's claim and title, words stemmed per language (PyStemmer's Snowball stemmers).

- A query in language L (the document's ``lang``, English when it has none) is matched
  against the reviews in L and those whose language is not known, each analysed with
  L's stemmer and stopwords; a language without a stemmer is matched on whole words.
- The ranking is reproducible: all scores are computed, and equal scores keep the
  archive's order (the review added first ranks first).
- It is explainable: each match carries the words of the review that matched words of
  the claim (the same stem), as the review writes them, and the share of the weight of
  the review's claim (not its title) the claim covers (:attr:`Match.coverage`).
- Chinese and Japanese, written without spaces, are cut into overlapping pairs of
  characters (疫苗含有 -> 疫苗 苗含 含有), in the index and in the query alike, whatever the
  language: a claim reworded around the same words still shares most pairs with its
  review. Words of other scripts in the same text stay whole words.

An index per language is built on first use (100,000 reviews: a few seconds) and kept
by the :class:`ClaimMatcher`; build a new matcher when the archive changes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from factmark.core.archive import ArchivedReview, primary_language

DEFAULT_LANGUAGE = "en"
# Han (with extensions and compatibility ideographs), hiragana and katakana.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
CJK_RUN = re.compile(f"[{_CJK}]+")
# A run of Chinese or Japanese characters, or a word of two or more other letters/digits.
_TOKEN = re.compile(f"[{_CJK}]+|(?:(?![{_CJK}])\\w){{2,}}")
# Snowball stemmers (PyStemmer) by language tag.
STEMMERS = {
    "ar": "arabic", "ca": "catalan", "cs": "czech", "da": "danish", "de": "german",
    "el": "greek", "en": "english", "es": "spanish", "et": "estonian", "eu": "basque",
    "fi": "finnish", "fr": "french", "ga": "irish", "hi": "hindi", "hu": "hungarian",
    "hy": "armenian", "id": "indonesian", "it": "italian", "lt": "lithuanian",
    "nb": "norwegian", "ne": "nepali", "nl": "dutch", "nn": "norwegian", "no": "norwegian",
    "pl": "polish", "pt": "portuguese", "ro": "romanian", "ru": "russian", "sr": "serbian",
    "sv": "swedish", "ta": "tamil", "tr": "turkish", "yi": "yiddish",
}  # fmt: skip
# Stopword lists bm25s ships, by language tag.
_STOPWORDS = {
    "da": "STOPWORDS_DANISH", "de": "STOPWORDS_GERMAN", "en": "STOPWORDS_EN_PLUS",
    "es": "STOPWORDS_SPANISH", "fr": "STOPWORDS_FRENCH", "it": "STOPWORDS_ITALIAN",
    "nb": "STOPWORDS_NORWEGIAN", "nl": "STOPWORDS_DUTCH", "nn": "STOPWORDS_NORWEGIAN",
    "no": "STOPWORDS_NORWEGIAN", "pt": "STOPWORDS_PORTUGUESE", "ru": "STOPWORDS_RUSSIAN",
    "sv": "STOPWORDS_SWEDISH", "tr": "STOPWORDS_TURKISH",
}  # fmt: skip


@dataclass(frozen=True)
class Match:
    """A review that matches a claim: its BM25 score and the review's words that match."""

    review: ArchivedReview
    score: float
    matched_words: tuple[str, ...]
    # The share of the review's claim's BM25 weight that the query covers: the weights of
    # the claim's words the query holds over those of all its words (1.0: every word of
    # the review's claim is in the query; its title does not count).
    coverage: float = 0.0


class Analyser:
    """Words of a text as the index sees them: lower-cased (casefold), stopwords left
    out, stemmed with the language's Snowball stemmer when there is one."""

    def __init__(self, language: str) -> None:
        self.language = language
        self._stopwords = stopwords(language)
        self._stem = _stemmer(language)

    def words(self, text: str) -> list[str]:
        """The surface words of ``text`` (two letters or more; pairs of characters in
        Chinese and Japanese), in order."""
        return tokens(text)

    def terms(self, text: str) -> list[str]:
        """The index terms of ``text``, in order (repeats kept)."""
        words = [w for w in tokens(text.casefold()) if w not in self._stopwords]
        return self._stem(words) if self._stem is not None else words

    def corpus(self, texts: Iterable[str]) -> tuple[list[list[int]], dict[str, int]]:
        """The terms of many texts as numbers, and the numbers of the terms: what bm25s
        indexes. Each distinct word is stemmed once (100,000 reviews hold a few tens of
        thousands of distinct words, and a few million words in all)."""
        known: dict[str, int] = {}  # word -> term number, -1 for a stopword
        vocabulary: dict[str, int] = {}  # term -> number

        def term(word: str) -> int:
            if word in self._stopwords:
                number = -1
            else:
                stem = self._stem([word])[0] if self._stem is not None else word
                number = vocabulary.setdefault(stem, len(vocabulary))
            known[word] = number
            return number

        documents = []
        for text in texts:
            numbers = [known[w] if w in known else term(w) for w in tokens(text.casefold())]
            documents.append([n for n in numbers if n >= 0])
        return documents, vocabulary


class ClaimMatcher:
    """BM25 over an archive's reviews; :meth:`match` ranks them for one claim."""

    def __init__(self, reviews: Sequence[ArchivedReview]) -> None:
        self.reviews = list(reviews)
        self._indexes: dict[str, _LanguageIndex] = {}

    def match(self, text: str, language: str = "", top: int = 5) -> list[Match]:
        """The ``top`` reviews that best match the claim ``text`` (in ``language``, a tag;
        English when empty), best first; reviews sharing no word with it are left out."""
        code = primary_language(language) or DEFAULT_LANGUAGE
        index = self._indexes.get(code)
        if index is None:
            index = self._indexes[code] = _LanguageIndex(self.reviews, Analyser(code))
        return index.match(text, top)

    def index_language(self, language: str) -> None:
        """Build the index of a language now (it is otherwise built on first use)."""
        self.match("", language, 0)


class _LanguageIndex:
    """The BM25 index of the reviews in one language and of those whose language is not
    known, analysed for that language."""

    def __init__(self, reviews: Sequence[ArchivedReview], analyser: Analyser) -> None:
        import bm25s  # only when matching: it brings numpy and scipy's sparse matrices

        self.analyser = analyser
        code = analyser.language
        self.reviews = [
            r for r in reviews if not r.language or primary_language(r.language) == code
        ]
        self._bm25: Any = None
        if self.reviews:
            # Claims and titles analysed apart (one vocabulary), each review indexed as
            # its claim's terms then its title's: coverage is measured on the claim alone.
            parts, vocabulary = analyser.corpus(
                text for r in self.reviews for text in (r.claim, r.title)
            )
            claims = parts[0::2]
            corpus = ([c + t for c, t in zip(claims, parts[1::2], strict=True)], vocabulary)
            if vocabulary:  # some review has a word that is not a stopword
                self._bm25 = bm25s.BM25()
                self._bm25.index(corpus, show_progress=False)
                self._claim_terms = [frozenset(c) for c in claims]
                self._own = self._claim_weights(self._claim_terms)

    def match(self, text: str, top: int) -> list[Match]:
        import numpy as np

        if self._bm25 is None or top <= 0:
            return []
        query = list(dict.fromkeys(self.analyser.terms(text)))
        ids = self._bm25.get_tokens_ids(query)
        if not ids:
            return []
        scores = self._bm25.get_scores_from_ids(ids)
        found = np.flatnonzero(scores > 0)
        # Best score first; equal scores in archive order (lexsort: last key first).
        ranked = found[np.lexsort((found, -scores[found]))][:top]
        wanted = set(query)
        return [
            Match(
                self.reviews[i],
                round(float(scores[i]), 4),
                self._matched_words(self.reviews[i], wanted),
                self._coverage(int(i), ids),
            )
            for i in ranked
        ]

    def _weight(self, term: int, review: int) -> float:
        """The BM25 weight of ``term`` in ``review`` (bm25s keeps the weights by term,
        each term's reviews in order in ``indices``)."""
        import numpy as np

        weights = self._bm25.scores
        first, last = int(weights["indptr"][term]), int(weights["indptr"][term + 1])
        at = first + int(np.searchsorted(weights["indices"][first:last], review))
        return float(weights["data"][at]) if at < last and weights["indices"][at] == review else 0.0

    def _claim_weights(self, claims: list[frozenset[int]]) -> Any:
        """Each review's score for its own claim's words: the sum of their weights."""
        import numpy as np

        weights = self._bm25.scores
        spans = np.diff(weights["indptr"])
        term_of = np.repeat(np.arange(len(spans)), spans)  # the term of each stored weight
        count = len(claims)
        stored = term_of.astype(np.int64) * count + weights["indices"]  # ascending
        wanted = np.fromiter(
            (t * count + i for i, terms in enumerate(claims) for t in terms), dtype=np.int64
        )
        at = np.searchsorted(stored, wanted)
        own = np.zeros(count)
        if len(wanted):
            reviews = wanted % count
            np.add.at(own, reviews, weights["data"][at])
        return own

    def _coverage(self, review: int, query: list[int]) -> float:
        """The share of the review's claim weight that the query's words cover (1.0:
        every word of the claim is in the query); a claim of stopwords alone: 0."""
        own = float(self._own[review])
        if own <= 0:
            return 0.0
        terms = self._claim_terms[review]
        covered = sum(self._weight(t, review) for t in set(query) if t in terms)
        return round(min(1.0, covered / own), 4)

    def _matched_words(self, review: ArchivedReview, wanted: set[str]) -> tuple[str, ...]:
        """The review's words (claim, then title) whose term is one of the query's."""
        words = self.analyser.words(f"{review.claim}\n{review.title}")
        seen: dict[str, str] = {}
        for word in words:
            terms = self.analyser.terms(word)
            if terms and terms[0] in wanted:
                seen.setdefault(word.casefold(), word)
        return tuple(seen.values())


def tokens(text: str) -> list[str]:
    """The words of ``text`` in order: words of two letters or digits or more, and in
    Chinese and Japanese every pair of neighbouring characters (a lone character stays
    itself)."""
    found: list[str] = []
    for match in _TOKEN.finditer(text):
        word = match.group()
        if CJK_RUN.match(word):
            found += [word[i : i + 2] for i in range(len(word) - 1)] or [word]
        else:
            found.append(word)
    return found


@cache
def stopwords(language: str) -> frozenset[str]:
    """The stopwords left out of a language's terms (none for a language without a list)."""
    name = _STOPWORDS.get(language)
    if name is None:
        return frozenset()
    import bm25s.stopwords

    return frozenset(word.casefold() for word in getattr(bm25s.stopwords, name))


def _stemmer(language: str) -> Any:
    """The stemming function of a language (a list of words in, their stems out), or None."""
    name = STEMMERS.get(language)
    if name is None:
        return None
    import Stemmer

    if name not in Stemmer.algorithms():
        return None
    return Stemmer.Stemmer(name).stemWords
