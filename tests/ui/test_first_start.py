"""A new user's first start: the default project, created with the seed article."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPlainTextEdit, QTableView

from factmark.core.workspace import default_project_path

REPO = Path(__file__).resolve().parents[2]
SEED = (REPO / "seeds" / "bakhmut-counterattack.txt").read_text(encoding="utf-8")


def test_first_start_shows_the_seed_article(open_window) -> None:
    assert not default_project_path().exists()
    window = open_window()
    assert default_project_path().exists()

    article = window.findChild(QPlainTextEdit, "articleView")
    documents = window.findChild(QTableView, "documentList")
    spans = window.findChild(QTableView, "spanList")
    assert article is not None and documents is not None and spans is not None
    assert article.toPlainText() == SEED
    assert article.isReadOnly()
    model = documents.model()
    assert model.rowCount() == 6
    assert model.index(0, 0).data() == "Bakhmut counterattack"
    assert model.index(0, 1).data() == "New"
    assert documents.currentIndex().row() == 0


def test_second_start_reopens_without_seeding_again(open_window) -> None:
    first = open_window()
    count = first.document_list.model().rowCount()
    first.close()
    first.project.close()
    second = open_window()
    assert second.document_list.model().rowCount() == count


def test_clicking_a_document_shows_its_text(open_window, qtbot) -> None:
    window = open_window()
    documents = window.document_list
    row = next(
        r
        for r in range(documents.model().rowCount())
        if "Харкова" in documents.model().index(r, 0).data()
    )
    rect = documents.visualRect(documents.model().index(row, 0))
    qtbot.mouseClick(documents.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.article_view.toPlainText().startswith("Мер Харкова заявив")
    assert "\r" not in window.article_view.toPlainText()
