"""A copy's change to a span the project holds twice (an import's duplicate rows) reaches
both rows: ``factmark copy``, the copy edited as the window edits it, ``factmark merge``,
and the project read back with bare sqlite3."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from tests.cli.test_cli import factmark

from factmark.core.project import Project

TEXT = "The army said 240 soldiers crossed the river."
# Each row the lead project holds: (start, end, label), checked by hand against TEXT.
CLAIM = (0, 45, "claim")  # the whole sentence
NUMBER = (14, 17, "number")  # "240"


def make_lead(path: Path) -> Path:
    """One document holding a claim and the number 240 twice (two identical rows, as
    importing the same annotations twice leaves them), written with bare sqlite3."""
    with Project.open(path):
        pass  # an empty project of this Factmark's schema
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(
            "INSERT INTO documents (uid, title, text, status, created_at, updated_at) "
            "VALUES (?, 'army', ?, 'new', '2026-01-01T00:00:00', '2026-01-01T00:00:00')",
            [hashlib.sha256(TEXT.encode()).hexdigest(), TEXT],
        )
        for start, end, label in (CLAIM, NUMBER, NUMBER):
            conn.execute(
                'INSERT INTO spans (document_id, start, "end", label, annotator, attrs, '
                "created_at, updated_at) VALUES (1, ?, ?, ?, 'lead', '{}', "
                "'2026-01-01T00:00:00', '2026-01-01T00:00:00')",
                [start, end, label],
            )
    conn.close()
    return path


def rows(path: Path) -> list[tuple[int, int, str, str | None]]:
    conn = sqlite3.connect(path)
    try:
        return sorted(conn.execute('SELECT start, "end", label, note FROM spans'))
    finally:
        conn.close()


def copy_of(lead: Path) -> Path:
    ana = lead.with_name("ana.factmark")
    made = factmark("copy", lead, ana, "--annotator", "ana")
    assert made.returncode == 0, made.stderr
    return ana


def merge(lead: Path, ana: Path) -> str:
    result = factmark("merge", lead, ana)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def number_rows(project: Project) -> list[int]:
    """The ids of the copy's two rows of the number, in the order the window lists them."""
    (document,) = project.documents()
    return sorted(
        s.id or 0 for s in project.spans(document.id or 0) if (s.start, s.end, s.label) == NUMBER
    )


@pytest.mark.parametrize("row", [0, 1], ids=["first row", "second row"])
def test_a_note_added_in_the_window_to_either_row_reaches_both(tmp_path: Path, row: int) -> None:
    """The annotator notes one of the two rows (the one the window selected): the project's
    number gets the note on both rows (before: only the first row, or none at all when the
    second row was the one noted)."""
    lead = make_lead(tmp_path / "lead.factmark")
    ana = copy_of(lead)
    with Project.open(ana) as project:
        project.update_span(number_rows(project)[row], note="troops, not soldiers")
    out = merge(lead, ana)
    assert rows(lead) == [
        (0, 45, "claim", None),
        (14, 17, "number", "troops, not soldiers"),
        (14, 17, "number", "troops, not soldiers"),
    ]
    assert "2 spans changed" in out, out
    assert "2 spans changed" not in merge(lead, ana)  # a second merge changes nothing


def test_a_note_added_to_both_rows_reaches_both(tmp_path: Path) -> None:
    lead = make_lead(tmp_path / "lead.factmark")
    ana = copy_of(lead)
    conn = sqlite3.connect(ana)
    with conn:
        conn.execute("UPDATE spans SET note = 'checked' WHERE label = 'number'")
    conn.close()
    merge(lead, ana)
    assert rows(lead) == [
        (0, 45, "claim", None),
        (14, 17, "number", "checked"),
        (14, 17, "number", "checked"),
    ]


def test_a_row_the_lead_noted_on_its_own_keeps_the_lead_note(tmp_path: Path) -> None:
    """The lead noted the second row after the copy was made: it is no longer the same
    as the first, and the copy's note reaches the first row only."""
    lead = make_lead(tmp_path / "lead.factmark")
    ana = copy_of(lead)
    with Project.open(lead) as project:
        project.update_span(number_rows(project)[1], note="lead's")
    with Project.open(ana) as project:
        project.update_span(number_rows(project)[0], note="ana's")
    merge(lead, ana)
    assert rows(lead) == [
        (0, 45, "claim", None),
        (14, 17, "number", "ana's"),
        (14, 17, "number", "lead's"),
    ]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ("label = 'location'", (14, 17, "location", None)),
        ("start = 13", (13, 17, "number", None)),  # " 240"
    ],
    ids=["relabelled", "moved"],
)
def test_a_relabelled_or_moved_span_held_twice_leaves_no_old_row(
    tmp_path: Path, change: str, expected: tuple[int, int, str, None]
) -> None:
    """Relabelled (as renaming the label does) or moved on both rows: the project holds
    the new span once and no row keeps the old label or offsets."""
    lead = make_lead(tmp_path / "lead.factmark")
    ana = copy_of(lead)
    conn = sqlite3.connect(ana)
    with conn:
        conn.execute(f"UPDATE spans SET {change} WHERE label = 'number'")
    conn.close()
    merge(lead, ana)
    assert rows(lead) == [(0, 45, "claim", None), expected]
