"""The per-file import report shown after File > Import or a drop of files."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPalette, QPixmap
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QListWidgetItem, QStyle, QWidget

from factmark.core.archive_files import ArchiveFileReport
from factmark.core.importing import FileReport, added_labels_line, keyless_labels_line
from factmark.core.safe_text import printable
from factmark.ui.background.jobs import ArchiveOutcome, ImportOutcome
from factmark.ui.dialogs.report_lines import LinesDialog
from factmark.ui.plain import plain_tip


class ReportDialog(LinesDialog):
    """The per-file import report: a summary line and every report line, errors marked.

    Paths are shown relative to the folder all files share (named above the list);
    Copy puts the full lines on the clipboard. When documents were refused for labels
    the project lacks, the dialog names them and offers to add them and import again:
    it then ends with :attr:`IMPORT_AGAIN`.
    """

    IMPORT_AGAIN = 2  # the result when "Add these labels and import again" was chosen

    def __init__(
        self,
        outcome: ImportOutcome | ArchiveOutcome | Sequence[FileReport],
        parent: QWidget | None = None,
        title: str = "Import report",
    ) -> None:
        if not isinstance(outcome, ImportOutcome | ArchiveOutcome):
            outcome = ImportOutcome(reports=list(outcome), total_files=len(outcome))
        troubled = bool(outcome.failed_files or outcome.error or outcome.cancelled)
        super().__init__(parent, title, outcome.summary(), troubled=troubled)
        self.outcome = outcome
        self.setObjectName("importReport")
        self.summary.setObjectName("importSummary")
        folder = _shared_folder(outcome.reports)
        self.folder = QLabel(f"Files in {folder}" if folder else "", self)
        self.folder.setObjectName("importFolder")
        self.folder.setTextFormat(Qt.TextFormat.PlainText)
        self.folder.setVisible(folder is not None)
        # Only a finished import is offered again: a cancelled one was left on purpose.
        missing = (
            []
            if outcome.cancelled or outcome.error or not isinstance(outcome, ImportOutcome)
            else outcome.unknown_labels
        )
        self.missing_labels = QLabel(
            printable(f"Labels this project does not have: {', '.join(missing)}. ")
            + "Add these labels and import again to bring in the documents refused for them "
            "(those already imported are skipped).",
            self,
        )
        self.missing_labels.setObjectName("importMissingLabels")
        self.missing_labels.setTextFormat(Qt.TextFormat.PlainText)
        self.missing_labels.setWordWrap(True)
        self.missing_labels.setVisible(bool(missing))
        self.added_labels = QLabel(_added_labels_text(outcome), self)
        self.added_labels.setObjectName("importAddedLabels")
        self.added_labels.setTextFormat(Qt.TextFormat.PlainText)
        self.added_labels.setWordWrap(True)
        self.added_labels.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.added_labels.setVisible(bool(self.added_labels.text()))
        self.header.addWidget(self.folder)
        self.header.addWidget(self.added_labels)
        self.header.addWidget(self.missing_labels)

        self.lines.setObjectName("importReportLines")
        self._fill(folder, self.warning)

        self.copy_button.setObjectName("copyReport")
        self.add_labels_button = self.buttons.addButton(
            "Add these labels and import again", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.add_labels_button.setObjectName("addLabelsAndImport")
        self.add_labels_button.setVisible(bool(missing))
        self.add_labels_button.clicked.connect(lambda: self.done(self.IMPORT_AGAIN))

    def _fill(self, folder: Path | None, warning: QIcon) -> None:
        # A blank icon on the other lines keeps every line's text in one column.
        size = self.lines.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        self.lines.setIconSize(QSize(size, size))
        blank = QPixmap(size, size)
        blank.fill(Qt.GlobalColor.transparent)
        error_colour = _error_colour(self.palette())
        for report in self.outcome.reports:
            lines = report.lines()
            first_error = len(lines) - len(report.errors)
            full = str(report.path)
            shown = str(report.path.absolute().relative_to(folder)) if folder else full
            for number, line in enumerate(lines):
                item = QListWidgetItem(shown + line.removeprefix(full), self.lines)
                item.setToolTip(plain_tip(line))
                if number >= first_error:
                    item.setIcon(warning)
                    item.setForeground(error_colour)
                else:
                    item.setIcon(QIcon(blank))

    def text(self) -> str:
        """The summary, the labels added and all lines, as copied."""
        added = [self.added_labels.text()] if self.added_labels.text() else []
        return "\n".join([self.outcome.summary(), *added, *self.outcome.lines()])


def _added_labels_text(outcome: ImportOutcome | ArchiveOutcome) -> str:
    """The labels an import added, each with its key, and where to give one to those
    left without: "" when it added none."""
    added = outcome.added_labels if isinstance(outcome, ImportOutcome) else []
    if not added:
        return ""
    lines = [added_labels_line(added), keyless_labels_line(added, "give them one in Edit > Labels")]
    return " ".join(f"{line[0].upper()}{line[1:]}." for line in lines if line)


def _shared_folder(reports: Sequence[FileReport | ArchiveFileReport]) -> Path | None:
    """The folder holding every reported file, when there is a useful one."""
    try:
        folder = Path(os.path.commonpath([report.path.absolute().parent for report in reports]))
    except ValueError:  # no reports, or paths on different drives
        return None
    return None if folder.parent == folder else folder


def _error_colour(palette: QPalette) -> QColor:
    """A red that reads on the palette's base colour (dark themes get a lighter one)."""
    dark = palette.color(QPalette.ColorRole.Base).lightness() < 128
    return QColor("#ff7b72") if dark else QColor("#b3261e")
