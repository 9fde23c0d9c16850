"""File > Export corpus: the same choices as ``factmark export``, in a dialog."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSize, QStandardPaths
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QWidget,
)

from factmark.core.exporting import FORMATS, sentences, unavailable
from factmark.core.exporting.base import Selection, Split, left_out_line
from factmark.core.exporting.grouping import field_name
from factmark.core.exporting.pseudonyms import ensure_key
from factmark.core.model import STATUSES, ValidationError
from factmark.core.project import Project, ProjectError
from factmark.ui import file_dialogs
from factmark.ui.dialogs.export_choices import ExportChoices, ExportMemory
from factmark.ui.dialogs.fit import fit_to_screen, scrolling
from factmark.ui.models.tables import STATUS_NAMES
from factmark.ui.plain import plain_warning

NESTED_POLICIES = {
    "outermost": "keep the outermost of nested spans",
    "innermost": "keep the innermost of nested spans",
    "per-label": "one file per label (nesting across labels kept)",
}


class ExportDialog(QDialog):
    """Options of an export: format, documents, labels, split, output.

    With a ``memory`` (the window's settings), the dialog opens with the choices of the
    project's last export that wrote files, where they still hold, and remembers those
    of each export it writes; without one it opens with the defaults every time.
    """

    def __init__(
        self,
        project: Project,
        parent: QWidget | None = None,
        *,
        memory: ExportMemory | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle("Export corpus")
        self.project = project
        self.memory = memory
        self.result_message = ""

        self.format = QComboBox(self)
        self.format.setObjectName("exportFormat")
        # Every format the command line knows; one that needs what is not installed (spaCy
        # for spacy, attribution and sentences) says so, and what to install, when chosen.
        self.missing = {name: unavailable(name) for name in FORMATS}
        for name, module in FORMATS.items():
            why = self.missing[name]
            self.format.addItem(f"{name} (not installed)" if why else name, name)
            tip = _sentence(why) if why else module.DESCRIPTION
            self.format.setItemData(self.format.count() - 1, tip, 3)  # tooltip
        self.format_help = _WrappedLabel(self)
        self.nested = QComboBox(self)
        self.nested.setObjectName("exportNested")
        for name, text in NESTED_POLICIES.items():
            self.nested.addItem(f"{name}: {text}", name)
        self.scheme = QComboBox(self)
        self.scheme.setObjectName("exportSentencesScheme")
        for name, text in sentences.SCHEMES.items():
            self.scheme.addItem(f"{name}: {text}", name)

        self.statuses = {status: QCheckBox(STATUS_NAMES[status], self) for status in STATUSES}
        self.statuses["done"].setChecked(True)
        self.labels = {label.name: QCheckBox(label.name, self) for label in project.labels()}
        for box in self.labels.values():
            box.setChecked(True)

        self.layer = QComboBox(self)
        self.layer.setObjectName("exportLayer")
        self.layer.addItem("every annotator's spans", "")
        self.layer.addItem("the gold layer (adjudicated)", "gold")
        self.layer.addItem("the majority vote of the annotators", "majority")
        for name in project.annotators():
            if name != "gold":
                self.layer.addItem(f"only {name}'s spans", f"annotator:{name}")
        self.split_on = QCheckBox("Split by document", self)
        self.split_on.setObjectName("exportSplitOn")
        self.split = QLineEdit("train=0.8,dev=0.1,test=0.1", self)
        self.split.setObjectName("exportSplit")
        self.split.setMinimumWidth(
            self.fontMetrics().horizontalAdvance("train=0.8,dev=0.1,test=0.1 ")
        )
        self.seed = QSpinBox(self)
        self.seed.setObjectName("exportSeed")
        self.seed.setRange(0, 2**31 - 1)
        self.seed.setPrefix("seed ")
        self.seed.setMaximumWidth(self.fontMetrics().horizontalAdvance("seed 0000000000") + 30)
        # 0: an empty part is written and warned about; N: such an export is refused.
        self.min_per_part = QSpinBox(self)
        self.min_per_part.setObjectName("exportMinPerPart")
        self.min_per_part.setRange(0, 1_000_000)
        self.min_per_part.setPrefix("at least ")
        self.min_per_part.setSuffix(" per part")
        self.min_per_part.setSpecialValueText("parts may be empty")
        self.min_per_part.setToolTip(
            "Refuse the export (nothing written) when a part would get fewer documents"
        )
        # A split by group: documents sharing a metadata value stay in one part.
        # Editable: the fields offered are those of the latest documents; any can be typed.
        self.split_by = QComboBox(self)
        self.split_by.setObjectName("exportSplitBy")
        self.split_by.setEditable(True)
        self.split_by.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.split_by.addItem("")
        for key in project.meta_keys():
            if key.isprintable():
                self.split_by.addItem(f"meta.{key}")
        line = self.split_by.lineEdit()
        assert line is not None  # an editable combo box has one
        line.setPlaceholderText("meta.FIELD, or empty: each document placed on its own")
        self.split_by.setToolTip(
            "Keep documents with the same value of this metadata field (meta.outlet, "
            "meta.topic) in one part; a document without the field is a group of its own"
        )
        self.card = QCheckBox("Write a README.md dataset card beside the export", self)
        self.card.setChecked(True)
        self.pseudonymise = QCheckBox(
            "Replace annotator names with pseudonyms (annotator-…, the same in every export)",
            self,
        )
        self.pseudonymise.setObjectName("exportPseudonymise")

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

        self.counts = QLabel(self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, parent=self)
        self._export_button = self.buttons.addButton(
            "Export", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.accepted.connect(self.export)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout(self)
        self.form = form
        form.addRow("Format", self.format)
        form.addRow("", self.format_help)
        form.addRow("Nested spans", self.nested)
        form.addRow("Sentence labels", self.scheme)
        form.addRow("Documents", _row(self.statuses.values()))
        form.addRow("Labels", self._label_grid())
        form.addRow("Spans", self.layer)
        form.addRow("Split", _row([self.split_on, self.split, self.seed, self.min_per_part]))
        form.addRow("Keep together", self.split_by)
        form.addRow("Save as", _row([self.output, browse]))
        form.addRow("", self.card)
        form.addRow("", self.pseudonymise)
        form.addRow(self.counts)
        form.addRow(self.buttons)

        if memory is not None:
            self._propose(memory.export_choices(project.path))
        for box in [*self.statuses.values(), *self.labels.values()]:
            box.toggled.connect(lambda _on: self._update_counts())
        self.layer.currentIndexChanged.connect(lambda _i: self._update_counts())
        self.split_on.toggled.connect(lambda _on: self._update_enabled())
        self.format.currentIndexChanged.connect(lambda _i: self._format_changed())
        self.scheme.currentIndexChanged.connect(lambda _i: self._format_changed())
        self._format_changed()
        fit_to_screen(self)
        self._update_counts()

    # -- what the boxes say ----------------------------------------------------

    def selection(self) -> Selection:
        """What the ticked boxes select (all labels ticked: no label filter)."""
        statuses = frozenset(s for s, box in self.statuses.items() if box.isChecked())
        labels = frozenset(n for n, box in self.labels.items() if box.isChecked())
        layer = self.layer.currentData() or ""
        annotators = (
            frozenset({"gold"})
            if layer == "gold"
            else (
                frozenset({layer.split(":", 1)[1]})
                if layer.startswith("annotator:")
                else frozenset()
            )
        )
        return Selection(
            statuses,
            frozenset() if len(labels) == len(self.labels) else labels,
            annotators,
            majority=layer == "majority",
        )

    def chosen_split(self) -> Split | None:
        """The split asked for, or None; raises ValidationError for a badly written one."""
        if not self.split_on.isChecked():
            return None
        return Split.parse(
            self.split.text(),
            self.seed.value(),
            self.min_per_part.value(),
            self.split_by.currentText().strip() or None,
        )

    def options(self) -> dict[str, str]:
        fmt = self.format.currentData()
        chosen = {}
        if fmt == "conll":
            chosen["nested"] = self.nested.currentData()
        if fmt == "sentences":
            chosen["scheme"] = self.scheme.currentData()
        if self.pseudonymise.isChecked():
            chosen["pseudonymise"] = "annotators"
        return chosen

    def choices(self) -> ExportChoices:
        """What the boxes say, as remembered after an export (the labels are not)."""
        return ExportChoices(
            format=self.format.currentData(),
            folder=Path(self.output.text()).absolute().parent,
            nested=self.nested.currentData(),
            scheme=self.scheme.currentData(),
            statuses=frozenset(s for s, box in self.statuses.items() if box.isChecked()),
            layer=self.layer.currentData(),
            split_on=self.split_on.isChecked(),
            split=self.split.text(),
            seed=self.seed.value(),
            min_per_part=self.min_per_part.value(),
            split_by=self.split_by.currentText().strip(),
            card=self.card.isChecked(),
            pseudonymise=self.pseudonymise.isChecked(),
        )

    def _propose(self, remembered: ExportChoices) -> None:
        """Set the boxes to the remembered choices that still hold; any other (a format
        not installed here, a folder gone, a spans layer whose annotator left, a value
        hand-edited into nonsense) keeps its default, silently."""
        fmt = remembered.format
        for combo, data in (
            (self.format, fmt if fmt in self.missing and not self.missing[fmt] else None),
            (self.nested, remembered.nested),
            (self.scheme, remembered.scheme),
            (self.layer, remembered.layer),
        ):
            index = combo.findData(data) if data is not None else -1
            if index >= 0:
                combo.setCurrentIndex(index)
        if remembered.statuses and remembered.statuses <= set(self.statuses):
            for status, box in self.statuses.items():
                box.setChecked(status in remembered.statuses)
        for box, on in (
            (self.split_on, remembered.split_on),
            (self.card, remembered.card),
            (self.pseudonymise, remembered.pseudonymise),
        ):
            if on is not None:
                box.setChecked(on)
        for spin, value in (
            (self.seed, remembered.seed),
            (self.min_per_part, remembered.min_per_part),
        ):
            if value is not None and spin.minimum() <= value <= spin.maximum():
                spin.setValue(value)
        split, split_by = remembered.split, remembered.split_by
        if split is not None and _valid(Split.parse, split):
            self.split.setText(split)
        if split_by is not None and (split_by == "" or _valid(field_name, split_by)):
            self.split_by.setEditText(split_by)
        if remembered.folder is not None and remembered.folder.is_dir():
            # The project's own name; _format_changed gives it the format's suffix.
            self.output.setText(str(remembered.folder / f"{self.project.path.stem}.jsonl"))

    # -- reactions -------------------------------------------------------------

    def _format_changed(self) -> None:
        fmt = self.format.currentData()
        module = FORMATS[fmt]
        why = self.missing[fmt]
        help_text = module.DESCRIPTION + (" (a folder)" if module.SUFFIX == "" else "")
        # What to install, as the command line says it, under what the format gives.
        self.format_help.setText(f"{help_text}\n{_sentence(why)}" if why else help_text)
        path = Path(self.output.text())
        # Only an export's own suffix gives way: a folder or project named news.2024 keeps
        # its whole name (news.2024.jsonl, not news.jsonl).
        known = {m.SUFFIX for m in FORMATS.values()} | set(sentences.SUFFIXES.values())
        stem = path.name.removesuffix(path.suffix) if path.suffix in known - {""} else path.name
        suffix = module.SUFFIX
        if fmt == "sentences":  # TSV or JSONL, by the scheme chosen
            suffix = sentences.SUFFIXES[self.scheme.currentData()]
        self.output.setText(str(path.with_name(stem + suffix)))
        self._update_enabled()
        if self.isVisible():
            self._fit_height()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit_height()  # the wrapped description's lines are known once laid out

    def _fit_height(self) -> None:
        """As tall as the rows shown need at the dialog's width: no empty room where a
        row was hidden or a longer description was."""
        for _ in range(3):  # a row shown or hidden moves the column: its width settles
            self.form.activate()
        fit_to_screen(self, self.width(), self.sizeHint().height())

    def _update_enabled(self) -> None:
        fmt = self.format.currentData()
        # A choice only one format has is shown with that format only.
        shown = {self.nested: fmt == "conll", self.scheme: fmt == "sentences"}
        for combo, on in shown.items():
            combo.setEnabled(on)
            self.form.setRowVisible(combo, on)
        self._export_button.setEnabled(not self.missing[fmt])
        self.split.setEnabled(self.split_on.isChecked())
        self.seed.setEnabled(self.split_on.isChecked())
        self.min_per_part.setEnabled(self.split_on.isChecked())
        self.split_by.setEnabled(self.split_on.isChecked())

    def _update_counts(self) -> None:
        from factmark.core.exporting.base import not_adjudicated

        counts = self.project.status_counts()
        chosen = sum(counts[s] for s, box in self.statuses.items() if box.isChecked())
        # The gold layer alone leaves out the documents nobody adjudicated (as the export does).
        left_out = not_adjudicated(self.project, self.selection()) if chosen else 0
        text = f"{chosen - left_out:,} of {sum(counts.values()):,} documents will be exported"
        if left_out:
            text += f" ({left_out:,} of the chosen statuses have no gold span)"
        self.counts.setText(text + ".")

    def _browse(self) -> None:
        if FORMATS[self.format.currentData()].SUFFIX == "":
            path = file_dialogs.existing_directory(self, "Export into folder", self.output.text())
        else:
            path, _ = file_dialogs.save_file_name(self, "Export corpus", self.output.text())
        if path:
            self.output.setText(path)

    def _label_grid(self) -> QWidget:
        """The label boxes in rows of a few; a long list scrolls."""
        grid_widget = QWidget(self)
        grid = QGridLayout(grid_widget)
        grid.setContentsMargins(0, 0, 0, 0)
        for n, box in enumerate(self.labels.values()):
            grid.addWidget(box, n // LABEL_COLUMNS, n % LABEL_COLUMNS)
        rows = -(-len(self.labels) // LABEL_COLUMNS)
        if rows <= LABEL_ROWS_SHOWN:
            return grid_widget
        area = scrolling(grid_widget, self)
        row_height = grid_widget.sizeHint().height() / rows
        area.setFixedHeight(round(row_height * LABEL_ROWS_SHOWN))
        return area

    def export(self) -> None:
        """Run the export in the background; report the result and close on success."""
        from factmark.ui.dialogs.progress import quitting, run_export

        if not any(box.isChecked() for box in self.statuses.values()):
            QMessageBox.warning(self, "Export", "Tick at least one document status.")
            return
        try:
            split = self.chosen_split()
            if self.pseudonymise.isChecked():
                ensure_key(self.project)  # the export reads the project's key read-only
        except (ValidationError, ProjectError) as error:
            plain_warning(self, "Export", str(error))
            return
        outcome = run_export(
            self,
            self.project.path,
            self.format.currentData(),
            Path(self.output.text()),
            self.selection(),
            split=split,
            options=self.options(),
            card=self.card.isChecked(),
            show_errors=False,
        )
        if quitting():  # the export cancelled to quit: the window closes at once
            return
        if outcome.error:
            self.result_message = outcome.error
            plain_warning(self, "Export failed", outcome.error)
            return
        if outcome.cancelled:
            # The choices stay on screen to change or run again; the window says so.
            self.result_message = outcome.summary()
            self._tell_window()
            return
        result = outcome.result
        assert result is not None  # an export neither failed nor cancelled has a result
        if self.memory is not None:
            self.memory.set_export_choices(self.project.path, self.choices())
        self.result_message = f"Exported {result.wrote()} to {result.path}."
        if result.not_adjudicated:
            left_out = left_out_line(result.not_adjudicated)
            self.result_message += f" {left_out[0].upper()}{left_out[1:]}."
        if result.pooled:
            self.result_message += f" {result.pooled[0].upper()}{result.pooled[1:]}."
        if result.warnings:
            # A status bar message fades: what must not be missed gets a box too.
            self.result_message += " Warning: " + " ".join(
                warning[0].upper() + warning[1:] + "." for warning in result.warnings
            )
            plain_warning(self, "Export", self.result_message)
        self._tell_window()
        self.accept()

    def _tell_window(self) -> None:
        """The result message in the window's status bar, for ten seconds."""
        parent = self.parent()
        if parent is not None and hasattr(parent, "statusBar"):
            parent.statusBar().showMessage(self.result_message, 10000)


LABEL_COLUMNS = 4  # label boxes a line: many labels make rows, not a wider dialog
LABEL_ROWS_SHOWN = 6  # more rows than this scroll


class _WrappedLabel(QLabel):
    """A word-wrapped label whose height is that of its lines at its width (a form gives
    a plain one the height of its size hint, made for a narrower width)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWordWrap(True)

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        if self.isVisible():  # laid out: its width is the one it shows
            hint.setHeight(self.heightForWidth(self.width()))
        return hint

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.updateGeometry()  # its height follows its new width


def _sentence(text: str) -> str:
    """``text`` begun with a capital and ended with a full stop, for a label."""
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def _valid(check: Callable[[str], object], text: str) -> bool:
    """Whether ``check(text)`` accepts the text (raises no ValidationError)."""
    try:
        check(text)
    except ValidationError:
        return False
    return True


def _row(widgets) -> QHBoxLayout:  # type: ignore[no-untyped-def]
    layout = QHBoxLayout()
    for widget in widgets:
        layout.addWidget(widget)
    return layout
