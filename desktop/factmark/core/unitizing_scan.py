"""Unitizing alpha (αu) of a whole project, counted a batch of documents at a time.

The same figures as :func:`factmark.core.agreement_units.unitizing_figures` (whose
docstring defines them), from integer sums kept per label instead of every unit:

- the 2016 coincidences (:class:`factmark.core.unitizing.Coincidences`) of each pair of
  annotators who both marked a document are summed as they come; an annotator silent in
  a document (all gap there) adds what follows from the other observers' segments and the
  number of observers, known only at the end, so those parts are kept by how many
  annotators marked the document;
- the 2004 figures need each annotator's units and gaps over the documents laid end to
  end: their lengths are kept as counts per length, the gaps carried across batches
  (:mod:`factmark.core.unitizing_2004`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import numpy as np

from factmark.core.agreement_arrays import (
    Flags,
    Ints,
    innermost,
    merged_by,
    merged_units,
    overlay,
    picked,
    present,
    runs,
)
from factmark.core.agreement_scan import Batch, Codes
from factmark.core.agreement_units import UnitFigures
from factmark.core.unitizing import Coincidences, Value, pooled_alpha
from factmark.core.unitizing_2004 import Units2004


@dataclass
class CoincidenceSums:
    """Integer parts of the 2016 coincidences of ``layers`` studies with ``values``
    values each (0 is the gap)."""

    layers: int
    values: int
    observed: Ints = field(init=False)  # [layer, value of one, value of the other]
    squares: Ints = field(init=False)  # [layer, value]: Σ l² of units, Σ l of gaps
    inner: Ints = field(init=False)  # [layer, value]: Σ per unit (length others meet)²
    silent: dict[int, Ints] = field(default_factory=dict)  # markers -> [layer, value]
    lengths: dict[int, Ints] = field(default_factory=dict)  # markers -> [layer]

    def __post_init__(self) -> None:
        self.observed = np.zeros((self.layers, self.values, self.values), dtype=np.int64)
        self.squares = np.zeros((self.layers, self.values), dtype=np.int64)
        self.inner = np.zeros((self.layers, self.values), dtype=np.int64)

    def add(
        self,
        who: Ints,
        start: Ints,
        end: Ints,
        rank: Ints,
        value_of: Ints,
        region_start: Ints,
        region_length: Ints,
        region_layer: Ints,
    ) -> None:
        """Pool one batch: each annotator's spans (in one coordinate where the regions,
        a document in a layer each, lie end to end) cut as
        :func:`factmark.core.unitizing.partition` cuts them: overlapping spans of one
        label (``rank``, the label's place by name) joined, then at each point the
        innermost, whose label has value ``value_of[rank]``."""
        observers = present(who)
        found = []
        active = np.zeros((len(observers), len(region_start)), dtype=np.bool_)
        for k, code in enumerate(observers):
            mine = who == code
            s, e, r = merged_by(start[mine], end[mine], rank[mine])
            if len(r) and r.min() == r.max():  # one label: its merged units are apart
                owner = np.flatnonzero(s < e)
                a, b = s[owner], e[owner]
                region = np.searchsorted(region_start, a, side="right") - 1
            else:
                a, b, owner = innermost(s, e, e - s, r, s)
                region = np.searchsorted(region_start, a, side="right") - 1
                a, b, owner, region = runs(a, b, owner, region)
            found.append((a, b, value_of[r[owner]], region))
            active[k, np.searchsorted(region_start, start[mine], side="right") - 1] = True
        markers = active.sum(axis=0)
        for n in present(markers):
            here = markers == n
            into = self.lengths.setdefault(n, np.zeros(self.layers, dtype=np.int64))
            np.add.at(into, region_layer[here], region_length[here])
        for k, (a, b, value, region) in enumerate(found):
            self._own(a, b, value, region, active[k], markers, region_length, region_layer)
        # Per segment, the length other observers' units meet it, summed over them.
        met = [np.zeros(len(a), dtype=np.int64) for a, _, _, _ in found]
        for k, m in combinations(range(len(observers)), 2):
            both = active[k] & active[m]
            if both.any():
                sums = self._pair(
                    found[k], found[m], both, region_start, region_length, region_layer
                )
                met[k] += sums[0]
                met[m] += sums[1]
        for (_, _, value, region), lengths in zip(found, met, strict=True):
            np.add.at(self.inner, (region_layer[region], value), lengths * lengths)

    def _own(
        self,
        a: Ints,
        b: Ints,
        value: Ints,
        region: Ints,
        active: Flags,
        markers: Ints,
        region_length: Ints,
        region_layer: Ints,
    ) -> None:
        length = b - a
        layer = region_layer[region]
        np.add.at(self.squares, (layer, value), length * length)
        covered = np.bincount(region, weights=length, minlength=len(active)).astype(np.int64)
        gap = np.where(active, region_length - covered, 0)
        self.squares[:, 0] += np.bincount(region_layer, weights=gap, minlength=self.layers).astype(
            np.int64
        )
        for n in present(markers[active]):
            into = self.silent.setdefault(n, np.zeros((self.layers, self.values), np.int64))
            here = markers[region] == n
            np.add.at(into, (layer[here], value[here]), length[here])
            into[:, 0] += np.bincount(
                region_layer, weights=np.where(markers == n, gap, 0), minlength=self.layers
            ).astype(np.int64)

    def _pair(
        self,
        one: tuple[Ints, Ints, Ints, Ints],
        other: tuple[Ints, Ints, Ints, Ints],
        both: Flags,
        region_start: Ints,
        region_length: Ints,
        region_layer: Ints,
    ) -> tuple[Ints, Ints]:
        """Add the coincidences of two observers; per segment of each, the length the
        other's units meet it."""
        shared = np.flatnonzero(both)
        regions = (region_start[shared], region_start[shared] + region_length[shared])
        low, high, (mine, theirs, inside) = overlay(one[:2], other[:2], regions)
        keep = inside >= 0  # the pieces of the documents both marked
        length = (high - low)[keep]
        layer = region_layer[shared[inside[keep]]]
        at = [mine[keep], theirs[keep]]
        value = [picked(side[2], i) for i, side in zip(at, (one, other), strict=True)]
        np.add.at(self.observed, (layer, value[0], value[1]), length)
        np.add.at(self.observed, (layer, value[1], value[0]), length)
        valued = (value[0] > 0) & (value[1] > 0)
        sums = [
            np.bincount(i[valued], weights=length[valued], minlength=len(side[0])).astype(np.int64)
            for i, side in zip(at, (one, other), strict=True)
        ]
        return sums[0], sums[1]

    def merge(self, other: CoincidenceSums) -> None:
        """Pool the sums of other documents (of the same layers)."""
        self.widen(other.values)
        other.widen(self.values)
        self.observed += other.observed
        self.squares += other.squares
        self.inner += other.inner
        for mine, theirs in ((self.silent, other.silent), (self.lengths, other.lengths)):
            for n, sums in theirs.items():
                if n in mine:
                    mine[n] = mine[n] + sums
                else:
                    mine[n] = sums.copy()

    def widen(self, values: int) -> None:
        """Room for ``values`` values (labels met after the first batch)."""
        more = values - self.values
        if more > 0:
            self.observed = np.pad(self.observed, ((0, 0), (0, more), (0, more)))
            self.squares = np.pad(self.squares, ((0, 0), (0, more)))
            self.inner = np.pad(self.inner, ((0, 0), (0, more)))
            self.silent = {n: np.pad(a, ((0, 0), (0, more))) for n, a in self.silent.items()}
            self.values = values

    def studies(self, observers: int, names: list[list[Value]]) -> list[Coincidences]:
        """One :class:`Coincidences` per layer, with ``observers`` annotators in all; in
        layer ``k`` value ``v`` is called ``names[k][v]`` (``v == 0`` is None, the gap)."""
        observed = self.observed.copy()
        squares = self.squares.copy()
        for n, sums in self.silent.items():
            z = observers - n
            observed[:, :, 0] += z * sums
            observed[:, 0, :] += z * sums
        for n, lengths in self.lengths.items():
            z = observers - n
            observed[:, 0, 0] += z * (z - 1) * lengths
            squares[:, 0] += z * lengths
        out = []
        share = observers - 1
        for layer in range(self.layers):
            study = Coincidences(observers)
            for v, w in zip(*np.nonzero(observed[layer]), strict=True):
                value = (names[layer][v], names[layer][w])
                study.observed[value] = int(observed[layer, v, w]) / share
            for v in np.flatnonzero(squares[layer]).tolist():
                study.squares[names[layer][v]] = int(squares[layer, v])
            for v in np.flatnonzero(self.inner[layer]).tolist():
                study.inner[names[layer][v]] = int(self.inner[layer, v]) / share**2
            out.append(study)
        return out


class UnitTally:
    """αu of the compared documents, pooled batch by batch."""

    def __init__(self, labels: int) -> None:
        self.labels = labels  # the project's labels are codes 0 .. labels - 1
        self.overall = CoincidenceSums(1, labels + 1)
        self.by_label = CoincidenceSums(labels, 2)
        self.old = [Units2004() for _ in range(labels)]
        self.total = 0  # code points of the compared documents laid end to end
        self.rows = 0
        self.seen: set[int] = set()

    def add(self, batch: Batch, codes: Codes) -> None:
        """Pool one batch of compared documents."""
        lengths = np.fromiter(map(len, batch.texts), dtype=np.int64, count=len(batch.texts))
        starts = np.concatenate(([0], np.cumsum(lengths)[:-1])).astype(np.int64)
        span = int(lengths.sum())
        start = starts[batch.doc] + batch.start
        end = starts[batch.doc] + batch.end
        nl = len(codes.names)
        rank = codes.by_name()
        self.overall.widen(nl + 1)
        zeros = np.zeros(len(lengths), dtype=np.int64)
        self.overall.add(
            batch.who, start, end, rank[batch.label], np.argsort(rank) + 1, starts, lengths, zeros
        )
        ours = batch.label < self.labels
        shift = batch.label[ours] * span
        layers = np.arange(self.labels, dtype=np.int64)
        self.by_label.add(
            batch.who[ours],
            start[ours] + shift,
            end[ours] + shift,
            np.zeros(int(ours.sum()), dtype=np.int64),  # one label per layer
            np.ones(1, dtype=np.int64),
            (layers[:, None] * span + starts[None, :]).ravel(),
            np.tile(lengths, self.labels),
            np.repeat(layers, len(lengths)),
        )
        for code in range(self.labels):
            mine = batch.label == code
            found = {}
            for who in present(batch.who[mine]):
                pick = mine & (batch.who == who)
                found[who] = merged_units(self.total + start[pick], self.total + end[pick])
            self.old[code].add(found)
        self.total += span
        self.rows += len(batch.who)
        self.seen.update(present(batch.who))

    def merge(self, other: UnitTally) -> None:
        """Pool the documents that follow, counted on their own."""
        self.overall.merge(other.overall)
        self.by_label.merge(other.by_label)
        for mine, theirs in zip(self.old, other.old, strict=True):
            mine.merge(theirs, self.total)
        self.total += other.total
        self.rows += other.rows
        self.seen |= other.seen

    def figures(self, codes: Codes, people: Codes, labels: list[str]) -> UnitFigures:
        """The figures of ``factmark.core.agreement_units.unitizing_figures``."""
        observers = len(self.seen)
        coders = sorted(self.seen)
        by_label: dict[str, dict[str, Any]] = {}
        parts = []
        studies = self.by_label.studies(observers, [[None, name] for name in labels])
        for code, name in enumerate(labels):
            units = self.old[code].units
            old = self.old[code].disagreement(self.total, coders)
            if units:
                parts.append(old)
            by_label[name] = {
                "u": _round(studies[code].u() if units else None),
                "u_2004": _round(old.alpha() if units else None),
                "units": units,
            }
        overall: dict[str, Any] = {"u": None, "bu": None, "cu": None, "units": self.rows}
        if self.rows:
            names: list[Value] = [None, *codes.names]
            study = self.overall.studies(observers, [names])[0]
            overall.update(u=_round(study.u()), bu=_round(study.bu()), cu=_round(study.cu()))
        overall["u_2004"] = _round(pooled_alpha(parts))
        return UnitFigures(by_label, overall)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
