"""The main window's dialogs about the project's labels and figures, and review mode."""

from __future__ import annotations

from factmark.core.model import GOLD
from factmark.ui.window.window_parts import WindowParts

# Annotators in review mode: Okabe-Ito colours not used for labels first.
REVIEW_COLOURS = ("#0072B2", "#D55E00", "#F0E442", "#009E73", "#CC79A7", "#56B4E9", "#E69F00")


class DialogActions(WindowParts):
    """Labels, statistics and agreement dialogs, and review mode, for ``MainWindow``.

    The dialogs are imported when first opened, to keep them out of the window's start.
    Expects of the window: ``project``, ``article_view``, ``spans`` (the span list's model)
    and ``statusBar()``.
    """

    def show_labels(self) -> None:
        from factmark.ui.dialogs.labels_dialog import LabelsDialog

        LabelsDialog(self.project, self).exec()

    def show_statistics(self) -> None:
        from factmark.ui.dialogs.stats_dialog import StatsDialog

        StatsDialog(self.project, self).exec()

    def set_review_mode(self, on: bool) -> None:
        """Review mode colours spans by annotator (gold black) for adjudication."""
        painter = self.article_view.painter
        names = sorted({s.annotator or "" for s in self.spans.spans} - {GOLD})
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
            self.statusBar().showMessage(
                f"Review mode: G accepts the selected span into the gold layer, X rejects it. "
                f"Colours: {legend}",
                15000,
            )

    def show_agreement(self) -> None:
        from factmark.ui.dialogs.team_dialogs import AgreementDialog

        AgreementDialog(self.project, self).exec()
