"""Inter-annotator agreement: pairwise span F1 and Cohen's kappa over tokens.

Only documents in which at least two annotators made spans count; spans without
an annotator are left out (they cannot be attributed), and so is the gold layer
(adjudication settles disagreement, it is not one more annotator). For each pair of
annotators of a document:

- **exact F1**: spans match when start, end and label are all equal;
  ``F1 = 2 * matches / (spans of A + spans of B)``.
- **overlap F1**: a span of A is matched when B has a span of the same label that
  overlaps it (and the other way round); ``P`` = matched spans of B / spans of B,
  ``R`` = matched spans of A / spans of A, ``F1 = 2PR / (P + R)``.
- **Cohen's kappa** over tokens (words and single punctuation marks,
  :data:`TOKEN`): per token, the label of the innermost span of that annotator
  overlapping it (the shortest; on a tie the first label by name), or ``"O"``.
  Per label, kappa is binary: does a span of that label overlap the token or not.

Counts are pooled before any figure is computed (micro-averaging): a pair's
project figures pool its documents, a document's figures pool its pairs, the
overall figures pool every pair and document. A label's token counts include the
documents where neither annotator used it (agreeing that nothing there has it). A
figure whose denominator is zero (e.g. kappa when both annotators gave every token
the same single value) is None.

Beside these, :mod:`factmark.core.agreement_units` gives Krippendorff's unitizing alpha
(αu) per label and overall, and :mod:`factmark.core.agreement_links` link F1 per type,
attribute kappa / alpha and the disagreements behind every figure.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from factmark.core.agreement_links import (
    Compared,
    attribute_agreement,
    link_agreement,
    span_disagreements,
)
from factmark.core.agreement_units import unitizing_figures
from factmark.core.model import GOLD
from factmark.core.project import Project, SpanRow

TOKEN = re.compile(r"\w+|[^\w\s]")
OUTSIDE = "O"
ALPHA_NOTE = (
    "alpha_u counts an annotator without spans in a compared document as having found nothing there"
)

# (start, end, label) of one annotator's span
Unit = tuple[int, int, str]


@dataclass
class Counts:
    """Pooled counts from which every figure is computed."""

    exact: int = 0  # spans equal in both
    spans_a: int = 0
    spans_b: int = 0
    overlap_a: int = 0  # spans of A overlapping a same-label span of B
    overlap_b: int = 0
    tokens: Counter[tuple[str, str]] = field(default_factory=Counter)  # (value A, value B)

    def add(self, other: Counts) -> None:
        """Pool ``other`` into these counts."""
        self.exact += other.exact
        self.spans_a += other.spans_a
        self.spans_b += other.spans_b
        self.overlap_a += other.overlap_a
        self.overlap_b += other.overlap_b
        self.tokens.update(other.tokens)

    def figures(self) -> dict[str, float | None]:
        """Exact F1, overlap F1 and kappa (None where undefined), rounded to 4 places."""
        spans = self.spans_a + self.spans_b
        exact = 2 * self.exact / spans if spans else None
        overlap = None
        if self.spans_a and self.spans_b:
            recall, precision = self.overlap_a / self.spans_a, self.overlap_b / self.spans_b
            overlap = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        elif spans:
            overlap = 0.0
        return {
            "exact_f1": _round(exact),
            "overlap_f1": _round(overlap),
            "kappa": _round(cohen_kappa(self.tokens)),
        }


def cohen_kappa(pairs: Counter[tuple[str, str]]) -> float | None:
    """Cohen's kappa from counts of ``(value by A, value by B)``; None when chance
    agreement is 1 (both gave one and the same value throughout) or nothing was counted."""
    total = sum(pairs.values())
    if not total:
        return None
    observed = sum(n for (a, b), n in pairs.items() if a == b) / total
    by_a: Counter[str] = Counter()
    by_b: Counter[str] = Counter()
    for (a, b), n in pairs.items():
        by_a[a] += n
        by_b[b] += n
    expected = sum(by_a[v] * by_b[v] for v in by_a) / (total * total)
    if expected >= 1:
        return None
    return (observed - expected) / (1 - expected)


def tokens(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each token: runs of word characters and single other marks."""
    return [m.span() for m in TOKEN.finditer(text)]


def token_labels(toks: list[tuple[int, int]], units: set[Unit]) -> list[str]:
    """Per token, the label of the innermost span overlapping it, or ``"O"``."""
    # Widest first, so narrower spans overwrite them: the innermost wins; among spans
    # of one width the first label by name comes last, so it wins.
    ordered = sorted(units, key=lambda u: (u[1] - u[0], u[2]), reverse=True)
    values = [OUTSIDE] * len(toks)
    starts = [t[0] for t in toks]
    for start, end, label in ordered:
        for i in _overlapping(toks, starts, start, end):
            values[i] = label
    return values


def _overlapping(toks: list[tuple[int, int]], starts: list[int], start: int, end: int) -> range:
    first = bisect_right(starts, start) - 1
    if first < 0 or toks[first][1] <= start:
        first += 1
    last = bisect_left(starts, end)
    return range(first, last)


def compare(text: str, a: set[Unit], b: set[Unit], labels: list[str]) -> dict[str, Counts]:
    """Counts for one pair of annotators on one document: ``"*"`` for all labels
    and one entry per label in ``labels``."""
    toks = tokens(text)
    result = {"*": _span_counts(a, b)}
    result["*"].tokens = Counter(zip(token_labels(toks, a), token_labels(toks, b), strict=True))
    for label in labels:
        la = {u for u in a if u[2] == label}
        lb = {u for u in b if u[2] == label}
        counts = _span_counts(la, lb)
        ta = [v != OUTSIDE for v in token_labels(toks, la)]
        tb = [v != OUTSIDE for v in token_labels(toks, lb)]
        counts.tokens = Counter(
            (label if x else OUTSIDE, label if y else OUTSIDE) for x, y in zip(ta, tb, strict=True)
        )
        result[label] = counts
    return result


def _span_counts(a: set[Unit], b: set[Unit]) -> Counts:
    return Counts(
        exact=len(a & b),
        spans_a=len(a),
        spans_b=len(b),
        overlap_a=sum(1 for u in a if _overlaps_any(u, b)),
        overlap_b=sum(1 for u in b if _overlaps_any(u, a)),
    )


def _overlaps_any(unit: Unit, others: set[Unit]) -> bool:
    start, end, label = unit
    return any(o[2] == label and o[0] < end and start < o[1] for o in others)


def agreement(project: Project) -> dict[str, Any]:
    """Every figure the ``agree`` command shows, as plain JSON-ready data.

    Keys: ``overall``, ``labels`` (per label), ``pairs`` (per annotator pair, with
    per-label figures), ``documents`` (lowest exact F1 first), ``annotators``,
    ``documents_compared``, ``alpha_u`` (``overall`` and ``labels``), ``links`` (per
    link type), ``attributes`` (per attribute), ``disagreements`` (each with its
    document, label, place and every annotator's version), ``disagreement_counts`` and
    ``notes``.
    """
    labels = [label.name for label in project.labels()]
    overall = {key: Counts() for key in ["*", *labels]}
    pairs: dict[tuple[str, str], dict[str, Counts]] = {}
    pair_documents: Counter[tuple[str, str]] = Counter()
    documents: list[dict[str, Any]] = []
    compared: list[Compared] = []
    for document, rows, relations in project.export_rows([]):
        by_annotator = _units(rows)
        if len(by_annotator) < 2:
            continue
        spans: dict[str, list[SpanRow]] = {}
        for row in rows:
            if row.annotator in by_annotator:
                spans.setdefault(row.annotator, []).append(row)
        compared.append(
            Compared(
                document.id or 0, document.uid, document.title, document.text, spans, relations
            )
        )
        doc_counts = Counts()
        for x, y in combinations(sorted(by_annotator), 2):
            counts = compare(document.text, by_annotator[x], by_annotator[y], labels)
            pair_documents[(x, y)] += 1
            into = pairs.setdefault((x, y), {key: Counts() for key in ["*", *labels]})
            for key, value in counts.items():
                into[key].add(value)
                overall[key].add(value)
            doc_counts.add(counts["*"])
        documents.append(
            {
                "id": document.uid,
                "title": document.title,
                "annotators": sorted(by_annotator),
                **doc_counts.figures(),
            }
        )
    documents.sort(key=lambda d: (_key(d["exact_f1"]), _key(d["kappa"]), d["title"], d["id"]))
    annotators = sorted({name for pair in pairs for name in pair})
    return {
        **_more_figures(compared, labels, annotators),
        "documents_compared": len(documents),
        "annotators": annotators,
        "overall": overall["*"].figures(),
        "labels": {label: overall[label].figures() for label in labels},
        "pairs": [
            {
                "annotators": list(pair),
                "documents": pair_documents[pair],
                **counts["*"].figures(),
                "labels": {label: counts[label].figures() for label in labels},
            }
            for pair, counts in sorted(pairs.items())
        ],
        "documents": documents,
        "notes": [ALPHA_NOTE] if compared else [],
    }


def _more_figures(
    compared: list[Compared], labels: list[str], annotators: list[str]
) -> dict[str, Any]:
    """αu, links, attributes and the disagreements behind them."""
    units = unitizing_figures(
        [
            (
                len(d.text),
                {name: [(r.start, r.end, r.label) for r in rows] for name, rows in d.spans.items()},
            )
            for d in compared
        ],
        labels,
    )
    links, unmatched = link_agreement(compared)
    attributes, differing = attribute_agreement(compared, annotators)
    spans = [entry for d in compared for entry in span_disagreements(d)]
    disagreements = spans + unmatched + differing
    return {
        "alpha_u": {"overall": units.overall, "labels": units.labels},
        "links": links,
        "attributes": attributes,
        "disagreements": disagreements,
        "disagreement_counts": {
            kind: dict(sorted(Counter(e["label"] for e in entries).items()))
            for kind, entries in (
                ("spans", spans),
                ("links", unmatched),
                ("attributes", differing),
            )
        },
    }


def _units(rows: list[SpanRow]) -> dict[str, set[Unit]]:
    by_annotator: dict[str, set[Unit]] = {}
    for row in rows:
        if row.annotator and row.annotator != GOLD:
            by_annotator.setdefault(row.annotator, set()).add((row.start, row.end, row.label))
    return by_annotator


def _key(value: float | None) -> float:
    # An undefined figure sorts after every defined one.
    return 2.0 if value is None else value


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
