"""Benchmark: agreement over 3 annotators on 5,000 documents (issue 18's scale target).

    python bench/agreement_bench.py             # 3 annotators, 5,000 documents (the target)
    python bench/agreement_bench.py 4 1000      # 4 annotators, 1,000 documents

Each annotator marks about five spans per document (a claim with a number nested in it,
a source, a location), one source -> claim link and a verdict on the claim, with jitter
so that they disagree on some boundaries, labels, links and verdicts. Timed in the same
run, best of three:

- **reading**: the documents and spans read from the project (the floor any figure needs);
- **the figures**: what ``factmark agree`` prints (span F1, token kappa, unitizing alpha,
  link F1, attribute kappa / alpha, the disagreements counted);
- **with every disagreement**: what ``factmark agree --json`` gives (the list too).

Target: all figures in a few seconds.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "desktop"))

import factmark.core.agreement as agreement_module  # noqa: E402
from factmark.core.incoming import IncomingDocument, IncomingRelation, IncomingSpan  # noqa: E402
from factmark.core.project import Project  # noqa: E402

SENTENCE = "Officials in Kyiv said {n} drones were shot down near Odesa on Monday night. "


def make_project(path: Path, annotators: int, documents: int, rng: random.Random) -> None:
    names = [f"annotator{n}" for n in range(annotators)]
    with Project.open(path) as project, project.transaction():
        for number in range(documents):
            text = "".join(SENTENCE.format(n=number + k) for k in range(4))
            spans: list[IncomingSpan] = []
            relations: list[IncomingRelation] = []
            for who in names:
                j = lambda: rng.choice((0, 0, 0, 1, -1))  # noqa: E731 - a little jitter
                kyiv = text.index("Kyiv")
                said = text.index(" said")
                number_at = said + 6
                claim_end = text.index(".") + j()
                spans += [
                    IncomingSpan(0, 9 + j(), "source", who, ref=f"{who}s"),
                    IncomingSpan(
                        said + 1,
                        claim_end,
                        "claim",
                        who,
                        attrs={"verdict": rng.choice(("false", "false", "misleading"))},
                        ref=f"{who}c",
                    ),
                    IncomingSpan(
                        number_at, number_at + max(1, len(str(number)) + j()), "number", who
                    ),
                    IncomingSpan(kyiv, kyiv + 4, "location", who),
                ]
                if rng.random() < 0.7:
                    odesa = text.index("Odesa")
                    spans.append(IncomingSpan(odesa, odesa + 5, "location", who))
                if rng.random() < 0.9:
                    relations.append(IncomingRelation(f"{who}s", f"{who}c", "source_of"))
            project.add_document(
                IncomingDocument(text, title=f"article {number}", spans=spans, relations=relations),
                create_labels=True,
            )


def best_of(runs: int, job: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        job()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    annotators = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    documents = int(sys.argv[2]) if len(sys.argv) > 2 else 5000
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / "team.factmark"
        started = time.perf_counter()
        make_project(path, annotators, documents, random.Random(18))
        print(
            f"made {documents} documents x {annotators} annotators in "
            f"{time.perf_counter() - started:.1f} s"
        )
        with Project.open_to_read(path) as project:
            reading = best_of(3, lambda: sum(1 for _ in project.export_rows([])))
            counts = best_of(3, lambda: agreement_module.agreement(project, details=False))
            figures: dict = {}

            def everything() -> None:
                figures.update(agreement_module.agreement(project))

            after = best_of(3, everything)
    print(f"{'reading the spans':<28} {reading:6.2f} s")
    print(f"{'the figures':<28} {counts:6.2f} s   ({counts / reading:.1f}x reading)")
    print(f"{'with every disagreement':<28} {after:6.2f} s   ({after / reading:.1f}x reading)")
    overall = figures["alpha_u"]["overall"]
    print(
        f"alpha_u overall u {overall['u']}, bu {overall['bu']}, cu {overall['cu']}, "
        f"2004 {overall['u_2004']} on {overall['units']} spans; "
        f"{len(figures['disagreements'])} disagreements"
    )


if __name__ == "__main__":
    main()
