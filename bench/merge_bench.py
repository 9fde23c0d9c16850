"""Benchmark: merging annotators' copies of one corpus (issue 8's scale target).

    python bench/merge_bench.py                 # 20 copies of 5,000 documents (the target)
    python bench/merge_bench.py 5 1000          # 5 copies of 1,000 documents

Every copy holds the same documents (as when a corpus is handed out), each annotated
by its own annotator with about five spans and one relation per document; the last
copy is a second copy of the first annotator's work with changed notes on one span in
ten and other statuses on one document in ten, so conflicts are resolved too. The
figure is the time of ``factmark merge`` (through the real command) into a new project,
then of merging everything again (which must change nothing). Target: under 60 s.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "desktop"))

from factmark.core.model import IncomingDocument  # noqa: E402
from factmark.core.project import Project, now  # noqa: E402

WORDS = (
    *("the", "army", "said", "on", "Monday", "that", "240", "soldiers", "had", "crossed"),
    *("the", "river", "near", "Bakhmut", "while", "officials", "in", "Kyiv", "told"),
    *("reporters", "according", "to", "the", "ministry", "around", "15,000", "people", "fled"),
)
LABELS = ("claim", "source", "location", "number")


def make_base(path: Path, documents: int, rng: random.Random) -> None:
    """A project with ``documents`` distinct articles and no spans, in one transaction."""
    with Project.open(path) as project, project.transaction():
        for number in range(documents):
            text = f"Article {number}. " + " ".join(rng.choice(WORDS) for _ in range(120))
            project.add_document(IncomingDocument(text, title=f"article {number}"))


def annotate(path: Path, annotator: str, seed: int, conflicting: bool) -> None:
    """Give every document of a copy about five spans and a relation by ``annotator``.

    Written with SQL directly: this is test data, made far faster than through the
    one-span-at-a-time API.
    """
    rng, changes = random.Random(seed), random.Random(seed + 1000)
    stamp = now()
    with Project.open(path) as project, project.transaction():
        conn = project.conn
        conn.execute(
            "INSERT OR IGNORE INTO annotators (name, created_at) VALUES (?, ?)", [annotator, stamp]
        )
        rows = conn.execute("SELECT id, length(text) FROM documents").fetchall()
        for doc_id, length in rows:
            ids = []
            for _ in range(5):
                start = rng.randrange(0, length - 40)
                changed = conflicting and changes.random() < 0.1
                note = f"changed {changes.random()}" if changed else None
                cursor = conn.execute(
                    'INSERT INTO spans (document_id, start, "end", label, annotator, note, '
                    "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        doc_id,
                        start,
                        start + rng.randrange(3, 40),
                        rng.choice(LABELS),
                        annotator,
                        note,
                        stamp,
                        stamp,
                    ],
                )
                ids.append(cursor.lastrowid)
            conn.execute(
                "INSERT INTO relations (document_id, head_span_id, child_span_id, label) "
                "VALUES (?, ?, ?, 'supports')",
                [doc_id, ids[0], ids[1]],
            )
            status = "done" if not conflicting or changes.random() < 0.9 else "skipped"
            conn.execute("UPDATE documents SET status = ? WHERE id = ?", [status, doc_id])


def factmark(*args: str | Path) -> tuple[float, str]:
    """Run the real command; returns the seconds it took and its output."""
    script = shutil.which("factmark", path=str(Path(sys.executable).parent))
    command = [script] if script else [sys.executable, "-m", "factmark"]
    started = time.perf_counter()
    result = subprocess.run([*command, *map(str, args)], capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"factmark {args[0]} failed:\n{result.stderr}")
    return elapsed, result.stdout


def main() -> None:
    copies = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    documents = int(sys.argv[2]) if len(sys.argv) > 2 else 5000
    rng = random.Random(8)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        started = time.perf_counter()
        base = work / "base.factmark"
        make_base(base, documents, rng)
        sources = []
        for number in range(copies):
            path = work / f"copy-{number:02}.factmark"
            shutil.copy(base, path)
            conflicting = copies > 1 and number == copies - 1
            seed = 0 if conflicting else number
            annotate(path, f"annotator-{seed:02}", seed, conflicting)
            sources.append(path)
        made = time.perf_counter() - started
        print(f"made {copies} copies of {documents} documents in {made:.1f} s")
        target = work / "merged.factmark"
        first, output = factmark("merge", target, *sources)
        again, output_again = factmark("merge", target, *sources)
        spans = sum(
            int(line.split(", ")[1].split()[0])
            for line in output.splitlines()
            if " spans added" in line
        )
        print(f"merge of {copies} x {documents} documents ({spans} spans): {first:.1f} s")
        print(f"merging them all again (no change): {again:.1f} s")
        last = [line for line in output.splitlines() if line.startswith(str(sources[-1]))]
        print(f"last copy (conflicting): {last[0].split(': ', 1)[-1]}")
        print(f"target under 60 s: {'yes' if first < 60 else 'NO'}")
        assert "0 spans added" in output_again.splitlines()[0]


if __name__ == "__main__":
    main()
