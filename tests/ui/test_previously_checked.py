"""Previously checked: a claim clicked in the article shows its best matches in the
project's archive (worked out in the background), and a key links the claim to the best
one in one undoable step."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from pytestqt.qtbot import QtBot

from factmark.core.actions import spec
from factmark.core.archive import Review, add_reviews
from factmark.core.archive_readers import read_archive_file
from factmark.core.exporting import export
from factmark.core.exporting.base import Selection
from factmark.core.model import IncomingDocument, IncomingSpan
from factmark.core.project import Project
from factmark.ui.panels.previously_checked import EMPTY_ARCHIVE
from tests.core.archive_samples import BASE, write_samples
from tests.ui.helpers import click_at

CLAIM = "vaccines against Covid hide microchips to track people"
TEXT = f"A post shared this week says that {CLAIM}. The health ministry denies it."


def claim_project(path: Path, archive: Path | None) -> Path:
    """A project with one English article holding one claim, and the sample archive."""
    start = TEXT.index(CLAIM)
    with Project.open(path) as project:
        project.add_document(
            IncomingDocument(
                TEXT,
                title="Microchips",
                meta={"lang": "en"},
                spans=[IncomingSpan(start, start + len(CLAIM), "claim", "ana")],
            )
        )
        if archive is not None:
            for file in write_samples(archive).values():
                reviews = (r for _, r in read_archive_file(file).reviews)
                add_reviews(project, reviews, file.name)
    return path


def open_on_claim(open_window, qtbot: QtBot, path: Path):  # type: ignore[no-untyped-def]
    """Open the project's window and click the claim in the article."""
    window = open_window(path)
    view = window.article_view
    qtbot.waitUntil(lambda: view.text == TEXT)
    click_at(qtbot, view, TEXT.index(CLAIM) + 5)
    assert view.span(view.selected_span_id).label == "claim"
    return window


def test_clicking_a_claim_lists_its_best_earlier_checks_and_the_key_links_it(
    open_window, qtbot: QtBot, tmp_path: Path
) -> None:
    path = claim_project(tmp_path / "checks.factmark", tmp_path / "archive")
    window = open_on_claim(open_window, qtbot, path)
    listed = window.details.previously_checked
    qtbot.waitUntil(lambda: len(listed.entries) > 0, timeout=15000)
    assert listed.isVisible()
    assert len(listed.entries) <= 3
    best = listed.entries[0]
    # The same claim, worded otherwise by the review.
    assert best.review.url == f"{BASE}/en/vaccine-microchips"
    assert best.review.claim == "COVID-19 vaccines contain microchips that track people"
    shown = listed.text.text()
    assert "<b>False</b> · FactDesk · 2021-01-15" in shown
    assert "<u>COVID</u>-19 <u>vaccines</u> contain <u>microchips</u>" in shown

    span_id = window.article_view.selected_span_id
    window.article_view.setFocus()
    qtbot.keySequence(window.article_view, QKeySequence(spec("linkFactCheck").keys[0]))
    with Project.open(path, readonly=True) as fresh:  # what the file holds
        assert fresh.span(span_id).attrs == {
            "fact_check_url": f"{BASE}/en/vaccine-microchips",
            "fact_check_rating": "False",
        }
    # The details show the link at the next frame.
    qtbot.waitUntil(lambda: "<i>linked</i>" in listed.text.text())
    out = tmp_path / "out.jsonl"
    export(window.project, "jsonl", out, Selection(statuses=frozenset({"new", "in_progress"})))
    assert '"fact_check_url":"https://checks.example/en/vaccine-microchips"' in out.read_text()

    qtbot.keyClick(window.article_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    with Project.open(path, readonly=True) as fresh:
        assert fresh.span(span_id).attrs == {}


def test_foreign_text_in_the_archive_is_shown_as_text(
    open_window, qtbot: QtBot, tmp_path: Path
) -> None:
    path = claim_project(tmp_path / "hostile.factmark", None)
    with Project.open(path) as project:
        hostile = Review(
            url="https://checks.example/en/<script>",
            claim="<img src=x> vaccines & microchips <b>track</b> people",
            rating="<i>False</i>",
            reviewer="Desk & <Co>",
            date="2021-05-05",
            language="en",
        )
        add_reviews(project, [hostile], "hostile.csv")
    window = open_on_claim(open_window, qtbot, path)
    listed = window.details.previously_checked
    qtbot.waitUntil(lambda: len(listed.entries) == 1, timeout=15000)
    shown = listed.text.text()
    assert "<img" not in shown and "<script>" not in shown
    assert "&lt;i&gt;False&lt;/i&gt;" in shown and "Desk &amp; &lt;Co&gt;" in shown
    assert "&lt;img src=x&gt; <u>vaccines</u> &amp; <u>microchips</u> &lt;b&gt;" in shown


def test_an_empty_archive_says_how_to_add_one_and_the_key_links_nothing(
    open_window, qtbot: QtBot, tmp_path: Path
) -> None:
    path = claim_project(tmp_path / "empty.factmark", None)
    window = open_on_claim(open_window, qtbot, path)
    listed = window.details.previously_checked
    qtbot.waitUntil(lambda: listed.text.text() == EMPTY_ARCHIVE, timeout=15000)
    assert "factmark archive add" in listed.text.text()
    span_id = window.article_view.selected_span_id
    qtbot.keySequence(window.article_view, QKeySequence(spec("linkFactCheck").keys[0]))
    assert window.project.span(span_id).attrs == {}
    assert window.statusBar().currentMessage() == EMPTY_ARCHIVE


def test_the_list_follows_an_archive_added_to_while_the_window_is_open(
    open_window, qtbot: QtBot, tmp_path: Path
) -> None:
    """``factmark archive add`` beside the window: the next selection rebuilds the index."""
    path = claim_project(tmp_path / "grows.factmark", None)
    window = open_on_claim(open_window, qtbot, path)
    listed = window.details.previously_checked
    qtbot.waitUntil(lambda: listed.text.text() == EMPTY_ARCHIVE, timeout=15000)
    with Project.open(path) as other:  # another process's connection
        for file in write_samples(tmp_path / "archive").values():
            add_reviews(other, (r for _, r in read_archive_file(file).reviews), file.name)
    window.selection.select(None)
    click_at(qtbot, window.article_view, TEXT.index(CLAIM) + 5)
    qtbot.waitUntil(lambda: len(listed.entries) > 0, timeout=15000)
    assert listed.entries[0].review.url == f"{BASE}/en/vaccine-microchips"
