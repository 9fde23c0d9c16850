"""The "Selected span" panel in the side column: a note typed across its autosaves, the
panel's scroll when another span is selected, and a narrow side column."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QMenu, QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from factmark.core.importing import import_file
from factmark.core.project import Project
from factmark.ui.panels.previously_checked import LOOKING
from factmark.ui.window.main_window import MainWindow
from tests.ui.helpers import click_at, wheel_down
from tests.ui.test_annotation import find
from tests.ui.test_links_notes import label

CLAIM = "he said it had lost around 500 men"
SHIFT = Qt.KeyboardModifier.ShiftModifier
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def window(open_window) -> MainWindow:
    return open_window()


def stored_note(window: MainWindow, span_id: int) -> str | None:
    """The span's note as the project file holds it (read by sqlite3 alone)."""
    with sqlite3.connect(Path(window.project.path)) as db:
        row = db.execute("SELECT note FROM spans WHERE id = ?", (span_id,)).fetchone()
    return row[0] if row else None


def autosaved(window: MainWindow, qtbot: QtBot, span_id: int, note: str) -> None:
    """Wait for the pause in typing to save ``note``, and for the panel to be shown again
    from the saved span (it is, at the next frame)."""
    qtbot.waitUntil(lambda: stored_note(window, span_id) == note, timeout=3000)
    qtbot.waitUntil(lambda: window.details.span.note == note)
    qtbot.wait(100)


def test_a_note_keeps_the_order_it_was_typed_in_across_autosaves(
    window: MainWindow, qtbot: QtBot
) -> None:
    claim_id = label(window, qtbot, CLAIM, "claim")
    note = window.details.note
    qtbot.waitUntil(lambda: window.details.span is not None and window.details.span.id == claim_id)
    qtbot.mouseClick(note.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(20, 10))
    qtbot.waitUntil(note.hasFocus)
    qtbot.keyClicks(note, "abc")
    autosaved(window, qtbot, claim_id, "abc")
    qtbot.keyClicks(note, "def")
    autosaved(window, qtbot, claim_id, "abcdef")
    assert note.toPlainText() == "abcdef"
    # A selection made before the pause is still there after the autosave: typing
    # replaces it.
    qtbot.keyClicks(note, "ghi")
    qtbot.keyClick(note, Qt.Key.Key_Left, SHIFT)
    qtbot.keyClick(note, Qt.Key.Key_Left, SHIFT)
    autosaved(window, qtbot, claim_id, "abcdefghi")
    assert note.textCursor().selectedText() == "hi"
    qtbot.keyClicks(note, "Z")
    autosaved(window, qtbot, claim_id, "abcdefgZ")
    assert note.toPlainText() == "abcdefgZ"
    # In the middle of the note, too.
    qtbot.keyClick(note, Qt.Key.Key_Home)
    qtbot.keyClick(note, Qt.Key.Key_Right)
    qtbot.keyClicks(note, "1")
    autosaved(window, qtbot, claim_id, "a1bcdefgZ")
    qtbot.keyClicks(note, "2")
    autosaved(window, qtbot, claim_id, "a12bcdefgZ")
    assert note.toPlainText() == "a12bcdefgZ" and note.hasFocus()
    # Ctrl+Z in the note undoes the typing ("1" and "2" typed on together), saved or not.
    qtbot.keyClick(note, Qt.Key.Key_Z, CTRL)
    assert note.toPlainText() == "abcdefgZ"
    autosaved(window, qtbot, claim_id, "abcdefgZ")
    # Undo in the window (the focus in the article) takes back the last autosave, and the
    # field shows the note as it is again.
    click_at(qtbot, window.article_view, find(window, CLAIM) + 3)
    qtbot.waitUntil(lambda: not note.hasFocus())
    qtbot.keyClick(window.article_view, Qt.Key.Key_Z, CTRL)
    assert stored_note(window, claim_id) == "a12bcdefgZ"
    qtbot.waitUntil(lambda: note.toPlainText() == "a12bcdefgZ")
    qtbot.keyClick(window.article_view, Qt.Key.Key_Z, CTRL)
    assert stored_note(window, claim_id) == "a1bcdefgZ"
    qtbot.waitUntil(lambda: note.toPlainText() == "a1bcdefgZ")


def test_another_span_shows_the_panel_from_its_top_the_same_one_keeps_its_place(
    window: MainWindow, qtbot: QtBot
) -> None:
    """Scrolled down to the Link box, a word labelled next showed the Link box still, its
    own note and attributes out of view above."""
    window.resize(1366, 768)
    qtbot.wait(50)
    claim_id = label(window, qtbot, CLAIM, "claim")
    qtbot.waitUntil(lambda: window.details.span is not None and window.details.span.id == claim_id)
    bar = window.details.findChild(QWidget, "detailsScroll").verticalScrollBar()
    # The look-up in the archive of earlier fact-checks is over (its line has its height).
    qtbot.waitUntil(lambda: window.details.previously_checked.shown_text() != LOOKING)
    qtbot.wait(50)
    assert bar.maximum() > 0  # the panel is taller than its room
    wheel_down(bar, 10)
    down = bar.value()
    assert down == bar.maximum() > 0
    # The same span shown again (an attribute set with its key): the panel moves only as
    # far as the field set needs to show, and not at all when it shows already.
    qtbot.keyClick(window.article_view, Qt.Key.Key_Y, SHIFT | Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: window.details.span.attrs.get("checkworthy") == "yes")
    qtbot.wait(50)
    combo = window.details.combos["checkworthy"]
    viewport = window.details.findChild(QWidget, "detailsScroll").viewport()
    top_left = combo.mapTo(viewport, combo.rect().topLeft())
    assert viewport.rect().contains(QRect(top_left, combo.size()))
    assert 0 < bar.value() <= down  # moved up to it, not to the top
    kept = bar.value()
    qtbot.keyClick(window.article_view, Qt.Key.Key_N, SHIFT | Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: window.details.span.attrs.get("checkworthy") == "no")
    qtbot.wait(50)
    assert bar.value() == kept
    # Another span: its panel from the top, its title and note in view.
    label(window, qtbot, "Bakhmut", "location")
    qtbot.waitUntil(
        lambda: window.details.span is not None and window.details.span.label == "location"
    )
    qtbot.wait(50)
    assert bar.value() == 0
    area = window.details.findChild(QWidget, "detailsScroll")
    title = window.details.span_title
    assert area.viewport().rect().contains(title.mapTo(area.viewport(), title.rect().topLeft()))


def test_a_document_field_keeps_its_cursor_when_saved(window: MainWindow, qtbot: QtBot) -> None:
    """Return saves a document's field; the cursor stays where it was for what comes next."""
    qtbot.mouseClick(window.details.document_toggle, Qt.MouseButton.LeftButton)
    field = window.details.fields["publication"]
    qtbot.waitUntil(field.isVisible)
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton)
    qtbot.keyClick(field, Qt.Key.Key_A, CTRL)
    qtbot.keyClick(field, Qt.Key.Key_Backspace)
    qtbot.keyClicks(field, "Le Monde")
    qtbot.keyClick(field, Qt.Key.Key_Home)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    document_id = window.current.id
    qtbot.waitUntil(lambda: window.project.document(document_id).meta["publication"] == "Le Monde")
    qtbot.wait(50)
    qtbot.keyClicks(field, "X")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.project.document(document_id).meta["publication"] == "XLe Monde")
    assert field.text() == "XLe Monde"


def beyond_the_right_edge(area: QScrollArea) -> list[str]:
    """The visible widgets in the panel whose right edge lies beyond its viewport's."""
    viewport = area.viewport()
    width = viewport.rect().width()
    out = []
    for child in area.widget().findChildren(QWidget):
        if (
            not child.isVisible()
            or isinstance(child.window(), QMenu)
            or child.window() is not area.window()
        ):
            continue
        left = child.mapTo(viewport, QPoint(0, 0)).x()
        if left < 0 or left + child.width() > width:
            out.append(
                f"{child.metaObject().className()} {child.objectName()} {left}+{child.width()}"
            )
    return out


def test_a_narrow_side_column_wraps_the_panel_instead_of_cutting_it(
    window: MainWindow, qtbot: QtBot
) -> None:
    """F2 at 1366 wide leaves the side column some 200 pixels: the selected claim's box,
    its outlet-voice box, attributes and the Link box fit in it whole."""
    claim_id = label(window, qtbot, CLAIM, "claim")
    source_id = label(window, qtbot, "Prigozhin", "source", 1)
    window.annotation.link(source_id, claim_id, window.project.relation_types())
    click_at(qtbot, window.article_view, find(window, CLAIM) + 3)
    window.resize(1366, 700)
    qtbot.wait(50)
    qtbot.keyClick(window.article_view, Qt.Key.Key_F2)
    qtbot.waitUntil(window.guidelines_dock.isVisible)
    area = window.details.findChild(QScrollArea, "detailsScroll")
    qtbot.waitUntil(lambda: area.viewport().width() < 200)  # the side column made room
    qtbot.waitUntil(window.details.outlet_voice.isVisible)
    qtbot.waitUntil(lambda: window.details.link_box.relation is not None)
    qtbot.waitUntil(lambda: window.details.previously_checked.shown_text() != LOOKING)
    qtbot.wait(50)  # the layout settles
    assert beyond_the_right_edge(area) == []


def test_a_narrow_side_column_wraps_the_earlier_checks_and_document_fields(
    open_window, qtbot: QtBot, tmp_path: Path
) -> None:
    """The same with matches in the archive of earlier fact-checks, and the document's
    fields unfolded."""
    from tests.ui.test_previously_checked import claim_project, open_on_claim

    path = claim_project(tmp_path / "checks.factmark", tmp_path / "archive")
    window = open_on_claim(open_window, qtbot, path)
    listed = window.details.previously_checked
    qtbot.waitUntil(lambda: len(listed.entries) > 0, timeout=15000)
    qtbot.mouseClick(window.details.document_toggle, Qt.MouseButton.LeftButton)
    window.resize(1366, 700)
    qtbot.wait(50)
    qtbot.keyClick(window.article_view, Qt.Key.Key_F2)
    qtbot.waitUntil(window.guidelines_dock.isVisible)
    area = window.details.findChild(QScrollArea, "detailsScroll")
    qtbot.waitUntil(lambda: area.viewport().width() < 200)
    qtbot.wait(50)
    assert listed.rows[0].site.isVisible() and window.details.fields["url"].isVisible()
    assert beyond_the_right_edge(area) == []
    # The outlet-voice box's wrapped text ticks it when clicked, as a check box's text does.
    voice = window.details.outlet_voice_row.text
    assert voice.height() > 1.5 * voice.fontMetrics().height()  # on two lines or more
    qtbot.mouseClick(voice, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    span_id = window.article_view.selected_span_id
    assert window.project.span(span_id).attrs == {"voice": "outlet"}
    assert window.details.outlet_voice.isChecked()


def test_the_language_field_shows_and_edits_the_language_an_import_gave(
    open_window, qtbot: QtBot, tmp_path: Path
) -> None:
    """A document whose language is its ``meta.lang`` (``factmark import --lang zh``, or a
    JSONL line's meta): its Language field says zh, and what is typed there replaces it
    (the key the spaCy export reads first), with no second key that nothing reads."""
    window, path = with_language_field(open_window, qtbot, tmp_path, "zh")
    field = window.details.fields["language"]
    assert field.text() == "zh"

    typed(qtbot, field, "zh-TW")

    qtbot.waitUntil(lambda: stored_meta(path) == {"lang": "zh-TW"})  # no second key


def with_language_field(
    open_window: Callable[[Path], MainWindow], qtbot: QtBot, tmp_path: Path, lang: str
) -> tuple[MainWindow, Path]:
    """The window on a project of one Chinese article whose ``meta.lang`` is ``lang``,
    its document fields shown; and the project's path."""
    article = tmp_path / "xinhua.jsonl"
    line = {"text": "据新华社报道，吉野家在上海开设了第300家门店。", "meta": {"lang": lang}}
    article.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    path = tmp_path / "zh.factmark"
    with Project.open(path) as project:
        assert import_file(project, article).documents == 1
    window = open_window(path)
    qtbot.mouseClick(window.details.document_toggle, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(window.details.fields["language"].isVisible)
    return window, path


def typed(qtbot: QtBot, into: QWidget, text: str) -> None:
    """Click the field, select what it holds, type ``text`` over it and press Return."""
    qtbot.mouseClick(into, Qt.MouseButton.LeftButton)
    qtbot.keyClick(into, Qt.Key.Key_A, CTRL)
    qtbot.keyClicks(into, text)
    qtbot.keyClick(into, Qt.Key.Key_Return)


def stored_meta(path: Path) -> dict[str, object]:
    """The one document's metadata as the project file holds it (read by sqlite3 alone)."""
    with sqlite3.connect(path) as db:
        (meta,) = db.execute("SELECT meta FROM documents").fetchone()
    return dict(json.loads(meta))


def test_the_language_field_takes_a_language_name_as_its_tag_and_refuses_what_is_neither(
    open_window, qtbot: QtBot, tmp_path: Path
) -> None:
    """ "Chinese" typed in the Language field is stored (and shown) as zh, the tag every
    reader of the language understands; a word that is neither a tag nor a language's name
    is not stored: the field says why under it, and the other fields are still saved."""
    window, path = with_language_field(open_window, qtbot, tmp_path, "en")
    field = window.details.fields["language"]

    typed(qtbot, field, "Chinese")
    qtbot.waitUntil(lambda: stored_meta(path) == {"lang": "zh"})
    assert field.text() == "zh"
    error = window.details.findChild(QWidget, "documentFieldError")
    assert error is not None and not error.isVisible()

    typed(qtbot, field, "Klingonish")
    qtbot.waitUntil(error.isVisible)
    said = error.text()  # type: ignore[attr-defined]
    assert said.startswith("Language not changed: “Klingonish” is neither a language tag")
    typed(qtbot, window.details.fields["publication"], "Xinhua")
    qtbot.waitUntil(lambda: stored_meta(path) == {"lang": "zh", "publication": "Xinhua"})

    typed(qtbot, field, "pt_BR")  # a tag as locales write it
    qtbot.waitUntil(lambda: stored_meta(path) == {"lang": "pt-BR", "publication": "Xinhua"})
    assert not error.isVisible()
