"""A copy's deletion of a span the project holds twice (an import's duplicate rows) takes
both rows, and a label a merge adds gets a key and a colour of its own."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from factmark.core.copies import make_copy
from factmark.core.incoming import IncomingDocument
from factmark.core.merge import merge_projects
from factmark.core.project import Project

TEXT = "The army said 240 soldiers crossed the river."


def make_lead(path: Path) -> None:
    """One document: a claim, and the number 240 held twice (two identical rows)."""
    with Project.open(path) as project:
        project.add_document(IncomingDocument(TEXT, title="a"))
        doc = project.documents()[0].id or 0
        project.add_span(doc, 0, 45, "claim", "lead")
        project.add_span(doc, 14, 17, "number", "lead")
        project.add_span(doc, 14, 17, "number", "lead")


def spans(path: Path) -> list[tuple[int, int, str]]:
    with Project.open_to_read(path) as project:
        return sorted(
            (s.start, s.end, s.label) for d in project.documents() for s in project.spans(d.id or 0)
        )


def copy_of(lead: Path) -> Path:
    ana = lead.with_name("ana.factmark")
    with Project.open(lead) as project:
        make_copy(project, ana, "ana")
    return ana


def test_a_deleted_span_held_twice_goes_whole(tmp_path: Path) -> None:
    lead = tmp_path / "lead.factmark"
    make_lead(lead)
    ana = copy_of(lead)
    conn = sqlite3.connect(ana)
    with conn:
        conn.execute("DELETE FROM spans WHERE label = 'number'")  # both rows of the copy
    conn.close()
    with Project.open(lead) as project:
        (report,) = merge_projects(project, [ana])
    assert not report.failed, report.lines()
    assert spans(lead) == [(0, 45, "claim")]
    assert (report.spans_added, report.spans_deleted) == (0, 2)
    assert "0 spans added" in report.lines()[0]
    assert "2 spans deleted" in report.lines()[1]


def test_a_label_renamed_in_the_copy_arrives_whole_with_a_key_and_colour(
    tmp_path: Path,
) -> None:
    lead = tmp_path / "lead.factmark"
    make_lead(lead)
    ana = copy_of(lead)
    with Project.open(ana) as project:
        project.update_label("number", name="figure")
    with Project.open(lead) as project:
        (report,) = merge_projects(project, [ana])
    assert not report.failed, report.lines()
    # The two rows are one span to the copy: it arrives once, and neither stays "number".
    assert spans(lead) == [(0, 45, "claim"), (14, 17, "figure")]
    assert (report.spans_added, report.spans_deleted) == (1, 2)
    assert report.labels_added == ["figure"]
    with Project.open_to_read(lead) as project:
        labels = {label.name: (label.key, label.colour) for label in project.labels()}
    # The default labels take keys 1-4 and the colours #E69F00, #56B4E9, #009E73 and
    # #CC79A7 ("figure" brought number's): the next key is 5, the first free colour of
    # the palette (Okabe-Ito's) #F0E442.
    assert labels == {
        "claim": ("1", "#E69F00"),
        "source": ("2", "#56B4E9"),
        "location": ("3", "#009E73"),
        "number": ("4", "#CC79A7"),
        "figure": ("5", "#F0E442"),
    }


def test_labels_of_the_copy_keep_a_free_key_and_colour_and_get_others(tmp_path: Path) -> None:
    lead = tmp_path / "lead.factmark"
    make_lead(lead)
    ana = copy_of(lead)
    with Project.open(ana) as project:
        project.add_label("date", key="5", colour="#0072B2")
        project.add_label("tag", key="6", colour="#F0E442")
    with Project.open(lead) as project:  # meanwhile the lead takes date's key and colour
        project.add_label("quote", key="5", colour="#0072B2")
        (report,) = merge_projects(project, [ana])
    assert not report.failed, report.lines()
    with Project.open_to_read(lead) as project:
        labels = {label.name: (label.key, label.colour) for label in project.labels()}
    # "date": keys 1-5 are taken and 6 is tag's (which keeps its own key and colour), and
    # the palette's first colour no label has is #D55E00 (#E69F00, #56B4E9, #009E73 and
    # #CC79A7 are the defaults', #0072B2 quote's, #F0E442 tag's).
    assert labels["date"] == ("7", "#D55E00")
    assert labels["tag"] == ("6", "#F0E442")
