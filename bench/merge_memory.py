"""Benchmark: the memory a merge of one large copy needs (issue 14's bound: under 300 MB).

    python bench/merge_memory.py                  # 100,000 documents, 2,000,000 spans
    python bench/merge_memory.py 10000 200000     # a smaller copy

The copy is a project made by Factmark, filled with bare sqlite3 inserts (test data,
made in a minute rather than through the one-span-at-a-time API): each document has
about 600 characters, 20 spans by one annotator and one relation. Two figures are
measured, each in a process of its own (peak resident memory, ``VmHWM``):

- ``merge``: ``merge_projects`` of the copy into a new project (every row is checked,
  then written), the way ``factmark merge`` does it;
- ``floor``: a bare sqlite3 script reading every document and span of the same file
  with a cursor (what any reading of it costs, Python and SQLite included).

Not part of the test suite: it takes a few minutes.
"""

from __future__ import annotations

import hashlib
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "desktop"))

WORDS = (
    *("the", "army", "said", "on", "Monday", "that", "240", "soldiers", "had", "crossed"),
    *("the", "river", "near", "Bakhmut", "while", "officials", "in", "Kyiv", "told"),
    *("reporters", "according", "to", "the", "ministry", "around", "15,000", "people", "fled"),
)
LABELS = ("claim", "source", "location", "number")
STAMP = "2026-01-01T00:00:00.000+00:00"
SPANS_PER_DOCUMENT = 20
TARGET_MB = 300


def make_copy(path: Path, documents: int, spans: int) -> None:
    """A Factmark project holding ``documents`` articles and ``spans`` spans."""
    from factmark.core.project import Project

    Project.open(path).close()  # the schema, labels and link types, as Factmark makes them
    rng = random.Random(14)
    per_document = max(1, spans // documents)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous = OFF")
    with conn:
        conn.execute("INSERT INTO annotators (name, created_at) VALUES ('ana', ?)", [STAMP])

        def texts() -> object:
            for number in range(1, documents + 1):
                text = f"Article {number}. " + " ".join(rng.choice(WORDS) for _ in range(90))
                uid = hashlib.sha256(text.encode()).hexdigest()
                yield number, uid, f"article {number}", text, STAMP, STAMP

        conn.executemany(
            "INSERT INTO documents (id, uid, title, text, meta, status, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, '{}', 'in_progress', ?, ?)",
            texts(),  # type: ignore[arg-type]
        )
        lengths = dict(conn.execute("SELECT id, length(text) FROM documents"))

        def span_rows() -> object:
            span_id = 0
            for doc_id in range(1, documents + 1):
                length = lengths[doc_id]
                for _ in range(per_document):
                    span_id += 1
                    start = rng.randrange(0, length - 30)
                    yield (
                        span_id,
                        doc_id,
                        start,
                        start + rng.randrange(3, 30),
                        rng.choice(LABELS),
                        STAMP,
                        STAMP,
                    )

        conn.executemany(
            'INSERT INTO spans (id, document_id, start, "end", label, annotator, note, attrs, '
            "created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'ana', NULL, '{}', ?, ?)",
            span_rows(),  # type: ignore[arg-type]
        )
        conn.executemany(
            "INSERT INTO relations (document_id, head_span_id, child_span_id, label) "
            "VALUES (?, ?, ?, 'attributed_to')",
            (
                (doc_id, (doc_id - 1) * per_document + 1, (doc_id - 1) * per_document + 2)
                for doc_id in range(1, documents + 1)
            ),
        )
    conn.close()


def make_target(path: Path) -> None:
    """A new, empty project, made here: creating one imports sqlite-utils (about 90 MB
    of modules), which is the creation's cost, not the merge's."""
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; sys.path.insert(0, sys.argv[2]); from factmark.core.project import "
            "Project; Project.open(sys.argv[1]).close()",
            str(path),
            str(HERE.parent / "desktop"),
        ],
        check=True,
    )


def child_merge(source: Path, target: Path) -> None:
    from factmark.core.merge import merge_projects
    from factmark.core.project import Project

    with Project.open(target, create=False) as project:
        before = peak_mb()  # Python, Factmark's modules and the open target
        started = time.perf_counter()
        (report,) = merge_projects(project, [source])
    seconds = time.perf_counter() - started
    assert not report.incomplete, report.lines()
    added = f"{report.documents_added} {report.spans_added}"
    print(f"{peak_mb():.0f} {seconds:.1f} {added} {before:.0f}")


def child_floor(source: Path) -> None:
    started = time.perf_counter()
    conn = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    documents = spans = 0
    for _ in conn.execute("SELECT id, uid, title, text, meta, status FROM documents"):
        documents += 1
    for _ in conn.execute('SELECT document_id, id, start, "end", label, annotator FROM spans'):
        spans += 1
    seconds = time.perf_counter() - started
    print(f"{peak_mb():.0f} {seconds:.1f} {documents} {spans}")


def peak_mb() -> float:
    """This process's peak resident memory in MB: ``VmHWM`` on Linux (``ru_maxrss`` there
    also counts the parent's size at the fork), else ``ru_maxrss`` (macOS: bytes)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def run_child(*args: object) -> list[str]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", *map(str, args)],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.split()


def main(argv: list[str]) -> None:
    if argv[:1] == ["--child"]:
        if argv[1] == "merge":
            child_merge(Path(argv[2]), Path(argv[3]))
        else:
            child_floor(Path(argv[2]))
        return
    documents = int(argv[0]) if argv else 100_000
    spans = int(argv[1]) if len(argv) > 1 else documents * SPANS_PER_DOCUMENT
    with tempfile.TemporaryDirectory(prefix="factmark-bench-") as folder:
        source = Path(folder) / "copy.factmark"
        started = time.perf_counter()
        make_copy(source, documents, spans)
        size = source.stat().st_size / 1e6
        print(
            f"copy: {documents:,} documents, {spans:,} spans, {size:.0f} MB "
            f"(made in {time.perf_counter() - started:.0f} s)"
        )
        target = Path(folder) / "target.factmark"
        make_target(target)
        floor_mb, floor_s, *_ = run_child("floor", source)
        merge_mb, merge_s, added_documents, added_spans, before_mb = run_child(
            "merge", source, target
        )
    print(f"floor (bare sqlite3 read of every document and span): {floor_mb} MB, {floor_s} s")
    print(
        f"merge into a new project ({added_documents} documents, {added_spans} spans added): "
        f"{merge_mb} MB peak ({before_mb} MB before the merge began), {merge_s} s"
    )
    verdict = "within" if float(merge_mb) < TARGET_MB else "OVER"
    print(f"target: under {TARGET_MB} MB: {verdict}")


if __name__ == "__main__":
    main(sys.argv[1:])
