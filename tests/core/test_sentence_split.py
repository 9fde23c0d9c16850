"""The sentence segmenter of the attribution and sentences exports against spaCy's whole
pipeline, the code it replaced (kept here as the oracle): the sentencizer over every token
of the text. The segmenter asks spaCy's tokenizer only for the chunks a sentence edge
depends on; it must find exactly the same sentences on every text: the shared corpus, the
seed article and its scripts, the scale benchmark's articles, and generated texts mixing
scripts, sentence stops, quotes, brackets, numbers, abbreviations, spaCy's special cases
(``a.``, ``:)``, ``o.O``) and every kind of white space.
"""

from __future__ import annotations

import importlib.util
import os
import re
import sys
from pathlib import Path

import orjson
import pytest
import spacy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.pipeline.sentencizer import Sentencizer

from factmark.core.exporting import sentence_split
from factmark.core.exporting.sentence_split import Segmenter

REPO = Path(__file__).resolve().parents[2]
MANY = settings(
    max_examples=int(os.environ.get("FACTMARK_EXAMPLES", "400")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


PIPELINES: dict[tuple[str, ...], spacy.language.Language] = {}


def whole_pipeline(text: str, punct_chars: list[str] | None = None) -> list[tuple[int, int]]:
    """The oracle: spaCy's sentencizer on ``spacy.blank("xx")`` over the whole text, each
    sentence without white space at its edges, a sentence of white space alone dropped."""
    key = tuple(punct_chars or ())
    if key not in PIPELINES:
        PIPELINES[key] = spacy.blank("xx")
        PIPELINES[key].add_pipe("sentencizer", config={"punct_chars": punct_chars})
    nlp = PIPELINES[key]
    nlp.max_length = max(nlp.max_length, len(text) + 1)
    found = []
    for sentence in nlp(text).sents:
        start, end = sentence.start_char, sentence.end_char
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            found.append((start, end))
    return found


SEGMENTER = Segmenter()  # one for every test, as an export keeps one: its caches fill up


def same_as_oracle(text: str) -> None:
    expected = whole_pipeline(text)
    assert SEGMENTER.sentences(text) == expected, repr(text)
    index = SEGMENTER.index(text)  # what the exports read: where they start, where they end
    assert (index.starts, index.ends) == ([s for s, _ in expected], [e for _, e in expected])
    assert index.bounds == expected


def corpus_texts(corpus: Path) -> list[str]:
    texts = []
    for path in sorted(corpus.glob("*.txt")):
        raw = path.read_bytes().decode("utf-8-sig")
        texts += [raw, raw.replace("\r\n", "\n")]
    for path in sorted(corpus.glob("*.jsonl")):
        texts += [orjson.loads(line)["text"] for line in path.read_bytes().splitlines()]
    return texts


def test_every_text_of_the_corpus_and_the_seeds(corpus: Path) -> None:
    texts = corpus_texts(corpus)
    texts += [p.read_text(encoding="utf-8") for p in sorted((REPO / "seeds").rglob("*.txt"))]
    assert len(texts) >= 16
    for text in texts:
        same_as_oracle(text)


def test_the_scale_benchmarks_articles(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(REPO / "bench"))  # run.py imports its neighbours
    spec = importlib.util.spec_from_file_location("bench_run", REPO / "bench" / "run.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    for n in range(300):  # as bench/scale.py makes them
        same_as_oracle(bench.article(1500, seed=n) + f" [{n}]")


def test_special_cases_matched_over_a_space() -> None:
    """spaCy matches a special case over a single space between two chunks: ``:`` and
    ``o`` (``:o``) here; that match changes nothing but hides the special case ``o.O`` in
    the next chunk, so its ``.`` ends a sentence. Each chunk tokenized alone would miss it."""
    for text in (": o.O︵", "< .<.<", "x : o.O︵ y. z", "a .b. Next"):
        same_as_oracle(text)
    assert SEGMENTER.sentences(": o.O︵") == [(0, 4), (4, 6)]


def test_no_text_and_white_space_alone() -> None:
    for text in ("", " ", "\n", " \n\t", "\u3000", "   x", "x   ", ".", " . ", "\n.\n"):
        same_as_oracle(text)


def test_white_space_is_found_as_spacy_finds_it() -> None:
    """The segmenter finds chunks with ``\\s`` of ``re``; spaCy splits at ``str.isspace``."""
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        assert (re.match(r"\s", char) is not None) == char.isspace(), hex(code)


WORDS = [
    "Hello",
    "he",
    "Харків",
    "مرحبا",
    "上海",
    "नमस्ते",
    "שלום",
    "\U00020bb7",
    "😀",
    "🇺🇦",
    "e\u0301",
    "U.S.",
    "Dr.",
    "e.g.",
    "St.",
    "3.5",
    "15,000",
    "1.",
    "2024-05-01",
    "http://x.org/a.b",
    "a@b.com",
]
# Sentence stops of several scripts, runs of them, quotes and brackets.
MARKS = [
    ".",
    "!",
    "?",
    "。",
    "؟",
    "...",
    "…",
    "?!",
    "!!",
    "।",
    "‼",
    "⁇",
    "﹒",
    "．",
    "｡",
    "𑁇",
    "𝪈",
    "\U00010a57",  # an astral character between astral stops, not one
    "“",
    "”",
    "«",
    "»",
    '"',
    "'",
    "(",
    ")",
    "[",
    "]",
    "—",
    "-",
    ",",
    ";",
    ":",
]
# Every special case of the tokenizer and the characters they are made of.
SPECIALS = sorted(spacy.blank("xx").tokenizer.rules)  # type: ignore[attr-defined]
PIECES = sorted({char for special in SPECIALS for char in special} - {" "})
SPACES = [
    " ",
    " ",
    " ",
    "",
    "  ",
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    "\t",
    "\x0b",
    "\x0c",
    "\x1c",
    "\x1d",
    "\x1e",
    "\x1f",
    "\x85",
    "\u00a0",
    "\u1680",
    "\u2009",
    "\u202f",
    "\u2028",
    "\u2029",
    "\u3000",
    " \n",
    "\n ",
]
TEXTS = st.lists(
    st.tuples(
        st.one_of(
            st.sampled_from(WORDS),
            st.sampled_from(MARKS),
            st.sampled_from(SPECIALS),
            st.sampled_from(PIECES),
            st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=3),
        ),
        st.sampled_from(SPACES),
    ),
    max_size=40,
).map(lambda parts: "".join(word + space for word, space in parts))


@MANY
@given(TEXTS)
def test_generated_texts(text: str) -> None:
    same_as_oracle(text)


@MANY
@given(st.text(st.characters(exclude_categories=("Cs",))))
def test_any_text(text: str) -> None:
    same_as_oracle(text)


def test_rules_it_cannot_follow_use_the_whole_pipeline(monkeypatch: pytest.MonkeyPatch) -> None:
    """A sentencizer whose stops are not single characters (a spaCy other than this one
    might have such): the segmenter runs the whole pipeline, with the same sentences."""
    stops = [*Sentencizer.default_punct_chars, "!!"]
    monkeypatch.setattr(Sentencizer, "default_punct_chars", stops)
    segmenter = Segmenter()
    text = "Wow!! yes. No!!x"
    assert segmenter.sentences(text) == whole_pipeline(text, stops)
    assert segmenter.index(text).bounds == whole_pipeline(text, stops)
    assert segmenter._rules is None


def test_the_cache_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sentence_split, "_CACHE_LIMIT", 3)
    segmenter = Segmenter()
    for n in range(20):
        text = f"A{n}. B{n}! C{n}? “D{n}.”"
        assert segmenter.sentences(text) == whole_pipeline(text)
    assert segmenter._rules is not None and len(segmenter._rules._cache) <= 3


def test_a_stop_met_again_in_the_same_characters() -> None:
    """A stop is decided once for the two characters on each side of its chunk and kept:
    what comes further on (longer white space, a word or punctuation after it) is found
    again each time, on texts that differ only there, in every order."""
    gaps = [" ", "  ", "   ", " \n", " \n\n", "\n", "\n\n", "\n \n", "\t", " \t ", "\u3000 "]
    nexts = ["Ef", "“Ef”", "(ef)", "..", ". Ef", "。", "😀", ""]
    texts = [f"Ab cd{stop}{gap}{after} gh" for stop in ".!。" for gap in gaps for after in nexts]
    for order in (texts, texts[::-1], texts[::2] + texts[1::2]):
        segmenter = Segmenter()
        for text in order:
            assert segmenter.sentences(text) == whole_pipeline(text), repr(text)
