"""The Statistics dialog shows progress, spans per label and spans per annotator."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QDialogButtonBox, QLabel
from pytestqt.qtbot import QtBot

from factmark.core.incoming import IncomingDocument, IncomingSpan
from factmark.core.project import Project
from factmark.ui.dialogs.stats_dialog import BarChart, ProgressStrip, StatsDialog, progress_headline

TEXT = "The mayor said 40 people were evacuated from the district on Monday."


def add_documents(project: Project, count: int) -> list[int]:
    """Add ``count`` distinct documents; returns their ids."""
    ids = []
    for number in range(count):
        added = project.add_document(IncomingDocument(f"{number}. {TEXT}", f"Article {number}"))
        assert added is not None
        ids.append(added[0])
    return ids


def open_dialog(qtbot: QtBot, project: Project) -> StatsDialog:
    dialog = StatsDialog(project)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def headline(dialog: StatsDialog) -> str:
    label = dialog.findChild(QLabel, "progressHeadline")
    assert label is not None
    return label.text()


def chart(dialog: StatsDialog, name: str) -> BarChart:
    found = dialog.findChild(BarChart, name)
    assert found is not None
    return found


def names_and_counts(bars: BarChart) -> list[tuple[str, int]]:
    return [(name, count) for name, count, _colour in bars.rows()]


def test_dialog_is_named_and_titled(qtbot: QtBot, project: Project) -> None:
    dialog = open_dialog(qtbot, project)
    assert dialog.objectName() == "statsDialog"
    assert dialog.windowTitle() == "Statistics"


def test_headline_and_strip_show_documents_by_status(qtbot: QtBot, project: Project) -> None:
    ids = add_documents(project, 40)
    for document_id in ids[:12]:
        project.set_status(document_id, "done")
    project.set_status(ids[12], "skipped")
    project.add_span(ids[13], 0, 3, "claim", "olena")  # a span starts the document

    dialog = open_dialog(qtbot, project)

    assert headline(dialog) == "12 of 40 documents done (30%)"
    strip = dialog.findChild(ProgressStrip, "progressStrip")
    assert strip is not None
    assert [(name, count) for name, count, _colour in strip.segments()] == [
        ("Done", 12),
        ("In progress", 1),
        ("Skipped", 1),
        ("New", 26),
    ]
    assert "Done: 12" in strip.toolTip()


@pytest.mark.parametrize(
    ("done", "total", "expected"),
    [
        (0, 0, "No documents yet"),
        (1, 1, "1 of 1 document done (100%)"),
        (1, 3, "1 of 3 documents done (33%)"),
        (199, 200, "199 of 200 documents done (99%)"),
        (1, 1000, "1 of 1,000 documents done (<1%)"),
        (12345, 100000, "12,345 of 100,000 documents done (12%)"),
    ],
)
def test_headline_never_rounds_up_to_all_done(done: int, total: int, expected: str) -> None:
    assert progress_headline(done, total) == expected


def test_label_chart_has_one_bar_per_label_in_label_order(qtbot: QtBot, project: Project) -> None:
    project.add_label("weapon", colour="#F0E442")
    (document_id,) = add_documents(project, 1)
    for start in range(3):
        project.add_span(document_id, start, start + 4, "number", "olena")
    project.add_span(document_id, 10, 14, "claim", "olena")

    dialog = open_dialog(qtbot, project)
    bars = chart(dialog, "labelChart")

    labels = project.labels()
    assert names_and_counts(bars) == [
        ("claim", 1),
        ("source", 0),
        ("location", 0),
        ("number", 3),
        ("weapon", 0),
    ]
    assert [colour for _name, _count, colour in bars.rows()] == [
        QColor(label.colour) for label in labels
    ]
    assert bars.toolTip().splitlines() == [
        "claim: 1",
        "source: 0",
        "location: 0",
        "number: 3",
        "weapon: 0",
    ]
    assert bars.accessibleDescription() == bars.toolTip()


def test_annotator_chart_counts_spans_per_annotator(qtbot: QtBot, project: Project) -> None:
    (document_id,) = add_documents(project, 1)
    project.add_span(document_id, 0, 3, "claim", "marko")
    project.add_span(document_id, 4, 10, "claim", "olena")
    project.add_span(document_id, 11, 17, "source", "olena")
    project.add_span(document_id, 18, 20, "number")

    dialog = open_dialog(qtbot, project)
    bars = chart(dialog, "annotatorChart")

    assert sorted(names_and_counts(bars)) == [("(none)", 1), ("marko", 1), ("olena", 2)]
    neutral = dialog.palette().color(QPalette.ColorRole.Highlight)
    assert all(colour == neutral for _name, _count, colour in bars.rows())
    assert "olena: 2" in bars.toolTip().splitlines()


def test_refresh_picks_up_a_new_span(qtbot: QtBot, project: Project) -> None:
    (document_id,) = add_documents(project, 1)
    dialog = open_dialog(qtbot, project)
    assert ("source", 0) in names_and_counts(chart(dialog, "labelChart"))
    assert chart(dialog, "annotatorChart").rows() == []
    assert headline(dialog) == "0 of 1 document done (0%)"

    project.add_span(document_id, 0, 3, "source", "marko")
    project.set_status(document_id, "done")
    dialog.refresh()

    assert ("source", 1) in names_and_counts(chart(dialog, "labelChart"))
    assert names_and_counts(chart(dialog, "annotatorChart")) == [("marko", 1)]
    assert headline(dialog) == "1 of 1 document done (100%)"


def test_empty_project_paints_without_bars(qtbot: QtBot, project: Project) -> None:
    dialog = open_dialog(qtbot, project)
    assert headline(dialog) == "No documents yet"
    assert chart(dialog, "annotatorChart").toolTip() == "No spans yet"
    assert not dialog.grab().isNull()


def test_bar_chart_grows_with_its_rows(qtbot: QtBot) -> None:
    bars = BarChart()
    qtbot.addWidget(bars)
    bars.set_rows([("claim", 3, QColor("#E69F00"))])
    one = bars.sizeHint().height()
    bars.set_rows([(f"label {n}", n, QColor("#E69F00")) for n in range(5)])
    assert bars.sizeHint().height() > 4 * one
    assert bars.minimumSizeHint().height() == bars.sizeHint().height()


def test_close_button_closes_the_dialog(qtbot: QtBot, project: Project) -> None:
    dialog = open_dialog(qtbot, project)
    buttons = dialog.findChild(QDialogButtonBox)
    assert buttons is not None
    close = buttons.button(QDialogButtonBox.StandardButton.Close)
    assert close is not None
    with qtbot.waitSignal(dialog.finished):
        close.click()
    assert not dialog.isVisible()


def test_annotator_bars_follow_a_theme_change(qtbot: QtBot, project: Project) -> None:
    (document_id,) = add_documents(project, 1)
    project.add_span(document_id, 0, 3, "claim", "olena")
    dialog = open_dialog(qtbot, project)
    dark = QPalette(dialog.palette())
    dark.setColor(QPalette.ColorRole.Highlight, QColor("#3d8fd1"))
    dialog.setPalette(dark)
    assert chart(dialog, "annotatorChart").rows() == [("olena", 1, QColor("#3d8fd1"))]


def test_large_counts_are_grouped_by_thousands(qtbot: QtBot, project: Project) -> None:
    """Counts read as the rest of the window writes them ("1,234"), not "1234"."""
    spans = [IncomingSpan(start, start + 3, "number", "olena") for start in range(1234)]
    assert project.add_document(IncomingDocument("x" * 1300, "Long", spans=spans)) is not None

    dialog = open_dialog(qtbot, project)

    label = dialog.findChild(QLabel, "labelHeading")
    assert label is not None and label.text() == "Spans per label (1,234 spans in all)"
    assert "number: 1,234" in chart(dialog, "labelChart").toolTip()
    assert "olena: 1,234" in chart(dialog, "annotatorChart").toolTip()
