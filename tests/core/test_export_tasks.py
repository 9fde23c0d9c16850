"""The task-shaped exports: attribution lines and check-worthy sentences.

The seed article is annotated by hand here and each export compared with a file written by
reading the article (``fixtures/tasks/``). Every offset triple is checked against three
independent oracles on the whole shared corpus (astral and right-to-left text):
``text[start:end]``, the UTF-16 length of the text before it and its UTF-8 length.
"""

from __future__ import annotations

import csv
import hashlib
import itertools
import re
import sys
from pathlib import Path
from typing import Any

import orjson
import pytest
from tests.core.test_export_brat_conll import add, document_with, import_corpus

from factmark.core.cues import turn_cues_on
from factmark.core.exporting import export
from factmark.core.exporting.base import Selection
from factmark.core.incoming import IncomingDocument
from factmark.core.model import ValidationError
from factmark.core.project import Project

ALL = Selection(frozenset())
FIXTURES = Path(__file__).parent / "fixtures" / "tasks"
SEED = Path(__file__).resolve().parents[2] / "seeds" / "bakhmut-counterattack.txt"
LINE_BREAK_RUN = re.compile(r"\s*[\t\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]\s*")
BRIGADE_CLAIM = (
    "It is official. Prigozhin’s report about the flight of the Russian 72nd Independent "
    "Motor Rifle Brigade from near Bakhmut and the ‘500 corpses’ of Russians left behind is "
    "true"
)


def span_at(
    project: Project, doc: int, text: str, label: str, needle: str, at: int = 0, **kw: Any
) -> int:
    """Label ``needle`` where it first occurs at or after ``at``."""
    start = text.index(needle, at)
    return project.add_span(doc, start, start + len(needle), label, **kw).id or 0


def cue_at(project: Project, doc: int, text: str, needle: str, claim: int) -> None:
    """Mark the cue "said" right after ``needle`` and link it to ``claim``."""
    at = text.index(needle) + len(needle) + 1
    assert text[at : at + 4] == "said"
    cue = project.add_span(doc, at, at + 4, "cue").id or 0
    project.add_relation(cue, claim, "cue_of")


@pytest.fixture
def seed(project: Project) -> tuple[Project, str]:
    """The seed article with the spans and links a fact-checker would make: cues for
    Prigozhin's and Syrskyi's claims (none for the brigade's), one claim in the outlet's
    own voice and one with no source, not marked; direct, indirect and mixed quotes."""
    text = SEED.read_text(encoding="utf-8")
    meta = {"publication": "NBC News"}
    stored = project.add_document(IncomingDocument(text, title="Bakhmut", status="done", meta=meta))
    assert stored is not None
    doc = stored[0]
    operation = turn_cues_on(project)
    assert operation is not None
    operation.apply(project)
    said = text.index("Prigozhin said Thursday")
    prigozhin = span_at(project, doc, text, "source", "Prigozhin", said)
    partial = span_at(
        project,
        doc,
        text,
        "claim",
        "Ukrainian forces had been «unfortunately, partially successful»",
        attrs={"checkworthy": "no"},
    )
    lost = span_at(
        project, doc, text, "claim", "it had lost around 500 men", attrs={"checkworthy": "yes"}
    )
    span_at(project, doc, text, "number", "500 men")
    # Quotes as the article prints them: partly in «», not at all, wholly in “”.
    project.add_relation(prigozhin, partial, "attributed_to", attrs={"quote": "mixed"})
    project.add_relation(prigozhin, lost, "attributed_to", attrs={"quote": "indirect"})
    cue_at(project, doc, text, "flanks, Prigozhin", partial)
    cue_at(project, doc, text, "where he", lost)
    syrskyi = span_at(project, doc, text, "source", "Oleksandr Syrskyi")
    counter = span_at(
        project,
        doc,
        text,
        "claim",
        "Ukrainian forces carried out «effective counterattacks» in Bakhmut",
        attrs={"checkworthy": "YES"},
    )
    project.add_relation(syrskyi, counter, "attributed_to", attrs={"quote": "mixed"})
    cue_at(project, doc, text, "Oleksandr Syrskyi", counter)
    span_at(  # no source: NBC's own voice
        project,
        doc,
        text,
        "claim",
        "Russia’s military has not commented",
        attrs={"voice": "outlet"},
    )
    span_at(project, doc, text, "claim", "it had defeated a Russian infantry unit")  # no source
    span_at(project, doc, text, "number", "2 kilometers")
    brigade = span_at(project, doc, text, "source", "the Ukrainian 3rd Separate Assault Brigade")
    official = span_at(project, doc, text, "claim", BRIGADE_CLAIM, attrs={"checkworthy": "unsure"})
    project.add_relation(brigade, official, "attributed_to", attrs={"quote": "direct"})
    return project, text


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [orjson.loads(line) for line in path.read_bytes().splitlines()]


def check_offsets(text: str, place: dict[str, Any], shown: str | None = None) -> None:
    """One offset triple against the oracles (and the span's text when it has one)."""
    start, end = place["start"], place["end"]
    assert 0 <= start < end <= len(text)
    if shown is not None:
        assert text[start:end] == shown
    for edge in ("start", "end"):
        before = text[: place[edge]]
        assert place[f"{edge}_utf16"] == len(before.encode("utf-16-le")) // 2
        assert place[f"{edge}_utf8"] == len(before.encode("utf-8"))


# -- the seed article against the hand-written files -------------------------------------


def test_attribution_lines_are_the_hand_checked_ones(seed, tmp_path: Path) -> None:
    project, text = seed
    result = export(project, "attribution", tmp_path / "a.jsonl", ALL)
    lines = read_jsonl(tmp_path / "a.jsonl")
    shown = [
        {
            "source": line["source"]["text"] if line["source"] else None,
            "voice": line["voice"],
            "cue": line["cue"]["text"] if line["cue"] else None,
            # Which "said": the word before it.
            "cue_after": text[: line["cue"]["start"]].split()[-1] if line["cue"] else None,
            "content": line["content"]["text"],
            "quote": line["quote"],
            "sentence": text[line["sentence"]["start"] : line["sentence"]["end"]],
        }
        for line in lines
    ]
    assert shown == read_jsonl(FIXTURES / "bakhmut.attribution.jsonl")
    uid = hashlib.sha256(text.encode("utf-8")).hexdigest()
    for line in lines:
        assert line["doc"] == uid
        assert list(line) == ["doc", "source", "voice", "cue", "content", "quote", "sentence"]
        for key in ("source", "cue"):
            if line[key]:
                check_offsets(text, line[key], line[key]["text"])
        check_offsets(text, line["content"], line["content"]["text"])
        check_offsets(text, line["sentence"])
    card = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert "4 lines for `attributed_to` links" in card
    assert "1 claim in the outlet's own voice" in card
    assert "1 claim with no source and not marked" in card
    assert "3 lines with a `cue`" in card
    assert "4 lines with a `quote`" in card
    assert "| `cue` spans selected | 3 |" in card  # the file holds lines made from them
    assert "| claims in the outlet's own voice (`voice: outlet`) | 1 |" in card
    assert "1 claim crossing a sentence boundary" in card
    assert result.documents == 1


def test_checkthat_tsv_is_the_hand_checked_file(seed, tmp_path: Path) -> None:
    project, _text = seed
    export(project, "sentences", tmp_path / "s.tsv", ALL)
    written = (tmp_path / "s.tsv").read_text(encoding="utf-8")
    assert written == (FIXTURES / "bakhmut.checkthat.tsv").read_text(encoding="utf-8")
    # The lab's scorer splits each line at tabs into exactly three fields.
    assert all(len(line.split("\t")) == 3 for line in written.splitlines())
    card = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert (
        "`class_label` is `Yes` for a sentence sharing a character with a claim span "
        "whose `checkworthy` attribute is `yes`" in card
    )
    assert "23 sentences (Yes 2, No 21)" in card
    # The brigade's claim runs over "official." into the next sentence.
    assert "1 span crossing a sentence boundary (claim 1)" in card


def test_claimbuster_jsonl_is_the_hand_checked_file(seed, tmp_path: Path) -> None:
    project, text = seed
    export(project, "sentences", tmp_path / "s.jsonl", ALL, options={"scheme": "claimbuster"})
    lines = read_jsonl(tmp_path / "s.jsonl")
    expected = read_jsonl(FIXTURES / "bakhmut.claimbuster.jsonl")
    uid = hashlib.sha256(text.encode("utf-8")).hexdigest()
    for line in lines:
        assert line.pop("File_id") == uid
        check_offsets(text, line.pop("sentence"), line["Text"])
    assert lines == expected
    card = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert "- scheme: claimbuster" in card
    assert "for a claim marked as the outlet's own voice the article's author" in card
    assert "23 sentences (CFS 2, UFS 6, NFS 15)" in card


def test_sentence_labels_follow_the_stated_rule(seed, tmp_path: Path) -> None:
    """The rule, applied here from the spans by hand: with the attribute, a sentence is
    CFS when a claim saying yes shares a character with it, UFS when any claim or number
    does, else NFS; without any checkworthy attribute every claim counts."""
    project, _text = seed
    spans = [s for d in project.documents() for s in project.spans(d.id or 0)]

    def expected(start: int, end: int, by_attribute: bool) -> str:
        inside = [s for s in spans if s.start < end and start < s.end]
        claims = [s for s in inside if s.label == "claim"]
        if any(
            not by_attribute or str(s.attrs.get("checkworthy", "")).lower() == "yes" for s in claims
        ):
            return "CFS"
        return "UFS" if claims or any(s.label == "number" for s in inside) else "NFS"

    for by_attribute in (True, False):
        if not by_attribute:  # the same spans with every attribute taken away
            for span in spans:
                if span.attrs:
                    project.update_span(span.id or 0, attrs={})
            spans = [s for d in project.documents() for s in project.spans(d.id or 0)]
        out = tmp_path / f"s{by_attribute}.jsonl"
        export(project, "sentences", out, ALL, options={"scheme": "claimbuster"}, card=False)
        lines = read_jsonl(out)
        got = [line["label"] for line in lines]
        want = [
            expected(line["sentence"]["start"], line["sentence"]["end"], by_attribute)
            for line in lines
        ]
        assert got == want
        # Claims touch sentences 2, 8, 9, 14, 15, 19 and 20; two of them say yes.
        assert got.count("CFS") == (2 if by_attribute else 7)


# -- the whole corpus: offsets in three units -------------------------------------------


@pytest.fixture
def corpus_project(project: Project, corpus: Path) -> Project:
    """The shared corpus with a source linked to a claim in the Arabic and emoji texts."""
    import_corpus(project, corpus)
    mosul, text = document_with(project, "الموصل")
    claim = add(project, mosul, text, "claim", "ارتفع إلى 240 شخصا", attrs={"checkworthy": "yes"})
    source = add(project, mosul, text, "source", "وزير الصحة")
    project.add_relation(source, claim, "attributed_to")
    shanghai, text = document_with(project, "𠮷野家")
    add(project, shanghai, text, "claim", "𠮷野家在上海开设了第300家门店")
    return project


def test_every_offset_triple_matches_the_oracles_on_the_corpus(
    corpus_project: Project, tmp_path: Path
) -> None:
    texts = {}
    for listed in corpus_project.documents():
        document = corpus_project.document(listed.id or 0)
        texts[document.uid] = document.text
    export(corpus_project, "attribution", tmp_path / "a.jsonl", ALL, card=False)
    attributions = read_jsonl(tmp_path / "a.jsonl")
    linked = {texts[line["doc"]] for line in attributions if line["source"]}
    assert any("الموصل" in text for text in linked)  # right to left
    assert any("🚨" in text for text in linked)  # emoji before the spans
    astral = 0
    for line in attributions:
        text = texts[line["doc"]]
        for key in ("source", "content"):
            if line[key]:
                check_offsets(text, line[key], line[key]["text"])
                astral += line[key]["start_utf16"] != line[key]["start"]
        check_offsets(text, line["sentence"])
    assert astral  # some spans lie after an emoji or an astral ideograph
    export(
        corpus_project,
        "sentences",
        tmp_path / "s.jsonl",
        ALL,
        options={"scheme": "claimbuster"},
        card=False,
    )
    sentences = read_jsonl(tmp_path / "s.jsonl")
    assert {line["File_id"] for line in sentences} == set(texts)
    for line in sentences:
        check_offsets(texts[line["File_id"]], line["sentence"], line["Text"])
    # Every document's sentences in order, each its text without whitespace at the edges.
    for uid in texts:
        mine = [line for line in sentences if line["File_id"] == uid]
        assert [line["Line_number"] for line in mine] == list(range(1, len(mine) + 1))
        assert all(line["Text"] == line["Text"].strip() for line in mine)
        assert all(
            a["sentence"]["end"] <= b["sentence"]["start"] for a, b in itertools.pairwise(mine)
        )
    mosul = next(line for line in sentences if "240" in line["Text"])
    assert (mosul["Speaker"], mosul["label"]) == ("وزير الصحة", "CFS")


def test_checkthat_tsv_reads_back_as_one_sentence_a_row(
    corpus_project: Project, tmp_path: Path
) -> None:
    """The corpus has ASCII quotes ("Lagos Water Board"), a line break inside a sentence
    and Cyrillic, Arabic and CJK text: csv reads each row back whole."""
    export(corpus_project, "sentences", tmp_path / "s.tsv", ALL, card=False)
    export(
        corpus_project,
        "sentences",
        tmp_path / "s.jsonl",
        ALL,
        options={"scheme": "claimbuster"},
        card=False,
    )
    with (tmp_path / "s.tsv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t"))
    assert rows[0] == ["Sentence_id", "Text", "class_label"]
    exact = read_jsonl(tmp_path / "s.jsonl")
    assert [row[0] for row in rows[1:]] == [str(line["Sentence_id"]) for line in exact]
    assert [row[1] for row in rows[1:]] == [LINE_BREAK_RUN.sub(" ", line["Text"]) for line in exact]
    assert [row[2] for row in rows[1:]] == [
        "Yes" if line["Verdict"] == 1 else "No" for line in exact
    ]
    assert any('"' in row[1] for row in rows)


def test_split_parts_never_repeat_a_sentence_id(corpus_project: Project, tmp_path: Path) -> None:
    from factmark.core.exporting.base import Split

    result = export(
        corpus_project,
        "sentences",
        tmp_path / "s.jsonl",
        ALL,
        Split.parse("a=0.5,b=0.5"),
        options={"scheme": "claimbuster"},
        card=False,
    )
    ids = [line["Sentence_id"] for part in result.outputs.values() for line in read_jsonl(part)]
    assert sorted(ids) == list(range(1, len(ids) + 1))


def test_without_spacy_the_formats_refuse_in_one_line(
    seed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project, _text = seed
    monkeypatch.setitem(sys.modules, "spacy", None)  # `import spacy` now fails
    for fmt in ("attribution", "sentences"):
        with pytest.raises(ValidationError) as refused:
            export(project, fmt, tmp_path / "out" / "corpus", ALL)
        assert "pip install 'factmark[spacy]'" in str(refused.value)
        assert "\n" not in str(refused.value)
    assert not (tmp_path / "out").exists()


def test_an_unknown_scheme_is_refused(seed, tmp_path: Path) -> None:
    project, _text = seed
    with pytest.raises(ValidationError, match="unknown sentences scheme 'fever'"):
        export(project, "sentences", tmp_path / "out" / "s.tsv", ALL, options={"scheme": "fever"})
    assert not (tmp_path / "out").exists()
