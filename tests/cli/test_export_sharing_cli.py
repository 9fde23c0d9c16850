"""``factmark export`` with --format claimreview, --split-by and --pseudonymise, as a user
runs them: the files, the one-line refusals, and the ClaimReview file taken into another
project's archive by ``factmark archive add``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.cli.test_cli import factmark, read_jsonl
from tests.core.test_export_claimreview import FIXTURES, annotate_seed

from factmark.core.archive import archived_reviews
from factmark.core.incoming import IncomingDocument
from factmark.core.project import Project

NAMES = ("Zofia Wiśniewska-Kowalczyk", "Bartholomew Quincey")


@pytest.fixture
def seeded(tmp_path: Path) -> Path:
    path = tmp_path / "seed.factmark"
    with Project.open(path) as project:
        annotate_seed(project)
    return path


@pytest.fixture
def outlets(tmp_path: Path) -> Path:
    """Six reports: three outlets of two each; spans by two annotators."""
    path = tmp_path / "outlets.factmark"
    with Project.open(path) as project:
        for n in range(6):
            text = f"Report {n}: the mayor said {n + 3} bridges closed.\n"
            meta = {"outlet": ["Echo", "Post", "Times"][n // 2]}
            added = project.add_document(IncomingDocument(text, status="done", meta=meta))
            assert added is not None
            project.add_span(added[0], 0, 8, "claim", annotator=NAMES[n % 2])
    return path


def test_claimreview_goes_into_another_projects_archive(seeded: Path, tmp_path: Path) -> None:
    out = tmp_path / "reviews.jsonld"
    done = factmark("export", seeded, "--all", "--format", "claimreview", "-o", out)
    assert done.returncode == 0, done.stderr
    assert "note: claimreview: 6 reviews" in done.stdout
    expected = json.loads((FIXTURES / "tasks" / "bakhmut.claimreview.jsonld").read_bytes())
    assert json.loads(out.read_bytes()) == expected
    added = factmark("archive", "add", tmp_path / "other.factmark", out)
    assert added.returncode == 0, added.stderr
    with Project.open_to_read(tmp_path / "other.factmark") as other:
        back = {(r.url, r.claim, r.rating) for r in archived_reviews(other)}
    reviews = [element["item"][0] for element in expected["dataFeedElement"]]
    assert back == {
        (r["url"], r["claimReviewed"], r["reviewRating"]["alternateName"]) for r in reviews
    }


def test_claimreview_streams_to_standard_output(seeded: Path) -> None:
    done = factmark("export", seeded, "--all", "--format", "claimreview", "-o", "-")
    assert done.returncode == 0, done.stderr
    feed = json.loads(done.stdout)
    assert len(feed["dataFeedElement"]) == 6
    reviews = sum(len(element["item"]) for element in feed["dataFeedElement"])
    assert f"standard output: exported {reviews} reviews from 1 document" in done.stderr


def test_split_by_an_outlet(outlets: Path, tmp_path: Path) -> None:
    out = tmp_path / "c.jsonl"
    done = factmark(
        "export", outlets, "-o", out, "--split", "train=0.34,dev=0.33,test=0.33",
        "--split-by", "meta.outlet", "--seed", "2",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    for part in ("train", "dev", "test"):
        records = read_jsonl(tmp_path / f"c.{part}.jsonl")
        assert len(records) == 2
        assert len({r["meta"]["outlet"] for r in records}) == 1
        assert "2 documents, 2 spans and 0 links; 1 group of meta.outlet" in done.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--split-by", "meta.outlet"], "--split-by applies to --split only"),
        (
            ["--split", "train=0.5,dev=0.5", "--split-by", "outlet"],
            "--split-by takes meta.NAME, a document metadata field (e.g. meta.outlet), "
            "not 'outlet'",
        ),
    ],
)
def test_split_by_misuse_is_one_line(
    outlets: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    done = factmark("export", outlets, "-o", tmp_path / "c.jsonl", *args)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [f"factmark: error: {message}"]
    assert not list(tmp_path.glob("c*"))


def test_pseudonymised_exports_name_nobody_and_agree(outlets: Path, tmp_path: Path) -> None:
    runs = []
    for name in ("a.jsonl", "b.jsonl"):
        done = factmark("export", outlets, "-o", tmp_path / name, "--pseudonymise", "annotators")
        assert done.returncode == 0, done.stderr
        runs.append([s["annotator"] for r in read_jsonl(tmp_path / name) for s in r["spans"]])
    assert runs[0] == runs[1]
    assert len(set(runs[0])) == 2
    for name in NAMES:
        for file in tmp_path.glob("*.jsonl"):
            assert name.split()[-1].encode() not in file.read_bytes()
        assert name.split()[-1] not in (tmp_path / "README.md").read_text(encoding="utf-8")
    streamed = factmark("export", outlets, "-o", "-", "--pseudonymise", "annotators")
    records = [json.loads(line) for line in streamed.stdout.splitlines()]
    assert [s["annotator"] for r in records for s in r["spans"]] == runs[0]


def test_pseudonymise_takes_annotators_only(outlets: Path, tmp_path: Path) -> None:
    done = factmark("export", outlets, "-o", tmp_path / "a.jsonl", "--pseudonymise", "notes")
    assert done.returncode == 2
    assert "invalid choice: 'notes'" in done.stderr
    assert not (tmp_path / "a.jsonl").exists()
