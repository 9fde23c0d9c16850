"""The CoNLL export's fast tokenizer and sentence splitter give exactly the tokens and
sentence breaks of the character-by-character ones they replaced (tests/core/conll_oracle.py):
on random text mixing every script and cluster the definition cares about, on every text of
the shared corpus and the seed articles, and on every code point of the planes in use."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.core.conll_oracle import reference_sentence_starts, reference_tokenize

from factmark.core.exporting import conll_tokens
from factmark.core.exporting.conll import sentence_starts, tokenize

REPO = Path(__file__).resolve().parents[2]

# Where the definition has a rule: letters and digits of several scripts, number joiners,
# marks (spacing, enclosing, variation selectors, the kana sound marks inside the CJK
# range), emoji with skin tones, joiners and flags, CJK, sentence ends and closers, and
# every kind of whitespace str.isspace() knows (among them the line breaks).
PIECES = [
    "a", "Z", "é", "e\u0301", "\u0301", "ß", "Ж", "ª", "_", "-",
    "0", "7", "١", "٣", "\u0967", "\uff11", "²", "Ⅻ", "1,5", "2.0", ",", ".",
    "!", "?", "。", "！", "？", "؟", "।", '"', "'", "”", "»", ")", "]", "%", "…",
    "中", "𠮷", "ア", "か\u3099", "\u3099", "々", "ｱ", "ﾞ", "\u30fb", "\U00030000",
    "م", "ي", "\u064e", "ก", "\u0e31", "\u0903", "\u20dd", "\u0488",
    "🚨", "👍", "\U0001f3fd", "❤", "\ufe0f", "\U000e0100", "\U000e0061",
    "\U0001f1f3", "\U0001f1ec", "\u200d", "\u200c", "👩\u200d💻", "\u2060",
    " ", "\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f", "\x85",
    "\xa0", "\u1680", "\u2000", "\u200a", "\u2028", "\u2029", "\u202f", "\u205f", "\u3000",
]  # fmt: skip

texts = st.lists(
    st.one_of(st.sampled_from(PIECES), st.characters(exclude_categories=["Cs"])), max_size=60
).map("".join)


# Sentence ends close together: runs of terminators and closers, with and without spaces.
sentence_texts = st.lists(
    st.sampled_from(
        ["a", "1", ".", "!", "?", "。", "！", "؟", "”", ")", "'", "«", " ", "\n", "\u3000", "中"]
    ),
    max_size=40,
).map("".join)


def assert_same(text: str) -> None:
    # First, so that where a text brings blocks not read yet, this is what reads them.
    words, starts, ends, marks = conll_tokens.split_marked(text)
    tokens = reference_tokenize(text)
    assert tokenize(text) == tokens, text
    sentences = reference_sentence_starts(text, tokens)
    assert sentence_starts(text, tokens) == sentences, text
    # The export's way: the line breaks and terminators found in the pass over the text
    # that looks for blocks not read yet.
    assert list(zip(starts, ends, strict=True)) == tokens, text
    assert words == [text[start:end] for start, end in tokens], text
    assert conll_tokens.starts_of_sentences(text, words, starts, ends, marks) == sentences, text


@settings(max_examples=600, deadline=None)
@given(texts)
def test_tokens_and_sentences_are_those_of_the_reference(text: str) -> None:
    assert_same(text)


@settings(max_examples=400, deadline=None)
@given(sentence_texts)
def test_sentence_breaks_are_those_of_the_reference(text: str) -> None:
    assert_same(text)


@pytest.fixture
def fresh_classes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Character classes that have read no text yet (the first export of a process)."""
    monkeypatch.setattr(conll_tokens, "_CLASSES", conll_tokens._Classes())


def corpus_texts(corpus: Path) -> list[str]:
    found = []
    for path in sorted(corpus.rglob("*")) + sorted((REPO / "seeds").rglob("*.txt")):
        if path.suffix == ".txt":
            raw = path.read_bytes().decode("utf-8", "replace")
            found += [raw, raw.replace("\r\n", "\n")]
        elif path.suffix == ".jsonl":
            for line in path.read_bytes().splitlines():
                try:
                    record = orjson.loads(line)
                except orjson.JSONDecodeError:
                    continue
                if isinstance(record, dict) and isinstance(record.get("text"), str):
                    found.append(record["text"])
    return found


@pytest.mark.usefixtures("fresh_classes")
def test_every_corpus_and_seed_text_is_tokenised_as_before(corpus: Path) -> None:
    found = corpus_texts(corpus)
    assert len(found) > 10
    for text in found:
        assert_same(text)
    assert_same("\n\n".join(found))


@pytest.mark.usefixtures("fresh_classes")
def test_every_code_point_of_the_planes_in_use_is_tokenised_as_before() -> None:
    codes = [*range(0, 0xD800), *range(0xE000, 0x30000), *range(0xE0000, 0xE1000)]
    text = "".join(map(chr, codes))
    assert_same(text)
    # each character after a letter, a digit and a joiner: marks, joiners and modifiers
    # attach, number joiners join only digits
    for start in range(0, len(text), 4096):
        chunk = text[start : start + 4096]
        assert_same("".join(f"a{ch}1,{ch}\u200d{ch} " for ch in chunk))


@pytest.mark.usefixtures("fresh_classes")
def test_texts_in_new_scripts_after_a_first_ascii_export() -> None:
    """A process that tokenised ASCII texts first reads the other blocks when they come."""
    for text in (
        "plain text 1,5.",
        "l'E\u0301ducation 👍🏽 🇳🇬",
        "据新华社报道，𠮷野家",
        "١٢,٣ شخصا",
    ):
        assert_same(text)
