"""The CoNLL export's tokens and sentences (what they are: see ``conll``'s module doc).

Both are found by compiled regular expressions rather than a loop over the characters in
Python, which made a CoNLL export twenty times slower than a JSONL one. The expression
needs the Unicode categories of letters, digits and marks; ``re`` has no such classes, so
they are read from ``unicodedata`` (the same table the rest of Factmark uses) 256 code
points at a time, as texts first use them: an export of English news reads a handful of
blocks instead of all 1.1 million code points. The tokens are exactly those of the
character-by-character definition kept in tests/core/conll_oracle.py.
"""

from __future__ import annotations

import bisect
import re
import threading
import unicodedata
from itertools import accumulate

LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
TERMINATORS = frozenset(".!?。！？؟।")
FULL_WIDTH_TERMINATORS = frozenset("。！？")
_CJK_RANGES = (
    (0x3005, 0x3007),  # 々 〆 〇
    (0x3040, 0x30FF),  # hiragana, katakana
    (0x31F0, 0x31FF),  # katakana phonetic extensions
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFF66, 0xFF9F),  # half-width katakana
    (0x20000, 0x3FFFF),  # planes 2 and 3: CJK extensions B-I and compatibility supplement
)
_CJK_STARTS = [start for start, _ in _CJK_RANGES]
_EMOJI_MODIFIERS = range(0x1F3FB, 0x1F400)  # skin tones: part of the emoji before them
_REGIONAL_INDICATOR = r"[\U0001F1E6-\U0001F1FF]"  # two make a flag
_JOINERS = r"\u200c\u200d"  # zero-width non-joiner and joiner
_GLUE = f"[{_JOINERS}]\\S"  # a zero-width (non-)joiner and the character it joins
_BLOCK = 256

SENTENCE_MARKS = LINE_BREAKS | TERMINATORS
_SENTENCE_MARK = re.compile(f"[{''.join(sorted(SENTENCE_MARKS))}]")


def _is_cjk(code: int) -> bool:
    index = bisect.bisect_right(_CJK_STARTS, code) - 1
    return index >= 0 and code <= _CJK_RANGES[index][1]


def _char_class(codes: list[int]) -> str:
    """The inside of a ``[...]`` matching exactly ``codes`` (sorted), as ranges."""
    parts = []
    index = 0
    while index < len(codes):
        last = index
        while last + 1 < len(codes) and codes[last + 1] == codes[last] + 1:
            last += 1
        first, end = codes[index], codes[last]
        parts.append(f"\\U{first:08x}" if first == end else f"\\U{first:08x}-\\U{end:08x}")
        index = last + 1
    return "".join(parts)


class _Classes:
    """The token expression for the code points read so far, and which blocks those are.

    Only the characters of the blocks read are in its classes, so it is right for any text
    made of them; ``pattern_for`` reads the blocks of a text that holds others first.
    Exports may run in a background thread, hence the lock for reading a block.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.word: list[int] = []  # letters, digits and marks, CJK aside
        self.marks: list[int] = list(_EMOJI_MODIFIERS)  # what a character keeps after it
        self.digits: list[int] = []
        self.blocks: frozenset[int] = frozenset()
        self.unknown = re.compile(r"[^\x00-\xff]")  # outside the blocks read (0 read below)
        self.pattern = re.compile("")
        self.marked = self.unknown  # what ``unknown`` finds, and the sentence marks
        self._read({0})

    def pattern_for(self, text: str) -> re.Pattern[str]:
        """The token expression, with the blocks of ``text`` read if they were not yet."""
        if text.isascii():
            return self.pattern
        while found := self.unknown.search(text):
            with self.lock:
                self._read({ord(found.group()) // _BLOCK})
        return self.pattern

    def _read(self, blocks: set[int]) -> None:
        grew = False
        for block in sorted(blocks - self.blocks):
            for code in range(block * _BLOCK, (block + 1) * _BLOCK):
                category = unicodedata.category(chr(code))
                if category[0] in "LNM" and not _is_cjk(code):
                    self.word.append(code)
                    grew = True
                if category[0] == "M":
                    self.marks.append(code)
                    grew = True
                if category == "Nd":
                    self.digits.append(code)
                    grew = True
        known = self.blocks | blocks
        if grew:
            self.pattern = self._compile()
        ranges: list[list[int]] = []
        for block in sorted(known):
            if ranges and ranges[-1][1] == block:
                ranges[-1][1] = block + 1
            else:
                ranges.append([block, block + 1])
        inside = "".join(
            f"\\U{start * _BLOCK:08x}-\\U{end * _BLOCK - 1:08x}" for start, end in ranges
        )
        self.unknown = re.compile(f"[^{inside}]")
        # The same, and the line breaks and terminators: holes in the blocks read.
        parts: list[str] = []
        holes = sorted(map(ord, SENTENCE_MARKS))
        for start, end in ranges:
            low, high = start * _BLOCK, end * _BLOCK - 1
            for hole in holes:
                if low <= hole <= high:
                    if low < hole:
                        parts.append(f"\\U{low:08x}-\\U{hole - 1:08x}")
                    low = hole + 1
            if low <= high:
                parts.append(f"\\U{low:08x}-\\U{high:08x}")
        self.marked = re.compile(f"[^{''.join(parts)}]")
        self.blocks = frozenset(known)  # last: a reader that sees a block sees its pattern

    def _compile(self) -> re.Pattern[str]:
        self.word.sort()
        self.marks.sort()
        self.digits.sort()
        word, marks = _char_class(self.word), _char_class(self.marks)
        digit = f"[{_char_class(self.digits)}]"
        # A run of word characters and marks, then any joined character and the next run
        # (one character at a time through alternatives is twice as slow). What joins is
        # a zero-width (non-)joiner and the character after it, or a "," or "." between
        # two digits (15,000 and 0.3 stay whole): the one character first, so that the
        # engine leaves a run at the whitespace after it by one class, not by looking
        # back and around.
        run = f"[{word}{marks}]*+"
        joined = f"[{_JOINERS},.](?:(?<=[{_JOINERS}])\\S|(?<={digit}[,.])(?={digit}))"
        word_rest = f"(?<=[{word}]){run}(?:{joined}{run})*+"
        tail = f"[{marks}]*+(?:{_GLUE}[{marks}]*+)*+"
        other_rest = f"(?:(?<={_REGIONAL_INDICATOR}){_REGIONAL_INDICATOR})?{tail}"
        # Every token's first character is any but whitespace, and the expression begins
        # with it: the engine then passes over whitespace by that class alone instead of
        # trying each alternative at each position. What follows depends on what it was:
        # a word character, or a regional indicator (two make a flag), or another.
        # One group: re.split returns the whitespace between the tokens with them, and the
        # offsets follow from the lengths (see split) without a match object per token.
        return re.compile(f"(\\S(?:{word_rest}|{other_rest}))")


_CLASSES = _Classes()


def split(text: str) -> tuple[list[str], list[int], list[int]]:
    """The tokens of ``text`` and their start and end offsets (code points)."""
    return _split_by(_CLASSES.pattern_for(text), text)


def _split_by(pattern: re.Pattern[str], text: str) -> tuple[list[str], list[int], list[int]]:
    pieces = pattern.split(text)  # whitespace, token, ..., whitespace
    offsets = list(accumulate(map(len, pieces)))
    return pieces[1::2], offsets[0:-1:2], offsets[1::2]


def split_marked(text: str) -> tuple[list[str], list[int], list[int], list[int]]:
    """``split``, and where ``text`` holds a line break or a terminator (for
    ``starts_of_sentences``), found in the one pass over the text that also looks for
    characters of blocks not read yet (two passes took a twentieth of an export)."""
    classes = _CLASSES
    while True:
        marked = classes.marked  # before the pattern, which is then at least as new
        marks = [found.start() for found in marked.finditer(text)]
        if SENTENCE_MARKS.issuperset(map(text.__getitem__, marks)):
            break
        classes.pattern_for(text)  # characters of blocks not read yet: read, then again
    words, starts, ends = _split_by(classes.pattern, text)
    return words, starts, ends, marks


def tokenize(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` code-point offsets of the tokens of ``text`` (see the module doc)."""
    _, starts, ends = split(text)
    return list(zip(starts, ends, strict=True))


def _is_closer(token: str) -> bool:
    return len(token) == 1 and (unicodedata.category(token) in ("Pe", "Pf") or token in "\"'")


def sentence_starts(text: str, tokens: list[tuple[int, int]]) -> set[int]:
    """Indexes of the tokens that begin a sentence, the first token aside."""
    words = [text[start:end] for start, end in tokens]
    return starts_of_sentences(
        text, words, [start for start, _ in tokens], [end for _, end in tokens]
    )


def starts_of_sentences(
    text: str,
    words: list[str],
    starts: list[int],
    ends: list[int],
    marks: list[int] | None = None,
) -> set[int]:
    """``sentence_starts`` for the tokens as ``split`` gives them (``marks``: where the
    line breaks and terminators are, as ``split_marked`` gives them; found when None)."""
    if marks is None:
        marks = [found.start() for found in _SENTENCE_MARK.finditer(text)]
    total = len(words)
    result = set()
    resume = 0
    # The line breaks and terminators are found in one pass over the text (a terminator
    # token is that one character, where it is in the text): quicker than a pass for each
    # and asking of every token whether it is a terminator.
    for at in marks:
        if text[at] in LINE_BREAKS:  # whitespace: between two tokens, or at an end
            k = bisect.bisect_right(starts, at)
            if 0 < k < total:
                result.add(k)
            continue
        k = bisect.bisect_left(starts, at)
        if k < resume or k == total or starts[k] != at or words[k] not in TERMINATORS:
            continue  # part of the run just looked at, or of a longer token
        j = k + 1
        while j < total and words[j] in TERMINATORS and starts[j] == ends[j - 1]:
            j += 1
        # Adjacency first: a closer only counts against the token before, and asking
        # is a function call where most tokens follow whitespace.
        while j < total and starts[j] == ends[j - 1] and _is_closer(words[j]):
            j += 1
        full_width = words[j - 1] in FULL_WIDTH_TERMINATORS
        if j < total and (full_width or starts[j] > ends[j - 1]):
            result.add(j)
        resume = j
    return result
