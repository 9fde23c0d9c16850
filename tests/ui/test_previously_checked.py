"""Previously checked: a claim clicked in the article shows its best matches in the
project's archive (worked out in the background); a key or a click links the claim to
any of them in one undoable step, a click on a review's site opens it in the browser,
an empty archive takes one line, and File > Add fact-check archive fills it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QPoint, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QKeySequence
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from factmark.core.actions import spec
from factmark.core.archive import Review, add_reviews
from factmark.core.archive_readers import read_archive_file
from factmark.core.exporting import export
from factmark.core.exporting.base import Selection
from factmark.core.incoming import IncomingDocument, IncomingSpan
from factmark.core.project import Project
from factmark.ui import file_dialogs
from factmark.ui.dialogs.import_report import ReportDialog
from factmark.ui.panels.previously_checked import EMPTY_ARCHIVE
from tests.core.archive_samples import BASE, write_samples
from tests.ui.helpers import click_at
from tests.ui.test_jobs import answer_modal

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
    shown = listed.shown_text()
    assert "1. <b>False</b> · FactDesk · 2021-01-15" in shown
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
    qtbot.waitUntil(lambda: "<i>linked</i>" in listed.rows[0].head.text())
    assert not listed.rows[0].button.isEnabled()
    out = tmp_path / "out.jsonl"
    export(window.project, "jsonl", out, Selection(statuses=frozenset({"new", "in_progress"})))
    assert '"fact_check_url":"https://checks.example/en/vaccine-microchips"' in out.read_text()
    card = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert (
        "| claims linked to an earlier fact-check (`fact_check_url`, `fact_check_rating`) | 1 |"
        in card
    )

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
    shown = listed.shown_text()
    assert "<img" not in shown and "<script>" not in shown
    assert "&lt;i&gt;False&lt;/i&gt;" in shown and "Desk &amp; &lt;Co&gt;" in shown
    assert "&lt;img src=x&gt; <u>vaccines</u> &amp; <u>microchips</u> &lt;b&gt;" in shown


def press(qtbot: QtBot, window, key: str) -> None:  # type: ignore[no-untyped-def]
    window.article_view.setFocus()
    qtbot.keySequence(window.article_view, QKeySequence(key))


def test_any_match_is_linked_by_its_key_or_its_button_one_undo_step_each(
    open_window, qtbot: QtBot, tmp_path: Path
) -> None:
    """The claim shares "vaccines" with the DNA review and "people" with the dead-voters
    one (each word in two English reviews, so the same weight); the DNA review is the
    shorter, so BM25 ranks it second and the dead voters third."""
    path = claim_project(tmp_path / "pick.factmark", tmp_path / "archive")
    window = open_on_claim(open_window, qtbot, path)
    span_id = window.article_view.selected_span_id
    listed = window.details.previously_checked
    qtbot.waitUntil(lambda: len(listed.entries) == 3, timeout=15000)
    assert [m.review.url for m in listed.entries] == [
        f"{BASE}/en/vaccine-microchips",
        f"{BASE}/en/vaccine-dna",
        f"{BASE}/en/dead-voters",
    ]
    assert [row.head.text()[:3] for row in listed.rows] == ["1. ", "2. ", "3. "]

    def stored() -> dict[str, object]:
        with Project.open(path, readonly=True) as fresh:
            return dict(fresh.span(span_id).attrs)

    press(qtbot, window, spec("linkFactCheck2").keys[0])
    assert stored() == {"fact_check_url": f"{BASE}/en/vaccine-dna", "fact_check_rating": "2/5"}
    qtbot.waitUntil(lambda: "<i>linked</i>" in listed.rows[1].head.text())
    # The mouse: the third row's Link button.
    third = listed.rows[2].button
    qtbot.mouseClick(third, Qt.MouseButton.LeftButton)
    assert stored() == {"fact_check_url": f"{BASE}/en/dead-voters", "fact_check_rating": "False"}
    press(qtbot, window, "Ctrl+Z")
    assert stored()["fact_check_url"] == f"{BASE}/en/vaccine-dna"
    press(qtbot, window, "Ctrl+Z")
    assert stored() == {}
    press(qtbot, window, spec("linkFactCheck").keys[1])  # Alt+1: the best
    assert stored()["fact_check_url"] == f"{BASE}/en/vaccine-microchips"


class Browser(QObject):
    """Stands in for the system's browser: Qt hands it the URLs it is asked to open."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.opened.append(url.toString())


def test_a_click_on_the_review_site_opens_the_review_in_the_browser(
    open_window, qtbot: QtBot, tmp_path: Path
) -> None:
    path = claim_project(tmp_path / "browse.factmark", tmp_path / "archive")
    window = open_on_claim(open_window, qtbot, path)
    listed = window.details.previously_checked
    qtbot.waitUntil(lambda: len(listed.entries) == 3, timeout=15000)
    site = listed.rows[1].site
    window.resize(1366, 768)  # a laptop's screen: the address whole (a narrow column elides it)
    qtbot.waitUntil(lambda: site.text() == '<a href="#review">checks.example/en/vaccine-dna</a>')
    browser = Browser()
    for scheme in ("http", "https"):
        QDesktopServices.setUrlHandler(scheme, browser, "open")
    try:
        qtbot.mouseClick(site, Qt.MouseButton.LeftButton, pos=QPoint(4, site.height() // 2))
    finally:
        for scheme in ("http", "https"):
            QDesktopServices.unsetUrlHandler(scheme)
    assert browser.opened == [f"{BASE}/en/vaccine-dna"]


def test_an_empty_archive_takes_one_line_and_its_link_adds_an_archive(
    open_window, qtbot: QtBot, tmp_path: Path, monkeypatch
) -> None:
    path = claim_project(tmp_path / "empty.factmark", None)
    window = open_on_claim(open_window, qtbot, path)
    listed = window.details.previously_checked
    qtbot.waitUntil(lambda: listed.add_link.isVisible(), timeout=15000)
    assert not listed.box.isVisible()
    # On a laptop's screen it takes one line (a narrower side column wraps it).
    window.resize(1366, 768)
    line = window.details.fontMetrics().height()
    qtbot.waitUntil(lambda: listed.height() < 2 * line)  # not more for an empty archive
    span_id = window.article_view.selected_span_id
    press(qtbot, window, spec("linkFactCheck").keys[0])
    assert window.project.span(span_id).attrs == {}
    assert window.statusBar().currentMessage() == EMPTY_ARCHIVE

    files = write_samples(tmp_path / "archive")
    chosen = [str(files["jsonld"]), str(files["csv"])]
    asked: list[str] = []

    def choose(parent: QWidget, title: str, folder: str, kinds: str) -> tuple[list[str], str]:
        asked.append(title)
        assert "*.jsonld" in kinds and "*.csv" in kinds and "*.html" in kinds
        return chosen, kinds

    monkeypatch.setattr(file_dialogs, "open_file_names", choose)
    seen: list = []
    timer = answer_modal(qtbot, ReportDialog, seen)
    try:
        link = listed.add_link
        qtbot.mouseClick(link, Qt.MouseButton.LeftButton, pos=QPoint(4, link.height() // 2))
    finally:
        timer.stop()
    assert asked == ["Add fact-check archive"]
    report = seen[0].text()
    assert "claimreviews.jsonld: added 5, updated 0, refused 3 (ClaimReview JSON-LD)" in report
    assert "archive.csv: added 10, updated 0, refused 2" in report
    assert "claimreviews.jsonld: item 6: error: no URL" in report
    # The claim shown is matched again at once.
    qtbot.waitUntil(lambda: len(listed.entries) > 0, timeout=15000)
    assert listed.entries[0].review.url == f"{BASE}/en/vaccine-microchips"


def test_file_menu_adds_a_fact_check_archive_with_the_per_file_report(
    open_window, qtbot: QtBot, tmp_path: Path, monkeypatch
) -> None:
    path = claim_project(tmp_path / "menu.factmark", None)
    window = open_window(path)
    files = write_samples(tmp_path / "archive")
    bad = tmp_path / "notes.json"
    bad.write_text("{ not json", encoding="utf-8")
    monkeypatch.setattr(
        file_dialogs,
        "open_file_names",
        lambda *args: ([str(files["feed"]), str(files["page"]), str(bad)], ""),
    )
    menu = window.action_table.menus["File"]
    action = next(a for a in menu.actions() if a.text() == "Add fact-check &archive…")
    seen: list = []
    timer = answer_modal(qtbot, ReportDialog, seen)
    try:
        menu.popup(window.mapToGlobal(QPoint(0, 0)))
        qtbot.waitUntil(menu.isVisible)
        qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())
        qtbot.waitUntil(lambda: bool(seen), timeout=15000)
    finally:
        timer.stop()
    dialog = seen[0]
    assert dialog.windowTitle() == "Fact-check archive report"
    lines = [dialog.lines.item(n).text() for n in range(dialog.lines.count())]
    # Paths under the folder the files share, as the import report shows them.
    assert lines[0] == "archive/feed.json: added 5, updated 0, refused 1 (ClaimReview JSON-LD)"
    assert lines[1] == "archive/feed.json: item 6: error: claim holds NUL (binary data)"
    assert lines[2].startswith("archive/eiffel-check.html: added 2, updated 0, refused 1")
    assert lines[3] == "archive/eiffel-check.html: JSON-LD block 1: error: not JSON"
    assert lines[4].startswith("notes.json: error: not JSON")
    assert len(lines) == 5
    assert dialog.summary.text().startswith("Added 7 fact-checks and updated 0 from 3 files")
    with Project.open(path, readonly=True) as fresh:
        from factmark.core.archive import archive_size

        assert archive_size(fresh) == 7


def test_the_list_follows_an_archive_added_to_while_the_window_is_open(
    open_window, qtbot: QtBot, tmp_path: Path
) -> None:
    """``factmark archive add`` beside the window: the next selection rebuilds the index."""
    path = claim_project(tmp_path / "grows.factmark", None)
    window = open_on_claim(open_window, qtbot, path)
    listed = window.details.previously_checked
    qtbot.waitUntil(lambda: listed.add_link.isVisible(), timeout=15000)
    with Project.open(path) as other:  # another process's connection
        for file in write_samples(tmp_path / "archive").values():
            add_reviews(other, (r for _, r in read_archive_file(file).reviews), file.name)
    window.selection.select(None)
    click_at(qtbot, window.article_view, TEXT.index(CLAIM) + 5)
    qtbot.waitUntil(lambda: len(listed.entries) > 0, timeout=15000)
    assert listed.entries[0].review.url == f"{BASE}/en/vaccine-microchips"


def test_chinese_matches_are_underlined_pair_by_pair(
    open_window, qtbot: QtBot, tmp_path: Path
) -> None:
    """A Chinese claim in the window: the review's characters that the claim shares (as
    pairs) are underlined, the others not, and neighbouring pairs run together."""
    text = "网上流传说新冠疫苗里面有追踪芯片。"
    claim = "新冠疫苗里面有追踪芯片"
    path = tmp_path / "zh.factmark"
    with Project.open(path) as project:
        start = text.index(claim)
        project.add_document(
            IncomingDocument(
                text,
                title="芯片",
                meta={"lang": "zh"},
                spans=[IncomingSpan(start, start + len(claim), "claim", "ana")],
            )
        )
        add_reviews(
            project,
            [Review(url=f"{BASE}/zh/chips", claim="疫苗含有追踪芯片", language="zh")],
            "zh.csv",
        )
    window = open_window(path)
    view = window.article_view
    qtbot.waitUntil(lambda: view.text == text)
    click_at(qtbot, view, text.index(claim) + 3)
    listed = window.details.previously_checked
    qtbot.waitUntil(lambda: len(listed.entries) == 1, timeout=15000)
    # 疫苗 and 有追 追踪 踪芯 芯片 are shared; 苗含 and 含有 are not, so 含 alone is not
    # underlined (有 is, in 有追).
    assert listed.rows[0].claim.text() == "<u>疫苗</u>含<u>有追踪芯片</u>"
