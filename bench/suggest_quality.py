"""How good and how fast the suggesters are: precision and recall per suggester and label
on gold annotations, and the time for a 1 MB article against a bare regex pass.

    python bench/suggest_quality.py [--corpus ../shared/corpus/annotated.jsonl]

Gold sets: the shared corpus (three short articles in English, Ukrainian and Chinese,
gold for some spans only) and the seed article annotated in full
(``tests/core/fixtures/seed-gold.jsonl``; conventions in the README beside it).

Exact match: a proposal counts when start, end and label equal a gold span's. Overlap
match: when it overlaps a gold span of the same label (recall: a gold span counts when a
proposal of its label overlaps it). The project suggester learns from the gold spans of
the other documents and of the first half of each document, and is scored on the second
half only. Measurements, not tests: nothing here fails.
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path

import orjson

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "desktop"))

from factmark.core.model import Proposal  # noqa: E402
from factmark.core.suggest import suggest, suggest_from_project  # noqa: E402
from factmark.core.suggest.locations import default_matcher, suggest_locations  # noqa: E402
from factmark.core.suggest.numbers import suggest_numbers  # noqa: E402
from factmark.core.suggest.sources import suggest_claims, suggest_sources  # noqa: E402

SEED_GOLD = REPO / "tests" / "core" / "fixtures" / "seed-gold.jsonl"
SHARED = REPO.parent / "shared" / "corpus" / "annotated.jsonl"
Gold = list[tuple[int, int, str]]
Doc = tuple[str, str, Gold]  # text, language, gold spans


def load(path: Path) -> list[Doc]:
    docs = []
    for line in path.read_bytes().splitlines():
        if line.strip():
            record = orjson.loads(line)
            spans = [(s["start"], s["end"], s["label"]) for s in record.get("spans", [])]
            docs.append((record["text"], record.get("meta", {}).get("lang", "en"), spans))
    return docs


def rule_suggesters() -> dict[str, Callable[[str, str], list[Proposal]]]:
    return {
        "number": lambda text, lang: suggest_numbers(text, language=lang),
        "location": lambda text, lang: suggest_locations(text),
        "source": lambda text, lang: suggest_sources(text, language=lang),
        "claim": lambda text, lang: suggest_claims(text, language=lang),
    }


class Score:
    """Counts for exact and overlap precision and recall."""

    def __init__(self) -> None:
        self.proposed = self.gold = self.exact = self.overlap_p = self.overlap_r = 0

    def add(self, proposed: Gold, gold: Gold) -> None:
        self.proposed += len(proposed)
        self.gold += len(gold)
        self.exact += len(set(proposed) & set(gold))
        self.overlap_p += sum(any(_overlaps(p, g) for g in gold) for p in proposed)
        self.overlap_r += sum(any(_overlaps(p, g) for p in proposed) for g in gold)

    def row(self) -> str:
        def ratio(a: int, b: int) -> str:
            return f"{a / b:.2f}" if b else "-"

        return (
            f"{self.proposed:>8} {self.gold:>5}   {ratio(self.exact, self.proposed):>5} "
            f"{ratio(self.exact, self.gold):>5}   {ratio(self.overlap_p, self.proposed):>5} "
            f"{ratio(self.overlap_r, self.gold):>5}"
        )


def _overlaps(a: tuple[int, int, str], b: tuple[int, int, str]) -> bool:
    return a[2] == b[2] and a[0] < b[1] and b[0] < a[1]


def quality(name: str, docs: list[Doc]) -> None:
    print(f"\n{name}: {len(docs)} documents, {sum(len(d[2]) for d in docs)} gold spans")
    print(f"{'suggester':<10} {'label':<9} {'proposed':>8} {'gold':>5}   exact P/R     overlap P/R")
    for suggester, run in rule_suggesters().items():
        score = Score()
        for text, lang, gold in docs:
            proposed = [(p.start, p.end, p.label) for p in run(text, lang)]
            score.add(proposed, [g for g in gold if g[2] == suggester])
        print(f"{suggester:<10} {suggester:<9} {score.row()}")
    for label, score in project_scores(docs).items():
        print(f"{'project':<10} {label:<9} {score.row()}")
    combined = Score()
    for text, lang, gold in docs:
        proposed = [(p.start, p.end, p.label) for p in suggest(text, language=lang)]
        combined.add(proposed, [g for g in gold if g[2] in ("number", "location", "source")])
    print(f"{'suggest()':<10} {'default':<9} {combined.row()}")


def project_scores(docs: list[Doc]) -> dict[str, Score]:
    """Learn from the other documents and this one's first half; score the second half."""
    scores: dict[str, Score] = {}
    for n, (text, _lang, gold) in enumerate(docs):
        middle = len(text) // 2
        others = [
            (t[s:e], label) for i, (t, _, g) in enumerate(docs) if i != n for s, e, label in g
        ]
        learned = others + [(text[s:e], label) for s, e, label in gold if e <= middle]
        proposals = [p for p in suggest_from_project(text, learned) if p.start >= middle]
        for label in sorted({label for _, _, label in gold}):
            score = scores.setdefault(label, Score())
            score.add(
                [(p.start, p.end, p.label) for p in proposals if p.label == label],
                [g for g in gold if g[2] == label and g[0] >= middle],
            )
    return scores


def generated_article(size: int, seed: int = 7) -> str:
    """About ``size`` characters of news-like English: the seed article's sentences
    shuffled, with figures and places varied so no two paragraphs are the same."""
    text = (REPO / "seeds" / "bakhmut-counterattack.txt").read_text(encoding="utf-8")
    sentences = [s.strip() for s in re.split(r"(?<=[.?»”])\s+", text) if s.strip()]
    places = ["Kharkiv", "Odesa", "Lagos", "Mosul", "Marseille", "Bakhmut", "Kyiv", "Abuja"]
    rng = random.Random(seed)
    parts, length = [], 0
    while length < size:
        paragraph = " ".join(rng.choice(sentences) for _ in range(rng.randint(2, 5)))
        paragraph = re.sub(r"\d+", lambda _: str(rng.randint(1, 99999)), paragraph)
        paragraph = paragraph.replace("Bakhmut", rng.choice(places))
        parts.append(paragraph + "\n\n")
        length += len(parts[-1])
    return "".join(parts)[:size]


def best_of(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def speed(build: float) -> None:
    text = generated_article(1_000_000)
    baseline = best_of(3, lambda: sum(1 for _ in re.finditer(r"\d+", text)))
    print(f"\nspeed on a generated {len(text):,}-character article (best of 3)")
    print(f"  gazetteer built once per process: {build:.2f} s")
    print(f"  baseline re.finditer(r'\\d+') pass: {baseline:.3f} s")
    for name, run in rule_suggesters().items():
        print(f"  {name:<28} {best_of(3, lambda run=run: run(text, 'en')):.3f} s")
    learned = [("Kharkiv", "location"), ("Wagner Group", "source"), ("72nd", "number")]
    total = best_of(3, lambda: suggest(text, project_spans=learned))
    every = best_of(
        3,
        lambda: suggest(
            text, labels=["number", "location", "source", "claim"], project_spans=learned
        ),
    )
    found = len(suggest(text, project_spans=learned))
    print(
        f"  suggest() default labels:    {total:.3f} s, {found:,} proposals, "
        f"{total / baseline:.0f}x baseline"
    )
    print(f"  suggest() with claims:       {every:.3f} s")
    print(f"  peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--corpus", type=Path, default=SHARED, help="gold JSONL of the shared corpus"
    )
    args = parser.parse_args()
    start = time.perf_counter()
    default_matcher()  # first, so that its one-time cost is measured
    build = time.perf_counter() - start
    if args.corpus.is_file():
        quality(str(args.corpus), load(args.corpus))
    else:
        print(f"(no shared corpus at {args.corpus})")
    quality("seed-gold.jsonl (seed article, annotated in full)", load(SEED_GOLD))
    speed(build)


if __name__ == "__main__":
    main()
