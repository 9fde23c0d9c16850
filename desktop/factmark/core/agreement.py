"""Inter-annotator agreement: pairwise span F1 and Cohen's kappa over tokens.

Only documents in which at least two annotators made spans count; spans without
an annotator are left out (they cannot be attributed), and so is the gold layer
(adjudication settles disagreement, it is not one more annotator). For each pair of
annotators of a document:

- **exact F1**: spans match when start, end and label are all equal;
  ``F1 = 2 * matches / (spans of A + spans of B)``.
- **overlap F1**: a span of A is matched when B has a span of the same label that
  overlaps it (and the other way round); ``P`` = matched spans of B / spans of B,
  ``R`` = matched spans of A / spans of A, ``F1 = 2PR / (P + R)``.
- **Cohen's kappa** over tokens (words and single punctuation marks,
  :data:`TOKEN`): per token, the label of the innermost span of that annotator
  overlapping it (the shortest; on a tie the first label by name), or ``"O"``.
  Per label, kappa is binary: does a span of that label overlap the token or not.

Counts are pooled before any figure is computed (micro-averaging): a pair's
project figures pool its documents, a document's figures pool its pairs, the
overall figures pool every pair and document. A label's token counts include the
documents where neither annotator used it (agreeing that nothing there has it). A
figure whose denominator is zero (e.g. kappa when both annotators gave every token
the same single value) is None.

Beside these, :mod:`factmark.core.agreement_units` gives Krippendorff's unitizing alpha
(αu) per label and overall, and :mod:`factmark.core.agreement_links` link F1 per type,
attribute kappa / alpha and the disagreements behind every figure.
"""

from __future__ import annotations

import os
import pickle
import re
from bisect import bisect_left, bisect_right
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

import numpy as np

from factmark.core import two_processes
from factmark.core.agreement_arrays import disagreeing_clusters, keep_freed_memory, tokenize
from factmark.core.agreement_documents import DocumentFigures, rounded
from factmark.core.agreement_links import (
    Compared,
    attribute_agreement,
    compared,
    link_agreement,
    span_disagreements,
)
from factmark.core.agreement_scan import (
    EVERY_ID,
    Batch,
    Codes,
    DocumentTally,
    PairCounts,
    pair_counts,
    read_batches,
)
from factmark.core.model import GOLD
from factmark.core.project import Project, SpanRow
from factmark.core.two_processes import IDS
from factmark.core.unitizing_scan import UnitTally

TOKEN = re.compile(r"\w+|[^\w\s]")
OUTSIDE = "O"
ALPHA_NOTE = (
    "alpha_u counts an annotator without spans in a compared document as having found nothing there"
)

# (start, end, label) of one annotator's span
Unit = tuple[int, int, str]
# Batches counted at once, each in a thread, while the next is read: numpy and SQLite let
# go of the GIL for most of their work, so a second processor can take on much of it.
WORKERS = 2
# The hidden command of a second process counting a large project's later documents:
# ``factmark _agree-part FOLDER``.
COMMAND = "_agree-part"
# A project whose texts come to fewer bytes (UTF-8) than this is counted by one process
# (about 30,000 articles of 1,500 characters): on two processors, two processes take
# about what one takes with its two threads at 40,000 articles (1.1 s), by the processor
# time each process spends before and after the other starts; at 100,000 articles 2.1 s
# against 2.7 s.
FROM_BYTES = 48_000_000
# The share of the texts' bytes this process counts: the second process starts (0.2 s of
# processor time) once this one has, so it is given less.
SHARE = 0.53


@dataclass
class Counts:
    """Pooled counts from which every figure is computed."""

    exact: int = 0  # spans equal in both
    spans_a: int = 0
    spans_b: int = 0
    overlap_a: int = 0  # spans of A overlapping a same-label span of B
    overlap_b: int = 0
    tokens: Counter[tuple[str, str]] = field(default_factory=Counter)  # (value A, value B)

    def add(self, other: Counts) -> None:
        """Pool ``other`` into these counts."""
        self.exact += other.exact
        self.spans_a += other.spans_a
        self.spans_b += other.spans_b
        self.overlap_a += other.overlap_a
        self.overlap_b += other.overlap_b
        self.tokens.update(other.tokens)

    def figures(self) -> dict[str, float | None]:
        """Exact F1, overlap F1 and kappa (None where undefined), rounded to 4 places."""
        spans = self.spans_a + self.spans_b
        exact = 2 * self.exact / spans if spans else None
        overlap = None
        if self.spans_a and self.spans_b:
            recall, precision = self.overlap_a / self.spans_a, self.overlap_b / self.spans_b
            overlap = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        elif spans:
            overlap = 0.0
        return {
            "exact_f1": rounded(exact),
            "overlap_f1": rounded(overlap),
            "kappa": rounded(cohen_kappa(self.tokens)),
        }


def cohen_kappa(pairs: Counter[tuple[str, str]]) -> float | None:
    """Cohen's kappa from counts of ``(value by A, value by B)``; None when chance
    agreement is 1 (both gave one and the same value throughout) or nothing was counted."""
    total = sum(pairs.values())
    if not total:
        return None
    observed = sum(n for (a, b), n in pairs.items() if a == b) / total
    by_a: Counter[str] = Counter()
    by_b: Counter[str] = Counter()
    for (a, b), n in pairs.items():
        by_a[a] += n
        by_b[b] += n
    expected = sum(by_a[v] * by_b[v] for v in by_a) / (total * total)
    if expected >= 1:
        return None
    return (observed - expected) / (1 - expected)


def tokens(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each token: runs of word characters and single other marks."""
    return [m.span() for m in TOKEN.finditer(text)]


def token_labels(toks: list[tuple[int, int]], units: set[Unit]) -> list[str]:
    """Per token, the label of the innermost span overlapping it, or ``"O"``."""
    # Widest first, so narrower spans overwrite them: the innermost wins; among spans
    # of one width the first label by name comes last, so it wins.
    ordered = sorted(units, key=lambda u: (u[1] - u[0], u[2]), reverse=True)
    values = [OUTSIDE] * len(toks)
    starts = [t[0] for t in toks]
    for start, end, label in ordered:
        for i in _overlapping(toks, starts, start, end):
            values[i] = label
    return values


def _overlapping(toks: list[tuple[int, int]], starts: list[int], start: int, end: int) -> range:
    first = bisect_right(starts, start) - 1
    if first < 0 or toks[first][1] <= start:
        first += 1
    last = bisect_left(starts, end)
    return range(first, last)


def compare(text: str, a: set[Unit], b: set[Unit], labels: list[str]) -> dict[str, Counts]:
    """Counts for one pair of annotators on one document: ``"*"`` for all labels
    and one entry per label in ``labels``."""
    toks = tokens(text)
    result = {"*": _span_counts(a, b)}
    result["*"].tokens = Counter(zip(token_labels(toks, a), token_labels(toks, b), strict=True))
    for label in labels:
        la = {u for u in a if u[2] == label}
        lb = {u for u in b if u[2] == label}
        counts = _span_counts(la, lb)
        ta = [v != OUTSIDE for v in token_labels(toks, la)]
        tb = [v != OUTSIDE for v in token_labels(toks, lb)]
        counts.tokens = Counter(
            (label if x else OUTSIDE, label if y else OUTSIDE) for x, y in zip(ta, tb, strict=True)
        )
        result[label] = counts
    return result


def _span_counts(a: set[Unit], b: set[Unit]) -> Counts:
    return Counts(
        exact=len(a & b),
        spans_a=len(a),
        spans_b=len(b),
        overlap_a=sum(1 for u in a if _overlaps_any(u, b)),
        overlap_b=sum(1 for u in b if _overlaps_any(u, a)),
    )


def _overlaps_any(unit: Unit, others: set[Unit]) -> bool:
    start, end, label = unit
    return any(o[2] == label and o[0] < end and start < o[1] for o in others)


def agreement(
    project: Project,
    details: bool = True,
    workers: int = WORKERS,
    listed: int | None = None,
    cancelled: Callable[[], bool] | None = None,
    examples: int | None = None,
    streamed: bool = False,
    table: bool = False,
) -> dict[str, Any]:
    """Every figure the ``agree`` command shows, as plain JSON-ready data.

    Keys: ``overall``, ``labels`` (per label), ``pairs`` (per annotator pair, with
    per-label figures), ``documents`` (lowest exact F1 first), ``annotators``,
    ``documents_compared``, ``alpha_u`` (``overall`` and ``labels``), ``links`` (per
    link type), ``attributes`` (per attribute), ``disagreements`` (each with its
    document, label, place and every annotator's version; left out when ``details`` is
    False, which the counts alone need much less time for), ``disagreement_counts`` and
    ``notes``. ``documents`` lists the ``listed`` documents of lowest agreement (every
    compared document when None). With ``examples``, ``disagreements`` lists at most that
    many of each figure (label, link type, attribute), from the first documents on, and the
    counts are counted as without ``details`` (an archive's hundreds of thousands of
    disagreements, each with every annotator's version, took five times as long as the
    figures themselves, for a list nobody reads to its end). With ``table``, ``documents``
    is a :class:`~factmark.core.agreement_table.ComparedDocuments`: a sequence of the same
    rows, each made when asked for (View > Agreement shows a few dozen at a time of an
    archive's 100,000).

    With ``streamed`` (and ``details``) the figures are for writing out as they are found
    (:func:`factmark.core.agreement_listing.write_json`, ``factmark agree --json``):
    ``disagreements`` lists every link and attribute disagreement but no span disagreement
    (:func:`factmark.core.agreement_listing.span_disagreement_batches` reads those a batch
    at a time), the counts are counted as without ``details``, and ``documents`` is an
    iterator of lists of rows that together are the list (only one list of rows held at a
    time: an archive's 100,000 rows as dicts took 90 MB).

    The project is read a range of documents at a time and counted on arrays
    (:mod:`factmark.core.agreement_scan`), so that an archive of millions of spans takes
    seconds and bounded memory; the figures are those the definitions above give.
    Up to ``workers`` batches are counted at once, each into counts of its own, pooled in
    the order read (the figures are the same for any number). A project whose texts come
    to :data:`FROM_BYTES` or more has its later documents counted by a second process
    (:func:`_second_part`), their counts pooled after these; then each process counts
    with one thread unless there are processors for ``workers`` threads in each.

    Once ``cancelled()`` is true (asked before each batch and while the second process
    counts) :class:`~factmark.core.two_processes.Cancelled` is raised, the second process
    stopped and its folder removed.
    """
    labels = [label.name for label in project.labels()]
    codes, people = Codes(labels), Codes([])
    listing = details and examples is not None  # a few of each figure's, read apart
    every = details and not listing and not streamed

    def count(ids: range) -> _Tally:
        return _count(project, labels, codes, people, every, workers, ids, cancelled=cancelled)

    def figures(tally: _Tally) -> dict[str, Any]:
        if listing and examples is not None:
            tally.spans = _span_examples(project, codes, people, tally.disagreeing, examples)
        return tally.figures(
            codes,
            people,
            details,
            listed,
            examples if listing else None,
            streamed,
            table=table,
        )

    first = two_processes.cut(project, [], FROM_BYTES, SHARE)
    if first is None:
        return figures(count(EVERY_ID))
    if (os.cpu_count() or 1) < 2 * workers:  # the two processes keep the processors busy
        workers = 1
    job = {"project": str(project.path), "details": every, "workers": workers, "first": first}
    second = two_processes.SecondProcess.start("agreement", COMMAND, job)
    try:
        tally = count(range(-IDS, first))
        result = second.result(cancelled)
        if codes.numbered_alike(result["labels"]) and people.numbered_alike(result["people"]):
            with open(second.folder / result["counts"], "rb") as counted:
                tally.merge(pickle.load(counted))
        else:  # names numbered in another order there: counted here
            tally.merge(count(range(first, IDS)))
    finally:
        second.stop()
    return figures(tally)


def _span_examples(
    project: Project, codes: Codes, people: Codes, counts: Counter[str], examples: int
) -> list[dict[str, Any]]:
    """Up to ``examples`` span disagreements of each label, from the first documents on:
    documents are read with their texts only until every label has its examples (or as
    many as ``counts`` says it has)."""
    wanted = {label: min(examples, count) for label, count in counts.items() if count}
    found: list[dict[str, Any]] = []
    listed: Counter[str] = Counter()
    batches = read_batches(project, codes, people, True)
    while any(listed[label] < number for label, number in wanted.items()):
        batch = next(batches, None)
        if batch is None:
            break
        for one in compared(batch):
            for entry in span_disagreements(one):
                label = entry["label"]
                if listed[label] < wanted.get(label, 0):
                    listed[label] += 1
                    found.append(entry)
    return found


def _first_of_each(entries: list[dict[str, Any]], examples: int | None) -> list[dict[str, Any]]:
    """The first ``examples`` entries of each kind and label (every one when None)."""
    if examples is None:
        return entries
    seen: Counter[tuple[str, str]] = Counter()
    kept = []
    for entry in entries:
        key = (entry["kind"], entry["label"])
        if seen[key] < examples:
            seen[key] += 1
            kept.append(entry)
    return kept


def _count(
    project: Project,
    labels: list[str],
    codes: Codes,
    people: Codes,
    details: bool,
    workers: int,
    ids: range,
    cancelled: Callable[[], bool] | None = None,
) -> _Tally:
    """The counts of the documents with ids in ``ids``; :class:`two_processes.Cancelled`
    once ``cancelled()`` is true before a batch is read."""
    tally = _Tally(labels)
    batches = read_batches(project, codes, people, details, ids)
    if cancelled is not None:
        batches = _until(batches, cancelled)
    for part in _counted(batches, labels, codes, people, details, workers):
        tally.merge(part)
    return tally


def _until(batches: Iterator[Batch], cancelled: Callable[[], bool]) -> Iterator[Batch]:
    """``batches``, :class:`two_processes.Cancelled` raised before the next is read once
    ``cancelled()`` is true."""
    while not cancelled():
        batch = next(batches, None)
        if batch is None:
            return
        yield batch
    raise two_processes.Cancelled


def run_second_part(folder: str) -> int:
    """``factmark _agree-part FOLDER``: count the documents the job in FOLDER gives."""
    return two_processes.serve(folder, _second_part)


def _second_part(job: dict[str, Any], folder: Path) -> dict[str, Any]:
    """In a second process: the counts of the documents from id ``first`` on, pickled to
    a file in ``folder`` (the first process pools them as they are: the same program
    wrote them into a folder only this user can write to), and the names as numbered."""
    keep_freed_memory()  # this process counts and ends
    with two_processes.read_only(job["project"]) as project:
        labels = [label.name for label in project.labels()]
        codes, people = Codes(labels), Codes([])
        ids = range(job["first"], IDS)
        tally = _count(project, labels, codes, people, job["details"], job["workers"], ids)
    with open(folder / "counts.pickle", "wb") as out:
        pickle.dump(tally, out, protocol=pickle.HIGHEST_PROTOCOL)
    return {"counts": "counts.pickle", "labels": codes.names, "people": people.names}


def _counted(
    batches: Iterable[Batch],
    labels: list[str],
    codes: Codes,
    people: Codes,
    details: bool,
    workers: int,
) -> Iterator[_Tally]:
    """Each batch's counts, in order, ``workers`` batches counted at once while the next
    is read (so ``workers + 1`` batches in memory at a time)."""

    def count(batch: Batch, codes: Codes, people: Codes) -> _Tally:
        part = _Tally(labels)
        part.add(batch, codes, people, details)
        return part

    if workers < 2:
        for batch in batches:
            yield count(batch, codes, people)
        return
    with ThreadPoolExecutor(workers, thread_name_prefix="agreement") as pool:
        pending: deque[Future[_Tally]] = deque()
        for batch in batches:
            # The names as they stand after this batch was read: reading the next may
            # number more of them.
            pending.append(pool.submit(count, batch, codes.copy(), people.copy()))
            while len(pending) >= workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


class _Tally:
    """Everything ``agreement`` pools over the batches."""

    def __init__(self, labels: list[str]) -> None:
        self.labels = labels
        self.overall = {key: Counts() for key in ["*", *labels]}
        self.pairs: dict[tuple[str, str], dict[str, Counts]] = {}
        self.pair_documents: Counter[tuple[str, str]] = Counter()
        self.documents = DocumentFigures()
        self.slow: list[Compared] = []  # documents with links or attributes
        self.spans: list[dict[str, Any]] = []  # span disagreements (details)
        self.disagreeing: Counter[str] = Counter()
        self.units = UnitTally(len(labels))

    def add(self, batch: Batch, codes: Codes, people: Codes, details: bool) -> None:
        """Pool one batch of compared documents."""
        toks = tokenize(batch.texts.chunks, batch.texts.lengths)
        documents = DocumentTally.empty(len(batch.ids), len(codes.names) + 1)
        order = sorted(batch.has, key=lambda c: people.names[c])
        for x, y in combinations(order, 2):
            both = int((batch.has[x] & batch.has[y]).sum())
            if not both:
                continue
            pair = (people.names[x], people.names[y])
            self.pair_documents[pair] += both
            counts = _as_counts(pair_counts(batch, toks, x, y, codes, documents), self.labels)
            into = self.pairs.setdefault(pair, {key: Counts() for key in ["*", *self.labels]})
            for key, value in counts.items():
                into[key].add(value)
                self.overall[key].add(value)
        self.documents.add(batch, documents, people)
        self.units.add(batch, codes)
        for one in compared(batch):
            if details:
                self.spans += span_disagreements(one)
            if one.relations or any(
                row.attrs is not None for rows in one.spans.values() for row in rows
            ):
                self.slow.append(one)
        if not details:
            counted = disagreeing_clusters(
                batch.doc,
                batch.start,
                batch.end,
                batch.label,
                batch.who,
                len(codes.names),
                batch.annotator_counts(),
            )
            for code in np.flatnonzero(counted).tolist():
                self.disagreeing[codes.names[code]] += int(counted[code])

    def merge(self, part: _Tally) -> None:
        """Pool the counts of the next batches, counted on their own."""
        for key, counts in part.overall.items():
            self.overall[key].add(counts)
        for pair, by_label in part.pairs.items():
            into = self.pairs.setdefault(pair, {key: Counts() for key in ["*", *self.labels]})
            for key, counts in by_label.items():
                into[key].add(counts)
        self.pair_documents.update(part.pair_documents)
        self.documents.merge(part.documents)
        self.slow += part.slow
        self.spans += part.spans
        self.disagreeing.update(part.disagreeing)
        self.units.merge(part.units)

    def figures(
        self,
        codes: Codes,
        people: Codes,
        details: bool,
        listed: int | None,
        examples: int | None = None,
        streamed: bool = False,
        table: bool = False,
    ) -> dict[str, Any]:
        """The figures of everything pooled, in ``agreement``'s shape (with ``examples``,
        :attr:`spans` holds only those listed, with ``streamed`` none, and the counts are
        :attr:`disagreeing`; with ``streamed``, ``documents`` is an iterator of lists of
        rows, with ``table`` a table of them)."""
        annotators = sorted({name for pair in self.pairs for name in pair})
        units = self.units.figures(codes, people, self.labels)
        links, unmatched = link_agreement(self.slow)
        attributes, differing = attribute_agreement(self.slow, annotators)
        every = details and examples is None and not streamed
        spans = Counter(e["label"] for e in self.spans) if every else self.disagreeing
        more: dict[str, Any] = {
            "alpha_u": {"overall": units.overall, "labels": units.labels},
            "links": links,
            "attributes": attributes,
        }
        if details:
            more["disagreements"] = self.spans + _first_of_each(unmatched + differing, examples)
        more["disagreement_counts"] = {
            kind: dict(sorted(counts.items()))
            for kind, counts in (
                ("spans", spans),
                ("links", Counter(e["label"] for e in unmatched)),
                ("attributes", Counter(e["label"] for e in differing)),
            )
        }
        return {
            **more,
            "documents_compared": self.documents.count,
            "annotators": annotators,
            "overall": self.overall["*"].figures(),
            "labels": {label: self.overall[label].figures() for label in self.labels},
            "pairs": [
                {
                    "annotators": list(pair),
                    "documents": self.pair_documents[pair],
                    **counts["*"].figures(),
                    "labels": {label: counts[label].figures() for label in self.labels},
                }
                for pair, counts in sorted(self.pairs.items())
            ],
            "documents": (
                self.documents.listed_in_parts()
                if streamed
                else self.documents.table(listed)
                if table
                else self.documents.listed(listed)
            ),
            "notes": [ALPHA_NOTE] if self.documents.count else [],
        }


def _as_counts(counts: PairCounts, labels: list[str]) -> dict[str, Counts]:
    """One pair's batch counts as :class:`Counts`: ``"*"`` and one per project label."""
    out = {
        "*": Counts(
            int(counts.exact.sum()),
            int(counts.spans_a.sum()),
            int(counts.spans_b.sum()),
            int(counts.overlap_a.sum()),
            int(counts.overlap_b.sum()),
            counts.tokens,
        )
    }
    for code, label in enumerate(labels):
        out[label] = Counts(
            int(counts.exact[code]),
            int(counts.spans_a[code]),
            int(counts.spans_b[code]),
            int(counts.overlap_a[code]),
            int(counts.overlap_b[code]),
            counts.label_tokens[code],
        )
    return out


def _units(rows: list[SpanRow]) -> dict[str, set[Unit]]:
    by_annotator: dict[str, set[Unit]] = {}
    for row in rows:
        if row.annotator and row.annotator != GOLD:
            by_annotator.setdefault(row.annotator, set()).add((row.start, row.end, row.label))
    return by_annotator
