"""Verified claim retrieval: how well Factmark's claim matcher finds the earlier fact-check
of a claim, on the public CheckThat! 2020 task 2 data (tweets to match against 10,373
verified claims of Snopes, with gold pairs), beside a plain BM25 in the same run.

    git clone https://github.com/sshaar/clef2020-factchecking-task2
    python bench/retrieval.py --data clef2020-factchecking-task2 [--split test|dev|train]
        [--runs OUT]

``--data`` is that repository (its ``data/v3.zip`` and ``test-input/test-input.zip`` are
read as they are) or a folder where they were unzipped (``v3.0/verified_claims.docs.tsv``,
``v3.0/dev/``, ``v3.0/train/``, and the test split's ``tweets.queries.tsv`` and
``tweet-vclaim-pairs.qrels``). The data is not part of this repository.

Systems, each ranking the 10,373 verified claims for every tweet:

- **factmark**: the window's and ``factmark match``'s matcher
  (:class:`factmark.core.claim_matching.ClaimMatcher`): BM25 over each verified claim and
  its title, English stopwords left out, words stemmed (Snowball, PyStemmer);
- **factmark, claim only**: the same analysis without the titles;
- **plain BM25**: bm25s over the verified claim's text alone, as ``bm25s.tokenize`` cuts
  it (lower case, words of two characters or more, no stopwords, no stemming).

Measures, as the lab defines them (its scorer is trectools' ``TrecEval``): MAP@5, the
official one (per tweet, the sum over the relevant claims found in the top 5 of the
precision at their rank, over the number of relevant claims; averaged over the tweets),
and recall@5 (the share of a tweet's relevant claims in its top 5, averaged). A tweet
sharing no word with any claim gets no ranking and counts 0 (trectools would leave it
out; the bench says how many there were); a gold pair listed twice counts once, and
tweets without a gold pair are left out, as the lab's scorer leaves them. ``--runs``
writes each ranking in the lab's format (``qid Q0 docid rank score tag``) for its own
``evaluate.py``. And the time to build each index and to match one tweet (the median
over all tweets), the plain BM25's being the floor each factmark figure is printed
beside.
"""

from __future__ import annotations

import argparse
import csv
import io
import statistics
import sys
import time
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "desktop"))

from factmark.core.archive import ArchivedReview  # noqa: E402
from factmark.core.claim_matching import ClaimMatcher  # noqa: E402

DEPTH = 5
Ranking = dict[str, list[tuple[str, float]]]  # tweet id -> (claim id, score), best first
Qrels = dict[str, set[str]]  # tweet id -> its relevant claim ids
Claim = tuple[str, str, str]  # id, verified claim, title


# -- the lab's measures ------------------------------------------------------------------


def average_precision(ranked: Sequence[str], relevant: set[str], depth: int = DEPTH) -> float:
    """AP@depth as trectools computes it: the precision at the rank of each relevant
    document in the top ``depth``, summed, over the number of relevant documents."""
    if not relevant:
        return 0.0
    found, total = 0, 0.0
    for rank, doc in enumerate(ranked[:depth], start=1):
        if doc in relevant:
            found += 1
            total += found / rank
    return total / len(relevant)


def recall(ranked: Sequence[str], relevant: set[str], depth: int = DEPTH) -> float:
    """The share of the relevant documents in the top ``depth``."""
    if not relevant:
        return 0.0
    return len(set(ranked[:depth]) & relevant) / len(relevant)


def scores(ranking: Ranking, qrels: Qrels, depth: int = DEPTH) -> tuple[float, float]:
    """MAP@depth and mean recall@depth over every query of the qrels (a query without
    a ranking counts 0)."""
    aps, recalls = [], []
    for query, relevant in qrels.items():
        ranked = [doc for doc, _ in ranking.get(query, [])]
        aps.append(average_precision(ranked, relevant, depth))
        recalls.append(recall(ranked, relevant, depth))
    return statistics.fmean(aps), statistics.fmean(recalls)


# -- the data ----------------------------------------------------------------------------


class Data:
    """The task's files, read from the repository's zips or from unzipped files."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.zips = [root / "data" / "v3.zip", root / "test-input" / "test-input.zip"]
        self.zipped = all(z.is_file() for z in self.zips)

    def _read(self, *names: str) -> str:
        """The first file whose path ends with one of ``names``."""
        if self.zipped:
            for archive in self.zips:
                with zipfile.ZipFile(archive) as z:
                    for name in names:
                        for member in z.namelist():
                            if member == name or member.endswith("/" + name):
                                return z.read(member).decode("utf-8")
        else:
            for name in names:
                for found in sorted(self.root.rglob(Path(name).name)):
                    if found.as_posix().endswith(name) and "__MACOSX" not in found.parts:
                        return found.read_text(encoding="utf-8")
        raise SystemExit(f"{self.root}: no {' or '.join(names)} (see --help for the data)")

    def claims(self) -> list[Claim]:
        text = self._read("v3.0/verified_claims.docs.tsv")
        rows = list(csv.reader(io.StringIO(text), delimiter="\t"))
        return [(row[0], row[1], row[2] if len(row) > 2 else "") for row in rows[1:]]

    def split(self, name: str) -> tuple[dict[str, str], Qrels]:
        if name == "test":
            queries_text = self._read_top_level("tweets.queries.tsv")
            qrels_text = self._read_top_level("tweet-vclaim-pairs.qrels")
        else:
            queries_text = self._read(f"v3.0/{name}/tweets.queries.tsv")
            qrels_text = self._read(f"v3.0/{name}/tweet-vclaim-pairs.qrels")
        rows = list(csv.reader(io.StringIO(queries_text), delimiter="\t"))
        queries = {row[0]: row[1] for row in rows[1:] if len(row) > 1}
        qrels: Qrels = {}
        for line in qrels_text.splitlines():
            parts = line.split()
            if len(parts) == 4 and int(parts[3]) > 0:
                qrels.setdefault(parts[0], set()).add(parts[2])
        return queries, qrels

    def _read_top_level(self, name: str) -> str:
        """The test split's file: the one not under train/ or dev/."""
        if self.zipped:
            with zipfile.ZipFile(self.zips[1]) as z:
                for member in z.namelist():
                    if member.endswith(name) and "__MACOSX" not in member:
                        return z.read(member).decode("utf-8")
        else:
            for found in sorted(self.root.rglob(name)):
                if not {"train", "dev", "__MACOSX"} & set(found.parts):
                    return found.read_text(encoding="utf-8")
        raise SystemExit(f"{self.root}: no test {name} (see --help for the data)")


# -- the systems -------------------------------------------------------------------------

Matcher = Callable[[str], list[tuple[str, float]]]


def factmark(claims: list[Claim], titles: bool) -> Matcher:
    reviews = [
        ArchivedReview(url=cid, claim=text, title=title if titles else "", language="en", id=n)
        for n, (cid, text, title) in enumerate(claims, start=1)
    ]
    matcher = ClaimMatcher(reviews)
    matcher.index_language("en")
    return lambda tweet: [(m.review.url, m.score) for m in matcher.match(tweet, "en", DEPTH)]


def plain_bm25(claims: list[Claim]) -> Matcher:
    import bm25s

    retriever = bm25s.BM25()
    retriever.index(bm25s.tokenize([text for _, text, _ in claims], show_progress=False),
                    show_progress=False)  # fmt: skip
    ids = [cid for cid, _, _ in claims]

    def match(tweet: str) -> list[tuple[str, float]]:
        tokens = bm25s.tokenize([tweet], show_progress=False)
        if not tokens.vocab:
            return []
        found, values = retriever.retrieve(tokens, k=DEPTH, show_progress=False)
        return [(ids[i], float(s)) for i, s in zip(found[0], values[0], strict=True) if s > 0]

    return match


@dataclass
class Result:
    name: str
    tag: str
    index: float  # seconds to build the index
    match: float  # median seconds to rank the claims for one tweet
    ranking: Ranking


def run(name: str, tag: str, build: Callable[[], Matcher], queries: dict[str, str]) -> Result:
    started = time.perf_counter()
    match = build()
    indexed = time.perf_counter() - started
    ranking: Ranking = {}
    times = []
    for query, text in queries.items():
        started = time.perf_counter()
        found = match(text)
        times.append(time.perf_counter() - started)
        if found:
            ranking[query] = found
    return Result(name, tag, indexed, statistics.median(times), ranking)


def write_run(path: Path, tag: str, ranking: Ranking) -> None:
    with path.open("w", encoding="utf-8") as out:
        for query, found in ranking.items():
            for rank, (doc, score) in enumerate(found, start=1):
                out.write(f"{query}\tQ0\t{doc}\t{rank}\t{score}\t{tag}\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="the task's repository")
    parser.add_argument("--split", choices=("test", "dev", "train"), default="test")
    parser.add_argument("--runs", type=Path, help="write each ranking here (the lab's format)")
    args = parser.parse_args()
    import bm25s  # noqa: F401  (imported before the clocks start: no system pays for it)
    import Stemmer  # noqa: F401

    data = Data(args.data)
    claims = data.claims()
    queries, qrels = data.split(args.split)
    # Tweets without a gold pair are left out, as the lab's scorer leaves them out.
    left_out = len(queries) - len(queries.keys() & qrels.keys())
    queries = {q: t for q, t in queries.items() if q in qrels}
    print(
        f"CheckThat! 2020 task 2, {args.split}: {len(queries)} tweets with gold pairs "
        f"({left_out} without left out), {len(claims):,} verified claims, "
        f"{sum(map(len, qrels.values()))} distinct gold pairs"
    )
    results = [
        run("plain BM25 (claim text, no stemming)", "bm25", lambda: plain_bm25(claims), queries),
        run("factmark (claim + title, stemmed)", "factmark", lambda: factmark(claims, True),
            queries),
        run("factmark, claim only", "factmark-claim", lambda: factmark(claims, False), queries),
    ]  # fmt: skip
    floor = results[0]
    print(f"{'system':38} {'MAP@5':>6} {'R@5':>6} {'index s':>8} {'match ms':>9}  unranked")
    for result in results:
        map5, recall5 = scores(result.ranking, qrels)
        ratio = (
            ""
            if result is floor
            else f"  (index {result.index / floor.index:.1f}x, match "
            f"{result.match / floor.match:.1f}x the plain BM25's)"
        )
        print(
            f"{result.name:38} {map5:6.3f} {recall5:6.3f} {result.index:8.2f} "
            f"{result.match * 1000:9.2f}  {len(qrels) - len(result.ranking):>8}{ratio}"
        )
        if args.runs:
            args.runs.mkdir(parents=True, exist_ok=True)
            write_run(args.runs / f"{args.split}-{result.tag}.tsv", result.tag, result.ranking)


if __name__ == "__main__":
    main()
