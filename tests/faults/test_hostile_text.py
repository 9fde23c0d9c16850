"""Text from data that looks like markup is shown as written, and the guidelines pane
loads nothing and follows no link by itself.

Qt reads a label, tooltip or message box text as rich text when ``Qt::mightBeRichText``
says it looks like markup: ``<img src="file:///dev/zero">`` in a title, note or label
would make it read /dev/zero until memory runs out, ``<i>x</i>`` would lose its tags.
Each check below first makes sure nothing of the kind reaches a renderer (an escaped
text holds no ``<img``), then renders what Qt would show and compares it with the data.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6 import QtGui
from PySide6.QtCore import QModelIndex, QSize, Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QTextDocument
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from factmark.core.agreement import agreement as figures
from factmark.core.incoming import IncomingDocument, IncomingRelation, IncomingSpan
from factmark.core.project import Project
from factmark.ui.article.article_view import span_tooltip
from factmark.ui.background.jobs import ImportOutcome
from factmark.ui.dialogs.import_report import ReportDialog
from factmark.ui.dialogs.labels_dialog import LabelsDialog
from factmark.ui.dialogs.stats_dialog import StatsDialog
from factmark.ui.dialogs.team_dialogs import AgreementDialog
from factmark.ui.panels.guidelines_panel import (
    PLACEHOLDER,
    RENDER_LIMIT,
    GuidelinesPanel,
    NoResourceDocument,
    render_guidelines,
)
from factmark.ui.plain import escape, plain_tip, plain_warning
from factmark.ui.window.main_window import MainWindow

IMG = '<img src="file:///dev/zero">'
HOSTILE = f'{IMG} <i>x</i> < y > <a href="file:///etc/passwd">x</a>'
LINK_TYPE = "<i>linked</i>&amp;<b>to</b>"  # one word, as link types are
TEXT = f"Intro. {HOSTILE} middle {HOSTILE} end."
FIRST = TEXT.index(HOSTILE)
SECOND = TEXT.rindex(HOSTILE)
Role = Qt.ItemDataRole


def shown(text: str) -> str:
    """What Qt shows for a label, tooltip or message box text (auto-detected format)."""
    if not QtGui.Qt.mightBeRichText(text):
        return text
    assert "<img" not in text and "<a " not in text, f"markup from data reaches Qt: {text!r}"
    document = QTextDocument()
    document.setHtml(text)
    return document.toPlainText()


def shown_by(label: QLabel) -> str:
    if label.textFormat() == Qt.TextFormat.PlainText:
        return label.text()
    return shown(label.text())


def guidelines_text(spy: Path) -> str:
    return (
        "# House rules\n\n"
        f"![spy]({spy.as_uri()}) and ![relative]({spy.name})\n\n"
        f'<img src="{spy.as_uri()}">\n\n'
        "[passwd](file:///etc/passwd), [web](https://example.org/guide?a=1) "
        "and [below](#claim)\n\n"
        f"## claim\n\nA checkable statement.\n\nExamples:\n- {HOSTILE}\n"
    )


@pytest.fixture
def spy(tmp_path: Path) -> Path:
    """A real image the guidelines point at: it must never be read."""
    image = QtGui.QImage(4, 4, QtGui.QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.red)
    path = tmp_path / "spy.png"
    assert image.save(str(path))
    return path


@pytest.fixture
def hostile(tmp_path: Path, spy: Path) -> Path:
    """A project whose label, link type, title, text, spans, notes, annotators, metadata
    and guidelines all hold markup."""
    path = tmp_path / "hostile.factmark"
    with Project.open(path) as project:
        project.add_label(HOSTILE, key="", colour="#336699", description=HOSTILE)
        project.add_relation_type(LINK_TYPE, HOSTILE)
        end = len(HOSTILE)
        spans = [
            IncomingSpan(FIRST, FIRST + end, "claim", HOSTILE, HOSTILE, ref=1),
            IncomingSpan(SECOND, SECOND + end, HOSTILE, HOSTILE, HOSTILE, ref=2),
            IncomingSpan(FIRST, FIRST + end, "claim", "bob", "", ref=3),
            IncomingSpan(SECOND, SECOND + end, HOSTILE, "bob", "", ref=4),
        ]
        added = project.add_document(
            IncomingDocument(
                TEXT,
                HOSTILE,
                meta={"publication": HOSTILE},
                spans=spans,
                relations=[IncomingRelation(1, 2, LINK_TYPE)],
            )
        )
        assert added is not None
        project.set_guidelines(guidelines_text(spy))
    return path


def opened(open_window: Callable[..., MainWindow], qtbot: QtBot, path: Path) -> MainWindow:
    window = open_window(path)
    document_id = window.documents.model.documents[0].id
    window.documents.select(document_id)
    qtbot.waitUntil(lambda: window.spans.rowCount() == 4)
    return window


def answer_next_box(qtbot: QtBot, button: QMessageBox.StandardButton, seen: list[Any]) -> QTimer:
    """Note the next message box (text and format) and press ``button`` in it."""

    def check() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and box not in seen:
            seen.extend([box, box.text(), box.textFormat()])
            box.button(button).click()

    timer = QTimer()
    timer.timeout.connect(check)
    timer.start(20)
    return timer


# -- the window's lists, article, details and tooltips ---------------------------------


def test_titles_spans_notes_and_names_show_as_written(
    open_window: Callable[..., MainWindow], qtbot: QtBot, hostile: Path
) -> None:
    window = opened(open_window, qtbot, hostile)
    assert HOSTILE in window.windowTitle()  # a window title is never rich text

    documents = window.documents.model
    row = documents.index(0, 0)
    assert documents.data(row, Role.DisplayRole) == HOSTILE  # item views paint plain text
    assert shown(documents.data(row, Role.ToolTipRole)) == HOSTILE

    spans = window.spans
    for row_number in range(spans.rowCount()):
        label, text, annotator = (
            spans.data(spans.index(row_number, column), Role.DisplayRole) for column in range(3)
        )
        assert text == HOSTILE
        assert label in ("claim", HOSTILE) and annotator in ("bob", HOSTILE)
        tip = shown(spans.data(spans.index(row_number, 0), Role.ToolTipRole))
        assert tip.startswith(label)
        if annotator == HOSTILE:
            assert tip.endswith(f"\n{HOSTILE}")  # the note, as written

    under = window.article_view.spans_at(SECOND + 3)
    tip = span_tooltip(under)
    assert "&lt;img" in tip
    assert shown(tip).count(HOSTILE) == 4  # label, annotator and note; bob's label

    assert window.article_view.toPlainText() == TEXT
    rows = window.relations.rows()
    assert len(rows) == 1 and f" → {LINK_TYPE} → {HOSTILE} " in rows[0]

    window.selection.select(spans.data(spans.index(1, 0), Role.UserRole))
    qtbot.waitUntil(lambda: "middle" not in window.details.span_title.text())
    assert shown_by(window.details.span_title).count(HOSTILE) >= 1
    assert window.details.fields["publication"].text() == HOSTILE

    action = window.action_table.by_name.get("label_" + HOSTILE)
    tips = [a.toolTip() for a in window.findChildren(QtGui.QAction) if HOSTILE in a.text()]
    tips += [action.toolTip()] if action is not None else []
    assert tips
    for tip in tips:
        assert HOSTILE in shown(tip)


def test_plain_tip_leaves_plain_text_alone_and_escapes_markup() -> None:
    assert plain_tip("a plain note: 3 < 4, 1 + 1 > 1") == "a plain note: 3 < 4, 1 + 1 > 1"
    assert "&lt;" in plain_tip("a < b and c > d")  # Qt would read <b ...> as a tag
    assert plain_tip("") == ""
    tip = plain_tip(f"{HOSTILE}\n    {HOSTILE}")
    assert "&lt;img" in tip
    assert shown(tip) == f"{HOSTILE}\n    {HOSTILE}"
    # Qt decides by the first line alone: this one is shown as plain text, untouched
    assert plain_tip(f"one\n{HOSTILE}") == f"one\n{HOSTILE}"


def test_markup_is_escaped_as_the_html_module_escapes_it(corpus: Path) -> None:
    """Oracle: ``html.escape`` (the window escapes without loading the html module)."""
    import html

    texts = [path.read_text(encoding="utf-8") for path in sorted(corpus.glob("*.txt"))]
    texts += [HOSTILE, "", "&amp;&#x27;<<>>\"'&", "".join(map(chr, range(0x300))), "\r\n😀\u0301"]
    assert texts[0]
    for text in texts:
        assert escape(text) == html.escape(text)


def test_a_warning_shows_its_text_as_written(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: seen.append(text))
    plain_warning(None, "Export", f"{HOSTILE}: cannot write")
    assert [shown(text) for text in seen] == [f"{HOSTILE}: cannot write"]


# -- dialogs -----------------------------------------------------------------------


def test_statistics_agreement_and_labels_dialogs_show_names_as_written(
    qtbot: QtBot, hostile: Path
) -> None:
    with Project.open(hostile) as project:
        stats = StatsDialog(project)
        qtbot.addWidget(stats)
        for chart in (stats.label_chart, stats.annotator_chart):
            assert HOSTILE in shown(chart.toolTip()).splitlines()[-1] or any(
                line.startswith(f"{HOSTILE}: ") for line in shown(chart.toolTip()).splitlines()
            )
        for label in (stats.headline, stats.label_heading, stats.annotator_heading):
            assert label.textFormat() == Qt.TextFormat.PlainText

        agreement = AgreementDialog(project, figures(project))
        qtbot.addWidget(agreement)
        report = agreement.report.toPlainText()
        assert HOSTILE in report  # the annotator and label names, escaped in the HTML
        assert any(line.startswith(HOSTILE) for line in shown(agreement.bars.toolTip()).split("\n"))

        labels = LabelsDialog(project)
        qtbot.addWidget(labels)
        model = labels.table.model()
        tips = [
            shown(model.data(model.index(row, 0), Role.ToolTipRole))
            for row in range(model.rowCount(QModelIndex()))
        ]
        assert any(tip.startswith(f"{HOSTILE} (no key, ") and tip.endswith(HOSTILE) for tip in tips)


def test_the_import_report_shows_file_names_as_written(qtbot: QtBot, tmp_path: Path) -> None:
    from factmark.core.importing import FileReport

    name = "<i>x</i> < y > <img src=spy.png>.txt"
    report = FileReport(tmp_path / name, errors=[(3, "bad <b>line</b>")])
    dialog = ReportDialog(ImportOutcome(reports=[report], total_files=1))
    qtbot.addWidget(dialog)
    assert dialog.summary.textFormat() == Qt.TextFormat.PlainText
    assert dialog.folder.textFormat() == Qt.TextFormat.PlainText
    items = [dialog.lines.item(n) for n in range(dialog.lines.count())]
    assert items and all(
        shown(item.toolTip()) == line for item, line in zip(items, report.lines(), strict=True)
    )
    assert any("<b>line</b>" in item.text() for item in items)


# -- the guidelines pane -------------------------------------------------------------


def test_guidelines_load_no_file_and_show_markup_as_written(
    open_window: Callable[..., MainWindow], qtbot: QtBot, hostile: Path, spy: Path
) -> None:
    window = opened(open_window, qtbot, hostile)
    window.guidelines_dock.show()
    view = window.guidelines_panel.view
    qtbot.waitExposed(view)
    document = view.document()
    assert isinstance(document, NoResourceDocument)
    view.viewport().repaint()  # lays the images out: each is asked for, and refused
    QApplication.processEvents()
    assert spy.as_uri() in document.refused
    assert all(url.endswith("spy.png") for url in document.refused)
    placeholder = QtGui.QImage(PLACEHOLDER)  # Qt's own icon, not the spy's red square
    assert placeholder.size() == QSize(16, 16)
    for url in (QUrl.fromLocalFile(str(spy)), QUrl("spy.png"), QUrl("file:///dev/zero")):
        # Qt reads a local file itself when the loader gives nothing (or a null image)
        image = document.resource(QTextDocument.ResourceType.ImageResource, url)
        assert isinstance(image, QtGui.QImage) and image == placeholder
        assert view.loadResource(QTextDocument.ResourceType.ImageResource, url) is None
    css = document.resource(
        QTextDocument.ResourceType.StyleSheetResource, QUrl.fromLocalFile(str(spy))
    )
    assert not css
    shown_text = view.toPlainText()
    assert HOSTILE in shown_text  # the example line, as written
    assert f'<img src="{spy.as_uri()}">' in shown_text  # raw HTML is shown, not rendered
    assert "passwd" in shown_text and "claim" in shown_text  # nothing after it is lost

    before = view.toPlainText()
    view.setSource(QUrl("file:///etc/passwd"))  # what a followed link would do
    assert view.toPlainText() == before and view.source().isEmpty()


def test_a_guidelines_link_asks_first_and_never_navigates_the_pane(
    qtbot: QtBot, hostile: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened_urls: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened_urls.append(url) or True)
    with Project.open(hostile) as project:
        panel = GuidelinesPanel(project)
        qtbot.addWidget(panel)
        view = panel.view
        before = view.toPlainText()
        Button = QMessageBox.StandardButton

        seen: list[Any] = []
        timer = answer_next_box(qtbot, Button.Ok, seen)
        try:
            assert not panel.follow_link(QUrl("file:///etc/passwd"))  # as anchorClicked
        finally:
            timer.stop()
        assert seen[2] == Qt.TextFormat.PlainText and "file:///etc/passwd" in seen[1]
        assert "not" in seen[1]

        seen.clear()
        timer = answer_next_box(qtbot, Button.Cancel, seen)
        try:
            view.anchorClicked.emit(QUrl("https://example.org/guide?a=1"))
        finally:
            timer.stop()
        assert "https://example.org/guide?a=1" in seen[1] and seen[2] == Qt.TextFormat.PlainText
        assert opened_urls == []

        seen.clear()
        timer = answer_next_box(qtbot, Button.Open, seen)
        try:
            assert panel.follow_link(QUrl("https://example.org/guide?a=1"))
        finally:
            timer.stop()
        assert opened_urls == [QUrl("https://example.org/guide?a=1")]

        assert not panel.follow_link(QUrl("#claim"))  # an anchor in the guidelines: no question
        assert view.toPlainText() == before and view.source().isEmpty()


def test_clicking_a_file_link_in_the_pane_names_it_and_stays(
    open_window: Callable[..., MainWindow], qtbot: QtBot, hostile: Path
) -> None:
    window = opened(open_window, qtbot, hostile)
    window.guidelines_dock.show()
    view = window.guidelines_panel.view
    qtbot.waitExposed(view)
    before = view.toPlainText()
    block = view.document().begin()
    position = None
    while block.isValid() and position is None:
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            if fragment.charFormat().anchorHref() == "file:///etc/passwd":
                position = fragment.position() + 1
                break
            iterator += 1
        block = block.next()
    assert position is not None
    cursor = view.textCursor()
    cursor.setPosition(position)
    point = view.cursorRect(cursor).center()
    seen: list[Any] = []
    timer = answer_next_box(qtbot, QMessageBox.StandardButton.Ok, seen)
    try:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
        qtbot.waitUntil(lambda: len(seen) == 3)
    finally:
        timer.stop()
    assert "file:///etc/passwd" in seen[1]
    assert view.toPlainText() == before and view.source().isEmpty()


def test_very_long_guidelines_are_rendered_only_in_part(
    qtbot: QtBot, tmp_path: Path, spy: Path
) -> None:
    paragraph = "A **rule** with a [link](https://example.org) and more words. " * 8 + "\n\n"
    long_text = guidelines_text(spy) + paragraph * (5_000_000 // len(paragraph))
    assert len(long_text) > 4_900_000
    with Project.open(tmp_path / "long.factmark") as project:
        project.set_guidelines(long_text)
        panel = GuidelinesPanel(project)
        qtbot.addWidget(panel)
        assert panel.truncated
        rendered = panel.view.toPlainText()
        assert len(rendered) < RENDER_LIMIT + 500
        assert "House rules" in rendered
        assert rendered.rstrip().endswith("Edit shows the whole text.")
        assert f"{len(long_text):,} characters" in rendered

        panel.edit()  # the editor holds all of it
        assert panel.editor.toPlainText() == long_text
        panel.cancel()

        short = GuidelinesPanel(project)
        qtbot.addWidget(short)
        assert not render_guidelines(short.view, "# Short\n\nText.")
        assert short.view.toPlainText() == "Short\nText."
