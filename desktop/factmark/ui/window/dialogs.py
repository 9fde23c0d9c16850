"""Dialogs about the project (labels, statistics, agreement), the annotator's name, the
F1 list, and review mode's colours by annotator."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QMainWindow, QMessageBox

from factmark import __version__
from factmark.core.model import GOLD, ValidationError
from factmark.ui.article.article_view import ArticleView
from factmark.ui.models.tables import SpanListModel
from factmark.ui.plain import escape, plain_tip
from factmark.ui.window.actions import ActionTable
from factmark.ui.window.session import Session
from factmark.ui.window.settings import Settings

# Annotators in review mode: Okabe-Ito colours not used for labels first.
REVIEW_COLOURS = ("#0072B2", "#D55E00", "#F0E442", "#009E73", "#CC79A7", "#56B4E9", "#E69F00")


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

    def open_place(self, document_id: int, start: int, end: int) -> None:
        """Show a document in review mode (colour by annotator) with ``[start, end)``
        selected: where annotators disagreed."""
        self.session.show_document(document_id)
        review = self.action_table["reviewMode"]
        if review.isChecked():
            review.toggled.emit(True)  # recolour for this document's annotators
        else:
            review.setChecked(True)
        view = self.window.findChild(ArticleView, "articleView")
        if view is not None:
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


class ReviewMode:
    """Review mode colours spans by annotator (gold black) for adjudication."""

    def __init__(self, view: ArticleView, model: SpanListModel, window: QMainWindow) -> None:
        self.view = view
        self.model = model
        self.window = window

    def set(self, on: bool) -> None:
        painter = self.view.painter
        names = sorted({s.annotator or "" for s in self.model.spans} - {GOLD})
        painter.annotator_colours = {
            name: REVIEW_COLOURS[n % len(REVIEW_COLOURS)] for n, name in enumerate(names)
        }
        painter.annotator_colours[GOLD] = "#000000"
        painter.by_annotator = on
        painter.rehighlight()
        if on:
            legend = ", ".join(
                f"{name or '(none)'} {colour}" for name, colour in painter.annotator_colours.items()
            )
            self.window.statusBar().showMessage(
                "Review mode: G accepts the selected span into the gold layer, X rejects it. "
                f"Colours: {legend}",
                15000,
            )
