"""The issue's yardstick: annotate the seed article with the keyboard alone."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from factmark.core.project import Project
from tests.ui.test_annotation import KEYS, stored

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier
NONE = Qt.KeyboardModifier.NoModifier


def caret_to(qtbot: QtBot, view, needle: str) -> None:
    """Move the caret to the start of ``needle`` with Ctrl+F, as a user would, then Escape."""
    qtbot.keyClick(view, Qt.Key.Key_F, CTRL)
    window = view.window()
    window.find_bar.field.clear()
    qtbot.keyClicks(window.find_bar.field, needle)
    qtbot.keyClick(window.find_bar.field, Qt.Key.Key_Return)
    qtbot.keyClick(window.find_bar.field, Qt.Key.Key_Escape)
    qtbot.keyClick(view, Qt.Key.Key_Left)  # collapse the match to its start


def select_words(qtbot: QtBot, view, count: int) -> None:
    for _ in range(count):
        qtbot.keyClick(view, Qt.Key.Key_Right, CTRL | SHIFT)


def test_annotate_the_seed_article_with_the_keyboard_alone(open_window, qtbot: QtBot) -> None:
    window = open_window()
    view = window.article_view
    view.setFocus()

    # A claim with a number nested in it.
    caret_to(qtbot, view, "he said it had lost")
    select_words(qtbot, view, 8)  # "he said it had lost around 500 men"
    qtbot.keyClick(view, KEYS["claim"])
    caret_to(qtbot, view, "500 men")
    select_words(qtbot, view, 1)
    qtbot.keyClick(view, KEYS["number"])
    # A source, mislabelled first, then fixed by relabelling with its key.
    caret_to(qtbot, view, "Yevgeny Prigozhin")
    select_words(qtbot, view, 2)
    qtbot.keyClick(view, KEYS["location"])
    qtbot.keyClick(view, KEYS["source"])  # the new span is still selected: relabel
    # A mistake, undone.
    caret_to(qtbot, view, "Kremlin war")
    select_words(qtbot, view, 1)
    qtbot.keyClick(view, KEYS["claim"])
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    # A location, then walk the spans with Alt+Down and delete one with Delete.
    caret_to(qtbot, view, "Bakhmut, according")
    select_words(qtbot, view, 1)
    qtbot.keyClick(view, KEYS["location"])
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    qtbot.keyClick(view, Qt.Key.Key_Home, CTRL)
    qtbot.keyClick(view, Qt.Key.Key_Down, ALT)
    assert view.span(view.selected_span_id).label == "location"
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)  # ...and changed our mind

    expected = [
        ("location", "Bakhmut"),
        ("source", "Yevgeny Prigozhin"),
        ("claim", "he said it had lost around 500 men"),
        ("number", "500"),
    ]
    assert stored(window) == expected
    qtbot.keyClick(view, Qt.Key.Key_Return, CTRL)  # done, on to the next document
    path = Path(window.project.path)
    window.close()
    window.project.close()

    again = open_window(path)
    qtbot.keyClick(again.article_view, Qt.Key.Key_Left, ALT)
    assert again.current.title == "Bakhmut counterattack"
    assert again.current.status == "done"
    assert stored(again) == expected


def test_annotator_name_is_asked_kept_and_recorded(open_window, qtbot: QtBot) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QInputDialog

    from tests.ui.helpers import drag_select
    from tests.ui.test_annotation import find, listed

    window = open_window()
    assert not window.settings.has_annotator()

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QInputDialog):
            QTimer.singleShot(20, answer)
            return
        dialog.setTextValue("olena")
        dialog.accept()

    QTimer.singleShot(20, answer)
    qtbot.mouseClick(window.annotator_button, Qt.MouseButton.LeftButton)
    assert window.annotator_button.text() == "Annotator: olena"
    assert window.settings.has_annotator()
    qtbot.waitUntil(window.isActiveWindow)
    start = find(window, "Bakhmut")
    drag_select(window.article_view, start, start + 7)
    qtbot.keyClick(window.article_view, KEYS["location"])
    model = window.span_list.model()
    assert listed(window) == [("location", "Bakhmut")]
    assert model.index(0, 2).data() == "olena"
    assert window.project.spans(window.current.id)[0].annotator == "olena"


def test_a_match_found_inside_a_span_is_labelled_not_the_span(open_window, qtbot: QtBot) -> None:
    """Ctrl+F, the text, Enter, Escape, a label key: the match shown selected is labelled
    (closing the find bar once passed the keyboard to the span list, which selected its
    first span and dropped the match, so the key relabelled that span)."""
    window = open_window()
    view = window.article_view
    view.setFocus()
    caret_to(qtbot, view, "Ukraine has pushed")
    select_words(qtbot, view, 7)  # "Ukraine has pushed back the Russian army"
    qtbot.keyClick(view, KEYS["claim"])
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    qtbot.keyClick(view, Qt.Key.Key_Home, CTRL)
    qtbot.keyClick(view, Qt.Key.Key_F, CTRL)
    field = window.find_bar.field
    qtbot.keyClicks(field, "Russian")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert view.textCursor().selectedText() == "Russian"  # Qt shows the match selected
    qtbot.keyClick(field, Qt.Key.Key_Escape)
    assert view.hasFocus() and view.textCursor().selectedText() == "Russian"
    assert view.selected_span_id is None
    qtbot.keyClick(view, KEYS["location"])
    assert sorted(stored(window)) == [
        ("claim", "Ukraine has pushed back the Russian army"),
        ("location", "Russian"),
    ]


def test_a_match_found_drops_the_span_selected_before(open_window, qtbot: QtBot) -> None:
    """After Ctrl+F finds text, the span selected before is no longer selected: Delete
    does not remove it (it is not what the article shows selected)."""
    window = open_window()
    view = window.article_view
    view.setFocus()
    caret_to(qtbot, view, "Yevgeny Prigozhin")
    select_words(qtbot, view, 2)
    qtbot.keyClick(view, KEYS["source"])
    assert view.selected_span_id is not None
    qtbot.keyClick(view, Qt.Key.Key_F, CTRL)
    field = window.find_bar.field
    field.clear()
    qtbot.keyClicks(field, "Kremlin war")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert view.textCursor().selectedText() == "Kremlin war"
    assert view.selected_span_id is None
    assert window.details.span is None or window.next_frame.holding
    qtbot.keyClick(field, Qt.Key.Key_Escape)
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert stored(window) == [("source", "Yevgeny Prigozhin")]
    assert "Click a span first" in window.statusBar().currentMessage()


def press(qtbot: QtBot, key: Qt.Key, modifier: Qt.KeyboardModifier = NONE) -> None:
    """A key where the keyboard is (the focused widget), as a user's key press goes."""
    focused = QApplication.focusWidget()
    assert focused is not None
    qtbot.keyClick(focused, key, modifier)


def type_where_focused(qtbot: QtBot, text: str) -> None:
    focused = QApplication.focusWidget()
    assert focused is not None
    qtbot.keyClicks(focused, text)


def stored_spans(window) -> list[tuple[int, int, str]]:
    """(start, end, label) of the current document's spans, read by a second reader."""
    with Project.open(window.project.path, readonly=True) as fresh:
        return sorted((s.start, s.end, s.label) for s in fresh.spans(window.current.id))


def occurrences(text: str, needle: str) -> list[int]:
    """Where ``needle`` starts in ``text``, each place (str.find, code points)."""
    places = [text.find(needle)]
    while places[-1] >= 0:
        places.append(text.find(needle, places[-1] + 1))
    return places[:-1]


def test_a_label_key_after_find_labels_the_match(open_window, qtbot: QtBot) -> None:
    """Ctrl+F, the text, Enter, 4: the match is labelled, the field keeps its text."""
    window = open_window()
    window.article_view.setFocus()
    press(qtbot, Qt.Key.Key_F, CTRL)
    type_where_focused(qtbot, "2 kilometers")
    press(qtbot, Qt.Key.Key_Return)
    press(qtbot, KEYS["number"])
    assert window.find_bar.field.text() == "2 kilometers"
    assert window.find_bar.isVisible()
    with Project.open(window.project.path, readonly=True) as fresh:
        text = fresh.document(window.current.id).text
    start = text.find("2 kilometers")
    assert stored_spans(window) == [(start, start + len("2 kilometers"), "number")]


def test_enter_and_f3_after_find_go_on_to_the_next_match(open_window, qtbot: QtBot) -> None:
    """Enter again (in the article) and F3 find the next match, Shift+Enter the one
    before; a label key labels the match shown; the field clicked edits the search."""
    window = open_window()
    window.article_view.setFocus()
    with Project.open(window.project.path, readonly=True) as fresh:
        text = fresh.document(window.current.id).text
    places = occurrences(text, "Bakhmut")
    assert len(places) >= 4
    press(qtbot, Qt.Key.Key_F, CTRL)
    type_where_focused(qtbot, "Bakhmut")
    press(qtbot, Qt.Key.Key_Return)  # the first
    press(qtbot, Qt.Key.Key_Return)  # the second
    press(qtbot, KEYS["location"])
    press(qtbot, Qt.Key.Key_F3)  # the third
    press(qtbot, Qt.Key.Key_Return)  # the fourth
    press(qtbot, Qt.Key.Key_Return, SHIFT)  # back to the third
    press(qtbot, KEYS["location"])
    assert stored_spans(window) == [
        (places[1], places[1] + 7, "location"),
        (places[2], places[2] + 7, "location"),
    ]
    field = window.find_bar.field
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton)
    press(qtbot, Qt.Key.Key_A, CTRL)
    type_where_focused(qtbot, "kremlin")
    assert field.text() == "kremlin"
    press(qtbot, Qt.Key.Key_Return)
    press(qtbot, KEYS["source"])
    after = text.lower().find("kremlin", places[2])  # the next after the match, wrapping
    kremlin = after if after >= 0 else text.lower().find("kremlin")
    assert (kremlin, kremlin + 7, "source") in stored_spans(window)
