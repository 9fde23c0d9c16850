"""The 1995/2004 unitizing alpha (αu) of a whole project, from sums kept a batch at a time.

Each label's sums (:class:`Units2004`): how many units and gaps of each length the
annotators left over the compared documents laid end to end, the squared distances of
the units of each pair that overlap, and where each annotator's last unit ended (a gap
runs on into the next batch). :mod:`factmark.core.unitizing_scan` feeds them; the
figures are those :func:`factmark.core.unitizing.disagreement_2004` gives.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np

from factmark.core.agreement_arrays import Ints, distinct
from factmark.core.unitizing import Disagreement


class Histogram:
    """How many times each integer was counted, kept as arrays: a batch brings thousands
    of distinct unit and gap lengths, too many to add into a dict one at a time."""

    PARTS = 64  # parts kept before they are summed into one

    def __init__(self) -> None:
        self.parts: list[tuple[Ints, Ints]] = []

    def add(self, values: Ints, counts: Ints) -> None:
        """Count each of ``values`` ``counts`` times (a count may be negative)."""
        self.parts.append((values, counts))
        if len(self.parts) > self.PARTS:
            self.parts = [self._summed()]

    def update(self, other: Histogram) -> None:
        """Count everything ``other`` counted."""
        for values, counts in other.parts:
            self.add(values, counts)

    def counted(self) -> Counter[int]:
        """Each value counted (a positive number of times) and how many times."""
        values, counts = self._summed()
        return Counter(dict(zip(values.tolist(), counts.tolist(), strict=True)))

    def _summed(self) -> tuple[Ints, Ints]:
        if not self.parts:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty
        values, at = np.unique(
            np.concatenate([values for values, _ in self.parts]), return_inverse=True
        )
        counts = np.zeros(len(values), dtype=np.int64)
        np.add.at(counts, at, np.concatenate([counts for _, counts in self.parts]))
        kept = counts > 0
        return values[kept], counts[kept]


@dataclass
class Units2004:
    """One label's 2004 sums: unit and gap lengths, pair distances, carried gaps."""

    units: int = 0
    lengths: Histogram = field(default_factory=Histogram)
    gaps: Histogram = field(default_factory=Histogram)
    squares: defaultdict[int, int] = field(default_factory=lambda: defaultdict(int))
    correction: int = 0  # Σ over pairs: overlap distances - squares of the matched units
    reached: dict[int, int] = field(default_factory=dict)  # annotator -> last unit's end
    first: dict[int, int] = field(default_factory=dict)  # annotator -> first unit's start

    def add(self, units: dict[int, tuple[Ints, Ints]]) -> None:
        """Pool each annotator's merged units (sorted, in the whole continuum)."""
        for code, (s, e) in units.items():
            self.units += len(s)
            length = e - s
            self.lengths.add(*_counted(length))
            self.first.setdefault(code, int(s[0]))
            self.squares[code] += int((length * length).sum())
            before = np.concatenate(([self.reached.get(code, 0)], e[:-1]))
            gap = s - before
            self.gaps.add(*_counted(gap[gap > 0]))
            self.reached[code] = int(e[-1])
        for x, y in combinations(sorted(units), 2):
            (s1, e1), (s2, e2) = units[x], units[y]
            low = np.searchsorted(e2, s1, side="right")
            high = np.maximum(np.searchsorted(s2, e1, side="left"), low)
            spread = high - low
            one = np.repeat(np.arange(len(s1)), spread)
            two = np.arange(len(one)) - np.repeat(np.cumsum(spread) - spread, spread) + low[one]
            cost = ((s1[one] - s2[two]) ** 2 + (e1[one] - e2[two]) ** 2).sum()
            hit_one = distinct(one)
            hit_two = distinct(two)
            matched = ((e1[hit_one] - s1[hit_one]) ** 2).sum() + (
                (e2[hit_two] - s2[hit_two]) ** 2
            ).sum()
            self.correction += int(cost) - int(matched)

    def merge(self, other: Units2004, offset: int) -> None:
        """Pool the sums of the units that follow, counted on their own from ``offset``
        of the continuum: each annotator's first gap there is measured again from their
        last unit before."""
        fixes: Counter[int] = Counter()
        for code, start in other.first.items():
            if start > 0:  # counted from the start of the continuum
                fixes[start] -= 1
            gap = offset + start - self.reached.get(code, 0)
            if gap > 0:
                fixes[gap] += 1
            self.first.setdefault(code, offset + start)
        self.gaps.update(other.gaps)
        self.gaps.add(*_as_arrays(fixes))
        self.units += other.units
        self.lengths.update(other.lengths)
        for code, squares in other.squares.items():
            self.squares[code] += squares
        self.correction += other.correction
        for code, end in other.reached.items():
            self.reached[code] = offset + end

    def disagreement(self, total: int, annotators: list[int]) -> Disagreement:
        """Do and De over the continuum of ``total`` code points and these annotators."""
        raters = len(annotators)
        if raters < 2 or total <= 0:
            return Disagreement(0.0, 0.0)
        observed = (raters - 1) * sum(self.squares.values()) + self.correction
        gaps = self.gaps.counted()
        for code in annotators:
            tail = total - self.reached.get(code, 0)
            if tail > 0:
                gaps[tail] += 1
        lengths = self.lengths.counted()
        count = sum(lengths.values())
        numerator = 0
        ordered = sorted(gaps.items(), reverse=True)
        wide = reach = 0
        at = 0
        for unit, n in sorted(lengths.items(), reverse=True):
            while at < len(ordered) and ordered[at][0] >= unit:
                wide += ordered[at][1]
                reach += ordered[at][0] * ordered[at][1]
                at += 1
            per = (count - 1) * (unit * (unit - 1) * (2 * unit - 1) // 3)
            per += unit * unit * (reach - (unit - 1) * wide)
            numerator += n * per
        do = 2 * observed / (raters * (raters - 1) * total * total)
        denominator = raters * total * (raters * total - 1) - sum(
            n * u * (u - 1) for u, n in lengths.items()
        )
        de = 2 * numerator / (total * denominator) if denominator else 0.0
        return Disagreement(do, de)


def _counted(lengths: Ints) -> tuple[Ints, Ints]:
    """The distinct lengths and how many times each occurs."""
    if len(lengths) and lengths.min() >= 0 and lengths.max() < 4 * len(lengths) + 1024:
        counts = np.bincount(lengths)  # no sort where the lengths are short
        values = np.flatnonzero(counts)
        return values.astype(np.int64), counts[values].astype(np.int64)
    values, counts = np.unique(lengths, return_counts=True)
    return values.astype(np.int64), counts.astype(np.int64)


def _as_arrays(counts: Counter[int]) -> tuple[Ints, Ints]:
    return (
        np.fromiter(counts.keys(), dtype=np.int64, count=len(counts)),
        np.fromiter(counts.values(), dtype=np.int64, count=len(counts)),
    )
