"""Benchmark: merging annotators' copies of one corpus (issues 8 and 18's scale targets).

    python bench/merge_bench.py                 # 20 copies of 5,000 documents (the target)
    python bench/merge_bench.py 5 1000          # 5 copies of 1,000 documents

Two merges of the same size run side by side, each through the real command in a process
of its own (time, and peak resident memory ``ru_maxrss``):

- **today's merge** (copies without a base, as older Factmark made them): every copy holds
  the same documents, each annotated by its own annotator with about five spans and one
  relation per document; the last copy is a second copy of the first annotator's work
  with changed notes on one span in ten and other statuses on one document in ten, so
  conflicts are resolved too. Merged into a new project, then all again (no change).
- **three-way merge** (copies made by ``factmark copy``, with a base): the lead's project
  has five spans and a relation per document; each copy adds its annotator's five spans
  and a relation per document, deletes one of the lead's spans in one document in ten and
  changes the note of one in another tenth (colleagues touching the same span make
  conflicts, which are queued). Merged into the lead's project, then all again (no change).

Target: each under 60 s.
"""

from __future__ import annotations

import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "desktop"))

from factmark.core.incoming import IncomingDocument  # noqa: E402
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


def edit_lead_spans(path: Path, seed: int) -> None:
    """In one document in ten delete one of the lead's spans; in another tenth change the
    note of one (SQL directly, as in annotate; the deletion trigger records tombstones)."""
    rng = random.Random(seed + 5000)
    stamp = now()
    with Project.open(path) as project, project.transaction():
        conn = project.conn
        rows = conn.execute(
            "SELECT document_id, min(id), max(id) FROM spans WHERE annotator = 'lead' "
            "GROUP BY document_id"
        ).fetchall()
        for _doc_id, first, last in rows:
            roll = rng.random()
            span_id = rng.randint(first, last)
            if roll < 0.1:
                conn.execute("DELETE FROM spans WHERE id = ?", [span_id])
            elif roll < 0.2:
                conn.execute(
                    "UPDATE spans SET note = ?, updated_at = ? WHERE id = ?",
                    [f"checked by {seed}", stamp, span_id],
                )


# Runs the command line in this process and prints its peak resident memory (kB) last.
_MEASURED = (
    "import resource, sys\n"
    "from factmark.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "print('peak-kb', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    "sys.exit(code)\n"
)


def factmark(*args: str | Path) -> tuple[float, str, float]:
    """Run the real command in a process of its own; the seconds it took, its output and
    its peak resident memory in MB."""
    command = [sys.executable, "-c", _MEASURED]
    started = time.perf_counter()
    result = subprocess.run([*command, *map(str, args)], capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"factmark {args[0]} failed:\n{result.stderr}")
    *lines, peak = result.stdout.splitlines()
    return elapsed, "\n".join(lines), int(peak.split()[1]) / 1024


def spans_added(output: str) -> int:
    return sum(
        int(line.split(", ")[1].split()[0].replace(",", ""))  # counts may read 24,999
        for line in output.splitlines()
        if " spans added" in line
    )


def three_way(work: Path, copies: int, documents: int) -> tuple[float, float, float, float, str]:
    """Copies with a base, edited; merged into the lead's project twice."""
    from factmark.core.copies import make_copy

    lead = work / "lead.factmark"
    make_base(lead, documents, random.Random(18))
    annotate(lead, "lead", 18, False)
    sources = []
    with Project.open(lead) as project:
        for number in range(copies):
            sources.append(make_copy(project, work / f"based-{number:02}.factmark").path)
    for number, path in enumerate(sources):
        annotate(path, f"annotator-{number:02}", number, False)
        edit_lead_spans(path, number)
    first, output, peak = factmark("merge", lead, *sources)
    again, output_again, peak_again = factmark("merge", lead, *sources)
    assert "0 spans added" in output_again.splitlines()[0], output_again

    def total(pattern: str) -> int:
        return sum(int(found.replace(",", "")) for found in re.findall(pattern, output))

    changed, deleted = total(r"([\d,]+) spans? changed"), total(r"([\d,]+) spans? deleted")
    queued = total(r"([\d,]+) conflicts? queued")
    summary = (
        f"{spans_added(output)} spans added; {changed} changed, {deleted} deleted, "
        f"{queued} conflicts queued"
    )
    return first, peak, again, peak_again, summary


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
        first, output, peak = factmark("merge", target, *sources)
        again, output_again, peak_again = factmark("merge", target, *sources)
        print(f"today's merge (no base), {copies} x {documents} documents:")
        print(f"  merge ({spans_added(output)} spans): {first:.1f} s, peak {peak:.0f} MB")
        print(f"  merging them all again (no change): {again:.1f} s, peak {peak_again:.0f} MB")
        last = [line for line in output.splitlines() if line.startswith(str(sources[-1]))]
        print(f"  last copy (conflicting): {last[0].split(': ', 1)[-1]}")
        assert "0 spans added" in output_again.splitlines()[0]
        started = time.perf_counter()
        three = three_way(work, copies, documents)
        print("three-way merge (copies with a base, edits and deletions in each):")
        print(f"  merge ({three[4]}): {three[0]:.1f} s, peak {three[1]:.0f} MB")
        print(f"  merging them all again (no change): {three[2]:.1f} s, peak {three[3]:.0f} MB")
        print(f"  (made and merged in {time.perf_counter() - started:.1f} s)")
        print(f"target under 60 s: {'yes' if max(first, three[0]) < 60 else 'NO'}")


if __name__ == "__main__":
    main()
