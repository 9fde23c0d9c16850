"""A span's tombstone records where the deleted span came from, so that a copy's deletion
of a span its base lacks reaches the project's span only when it is the same span: the
copy's own (merged from it), or one both took from the same third copy. Older projects
and copies are upgraded (m017) and their tombstones, which do not say, count as before."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from sqlite_utils import Database

from factmark.core.copies import SPAN_CONTENT, SPAN_KEY, make_copy
from factmark.core.incoming import IncomingDocument
from factmark.core.merge import MergeReport, merge_projects
from factmark.core.project import Project
from factmark.core.schema import KNOWN_MIGRATIONS, applied_names, migrations
from factmark.core.text import text_uid

TEXT = "The army said 240 soldiers crossed the river near Kherson."
NUMBER = (14, 17, "number")  # "240"
PLACE = (51, 58, "location")  # "Kherson"
STAMP = "2026-11-01T09:00:00.000+00:00"


def spans(path: Path) -> set[tuple[str | None, int, int, str]]:
    conn = sqlite3.connect(path)
    try:
        return set(conn.execute('SELECT annotator, start, "end", label FROM spans'))
    finally:
        conn.close()


def merge(target: Path, copy: Path) -> MergeReport:
    with Project.open(target) as project:
        (report,) = merge_projects(project, [copy])
    assert not report.failed, report.lines()
    return report


def lead_project(path: Path) -> Path:
    with Project.open(path) as project:
        project.add_document(IncomingDocument(TEXT, title="army"))
    return path


def copy_for(lead: Path, name: str) -> Path:
    path = lead.with_name(f"{name}.factmark")
    with Project.open(lead) as project:
        make_copy(project, path, name)
    return path


def add(path: Path, where: tuple[int, int, str], annotator: str) -> None:
    with Project.open(path) as project:
        project.add_span(project.documents()[0].id or 0, *where, annotator)


def delete(path: Path, where: tuple[int, int, str], annotator: str) -> None:
    with Project.open(path) as project:
        (found,) = [
            s
            for s in project.spans(project.documents()[0].id or 0)
            if (s.annotator, s.start, s.end, s.label) == (annotator, *where)
        ]
        project.delete_span(found.id or 0)


def test_a_span_the_copy_added_and_later_deleted_goes_from_the_project(tmp_path: Path) -> None:
    """Olena adds a place, it is merged, then she deletes it: her next round deletes it."""
    lead = lead_project(tmp_path / "lead.factmark")
    olena = copy_for(lead, "olena")
    add(olena, PLACE, "olena")
    merge(lead, olena)
    assert spans(lead) == {("olena", *PLACE)}
    delete(olena, PLACE, "olena")
    assert merge(lead, olena).spans_deleted == 1
    assert spans(lead) == set()


def test_a_deletion_of_a_span_from_a_third_copy_is_carried_on(tmp_path: Path) -> None:
    """Marko's place reaches the project and Olena's copy (merged into both); Olena
    deletes it: merging her copy deletes the project's, which came from Marko too."""
    lead = lead_project(tmp_path / "lead.factmark")
    olena, marko = copy_for(lead, "olena"), copy_for(lead, "marko")
    add(marko, PLACE, "marko")
    merge(lead, marko)
    merge(olena, marko)
    delete(olena, PLACE, "marko")
    assert merge(lead, olena).spans_deleted == 1
    assert spans(lead) == set()


def test_a_span_from_another_copy_outlives_a_tombstone_of_the_copys_own(tmp_path: Path) -> None:
    """Olena and Marko each add the same place; Olena deletes hers before any merge. Her
    tombstone stands for her own span: Marko's, merged before or after, stays."""
    lead = lead_project(tmp_path / "lead.factmark")
    olena, marko = copy_for(lead, "olena"), copy_for(lead, "marko")
    add(olena, PLACE, "gold")
    delete(olena, PLACE, "gold")
    add(marko, PLACE, "gold")
    merge(lead, olena)
    merge(lead, marko)
    assert merge(lead, olena).spans_deleted == 0
    assert spans(lead) == {("gold", *PLACE)}


def older_project(path: Path) -> Path:
    """A project as the Factmark before m017 wrote it (its triggers as they were): one
    article, the lead's number, and a place deleted (a tombstone that does not say where
    the place came from)."""
    db = Database(path)
    db.execute("PRAGMA foreign_keys = ON")
    migrations().apply(db, stop_before="m017_tombstone_origins")
    with db.atomic():
        db.execute(
            "INSERT INTO documents (id, uid, title, text, created_at, updated_at) "
            "VALUES (1, ?, 'army', ?, ?, ?)",
            [text_uid(TEXT), TEXT, STAMP, STAMP],
        )
        for span_id, (start, end, label) in enumerate((NUMBER, PLACE), start=1):
            db.execute(
                'INSERT INTO spans (id, document_id, start, "end", label, annotator, '
                "created_at, updated_at) VALUES (?, 1, ?, ?, ?, 'lead', ?, ?)",
                [span_id, start, end, label, STAMP, STAMP],
            )
        db.execute("DELETE FROM spans WHERE id = 2")
    db.close()
    return path


def tombstones(path: Path) -> list[tuple[int, int, str, str | None]]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.execute('SELECT start, "end", label, origin FROM tombstones ORDER BY id'))
    finally:
        conn.close()


def test_an_older_project_is_upgraded_and_its_tombstones_kept(tmp_path: Path) -> None:
    path = older_project(tmp_path / "old.factmark")
    with Project.open(path) as project:
        assert applied_names(project.conn) == list(KNOWN_MIGRATIONS)
        project.conn.execute(
            "UPDATE spans SET origin = ? WHERE id = 1", ['{"copy":"c0ffee","file":"ana.factmark"}']
        )
        project.conn.commit()
    assert list(tmp_path.glob("old.factmark.m016_deletions_taken.*.bak"))
    assert tombstones(path) == [(*PLACE, None)]  # kept: where it came from is not known
    delete(path, NUMBER, "lead")
    add(path, PLACE, "lead")
    delete(path, PLACE, "lead")  # made here: its new tombstone says so
    assert tombstones(path) == [
        (*NUMBER, '{"copy":"c0ffee","file":"ana.factmark"}'),
        (*PLACE, ""),
    ]


def test_an_older_copy_merges_as_before(tmp_path: Path) -> None:
    """A copy made by the Factmark before m017, whose gold place was added and deleted in
    it: merged (upgraded in a temporary file, the copy itself only read), its tombstone
    does not say whose the place was, and the project's gold place, taken from another
    copy, goes as it did before."""
    desk = older_project(tmp_path / "desk.factmark")
    ana = tmp_path / "ana.factmark"
    shutil.copy(desk, ana)
    conn = sqlite3.connect(ana)
    with conn:
        conn.execute(
            "INSERT INTO copy_origin (copy_id, annotator, made_at, made_from) "
            "VALUES ('0123456789abcdef0123456789abcdef', 'ana', ?, 'desk.factmark')",
            [STAMP],
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
            'INSERT INTO spans (document_id, start, "end", label, annotator, created_at, '
            "updated_at) VALUES (1, ?, ?, ?, 'gold', ?, ?)",
            [*PLACE, STAMP, STAMP],
        )
        conn.execute("DELETE FROM spans WHERE annotator = 'gold'")
    conn.close()
    copy_bytes = ana.read_bytes()
    with Project.open(desk) as project:  # the gold place another copy brought
        project.conn.execute(
            'INSERT INTO spans (document_id, start, "end", label, annotator, attrs, created_at, '
            "updated_at, origin) VALUES (1, ?, ?, ?, 'gold', '{}', ?, ?, ?)",
            [*PLACE, STAMP, STAMP, '{"copy":"c0ffee","at":"' + STAMP + '"}'],
        )
        project.conn.commit()
    report = merge(desk, ana)
    assert ana.read_bytes() == copy_bytes
    assert report.spans_deleted == 1
    assert spans(desk) == {("lead", *NUMBER)}


def test_a_copy_whose_tombstone_origin_is_not_json_is_refused(tmp_path: Path) -> None:
    lead = lead_project(tmp_path / "lead.factmark")
    olena = copy_for(lead, "olena")
    add(olena, PLACE, "olena")
    delete(olena, PLACE, "olena")
    conn = sqlite3.connect(olena)
    with conn:
        conn.execute("UPDATE tombstones SET origin = 'from Marko'")
    conn.close()
    with Project.open(lead) as project:
        (report,) = merge_projects(project, [olena])
    assert report.failed
    assert any(
        "tombstones row 1: origin 'from Marko' is not valid JSON" in line for line in report.lines()
    ), report.lines()
    assert spans(lead) == set()


def links(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT count(*) FROM relations").fetchone()[0])
    finally:
        conn.close()


def test_a_link_the_copy_added_and_later_removed_goes_from_the_project(tmp_path: Path) -> None:
    """Olena links a source she added to a claim she added; merged, then she removes the
    link (keeping both spans): her next round removes it from the project."""
    lead = lead_project(tmp_path / "lead.factmark")
    olena = copy_for(lead, "olena")
    with Project.open(olena) as project:
        doc = project.documents()[0].id or 0
        source = project.add_span(doc, 4, 8, "source", "olena")  # "army"
        claim = project.add_span(doc, 9, 58, "claim", "olena")  # "said ... Kherson"
        project.add_relation(source.id or 0, claim.id or 0, "attributed_to")
    merge(lead, olena)
    assert links(lead) == 1
    with Project.open(olena) as project:
        (relation,) = project.relations(project.documents()[0].id or 0)
        project.delete_relation(relation.id or 0)
    assert merge(lead, olena).relations_deleted == 1
    assert links(lead) == 0
