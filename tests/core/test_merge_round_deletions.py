"""Later rounds of merging one copy apply only what the copy changed since the round
before: a deletion the project already took is not taken again once the lead added the
span or link again, while a new deletion in the copy still applies."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from factmark.core.copies import RELATION_CONTENT, RELATION_KEY, SPAN_CONTENT, SPAN_KEY, make_copy
from factmark.core.incoming import IncomingDocument
from factmark.core.merge import MergeReport, merge_projects
from factmark.core.project import Project
from factmark.core.schema import KNOWN_MIGRATIONS, applied_names, migrations
from factmark.core.text import text_uid

TEXT = "The minister said 4,000 new posts would open in the city schools next year."
OTHER = "Police in Lagos said 12 people were hurt on Sunday."
# The lead's spans (start, end, label), each checked by hand against TEXT.
SOURCE = (4, 12, "source")  # "minister"
CLAIM = (13, 74, "claim")  # "said 4,000 ... next year"
NUMBER = (18, 23, "number")  # "4,000"
LOCATION = (52, 56, "location")  # "city"
LINK = (SOURCE, CLAIM, "attributed_to")

Span = tuple[str | None, int, int, str]


def _doc(project: Project, text: str = TEXT) -> int:
    return next(d.id or 0 for d in project.documents() if project.document(d.id or 0).text == text)


def _span_id(project: Project, where: tuple[int, int, str], annotator: str = "lead") -> int:
    for span in project.spans(_doc(project)):
        if (span.annotator, span.start, span.end, span.label) == (annotator, *where):
            return span.id or 0
    raise AssertionError(f"no {where} by {annotator}")


def _add(path: Path, where: tuple[int, int, str], annotator: str = "lead") -> None:
    with Project.open(path) as project:
        project.add_span(_doc(project), *where, annotator)


def _delete(path: Path, where: tuple[int, int, str], annotator: str = "lead") -> None:
    with Project.open(path) as project:
        project.delete_span(_span_id(project, where, annotator))


def _link(path: Path) -> None:
    with Project.open(path) as project:
        head, child, kind = LINK
        project.add_relation(_span_id(project, head), _span_id(project, child), kind)


def _unlink(path: Path) -> None:
    with Project.open(path) as project:
        (relation,) = project.relations(_doc(project))
        project.delete_relation(relation.id or 0)


def _spans(path: Path) -> set[Span]:
    conn = sqlite3.connect(path)
    try:
        return set(conn.execute('SELECT annotator, start, "end", label FROM spans'))
    finally:
        conn.close()


def _links(path: Path) -> set[tuple[int, int, str, int, int, str, str]]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(
            'SELECT h.start, h."end", h.label, c.start, c."end", c.label, r.label '
            "FROM relations r JOIN spans h ON h.id = r.head_span_id "
            "JOIN spans c ON c.id = r.child_span_id"
        )
        return set(rows)
    finally:
        conn.close()


def _everything(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row a merge could write (spans with their origin, links, conflicts,
    tombstones, documents), read by sqlite3."""
    conn = sqlite3.connect(path)
    try:
        return {
            table: sorted(conn.execute(f"SELECT * FROM {table}"), key=repr)
            for table in ("spans", "relations", "merge_conflicts", "tombstones", "documents")
        }
    finally:
        conn.close()


def _merge(target: Path, copy: Path) -> MergeReport:
    with Project.open(target) as project:
        (report,) = merge_projects(project, [copy])
    assert not report.failed, report.lines()
    return report


@pytest.fixture
def desk(tmp_path: Path) -> Path:
    """The lead's project: two articles, the lead's spans and one link in the first."""
    path = tmp_path / "desk.factmark"
    with Project.open(path) as project:
        project.add_document(IncomingDocument(TEXT, title="posts"))
        project.add_document(IncomingDocument(OTHER, title="lagos"))
        for where in (SOURCE, CLAIM, NUMBER, LOCATION):
            project.add_span(_doc(project), *where, "lead")
    _link(path)
    return path


def _copy(desk: Path, name: str = "ana") -> Path:
    path = desk.with_name(f"{name}.factmark")
    with Project.open(desk) as project:
        make_copy(project, path, name)
    return path


def _other_work(copy: Path) -> None:
    """Ana goes on in her copy: a span in the other article."""
    with Project.open(copy) as project:
        project.add_span(_doc(project, OTHER), 10, 15, "location", "ana")  # "Lagos"


def test_a_span_the_lead_added_again_stays_in_the_next_round(desk: Path) -> None:
    ana = _copy(desk)
    _delete(ana, NUMBER)
    first = _merge(desk, ana)
    assert ("lead", *NUMBER) not in _spans(desk)
    assert first.spans_deleted == 1
    _add(desk, NUMBER)  # the lead decides the number was right after all
    _other_work(ana)
    second = _merge(desk, ana)

    assert _spans(desk) == {
        ("lead", *SOURCE),
        ("lead", *CLAIM),
        ("lead", *NUMBER),
        ("lead", *LOCATION),
        ("ana", 10, 15, "location"),
    }
    assert (second.spans_added, second.spans_deleted) == (1, 0)
    assert second.deleted == []
    assert not [line for line in second.lines() if "deleted:" in line]


def test_a_link_the_lead_added_again_stays_in_the_next_round(desk: Path) -> None:
    ana = _copy(desk)
    _unlink(ana)
    first = _merge(desk, ana)
    assert _links(desk) == set()
    assert first.relations_deleted == 1
    _link(desk)
    _other_work(ana)
    second = _merge(desk, ana)

    assert _links(desk) == {(4, 12, "source", 13, 74, "claim", "attributed_to")}
    assert second.relations_deleted == 0


def test_a_span_and_its_link_the_lead_put_back_stay(desk: Path) -> None:
    ana = _copy(desk)
    _delete(ana, SOURCE)  # takes the link with it
    _merge(desk, ana)
    assert ("lead", *SOURCE) not in _spans(desk)
    assert _links(desk) == set()
    _add(desk, SOURCE)
    _link(desk)
    _other_work(ana)
    second = _merge(desk, ana)

    assert ("lead", *SOURCE) in _spans(desk)
    assert _links(desk) == {(4, 12, "source", 13, 74, "claim", "attributed_to")}
    assert (second.spans_deleted, second.relations_deleted) == (0, 0)


def test_a_new_deletion_in_a_later_round_still_applies(desk: Path) -> None:
    ana = _copy(desk)
    _delete(ana, NUMBER)
    _merge(desk, ana)
    _add(desk, NUMBER)
    _delete(ana, LOCATION)  # a deletion made since the first round
    second = _merge(desk, ana)

    assert _spans(desk) == {("lead", *SOURCE), ("lead", *CLAIM), ("lead", *NUMBER)}
    assert second.spans_deleted == 1
    assert second.deleted == ["posts: location 52-56 by lead"]


def test_merging_the_same_copy_again_changes_nothing(desk: Path) -> None:
    ana = _copy(desk)
    _delete(ana, NUMBER)
    _unlink(ana)
    _merge(desk, ana)
    _add(desk, NUMBER)
    _link(desk)
    before = _everything(desk)
    for _ in range(2):
        again = _merge(desk, ana)
        assert _everything(desk) == before
        assert again.lines()[1].startswith(
            "  0 spans changed, 0 spans deleted, 0 relations changed, 0 relations deleted"
        )


def test_a_deletion_both_made_is_not_taken_after_the_lead_added_it_again(desk: Path) -> None:
    ana = _copy(desk)
    _delete(ana, NUMBER)
    _delete(desk, NUMBER)  # the lead deleted it too, before the first round
    _merge(desk, ana)
    _add(desk, NUMBER)
    _other_work(ana)
    _merge(desk, ana)

    assert ("lead", *NUMBER) in _spans(desk)


def test_adding_and_deleting_it_again_in_the_copy_is_a_new_deletion(desk: Path) -> None:
    ana = _copy(desk)
    _delete(ana, NUMBER)
    _merge(desk, ana)
    _add(desk, NUMBER)
    # Ana puts the number back, then deletes it again: no other deletion in between.
    _add(ana, NUMBER)
    _delete(ana, NUMBER)
    second = _merge(desk, ana)

    assert ("lead", *NUMBER) not in _spans(desk)
    assert second.spans_deleted == 1


def test_the_same_deletion_from_another_copy_is_still_taken(desk: Path) -> None:
    """The project remembers deletions per copy: bob's copy, made before the lead put
    the number back and holding it in its base, deleting it too is bob's deletion."""
    ana, bob = _copy(desk, "ana"), _copy(desk, "bob")
    _delete(ana, NUMBER)
    _merge(desk, ana)
    _add(desk, NUMBER)
    _delete(bob, NUMBER)
    _merge(desk, bob)

    assert ("lead", *NUMBER) not in _spans(desk)


# -- a project and a copy made before Factmark remembered the deletions it took --------


def _old_project(path: Path) -> None:
    """The lead's project as the Factmark before remembered deletions wrote it: every
    migration up to it, then its rows written by SQL (its triggers as they were)."""
    db = Database(path)
    db.execute("PRAGMA foreign_keys = ON")
    migrations().apply(db, stop_before="m016_deletions_taken")
    stamp = "2026-11-01T09:00:00.000+00:00"
    with db.atomic():
        db.execute(
            "INSERT INTO documents (id, uid, title, text, created_at, updated_at) "
            "VALUES (1, ?, 'posts', ?, ?, ?)",
            [text_uid(TEXT), TEXT, stamp, stamp],
        )
        for span_id, (start, end, label) in enumerate((SOURCE, CLAIM, NUMBER), start=1):
            db.execute(
                'INSERT INTO spans (id, document_id, start, "end", label, annotator, '
                "created_at, updated_at) VALUES (?, 1, ?, ?, ?, 'lead', ?, ?)",
                [span_id, start, end, label, stamp, stamp],
            )
    db.close()


def _old_copy(desk: Path, copy: Path) -> None:
    """A copy for ana as the Factmark before made it: the file, its origin and base."""
    shutil.copy(desk, copy)
    conn = sqlite3.connect(copy)
    with conn:
        conn.execute(
            "INSERT INTO copy_origin (copy_id, annotator, made_at, made_from) "
            "VALUES ('0123456789abcdef0123456789abcdef', 'ana', '2026-11-02T09:00:00Z', ?)",
            [desk.name],
        )
        conn.execute(
            "INSERT INTO merge_base (uid, kind, key, content) "
            "SELECT uid, 'document', '', json_quote(status) FROM documents"
        )
        conn.execute(
            "INSERT INTO merge_base (uid, kind, key, content) "
            f"SELECT d.uid, 'span', {SPAN_KEY}, {SPAN_CONTENT} "
            "FROM spans s JOIN documents d ON d.id = s.document_id"
        )
        conn.execute(
            "INSERT INTO merge_base (uid, kind, key, content) "
            f"SELECT d.uid, 'relation', {RELATION_KEY}, {RELATION_CONTENT} FROM relations r "
            "JOIN documents d ON d.id = r.document_id "
            "JOIN spans h ON h.id = r.head_span_id JOIN spans c ON c.id = r.child_span_id"
        )
        # Ana deletes the number in her copy (the copy's own trigger records it).
        conn.execute("DELETE FROM spans WHERE label = 'number'")
    conn.close()


def test_an_older_project_and_copy_merge_as_before(tmp_path: Path) -> None:
    desk, ana = tmp_path / "desk.factmark", tmp_path / "ana.factmark"
    _old_project(desk)
    _old_copy(desk, ana)
    copy_bytes = ana.read_bytes()

    first = _merge(desk, ana)  # the project is upgraded on opening; the copy only read

    with Project.open_to_read(desk) as project:
        assert applied_names(project.conn) == list(KNOWN_MIGRATIONS)
    assert list(tmp_path.glob("desk.factmark.m015_spans_for_agreement.*.bak"))
    assert ana.read_bytes() == copy_bytes
    assert _spans(desk) == {("lead", *SOURCE), ("lead", *CLAIM)}
    assert (first.spans_added, first.spans_deleted, first.queued) == (0, 1, [])
    _add(desk, NUMBER)
    second = _merge(desk, ana)
    assert _spans(desk) == {("lead", *SOURCE), ("lead", *CLAIM), ("lead", *NUMBER)}
    assert second.spans_deleted == 0
