"""Every operation applied and reverted without a window: revert gives back exactly the
project as it was, apply again exactly as it was after; each is one transaction."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from tests.core.conftest import Snapshot

from factmark.core.incoming import IncomingDocument
from factmark.core.model import Proposal, ValidationError
from factmark.core.operations import (
    AcceptSuggestion,
    AddRelation,
    AddSpan,
    Compound,
    DeleteRelation,
    DeleteSpan,
    Operation,
    RejectSuggestion,
    SetDocumentMeta,
    SetStatus,
    UpdateSpan,
)
from factmark.core.project import Project

TEXT = "Prigozhin said Wagner had lost 500 men near Bakhmut on Tuesday."


def _at(word: str) -> tuple[int, int]:
    start = TEXT.index(word)
    return start, start + len(word)


@pytest.fixture
def doc(project: Project) -> int:
    added = project.add_document(IncomingDocument(TEXT, title="t"))
    assert added is not None
    return added[0]


def _operations(project: Project, doc: int) -> dict[str, Callable[[], Operation]]:
    """Each kind of operation, made on a document that has a source, a claim linked to
    it and a suggestion."""
    source = project.add_span(doc, *_at("Prigozhin"), "source", "ana")
    claim = project.add_span(doc, *_at("Wagner had lost 500 men"), "claim", "ana")
    link = project.add_relation(source.id or 0, claim.id or 0, "attributed_to")
    start, end = _at("Bakhmut")
    project.add_suggestions(doc, [Proposal(start, end, "location", "places", 0.9)])
    (suggestion,) = project.suggestions(doc)
    project.set_status(doc, "new")
    return {
        "add span": lambda: AddSpan(doc, *_at("500"), "number", "bo"),
        "delete span with its link": lambda: DeleteSpan(doc, source.id or 0),
        "relabel": lambda: UpdateSpan(doc, claim.id or 0, {"label": "number"}),
        "resize": lambda: UpdateSpan(doc, claim.id or 0, {"start": claim.start + 7}),
        "note and attrs": lambda: UpdateSpan(
            doc, claim.id or 0, {"note": "check", "attrs": {"verdict": "false"}}
        ),
        "status": lambda: SetStatus(doc, "done"),
        "link": lambda: AddRelation(doc, claim.id or 0, source.id or 0, "attributed_to"),
        "unlink": lambda: DeleteRelation(doc, link.id or 0),
        "document fields": lambda: SetDocumentMeta(doc, {"publication": "Kyiv Post"}),
        "accept suggestion": lambda: AcceptSuggestion(doc, suggestion.id or 0, "bo"),
        "reject suggestion": lambda: RejectSuggestion(doc, suggestion.id or 0),
        "compound": lambda: Compound(
            doc,
            [AddSpan(doc, *_at("Tuesday"), "number", "bo"), DeleteSpan(doc, claim.id or 0)],
            "Two edits",
        ),
    }


NAMES = [
    "add span",
    "delete span with its link",
    "relabel",
    "resize",
    "note and attrs",
    "status",
    "link",
    "unlink",
    "document fields",
    "accept suggestion",
    "reject suggestion",
    "compound",
]


def _state(project: Project, doc: int, snapshot: Callable[[Project], Snapshot]) -> object:
    return snapshot(project), project.suggestions(doc)


@pytest.mark.parametrize("name", NAMES)
def test_apply_revert_apply_is_exact(
    project: Project, doc: int, snapshot: Callable[[Project], Snapshot], name: str
) -> None:
    operation = _operations(project, doc)[name]()
    before = _state(project, doc, snapshot)
    changes = operation.apply(project)
    after = _state(project, doc, snapshot)
    assert after != before and changes  # it changed something, and says so
    assert operation.revert(project)
    assert _state(project, doc, snapshot) == before
    operation.apply(project)  # redo
    assert _state(project, doc, snapshot) == after


def test_a_compound_edit_that_fails_part_way_changes_nothing(
    project: Project, doc: int, snapshot: Callable[[Project], Snapshot]
) -> None:
    before = snapshot(project)
    broken = Compound(
        doc,
        [AddSpan(doc, *_at("500"), "number"), AddSpan(doc, 0, len(TEXT) + 9, "claim")],
        "Two spans",
    )
    heard: list[object] = []
    project.subscribe(heard.append)
    with pytest.raises(ValidationError):
        broken.apply(project)
    assert snapshot(project) == before  # the first part was rolled back with the second
    assert heard == []


def test_a_label_key_press_runs_few_statements(project: Project, doc: int) -> None:
    """Adding a span reads nothing it already knows: the document's length is counted
    once, known labels and annotators are remembered."""
    AddSpan(doc, *_at("Prigozhin"), "source", "ana").apply(project)  # first: counts, learns
    statements: list[str] = []
    project.conn.set_trace_callback(statements.append)
    try:
        changes = AddSpan(doc, *_at("Wagner"), "claim", "ana").apply(project)
    finally:
        project.conn.set_trace_callback(None)
    assert len(statements) <= 6, statements
    assert [e.new.label for e in changes.spans.values() if e.new] == ["claim"]
