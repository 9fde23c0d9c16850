"""Link (relation) types: adding, renaming, describing, reordering and deleting them."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from tests.core.conftest import kinds

from factmark.core.exporting import export
from factmark.core.exporting.base import Selection
from factmark.core.incoming import IncomingDocument
from factmark.core.model import ValidationError
from factmark.core.project import ChangeSet, Project, ProjectError

ARTICLE = "The minister said 40 schools in Kharkiv reopened on Monday."
OTHER = "A spokesperson said 12 more would follow in Kharkiv."
DEFAULTS = ["attributed_to", "part_of"]


@pytest.fixture
def changes(project: Project) -> list[ChangeSet]:
    """Every change the project notifies from now on."""
    heard: list[ChangeSet] = []
    project.subscribe(heard.append)
    return heard


def link(project: Project, text: str, head: tuple[str, str], child: tuple[str, str], kind: str):
    """Add a document holding ``text`` with two spans and a link of type ``kind``."""
    added = project.add_document(IncomingDocument(text, title=text[:20]))
    assert added is not None
    ids = []
    for piece, label in (head, child):
        start = text.index(piece)
        ids.append(project.add_span(added[0], start, start + len(piece), label).id)
    return project.add_relation(ids[0], ids[1], kind)


def linked(project: Project) -> Project:
    """Two documents: one part_of link in each, one attributed_to link in the first."""
    first = link(project, ARTICLE, ("40", "number"), ("40 schools", "claim"), "part_of")
    link(project, OTHER, ("12", "number"), ("12 more", "claim"), "part_of")
    spans = project.spans(first.document_id or 0)
    source = project.add_span(first.document_id or 0, 0, 12, "source")
    project.add_relation(source.id or 0, spans[0].id or 0, "attributed_to")
    return project


def kinds_of_links(project: Project) -> list[str]:
    return [r.label for d in project.documents() for r in project.relations(d.id or 0)]


# -- adding -------------------------------------------------------------------------------


def test_added_type_goes_last_tidied_and_is_announced(
    project: Project, changes: list[ChangeSet]
) -> None:
    assert project.add_relation_type("  contradicts ", " X refutes Y. ") == "contradicts"
    assert project.relation_type_rows()[-1] == {
        "name": "contradicts",
        "description": "X refutes Y.",
        "links": 0,
    }
    assert kinds(changes) == [{"relation_types"}]  # not "labels": a window keeps its undo


def test_added_type_goes_after_types_that_imports_brought(project: Project) -> None:
    link(project, ARTICLE, ("40", "number"), ("Kharkiv", "location"), "near")  # position 100
    project.add_relation_type("contradicts")
    assert project.relation_types() == [*DEFAULTS, "near", "contradicts"]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "a link type needs a name"),
        ("   ", "a link type needs a name"),
        ("part_of", "link type 'part_of' exists already"),
        ("Part_Of", "link type 'Part_Of' exists already (as 'part_of')"),
        ("two words", "a link type is one word, e.g. contradicts, not 'two words'"),
        ("tab\there", "a link type is one word"),
    ],
)
def test_bad_names_are_refused_and_change_nothing(
    project: Project, changes: list[ChangeSet], name: str, message: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        project.add_relation_type(name)
    assert message in str(refused.value)
    assert project.relation_types() == DEFAULTS
    assert changes == []


# -- renaming and describing ----------------------------------------------------------


def test_rename_carries_every_link_along_in_one_change(
    project: Project, changes: list[ChangeSet]
) -> None:
    linked(project)
    changes.clear()
    assert project.update_relation_type("part_of", name=" component_of ") == "component_of"
    assert project.relation_types() == ["attributed_to", "component_of"]
    assert sorted(kinds_of_links(project)) == ["attributed_to", "component_of", "component_of"]
    assert [row["links"] for row in project.relation_type_rows()] == [1, 2]
    # The window refreshes the link list of each document touched, then the labels.
    (change,) = changes  # one change: both documents' links and the renamed type
    assert change.relations_of == {1, 2}
    assert change.kinds() == {"relations_of", "relation_types", "label_renamed"}


def test_a_renamed_type_is_committed_and_exported(
    project: Project, project_path: Path, tmp_path: Path
) -> None:
    linked(project)
    project.update_relation_type("attributed_to", name="said_by")
    project.close()
    with Project.open(project_path) as reopened:
        assert reopened.relation_types()[0] == "said_by"
        out = tmp_path / "out.jsonl"
        export(reopened, "jsonl", out, Selection(frozenset()))
    first = orjson.loads(out.read_bytes().splitlines()[0])
    assert sorted(r["label"] for r in first["relations"]) == ["part_of", "said_by"]


def test_a_rename_is_one_transaction(project: Project, changes: list[ChangeSet]) -> None:
    """Links that cannot be renamed leave the type as it was."""
    linked(project)
    changes.clear()
    project.conn.execute(
        "CREATE TRIGGER refuse BEFORE UPDATE ON relations BEGIN SELECT RAISE(ABORT, 'no'); END"
    )
    with pytest.raises(ProjectError):
        project.update_relation_type("part_of", name="component_of")
    assert project.relation_types() == DEFAULTS
    assert sorted(kinds_of_links(project)) == ["attributed_to", "part_of", "part_of"]
    assert changes == []


def test_describe_and_rename_only_in_case(project: Project, changes: list[ChangeSet]) -> None:
    assert project.update_relation_type("part_of", description=" In it. ") == "part_of"
    assert project.relation_type_rows()[1]["description"] == "In it."
    assert project.update_relation_type("part_of", name="Part_of") == "Part_of"
    assert project.relation_types() == ["attributed_to", "Part_of"]
    # A rename also says stored names changed (a window's undo steps name the old type).
    assert kinds(changes) == [{"relation_types"}, {"relation_types", "label_renamed"}]


def test_changing_nothing_writes_nothing(project: Project, changes: list[ChangeSet]) -> None:
    description = project.relation_type_rows()[1]["description"]
    project.update_relation_type("part_of", name="part_of", description=description)
    project.update_relation_type("part_of")
    assert changes == []


@pytest.mark.parametrize(
    ("name", "changes_asked", "message"),
    [
        ("part_of", {"name": "attributed_to"}, "link type 'attributed_to' exists already"),
        ("part_of", {"name": ""}, "a link type needs a name"),
        ("part_of", {"name": "in it"}, "a link type is one word"),
        ("part_of", {"colour": "#000000"}, "link types have no field ['colour']"),
        ("cites", {"name": "quotes"}, "unknown link type 'cites'"),
        ("part_of", {"description": 3}, "a description is text"),
    ],
)
def test_bad_changes_are_refused(
    project: Project, changes: list[ChangeSet], name: str, changes_asked: dict, message: str
) -> None:
    before = project.relation_type_rows()
    with pytest.raises(ValidationError) as refused:
        project.update_relation_type(name, **changes_asked)
    assert message in str(refused.value)
    assert project.relation_type_rows() == before
    assert changes == []


# -- reordering ---------------------------------------------------------------------------


def test_move_puts_the_type_at_the_position_and_persists(
    project: Project, project_path: Path, changes: list[ChangeSet]
) -> None:
    project.add_relation_type("contradicts")
    changes.clear()
    assert project.move_relation_type("contradicts", 0) == 2
    assert project.move_relation_type("attributed_to", 2) == 1
    assert project.relation_types() == ["contradicts", "part_of", "attributed_to"]
    assert kinds(changes) == [{"relation_types"}] * 2
    project.close()
    with Project.open(project_path) as reopened:
        assert reopened.relation_types() == ["contradicts", "part_of", "attributed_to"]


@pytest.mark.parametrize(
    ("name", "position", "message"),
    [
        ("cites", 0, "unknown link type 'cites'"),
        ("part_of", 2, "link type position 2 is outside 0-1"),
        ("part_of", -1, "link type position -1 is outside 0-1"),
    ],
)
def test_bad_moves_are_refused(project: Project, name: str, position: int, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        project.move_relation_type(name, position)
    assert project.relation_types() == DEFAULTS


# -- deleting -----------------------------------------------------------------------------


def test_a_type_in_use_is_not_deleted_and_the_message_counts_the_links(
    project: Project, changes: list[ChangeSet]
) -> None:
    linked(project)
    changes.clear()
    with pytest.raises(ValidationError) as refused:
        project.delete_relation_type("part_of")
    assert str(refused.value) == (
        "link type 'part_of' cannot be deleted: 2 links use it; delete those links first"
    )
    with pytest.raises(ValidationError, match="1 link uses it"):
        project.delete_relation_type("attributed_to")
    assert project.relation_types() == DEFAULTS
    assert changes == []


def test_an_unused_type_is_deleted_and_the_rest_renumbered(
    project: Project, changes: list[ChangeSet]
) -> None:
    project.add_relation_type("contradicts")
    changes.clear()
    project.delete_relation_type("attributed_to")
    assert project.relation_types() == ["part_of", "contradicts"]
    assert project.move_relation_type("contradicts", 0) == 1
    assert kinds(changes) == [{"relation_types"}] * 2
    with pytest.raises(ValidationError, match="unknown link type 'attributed_to'"):
        project.delete_relation_type("attributed_to")
