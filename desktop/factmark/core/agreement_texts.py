"""The texts, uids and titles of a batch of compared documents, as read in one row.

A batch's texts are decoded a run of documents at a time (the run joined with a space
between texts, as the tokenizer takes them), not one string per document: decoding each
text on its own held the interpreter lock for most of the reading thread's time. A
document's own text, uid and title are decoded when asked for (the documents with links
or attributes, the disagreement list, the documents the table lists).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from factmark.core import agreement_arrays
from factmark.core.agreement_arrays import Ints
from factmark.core.storage import ProjectError


@dataclass(frozen=True)
class Names:
    """Some documents' uids and titles: their UTF-8 end to end (uid, title, uid, ...)."""

    data: bytes
    bounds: Ints  # where each uid and title starts, and where the last one ends

    def uid(self, at: int) -> str:
        return self._part(2 * at)

    def title(self, at: int) -> str:
        return self._part(2 * at + 1)

    def _part(self, n: int) -> str:
        start, end = self.bounds[n : n + 2].tolist()
        return str(self.data[start:end], "utf-8", "replace")


@dataclass(frozen=True)
class BatchTexts:
    """A batch's documents in id order: their ids, texts and names."""

    ids: list[int]
    lengths: Ints  # per text, its length in characters (code points)
    chunks: list[str]  # runs of whole texts, each joined with a space between texts
    data: bytes  # the texts' UTF-8, a space between each and the next
    bounds: Ints  # where each text starts in ``data`` (and the last one's end + 1)
    names: Names

    @classmethod
    def read(cls, row: tuple[str, str, str, str, bytes, bytes], where: str) -> BatchTexts:
        """From :meth:`factmark.core.reading.ReadingStore.joined_texts`' row; a text that
        is not UTF-8 is a :class:`ProjectError` naming ``where`` and its document."""
        ids, lengths, sizes, name_sizes = (
            np.fromstring(numbers, dtype=np.int64, sep=",") for numbers in row[:4]
        )
        data, names = row[4], row[5]
        if (ids[1:] <= ids[:-1]).any():  # not in id order: put in it
            ids, lengths, sizes, name_sizes, data, names = _sorted(
                ids, lengths, sizes, name_sizes, data, names
            )
        bounds = np.concatenate(([0], np.cumsum(sizes + 1))).astype(np.int64)
        view = memoryview(data)
        chunks = []
        for low, high in agreement_arrays.runs_of_texts(sizes):
            try:
                chunks.append(str(view[bounds[low] : bounds[high] - 1], "utf-8"))
            except UnicodeDecodeError:
                for at in range(low, high):
                    _text(view, bounds, at, where, int(ids[at]))
                raise  # not reached: one of them is not UTF-8
        if sum(map(len, chunks)) != int(lengths.sum()) + len(ids) - len(chunks):
            # SQLite counts characters up to a NUL: counted here instead.
            lengths = np.array(
                [len(_text(view, bounds, at, where, 0)) for at in range(len(ids))],
                dtype=np.int64,
            )
        name_bounds = np.concatenate(([0], np.cumsum(name_sizes))).astype(np.int64)
        return cls(ids.tolist(), lengths, chunks, data, bounds, Names(names, name_bounds))

    def text(self, at: int) -> str:
        """The text of the document at place ``at``."""
        start, end = self.bounds[at : at + 2].tolist()
        return str(memoryview(self.data)[start : end - 1], "utf-8")


def _text(view: memoryview, bounds: Ints, at: int, where: str, document: int) -> str:
    start, end = bounds[at : at + 2].tolist()
    try:
        return str(view[start : end - 1], "utf-8")
    except UnicodeDecodeError:
        raise ProjectError(f"{where}: document {document}: its text is not UTF-8") from None


def _sorted(
    ids: Ints, lengths: Ints, sizes: Ints, name_sizes: Ints, data: bytes, names: bytes
) -> tuple[Ints, Ints, Ints, Ints, bytes, bytes]:
    """The documents of a row in id order (SQLite does not promise the order it joins
    rows in)."""
    order = np.argsort(ids, kind="stable")
    ends = np.cumsum(sizes + 1)
    texts = [
        data[end - size - 1 : end - 1]
        for end, size in zip(ends.tolist(), sizes.tolist(), strict=True)
    ]
    pairs = name_sizes.reshape(-1, 2).sum(axis=1)
    name_ends = np.cumsum(pairs).tolist()
    parts = [names[end - size : end] for end, size in zip(name_ends, pairs.tolist(), strict=True)]
    chosen = order.tolist()
    return (
        ids[order],
        lengths[order],
        sizes[order],
        name_sizes.reshape(-1, 2)[order].ravel(),
        b" ".join(texts[at] for at in chosen),
        b"".join(parts[at] for at in chosen),
    )
