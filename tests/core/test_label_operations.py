"""Label and link-type edits as operations: each applied, reverted and applied again gives
exactly the same project; steps refer to labels by stable ids, so a rename between an
edit and its undo breaks nothing; an older project's labels are numbered when upgraded."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlite_utils import Database
from tests.core.conftest import Snapshot

from factmark.core.incoming import IncomingDocument, IncomingRelation, IncomingSpan
from factmark.core.label_operations import (
    AddLabel,
    AddRelationType,
    DeleteLabel,
    DeleteRelationType,
    MoveLabel,
    MoveRelationType,
    UpdateLabel,
    UpdateRelationType,
)
from factmark.core.model import Label, Proposal, ValidationError
from factmark.core.operations import (
    AcceptSuggestion,
    AddRelation,
    AddSpan,
    DeleteRelation,
    DeleteSpan,
    Operation,
    RejectSuggestion,
    UpdateSpan,
)
from factmark.core.project import Project
from factmark.core.schema import migrations

TEXT = "Prigozhin said Wagner had lost 500 men near Bakhmut on Tuesday."
DEFAULTS = ["claim", "source", "location", "number"]
LINK_TYPES = ["attributed_to", "part_of"]


def _at(word: str) -> tuple[int, int]:
    start = TEXT.index(word)
    return start, start + len(word)


@pytest.fixture
def doc(project: Project) -> int:
    """A document with a source, a claim linked to it (attributed_to), a location
    suggestion awaiting review and a rejected one."""
    added = project.add_document(IncomingDocument(TEXT, title="t"))
    assert added is not None
    doc = added[0]
    source = project.add_span(doc, *_at("Prigozhin"), "source", "ana")
    claim = project.add_span(doc, *_at("Wagner had lost 500 men"), "claim", "ana")
    project.add_relation(source.id or 0, claim.id or 0, "attributed_to")
    project.add_suggestions(
        doc,
        [
            Proposal(*_at("Bakhmut"), "location", "places", 0.9),
            Proposal(*_at("Tuesday"), "location", "places", 0.4),
        ],
    )
    project.reject_suggestion(project.suggestions(doc)[1].id or 0)
    return doc


def names(project: Project) -> list[str]:
    return [label.name for label in project.labels()]


def claim_span(project: Project, doc: int) -> int:
    (span,) = [s for s in project.spans(doc) if s.start == _at("Wagner")[0]]
    return span.id or 0


def _state(project: Project, doc: int, snapshot: Callable[[Project], Snapshot]) -> object:
    """Everything the label operations touch, ids included (labels compare without)."""
    rejected = project.conn.execute(
        "SELECT id, label, rejected_at IS NOT NULL FROM suggestions ORDER BY id"
    ).fetchall()
    return (
        snapshot(project),
        [(label, label.id) for label in project.labels()],
        project.relation_type_rows(),
        project.relation_type_entries(),
        project.suggestions(doc),
        rejected,
    )


OPERATIONS: dict[str, Callable[[], Operation]] = {
    "add label": lambda: AddLabel("weapon", "w", "#D55E00", "Arms."),
    "rename a used label": lambda: UpdateLabel("claim", {"name": "assertion"}),
    "rename a suggested label": lambda: UpdateLabel("location", {"name": "place"}),
    "re-key, recolour and describe": lambda: UpdateLabel(
        "source", {"key": "s", "colour": "#0072b2", "description": " Who said it "}
    ),
    "move label": lambda: MoveLabel("number", 0),
    "delete an unused label": lambda: DeleteLabel("number"),
    "delete a suggested label": lambda: DeleteLabel("location"),
    "add link type": lambda: AddRelationType("contradicts", "X refutes Y."),
    "rename a used link type": lambda: UpdateRelationType("attributed_to", {"name": "said_by"}),
    "describe link type": lambda: UpdateRelationType("part_of", {"description": "Inside."}),
    "move link type": lambda: MoveRelationType("part_of", 0),
    "delete link type": lambda: DeleteRelationType("part_of"),
}


@pytest.mark.parametrize("name", list(OPERATIONS))
def test_apply_revert_apply_is_exact(
    project: Project, doc: int, snapshot: Callable[[Project], Snapshot], name: str
) -> None:
    operation = OPERATIONS[name]()
    before = _state(project, doc, snapshot)
    changes = operation.apply(project)
    after = _state(project, doc, snapshot)
    assert after != before and changes  # it changed something, and says so
    assert operation.document_id is None  # an edit of no one document
    assert operation.revert(project)
    assert _state(project, doc, snapshot) == before
    operation.apply(project)  # redo
    assert _state(project, doc, snapshot) == after
    operation.revert(project)  # and once more: the second apply kept what undo needs
    assert _state(project, doc, snapshot) == before


def test_deleted_label_comes_back_with_its_id_place_key_colour_and_description(
    project: Project,
) -> None:
    source = project.labels()[1]
    delete = DeleteLabel("source")
    delete.apply(project)
    assert names(project) == ["claim", "location", "number"]
    project.add_label("date", "d")  # takes the next id, not the deleted one's
    assert project.label_id("date") == 5
    delete.revert(project)
    (restored,) = [label for label in project.labels() if label.name == "source"]
    assert (restored, restored.id) == (source, source.id)
    assert names(project) == ["claim", "source", "location", "number", "date"]
    assert delete.description == "Delete label source"


def test_deleted_link_type_comes_back_in_its_place_with_its_id(project: Project) -> None:
    before = project.relation_type_entries()
    delete = DeleteRelationType("attributed_to")
    delete.apply(project)
    assert project.relation_types() == ["part_of"]
    delete.revert(project)
    assert project.relation_type_entries() == before
    assert project.relation_type_id("attributed_to") == before[0].id


def test_refused_edits_change_nothing_and_say_why(
    project: Project, doc: int, snapshot: Callable[[Project], Snapshot]
) -> None:
    before = _state(project, doc, snapshot)
    for operation, message in (
        (DeleteLabel("claim"), "label 'claim' cannot be deleted: 1 span uses it"),
        (UpdateLabel("claim", {"key": "2"}), "key '2' is taken by label 'source'"),
        (AddLabel("Claim"), "label 'Claim' exists already (as 'claim')"),
        (MoveLabel("claim", 9), "label position 9 is outside 0-3"),
        (DeleteRelationType("attributed_to"), "link type 'attributed_to' cannot be deleted"),
        (UpdateRelationType("part_of", {"name": "two words"}), "a link type is one word"),
    ):
        with pytest.raises(ValidationError):
            operation.apply(project)
        assert operation.problem.startswith(message), operation.problem
    assert _state(project, doc, snapshot) == before


# -- a rename between an edit and its undo ------------------------------------------------


def test_relabel_then_rename_undone_in_stack_order(project: Project, doc: int) -> None:
    span = claim_span(project, doc)
    relabel = UpdateSpan(doc, span, {"label": "source"})
    relabel.apply(project)
    rename = UpdateLabel("source", {"name": "speaker"})
    rename.apply(project)
    assert project.span(span).label == "speaker"
    assert rename.description == "Rename label source to speaker"

    rename.revert(project)
    assert project.span(span).label == "source"
    assert names(project) == DEFAULTS
    relabel.revert(project)
    assert project.span(span).label == "claim"
    # and forward again, in stack order
    relabel.apply(project)
    rename.apply(project)
    assert project.span(span).label == "speaker"
    assert names(project) == ["claim", "speaker", "location", "number"]


def test_relabel_undone_while_its_labels_are_renamed(project: Project, doc: int) -> None:
    span = claim_span(project, doc)
    relabel = UpdateSpan(doc, span, {"label": "source"})
    relabel.apply(project)
    project.update_label("source", name="speaker")
    relabel.revert(project)  # the rename stays: the span gets back "claim"
    assert project.span(span).label == "claim"
    project.update_label("claim", name="assertion")
    relabel.apply(project)  # redo writes the new name of "source"
    assert project.span(span).label == "speaker"
    assert relabel.description == "Relabel as speaker"
    relabel.revert(project)  # undo writes the new name of "claim"
    assert project.span(span).label == "assertion"


def test_annotation_steps_follow_renames_of_labels_and_link_types(
    project: Project, doc: int
) -> None:
    source, claim = (s.id or 0 for s in project.spans(doc))
    add = AddSpan(doc, *_at("500"), "number", "bo")
    add.apply(project)
    add.revert(project)
    project.update_label("number", name="figure")
    add.apply(project)  # redo: the label as it is called now
    assert add.span_id is not None and project.span(add.span_id).label == "figure"

    delete = DeleteSpan(doc, claim)  # takes its link (attributed_to) with it
    delete.apply(project)
    project.update_label("claim", name="assertion")
    project.update_relation_type("attributed_to", name="said_by")
    delete.revert(project)
    assert project.span(claim).label == "assertion"
    assert [r.label for r in project.relations(doc)] == ["said_by"]

    (link,) = project.relations(doc)
    unlink = DeleteRelation(doc, link.id or 0)
    unlink.apply(project)
    project.update_relation_type("said_by", name="quoted_by")
    unlink.revert(project)
    assert [r.label for r in project.relations(doc)] == ["quoted_by"]

    relink = AddRelation(doc, claim, source, "part_of")
    relink.apply(project)
    relink.revert(project)
    project.update_relation_type("part_of", name="inside")
    relink.apply(project)
    assert [r.label for r in project.relations(doc)] == ["quoted_by", "inside"]
    assert project.relation_types() == ["quoted_by", "inside"]  # none added by the redo


def test_suggestion_steps_follow_a_rename(project: Project, doc: int) -> None:
    (suggestion,) = project.suggestions(doc)
    accept = AcceptSuggestion(doc, suggestion.id or 0, "bo")
    accept.apply(project)
    project.update_label("location", name="place")
    accept.revert(project)
    assert [(s.id, s.label) for s in project.suggestions(doc)] == [(suggestion.id, "place")]

    reject = RejectSuggestion(doc, suggestion.id or 0)
    reject.apply(project)
    project.update_label("place", name="where")
    reject.revert(project)
    assert [(s.id, s.label) for s in project.suggestions(doc)] == [(suggestion.id, "where")]


def test_a_step_on_a_deleted_label_is_refused_not_misapplied(project: Project, doc: int) -> None:
    add = AddSpan(doc, *_at("500"), "number", "bo")
    add.apply(project)
    add.revert(project)
    project.delete_label("number")
    project.add_label("number")  # the same name, another label: a new id, never the old
    assert project.label_id("number") == 5
    with pytest.raises(ValidationError, match="no longer exists"):
        add.apply(project)
    assert "no longer exists" in add.problem


# -- ids ------------------------------------------------------------------------------------


def test_ids_are_stable_and_looked_up_both_ways(project: Project) -> None:
    assert [(label.name, label.id) for label in project.labels()] == [
        ("claim", 1),
        ("source", 2),
        ("location", 3),
        ("number", 4),
    ]
    project.move_label("number", 0)
    project.update_label("claim", name="assertion")
    assert project.label_id("assertion") == 1
    assert project.label_name(4) == "number"
    assert project.add_label("date").id == project.label_id("date") == 5
    assert [(e.name, e.id) for e in project.relation_type_entries()] == [
        ("attributed_to", 1),
        ("part_of", 2),
    ]
    project.update_relation_type("part_of", name="inside")
    assert project.relation_type_id("inside") == 2
    assert project.relation_type_name(1) == "attributed_to"
    project.add_relation_type("cites")
    assert project.relation_type_id("cites") == 3
    for lookup in (
        lambda: project.label_id("claim"),
        lambda: project.label_name(99),
        lambda: project.relation_type_id("part_of"),
        lambda: project.relation_type_name(99),
    ):
        with pytest.raises(ValidationError):
            lookup()


def test_labels_and_link_types_made_by_imports_get_ids(project: Project) -> None:
    document = IncomingDocument(TEXT)
    start, end = _at("Bakhmut")
    document.spans = [IncomingSpan(start, end, "town", ref=1), IncomingSpan(0, 9, "actor", ref=2)]
    document.relations = [IncomingRelation(2, 1, "near")]
    project.add_document(document, create_labels=True)
    assert {label.name: label.id for label in project.labels()}.keys() >= {"town", "actor"}
    assert sorted(label.id for label in project.labels()) == [1, 2, 3, 4, 5, 6]
    assert project.relation_type_id("near") == 3


def test_a_row_without_an_id_is_refused(project: Project) -> None:
    with pytest.raises(sqlite3.IntegrityError, match="id may not be NULL"):
        project.conn.execute("INSERT INTO labels (name, position) VALUES ('x', 9)")
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        project.conn.execute("INSERT INTO relation_types (id, name) VALUES (1, 'x')")
    project.conn.rollback()


def test_an_m006_project_is_upgraded_with_ids_in_position_order(tmp_path: Path) -> None:
    path = tmp_path / "m006.factmark"
    db = Database(path)
    db.execute("PRAGMA foreign_keys = ON")
    migrations().apply(db, stop_before="m007_label_ids")
    with db.atomic():
        db.execute("INSERT INTO labels (name, key, position) VALUES ('date', 'd', 4)")
        db.execute("UPDATE labels SET position = 5 WHERE name = 'claim'")  # now last
        db.execute("INSERT INTO relation_types (name, position) VALUES ('cites', 100)")
        db.execute("UPDATE relation_types SET position = 101 WHERE name = 'attributed_to'")
    before = [
        row[0] for row in db.execute("SELECT name FROM labels ORDER BY position, name").fetchall()
    ]
    db.close()
    assert before == ["source", "location", "number", "date", "claim"]

    with Project.open(path) as project:
        assert project.backup_path is not None
        assert [(label.name, label.id) for label in project.labels()] == [
            ("source", 1),
            ("location", 2),
            ("number", 3),
            ("date", 4),
            ("claim", 5),
        ]
        assert project.labels()[3] == Label("date", "d", "#999999", "", 4)
        assert [(e.name, e.id) for e in project.relation_type_entries()] == [
            ("part_of", 1),
            ("cites", 2),
            ("attributed_to", 3),
        ]
        assert project.add_label("weapon").id == 6
        assert project.add_relation_type("contradicts") and (
            project.relation_type_id("contradicts") == 4
        )
