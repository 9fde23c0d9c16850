"""Finding many fixed phrases (place names, already-labelled text) in a long text fast.

One pass over the words of the text with a dict lookup per word, rather than one
huge regular expression: a word that starts no phrase costs one hash lookup, and
only the phrases starting with that word are compared. Phrases in scripts written
without spaces between words (Chinese, Japanese, Korean, Thai...) cannot be found
by words; they are matched anywhere, keyed by their first character.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

# A maximal run of letters and digits; combining marks (decomposed accents, Indic
# vowel signs) split it, but a phrase is compared as one slice of the text, so they
# only need to be the same in phrase and text.
WORD = re.compile(r"\w+")

# Scripts without spaces between words, where a phrase is matched anywhere.
_UNSPACED = (
    (0x0E00, 0x0EFF),  # Thai, Lao
    (0x1000, 0x109F),  # Myanmar
    (0x1780, 0x17FF),  # Khmer
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x3400, 0x9FFF),  # CJK ideographs
    (0xAC00, 0xD7AF),  # Hangul syllables (particles attach to nouns)
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0x20000, 0x3FFFF),  # CJK ideographs beyond the BMP
)


def alternation(words: Iterable[str]) -> str:
    """A regex matching any of ``words`` (longest first), written as a trie:
    ``(?:sa(?:id|ys?)|told)`` rather than ``said|says|say|told``, which Python's
    regex engine tries several times faster in a long text."""
    trie: dict[str, Any] = {}
    for word in set(words):
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return f"(?:{build(trie)})" if trie else "(?!)"


def is_unspaced(char: str) -> bool:
    """Whether ``char`` belongs to a script written without spaces between words."""
    code = ord(char)
    return any(low <= code <= high for low, high in _UNSPACED)


def _continues_word(text: str, index: int) -> bool:
    """Whether the character at ``index`` would extend the word before it."""
    if index >= len(text):
        return False
    char = text[index]
    return char.isalnum() or char == "_" or unicodedata.combining(char) != 0


@dataclass(frozen=True)
class Match:
    """A phrase found at ``[start, end)``; ``phrase`` is the phrase as it was given."""

    start: int
    end: int
    phrase: str


@dataclass
class PhraseMatcher:
    """Whole-word matches of fixed phrases, longest first, never overlapping.

    ``ignore_case`` compares lower-cased text (the phrases as given are reported).
    A phrase may begin or end with punctuation (a quoted name); it must hold a word.
    """

    ignore_case: bool = False
    # first word (lower-cased when ignoring case) -> [(chars before it, key, phrase)]
    _by_word: dict[str, list[tuple[int, str, str]]] = field(default_factory=dict)
    # first character -> [(key, phrase)] for phrases in unspaced scripts
    _by_char: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    _char_pattern: re.Pattern[str] | None = None

    @classmethod
    def of(cls, phrases: Iterable[str], *, ignore_case: bool = False) -> PhraseMatcher:
        """A matcher for ``phrases`` (duplicates and phrases without a word are dropped)."""
        matcher = cls(ignore_case)
        for phrase in set(phrases):
            matcher._add(phrase)
        for entries in matcher._by_word.values():
            entries.sort(key=lambda entry: (-len(entry[1]), entry[1]))
        for char_entries in matcher._by_char.values():
            char_entries.sort(key=lambda entry: (-len(entry[0]), entry[0]))
        if matcher._by_char:
            chars = "".join(sorted(matcher._by_char))
            matcher._char_pattern = re.compile(f"[{re.escape(chars)}]")
        return matcher

    def _add(self, phrase: str) -> None:
        key = self._fold(phrase)
        if len(key) != len(phrase):  # lower-casing changed the length: offsets would drift
            return
        first = WORD.search(key)
        if first is None or not phrase.strip() or phrase != phrase.strip():
            return
        if is_unspaced(first.group()[0]):
            if first.start() == 0:
                self._by_char.setdefault(key[0], []).append((key, phrase))
            return
        self._by_word.setdefault(first.group(), []).append((first.start(), key, phrase))

    def _fold(self, text: str) -> str:
        return text.lower() if self.ignore_case else text

    def __len__(self) -> int:
        return sum(map(len, self._by_word.values())) + sum(map(len, self._by_char.values()))

    def find(self, text: str, *, overlapping: bool = False) -> Iterator[Match]:
        """Matches in ``text``, in text order.

        By default the longest phrase at a place wins and matches never overlap (a
        gazetteer: "New York" hides "York"); ``overlapping`` yields every phrase
        found, nested ones too (labelled text: "Officials in Abuja" and "Abuja").
        """
        matches = list(self._find_words(text, overlapping))
        if self._char_pattern is not None:
            matches += self._find_unspaced(text, overlapping)
        matches.sort(key=lambda m: (m.start, -m.end))
        if overlapping:
            yield from matches
            return
        end = 0
        for match in matches:
            if match.start >= end:
                end = match.end
                yield match

    def _find_words(self, text: str, overlapping: bool) -> Iterator[Match]:
        by_word, fold, resume = self._by_word, self._fold, 0
        for word in WORD.finditer(text):
            entries = by_word.get(fold(word.group()))
            if entries is None or word.start() < resume:
                continue
            for before, key, phrase in entries:
                start = word.start() - before
                end = start + len(key)
                if (
                    start >= 0
                    and fold(text[start:end]) == key
                    and not _continues_word(text, end)
                    and not (before and start > 0 and _continues_word(text, start - 1))
                ):
                    yield Match(start, end, phrase)
                    if not overlapping:
                        resume = end
                        break

    def _find_unspaced(self, text: str, overlapping: bool) -> Iterator[Match]:
        assert self._char_pattern is not None
        by_char, resume = self._by_char, 0
        for hit in self._char_pattern.finditer(text):
            start = hit.start()
            if start < resume:
                continue
            for key, phrase in by_char[hit.group()]:
                if text.startswith(key, start):
                    yield Match(start, start + len(key), phrase)
                    if not overlapping:
                        resume = start + len(key)
                        break
