"""What each format carries back into Factmark, checked against the README's table.

Every format Factmark both writes and reads is exported from one project (the shared
corpus, with links, attributes, notes, annotators, statuses and titles added) and
imported into a new one; for each kind of thing the test tells whether it came back
whole. The expected answers are written by hand below and must be what the README's
"Round trips" table says, row by row: the table cannot drift from what happens.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from tests.core.test_export_brat_conll import add, document_with, import_corpus

from factmark.core.exporting import export
from factmark.core.exporting.base import Selection
from factmark.core.importing import collect_files, import_file
from factmark.core.project import Project

ALL = Selection(frozenset())
README = Path(__file__).resolve().parents[2] / "README.md"
FACETS = (
    "spans",
    "links",
    "attributes",
    "notes",
    "annotators",
    "status",
    "title",
    "link attributes",
    "link notes",
)
# format -> (output name, what comes back whole), by hand from each format's rules.
CARRIED: dict[str, tuple[str, set[str]]] = {
    "jsonl": ("out.jsonl", set(FACETS)),
    "doccano": ("out.jsonl", {"spans", "links", "title", "link attributes", "link notes"}),
    "labelstudio": ("out.json", set(FACETS)),
    "brat": ("out", {"spans", "links", "attributes", "notes", "link notes"}),
    "xmi": (
        "out.zip",
        {"spans", "links", "attributes", "notes", "annotators", "title"}
        | {"link attributes", "link notes"},
    ),
}


@pytest.fixture
def source(project: Project, corpus: Path) -> Project:
    import_corpus(project, corpus)
    lagos, text = document_with(project, "Lagos Water Board")
    claim = add(
        project,
        lagos,
        text,
        "claim",
        "Officials in Abuja said",
        annotator="amina",
        note="ask the board",
        attrs={"verdict": "false", "checkworthy": "yes"},
    )
    place = add(project, lagos, text, "location", "Abuja", annotator="amina")
    project.add_relation(place, claim, "part_of", None, "the ministry's place", {"sure": "yes"})
    project.set_status(lagos, "done")
    return project


def facts(project: Project) -> dict[str, dict[str, Any]]:
    """By document text: each facet as a comparable value."""
    found: dict[str, dict[str, Any]] = {}
    for listed in project.documents():
        document = project.document(listed.id or 0)
        spans = project.spans(listed.id or 0)
        key = {s.id: (s.start, s.end, s.label) for s in spans}
        found[document.text] = {
            "spans": sorted(key.values()),
            "links": sorted(
                (key[r.head_span_id], key[r.child_span_id], r.label)
                for r in project.relations(listed.id or 0)
            ),
            "attributes": sorted((key[s.id], sorted(s.attrs.items())) for s in spans if s.attrs),
            "notes": sorted((key[s.id], s.note) for s in spans if s.note),
            "link attributes": sorted(
                (key[r.head_span_id], key[r.child_span_id], sorted(r.attrs.items()))
                for r in project.relations(listed.id or 0)
                if r.attrs
            ),
            "link notes": sorted(
                (key[r.head_span_id], key[r.child_span_id], r.note)
                for r in project.relations(listed.id or 0)
                if r.note
            ),
            "annotators": sorted((key[s.id], s.annotator) for s in spans if s.annotator),
            "status": document.status,
            "title": document.title,
        }
    return found


def came_back(source: Project, fmt: str, tmp_path: Path) -> set[str]:
    name, _carried = CARRIED[fmt]
    output = tmp_path / name
    export(source, fmt, output, ALL, card=False)
    with Project.open(tmp_path / "back.factmark") as back:
        files, _ = collect_files([output])
        for path in files:
            report = import_file(back, path, create_labels=True)
            assert not report.errors, report.lines()
        before, after = facts(source), facts(back)
        assert set(after) == set(before)  # every document, on exactly its text
        return {f for f in FACETS if all(after[t][f] == before[t][f] for t in before)}


@pytest.mark.parametrize("fmt", sorted(CARRIED))
def test_what_comes_back_is_what_the_table_says(source: Project, fmt: str, tmp_path: Path) -> None:
    assert came_back(source, fmt, tmp_path) == CARRIED[fmt][1]


def test_the_readme_table_says_the_same() -> None:
    text = README.read_text(encoding="utf-8")
    table = text[text.index("| format | comes back |") :].split("\n\n")[0]
    rows = {}
    for line in table.splitlines()[2:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        fmt = re.sub(r"[`*]", "", cells[0]).split()[0]
        rows[fmt] = {FACETS[i] for i, cell in enumerate(cells[1:]) if cell == "yes"}
    assert rows == {fmt: carried for fmt, (_name, carried) in CARRIED.items()}
