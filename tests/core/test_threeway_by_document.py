"""A three-way merge reads the copy's base and tombstones a document at a time: every
document gets its own, whichever order the merge comes to it in."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from factmark.core.copies import make_copy
from factmark.core.incoming import IncomingDocument
from factmark.core.merge import MergeReport, merge_projects
from factmark.core.project import Project

TEXTS = {
    "a": "The army said 240 soldiers crossed the river.",
    "b": "Officials in Kyiv told reporters 15,000 people fled.",
    "c": "The mayor said 12 bridges were closed.",
}


def make_lead(path: Path) -> None:
    with Project.open(path) as project:
        for title, text in TEXTS.items():
            project.add_document(IncomingDocument(text, title=title))
        ids = {d.title: d.id or 0 for d in project.documents()}
        project.add_span(ids["a"], 14, 17, "number", "lead")
        project.add_span(ids["b"], 0, 9, "source", "lead")
        project.add_span(ids["b"], 33, 39, "number", "lead")
        project.add_span(ids["c"], 0, 9, "source", "lead")
        project.add_span(ids["c"], 15, 17, "number", "lead")


def spans(path: Path) -> set[tuple[str, int, int, str]]:
    with Project.open_to_read(path) as project:
        return {
            (d.title, s.start, s.end, s.label)
            for d in project.documents()
            for s in project.spans(d.id or 0)
        }


def merged_after(tmp_path: Path, *edits: str) -> tuple[Path, MergeReport]:
    """The lead's project with ana's copy merged back after ``edits`` (SQL run in the
    copy as one transaction); the lead's path and the merge's report."""
    lead, ana = tmp_path / "lead.factmark", tmp_path / "ana.factmark"
    make_lead(lead)
    with Project.open(lead) as project:
        make_copy(project, ana, "ana")
    conn = sqlite3.connect(ana)
    with conn:
        for edit in edits:
            conn.execute(edit)
    conn.close()
    with Project.open(lead) as project:
        (report,) = merge_projects(project, [ana])
    assert not report.failed, report.lines()
    return lead, report


def test_a_document_the_copy_emptied_loses_its_spans(tmp_path: Path) -> None:
    # Ana deletes every span of b (the copy then holds no span of it: the merge comes to
    # it after c) and one of c.
    lead, report = merged_after(
        tmp_path,
        "DELETE FROM spans WHERE document_id = (SELECT id FROM documents WHERE title = 'b')",
        "DELETE FROM spans WHERE start = 15",
    )
    assert report.spans_deleted == 3
    assert spans(lead) == {("a", 14, 17, "number"), ("c", 0, 9, "source")}


def test_a_copy_whose_base_is_written_otherwise_merges_the_same(tmp_path: Path) -> None:
    lead, report = merged_after(
        tmp_path,
        # The same values, spaced as another JSON writer spaces them.
        "UPDATE merge_base SET key = replace(key, ',', ', '), "
        "content = replace(content, ',', ', ') WHERE kind = 'span'",
        "DELETE FROM spans WHERE start = 33",
    )
    assert (report.spans_added, report.spans_changed, report.spans_deleted) == (0, 0, 1)
    assert spans(lead) == {
        ("a", 14, 17, "number"),
        ("b", 0, 9, "source"),
        ("c", 0, 9, "source"),
        ("c", 15, 17, "number"),
    }
