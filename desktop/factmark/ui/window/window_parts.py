"""What the main window's mixins use of the window, spelled out once for type checkers.

The mixins (``window_documents``, ``window_spans``, ``window_links``, ``window_suggestions``,
``window_dialogs``, ``window_files``) are plain classes that only hold methods: ``MainWindow``
inherits them before ``QMainWindow`` and creates all the state in its ``__init__``. At run
time ``WindowParts`` is ``object``, so no mixin has a Qt base. To a type checker it is a
``QMainWindow`` with that state and with the methods one part calls on another.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QMainWindow, QTableView

    from factmark.core.model import Document, Relation
    from factmark.core.project import Project
    from factmark.ui.article.article_view import ArticleView
    from factmark.ui.background.suggestions import Suggestions
    from factmark.ui.models.tables import SpanListModel
    from factmark.ui.panels.details_panel import DetailsPanel
    from factmark.ui.panels.document_panel import DocumentPanel
    from factmark.ui.panels.relations_panel import RelationsPanel
    from factmark.ui.window.annotation import Annotation
    from factmark.ui.window.settings import Settings

    class WindowParts(QMainWindow):
        project: Project
        settings: Settings
        current: Document | None
        documents: DocumentPanel
        article_view: ArticleView
        spans: SpanListModel
        span_list: QTableView
        relations: RelationsPanel
        details: DetailsPanel
        annotation: Annotation
        suggestions: Suggestions
        actions_by_name: dict[str, QAction]
        link_from: int | None
        _relations: list[Relation]

        def show_problem(self, message: str) -> None: ...
        def show_document(self, document_id: int | None) -> None: ...
        def select_span(self, span_id: int | None) -> None: ...
        def cancel_link(self) -> None: ...
        def _refresh_relations(self) -> None: ...
        def _refresh_suggestions(self) -> None: ...
        def _update_titles(self) -> None: ...
        def _open_first_document(self) -> None: ...
        def open_project_file(self, path: Path) -> bool: ...

else:
    WindowParts = object
