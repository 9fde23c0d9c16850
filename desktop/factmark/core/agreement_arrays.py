"""The agreement counts of many documents at once, on arrays (numpy).

:mod:`factmark.core.agreement` defines every figure one document at a time; an archive
of millions of spans is too much for a Python object per span or per token, so the counts
are taken here on whole batches of documents. Spans are rows of parallel integer arrays
(document in the batch, start, end, label code, annotator code); documents are laid end
to end in one coordinate (code points, or token numbers) so that one sort or one search
serves the whole batch. Every count is an exact integer: the figures computed from them
are the same as the one-document-at-a-time definitions give (a test compares both).
"""

from __future__ import annotations

import ctypes
import math
import sys
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

Ints = npt.NDArray[np.int64]
Flags = npt.NDArray[np.bool_]
SHIFT = 1 << 32  # room for one text's offsets beside a group number in one int64

# Character classes of the token pattern ``\w+|[^\w\s]``: 0 space, 1 word, 2 other mark.
# Python's ``\w`` is ``str.isalnum()`` or ``_``, its ``\s`` ``str.isspace()``.
_UNKNOWN = 255
_CLASSES = np.full(0x110000, _UNKNOWN, dtype=np.uint8)


def _classify(points: Ints) -> None:
    """Fill the class table for these code points (once per code point, as met: a text
    has a few hundred distinct ones, the basic plane 65,536)."""
    for point in points.tolist():
        char = chr(point)
        _CLASSES[point] = 1 if char.isalnum() or char == "_" else 0 if char.isspace() else 2


# glibc's mallopt parameters (malloc.h): freed memory is kept up to 256 MiB, and arrays
# of up to 32 MiB (a batch's largest) come from it rather than from a mapping of their own.
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
_KEPT, _FROM_HEAP = 256 << 20, 32 << 20


def keep_freed_memory() -> bool:
    """Have the C library keep the memory freed by a batch's arrays for the next batch's
    instead of handing it back to the system at once and faulting in fresh pages (zeroed
    by the kernel) for every new array of more than 128 KiB: at 100,000 articles a
    fifth of the page faults and ~5 % of the processor time of ``factmark agree``. For a
    process that counts and ends (the command), not for the window, which would keep
    that memory. True where applied (glibc); elsewhere nothing changes."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # a C library without it (musl)
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return bool(mallopt(_M_MMAP_THRESHOLD, _FROM_HEAP) and mallopt(_M_TRIM_THRESHOLD, _KEPT))


def distinct(values: Ints) -> Ints:
    """The sorted distinct values (by sorting: numpy's hashing ``unique`` is slower on
    these integer arrays, and loads ``numpy.ma``: 17 ms of ``factmark agree``)."""
    ordered = np.sort(values, kind="stable")
    if len(ordered) < 2:
        return ordered
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))]


def present(codes: Ints) -> list[int]:
    """The distinct values of these small non-negative integers (annotator codes,
    counts of annotators), ascending: by counting them, several times faster than
    ``np.unique``'s hashing on a batch's spans."""
    return np.flatnonzero(np.bincount(codes)).tolist()


@dataclass(frozen=True)
class Tokens:
    """The tokens of a batch of texts joined with one space between them."""

    # Per place of the joined text (and its end), how many tokens start before it: a
    # token's number at its place, without a search per span among the starts.
    before: npt.NDArray[np.integer[Any]]  # 32 bits where they hold the texts' length
    classes: npt.NDArray[np.uint8]  # of each character of the joined text (0: a space)
    offsets: Ints  # where each text starts in the joined text
    first: Ints  # the number of each text's first token
    counts: Ints  # tokens per text

    @property
    def count(self) -> int:
        """How many tokens the texts hold."""
        return int(self.before[-1])


def tokenize(chunks: list[str], lengths: Ints) -> Tokens:
    """The tokens of :data:`factmark.core.agreement.TOKEN` in texts of ``lengths``, given
    as ``chunks`` (runs of whole texts in order, each joined with one space between
    texts: :func:`runs_of_texts`), without a Python object per token: runs of word
    characters, and every other non-space mark."""
    total = int(lengths.sum()) + len(lengths)  # each text and the space after it
    # The class of each character, after a space before the first: each chunk's written
    # in its place, between the spaces around it.
    classes = np.zeros(total + 1, dtype=np.uint8)
    at = 0
    for joined in chunks:
        _classes(joined, classes[at + 1 : at + 1 + len(joined)])
        at += len(joined) + 1
    # A token starts at every mark (class 2 is above both 0 and 1), and at a word
    # character (1) after one of another class (0 where the one before is not a word).
    starts = classes[1:] > (classes[:-1] == 1).view(np.uint8)  # characters p - 1 and p
    wide = np.int32 if total < 1 << 31 else np.int64
    before: npt.NDArray[np.integer[Any]] = np.zeros(total + 1, dtype=wide)
    np.cumsum(starts, dtype=before.dtype, out=before[1:])
    offsets = np.concatenate(([0], np.cumsum(lengths + 1)[:-1])).astype(np.int64)
    first = before[offsets].astype(np.int64)
    counts = np.diff(np.concatenate((first, [int(before[-1])]))).astype(np.int64)
    return Tokens(before, classes[1:], offsets, first, counts)


def runs_of_texts(sizes: Ints) -> list[tuple[int, int]]:
    """``[low, high)`` of each run of texts of these sizes that add up to about
    :data:`CHUNK`: the texts are taken a run at a time, small strings and arrays, in
    memory the process already has (a fresh page costs more than the work on it)."""
    cuts = (np.flatnonzero(np.diff(np.cumsum(sizes + 1) // CHUNK)) + 1).tolist()
    return list(zip([0, *cuts], [*cuts, len(sizes)], strict=True))


CHUNK = 1 << 17


def _classes(text: str, classes: npt.NDArray[np.uint8]) -> None:
    """The class of each character of ``text``, written into ``classes``."""
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    np.take(_CLASSES, points, out=classes)
    if len(classes) and classes.max() == _UNKNOWN:
        _classify(distinct(points[classes == _UNKNOWN].astype(np.int64)))
        np.take(_CLASSES, points, out=classes)


def token_range(tokens: Tokens, doc: Ints, start: Ints, end: Ints) -> tuple[Ints, Ints]:
    """``[first, last)`` token numbers each span overlaps (empty when it covers none)."""
    at = tokens.offsets[doc] + start
    # The first token ending after the span's start: the last one starting at or before
    # it when that character is in a token (a word runs on, a mark is one), else the next.
    first = tokens.before[at + 1].astype(np.int64)
    first -= tokens.classes[at] != 0
    # The tokens starting before its end (all of them past the end of the texts).
    last = tokens.before[np.minimum(tokens.offsets[doc] + end, len(tokens.classes))]
    return first, np.maximum(first, last.astype(np.int64))


def innermost(start: Ints, end: Ints, *keys: Ints) -> tuple[Ints, Ints, Ints]:
    """The union of ``[start, end)`` cut into pieces, each with the interval covering it
    that sorts first by ``keys``, then by its index (its index; pieces not joined, gaps
    left out)."""
    kept = np.flatnonzero(start < end)
    if not len(kept):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    low, high = start[kept], end[kept]
    if not (low[1:] >= low[:-1]).all():  # in no order: every bound cuts
        return _cut(kept, low, high, [key[kept] for key in keys])
    # In order of their starts (as spans are read), most intervals overlap no other and
    # are a piece each: only the clusters of overlapping ones are cut.
    reach = np.maximum.accumulate(high)
    head = np.concatenate(([True], low[1:] >= reach[:-1]))  # the first of a cluster
    alone = head & np.concatenate((head[1:], [True]))
    if alone.all():
        return low, high, kept
    crowd = np.flatnonzero(~alone)
    a, b, owner = _cut(crowd, low[crowd], high[crowd], [key[kept[crowd]] for key in keys])
    single = np.flatnonzero(alone)
    cluster = np.cumsum(head) - 1
    # Both lists run in the order of the clusters, which lie apart: merged by cluster.
    order = np.argsort(np.concatenate((cluster[single], cluster[owner])), kind="stable")
    return (
        np.concatenate((low[single], a))[order],
        np.concatenate((high[single], b))[order],
        kept[np.concatenate((single, owner))[order]],
    )


def _cut(kept: Ints, start: Ints, end: Ints, keys: list[Ints]) -> tuple[Ints, Ints, Ints]:
    """:func:`innermost` of the intervals ``kept`` (not empty), whatever their order:
    the pieces between every bound, each with its interval."""
    n = len(kept)
    cuts, places = ranked(np.concatenate((start, end)))
    first, spread = places[:n], places[n:] - places[:n]
    # Each interval's place in the order of ``keys``: one number to sort its pieces by.
    order = sorting(*keys) if keys else np.arange(n)
    place = np.empty(n, dtype=np.int64)
    place[order] = np.arange(n)
    piece = ranges(first, spread)
    best = np.sort(piece * n + np.repeat(place, spread), kind="stable")  # nearly sorted
    heads = np.concatenate(([True], best[1:] // n != best[:-1] // n))
    piece, best = np.divmod(best[heads], n)
    return cuts[piece], cuts[piece + 1], kept[order[best]].astype(np.int64)


def ranges(first: Ints, count: Ints) -> Ints:
    """``first[i], first[i] + 1, ..., first[i] + count[i] - 1`` for each ``i``, end to end."""
    shifts: Ints = np.repeat(first - (np.cumsum(count) - count), count)
    return np.arange(int(count.sum()), dtype=np.int64) + shifts


def ranked(values: Ints) -> tuple[Ints, Ints]:
    """The sorted distinct values, and the place of each value among them (one sort
    instead of a sort and a search)."""
    if not len(values):
        return values, np.empty(0, dtype=np.int64)
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    fresh = np.concatenate(([True], ordered[1:] != ordered[:-1]))
    places = np.empty(len(values), dtype=np.int64)
    places[order] = np.cumsum(fresh) - 1
    return ordered[fresh], places


def sorting(*keys: Ints) -> Ints:
    """The indices that sort by ``keys`` (the first the most significant), ties by index:
    ``np.lexsort`` of the keys reversed, by one sort of one number where they fit in one."""
    lows = [int(key.min()) if len(key) else 0 for key in keys]
    widths = [
        int(key.max()) - low + 1 if len(key) else 1 for key, low in zip(keys, lows, strict=True)
    ]
    if math.prod(widths) >= 1 << 62:
        return np.lexsort(tuple(reversed(keys)))
    combined = np.zeros(len(keys[0]), dtype=np.int64)
    for key, low, width in zip(keys, lows, widths, strict=True):
        combined = combined * width + (key - low)
    return np.argsort(combined, kind="stable")


def runs(start: Ints, end: Ints, owner: Ints, region: Ints) -> tuple[Ints, Ints, Ints, Ints]:
    """Touching pieces of one interval (cut apart by intervals nested in it) joined."""
    if not len(start):
        return start, end, owner, region
    joins = (start[1:] == end[:-1]) & (owner[1:] == owner[:-1]) & (region[1:] == region[:-1])
    heads = np.flatnonzero(np.concatenate(([True], ~joins)))
    tails = np.concatenate((heads[1:], [len(start)])) - 1
    return start[heads], end[tails], owner[heads], region[heads]


def merged_by(start: Ints, end: Ints, group: Ints) -> tuple[Ints, Ints, Ints]:
    """Overlapping intervals of one group joined (touching ones stay apart), as
    :func:`factmark.core.unitizing.merged` does, sorted by group and start."""
    if not len(start):
        return start, end, group
    order = sorting(group, start, end)
    start, end, group = start[order], end[order], group[order]
    room = int(end.max()) + 1
    reach = np.maximum.accumulate(group * room + end)
    fresh = np.concatenate(([True], group[1:] * room + start[1:] >= reach[:-1]))
    heads = np.flatnonzero(fresh)
    return start[heads], np.maximum.reduceat(end, heads), group[heads]


def merged_units(start: Ints, end: Ints) -> tuple[Ints, Ints]:
    """Overlapping units joined (touching ones stay apart), as
    :func:`factmark.core.unitizing.merged` does, over sorted arrays."""
    if not len(start):
        return start, end
    order = sorting(start, end)
    start, end = start[order], end[order]
    reach = np.maximum.accumulate(end)
    heads = np.flatnonzero(np.concatenate(([True], start[1:] >= reach[:-1])))
    return start[heads], np.maximum.reduceat(end, heads)


def overlay(*sides: tuple[Ints, Ints]) -> tuple[Ints, Ints, list[Ints]]:
    """The elementary pieces between every bound of these sides (each a sorted list of
    disjoint intervals ``(starts, ends)``), and per side, for each piece, the index of the
    side's interval holding it, or -1 (one sort of the bounds, no search per piece)."""
    cuts, places = ranked(np.concatenate([bound for side in sides for bound in side]))
    count = max(len(cuts) - 1, 0)
    holders = []
    at = 0
    for start, _ in sides:
        n = len(start)
        first, spread = places[at : at + n], places[at + n : at + 2 * n] - places[at : at + n]
        at += 2 * n
        held = ranges(first, spread)
        holder = np.full(count, -1, dtype=np.int64)
        holder[held] = np.repeat(np.arange(n), spread)
        holders.append(holder)
    return cuts[:-1], cuts[1:], holders


def units(doc: Ints, start: Ints, end: Ints, label: Ints, labels: int) -> tuple[Ints, Ints, Ints]:
    """One annotator's spans as a set: ``(group, start, end)`` without repeats, sorted,
    where ``group = doc * labels + label``."""
    group = doc * labels + label
    order = sorting(group, start, end)
    group, start, end = group[order], start[order], end[order]
    fresh = np.ones(len(group), dtype=np.bool_)
    fresh[1:] = (group[1:] != group[:-1]) | (start[1:] != start[:-1]) | (end[1:] != end[:-1])
    return group[fresh], start[fresh], end[fresh]


def exact_matches(a: tuple[Ints, Ints, Ints], b: tuple[Ints, Ints, Ints], size: int) -> Ints:
    """Per group, how many units the two sets share."""
    group = np.concatenate((a[0], b[0]))
    start = np.concatenate((a[1], b[1]))
    end = np.concatenate((a[2], b[2]))
    order = sorting(group, start, end)
    group, start, end = group[order], start[order], end[order]
    same = (group[1:] == group[:-1]) & (start[1:] == start[:-1]) & (end[1:] == end[:-1])
    return np.bincount(group[1:][same], minlength=size).astype(np.int64)


def add_at(into: Ints, rows: Ints, columns: Ints, values: Ints) -> None:
    """``np.add.at(into, (rows, columns), values)`` on a 2-D array of integers: one
    ``bincount`` of the flat places, several times faster than ``ufunc.at`` with two index
    arrays; its float sums are exact while they stay under 2**53, else ``ufunc.at``."""
    if len(values) and int(np.abs(values).max()) * len(values) >= 1 << 53:
        np.add.at(into, (rows, columns), values)
        return
    height, width = into.shape
    sums = np.bincount(rows * width + columns, weights=values, minlength=height * width)
    into += sums.astype(np.int64).reshape(height, width)


def kept(flags: Flags, *arrays: Ints) -> list[Ints]:
    """Each array's items where ``flags`` is set: their places found once, then taken
    from each (numpy's selection by flags copies each run of set flags on its own, about
    twice as slow on a batch's mixed flags)."""
    at = np.flatnonzero(flags)
    return [np.take(values, at) for values in arrays]


def picked(values: Ints, at: Ints) -> Ints:
    """``values[at]``, 0 where ``at`` is -1 (nothing there); also when ``values`` is empty
    (a side whose spans in a batch cover no token)."""
    padded = np.zeros(len(values) + 1, dtype=values.dtype)  # a 0 for -1 (one pass less)
    padded[1:] = values
    return padded[at + 1]


def overlapping(a: tuple[Ints, Ints, Ints], b: tuple[Ints, Ints, Ints], size: int) -> Ints:
    """Per group, how many units of ``a`` overlap some unit of ``b`` in the same group."""
    if not len(b[0]) or not len(a[0]):
        return np.zeros(size, dtype=np.int64)
    b_starts = b[0] * SHIFT + b[1]
    reach = np.maximum.accumulate(b[0] * SHIFT + b[2])
    at = np.searchsorted(b_starts, a[0] * SHIFT + a[2], side="left") - 1
    hit = (at >= 0) & (reach[np.maximum(at, 0)] > a[0] * SHIFT + a[1])
    return np.bincount(a[0][hit], minlength=size).astype(np.int64)


def disagreeing_clusters(
    doc: Ints, start: Ints, end: Ints, label: Ints, who: Ints, labels: int, annotators: Ints
) -> Ints:
    """Per label, the clusters (spans of one label overlapping through chains) that the
    annotators of the document did not all mark once at the same place."""
    if not len(doc):
        return np.zeros(labels, dtype=np.int64)
    group = doc * labels + label
    order = sorting(group, start)
    group, start, end, who = group[order], start[order], end[order], who[order]
    low = group * SHIFT + start
    reach = np.maximum.accumulate(group * SHIFT + end)
    heads = np.flatnonzero(np.concatenate(([True], low[1:] >= reach[:-1])))
    fresh = np.zeros(len(group), dtype=np.int64)
    fresh[heads] = 1
    cluster = np.cumsum(fresh) - 1
    rows = np.diff(np.concatenate((heads, [len(group)])))
    one_place = (np.minimum.reduceat(start, heads) == np.maximum.reduceat(start, heads)) & (
        np.minimum.reduceat(end, heads) == np.maximum.reduceat(end, heads)
    )
    pairs = distinct(cluster * (int(who.max()) + 1) + who)
    people = np.bincount(pairs // (int(who.max()) + 1), minlength=len(heads))
    expected = annotators[group[heads] // labels]
    agreed = one_place & (rows == expected) & (people == expected)
    return np.bincount(group[heads][~agreed] % labels, minlength=labels).astype(np.int64)
