"""A link's note and attributes in every export that has links, checked against
hand-written expected text or the peer's own reader, and read back where the format can
hold them."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import orjson
import pytest

from factmark.core.exporting import export
from factmark.core.exporting.base import Selection
from factmark.core.importing import import_file
from factmark.core.incoming import IncomingDocument
from factmark.core.project import Project

ALL = Selection(frozenset())
# Two sources, each linked to its claim: Prigozhin's quoted word for word, Syrskyi's reported.
TEXT = (
    'Prigozhin said: "Wagner lost 500 men near Bakhmut 😱." Syrskyi said the town was still held.'
)


def place(part: str) -> tuple[int, int]:
    start = TEXT.index(part)
    return start, start + len(part)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    opened = Project.open(tmp_path / "links.factmark")
    added = opened.add_document(IncomingDocument(TEXT, title="Bakhmut", status="done"))
    assert added is not None
    doc = added[0]
    prigozhin = opened.add_span(doc, *place("Prigozhin"), "source", "ana")
    quoted = opened.add_span(doc, *place('"Wagner lost 500 men near Bakhmut 😱."'), "claim", "ana")
    syrskyi = opened.add_span(doc, *place("Syrskyi"), "source", "ana")
    reported = opened.add_span(doc, *place("the town was still held"), "claim", "ana")
    opened.add_relation(
        prigozhin.id or 0, quoted.id or 0, "attributed_to", None, "on Telegram", {"quote": "direct"}
    )
    opened.add_relation(
        syrskyi.id or 0, reported.id or 0, "attributed_to", None, None, {"quote": "indirect"}
    )
    yield opened
    opened.close()


def links_back(path: Path, tmp_path: Path) -> list[tuple[str, str, str | None, dict[str, object]]]:
    """Import an export into a new project: each link's two texts, note and attributes."""
    with Project.open(tmp_path / "back.factmark") as back:
        report = import_file(back, path, create_labels=True)
        assert not report.errors, report.errors
        (document,) = back.documents()
        spans = {s.id: TEXT[s.start : s.end] for s in back.spans(document.id or 0)}
        return sorted(
            (spans[r.head_span_id], spans[r.child_span_id], r.note, r.attrs)
            for r in back.relations(document.id or 0)
        )


EXPECTED_BACK = [
    ("Prigozhin", '"Wagner lost 500 men near Bakhmut 😱."', "on Telegram", {"quote": "direct"}),
    ("Syrskyi", "the town was still held", None, {"quote": "indirect"}),
]


def test_jsonl_carries_each_links_note_and_attributes_and_reads_them_back(
    project: Project, tmp_path: Path
) -> None:
    export(project, "jsonl", tmp_path / "out.jsonl", ALL)
    (record,) = [orjson.loads(line) for line in (tmp_path / "out.jsonl").read_bytes().splitlines()]
    assert record["relations"] == [
        {"head": 1, "child": 2, "label": "attributed_to", "note": "on Telegram",
         "attrs": {"quote": "direct"}},
        {"head": 3, "child": 4, "label": "attributed_to", "note": None,
         "attrs": {"quote": "indirect"}},
    ]  # fmt: skip
    assert links_back(tmp_path / "out.jsonl", tmp_path) == EXPECTED_BACK
    card = (tmp_path / "README.md").read_text(encoding="utf-8")
    for line in (
        "| `attributed_to` links, `quote: direct` | 1 |",
        "| `attributed_to` links, `quote: indirect` | 1 |",
        "| `attributed_to` links, `quote: mixed` | 0 |",
        "| `attributed_to` links, no `quote` marked | 0 |",
    ):
        assert line in card


def test_label_studio_relation_results_carry_them_in_meta(project: Project, tmp_path: Path) -> None:
    export(project, "labelstudio", tmp_path / "tasks.json", ALL)
    (task,) = json.loads((tmp_path / "tasks.json").read_text(encoding="utf-8"))
    links = [r for r in task["annotations"][0]["result"] if r["type"] == "relation"]
    assert links == [
        {"type": "relation", "from_id": "s1", "to_id": "s2", "direction": "right",
         "labels": ["attributed_to"], "meta": {"text": ["on Telegram"],
                                               "attrs": {"quote": "direct"}}},
        {"type": "relation", "from_id": "s3", "to_id": "s4", "direction": "right",
         "labels": ["attributed_to"], "meta": {"attrs": {"quote": "indirect"}}},
    ]  # fmt: skip
    assert links_back(tmp_path / "tasks.json", tmp_path) == EXPECTED_BACK


def test_brat_writes_a_links_note_on_its_r_id_and_says_the_quote_is_left_out(
    project: Project, tmp_path: Path
) -> None:
    result = export(project, "brat", tmp_path / "brat", ALL)
    (ann,) = (tmp_path / "brat").glob("*.ann")
    assert ann.read_text(encoding="utf-8") == (
        "T1\tsource 0 9\tPrigozhin\n"
        'T2\tclaim 16 53\t"Wagner lost 500 men near Bakhmut 😱."\n'
        "T3\tsource 54 61\tSyrskyi\n"
        "T4\tclaim 67 90\tthe town was still held\n"
        "R1\tattributed_to Arg1:T1 Arg2:T2\n"
        "R2\tattributed_to Arg1:T3 Arg2:T4\n"
        "#1\tAnnotatorNotes R1\ton Telegram\n"
    )
    assert any(
        "link attributes left out (`quote`)" in n and n.endswith(": 2") for n in result.notes
    )
    back = links_back(ann, tmp_path)
    assert back == [(h, c, note, {}) for h, c, note, _ in EXPECTED_BACK]


def test_xmi_link_features_as_dkpro_cassis_reads_them(project: Project, tmp_path: Path) -> None:
    from cassis import load_cas_from_xmi, load_typesystem

    export(project, "xmi", tmp_path / "corpus.zip", ALL)
    with zipfile.ZipFile(tmp_path / "corpus.zip") as archive:
        typesystem = load_typesystem(archive.read("TypeSystem.xml").decode("utf-8"))
        (name,) = [n for n in archive.namelist() if n.endswith(".xmi")]
        cas = load_cas_from_xmi(archive.read(name).decode("utf-8"), typesystem=typesystem)
    link_type = typesystem.get_type("webanno.custom.FactmarkLink")
    quote = link_type.get_feature("quote")
    assert quote.description == "Factmark attribute: quote"
    found = sorted(
        (link.Governor.get_covered_text(), link.label, link.note, link.quote)
        for link in cas.select("webanno.custom.FactmarkLink")
    )
    assert found == [
        ("Prigozhin", "attributed_to", "on Telegram", "direct"),
        ("Syrskyi", "attributed_to", None, "indirect"),
    ]
    assert links_back(tmp_path / "corpus.zip", tmp_path) == EXPECTED_BACK


def test_doccano_relations_carry_them_beside_doccanos_own_keys(
    project: Project, tmp_path: Path
) -> None:
    export(project, "doccano", tmp_path / "doccano.jsonl", ALL)
    (line,) = (tmp_path / "doccano.jsonl").read_bytes().splitlines()
    assert orjson.loads(line)["relations"] == [
        {"id": 1, "from_id": 1, "to_id": 2, "type": "attributed_to", "note": "on Telegram",
         "attrs": {"quote": "direct"}},
        {"id": 2, "from_id": 3, "to_id": 4, "type": "attributed_to",
         "attrs": {"quote": "indirect"}},
    ]  # fmt: skip
    assert links_back(tmp_path / "doccano.jsonl", tmp_path) == EXPECTED_BACK


def test_the_attribution_export_gives_each_lines_quote(project: Project, tmp_path: Path) -> None:
    pytest.importorskip("spacy")
    result = export(project, "attribution", tmp_path / "a.jsonl", ALL)
    lines = [orjson.loads(x) for x in (tmp_path / "a.jsonl").read_bytes().splitlines()]
    assert [(x["source"]["text"], x["quote"]) for x in lines] == [
        ("Prigozhin", "direct"),
        ("Syrskyi", "indirect"),
    ]
    assert any("2 lines with a `quote`" in note for note in result.notes)
