"""The array helpers of the agreement give what numpy's plain functions give."""

from __future__ import annotations

import numpy as np
import pytest

from factmark.core.agreement_arrays import overlay, ranked, sorting


@pytest.mark.parametrize("high", [3, 1_000, 1 << 61])  # the last one too wide to combine
def test_sorting_is_lexsort_of_the_keys_reversed(high: int) -> None:
    rng = np.random.default_rng(17)
    keys = [
        rng.integers(0, 4, 5_000),  # many ties: they keep the order of the index
        rng.integers(-high, high, 5_000),
        rng.integers(0, 50, 5_000),
    ]
    for count in (1, 2, 3):
        chosen = keys[:count]
        assert np.array_equal(sorting(*chosen), np.lexsort(tuple(reversed(chosen))))


def test_ranked_is_unique_and_its_places() -> None:
    values = np.random.default_rng(18).integers(-100, 100, 3_000)
    distinct, places = ranked(values)
    assert np.array_equal(distinct, np.unique(values))
    assert np.array_equal(places, np.searchsorted(distinct, values))


def _intervals(rng: np.random.Generator, count: int) -> tuple[np.ndarray, np.ndarray]:
    """Sorted disjoint intervals, some touching, some empty."""
    bounds = np.sort(rng.integers(0, 10 * count, 2 * count))
    return bounds[0::2], bounds[1::2]


def test_overlay_finds_the_interval_holding_each_piece() -> None:
    rng = np.random.default_rng(19)
    sides = [_intervals(rng, n) for n in (300, 50, 1)]
    low, high, holders = overlay(*sides)
    bounds = np.unique(np.concatenate([b for side in sides for b in side]))
    assert np.array_equal(low, bounds[:-1]) and np.array_equal(high, bounds[1:])
    for (starts, ends), holder in zip(sides, holders, strict=True):
        # The piece starting at ``low`` is held by the last interval starting at or
        # before it, if that one ends after it.
        at = np.searchsorted(starts, low, side="right") - 1
        inside = (at >= 0) & (ends[np.maximum(at, 0)] > low)
        assert np.array_equal(holder, np.where(inside, at, -1))
