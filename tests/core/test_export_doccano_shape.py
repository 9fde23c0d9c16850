"""The doccano export read the way doccano 1.8.4's import reads it (doccano_oracle.py):
the plain sequence-labelling shape whenever the exported documents have no relation (a
``--label`` export that leaves out an end of every relation included), the relation shape
only when they have one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
from tests.cli.test_cli import factmark
from tests.core.doccano_oracle import read_relation_extraction, read_sequence_labelling
from tests.core.test_export_doccano_labelstudio import build_corpus, truth

from factmark.core.exporting import export
from factmark.core.exporting.base import Selection
from factmark.core.project import Project

ALL = Selection(frozenset())


@pytest.fixture
def corpus_project(project: Project, corpus: Path) -> Project:
    """The shared corpus with relations (source -> claim, source -> location)."""
    build_corpus(project, corpus)
    return project


def stored(project: Project, labels: set[str]) -> dict[str, tuple[str, list[Any]]]:
    """Per text: the spans with these labels, (start, end, label), as the project holds them."""
    return {
        doc["text"]: (
            doc["title"],
            sorted((s[0], s[1], s[2]) for s in doc["spans"] if s[2] in labels),
        )
        for doc in truth(project).values()
    }


def test_label_export_without_relations_is_read_by_a_sequence_labelling_project(
    corpus_project: Project, tmp_path: Path
) -> None:
    # The project has relations, but none between numbers and locations.
    out = tmp_path / "doccano.jsonl"
    result = export(
        corpus_project, "doccano", out, Selection(frozenset(), frozenset({"number", "location"}))
    )

    read = read_sequence_labelling(out)
    assert read.errors == []
    want = stored(corpus_project, {"number", "location"})
    got = {e.text: (e.meta["title"], sorted(e.spans)) for e in read.examples}
    assert got == want
    assert sum(len(spans) for _, spans in got.values()) == result.spans > 0
    assert not any("JSONL(Relation)" in note for note in result.notes)


def test_export_with_relations_is_read_by_a_relation_project(
    corpus_project: Project, tmp_path: Path
) -> None:
    out = tmp_path / "doccano.jsonl"
    result = export(
        corpus_project, "doccano", out, Selection(frozenset(), frozenset({"source", "location"}))
    )

    read = read_relation_extraction(out)
    assert read.errors == []
    assert {e.text: (e.meta["title"], sorted(e.spans)) for e in read.examples} == stored(
        corpus_project, {"source", "location"}
    )
    relations = sorted(
        (e.text[h[0] : h[1]], e.text[c[0] : c[1]], kind)
        for e in read.examples
        for h, c, kind in e.relations
    )
    assert relations == [("\U00020bb7野家", "北京", "part_of")]
    assert any("JSONL(Relation)" in note for note in result.notes)
    # ...and that shape is why it must not be used without relations: a plain
    # sequence-labelling project finds no `label` column in it and stores no span.
    plain = read_sequence_labelling(out)
    assert plain.errors == ["Column label not found in the file"]
    assert all(e.spans == [] for e in plain.examples)


def test_overlapping_spans_need_doccano_allow_overlapping(
    corpus_project: Project, tmp_path: Path
) -> None:
    out = tmp_path / "doccano.jsonl"
    result = export(
        corpus_project, "doccano", out, Selection(frozenset(), frozenset({"claim", "number"}))
    )
    assert any("Allow overlapping spans" in note for note in result.notes)
    kept = read_sequence_labelling(out, allow_overlapping=False)
    dropped = result.spans - sum(len(e.spans) for e in kept.examples)
    assert dropped > 0  # what the note warns about: numbers inside claims
    whole = read_sequence_labelling(out, allow_overlapping=True)
    assert sum(len(e.spans) for e in whole.examples) == result.spans


def test_cli_label_export_is_plain_sequence_labelling(corpus: Path, tmp_path: Path) -> None:
    project_file = tmp_path / "p.factmark"
    imported = factmark("import", project_file, corpus / "annotated.jsonl")
    assert imported.returncode == 0, imported.stderr
    out = tmp_path / "numbers.jsonl"

    done = factmark(
        "export", project_file, "-o", out, "--format", "doccano", "--all", "--label", "number"
    )

    assert done.returncode == 0, done.stderr
    lines = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    assert all("label" in line and "entities" not in line for line in lines)
    read = read_sequence_labelling(out)
    assert read.errors == []
    source = [orjson.loads(line) for line in (corpus / "annotated.jsonl").read_bytes().splitlines()]
    want = {
        doc["text"]: sorted(
            (s["start"], s["end"], s["label"]) for s in doc["spans"] if s["label"] == "number"
        )
        for doc in source
    }
    assert {e.text: sorted(e.spans) for e in read.examples} == want
