"""Gold spans the lead accepted (G) in one copy and took back (Ctrl+Z) do not delete the
same gold spans, nor the gold link between them, that another copy brought: merged in
either order, the project keeps them."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from factmark.core.copies import make_copy
from factmark.core.incoming import IncomingDocument
from factmark.core.merge import merge_projects
from factmark.core.project import Project
from factmark.ui.window.main_window import MainWindow

ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier
TEXT = "The army said 240 soldiers crossed the river."
# Ana's spans both leads review, in text order: "army", "said ... river", "240".
SOURCE, CLAIM, NUMBER = (4, 8, "source"), (9, 44, "claim"), (14, 17, "number")
GOLD = sorted([SOURCE, CLAIM, NUMBER])


def lead_and_copies(folder: Path) -> tuple[Path, Path, Path]:
    """The project (ana's source, claim and number in one article, the claim attributed to
    the source) and a copy of it for each of two leads."""
    lead, olena, marko = (folder / f"{name}.factmark" for name in ("lead", "olena", "marko"))
    with Project.open(lead) as project:
        added = project.add_document(IncomingDocument(TEXT, title="army"))
        assert added is not None
        source, claim, _ = (project.add_span(added[0], *s, "ana") for s in (SOURCE, CLAIM, NUMBER))
        project.add_relation(source.id or 0, claim.id or 0, "attributed_to")
        make_copy(project, olena, "olena")
        make_copy(project, marko, "marko")
    return lead, olena, marko


def accept_into_gold(
    open_window: Callable[..., MainWindow], qtbot: QtBot, path: Path, *, undo: bool
) -> None:
    """In the window on ``path``: select each of ana's spans and press G (accepting the
    claim links it to the gold source); then, when ``undo``, Ctrl+Z as many times."""
    window = open_window(path)
    view = window.article_view
    qtbot.keyClick(view, Qt.Key.Key_F6)  # review mode
    qtbot.keyClick(view, Qt.Key.Key_Home, CTRL)
    for _ in range(3):
        qtbot.keyClick(view, Qt.Key.Key_Down, ALT)  # the next span: ana's, past a gold one
        if view.span(view.selected_span_id).annotator == "gold":
            qtbot.keyClick(view, Qt.Key.Key_Down, ALT)
        assert view.span(view.selected_span_id).annotator == "ana"
        qtbot.keyClick(view, Qt.Key.Key_G)
    # Committed before the screen shows it.
    assert (gold(path), gold_links(path)) == (GOLD, [(SOURCE, CLAIM)])
    if undo:
        for _ in range(3):
            qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
        assert (gold(path), gold_links(path)) == ([], [])
    window.close()
    window.project.close()


def gold(path: Path) -> list[tuple[int, int, str]]:
    conn = sqlite3.connect(path)
    try:
        return sorted(
            conn.execute("SELECT start, \"end\", label FROM spans WHERE annotator = 'gold'")
        )
    finally:
        conn.close()


def gold_links(path: Path) -> list[tuple[tuple[int, int, str], tuple[int, int, str]]]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(
            'SELECT h.start, h."end", h.label, c.start, c."end", c.label FROM relations r '
            "JOIN spans h ON h.id = r.head_span_id JOIN spans c ON c.id = r.child_span_id "
            "WHERE h.annotator = 'gold' AND c.annotator = 'gold'"
        )
        return [(tuple(row[:3]), tuple(row[3:])) for row in rows]
    finally:
        conn.close()


@pytest.mark.parametrize(
    "order", [("marko", "olena"), ("olena", "marko", "olena")], ids=lambda o: ",".join(o)
)
def test_a_gold_span_undone_in_one_copy_stays_as_another_copy_brought_it(
    open_window: Callable[..., MainWindow], qtbot: QtBot, tmp_path: Path, order: tuple[str, ...]
) -> None:
    """Olena accepts ana's spans into gold and takes them back; Marko accepts them. Merged
    Marko then Olena, or Olena, Marko and Olena again (her next round): the gold spans and
    their link stay (before: Olena's tombstones of her own gold spans and link deleted
    Marko's)."""
    lead, olena, marko = lead_and_copies(tmp_path)
    accept_into_gold(open_window, qtbot, olena, undo=True)
    accept_into_gold(open_window, qtbot, marko, undo=False)
    copies = {"olena": olena, "marko": marko}
    for name in order:
        with Project.open(lead) as project:
            (report,) = merge_projects(project, [copies[name]])
        assert not report.failed, report.lines()
        assert (report.spans_deleted, report.relations_deleted) == (0, 0), report.lines()
    assert (gold(lead), gold_links(lead)) == (GOLD, [(SOURCE, CLAIM)])
