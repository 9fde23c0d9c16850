"""``factmark export -o -``: single-file formats on standard output (nothing named ``-``,
no dataset card, every report line on stderr); folder, binary and zip formats, splits and
per-label files refused in one line, writing nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.cli.test_cli import factmark
from tests.core.doccano_oracle import read_sequence_labelling


@pytest.fixture
def project_file(tmp_path: Path, corpus: Path) -> Path:
    path = tmp_path / "p.factmark"
    done = factmark("import", path, corpus / "annotated.jsonl")
    assert done.returncode == 0, done.stderr
    return path


def source_spans(corpus: Path) -> dict[str, list[tuple[int, int, str]]]:
    """From the input file itself: each text's spans."""
    records = [
        json.loads(line) for line in (corpus / "annotated.jsonl").read_text("utf-8").splitlines()
    ]
    return {
        r["text"]: sorted((s["start"], s["end"], s["label"]) for s in r["spans"]) for r in records
    }


def run_in(folder: Path, *args: str | Path):  # type: ignore[no-untyped-def]
    """Run factmark with ``folder`` as the working directory (where a file ``-`` would go)."""
    import os

    before = os.getcwd()
    os.chdir(folder)
    try:
        return factmark(*args)
    finally:
        os.chdir(before)


def assert_nothing_written(folder: Path, project_file: Path) -> None:
    assert not (folder / "-").exists()
    assert not list(folder.glob("README*.md"))
    assert not [p for p in folder.iterdir() if not p.name.startswith(project_file.name)]


def test_jsonl_to_stdout(project_file: Path, corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "cwd"
    out.mkdir()
    done = run_in(out, "export", project_file, "-o", "-", "--all")

    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert {
        r["text"]: sorted((s["start"], s["end"], s["label"]) for s in r["spans"]) for r in records
    } == source_spans(corpus)
    for record in records:
        for span in record["spans"]:
            assert record["text"][span["start"] : span["end"]] == span["text"]
    assert (
        done.stderr.splitlines()[0] == "standard output: exported 3 documents, 16 spans and 1 link"
    )
    assert "exported" not in done.stdout and "card" not in done.stderr
    assert list(out.iterdir()) == []


def test_doccano_to_stdout_reads_in_doccano(
    project_file: Path, corpus: Path, tmp_path: Path
) -> None:
    done = run_in(
        tmp_path,
        "export",
        project_file,
        "-o",
        "-",
        "--all",
        "--format",
        "doccano",
        "--label",
        "number",
    )

    assert done.returncode == 0, done.stderr
    saved = tmp_path / "piped.jsonl"  # what `> piped.jsonl` would have made
    saved.write_text(done.stdout, encoding="utf-8")
    read = read_sequence_labelling(saved)
    assert read.errors == []
    want = {t: [s for s in spans if s[2] == "number"] for t, spans in source_spans(corpus).items()}
    assert {e.text: sorted(e.spans) for e in read.examples} == want
    saved.unlink()
    assert_nothing_written(tmp_path, project_file)


def test_labelstudio_to_stdout_says_the_config_was_not_written(
    project_file: Path, tmp_path: Path
) -> None:
    done = run_in(tmp_path, "export", project_file, "-o", "-", "--all", "--format", "labelstudio")

    assert done.returncode == 0, done.stderr
    tasks = json.loads(done.stdout)
    assert len(tasks) == 3 and all(task["data"]["text"] for task in tasks)
    assert "note: not written to standard output: corpus.labeling-config.xml" in done.stderr
    assert_nothing_written(tmp_path, project_file)


def test_conll_to_stdout(project_file: Path, tmp_path: Path) -> None:
    done = run_in(tmp_path, "export", project_file, "-o", "-", "--all", "--format", "conll")

    assert done.returncode == 0, done.stderr
    rows = [line.split(" ") for line in done.stdout.splitlines() if line]
    assert rows and all(len(row) == 2 for row in rows)
    assert {tag[:2] for _, tag in rows} <= {"O", "B-", "I-"}
    assert ["Officials", "B-source"] in rows and ["Abuja", "I-source"] in rows
    assert_nothing_written(tmp_path, project_file)


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (
            ["--format", "brat"],
            "-o -: the brat format writes a folder, not text for standard output; name a folder",
        ),
        (
            ["--format", "spacy"],
            "-o -: the spacy format writes a folder of binary files, not text for standard "
            "output; name a folder",
        ),
        (
            ["--format", "xmi"],
            "-o -: the xmi format writes a zip file, not text for standard output; name a file",
        ),
        (
            ["--split", "train=0.5,dev=0.5"],
            "-o -: a split writes one output per part; name a file, not standard output",
        ),
        (
            ["--format", "conll", "--nested", "per-label"],
            "-o -: --nested per-label writes one file per label; name a file",
        ),
    ],
)
def test_refused_in_one_line_writing_nothing(
    project_file: Path, tmp_path: Path, args: list[str], says: str
) -> None:
    done = run_in(tmp_path, "export", project_file, "-o", "-", "--all", *args)

    assert done.returncode == 2
    (line,) = done.stderr.splitlines()
    assert line.startswith(f"factmark: error: {says}")
    assert done.stdout == ""
    assert_nothing_written(tmp_path, project_file)


def test_help_says_where_dash_goes() -> None:
    shown = factmark("export", "--help").stdout
    assert (
        "'-' writes jsonl, doccano, labelstudio, conll, attribution, sentences or claimreview "
        "to standard output" in " ".join(shown.split())
    )
    assert "without a dataset card" in " ".join(shown.split())
