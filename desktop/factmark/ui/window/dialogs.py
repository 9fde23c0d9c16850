"""Dialogs about the project (labels, statistics, agreement), the annotator's name and the
F1 list."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QMainWindow, QMessageBox

from factmark import __version__
from factmark.core.model import ValidationError
from factmark.ui.article.article_view import ArticleView
from factmark.ui.plain import escape, plain_tip
from factmark.ui.window.actions import ActionTable
from factmark.ui.window.session import Session
from factmark.ui.window.settings import Settings


class ProjectDialogs:
    """The dialogs the menus open; each is imported when first opened, to keep them out
    of the window's start."""

    def __init__(
        self, window: QMainWindow, session: Session, settings: Settings, actions: ActionTable
    ) -> None:
        self.window = window
        self.session = session
        self.settings = settings
        self.action_table = actions

    def labels(self) -> None:
        from factmark.ui.dialogs.labels_dialog import LabelsDialog

        # Its edits are undo steps of the window: Ctrl+Z undoes them once it is closed.
        LabelsDialog(self.session.project, self.window, self.session.perform).exec()

    def statistics(self) -> None:
        from factmark.ui.dialogs.stats_dialog import StatsDialog

        StatsDialog(self.session.project, self.window).exec()

    def agreement(self) -> None:
        """View > Agreement: the figures counted in the background (Cancel stops it), then
        shown window-modal; a disagreement chosen in it opens its place."""
        from factmark.ui.dialogs.progress import run_agreement
        from factmark.ui.dialogs.team_dialogs import AgreementDialog

        outcome = run_agreement(self.window, self.session.project.path)
        if outcome.figures is None:  # cancelled, or the error was shown
            if outcome.cancelled:
                self.window.statusBar().showMessage("Agreement cancelled", 5000)
            return
        dialog = AgreementDialog(self.session.project, outcome.figures, self.window, outcome.report)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.place_chosen.connect(self.open_place)
        dialog.document_chosen.connect(self.open_compared)
        dialog.open()

    def open_compared(self, uid: str) -> None:
        """Show a compared document (by its uid) in review mode."""
        document_id = self.session.project.document_id(uid)
        if document_id is not None:
            self.open_place(document_id, 0, 0)

    def open_place(
        self, document_id: int, start: int, end: int, entry: dict[str, Any] | None = None
    ) -> None:
        """Show a document in review mode (colour by annotator) where annotators
        disagreed: a disagreement's (``entry``) disputed span selected, ready for G or X
        (see ``adjudication.disputed_span``), else ``[start, end)`` selected as text."""
        self.session.show_document(document_id)
        review = self.action_table["reviewMode"]
        if not review.isChecked():  # on already: its colours follow the document shown
            review.setChecked(True)
        view = self.window.findChild(ArticleView, "articleView")
        if view is None:
            return
        from factmark.core.adjudication import disputed_span  # not on the start path

        span = disputed_span(entry, view.spans) if entry is not None else None
        selection = getattr(self.window, "selection", None)
        if span is not None and selection is not None:
            view.clear_selection()
            selection.select(span.id)
            view.select_span(span.id)  # scrolled into view
        else:
            view.select_range(start, end)
        view.setFocus()

    def ask_annotator(self, first_time: bool = False) -> bool:
        """Ask for the annotator name (prefilled with the current one); True if set."""
        prompt = (
            "Your name or initials, recorded on every span you make:"
            if first_time
            else "Annotator name recorded on new spans:"
        )
        name, ok = QInputDialog.getText(
            self.window, "Annotator", prompt, text=self.settings.annotator()
        )
        if not ok or not name.strip():
            return False
        try:
            self.settings.set_annotator(name)
        except ValidationError as error:
            QMessageBox.warning(self.window, "Annotator", plain_tip(str(error)))
            return False
        return True

    def shortcuts(self) -> None:
        """The F1 list: every key of the window, from the action table."""
        from factmark.ui.dialogs.shortcuts import ShortcutsDialog

        rows = [(row.text, row.keys) for row in self.action_table.shortcut_rows()]
        ShortcutsDialog(rows, self.window).exec()

    def about(self) -> None:
        QMessageBox.about(
            self.window,
            "About Factmark",
            f"<b>Factmark {escape(__version__)}</b><p>Offline annotation of news articles "
            "for fact-checking corpora.</p>",
        )
