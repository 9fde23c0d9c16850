"""The compared documents as a table: their figures kept as arrays, lowest agreement first
(exact F1, then kappa, title and id, as ``agreement`` lists them), a row made only when
asked for, any other order (by a figure, by name) computed on the arrays.

At 100,000 articles a row (a dict with its annotators' names) per document and a sort of
them in Python took about a second and 80 MB; View > Agreement shows a few dozen rows at a
time. Titles are ordered by their UTF-8 (whose byte order is the order of their code
points, as Python compares strings): the first :data:`WORDS` eight-byte words of each, as
numbers, and the few titles those do not tell apart compared whole.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any, overload

import numpy as np
import numpy.typing as npt

from factmark.core.agreement_arrays import Ints
from factmark.core.agreement_texts import Names

Floats = npt.NDArray[np.float64]
Flags = npt.NDArray[np.bool_]
Bytes = npt.NDArray[np.uint8]
Words = npt.NDArray[np.uint64]
UNDEFINED = 2.0  # where an undefined figure sorts: after every defined one
FIGURES = ("exact_f1", "overlap_f1", "kappa")
NAME = "name"  # the order by the documents' names (``ComparedDocuments.named``)
WORDS = 4  # a text's first 32 bytes, as 4 numbers; texts alike in them are compared whole
UID_SHOWN = 12  # a document without a title is named by the start of its id


@dataclass
class Part:
    """One batch's documents and their figures (NaN where undefined)."""

    documents: Names  # their uids and titles
    names: list[str]  # the batch's annotators
    marked: list[Flags]  # per annotator: which documents it marked
    exact: Floats
    overlap: Floats
    kappa: Floats


def rounded_all(values: Floats) -> Floats:
    """Each value as ``round(value, 4)`` gives it (NaN kept), all at once: the scaled value
    rounded to a whole number, except where it lies within a millionth of a half (there
    the product's own rounding could tip it), which Python rounds one by one."""
    scaled = values * 1e4
    out: Floats = np.rint(scaled) / 1e4
    near = np.abs(np.abs(scaled - np.trunc(scaled)) - 0.5) < 1e-6  # False for NaN
    for at in np.flatnonzero(near).tolist():
        out[at] = round(float(values[at]), 4)
    return out


class ComparedDocuments(Sequence[dict[str, Any]]):
    """Compared documents in the figures' order; ``table[at]`` is the row ``agreement``
    lists (``id``, ``title``, ``annotators``, ``exact_f1``, ``overlap_f1``, ``kappa``),
    made when asked for."""

    def __init__(
        self,
        parts: list[Part],
        part_of: Ints,
        local: Ints,
        figures: dict[str, Floats],
        given: list[dict[str, Any]] | None = None,
    ) -> None:
        self._parts = parts
        self._part_of = part_of  # per row: its part
        self._local = local  # per row: its place in that part
        self._figures = figures  # per figure: rounded, NaN where undefined
        self._given = given  # rows given as they are (:meth:`of_rows`)
        self._name_ranks: Ints | None = None  # made at the first order by name

    @classmethod
    def ordered(cls, parts: list[Part], chosen: list[Ints], limit: int | None) -> ComparedDocuments:
        """The documents at the places ``chosen`` in each part, lowest agreement first (the
        first ``limit`` of them; every one when None)."""
        sizes = [len(places) for places in chosen]

        def joined(name: str) -> Floats:
            pieces = [
                getattr(part, name)[places] for part, places in zip(parts, chosen, strict=True)
            ]
            return np.concatenate([np.zeros(0), *pieces])

        read = cls(
            parts,
            np.repeat(np.arange(len(parts), dtype=np.int64), sizes),
            np.concatenate([np.zeros(0, dtype=np.int64), *chosen]).astype(np.int64),
            {
                key: rounded_all(joined(name))
                for key, name in zip(FIGURES, ("exact", "overlap", "kappa"), strict=True)
            },
        )
        ranks = _ranks(
            [read._key("exact_f1"), read._key("kappa"), *read._words(_title_bytes)],
            lambda at: (read.title(at), read.uid(at)),
        )
        return read._taken(np.argsort(ranks, kind="stable")[:limit])

    @classmethod
    def of_rows(cls, rows: list[dict[str, Any]]) -> ComparedDocuments:
        """A table of rows as ``agreement`` lists them, in their order."""
        pieces = [
            str(row[key]).encode("utf-8", "surrogatepass")
            for row in rows
            for key in ("id", "title")
        ]
        bounds = np.concatenate(([0], np.cumsum([len(piece) for piece in pieces]))).astype(np.int64)
        nothing = np.zeros(0)
        part = Part(Names(b"".join(pieces), bounds), [], [], nothing, nothing, nothing)
        figures = {
            key: np.array([math.nan if row[key] is None else row[key] for row in rows], dtype=float)
            for key in FIGURES
        }
        count = len(rows)
        return cls(
            [part],
            np.zeros(count, dtype=np.int64),
            np.arange(count, dtype=np.int64),
            figures,
            rows,
        )

    def __len__(self) -> int:
        return len(self._local)

    @overload
    def __getitem__(self, at: int) -> dict[str, Any]: ...

    @overload
    def __getitem__(self, at: slice) -> list[dict[str, Any]]: ...

    def __getitem__(self, at: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(at, slice):
            return [self.row(n) for n in range(*at.indices(len(self)))]
        if not -len(self) <= at < len(self):
            raise IndexError(at)
        return self.row(at % len(self))

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return (self.row(at) for at in range(len(self)))

    def row(self, at: int) -> dict[str, Any]:
        """The row at place ``at``."""
        if self._given is not None:
            return self._given[at]
        part, local = self._place(at)
        return {
            "id": part.documents.uid(local),
            "title": part.documents.title(local),
            "annotators": sorted(
                name for name, flags in zip(part.names, part.marked, strict=True) if flags[local]
            ),
            **{key: self.figure(key, at) for key in FIGURES},
        }

    def uid(self, at: int) -> str:
        if self._given is not None:
            return str(self._given[at]["id"])
        part, local = self._place(at)
        return part.documents.uid(local)

    def title(self, at: int) -> str:
        if self._given is not None:
            return str(self._given[at]["title"])
        part, local = self._place(at)
        return part.documents.title(local)

    def named(self, at: int) -> str:
        """How the document at ``at`` is named: its title, else the start of its id."""
        return self.title(at) or self.uid(at)[:UID_SHOWN]

    def figure(self, key: str, at: int) -> float | None:
        """One of :data:`FIGURES` of the document at ``at`` (None where undefined)."""
        value = float(self._figures[key][at])
        return None if math.isnan(value) else value

    def order(self, column: str, descending: bool = False) -> Ints:
        """The places of the rows ordered by ``column`` (:data:`NAME` or one of
        :data:`FIGURES`; an undefined figure after every defined one), rows equal in it
        kept in the table's order, lowest agreement first."""
        if column == NAME:
            if self._name_ranks is None:
                self._name_ranks = _ranks(self._words(_name_bytes), lambda at: (self.named(at),))
            key: npt.NDArray[Any] = self._name_ranks
        else:
            key = self._key(column)
        return np.argsort(-key if descending else key, kind="stable").astype(np.int64)

    def _place(self, at: int) -> tuple[Part, int]:
        return self._parts[int(self._part_of[at])], int(self._local[at])

    def _key(self, column: str) -> Floats:
        values = self._figures[column]
        return np.where(np.isnan(values), UNDEFINED, values)

    def _taken(self, places: Ints) -> ComparedDocuments:
        """The rows at ``places``, in that order."""
        return ComparedDocuments(
            self._parts,
            self._part_of[places],
            self._local[places],
            {key: values[places] for key, values in self._figures.items()},
        )

    def _words(self, piece: Callable[[Names, Ints], Bytes]) -> list[Words]:
        """Per row, the first ``8 * WORDS`` bytes ``piece`` takes of its names (zeros after
        the end), as :data:`WORDS` numbers that order as the bytes do; all zeros when a
        part's names are not all UTF-8 (then the rows are compared whole)."""
        width = 8 * WORDS
        matrix = np.zeros((len(self), width), dtype=np.uint8)
        by_part = np.argsort(self._part_of, kind="stable")
        ends = np.searchsorted(self._part_of[by_part], np.arange(len(self._parts) + 1))
        for n, part in enumerate(self._parts):
            rows = by_part[ends[n] : ends[n + 1]]
            if not len(rows):
                continue
            if not _utf8(part.documents):
                return [np.zeros(len(self), dtype=np.uint64)] * WORDS
            matrix[rows] = piece(part.documents, self._local[rows])
        words = matrix.view(">u8").astype(np.uint64)
        return [words[:, n] for n in range(WORDS)]


def _gathered(names: Names, starts: Ints, ends: Ints) -> Bytes:
    """Per piece ``[start, end)`` of ``names.data``, its first ``8 * WORDS`` bytes (zeros
    after its end)."""
    width = 8 * WORDS
    data = np.frombuffer(names.data, dtype=np.uint8)
    if not len(data):
        return np.zeros((len(starts), width), dtype=np.uint8)
    at = starts[:, None] + np.arange(width)
    return np.where(at < ends[:, None], data[np.minimum(at, len(data) - 1)], 0).astype(np.uint8)


def _title_bytes(names: Names, local: Ints) -> Bytes:
    return _gathered(names, names.bounds[2 * local + 1], names.bounds[2 * local + 2])


def _name_bytes(names: Names, local: Ints) -> Bytes:
    """The title's bytes, else those of the first :data:`UID_SHOWN` characters of the id."""
    titles = _title_bytes(names, local)
    uids = _gathered(names, names.bounds[2 * local], names.bounds[2 * local + 1])
    starting = (uids & 0xC0) != 0x80  # the bytes that start a character
    uids[np.cumsum(starting, axis=1) > UID_SHOWN] = 0
    untitled = names.bounds[2 * local + 2] == names.bounds[2 * local + 1]
    return np.where(untitled[:, None], uids, titles)


def _utf8(names: Names) -> bool:
    """Whether each uid and title is UTF-8 (the whole is, and none starts inside a
    character), so that its bytes order as its characters."""
    try:
        names.data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    starts, ends = names.bounds[:-1], names.bounds[1:]
    first = np.frombuffer(names.data, dtype=np.uint8)[starts[ends > starts]]
    return not bool(((first & 0xC0) == 0x80).any())


def _ranks(keys: list[npt.NDArray[Any]], whole: Callable[[int], tuple[str, ...]]) -> Ints:
    """Per row, the rank of its value: ``keys`` (numbers, the first foremost), then
    ``whole(row)`` for the rows alike in every key; rows alike in both share a rank."""
    count = len(keys[0])
    order = np.lexsort(keys[::-1]).astype(np.int64)
    same = np.ones(max(count - 1, 0), dtype=bool)
    for key in keys:
        ranked = key[order]
        same &= ranked[1:] == ranked[:-1]
    new = np.concatenate(([True], ~same))[:count]  # a row whose value differs from the last
    edges = np.flatnonzero(np.diff(np.concatenate(([0], same.astype(np.int8), [0]))))
    for start, stop in zip(edges[::2].tolist(), (edges[1::2] + 1).tolist(), strict=True):
        members = order[start:stop].tolist()
        texts = {member: whole(member) for member in members}
        members.sort(key=texts.__getitem__)  # stable: alike rows keep their order
        order[start:stop] = members
        new[start + 1 : stop] = [texts[a] != texts[b] for a, b in pairwise(members)]
    ranks = np.empty(count, dtype=np.int64)
    ranks[order] = np.cumsum(new) - 1
    return ranks
