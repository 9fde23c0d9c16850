"""The agreement report as HTML, made from the figures where they are counted (in the
background job's thread: no widget here)."""

from __future__ import annotations

from typing import Any

from factmark.core.text import counted
from factmark.ui.models.agreement_documents import FIGURES, shade_rgb
from factmark.ui.plain import escape


def _cell(value: float | None) -> str:
    """A figure as a table cell, shaded from red (0) to green (1), like a heatmap."""
    if value is None:
        return "<td align='center'>–</td>"
    red, green, blue = shade_rgb(value)
    return (
        f"<td align='right' style='background-color: rgb({red}, {green}, {blue}); "
        f"color: #111'>&nbsp;{value:.2f}&nbsp;</td>"
    )


def agreement_html(figures: dict[str, Any]) -> str:
    """The report as HTML: overall, per label, an annotator-pair matrix, the further
    figures and notes (the documents are a table of their own in the dialog)."""
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
    return (
        f"<p>{counted(figures['documents_compared'], 'document')} annotated by two or more "
        f"of {counted(len(names), 'annotator')}.</p>"
        f"<h3>Overall and per label</h3><table cellspacing='2'><tr><th></th>{head}</tr>"
        + rows([("all labels", figures["overall"]), *figures["labels"].items()])
        + "</table><h3>Exact span F1 between annotators</h3>"
        f"<table cellspacing='2'>{matrix}</table>"
        + _more_html(figures)
        + "".join(f"<p><i>{escape(note)}</i></p>" for note in figures.get("notes", []))
    )


def _more_html(figures: dict[str, Any]) -> str:
    """Unitizing alpha per label and overall, link F1 per type, attribute kappa / alpha."""
    alpha = figures["alpha_u"]
    keys = (("u", "u"), ("bu", "bu"), ("cu", "cu"), ("u_2004", "αu 2004"))
    head = "".join(f"<th>{title}</th>" for _, title in keys) + "<th>spans</th>"
    rows = "".join(
        f"<tr><td>{escape(name)}</td>"
        + "".join(_cell(row.get(key)) for key, _ in keys)
        + f"<td align='right'>{row['units']}</td></tr>"
        for name, row in [("all labels", alpha["overall"]), *alpha["labels"].items()]
    )
    html = (
        "<h3>Krippendorff's unitizing alpha</h3><table cellspacing='2'>"
        f"<tr><th></th>{head}</tr>{rows}</table>"
    )
    if figures["links"]:
        html += "<h3>Links (F1 of matched ends)</h3><table cellspacing='2'>"
        html += "<tr><th></th><th>exact ends</th><th>overlapping ends</th><th>links</th></tr>"
        html += "".join(
            f"<tr><td>{escape(kind)}</td>{_cell(row['exact_f1'])}{_cell(row['overlap_f1'])}"
            f"<td align='right'>{row['links']}</td></tr>"
            for kind, row in figures["links"].items()
        )
        html += "</table>"
    if figures["attributes"]:
        html += "<h3>Attributes of spans marked by several annotators</h3><table>"
        html += "".join(
            f"<tr><td>{escape(name)}</td>{_cell(row['value'])}<td>"
            + ("Cohen's kappa" if row["measure"] == "cohen_kappa" else "Krippendorff's alpha")
            + f", {row['spans_compared']:,} spans</td></tr>"
            for name, row in figures["attributes"].items()
        )
        html += "</table>"
    return html
