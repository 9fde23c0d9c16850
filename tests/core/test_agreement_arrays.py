"""The array helpers of the agreement give what numpy's plain functions give."""

from __future__ import annotations

import numpy as np
import pytest

from factmark.core.agreement_arrays import ranked, sorting


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
