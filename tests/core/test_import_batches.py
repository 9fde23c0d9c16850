"""A large JSONL file: its documents are stored a batch at a time, and still each one
whole or not at all, in the file's order, the bad ones alone refused; a storage error
undoes the whole file. Titles of records without one are their first line, found
without splitting the whole article.

The expectations are worked out here from the file's own records, and the project is
read back with bare sqlite3, not through Factmark's reading code.
"""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from factmark.core.importing import import_file
from factmark.core.importing.jsonl import parse_record
from factmark.core.incoming import IncomingDocument, IncomingRelation, IncomingSpan
from factmark.core.project import Project, ProjectError

LABELS = ("claim", "source", "location", "number")
WORDS = ("minister", "said", "42", "percent", "Kharkiv", "😱", "e\u0301te", "مرحبا", "城市")


def article(rng: random.Random, n: int) -> str:
    return f"Article {n}: " + " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 60)))


def good_record(rng: random.Random, n: int) -> dict[str, Any]:
    text = article(rng, n)
    spans = []
    for _ in range(rng.randint(0, 12)):
        start = rng.randrange(len(text) - 1)
        end = min(len(text), start + rng.randint(1, 25))
        spans.append({"start": start, "end": end, "label": rng.choice(LABELS)})
    return {"text": text, "spans": spans, "status": "done"}


def stored(path: Path) -> list[tuple[str, list[tuple[str, str]]]]:
    """Each document's text and its spans (covered text, label), in id order, read
    with bare sqlite3."""
    db = sqlite3.connect(path)
    try:
        texts = db.execute("SELECT id, text FROM documents ORDER BY id").fetchall()
        result = []
        for doc_id, text in texts:
            spans = db.execute(
                'SELECT start, "end", label FROM spans WHERE document_id = ?', [doc_id]
            ).fetchall()
            result.append((text, sorted((text[s:e], label) for s, e, label in spans)))
        return result
    finally:
        db.close()


def expected_spans(record: dict[str, Any]) -> list[tuple[str, str]]:
    text = record["text"]
    return sorted((text[s["start"] : s["end"]], s["label"]) for s in record["spans"])


def test_a_large_file_keeps_the_good_documents_whole_in_its_order(tmp_path: Path) -> None:
    """1,200 lines across many batches: bad lines here and there (the bad span last of
    its document, an unknown label, bad JSON, empty text), duplicates of a line far back
    and of the line before, and documents with links among the others."""
    rng = random.Random(17)
    records: list[Any] = [good_record(rng, n) for n in range(1200)]
    bad = {}
    records[149]["spans"].append({"start": 0, "end": 10_000, "label": "claim"})
    bad[150] = "outside"
    records[332]["spans"].insert(0, {"start": 0, "end": 3, "label": "villain"})
    bad[333] = "villain"
    records[599] = {"text": "   \n  ", "spans": []}
    bad[600] = "empty"
    records[899] = b'{"text": "cut short'
    bad[900] = "JSON"
    duplicates = {421: 5, 10: 9}  # line -> the line it repeats
    for line, original in duplicates.items():
        records[line - 1] = dict(records[original - 1], status="new")
    linked = [250, 251, 777]
    for line in linked:
        text = records[line - 1]["text"]
        records[line - 1]["spans"] = [
            {"id": "a", "start": 0, "end": 7, "label": "claim"},
            {"id": "b", "start": 8, "end": len(text), "label": "source"},
        ]
        records[line - 1]["relations"] = [{"head": "b", "child": "a", "label": "supports"}]
    source = tmp_path / "large.jsonl"
    source.write_bytes(
        b"".join((r if isinstance(r, bytes) else orjson.dumps(r)) + b"\n" for r in records)
    )
    path = tmp_path / "large.factmark"

    with Project.open(path) as project:
        report = import_file(project, source)

    kept = [r for n, r in enumerate(records, start=1) if n not in bad and n not in duplicates]
    assert sorted(line for line, _ in report.errors) == sorted(bad)
    for line, message in report.errors:
        assert bad[line] in message, (line, message)
    assert report.duplicates == len(duplicates)
    assert report.documents == len(kept) == 1200 - len(bad) - len(duplicates)
    assert report.spans == sum(len(r["spans"]) for r in kept)
    assert stored(path) == [(r["text"], expected_spans(r)) for r in kept]

    db = sqlite3.connect(path)
    try:
        links = db.execute(
            'SELECT d.text, substr(d.text, h.start + 1, h."end" - h.start), '
            'substr(d.text, c.start + 1, c."end" - c.start), r.label '
            "FROM relations r JOIN documents d ON d.id = r.document_id "
            "JOIN spans h ON h.id = r.head_span_id JOIN spans c ON c.id = r.child_span_id "
            "ORDER BY d.id"
        ).fetchall()
        # Span ids follow the file: each document's spans come after the previous one's.
        (out_of_order,) = db.execute(
            "SELECT count(*) FROM spans s JOIN spans t ON t.id > s.id "
            "AND t.document_id < s.document_id"
        ).fetchone()
    finally:
        db.close()
    texts = [records[line - 1]["text"] for line in linked]
    assert links == [(text, text[8:], text[:7], "supports") for text in texts]
    assert out_of_order == 0


def test_a_full_disk_after_many_stored_batches_stores_nothing_of_the_file(
    tmp_path: Path,
) -> None:
    """The disk fills up when part of a large file is written: the import fails as a
    whole (a storage error, not a line's), nothing of the file is kept, and the same
    file imports in full once there is room."""
    path = tmp_path / "full.factmark"
    rng = random.Random(5)
    records = [good_record(rng, n) for n in range(3000)]
    source = tmp_path / "large.jsonl"
    source.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    with Project.open(path) as project:
        (pages,) = project.conn.execute("PRAGMA page_count").fetchone()
        # Room for some hundreds of these documents, not for three thousand.
        project.conn.execute(f"PRAGMA max_page_count = {pages + 120}")
        with pytest.raises(ProjectError, match="disk is full"):
            import_file(project, source)
        assert stored(path) == []
        project.conn.execute(f"PRAGMA max_page_count = {pages * 1000}")
        assert import_file(project, source).documents == 3000
    assert stored(path) == [(r["text"], expected_spans(r)) for r in records]


def first_line_title(text: str) -> str:
    """The rule as the README states it, on the whole text: the first line holding more
    than whitespace, stripped; past 80 characters cut at a word (or at 80) with "…"."""
    line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if len(line) <= 80:
        return line
    cut = line.rfind(" ", 0, 80)
    return line[: cut if cut > 40 else 80].rstrip() + "…"


PIECES = ("a", "word ", " ", "\n", "\r", "\r\n", "\u2028", "\x0b", "\t", "é", "😱", "\x1c")


@given(st.lists(st.tuples(st.sampled_from(PIECES), st.sampled_from((1, 2, 5, 40, 120, 400)))))
def test_an_untitled_record_is_titled_by_its_first_line(runs: list[tuple[str, int]]) -> None:
    """Blank lines, long lines and every line break Python knows, in any order and at
    any length (the title is found in the first characters and read further only when
    the line goes on)."""
    text = "".join(piece * count for piece, count in runs) + " end"
    assert parse_record({"text": text}).title == first_line_title(text)


def test_a_document_stored_beside_a_batch_keeps_the_ids_in_storing_order(
    project_path: Path,
) -> None:
    """A script may store a document itself while a batch holds others: the batch's are
    written when it is flushed, after it, and each document's spans stay its own."""
    with Project.open(project_path) as project, project.transaction():
        batch = project.document_batch()
        batch.add(
            IncomingDocument(
                "First, waiting.",
                spans=[
                    IncomingSpan(0, 5, "claim", ref="a"),
                    IncomingSpan(7, 14, "source", ref="b"),
                ],
                relations=[IncomingRelation("b", "a", "said")],
            )
        )
        project.add_document(
            IncomingDocument("Second, stored at once.", spans=[IncomingSpan(0, 6, "source")])
        )
        batch.add(IncomingDocument("Third, waiting.", spans=[IncomingSpan(0, 5, "number")]))
        batch.flush()
    db = sqlite3.connect(project_path)
    try:
        rows = db.execute(
            'SELECT d.id, d.text, substr(d.text, s.start + 1, s."end" - s.start), s.label '
            "FROM documents d JOIN spans s ON s.document_id = d.id ORDER BY s.id"
        ).fetchall()
    finally:
        db.close()
    assert rows == [
        (1, "Second, stored at once.", "Second", "source"),
        (2, "First, waiting.", "First", "claim"),
        (2, "First, waiting.", "waiting", "source"),
        (3, "Third, waiting.", "Third", "number"),
    ]
    assert stored_links(project_path) == [
        ("First, waiting.", "waiting/source", "First/claim", "said", None, "{}")
    ]


def linked_record(rng: random.Random, n: int) -> dict[str, Any]:
    """A record whose spans have ids (text or numbers) and whose links join some of them,
    some links with a note and attributes."""
    record = good_record(rng, n)
    for k, span in enumerate(record["spans"]):
        span["id"] = f"T{k}" if k % 2 else k
        if rng.random() < 0.2:
            span["annotator"] = "ana"
    ids = [span["id"] for span in record["spans"]]
    if ids:
        record["relations"] = []
        for _ in range(rng.randint(1, 4)):
            link: dict[str, Any] = {
                "head": rng.choice(ids),
                "child": rng.choice(ids),
                "label": rng.choice(["said", "quoted"]),
            }
            if rng.random() < 0.3:
                link["note"], link["attrs"] = "why", {"stance": "for"}
            record["relations"].append(link)
    return record


def stored_links(path: Path) -> list[tuple[str, str, str, str, str | None, str]]:
    """Each link as the texts it joins, read with bare sqlite3: the document's text, the
    head and child spans' covered text with their labels, the link's label, note and
    attributes; in link id order."""
    db = sqlite3.connect(path)
    try:
        return db.execute(
            "SELECT d.text, substr(d.text, h.start + 1, h.\"end\" - h.start) || '/' || h.label, "
            "substr(d.text, c.start + 1, c.\"end\" - c.start) || '/' || c.label, r.label, "
            "r.note, r.attrs FROM relations r JOIN documents d ON d.id = r.document_id "
            "JOIN spans h ON h.id = r.head_span_id AND h.document_id = d.id "
            "JOIN spans c ON c.id = r.child_span_id AND c.document_id = d.id ORDER BY r.id"
        ).fetchall()
    finally:
        db.close()


def expected_links(records: list[dict[str, Any]]) -> list[tuple[str, str, str, str, Any, str]]:
    found = []
    for record in records:
        text, by_id = record["text"], {span["id"]: span for span in record["spans"]}
        for link in record.get("relations", []):
            head, child = by_id[link["head"]], by_id[link["child"]]
            found.append(
                (
                    text,
                    f"{text[head['start'] : head['end']]}/{head['label']}",
                    f"{text[child['start'] : child['end']]}/{child['label']}",
                    link["label"],
                    link.get("note"),
                    orjson.dumps(link.get("attrs", {})).decode(),
                )
            )
    return found


def test_linked_documents_across_batches_keep_each_link_between_its_spans(
    tmp_path: Path,
) -> None:
    """Every document with links, 450 of them (several batches), into a project whose
    last span was deleted (its id is given again): each stored link joins the two spans
    its record named, in that record's document, with its note and attributes; a link
    to an unknown span refuses its line alone."""
    rng = random.Random(23)
    records = [linked_record(rng, n) for n in range(450)]
    bad = 137
    records[bad - 1]["spans"].append({"id": "x", "start": 0, "end": 4, "label": "claim"})
    records[bad - 1]["relations"] = [{"head": "x", "child": "nowhere", "label": "said"}]
    source = tmp_path / "linked.jsonl"
    source.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    path = tmp_path / "linked.factmark"
    with Project.open(path) as project:
        existing, _ = project.add_document(
            IncomingDocument(
                "Already here: the minister said so.",
                spans=[IncomingSpan(0, 7, "claim", ref=1), IncomingSpan(14, 22, "source", ref=2)],
                relations=[IncomingRelation(2, 1, "said")],
            )
        ) or (0, 0)
        project.delete_span(project.spans(existing)[-1].id or 0)  # its link goes with it
        report = import_file(project, source, create_labels=True)

    kept = [r for n, r in enumerate(records, start=1) if n != bad]
    assert [line for line, _ in report.errors] == [bad]
    assert "nowhere" in report.errors[0][1]
    assert report.documents == len(kept)
    assert stored(path)[1:] == [(r["text"], expected_spans(r)) for r in kept]
    links = expected_links(kept)
    assert len(links) > 450
    assert stored_links(path) == links
    spans = sum(len(r["spans"]) for r in kept)
    assert report.lines()[0] == (
        f"{source}: imported {len(kept):,} documents, {spans:,} spans, {len(links):,} links; "
        "1 line failed (added link types: quoted)"
    )
