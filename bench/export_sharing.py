"""What sharing a corpus costs: a split by outlet, pseudonymised annotators and the
ClaimReview export, each beside the plain JSONL export of the same project (the floor).

    python bench/export_sharing.py                     # 20,000 articles
    python bench/export_sharing.py --documents 2000    # to try it quickly

Each export runs as its own ``factmark export`` process, timed with its peak memory (max
RSS). The split by ``meta.outlet`` reads every document's metadata once more before it
writes; pseudonyms are one keyed hash per annotator name (cached). Measurements, not tests.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "desktop"))

from run import article  # noqa: E402  (the same article maker as bench/run.py)
from scale import ENV, timed  # noqa: E402

VERDICTS = ("true", "false", "misleading", "unverified")


def corpus(path: Path, documents: int) -> None:
    """``documents`` articles from 200 outlets (uneven sizes), 10 spans each by two
    annotators; every claim has a verdict and a source linked to it."""
    import orjson

    rng = random.Random(11)
    with path.open("wb") as out:
        for n in range(documents):
            text = article(1500, seed=n) + f" [{n}]"
            spans, relations = [], []
            for k in range(5):
                start = rng.randrange(0, len(text) - 80)
                who = ("Zofia Wiśniewska", "Bartholomew Quincey")[k % 2]
                claim = {"id": 2 * k + 1, "start": start, "end": start + 40, "label": "claim"}
                source = {"id": 2 * k + 2, "start": start + 45, "end": start + 60}
                claim |= {"annotator": who, "attrs": {"verdict": rng.choice(VERDICTS)}}
                source |= {"label": "source", "annotator": who, "attrs": {"kind": "person"}}
                spans += [claim, source]
                relations.append({"head": 2 * k + 2, "child": 2 * k + 1, "label": "attributed_to"})
            meta = {
                "outlet": f"outlet {int(rng.paretovariate(1.2)) % 200}",
                "url": f"https://news.example.org/{n}",
                "date": f"2024-{1 + n % 12:02d}-{1 + n % 28:02d}",
            }
            record = {"text": text, "status": "done", "meta": meta, "spans": spans}
            out.write(orjson.dumps(record | {"relations": relations}) + b"\n")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=20_000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="factmark-sharing-") as tmp:
        work = Path(tmp)
        ENV["XDG_CONFIG_HOME"] = str(work / "config")
        ENV["XDG_DATA_HOME"] = str(work / "data")
        source = work / "corpus.jsonl"
        corpus(source, args.documents)
        project = work / "p.factmark"
        factmark = [sys.executable, "-m", "factmark"]
        timed([*factmark, "import", str(project), str(source)])
        split = ["--split", "train=0.8,dev=0.1,test=0.1", "--seed", "3"]
        runs = {
            "jsonl (the floor)": ["-o", str(work / "a.jsonl")],
            "jsonl, split by document": ["-o", str(work / "b.jsonl"), *split],
            "jsonl, split by meta.outlet": [
                "-o",
                str(work / "c.jsonl"),
                *split,
                "--split-by",
                "meta.outlet",
            ],
            "jsonl, --pseudonymise annotators": [
                "-o",
                str(work / "d.jsonl"),
                "--pseudonymise",
                "annotators",
            ],
            "claimreview": ["-o", str(work / "e.jsonld"), "-f", "claimreview"],
        }
        timed([*factmark, "export", str(project), "-o", str(work / "warm.jsonl")])  # page cache
        print(f"{args.documents:,} documents, {args.documents * 10:,} spans\n")
        print("| export | time | peak memory | x floor |\n| --- | --- | --- | --- |")
        floor = None
        for what, options in runs.items():
            seconds, memory, _ = timed([*factmark, "export", str(project), *options, "--no-card"])
            floor = floor or seconds
            print(f"| {what} | {seconds:.2f} s | {memory:.0f} MB | {seconds / floor:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
