"""INCEpTION / WebAnno: WebAnno TSV3 and UIMA CAS XMI in, INCEpTION-ready XMI out.

Expected values come from outside the code under test: hand-written fixtures (see
fixtures/inception/README.md), INCEpTION's own test suite (reference.tsv next to the
reference.xmi it stands for), dkpro-cassis reading our exports, and Python slicing.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest
from cassis import Cas, TypeSystem, load_cas_from_xmi, load_typesystem
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from lxml import etree
from tests.core.xmi_oracle import cassis_xmi

from factmark.core.exporting import export
from factmark.core.exporting import xmi as xmi_export
from factmark.core.exporting.base import ExportContext, Selection, iter_records
from factmark.core.importing import import_file, webanno_tsv, xmi
from factmark.core.project import Project

FIXTURES = Path(__file__).parent / "fixtures" / "inception"
ALL = Selection(frozenset())
FAST = settings(
    max_examples=int(os.environ.get("FACTMARK_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def stored(project: Project) -> list[dict[str, Any]]:
    """Each document as a user sees it: spans by their text, relations by span texts."""
    documents = []
    for document in project.documents():
        full = project.document(document.id or 0)
        spans = project.spans(full.id or 0)
        by_id = {s.id: s for s in spans}
        documents.append(
            {
                "title": full.title,
                "text": full.text,
                "spans": sorted(
                    (
                        (full.text[s.start : s.end], s.start, s.end, s.label, s.note, str(s.attrs))
                        for s in spans
                    ),
                    key=str,
                ),
                "relations": sorted(
                    (
                        full.text[by_id[r.head_span_id].start : by_id[r.head_span_id].end],
                        full.text[by_id[r.child_span_id].start : by_id[r.child_span_id].end],
                        r.label,
                    )
                    for r in project.relations(full.id or 0)
                ),
            }
        )
    return documents


# -- WebAnno TSV 3 ------------------------------------------------------------------

CLAIMS_TEXT = (
    "Lagos 🌊 flood hit 30 homes .\nقال الوزير إن 12 مستشفى أغلقت .\n  Kharkiv: one\ntwo 🇺🇦 .\n"
)


def test_tsv_brings_every_span_onto_its_text(project: Project) -> None:
    report = import_file(project, FIXTURES / "claims.tsv", create_labels=True)

    assert report.lines() == [
        f"{FIXTURES / 'claims.tsv'}: imported 1 document, 8 spans, 2 links "
        "(not imported, layers Factmark does not read: 2 CoreferenceLink, "
        "added link types: contradicts, supports)"
    ]
    (document,) = stored(project)
    assert document["text"] == CLAIMS_TEXT  # \r\n inside a sentence stored as \n
    assert [(t, label, attrs) for t, _, _, label, _, attrs in document["spans"]] == sorted(
        [
            ("Lagos", "LOC", "{}"),
            ("🌊", "[wave]", str({"identifier": "Q\\1"})),
            ("flood hit 30 homes", "claim", str({"verdict": "false_ish|partly"})),
            ("30", "number", "{}"),
            ("الوزير", "PER", "{}"),
            ("12 مستشفى أغلقت", "claim", "{}"),
            ("one\ntwo", "quote", "{}"),
            ("🇺🇦", "LOC", "{}"),
        ]
    )
    assert document["relations"] == [
        ("flood hit 30 homes", "30", "supports"),
        ("one\ntwo", "flood hit 30 homes", "contradicts"),
    ]
    for text, start, end, *_ in document["spans"]:
        assert CLAIMS_TEXT[start:end] == text


def test_tsv_with_windows_line_ends_reads_the_same(project: Project, tmp_path: Path) -> None:
    crlf = tmp_path / "claims.tsv"
    crlf.write_bytes((FIXTURES / "claims.tsv").read_bytes().replace(b"\n", b"\r\n"))

    report = import_file(project, crlf, create_labels=True)

    assert (report.documents, report.spans, report.errors) == (1, 8, [])
    assert stored(project)[0]["text"] == CLAIMS_TEXT


def test_tsv_written_with_code_point_offsets_is_refused(
    project: Project, tmp_path: Path, snapshot: Callable[[Project], Any]
) -> None:
    # What a tool counting code points would write: "flood" after the emoji at 8-13.
    bad = tmp_path / "shifted.tsv"
    bad.write_text(
        "#FORMAT=WebAnno TSV 3.3\n#T_SP=webanno.custom.Claim|label\n\n\n"
        "#Text=Lagos 🌊 flood\n1-1\t0-5\tLagos\t_\t\n1-2\t6-7\t🌊\t_\t\n"
        "1-3\t8-13\tflood\tclaim\t\n",
        encoding="utf-8",
    )
    before = snapshot(project)

    report = import_file(project, bad, create_labels=True)

    assert report.lines() == [
        f"{bad}:7: error: token 1-2: offsets 6-7 fall outside the text or inside a character "
        "(TSV offsets count UTF-16 units)"
    ]
    assert snapshot(project) == before


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("#FORMAT=WebAnno TSV 3.1", "1: error: WebAnno TSV 3.1 is not read (3.2 and 3.3 are)"),
        ("#FORMAT=CoNLL 3.3", "1: error: not WebAnno TSV: the first line must be"),
    ],
)
def test_tsv_other_formats_are_named(
    project: Project, tmp_path: Path, header: str, message: str
) -> None:
    path = tmp_path / "old.tsv"
    path.write_text(f"{header}\n\n\n#Text=a\n1-1\t0-1\ta\t\n", encoding="utf-8")

    (line,) = import_file(project, path).lines()

    assert line.startswith(f"{path}:{message}")


def test_tsv_broken_relation_names_its_line(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "dangling.tsv"
    path.write_text(
        "#FORMAT=WebAnno TSV 3.3\n#T_SP=webanno.custom.Claim|label\n"
        "#T_RL=webanno.custom.Link|label|BT_webanno.custom.Claim\n\n\n"
        "#Text=a b\n1-1\t0-1\ta\tclaim\t_\t_\t\n1-2\t2-3\tb\tclaim\tsupports\t1-9\t\n",
        encoding="utf-8",
    )

    assert import_file(project, path).lines() == [
        f"{path}:8: error: a relation refers to token 1-9, which is not there"
    ]


SUITE = sorted((FIXTURES / "inception-suite").iterdir())


@pytest.mark.parametrize("case", SUITE, ids=[case.name for case in SUITE])
def test_tsv_reads_inception_suite_as_its_reference_cas(case: Path) -> None:
    """Each span with a width lands where INCEpTION's reference CAS has it (XMI offsets,
    UTF-16, read with lxml), and so does each relation."""
    root = etree.parse(case / "reference.xmi").getroot()
    sofa = next(e for e in root if etree.QName(e).localname == "Sofa").get("sofaString")
    expected, links = [], 0
    for element in root:
        kind = etree.QName(element).localname
        if element.get("Governor") is not None:
            links += 1
        elif kind not in ("Token", "Sentence", "DocumentMetaData") and element.get("begin"):
            begin, end = int(element.get("begin")), int(element.get("end"))
            if begin < end:
                expected.append(sofa.encode("utf-16-le")[2 * begin : 2 * end].decode("utf-16-le"))

    (item,) = webanno_tsv.read(case / "reference.tsv")

    document = item.document
    assert not isinstance(document, Exception), document
    assert document.text.removesuffix("\n") == sofa  # INCEpTION's reader ends with \n
    assert sorted(document.text[s.start : s.end] for s in document.spans) == sorted(expected)
    assert len(document.relations) == links


@given(st.text(st.characters(exclude_categories=("Cs",)), max_size=40), st.data())
@FAST
def test_utf16_offsets_become_code_points(text: str, data: st.DataObject) -> None:
    units = len(text.encode("utf-16-le")) // 2
    wanted = set(data.draw(st.lists(st.integers(0, units + 2), max_size=8)))

    found = webanno_tsv.code_points(text, wanted)

    for position in range(len(text) + 1):
        offset = len(text[:position].encode("utf-16-le")) // 2
        if offset in wanted:
            assert found[offset] == position
    assert set(found) == {o for o in wanted if o <= units and _on_boundary(text, o)}


def _on_boundary(text: str, units: int) -> bool:
    return any(len(text[:i].encode("utf-16-le")) // 2 == units for i in range(len(text) + 1))


# -- UIMA CAS XMI in ----------------------------------------------------------------

LAGOS_TEXT = "Lagos 🇳🇬: «40 😱 homes flooded», says NEMA.\nقال المحافظ"


def test_xmi_beside_its_type_system(project: Project) -> None:
    report = import_file(project, FIXTURES / "xmi" / "lagos.xmi", create_labels=True)

    assert report.lines() == [
        f"{FIXTURES / 'xmi' / 'lagos.xmi'}: imported 1 document, 5 spans, 1 link "
        "(not imported, layers Factmark does not read: 2 EventLink)"
    ]
    (document,) = stored(project)
    assert (document["title"], document["text"]) == ("Lagos flood post", LAGOS_TEXT)
    assert [(t, label, note, attrs) for t, _, _, label, note, attrs in document["spans"]] == [
        # The layer's only text feature is the project's attribute verdict: the label is
        # the layer's name, as the project writes it; the yes/no feature is an attribute.
        ("40 😱 homes flooded", "claim", None, str({"checked": True, "verdict": "misleading"})),
        ("Lagos", "LOC", None, str({"identifier": "Q8673"})),
        ("NEMA", "source", "agency & press office", "{}"),
        ("المحافظ", "source", None, "{}"),
        ("🇳🇬", "NamedEntity", None, "{}"),
    ]
    assert document["relations"] == [("40 😱 homes flooded", "NEMA", "attributed_to")]


CLAIM_TEXT = "Officials said 30 homes flooded, the BBC reported."


def claim_layers_zip(path: Path) -> None:
    """A zip as INCEpTION exports a project with a span layer Claim (one feature, verdict),
    a span layer Source (no feature) and a relation layer Attribution (one feature,
    quote), written by cassis."""
    typesystem = TypeSystem()
    claim = typesystem.create_type("webanno.custom.Claim")
    typesystem.create_feature(claim, "verdict", "uima.cas.String")
    source = typesystem.create_type("webanno.custom.Source")
    attribution = typesystem.create_type("webanno.custom.Attribution")
    typesystem.create_feature(attribution, "Governor", "webanno.custom.Claim")
    typesystem.create_feature(attribution, "Dependent", "webanno.custom.Source")
    typesystem.create_feature(attribution, "quote", "uima.cas.String")
    cas = Cas(typesystem=typesystem)
    cas.sofa_string = CLAIM_TEXT
    said = claim(begin=15, end=31, verdict="false")
    bbc = source(begin=37, end=40)
    cas.add_all([said, bbc])
    cas.add(attribution(begin=37, end=40, Governor=said, Dependent=bbc, quote="direct"))
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("claims/admin.xmi", cas.to_xmi())
        archive.writestr("TypeSystem.xml", typesystem.to_xml())


def test_xmi_feature_named_after_an_attribute_is_that_attribute(
    project: Project, tmp_path: Path
) -> None:
    path = tmp_path / "inception.zip"
    claim_layers_zip(path)
    labels_before = [label.name for label in project.labels()]

    report = import_file(project, path, create_labels=True)

    assert report.lines() == [
        f"{path}: imported 1 document, 2 spans, 1 link (added link types: Attribution)"
    ]
    assert report.added_labels == []
    assert [label.name for label in project.labels()] == labels_before
    (document,) = stored(project)
    assert document["spans"] == [
        ("30 homes flooded", 15, 31, "claim", None, str({"verdict": "false"})),
        ("BBC", 37, 40, "source", None, "{}"),
    ]
    assert document["relations"] == [("30 homes flooded", "BBC", "Attribution")]
    full = project.documents()[0]
    (link,) = project.relations(full.id or 0)
    assert link.attrs == {"quote": "direct"}


ATTRIBUTION_TSV = (
    "#FORMAT=WebAnno TSV 3.3\n"
    "#T_SP=webanno.custom.Claim|verdict\n"
    "#T_RL=webanno.custom.Attribution|quote|BT_webanno.custom.Claim\n"
    "\n\n"
    "#Text=Police said homes flooded .\n"
    "1-1\t0-6\tPolice\t*[1]\t_\t_\t\n"
    "1-2\t7-11\tsaid\t*[1]\t_\t_\t\n"
    "1-3\t12-17\thomes\tfalse[2]\tdirect\t1-1[1_2]\t\n"
    "1-4\t18-25\tflooded\tfalse[2]\t_\t_\t\n"
    "1-5\t26-27\t.\t_\t_\t_\t\n"
)


def test_tsv_feature_named_after_an_attribute_is_that_attribute(
    project: Project, tmp_path: Path
) -> None:
    """WebAnno TSV written by hand from INCEpTION's format guide: a span layer Claim whose
    only feature is verdict, a relation layer Attribution whose only feature is quote."""
    path = tmp_path / "attribution.tsv"
    path.write_text(ATTRIBUTION_TSV, encoding="utf-8")

    report = import_file(project, path, create_labels=True)

    assert report.lines() == [
        f"{path}: imported 1 document, 2 spans, 1 link (added link types: Attribution)"
    ]
    assert report.added_labels == []
    (document,) = stored(project)
    assert document["spans"] == [
        ("Police said", 0, 11, "claim", None, "{}"),
        ("homes flooded", 12, 25, "claim", None, str({"verdict": "false"})),
    ]
    assert document["relations"] == [("Police said", "homes flooded", "Attribution")]
    (link,) = project.relations(project.documents()[0].id or 0)
    assert link.attrs == {"quote": "direct"}


def inception_zip(path: Path, texts: list[str]) -> None:
    """A zip as INCEpTION's XMI export gives it, written by cassis (not by Factmark)."""
    typesystem = TypeSystem()
    entity = typesystem.create_type("de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity")
    typesystem.create_feature(entity, "value", "uima.cas.String")
    with zipfile.ZipFile(path, "w") as archive:
        for number, text in enumerate(texts):
            cas = Cas(typesystem=typesystem)
            cas.sofa_string = text
            start = text.index("Kyiv")
            cas.add(entity(begin=start, end=start + 4, value="LOC"))
            archive.writestr(f"doc{number}/admin.xmi", cas.to_xmi())
        archive.writestr("TypeSystem.xml", typesystem.to_xml())


def test_xmi_zip_imports_each_document(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "export.zip"
    inception_zip(path, ["🚀 Kyiv today", "Kyiv\r\nagain 🚀 Kyiv"])

    report = import_file(project, path, create_labels=True)

    assert report.lines() == [f"{path}: imported 2 documents, 2 spans"]
    texts = {d["text"]: d["spans"] for d in stored(project)}
    assert texts["🚀 Kyiv today"] == [("Kyiv", 2, 6, "LOC", None, "{}")]
    assert texts["Kyiv\nagain 🚀 Kyiv"] == [("Kyiv", 0, 4, "LOC", None, "{}")]


BOMB = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">'
        for n in range(1, 10)
    )
    + ']><xmi:XMI xmlns:xmi="http://www.omg.org/XMI" xmlns:cas="http:///uima/cas.ecore" '
    'xmi:version="2.0"><cas:Sofa xmi:id="1" sofaNum="1" sofaID="_InitialView" '
    'sofaString="&lol9;"/></xmi:XMI>'
)
EXTERNAL = BOMB.split("<!DOCTYPE")[0] + (
    '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><xmi:XMI '
    'xmlns:xmi="http://www.omg.org/XMI" xmlns:cas="http:///uima/cas.ecore" xmi:version="2.0">'
    '<cas:Sofa xmi:id="1" sofaNum="1" sofaID="_InitialView" sofaString="&e;"/></xmi:XMI>'
)


@pytest.mark.parametrize("content", [BOMB, EXTERNAL], ids=["billion-laughs", "external-entity"])
def test_xmi_with_entities_is_refused(
    project: Project, tmp_path: Path, content: str, snapshot: Callable[[Project], Any]
) -> None:
    (tmp_path / "TypeSystem.xml").write_bytes((FIXTURES / "xmi" / "TypeSystem.xml").read_bytes())
    path = tmp_path / "evil.xmi"
    path.write_text(content, encoding="utf-8")
    before = snapshot(project)

    assert import_file(project, path).lines() == [
        f"{path}: error: evil.xmi declares a DTD or entities (<!DOCTYPE>), which UIMA XMI never "
        "has: refused, as entities can expand to gigabytes or read other files"
    ]
    assert snapshot(project) == before


def test_zip_bomb_is_refused_before_inflating(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(xmi, "MAX_FILE", 1024 * 1024)
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("doc.xmi", b"\0" * (3 * 1024 * 1024))
        archive.writestr("TypeSystem.xml", (FIXTURES / "xmi" / "TypeSystem.xml").read_bytes())

    (line,) = import_file(project, path).lines()

    assert line.startswith(f"{path}: error: refused: 'doc.xmi' in the zip would inflate to 3.0 MB")
    assert project.documents() == []


def test_xmi_without_type_system_says_where_it_belongs(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "lagos.xmi"
    path.write_bytes((FIXTURES / "xmi" / "lagos.xmi").read_bytes())

    (line,) = import_file(project, path).lines()

    assert line == (
        f"{path}: error: no TypeSystem.xml beside it (INCEpTION's XMI export has one in the zip "
        "with the .xmi files: import the .zip, or put TypeSystem.xml in this folder)"
    )


def test_xmi_offset_inside_an_emoji_is_refused(project: Project, tmp_path: Path) -> None:
    (tmp_path / "TypeSystem.xml").write_bytes((FIXTURES / "xmi" / "TypeSystem.xml").read_bytes())
    path = tmp_path / "split.xmi"
    path.write_text(
        (FIXTURES / "xmi" / "lagos.xmi")
        .read_text(encoding="utf-8")
        .replace('begin="13" end="32"', 'begin="13" end="17"'),  # half of 😱
        encoding="utf-8",
    )

    (line,) = import_file(project, path).lines()

    assert line == (
        f"{path}: error: split.xmi: an annotation offset falls inside a character (half of an "
        "emoji's UTF-16 pair) or outside the text"
    )


# -- UIMA CAS XMI out ---------------------------------------------------------------


def read_export(path: Path) -> tuple[Any, dict[str, Any]]:
    """The zip read by dkpro-cassis alone: its type system and each member's CAS."""
    with zipfile.ZipFile(path) as archive:
        typesystem = load_typesystem(io.BytesIO(archive.read("TypeSystem.xml")))
        return typesystem, {
            name: load_cas_from_xmi(io.BytesIO(archive.read(name)), typesystem=typesystem)
            for name in archive.namelist()
            if name.endswith(".xmi")
        }


def corpus_project(project: Project, corpus: Path) -> None:
    for name in ("annotated.jsonl", "doccano.jsonl", "emoji-lagos.txt", "zh-shanghai.txt"):
        assert not import_file(project, corpus / name, create_labels=True).errors
    spans = project.spans(project.documents()[0].id or 0)
    project.update_span(spans[0].id or 0, note="checked\twith the\nministry", attrs={"kind": "x"})
    project.update_span(spans[1].id or 0, attrs={"claim type": "stat", "n": 3, "ok": True})


def test_xmi_export_lands_on_every_span_text_in_cassis(
    project: Project, corpus: Path, tmp_path: Path
) -> None:
    corpus_project(project, corpus)
    out, jsonl = tmp_path / "corpus.zip", tmp_path / "corpus.jsonl"
    result = export(project, "xmi", out, ALL)
    export(project, "jsonl", jsonl, ALL, card=False)
    records = {r["id"]: r for r in map(orjson.loads, jsonl.read_bytes().splitlines())}

    typesystem, cases = read_export(out)

    assert result.documents == len(cases) == len(records)
    span_type = typesystem.get_type("webanno.custom.Factmark")
    seen = 0
    for cas in cases.values():
        (meta,) = cas.select("de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData")
        record = records[meta.documentId]
        assert (cas.sofa_string, meta.documentTitle) == (record["text"], record["title"])
        got = sorted((a.get_covered_text(), a.label) for a in cas.select(span_type))
        assert got == sorted((s["text"], s["label"]) for s in record["spans"])
        links = cas.select("webanno.custom.FactmarkLink")
        texts = {s["id"]: s["text"] for s in record["spans"]}
        assert sorted(
            (r.Governor.get_covered_text(), r.Dependent.get_covered_text(), r.label) for r in links
        ) == sorted((texts[r["head"]], texts[r["child"]], r["label"]) for r in record["relations"])
        seen += len(got)
    assert seen == result.spans > 0
    assert any("'claim type' is the feature 'claim_type'" in note for note in result.notes)


def test_xmi_export_then_import_gives_back_the_project(
    project: Project, corpus: Path, tmp_path: Path
) -> None:
    corpus_project(project, corpus)
    out = tmp_path / "corpus.zip"
    export(project, "xmi", out, ALL)

    with Project.open(tmp_path / "copy.factmark") as copy:
        report = import_file(copy, out, create_labels=True)
        assert not report.errors and not report.notes, report.lines()
        back = stored(copy)

    original = stored(project)
    # Attribute values that are not text come back as their JSON text (the card says so).
    for document in original:
        document["spans"] = [
            (*s[:5], s[5].replace("'n': 3", "'n': '3'").replace("'ok': True", "'ok': 'true'"))
            for s in document["spans"]
        ]
    assert sorted(back, key=str) == sorted(original, key=str)


ANY_CHAR = st.characters(exclude_categories=("Cs",), exclude_characters="\x00\r")
TEXT = st.lists(
    st.one_of(
        st.text(ANY_CHAR, min_size=1, max_size=4),
        st.sampled_from(["😱", "🇳🇬", "\U00020bb7", "e\u0301", "مرحبا", "\n"]),
    ),
    min_size=1,
    max_size=12,
).map("".join)
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
VALUES = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=8)


@given(text=TEXT, data=st.data())
@FAST
def test_any_text_round_trips_through_xmi(text: str, data: st.DataObject) -> None:
    assume(text.strip() and not NOT_XML.search(text))
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        with Project.open(root / "a.factmark") as project:
            source = root / "a.txt"
            source.write_bytes(text.encode("utf-8"))
            assert import_file(project, source).documents == 1
            doc_id = project.documents()[0].id or 0
            stored_text = project.document(doc_id).text
            n = len(stored_text)
            for _ in range(data.draw(st.integers(0, 4))):
                start = data.draw(st.integers(0, n - 1))
                end = data.draw(st.integers(start + 1, n))
                span = project.add_span(doc_id, start, end, data.draw(st.sampled_from(["claim"])))
                project.update_span(
                    span.id or 0,
                    note=data.draw(VALUES) or None,
                    attrs=data.draw(st.dictionaries(st.sampled_from(["kind", "a b"]), VALUES)),
                )
            spans = project.spans(doc_id)
            if len(spans) > 1:
                project.add_relation(spans[0].id or 0, spans[-1].id or 0, "supports")
            expected = stored(project)
            export(project, "xmi", root / "out.zip", ALL)

        with Project.open(root / "b.factmark") as copy:
            report = import_file(copy, root / "out.zip", create_labels=True)
            assert not report.errors, report.lines()
            back = stored(copy)
    assert back == expected


def test_characters_xml_cannot_hold_become_spaces_and_are_counted(
    project: Project, tmp_path: Path
) -> None:
    source = tmp_path / "bell.txt"
    source.write_text("Ring \x07 the bell \ufffe now", encoding="utf-8")
    import_file(project, source)
    doc_id = project.documents()[0].id or 0
    project.add_span(doc_id, 7, 15, "claim")

    result = export(project, "xmi", tmp_path / "out.zip", ALL)

    (cas,) = read_export(tmp_path / "out.zip")[1].values()
    assert cas.sofa_string == "Ring   the bell   now"
    (span,) = cas.select("webanno.custom.Factmark")
    assert span.get_covered_text() == "the bell"
    assert any(note.endswith("no offset moves: 2") for note in result.notes)


class _Members:
    """Stands in for the export's zip: keeps what is written to it."""

    def __init__(self) -> None:
        self.written: list[tuple[str, bytes]] = []

    def writestr(self, name: str, data: bytes) -> None:
        self.written.append((name, data))

    def abandon(self) -> None:
        pass


def _writer(tmp_path: Path) -> tuple[xmi_export.XmiWriter, _Members]:
    writer = xmi_export.open_writer(tmp_path / "out.zip", ExportContext([], []))
    writer.archive.abandon()
    members = writer.archive = _Members()  # type: ignore[assignment]
    return writer, members


def test_xmi_of_every_document_is_what_cassis_writes(
    project: Project, corpus: Path, tmp_path: Path
) -> None:
    """The export writes each document's XMI as text: byte for byte what dkpro-cassis
    serialises from the same CAS (links, notes, attributes, emoji, Chinese)."""
    corpus_project(project, corpus)
    writer, members = _writer(tmp_path)
    records = list(iter_records(project, ALL))
    assert any(r["relations"] for r in records) and any(s["attrs"] for s in records[0]["spans"])
    for record in records:
        writer.add(record)
        assert members.written[-1][1] == cassis_xmi(writer, record)
    writer.discard()


EDGES_BEYOND = ["\U00010000", "\U0001f631", "\U0010ffff"]


@pytest.mark.parametrize(
    "char",
    [*"\x00\x08\t\n\x0b\x0c\r\x0e\x1f \x7f\x80\ud7ff\ue000\ufffd\ufffe\uffff", *EDGES_BEYOND],
)
def test_each_character_at_the_edges_of_what_xml_holds(char: str, tmp_path: Path) -> None:
    """A character XML cannot hold, one beside those it can, and one beyond the BMP, alone
    in a text: written (or made a space, and counted) and the span after it placed as
    dkpro-cassis does."""
    writer, members = _writer(tmp_path)
    spans = [{"id": 1, "start": 2, "end": 3, "label": "claim", "note": None, "attrs": {}}]
    record = {"id": "d1", "title": f"T{char}", "text": f"a{char}b", "spans": spans}
    writer.add(record | {"relations": []})
    assert members.written[-1][1] == cassis_xmi(writer, record | {"relations": []})
    assert writer.replaced == len(NOT_XML.findall(char))  # in the text (a title is not counted)
    writer.discard()


def test_every_span_counts_the_characters_replaced_in_its_features(tmp_path: Path) -> None:
    """Spans sharing a label and annotator share their features' text, but each counts
    what XML could not hold in them, as each counted it before they were shared."""
    writer, members = _writer(tmp_path)
    span = {"label": "a\x01b", "annotator": "x\x02y", "note": None, "attrs": {}}
    spans = [span | {"id": n, "start": n, "end": n + 1} for n in range(1, 4)]
    spans.append(span | {"id": 4, "start": 0, "end": 1, "annotator": ["ana"]})
    writer.add({"id": "d1", "title": "", "text": "Ring the bell", "spans": spans, "relations": []})
    assert (writer.replaced, writer.json_values) == (7, 1)
    assert members.written[-1][1].count(b'label="a b" annotator="x y"') == 3
    writer.discard()


LINK_VALUES = st.one_of(VALUES, st.integers(-(2**63), 2**63 - 1), st.booleans())


@given(text=TEXT, data=st.data())
@FAST
def test_xmi_of_any_text_is_what_cassis_writes(text: str, data: st.DataObject) -> None:
    n = len(text)
    spans = []
    for number in range(1, data.draw(st.integers(0, 5)) + 1):
        start = data.draw(st.integers(0, n - 1))
        spans.append(
            {
                "id": number,
                "start": start,
                "end": data.draw(st.integers(start + 1, n)),
                "label": data.draw(st.sampled_from(["claim", "a<b&\"c'"])),
                "annotator": data.draw(st.one_of(st.none(), VALUES)),
                "note": data.draw(st.one_of(st.none(), VALUES)),
                "attrs": data.draw(st.dictionaries(st.sampled_from(["kind", "a b"]), LINK_VALUES)),
            }
        )
    relations = [
        {
            "head": spans[0]["id"],
            "child": spans[-1]["id"],
            "label": data.draw(VALUES) or "about",
            "note": data.draw(st.one_of(st.none(), VALUES)),
            "attrs": data.draw(st.dictionaries(st.sampled_from(["quote"]), LINK_VALUES)),
        }
        for _ in range(data.draw(st.integers(0, 2) if spans else st.just(0)))
    ]
    record = {"id": "d1", "title": data.draw(VALUES), "text": text}
    with tempfile.TemporaryDirectory() as folder:
        writer, members = _writer(Path(folder))
        writer.add(record | {"spans": spans, "relations": relations})
        assert members.written[-1][1] == cassis_xmi(
            writer, record | {"spans": spans, "relations": relations}
        )
        writer.discard()


@given(texts=st.lists(TEXT, min_size=2, max_size=8), data=st.data())
@FAST
def test_many_documents_xmi_through_one_writer_is_what_cassis_writes(
    texts: list[str], data: st.DataObject
) -> None:
    """Documents one after another through one writer, most with spans whose labels and
    annotators were met before (the features the writer keeps and writes again, beside
    characters beyond the BMP), others with a note, an attribute, a character XML cannot
    hold or a link: each document's XMI is what dkpro-cassis writes."""
    labels, annotators = ["claim", "a<b&\"c'"], [None, "ana", "北京", "😱"]
    with tempfile.TemporaryDirectory() as folder:
        writer, members = _writer(Path(folder))
        for number, text in enumerate(texts):
            kind = data.draw(st.sampled_from(["plain", "attribute", "other"]))
            plain = kind != "other"  # a document of spans met before, or with an attribute
            n, spans = len(text), []
            for span_id in range(1, data.draw(st.integers(0, 6)) + 1):
                start = data.draw(st.integers(0, n - 1))
                spans.append(
                    {
                        "id": span_id,
                        "start": start,
                        "end": data.draw(st.integers(start + 1, n)),
                        "label": data.draw(st.sampled_from(labels + ([] if plain else ["x\x01"]))),
                        "annotator": data.draw(st.sampled_from(annotators)),
                        "note": None if plain else data.draw(st.sampled_from([None, "", "n"])),
                        "attrs": data.draw(st.sampled_from([{}, {"kind": "a"}]))
                        if kind != "plain"
                        else {},
                    }
                )
            relations = [
                {"head": 1, "child": len(spans), "label": "about", "note": None, "attrs": {}}
                for _ in range(data.draw(st.integers(0, 1)) if spans and not plain else 0)
            ]
            record = {"id": f"d{number}", "title": "", "text": text}
            record |= {"spans": spans, "relations": relations}
            writer.add(record)
            assert members.written[-1][1] == cassis_xmi(writer, record)
        writer.discard()
