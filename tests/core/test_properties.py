"""Property-based tests: any text round-trips exactly; no input crashes an importer."""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import orjson
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from factmark.core.exporting import export
from factmark.core.exporting.base import Selection
from factmark.core.importing import FileReport, import_file
from factmark.core.project import Project

# The autouse fixtures only point user folders at a temporary place; reusing them
# across examples is harmless. FACTMARK_EXAMPLES=2000 runs a longer search.
FAST = settings(
    max_examples=int(os.environ.get("FACTMARK_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

TRICKY = st.sampled_from(
    [
        "\r\n",
        "\r",
        "\n",
        "\ufeff",
        "😱",
        "🇳🇬",  # two code points, one flag
        "\U00020bb7",  # astral CJK
        "e\u0301",  # letter + combining mark
        "\u0301",
        "مرحبا",
        "\u200f",  # right-to-left mark
        "שלום",
        "Харків",
        " ",
        "\t",
        "\u2028",
        "\u00a0",
    ]
)
ANY_CHAR = st.characters(exclude_categories=("Cs",), exclude_characters="\x00")
BODY = st.lists(
    st.one_of(TRICKY, st.text(ANY_CHAR, min_size=1, max_size=6)), min_size=1, max_size=25
).map("".join)
# Files and other tools' JSONL often start with a BOM (sometimes twice, after a bad copy).
RAW_TEXT = st.tuples(st.sampled_from(["", "", "\ufeff", "\ufeff\ufeff"]), BODY).map("".join)
LABELS = st.sampled_from(["claim", "source", "location", "number"])


def stored_form(raw: str) -> str:
    """The offsets rule, written out independently: leading BOMs off, CRLF/CR -> LF."""
    return raw.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def spans_over(length: int) -> st.SearchStrategy[list[tuple[int, int, str]]]:
    span = st.integers(0, length - 1).flatmap(
        lambda start: st.tuples(st.just(start), st.integers(start + 1, length), LABELS)
    )
    return st.lists(span, max_size=6)


def read_records(path: Path) -> list[dict[str, Any]]:
    return [orjson.loads(line) for line in path.read_bytes().splitlines()]


@FAST
@given(raw=RAW_TEXT, data=st.data())
def test_any_text_and_spans_round_trip_exactly(raw: str, data: st.DataObject) -> None:
    expected = stored_form(raw)
    assume(expected.strip())
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        source = root / "source.jsonl"
        source.write_bytes(orjson.dumps({"text": raw, "status": "done"}) + b"\n")
        first, second = root / "first.jsonl", root / "second.jsonl"

        with Project.open(root / "a.factmark") as project:
            report = import_file(project, source)
            assert report.documents == 1, report.lines()
            doc_id = project.documents()[0].id or 0
            text = project.document(doc_id).text
            assert text == expected
            # The same text saved as a .txt file is stored the same way: a duplicate.
            as_txt = root / "source.txt"
            as_txt.write_bytes(raw.encode("utf-8"))
            assert import_file(project, as_txt).duplicates == 1
            wanted = data.draw(spans_over(len(text)), label="spans")
            for start, end, label in wanted:
                project.add_span(doc_id, start, end, label)
            export(project, "jsonl", first, Selection(frozenset()))

        with Project.open(root / "b.factmark") as fresh:
            report = import_file(fresh, first)
            assert report.documents == 1, report.lines()
            copy_id = fresh.documents()[0].id or 0
            assert fresh.document(copy_id).text == expected
            got = sorted((s.start, s.end, s.label) for s in fresh.spans(copy_id))
            assert got == sorted(wanted)
            export(fresh, "jsonl", second, Selection(frozenset()))

        (record,) = read_records(first)
        assert record["text"] == expected
        for span in record["spans"]:
            assert span["text"] == expected[span["start"] : span["end"]]
        assert first.read_bytes() == second.read_bytes()


def check_report(report: FileReport, project: Project) -> None:
    assert isinstance(report, FileReport)
    # Imported, a duplicate, errors, or skipped with its reason (bytes that begin as a
    # dataset card's marker: hypothesis finds it among the code's constants).
    assert report.documents or report.duplicates or report.errors or report.skipped, report
    if report.skipped:
        assert report.lines() == [f"{report.path}: skipped: {report.skipped}"], report
    for line in report.lines():
        assert line.startswith(str(report.path))
    for document in project.documents():
        text = project.document(document.id or 0).text
        assert "\r" not in text and "\x00" not in text and text.strip()
        for span in project.spans(document.id or 0):
            assert 0 <= span.start < span.end <= len(text)


@FAST
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".txt", ".jsonl"]))
def test_random_bytes_give_a_report(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(data)
        with Project.open(Path(folder) / "p.factmark") as project:
            report = import_file(project, path)
            check_report(report, project)


JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(ANY_CHAR, max_size=12),
)
JSON = st.recursive(
    JSON_SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=12,
)


def mostly(valid: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Usually a valid value, sometimes any JSON at all."""
    return st.one_of(valid, valid, valid, JSON)


# Mostly well-formed, so that lines get past the first checks and one odd field has to
# be caught deep inside (offsets, labels, span ids, annotators, relation ends).
OFFSET = mostly(st.integers(0, 9))
REF = mostly(st.integers(0, 3))
TEXT = mostly(st.text(ANY_CHAR, min_size=10, max_size=30) | RAW_TEXT)
LABEL = mostly(LABELS | st.just("villain"))
SPANISH = st.fixed_dictionaries(
    {"start": OFFSET, "end": OFFSET, "label": LABEL},
    optional={
        "id": REF,
        "text": st.one_of(RAW_TEXT, JSON),
        "annotator": mostly(st.text(max_size=5)),
        "note": mostly(st.text(max_size=5)),
        "attrs": mostly(st.dictionaries(st.text(max_size=3), JSON, max_size=2)),
    },
)
ENTITYISH = st.fixed_dictionaries(
    {"id": REF, "start_offset": OFFSET, "end_offset": OFFSET, "label": LABEL}
)
RELATIONISH = st.fixed_dictionaries(
    {"head": REF, "child": REF, "label": mostly(st.just("part_of"))},
    optional={"head_span": mostly(SPANISH), "child_span": mostly(SPANISH)},
)
DOCCANO_RELATIONISH = st.fixed_dictionaries(
    {"from_id": REF, "to_id": REF, "type": mostly(st.just("attributed_to"))}
)
COMMON = {
    "title": mostly(st.text(max_size=10)),
    "id": JSON,
    "meta": mostly(st.dictionaries(st.text(max_size=3), JSON, max_size=2)),
    "status": mostly(st.sampled_from(["done", "new", "bogus"])),
    "answer": mostly(st.sampled_from(["accept", "reject"])),
    "annotator": mostly(st.text(max_size=5)),
}
DOCUMENTISH = st.one_of(
    st.fixed_dictionaries(
        {"text": TEXT, "spans": mostly(st.lists(SPANISH, max_size=3))},
        optional={**COMMON, "relations": mostly(st.lists(RELATIONISH, max_size=2))},
    ),
    st.fixed_dictionaries(
        {"text": TEXT, "entities": mostly(st.lists(ENTITYISH, max_size=3))},
        optional={**COMMON, "relations": mostly(st.lists(DOCCANO_RELATIONISH, max_size=2))},
    ),
    st.fixed_dictionaries(
        {"text": TEXT, "label": mostly(st.lists(st.lists(OFFSET | LABEL, max_size=4), max_size=3))},
        optional=COMMON,
    ),
)


@FAST
@given(records=st.lists(st.one_of(DOCUMENTISH, DOCUMENTISH, JSON), min_size=1, max_size=5))
def test_random_json_lines_never_crash(records: list[Any]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "input.jsonl"
        path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
        with Project.open(Path(folder) / "p.factmark") as project:
            report = import_file(project, path, create_labels=True)
            check_report(report, project)
            # Every line is accounted for: imported, a duplicate, or an error with its number;
            # Prodigy answers on one text are one document (each bad one its own error).
            answered = Counter(
                r["text"]
                for r in records
                if isinstance(r, dict) and "answer" in r and isinstance(r.get("text"), str)
            )
            merged = sum(n - 1 for n in answered.values())
            outcomes = report.documents + report.duplicates + len(report.errors)
            assert len(records) - merged <= outcomes <= len(records)
            assert all(line is not None for line, _ in report.errors)
