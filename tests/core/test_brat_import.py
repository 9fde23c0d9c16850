"""brat standoff folders coming into Factmark: every span on its exact text.

The fixtures in fixtures/brat/ were written by hand, byte for byte, in brat's standoff
format (https://brat.nlplab.org/standoff.html); brat's own parser (brat_oracle) reads the
good ones without an error. What the tests expect was worked out by hand from those bytes.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.cli.test_cli import factmark
from tests.core.brat_oracle import read_configuration, read_document
from tests.core.test_properties import FAST

from factmark.core.importing import FileReport, collect_files, import_file
from factmark.core.project import Project

BRAT = Path(__file__).parent / "fixtures" / "brat"
MIXED = BRAT / "mixed"


def stored(project: Project, needle: str) -> tuple[str, list[Any], list[tuple[str, str, str]]]:
    """The stored text holding ``needle``, its spans, and its links as (type, head, child)
    span texts."""
    for document in project.documents():
        text = project.document(document.id or 0).text
        if needle in text:
            spans = project.spans(document.id or 0)
            by_id = {s.id: text[s.start : s.end] for s in spans}
            links = [
                (r.label, by_id[r.head_span_id], by_id[r.child_span_id])
                for r in project.relations(document.id or 0)
            ]
            return text, spans, links
    raise AssertionError(f"no document holds {needle!r}")


def described(text: str, spans: list[Any]) -> list[tuple[Any, ...]]:
    return sorted((s.start, s.end, s.label, text[s.start : s.end], s.note, s.attrs) for s in spans)


def import_all(project: Project, *paths: Path, create_labels: bool = False) -> list[FileReport]:
    files, missing = collect_files(paths)
    assert not missing
    return [import_file(project, f, create_labels=create_labels) for f in files]


def test_brat_reads_the_hand_built_fixtures_without_an_error() -> None:
    for ann in sorted(MIXED.glob("*.ann")):
        document = read_document(ann.with_suffix(".txt"), ann)
        assert document.errors == [] and document.failed_lines == [], ann.name
    configs, warnings = read_configuration(MIXED / "annotation.conf")
    assert warnings == []
    assert [n.storage_form() for n in configs["attributes"]] == ["Negated", "Certainty", "Checked"]


def test_a_brat_folder_imports_every_span_on_its_text(project: Project) -> None:
    reports = import_all(project, MIXED)

    assert sorted(r.path.name for r in reports) == [
        "gapped.ann",
        "kharkiv.ann",
        "lagos.ann",
        "mosul.ann",
    ]  # each .txt comes in with its .ann, not again on its own
    assert all(not r.errors for r in reports), [r.lines() for r in reports]
    assert project.document_count() == 4

    # Emoji (one code point each; the flag two) before the spans, a span across a line break
    text, spans, links = stored(project, "Lagos")
    assert described(text, spans) == [
        (27, 30, "number", "70%", None, {}),
        (27, 55, "claim", "70% of Lagos water\nis unsafe", "check with the board",
         {"Negated": True, "Certainty": "high"}),
        (34, 39, "location", "Lagos", None, {}),
        (60, 81, "source", "The Lagos Water Board", None, {"Checked": True}),
    ]  # fmt: skip
    assert links == [("attributed_to", "70% of Lagos water\nis unsafe", "The Lagos Water Board")]

    # Right to left
    text, spans, links = stored(project, "الموصل")
    assert described(text, spans) == [
        (4, 11, "source", "مسؤولون", None, {}),
        (15, 21, "location", "الموصل", None, {}),
        (25, 55, "claim", "عدد الضحايا ارتفع إلى 240 شخصا", None, {"Certainty": "low"}),
        (47, 55, "number", "240 شخصا", None, {}),
    ]
    assert links == [("attributed_to", "عدد الضحايا ارتفع إلى 240 شخصا", "مسؤولون")]

    # \r\n in the .txt: brat counts it as two characters; stored as \n, the offsets move
    text, spans, _ = stored(project, "дронів")
    assert text == "Вночі місто атакували 12 дронів.\nПовітряні сили збили 10.\n"
    assert described(text, spans) == [
        (12, 56, "claim", "атакували 12 дронів.\nПовітряні сили збили 10", None, {}),
        (22, 31, "number", "12 дронів", None, {}),
        (33, 47, "source", "Повітряні сили", None, {}),
        (54, 56, "number", "10", None, {}),
    ]


def test_a_discontinuous_span_becomes_one_span_covering_its_gap(project: Project) -> None:
    (report,) = import_all(project, MIXED / "gapped.ann")

    text, spans, links = stored(project, "minister")
    assert described(text, spans) == [
        (0, 54, "claim", "The water is safe, the minister said, and tested daily", (
            "one claim, interrupted"), {}),
        (19, 31, "source", "the minister", None, {}),
    ]  # fmt: skip
    assert links == [("attributed_to", text[0:54], "the minister")]
    assert report.lines() == [
        f"{MIXED / 'gapped.ann'}: imported 1 document, 2 spans, 1 link (1 discontinuous span "
        "imported as one span covering the gap)"
    ]


def test_annotation_conf_types_come_in_with_create_labels(project: Project) -> None:
    import_all(project, MIXED / "lagos.ann")
    assert "person" not in {label.name for label in project.labels()}

    import_all(project, MIXED / "mosul.ann", create_labels=True)

    assert [label.name for label in project.labels()] == [
        "claim",
        "source",
        "location",
        "number",
        "person",
    ]
    kinds = project.relation_types()
    assert kinds[-1] == "quotes" and kinds.count("attributed_to") == 1


def test_a_txt_named_with_its_ann_beside_it_imports_with_its_annotations(
    project: Project,
) -> None:
    assert collect_files([MIXED / "lagos.txt", MIXED / "lagos.ann"])[0] == [MIXED / "lagos.ann"]
    (report,) = import_all(project, MIXED / "lagos.txt")
    assert report.lines() == [f"{MIXED / 'lagos.txt'}: imported 1 document, 4 spans, 1 link"]


def test_bad_lines_are_told_with_their_numbers_and_the_rest_imports(project: Project) -> None:
    (report,) = import_all(project, BRAT / "bad" / "errors.ann")

    where = BRAT / "bad" / "errors.ann"
    assert report.lines() == [
        f"{where}: imported 1 document, 3 spans, 1 link; 7 lines failed (not imported (no place "
        "in Factmark): 1 event; 1 normalisation; 1 equivalence; 1 attribute of an event or "
        "link, added link types: located_in)",
        f"{where}:2: error: T2: its text '71%' is not the text at 24 27 in errors.txt ('70%')",
        f"{where}:4: error: T4: offsets 24 999 are outside the 50 characters of errors.txt",
        f"{where}:5: error: points at T9, which is not in the file",
        f"{where}:7: error: the id T1 is used twice",
        f"{where}:11: error: points at T2, whose line could not be imported",
        f"{where}:12: error: unknown brat annotation kind 'Q1'",
        f"{where}:13: error: not a brat annotation line (an id such as T1, a tab, then the "
        "annotation): 'a line without a tab'",
    ]
    text, spans, links = stored(project, "Abuja")
    assert described(text, spans) == [
        (0, 18, "source", "Officials in Abuja", None, {}),
        (13, 18, "location", "Abuja", None, {}),
        (24, 48, "claim", "70% of the water is safe", "the claim", {}),
    ]
    assert links == [("located_in", "Abuja", "Officials in Abuja")]
    (document,) = project.documents()
    assert [r.note for r in project.relations(document.id or 0)] == ["a note on a link"]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("orphan.ann", "no orphan.txt beside it: a brat .ann file needs its text file"),
        ("latin1.ann", "latin1.txt is not UTF-8 (byte 6); brat files are UTF-8"),
    ],
)
def test_a_pair_brat_cannot_read_is_refused_whole(
    project: Project, name: str, message: str
) -> None:
    report = import_file(project, BRAT / "bad" / name)
    assert report.lines() == [f"{BRAT / 'bad' / name}: error: {message}"]
    assert project.document_count() == 0


def test_utf16_offsets_as_inception_writes_them_are_read_as_such(project: Project) -> None:
    ann = BRAT / "inception" / "market.ann"
    assert read_document(ann.with_suffix(".txt"), ann).failed_lines == [0, 1, 2, 3]  # brat

    (report,) = import_all(project, ann)

    text, spans, _ = stored(project, "market")
    assert described(text, spans) == [
        (0, 15, "claim", "Fire 🔥 in Lagos", None, {}),
        (10, 15, "location", "Lagos", None, {}),
        (19, 25, "location", "market", None, {}),
        (27, 33, "number", "3 dead", None, {}),
    ]
    assert "offsets counted in UTF-16 code units (as INCEpTION writes them)" in report.lines()[0]


def test_offsets_over_crlf_as_one_character_are_read_as_such(
    project: Project, tmp_path: Path
) -> None:
    (tmp_path / "doc.txt").write_bytes("One.\r\nTwo 😱 three.\r\n".encode())
    # offsets over "One.\nTwo 😱 three.\n", as a tool that read the text with newline
    # translation counts them
    (tmp_path / "doc.ann").write_bytes(b"T1\tnumber 5 8\tTwo\nT2\tnumber 11 16\tthree\n")

    (report,) = import_all(project, tmp_path)

    text, spans, _ = stored(project, "three")
    assert described(text, spans) == [
        (5, 8, "number", "Two", None, {}),
        (11, 16, "number", "three", None, {}),
    ]
    assert "offsets counted over \\r\\n as one character were converted" in report.lines()[0]


def test_factmark_import_takes_a_brat_folder(tmp_path: Path) -> None:
    result = factmark("import", tmp_path / "p.factmark", MIXED, BRAT / "bad" / "orphan.ann")

    assert result.returncode == 1, result.stderr
    shown = result.stdout + result.stderr
    for name in ("gapped", "kharkiv", "lagos", "mosul"):
        assert f"{MIXED / name}.ann: imported 1 document" in shown
    assert f"{BRAT / 'bad' / 'orphan.ann'}: error: no orphan.txt beside it" in shown
    assert ".txt:" not in shown


ANN_PIECES = st.sampled_from(
    ["T1", "T2", "R1", "A1", "M1", "#1", "E1", "N1", "*", "\t", " ", ";", ":", "Arg1:T1",
     "Arg2:T2", "claim", "AnnotatorNotes", "0", "3", "5", "99", "-1", "\n", "\r\n", "😱", "\ufeff"]
)  # fmt: skip


@FAST
@given(pieces=st.lists(st.one_of(ANN_PIECES, st.text(max_size=3)), max_size=40))
def test_any_ann_file_gives_a_report(pieces: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "doc.txt").write_bytes("Water 😱 is\r\nsafe.\n".encode())
        (root / "doc.ann").write_bytes("".join(pieces).encode("utf-8", "surrogatepass"))
        with Project.open(root / "p.factmark") as project:
            report = import_file(project, root / "doc.ann", create_labels=True)
            assert report.documents + report.duplicates == 1 or report.errors
            for line in report.lines():
                assert line.startswith(str(root / "doc.ann")) and "\n" not in line
            for document in project.documents():
                text = project.document(document.id or 0).text
                assert text == "Water 😱 is\nsafe.\n"
                for span in project.spans(document.id or 0):
                    assert 0 <= span.start < span.end <= len(text)
