"""The merge conflict queue in review mode, driven by its keys: F7 shows the next
conflict with both versions side by side, F8 takes the copy's, Shift+F8 keeps this
project's, each one undo step."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QKeySequence
from pytestqt.qtbot import QtBot

from factmark.core.conflicts import conflicts
from factmark.core.copies import make_copy
from factmark.core.incoming import IncomingDocument
from factmark.core.merge import merge_projects
from factmark.core.project import Project
from factmark.ui.window.main_window import MainWindow

TEXT = "The army said 240 soldiers crossed the river near Bakhmut."


def project_with_conflicts(folder: Path) -> Path:
    """A project whose copies for ana and bob changed the same note, and where ana
    deleted a span bob gave a verdict: two conflicts after merging both."""
    lead = folder / "lead.factmark"
    with Project.open(lead) as project:
        project.add_document(IncomingDocument(TEXT, title="troops"))
        doc = project.documents()[0].id or 0
        project.add_span(doc, 14, 17, "number", "lead", "as said")
        project.add_span(doc, 50, 57, "location", "lead")
        copies = [make_copy(project, folder / f"{n}.factmark", n).path for n in ("ana", "bob")]
    with Project.open(copies[0]) as ana:
        number, location = ana.spans(1)
        ana.update_span(number.id or 0, note="ana's figure")
        ana.delete_span(location.id or 0)
    with Project.open(copies[1]) as bob:
        number, location = bob.spans(1)
        bob.update_span(number.id or 0, note="bob's figure")
        bob.update_span(location.id or 0, attrs={"verdict": "false"})
    with Project.open(lead) as project:
        merge_projects(project, copies)
    return lead


def press(qtbot: QtBot, window: MainWindow, key: str) -> None:
    qtbot.keySequence(window.article_view, QKeySequence(key))


def notes(window: MainWindow) -> list[tuple[str, int, int, str | None, dict[str, str]]]:
    return [(s.label, s.start, s.end, s.note, s.attrs) for s in window.project.spans(1)]


def test_the_queue_is_settled_by_keys_one_undo_step_each(
    open_window, qtbot: QtBot, tmp_path: Path
) -> None:
    window = open_window(project_with_conflicts(tmp_path))
    window.article_view.setFocus()
    qtbot.waitUntil(window.article_view.hasFocus)
    panel = window.conflict_panel
    assert not panel.isVisible()
    assert notes(window) == [("number", 14, 17, "ana's figure", {})]

    press(qtbot, window, "F7")
    assert window.action_table["reviewMode"].isChecked()
    assert panel.isVisible()
    # Under the article and its find bar, in the column between the side panels.
    assert panel.parentWidget() is window.centre
    assert panel.geometry().top() >= window.find_bar.geometry().bottom()
    assert panel.geometry().width() == window.article_view.geometry().width()
    assert panel.shown_text() == (
        "Merge conflict 1 of 2 · troops · number 14-17 by lead\n"
        # This project's version came from ana's copy (the span's origin), not made here.
        "This project, from ana's copy (ana.factmark)\nnote \"ana's figure\"\n"
        "From bob's copy bob.factmark\nnote \"bob's figure\""
    )
    assert window.article_view.selected_span_id == window.project.spans(1)[0].id
    # The span shown came from ana's copy: the details say so.
    origin = window.details.span_origin
    qtbot.waitUntil(origin.isVisible)
    assert origin.text().startswith("Merged from ana's copy (ana.factmark), last edited there ")

    press(qtbot, window, "F8")  # take bob's note
    assert notes(window) == [("number", 14, 17, "bob's figure", {})]
    assert panel.shown_text().startswith(
        "Merge conflict 1 of 1 · troops · location 50-57 by lead\n"
        'This project\ndeleted\nFrom bob\'s copy bob.factmark\nno note; verdict: "false"'
    )
    press(qtbot, window, "Shift+F8")  # keep it deleted
    assert notes(window) == [("number", 14, 17, "bob's figure", {})]
    assert not panel.isVisible()
    assert conflicts(window.project) == []
    assert "0 conflicts left" in window.statusBar().currentMessage()

    press(qtbot, window, "Ctrl+Z")  # the second decision reopens
    assert len(conflicts(window.project)) == 1
    press(qtbot, window, "Ctrl+Z")  # the first: ana's note is back
    assert notes(window) == [("number", 14, 17, "ana's figure", {})]
    assert len(conflicts(window.project)) == 2
    press(qtbot, window, "Ctrl+Shift+Z")
    assert notes(window) == [("number", 14, 17, "bob's figure", {})]


def test_the_keys_say_so_when_there_is_nothing_to_settle(open_window, qtbot: QtBot) -> None:
    window = open_window()
    window.article_view.setFocus()
    press(qtbot, window, "F8")
    assert window.statusBar().currentMessage().startswith("No merge conflicts waiting")
    press(qtbot, window, "F7")
    assert window.statusBar().currentMessage().startswith("No merge conflicts waiting")
    assert not window.conflict_panel.isVisible()


def test_a_deletion_in_a_handed_out_copy_reaches_the_window(
    open_window, qtbot: QtBot, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr(
        "factmark.ui.dialogs.merge_report.MergeReportDialog.exec", lambda _dialog: 0
    )
    window = open_window()
    doc = window.current.id
    text = window.project.document(doc).text
    at = text.index("Bakhmut")
    window.project.add_span(doc, at, at + 7, "location", "olena")
    copy = tmp_path / "for-marko.factmark"
    window.files.copy_for_annotator(copy)  # File > Export project for annotator
    with Project.open(copy) as theirs:  # marko deletes olena's span in his copy
        (span,) = theirs.spans(doc)
        theirs.delete_span(span.id or 0)
    lines = window.files.merge_projects([copy])  # File > Merge projects
    assert any("1 span deleted" in line for line in lines), lines
    assert window.project.spans(doc) == []
    qtbot.waitUntil(lambda: window.span_list.model().rowCount() == 0)


def test_the_conflict_shown_is_in_view_and_the_panel_leaves_the_article_room(
    open_window, qtbot: QtBot, tmp_path: Path
) -> None:
    """F7 on a long article whose conflicting span is far down: the span is scrolled into
    the article's view (Qt's own cursor geometry), and the panel is no taller than its
    lines need (the article keeps most of the column)."""
    lead = tmp_path / "long.factmark"
    filler = "".join(f"Paragraph {n} says nothing in particular here.\n" for n in range(200))
    text = filler + TEXT
    at = len(filler) + 14
    with Project.open(lead) as project:
        project.add_document(IncomingDocument(text, title="long"))
        project.add_span(1, at, at + 3, "number", "lead", "as said")
        copy = make_copy(project, tmp_path / "ana.factmark", "ana").path
        project.update_span(project.spans(1)[0].id or 0, note="lead's figure")
    with Project.open(copy) as ana:
        ana.update_span(ana.spans(1)[0].id or 0, note="ana's figure")
    with Project.open(lead) as project:
        merge_projects(project, [copy])
    window = open_window(lead)
    view = window.article_view
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    press(qtbot, window, "F7")
    panel = window.conflict_panel
    assert panel.isVisible()
    assert panel.shown_text().splitlines()[1] == "This project"  # the span was made here
    qtbot.wait(20)  # the panel takes its room, the article scrolls again
    cursor = view.textCursor()
    cursor.setPosition(len(filler.encode("utf-16-le")) // 2 + 14)
    assert view.viewport().rect().contains(view.cursorRect(cursor).center())
    assert panel.height() < view.height()
