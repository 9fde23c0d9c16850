"""Team work in the window: merge annotators' copies, and the agreement report."""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from factmark.core.agreement import agreement
from factmark.core.project import Project
from factmark.ui.dialogs.fit import available_area, fit_to_screen, scrolling
from factmark.ui.dialogs.stats_dialog import BarChart

FIGURES = (("exact_f1", "exact F1"), ("overlap_f1", "overlap F1"), ("kappa", "kappa"))


def _cell(value: float | None) -> str:
    """A figure as a table cell, shaded from red (0) to green (1), like a heatmap."""
    if value is None:
        return "<td align='center'>–</td>"
    shade = max(0.0, min(1.0, value))
    red, green = int(230 - 120 * shade), int(120 + 100 * shade)
    return (
        f"<td align='right' style='background-color: rgb({red}, {green}, 120); "
        f"color: #111'>&nbsp;{value:.2f}&nbsp;</td>"
    )


def agreement_html(figures: dict[str, Any]) -> str:
    """The report as HTML: overall, per label, an annotator-pair matrix, documents."""
    if not figures["documents_compared"]:
        return (
            "<p>No document has spans by two or more annotators yet: merge the "
            "annotators' copies first (File &gt; Merge projects).</p>"
        )
    head = "".join(f"<th>{title}</th>" for _, title in FIGURES)

    def rows(items: list[tuple[str, dict[str, Any]]]) -> str:
        return "".join(
            f"<tr><td>{escape(name)}</td>"
            + "".join(_cell(row[key]) for key, _ in FIGURES)
            + "</tr>"
            for name, row in items
        )

    names = figures["annotators"]
    exact = {tuple(p["annotators"]): p["exact_f1"] for p in figures["pairs"]}
    matrix = "<tr><th></th>" + "".join(f"<th>{escape(n)}</th>" for n in names) + "</tr>"
    for a in names:
        cells = "".join(
            "<td></td>" if a == b else _cell(exact.get((a, b), exact.get((b, a)))) for b in names
        )
        matrix += f"<tr><th>{escape(a)}</th>{cells}</tr>"
    documents = [(d["title"] or d["id"][:12], d) for d in figures["documents"]]
    return (
        f"<p><b>{figures['documents_compared']}</b> documents annotated by two or more of "
        f"{len(names)} annotators.</p>"
        f"<h3>Overall and per label</h3><table cellspacing='2'><tr><th></th>{head}</tr>"
        + rows([("all labels", figures["overall"]), *figures["labels"].items()])
        + "</table><h3>Exact span F1 between annotators</h3>"
        f"<table cellspacing='2'>{matrix}</table>"
        f"<h3>Documents, lowest agreement first</h3><table cellspacing='2'><tr><th></th>{head}"
        "</tr>"
        + rows(documents)
        + "</table>"
        + "".join(f"<p><i>{escape(note)}</i></p>" for note in figures.get("notes", []))
    )


class AgreementDialog(QDialog):
    """View > Agreement: the figures of ``factmark agree`` with a pair heatmap."""

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("agreementDialog")
        self.setWindowTitle("Agreement between annotators")
        self.figures = agreement(project)
        self.report = QTextBrowser(self)
        self.report.setObjectName("agreementReport")
        self.report.setHtml(agreement_html(self.figures))
        # Per-label bars: exact span F1 in percent, in each label's colour.
        self.bars = BarChart(self, "No label compared yet")
        self.bars.setObjectName("agreementBars")
        colours = {label.name: label.colour for label in project.labels()}
        self.bars.set_rows(
            [
                (f"{name} (exact F1 %)", round(100 * row["exact_f1"]), QColor(colours[name]))
                for name, row in self.figures["labels"].items()
                if row["exact_f1"] is not None
            ]
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, parent=self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        # Many labels: the bars scroll, at most a third of the screen's height.
        bars = scrolling(self.bars, self)
        bars.setMaximumHeight(
            min(self.bars.sizeHint().height() + 4, available_area(self).height() // 3)
        )
        layout.addWidget(bars)
        layout.addWidget(self.report, 1)
        layout.addWidget(buttons)
        fit_to_screen(self, 640, 560)
