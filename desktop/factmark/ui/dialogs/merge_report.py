"""The report File > Merge projects shows once a merge has ended."""

from __future__ import annotations

from PySide6.QtWidgets import QListWidgetItem, QWidget

from factmark.ui.background.jobs import MergeOutcome
from factmark.ui.dialogs.report_lines import LinesDialog
from factmark.ui.plain import plain_tip

# Summary lines shown above the list at most (many copies merged at once); the list
# below holds every line of the report.
SUMMARY_SHOWN = 6
CANCELLED = "Merge cancelled: the copy being merged was rolled back."


class MergeReportDialog(LinesDialog):
    """What a merge did, however long: what each copy brought (its summary lines, and
    why the merge stopped) at the top, and every line of the report, the rows listed one
    by one included, in the list below. The dialog fits the screen whatever the length."""

    def __init__(self, outcome: MergeOutcome, parent: QWidget | None = None) -> None:
        ending = _ending(outcome)
        said = [*outcome.summary, *ending] or ["Nothing to merge."]
        if len(said) > SUMMARY_SHOWN:
            more = len(said) - SUMMARY_SHOWN + 1
            said = [*said[: SUMMARY_SHOWN - 1], f"... and {more:,} more in the report below"]
        troubled = bool(ending) or any(": error: " in line for line in outcome.summary)
        super().__init__(parent, "Merge projects", "\n".join(said), troubled=troubled)
        self.outcome = outcome
        self.setObjectName("mergeReport")
        self.summary.setObjectName("mergeSummary")
        self.lines.setObjectName("mergeReportLines")
        self.copy_button.setObjectName("copyMergeReport")
        for line in [*outcome.lines, *ending]:
            item = QListWidgetItem(line, self.lines)
            item.setToolTip(plain_tip(line))
        self.lines.setVisible(self.lines.count() > 0)

    def text(self) -> str:
        """Every line of the report, as copied."""
        return "\n".join([*self.outcome.lines, *_ending(self.outcome)]) or self.summary.text()


def _ending(outcome: MergeOutcome) -> list[str]:
    """Why the merge stopped, if it did: its error, its cancel."""
    return ([outcome.error] if outcome.error else []) + ([CANCELLED] if outcome.cancelled else [])
