"""Later rounds of merging one copy after the lead adjudicated: the lead's gold spans and
review marks stay the lead's, the annotator's later edits of other fields apply, and a
decided conflict is not queued again."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import orjson

from factmark.core.adjudication import accept
from factmark.core.conflicts import DecideConflict, conflicts
from factmark.core.copies import describe_origin, make_copy
from factmark.core.incoming import IncomingDocument
from factmark.core.merge import MergeReport, merge_projects
from factmark.core.project import Project

TEXT = (
    "Reuters said on Monday that the ministry announced 4,000 new teaching posts "
    "for the city schools next year, citing officials."
)
SOURCE, CLAIM, NUMBER = (0, 7, "source"), (30, 85, "claim"), (51, 56, "number")


def _document(project: Project) -> int:
    return next(d.id or 0 for d in project.documents())


def _span_id(project: Project, annotator: str, where: tuple[int, int, str]) -> int:
    start, end, label = where
    for span in project.spans(_document(project)):
        if (span.annotator, span.start, span.end, span.label) == (annotator, start, end, label):
            return span.id or 0
    raise AssertionError(f"no {label} {start}-{end} by {annotator}")


def _accept(path: Path, annotator: str, where: tuple[int, int, str], undo: bool = False) -> None:
    """Press G on a span in review mode (and Ctrl+Z after it when ``undo``)."""
    with Project.open(path) as project:
        doc = _document(project)
        span = project.span(_span_id(project, annotator, where))
        verdict = accept(doc, span, project.spans(doc))
        assert verdict.edit is not None
        verdict.edit.apply(project)
        if undo:
            verdict.edit.revert(project)


def _edit(path: Path, where: tuple[int, int, str], **changes: object) -> None:
    with Project.open(path) as project:
        project.update_span(_span_id(project, "ana", where), **changes)


def _merge(target: Path, copy: Path) -> MergeReport:
    with Project.open(target) as project:
        (report,) = merge_projects(project, [copy])
    assert not report.failed, report.lines()
    return report


def _spans(path: Path) -> dict[tuple[str, int, int, str], tuple[str | None, dict[str, object]]]:
    """Every span of the file by identity: its note and attributes (read by sqlite3)."""
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute('SELECT annotator, start, "end", label, note, attrs FROM spans')
        return {(a, s, e, lab): (note, orjson.loads(attrs)) for a, s, e, lab, note, attrs in rows}
    finally:
        conn.close()


def _open_conflicts(path: Path) -> list[tuple[str, str, str]]:
    conn = sqlite3.connect(path)
    try:
        query = "SELECT key, target, source FROM merge_conflicts WHERE decided IS NULL"
        return list(conn.execute(query))
    finally:
        conn.close()


def _desk_and_copy(tmp_path: Path) -> tuple[Path, Path]:
    desk, ana = tmp_path / "desk.factmark", tmp_path / "ana.factmark"
    with Project.open(desk) as project:
        project.add_document(IncomingDocument(TEXT, title="posts"))
        make_copy(project, ana, "ana")
    return desk, ana


def test_the_leads_gold_span_outlives_an_older_tombstone_in_the_copy(tmp_path: Path) -> None:
    desk, ana = _desk_and_copy(tmp_path)
    with Project.open(ana) as project:
        doc = _document(project)
        for where in (SOURCE, CLAIM, NUMBER):
            project.add_span(doc, *where, "ana")
    # Ana tries G on her claim and takes it back: her copy holds a gold tombstone.
    _accept(ana, "ana", CLAIM, undo=True)
    _merge(desk, ana)
    _accept(desk, "ana", CLAIM)  # the lead accepts ana's claim into gold
    with Project.open(ana) as project:
        project.delete_span(_span_id(project, "ana", NUMBER))
    report = _merge(desk, ana)

    spans = _spans(desk)
    assert ("gold", *CLAIM) in spans  # the lead's gold span stays
    assert spans[("ana", *CLAIM)] == (None, {"review": "accepted"})
    assert ("ana", *NUMBER) not in spans  # ana's own deletion applies
    assert report.spans_deleted == 1
    assert report.deleted == []  # no span but ana's was deleted
    assert _open_conflicts(desk) == []


def test_a_deletion_of_anothers_span_is_named_in_the_report(tmp_path: Path) -> None:
    desk, ana = _desk_and_copy(tmp_path)
    bob = tmp_path / "bob.factmark"
    with Project.open(desk) as project:
        make_copy(project, bob, "bob")
    with Project.open(bob) as project:
        project.add_span(_document(project), *NUMBER, "bob")
    _merge(desk, bob)
    _merge(ana, bob)  # ana takes bob's work into her copy, and deletes his number
    with Project.open(ana) as project:
        project.delete_span(
            next(s.id or 0 for s in project.spans(_document(project)) if s.annotator == "bob")
        )
    report = _merge(desk, ana)

    assert ("bob", *NUMBER) not in _spans(desk)
    assert report.deleted == ["posts: number 51-56 by bob"]
    assert "  deleted: posts: number 51-56 by bob" in report.lines()


def test_a_copy_deleting_many_of_anothers_spans_names_the_first_fifty_and_counts_the_rest(
    tmp_path: Path,
) -> None:
    """A copy that deleted 120 of bob's spans (a label deleted, say): the report names 50
    and says how many more, and keeps no line for the others (an archive's label is
    hundreds of thousands of spans)."""
    desk, ana = _desk_and_copy(tmp_path)
    bob = tmp_path / "bob.factmark"
    with Project.open(desk) as project:
        make_copy(project, bob, "bob")
    with Project.open(bob) as project:
        for start in range(120):
            project.add_span(_document(project), start, start + 1, "number", "bob")
    _merge(desk, bob)
    _merge(ana, bob)
    with Project.open(ana) as project:
        for span in list(project.spans(_document(project))):
            if span.annotator == "bob":
                project.delete_span(span.id or 0)
    report = _merge(desk, ana)

    assert not [s for s in _spans(desk) if s[0] == "bob"]
    named = [line for line in report.lines() if line.startswith("  deleted: posts: number")]
    assert named[:2] == [
        "  deleted: posts: number 0-1 by bob",
        "  deleted: posts: number 1-2 by bob",
    ]
    assert len(named) == 50
    assert "  deleted: ... and 70 more" in report.lines()
    assert len(report.deleted) == 50 and report.deleted_count == 120


def test_review_marks_and_decided_conflicts_stay_as_the_annotator_goes_on(
    tmp_path: Path,
) -> None:
    desk, ana = _desk_and_copy(tmp_path)
    with Project.open(ana) as project:
        doc = _document(project)
        project.add_span(doc, *SOURCE, "ana")
        project.add_span(doc, *CLAIM, "ana", "ministry", {"verdict": "false"})
    _merge(desk, ana)  # round 1

    # The lead rewrites the claim's note, ana too: a conflict, settled with F8.
    with Project.open(desk) as project:
        project.update_span(_span_id(project, "ana", CLAIM), note="lead's doubt")
    _edit(ana, CLAIM, note="ministry press release")
    report = _merge(desk, ana)  # round 2
    assert report.queued == ["posts: claim 30-85 by ana"]
    with Project.open(desk) as project:
        (queued,) = conflicts(project)
        DecideConflict(queued.id, "source").apply(project)

    # The lead accepts both of ana's spans; ana changes the claim's verdict.
    _accept(desk, "ana", SOURCE)
    _accept(desk, "ana", CLAIM)
    _edit(ana, CLAIM, attrs={"verdict": "true"})
    report = _merge(desk, ana)  # round 3

    spans = _spans(desk)
    assert spans[("ana", *SOURCE)] == (None, {"review": "accepted"})
    assert spans[("ana", *CLAIM)] == (
        "ministry press release",
        {"review": "accepted", "verdict": "true"},
    )
    assert ("gold", *SOURCE) in spans and ("gold", *CLAIM) in spans
    assert report.queued == [] and _open_conflicts(desk) == []
    assert report.spans_changed == 1

    # Ana sets the verdict back: that applies too, the lead's mark stays.
    _edit(ana, CLAIM, attrs={"verdict": "false"})
    report = _merge(desk, ana)  # round 4
    assert _spans(desk)[("ana", *CLAIM)][1] == {"review": "accepted", "verdict": "false"}
    assert report.queued == [] and _open_conflicts(desk) == []
    assert _merge(desk, ana).spans_changed == 0  # the same copy again changes nothing


def test_an_edit_taken_back_in_a_later_round_applies_beside_the_review_mark(
    tmp_path: Path,
) -> None:
    desk, ana = tmp_path / "desk.factmark", tmp_path / "ana.factmark"
    with Project.open(desk) as project:
        project.add_document(IncomingDocument(TEXT, title="posts"))
        project.add_span(_document(project), *CLAIM, "ana", None, {"verdict": "false"})
        make_copy(project, ana, "ana")  # the claim is in the copy's base
    _edit(ana, CLAIM, attrs={"verdict": "true"})
    _merge(desk, ana)
    _accept(desk, "ana", CLAIM)
    _edit(ana, CLAIM, attrs={"verdict": "false"})  # back to the base's value
    report = _merge(desk, ana)

    assert _spans(desk)[("ana", *CLAIM)] == (None, {"review": "accepted", "verdict": "false"})
    assert ("gold", *CLAIM) in _spans(desk)
    assert report.queued == [] and _open_conflicts(desk) == []


def test_a_span_made_here_is_not_said_to_come_from_the_copy(tmp_path: Path) -> None:
    desk, ana = tmp_path / "desk.factmark", tmp_path / "ana.factmark"
    with Project.open(desk) as project:
        project.add_document(IncomingDocument(TEXT, title="posts"))
        lead_span = project.add_span(_document(project), *CLAIM, "lead", "lead's")
        make_copy(project, ana, "ana")
        project.update_span(lead_span.id or 0, note="lead's doubt")
    with Project.open(ana) as project:
        project.update_span(_span_id(project, "lead", CLAIM), note="ana's")
    assert _merge(desk, ana).queued == ["posts: claim 30-85 by lead"]
    with Project.open(desk) as project:
        assert describe_origin(project, lead_span.id or 0) is None
