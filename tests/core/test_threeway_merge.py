"""Three-way merges of annotators' copies: what each copy added, changed and deleted
since its base reaches the project, in any order; edits on both sides are queued."""

from __future__ import annotations

import itertools
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import orjson
import pytest

from factmark.core.conflicts import DecideConflict, conflicts
from factmark.core.copies import make_copy
from factmark.core.incoming import IncomingDocument
from factmark.core.merge import MergeReport, merge_projects
from factmark.core.project import Project, ProjectError

TEXT_A = "The army said 240 soldiers crossed the river near Bakhmut."
TEXT_B = "Officials in Kyiv told reporters 15,000 people fled."

# Spans of the handed-out project, all by the lead: (document, start, end, label, note, attrs)
BASE_SPANS = [
    ("a", 0, 58, "claim", None, {}),  # S1
    ("a", 14, 17, "number", "as said", {}),  # S2
    ("a", 50, 57, "location", None, {}),  # S3
    ("b", 0, 9, "source", None, {}),  # S4
    ("b", 13, 17, "location", None, {}),  # S5
    ("b", 33, 39, "number", None, {"checkworthy": True}),  # S6
]
# Links of the handed-out project: (document, head index, child index, type)
BASE_LINKS = [("a", 0, 1, "attributed_to"), ("b", 5, 3, "attributed_to")]

Row = tuple[str, str | None, int, int, str, str | None, str]


def doc_id(project: Project, title: str) -> int:
    return next(d.id or 0 for d in project.documents() if d.title == title)


def span_id(project: Project, title: str, start: int, end: int, label: str) -> int:
    for span in project.spans(doc_id(project, title)):
        if (span.start, span.end, span.label) == (start, end, label):
            return span.id or 0
    raise AssertionError(f"no span {label} {start}-{end} in {title}")


@pytest.fixture
def lead(tmp_path: Path) -> Path:
    """The lead's project: two documents with spans and links."""
    path = tmp_path / "lead.factmark"
    with Project.open(path) as project:
        project.add_document(IncomingDocument(TEXT_A, title="a"))
        project.add_document(IncomingDocument(TEXT_B, title="b"))
        ids = []
        for title, start, end, label, note, attrs in BASE_SPANS:
            span = project.add_span(doc_id(project, title), start, end, label, "lead", note, attrs)
            ids.append(span.id or 0)
        for _, head, child, kind in BASE_LINKS:
            project.add_relation(ids[head], ids[child], kind)
    return path


def copy_for(lead: Path, name: str) -> Path:
    path = lead.with_name(f"{name}.factmark")
    with Project.open(lead) as project:
        made = make_copy(project, path, name)
    assert made.spans == len(BASE_SPANS) and made.relations == len(BASE_LINKS)
    return path


def spans_of(path: Path) -> set[Row]:
    with Project.open_to_read(path) as project:
        return {
            (d.title, s.annotator, s.start, s.end, s.label, s.note, orjson.dumps(s.attrs).decode())
            for d in project.documents()
            for s in project.spans(d.id or 0)
        }


def links_of(path: Path) -> set[tuple[str, tuple[int, int, str], tuple[int, int, str], str]]:
    with Project.open_to_read(path) as project:
        found = set()
        for d in project.documents():
            spans = {s.id: (s.start, s.end, s.label) for s in project.spans(d.id or 0)}
            for r in project.relations(d.id or 0):
                found.add((d.title, spans[r.head_span_id], spans[r.child_span_id], r.label))
        return found


def statuses_of(path: Path) -> dict[str, str]:
    with Project.open_to_read(path) as project:
        return {d.title: d.status for d in project.documents()}


def merge(target: Path, *sources: Path) -> list[MergeReport]:
    with Project.open(target) as project:
        reports = merge_projects(project, sources)
    for report in reports:
        assert not report.failed, report.lines()
    return reports


def edit(path: Path, *steps: tuple[Any, ...]) -> None:
    """Apply edits to a copy, as its annotator would in the window."""
    with Project.open(path) as project:
        for step in steps:
            what, title, *rest = step
            if what == "add":
                start, end, label, annotator = rest
                project.add_span(doc_id(project, title), start, end, label, annotator)
            elif what == "delete":
                project.delete_span(span_id(project, title, *rest))
            elif what == "note":
                *where, note = rest
                project.update_span(span_id(project, title, *where), note=note)
            elif what == "attrs":
                *where, attrs = rest
                project.update_span(span_id(project, title, *where), attrs=attrs)
            elif what == "link":
                head, child, kind = rest
                project.add_relation(
                    span_id(project, title, *head), span_id(project, title, *child), kind
                )
            elif what == "unlink":
                head, child = rest
                ids = span_id(project, title, *head), span_id(project, title, *child)
                for relation in project.relations(doc_id(project, title)):
                    if (relation.head_span_id, relation.child_span_id) == ids:
                        project.delete_relation(relation.id or 0)
            elif what == "status":
                project.set_status(doc_id(project, title), rest[0])


def three_colleagues(lead: Path) -> tuple[Path, Path, Path]:
    """Ana, bob and cy each change other things in their copies."""
    ana, bob, cy = (copy_for(lead, name) for name in ("ana", "bob", "cy"))
    edit(
        ana,
        ("delete", "a", 0, 58, "claim"),  # takes the link a: S1 -> S2 with it
        ("note", "a", 14, 17, "number", "240 is the ministry's figure"),
        ("add", "a", 4, 8, "source", "ana"),
    )
    edit(
        bob,
        ("add", "a", 38, 43, "location", "bob"),
        ("link", "a", (38, 43, "location"), (50, 57, "location"), "attributed_to"),
        ("attrs", "a", 50, 57, "location", {"verdict": "false"}),
        ("delete", "b", 0, 9, "source"),  # takes the link b: S6 -> S4 with it
    )
    edit(
        cy,
        ("attrs", "a", 14, 17, "number", {"checkworthy": True}),
        ("delete", "b", 13, 17, "location"),
        ("add", "b", 0, 9, "source", "cy"),
        ("status", "b", "done"),
    )
    return ana, bob, cy


# Expected by hand from the edits above.
EXPECTED_SPANS: set[Row] = {
    ("a", "lead", 14, 17, "number", "240 is the ministry's figure", '{"checkworthy":true}'),
    ("a", "lead", 50, 57, "location", None, '{"verdict":"false"}'),
    ("a", "ana", 4, 8, "source", None, "{}"),
    ("a", "bob", 38, 43, "location", None, "{}"),
    ("b", "cy", 0, 9, "source", None, "{}"),
    ("b", "lead", 33, 39, "number", None, '{"checkworthy":true}'),
}
EXPECTED_LINKS = {("a", (38, 43, "location"), (50, 57, "location"), "attributed_to")}


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
def test_every_merge_order_twice_gives_the_same_project(
    lead: Path, tmp_path: Path, order: tuple[int, ...]
) -> None:
    copies = three_colleagues(lead)
    target = tmp_path / "target.factmark"
    shutil.copy(lead, target)
    first = merge(target, *(copies[i] for i in order))
    assert spans_of(target) == EXPECTED_SPANS
    assert links_of(target) == EXPECTED_LINKS
    assert statuses_of(target) == {"a": "in_progress", "b": "done"}
    assert all(not report.queued for report in first)
    # Merging all of them again, in the other direction, changes nothing.
    again = merge(target, *(copies[i] for i in reversed(order)))
    assert spans_of(target) == EXPECTED_SPANS
    assert links_of(target) == EXPECTED_LINKS
    assert [(r.spans_added, r.spans_changed, r.spans_deleted) for r in again] == [(0, 0, 0)] * 3
    assert [(r.relations_added, r.relations_deleted) for r in again] == [(0, 0)] * 3
    with Project.open_to_read(target) as project:
        assert conflicts(project) == []


def test_a_deletion_travels_from_copy_to_copy(lead: Path, tmp_path: Path) -> None:
    ana, bob, cy = (copy_for(lead, name) for name in ("ana", "bob", "cy"))
    edit(ana, ("delete", "a", 50, 57, "location"))
    merge(bob, ana)  # bob takes ana's work into his copy
    assert ("a", "lead", 50, 57, "location", None, "{}") not in spans_of(bob)
    merge(cy, bob)  # and cy takes bob's: ana's deletion comes with it
    assert ("a", "lead", 50, 57, "location", None, "{}") not in spans_of(cy)
    merge(lead, cy)
    assert ("a", "lead", 50, 57, "location", None, "{}") not in spans_of(lead)


def test_a_span_deleted_after_a_first_round_goes_in_the_second(lead: Path, tmp_path: Path) -> None:
    ana = copy_for(lead, "ana")
    edit(ana, ("add", "a", 4, 8, "source", "ana"))
    merge(lead, ana)
    assert ("a", "ana", 4, 8, "source", None, "{}") in spans_of(lead)
    # Ana keeps working in the same copy: she notes, then deletes her own span.
    edit(ana, ("add", "b", 23, 32, "source", "ana"), ("note", "b", 23, 32, "source", "office"))
    merge(lead, ana)
    edit(ana, ("note", "b", 23, 32, "source", "press office"), ("delete", "a", 4, 8, "source"))
    merge(lead, ana)
    assert ("a", "ana", 4, 8, "source", None, "{}") not in spans_of(lead)
    assert ("b", "ana", 23, 32, "source", "press office", "{}") in spans_of(lead)
    with Project.open_to_read(lead) as project:
        assert conflicts(project) == []


def test_a_span_deleted_in_the_project_is_not_brought_back(lead: Path) -> None:
    ana = copy_for(lead, "ana")
    edit(ana, ("add", "a", 4, 8, "source", "ana"))
    merge(lead, ana)
    edit(lead, ("delete", "a", 4, 8, "source"), ("delete", "a", 0, 58, "claim"))
    merge(lead, ana)
    assert not {row for row in spans_of(lead) if row[2:5] in ((4, 8, "source"), (0, 58, "claim"))}


def test_edits_on_both_sides_are_queued_never_decided_by_time(lead: Path) -> None:
    ana, bob = copy_for(lead, "ana"), copy_for(lead, "bob")
    edit(ana, ("note", "a", 14, 17, "number", "ana's note"))
    edit(bob, ("note", "a", 14, 17, "number", "bob's note"), ("delete", "a", 50, 57, "location"))
    edit(ana, ("attrs", "a", 50, 57, "location", {"verdict": "true"}))
    reports = merge(lead, ana, bob)
    assert len(reports[1].queued) == 2
    # The project keeps the first merged version; bob's is waiting in the queue.
    assert ("a", "lead", 14, 17, "number", "ana's note", "{}") in spans_of(lead)
    assert ("a", "lead", 50, 57, "location", None, '{"verdict":"true"}') in spans_of(lead)
    with Project.open_to_read(lead) as project:
        queued = {(c.what(), c.version("target"), c.version("source")) for c in conflicts(project)}
    assert queued == {
        ("number 14-17 by lead", 'note "ana\'s note"', 'note "bob\'s note"'),
        ("location 50-57 by lead", 'no note; verdict: "true"', "deleted"),
    }
    # Merging both again queues nothing more.
    merge(lead, ana, bob)
    with Project.open_to_read(lead) as project:
        assert len(conflicts(project)) == 2


def test_either_order_puts_the_same_versions_in_play(lead: Path, tmp_path: Path) -> None:
    ana, bob = copy_for(lead, "ana"), copy_for(lead, "bob")
    edit(ana, ("note", "a", 14, 17, "number", "ana's note"))
    edit(bob, ("note", "a", 14, 17, "number", "bob's note"))
    seen = []
    for order in ((ana, bob), (bob, ana)):
        target = tmp_path / "target.factmark"
        shutil.copy(lead, target)
        merge(target, *order)
        with Project.open_to_read(target) as project:
            (found,) = conflicts(project)
            seen.append({found.version("target"), found.version("source")})
    assert seen == [{'note "ana\'s note"', 'note "bob\'s note"'}] * 2


def test_a_decision_is_one_undoable_step_and_is_not_queued_again(lead: Path) -> None:
    ana, bob = copy_for(lead, "ana"), copy_for(lead, "bob")
    edit(ana, ("note", "a", 14, 17, "number", "ana's note"))
    edit(bob, ("note", "a", 14, 17, "number", "bob's note"), ("delete", "b", 0, 9, "source"))
    edit(ana, ("note", "b", 0, 9, "source", "ana keeps it"))
    merge(lead, ana, bob)
    with Project.open(lead) as project:
        first, second = conflicts(project)
        take = DecideConflict(first.id, "source")
        take.apply(project)
        assert project.span(span_id(project, "a", 14, 17, "number")).note == "bob's note"
        delete = DecideConflict(second.id, "source")
        delete.apply(project)
        assert conflicts(project) == []
        delete.revert(project)
        assert project.span(span_id(project, "b", 0, 9, "source")).note == "ana keeps it"
        take.revert(project)
        assert project.span(span_id(project, "a", 14, 17, "number")).note == "ana's note"
        assert len(conflicts(project)) == 2
        DecideConflict(first.id, "target").apply(project)
    merge(lead, ana, bob)
    with Project.open_to_read(lead) as project:
        assert [c.what() for c in conflicts(project)] == ["source 0-9 by lead"]
    assert ("a", "lead", 14, 17, "number", "ana's note", "{}") in spans_of(lead)


def test_every_merged_span_knows_its_copy_and_when(lead: Path) -> None:
    ana = copy_for(lead, "ana")
    edit(ana, ("add", "a", 4, 8, "source", "ana"), ("note", "a", 14, 17, "number", "n"))
    merge(lead, ana)
    with Project.open_to_read(lead) as project:
        rows = project.conn.execute(
            "SELECT start, origin, updated_at FROM spans WHERE origin IS NOT NULL ORDER BY start"
        ).fetchall()
        copy_id = sqlite3.connect(ana).execute("SELECT copy_id FROM copy_origin").fetchone()[0]
    assert [row[0] for row in rows] == [4, 14]
    # With the copy's version the project saw, which the copy's next round merges against.
    held = {4: [None, "{}"], 14: ["n", "{}"]}
    for start, origin, updated in rows:
        assert orjson.loads(origin) == {
            "annotator": "ana",
            "at": updated,
            "copy": copy_id,
            "file": "ana.factmark",
            "last_copy": copy_id,
            "last_held": orjson.dumps(held[start]).decode(),
        }


def test_a_copy_without_a_base_merges_as_before_and_says_so(lead: Path, tmp_path: Path) -> None:
    old = tmp_path / "old.factmark"
    shutil.copy(lead, old)  # a copy made by hand: no base
    edit(old, ("delete", "a", 0, 58, "claim"), ("add", "a", 4, 8, "source", "old"))
    (report,) = merge(lead, old)
    assert ("a", "lead", 0, 58, "claim", None, "{}") in spans_of(lead)
    assert ("a", "old", 4, 8, "source", None, "{}") in spans_of(lead)
    assert any("deleted in it cannot be seen" in line for line in report.lines())


@pytest.mark.parametrize(
    ("table", "values"),
    [
        ("merge_base", "('x', 'span', '[\"ana\", 5, 2, \"claim\"]', '[null, \"{}\"]')"),
        ("merge_base", "('x', 'span', 'not json', '[null, \"{}\"]')"),
        (
            'tombstones (document_id, kind, annotator, start, "end", label, note, attrs)',
            "(1, 'span', 'ana', 0, 4, 'claim', NULL, '[1]')",
        ),
    ],
)
def test_a_copy_with_a_broken_base_is_refused_and_nothing_changes(
    lead: Path, table: str, values: str
) -> None:
    ana = copy_for(lead, "ana")
    edit(ana, ("delete", "a", 0, 58, "claim"))
    conn = sqlite3.connect(ana)
    with conn:
        conn.execute(f"INSERT INTO {table} VALUES {values}")
    conn.close()
    before = spans_of(lead)
    with Project.open(lead) as project:
        (report,) = merge_projects(project, [ana])
    assert report.failed
    assert report.lines()[0].startswith(f"{ana}: error: refused: 1 invalid row")
    assert spans_of(lead) == before


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE spans SET origin = 'not json' WHERE id = 1",
        'INSERT INTO tombstones (document_id, kind, annotator, start, "end", label) '
        "VALUES (1, 'span', 'ana', 'zero', 4, 'claim')",
        "INSERT INTO merge_conflicts (document_id, kind, key, target, source, created_at) "
        "VALUES (1, 'span', '[1]', 'null', 'null', 'now')",
    ],
)
def test_a_project_with_damaged_merge_tables_is_refused_on_open(lead: Path, statement: str) -> None:
    conn = sqlite3.connect(lead)
    with conn:
        conn.execute(statement)
    conn.close()
    with pytest.raises(ProjectError, match=r"rows? cannot be read"):
        Project.open(lead, create=False).close()


def test_a_base_holding_bytes_that_are_not_text_is_refused(lead: Path) -> None:
    ana = copy_for(lead, "ana")
    conn = sqlite3.connect(ana)
    with conn:
        conn.execute(
            "INSERT INTO merge_base VALUES (CAST(x'ff' AS TEXT), 'span', '[]', '[null, \"{}\"]')"
        )
    conn.close()
    before = spans_of(lead)
    with Project.open(lead) as project:
        (report,) = merge_projects(project, [ana])
    assert report.lines()[0] == f"{ana}: error: refused: 1 invalid row (listed below); " + (
        "nothing of it was merged (merge --skip-invalid merges the rest)"
    )
    assert report.lines()[1].startswith(f"{ana}: error: merge_base row ")
    assert spans_of(lead) == before
