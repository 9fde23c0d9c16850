"""The task-shaped exports (attribution, sentences) write, byte for byte, what their writers
wrote before they were made faster: the old ``add`` is kept here as the oracle, run over a
random corpus made of what these exports must handle (claims with and without sources,
several sources, cues linked to claims, quotes of every kind, claims in the outlet's own
voice, check-worthy attributes, spans across sentences and line breaks, emoji, CJK, Arabic,
CRLF), with the sentences of spaCy's sentencizer. The new writers are run in one process
and in two (a second process writing the later half of the documents, as a large export
does); the old ones in one.
"""

from __future__ import annotations

import bisect
import random
import re
from pathlib import Path
from typing import Any

import orjson
import pytest
from tests.core.test_export_brat_conll_bytes import hostile_texts, one_process
from tests.core.test_export_brat_conll_bytes import processes as processes

from factmark.core.cues import CUE, CUE_OF, cue_for, is_outlet_voice
from factmark.core.exporting import FORMATS, attribution, export
from factmark.core.exporting import sentences as sentences_export
from factmark.core.exporting.attribution import RELATION, AttributionWriter
from factmark.core.exporting.base import Selection
from factmark.core.exporting.sentence_split import (
    Segmenter,
    SentenceIndex,
    located,
    offset_table,
)
from factmark.core.exporting.sentences import SentencesWriter
from factmark.core.importing import import_file
from factmark.core.project import Project

pytest.importorskip("spacy")

LABELS = ["claim", "claim", "source", "cue", "location", "number"]
ATTRS = [
    {},
    {"voice": "outlet"},
    {"voice": " Outlet "},
    {"checkworthy": "yes"},
    {"checkworthy": "no"},
    {"checkworthy": True},
    {"n": 3},
]
QUOTES = [
    {},
    {"quote": "direct"},
    {"quote": "indirect"},
    {"quote": "mixed"},
    {"quote": ""},
    {"quote": 3},
]


_OLD_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _old_offset_table(text: str, positions: list[int]) -> dict[int, tuple[int, int]]:
    """sentence_split.offset_table before it was made faster."""
    if text.isascii():
        return {position: (position, position) for position in positions}
    astral = [found.start() for found in _OLD_ASTRAL.finditer(text)]
    table: dict[int, tuple[int, int]] = {}
    previous, utf8 = 0, 0
    for position in sorted(set(positions)):
        utf8 += len(text[previous:position].encode("utf-8", "surrogatepass"))
        table[position] = (position + bisect.bisect_left(astral, position), utf8)
        previous = position
    return table


def _old_attribution_add(self: AttributionWriter, record: dict[str, Any]) -> None:
    """AttributionWriter.add before it was made faster."""
    text = record["text"]
    spans = {span["id"]: span for span in record["spans"]}
    pairs = [
        (spans[r["child"]], spans[r["head"]]) for r in record["relations"] if r["label"] == RELATION
    ]
    quotes = {
        (r["child"], r["head"]): r["attrs"].get("quote")
        for r in record["relations"]
        if r["label"] == RELATION
    }
    cues: dict[int, list[dict[str, Any]]] = {}
    for relation in record["relations"]:
        if relation["label"] == CUE_OF and spans[relation["head"]]["label"] == CUE:
            cues.setdefault(relation["child"], []).append(spans[relation["head"]])
    linked = {id(content) for content, _ in pairs}
    pairs += [
        (span, None)
        for span in record["spans"]
        if span["label"] == "claim" and id(span) not in linked
    ]
    if not pairs:
        return
    pairs.sort(key=lambda p: (p[0]["start"], p[0]["end"], p[1]["start"] if p[1] else -1))
    sentences = SentenceIndex(self.segmenter.sentences(text))
    # Per content: the run of sentences it overlaps, and whether that is more than one.
    covering: dict[int, tuple[int, int]] = {}
    across: dict[int, bool] = {}
    for content, _ in pairs:
        if id(content) not in covering:
            run, count = sentences.covering(content["start"], content["end"])
            covering[id(content)], across[id(content)] = run, count > 1
    chosen: dict[tuple[int, int], dict[str, Any] | None] = {}
    for content, source in pairs:
        if content["id"] not in cues:
            chosen[id(content), id(source)] = None
            continue
        theirs = sorted(cues[content["id"]], key=lambda c: (c["start"], c["end"]))
        n = cue_for(
            (source["start"], source["end"]) if source else None,
            [(c["start"], c["end"]) for c in theirs],
        )
        chosen[id(content), id(source)] = theirs[n] if n is not None else None
    positions = [x for s, _ in pairs for x in (s["start"], s["end"])]
    positions += [x for s in (p[1] for p in pairs) if s for x in (s["start"], s["end"])]
    positions += [x for c in chosen.values() if c for x in (c["start"], c["end"])]
    positions += [x for bounds in covering.values() for x in bounds]
    table = _old_offset_table(text, positions)
    for content, source in pairs:
        if across[id(content)]:
            self.across += 1
        if source is not None:
            self.attributed += 1
            voice = "source"
        elif is_outlet_voice(content["attrs"]):
            self.outlet += 1
            voice = "outlet"
        else:
            self.unattributed += 1
            voice = "unknown"
        cue = chosen[id(content), id(source)]
        self.quoted += attribution._quote(quotes, content, source) is not None
        self.cued += cue is not None
        line = {
            "doc": record["id"],
            "source": attribution._span(source, table),
            "voice": voice,
            "cue": attribution._span(cue, table),
            "content": attribution._span(content, table),
            "quote": attribution._quote(quotes, content, source),
            "sentence": located(*covering[id(content)], table),
        }
        self.out.write(orjson.dumps(line, option=orjson.OPT_APPEND_NEWLINE))


_OLD_LINE_BREAK = re.compile(r"[\t\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_OLD_LINE_BREAKS = re.compile(rf"\s*{_OLD_LINE_BREAK.pattern}\s*")


def _old_tsv_fields(text: str, index: SentenceIndex) -> bytes:
    """sentences._tsv_fields before it was made faster."""
    sentences = index.bounds
    fields = [text[start:end] for start, end in sentences]
    for line_break in _OLD_LINE_BREAK.finditer(text):
        for n in range(*index.reach(line_break.start(), line_break.end())):
            fields[n] = _OLD_LINE_BREAKS.sub(" ", text[sentences[n][0] : sentences[n][1]])
    if '"' in text:
        fields = ['"' + f.replace('"', '""') + '"' if '"' in f else f for f in fields]
    fields.append("")
    return "\n".join(fields).encode("utf-8")


def _old_sentences_add(self: SentencesWriter, record: dict[str, Any]) -> None:
    """SentencesWriter.add before it was made faster."""
    text = record["text"]
    index = SentenceIndex(self.segmenter.sentences(text))
    bounds = index.bounds
    touched = bytearray(len(bounds))
    # Per sentence, the claims touching it (ClaimBuster names their speakers).
    claims: list[list[dict[str, Any]]] | None = None
    if self.scheme == "claimbuster":
        claims = [[] for _ in bounds]
    for span in record["spans"]:
        first, last = index.reach(span["start"], span["end"])
        if first == last:
            continue
        label = span["label"]
        if label == "claim":
            flag = sentences_export.CLAIM
            if span["attrs"]:
                if sentences_export._has_attribute(span):
                    self.context.shared[sentences_export._SHARED_ATTRIBUTE] = True
                if sentences_export._says_yes(span):
                    flag |= sentences_export.CHECKWORTHY_YES
        else:
            flag = sentences_export.NUMBER if label == "number" else 0
        if last - first > 1:
            self.crossing[label] = self.crossing.get(label, 0) + 1
        for n in range(first, last):
            touched[n] |= flag
            if claims is not None and label == "claim":
                claims[n].append(span)
    self.touched += touched
    if claims is None:
        self.spool.write(_old_tsv_fields(text, index))
    else:
        self._spool_claimbuster(record, bounds, claims)


class OldAttributionWriter(AttributionWriter):
    add = _old_attribution_add


def _old_write_checkthat(self: SentencesWriter, first_id: int, classes: bytearray) -> None:
    """SentencesWriter._write_checkthat before it was made faster."""
    self.out.write(b"Sentence_id\tText\tclass_label\n")
    lines = []
    labels = {ord("C"): b"Yes", ord("U"): b"No", ord("N"): b"No"}
    for n, (field, kind) in enumerate(zip(self.spool, classes, strict=True), first_id):
        lines.append(b"%d\t%s\t%s" % (n, field[:-1], labels[kind]))
        if len(lines) == 10_000:
            lines.append(b"")
            self.out.write(b"\n".join(lines))
            lines.clear()
    lines.append(b"")
    self.out.write(b"\n".join(lines))


class OldSentencesWriter(SentencesWriter):
    add = _old_sentences_add
    _write_checkthat = _old_write_checkthat


@pytest.fixture
def linked(project: Project, tmp_path: Path, corpus: Path) -> Project:
    """A project of 150 random documents cut from the shared corpus and hostile pieces,
    with random spans and links of every kind the task exports read."""
    rng = random.Random(17)
    source = tmp_path / "linked.jsonl"
    with source.open("wb") as out:
        for text in hostile_texts(corpus, rng, 150):
            spans = []
            for number in range(1, rng.randint(1, 25)):
                start = rng.randrange(len(text) - 1)
                spans.append(
                    {
                        "id": number,
                        "start": start,
                        "end": min(len(text), start + rng.randint(1, 120)),
                        "label": rng.choice(LABELS),
                        "attrs": rng.choice(ATTRS),
                    }
                )
            relations = []
            if len(spans) > 1 and rng.random() < 0.8:
                for _ in range(rng.randint(1, 8)):
                    head, child = rng.sample(range(1, len(spans) + 1), 2)
                    relations.append(
                        {
                            "head": head,
                            "child": child,
                            "label": rng.choice(["attributed_to", "cue_of", "part_of"]),
                            "attrs": rng.choice(QUOTES),
                        }
                    )
            record = {"text": text, "spans": spans, "relations": relations}
            if rng.random() < 0.5:
                record["meta"] = rng.choice([{"author": "A. Writer"}, {"publication": "Post"}])
            out.write(orjson.dumps(record) + b"\n")
    report = import_file(project, source, create_labels=True)
    assert report.documents == 150
    return project


@pytest.mark.parametrize(
    ("fmt", "scheme", "old_writer"),
    [
        ("attribution", None, OldAttributionWriter),
        ("sentences", "checkthat", OldSentencesWriter),
        ("sentences", "claimbuster", OldSentencesWriter),
    ],
)
def test_task_exports_are_byte_for_byte_those_of_the_old_writers(
    linked: Project,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fmt: str,
    scheme: str | None,
    old_writer: Any,
    processes: int,
) -> None:
    options = {"scheme": scheme} if scheme else {}
    every = Selection(frozenset())
    monkeypatch.setattr(sentences_export, "WRITE_BUFFER", 100)  # lines cut between reads
    new = export(linked, fmt, tmp_path / "new", every, options=options, card=False)
    one_process(monkeypatch)
    monkeypatch.setattr(FORMATS[fmt], "open_writer", old_writer)
    old = export(linked, fmt, tmp_path / "old", every, options=options, card=False)
    assert new.notes == old.notes
    written = (tmp_path / "new").read_bytes()
    assert written == (tmp_path / "old").read_bytes()
    # The corpus holds what the writers step around (else this test proves little).
    if fmt == "sentences":
        assert any("crossing a sentence boundary" in note for note in old.notes)
        assert written.count(b"\n") > 500
        return
    lines = [orjson.loads(line) for line in written.splitlines()]
    assert {line["voice"] for line in lines} == {"source", "outlet", "unknown"}
    assert {line["quote"] for line in lines} == {None, "direct", "indirect", "mixed"}
    assert any(line["cue"] for line in lines if line["source"])
    assert any(line["cue"] for line in lines if not line["source"])
    assert any(line["sentence"]["start_utf16"] != line["sentence"]["start"] for line in lines)


def test_offsets_are_those_of_the_text_before_each_place(corpus: Path) -> None:
    """offset_table against the text before each place encoded whole, with an astral
    character just before the last place and at the first."""
    rng = random.Random(5)
    for text in hostile_texts(corpus, rng, 60):
        text = f"😀{text}\U00020bb7"
        places = range(len(text) + 1)
        positions = [*rng.sample(places, min(12, len(places))), 0, 1, len(text) - 1, len(text)]
        expected = {
            place: (
                len(text[:place].encode("utf-16-le", "surrogatepass")) // 2,
                len(text[:place].encode("utf-8", "surrogatepass")),
            )
            for place in positions
        }
        assert offset_table(text, positions) == expected


@pytest.mark.parametrize("char", [*"\t\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029", "\r\n", "x"])
def test_each_line_break_inside_a_sentence_becomes_one_space(char: str) -> None:
    """Each character that ends a line (and a tab), inside a sentence beside emoji and
    CJK, as the old writer made the CheckThat! field: found on its own, not only by the
    count of line feeds."""
    text = f"Kyiv 😱 said{char}  北京 reported. The next one{char}came. Done."
    index = Segmenter().index(text)
    assert len(index.starts) == 3
    assert sentences_export._tsv_fields(text, index) == _old_tsv_fields(text, index)
