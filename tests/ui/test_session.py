"""Changes flow one way: an operation, its undo step, then one broadcast of what changed.

Driven through the real window: a label key press on a long article reads nothing it
knows already and repaints only its paragraph; an edit that fails leaves no undo step; an
undo that fails leaves the history where it was; a link whose first span went away is
cancelled, not raised.
"""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from factmark.core.incoming import IncomingDocument, IncomingSpan
from factmark.core.project import Project
from factmark.ui.window.main_window import MainWindow

CTRL = Qt.KeyboardModifier.ControlModifier
WORDS = [
    "the",
    "minister",
    "said",
    "that",
    "forty",
    "two",
    "soldiers",
    "crossed",
    "near",
    "Bakhmut",
    "on",
    "Tuesday",
]


def _long_article(path: Path, paragraphs: int = 400, spans: int = 5000) -> str:
    """A long article of short paragraphs, with many spans, in a new project."""
    rng = random.Random(7)
    text = "\n".join(
        " ".join(rng.choice(WORDS) for _ in range(rng.randint(20, 60))) for _ in range(paragraphs)
    )
    starts = sorted(rng.sample(range(len(text) - 20), spans))
    incoming = []
    for start in starts:
        while start > 0 and text[start - 1] != " " and text[start - 1] != "\n":
            start -= 1
        end = text.find(" ", start + 1)
        if end > start and "\n" not in text[start:end]:
            incoming.append(IncomingSpan(start, end, "claim"))
    unique = list({(s.start, s.end): s for s in incoming}.values())
    with Project.open(path) as project:
        project.add_document(IncomingDocument(text, "long", spans=unique))
    return text


def _select_word_in_view(window: MainWindow) -> tuple[int, int]:
    """Select an unlabelled word in the middle of what is on screen (Qt's geometry),
    returning its code-point range (the text has no astral characters)."""
    view = window.article_view
    point = view.viewport().rect().center()
    cursor = view.cursorForPosition(point)
    while True:
        cursor.select(QTextCursor.SelectionType.WordUnderCursor)
        start, end = cursor.selectionStart(), cursor.selectionEnd()
        if end > start and not any(
            s.start == start and s.end == end for s in window.project.spans(window.current.id)
        ):
            break
        cursor.setPosition(end + 1)
    view.setTextCursor(cursor)
    return start, end


class _Paints(QObject):
    """Records the rectangles painted on one widget."""

    def __init__(self, widget: QObject) -> None:
        super().__init__()
        self.widget = widget
        self.rects: list[tuple[int, int]] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget and event.type() == QEvent.Type.Paint:
            rect = event.rect()  # type: ignore[attr-defined]
            self.rects.append((rect.top(), rect.height()))
        return False


def test_a_label_key_on_a_long_article_runs_few_statements_and_repaints_its_paragraph(
    open_window, qtbot: QtBot, tmp_path: Path
) -> None:
    path = tmp_path / "long.factmark"
    text = _long_article(path)
    window = open_window(path)
    view = window.article_view
    assert len(view.spans) > 4000
    view.verticalScrollBar().setValue(view.verticalScrollBar().maximum() // 2)
    start, end = _select_word_in_view(window)
    qtbot.keyClick(view, Qt.Key.Key_1)  # the first label reads what it needs once
    QApplication.processEvents()
    qtbot.keyClick(view, Qt.Key.Key_Escape)  # nothing selected: one paragraph changes
    start, end = _select_word_in_view(window)
    QApplication.processEvents()
    block = view.document().findBlock(start)
    block_rect = view.blockBoundingGeometry(block).translated(view.contentOffset())

    statements: list[str] = []
    paints = _Paints(view.viewport())
    QApplication.instance().installEventFilter(paints)
    window.project.conn.set_trace_callback(statements.append)
    try:
        qtbot.keyClick(view, Qt.Key.Key_1)
        QApplication.processEvents()
    finally:
        window.project.conn.set_trace_callback(None)
        QApplication.instance().removeEventFilter(paints)

    assert len(statements) <= 6, statements
    with sqlite3.connect(path) as other:  # saved: another connection sees it
        stored = other.execute(
            'SELECT count(*) FROM spans WHERE start = ? AND "end" = ?', [start, end]
        ).fetchone()
    assert stored == (1,)
    assert view.span(view.selected_span_id).start == start
    assert text[start:end] == view.toPlainText()[start:end]
    # Painted once, and only where the paragraph is (Qt's own geometry of the block).
    assert len(paints.rects) == 1, paints.rects
    top, height = paints.rects[0]
    # (The dropped text selection and caret may add a few pixels at its edge.)
    assert abs(top - round(block_rect.top())) <= 4
    assert height <= round(block_rect.height()) + 8


def test_an_edit_that_fails_leaves_no_undo_step_and_says_why(open_window, qtbot: QtBot) -> None:
    window = open_window()
    view = window.article_view
    window.project.conn.execute(
        "CREATE TEMP TRIGGER refuse BEFORE INSERT ON spans "
        "BEGIN SELECT RAISE(ABORT, 'the disk said no'); END"
    )
    view.select_range(0, 8)
    qtbot.keyClick(view, Qt.Key.Key_1)
    assert "the disk said no" in window.statusBar().currentMessage()
    assert window.session.undo_stack.count() == 0
    assert not window.action_table["undo"].isEnabled()
    assert window.project.spans(window.current.id) == []
    assert view.spans == [] and window.span_list.model().rowCount() == 0


def test_an_undo_that_fails_keeps_the_history_in_step_with_the_file(
    open_window, qtbot: QtBot
) -> None:
    window = open_window()
    view = window.article_view
    view.select_range(0, 8)
    qtbot.keyClick(view, Qt.Key.Key_1)
    (span,) = window.project.spans(window.current.id)
    window.project.conn.execute(
        "CREATE TEMP TRIGGER refuse BEFORE DELETE ON spans "
        "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
    )
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert "refused by the test" in window.statusBar().currentMessage()
    stack = window.session.undo_stack
    qtbot.waitUntil(lambda: stack.index() == 1)  # the step is still there to undo
    assert window.project.spans(window.current.id) == [span]
    assert [s.id for s in view.spans] == [span.id]
    window.project.conn.execute("DROP TRIGGER refuse")
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)  # once the file allows it, undo works
    assert window.project.spans(window.current.id) == []
    assert stack.index() == 0 and view.spans == []
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert window.project.spans(window.current.id) == [span]


def test_enter_after_r_on_a_span_deleted_meanwhile_cancels_the_link(
    open_window, qtbot: QtBot
) -> None:
    window = open_window()
    view = window.article_view
    view.select_range(0, 8)
    qtbot.keyClick(view, Qt.Key.Key_2)
    first = view.selected_span_id
    view.select_range(20, 30)
    qtbot.keyClick(view, Qt.Key.Key_1)
    window.selection.select(first)
    qtbot.keyClick(view, Qt.Key.Key_R)  # linking from the first span
    assert window.linking.active
    window.selection.select(first)
    qtbot.keyClick(view, Qt.Key.Key_Delete)  # ... which is deleted meanwhile
    assert view.span(first) is None
    assert not window.linking.active
    assert "Link cancelled" in window.statusBar().currentMessage()
    qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(view, Qt.Key.Key_Return)  # no traceback, no link
    assert window.project.relations(window.current.id) == []


def test_views_hear_of_an_operation_once_after_its_undo_step(open_window, qtbot: QtBot) -> None:
    window = open_window()
    view = window.article_view
    heard: list[tuple[int, set[str]]] = []
    window.session.changed.connect(
        lambda changes: heard.append((window.session.undo_stack.count(), changes.kinds()))
    )
    view.select_range(0, 8)
    qtbot.keyClick(view, Qt.Key.Key_1)
    # One broadcast, when the step is on the stack: the span and the document's status.
    assert heard == [(1, {"spans", "documents"})]
    assert window.session.undo_stack.count() == 1
