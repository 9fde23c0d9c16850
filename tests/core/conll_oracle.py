"""The CoNLL export's tokenizer and sentence splitter as Factmark first wrote them, one
character at a time: the oracle that the fast ones in ``factmark.core.exporting.conll_tokens``
must agree with exactly (tests/core/test_conll_tokens.py).

Kept as it was, apart from the two public names: ``reference_tokenize`` and
``reference_sentence_starts``.
"""

from __future__ import annotations

import bisect
import unicodedata

LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
TERMINATORS = frozenset(".!?。！？؟।")
FULL_WIDTH_TERMINATORS = frozenset("。！？")
NUMBER_JOINERS = frozenset(",.")
GLUE = frozenset("\u200c\u200d")  # zero-width non-joiner and joiner
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


def _is_cjk(ch: str) -> bool:
    code = ord(ch)
    index = bisect.bisect_right(_CJK_STARTS, code) - 1
    return index >= 0 and code <= _CJK_RANGES[index][1]


def _is_word(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LNM"


def _is_digit(ch: str) -> bool:
    return unicodedata.category(ch) == "Nd"


def _is_regional_indicator(ch: str) -> bool:
    return 0x1F1E6 <= ord(ch) <= 0x1F1FF


def _cluster_end(text: str, start: int) -> int:
    """End of the character at ``start`` with what belongs to it: following marks,
    variation selectors and emoji modifiers, a zero-width joiner and the character it
    joins, and the second regional indicator of a flag."""
    end, length = start + 1, len(text)
    if end < length and _is_regional_indicator(text[start]) and _is_regional_indicator(text[end]):
        end += 1
    while end < length:
        ch = text[end]
        if unicodedata.category(ch)[0] == "M" or 0x1F3FB <= ord(ch) <= 0x1F3FF:
            end += 1
        elif ch in GLUE and end + 1 < length and not text[end + 1].isspace():
            end += 2
        else:
            break
    return end


def reference_tokenize(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` code-point offsets of the tokens of ``text`` (see the module doc)."""
    tokens = []
    index, length = 0, len(text)
    while index < length:
        ch = text[index]
        if ch.isspace():
            index += 1
            continue
        end = _cluster_end(text, index)
        if _is_word(ch) and not _is_cjk(ch):
            while end < length:
                nxt = text[end]
                if _is_word(nxt) and not _is_cjk(nxt):
                    end = _cluster_end(text, end)
                elif (
                    nxt in NUMBER_JOINERS
                    and _is_digit(text[end - 1])
                    and end + 1 < length
                    and _is_digit(text[end + 1])
                ):
                    end += 1
                else:
                    break
        tokens.append((index, end))
        index = end
    return tokens


def _is_closer(token: str) -> bool:
    return len(token) == 1 and (unicodedata.category(token) in ("Pe", "Pf") or token in "\"'")


def reference_sentence_starts(text: str, tokens: list[tuple[int, int]]) -> set[int]:
    """Indexes of the tokens that begin a sentence, the first token aside."""
    starts = set()
    for k in range(1, len(tokens)):
        gap = text[tokens[k - 1][1] : tokens[k][0]]
        if any(ch in LINE_BREAKS for ch in gap):
            starts.add(k)
    k = 0
    while k < len(tokens):
        if text[tokens[k][0] : tokens[k][1]] not in TERMINATORS:
            k += 1
            continue
        j = k + 1
        while (
            j < len(tokens)
            and text[tokens[j][0] : tokens[j][1]] in TERMINATORS
            and tokens[j][0] == tokens[j - 1][1]
        ):
            j += 1
        while (
            j < len(tokens)
            and _is_closer(text[tokens[j][0] : tokens[j][1]])
            and tokens[j][0] == tokens[j - 1][1]
        ):
            j += 1
        full_width = text[tokens[j - 1][0] : tokens[j - 1][1]] in FULL_WIDTH_TERMINATORS
        if j < len(tokens) and (full_width or tokens[j][0] > tokens[j - 1][1]):
            starts.add(j)
        k = j
    return starts
