"""brat export -> brat import gives back the spans, labels, links, attributes and notes.

What brat cannot hold is worked out here independently of the exporter (from brat's
standoff rules) and left out of what is expected back: annotators; line breaks at a span's
edges (a fragment cannot hold one); line breaks and tabs in notes (one line each);
attributes that are neither true nor text brat's annotation.conf can list; spaces in
attribute values, which come back as ``_`` into a project defining no value they stand for
(see the test of verdicts respelled). Every exported folder is read by brat's own
parser too (brat_oracle), which must find no error.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import assume, given
from hypothesis import strategies as st
from tests.core.brat_oracle import read_configuration, read_document
from tests.core.test_export_brat_conll import add, document_with, import_corpus
from tests.core.test_properties import FAST, LABELS, RAW_TEXT, stored_form

from factmark.core.exporting import export
from factmark.core.exporting.base import Selection, iter_records
from factmark.core.importing import collect_files, import_file
from factmark.core.incoming import IncomingDocument
from factmark.core.project import Project

ALL = Selection(frozenset())
BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"  # what str.splitlines() splits at
BRAT_VALUE = re.compile(r"[^\s,|<>]+")  # annotation.conf: Value:a|b, split at , and |


def brat_keeps(span: dict[str, Any]) -> tuple[Any, ...] | None:
    """A span as it should come back, by (start, end, label, note, attrs); None if lost."""
    text = span["text"]
    lead = len(text) - len(text.lstrip(BREAKS))
    trail = len(text) - len(text.rstrip(BREAKS))
    if lead == len(text):
        return None
    note = span["note"] or ""
    note = "".join(" " if ch in BREAKS or ch == "\t" else ch for ch in note)
    attrs = {
        name: value if value is True else re.sub(r"\s", "_", value)
        for name, value in span["attrs"].items()
        if value is True
        or (isinstance(value, str) and BRAT_VALUE.fullmatch(re.sub(r"\s", "_", value)))
    }
    start, end = span["start"] + lead, span["end"] - trail
    return (start, end, span["label"], note if note.strip() else None, attrs)


def expected(project: Project) -> dict[str, tuple[list[Any], list[Any]]]:
    """By document text: sorted spans and links (head, child as span keys) brat keeps."""
    found = {}
    for record in iter_records(project, ALL):
        kept = {s["id"]: brat_keeps(s) for s in record["spans"]}
        links = [
            (kept[r["head"]][:3], kept[r["child"]][:3], r["label"])  # type: ignore[index]
            for r in record["relations"]
            if kept[r["head"]] and kept[r["child"]]
        ]
        spans = sorted((s for s in kept.values() if s), key=repr)
        found[record["text"]] = (spans, sorted(links))
    return found


def got(project: Project) -> dict[str, tuple[list[Any], list[Any]]]:
    found = {}
    for document in project.documents():
        text = project.document(document.id or 0).text
        spans = project.spans(document.id or 0)
        keys = {s.id: (s.start, s.end, s.label) for s in spans}
        assert all(s.annotator is None for s in spans)
        found[text] = (
            sorted(((s.start, s.end, s.label, s.note, s.attrs) for s in spans), key=repr),
            sorted(
                (keys[r.head_span_id], keys[r.child_span_id], r.label)
                for r in project.relations(document.id or 0)
            ),
        )
    return found


def check_with_brat(folder: Path) -> None:
    """brat's own parser reads every exported document and the configuration cleanly."""
    for ann in folder.glob("*.ann"):
        document = read_document(ann.with_suffix(".txt"), ann)
        assert document.failed_lines == [], ann.name
        # brat takes a T line whose text is only whitespace as one without text: it reads
        # the span and fills the text in, with a message, as the only complaint allowed
        blank = [t for t in document.textbounds.values() if not t[2].strip()]
        missing = [e for e in document.errors if e.startswith("Text-bound annotation missing")]
        assert len(missing) == len(blank) and len(document.errors) == len(missing), ann.name
    _, warnings = read_configuration(folder / "annotation.conf")
    assert warnings == []


def round_trip(project: Project, folder: Path, into: Path) -> Project:
    export(project, "brat", folder, ALL)
    check_with_brat(folder)
    fresh = Project.open(into)
    files, _ = collect_files([folder])
    for file in files:
        report = import_file(fresh, file, create_labels=True)
        assert not report.errors, report.lines()
    return fresh


def test_the_corpus_comes_back_from_brat(project: Project, corpus: Path, tmp_path: Path) -> None:
    """The shared corpus (\\r\\n, emoji, Arabic, CJK, combining marks) with spans across
    line breaks, a note with a line break, links, and attributes of every JSON kind."""
    import_corpus(project, corpus)
    lagos, text = document_with(project, "Lagos Water Board")
    across = add(project, lagos, text, "claim", "drink 😱.\nThe post", note="two\nlines")
    project.add_label("claim type", key="5", colour="#112233")
    typed = add(project, lagos, text, "claim type", "Lagos Water", annotator="amina")
    project.add_relation(across, typed, "спирається")  # written as "relation"
    kharkiv, text = document_with(project, "Харкова")
    add(project, kharkiv, text, "claim", "районі.\n\nПовітряні сили")  # across a blank line
    mosul, text = document_with(project, "الموصل")
    add(
        project,
        mosul,
        text,
        "claim",
        "ارتفع إلى 240 شخصا",
        attrs={
            "checked by": True,
            "certainty": "high",
            "negated": False,
            "score": 3,
            "sources": ["a", "b"],
            "comment": "two words",
        },
    )
    zh, text = document_with(project, "上海")
    add(project, zh, text, "location", text[text.index("上海") :][:2], attrs={"certainty": "low"})

    fresh = round_trip(project, tmp_path / "brat", tmp_path / "back.factmark")
    try:
        assert got(fresh) == expected(project)
        assert len(got(fresh)) == 5
        assert "claim type" in {label.name for label in fresh.labels()}
        assert "спирається" in fresh.relation_types()
    finally:
        fresh.close()
    conf = (tmp_path / "brat" / "annotation.conf").read_text(encoding="utf-8")
    # in the order first written: the Shanghai article comes before the Mosul one
    assert conf.endswith(
        "[attributes]\ncertainty\tArg:<ENTITY>, Value:low|high\nchecked_by\tArg:<ENTITY>\n"
        "comment\tArg:<ENTITY>, Value:two_words\n"
    )
    card = (tmp_path / "brat" / "README.md").read_text(encoding="utf-8")
    # false, 3, a list: "two words" is written as two_words
    assert "span attributes left out, neither true nor text" in card and "): 3" in card
    assert "comment 'two words' is written as 'two_words'" in card


def test_verdicts_holding_spaces_are_written_with_underscores_brat_reads_and_lists(
    project: Project, tmp_path: Path
) -> None:
    """brat's annotation.conf cannot list a value holding a space: such a verdict is
    written with ``_`` for each space, in the .ann file as brat's own parser reads it and
    in annotation.conf's [attributes] as brat's own configuration parser reads it."""
    text = "The mayor said 40 homes flooded. Police said no one was hurt.\nThe river rose."
    stored = project.add_document(IncomingDocument(text, title="Floods"))
    assert stored is not None
    verdicts = {
        "The mayor said 40 homes flooded.": "mostly true",
        "Police said no one was hurt.": "false",
        "The river rose.": "half\ttrue  or so",
        "40 homes": "mostly true",
    }
    for needle, verdict in verdicts.items():
        start = text.index(needle)
        project.add_span(stored[0], start, start + len(needle), "claim", attrs={"verdict": verdict})
    out = tmp_path / "brat"

    result = export(project, "brat", out, ALL)

    (ann,) = out.glob("*.ann")
    document = read_document(ann.with_suffix(".txt"), ann)
    assert document.errors == [] and document.failed_lines == []
    by_text = {
        document.textbounds[target][2]: (kind, value) for kind, target, value in document.attributes
    }
    assert by_text == {
        "The mayor said 40 homes flooded.": ("verdict", "mostly_true"),
        "Police said no one was hurt.": ("verdict", "false"),
        "The river rose.": ("verdict", "half_true__or_so"),
        "40 homes": ("verdict", "mostly_true"),
    }
    configs, warnings = read_configuration(out / "annotation.conf")
    assert warnings == []
    (verdict,) = configs["attributes"]
    assert verdict.storage_form() == "verdict"
    assert set(verdict.arguments["Value"]) == {value for _, value in by_text.values()}
    assert not any("left out" in note for note in result.notes)
    card = (out / "README.md").read_text(encoding="utf-8")
    for original, written, spans in [
        ("half\ttrue  or so", "half_true__or_so", 1),
        ("mostly true", "mostly_true", 2),
    ]:
        (note,) = [n for n in result.notes if repr(original) in n]
        assert f"is written as {written!r}" in note and note.endswith(f": {spans}")
        assert note in card


def test_a_respelled_verdict_comes_back_with_its_space_where_the_project_defines_it(
    project: Project, tmp_path: Path
) -> None:
    """A verdict 'mostly true' goes to brat as mostly_true; imported into a project whose
    claims define the value 'mostly true' it comes back with its space. Into a project
    whose verdicts hold no such value (or two values written so), it stays mostly_true
    and the report says so; a value of an attribute the project does not define stays
    as written without a word."""
    text = "The mayor said 40 homes flooded. Police said no one was hurt. It was 12."
    stored = project.add_document(IncomingDocument(text, title="Floods", status="done"))
    assert stored is not None
    verdicts = {
        "The mayor said 40 homes flooded.": {"verdict": "mostly true"},
        "Police said no one was hurt.": {"verdict": "false"},
        "It was 12.": {"verdict": "mostly true", "certainty": "rather high"},
    }
    for needle, attrs in verdicts.items():
        start = text.index(needle)
        project.add_span(stored[0], start, start + len(needle), "claim", attrs=attrs)
    folder = tmp_path / "brat"
    export(project, "brat", folder, ALL)
    (ann,) = folder.glob("*.ann")
    assert "verdict T1 mostly_true" in ann.read_text(encoding="utf-8")  # brat's spelling

    def imported(name: str, definitions: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
        with Project.open(tmp_path / f"{name}.factmark") as into:
            into.set_setting("attributes", definitions)
            report = import_file(into, ann)
            assert not report.errors, report.lines()
            (document,) = into.documents()
            spans = into.spans(document.id or 0)
            return {text[s.start : s.end]: s.attrs for s in spans}, report.lines()

    verdict = {"name": "verdict", "values": ["true", "mostly true", "false"]}
    back, lines = imported("defined", {"claim": [verdict], "source": []})
    assert back == verdicts | {"It was 12.": {"verdict": "mostly true", "certainty": "rather_high"}}
    # certainty is defined nowhere: kept as brat wrote it, as any value of an attribute
    # the project does not define (brat corpora write values with _ of their own)
    (line,) = lines
    assert line.endswith("imported 1 document, 3 spans")

    back, lines = imported("undefined", {"claim": [{"name": "verdict", "values": ["false"]}]})
    assert [a["verdict"] for a in back.values()] == ["mostly_true", "false", "mostly_true"]
    (line,) = lines
    assert (
        "verdict 'mostly_true' kept as written on 2 spans (brat files write a space in a "
        "value as '_'; the project defines no value of verdict it stands for)" in line
    )

    # a definition for another label does not say what a claim's value is; two values
    # written alike do not say which one it was
    twice = {"name": "verdict", "values": ["mostly true", "mostly\ttrue"]}
    back, lines = imported("twice", {"claim": [twice], "source": [verdict]})
    assert back["The mayor said 40 homes flooded."]["verdict"] == "mostly_true"
    assert (
        "verdict 'mostly_true' kept as written on 2 spans (brat files write a space in a "
        "value as '_'; the project defines several values it may stand for "
        "('mostly\\ttrue', 'mostly true'))" in lines[0]
    )


ATTRS = st.fixed_dictionaries(
    {},
    optional={
        "Negated": st.booleans(),
        "Certainty": st.sampled_from(["high", "low", "не_знаю", "😱", "two words", "a|b", ""]),
        "the note's kind": st.sampled_from(["x", "y"]),
    },
)
NOTES = st.one_of(st.none(), st.text(st.sampled_from("ab \n\t\u2028😱مر"), max_size=8))


@FAST
@given(raw=RAW_TEXT, data=st.data())
def test_any_text_and_spans_come_back_from_brat(raw: str, data: st.DataObject) -> None:
    text = stored_form(raw)
    assume(text.strip())
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        with Project.open(root / "a.factmark") as project:
            stored = project.add_document(IncomingDocument(text, title="t"))
            assert stored is not None
            ids = []
            for _ in range(data.draw(st.integers(0, 6), label="spans")):
                start = data.draw(st.integers(0, len(text) - 1))
                end = data.draw(st.integers(start + 1, len(text)))
                span = project.add_span(
                    stored[0],
                    start,
                    end,
                    data.draw(LABELS),
                    note=data.draw(NOTES),
                    attrs=data.draw(ATTRS),
                )
                ids.append(span.id or 0)
            for head, child in data.draw(
                st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids)), max_size=3)
                if ids
                else st.just([])
            ):
                if head != child:
                    project.add_relation(head, child, "attributed_to")
            fresh = round_trip(project, root / "brat", root / "b.factmark")
            try:
                assert got(fresh) == expected(project)
            finally:
                fresh.close()
