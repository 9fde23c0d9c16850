"""The ``documents`` list of the agreement figures: each compared document's figures
pooled over its annotator pairs, lowest agreement first.

An archive compares 100,000 documents and the ``agree`` table shows the ten lowest: every
document's figures are kept as arrays, a batch at a time, and a row (a dict with its
annotators' names and rounded figures) is made only for the documents listed, or, in
View > Agreement's table (:class:`~factmark.core.agreement_table.ComparedDocuments`), only
for those shown.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from factmark.core.agreement_scan import Batch, Codes, DocumentTally
from factmark.core.agreement_table import UNDEFINED, ComparedDocuments, Part

ROWS = 1024  # rows made at a time when every document is listed in parts
# More than two halves of the last of 4 places: a figure that rounds no higher than
# another is at most this much above it unrounded.
_MARGIN = 2e-4


class DocumentFigures:
    """Every compared document's figures, in the order the batches were read."""

    def __init__(self) -> None:
        self.parts: list[Part] = []
        self.count = 0

    def add(self, batch: Batch, tally: DocumentTally, people: Codes) -> None:
        """One batch's documents, their figures from their pooled counts (as
        :meth:`factmark.core.agreement.Counts.figures` computes them, for every document
        at once)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            spans = tally.spans_a + tally.spans_b
            exact = np.where(spans > 0, 2 * tally.exact / spans, np.nan)
            recall = tally.overlap_a / tally.spans_a
            precision = tally.overlap_b / tally.spans_b
            f1 = 2 * precision * recall / (precision + recall)
            overlap = np.where(
                (tally.spans_a > 0) & (tally.spans_b > 0),
                np.where(precision + recall > 0, f1, 0.0),
                np.where(spans > 0, 0.0, np.nan),
            )
            total = tally.total
            expected = (tally.by_a * tally.by_b).sum(axis=1) / (total * total)
            kappa = (tally.agree / total - expected) / (1 - expected)
            kappa = np.where((total > 0) & (expected < 1), kappa, np.nan)
        codes = list(batch.has)
        self.parts.append(
            Part(
                batch.texts.names,
                [people.names[code] for code in codes],
                [batch.has[code] for code in codes],
                exact,
                overlap,
                kappa,
            )
        )
        self.count += len(batch.ids)

    def merge(self, other: DocumentFigures) -> None:
        """The documents of the batches read after these."""
        self.parts += other.parts
        self.count += other.count

    def listed(self, limit: int | None = None) -> list[dict[str, Any]]:
        """The rows of the ``limit`` documents of lowest exact F1 (then kappa, title and
        id; every document when None), sorted so."""
        return list(self.table(limit))

    def table(self, limit: int | None = None) -> ComparedDocuments:
        """The ``limit`` documents of lowest agreement (every one when None) as a table
        whose rows are made when asked for. Only the documents whose exact F1 may round as
        low as the ``limit``-th lowest are ordered."""
        keys = [np.where(np.isnan(part.exact), UNDEFINED, part.exact) for part in self.parts]
        chosen = [np.arange(len(key)) for key in keys]
        if limit is not None and limit < self.count:
            if limit <= 0:
                return ComparedDocuments.ordered([], [], 0)
            bound = np.partition(np.concatenate(keys), limit - 1)[limit - 1] + _MARGIN
            chosen = [np.flatnonzero(key <= bound) for key in keys]
        return ComparedDocuments.ordered(self.parts, chosen, limit)

    def listed_in_parts(self, size: int | None = None) -> Iterator[list[dict[str, Any]]]:
        """Every document's row in the order of :meth:`listed`, in lists of at most ``size``
        rows (:data:`ROWS` when None), made as each list is asked for: only one list of rows
        is dicts at a time."""
        size = ROWS if size is None else size
        table = self.table()
        for first in range(0, len(table), size):
            yield table[first : first + size]


def rounded(value: float | None) -> float | None:
    """A figure as shown: 4 places."""
    return None if value is None else round(value, 4)
