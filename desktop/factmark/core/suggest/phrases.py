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
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

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
    if code < _UNSPACED[0][0]:
        return False  # Latin, Cyrillic, Arabic, Devanagari...: most phrases, at once
    return any(low <= code <= high for low, high in _UNSPACED)


def _continues_word(text: str, index: int) -> bool:
    """Whether the character at ``index`` would extend the word before it."""
    if index >= len(text):
        return False
    char = text[index]
    return char.isalnum() or char == "_" or unicodedata.combining(char) != 0


# What :meth:`PhraseMatcher._entry` says of a phrase: the bucket it goes in (its first
# word, lower-cased when ignoring case; or its first character, in an unspaced script),
# how many characters of it come before that word, its key (the phrase, lower-cased when
# ignoring case) and the phrase.
class _Entry(NamedTuple):
    unspaced: bool
    bucket: str
    before: int
    key: str
    phrase: str


Phrases = str | tuple[str, ...]  # the phrases of one key: one, or several in sorted order


class _Bucket:
    """The phrases of one first word (or first character), grouped by shape: the length
    of their key and how many characters come before the word, longest first. Finding
    them at a word then costs a dict lookup per shape, however many phrases start with
    that word (thousands start with "the" in a large project)."""

    __slots__ = ("keys", "shapes")

    def __init__(self) -> None:
        self.shapes: list[tuple[int, int]] = []  # (-length, before), in this order
        self.keys: dict[tuple[int, int], dict[str, Phrases]] = {}

    def add(self, entry: _Entry) -> bool:
        """Keep ``entry``'s phrase; False when it was kept already."""
        shape = (-len(entry.key), entry.before)
        keys = self.keys.get(shape)
        if keys is None:
            keys = self.keys[shape] = {}
            self.shapes.insert(bisect_left(self.shapes, shape), shape)
        held = keys.get(entry.key)
        if held is None:
            keys[entry.key] = entry.phrase
            return True
        phrases = (held,) if isinstance(held, str) else held
        if entry.phrase in phrases:
            return False
        at = bisect_left(phrases, entry.phrase)
        keys[entry.key] = (*phrases[:at], entry.phrase, *phrases[at:])
        return True

    def remove(self, entry: _Entry) -> bool:
        """Drop ``entry``'s phrase; False when it was not kept."""
        shape = (-len(entry.key), entry.before)
        keys = self.keys.get(shape)
        held = None if keys is None else keys.get(entry.key)
        phrases = () if held is None else (held,) if isinstance(held, str) else held
        if keys is None or entry.phrase not in phrases:
            return False
        left = tuple(p for p in phrases if p != entry.phrase)
        if len(left) > 1:
            keys[entry.key] = left
        elif left:
            keys[entry.key] = left[0]
        else:
            del keys[entry.key]
            if not keys:
                del self.keys[shape]
                self.shapes.remove(shape)
        return True


def _first(held: Phrases) -> str:
    return held if isinstance(held, str) else held[0]


def _each(held: Phrases) -> tuple[str, ...]:
    return (held,) if isinstance(held, str) else held


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
    Where phrases of one length start at one place, the first by key, then phrase, wins.
    """

    ignore_case: bool = False
    # first word (lower-cased when ignoring case) -> its phrases
    _by_word: dict[str, _Bucket] = field(default_factory=dict)
    # first character -> its phrases, for phrases in unspaced scripts
    _by_char: dict[str, _Bucket] = field(default_factory=dict)
    _char_pattern: re.Pattern[str] | None = None
    _size: int = 0

    @classmethod
    def of(cls, phrases: Iterable[str], *, ignore_case: bool = False) -> PhraseMatcher:
        """A matcher for ``phrases`` (duplicates and phrases without a word are dropped)."""
        matcher = cls(ignore_case)
        for phrase in phrases:
            matcher._keep(phrase)
        matcher._compile_chars()
        return matcher

    def add(self, phrase: str) -> None:
        """Match ``phrase`` too, as if the matcher had been made with it (nothing when it
        is matched already or would be dropped by :meth:`of`)."""
        chars = len(self._by_char)
        self._keep(phrase)
        if len(self._by_char) != chars:
            self._compile_chars()

    def remove(self, phrase: str) -> None:
        """Stop matching ``phrase`` (nothing when it is not matched)."""
        entry = self._entry(phrase)
        if entry is None:
            return
        buckets = self._by_char if entry.unspaced else self._by_word
        bucket = buckets.get(entry.bucket)
        if bucket is None or not bucket.remove(entry):
            return
        self._size -= 1
        if not bucket.shapes:
            del buckets[entry.bucket]
            if entry.unspaced:
                self._compile_chars()

    def _keep(self, phrase: str) -> None:
        entry = self._entry(phrase)
        if entry is None:
            return
        buckets = self._by_char if entry.unspaced else self._by_word
        bucket = buckets.get(entry.bucket)
        if bucket is None:
            bucket = buckets[entry.bucket] = _Bucket()
        if bucket.add(entry):
            self._size += 1

    def _entry(self, phrase: str) -> _Entry | None:
        """Where ``phrase`` is kept: under its first word, or under its first character
        in a script without spaces; None for a phrase that cannot be matched."""
        key = self._fold(phrase)
        if len(key) != len(phrase):  # lower-casing changed the length: offsets would drift
            return None
        first = WORD.search(key)
        if first is None or not phrase.strip() or phrase != phrase.strip():
            return None
        if is_unspaced(first.group()[0]):
            return _Entry(True, key[0], 0, key, phrase) if first.start() == 0 else None
        return _Entry(False, first.group(), first.start(), key, phrase)

    def _compile_chars(self) -> None:
        chars = "".join(sorted(self._by_char))
        self._char_pattern = re.compile(f"[{re.escape(chars)}]") if chars else None

    def _fold(self, text: str) -> str:
        return text.lower() if self.ignore_case else text

    def __len__(self) -> int:
        return self._size

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
        by_word, fold, resume, size = self._by_word, self._fold, 0, len(text)
        for word in WORD.finditer(text):
            bucket = by_word.get(fold(word.group()))
            if bucket is None or word.start() < resume:
                continue
            best: tuple[str, str, int, int] | None = None
            for shape in bucket.shapes:
                length, before = -shape[0], shape[1]
                if best is not None and best[3] - best[2] > length:
                    break  # the longest phrase found here wins
                start = word.start() - before
                end = start + length
                if (
                    start < 0
                    or end > size
                    or _continues_word(text, end)
                    or (before and start > 0 and _continues_word(text, start - 1))
                ):
                    continue
                key = fold(text[start:end])
                held = bucket.keys[shape].get(key)
                if held is None:
                    continue
                if overlapping:
                    for phrase in _each(held):
                        yield Match(start, end, phrase)
                elif best is None or (key, _first(held)) < best[:2]:
                    best = (key, _first(held), start, end)
            if best is not None:
                yield Match(best[2], best[3], best[1])
                resume = best[3]

    def _find_unspaced(self, text: str, overlapping: bool) -> Iterator[Match]:
        assert self._char_pattern is not None
        by_char, fold, resume, size = self._by_char, self._fold, 0, len(text)
        for hit in self._char_pattern.finditer(text):
            start = hit.start()
            if start < resume:
                continue
            bucket = by_char[hit.group()]
            for shape in bucket.shapes:
                end = start - shape[0]
                held = None if end > size else bucket.keys[shape].get(fold(text[start:end]))
                if held is None:
                    continue
                if overlapping:
                    for phrase in _each(held):
                        yield Match(start, end, phrase)
                else:
                    yield Match(start, end, _first(held))
                    resume = end
                    break
