"""Links carry a note and attributes of their own: stored, changed by undoable operations,
carried by copies and merged three-way field by field, as a span's are."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from factmark.core.changes import ChangeSet
from factmark.core.conflicts import DecideConflict, conflicts
from factmark.core.copies import make_copy
from factmark.core.incoming import IncomingDocument, IncomingRelation, IncomingSpan
from factmark.core.label_operations import UpdateRelationType
from factmark.core.merge import merge_projects
from factmark.core.model import Relation
from factmark.core.operations import DeleteRelation, DeleteSpan, UpdateRelation
from factmark.core.project import Project

TEXT = 'Prigozhin said: "Wagner lost 500 men near Bakhmut." Syrskyi denied it.'
SOURCE = (0, 9)
CLAIM = (16, 51)  # with its quotation marks


@pytest.fixture
def lead(tmp_path: Path) -> Path:
    """A project with a source linked attributed_to a claim, by the lead."""
    path = tmp_path / "lead.factmark"
    with Project.open(path) as project:
        added = project.add_document(IncomingDocument(TEXT, title="Bakhmut"))
        assert added is not None
        source = project.add_span(added[0], *SOURCE, "source", "lead")
        claim = project.add_span(added[0], *CLAIM, "claim", "lead")
        project.add_relation(source.id or 0, claim.id or 0, "attributed_to")
    return path


def the_link(project: Project) -> Relation:
    (document,) = project.documents()
    (relation,) = project.relations(document.id or 0)
    return relation


def stored(path: Path) -> tuple[object, ...]:
    """The link's note and attrs as SQLite holds them (read without Factmark)."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return tuple(conn.execute("SELECT note, attrs FROM relations").fetchone())
    finally:
        conn.close()


def test_a_new_project_defines_quote_on_attributed_to(lead: Path) -> None:
    with Project.open(lead) as project:
        assert project.link_attribute_definitions() == {
            "attributed_to": [
                {
                    "name": "quote",
                    "values": ["direct", "indirect", "mixed"],
                    "keys": ["Shift+Alt+Q", "Shift+Alt+I", "Shift+Alt+X"],
                }
            ]
        }


def test_setting_a_links_attribute_and_note_is_undone_exactly(lead: Path) -> None:
    with Project.open(lead) as project:
        link = the_link(project)
        heard: list[ChangeSet] = []
        project.subscribe(heard.append)
        quote = UpdateRelation(link.document_id or 0, link.id or 0, {"attrs": {"quote": "direct"}})
        changes = quote.apply(project)
        edit = changes.relations[link.id or 0]
        assert edit.old is not None and edit.old.attrs == {}
        assert edit.new is not None and edit.new.attrs == {"quote": "direct"}
        assert changes.relations_changed(link.document_id)
        note = UpdateRelation(link.document_id or 0, link.id or 0, {"note": "said on Telegram"})
        note.apply(project)
    assert stored(lead) == ("said on Telegram", '{"quote":"direct"}')
    with Project.open(lead) as project:
        note.revert(project)
        assert stored(lead) == (None, '{"quote":"direct"}')
        quote.revert(project)
    assert stored(lead) == (None, "{}")


def test_deleting_a_link_or_its_span_and_undoing_brings_back_its_note_and_quote(
    lead: Path,
) -> None:
    with Project.open(lead) as project:
        link = the_link(project)
        project.update_relation(link.id or 0, note="n", attrs={"quote": "mixed"})
        delete = DeleteRelation(link.document_id or 0, link.id or 0)
        delete.apply(project)
        delete.revert(project)
        assert stored(lead) == ("n", '{"quote":"mixed"}')
        span = DeleteSpan(link.document_id or 0, link.head_span_id)
        span.apply(project)
        assert project.relations(link.document_id or 0) == []
        span.revert(project)
        assert the_link(project) == Relation(
            link.id,
            link.document_id,
            link.head_span_id,
            link.child_span_id,
            "attributed_to",
            "n",
            {"quote": "mixed"},
        )


def test_a_links_note_must_be_text_and_its_attributes_an_object(lead: Path) -> None:
    with Project.open(lead) as project:
        link = the_link(project)
        for changes in ({"note": "a\x00b"}, {"attrs": ["direct"]}, {"label": "x"}):
            with pytest.raises(ValueError):
                project.update_relation(link.id or 0, **changes)
    assert stored(lead) == (None, "{}")


def test_an_import_stores_a_links_note_and_attributes(tmp_path: Path) -> None:
    with Project.open(tmp_path / "p.factmark") as project:
        project.add_document(
            IncomingDocument(
                TEXT,
                spans=[
                    IncomingSpan(*SOURCE, "source", ref=1),
                    IncomingSpan(*CLAIM, "claim", ref=2),
                ],
                relations=[IncomingRelation(1, 2, "attributed_to", "n", {"quote": "direct"})],
            )
        )
    assert stored(tmp_path / "p.factmark") == ("n", '{"quote":"direct"}')


# -- copies and merges --------------------------------------------------------------------


def copy_for(lead: Path, name: str) -> Path:
    path = lead.with_name(f"{name}.factmark")
    with Project.open(lead) as project:
        make_copy(project, path, name)
    return path


def set_link(path: Path, **changes: object) -> None:
    with Project.open(path) as project:
        project.update_relation(the_link(project).id or 0, **changes)


def merge(target: Path, *sources: Path) -> list[str]:
    with Project.open(target) as project:
        reports = merge_projects(project, sources)
    lines = [line for report in reports for line in report.lines()]
    assert not any(report.failed for report in reports), lines
    return lines


def test_each_link_attribute_and_the_note_merge_on_their_own(lead: Path) -> None:
    set_link(lead, attrs={"quote": "indirect", "tone": "neutral"})
    ana, bob = copy_for(lead, "ana"), copy_for(lead, "bob")
    set_link(ana, attrs={"quote": "direct", "tone": "neutral"})
    set_link(bob, note="checked against the video")
    merge(lead, ana, bob)
    assert stored(lead) == ("checked against the video", '{"quote":"direct","tone":"neutral"}')
    with Project.open_to_read(lead) as project:
        assert conflicts(project) == []


def test_an_edit_of_a_link_on_both_sides_is_queued_and_decided_undoably(lead: Path) -> None:
    ana = copy_for(lead, "ana")
    set_link(ana, attrs={"quote": "direct"})
    set_link(lead, attrs={"quote": "mixed"})
    lines = merge(lead, ana)
    assert any("attributed_to link source 0-9 by lead → claim 16-51 by lead" in x for x in lines)
    assert stored(lead) == (None, '{"quote":"mixed"}')
    with Project.open(lead) as project:
        (found,) = conflicts(project)
        assert found.kind == "relation"
        assert (found.version("target"), found.version("source")) == (
            'no note; quote: "mixed"',
            'no note; quote: "direct"',
        )
        assert found.span_key == ("lead", 0, 9, "source")
        take = DecideConflict(found.id, "source")
        take.apply(project)
        assert the_link(project).attrs == {"quote": "direct"}
        take.revert(project)
        assert the_link(project).attrs == {"quote": "mixed"}
        assert len(conflicts(project)) == 1
    merge(lead, ana)  # the same conflict again: not queued twice
    with Project.open_to_read(lead) as project:
        assert len(conflicts(project)) == 1


def test_a_link_deleted_in_the_copy_but_edited_here_is_a_conflict(lead: Path) -> None:
    ana = copy_for(lead, "ana")
    with Project.open(ana) as project:
        project.delete_relation(the_link(project).id or 0)
    set_link(lead, note="keep: confirmed")
    merge(lead, ana)
    assert stored(lead) == ("keep: confirmed", "{}")
    with Project.open(lead) as project:
        (found,) = conflicts(project)
        assert found.version("source") == "deleted"
        DecideConflict(found.id, "source").apply(project)
        (document,) = project.documents()
        assert project.relations(document.id or 0) == []


def test_a_link_deleted_in_the_copy_and_untouched_here_goes(lead: Path) -> None:
    set_link(lead, attrs={"quote": "direct"})
    ana = copy_for(lead, "ana")
    with Project.open(ana) as project:
        project.delete_relation(the_link(project).id or 0)
    merge(lead, ana)
    with Project.open_to_read(lead) as project:
        (document,) = project.documents()
        assert project.relations(document.id or 0) == []


def test_a_copy_without_a_base_fills_what_the_project_lacks_and_keeps_its_own(
    lead: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other.factmark"
    with Project.open(lead) as project:
        project.copy_to(other)  # a plain copy: no base
    set_link(other, note="from the copy", attrs={"quote": "direct", "tone": "angry"})
    set_link(lead, attrs={"quote": "indirect"})
    lines = merge(lead, other)
    assert stored(lead) == ("from the copy", '{"quote":"indirect","tone":"angry"}')
    assert any(
        'kept this project\'s no note, attrs {"quote":"indirect"}' in line for line in lines
    ), lines


def test_renaming_a_link_type_takes_its_attributes_along_and_undo_brings_them_back(
    lead: Path,
) -> None:
    with Project.open(lead) as project:
        rename = UpdateRelationType("attributed_to", {"name": "said_by"})
        rename.apply(project)
        assert list(project.link_attribute_definitions()) == ["said_by"]
        assert the_link(project).label == "said_by"
        rename.revert(project)
        assert list(project.link_attribute_definitions()) == ["attributed_to"]
