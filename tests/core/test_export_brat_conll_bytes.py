"""The brat and CoNLL exports write, byte for byte, what their writers wrote before they were
made faster: the writers' old ``add`` is kept here as the oracle, run over a random corpus
made of what these formats must handle (line breaks inside and at the edges of spans, notes
with tabs and line breaks, attributes brat can and cannot hold, links, nested and crossing
spans, emoji, CJK, decomposed accents, sentence ends inside spans). The new writers are run
in one process and in two (a second process writing the later half of the documents, as a
large export does); the old ones in one.
"""

from __future__ import annotations

import bisect
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from factmark.core.exporting import FORMATS, export, second_process
from factmark.core.exporting.base import ExportContext, Selection
from factmark.core.exporting.brat import BratWriter, fragments
from factmark.core.exporting.conll import ConllWriter
from factmark.core.exporting.conll_tokens import split, starts_of_sentences
from factmark.core.importing import import_file
from factmark.core.project import Project

FLAT = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029\t"  # made spaces in a note
PIECES = [
    'U.S. officials said 0.3% (of 15,000). "Really?" he asked.\u2028Next line\x0b end.',
    "。Tokyo東京は！そう？ yes.\u3000 ok",
    "\r\n\r\n",
    "   ",
    "a\u200db x\u0301y 👍🏽 🇳🇬🇫🇷 ؟ नमस्ते। ",
    "\t\x1c\x85",
    "Claims: 70% of water (unsafe).\n\nThe board said so! Did it? Yes.",
]


def _old_brat_add(self: BratWriter, record: dict[str, Any]) -> None:
    """BratWriter.add before it was made faster (one fragments call per span)."""
    text: str = record["text"]
    stem = self._stem(record)
    lines: list[str] = []
    attributes: list[str] = []
    notes: list[str] = []
    tids: dict[int, str] = {}
    for span in record["spans"]:
        pieces = fragments(text, span["start"], span["end"])
        if not pieces:
            self.line_break_only += 1
            continue
        self.discontinuous += len(pieces) > 1
        self.edge_breaks += (pieces[0][0], pieces[-1][1]) != (span["start"], span["end"])
        tid = tids[span["id"]] = f"T{len(tids) + 1}"
        offsets = ";".join(f"{start} {end}" for start, end in pieces)
        shown = " ".join(text[start:end] for start, end in pieces)
        lines.append(f"{tid}\t{self.entities[span['label']]} {offsets}\t{shown}")
        for name, value in (span.get("attrs") or {}).items():
            written = self._attribute(name, value)
            if written is None:
                self.unkept_attributes += 1
            else:
                attributes.append(f"A{len(attributes) + 1}\t{written[0]} {tid}{written[1]}")
        note = span.get("note") or ""
        if note.strip():
            flat = "".join(" " if ch in FLAT else ch for ch in note)
            self.flattened_notes += flat != note
            notes.append(f"#{len(notes) + 1}\tAnnotatorNotes {tid}\t{flat}")
        self.unkept_details += bool(span.get("annotator"))
    number = 0
    for relation in record["relations"]:
        head, child = tids.get(relation["head"]), tids.get(relation["child"])
        if head is None or child is None:
            self.orphaned_relations += 1
            continue
        number += 1
        lines.append(f"R{number}\t{self.relations[relation['label']]} Arg1:{head} Arg2:{child}")
        note = relation.get("note") or ""
        if note.strip():
            flat = "".join(" " if ch in FLAT else ch for ch in note)
            self.flattened_notes += flat != note
            notes.append(f"#{len(notes) + 1}\tAnnotatorNotes R{number}\t{flat}")
        self.link_attributes += len(relation.get("attrs") or {})
    ann = "".join(f"{line}\n" for line in lines + attributes + notes)
    self.out.write(f"{stem}.txt", text.encode("utf-8"))
    self.out.write(f"{stem}.ann", ann.encode("utf-8"))


def _old_conll_add(self: ConllWriter, record: dict[str, Any]) -> None:
    """ConllWriter.add before it was made faster (a tag list, lines joined, breaks inserted)."""
    text: str = record["text"]
    words, starts, ends = split(text)
    if not words:
        return
    sentences = starts_of_sentences(text, words, starts, ends)
    spans = self._token_spans(starts, ends, record["spans"])
    keep = _old_keep_innermost if self.policy == "innermost" else _old_keep_outermost
    for output in self.outputs:
        chosen = [s for s in spans if output.labels is None or s.label in output.labels]
        kept = keep(chosen)
        _old_count_left_out(self, chosen, kept)
        tags = ["O"] * len(words)
        breaks = set(sentences)
        for span in kept:
            tag = self.tags[span.label]
            tags[span.first] = f"B-{tag}"
            tags[span.first + 1 : span.end] = [f"I-{tag}"] * (span.end - span.first - 1)
            inside = breaks.intersection(range(span.first + 1, span.end))
            breaks -= inside
            self.counts.merged += len(inside)
        lines = list(map(" ".join, zip(words, tags, strict=True)))
        for k in breaks:
            lines[k] = f"\n{lines[k]}"
        output.file.write(("\n".join(lines) + "\n\n").encode())


def _old_keep_outermost(spans: list[Any]) -> list[Any]:
    """keep_outermost before it was made faster (a key function called per span)."""
    kept: list[Any] = []
    for span in sorted(spans, key=lambda s: (s.first, -s.end, s.order)):
        if not kept or span.first >= kept[-1].end:
            kept.append(span)
    return kept


def _old_keep_innermost(spans: list[Any]) -> list[Any]:
    """keep_innermost before it was made faster."""
    kept: list[Any] = []
    for span in sorted(spans, key=lambda s: (s.end, -s.first, s.order)):
        if not kept or span.first >= kept[-1].end:
            kept.append(span)
    return sorted(kept, key=lambda s: s.first)


def _old_count_left_out(self: ConllWriter, chosen: list[Any], kept: list[Any]) -> None:
    """ConllWriter._count_left_out before it was made faster."""

    def inside(span: Any, other: Any) -> bool:
        return bool(other.first <= span.first and span.end <= other.end)

    if len(kept) == len(chosen):
        return
    kept_orders = {span.order for span in kept}
    firsts = [span.first for span in kept]
    for span in chosen:
        if span.order in kept_orders:
            continue
        before = bisect.bisect_right(firsts, span.first) - 1
        after = bisect.bisect_left(firsts, span.first)
        if (before >= 0 and inside(span, kept[before])) or (
            after < len(kept) and inside(kept[after], span)
        ):
            self.counts.nested += 1
        else:
            self.counts.crossing += 1


def _old_token_spans(
    self: ConllWriter, starts: list[int], ends: list[int], spans: list[dict[str, Any]]
) -> list[Any]:
    """ConllWriter._token_spans before it was made faster."""
    from factmark.core.exporting.conll import TokenSpan

    result = []
    for order, span in enumerate(spans):
        if span["label"] not in self.tags:
            self.counts.unknown += 1
            continue
        first = bisect.bisect_right(ends, span["start"])
        end = bisect.bisect_left(starts, span["end"])
        if first >= end:
            self.counts.blank += 1
            continue
        token_start, token_end = starts[first], ends[end - 1]
        if token_start < span["start"] or token_end > span["end"]:
            self.counts.widened += 1
        elif token_start > span["start"] or token_end < span["end"]:
            self.counts.trimmed += 1
        result.append(TokenSpan(first, end, span["label"], order))
    return result


class OldBratWriter(BratWriter):
    add = _old_brat_add


class OldConllWriter(ConllWriter):
    add = _old_conll_add
    _token_spans = _old_token_spans


def hostile_texts(corpus: Path, rng: random.Random, count: int) -> Iterator[str]:
    """``count`` texts, each one to four texts of the shared corpus or pieces above, some
    cut at a random place, numbered at the end; made one at a time from ``rng``."""
    texts = [path.read_text(encoding="utf-8") for path in sorted(corpus.glob("*.txt"))]
    texts += PIECES
    for n in range(count):
        parts = [rng.choice(texts) for _ in range(rng.randint(1, 4))]
        text = "".join(p[rng.randrange(len(p)) if rng.random() < 0.3 else 0 :] for p in parts)
        yield f"{text} [{n}]"


@pytest.fixture(params=[1, 2], ids=["one process", "two processes"])
def processes(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    """How many processes the new writers export with (two: whatever the size)."""
    if request.param == 2:
        monkeypatch.setattr(second_process, "FROM_BYTES", 0)
    return int(request.param)


def one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """The old writers export in one process (they were never given to a second one)."""
    monkeypatch.setattr(second_process, "FROM_BYTES", 1 << 62)


@pytest.fixture
def hostile(project: Project, tmp_path: Path, corpus: Path) -> Project:
    """A project of 150 random documents cut from the shared corpus and the pieces above."""
    return _hostile_project(project, tmp_path, corpus, plain=False)


@pytest.fixture
def plain(project: Project, tmp_path: Path, corpus: Path) -> Project:
    """The same, but most documents' spans hold no note and no attribute (the usual case,
    which the brat writer takes a quicker way)."""
    return _hostile_project(project, tmp_path, corpus, plain=True)


def _hostile_project(project: Project, tmp_path: Path, corpus: Path, *, plain: bool) -> Project:
    rng = random.Random(11)
    source = tmp_path / "hostile.jsonl"
    with source.open("wb") as out:
        for text in hostile_texts(corpus, rng, 150):
            spans = []
            bare = plain and rng.random() < 0.8
            for number in range(1, rng.randint(1, 25)):
                start = rng.randrange(len(text) - 1)
                attrs = rng.choice(
                    [{}, {"checked": True}, {"kind": "direct"}, {"kind": "in direct"}, {"n": 3}]
                )
                spans.append(
                    {
                        "id": number,
                        "start": start,
                        "end": min(len(text), start + rng.randint(1, 60)),
                        "label": rng.choice(["claim", "source", "location", "number"]),
                        "annotator": rng.choice(["ana", "ben", None]),
                        "note": rng.choice(["", "a note", "two\nlines\tand a tab", "  "]),
                        "attrs": attrs,
                    }
                )
                if bare:
                    spans[-1].update(note="", attrs={})
            relations = [
                {
                    "head": head,
                    "child": child,
                    "label": rng.choice(["attributed_to", "part_of"]),
                    "note": rng.choice(["", "why\nso"]),
                    "attrs": rng.choice([{}, {"quote": "direct"}]),
                }
                for head, child in (
                    rng.sample(range(1, len(spans) + 1), 2)
                    for _ in range(rng.randint(0, 3) if len(spans) > 1 else 0)
                )
            ]
            title = rng.choice(["", "Lagos water post", "Харків", "東京", "Same title"])
            record = {"title": title, "text": text, "spans": spans, "relations": relations}
            out.write(orjson.dumps(record) + b"\n")
    report = import_file(project, source)
    assert report.documents == 150
    return project


@pytest.mark.parametrize(
    ("fmt", "nested"),
    [("brat", None), ("conll", "outermost"), ("conll", "innermost"), ("conll", "per-label")],
)
def test_exports_are_byte_for_byte_those_of_the_old_writers(
    hostile: Project,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fmt: str,
    nested: str | None,
    processes: int,
) -> None:
    options = {"nested": nested} if nested else {}
    module = FORMATS[fmt]
    new_path = tmp_path / "new" / f"corpus{module.SUFFIX}"
    new = export(hostile, fmt, new_path, Selection(frozenset()), options=options, card=False)
    old_writer = OldBratWriter if fmt == "brat" else OldConllWriter

    def open_old(path: Path, context: ExportContext) -> Any:
        if fmt == "brat":
            return old_writer(path, context)
        return old_writer(path, context, context.options.get("nested") or "outermost")

    monkeypatch.setattr(module, "open_writer", open_old)
    one_process(monkeypatch)
    old_path = tmp_path / "old" / f"corpus{module.SUFFIX}"
    old = export(hostile, fmt, old_path, Selection(frozenset()), options=options, card=False)
    assert new.notes == old.notes
    assert len(new.files) == len(old.files) > 0
    written = {str(f.relative_to(tmp_path / "new")): f.read_bytes() for f in new.files}
    expected = {str(f.relative_to(tmp_path / "old")): f.read_bytes() for f in old.files}
    assert written == expected
    # The corpus holds what the fast paths step around (else this test proves little).
    assert any("discontinuous" in note for note in old.notes) or fmt != "brat"
    assert any("sentence breaks not made" in note for note in old.notes) or fmt == "brat"
    for left_out in ("(BIO cannot nest)", "crossing an earlier span"):
        assert any(left_out in note for note in old.notes) or fmt == "brat"


def test_brat_export_of_spans_without_notes_is_byte_for_byte_the_old_writers(
    plain: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, processes: int
) -> None:
    new = export(plain, "brat", tmp_path / "new", Selection(frozenset()), card=False)
    monkeypatch.setattr(FORMATS["brat"], "open_writer", OldBratWriter)
    one_process(monkeypatch)
    old = export(plain, "brat", tmp_path / "old", Selection(frozenset()), card=False)
    assert new.notes == old.notes
    assert len(new.files) == len(old.files) > 0
    written = {str(f.relative_to(tmp_path / "new")): f.read_bytes() for f in new.files}
    expected = {str(f.relative_to(tmp_path / "old")): f.read_bytes() for f in old.files}
    assert written == expected
    for what in ("discontinuous", "written without it", "holding only line breaks"):
        assert any(what in note for note in old.notes)


def test_brat_files_named_from_the_folder_or_by_their_whole_path_are_the_same(
    plain: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where os.open takes no folder descriptor (Windows), files are opened by their whole
    path: the same folder either way."""
    from factmark.core.exporting import base

    at = export(plain, "brat", tmp_path / "at", Selection(frozenset()), card=False)
    monkeypatch.setattr(base, "_OPEN_AT", False)
    whole = export(plain, "brat", tmp_path / "whole", Selection(frozenset()), card=False)
    assert [f.relative_to(tmp_path / "at") for f in at.files] == [
        f.relative_to(tmp_path / "whole") for f in whole.files
    ]
    assert [f.read_bytes() for f in at.files] == [f.read_bytes() for f in whole.files]


def test_nested_policies_keep_the_spans_the_old_sorts_kept_in_any_order() -> None:
    """Spans given in any order (the writer gives them in record order) are kept as the
    old key-function sorts kept them: ties of first and end broken by record order."""
    from factmark.core.exporting.conll import TokenSpan, keep_innermost, keep_outermost

    rng = random.Random(5)
    for _ in range(2000):
        spans = []
        for order in range(rng.randint(0, 12)):
            first = rng.randint(0, 8)
            spans.append(TokenSpan(first, first + rng.randint(1, 5), rng.choice("ab"), order))
        rng.shuffle(spans)
        assert keep_outermost(spans) == _old_keep_outermost(spans)
        assert keep_innermost(spans) == _old_keep_innermost(spans)
