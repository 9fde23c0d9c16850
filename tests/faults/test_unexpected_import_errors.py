"""No file stops an import with a traceback. A number of thousands of digits in a
WebAnno TSV or brat file (past the 4,300 digits Python turns into an int) is that line's
one-line refusal, "a number too large"; an error no reader expected is its file's one
line, its traceback in factmark.log; the files after it are imported."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from factmark.cli import main
from factmark.core import error_log, importing
from factmark.core.importing import import_file, text
from factmark.core.project import Project
from tests.cli.test_cli import factmark

FIXTURES = Path(__file__).parents[1] / "core" / "fixtures"
TSV = (FIXTURES / "inception" / "claims.tsv").read_text(encoding="utf-8")
HUGE = "9" * 5000


def tsv_with(old: str, new: str) -> tuple[str, int]:
    """claims.tsv with its one ``old`` written ``new``, and the number of that line."""
    assert TSV.count(old) == 1
    before = TSV[: TSV.index(old)]
    return TSV.replace(old, new), before.count("\n") + 1


@pytest.mark.parametrize(
    ("old", "new", "what"),
    [
        ("1-1\t0-5\t", f"1-1\t0-{HUGE}\t", "token 1-1: an offset"),
        ("\t30\tclaim[1]|", f"\t30\tclaim[{HUGE}]|", "a disambiguation id"),
        ("1-3[1_2]", f"1-3[{HUGE}_2]", "a relation's id"),
        ("1-3[1_2]", f"1-3[1_{HUGE}]", "a relation's id"),
        ("WebAnno TSV 3.3", f"WebAnno TSV 3.{HUGE}", "the version"),
    ],
)
def test_a_huge_number_in_webanno_tsv_refuses_its_line(
    project: Project, tmp_path: Path, old: str, new: str, what: str
) -> None:
    content, line = tsv_with(old, new)
    path = tmp_path / "huge.tsv"
    path.write_text(content, encoding="utf-8")

    report = import_file(project, path, create_labels=True)

    assert report.lines() == [
        f"{path}:{line}: error: {what} 999999999999… is a number too large (5,000 digits)"
    ]
    assert project.document_count() == 0


def test_a_huge_offset_in_brat_refuses_its_line_and_the_rest_imports(
    project: Project, tmp_path: Path
) -> None:
    (tmp_path / "doc.txt").write_text("Prigozhin said 500 men died.\n", encoding="utf-8")
    (tmp_path / "doc.ann").write_text(
        f"T1\tclaim 0 {HUGE}\tPrigozhin\nT2\tnumber 15 18\t500\n", encoding="utf-8"
    )

    report = import_file(project, tmp_path / "doc.ann")

    assert report.lines() == [
        f"{tmp_path / 'doc.ann'}: imported 1 document, 1 span; 1 line failed",
        f"{tmp_path / 'doc.ann'}:1: error: T1: an offset 999999999999… is a number too large "
        "(5,000 digits)",
    ]
    (document,) = project.documents()
    assert [(s.start, s.end, s.label) for s in project.spans(document.id or 0)] == [
        (15, 18, "number")
    ]


def test_the_import_command_goes_on_after_a_file_with_a_huge_number(tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "a_good.txt").write_text("The first article.\n", encoding="utf-8")
    content, line = tsv_with("1-1\t0-5\t", f"1-1\t0-{HUGE}\t")
    (folder / "b_huge.tsv").write_text(content, encoding="utf-8")
    (folder / "c_good.txt").write_text("The last article.\n", encoding="utf-8")

    result = factmark("import", tmp_path / "p.factmark", folder)

    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{folder / 'a_good.txt'}: imported 1 document, 0 spans",
        f"{folder / 'c_good.txt'}: imported 1 document, 0 spans",
    ]
    assert result.stderr.splitlines() == [
        f"{folder / 'b_huge.tsv'}:{line}: error: token 1-1: an offset 999999999999… is a "
        "number too large (5,000 digits)"
    ]


def test_a_file_a_reader_cannot_read_is_one_line_and_the_command_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def read(path: Path) -> Any:
        if path.name == "b.txt":
            raise RuntimeError("a reader bug")
        return text.read(path)

    monkeypatch.setitem(importing.READERS, ".txt", read)
    folder = tmp_path / "articles"
    folder.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (folder / name).write_text(f"The article {name}.\n", encoding="utf-8")
    project = tmp_path / "p.factmark"

    assert main(["import", str(project), str(folder)]) == 1

    out, err = capsys.readouterr()
    assert out.splitlines() == [
        f"{folder / 'a.txt'}: imported 1 document, 0 spans",
        f"{folder / 'c.txt'}: imported 1 document, 0 spans",
    ]
    assert err.splitlines() == [
        f"{folder / 'b.txt'}: error: could not be read: RuntimeError: a reader bug "
        f"(the full report is in {error_log.log_path()})"
    ]
    log = error_log.log_path().read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in log and "RuntimeError: a reader bug" in log
    with Project.open(project) as opened:
        assert sorted(d.title for d in opened.documents()) == [
            "The article a.txt.",
            "The article c.txt.",
        ]


DEEP = "[" * 300 + '"x"' + "]" * 300  # past what orjson writes (255), within what it reads
TEXT = "Prigozhin said Wagner had lost 500 men."


@pytest.mark.parametrize(
    ("shape", "tasks"),
    [
        (
            "JSON",
            [
                f'{{"id": 7, "data": {{"text": "{TEXT}"}}, "annotations": [{{"id": 1, '
                '"result": [{"type": "choices", "from_name": "topic", "to_name": "text", '
                f'"value": {{"choices": {DEEP}}}}}]}}]}}',
                '{"id": 8, "data": {"text": "A second article."}}',
            ],
        ),
        (
            "JSON_MIN",
            [
                f'{{"text": "{TEXT}", "id": 7, "topic": {DEEP}, "annotator": 1}}',
                '{"text": "A second article.", "id": 8, "annotator": 1}',
            ],
        ),
    ],
)
def test_a_label_studio_answer_nested_too_deep_refuses_its_task(
    project: Project, tmp_path: Path, shape: str, tasks: list[str]
) -> None:
    path = tmp_path / f"{shape}.json"
    path.write_text(f"[{', '.join(tasks)}]", encoding="utf-8")

    report = import_file(project, path)

    assert report.lines() == [
        f"{path}: imported 1 document, 0 spans; 1 line failed",
        f"{path}: error: task 7: the answer of 'topic' is nested more than 255 levels deep, "
        "too deep to store",
    ]
    assert [d.title for d in project.documents()] == ["A second article."]


# -- messages that say what is wrong ---------------------------------------------------


def test_two_spans_sharing_an_id_are_named_with_their_task_and_id(
    project: Project, tmp_path: Path
) -> None:
    claim = {"start": 0, "end": 9, "text": "Prigozhin", "labels": ["claim"]}
    at = TEXT.index("500")
    number = {"start": at, "end": at + 3, "text": "500", "labels": ["number"]}
    results = [
        {"id": "r1", "type": "labels", "from_name": "label", "to_name": "text", "value": value}
        for value in (claim, number)
    ]
    task = {"id": 7, "data": {"text": TEXT}, "annotations": [{"id": 1, "result": results}]}
    studio = tmp_path / "tasks.json"
    studio.write_bytes(orjson.dumps([task]))
    lines = tmp_path / "spans.jsonl"
    spans = [
        {"id": "a", "start": 0, "end": 9, "label": "claim"},
        {"id": "a", "start": at, "end": at + 3, "label": "number"},
    ]
    lines.write_bytes(orjson.dumps({"text": TEXT, "spans": spans}) + b"\n")

    assert import_file(project, studio).lines() == [
        f"{studio}: error: task 7: two labelled regions share the id 'r1'"
    ]
    assert import_file(project, lines).lines() == [f"{lines}:1: error: two spans share the id 'a'"]


def test_a_number_past_what_json_readers_hold_is_a_number_too_large(
    project: Project, tmp_path: Path
) -> None:
    huge = "1" + "0" * 10**6
    line = f'{{"text": "abc", "label": [[0, {huge}, "claim"]]}}'
    lines = tmp_path / "big.jsonl"
    lines.write_text(f'{line}\n{{"text": "A good line."}}\n', encoding="utf-8")
    task = f'[{{"id": {huge}, "data": {{"text": "abc"}}}}]'
    studio = tmp_path / "big.json"
    studio.write_text(task, encoding="utf-8")

    assert import_file(project, lines).lines() == [
        f"{lines}: imported 1 document, 0 spans; 1 line failed",
        f"{lines}:1: error: a number too large (column {line.index(huge) + 1})",
    ]
    assert import_file(project, studio).lines() == [
        f"{studio}: error: a number too large (line 1, column {task.index(huge) + 1})"
    ]


XMI = FIXTURES / "inception" / "xmi"
SOFA = next(
    line
    for line in (XMI / "lagos.xmi").read_text(encoding="utf-8").splitlines(keepends=True)
    if line.startswith("<cas:Sofa ")
)


@pytest.mark.parametrize(
    ("old", "new", "why"),
    [
        ('xmi:id="5"', 'xmi:id="4"', "xmi:id 4 is used by two elements"),
        (
            'Governor="6"',
            'Governor="999"',
            "Attribution xmi:id 9: its Governor points at xmi:id 999, which no element has",
        ),
        (
            SOFA,
            "",
            "it has no Sofa, the text its annotations point at as xmi:id 1",
        ),
        ('members="2 3', 'members="2 33 3', "its view lists xmi:id 33, which no element has"),
    ],
)
def test_an_xmi_reference_to_an_id_it_lacks_says_which(
    project: Project, tmp_path: Path, old: str, new: str, why: str
) -> None:
    source = (XMI / "lagos.xmi").read_text(encoding="utf-8")
    assert source.count(old) == 1
    (tmp_path / "TypeSystem.xml").write_bytes((XMI / "TypeSystem.xml").read_bytes())
    path = tmp_path / "doc.xmi"
    path.write_text(source.replace(old, new), encoding="utf-8")

    assert import_file(project, path).lines() == [
        f"{path}: error: doc.xmi is not readable UIMA CAS XMI ({why})"
    ]
