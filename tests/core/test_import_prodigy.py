"""Prodigy answers: binary ner.teach decisions keep only what the annotator accepted,
answers on one text become one document, and what is left out is told."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from factmark.core.importing import import_file
from factmark.core.project import Project

TEXT = "Kharkiv officials said 40 drones 🛩 were shot down over the city."


def at(needle: str) -> tuple[int, int]:
    start = TEXT.index(needle)
    return start, start + len(needle)


def teach(needle: str, label: str, answer: str, who: str, **extra: Any) -> dict[str, Any]:
    """One ner.teach task as Prodigy's db-out writes it: one suggested span."""
    start, end = at(needle)
    return {
        "text": TEXT,
        "_input_hash": -1286432118,
        "_task_hash": hash((needle, label)) % 10**9,
        "spans": [
            {"start": start, "end": end, "text": needle, "label": label, "score": 0.42, "rank": 0}
        ],
        "meta": {"score": 0.42},
        "_view_id": "ner",
        "answer": answer,
        "_timestamp": 1717000000,
        "_annotator_id": who,
        "_session_id": who,
        **extra,
    }


def spans_of(project: Project, document_id: int) -> set[tuple[str, str, str | None]]:
    text = project.document(document_id).text
    return {(text[s.start : s.end], s.label, s.annotator) for s in project.spans(document_id)}


def test_binary_answers_keep_accepted_spans_on_one_document(
    project: Project, write_jsonl: Callable[..., Path]
) -> None:
    path = write_jsonl(
        [
            teach("Kharkiv", "location", "accept", "news-olena"),
            teach("40 drones 🛩", "number", "accept", "news-olena"),
            teach("officials", "source", "reject", "news-olena"),
            teach("the city", "location", "ignore", "news-amina"),
            teach("40 drones 🛩", "number", "accept", "news-amina"),
        ]
    )

    report = import_file(project, path)

    assert report.lines() == [
        f"{path}: imported 1 document, 3 spans "
        "(left out 1 span rejected and 1 ignored in Prodigy answers)"
    ]
    (document,) = project.documents()
    assert document.status == "in_progress"  # binary answers say nothing of the rest
    assert spans_of(project, document.id or 0) == {
        ("Kharkiv", "location", "news-olena"),
        ("40 drones 🛩", "number", "news-olena"),
        ("40 drones 🛩", "number", "news-amina"),
    }


def test_a_single_rejected_binary_answer_is_no_span(
    project: Project, write_jsonl: Callable[..., Path]
) -> None:
    path = write_jsonl([teach("officials", "source", "reject", "news-olena")])

    report = import_file(project, path)

    assert report.notes == ["left out 1 span rejected in Prodigy answers"]
    (document,) = project.documents()
    assert (document.status, project.spans(document.id or 0)) == ("new", [])


def test_manual_answers_on_one_text_are_merged(
    project: Project, write_jsonl: Callable[..., Path]
) -> None:
    start, end = at("Kharkiv")
    manual = {"text": TEXT, "_view_id": "ner_manual", "tokens": []}
    path = write_jsonl(
        [
            {
                **manual,
                "spans": [{"start": start, "end": end, "label": "location"}],
                "answer": "accept",
                "_annotator_id": "news-olena",
            },
            {
                **manual,
                "spans": [{"start": start, "end": end, "label": "source"}],
                "answer": "reject",
                "_annotator_id": "news-amina",
            },
            {
                **manual,
                "spans": [{"start": start, "end": end, "label": "location"}],
                "answer": "accept",
                "_annotator_id": "news-wei",
            },
        ]
    )

    report = import_file(project, path)

    assert report.lines() == [
        f"{path}: imported 1 document, 2 spans (left out 1 span rejected in Prodigy answers)"
    ]
    (document,) = project.documents()
    assert document.status == "done"
    assert spans_of(project, document.id or 0) == {
        ("Kharkiv", "location", "news-olena"),
        ("Kharkiv", "location", "news-wei"),
    }


def test_a_single_manual_answer_keeps_its_meaning(
    project: Project, write_jsonl: Callable[..., Path]
) -> None:
    start, end = at("Kharkiv")
    path = write_jsonl(
        [
            {
                "text": TEXT,
                "_view_id": "ner_manual",
                "answer": "reject",
                "spans": [{"start": start, "end": end, "label": "location"}],
            },
        ]
    )

    report = import_file(project, path)

    assert not report.notes
    (document,) = project.documents()
    assert document.status == "skipped"
    assert spans_of(project, document.id or 0) == {("Kharkiv", "location", None)}


def test_fields_not_read_are_counted(project: Project, write_jsonl: Callable[..., Path]) -> None:
    path = write_jsonl(
        [
            {"text": "A text classified by doccano.", "label": ["false", "health"]},
            {"text": "A Prodigy textcat answer.", "label": "FALSE", "answer": "accept"},
            {"text": "spaCy categories.", "cats": {"FALSE": 1.0}},
            {"text": "Nothing to tell here."},
        ]
    )

    report = import_file(project, path)

    assert report.lines() == [
        f'{path}: imported 4 documents, 0 spans (2 lines with a "label" field Factmark does '
        'not read, 1 line with a "cats" field Factmark does not read)'
    ]
