"""Krippendorff's alpha for unitizing (αu): agreement on where spans are *and* what they are.

A continuum (here: the code points of a text, or several texts laid end to end) is cut by
each observer into units with a value (a label) and the gaps between them. Two families of
coefficients are computed:

**Krippendorff (1995, 2004)**, per value, as DKPro Statistics and INCEpTION report it
(:func:`disagreement_2004`). For one value, each observer's units of that value and the
gaps around them are compared pair by pair of observers: two overlapping units differ by
``(start difference)² + (end difference)²``, a unit lying wholly in the other's gap by
``length²``. The expected disagreement is that of all placements of the same units at
random. ``αu = 1 - Do / De``; over several values ``1 - ΣDo / ΣDe``.

- Krippendorff, K. (1995). On the reliability of unitizing contiguous data. Sociological
  Methodology 25:47-76.
- Krippendorff, K. (2004). Content Analysis: An Introduction to Its Methodology, 2nd ed.,
  section 11.7 (the example on p. 254).

**Krippendorff, Mathet, Bouvry & Widlöcher (2016)**, On the reliability of unitizing
textual continua: further developments, Quality & Quantity 50:2347-2364
(:class:`Coincidences`). Each observer's units and gaps form a partition of the continuum;
for every pair of observers, every pair of their segments adds the length of their
intersection to a coincidence matrix of values (gaps are the value ``None``). From it:

- ``u`` (uα, eq. 5): agreement on both the cutting and the values, gaps included;
- ``bu`` (|uα, eq. 6): agreement on relevant matter (any unit) against gaps only;
- ``cu`` (cuα, eqs. 10-11): agreement on the values where units of two observers
  intersect, whatever their boundaries (needs two values or more).

The 2016 family needs units of one observer that do not overlap; callers cut nested spans
into their innermost labels, or compare one label at a time. Offsets are integers (code
points); lengths are exact integers until the final division.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import accumulate, pairwise

Value = str | None  # None: a gap
Segment = tuple[int, int, Value]  # [start, end) with its value


@dataclass(frozen=True)
class Disagreement:
    """Observed and expected disagreement of one value (Krippendorff 2004)."""

    observed: float
    expected: float

    def alpha(self) -> float | None:
        """``1 - Do / De``; None when nothing could disagree (``De == 0``)."""
        return None if self.expected == 0 else 1 - self.observed / self.expected


def pooled_alpha(parts: list[Disagreement]) -> float | None:
    """αu over several values: ``1 - ΣDo / ΣDe`` (DKPro's ``calculateAgreement``)."""
    expected = sum(p.expected for p in parts)
    return None if expected == 0 else 1 - sum(p.observed for p in parts) / expected


def disagreement_2004(length: int, observers: list[list[tuple[int, int]]]) -> Disagreement:
    """Do and De of one value over a continuum ``[0, length)`` (Krippendorff 2004).

    ``observers`` holds, per observer, its units of this value as ``(start, end)``; units
    of one observer must not overlap (merge them first, :func:`merged`).
    """
    raters = len(observers)
    if raters < 2 or length <= 0:
        return Disagreement(0.0, 0.0)
    units = [sorted(u) for u in observers]
    observed = 0
    for i in range(raters):
        for j in range(i + 1, raters):
            observed += _pair_distance(units[i], units[j])
    do = 2 * observed / (raters * (raters - 1) * length * length)

    lengths = [e - s for u in units for s, e in u]
    count = len(lengths)
    gaps = sorted(g for u in units for g in _gaps(u, length))
    # For each unit length l: sum over gaps g >= l of (g - l + 1), with prefix sums.
    tail = list(accumulate(reversed(gaps)))  # tail[k-1]: sum of the k largest gaps
    numerator = 0
    for unit in lengths:
        # (2l³ - 3l² + l) / 3 = l(l-1)(2l-1)/3, always an integer.
        numerator += (count - 1) * (unit * (unit - 1) * (2 * unit - 1) // 3)
        at = bisect_left(gaps, unit)
        wide = len(gaps) - at
        if wide:
            numerator += unit * unit * (tail[wide - 1] - (unit - 1) * wide)
    denominator = raters * length * (raters * length - 1) - sum(n * (n - 1) for n in lengths)
    de = 2 * numerator / (length * denominator) if denominator else 0.0
    return Disagreement(do, de)


def _pair_distance(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> int:
    """Sum of distances between two observers' units of one value: overlapping units
    differ by the squares of their start and end differences; a unit no unit of the other
    overlaps lies in the other's gap and counts its length squared."""
    total = 0
    hit_a = [False] * len(a)
    hit_b = [False] * len(b)
    j0 = 0
    for i, (s1, e1) in enumerate(a):
        while j0 < len(b) and b[j0][1] <= s1:
            j0 += 1
        j = j0
        while j < len(b) and b[j][0] < e1:
            s2, e2 = b[j]
            if s2 < e1 and s1 < e2:
                total += (s1 - s2) ** 2 + (e1 - e2) ** 2
                hit_a[i] = hit_b[j] = True
            j += 1
    total += sum((e - s) ** 2 for (s, e), hit in zip(a, hit_a, strict=True) if not hit)
    total += sum((e - s) ** 2 for (s, e), hit in zip(b, hit_b, strict=True) if not hit)
    return total


def _gaps(units: list[tuple[int, int]], length: int) -> list[int]:
    """Lengths of the stretches of ``[0, length)`` no unit covers (sorted units)."""
    gaps, at = [], 0
    for start, end in units:
        if start > at:
            gaps.append(start - at)
        at = max(at, end)
    if at < length:
        gaps.append(length - at)
    return gaps


def merged(units: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping units of one observer joined into one (units that only touch stay
    apart): the coefficients count each stretch of the continuum once per observer."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(units):
        if out and start < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def partition(units: list[tuple[int, int, str]], length: int) -> list[Segment]:
    """One observer's units cut into non-overlapping segments over ``[0, length)``: at each
    point the value of the innermost (shortest) unit covering it, ties by name, else a gap.
    Adjacent pieces of the same unit are joined."""
    cuts = sorted({0, length, *(s for s, _, _ in units), *(e for _, e, _ in units)})
    ordered = sorted(units, key=lambda u: (u[1] - u[0], u[2], u[0]))
    out: list[Segment] = []
    active: list[tuple[int, int, str]] = []
    rest = sorted(units)
    k = 0
    for start, end in pairwise(cuts):
        if end > length:
            break
        while k < len(rest) and rest[k][0] <= start:
            active.append(rest[k])
            k += 1
        active = [u for u in active if u[1] > start]
        value: Value = None
        if active:
            best = min(active, key=ordered.index) if len(active) > 1 else active[0]
            value = best[2]
        if out and out[-1][2] == value and out[-1][1] == start:
            out[-1] = (out[-1][0], end, value)
        else:
            out.append((start, end, value))
    return out


@dataclass
class Coincidences:
    """The 2016 coincidence matrix of one study (one continuum, ``m`` observers)."""

    observers: int
    observed: defaultdict[tuple[Value, Value], float] = field(
        default_factory=lambda: defaultdict(float)
    )
    squares: Counter[Value] = field(default_factory=Counter)  # Σ l² of units, Σ l of gaps
    inner: defaultdict[Value, float] = field(  # Σ (valued intersection)² / (m - 1)
        default_factory=lambda: defaultdict(float)
    )

    @classmethod
    def of(cls, segments: list[list[Segment]]) -> Coincidences:
        """From each observer's partition of the same continuum (:func:`partition`)."""
        study = cls(len(segments))
        m = len(segments)
        for i, mine in enumerate(segments):
            for start, end, value in mine:
                study.squares[value] += (end - start) if value is None else (end - start) ** 2
            for j, theirs in enumerate(segments):
                if i != j:
                    study._intersect(mine, theirs, m)
        return study

    def _intersect(self, mine: list[Segment], theirs: list[Segment], m: int) -> None:
        j = 0
        for start, end, value in mine:
            valued = 0
            while j < len(theirs) and theirs[j][1] <= start:
                j += 1
            k = j
            while k < len(theirs) and theirs[k][0] < end:
                s2, e2, v2 = theirs[k]
                overlap = min(end, e2) - max(start, s2)
                if overlap > 0:
                    self.observed[(value, v2)] += overlap / (m - 1)
                    if value is not None and v2 is not None:
                        valued += overlap
                k += 1
            if value is not None:
                self.inner[value] += valued * valued / (m - 1)

    def _margins(self) -> defaultdict[Value, float]:
        margins: defaultdict[Value, float] = defaultdict(float)
        for (c, _k), n in self.observed.items():
            margins[c] += n
        return margins

    def u(self) -> float | None:
        """uα (nominal): disagreement in cutting and in values, gaps being a value."""
        margins = self._margins()
        total = sum(margins.values())
        corrections = sum(self.squares.values())
        denominator = total * total - corrections
        if self.observers < 2 or not denominator:
            return None
        expected_same = sum(
            total * (margins[c] ** 2 - self.squares[c]) / denominator for c in margins
        )
        observed_same = sum(self.observed[(c, c)] for c in margins)
        return _alpha(total - observed_same, total - expected_same)

    def bu(self) -> float | None:
        """|uα: units of any value against gaps (is this matter relevant at all?). The
        disagreements are the gap/unit coincidences, observed against expected, values
        otherwise ignored; with one value it equals uα."""
        margins = self._margins()
        total = sum(margins.values())
        denominator = total * total - sum(self.squares.values())
        values = [c for c in margins if c is not None]
        if self.observers < 2 or not denominator or not margins[None] or not values:
            return None
        observed = sum(self.observed[(None, c)] + self.observed[(c, None)] for c in values)
        expected = 2 * total * margins[None] * sum(margins[c] for c in values) / denominator
        return _alpha(observed, expected)

    def cu(self) -> float | None:
        """cuα (nominal): the values of intersecting units, boundaries aside; None with
        fewer than two values or no intersecting units."""
        margins = self._margins()
        values = [c for c in margins if c is not None]
        inner = {c: margins[c] - self.observed[(c, None)] for c in values}
        total = sum(inner.values())
        if self.observers < 2 or len(values) < 2 or not total:
            return None
        denominator = total - sum(self.inner.values()) / total
        if not denominator:
            return None
        expected_same = sum((inner[c] ** 2 - self.inner[c]) / denominator for c in values)
        observed_same = sum(self.observed[(c, c)] for c in values)
        return _alpha(total - observed_same, total - expected_same)

    def add(self, other: Coincidences) -> None:
        """Pool another study's coincidences into these (documents side by side)."""
        self.observers = max(self.observers, other.observers)
        for pair, n in other.observed.items():
            self.observed[pair] += n
        self.squares.update(other.squares)
        for value, n in other.inner.items():
            self.inner[value] += n


def _alpha(observed: float, expected: float) -> float | None:
    if expected <= 1e-12:
        return None
    return 1 - observed / expected
