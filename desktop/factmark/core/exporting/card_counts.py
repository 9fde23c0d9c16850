"""The dataset card's Counts table: what the export's files hold, in the format's own terms
(spans tagged, lines, reviews), and what of the selection they do not hold, and why."""

from __future__ import annotations

from collections.abc import Callable

from factmark.core.exporting.base import ExportResult, PartCounts
from factmark.core.project import Project
from factmark.core.text import counted

Row = Callable[[str, list[int]], str]

# The row of the spans a format's files hold, for a writer that counts them itself.
SPANS_WRITTEN = {"conll": "spans tagged (`B-` tags)", "spacy": 'spans in `doc.spans["sc"]`'}
# What formats hold besides spans and links, as the table names them.
PLURALS = {"line": "lines", "review": "reviews", "sentence": "sentences"}


def count_rows(fmt: str, project: Project, result: ExportResult, row: Row) -> list[str]:
    """The table's rows: the documents, what the files hold, then the selection's spans
    and links (marked as the selection's when the files do not hold them as they are)."""
    counts = list(result.parts.values())
    holds = result.holds
    lines = [row("documents", [c.documents for c in counts])]
    for noun in holds:
        if noun not in ("span", "link"):
            lines.append(
                row(
                    f"{PLURALS.get(noun, noun + 's')} in the files",
                    [c.written.get(noun, 0) for c in counts],
                )
            )
    # Every selected span is in the files as it is, unless the writer counts its own.
    whole = "span" in holds and "span" not in result.written
    if "span" in holds and not whole:
        lines.append(
            row(SPANS_WRITTEN.get(fmt, "spans written"), [c.written.get("span", 0) for c in counts])
        )
    selected = "" if whole else " selected"
    lines.append(row(f"spans{selected}", [c.spans for c in counts]))
    for label in project.labels():
        lines.append(
            row(f"`{label.name}` spans{selected}", [c.by_label.get(label.name, 0) for c in counts])
        )
    if "link" in holds:
        lines.append(row("relations", [c.relations for c in counts]))
    elif any(c.relations for c in counts):
        lines.append(row("relations selected", [c.relations for c in counts]))
    if "link" in holds or "line" in holds:  # attribution's lines carry each link's quote
        lines += _quote_rows(project, counts, row)
    return lines


def left_out_lines(fmt: str, result: ExportResult, per_label: bool) -> list[str]:
    """What the selection held that the files do not, and why, under the table
    (``per_label``: CoNLL's one file per label, where a span can be in two files)."""
    holds, written = result.holds, result.written
    lines = []
    if "span" in written and written["span"] != result.spans:
        over = " (counted over the per-label files)" if per_label else ""
        lines.append(
            f"- The files hold {written['span']:,} of the {result.spans:,} spans selected"
            f"{over}: the notes below say which were left out, widened or changed, and why."
        )
    own = [PLURALS.get(noun, noun + "s") for noun in holds if noun not in ("span", "link")]
    if "span" not in holds and result.spans:
        lines.append(
            f"- The files hold {' and '.join(own)} made from the selected spans and links, not "
            "the spans themselves."
        )
    if "link" not in holds and result.relations:
        made = " (each `attributed_to` link made a line)" if "line" in holds else ""
        lines.append(
            f"- {counted(result.relations, 'relation')} selected, not in the files as "
            f"relations: the {fmt} format has none{made}."
        )
    return lines


def _quote_rows(project: Project, counts: list[PartCounts], row: Row) -> list[str]:
    """The ``attributed_to`` links by their ``quote`` (direct, indirect, mixed, then any
    other value a file brought, then those not marked), when the export has any."""
    if not any(part.by_quote for part in counts):
        return []
    defined = [
        value
        for definition in project.link_attribute_definitions().get("attributed_to", [])
        if definition["name"] == "quote"
        for value in definition["values"]
    ]
    seen = sorted({value for part in counts for value in part.by_quote} - {""} - set(defined))
    lines = []
    for value in [*defined, *seen, ""]:
        shown = f"`quote: {value}`" if value else "no `quote` marked"
        lines.append(
            row(f"`attributed_to` links, {shown}", [part.by_quote.get(value, 0) for part in counts])
        )
    return lines
