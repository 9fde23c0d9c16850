"""Label Studio both ways: our export read back gives the same annotations, and
label-studio-converter (Label Studio's own converter) reads our export on the exact text."""

from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.core.test_export_doccano_labelstudio import build_corpus, truth
from tests.core.test_properties import BODY, FAST, spans_over, stored_form

import factmark.core.exporting.labelstudio as labelstudio_writer
from factmark.core.exporting import export
from factmark.core.exporting.base import Selection
from factmark.core.importing import import_file
from factmark.core.project import Project

ALL = Selection(frozenset())


def with_attrs(project: Project) -> dict[str, Any]:
    """Give some spans attributes (nested values too); returns them by span text."""
    given_attrs: dict[str, Any] = {}
    values = [{"certainty": "high"}, {"checked": True, "sources": ["a", "б"]}, {"n": 3}]
    for document in project.documents():
        text = project.document(document.id or 0).text
        for span, attrs in zip(project.spans(document.id or 0), values, strict=False):
            project.update_span(span.id or 0, attrs=attrs)
            given_attrs[text[span.start : span.end]] = attrs
    return given_attrs


def attrs_of(project: Project) -> dict[str, dict[str, Any]]:
    found = {}
    for document in project.documents():
        text = project.document(document.id or 0).text
        for span in project.spans(document.id or 0):
            if span.attrs:
                found[text[span.start : span.end]] = span.attrs
    return found


def test_corpus_round_trip(project: Project, corpus: Path, tmp_path: Path) -> None:
    build_corpus(project, corpus)
    attrs = with_attrs(project)
    out = tmp_path / "tasks.json"
    export(project, "labelstudio", out, ALL)

    with Project.open(tmp_path / "back.factmark") as back:
        report = import_file(back, out, create_labels=True)

        assert not report.errors and not report.notes, report.lines()
        assert truth(back) == truth(project)
        assert attrs_of(back) == attrs == attrs_of(project)
        assert report.documents == len(project.documents())


def converted(tasks: Path, kind: str) -> Path:
    converter = pytest.importorskip("label_studio_converter")
    config = labelstudio_writer.config_path(tasks)
    out = tasks.parent / kind
    converter.Converter(str(config), str(out)).convert(str(tasks), str(out), kind, is_dir=False)
    return out / ("result.conll" if kind == "CONLL2003" else "result.json")


def test_label_studio_converter_reads_our_export(
    project: Project, corpus: Path, tmp_path: Path
) -> None:
    build_corpus(project, corpus)
    out = tmp_path / "tasks.json"
    export(project, "labelstudio", out, ALL)
    want = {
        record["text"]: sorted((text, label) for _, _, label, text, _, _ in record["spans"])
        for record in truth(project).values()
    }

    records = orjson.loads(converted(out, "JSON_MIN").read_bytes())

    assert sorted(r["id"] for r in records) == list(range(1, len(want) + 1))
    got = {}
    for record in records:
        text = record["text"]
        regions = record.get("label", [])
        for region in regions:
            assert region["text"] == text[region["start"] : region["end"]]
        got[text] = sorted((r["text"], *r["labels"]) for r in regions)
    assert got == want


def test_label_studio_converter_tags_tokens_of_our_spans(
    project: Project, corpus: Path, tmp_path: Path
) -> None:
    build_corpus(project, corpus)
    out = tmp_path / "tasks.json"
    export(project, "labelstudio", out, ALL)
    tasks = orjson.loads(out.read_bytes())

    conll = converted(out, "CONLL2003").read_text(encoding="utf-8")

    blocks = conll.removeprefix("-DOCSTART- -X- O\n").split("\n\n")[:-1]
    assert len(blocks) == len(tasks)
    tagged = 0
    for block, task in zip(blocks, tasks, strict=True):
        text = task["data"]["text"]
        spans = (
            [r["value"] for r in task["annotations"][0]["result"] if "value" in r]
            if task["annotations"]
            else []
        )
        position = 0
        for line in block.splitlines():
            token, tag = line.split(" -X- _ ")
            start = text.index(token, position)  # the converter's tokens are slices of the text
            position = start + len(token)
            if tag == "O":
                continue
            tagged += 1
            label = tag[2:]
            # The token overlaps a span of the label it is tagged with.
            assert any(
                label in v["labels"] and v["start"] < position and start < v["end"] for v in spans
            ), (token, tag)
    assert tagged > 20


def links(project: Project) -> list[tuple[Any, ...]]:
    """Each link as the offsets and labels of its two spans, and its type."""
    found = []
    for document in project.documents():
        for link in project.relations(document.id or 0):
            head, child = project.span(link.head_span_id), project.span(link.child_span_id)
            found.append(
                (
                    (head.start, head.end, head.label),
                    (child.start, child.end, child.label),
                    link.label,
                )
            )
    return sorted(found, key=repr)


SPAN_EXTRAS = st.tuples(
    st.one_of(st.none(), st.sampled_from(["olena", "amina@newsroom.example", "Wei Zhang"])),
    st.one_of(st.none(), BODY),
    st.dictionaries(
        st.sampled_from(["certainty", "checked"]), st.sampled_from(["high", 1, True]), max_size=2
    ),
)


@FAST
@given(raw=BODY, data=st.data())
def test_any_text_round_trips_through_label_studio(raw: str, data: st.DataObject) -> None:
    text = stored_form(raw)
    if not text.strip():
        return
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        with Project.open(root / "a.factmark") as project:
            source = root / "source.jsonl"
            source.write_bytes(orjson.dumps({"text": text, "title": "t"}) + b"\n")
            assert import_file(project, source).documents == 1
            doc_id = project.documents()[0].id or 0
            wanted = []
            for start, end, label in data.draw(spans_over(len(text)), label="spans"):
                annotator, note, attrs = data.draw(SPAN_EXTRAS, label="extras")
                project.add_span(doc_id, start, end, label, annotator, note or None, attrs)
                wanted.append((start, end, label, annotator, note or None, attrs))
            spans = project.spans(doc_id)
            if len(spans) >= 2:
                project.add_relation(spans[0].id or 0, spans[-1].id or 0, "part_of")
            out = root / "tasks.json"
            export(project, "labelstudio", out, ALL)
            before = links(project)

        with Project.open(root / "b.factmark") as back:
            report = import_file(back, out, create_labels=True)
            assert report.documents == 1, report.lines()
            copy_id = back.documents()[0].id or 0
            got = Counter(
                (
                    s.start,
                    s.end,
                    s.label,
                    s.annotator,
                    s.note,
                    orjson.dumps(s.attrs, option=orjson.OPT_SORT_KEYS),
                )
                for s in back.spans(copy_id)
            )
            assert got == Counter(
                (*w[:5], orjson.dumps(w[5], option=orjson.OPT_SORT_KEYS)) for w in wanted
            )
            assert links(back) == before
            assert back.document(copy_id).text == text
