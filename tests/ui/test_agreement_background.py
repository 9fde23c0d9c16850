"""View > Agreement counts the figures in a background job behind a progress dialog:
the dialog opens with the figures the straightforward computation gives, Cancel ends the
counting (a second process too) and leaves nothing, a failure is said in one line."""

from __future__ import annotations

import hashlib
import shutil
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QProgressDialog,
    QPushButton,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
)
from pytestqt.qtbot import QtBot

from factmark.core import agreement as agreement_module
from factmark.core import two_processes
from factmark.core.project import Project
from factmark.ui.background import agreement_report
from factmark.ui.dialogs import progress, team_dialogs
from factmark.ui.dialogs.team_dialogs import AgreementDialog
from tests.core.agreement_reference import straightforward_agreement
from tests.core.test_agreement_batches import hostile
from tests.core.test_agreement_second_process import second_processes

# The fixtures: a project of CJK, Arabic, emoji, CRLF and spans crossing lines; the
# second processes started.
__all__ = ["hostile", "second_processes"]


@pytest.fixture
def project(hostile: Path, tmp_path: Path) -> Path:
    return Path(shutil.copy(hostile, tmp_path / "team.factmark"))


def second_program(monkeypatch: pytest.MonkeyPatch, code: str) -> None:
    """The second process runs ``code`` instead of counting."""
    monkeypatch.setattr(two_processes, "_program", lambda: [sys.executable, "-c", code])


def when(condition: Callable[[], bool], then: Callable[[], None]) -> QTimer:
    """Do ``then`` (in the GUI thread, while a job's progress dialog waits) once
    ``condition()`` holds."""
    timer = QTimer()

    def tick() -> None:
        if condition():
            timer.stop()
            then()

    timer.timeout.connect(tick)
    timer.start(10)
    return timer


def digest(path: Path) -> list[str]:
    return [
        hashlib.sha256(p.read_bytes()).hexdigest()
        for p in (path, path.with_name(path.name + "-wal"))
        if p.exists()
    ]


@pytest.mark.parametrize("processes", [1, 2])
def test_the_dialog_opens_with_the_figures_counted_in_the_background(
    open_window,
    qtbot: QtBot,
    project: Path,
    processes: int,
    second_processes: list[two_processes.SecondProcess],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if processes == 1:
        monkeypatch.setattr(agreement_module, "FROM_BYTES", 10**12)
    with Project.open_to_read(project) as reading:
        expected = straightforward_agreement(reading)
    window = open_window(project)
    before = digest(project)
    window.action_table["agreement"].trigger()
    dialog = window.findChild(AgreementDialog)
    assert dialog is not None and dialog.isVisible()
    # The documents a table whose rows are made when shown: every one as the oracle's.
    assert {**dialog.figures, "documents": list(dialog.figures["documents"])} == expected
    assert expected["documents_compared"] > 100
    assert len(second_processes) == processes - 1
    assert all(not second.folder.exists() for second in second_processes)
    assert digest(project) == before  # the job's connection only read


def nothing_left(second_processes: list[two_processes.SecondProcess]) -> None:
    """The one second process started has ended and its folder is gone."""
    (second,) = second_processes
    assert second.child.returncode is not None
    assert not second.folder.exists()


def test_cancel_ends_the_counting_and_its_second_process(
    open_window, qtbot: QtBot, project: Path, second_processes, monkeypatch
) -> None:
    second_program(monkeypatch, "import sys; sys.stdin.read()")  # never finishes
    window = open_window(project)

    def shown() -> QProgressDialog | None:
        found = window.findChild(QProgressDialog, "agreementProgress")
        return found if found is not None and found.isVisible() else None

    def cancel() -> None:
        button = shown().findChild(QPushButton)  # type: ignore[union-attr]
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    timer = when(lambda: shown() is not None and bool(second_processes), cancel)
    window.action_table["agreement"].trigger()  # returns once the job has ended
    assert not timer.isActive()
    assert window.findChild(AgreementDialog) is None
    assert window.statusBar().currentMessage() == "Agreement cancelled"
    nothing_left(second_processes)


def test_a_failing_second_process_is_said_in_one_line(
    open_window, project: Path, second_processes, monkeypatch
) -> None:
    second_program(monkeypatch, "import sys; sys.exit('No space left on device')")
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        progress, "plain_warning", lambda _p, title, text: shown.append((title, text))
    )
    window = open_window(project)
    window.action_table["agreement"].trigger()
    assert window.findChild(AgreementDialog) is None
    ((title, text),) = shown
    assert title == "Agreement failed"
    assert text == (
        f"{project}: the second agreement process stopped (exit code 1): No space left on device"
    )
    nothing_left(second_processes)


def listed_before(disagreements: list[dict[str, Any]]) -> QTreeWidget:
    """The list of disagreements as it was made before it filled in batches: the oracle."""
    tree = QTreeWidget()
    tree.setHeaderLabels(["Figure / document", "Place", "Versions"])
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for entry in disagreements:
        groups.setdefault((entry["kind"], entry["label"]), []).append(entry)
    for (kind, name), entries in sorted(groups.items()):
        top = QTreeWidgetItem(tree, [f"{team_dialogs.KINDS[kind]} {name} ({len(entries)})"])
        for entry in entries:
            versions = "   |   ".join(f"{who}: {v}" for who, v in entry["versions"].items())
            child = QTreeWidgetItem(
                top, [entry["document"], f"[{entry['start']}, {entry['end']})", versions]
            )
            child.setToolTip(2, versions)
            child.setData(0, Qt.ItemDataRole.UserRole, entry)
    tree.expandAll()
    return tree


def rows(tree: QTreeWidget) -> list[tuple[Any, ...]]:
    """Every row of a list: each group with whether it is open, then its rows."""
    found: list[tuple[Any, ...]] = []
    for n in range(tree.topLevelItemCount()):
        top = tree.topLevelItem(n)
        found.append((top.text(0), top.isExpanded(), top.childCount()))
        for c in range(top.childCount()):
            row = top.child(c)
            texts = tuple(row.text(column) for column in range(3))
            found.append((*texts, row.toolTip(2), row.data(0, Qt.ItemDataRole.UserRole)))
    return found


def test_a_long_disagreement_list_fills_batch_by_batch_as_it_was_made(
    qtbot: QtBot, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On hostile text: once filled, every group, row, tooltip and entry as the list made
    at once had them; before, only the first batch."""
    monkeypatch.setattr(team_dialogs, "ROWS_AT_ONCE", 7)
    with Project.open_to_read(project) as reading:
        disagreements = straightforward_agreement(reading)["disagreements"]
    expected = listed_before(disagreements)
    qtbot.addWidget(expected)
    listed = team_dialogs.DisagreementList(disagreements)
    qtbot.addWidget(listed)
    made = sum(listed.topLevelItem(n).childCount() for n in range(listed.topLevelItemCount()))
    assert made == 7 and not listed.filled()
    qtbot.waitUntil(listed.filled)
    assert len(disagreements) > 500
    assert rows(listed) == rows(expected)


def test_the_report_is_made_in_the_background_as_the_window_made_it(
    open_window, qtbot: QtBot, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The report's HTML is made in the job's thread, not the window's, and shows what the
    dialog made of the figures itself."""
    made_in: list[threading.Thread] = []
    agreement_html = agreement_report.agreement_html

    def recorded(figures: dict[str, Any]) -> str:
        made_in.append(threading.current_thread())
        return agreement_html(figures)

    monkeypatch.setattr(agreement_report, "agreement_html", recorded)
    with Project.open_to_read(project) as reading:
        expected = straightforward_agreement(reading)
    window = open_window(project)
    window.action_table["agreement"].trigger()
    dialog = window.findChild(AgreementDialog)
    assert dialog is not None and dialog.isVisible()
    assert made_in and all(t is not threading.main_thread() for t in made_in)
    shown = QTextBrowser()
    qtbot.addWidget(shown)
    shown.setHtml(agreement_html(expected))
    assert dialog.report.toHtml() == shown.toHtml()
    assert "Krippendorff's unitizing alpha" in dialog.report.toPlainText()
