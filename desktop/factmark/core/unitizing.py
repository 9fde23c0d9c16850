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
textual continua: further developments, Quality & Quantity 50:2347-2364, as Krippendorff
(2019), Content Analysis 4th ed., section 12.6 presents it (:class:`Coincidences`). Each
observer's units and gaps form a partition of the continuum; for every pair of observers,
every pair of their segments adds the length of their intersection to a coincidence matrix
of values (gaps are the value ``None``). From it:

- ``u`` (uα, paper eq. 5, book eq. 34): agreement on both the cutting and the values, gaps
  included;
- ``bu`` (|uα, eq. 6, book eq. 35): agreement on relevant matter (any unit) against gaps;
- ``cu`` (cuα, eqs. 10-11, book eqs. 36-37): agreement on the values where units of two
  observers intersect, whatever their boundaries (needs two values or more);
- ``ku`` ((k)uα, book eq. 38) and ``coverage``: the same, value by value.

These reproduce the book's worked example (Figure 12.11, p. 340: Alex, Paul and Suzan on a
continuum of 60; uα .510, |uα .413, cuα .724; computed exactly here .5100, .4136 and
.7242), whose data and figures the R package quallmer tests (see
tests/core/test_unitizing.py). Two readings matter there:

- Units of one observer that only touch are two units even with the same value (Alex's
  two adjacent units of value 6): :func:`partition` keeps them apart. Joined, they would
  give uα .513 and |uα .417.
- In cuα's expected coincidences a unit must not pair with itself: its share of the
  margins is the length it meets units of the other observers, summed over them and
  divided by ``m - 1``, and its square is taken off (as a unit's length squared is in
  uα). With two observers every reading agrees; with three, squaring each pair's
  intersection before the sum gives .726, and squaring the length the union of the others'
  units covers (quallmer's reading) .728, against the book's .724.

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

    Overlapping units of one value are joined first (:func:`merged`: they count once);
    units that only touch stay two units, as in the 2019 book's example where Alex's two
    adjacent units of value 6 are two segments. Pieces of one unit that other units' ends
    cut apart are joined again, and so are pieces of a gap."""
    by_value: defaultdict[str, list[tuple[int, int]]] = defaultdict(list)
    for start, end, name in units:
        by_value[name].append((start, end))
    whole = sorted((s, e, name) for name, spans in by_value.items() for s, e in merged(spans))
    cuts = sorted({0, length, *(s for s, _, _ in whole), *(e for _, e, _ in whole)})
    out: list[Segment] = []
    owners: list[tuple[int, int, str] | None] = []  # the unit each segment belongs to
    active: list[tuple[int, int, str]] = []
    k = 0
    for start, end in pairwise(cuts):
        if end > length:
            break
        while k < len(whole) and whole[k][0] <= start:
            active.append(whole[k])
            k += 1
        active = [u for u in active if u[1] > start]
        best = min(active, key=lambda u: (u[1] - u[0], u[2], u[0])) if active else None
        if out and owners[-1] == best and out[-1][1] == start:
            out[-1] = (out[-1][0], end, out[-1][2])
        else:
            out.append((start, end, best[2] if best else None))
            owners.append(best)
    return out


@dataclass
class Coincidences:
    """The 2016 coincidence matrix of one study (one continuum, ``m`` observers)."""

    observers: int
    observed: defaultdict[tuple[Value, Value], float] = field(
        default_factory=lambda: defaultdict(float)
    )
    squares: Counter[Value] = field(default_factory=Counter)  # Σ l² of units, Σ l of gaps
    inner: defaultdict[Value, float] = field(  # Σ per unit (Σ valued intersection / (m-1))²
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
            # Per unit of mine, its length meeting units of the others (any value), summed
            # over the others: the unit's share of the cuα margins is that sum / (m - 1).
            valued = [0] * len(mine)
            for j, theirs in enumerate(segments):
                if i != j:
                    study._intersect(mine, theirs, m, valued)
            for (_, _, value), met in zip(mine, valued, strict=True):
                if value is not None:
                    study.inner[value] += (met / (m - 1)) ** 2
        return study

    def _intersect(
        self, mine: list[Segment], theirs: list[Segment], m: int, valued: list[int]
    ) -> None:
        j = 0
        for n, (start, end, value) in enumerate(mine):
            while j < len(theirs) and theirs[j][1] <= start:
                j += 1
            k = j
            while k < len(theirs) and theirs[k][0] < end:
                s2, e2, v2 = theirs[k]
                overlap = min(end, e2) - max(start, s2)
                if overlap > 0:
                    self.observed[(value, v2)] += overlap / (m - 1)
                    if value is not None and v2 is not None:
                        valued[n] += overlap
                k += 1

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

    def ku(self, value: str) -> float | None:
        """(k)uα of one value (the 2019 book's eq. 38, as quallmer reads it): in the cuα
        matrix, the share of the value's coincidences that pair it with another value,
        observed against expected. 1 when every unit of it met only units of it, 0 when it
        met others as often as by chance (a value only one observer used). None when no
        unit of it met a unit of another observer, or with one value only."""
        values = [c for c in self._margins() if c is not None]
        inner = {c: sum(self.observed[(c, k)] for k in values) for c in values}
        total = sum(inner.values())
        met = inner.get(value, 0.0)
        if self.observers < 2 or not met:
            return None
        denominator = total - sum(self.inner.values()) / total
        expected_all = (met * total - self.inner[value]) / denominator
        expected_other = expected_all - (met * met - self.inner[value]) / denominator
        if expected_other <= 1e-12:
            return None
        observed_other = met - self.observed[(value, value)]
        return 1 - (observed_other / met) / (expected_other / expected_all)

    def coverage(self, value: str) -> float | None:
        """Share of the value's coincidences that are with units (any value) rather than
        gaps: how much of what one observer gave this value the others marked at all."""
        margin = self._margins()[value]
        if not margin:
            return None
        return 1 - self.observed[(value, None)] / margin

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
