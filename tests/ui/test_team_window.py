"""Team work from the window: hand out a copy, merge it back, read the agreement."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from factmark.core.agreement import agreement
from factmark.core.project import Project
from factmark.ui.dialogs.team_dialogs import AgreementDialog
from tests.ui.helpers import drag_select
from tests.ui.test_annotation import KEYS, find


def test_copy_merge_back_and_agreement(
    open_window, qtbot: QtBot, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr(
        "factmark.ui.dialogs.merge_report.MergeReportDialog.exec", lambda _dialog: 0
    )
    window = open_window()
    window.settings.set_annotator("olena")
    start = find(window, "Bakhmut")
    drag_select(window.article_view, start, start + 7)
    qtbot.keyClick(window.article_view, KEYS["location"])

    copy = tmp_path / "for-marko.factmark"
    window.files.copy_for_annotator(copy)
    assert "merge it back" in window.statusBar().currentMessage()
    with Project.open(copy) as theirs:  # marko annotates his copy offline
        document = theirs.documents()[0]
        text = theirs.document(document.id).text
        theirs.add_span(document.id, start, start + 7, "location", "marko")
        at = text.index("Yevgeny Prigozhin")
        theirs.add_span(document.id, at, at + 17, "source", "marko")

    lines = window.files.merge_projects([copy])
    assert any("spans" in line for line in lines)
    listed = [
        (window.span_list.model().index(r, 0).data(), window.span_list.model().index(r, 2).data())
        for r in range(window.span_list.model().rowCount())
    ]
    assert sorted(listed) == [("location", "marko"), ("location", "olena"), ("source", "marko")]
    window.files.merge_projects([copy])  # merging the same copy again adds nothing
    assert len(window.project.spans(window.current.id)) == 3

    dialog = AgreementDialog(window.project, agreement(window.project), window)
    qtbot.addWidget(dialog)
    report = dialog.report.toPlainText()
    assert "1 document annotated by two or more of 2 annotators" in report
    assert dialog.figures["pairs"][0]["annotators"] == ["marko", "olena"]
    assert "Documents, lowest agreement first" not in report  # a table of their own
    assert dialog.documents.model().rowCount() == 1


def test_agreement_with_nothing_to_compare(open_window, qtbot: QtBot) -> None:
    window = open_window()
    dialog = AgreementDialog(window.project, agreement(window.project), window)
    qtbot.addWidget(dialog)
    assert "No document has spans by two or more annotators" in dialog.report.toPlainText()


def test_a_copy_named_without_its_suffix_gets_it(
    open_window, qtbot: QtBot, tmp_path: Path, monkeypatch
) -> None:
    """File > Export project for annotator, "bob" typed in the file dialog: the copy is
    bob.factmark, which File > Open project and Merge projects list (they show *.factmark);
    it was written as "bob"."""
    monkeypatch.setattr(
        "factmark.ui.file_dialogs.save_file_name",
        lambda *args, **kwargs: (str(tmp_path / "bob"), "Factmark projects (*.factmark)"),
    )
    from tests.ui.helpers import answer_annotator_names

    window = open_window()
    timer = answer_annotator_names(qtbot, [""], [])  # no name: it is optional
    window.action_table["copyForAnnotator"].trigger()
    timer.stop()
    assert not (tmp_path / "bob").exists()
    with Project.open(tmp_path / "bob.factmark", create=False) as copy:
        assert [d.title for d in copy.documents()] == [d.title for d in window.project.documents()]
    assert str(tmp_path / "bob.factmark") in window.statusBar().currentMessage()


def _cancel_copy_when_shown(window, qtbot: QtBot) -> None:  # type: ignore[no-untyped-def]
    """Click the copy's progress dialog's Cancel once it shows (polled every 50 ms)."""
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QProgressDialog, QPushButton

    def cancel_when_shown() -> None:
        dialog = window.findChild(QProgressDialog, "copyProgress")
        if dialog is None or not dialog.isVisible():
            QTimer.singleShot(50, cancel_when_shown)
            return
        qtbot.mouseClick(dialog.findChild(QPushButton), Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, cancel_when_shown)


def test_the_copy_for_an_annotator_is_made_off_the_window_thread_and_can_be_cancelled(
    open_window, qtbot: QtBot, tmp_path: Path, monkeypatch
) -> None:
    """An archive takes tens of seconds to copy: the window's thread stays free (its
    events turn, a progress dialog shows) and Cancel removes the copy."""
    import threading
    import time

    from PySide6.QtCore import QTimer

    import factmark.core.copies as copies

    real = copies.make_copy
    threads: list[threading.Thread] = []

    def slow_copy(*args, **kwargs):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread())
        made = real(*args, **kwargs)
        time.sleep(1.0)  # as a large project would take
        return made

    monkeypatch.setattr(copies, "make_copy", slow_copy)
    window = open_window()
    ticks: list[float] = []
    timer = QTimer(window, interval=50)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()

    _cancel_copy_when_shown(window, qtbot)
    target = tmp_path / "for-marko.factmark"
    window.files.copy_for_annotator(target)
    timer.stop()

    assert threads and threads[0] is not threading.main_thread()
    assert len(ticks) >= 10  # the window's events went on meanwhile (1 s, a tick each 50 ms)
    assert not target.exists()  # cancelled: the copy removed
    assert "merge it back" not in window.statusBar().currentMessage()


def test_a_copy_cancelled_leaves_the_file_it_was_to_replace_as_it_was(
    open_window, qtbot: QtBot, tmp_path: Path, monkeypatch
) -> None:
    """The user agreed to replace last week's copy, then pressed Cancel while the new one
    was made: last week's copy stays, byte for byte, and no half-made file is left."""
    import time

    from factmark.core.storage import Storage

    window = open_window()
    target = tmp_path / "for-marko.factmark"
    window.files.copy_for_annotator(target)  # last week's copy
    window.statusBar().clearMessage()
    before = target.read_bytes()
    listed = sorted(tmp_path.iterdir())
    real = Storage.copy_to

    def slow_copy_to(self, path):  # type: ignore[no-untyped-def]
        made = real(self, path)
        time.sleep(1.0)  # SQLite's backup of a large project takes a while
        return made

    monkeypatch.setattr(Storage, "copy_to", slow_copy_to)

    _cancel_copy_when_shown(window, qtbot)
    window.files.copy_for_annotator(target, asked=True)

    assert target.read_bytes() == before
    assert sorted(tmp_path.iterdir()) == listed
    assert "merge it back" not in window.statusBar().currentMessage()


def _copy_origin_annotator(path: Path) -> str | None:
    """The annotator the copy records it was made for, read with bare sqlite3."""
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(path)) as db:
        return db.execute("SELECT annotator FROM copy_origin").fetchone()[0]


def test_export_for_annotator_asks_whom_the_copy_is_for_and_records_it(
    open_window, qtbot: QtBot, tmp_path: Path, monkeypatch
) -> None:
    """File > Export project for annotator, then the name typed: the copy records it as
    `factmark copy --annotator` does (copy_origin.annotator); left empty, none; a name
    that cannot be recorded is asked again with why; Escape makes no copy."""
    from tests.cli.test_cli import factmark
    from tests.ui.helpers import answer_annotator_names

    window = open_window()
    chosen: list[Path] = []
    monkeypatch.setattr(  # the platform's save dialog, which a test cannot drive
        "factmark.ui.file_dialogs.save_file_name",
        lambda *args, **kwargs: (str(chosen[-1]), "Factmark projects (*.factmark)"),
    )

    def export_for(names: list[str | None], path: Path) -> list[str]:
        asked: list[str] = []
        chosen.append(path)
        timer = answer_annotator_names(qtbot, names, asked)
        window.action_table["copyForAnnotator"].trigger()
        timer.stop()
        return asked

    asked = export_for(["Ana"], tmp_path / "for-ana.factmark")
    assert len(asked) == 1 and "optional" in asked[0]
    cli = tmp_path / "cli-ana.factmark"
    assert factmark("copy", window.project.path, cli, "--annotator", "Ana").returncode == 0
    assert _copy_origin_annotator(tmp_path / "for-ana.factmark") == "Ana"
    assert _copy_origin_annotator(cli) == "Ana"  # the same as the command records
    assert "Copied the project for Ana to " in window.statusBar().currentMessage()

    export_for([""], tmp_path / "for-anyone.factmark")  # left empty: the name is optional
    assert _copy_origin_annotator(tmp_path / "for-anyone.factmark") is None

    asked = export_for(["x" * 101, "  Ben  "], tmp_path / "for-ben.factmark")
    assert len(asked) == 2 and "101 characters long" in asked[1]
    assert _copy_origin_annotator(tmp_path / "for-ben.factmark") == "Ben"

    export_for([None], tmp_path / "cancelled.factmark")  # Escape: no copy at all
    assert not (tmp_path / "cancelled.factmark").exists()


def test_the_team_guide_calls_nothing_the_window_has_not_yet_available(open_window) -> None:
    """docs/teams.md once said the agreement report, File > Merge projects and review mode
    were "not yet available" while the window had them: no paragraph saying something is
    not available (yet) names a menu entry of the window."""
    import re

    window = open_window()
    entries = {
        action.text().replace("&", "").split(" (")[0].rstrip("…. ")
        for action in window.action_table.by_name.values()
        if len(action.text()) > 3
    }
    assert {"Merge projects", "Review mode", "Agreement between annotators"} <= entries
    guide = (Path(__file__).parents[2] / "docs" / "teams.md").read_text(encoding="utf-8")
    for paragraph in guide.split("\n\n"):
        if re.search(r"not (yet )?available", paragraph, re.IGNORECASE):
            named = [e for e in entries if e.lower() in " ".join(paragraph.split()).lower()]
            assert named == [], (named, paragraph)
