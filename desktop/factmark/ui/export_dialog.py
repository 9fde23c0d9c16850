"""File > Export corpus: choose format, documents, labels and the output file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QWidget,
)

from factmark.core.exporting import WRITERS
from factmark.core.exporting.base import Selection
from factmark.core.model import STATUSES
from factmark.core.project import Project
from factmark.ui.models import STATUS_NAMES

SUFFIXES = {"jsonl": ".jsonl"}


class ExportDialog(QDialog):
    """Options of an export, the same as ``factmark export`` takes."""

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle("Export corpus")
        self.project = project
        self.format = QComboBox(self)
        self.format.setObjectName("exportFormat")
        for name in WRITERS:
            self.format.addItem(name, name)
        self.statuses = {status: QCheckBox(STATUS_NAMES[status], self) for status in STATUSES}
        self.statuses["done"].setChecked(True)
        status_row = QHBoxLayout()
        for box in self.statuses.values():
            status_row.addWidget(box)
        self.labels = {label.name: QCheckBox(label.name, self) for label in project.labels()}
        label_row = QHBoxLayout()
        for box in self.labels.values():
            box.setChecked(True)
            label_row.addWidget(box)
        self.output = QLineEdit(self)
        self.output.setObjectName("exportPath")
        self.output.setMinimumWidth(self.fontMetrics().horizontalAdvance("x") * 48)
        documents = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        folder = Path(documents) if documents else Path.home()
        self.output.setText(str(folder / f"{project.path.stem}.jsonl"))
        browse = QPushButton("Choose…", self)
        browse.clicked.connect(self._browse)
        output_row = QHBoxLayout()
        output_row.addWidget(self.output)
        output_row.addWidget(browse)
        self.counts = QLabel(self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, parent=self)
        self.buttons.addButton("Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.export)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Format", self.format)
        form.addRow("Documents", status_row)
        form.addRow("Labels", label_row)
        form.addRow("Save as", output_row)
        form.addRow(self.counts)
        form.addRow(self.buttons)
        for box in [*self.statuses.values(), *self.labels.values()]:
            box.toggled.connect(lambda _on: self._update_counts())
        self._update_counts()
        self.result_message = ""

    def selection(self) -> Selection:
        """What the ticked boxes select (all labels ticked: no label filter)."""
        statuses = frozenset(s for s, box in self.statuses.items() if box.isChecked())
        labels = frozenset(n for n, box in self.labels.items() if box.isChecked())
        return Selection(statuses, frozenset() if len(labels) == len(self.labels) else labels)

    def _update_counts(self) -> None:
        counts = self.project.stats()["documents"]
        chosen = sum(counts[s] for s, box in self.statuses.items() if box.isChecked())
        self.counts.setText(f"{chosen} of {sum(counts.values())} documents will be exported.")

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export corpus", self.output.text())
        if path:
            self.output.setText(path)

    def export(self) -> None:
        """Run the export in the background; report the result and close on success."""
        from factmark.ui.jobs import run_export

        if not any(box.isChecked() for box in self.statuses.values()):
            QMessageBox.warning(self, "Export", "Tick at least one document status.")
            return
        outcome = run_export(
            self,
            self.project.path,
            self.format.currentData(),
            Path(self.output.text()),
            self.selection(),
        )
        if outcome.error:
            self.result_message = outcome.error
            QMessageBox.warning(self, "Export failed", outcome.error)
            return
        result = outcome.result
        self.result_message = (
            f"Exported {result.documents} documents, {result.spans} spans "
            f"and {result.relations} relations to {result.path}."
        )
        parent = self.parent()
        if parent is not None and hasattr(parent, "statusBar"):
            parent.statusBar().showMessage(self.result_message, 10000)
        self.accept()
