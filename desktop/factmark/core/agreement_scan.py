"""A project's compared documents read in batches, and each annotator pair's counts.

Documents are read a range of ids at a time (one query for their texts, one for their
spans, one for their relations), so that memory stays bounded however large the archive.
A document is compared when at least two annotators (not the gold layer) made spans in it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np

from factmark.core.agreement_arrays import (
    Flags,
    Ints,
    Tokens,
    add_at,
    exact_matches,
    innermost,
    kept,
    merged_units,
    overlapping,
    overlay,
    picked,
    present,
    token_range,
    units,
)
from factmark.core.agreement_texts import BatchTexts
from factmark.core.model import GOLD, Relation
from factmark.core.project import Project

BATCH = 1024  # documents per range read: a few MB of text and spans at a time
EVERY_ID = range(-(2**63), 2**63)  # every id SQLite can give a row


class Codes:
    """Names numbered in the order met (labels, annotators)."""

    def __init__(self, names: list[str]) -> None:
        self.names: list[str] = []
        self.index: dict[str | None, int] = {}
        for name in names:
            self.code(name)

    def code(self, name: str) -> int:
        """The number of ``name``, given one when new."""
        if name not in self.index:
            self.index[name] = len(self.names)
            self.names.append(name)
        return self.index[name]

    def codes(self, names: tuple[Any, ...]) -> Ints:
        """The numbers of these names; None and the gold layer are -1."""
        for name in set(names) - self.index.keys():
            if name is not None and name != GOLD:
                self.code(name)
        index = dict(self.index)
        index[None] = index[GOLD] = -1
        return np.fromiter(map(index.__getitem__, names), dtype=np.int64, count=len(names))

    def copy(self) -> Codes:
        """These names and numbers, apart from any numbered later."""
        other = Codes([])
        other.names = list(self.names)
        other.index = dict(self.index)
        return other

    def numbered_alike(self, names: list[str]) -> bool:
        """Whether ``names``, numbered in this order from the same first names elsewhere,
        have these numbers here (those not known here are numbered so)."""
        known = len(self.names)
        if names[:known] != self.names[: len(names)] or self.index.keys() & names[known:]:
            return False
        for name in names[known:]:
            self.code(name)
        return True

    def by_name(self) -> Ints:
        """Per code, its place in name order."""
        rank = np.empty(len(self.names), dtype=np.int64)
        rank[np.argsort(np.array(self.names, dtype=object), kind="stable")] = np.arange(
            len(self.names)
        )
        return rank


class Spans(NamedTuple):
    """Some spans of a batch: per span its document's place, start, end and label code."""

    doc: Ints
    start: Ints
    end: Ints
    label: Ints

    def among(self, flags: Flags) -> Spans:
        """The spans where ``flags`` is set (these, when it is set everywhere)."""
        if flags.all():
            return self
        return Spans(*kept(flags, *self))


@dataclass
class Batch:
    """The compared documents of one range of ids and their annotators' spans."""

    ids: list[int]
    texts: BatchTexts  # and uids and titles
    doc: Ints  # per span: the document's place in this batch
    start: Ints
    end: Ints
    label: Ints
    who: Ints  # ascending: one annotator's spans after another's
    has: dict[int, Flags]  # per annotator code: which documents it made spans in
    rows: list[list[tuple[Any, ...]]]  # per document, its spans' rows (SpanRow order)
    relations: dict[int, list[Relation]] = field(default_factory=dict)  # by place

    def spans_of(self, code: int) -> Spans:
        """The spans of annotator ``code``, in the order read (a batch holds its spans one
        annotator after another, so that each annotator's are a slice, not a selection)."""
        low, high = np.searchsorted(self.who, [code, code + 1]).tolist()
        return Spans(
            self.doc[low:high], self.start[low:high], self.end[low:high], self.label[low:high]
        )

    def annotator_counts(self) -> Ints:
        """Per document, how many annotators made spans in it."""
        counts = np.zeros(len(self.ids), dtype=np.int64)
        for flags in self.has.values():
            counts += flags
        return counts


def read_batches(
    project: Project, labels: Codes, people: Codes, details: bool, ids: range = EVERY_ID
) -> Iterator[Batch]:
    """The project's compared documents with ids in ``ids``, a range of ids at a time, in
    id order; each range starts at a document's id, so that gaps between ids (a project's
    ids may be anything up to 2**63) are passed over, not stepped through. Every
    annotator is numbered first (in name order), so that the numbers are the same
    whatever documents are read."""
    for name in project.annotators():
        if name != GOLD:
            people.code(name)
    first = project.next_document_id(ids.start)
    while first is not None and first < ids.stop:
        last = min(first + BATCH - 1, ids.stop - 1)
        if details:
            batch = _read(project, first, last, labels, people)
        else:
            batch = _read_coded(project, first, last, labels, people)
        if batch is not None:
            yield batch
        first = None if last == ids.stop - 1 else project.next_document_id(last + 1)


def _read(project: Project, first: int, last: int, labels: Codes, people: Codes) -> Batch | None:
    """A batch with every span's row (the disagreement list needs them all)."""
    rows = project.spans_between(first, last)
    if not rows:
        return None
    columns = list(zip(*rows, strict=True))
    who = people.codes(columns[5])  # numbers any new name, before the codes are counted
    found = _batch(
        project,
        (first, last),
        len(people.names),
        np.array(columns[0], dtype=np.int64),
        who,
        labels.codes(columns[4]),
        np.array(columns[2], dtype=np.int64),
        np.array(columns[3], dtype=np.int64),
    )
    if found is None:
        return None
    batch, kept, place = found
    for index, at in zip(kept.tolist(), place.tolist(), strict=True):
        batch.rows[at].append(rows[index])
    return batch


def _read_coded(
    project: Project, first: int, last: int, labels: Codes, people: Codes
) -> Batch | None:
    """A batch read as numbers, with rows only for the documents that have links or
    spans with attributes (those are compared from the rows)."""
    known = {name: code for name, code in people.index.items() if name is not None}
    names = {name: code for name, code in labels.index.items() if name}
    wide, kinds = len(known) + 1, len(names) + 1
    if (last + 1) * wide * kinds >= 1 << 62:  # ids too large to share a number
        return _read(project, first, last, labels, people)
    coded = project.coded_spans_between(first, last, known, names)
    if coded is None:
        return None
    key, bounds = (np.fromstring(numbers, dtype=np.int64, sep=",") for numbers in coded)
    ids, label = np.divmod(key, kinds)
    ids, who = np.divmod(ids, wide)
    who, label = who - 1, label - 1
    start, end = np.divmod(bounds, 1 << 32)
    if (label < 0).any():  # a label the project does not list: numbered the slow way
        return _read(project, first, last, labels, people)
    found = _batch(project, (first, last), len(people.names), ids, who, label, start, end)
    if found is None:
        return None
    batch = found[0]
    place = {document: at for at, document in enumerate(batch.ids)}
    slow = {d for d in project.documents_with_attributes(first, last) if d in place}
    slow.update(batch.ids[at] for at in batch.relations)
    for row in project.spans_of(sorted(slow)):
        if people.index.get(row[5], -1) >= 0:
            batch.rows[place[row[0]]].append(row)
    return batch


def _batch(
    project: Project,
    bounds: tuple[int, int],
    people: int,
    ids: Ints,
    who: Ints,
    label: Ints,
    start: Ints,
    end: Ints,
) -> tuple[Batch, Ints, Ints] | None:
    """The batch of the documents in ``bounds`` that two annotators or more marked, from
    every span's document id, annotator code (-1: none or the gold layer), label code,
    start and end; with the index of each span it kept and its document's place, in the
    order read."""
    # Per document of the range, which annotators marked it: a table, not a sort (the
    # range is a batch of ids, the annotators a few).
    first = bounds[0]
    mine = who >= 0
    marked = np.zeros((bounds[1] - first + 1, max(people, 1)), dtype=np.bool_)
    marked[ids[mine] - first, who[mine]] = True
    chosen = np.flatnonzero(marked.sum(axis=1) >= 2)
    if not len(chosen):
        return None
    compared = chosen + first
    slot = np.full(len(marked), -1, dtype=np.int64)  # per id of the range: its place
    slot[chosen] = np.arange(len(chosen))
    keep = np.flatnonzero(mine & (slot[ids - first] >= 0))
    place = slot[ids[keep] - first]
    # One annotator's spans after another's, each in the order read (a stable radix sort
    # of the small codes).
    codes = who[keep]
    order = np.argsort(codes.astype(np.int16) if people < 1 << 15 else codes, kind="stable")
    spans = keep[order]
    wanted = compared.tolist()
    # Only these texts are read: a document fewer than two annotators marked counts
    # in no figure (its tokens are in no pair's documents, it is in no alpha's).
    row = project.joined_texts(wanted)
    if row is None:  # not reached: a span's document exists
        return None
    texts = BatchTexts.read(row, str(project.path))
    batch = Batch(
        ids=texts.ids,
        texts=texts,
        doc=place[order],
        start=start[spans],
        end=end[spans],
        label=label[spans],
        who=codes[order],
        has={},
        rows=[[] for _ in texts.ids],
    )
    for code in present(batch.who):
        batch.has[code] = marked[chosen, code]
    chosen_ids = set(wanted)
    for relation in project.relations_between(*bounds):
        if relation.document_id in chosen_ids:
            at = int(slot[(relation.document_id or 0) - first])
            batch.relations.setdefault(at, []).append(relation)
    return batch, keep, place


@dataclass
class DocumentTally:
    """Per document of a batch, the counts pooled over its annotator pairs."""

    exact: Ints
    spans_a: Ints
    spans_b: Ints
    overlap_a: Ints
    overlap_b: Ints
    total: Ints  # tokens counted (once per pair)
    agree: Ints  # tokens both gave the same value
    by_a: Ints  # per document and value, tokens A gave it
    by_b: Ints

    @classmethod
    def empty(cls, documents: int, values: int) -> DocumentTally:
        def zeros(*shape: int) -> Ints:
            return np.zeros(shape, dtype=np.int64)

        n = documents
        return cls(
            zeros(n),
            zeros(n),
            zeros(n),
            zeros(n),
            zeros(n),
            zeros(n),
            zeros(n),
            zeros(n, values),
            zeros(n, values),
        )


@dataclass
class PairCounts:
    """One pair's counts in one batch: span counts per label, token counts."""

    exact: Ints  # per label
    spans_a: Ints
    spans_b: Ints
    overlap_a: Ints
    overlap_b: Ints
    tokens: Counter[tuple[str, str]]  # innermost labels (or "O") of A and B
    label_tokens: list[Counter[tuple[str, str]]]  # per label: that label or "O"


def pair_counts(
    batch: Batch, tokens: Tokens, x: int, y: int, labels: Codes, tally: DocumentTally
) -> PairCounts:
    """Counts of annotators ``x`` and ``y`` over the batch's documents both marked,
    pooled into ``tally`` per document."""
    nl = len(labels.names)
    documents = len(batch.ids)
    both = batch.has[x] & batch.has[y]
    sides = []
    for code in (x, y):
        spans = batch.spans_of(code)
        sides.append(spans.among(both[spans.doc]))
    sets = [units(*side, nl) for side in sides]
    size = documents * nl
    exact = exact_matches(sets[0], sets[1], size).reshape(documents, nl)
    spans_a = np.bincount(sets[0][0], minlength=size).reshape(documents, nl)
    spans_b = np.bincount(sets[1][0], minlength=size).reshape(documents, nl)
    overlap_a = overlapping(sets[0], sets[1], size).reshape(documents, nl)
    overlap_b = overlapping(sets[1], sets[0], size).reshape(documents, nl)
    for into, part in (
        (tally.exact, exact),
        (tally.spans_a, spans_a),
        (tally.spans_b, spans_b),
        (tally.overlap_a, overlap_a),
        (tally.overlap_b, overlap_b),
    ):
        into += part.sum(axis=1)
    ranges = [token_range(tokens, side.doc, side.start, side.end) for side in sides]
    pooled = _token_values(tokens, sides, ranges, labels, both, tally)
    return PairCounts(
        exact.sum(axis=0),
        spans_a.sum(axis=0),
        spans_b.sum(axis=0),
        overlap_a.sum(axis=0),
        overlap_b.sum(axis=0),
        pooled,
        _label_tokens(tokens, sides, ranges, labels, both),
    )


def _token_values(
    tokens: Tokens,
    sides: list[Spans],
    ranges: list[tuple[Ints, Ints]],
    labels: Codes,
    both: Flags,
    tally: DocumentTally,
) -> Counter[tuple[str, str]]:
    """Per token, the innermost label of each side (the shortest span, ties by name)."""
    nl = len(labels.names)
    rank = labels.by_name()
    found = []
    for side, (first, last) in zip(sides, ranges, strict=True):
        label = side.label
        a, b, owner = innermost(first, last, side.end - side.start, rank[label])
        found.append((a, b, label[owner] + 1))  # value 0 is "O"
    low, high, holders = overlay(found[0][:2], found[1][:2])
    values = []
    for (_, _, value), at in zip(found, holders, strict=True):
        values.append(picked(value, at))
    va, vb = values
    size, va, vb, low = kept((va > 0) | (vb > 0), high - low, va, vb, low)
    doc = np.searchsorted(tokens.first, low, side="right") - 1
    wide = nl + 1
    counts = np.bincount(va * wide + vb, weights=size, minlength=wide * wide)
    names = ["O", *labels.names]
    pooled: Counter[tuple[str, str]] = Counter()
    for key in np.flatnonzero(counts).tolist():
        pooled[(names[key // wide], names[key % wide])] += int(counts[key])
    in_pair = np.where(both, tokens.counts, 0)
    outside = int(in_pair.sum() - size.sum())
    if outside:
        pooled[("O", "O")] += outside
    # The document figures pool every pair's tokens of the document.
    covered = np.bincount(doc, weights=size, minlength=len(both)).astype(np.int64)
    neither = in_pair - covered
    same = np.where(va == vb, size, 0)
    tally.total += in_pair
    tally.agree += np.bincount(doc, weights=same, minlength=len(both)).astype(np.int64)
    tally.agree += neither
    add_at(tally.by_a, doc, va, size)
    add_at(tally.by_b, doc, vb, size)
    tally.by_a[:, 0] += neither
    tally.by_b[:, 0] += neither
    return pooled


def _label_tokens(
    tokens: Tokens,
    sides: list[Spans],
    ranges: list[tuple[Ints, Ints]],
    labels: Codes,
    both: Flags,
) -> list[Counter[tuple[str, str]]]:
    """Per label, tokens with a span of that label by both, by one side only, by neither."""
    nl = len(labels.names)
    layer = tokens.count + 1  # each label's tokens in a stretch of their own
    covers = []
    for side, (first, last) in zip(sides, ranges, strict=True):
        low, high, shift = kept(first < last, first, last, side.label * layer)  # covering a token
        covers.append(merged_units(low + shift, high + shift))
    marked = [
        np.bincount(a // layer, weights=b - a, minlength=nl).astype(np.int64) for a, b in covers
    ]
    low, high, holders = overlay(covers[0], covers[1])
    inside = np.where((holders[0] >= 0) & (holders[1] >= 0), high - low, 0)
    shared = np.bincount(low // layer, weights=inside, minlength=nl).astype(np.int64)
    total = int(np.where(both, tokens.counts, 0).sum())
    out = []
    for code, name in enumerate(labels.names):
        agreed, by_a, by_b = int(shared[code]), int(marked[0][code]), int(marked[1][code])
        cells = {
            (name, name): agreed,
            (name, "O"): by_a - agreed,
            ("O", name): by_b - agreed,
            ("O", "O"): total - by_a - by_b + agreed,
        }
        out.append(Counter({key: n for key, n in cells.items() if n}))
    return out
