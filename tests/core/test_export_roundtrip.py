"""JSONL export: span texts, the import -> export -> import round trip, filters, atomic files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

import factmark.core.exporting.jsonl as jsonl_writer
from factmark.core import reading
from factmark.core.exporting import export
from factmark.core.exporting.base import Selection
from factmark.core.importing import import_file
from factmark.core.incoming import IncomingDocument, IncomingSpan
from factmark.core.model import ValidationError
from factmark.core.project import Project

ALL = Selection(frozenset())

# doccano.jsonl has no span texts: these are what its offsets point at, read by a person.
DOCCANO_SPAN_TEXTS = [
    ("240", "number"),
    ("الموصل", "location"),
    ("نينوى", "location"),
    ("Marseille", "location"),
]


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [orjson.loads(line) for line in path.read_bytes().splitlines() if line.strip()]


def import_corpus(project: Project, corpus: Path) -> None:
    for name in ("annotated.jsonl", "doccano.jsonl"):
        report = import_file(project, corpus / name)
        assert not report.errors, report.lines()


def test_export_span_texts_match_document_and_source(
    project: Project, corpus: Path, tmp_path: Path
) -> None:
    import_corpus(project, corpus)
    out = tmp_path / "export.jsonl"

    result = export(project, "jsonl", out, ALL)

    records = read_jsonl(out)
    assert (result.documents, len(records)) == (5, 5)
    assert result.spans == sum(len(r["spans"]) for r in records) == 7 + 5 + 4 + 3 + 1
    for record in records:
        for span in record["spans"]:
            assert span["text"] == record["text"][span["start"] : span["end"]]

    # Every span text equals what the source file says (annotated.jsonl carries it).
    sources = read_jsonl(corpus / "annotated.jsonl")
    exported = {r["text"]: r for r in records}
    for source in sources:
        record = exported[source["text"]]
        assert record["status"] == source["status"]
        assert record["title"] == source["title"]
        assert record["meta"]["source_id"] == source["id"]
        want = sorted((s["start"], s["end"], s["label"], s["text"]) for s in source["spans"])
        got = sorted((s["start"], s["end"], s["label"], s["text"]) for s in record["spans"])
        assert got == want
    doccano = [(s["text"], s["label"]) for r in records[3:] for s in r["spans"]]
    assert doccano == DOCCANO_SPAN_TEXTS


def test_relation_survives_export(project: Project, corpus: Path, tmp_path: Path) -> None:
    import_corpus(project, corpus)
    out = tmp_path / "export.jsonl"
    export(project, "jsonl", out, ALL)

    lagos = next(r for r in read_jsonl(out) if r["meta"].get("source_id") == "emoji-lagos")
    by_id = {s["id"]: s for s in lagos["spans"]}
    assert [
        (by_id[r["head"]]["text"], by_id[r["child"]]["text"], r["label"])
        for r in lagos["relations"]
    ] == [
        (
            '"Lagos Water Board"',
            "A viral post claims that 70% of the water in Lagos is unsafe to drink",
            "attributed_to",
        )
    ]


def test_export_import_export_is_byte_identical(corpus: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    with Project.open(tmp_path / "a.factmark") as project:
        import_corpus(project, corpus)
        export(project, "jsonl", first, ALL)
    with Project.open(tmp_path / "b.factmark") as fresh:
        report = import_file(fresh, first)
        assert not report.errors, report.lines()
        assert (report.documents, report.spans) == (5, 20)
        export(fresh, "jsonl", second, ALL)
        lagos = next(d for d in fresh.documents() if d.meta.get("source_id") == "emoji-lagos")
        assert len(fresh.relations(lagos.id or 0)) == 1

    assert first.read_bytes() == second.read_bytes()


def test_annotator_note_attrs_and_nested_spans_round_trip(project: Project, tmp_path: Path) -> None:
    text = "🚨 Officials in Abuja said 70% of Lagos water is safe.\n"
    document = project.add_document(_incoming(text))
    assert document is not None
    doc_id = document[0]
    outer = project.add_span(doc_id, 2, 20, "source", annotator="amina", note="official")
    inner = project.add_span(doc_id, 15, 20, "location", annotator="olena", attrs={"geo": [1, 2]})
    same_range = project.add_span(doc_id, 15, 20, "location", annotator="amina")
    claim = project.add_span(doc_id, 26, len(text) - 2, "claim")
    project.add_relation(outer.id or 0, claim.id or 0, "attributed_to")
    project.add_relation(inner.id or 0, outer.id or 0, "part_of")
    assert same_range.id
    first, second = tmp_path / "1.jsonl", tmp_path / "2.jsonl"

    export(project, "jsonl", first, ALL)
    with Project.open(tmp_path / "copy.factmark") as copy:
        import_file(copy, first)
        export(copy, "jsonl", second, ALL)
        copy_doc = copy.documents()[0].id or 0
        assert [
            (s.start, s.end, s.label, s.annotator, s.note, s.attrs) for s in copy.spans(copy_doc)
        ] == [
            (s.start, s.end, s.label, s.annotator, s.note, s.attrs) for s in project.spans(doc_id)
        ]

    assert first.read_bytes() == second.read_bytes()
    (record,) = read_jsonl(first)
    assert [s["text"] for s in record["spans"]] == [
        "Officials in Abuja",
        "Abuja",
        "Abuja",
        "70% of Lagos water is safe",
    ]


def _incoming(text: str) -> IncomingDocument:
    return IncomingDocument(text, title="Abuja")


# -- filters ----------------------------------------------------------------------------


def test_default_selection_exports_only_done(
    project: Project, corpus: Path, tmp_path: Path
) -> None:
    import_corpus(project, corpus)  # 2 done, 1 in progress, 2 new
    out = tmp_path / "done.jsonl"

    result = export(project, "jsonl", out)

    records = read_jsonl(out)
    assert result.documents == 2
    assert {r["status"] for r in records} == {"done"}
    assert {r["meta"]["source_id"] for r in records} == {"emoji-lagos", "uk-kharkiv"}


def test_status_and_label_filters(project: Project, corpus: Path, tmp_path: Path) -> None:
    import_corpus(project, corpus)
    out = tmp_path / "numbers.jsonl"

    export(
        project, "jsonl", out, Selection(frozenset({"done", "in_progress"}), frozenset({"number"}))
    )

    records = read_jsonl(out)
    assert len(records) == 3
    assert {s["label"] for r in records for s in r["spans"]} == {"number"}
    assert sorted(s["text"] for r in records for s in r["spans"]) == sorted(
        ["70%", "15,000", "12", "9", "300"]
    )
    for record in records:
        assert [s["id"] for s in record["spans"]] == list(range(1, len(record["spans"]) + 1))
        # The attributed_to relation's spans are filtered out, so the relation is too.
        assert record["relations"] == []


def test_annotator_filter(project: Project, tmp_path: Path) -> None:
    document = project.add_document(_incoming("Kyiv and Odesa and Lviv.\n"))
    assert document is not None
    doc_id = document[0]
    project.add_span(doc_id, 0, 4, "location", annotator="olena")
    project.add_span(doc_id, 9, 14, "location", annotator="amina")
    project.add_span(doc_id, 19, 23, "location")
    out = tmp_path / "olena.jsonl"

    result = export(project, "jsonl", out, Selection(frozenset(), annotators=frozenset({"olena"})))

    (record,) = read_jsonl(out)
    assert result.spans == 1
    assert [(s["text"], s["annotator"]) for s in record["spans"]] == [("Kyiv", "olena")]


@pytest.mark.parametrize("apart", [True, False], ids=["read-apart", "read-with-spans"])
def test_notes_and_attributes_stay_on_their_spans_past_skipped_documents(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, apart: bool
) -> None:
    # Export reads notes and attributes apart from the other span columns when few spans
    # have them (core.reading): each must come back on its own span, also after a
    # document the status filter skips, whichever way they are read.
    if not apart:
        monkeypatch.setattr(reading, "SPARSE_EXTRAS", 0)
    many = [IncomingSpan(i, i + 1, "location") for i in range(80)]  # make them few
    ids = []
    for text, spans in (
        ("Kyiv said so. " * 10, many),
        ("Odesa and Lviv said so.\n", []),
        ("Kharkiv said so.\n", []),
    ):
        document = project.add_document(IncomingDocument(text, title="cities", spans=spans))
        assert document is not None
        ids.append(document[0])
    skipped, second, third = ids
    project.add_span(skipped, 0, 4, "location", note="skipped note", attrs={"skip": 1})
    project.add_span(second, 0, 5, "location", annotator="olena")
    project.add_span(second, 0, 5, "location", annotator="amina", note="port city")
    project.add_span(second, 10, 14, "location", attrs={"geo": [49.8, 24.0]})
    project.add_span(third, 0, 7, "location", note="second city", attrs={"geo": [50.0, 36.2]})
    project.add_span(third, 8, 12, "source")
    for document_id in (second, third):
        project.set_status(document_id, "done")
    assert (project._sparse_span_extras() is not None) == apart  # the case this is
    out = tmp_path / "done.jsonl"

    export(project, "jsonl", out)

    assert [
        [(s["text"], s["annotator"], s["note"], s["attrs"]) for s in r["spans"]]
        for r in read_jsonl(out)
    ] == [
        [
            ("Odesa", "olena", None, {}),  # same range and label: in the order made
            ("Odesa", "amina", "port city", {}),
            ("Lviv", None, None, {"geo": [49.8, 24.0]}),
        ],
        [("Kharkiv", None, "second city", {"geo": [50.0, 36.2]}), ("said", None, None, {})],
    ]


def test_unknown_filter_values_are_refused(project: Project, tmp_path: Path) -> None:
    out = tmp_path / "x.jsonl"
    with pytest.raises(ValidationError, match="villain"):
        export(project, "jsonl", out, Selection(labels=frozenset({"villain"})))
    with pytest.raises(ValidationError, match="finished"):
        export(project, "jsonl", out, Selection(frozenset({"finished"})))
    with pytest.raises(ValidationError, match="unknown export format"):
        export(project, "csv", out)
    assert not out.exists()


# -- atomic files -------------------------------------------------------------------------


class FailingOrjson:
    """orjson whose dumps works once, then fails as a full disk would mid-export."""

    OPT_APPEND_NEWLINE = orjson.OPT_APPEND_NEWLINE

    def __init__(self) -> None:
        self.calls = 0

    def dumps(self, value: Any, option: int = 0) -> bytes:
        self.calls += 1
        if self.calls > 1:
            raise OSError(28, "No space left on device")
        return orjson.dumps(value, option=option)


@pytest.mark.parametrize("existing", [None, b"yesterday's export\n"])
def test_failed_export_leaves_no_partial_file(
    project: Project,
    corpus: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    existing: bytes | None,
) -> None:
    import_corpus(project, corpus)
    folder = tmp_path / "exports"
    folder.mkdir()
    out = folder / "corpus.jsonl"
    if existing is not None:
        out.write_bytes(existing)
    failing = FailingOrjson()
    monkeypatch.setattr(jsonl_writer, "orjson", failing)

    with pytest.raises(OSError, match="No space"):
        export(project, "jsonl", out, ALL)

    assert failing.calls == 2  # the failure came after a record was written
    if existing is None:
        assert not out.exists()
    else:
        assert out.read_bytes() == existing  # the previous export is not clobbered
    assert [p.name for p in folder.iterdir()] == ([] if existing is None else ["corpus.jsonl"])


def test_an_unknown_annotator_filter_is_refused(project, tmp_path) -> None:
    from factmark.core.exporting import export
    from factmark.core.exporting.base import Selection
    from factmark.core.incoming import IncomingDocument, IncomingSpan
    from factmark.core.model import ValidationError

    project.add_document(
        IncomingDocument("Kyiv said so.", spans=[IncomingSpan(0, 4, "location", annotator="alice")])
    )
    with pytest.raises(ValidationError, match=r"no spans by 'bob'.*alice"):
        export(
            project,
            "jsonl",
            tmp_path / "x.jsonl",
            Selection(frozenset(), annotators=frozenset({"bob"})),
        )
    assert not (tmp_path / "x.jsonl").exists()


def test_exported_files_get_the_usual_permissions(project, tmp_path) -> None:
    import os
    import stat

    from factmark.core.exporting import export
    from factmark.core.exporting.base import Selection
    from factmark.core.incoming import IncomingDocument

    project.add_document(IncomingDocument("Kyiv said so."))
    old = os.umask(0o022)
    try:
        result = export(project, "jsonl", tmp_path / "out.jsonl", Selection(frozenset()))
    finally:
        os.umask(old)
    for path in result.files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o644, path


def test_a_folder_export_never_replaces_a_folder_it_did_not_make(project, tmp_path) -> None:
    from factmark.core.exporting import export
    from factmark.core.exporting.base import Selection
    from factmark.core.incoming import IncomingDocument

    project.add_document(IncomingDocument("Kyiv said so."))
    mine = tmp_path / "Documents"
    mine.mkdir()
    (mine / "thesis.odt").write_text("precious")
    with pytest.raises(ValidationError, match="other things in it"):
        export(project, "brat", mine, Selection(frozenset()))
    assert (mine / "thesis.odt").read_text() == "precious"
    out = tmp_path / "brat"
    export(project, "brat", out, Selection(frozenset()))
    export(project, "brat", out, Selection(frozenset()))  # its own earlier export: replaced
    assert (out / "annotation.conf").exists()
