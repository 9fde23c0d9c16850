"""File > Export corpus lists the command line's formats and only the rows that apply."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import orjson
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout
from pytestqt.qtbot import QtBot

from factmark.core.incoming import IncomingDocument
from factmark.core.project import Project
from factmark.ui.dialogs.export_dialog import ExportDialog
from tests.cli.test_cli import factmark
from tests.ui.test_export_dialog import _export_button
from tests.ui.test_export_memory import choose


def command_line_formats() -> list[str]:
    """The formats ``factmark export --format`` takes, from its own help."""
    help_text = factmark("export", "--help").stdout
    found = re.search(r"-f FORMAT ([a-z, ]+) \(default: jsonl\)", " ".join(help_text.split()))
    assert found is not None, help_text
    return found.group(1).split(", ")


def shown_rows(dialog: ExportDialog) -> list[str]:
    """The labels of the dialog's rows a user sees."""
    form = dialog.layout()
    assert isinstance(form, QFormLayout)
    labels = [form.itemAt(row, QFormLayout.ItemRole.LabelRole) for row in range(form.rowCount())]
    return [
        item.widget().text()
        for item in labels
        if item is not None
        and item.widget() is not None
        and item.widget().isVisibleTo(dialog)
        and item.widget().text()
    ]


def test_without_spacy_its_formats_are_listed_saying_what_to_install(
    open_window, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every format of the command line is listed; those needing spaCy, where it is not
    installed, say so and give the README's install command; nothing is exported then."""
    formats = command_line_formats()
    window = open_window()
    monkeypatch.setitem(sys.modules, "spacy", None)  # as where spaCy is not installed
    dialog = ExportDialog(window.project, window)
    qtbot.addWidget(dialog)
    dialog.show()
    listed = {
        dialog.format.itemData(i): dialog.format.itemText(i) for i in range(dialog.format.count())
    }
    assert sorted(listed) == sorted(formats)
    needing_spacy = {"spacy", "attribution", "sentences"}  # the README's list
    assert {name for name, text in listed.items() if "not installed" in text} == needing_spacy
    export_button = _export_button(dialog)
    for name in sorted(needing_spacy):
        choose(qtbot, dialog.format, name)
        assert "pip install 'factmark[spacy]'" in dialog.format_help.text()
        assert not export_button.isEnabled()
        dialog.output.setText(str(tmp_path / f"out-{name}"))
        qtbot.mouseClick(export_button, Qt.MouseButton.LeftButton)
        assert dialog.isVisible() and list(tmp_path.iterdir()) == []
    choose(qtbot, dialog.format, "jsonl")
    assert export_button.isEnabled()
    assert "pip install" not in dialog.format_help.text()


def test_a_row_of_one_format_shows_with_that_format_only(open_window, qtbot: QtBot) -> None:
    """Nested spans (conll) and Sentence labels (sentences) show with their format only."""
    window = open_window()
    dialog = ExportDialog(window.project, window)
    qtbot.addWidget(dialog)
    dialog.show()
    every = ["Format", "Documents", "Labels", "Spans", "Split", "Keep together", "Save as"]
    expected = {
        "jsonl": every,
        "conll": [*every[:1], "Nested spans", *every[1:]],
        "sentences": [*every[:1], "Sentence labels", *every[1:]],
        "brat": every,
    }
    for fmt, rows in expected.items():
        choose(qtbot, dialog.format, fmt)
        assert shown_rows(dialog) == rows, fmt


def test_the_export_message_counts_what_the_format_wrote(
    project: Project, qtbot: QtBot, tmp_path: Path
) -> None:
    """The dialog's message counts what the chosen format's file holds, says "link",
    and words it as `factmark export` does."""
    first = "Officials said 40 bridges were closed, Anna Kowal told reporters.\n"
    second = "The council claimed the budget doubled.\n"
    added = project.add_document(IncomingDocument(first, status="done"))
    other = project.add_document(IncomingDocument(second, status="done"))
    assert added is not None and other is not None
    claim = project.add_span(added[0], 15, 37, "claim", attrs={"verdict": "false"})
    project.add_span(added[0], 15, 17, "number")  # inside the claim: BIO keeps one
    source = project.add_span(added[0], 39, 50, "source")
    assert source.id is not None and claim.id is not None
    project.add_relation(source.id, claim.id, "attributed_to")
    project.add_span(other[0], 4, 39, "claim")  # no verdict: no review
    dialog = ExportDialog(project)
    qtbot.addWidget(dialog)
    dialog.show()
    for fmt, name in (("jsonl", "c.jsonl"), ("conll", "c.conll"), ("claimreview", "c.jsonld")):
        choose(qtbot, dialog.format, fmt)
        out = tmp_path / name
        dialog.output.setText(str(out))
        qtbot.mouseClick(_export_button(dialog), Qt.MouseButton.LeftButton)
        data = out.read_bytes()
        if fmt == "jsonl":
            records = [orjson.loads(line) for line in data.splitlines()]
            spans = sum(len(r["spans"]) for r in records)
            links = sum(len(r["relations"]) for r in records)
            expected = f"{len(records)} documents, {spans} spans and {links} link"
            assert (len(records), spans, links) == (2, 4, 1)
        elif fmt == "conll":
            tags = sum(
                line.endswith((" B-claim", " B-number", " B-source"))
                for line in data.decode().splitlines()
            )
            assert tags == 3  # the number inside the claim is left out
            expected = f"2 documents and {tags} spans"
        else:
            reviews = [item for e in orjson.loads(data)["dataFeedElement"] for item in e["item"]]
            assert len(reviews) == 1
            expected = "1 review from 2 documents"
        assert dialog.result_message == f"Exported {expected} to {out}.", fmt
        said = factmark("export", project.path, "--format", fmt, "-o", tmp_path / f"cli-{name}")
        assert said.stdout.splitlines()[0] == f"{tmp_path / f'cli-{name}'}: exported {expected}"
