"""Starting `factmark`: the window takes a label key as soon as it is shown, and is drawn
in Fusion."""

from __future__ import annotations

import gc
import os
import re
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget

from tests.conftest import REPO

# The first word of the article shown is selected and label key 1 pressed once the
# window is shown and its first events are handled; exit 3 when no span came of it.
PRESS_AT_ONCE = """
import gc
from PySide6.QtCore import QTimer
import factmark.ui.app as app_module
from factmark.cli import main
from factmark.ui.window.settings import Settings

Settings().set_annotator("olena")  # the first start's question is asked before
shown = []
make_window = app_module.create_main_window
app_module.create_main_window = lambda *a, **k: shown.append(make_window(*a, **k)) or shown[0]
make_app = app_module.application


def press():
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QTextCursor
    from PySide6.QtTest import QTest

    view = shown[0].article_view
    cursor = view.textCursor()
    cursor.setPosition(0)
    cursor.select(QTextCursor.SelectionType.WordUnderCursor)
    view.setTextCursor(cursor)
    QTest.keyClick(view, Qt.Key.Key_1)
    if shown[0].panels_placed:
        app_module.application().exit(5)  # the key came after the panels: not at once
        return
    if shown[0]._side_panels is not None:
        app_module.application().exit(6)  # a label key pressed at once made them
        return
    if not gc.isenabled():
        app_module.application().exit(4)  # the collector waited for the window: on again
        return
    app_module.application().exit(0 if view.spans else 3)


def application():
    app = make_app()
    if not shown:
        QTimer.singleShot(0, lambda: QTimer.singleShot(0, press))
    return app


app_module.application = application
raise SystemExit(main([]))
"""


def test_a_label_key_pressed_as_soon_as_the_window_shows_labels_the_word(
    user_dirs: Path,
) -> None:
    environment = {**os.environ, "PYTHONPATH": str(REPO / "desktop")}
    result = subprocess.run(
        [sys.executable, "-c", PRESS_AT_ONCE],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    project = Path(os.environ["XDG_DATA_HOME"]) / "Factmark" / "default.factmark"
    with closing(sqlite3.connect(f"file:{project}?mode=ro", uri=True)) as db:
        rows = db.execute(
            'SELECT s.start, s."end", s.label, s.annotator, d.text FROM spans s'
            " JOIN documents d ON d.id = s.document_id"
        ).fetchall()
    assert len(rows) == 1
    start, end, label, annotator, text = rows[0]
    first_word = re.match(r"\w+", text)
    assert first_word is not None
    assert (start, end) == first_word.span()
    assert (label, annotator) == ("claim", "olena")


def test_the_collector_waits_for_the_window_and_is_on_again_however_the_start_ends(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The cyclic garbage collector is off while the core's and the window's modules load
    and the window is made (factmark.ui.app.run turns it on once the window shows: see the
    test above), and on again when the start fails before that."""
    import factmark.ui.app
    from factmark.cli import main
    from factmark.core.project import ProjectError

    seen = []

    def fail(project: Path | None) -> int:
        seen.append(gc.isenabled())
        raise ProjectError("not a Factmark project")

    monkeypatch.setattr(factmark.ui.app, "run", fail)
    assert gc.isenabled()
    assert main(["gui"]) == 1  # the error told in one line
    assert seen == [False]
    assert gc.isenabled()


def test_gui_default_opens_the_default_project_whichever_was_used_last(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    open_window,  # type: ignore[no-untyped-def]
) -> None:
    """``factmark gui default`` opens the default project, seeded with the sample
    articles at its first start, though another project was used last (which ``factmark``
    alone reopens)."""
    import factmark.ui.app as app_module
    from factmark.cli import main
    from factmark.core.incoming import IncomingDocument
    from factmark.core.project import Project
    from factmark.core.workspace import default_project_path
    from factmark.ui.window.settings import Settings

    other = tmp_path / "desk.factmark"
    with Project.open(other) as project:
        project.add_document(IncomingDocument("The desk's own article.", "Desk article"))
    Settings().add_recent_project(other)  # the last project used
    assert not default_project_path().exists()
    opened = []

    def run(project_path: Path | None = None) -> int:
        """The window run would open, shown without its event loop (a project named)."""
        assert project_path is not None, "no project named: the last one used would open"
        opened.append(open_window(project_path))
        return 0

    monkeypatch.setattr(app_module, "run", run)
    assert main(["gui", "default"]) == 0

    (window,) = opened
    assert Path(window.project.path) == default_project_path()
    assert "Bakhmut counterattack" in [d.title for d in window.project.documents()]


@pytest.mark.parametrize("typed", ["desk.factmark", "Desk.FACTMARK"])
def test_a_project_file_named_alone_opens_the_window_on_it(
    typed: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    open_window,  # type: ignore[no-untyped-def]
) -> None:
    """``factmark desk.factmark`` opens the window on that project, as ``factmark gui
    desk.factmark`` does (it was refused as an unknown command)."""
    import factmark.ui.app as app_module
    from factmark.cli import main
    from factmark.core.incoming import IncomingDocument
    from factmark.core.project import Project

    path = tmp_path / typed
    with Project.open(path) as project:
        project.add_document(IncomingDocument("The desk's own article.", "Desk article"))
    opened = []

    def run(project_path: Path | None = None) -> int:
        assert project_path is not None
        opened.append(open_window(project_path))
        return 0

    monkeypatch.setattr(app_module, "run", run)
    assert main([str(path)]) == 0

    (window,) = opened
    assert Path(window.project.path) == path
    assert [d.title for d in window.project.documents()] == ["Desk article"]


def test_a_word_that_is_no_command_nor_project_file_is_still_refused(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from factmark.cli import main

    with pytest.raises(SystemExit) as stopped:
        main(["exprt"])
    assert stopped.value.code == 2
    assert "invalid choice: 'exprt'" in capsys.readouterr().err


def test_the_application_is_drawn_in_fusion_whatever_style_the_desktop_asks_for() -> None:
    code = "from factmark.ui.app import application\nprint(application().style().name())\n"
    # A desktop asking for another of Qt's own styles (offscreen would give Fusion anyway).
    environment = {
        **os.environ,
        "PYTHONPATH": str(REPO / "desktop"),
        "QT_STYLE_OVERRIDE": "Windows",
    }
    result = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1].lower() == "fusion"


def test_the_guidelines_made_on_first_use_show_the_projects_text(open_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    """The guidelines dock is filled when first opened: F2 shows the project's guidelines,
    rendered, and the View menu's tick follows."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDockWidget, QTextBrowser

    window = open_window()
    dock = window.findChild(QDockWidget, "guidelinesDock")
    assert dock is not None and not dock.isVisible()
    assert dock.findChild(QTextBrowser, "guidelines") is None  # not made yet
    qtbot.keyClick(window.article_view, Qt.Key.Key_F2)
    qtbot.waitUntil(dock.isVisible)
    view = dock.findChild(QTextBrowser, "guidelines")
    assert view is not None
    qtbot.waitUntil(view.isVisible)
    # The first heading of the stored Markdown, as the reader sees it.
    markdown = window.project.guidelines()
    heading = next(
        line.lstrip("#").strip() for line in markdown.splitlines() if line.startswith("#")
    )
    assert heading in view.toPlainText()
    assert window.action_table["showGuidelines"].isChecked()
    qtbot.keyClick(window.article_view, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: not dock.isVisible())


def test_the_viewports_made_in_python_are_set_up_as_qts_own(open_window) -> None:  # type: ignore[no-untyped-def]
    """The article, the lists and the links panel get viewports made in Python (PySide
    would otherwise make every widget class to type Qt's); each is set up as Qt sets up
    the one it makes, compared with a fresh widget of the same class."""
    from PySide6.QtWidgets import QListWidget, QPlainTextEdit, QTableView

    window = open_window()
    fresh = {QPlainTextEdit: QPlainTextEdit(), QTableView: QTableView(), QListWidget: QListWidget()}
    for name, kind in (
        ("articleView", QPlainTextEdit),
        ("documentList", QTableView),
        ("spanList", QTableView),
    ):
        area = window.findChild(kind, name)
        assert area is not None, name
        ours, qts = area.viewport(), fresh[kind].viewport()
        assert ours.parent() is area
        assert ours.objectName() == qts.objectName()
        assert ours.backgroundRole() == qts.backgroundRole()
        assert ours.autoFillBackground() == qts.autoFillBackground()
        assert ours.focusProxy() is area  # Qt's setViewport: keys go to the view
    article = window.article_view
    assert article.viewport().cursor().shape() == fresh[QPlainTextEdit].viewport().cursor().shape()
    # The text layout measures on the viewport shown (Qt gave it the one replaced).
    assert article.document().documentLayout().paintDevice() is article.viewport()
    relations = window.relations
    assert relations.viewport().backgroundRole() == fresh[QListWidget].viewport().backgroundRole()


def test_the_link_strip_is_painted_as_fill_rect_painted_it(open_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    """The strip right of the article (its background a rectangle drawn without a pen, so
    that the first paint does not make QGradient's enumerations) has the pixels that
    QPainter.fillRect and the links' drawing give an image of its size, without links and
    with them."""
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtWidgets import QWidget

    window = open_window()
    view, project, document = window.article_view, window.project, window.current
    strip = window.findChild(QWidget, "linkArea")
    assert strip is not None and document is not None and document.id is not None

    def painted_by_fill_rect(shown: QImage) -> QImage:
        image = QImage(shown.size(), shown.format())
        painter = QPainter(image)
        painter.fillRect(image.rect(), view.palette().base())
        if view.links:
            view.paint_link_area(painter)
        painter.end()
        return image

    shown = strip.grab().toImage()
    assert shown == painted_by_fill_rect(shown)
    claim = project.add_span(document.id, 0, 7, "claim")
    source = project.add_span(document.id, 40, 48, "source")
    project.add_relation(source.id, claim.id, "attributed_to")
    qtbot.waitUntil(lambda: bool(view.links))
    shown = strip.grab().toImage()
    assert shown == painted_by_fill_rect(shown)
    assert len({shown.pixel(x, y) for x in range(shown.width()) for y in range(shown.height())}) > 2


class FirstPaint(QObject):
    """What the window looked like as the article was first painted."""

    def __init__(self, window, watched: list[QWidget]) -> None:  # type: ignore[no-untyped-def]
        super().__init__()
        self.window = window
        self.painted: list[QObject] = []
        self.then: dict[str, object] = {}
        for widget in watched:
            widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.Paint:
            return False
        window = self.window
        if watched is window.article_view.viewport() and not self.then:
            self.then = {
                "painted before": list(self.painted),
                "placed": window.panels_placed,
                "sizes": window.splitter.sizes(),
                "stand-ins": [window.splitter.widget(place).geometry() for place in (0, 2)],
                "article": window.centre.geometry(),
            }
        self.painted.append(watched)
        return False


def test_the_first_paint_is_the_articles_and_the_panels_follow_where_they_stand(qtbot) -> None:  # type: ignore[no-untyped-def]
    """The document list, span list and other panels beside the article are placed in
    the event loop's next turns after the window's first paint, where their stand-ins
    stood: the article does not move."""
    from factmark.ui.app import create_main_window

    window = create_main_window()
    qtbot.addWidget(window)
    lists = [window.document_list.viewport(), window.span_list.viewport()]
    first = FirstPaint(window, [window.article_view.viewport(), *lists])
    window.show()
    qtbot.waitUntil(lambda: bool(first.then))
    assert first.then["painted before"] == [] and first.then["placed"] is False
    sizes = first.then["sizes"]
    assert sizes[0] > 0 and sizes[2] > 0  # type: ignore[index]
    qtbot.waitUntil(lambda: window.panels_placed)
    assert [window.splitter.widget(place) for place in range(3)] == [
        window.documents,
        window.centre,
        window.side,
    ]
    assert window.splitter.sizes() == sizes
    assert [window.documents.geometry(), window.side.geometry()] == first.then["stand-ins"]
    assert window.centre.geometry() == first.then["article"]
    qtbot.waitUntil(lambda: all(viewport in first.painted for viewport in lists))
    window.close()
    window.project.close()


@pytest.mark.parametrize("size", [None, (1366, 768), (700, 500)])
def test_the_panels_stand_as_if_they_had_been_there_from_the_start(
    qtbot, size: tuple[int, int] | None
) -> None:  # type: ignore[no-untyped-def]
    """Oracle: the same window with its panels placed before it is first shown."""
    from factmark.ui.app import create_main_window

    windows = []
    for at_once in (True, False):
        window = create_main_window()
        qtbot.addWidget(window)
        if at_once:
            while not window.panels_placed:
                window._place_panels()
        if size is not None:
            window.resize(*size)
        window.show()
        qtbot.waitUntil(lambda w=window: w.panels_placed)
        windows.append(window)
    qtbot.wait(50)

    def layout(window):  # type: ignore[no-untyped-def]
        actions = window.action_table
        return (
            window.splitter.sizes(),
            window.side.sizes(),
            [w.geometry() for w in (window.documents, window.centre, window.side)],
            [w.isVisible() for w in (window.documents, window.side, window.details)],
            actions["showDocumentList"].isChecked(),
            actions["showSidePanels"].isChecked(),
        )

    assert layout(windows[1]) == layout(windows[0])
    for window in windows:
        window.close()
        window.project.close()


def test_a_label_key_pressed_before_the_panels_are_placed_shows_in_them(
    open_window, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    from factmark.ui.window.main_window import MainWindow

    place = MainWindow._place_panels
    monkeypatch.setattr(MainWindow, "_place_panels", lambda _window: None)
    window = open_window(panels_placed=False)
    view = window.article_view
    view.select_range(0, re.match(r"\w+", view.text).end())  # type: ignore[union-attr]
    qtbot.keyClick(view, Qt.Key.Key_1)
    assert len(view.spans) == 1 and not window.panels_placed
    assert window._span_list is None  # made with the side panels, after the first paint
    assert window.documents._widgets is None  # made as the list takes its place
    while not window.panels_placed:
        place(window)
    qtbot.waitUntil(window.span_list.isVisible)
    spans = window.span_list.model()
    assert spans.rowCount() == 1
    assert spans.index(0, 1).data() == view.text[view.spans[0].start : view.spans[0].end]
    assert window.span_list.currentIndex().row() == 0  # the new span is the one selected
    row = window.documents.model.row_of(window.current.id)
    assert window.document_list.currentIndex().row() == row  # the document shown
    assert window.documents.model.index(row, 1).data() == "In progress"
    assert window.documents.model.index(row, 2).data() == 1


@pytest.mark.parametrize("made", ["before the first paint", "after the first paint"])
def test_the_side_panels_show_what_was_there_and_done_before_they_were_made(
    open_window, qtbot, monkeypatch: pytest.MonkeyPatch, made: str
) -> None:  # type: ignore[no-untyped-def]
    """The panels under the span list (suggestion, links, details) and the parts they
    serve are made after the first paint: a window whose document has a link, where a
    span is labelled and a suggestion is in hand before they are made, shows the same
    in them as a window that had them from the start (the oracle)."""
    from PySide6.QtCore import Qt

    from factmark.ui.window.main_window import MainWindow
    from tests.ui.helpers import click_at
    from tests.ui.test_annotation import find
    from tests.ui.test_links_notes import label, links

    first = open_window()
    label(first, qtbot, "Ukraine", "claim")
    label(first, qtbot, "according", "source")
    qtbot.keyClick(first.article_view, Qt.Key.Key_R)
    click_at(qtbot, first.article_view, find(first, "Ukraine") + 2)
    assert links(first) == [("according", "attributed_to", "Ukraine")]
    first.close()
    first.project.close()

    place = MainWindow._place_panels
    monkeypatch.setattr(MainWindow, "_place_panels", lambda _window: None)
    window = open_window(panels_placed=False)
    if made == "before the first paint":
        window.side_panels  # noqa: B018
    assert (window._side_panels is None) == (made == "after the first paint")
    view = window.article_view
    start = find(window, "Bakhmut")
    view.select_range(start, start + len("Bakhmut"))  # no click: a click makes them
    qtbot.keyClick(view, Qt.Key.Key_3)
    assert len(view.spans) == 3
    ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(view, Qt.Key.Key_S, ctrl_shift)
    qtbot.waitUntil(lambda: window.review.held is not None, timeout=30000)  # off the GUI thread
    assert (window._side_panels is None) == (made == "after the first paint")
    while not window.panels_placed:
        place(window)
    qtbot.waitUntil(window.details.isVisible)
    window.next_frame.flush()
    relations = window.relations
    assert [relations.item(row).text() for row in range(relations.count())] == [
        'source "according" → attributed_to → claim "Ukraine"\n'
        "    quote proposed: indirect (Shift+Alt+W accepts)"
    ]
    assert [(kind, head.label, child.label) for head, child, kind in view.links] == [
        ("attributed_to", "source", "claim")
    ]
    held = window.review.held
    assert held is not None and window.suggestion_panel.isVisible()
    assert view.text[held.start : held.end] in window.suggestion_panel.shown_text()
    # The suggestion picked let go of the span labelled: the details show no span.
    assert view.selected_span_id is None
    assert window.details.span_title.text() == "Click a span to see its note and attributes."
    assert window.action_table["markCues"].isChecked() == window.cues.on
