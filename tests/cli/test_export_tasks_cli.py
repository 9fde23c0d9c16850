"""``factmark export --format attribution|sentences`` as a user runs it."""

from __future__ import annotations

from pathlib import Path

import orjson
from tests.cli.test_cli import factmark, read_jsonl

from factmark.core.incoming import IncomingDocument
from factmark.core.project import Project

TEXT = (
    "The mayor said 12 drones attacked the city overnight. Nobody was hurt.\n\n"
    "Officials in Abuja denied it."
)


def make_project(path: Path) -> None:
    with Project.open(path) as project:
        stored = project.add_document(IncomingDocument(TEXT, status="done"))
        assert stored is not None
        doc = stored[0]

        def span(needle: str, label: str) -> int:
            start = TEXT.index(needle)
            return project.add_span(doc, start, start + len(needle), label).id or 0

        claim = span("12 drones attacked the city overnight", "claim")
        project.add_relation(span("The mayor", "source"), claim, "attributed_to")
        span("Nobody was hurt", "claim")


def test_sentences_claimbuster_from_the_command_line(tmp_path: Path) -> None:
    make_project(tmp_path / "p.factmark")
    out = tmp_path / "corpus.jsonl"
    done = factmark(
        "export", tmp_path / "p.factmark", "--format", "sentences",
        "--sentences-scheme", "claimbuster", "-o", out,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = read_jsonl(out)
    assert [(x["Text"], x["Speaker"], x["label"]) for x in lines] == [
        ("The mayor said 12 drones attacked the city overnight.", "The mayor", "CFS"),
        ("Nobody was hurt.", "", "CFS"),
        ("Officials in Abuja denied it.", "", "NFS"),
    ]
    assert "label rule" in done.stdout
    assert "scheme: claimbuster" in (tmp_path / "README.md").read_text(encoding="utf-8")


def test_checkthat_is_the_default_and_attribution_streams(tmp_path: Path) -> None:
    make_project(tmp_path / "p.factmark")
    done = factmark("export", tmp_path / "p.factmark", "--format", "sentences", "-o", "-")
    assert done.returncode == 0, done.stderr
    assert done.stdout == (
        "Sentence_id\tText\tclass_label\n"
        "1\tThe mayor said 12 drones attacked the city overnight.\tYes\n"
        "2\tNobody was hurt.\tYes\n"
        "3\tOfficials in Abuja denied it.\tNo\n"
    )
    done = factmark("export", tmp_path / "p.factmark", "--format", "attribution", "-o", "-")
    assert done.returncode == 0, done.stderr
    lines = [orjson.loads(line) for line in done.stdout.splitlines()]
    assert [(x["source"] and x["source"]["text"], x["content"]["text"]) for x in lines] == [
        ("The mayor", "12 drones attacked the city overnight"),
        (None, "Nobody was hurt"),
    ]


def test_the_scheme_belongs_to_the_sentences_format(tmp_path: Path) -> None:
    make_project(tmp_path / "p.factmark")
    done = factmark(
        "export", tmp_path / "p.factmark", "--format", "jsonl",
        "--sentences-scheme", "claimbuster", "-o", tmp_path / "out.jsonl",
    )  # fmt: skip
    assert done.returncode == 2
    assert "--sentences-scheme applies to --format sentences only" in done.stderr
    assert not (tmp_path / "out.jsonl").exists()


def test_without_spacy_one_line_says_what_to_install(tmp_path: Path) -> None:
    make_project(tmp_path / "p.factmark")
    fake = tmp_path / "site" / "spacy"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("raise ImportError('No module named spacy')\n")
    for fmt in ("attribution", "sentences"):
        done = factmark(
            "export", tmp_path / "p.factmark", "--format", fmt, "-o", tmp_path / "out",
            env={"PYTHONPATH": str(tmp_path / "site")},
        )  # fmt: skip
        assert done.returncode == 2
        assert done.stderr.count("\n") == 1
        assert "pip install 'factmark[spacy]'" in done.stderr
        assert not (tmp_path / "out").exists()


def test_the_report_counts_the_lines_each_task_format_wrote(tmp_path: Path, corpus: Path) -> None:
    """attribution reports its lines, sentences its sentences (the header is none),
    each counted from the file written."""
    project = tmp_path / "p.factmark"
    factmark("import", project, corpus / "annotated.jsonl", corpus / "doccano.jsonl")
    for fmt, name, header in (("attribution", "a.jsonl", 0), ("sentences", "s.tsv", 1)):
        out = tmp_path / name
        done = factmark("export", project, "--all", "--format", fmt, "-o", out)
        assert done.returncode == 0, done.stderr
        lines = len(out.read_bytes().splitlines()) - header
        noun = "line" if fmt == "attribution" else "sentence"
        assert lines > 1
        assert done.stdout.splitlines()[0] == f"{out}: exported {lines} {noun}s from 5 documents"
