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
import importlib
import importlib.util
import itertools
import operator
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Set
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
    """Cuts texts into sentences; spaCy is loaded on first use.

    The sentences are exactly those of the sentencizer over spaCy's tokens, found without
    tokenizing the whole text (see ``_Rules``); tests compare the two on every text.
    """

    def __init__(self) -> None:
        self._nlp: Language | None = None
        self._rules: _Rules | None = None

    def sentences(self, text: str) -> list[tuple[int, int]]:
        """The sentences of ``text`` as ``[start, end)`` code-point offsets, in text order,
        without whitespace at their edges."""
        rules = self._load()
        if rules is not None:
            return rules.sentences(text)
        return self._whole_pipeline(text)

    def index(self, text: str) -> SentenceIndex:
        """The sentences of ``text`` (as :meth:`sentences` gives them), indexed."""
        rules = self._load()
        if rules is not None:
            return SentenceIndex.of_edges(*rules.edges(text))
        return SentenceIndex(self._whole_pipeline(text))

    def _load(self) -> _Rules | None:
        """Loads spaCy on first use; the rules that find its sentences, if it has them."""
        if self._nlp is None:
            import spacy

            self._nlp = spacy.blank("xx")
            self._nlp.add_pipe("sentencizer")
            self._rules = _Rules.of(self._nlp)
        return self._rules

    def _whole_pipeline(self, text: str) -> list[tuple[int, int]]:
        """The sentences by a spaCy whose rules _Rules cannot follow: the whole pipeline."""
        assert self._nlp is not None
        self._nlp.max_length = max(self._nlp.max_length, len(text) + 1)
        starts = [sentence.start_char for sentence in self._nlp(text).sents]
        found = []
        for start, end in zip(starts, [*starts[1:], len(text)] if starts else [], strict=True):
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if start < end:
                found.append((start, end))
        return found


# spaCy's tokenizer cuts a text at white space first: a run of white space is a token of
# its own, except a single space after a word, which is that word's trailing space. Each
# run of other characters (a chunk) is cut into tokens by itself, except where a special
# case whose text has affixes (``:)``, ``a.``) is matched over the tokens afterwards: such
# a match can run over a single space into the next chunk (it then changes nothing, but
# hides a match it overlaps). A gap of white space other than one space holds a token, so
# no match runs over it.
_SPACE_RUN = re.compile(r"\s*")
_CHUNK = re.compile(r"\S*")
_CACHE_LIMIT = 50_000
# What a piece's tokens do to the sentences (see _Rules._plan).
_Plan = tuple[int | None, tuple[int, ...], bool | None, Set[str], Set[str]]
_NONE: frozenset[str] = frozenset()


class _Rules:
    """The sentencizer's rule, applied to the few chunks it depends on.

    A sentence starts at the first token that is neither punctuation nor a sentence stop
    after a sentence stop (``.``, ``!``, ...; a token made of that character alone). So only
    the chunks holding a stop need spaCy's tokens, and after a stop the next chunk's or
    gap's first tokens. A chunk is tokenized together with its neighbours across a single
    space where a special case could be matched over that space, so its tokens are those
    of the whole text.
    """

    def __init__(
        self,
        tokenizer: Callable[[str], Any],
        stops: set[str],
        is_punct: Callable[[str], bool],
        joins: dict[str, set[str]],
    ) -> None:
        self._tokenizer = tokenizer
        self._stops = stops
        self._is_punct = is_punct
        self._joins = joins  # a pattern's token -> the tokens that come before it in one
        self._longest = max(map(len, joins), default=0)
        # For the first character of a pattern's token, the last characters of the tokens
        # before it: most single spaces are ruled out by these two characters.
        self._join_ends: dict[str, set[str]] = {}
        for after, befores in joins.items():
            self._join_ends.setdefault(after[0], set()).update(b[-1] for b in befores)
        # And the other way round: for the last character of a token, the first characters
        # of the tokens that may come after it in a pattern.
        self._join_starts: dict[str, set[str]] = {}
        for first, ends in self._join_ends.items():
            for end in ends:
                self._join_starts.setdefault(end, set()).add(first)
        # A sentence stop and the rest of its chunk, found by one character class: the
        # astral stops as one range (a class of scattered astral characters makes the
        # search ten times slower); what else the range takes is passed over.
        bmp = "".join(re.escape(stop) for stop in sorted(stops) if ord(stop) < 0x10000)
        astral = sorted(stop for stop in stops if ord(stop) >= 0x10000)
        span = f"{re.escape(astral[0])}-{re.escape(astral[-1])}" if astral else ""
        self._stop = re.compile(f"[{bmp}{span}]\\S*")
        self._cache: dict[str, _Plan] = {}  # a piece -> what its tokens do
        self._chunks: dict[str, _Plan] = {}  # the same for the pieces that are one chunk
        # A chunk holding a stop met with no sentence waiting, with the two characters
        # before it (the second a space) and the two after it (the first white space),
        # when no special case can run over those spaces -> the cuts it makes (see _cuts)
        # and whether a sentence is waiting after it. Nothing else decides
        # that: the chunk's tokens are its own, and the sentence after it starts at the
        # white space after it, at the next chunk when that starts with a word, or waits.
        self._seen: dict[str, tuple[tuple[tuple[int, int, int], ...], bool]] = {}
        self._puncts: dict[str, bool] = {}

    @classmethod
    def of(cls, nlp: Language) -> _Rules | None:
        """The rules of ``nlp``'s tokenizer and sentencizer, or None when they do not keep to
        what ``_Rules`` relies on (this spaCy's do)."""
        from spacy.lang import lex_attrs

        # spaCy's compiled modules carry no types: what is read from them is Any.
        tokenizer: Any = nlp.tokenizer
        vocab: Any = nlp.vocab
        stops = set(nlp.get_pipe("sentencizer").punct_chars)  # type: ignore[attr-defined]
        is_punct = vocab.lex_attr_getters.get(importlib.import_module("spacy.attrs").IS_PUNCT)
        if is_punct is not lex_attrs.is_punct or any(len(stop) != 1 for stop in stops):
            return None
        if any(stop.isspace() or not is_punct(stop) for stop in stops):
            return None
        # Every special case as the affix rules cut it: what the matcher looks for.
        plain = type(tokenizer)(
            vocab,
            rules={},
            prefix_search=tokenizer.prefix_search,
            suffix_search=tokenizer.suffix_search,
            infix_finditer=tokenizer.infix_finditer,
            token_match=tokenizer.token_match,
            url_match=tokenizer.url_match,
        )
        joins: dict[str, set[str]] = {}
        for key in tokenizer.rules or {}:
            pattern = [token.text for token in plain(key)]
            if len(pattern) > 1 and any(ch.isspace() for ch in key):
                return None  # a match could run over a gap of white space
            for before, after in itertools.pairwise(pattern):
                joins.setdefault(after, set()).add(before)
        return cls(tokenizer, stops, is_punct, joins)

    def sentences(self, text: str) -> list[tuple[int, int]]:
        """The sentencizer's sentences, without white space at their edges (a sentence of
        white space alone left out)."""
        return list(zip(*self.edges(text), strict=True))

    def edges(self, text: str) -> tuple[list[int], list[int]]:
        """Where the sentences (see :meth:`sentences`) start, and where they end. Each place
        where one starts is a cut: the sentence before it ends after its last other
        character, the one after it starts at its first; they are paired at the end, and
        a pair that meets nothing is no sentence."""
        begins = [_past(_SPACE_RUN, text, 0)]
        ends: list[int] = []
        starts: list[int] = []  # where sentences start, found the long way, not yet cut
        waiting = False  # a stop was seen, its sentence goes on
        done = 0  # every token before this place has been looked at
        length = len(text)
        stops, chunks, seen = self._stops, self._chunks, self._seen
        for found in self._stop.finditer(text):
            at, end = found.span()
            if at < done:
                continue  # in a piece already looked at
            # The chunk holding it, taken to start after the last space before it: a chunk
            # known from an earlier text is one (kept chunks hold no white space), and its
            # tokens are those it has here unless a special case runs over the space before
            # it or after it.
            start = text.rfind(" ", 0, at) + 1
            # Most stops come with no sentence waiting, in a context seen before: the two
            # characters before the chunk and after it decide what happens (see _seen).
            context = None
            if not waiting and start >= 2 and end + 2 <= length:
                context = text[start - 2 : end + 2]
                verdict = seen.get(context)
                if verdict is not None:
                    for ended, begun, offset in verdict[0]:
                        ends.append(start + ended)
                        begins.append(
                            start + begun if begun >= 0 else _past(_SPACE_RUN, text, start + offset)
                        )
                    waiting = verdict[1]
                    done = end
                    continue
            plan = chunks.get(text[start:end])
            if plan is not None:
                before, after = plan[3], plan[4]
                joins_before = bool(before) and start >= 2 and text[start - 2] in before
                joins_after = (
                    bool(after) and end + 1 < length and text[end] == " " and text[end + 1] in after
                )
                if (joins_before and self._joined(text, start - 1)) or (
                    joins_after and self._joined(text, end)
                ):
                    plan = None
                elif joins_before or joins_after:
                    context = None  # more than those characters decided it
            if plan is None:
                if text[at] not in stops and not any(char in stops for char in found.group()):
                    continue  # an astral character near the stops, and no stop
                start, end = self._piece(text, _chunk_start(text, at))
                plan = self._plan(text[start:end])
                context = None
            if waiting:
                waiting = self._after(text, done, start, starts)
            lead, inner, out = plan[0], plan[1], plan[2]
            if waiting and lead is not None:
                starts.append(start + lead)
            for offset in inner:
                starts.append(start + offset)
            if out is not None:
                waiting = out
            done = end
            if waiting and end < length:
                # What comes next, at once when it is plain: a gap holding a token of white
                # space, or one space and a chunk starting with a word.
                if text[end] != " " or (end + 1 < length and text[end + 1].isspace()):
                    starts.append(end)
                    waiting = False
                elif end + 1 < length and not self._punct(text[end + 1]):
                    starts.append(end + 1)
                    waiting = False
            if context is not None:
                if len(seen) >= _CACHE_LIMIT:
                    seen.clear()
                seen[context] = (tuple(self._cuts(text, start, end, starts)), waiting)
            if starts:
                _cut(text, starts, begins, ends)
        if waiting:
            self._after(text, done, length, starts)
            _cut(text, starts, begins, ends)
        ends.append(_end_before(text, length))
        if any(map(operator.ge, begins, ends)):  # white space alone, or nothing
            kept = [bounds for bounds in zip(begins, ends, strict=True) if bounds[0] < bounds[1]]
            begins, ends = [start for start, _ in kept], [end for _, end in kept]
        return begins, ends

    @staticmethod
    def _cuts(text: str, start: int, end: int, starts: list[int]) -> Iterator[tuple[int, int, int]]:
        """The cuts at ``starts`` made by the chunk ``text[start:end]``, from its start: the
        end of the sentence before, and the start of the one after (-1 when that is past
        the two characters after the chunk, so more than they decide it); and each start."""
        for at in starts:
            after = _past(_SPACE_RUN, text, at)
            yield (
                _end_before(text, at) - start,
                after - start if after < end + 2 else -1,
                at - start,
            )

    def _after(self, text: str, at: int, limit: int, starts: list[int]) -> bool:
        """Looks at the tokens from the end of a chunk ``at`` up to ``limit`` after a stop;
        whether the sentence still goes on there."""
        while at < limit:
            gap = _past(_SPACE_RUN, text, at)
            if gap - at != 1 or text[at] != " ":
                starts.append(at)  # a token of white space
                return False
            if gap >= limit:
                return True
            if not self._punct(text[gap]):
                starts.append(gap)  # the chunk's first token is a word
                return False
            start, at = self._piece(text, gap)
            if not self._run(text, start, at, True, starts):
                return False
        return True

    def _punct(self, char: str) -> bool:
        """Whether a token starting with ``char`` may be punctuation (spaCy's ``is_punct``:
        all of it is); kept, since every sentence asks it of the next word."""
        punct = self._puncts.get(char)
        if punct is None:
            if len(self._puncts) >= _CACHE_LIMIT:
                self._puncts.clear()
            punct = self._puncts[char] = self._is_punct(char)
        return punct

    def _run(self, text: str, start: int, end: int, waiting: bool, starts: list[int]) -> bool:
        """Applies the rule to the tokens of ``text[start:end]``; whether a sentence is
        still waiting for its successor after them."""
        lead, inner, out = self._plan(text[start:end])[:3]
        if waiting and lead is not None:
            starts.append(start + lead)
        starts += [start + offset for offset in inner]
        return waiting if out is None else out

    def _plan(self, piece: str) -> _Plan:
        """What the tokens of ``piece`` do to the sentences (kept): where its first word
        is when no stop comes before it (a sentence starts there when one was waiting),
        where the first word after each run of its stops is (a sentence starts there),
        and whether a sentence is waiting after it (None: as before it, it has neither).
        A piece that is one chunk is also kept as the chunk's, with the characters that
        could make a special case over the space before it or after it."""
        plan = self._cache.get(piece)
        if plan is not None:
            return plan
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
            self._chunks.clear()
        stops = self._stops
        lead: int | None = None
        inner: list[int] = []
        waiting = stopped = False
        out = None
        for token in self._tokenizer(piece):
            if token.text in stops:
                waiting = stopped = out = True
            elif not token.is_punct:
                if waiting:
                    inner.append(token.idx)
                    waiting = False
                elif not stopped and lead is None:
                    lead = token.idx
                out = False
        plan = self._cache[piece] = (
            lead,
            tuple(inner),
            out,
            self._join_ends.get(piece[:1], _NONE),
            self._join_starts.get(piece[-1:], _NONE),
        )
        if piece and " " not in piece:
            self._chunks[piece] = plan
        return plan

    def _piece(self, text: str, start: int) -> tuple[int, int]:
        """The chunk starting at ``start`` with the neighbours a special case could join it
        to: text whose tokens are those of the whole text."""
        end = _past(_CHUNK, text, start)
        while start >= 2 and text[start - 1] == " " and self._joined(text, start - 1):
            start = _chunk_start(text, start - 1)
        while end + 1 < len(text) and text[end] == " " and self._joined(text, end):
            end = _past(_CHUNK, text, end + 1)
        return start, end

    def _joined(self, text: str, space: int) -> bool:
        """Whether a special case's pattern may run over the single space at ``space``: the
        chunk before ends with one of its tokens and the chunk after starts with the next."""
        after = space + 1
        if after >= len(text) or space < 1:
            return False
        ends = self._join_ends.get(text[after])
        if not ends or text[space - 1] not in ends:
            return False
        for length in range(1, self._longest + 1):
            for before in self._joins.get(text[after : after + length], ()):
                if text.endswith(before, 0, space):
                    return True
        return False


def _past(run: re.Pattern[str], text: str, at: int) -> int:
    """The end of the run of ``run`` (white space, or other characters) from ``at``."""
    found = run.match(text, at)
    return found.end() if found else at


def _end_before(text: str, at: int) -> int:
    """Where the text before ``at`` ends without white space at its end."""
    while at > 0 and text[at - 1].isspace():
        at -= 1
    return at


def _cut(text: str, starts: list[int], begins: list[int], ends: list[int]) -> None:
    """Cuts the sentences at ``starts`` (see _Rules.sentences), and forgets them."""
    for at in starts:
        ends.append(_end_before(text, at))
        begins.append(_past(_SPACE_RUN, text, at))
    starts.clear()


def _chunk_start(text: str, at: int) -> int:
    """The start of the chunk holding ``text[at - 1]`` (``at`` when that is white space)."""
    while at > 0 and not text[at - 1].isspace():
        at -= 1
    return at


def offset_table(text: str, positions: Iterable[int]) -> dict[int, tuple[int, int]]:
    """For each code-point position, ``(UTF-16 code units, UTF-8 bytes)`` of the text
    before it: what a consumer in JavaScript, Java or C# (UTF-16) or Rust, Go or C
    (bytes) needs to find the same characters. One pass over the text."""
    if text.isascii():
        return {position: (position, position) for position in positions}
    places = sorted(set(positions))
    if not places:
        return {}
    # A character beyond the BMP is two UTF-16 units, any other one: those before the
    # last position count.
    astral = [found.start() for found in _ASTRAL.finditer(text, 0, places[-1])]
    table: dict[int, tuple[int, int]] = {}
    previous, utf8 = 0, 0
    for position in places:
        utf8 += len(text[previous:position].encode("utf-8", "surrogatepass"))
        table[position] = (position + bisect.bisect_left(astral, position), utf8)
        previous = position
    return table


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


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
        self.starts = [start for start, _ in bounds]
        self.ends = [end for _, end in bounds]

    @classmethod
    def of_edges(cls, starts: list[int], ends: list[int]) -> SentenceIndex:
        """The sentences from ``starts[n]`` to ``ends[n]``."""
        index = cls.__new__(cls)
        index.starts, index.ends = starts, ends
        return index

    @property
    def bounds(self) -> list[tuple[int, int]]:
        """Each sentence's ``(start, end)``."""
        return list(zip(self.starts, self.ends, strict=True))

    def reach(self, start: int, end: int) -> tuple[int, int]:
        """The sentences that ``[start, end)`` shares a character with, as the indices
        ``[first, last)`` of :attr:`bounds`: those ending after its start and starting
        before its end."""
        first = bisect.bisect_right(self.ends, start)
        return first, bisect.bisect_left(self.starts, end, first)

    def covering(self, start: int, end: int) -> tuple[tuple[int, int], int]:
        """The run of whole sentences that ``[start, end)`` overlaps: from the start of the
        first to the end of the last (the span itself when it overlaps none: it is only
        whitespace between two sentences), and how many sentences that is."""
        first, last = self.reach(start, end)
        if first == last:
            return (start, end), 0
        return (self.starts[first], self.ends[last - 1]), last - first
