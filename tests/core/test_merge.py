"""Merging annotators' copies: side by side, idempotent, conflicts to the newest change."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from factmark.core.incoming import IncomingDocument
from factmark.core.merge import merge_projects
from factmark.core.project import Project

TEXT_A = "The army said 240 soldiers crossed the river near Bakhmut."
TEXT_B = "Officials in Kyiv told reporters 15,000 people fled."


@pytest.fixture
def base(tmp_path: Path) -> Path:
    """A handed-out project: two documents, no spans."""
    path = tmp_path / "base.factmark"
    with Project.open(path) as project:
        project.add_document(IncomingDocument(TEXT_A, title="a"))
        project.add_document(IncomingDocument(TEXT_B, title="b"))
    return path


@pytest.fixture
def copy(base: Path, tmp_path: Path) -> Callable[[str], Path]:
    """A copy of the base project for one annotator."""

    def make(name: str) -> Path:
        path = tmp_path / f"{name}.factmark"
        shutil.copy(base, path)
        return path

    return make


def doc_id(project: Project, title: str) -> int:
    return next(d.id or 0 for d in project.documents() if d.title == title)


def spans_of(path: Path) -> set[tuple[str, str | None, int, int, str, str | None]]:
    with Project.open(path, readonly=True) as project:
        return {
            (d.title, s.annotator, s.start, s.end, s.label, s.note)
            for d in project.documents()
            for s in project.spans(d.id or 0)
        }


def test_spans_of_each_annotator_are_kept_side_by_side(
    tmp_path: Path, copy: Callable[[str], Path]
) -> None:
    ana, ben = copy("ana"), copy("ben")
    with Project.open(ana) as p:
        p.add_span(doc_id(p, "a"), 0, 17, "claim", "ana")
        p.add_span(doc_id(p, "b"), 13, 17, "location", "ana")
    with Project.open(ben) as p:
        p.add_span(doc_id(p, "a"), 0, 17, "claim", "ben")  # same place, other annotator
        p.add_span(doc_id(p, "a"), 14, 17, "number", "ben")
    target = tmp_path / "merged.factmark"
    with Project.open(target) as project:
        reports = merge_projects(project, [ana, ben])
        assert project.document_count() == 2
        assert project.annotators() == ["ana", "ben"]
    assert [(r.documents_added, r.spans_added, r.failed) for r in reports] == [
        (2, 2, False),
        (0, 2, False),
    ]
    assert spans_of(target) == {
        ("a", "ana", 0, 17, "claim", None),
        ("b", "ana", 13, 17, "location", None),
        ("a", "ben", 0, 17, "claim", None),
        ("a", "ben", 14, 17, "number", None),
    }


def test_merging_again_changes_nothing(
    tmp_path: Path, copy: Callable[[str], Path], snapshot: Callable[[Project], dict]
) -> None:
    ana = copy("ana")
    with Project.open(ana) as p:
        head = p.add_span(doc_id(p, "a"), 0, 17, "claim", "ana", note="check")
        child = p.add_span(doc_id(p, "a"), 14, 17, "number", "ana")
        p.add_relation(head.id or 0, child.id or 0, "supports")
        p.add_span(doc_id(p, "b"), 0, 9, "source")  # no annotator
    target = tmp_path / "merged.factmark"
    with Project.open(target) as project:
        merge_projects(project, [ana])
        before = snapshot(project)
        reports = merge_projects(project, [ana, ana])
        assert snapshot(project) == before
    assert all(
        (r.documents_added, r.spans_added, r.relations_added, r.conflicts) == (0, 0, 0, [])
        for r in reports
    )
    assert ("b", None, 0, 9, "source", None) in spans_of(target)


def test_a_new_document_in_a_source_comes_with_its_spans(
    base: Path, copy: Callable[[str], Path]
) -> None:
    ana = copy("ana")
    with Project.open(ana) as p:
        p.add_document(
            IncomingDocument("A third article about 12 tanks.", title="c", status="done")
        )
        p.add_span(doc_id(p, "c"), 22, 24, "number", "ana")
    with Project.open(base) as project:
        [report] = merge_projects(project, [ana])
        third = project.document(doc_id(project, "c"))
        assert third.status == "done"
        assert [(s.start, s.end, s.annotator) for s in project.spans(third.id or 0)] == [
            (22, 24, "ana")
        ]
    assert (report.documents_added, report.spans_added) == (1, 1)


def test_span_conflicts_go_to_the_newest_change(base: Path, copy: Callable[[str], Path]) -> None:
    # Two copies of ana's work: the span's note was edited in both; the later edit wins.
    old, new = copy("ana-laptop"), copy("ana-desktop")
    for path, note in ((old, "first thought"), (new, "second thought")):
        with Project.open(path) as p:
            p.add_span(doc_id(p, "a"), 0, 17, "claim", "ana", note=note)
    with Project.open(base) as project:
        [first, second] = merge_projects(project, [new, old])
        [span] = project.spans(doc_id(project, "a"))
        assert span.note == "second thought"
        assert first.spans_added == 1
        assert [c.kind for c in first.conflicts] == ["status"]  # new -> in progress
        [conflict] = [c for c in second.conflicts if c.kind == "span"]
        assert conflict.kept == "target"
        assert "claim 0-17 by ana" in conflict.describe()
        assert "kept the target's newer note 'second thought'" in conflict.describe()
    with Project.open(base) as project:
        project.update_span(span.id or 0, note="reset")  # newest of all now
        [report] = merge_projects(project, [new])
        assert project.span(span.id or 0).note == "reset"
        assert [c.kept for c in report.conflicts if c.kind == "span"] == ["target"]


def test_newer_source_wins_note_attrs_and_status(
    tmp_path: Path, copy: Callable[[str], Path]
) -> None:
    old, new = copy("old"), copy("new")
    with Project.open(old) as p:
        p.add_span(doc_id(p, "a"), 0, 17, "claim", "ana")
    with Project.open(new) as p:
        p.add_span(doc_id(p, "a"), 0, 17, "claim", "ana", attrs={"checkable": "yes"})
        p.set_status(doc_id(p, "a"), "done")
    target = tmp_path / "merged.factmark"
    with Project.open(target) as project:
        [_, report] = merge_projects(project, [old, new])
        [span] = project.spans(doc_id(project, "a"))
        assert span.attrs == {"checkable": "yes"}
        assert project.document(doc_id(project, "a")).status == "done"
    assert sorted((c.kind, c.kept) for c in report.conflicts) == [
        ("span", "source"),
        ("status", "source"),
    ]
    lines = report.lines()
    assert "2 conflicts resolved (2 to the source, 0 to the target)" in lines[0]
    assert any("status: kept the source's newer done over in_progress" in x for x in lines)


def test_relations_are_merged_by_their_spans_identities(
    base: Path, copy: Callable[[str], Path]
) -> None:
    ana = copy("ana")
    with Project.open(ana) as p:
        a = doc_id(p, "a")
        p.add_span(a, 40, 45, "claim", "ana")  # shifts span ids against the target
        head = p.add_span(a, 0, 17, "claim", "ana")
        child = p.add_span(a, 14, 17, "number", "ana")
        p.add_relation(head.id or 0, child.id or 0, "supports")
    with Project.open(base) as project:
        a = doc_id(project, "a")
        project.add_span(a, 14, 17, "number", "ana")  # already there, under another id
        [report] = merge_projects(project, [ana])
        spans = {s.id: (s.start, s.end, s.label) for s in project.spans(a)}
        [relation] = project.relations(a)
        assert (spans[relation.head_span_id], spans[relation.child_span_id]) == (
            (0, 17, "claim"),
            (14, 17, "number"),
        )
        assert relation.label == "supports"
        assert len(spans) == 3
    assert (report.spans_added, report.relations_added) == (2, 1)


def test_labels_a_source_adds_come_along(base: Path, copy: Callable[[str], Path]) -> None:
    ana = copy("ana")
    with Project.open(ana) as p:
        p.add_label("quote", key="q")
        p.add_span(doc_id(p, "b"), 0, 9, "quote", "ana")
    with Project.open(base) as project:
        [report] = merge_projects(project, [ana])
        assert "quote" in [label.name for label in project.labels()]
    assert report.labels_added == ["quote"]


def test_a_bad_source_is_reported_and_the_others_merge(
    tmp_path: Path, copy: Callable[[str], Path], file_hash: Callable[[Path], str]
) -> None:
    ana = copy("ana")
    with Project.open(ana) as p:
        p.add_span(doc_id(p, "a"), 0, 17, "claim", "ana")
    junk = tmp_path / "notes.factmark"
    junk.write_text("not a project\n")
    digest = file_hash(junk)
    target = tmp_path / "merged.factmark"
    with Project.open(target) as project:
        reports = merge_projects(project, [junk, tmp_path / "missing.factmark", ana, target])
    assert [r.failed for r in reports] == [True, True, False, True]
    assert reports[0].lines() == [f"{junk}: error: not a Factmark project (not an SQLite database)"]
    assert reports[1].lines() == [f"{tmp_path / 'missing.factmark'}: error: no such project file"]
    assert "target project itself" in reports[3].lines()[0]
    assert spans_of(target) == {("a", "ana", 0, 17, "claim", None)}
    assert file_hash(junk) == digest
