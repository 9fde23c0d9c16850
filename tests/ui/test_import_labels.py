"""Importing peers' files from the window: labels the project lacks are added on request,
and a Factmark dataset card among the files is never taken for an article."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from factmark.core.exporting import export
from factmark.core.exporting.base import Selection
from factmark.core.importing import collect_files, import_file
from factmark.core.project import Project
from factmark.ui.dialogs.import_report import ReportDialog
from factmark.ui.window.main_window import MainWindow
from tests.ui.test_jobs import answer_modal, watch
from tests.ui.test_projects import drop

INCEPTION = Path(__file__).parents[1] / "core" / "fixtures" / "inception"
XMI = INCEPTION / "xmi" / "lagos.xmi"
TSV = INCEPTION / "claims.tsv"
# Read off the fixtures by hand. lagos.xmi: a NamedEntity valued LOC, one without a value
# (its layer's name), a Claim whose verdict is "misleading" and two "source" spans.
# claims.tsv: NamedEntity values LOC (twice), \[wave\] (escaped "[wave]") and PER; Claim
# labels claim, number, quote. A new project has claim, location, number and source.
# Their texts, the file's UTF-16 offsets (0-5, 6-10, 13-32) read off its sofaString.
# The claim's only feature is the project's attribute verdict: the layer's name is its label.
XMI_SPANS = {("LOC", "Lagos"), ("NamedEntity", "🇳🇬"), ("claim", "40 😱 homes flooded")}
NEW_LABELS = {"LOC", "NamedEntity", "[wave]", "PER", "quote"}
TSV_SPANS = 8  # LOC, [wave], claim, number, PER, claim, quote, LOC


def stored_rows(project: Path, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(project) as db:
        return db.execute(sql).fetchall()


def answer_reports(qtbot: QtBot, seen: list[ReportDialog], add_labels: bool) -> QTimer:
    """Each import report that appears is noted; the first one's "Add these labels and
    import again" is clicked (when ``add_labels``) and every other report closed."""

    def check() -> None:
        modal = QApplication.activeModalWidget()
        if isinstance(modal, ReportDialog) and modal not in seen:
            seen.append(modal)
            button = modal.add_labels_button
            if add_labels and len(seen) == 1 and button.isVisible():
                qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
            else:
                modal.reject()

    return watch(qtbot, check)


def label_names(window: MainWindow) -> tuple[list[str], list[str]]:
    """The labels named on the toolbar and in the Label menu."""
    table = window.action_table
    bar = [a.text().replace("&&", "&") for a in table.label_toolbar.actions()]
    menu = [a.text().replace("&&", "&") for a in table.menus["Label"].actions()]
    return bar, menu


def test_inception_files_come_in_once_their_labels_are_added_from_the_report(
    open_window, qtbot: QtBot, tmp_path: Path
) -> None:
    path = tmp_path / "peers.factmark"
    window = open_window(path)
    seen: list[ReportDialog] = []
    timer = answer_reports(qtbot, seen, add_labels=True)
    try:
        drop(window, [XMI, TSV])
    finally:
        timer.stop()
    first, second = seen
    # The first report names every label the files lack and offers to add them.
    offered = first.missing_labels.text()
    assert all(name in offered for name in NEW_LABELS), offered
    assert "error: unknown label 'LOC'" in first.text()
    # The second import brought both files in, with their labels.
    assert "lagos.xmi: imported 1 document, 5 spans" in second.text()
    assert f"claims.tsv: imported 1 document, {TSV_SPANS} spans" in second.text()
    assert second.add_labels_button.isHidden()
    names = {name for (name,) in stored_rows(path, "SELECT name FROM labels")}
    assert names >= NEW_LABELS
    rows = stored_rows(
        path,
        'SELECT s.label, d.text, s.start, s."end" FROM spans s JOIN documents d '
        "ON d.id = s.document_id",
    )
    assert {(label, text[start:end]) for label, text, start, end in rows} >= XMI_SPANS
    bar, menu = label_names(window)
    assert set(bar) >= NEW_LABELS, bar
    assert set(menu) >= NEW_LABELS, menu
    assert window.document_list.model().rowCount() == 2

    # Importing again is safe: the documents already in are skipped, none is doubled.
    seen.clear()
    timer = answer_reports(qtbot, seen, add_labels=True)
    try:
        drop(window, [XMI, TSV])
    finally:
        timer.stop()
    assert len(seen) == 1
    assert "2 duplicates" in seen[0].summary.text()
    assert seen[0].add_labels_button.isHidden()
    assert window.document_list.model().rowCount() == 2


def test_closing_the_report_adds_no_label_and_imports_nothing(
    open_window, qtbot: QtBot, tmp_path: Path
) -> None:
    path = tmp_path / "peers.factmark"
    window = open_window(path)
    seen: list[ReportDialog] = []
    timer = answer_reports(qtbot, seen, add_labels=False)
    try:
        drop(window, [XMI])
    finally:
        timer.stop()
    assert len(seen) == 1
    assert not seen[0].add_labels_button.isHidden()
    names = {name for (name,) in stored_rows(path, "SELECT name FROM labels")}
    assert names == {"claim", "location", "number", "source"}
    assert window.document_list.model().rowCount() == 0


def exported_brat(tmp_path: Path, corpus: Path) -> list[Path]:
    """Every file of a brat export (a dataset card among them)."""
    source = tmp_path / "source.factmark"
    with Project.open(source) as project:
        import_file(project, corpus / "annotated.jsonl")
        export(project, "brat", tmp_path / "out", Selection(frozenset()))
    files = sorted(p for p in (tmp_path / "out").rglob("*") if p.is_file())
    assert (tmp_path / "out" / "README.md") in files
    return files


def test_a_dataset_card_chosen_among_the_files_is_skipped(
    open_window, qtbot: QtBot, tmp_path: Path, corpus: Path
) -> None:
    files = exported_brat(tmp_path, corpus)
    window = open_window(tmp_path / "new.factmark")
    seen: list = []
    timer = answer_modal(qtbot, ReportDialog, seen)
    try:
        drop(window, files)
    finally:
        timer.stop()
    report = seen[0].text()
    assert "README.md: skipped: a Factmark dataset card" in report
    model = window.document_list.model()
    titles = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert len(titles) == 3  # annotated.jsonl holds three articles
    assert not any("Factmark dataset" in title for title in titles)


def test_a_dataset_card_is_skipped_named_or_found_in_a_folder(tmp_path: Path, corpus: Path) -> None:
    files = exported_brat(tmp_path, corpus)
    card = tmp_path / "out" / "README.md"
    found, _ = collect_files([tmp_path / "out"])
    assert card in found
    with Project.open(tmp_path / "new.factmark") as project:
        for path in (card, tmp_path / "out"):
            targets = collect_files([path])[0]
            lines = [line for f in targets for line in import_file(project, f).lines()]
            assert f"{card}: skipped: a Factmark dataset card" in lines
        assert project.document_count() == 3
    assert len(files) > 1
