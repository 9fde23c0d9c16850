"""File > Merge projects shows how far the copy being merged is, document by document,
and its Cancel still rolls that copy back."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from factmark.core.copies import make_copy
from factmark.core.incoming import IncomingDocument
from factmark.core.project import Project

DOCUMENTS = 200


@pytest.fixture
def lead_and_copy(tmp_path: Path) -> tuple[Path, Path]:
    """A project of 200 short articles, and ana's copy of it with a span added to each."""
    lead, copy = tmp_path / "lead.factmark", tmp_path / "ana.factmark"
    with Project.open(lead) as project:
        for number in range(DOCUMENTS):
            project.add_document(IncomingDocument(f"Article {number}: 240 soldiers crossed."))
    with Project.open(lead) as project:
        make_copy(project, copy, "ana")
    with Project.open(copy) as theirs:
        for document in theirs.documents():
            theirs.add_span(document.id or 0, 0, 7, "claim", "ana")
    return lead, copy


def slow_documents(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each document takes 5 ms to merge, as an archive's documents do (a merge of 100,000
    takes about a minute)."""
    import factmark.core.merge as merge

    real: Callable[..., Any] = merge.merge_document

    def slow(*args: Any, **kwargs: Any) -> Any:
        time.sleep(0.005)
        return real(*args, **kwargs)

    monkeypatch.setattr(merge, "merge_document", slow)


def watch(window: Any, seen: list[tuple[int, int, str]], then: Callable[[Any], None]) -> None:
    """Note the merge dialog's value, maximum and text every 20 ms while it shows."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QProgressDialog

    def look() -> None:
        dialog = window.findChild(QProgressDialog, "mergeProgress")
        if dialog is not None and dialog.isVisible():
            seen.append((dialog.value(), dialog.maximum(), dialog.labelText()))
            then(dialog)
        if dialog is None or not seen or dialog.isVisible():
            QTimer.singleShot(20, look)

    QTimer.singleShot(0, look)


def spans_of(path: Path) -> int:
    with Project.open_to_read(path) as project:
        return sum(len(project.spans(d.id or 0)) for d in project.documents())


def test_the_merge_dialog_counts_the_copys_documents(
    open_window, qtbot: QtBot, lead_and_copy: tuple[Path, Path], monkeypatch
) -> None:
    monkeypatch.setattr(
        "factmark.ui.dialogs.merge_report.MergeReportDialog.exec", lambda _dialog: 0
    )
    slow_documents(monkeypatch)
    lead, copy = lead_and_copy
    window = open_window(lead)
    seen: list[tuple[int, int, str]] = []
    watch(window, seen, lambda dialog: None)
    lines = window.files.merge_projects([copy])

    assert "200 spans added" in lines[0]
    # Each document is counted twice: checked, then merged.
    merging = [value for value, most, text in seen if most == 2 * DOCUMENTS and value > 0]
    assert len(set(merging)) >= 5, seen  # the bar moved, not stuck at 0 %
    assert merging == sorted(merging)
    assert max(merging) > DOCUMENTS  # into the merging half
    texts = [text for _, _, text in seen]
    assert any(
        text.startswith("Merging ana.factmark\nMerging its documents: ")
        and text.endswith(f" of {DOCUMENTS}")
        for text in texts
    ), texts


def test_cancel_in_the_middle_rolls_the_copy_back(
    open_window, qtbot: QtBot, lead_and_copy: tuple[Path, Path], monkeypatch
) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QPushButton

    monkeypatch.setattr(
        "factmark.ui.dialogs.merge_report.MergeReportDialog.exec", lambda _dialog: 0
    )
    slow_documents(monkeypatch)
    lead, copy = lead_and_copy
    window = open_window(lead)
    seen: list[tuple[int, int, str]] = []
    pressed: list[int] = []

    def cancel_while_merging(dialog: Any) -> None:
        # Halfway through the merging: some documents' spans are written already.
        if not pressed and dialog.value() > DOCUMENTS + DOCUMENTS // 2:
            pressed.append(dialog.value())
            qtbot.mouseClick(dialog.findChild(QPushButton), Qt.MouseButton.LeftButton)

    watch(window, seen, cancel_while_merging)
    lines = window.files.merge_projects([copy])

    assert pressed, seen
    assert lines[-1] == "Merge cancelled: the copy being merged was rolled back."
    assert spans_of(lead) == 0
