"""The dataset card's agreement section for a gold export: how far the annotators' layers
the gold layer was adjudicated from agreed (the figures of ``factmark agree``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from factmark.core.model import GOLD
from factmark.core.project import Project
from factmark.core.text import counted

if TYPE_CHECKING:
    from factmark.core.exporting.pseudonyms import Pseudonyms


def agreement_lines(
    project: Project, annotators: frozenset[str], pseudonyms: Pseudonyms | None = None
) -> list[str]:
    """Markdown lines for the card when the export holds the gold layer; else none.
    With ``pseudonyms`` the annotators are named by their pseudonyms."""
    if GOLD not in annotators:
        return []
    from factmark.core.agreement import agreement

    figures = agreement(project, details=False)  # the counts: no disagreement is listed
    lines = ["", "## Agreement of the layers adjudicated", ""]
    if not figures["documents_compared"]:
        return [*lines, "No document had spans by two or more annotators to compare."]
    alpha = figures["alpha_u"]
    overall = alpha["overall"]
    lines += [
        f"The gold layer was adjudicated from {len(figures['annotators'])} annotators' "
        f"layers ({', '.join(_names(figures['annotators'], pseudonyms))}) on "
        f"{counted(figures['documents_compared'], 'document')}. Krippendorff's unitizing alpha "
        "(1 = the same spans and labels, 0 = no better than chance; Krippendorff et al. "
        "2016): overall "
        f"u = {_f(overall['u'])}, bu = {_f(overall['bu'])} (spans against the rest), "
        f"cu = {_f(overall['cu'])} (labels where spans meet), "
        f"1995/2004 αu = {_f(overall['u_2004'])}, on {counted(overall['units'], 'span')}. "
        f"Exact span F1 {_f(figures['overall']['exact_f1'])}, overlap F1 "
        f"{_f(figures['overall']['overlap_f1'])}.",
        "",
        "| label | u | 2004 αu | spans | exact F1 | disagreements |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    counts = figures["disagreement_counts"]
    for name, row in alpha["labels"].items():
        lines.append(
            f"| {name} | {_f(row['u'])} | {_f(row['u_2004'])} | {row['units']:,} | "
            f"{_f(figures['labels'][name]['exact_f1'])} | {counts['spans'].get(name, 0):,} |"
        )
    extra = [
        f"- link `{kind}`: F1 exact ends {_f(row['exact_f1'])}, overlapping ends "
        f"{_f(row['overlap_f1'])}"
        for kind, row in figures["links"].items()
    ] + [
        f"- attribute `{name}`: {_measure(row)} {_f(row['value'])} over "
        f"{counted(row['spans_compared'], 'span')}"
        for name, row in figures["attributes"].items()
    ]
    return lines + (["", *extra] if extra else [])


def _names(names: list[str], pseudonyms: Pseudonyms | None) -> list[str]:
    if pseudonyms is None:
        return names
    return sorted(str(pseudonyms.name(name)) for name in names)


def _measure(row: dict[str, Any]) -> str:
    return "Cohen's kappa" if row["measure"] == "cohen_kappa" else "Krippendorff's alpha"


def _f(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"
