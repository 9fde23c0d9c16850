"""The agreement figures computed the straightforward way, one document at a time and
every unit in memory: the oracle the batch computation of ``factmark agree`` is checked
against (``factmark.core.agreement.agreement``)."""

from __future__ import annotations

from collections import Counter
from itertools import combinations
from typing import Any

from factmark.core.agreement import ALPHA_NOTE, Counts, _units, compare
from factmark.core.agreement_links import (
    Compared,
    attribute_agreement,
    link_agreement,
    span_disagreements,
)
from factmark.core.agreement_units import unitizing_figures
from factmark.core.project import Project, SpanRow


def straightforward_agreement(project: Project) -> dict[str, Any]:
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
    for document, plain_rows, relations in project.export_rows([]):
        rows = list(map(SpanRow._make, plain_rows))
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
    documents.sort(key=lambda d: (_sorted(d["exact_f1"]), _sorted(d["kappa"]), d["title"], d["id"]))
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


def _sorted(value: float | None) -> float:
    """Where a document's figure sorts: an undefined one after every defined one."""
    return 2.0 if value is None else value
