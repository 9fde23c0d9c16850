"""What the task-shaped exports (``attribution``, ``sentences``) share: sentences from a
maintained segmenter, and every offset as code points, UTF-16 code units and UTF-8 bytes.

Sentences come from spaCy's rule-based ``sentencizer`` on ``spacy.blank("xx")`` (spaCy's
multi-language tokenizer): a sentence ends at a token such as ``.``, ``!``, ``?``, ``。`` or
``؟`` and the next sentence starts at the next token that is not such punctuation. The
segmenter needs no trained model, so it behaves the same for every language and every
install. Whitespace at a sentence's edges (the blank line before a paragraph) is not part
of it, and a stretch of whitespace alone is no sentence.

spaCy is the optional ``spacy`` extra and is imported only when one of these formats is used.
"""

from __future__ import annotations

import bisect
import importlib.util
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from factmark.core.model import ValidationError

if TYPE_CHECKING:
    from spacy.language import Language

SEGMENTER = 'spaCy sentencizer on spacy.blank("xx")'


def available() -> bool:
    """Whether spaCy is installed (cheap: finds it without importing it)."""
    return importlib.util.find_spec("spacy") is not None


def check_available(fmt: str, purpose: str = " for its sentences") -> None:
    """Raise ValidationError, in one line naming the extra to install, when spaCy cannot
    be imported (before anything is written); ``purpose`` says what ``fmt`` needs it for."""
    try:
        import spacy  # noqa: F401
    except ImportError:
        if getattr(sys, "frozen", False):
            why = f" (it needs spaCy{purpose})" if purpose else ""
            raise ValidationError(
                f"the {fmt} format is not part of this installed app{why}; export jsonl and "
                "convert it where the Python package runs: pip install 'factmark[spacy]'"
            ) from None
        raise ValidationError(
            f"the {fmt} format needs spaCy{purpose}: pip install 'factmark[spacy]'"
        ) from None
    except Exception as error:  # a broken install, e.g. a numpy built for another ABI
        raise ValidationError(
            f"the {fmt} format needs spaCy, which is installed but fails to load ({error}); "
            "reinstall it: pip install --force-reinstall 'factmark[spacy]'"
        ) from None


class Segmenter:
    """Cuts texts into sentences; the spaCy pipeline is built on first use."""

    def __init__(self) -> None:
        self._nlp: Language | None = None

    def sentences(self, text: str) -> list[tuple[int, int]]:
        """The sentences of ``text`` as ``[start, end)`` code-point offsets, in text order,
        without whitespace at their edges."""
        if self._nlp is None:
            import spacy

            self._nlp = spacy.blank("xx")
            self._nlp.add_pipe("sentencizer")
            self._nlp.max_length = max(self._nlp.max_length, len(text) + 1)
        elif len(text) >= self._nlp.max_length:
            self._nlp.max_length = len(text) + 1
        found = []
        for sentence in self._nlp(text).sents:
            start, end = sentence.start_char, sentence.end_char
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if start < end:
                found.append((start, end))
        return found


def offset_table(text: str, positions: Iterable[int]) -> dict[int, tuple[int, int]]:
    """For each code-point position, ``(UTF-16 code units, UTF-8 bytes)`` of the text
    before it: what a consumer in JavaScript, Java or C# (UTF-16) or Rust, Go or C
    (bytes) needs to find the same characters. One pass over the text."""
    table: dict[int, tuple[int, int]] = {}
    previous, utf16, utf8 = 0, 0, 0
    for position in sorted(set(positions)):
        piece = text[previous:position]
        utf8 += len(piece.encode("utf-8", "surrogatepass"))
        utf16 += len(piece.encode("utf-16-le", "surrogatepass")) // 2
        table[position] = (utf16, utf8)
        previous = position
    return table


def located(start: int, end: int, table: dict[int, tuple[int, int]]) -> dict[str, Any]:
    """``{"start", "end", "start_utf16", "end_utf16", "start_utf8", "end_utf8"}``."""
    return {
        "start": start,
        "end": end,
        "start_utf16": table[start][0],
        "end_utf16": table[end][0],
        "start_utf8": table[start][1],
        "end_utf8": table[end][1],
    }


class SentenceIndex:
    """A document's sentences (sorted, not overlapping), to find those a span touches."""

    def __init__(self, bounds: list[tuple[int, int]]) -> None:
        self.bounds = bounds
        self._ends = [end for _, end in bounds]

    def overlapped(self, start: int, end: int) -> list[tuple[int, int]]:
        """The sentences that ``[start, end)`` shares a character with, in text order."""
        touched = []
        for a, b in self.bounds[bisect.bisect_right(self._ends, start) :]:
            if a >= end:
                break
            touched.append((a, b))
        return touched

    def covering(self, start: int, end: int) -> tuple[int, int]:
        """The run of whole sentences that ``[start, end)`` overlaps: from the start of the
        first to the end of the last (the span itself when it overlaps none: it is only
        whitespace between two sentences)."""
        touched = self.overlapped(start, end)
        if not touched:
            return start, end
        return touched[0][0], touched[-1][1]
