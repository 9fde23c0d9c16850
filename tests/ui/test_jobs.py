"""Background import and export: progress, cancelling, errors and the import report."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from factmark.core.exporting.base import Selection
from factmark.core.importing import import_file
from factmark.core.incoming import IncomingDocument
from factmark.core.project import Project
from factmark.ui.background import jobs
from factmark.ui.background.jobs import ImportJob, ImportOutcome
from factmark.ui.dialogs.import_report import ReportDialog
from factmark.ui.dialogs.progress import run_export, run_import

ALL = Selection(statuses=frozenset())


@pytest.fixture
def parent(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    widget.resize(600, 400)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def articles(tmp_path: Path, corpus: Path) -> Path:
    """A folder whose first file (by name) holds three annotated articles, then two more."""
    folder = tmp_path / "articles"
    folder.mkdir()
    shutil.copy(corpus / "annotated.jsonl", folder / "a-annotated.jsonl")
    shutil.copy(corpus / "ar-mosul.txt", folder / "b-mosul.txt")
    shutil.copy(corpus / "bad" / "latin1.txt", folder / "c-latin1.txt")
    return folder


def source_spans(path: Path) -> dict[str, set[tuple[int, int, str]]]:
    """Each article's text in a JSONL file, with its spans."""
    records = [orjson.loads(line) for line in path.read_bytes().splitlines() if line.strip()]
    return {r["text"]: {(s["start"], s["end"], s["label"]) for s in r["spans"]} for r in records}


def stored_spans(project: Project) -> dict[str, set[tuple[int, int, str]]]:
    stored = {}
    for document in project.documents():
        full = project.document(document.id or 0)
        spans = project.spans(full.id or 0)
        stored[full.text] = {(s.start, s.end, s.label) for s in spans}
    return stored


def watch(qtbot: QtBot, check: Callable[[], None], every_ms: int = 10) -> QTimer:
    """Call ``check`` from the GUI thread's event loop while a job runs."""
    timer = QTimer()
    timer.timeout.connect(check)
    timer.start(every_ms)
    return timer


def answer_modal(qtbot: QtBot, kind: type[QWidget], seen: list[Any]) -> QTimer:
    """Record the next modal ``kind`` window to appear, then close it as a user would."""

    def check() -> None:
        modal = QApplication.activeModalWidget()
        if isinstance(modal, kind) and modal not in seen:
            seen.append(modal)
            seen.append(modal.text() if isinstance(modal, QMessageBox) else None)
            modal.reject()

    return watch(qtbot, check)


class ShowSpy(QObject):
    """Notes every progress dialog that becomes visible."""

    def __init__(self) -> None:
        super().__init__()
        self.shown: list[str] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and isinstance(watched, QProgressDialog):
            self.shown.append(watched.objectName())
        return False


@pytest.fixture
def show_spy() -> Iterator[ShowSpy]:
    spy = ShowSpy()
    QApplication.instance().installEventFilter(spy)
    yield spy
    QApplication.instance().removeEventFilter(spy)


# -- importing ---------------------------------------------------------------------


def test_importing_the_corpus_imports_good_files_and_reports_bad_ones(
    qtbot: QtBot, parent: QWidget, project: Project, project_path: Path, corpus: Path
) -> None:
    outcome = run_import(parent, project_path, [corpus], show_report=False)

    assert outcome.error is None and not outcome.cancelled
    lines = outcome.lines()
    for expected in (
        "bad/binary.txt: error: binary file",
        "bad/empty.txt: error: empty file",
        "bad/malformed.jsonl:2: error: not valid JSON",
        "bad/malformed.jsonl:4: error: unknown label 'villain'",
        "bad/truncated.docx: error:",
    ):
        assert any(expected in line for line in lines), expected
    failed = {report.path.name for report in outcome.reports if report.failed}
    assert failed == {"binary.txt", "empty.txt", "malformed.jsonl", "truncated.docx"}
    # The window's own connection sees what the worker's connection stored.
    assert project.document_count() == outcome.documents > 0
    stored = stored_spans(project)
    assert (corpus / "ar-mosul.txt").read_text(encoding="utf-8") in stored
    assert {"Good line one in Kyiv.", "Good line two in Odesa."} <= stored.keys()
    for text, spans in source_spans(corpus / "annotated.jsonl").items():
        assert stored[text] == spans
    # The progress dialog is gone once the job has ended.
    qtbot.waitUntil(lambda: parent.findChild(QProgressDialog) is None)


def test_a_slow_import_shows_progress_and_keeps_the_window_responsive(
    qtbot: QtBot,
    parent: QWidget,
    project_path: Path,
    project: Project,
    articles: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def slow_import(*args: Any, **kwargs: Any) -> Any:
        time.sleep(0.3)
        return import_file(*args, **kwargs)

    monkeypatch.setattr(jobs, "import_file", slow_import)
    seen: list[tuple[bool, str, Qt.WindowModality]] = []

    def look() -> None:
        dialog = parent.findChild(QProgressDialog, "importProgress")
        if dialog is not None:
            seen.append((dialog.isVisible(), dialog.labelText(), dialog.windowModality()))

    timer = watch(qtbot, look)
    outcome = run_import(parent, project_path, [articles], show_report=False)
    timer.stop()

    assert outcome.documents == 5
    visible = [label for shown, label, _ in seen if shown]
    assert any("b-mosul.txt" in label and "2 of 3 files" in label for label in visible)
    assert all(modality == Qt.WindowModality.WindowModal for _, _, modality in seen)
    # The GUI thread kept running its event loop all along (about 0.9 s of work).
    assert len(seen) > 20


def test_a_small_import_does_not_flash_a_progress_dialog(
    parent: QWidget, project: Project, project_path: Path, corpus: Path, show_spy: ShowSpy
) -> None:
    outcome = run_import(parent, project_path, [corpus / "fr-combining.txt"], show_report=False)

    assert outcome.documents == 1
    assert show_spy.shown == []


def test_cancel_button_stops_after_the_current_file(
    qtbot: QtBot,
    parent: QWidget,
    project: Project,
    project_path: Path,
    articles: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The second file waits until the user has pressed Cancel, so the race is settled.
    resume = threading.Event()
    calls = 0

    def gated_import(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == 2:
            resume.wait(10)
        return import_file(*args, **kwargs)

    monkeypatch.setattr(jobs, "import_file", gated_import)
    labels: list[str] = []
    after: list[tuple[bool, bool, str]] = []

    def press_cancel() -> None:
        dialog = parent.findChild(QProgressDialog, "importProgress")
        if dialog is None or not dialog.isVisible():
            return
        labels.append(dialog.labelText())
        button = dialog.findChild(QPushButton)
        if dialog.value() == 1 and button.isEnabled():
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
            after.append((dialog.isVisible(), button.isEnabled(), dialog.labelText()))
            resume.set()

    timer = watch(qtbot, press_cancel)
    outcome = run_import(parent, project_path, [articles], show_report=False)
    timer.stop()
    resume.set()

    assert outcome.cancelled and outcome.error is None
    assert [report.path.name for report in outcome.reports] == ["a-annotated.jsonl"]
    assert any("b-mosul.txt" in label and "2 of 3" in label for label in labels)
    # Until the job has really stopped the dialog stays up, saying so.
    assert len(after) == 1
    visible, enabled, label = after[0]
    assert visible and not enabled and label.startswith("Cancelling")
    assert "Cancelled after 1 of 3 files" in outcome.summary()
    # Only the first file went in, every article with all of its spans.
    assert stored_spans(project) == source_spans(articles / "a-annotated.jsonl")


def test_cancelling_between_documents_keeps_whole_documents(
    qtbot: QtBot,
    project: Project,
    project_path: Path,
    articles: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    job = ImportJob(project_path, [articles])

    def cancel_after_first_document(
        *args: Any, cancelled: Callable[[], bool], **options: Any
    ) -> Any:
        asked = 0

        def check() -> bool:
            nonlocal asked
            asked += 1
            if asked == 2:  # asked once per document, before storing it
                job.cancel()
            return cancelled()

        return import_file(*args, cancelled=check, **options)

    monkeypatch.setattr(jobs, "import_file", cancel_after_first_document)
    with qtbot.waitSignal(job.finished, timeout=10_000) as finished:
        job.start()
    outcome = finished.args[0]

    assert isinstance(outcome, ImportOutcome) and outcome.cancelled
    assert not job.is_running()
    assert project.document_count() == 1
    text, spans = next(iter(source_spans(articles / "a-annotated.jsonl").items()))
    assert stored_spans(project) == {text: spans}
    (report,) = outcome.reports
    assert report.documents == 1
    assert "cancelled" in report.lines()[0]


def test_a_read_only_project_gives_an_error_message(
    qtbot: QtBot, parent: QWidget, project: Project, project_path: Path, corpus: Path
) -> None:
    project_path.chmod(0o444)
    seen: list[Any] = []
    timer = answer_modal(qtbot, QMessageBox, seen)
    try:
        outcome = run_import(parent, project_path, [corpus / "ar-mosul.txt"])
    finally:
        timer.stop()
        project_path.chmod(0o644)

    assert outcome.error is not None and "read-only" in outcome.error
    assert outcome.reports == [] and not outcome.cancelled
    assert outcome.summary().startswith("Import failed:")
    assert len(seen) == 2 and "read-only" in seen[1]
    assert project.document_count() == 0


def test_the_report_is_shown_when_the_import_ends(
    qtbot: QtBot, parent: QWidget, project: Project, project_path: Path, corpus: Path
) -> None:
    seen: list[Any] = []
    timer = answer_modal(qtbot, ReportDialog, seen)
    outcome = run_import(parent, project_path, [corpus / "bad"])
    timer.stop()

    assert len(seen) == 2
    dialog = seen[0]
    assert dialog.objectName() == "importReport"
    assert dialog.summary.text() == outcome.summary()


# -- the report dialog on its own ----------------------------------------------------


def test_report_dialog_shows_the_summary_and_marks_errors(
    qtbot: QtBot, project: Project, corpus: Path
) -> None:
    bad = sorted((corpus / "bad").iterdir())
    reports = [import_file(project, path) for path in bad]
    dialog = ReportDialog(reports)
    qtbot.addWidget(dialog)
    dialog.show()

    assert dialog.summary.text() == (
        "Imported 3 documents (0 spans) from 5 files; 4 files had errors"
    )
    assert str(corpus / "bad") in dialog.folder.text()
    shown = [dialog.lines.item(row) for row in range(dialog.lines.count())]
    assert len(shown) == sum(len(report.lines()) for report in reports)
    errors = [item for item in shown if ": error: " in item.text()]
    others = [item for item in shown if ": error: " not in item.text()]
    assert any(item.text().startswith("malformed.jsonl:2: error") for item in errors)
    assert len(errors) == 7 and others
    for item in errors:
        colour = item.foreground().color()
        assert colour.red() > 2 * max(colour.green(), colour.blue())
        assert not item.icon().isNull()
    for item in others:
        assert item.foreground().color() != errors[0].foreground().color()

    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    copied = QGuiApplication.clipboard().text().splitlines()
    assert copied[0] == dialog.summary.text()
    expected = f"{corpus / 'bad' / 'malformed.jsonl'}:2: error: not valid JSON"
    assert any(line.startswith(expected) for line in copied)


def test_report_summary_counts_duplicates(project: Project, corpus: Path) -> None:
    reports = [import_file(project, corpus / "ar-mosul.txt") for _ in range(2)]
    assert ImportOutcome(reports).summary() == (
        "Imported 1 document (0 spans) from 2 files; 1 duplicate"
    )


def test_report_summary_counts_links_when_there_are_some(project: Project, tmp_path: Path) -> None:
    """An attribution corpus brings links: the report says how many came in."""
    source = tmp_path / "linked.jsonl"
    records = [
        {
            "text": f"Officials said {n} drones fell near Kharkiv.",
            "spans": [
                {"id": "s", "start": 0, "end": 9, "label": "source"},
                {"id": "c", "start": 15, "end": 42, "label": "claim"},  # to the end
            ],
            "relations": [
                {"head": "s", "child": "c", "label": label} for label in ("attributed_to", "cites")
            ][:n],
        }
        for n in range(3)
    ]
    source.write_bytes(b"".join(orjson.dumps(record) + b"\n" for record in records))
    report = import_file(project, source)
    # "cites" is no link type of a new project: the import adds it and says so.
    assert report.lines() == [
        f"{source}: imported 3 documents, 6 spans, 3 links (added link types: cites)"
    ]
    assert ImportOutcome([report]).summary() == (
        "Imported 3 documents (6 spans, 3 links) from 1 file"
    )


# -- exporting -----------------------------------------------------------------------


def test_an_export_job_writes_the_file_and_counts(
    parent: QWidget, project: Project, project_path: Path, corpus: Path, tmp_path: Path
) -> None:
    import_file(project, corpus / "annotated.jsonl")
    output = tmp_path / "new folder" / "export.jsonl"

    outcome = run_export(parent, project_path, "jsonl", output, ALL)

    assert outcome.error is None and outcome.result is not None
    assert (outcome.result.documents, outcome.result.spans, outcome.result.relations) == (3, 16, 1)
    records = [orjson.loads(line) for line in output.read_bytes().splitlines()]
    assert [len(r["spans"]) for r in records] == [
        len(spans) for spans in source_spans(corpus / "annotated.jsonl").values()
    ]
    assert "Exported 3 documents, 16 spans and 1 link" in outcome.summary()


def test_an_export_to_a_folder_that_cannot_be_created_gives_an_error(
    parent: QWidget, project: Project, project_path: Path, corpus: Path, tmp_path: Path
) -> None:
    import_file(project, corpus / "annotated.jsonl")
    (tmp_path / "notes.txt").write_text("a file, not a folder")
    output = tmp_path / "notes.txt" / "exports" / "out.jsonl"

    outcome = run_export(parent, project_path, "jsonl", output, ALL, show_errors=False)

    assert outcome.result is None and not outcome.cancelled
    assert outcome.error is not None
    assert "notes.txt is a file, not a folder" in outcome.error
    assert (tmp_path / "notes.txt").read_text() == "a file, not a folder"


def test_a_cancelled_export_leaves_the_previous_file(
    project: Project, project_path: Path, tmp_path: Path
) -> None:
    for n in range(300):
        project.add_document(IncomingDocument(f"Article {n}: the mayor said 12 drones.", ""))
    output = tmp_path / "export.jsonl"
    output.write_text("the previous export\n")
    answers = iter([False])  # not cancelled when it starts, cancelled once it runs

    outcome = jobs.export_project(project_path, "jsonl", output, ALL, lambda: next(answers, True))

    assert outcome.cancelled and outcome.result is None and outcome.error is None
    assert output.read_text() == "the previous export\n"
    assert list(tmp_path.glob("*.part")) == []


def test_a_job_that_raises_ends_and_its_traceback_is_logged(
    qtbot: QtBot, parent: QWidget, project: Project, project_path: Path, corpus: Path, monkeypatch
) -> None:
    from factmark.core import error_log

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("an importer bug")

    monkeypatch.setattr(jobs, "import_file", broken)
    outcome = run_import(parent, project_path, [corpus / "fr-combining.txt"], show_report=False)
    assert outcome.error is not None and "an importer bug" in outcome.error  # nothing hangs
    log = error_log.log_path().read_text(encoding="utf-8")
    assert "RuntimeError: an importer bug" in log and "Traceback" in log


def test_a_cancel_after_the_outputs_are_in_place_finishes_the_export(
    project: Project, project_path: Path, tmp_path: Path
) -> None:
    """Cancel pressed once the new file has replaced the old one (its card not yet
    written): the export finishes with its card and says what it wrote, rather than
    reporting a cancel that left the new file, without its card, in place."""
    for n in range(300):
        project.add_document(IncomingDocument(f"Article {n}: the mayor said 12 drones.", ""))
    output = tmp_path / "export.jsonl"
    output.write_text("the previous export\n")

    def cancelled() -> bool:  # true from the moment the new file is in place
        return output.read_text() != "the previous export\n"

    outcome = jobs.export_project(project_path, "jsonl", output, ALL, cancelled)

    assert not outcome.cancelled and outcome.error is None
    assert outcome.result is not None and outcome.result.documents == 300
    assert len(output.read_text().splitlines()) == 300
    card = tmp_path / "README.md"
    assert outcome.result.card == card and "300" in card.read_text()
    assert outcome.summary().startswith("Exported 300 documents")
