"""A JSONL import stores exactly these rows: a small file of every kind of line (spans
with and without ids, notes, attributes and annotators, links, new labels and link
types, duplicates in the file and of the project, bad lines of many kinds), imported
with and without ``create_labels``, against every table's rows written out by hand.

Also the whole-file refusals a JSONL file gets before any line is read (empty, binary),
and Prodigy answers found wherever they are in a large file. The project is read back
with bare sqlite3.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path
from typing import Any

import orjson
import pytest

from factmark.core.importing import import_file
from factmark.core.project import Project

LINES: list[Any] = [
    # 1: the usual record, spans of start, end and label only
    {
        "text": "Kyiv said 42 😱 troops.",
        "spans": [
            {"start": 0, "end": 4, "label": "location"},
            {"start": 10, "end": 12, "label": "number"},
        ],
    },
    # 2: every field, and a link (stored at once, after the documents waiting)
    {
        "title": "Notes",
        "text": "The minister said it.",
        "status": "done",
        "meta": {"src": "wire"},
        "annotator": "ann",
        "spans": [
            {
                "id": 1,
                "start": 4,
                "end": 12,
                "label": "source",
                "text": "minister",
                "annotator": " bob ",
                "note": "named",
                "attrs": {"sure": True},
            },
            {"id": 2, "start": 13, "end": 20, "label": "claim", "text": "said it"},
        ],
        "relations": [{"head": 2, "child": 1, "label": "attributed_to"}],
    },
    # 3: the text of line 1 again
    {"text": "Kyiv said 42 😱 troops.", "spans": [{"start": 0, "end": 4, "label": "claim"}]},
    # 4
    b'{"text": "cut short',
    # 5: a label the project lacks
    {"text": "Unknown label here.", "spans": [{"start": 0, "end": 7, "label": "rumour"}]},
    # 6
    {"text": "Offsets past the end.", "spans": [{"start": 5, "end": 99, "label": "claim"}]},
    # 7
    b"   ",
    # 8: offsets over \r\n move with the text; a note (spans written with and without
    # notes or annotators keep the file's order)
    {
        "text": "Windows\r\nline ends.",
        "spans": [{"start": 9, "end": 13, "label": "claim", "text": "line", "note": "moved"}],
    },
    # 9
    {
        "text": "A note that is a number.",
        "spans": [{"start": 0, "end": 1, "label": "claim", "note": 3}],
    },
    # 10: doccano
    {"text": "Doccano style text.", "label": [[0, 7, "source"]]},
    # 11: a class label, not read
    {"text": "An article with a class label.", "label": ["positive"]},
    # 12: one Prodigy answer
    {
        "text": "Prodigy says yes.",
        "answer": "accept",
        "_annotator_id": "pat",
        "spans": [{"start": 0, "end": 7, "label": "source"}],
    },
    # 13: written below, with attributes nested 300 deep
    None,
    # 14
    {
        "text": "Two spans, one id.",
        "spans": [
            {"id": "a", "start": 0, "end": 3, "label": "claim"},
            {"id": "a", "start": 4, "end": 9, "label": "claim"},
        ],
    },
    # 15: a new label and a new link type
    {
        "text": "A span of the new kind and a new link.",
        "spans": [
            {"id": 1, "start": 0, "end": 6, "label": "rumour"},
            {"id": 2, "start": 29, "end": 37, "label": "claim"},
        ],
        "relations": [{"head": 1, "child": 2, "label": "echoes"}],
    },
    # 16: the project has this text: a duplicate, whatever its spans
    {"text": "Already here.", "spans": [{"start": 0, "end": 1, "label": "villain"}]},
    # 17
    {"title": "bad\u0000title", "text": "Title with NUL."},
]


def deep(levels: int) -> dict[str, Any]:
    value: dict[str, Any] = {}
    for _ in range(levels):
        value = {"x": value}
    return value


def write_lines(path: Path) -> Path:
    with path.open("wb") as out:
        for line in LINES:
            if line is None:  # line 13 (the standard library writes any depth)
                record = {
                    "text": "Nested too far.",
                    "spans": [{"start": 0, "end": 6, "label": "claim", "attrs": deep(300)}],
                }
                out.write(json.dumps(record).encode() + b"\n")
            else:
                out.write((line if isinstance(line, bytes) else orjson.dumps(line)) + b"\n")
    return path


def uid(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def tables(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    db = sqlite3.connect(path)
    try:
        queries = {
            "documents": "SELECT id, uid, title, text, meta, status FROM documents ORDER BY id",
            "spans": 'SELECT id, document_id, start, "end", label, annotator, note, attrs '
            "FROM spans ORDER BY id",
            "relations": "SELECT id, document_id, head_span_id, child_span_id, label, note, "
            "attrs FROM relations ORDER BY id",
            "labels": "SELECT name, key, colour, description, position FROM labels "
            "ORDER BY position",
            "relation_types": "SELECT name, description, position FROM relation_types "
            "ORDER BY position, name",
            "annotators": "SELECT name FROM annotators ORDER BY name",
        }
        return {name: db.execute(sql).fetchall() for name, sql in queries.items()}
    finally:
        db.close()


DEFAULT_LABELS = [
    (
        "claim",
        "1",
        "#E69F00",
        "A checkable statement of fact presented as true: what could be verified or refuted.",
        0,
    ),
    (
        "source",
        "2",
        "#56B4E9",
        "Who or what a claim is attributed to: a person, organisation, document or outlet.",
        1,
    ),
    (
        "location",
        "3",
        "#009E73",
        "A named place: country, region, city, district, building or front-line position.",
        2,
    ),
    (
        "number",
        "4",
        "#CC79A7",
        "A quantity, count, percentage, amount of money, date-free figure or range.",
        3,
    ),
]
DEFAULT_LINK_TYPES = [
    ("attributed_to", "A source span and the claim it makes.", 0),
    ("part_of", "A number or location span and the claim it belongs to.", 1),
]
NO_ATTRS = "{}"


def documents(*rows: tuple[int, str | None, str, str, str]) -> list[tuple[Any, ...]]:
    """(id, title or None for the text's own first line, text, meta, status)."""
    return [
        (id_, title if title is not None else text.splitlines()[0], text, meta, status)
        for id_, title, text, meta, status in rows
    ]


ALREADY = (1, None, "Already here.", "{}", "in_progress")
LINE_1 = (None, "Kyiv said 42 😱 troops.", "{}", "new")
LINE_2 = ("Notes", "The minister said it.", '{"src":"wire"}', "done")
LINE_5 = (None, "Unknown label here.", "{}", "new")
LINE_8 = (None, "Windows\nline ends.", "{}", "new")
LINE_10 = (None, "Doccano style text.", "{}", "new")
LINE_11 = (None, "An article with a class label.", "{}", "new")
LINE_12 = (None, "Prodigy says yes.", "{}", "done")
LINE_15 = (None, "A span of the new kind and a new link.", "{}", "new")

ERRORS = {
    4: "not valid JSON (unexpected control character in string)",
    5: "unknown label 'rumour' (project labels: claim, location, number, source)",
    6: "span 5-99 is outside the text (length 21) or empty",
    9: "a span note must be a string, got 3",
    13: "span 0-6: the attributes: nested more than 255 levels deep, too deep to store",
    14: "two spans share the id 'a'",
    15: "unknown label 'rumour' (project labels: claim, location, number, source)",
    17: "the title holds a NUL character: 'bad\\x00title'",
}
UNREAD = {
    False: '(1 line with a "label" field Factmark does not read)',
    # The link type of line 15's link, new to the project, is added with it.
    True: '(1 line with a "label" field Factmark does not read, added link types: echoes)',
}

EXPECTED = {
    False: {
        "documents": documents(
            ALREADY,
            (2, *LINE_1),
            (3, *LINE_2),
            (4, *LINE_8),
            (5, *LINE_10),
            (6, *LINE_11),
            (7, *LINE_12),
        ),
        "spans": [
            (1, 2, 0, 4, "location", None, None, NO_ATTRS),
            (2, 2, 10, 12, "number", None, None, NO_ATTRS),
            (3, 3, 4, 12, "source", "bob", "named", '{"sure":true}'),
            (4, 3, 13, 20, "claim", "ann", None, NO_ATTRS),
            (5, 4, 8, 12, "claim", None, "moved", NO_ATTRS),
            (6, 5, 0, 7, "source", None, None, NO_ATTRS),
            (7, 7, 0, 7, "source", "pat", None, NO_ATTRS),
        ],
        "relations": [(1, 3, 4, 3, "attributed_to", None, NO_ATTRS)],
        "labels": DEFAULT_LABELS,
        "relation_types": DEFAULT_LINK_TYPES,
        "annotators": [("ann",), ("bob",), ("pat",)],
    },
    True: {
        "documents": documents(
            ALREADY,
            (2, *LINE_1),
            (3, *LINE_2),
            (4, *LINE_5),
            (5, *LINE_8),
            (6, *LINE_10),
            (7, *LINE_11),
            (8, *LINE_12),
            (9, *LINE_15),
        ),
        "spans": [
            (1, 2, 0, 4, "location", None, None, NO_ATTRS),
            (2, 2, 10, 12, "number", None, None, NO_ATTRS),
            (3, 3, 4, 12, "source", "bob", "named", '{"sure":true}'),
            (4, 3, 13, 20, "claim", "ann", None, NO_ATTRS),
            (5, 4, 0, 7, "rumour", None, None, NO_ATTRS),
            (6, 5, 8, 12, "claim", None, "moved", NO_ATTRS),
            (7, 6, 0, 7, "source", None, None, NO_ATTRS),
            (8, 8, 0, 7, "source", "pat", None, NO_ATTRS),
            (9, 9, 0, 6, "rumour", None, None, NO_ATTRS),
            (10, 9, 29, 37, "claim", None, None, NO_ATTRS),
        ],
        "relations": [
            (1, 3, 4, 3, "attributed_to", None, NO_ATTRS),
            (2, 9, 9, 10, "echoes", None, NO_ATTRS),
        ],
        # The first key and Okabe-Ito colour the default labels leave free.
        "labels": [*DEFAULT_LABELS, ("rumour", "5", "#F0E442", "", 4)],
        "relation_types": [*DEFAULT_LINK_TYPES, ("echoes", "", 100)],
        "annotators": [("ann",), ("bob",), ("pat",)],
    },
}


@pytest.mark.parametrize("create_labels", [False, True], ids=["known-labels", "create-labels"])
def test_a_varied_jsonl_file_stores_exactly_these_rows(tmp_path: Path, create_labels: bool) -> None:
    """Every table row by row, and the report line by line."""
    first = tmp_path / "first.jsonl"
    first.write_bytes(orjson.dumps({"text": "Already here.", "status": "in_progress"}) + b"\n")
    path = write_lines(tmp_path / "varied.jsonl")
    project_path = tmp_path / "p.factmark"
    with Project.open(project_path) as project:
        import_file(project, first)
        report = import_file(project, path, create_labels=create_labels)
    expected = EXPECTED[create_labels]
    got = tables(project_path)
    for name, rows in expected.items():
        if name == "documents":
            rows = [(id_, uid(text), title, text, *rest) for id_, title, text, *rest in rows]
        assert got[name] == rows, name
    errors = {n: m for n, m in ERRORS.items() if not (create_labels and n in (5, 15))}
    links = len(expected["relations"])
    summary = (
        f"imported {len(expected['documents']) - 1} documents, {len(expected['spans'])} spans, "
        f"{links} link{'' if links == 1 else 's'}; "
        f"2 duplicates (same text already there; 2 spans on them not imported); "
        f"{len(errors)} lines failed {UNREAD[create_labels]}"
    )
    assert report.lines() == [
        f"{path}: {summary}",
        *(f"{path}:{n}: error: {message}" for n, message in errors.items()),
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty file: there is no document to import"),
        (b" \n\t\n\r\n", "empty file: there is no document to import"),
        (b"\xef\xbb\xbf\n  \n", "empty file: there is no document to import"),
        (b'{"text": "a\x00"}\n', "binary file (it holds NUL bytes), not JSON Lines"),
        # A NUL byte after the first megabyte, and one in a file of only blank lines.
        (
            b'{"text": "An article."}\n' + b" " * (3 << 20) + b"\x00\n",
            "binary file (it holds NUL bytes), not JSON Lines",
        ),
        (b"\n" * (2 << 20) + b"\x00", "binary file (it holds NUL bytes), not JSON Lines"),
    ],
    ids=["nothing", "blank-lines", "bom-and-blank-lines", "nul", "late-nul", "blank-and-nul"],
)
def test_a_jsonl_file_with_no_line_or_a_nul_byte_is_refused_whole(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "refused.jsonl"
    path.write_bytes(content)
    project_path = tmp_path / "p.factmark"
    with Project.open(project_path) as project:
        report = import_file(project, path)
    assert report.lines() == [f"{path}: error: {message}"]
    assert tables(project_path)["documents"] == []


@pytest.mark.parametrize("shift", range(-9, 2))
def test_a_prodigy_answer_is_found_wherever_it_lies_in_a_large_file(
    tmp_path: Path, shift: int
) -> None:
    """A rejected suggestion is left out, also on a line whose ``"answer"`` lies across
    the megabyte mark (files are searched for answers a block at a time)."""
    head = b"".join(
        orjson.dumps({"text": f"Article {n}: " + "words " * 150}) + b"\n" for n in range(1200)
    )
    mark = 1 << 20
    assert len(head) > mark + 2000
    # Lines up to the mark, then padding so that the answer line's "answer" starts at
    # mark + shift (it straddles the mark for shifts from -7 to -1).
    cut = head.rfind(b"\n", 0, mark - 1000) + 1
    prefix = b'{"text": "Refused suggestion.", "_view_id": "ner", "spans": '
    prefix += b'[{"start": 0, "end": 7, "label": "claim"}], '
    padding = mark + shift - cut - len(prefix)
    line = prefix + b'"pad": "' + b"x" * (padding - 11) + b'", "answer": "reject"}\n'
    answer_at = cut + line.index(b'"answer"')
    assert answer_at == mark + shift
    path = tmp_path / "answers.jsonl"
    path.write_bytes(head[:cut] + line + head[cut:])
    project_path = tmp_path / "p.factmark"
    with Project.open(project_path) as project:
        report = import_file(project, path)
    assert report.lines() == [
        f"{path}: imported 1,201 documents, 0 spans (left out 1 span rejected in Prodigy answers)"
    ]
    rows = sqlite3.connect(project_path).execute(
        "SELECT status FROM documents WHERE text = 'Refused suggestion.'"
    )
    assert rows.fetchall() == [("new",)]
