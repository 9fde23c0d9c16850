"""The array helpers of the agreement give what numpy's plain functions give."""

from __future__ import annotations

import random
from bisect import bisect_left, bisect_right
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest

from factmark.core import agreement_arrays
from factmark.core.agreement import TOKEN
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


def test_tokenize_finds_the_tokens_of_the_pattern(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Character classes looked up as met (every code point of the basic plane, astral
    ones, lone surrogates), texts taken a run at a time: the regex's tokens."""
    monkeypatch.setattr(agreement_arrays, "_CLASSES", np.full(0x110000, 255, dtype=np.uint8))
    monkeypatch.setattr(agreement_arrays, "CHUNK", 700)
    rng = random.Random(5)
    texts = [path.read_text(encoding="utf-8") for path in sorted(corpus.glob("*.txt"))]
    every = "".join(map(chr, range(0xD800))) + "".join(map(chr, range(0xE000, 0x10000)))
    texts += [every[n : n + 3000] for n in range(0, len(every), 3000)]
    texts += ["", " ", "\r\n", "\ud800x\udfff", "𠮷a_b😀1٣", "\u200b\u00a0\u3000"]
    texts += [
        "".join(chr(rng.randrange(0x110000)) for _ in range(rng.randint(0, 50))) for _ in range(200)
    ]
    rng.shuffle(texts)
    lengths = np.array([len(text) for text in texts], dtype=np.int64)
    runs = agreement_arrays.runs_of_texts(lengths)
    assert len(runs) > 30 and runs[0][0] == 0 and runs[-1][1] == len(texts)
    assert all(high > low == last for (_, last), (low, high) in pairwise([(0, 0), *runs]))
    chunks = [" ".join(texts[low:high]) for low, high in runs]
    found = agreement_arrays.tokenize(chunks, lengths)
    expected = []
    for text, offset in zip(texts, found.offsets.tolist(), strict=True):
        expected += [(offset + m.start(), offset + m.end()) for m in TOKEN.finditer(text)]
    assert np.flatnonzero(np.diff(found.before)).tolist() == [start for start, _ in expected]
    assert found.count == len(expected)
    assert found.counts.tolist() == [len(TOKEN.findall(text)) for text in texts]
    # Every span of up to 3 characters: the tokens it overlaps, by the regex's bounds.
    spans = [
        (n, s, e)
        for n, text in enumerate(texts)
        for s in range(len(text))
        for e in range(s + 1, min(len(text), s + 3) + 1)
    ]
    doc, start, end = (np.array(column, dtype=np.int64) for column in zip(*spans, strict=True))
    first, last = agreement_arrays.token_range(found, doc, start, end)
    starts = [a for a, _ in expected]
    ends = [b for _, b in expected]
    for (n, s, e), low, high in zip(spans, first.tolist(), last.tolist(), strict=True):
        at = int(found.offsets[n])
        overlapping = range(bisect_right(ends, at + s), bisect_left(starts, at + e))
        assert (low, high) == (overlapping.start, max(overlapping.start, overlapping.stop))


@pytest.mark.parametrize("high", [50, 1 << 52])  # the second one past exact float sums
def test_add_at_is_ufunc_at(high: int) -> None:
    rng = np.random.default_rng(23)
    rows, columns = rng.integers(0, 7, 5_000), rng.integers(0, 3, 5_000)
    values = rng.integers(-high, high, 5_000)
    expected = np.arange(21, dtype=np.int64).reshape(7, 3)
    found = expected.copy()
    np.add.at(expected, (rows, columns), values)
    agreement_arrays.add_at(found, rows, columns, values)
    assert np.array_equal(found, expected)
    empty = np.zeros(0, dtype=np.int64)
    agreement_arrays.add_at(found, empty, empty, empty)
    assert np.array_equal(found, expected)


@pytest.mark.parametrize("ordered", [True, False])
def test_innermost_gives_each_point_its_first_interval(ordered: bool) -> None:
    """Pieces between every bound, each with the interval covering it that sorts first by
    the keys, then by index: intervals apart, touching, nested, repeated and empty, in
    the order of their starts (clusters cut alone) or in none."""
    rng = np.random.default_rng(29)
    for _ in range(200):
        count = int(rng.integers(0, 30))
        start = rng.integers(0, 200, count)
        end = start + rng.choice([0, 1, 2, 5, 9, 40], count)
        if ordered:
            order = np.lexsort((end, start))
            start, end = start[order], end[order]
        width, label = end - start, rng.integers(0, 3, count)
        low, high, owner = agreement_arrays.innermost(start, end, width, label)
        points = sorted({int(p) for s, e in zip(start, end, strict=True) if s < e for p in (s, e)})
        expected = []
        for a, b in pairwise(points):
            covering = [i for i in range(count) if start[i] <= a and b <= end[i]]
            if covering:
                expected.append((a, b, min(covering, key=lambda i: (width[i], label[i], i))))
        assert list(zip(low.tolist(), high.tolist(), owner.tolist(), strict=True)) == expected


FAULTS = """
import resource, sys
import numpy as np
from factmark.core.agreement_arrays import keep_freed_memory
applied = keep_freed_memory() if sys.argv[1] == "kept" else False
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for n in range(60):  # a batch's arrays of a few hundred KB, freed, then the next batch's
    arrays = [np.ones(40_000 + 1_000 * k + n) for k in range(6)]
    del arrays
print(applied, resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


def test_freed_memory_is_kept_for_the_next_arrays() -> None:
    """Where the C library is glibc, the next batch's arrays take the pages the last
    one's freed instead of fresh ones from the kernel; elsewhere nothing is done."""
    import platform
    import subprocess
    import sys

    def faults(mode: str) -> tuple[str, int]:
        found = subprocess.run(
            [sys.executable, "-c", FAULTS, mode], capture_output=True, text=True, check=True
        ).stdout.split()
        return found[0], int(found[1])

    applied, kept = faults("kept")
    if not (sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc"):
        assert applied == "False"
        return
    assert applied == "True"
    _, fresh = faults("fresh")
    assert kept * 4 < fresh


def test_picked_is_the_value_or_0_where_nothing_is_there() -> None:
    rng = np.random.default_rng(31)
    for size in (0, 1, 7, 1_000):
        values = rng.integers(-5, 50, size)
        at = rng.integers(-1, size, 3_000) if size else np.full(40, -1)
        expected = [int(values[i]) if i >= 0 else 0 for i in at.tolist()]
        assert agreement_arrays.picked(values, at).tolist() == expected
