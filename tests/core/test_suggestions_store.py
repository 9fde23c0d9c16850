"""Suggestions in the project: stored for review, accepted or rejected (undoably), and
never exported, counted or taken for progress."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import orjson
import pytest
from tests.core.conftest import kinds

from factmark.core.changes import DocumentState, Edit
from factmark.core.exporting import FORMATS, export
from factmark.core.exporting.base import Selection
from factmark.core.incoming import IncomingDocument
from factmark.core.model import Proposal, Suggestion, ValidationError
from factmark.core.operations import AcceptSuggestion, AddSpan, RejectSuggestion
from factmark.core.project import ChangeSet, Project
from factmark.core.suggest import suggest

TEXT = "Officials in Kyiv said 500 men left Bakhmut on Monday."
ALL = Selection(frozenset())


@pytest.fixture
def doc(project: Project) -> int:
    added = project.add_document(IncomingDocument(TEXT, title="Kyiv"))
    assert added is not None
    return added[0]


def proposal(text: str, label: str, suggester: str = "rule", confidence: float = 0.8) -> Proposal:
    start = TEXT.index(text)
    return Proposal(start, start + len(text), label, suggester, confidence)


def stored(project: Project, doc: int) -> list[tuple[str, str, str, float]]:
    return [
        (TEXT[s.start : s.end], s.label, s.suggester, s.confidence)
        for s in project.suggestions(doc)
    ]


def test_add_suggestions_stores_them_in_text_order_and_counts_new_ones(
    project: Project, doc: int
) -> None:
    proposals = [
        proposal("500", "number", "number", 0.9),
        proposal("Kyiv", "location", "location"),
        proposal("Officials in Kyiv", "source", "source", 0.7),
    ]
    assert project.add_suggestions(doc, proposals) == 3
    assert stored(project, doc) == [
        ("Officials in Kyiv", "source", "source", 0.7),
        ("Kyiv", "location", "location", 0.8),
        ("500", "number", "number", 0.9),
    ]
    assert project.add_suggestions(doc, [*proposals, proposal("Bakhmut", "location")]) == 1


def test_suggestions_identical_to_a_span_are_skipped_and_hidden(project: Project, doc: int) -> None:
    start = TEXT.index("Kyiv")
    project.add_span(doc, start, start + 4, "location", "ana")
    assert project.add_suggestions(doc, [proposal("Kyiv", "location")]) == 0
    assert project.add_suggestions(doc, [proposal("Kyiv", "source")]) == 0  # another label
    # a suggestion stored before the span was made is hidden once the span exists
    project.add_suggestions(doc, [proposal("Bakhmut", "location")])
    project.add_span(doc, TEXT.index("Bakhmut"), TEXT.index("Bakhmut") + 7, "location")
    assert stored(project, doc) == []


def test_a_suggestion_inside_a_span_of_its_label_is_not_proposed_one_of_another_is(
    project: Project, doc: int
) -> None:
    """Spans nest when they mark different things (a number inside a claim); the same
    label inside its own span marks the same thing twice."""
    inner = proposal("men left", "claim")
    assert project.add_suggestions(doc, [inner]) == 1  # no claim there yet
    claim = TEXT.index("500 men left Bakhmut")
    span = project.add_span(doc, claim, claim + len("500 men left Bakhmut"), "claim", "ana")
    added = project.add_suggestions(
        doc,
        [
            proposal("500 men", "number"),  # inside the claim: another label
            proposal("left Bakhmut", "claim"),  # inside a claim: the same thing again
            proposal("said 500 men left Bakhmut", "claim"),  # around it: the user judges
        ],
    )
    assert added == 2
    assert [(text, label) for text, label, *_ in stored(project, doc)] == [
        ("said 500 men left Bakhmut", "claim"),
        ("500 men", "number"),
    ]
    project.delete_span(span.id or 0)  # the claim went: what it hid is proposed again
    assert [(text, label) for text, label, *_ in stored(project, doc)] == [
        ("said 500 men left Bakhmut", "claim"),
        ("500 men", "number"),
        ("men left", "claim"),
    ]


@pytest.mark.parametrize(
    "bad",
    [
        Proposal(0, 0, "number", "number", 0.5),
        Proposal(0, len(TEXT) + 1, "number", "number", 0.5),
        Proposal(0, 4, "person", "number", 0.5),
        Proposal(0, 4, "number", "", 0.5),
        Proposal(0, 4, "number", "number", 1.5),
    ],
)
def test_one_bad_proposal_stores_none(project: Project, doc: int, bad: Proposal) -> None:
    with pytest.raises(ValidationError):
        project.add_suggestions(doc, [proposal("500", "number"), bad])
    assert project.suggestions(doc) == []


def test_suggestions_are_not_spans_progress_or_statistics(project: Project, doc: int) -> None:
    before = project.stats()
    project.add_suggestions(doc, suggest(TEXT))
    assert len(project.suggestions(doc)) >= 4
    assert project.stats() == before
    assert project.document(doc).status == "new"
    assert project.document(doc).span_count == 0
    assert project.spans(doc) == []
    assert project.annotators() == []


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_suggestions_are_never_exported(
    project: Project, doc: int, tmp_path: Path, fmt: str
) -> None:
    project.add_suggestions(doc, suggest(TEXT))
    suggestion = project.suggestions(doc)[0]
    project.accept_suggestion(suggestion.id or 0, "ana")
    project.set_status(doc, "done")
    result = export(project, fmt, tmp_path / f"out{FORMATS[fmt].SUFFIX}", ALL, card=False)
    assert (result.documents, result.spans) == (1, 1)
    if fmt == "jsonl":
        record = orjson.loads(result.path.read_bytes())
        assert [(s["start"], s["end"], s["label"]) for s in record["spans"]] == [
            (suggestion.start, suggestion.end, suggestion.label)
        ]
        assert record["spans"][0]["attrs"] == {"suggested_by": suggestion.suggester}


def test_accept_makes_a_normal_span_in_one_step(project: Project, doc: int) -> None:
    project.add_suggestions(doc, [proposal("500", "number", "number", 0.9)])
    (suggestion,) = project.suggestions(doc)
    changes: list[ChangeSet] = []
    project.subscribe(changes.append)
    span = project.accept_suggestion(suggestion.id or 0, "ana")
    assert (span.start, span.end, span.label, span.annotator) == (
        suggestion.start,
        suggestion.end,
        "number",
        "ana",
    )
    assert span.attrs == {"suggested_by": "number"}
    assert project.spans(doc) == [span]
    assert project.suggestions(doc) == []
    assert project.document(doc).status == "in_progress"
    (change,) = changes  # the span, the suggestion gone and the status: one commit
    assert change.kinds() == {"spans", "suggestions_of", "documents"}
    assert change.spans[span.id or 0] == Edit(None, span)
    assert change.suggestions_of == {doc}
    assert change.documents[doc] == Edit(
        DocumentState(doc, "new"), DocumentState(doc, "in_progress")
    )
    with pytest.raises(ValidationError):
        project.accept_suggestion(suggestion.id or 0, "ana")  # gone


def test_accepting_what_is_already_a_span_is_refused(project: Project, doc: int) -> None:
    project.add_suggestions(doc, [proposal("500", "number")])
    (suggestion,) = project.suggestions(doc)
    project.add_span(doc, suggestion.start, suggestion.end, "number", "ana")
    with pytest.raises(ValidationError, match="already labelled"):
        project.accept_suggestion(suggestion.id or 0, "bo")
    assert len(project.spans(doc)) == 1


def test_accept_operation_undoes_and_redoes_exactly(
    project: Project, doc: int, snapshot: Callable[[Project], dict]
) -> None:
    project.add_suggestions(doc, [proposal("500", "number", "number", 0.9)])
    (suggestion,) = project.suggestions(doc)
    before, suggestions_before = snapshot(project), project.suggestions(doc)
    operation = AcceptSuggestion(doc, suggestion.id or 0, "ana")
    operation.apply(project)
    after = snapshot(project)
    assert project.suggestions(doc) == []
    assert operation.description == "Accept number"

    operation.revert(project)
    assert snapshot(project) == before
    assert project.suggestions(doc) == suggestions_before  # same id, suggester, confidence
    assert project.document(doc).status == "new"

    operation.apply(project)  # redo
    assert snapshot(project) == after  # the span comes back under the same id


def test_reject_hides_for_good_and_the_operation_puts_it_back(project: Project, doc: int) -> None:
    project.add_suggestions(doc, [proposal("500", "number"), proposal("Kyiv", "location")])
    first, second = project.suggestions(doc)
    changes: list[ChangeSet] = []
    project.subscribe(changes.append)
    operation = RejectSuggestion(doc, second.id or 0)
    operation.apply(project)
    assert project.suggestions(doc) == [first]
    assert kinds(changes) == [{"suggestions_of"}]
    assert project.add_suggestions(doc, [proposal("500", "number")]) == 0  # stays rejected
    with pytest.raises(ValidationError):
        project.reject_suggestion(second.id or 0)
    operation.revert(project)
    assert project.suggestions(doc) == [first, second]
    assert project.spans(doc) == []


def test_undo_of_a_span_added_by_hand_leaves_suggestions_alone(project: Project, doc: int) -> None:
    project.add_suggestions(doc, [proposal("500", "number")])
    start = TEXT.index("Kyiv")
    add = AddSpan(doc, start, start + 4, "location", "ana")
    add.apply(project)
    add.revert(project)
    assert stored(project, doc) == [("500", "number", "rule", 0.8)]


def test_clear_forgets_everything_of_one_document(project: Project, doc: int) -> None:
    other = project.add_document(IncomingDocument("Another text about 12 drones."))
    assert other is not None
    project.add_suggestions(doc, [proposal("500", "number"), proposal("Kyiv", "location")])
    project.add_suggestions(other[0], [Proposal(19, 21, "number", "number", 0.9)])
    project.reject_suggestion(project.suggestions(doc)[0].id or 0)
    assert project.clear_suggestions(doc) == 1
    assert project.add_suggestions(doc, [proposal("Kyiv", "location")]) == 1  # forgotten
    assert len(project.suggestions(other[0])) == 1


def test_restore_puts_back_a_suggestion_exactly(project: Project, doc: int) -> None:
    project.add_suggestions(doc, [proposal("500", "number", "number", 0.25)])
    (suggestion,) = project.suggestions(doc)
    project.clear_suggestions(doc)
    project.restore_suggestion(suggestion)
    assert project.suggestions(doc) == [suggestion]
    assert isinstance(project.suggestion(suggestion.id or 0), Suggestion)


def test_labels_renamed_or_deleted_carry_their_suggestions(project: Project, doc: int) -> None:
    project.add_label("person", "5")
    project.add_suggestions(doc, [proposal("Officials", "person"), proposal("500", "number")])
    project.update_label("number", name="figure")
    assert {s.label for s in project.suggestions(doc)} == {"person", "figure"}
    project.delete_label("person")  # no span uses it; its suggestions go with it
    assert {s.label for s in project.suggestions(doc)} == {"figure"}


def test_deleting_a_document_deletes_its_suggestions(project: Project, doc: int) -> None:
    project.add_suggestions(doc, [proposal("500", "number")])
    project.db.execute("DELETE FROM documents WHERE id = ?", [doc])
    rows = project.db.execute("SELECT count(*) FROM suggestions").fetchone()[0]
    assert rows == 0  # ON DELETE CASCADE


def test_labelled_texts_are_what_the_project_learns_from(project: Project, doc: int) -> None:
    start = TEXT.index("Kyiv")
    project.add_span(doc, start, start + 4, "location")
    project.add_span(doc, start, start + 4, "source")
    project.add_span(doc, 0, start + 4, "source")
    project.add_span(doc, 0, 1, "claim")  # one character: too short to learn
    expected = [("Kyiv", "location"), ("Kyiv", "source"), ("Officials in Kyiv", "source")]
    assert sorted(project.labelled_texts(shortest=2)) == expected  # one pair per span
    assert len(list(project.labelled_texts())) == 4
    assert project.span_count() == 4


def test_a_project_from_before_suggestions_gains_the_table(project_path: Path) -> None:
    with Project.open(project_path) as project:
        project.add_document(IncomingDocument(TEXT))
    conn = sqlite3.connect(project_path)
    conn.execute("DROP TABLE suggestions")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm003_suggestions'")
    conn.commit()
    conn.close()
    with Project.open(project_path) as project:
        assert project.backup_path is not None and project.backup_path.exists()
        (document,) = project.documents()
        assert project.add_suggestions(document.id or 0, suggest(TEXT)) > 0
