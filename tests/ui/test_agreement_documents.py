"""View > Agreement's documents: a table of each compared document's figures, lowest
agreement first as the figures list them, sortable by a click on a heading; a
double-click or Enter opens the document in review mode. The report's HTML keeps the
other figures only."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from factmark.core.agreement import agreement
from factmark.core.project import Project
from factmark.ui.dialogs.team_dialogs import AgreementDialog
from tests.core.agreement_reference import straightforward_agreement
from tests.core.test_agreement_batches import hostile
from tests.core.test_agreement_table import titled

# The fixtures: CJK, Arabic, emoji, CRLF, spans crossing lines; titles in many scripts,
# some alike in their first 40 characters, some empty, many documents tied on every figure.
__all__ = ["hostile", "titled"]


@pytest.fixture
def project(hostile: Path, tmp_path: Path) -> Path:
    return Path(shutil.copy(hostile, tmp_path / "team.factmark"))


def shown(dialog: AgreementDialog) -> list[tuple[Any, ...]]:
    """Every row of the documents table as the user reads it."""
    model = dialog.documents.model()
    return [
        tuple(model.index(row, column).data() for column in range(model.columnCount()))
        for row in range(model.rowCount())
    ]


def expected_row(document: dict[str, Any]) -> tuple[Any, ...]:
    figures = [document[key] for key in ("exact_f1", "overlap_f1", "kappa")]
    return (
        document["title"] or document["id"][:12],
        *("–" if value is None else f"{value:.2f}" for value in figures),
    )


def opened(open_window, project: Path) -> tuple[Any, AgreementDialog, dict[str, Any]]:
    with Project.open_to_read(project) as reading:
        figures = agreement(reading)
    window = open_window(project)
    window.action_table["agreement"].trigger()
    dialog = window.findChild(AgreementDialog)
    assert dialog is not None and dialog.isVisible()
    return window, dialog, figures


def test_the_table_shows_each_documents_figures_lowest_first(open_window, project: Path) -> None:
    _window, dialog, figures = opened(open_window, project)
    assert len(figures["documents"]) > 100
    assert shown(dialog) == [expected_row(d) for d in figures["documents"]]
    model = dialog.documents.model()
    headings = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(4)]
    assert headings == ["Document", "exact F1", "overlap F1", "kappa"]
    report = dialog.report.toPlainText()
    assert "Documents, lowest agreement first" not in report
    assert "Krippendorff's unitizing alpha" in report
    assert report.count("\n") < 200  # no row per document (there are over 100)


def click_heading(qtbot: QtBot, dialog: AgreementDialog, column: int) -> None:
    header = dialog.documents.horizontalHeader()
    at = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(at, 5))


def key(value: float | None) -> float:
    return 2.0 if value is None else value


@pytest.mark.parametrize(("column", "name"), [(2, "overlap_f1"), (3, "kappa")])
def test_a_click_on_a_heading_sorts_by_that_figure(
    open_window, qtbot: QtBot, project: Path, column: int, name: str
) -> None:
    _window, dialog, figures = opened(open_window, project)
    click_heading(qtbot, dialog, column)
    rows = sorted(figures["documents"], key=lambda d: key(d[name]))
    assert shown(dialog) == [expected_row(d) for d in rows]
    click_heading(qtbot, dialog, column)
    rows = sorted(figures["documents"], key=lambda d: key(d[name]), reverse=True)
    assert shown(dialog) == [expected_row(d) for d in rows]
    click_heading(qtbot, dialog, 0)
    titles = [row[0] for row in shown(dialog)]
    assert titles == sorted(titles)


@pytest.mark.parametrize("column", [0, 1, 2, 3])
def test_each_heading_sorts_both_ways(
    open_window, qtbot: QtBot, titled: Path, tmp_path: Path, column: int
) -> None:
    """Two clicks on a heading: its column ascending and descending (an undefined figure
    after every defined one ascending), rows alike in it in the order the figures list
    them; as Python sorts the straightforward computation's rows."""
    project = Path(shutil.copy(titled, tmp_path / "titled.factmark"))
    with Project.open_to_read(project) as reading:
        expected = straightforward_agreement(reading)["documents"]
    window = open_window(project)
    window.action_table["agreement"].trigger()
    dialog = window.findChild(AgreementDialog)
    assert dialog is not None and shown(dialog) == [expected_row(d) for d in expected]
    header = dialog.documents.horizontalHeader()
    orders = set()
    for _ in range(2):
        click_heading(qtbot, dialog, column)
        assert header.sortIndicatorSection() == column
        descending = header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
        orders.add(descending)
        if column == 0:
            rows = sorted(expected, key=lambda d: d["title"] or d["id"][:12], reverse=descending)
        else:
            name = ("exact_f1", "overlap_f1", "kappa")[column - 1]
            rows = sorted(expected, key=lambda d: key(d[name]), reverse=descending)
        assert shown(dialog) == [expected_row(d) for d in rows]
    assert orders == {False, True}


@pytest.mark.parametrize(
    ("how", "column"), [("enter", 3), ("double-click", 3), ("double-click", 0)]
)
def test_enter_or_double_click_opens_the_document_in_review_mode(
    open_window, qtbot: QtBot, project: Path, how: str, column: int
) -> None:
    window, dialog, figures = opened(open_window, project)
    click_heading(qtbot, dialog, column)  # sorted: the row's document, not the figures' n-th
    row = 5
    if column == 0:
        rows = sorted(figures["documents"], key=lambda d: d["title"] or d["id"][:12])
    else:
        rows = sorted(figures["documents"], key=lambda d: key(d["kappa"]))
    wanted = rows[row]["id"]
    assert wanted != figures["documents"][row]["id"]
    model = dialog.documents.model()
    table = dialog.documents
    index = model.index(row, 1)
    table.setFocus()
    table.setCurrentIndex(index)
    if how == "enter":
        qtbot.keyClick(table, Qt.Key.Key_Return)
    else:
        table.scrollTo(index)
        at = table.visualRect(index).center()
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=at)  # as a user's
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=at)
    assert not dialog.isVisible()
    assert window.current is not None and window.current.uid == wanted
    assert window.action_table["reviewMode"].isChecked()


def test_the_columns_fill_the_table_at_any_width(open_window, qtbot: QtBot, project: Path) -> None:
    _window, dialog, _figures = opened(open_window, project)
    table = dialog.documents
    header = table.horizontalHeader()

    def widths() -> list[int]:
        return [header.sectionSize(column) for column in range(header.count())]

    for width in (dialog.width(), dialog.width() + 300):
        dialog.resize(width, dialog.height())
        qtbot.waitUntil(lambda: sum(widths()) == table.viewport().width())
        assert header.sectionViewportPosition(header.count() - 1) + widths()[-1] == (
            table.viewport().width()
        )  # no empty strip after the last column
        assert widths()[0] > max(widths()[1:])  # the names get the room, not the figures
    assert len(set(widths()[1:])) == 1  # the figures keep one width as the table grows
