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
    add_at,
    innermost,
    kept,
    merged_by,
    overlay,
    picked,
    present,
    runs,
)
from factmark.core.agreement_scan import Batch, Codes
from factmark.core.agreement_units import UnitFigures
from factmark.core.unitizing import Coincidences, Value, pooled_alpha
from factmark.core.unitizing_2004 import Units2004

# One observer's segments: starts, ends, values (0 is the gap) and regions, by place.
Pieces = tuple[Ints, Ints, Ints, Ints]


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
        found: list[Pieces],
        active: Flags,
        region_length: Ints,
        region_layer: Ints,
    ) -> None:
        """Pool one batch: per observer, the segments of its units (in one coordinate
        where the regions, a document in a layer each, lie end to end), cut as
        :func:`factmark.core.unitizing.partition` cuts them, and the regions it marked."""
        markers = active.sum(axis=0)
        for n in present(markers):
            here = markers == n
            into = self.lengths.setdefault(n, np.zeros(self.layers, dtype=np.int64))
            np.add.at(into, region_layer[here], region_length[here])
        for k, (a, b, value, region) in enumerate(found):
            self._own(a, b, value, region, active[k], markers, region_length, region_layer)
        # Per segment, the length other observers' units meet it, summed over them.
        met = [np.zeros(len(a), dtype=np.int64) for a, _, _, _ in found]
        for k, m in combinations(range(len(found)), 2):
            both = active[k] & active[m]
            if both.any():
                sums = self._pair(found[k], found[m], both, region_length, region_layer)
                met[k] += sums[0]
                met[m] += sums[1]
        for (_, _, value, region), lengths in zip(found, met, strict=True):
            add_at(self.inner, region_layer[region], value, lengths * lengths)

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
        add_at(self.squares, layer, value, length * length)
        covered = np.bincount(region, weights=length, minlength=len(active)).astype(np.int64)
        gap = np.where(active, region_length - covered, 0)
        self.squares[:, 0] += np.bincount(region_layer, weights=gap, minlength=self.layers).astype(
            np.int64
        )
        for n in present(markers[active]):
            into = self.silent.setdefault(n, np.zeros((self.layers, self.values), np.int64))
            add_at(into, *kept(markers[region] == n, layer, value, length))
            into[:, 0] += np.bincount(
                region_layer, weights=np.where(markers == n, gap, 0), minlength=self.layers
            ).astype(np.int64)

    def _pair(
        self,
        one: Pieces,
        other: Pieces,
        both: Flags,
        region_length: Ints,
        region_layer: Ints,
    ) -> tuple[Ints, Ints]:
        """Add the coincidences of two observers; per segment of each, the length the
        other's units meet it."""
        low, high, (mine, theirs) = overlay(one[:2], other[:2])
        # A piece either holds lies in that one's unit, so in one region; where both
        # hold it, in the same.
        region = np.maximum(picked(one[3] + 1, mine), picked(other[3] + 1, theirs)) - 1
        keep = region >= 0
        keep[keep] = both[region[keep]]  # the pieces of the documents both marked
        length, region, *at = kept(keep, high - low, region, mine, theirs)
        layer = region_layer[region]
        value = [picked(side[2], i) for i, side in zip(at, (one, other), strict=True)]
        values = self.values
        cells = np.bincount(
            (layer * values + value[0]) * values + value[1],
            weights=length,
            minlength=self.layers * values * values,
        )
        cells = cells.astype(np.int64).reshape(self.layers, values, values)
        self.observed += cells + cells.transpose(0, 2, 1)
        # What neither marked in the documents both marked: gap against gap.
        covered = np.bincount(region, weights=length, minlength=len(both)).astype(np.int64)
        gaps = np.where(both, region_length - covered, 0)
        self.observed[:, 0, 0] += 2 * np.bincount(
            region_layer, weights=gaps, minlength=self.layers
        ).astype(np.int64)
        valued = kept((value[0] > 0) & (value[1] > 0), length, *at)
        sums = [
            np.bincount(i, weights=valued[0], minlength=len(side[0])).astype(np.int64)
            for i, side in zip(valued[1:], (one, other), strict=True)
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
        lengths = batch.texts.lengths
        starts = np.concatenate(([0], np.cumsum(lengths)[:-1])).astype(np.int64)
        span, documents = int(lengths.sum()), len(lengths)
        rank = codes.by_name()
        observers = present(batch.who)
        overall: list[Pieces] = []
        by_label: list[Pieces] = []
        active = np.zeros((len(observers), documents), dtype=np.bool_)
        layered = np.zeros((len(observers), self.labels * documents), dtype=np.bool_)
        old: list[dict[int, tuple[Ints, Ints]]] = [{} for _ in range(self.labels)]
        for k, code in enumerate(observers):
            mine = batch.spans_of(code)
            # Each observer's spans of one label in one document merged once, for every
            # study: sorted by label, then place.
            group = mine.label * documents + mine.doc
            a, b, group = merged_by(mine.start, mine.end, group)
            label, region = np.divmod(group, documents)
            a = a + starts[region]
            b = b + starts[region]
            active[k, region] = True
            overall.append(_segments(a, b, label, region, rank))
            ours = int(np.searchsorted(label, self.labels))  # the project's labels
            shift = label[:ours] * span
            layered[k, group[:ours]] = True
            one = np.ones(ours, dtype=np.int64)
            by_label.append((a[:ours] + shift, b[:ours] + shift, one, group[:ours]))
            bounds = np.searchsorted(label[:ours], np.arange(self.labels + 1)).tolist()
            for units, low, high in zip(old, bounds[:-1], bounds[1:], strict=True):
                if high > low:
                    units[code] = (self.total + a[low:high], self.total + b[low:high])
        self.overall.widen(len(codes.names) + 1)
        self.overall.add(overall, active, lengths, np.zeros(documents, dtype=np.int64))
        self.by_label.add(
            by_label,
            layered,
            np.tile(lengths, self.labels),
            np.repeat(np.arange(self.labels, dtype=np.int64), documents),
        )
        for sums, found in zip(self.old, old, strict=True):
            sums.add(found)
        self.total += span
        self.rows += len(batch.who)
        self.seen.update(observers)

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


def _segments(a: Ints, b: Ints, label: Ints, region: Ints, rank: Ints) -> Pieces:
    """One observer's merged units (sorted by label, then place) cut into the innermost
    at each point (the shortest, then the first label by name), touching pieces of one
    unit joined: their places, values (label code + 1) and regions."""
    if not len(label) or label[0] == label[-1]:  # one label: its merged units are apart
        return a, b, label + 1, region
    order = np.argsort(a, kind="stable")  # by place: most units then overlap no other
    a, b, label, region = a[order], b[order], label[order], region[order]
    a, b, owner = innermost(a, b, b - a, rank[label], a)
    a, b, owner, region = runs(a, b, owner, region[owner])
    return a, b, label[owner] + 1, region


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
