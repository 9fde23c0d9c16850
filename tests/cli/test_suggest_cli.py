"""`factmark suggest`, run as a user runs it: suggestions stored for review, never spans."""

from __future__ import annotations

import re
from pathlib import Path

import orjson
import pytest
from tests.cli.test_cli import factmark, read_jsonl

from factmark.core.project import Project
from factmark.core.resources import data_dir

SEED = data_dir("seeds") / "bakhmut-counterattack.txt"


@pytest.fixture
def seeded(tmp_path: Path) -> Path:
    """A project holding the seed article, status new."""
    project = tmp_path / "p.factmark"
    result = factmark("import", project, SEED)
    assert result.returncode == 0, result.stderr
    return project


def test_suggest_stores_suggestions_not_spans(seeded: Path, tmp_path: Path) -> None:
    result = factmark("suggest", seeded)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    first = re.fullmatch(
        r"Bakhmut counterattack: (\d+) new suggestions, (\d+) awaiting review", lines[0]
    )
    assert first is not None, lines
    added = int(first.group(1))
    assert added == int(first.group(2)) > 20
    assert lines[-1] == f"{added} new suggestions stored for review"

    with Project.open(seeded, readonly=True) as project:
        (document,) = project.documents()
        assert len(project.suggestions(document.id or 0)) == added
        assert document.span_count == 0
        assert document.status == "new"
    out = tmp_path / "out.jsonl"
    exported = factmark("export", seeded, "-o", out, "--all", "--no-card")
    assert exported.returncode == 0, exported.stderr
    assert [len(r["spans"]) for r in read_jsonl(out)] == [0]

    again = factmark("suggest", seeded)
    assert again.returncode == 0
    assert again.stdout.splitlines()[0].endswith(f": 0 new suggestions, {added} awaiting review")


def test_json_prints_one_object_per_document(seeded: Path) -> None:
    result = factmark("suggest", seeded, "--json", "--labels", "number,location")
    assert result.returncode == 0, result.stderr
    (line,) = result.stdout.splitlines()
    record = orjson.loads(line)
    text = SEED.read_text(encoding="utf-8")
    with Project.open(seeded, readonly=True) as project:
        assert record["id"] == project.documents()[0].uid
    suggestions = record["suggestions"]
    assert {s["label"] for s in suggestions} == {"number", "location"}
    for s in suggestions:
        assert {"start", "end", "label", "text", "by"} <= s.keys()
        assert text[s["start"] : s["end"]] == s["text"]
        assert s["by"] in {"number", "location", "project"}
    found = {(s["text"], s["label"]) for s in suggestions}
    assert {("72nd", "number"), ("2 kilometers", "number"), ("Bakhmut", "location")} <= found
    assert [(s["start"], -s["end"]) for s in suggestions] == sorted(
        (s["start"], -s["end"]) for s in suggestions
    )


def test_rejected_suggestions_are_not_proposed_again(seeded: Path) -> None:
    factmark("suggest", seeded, "--labels", "number")
    with Project.open(seeded) as project:
        (document,) = project.documents()
        first = project.suggestions(document.id or 0)[0]
        project.reject_suggestion(first.id or 0)
        pending = len(project.suggestions(document.id or 0))
    result = factmark("suggest", seeded, "--labels", "number", "--json")
    (record,) = map(orjson.loads, result.stdout.splitlines())
    assert len(record["suggestions"]) == pending
    assert first.start not in {s["start"] for s in record["suggestions"]}


def test_status_picks_the_documents(seeded: Path, corpus: Path) -> None:
    assert factmark("import", seeded, corpus / "annotated.jsonl").returncode == 0
    with Project.open(seeded, readonly=True) as project:
        uids = {
            status: {d.uid for d in project.documents(status)}
            for status in ("new", "in_progress", "done")
        }
    default = factmark("suggest", seeded, "--json")  # new and in_progress: seed + zh
    assert {r["id"] for r in map(orjson.loads, default.stdout.splitlines())} == (
        uids["new"] | uids["in_progress"]
    )
    done = factmark("suggest", seeded, "--json", "--status", "done")
    assert {r["id"] for r in map(orjson.loads, done.stdout.splitlines())} == uids["done"]
    assert len(uids["done"]) == 2


def test_project_spans_are_learned(seeded: Path, corpus: Path) -> None:
    # annotated.jsonl marks '"Lagos Water Board"' as a source; a new text repeats it.
    factmark("import", seeded, corpus / "annotated.jsonl")
    other = seeded.parent / "other.txt"
    other.write_text('Again the "Lagos Water Board" spoke.\n', encoding="utf-8")
    factmark("import", seeded, other)
    result = factmark("suggest", seeded, "--json", "--labels", "source")
    records = [orjson.loads(line) for line in result.stdout.splitlines()]
    learned = [s for r in records for s in r["suggestions"] if s["text"] == '"Lagos Water Board"']
    assert learned and all(s["by"] == "project" for s in learned)


def test_usage_errors_exit_2_and_change_nothing(seeded: Path) -> None:
    before = seeded.read_bytes()
    for args in (
        ("--labels", "number,person"),
        ("--labels", ","),
        ("--status", "finished"),
        ("--status", ""),
    ):
        result = factmark("suggest", seeded, *args)
        assert result.returncode == 2, args
        assert result.stderr.startswith("factmark: error: "), result.stderr
    assert factmark("suggest").returncode == 2
    with Project.open(seeded, readonly=True) as project:
        assert project.suggestions(project.documents()[0].id or 0) == []
    assert seeded.read_bytes() == before


def test_a_missing_project_is_an_error_not_a_new_file(tmp_path: Path) -> None:
    missing = tmp_path / "missing.factmark"
    result = factmark("suggest", missing)
    assert result.returncode == 1
    assert "no such project file" in result.stderr
    assert not missing.exists()
