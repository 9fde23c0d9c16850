"""Agreement on links and attributes, and the disagreements behind every figure.

- **Spans seen together**: in a document, the spans of one label that overlap (directly
  or through a chain) form a *cluster*. A cluster is agreed when every annotator of the
  document has exactly one span in it, all with the same start and end; any other
  cluster is a span disagreement, listed with each annotator's version.
- **Links** (relations), per link type, for each pair of annotators of a document: a link
  of one is matched by a link of the same type of the other whose head and child are the
  same spans (``exact``: same start, end and label) or overlap them (``overlap``: same
  label, overlapping). ``F1 = 2 * matched / (links of A + links of B)`` with matches
  counted on each side, pooled over pairs and documents. Unmatched links are disagreements.
- **Attributes** (e.g. verdict, checkworthy; not the adjudication mark ``review``), on
  the clusters above: each annotator's value is that of their span in the cluster (unset
  counts as a value, ``(unset)``). With two annotators Cohen's kappa over the clusters both
  marked; with more, Krippendorff's nominal alpha (the ``krippendorff`` package), an
  annotator without a span in the cluster being missing data.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import combinations
from typing import TYPE_CHECKING, Any

import orjson

from factmark.core.model import Relation
from factmark.core.reading import SpanRow

if TYPE_CHECKING:
    from factmark.core.agreement_scan import Batch

UNSET = "(unset)"
NOT_ATTRIBUTES = {"review"}  # the adjudication mark, not an annotator's judgement


@dataclass
class Compared:
    """One document compared: its spans by annotator and its relations."""

    document_id: int
    uid: str
    title: str
    text: str
    spans: dict[str, list[SpanRow]]
    relations: list[Relation] = field(default_factory=list)


def compared(batch: Batch) -> Iterator[Compared]:
    """The documents of ``batch`` that have spans, each with its spans by annotator."""
    for at, rows in enumerate(batch.rows):
        if not rows:
            continue
        spans: dict[str, list[SpanRow]] = {}
        for row in map(SpanRow._make, rows):
            spans.setdefault(row.annotator or "", []).append(row)
        yield Compared(
            batch.ids[at],
            batch.texts.names.uid(at),
            batch.texts.names.title(at),
            batch.texts.text(at),
            spans,
            batch.relations.get(at, []),
        )


def clusters(document: Compared) -> list[list[SpanRow]]:
    """Spans of one label overlapping each other (through chains), by label then start."""
    out: list[list[SpanRow]] = []
    rows = sorted(
        (row for rows in document.spans.values() for row in rows),
        key=lambda r: (r.label, r.start, -r.end, r.annotator or ""),
    )
    reach = -1
    for row in rows:
        if out and out[-1][0].label == row.label and row.start < reach:
            out[-1].append(row)
            reach = max(reach, row.end)
        else:
            out.append([row])
            reach = row.end
    return out


def _version(row: SpanRow, text: str) -> str:
    return f"[{row.start}, {row.end}) “{_short(text[row.start : row.end])}”"


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def span_disagreements(document: Compared) -> list[dict[str, Any]]:
    """Each cluster the annotators did not mark identically, with everyone's version."""
    names = sorted(document.spans)
    found = []
    for group in clusters(document):
        by_name: dict[str, list[SpanRow]] = {}
        for row in group:
            by_name.setdefault(row.annotator or "", []).append(row)
        places = {(r.start, r.end) for r in group}
        if len(places) == 1 and all(len(by_name.get(n, [])) == 1 for n in names):
            continue
        found.append(
            _entry(
                "span",
                group[0].label,
                document,
                min(r.start for r in group),
                max(r.end for r in group),
                {
                    n: "; ".join(_version(r, document.text) for r in by_name.get(n, [])) or "—"
                    for n in names
                },
            )
        )
    return found


def _entry(
    kind: str, name: str, document: Compared, start: int, end: int, versions: dict[str, str]
) -> dict[str, Any]:
    return {
        "kind": kind,
        "label": name,
        "document_id": document.document_id,
        "document": document.title or document.uid[:12],
        "start": start,
        "end": end,
        "versions": versions,
    }


@dataclass
class LinkCounts:
    """Pooled link counts of one link type."""

    links: int = 0  # links of both sides
    exact: int = 0  # links matched with exact ends, counted on each side
    overlap: int = 0

    def figures(self) -> dict[str, Any]:
        return {
            "exact_f1": _round(self.exact / self.links) if self.links else None,
            "overlap_f1": _round(self.overlap / self.links) if self.links else None,
            "links": self.links,
        }


def link_agreement(documents: list[Compared]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Link F1 per type and the links left unmatched (overlapping ends)."""
    counts: dict[str, LinkCounts] = {}
    unmatched: list[dict[str, Any]] = []
    for document in documents:
        rows = {r.id: r for rs in document.spans.values() for r in rs}
        by_name: dict[str, list[tuple[SpanRow, SpanRow, str]]] = {}
        for rel in document.relations:
            head, child = rows.get(rel.head_span_id), rows.get(rel.child_span_id)
            if head is None or child is None or head.annotator != child.annotator:
                continue
            by_name.setdefault(head.annotator or "", []).append((head, child, rel.label))
        missed: dict[tuple[int, int], tuple[SpanRow, SpanRow, str, set[str]]] = {}
        for a, b in combinations(sorted(document.spans), 2):
            for mine, theirs, other in ((a, b, b), (b, a, a)):
                for head, child, kind in by_name.get(mine, []):
                    c = counts.setdefault(kind, LinkCounts())
                    c.links += 1
                    others = [(h, ch) for h, ch, k in by_name.get(theirs, []) if k == kind]
                    if any(_same(head, h) and _same(child, ch) for h, ch in others):
                        c.exact += 1
                    if any(_meets(head, h) and _meets(child, ch) for h, ch in others):
                        c.overlap += 1
                    else:
                        key = (head.id, child.id)
                        missed.setdefault(key, (head, child, kind, set()))[3].add(other)
        for head, child, kind, _ in missed.values():
            versions = {
                n: "; ".join(
                    f"{_short(document.text[h.start : h.end], 30)} → "
                    f"{_short(document.text[ch.start : ch.end], 30)}"
                    for h, ch, k in by_name.get(n, [])
                    if k == kind and (_meets(h, head) or _meets(ch, child))
                )
                or "—"
                for n in sorted(document.spans)
            }
            start, end = min(head.start, child.start), max(head.end, child.end)
            unmatched.append(_entry("link", kind, document, start, end, versions))
    return {kind: c.figures() for kind, c in sorted(counts.items())}, unmatched


def _same(a: SpanRow, b: SpanRow) -> bool:
    return (a.start, a.end, a.label) == (b.start, b.end, b.label)


def _meets(a: SpanRow, b: SpanRow) -> bool:
    return a.label == b.label and a.start < b.end and b.start < a.end


def attribute_agreement(
    documents: list[Compared], annotators: list[str]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Kappa (two annotators) or alpha (more) per attribute, and the clusters that differ."""
    # values[attribute] = per cluster, {annotator: value}
    values: dict[str, list[dict[str, str]]] = {}
    differing: list[dict[str, Any]] = []
    for document in documents:
        for group in clusters(document):
            attrs = {r.annotator or "": _attrs(r) for r in group}
            names = {key for a in attrs.values() for key in a} - NOT_ATTRIBUTES
            for name in sorted(names):
                seen = {who: str(a.get(name, UNSET)) for who, a in attrs.items()}
                values.setdefault(name, []).append(seen)
                if len(seen) > 1 and len(set(seen.values())) > 1:
                    start = min(r.start for r in group)
                    end = max(r.end for r in group)
                    versions = {n: seen.get(n, "—") for n in sorted(document.spans)}
                    entry = _entry("attribute", name, document, start, end, versions)
                    entry["span_label"] = group[0].label
                    differing.append(entry)
    figures = {}
    for name, items in sorted(values.items()):
        pairable = [item for item in items if len(item) > 1]
        figures[name] = {
            "measure": "cohen_kappa" if len(annotators) == 2 else "krippendorff_alpha",
            "value": _round(
                _kappa(pairable, annotators)
                if len(annotators) == 2
                else _alpha(pairable, annotators)
            ),
            "spans_compared": len(pairable),
        }
    return figures, differing


def _attrs(row: SpanRow) -> dict[str, Any]:
    if not row.attrs:
        return {}
    loaded = orjson.loads(row.attrs) if isinstance(row.attrs, str | bytes) else row.attrs
    return loaded if isinstance(loaded, dict) else {}


def _kappa(items: list[dict[str, str]], annotators: list[str]) -> float | None:
    from factmark.core.agreement import cohen_kappa

    a, b = annotators
    return cohen_kappa(Counter((i[a], i[b]) for i in items if a in i and b in i))


def _alpha(items: list[dict[str, str]], annotators: list[str]) -> float | None:
    import krippendorff
    import numpy as np

    if not items:
        return None
    codes = {v: n for n, v in enumerate(sorted({v for i in items for v in i.values()}))}
    if len(codes) < 2:
        return None  # one value throughout: undefined, as kappa is
    data = np.full((len(annotators), len(items)), np.nan)
    for column, item in enumerate(items):
        for row, name in enumerate(annotators):
            if name in item:
                data[row, column] = codes[item[name]]
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
