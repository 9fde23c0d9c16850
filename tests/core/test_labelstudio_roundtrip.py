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
from factmark.core.incoming import IncomingDocument
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
        record["text"]: sorted(
            (text, label, annotator) for _, _, label, text, annotator, _ in record["spans"]
        )
        for record in truth(project).values()
    }

    records = orjson.loads(converted(out, "JSON_MIN").read_bytes())

    # a record per annotation: one per annotator of the document, and one for the spans
    # without an annotator
    assert sorted({r["id"] for r in records}) == list(range(1, len(want) + 1))
    assert len(records) == sum(len({s[2] for s in spans}) for spans in want.values())
    got: dict[str, list[Any]] = {}
    for record in records:
        text = record["text"]
        regions = record.get("label", [])
        for region in regions:
            assert region["text"] == text[region["start"] : region["end"]]
        who = record.get("factmark_annotator")  # the text area naming the annotator
        assert record["annotator"] is None  # no Label Studio account: nobody's
        got.setdefault(text, []).extend((r["text"], *r["labels"], who) for r in regions)
    assert {text: sorted(spans, key=repr) for text, spans in got.items()} == {
        text: sorted(spans, key=repr) for text, spans in want.items()
    }

    # and Factmark reads the converter's records back with each span's annotator
    with Project.open(tmp_path / "back.factmark") as back:
        report = import_file(back, converted(out, "JSON_MIN"), create_labels=True)
        assert not report.errors, report.lines()
        found = {
            record["text"]: sorted(
                ((text, label, annotator) for _, _, label, text, annotator, _ in record["spans"]),
                key=repr,
            )
            for record in truth(back).values()
        }
    assert found == {text: sorted(spans, key=repr) for text, spans in want.items()}


def test_label_studio_converter_tags_tokens_of_our_spans(
    project: Project, corpus: Path, tmp_path: Path
) -> None:
    build_corpus(project, corpus)
    out = tmp_path / "tasks.json"
    export(project, "labelstudio", out, ALL)
    tasks = orjson.loads(out.read_bytes())

    conll = converted(out, "CONLL2003").read_text(encoding="utf-8")

    blocks = conll.removeprefix("-DOCSTART- -X- O\n").split("\n\n")[:-1]
    # a block per annotation (one per annotator), in the order of the file
    annotations = [(t["data"]["text"], a) for t in tasks for a in t["annotations"]]
    assert len(blocks) == len(annotations) > len(tasks)
    tagged = 0
    for block, (text, annotation) in zip(blocks, annotations, strict=True):
        spans = [r["value"] for r in annotation["result"] if r["type"] == "labels"]
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


def test_each_annotation_keeps_its_annotator_through_label_studio(
    project: Project, tmp_path: Path
) -> None:
    """Factmark -> Label Studio -> Factmark: Label Studio credits every imported
    annotation to the account that imported it and exports it with that account as
    ``completed_by``; a region someone adds there to an annotation has no meta. Each
    span comes back with its annotator, the new one with its annotation's; the gold
    layer is Label Studio's ground truth, and a link between two annotations' spans
    comes back from the task's meta."""
    text = "The mayor said 40 bridges were closed, the council said 12."
    added = project.add_document(IncomingDocument(text, title="Bridges", status="done"))
    assert added is not None
    doc = added[0]

    def add(needle: str, label: str, annotator: str | None) -> int:
        start = text.index(needle)
        return project.add_span(doc, start, start + len(needle), label, annotator).id or 0

    mayor = add("The mayor", "source", None)
    claim = add("40 bridges were closed", "claim", "amina")
    add("40", "number", "amina")
    add("40", "number", "bo")
    add("12", "number", "gold")
    project.add_relation(claim, mayor, "attributed_to")  # amina's claim, nobody's source
    out = tmp_path / "tasks.json"
    export(project, "labelstudio", out, ALL)

    (task,) = orjson.loads(out.read_bytes())
    assert [a["ground_truth"] for a in task["annotations"]] == [False, False, False, True]
    # What Label Studio's export makes of it, imported by lead@newsroom.example (its
    # data_export serializer expands completed_by; ids and dates are its own).
    lead = {"id": 7, "email": "lead@newsroom.example", "first_name": "", "last_name": ""}
    for number, annotation in enumerate(task["annotations"]):
        annotation.update(id=100 + number, completed_by=lead, lead_time=None, task=task["id"])
    amina = task["annotations"][1]
    council = text.index("the council")
    amina["result"].append(  # drawn in Label Studio's editor: no meta
        {
            "id": "Xb3kq9",
            "from_name": "label",
            "to_name": "text",
            "type": "labels",
            "origin": "manual",
            "value": {"start": council, "end": council + 11, "text": "the council",
                      "labels": ["source"]},
        }
    )  # fmt: skip
    again = tmp_path / "from-label-studio.json"
    again.write_bytes(orjson.dumps([task]))

    with Project.open(tmp_path / "back.factmark") as back:
        report = import_file(back, again, create_labels=True)
        assert not report.errors and not report.notes, report.lines()
        (document,) = back.documents()
        spans = back.spans(document.id or 0)
        got = sorted((text[s.start : s.end], s.label, s.annotator or "") for s in spans)
        (link,) = back.relations(document.id or 0)
        linked = (back.span(link.head_span_id), back.span(link.child_span_id), link.label)
    assert got == [
        ("12", "number", "gold"),
        ("40", "number", "amina"),
        ("40", "number", "bo"),
        ("40 bridges were closed", "claim", "amina"),
        # the spans without an annotator: the annotation Label Studio credited to the
        # account that imported them, as any annotation without a Factmark name
        ("The mayor", "source", "lead@newsroom.example"),
        ("the council", "source", "amina"),
    ]
    head, child, kind = linked
    assert (text[head.start : head.end], head.annotator) == ("40 bridges were closed", "amina")
    assert (text[child.start : child.end], kind) == ("The mayor", "attributed_to")


def test_a_link_across_annotations_to_a_region_id_held_twice_is_counted(
    project: Project, tmp_path: Path
) -> None:
    """A region id two annotations hold (copied in Label Studio) names no span: the link
    from the task's meta is left out and counted, the rest goes in."""
    text = "Police said 12 roads were shut."
    region = {
        "from_name": "label", "to_name": "text", "type": "labels",
        "value": {"start": 12, "end": 14, "text": "12", "labels": ["number"]},
    }  # fmt: skip
    task = {
        "id": 1,
        "data": {"text": text},
        "annotations": [
            {"result": [{"id": "s1", **region}]},
            {"result": [{"id": "s1", **region}, {"id": "s2", **region}]},
        ],
        "meta": {
            "factmark_links": [
                {"type": "relation", "from_id": "s1", "to_id": "s2", "labels": ["part_of"]},
                "not a link",
            ]
        },
    }
    path = tmp_path / "tasks.json"
    path.write_bytes(orjson.dumps([task]))

    report = import_file(project, path, create_labels=True)

    (document,) = project.documents()
    assert len(project.spans(document.id or 0)) == 3
    assert project.relations(document.id or 0) == []
    assert report.lines() == [
        f"{path}: imported 1 document, 3 spans (left out: 2 links to a region that is no span)"
    ]
