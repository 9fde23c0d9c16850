"""The ``documents`` list of the agreement figures: each compared document's figures
pooled over its annotator pairs, lowest agreement first.

An archive compares 100,000 documents and the ``agree`` table shows the ten lowest: every
document's figures are kept as arrays, a batch at a time, and a row (a dict with its
annotators' names and rounded figures) is made only for the documents listed.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from factmark.core.agreement_arrays import Ints
from factmark.core.agreement_scan import Batch, Codes, DocumentTally
from factmark.core.agreement_texts import Names

Floats = npt.NDArray[np.float64]
UNDEFINED = 2.0  # where an undefined figure sorts: after every defined one
ROWS = 1024  # rows made at a time when every document is listed in parts
# More than two halves of the last of 4 places: a figure that rounds no higher than
# another is at most this much above it unrounded.
_MARGIN = 2e-4


@dataclass
class _Part:
    """One batch's documents and their figures (NaN where undefined)."""

    documents: Names  # their uids and titles
    names: list[str]  # the batch's annotators
    marked: list[npt.NDArray[np.bool_]]  # per annotator: which documents it marked
    exact: Floats
    overlap: Floats
    kappa: Floats

    def __len__(self) -> int:
        return len(self.exact)

    def rows(self, places: list[int]) -> list[dict[str, Any]]:
        """The rows of the documents at these places."""
        figures = [_floats(values[places]) for values in (self.exact, self.overlap, self.kappa)]
        return [
            {
                "id": self.documents.uid(at),
                "title": self.documents.title(at),
                "annotators": sorted(
                    name for name, flags in zip(self.names, self.marked, strict=True) if flags[at]
                ),
                "exact_f1": rounded(e),
                "overlap_f1": rounded(o),
                "kappa": rounded(k),
            }
            for at, e, o, k in zip(places, *figures, strict=True)
        ]


class DocumentFigures:
    """Every compared document's figures, in the order the batches were read."""

    def __init__(self) -> None:
        self.parts: list[_Part] = []
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
            _Part(
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
        id; every document when None), sorted so. Only the documents whose exact F1 may
        round as low as the ``limit``-th lowest are made rows and sorted."""
        keys = [np.where(np.isnan(part.exact), UNDEFINED, part.exact) for part in self.parts]
        chosen = [np.arange(len(key)) for key in keys]
        if limit is not None and limit < self.count:
            if limit <= 0:
                return []
            bound = np.partition(np.concatenate(keys), limit - 1)[limit - 1] + _MARGIN
            chosen = [np.flatnonzero(key <= bound) for key in keys]
        rows = [
            row
            for part, places in zip(self.parts, chosen, strict=True)
            for row in part.rows(places.tolist())
        ]
        rows.sort(key=lambda d: (_key(d["exact_f1"]), _key(d["kappa"]), d["title"], d["id"]))
        return rows if limit is None else rows[:limit]

    def listed_in_parts(self, size: int = ROWS) -> Iterator[list[dict[str, Any]]]:
        """Every document's row in the order of :meth:`listed`, in lists of at most ``size``
        rows, made as each list is asked for: the order is found from arrays of the sort
        keys (titles and uids as their ranks), so that only ``size`` rows are dicts at once.
        """
        if not self.count:
            return
        parts = self.parts
        exact = _keys(np.concatenate([part.exact for part in parts]))
        kappa = _keys(np.concatenate([part.kappa for part in parts]))
        titles = _ranks([part.documents.title(at) for part in parts for at in range(len(part))])
        uids = _ranks([part.documents.uid(at) for part in parts for at in range(len(part))])
        order = np.lexsort((uids, titles, kappa, exact))  # stable: ties in the order read
        del exact, kappa, titles, uids
        starts = np.cumsum([0] + [len(part) for part in parts])
        for first in range(0, len(order), size):
            chosen = order[first : first + size]
            owner = np.searchsorted(starts, chosen, side="right") - 1
            rows: list[dict[str, Any]] = [{} for _ in chosen]
            for number in np.unique(owner).tolist():
                where = np.flatnonzero(owner == number)
                made = parts[number].rows((chosen[where] - starts[number]).tolist())
                for at, row in zip(where.tolist(), made, strict=True):
                    rows[at] = row
            yield rows


def rounded(value: float | None) -> float | None:
    """A figure as shown: 4 places."""
    return None if value is None else round(value, 4)


def _floats(values: Floats) -> list[float | None]:
    return [None if math.isnan(v) else v for v in values.tolist()]


def _key(value: float | None) -> float:
    return UNDEFINED if value is None else value


def _keys(values: Floats) -> Floats:
    """Per figure, the key :meth:`DocumentFigures.listed` sorts its row's figure by (rounded
    as Python rounds it, so that figures equal once rounded tie as they do there)."""
    return np.array([_key(rounded(v)) for v in _floats(values)], dtype=np.float64)


def _ranks(names: list[str]) -> Ints:
    """Per name, its place among the distinct names sorted (equal names, equal places)."""
    place = {name: at for at, name in enumerate(sorted(set(names)))}
    return np.fromiter(map(place.__getitem__, names), dtype=np.int64, count=len(names))
