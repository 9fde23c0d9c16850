"""A newsroom's whole archive in one project: 100,000 articles, 2 million spans.

    python bench/scale.py                 # the full size (a few minutes)
    python bench/scale.py --documents 10000   # a tenth, to try it quickly
    python bench/scale.py --steps export:jsonl,export:brat   # only these steps

Steps: ``import`` (always run: every other step needs the project), ``window``, ``stats``,
``agree`` (the command, and View > Agreement's counting), ``copy`` (a copy for an
annotator, beside SQLite's backup of the file), ``merge`` (that copy merged back unchanged,
beside reading its spans and base once), ``suggest``, ``export`` (every format) or
``export:FORMAT`` (one; its ratio is against ``export:jsonl``, which runs first whenever an
export is asked for).

Every step runs in a process of its own and is timed with its peak memory (max RSS):
the import (``factmark import``), the search index filled afterwards as the window does it
in the background, the window opening on the project (to its panels' paint),
the document list's status filter and text search (one model update per keystroke,
the FTS5 index against a plain scan of every text in the same run), the statistics,
``factmark agree`` over the two annotators of every document, Suggest spans on one article
as the window does it (the first time in a session, learning from every labelled span on a
worker; then the next article, with what was learned kept) beside the rule suggesters alone
on that article, and every export format
beside the JSONL export of the same project (the corpus has no links and no verdicts:
``attribution`` writes a line per claim with no source, ``claimreview`` no review, both
after reading every document; ``sentences`` segments every text). Targets (from issue
17): window open under 0.5 s, statistics under 0.3 s, agree under 3 s, every export under
2x JSONL, a search keystroke under 100 ms. These are measurements, not tests: nothing
here fails a build.

Making files (the brat export and its floor) is slow for some minutes after many files
were deleted on the same ext4 file system without a journal: the kernel passes over each
inode freed in the last 60 s (300 s while its table is not yet written back) one by one,
in its own processor time. A whole run deletes its 400,000 files at its end, so leave
five minutes between runs (and after deleting any large folder) before trusting brat's
figures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO / "desktop"))

import readme  # noqa: E402  (bench/readme.py: the README's tables)
from run import article  # noqa: E402  (the same article maker as bench/run.py)

LABELS = ("claim", "source", "location", "number")
FULL = 100_000  # a whole run at this size writes bench/SCALE.md and the README's table
FORMATS = (
    "jsonl",
    "doccano",
    "labelstudio",
    "brat",
    "conll",
    "spacy",
    "xmi",
    "attribution",
    "sentences",
    "claimreview",
)
ENV = {**os.environ, "PYTHONPATH": str(REPO / "desktop"), "QT_QPA_PLATFORM": "offscreen"}


def corpus(path: Path, documents: int) -> None:
    """``documents`` articles of about 1,500 characters, 20 spans each from two
    annotators who mostly agree (so that ``agree`` has work), as JSONL."""
    import orjson

    rng = random.Random(7)
    with path.open("wb") as out:
        for n in range(documents):
            text = article(1500, seed=n) + f" [{n}]"
            spans = []
            for _ in range(10):
                start = rng.randrange(0, len(text) - 40)
                end = start + rng.randint(3, 30)
                label = rng.choice(LABELS)
                spans.append({"start": start, "end": end, "label": label, "annotator": "ana"})
                if rng.random() < 0.8:  # the second annotator agrees, or nearly
                    shift = 0 if rng.random() < 0.7 else rng.randint(1, 3)
                    spans.append(
                        {"start": start, "end": end + shift, "label": label, "annotator": "ben"}
                    )
                else:
                    other = rng.randrange(0, len(text) - 40)
                    spans.append(
                        {"start": other, "end": other + 10, "label": label, "annotator": "ben"}
                    )
            out.write(orjson.dumps({"text": text, "status": "done", "spans": spans}) + b"\n")


def timed(command: list[str]) -> tuple[float, float, str]:
    """Wall time (s), peak memory (MB) and standard output of one process (its own
    peak: ``wait4`` reports the child's usage alone)."""
    seconds, _, memory, out = timed_cpu(command)
    return seconds, memory, out


def timed_cpu(command: list[str], to: Path | None = None) -> tuple[float, float, float, str]:
    """``timed`` with the process's processor time (user + system, s) second; with ``to``,
    the standard output goes to that file and is not read (empty here)."""
    with (
        tempfile.TemporaryFile() if to is None else to.open("wb") as out,
        tempfile.TemporaryFile() as err,
    ):
        began = time.perf_counter()
        child = subprocess.Popen(command, env=ENV, stdout=out, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter() - began
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if child.returncode != 0:
            raise RuntimeError(
                f"{command[:4]} exited with {child.returncode}: {err.read()[-2000:]!r}"
            )
        cpu = usage.ru_utime + usage.ru_stime
        printed = "" if to is not None else out.read().decode("utf-8")
        return elapsed, cpu, usage.ru_maxrss / 1024, printed


def inside(code: str) -> tuple[float, float, str]:
    """Run Python ``code`` in a process of its own; it prints JSON figures last."""
    return timed([sys.executable, "-c", code])


WINDOW = """
import json, resource, time
from PySide6.QtWidgets import QApplication
from factmark.ui.app import application, create_main_window
app = application()
began = time.perf_counter()  # the start of the program itself is bench/run.py's "start"
window = create_main_window({path!r})
window.show()
app.processEvents()
while not window.panels_placed:  # the document list and side panels follow the first paint
    app.processEvents()
app.processEvents()  # and are painted: the window is open when all of it shows
opened = time.perf_counter() - began
model = window.documents.model
def timed(**kwargs):
    t = time.perf_counter(); model.set_filter(**kwargs); app.processEvents()
    return time.perf_counter() - t
status = timed(status="done")
timed(status="")
# A document's own marker, typed from its third character (below three the search field
# scans, as a two-character search in any script must; it waits for typing to pause).
QUERY = "[1234]"
keystrokes = [timed(search=QUERY[:n]) for n in range(3, len(QUERY) + 1)]
found = model.rowCount()
project = window.project
from factmark.core.project import Project
Project._search_index = False  # the same search by scanning every text, for the floor
project._search_index = False
project._search_pieces = lambda search: None
scans = [timed(search=QUERY[:n]) for n in range(3, len(QUERY) + 1)]
assert model.rowCount() == found
print(json.dumps({{"open": opened, "status": status, "keys": keystrokes, "scans": scans,
                  "found": found,
                  "memory": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


# What the window does after an import, in a thread of its own: the documents the
# search index does not know yet added to it, a few hundred a transaction.
FILL_INDEX = """
import json
from pathlib import Path
from factmark.core.project import Project
from factmark.ui.background.jobs import fill_search_index
steps = []
outcome = fill_search_index(Path({path!r}), lambda *done: steps.append(done), lambda: False)
assert outcome.error is None, outcome.error
with Project.open(Path({path!r})) as project:
    assert project.documents_not_indexed() == 0
print(json.dumps({{"transactions": len(steps)}}))
"""


# View > Agreement's counting, as its background job does it (the figures, the first
# disagreements of each figure listed, the report's HTML).
AGREE_WINDOW = """
import json, time
from pathlib import Path
from factmark.ui.background.jobs import agreement_figures
began = time.perf_counter()
outcome = agreement_figures(Path({path!r}), lambda: False)
assert outcome.error is None and outcome.figures, outcome.error
print(json.dumps({{"seconds": time.perf_counter() - began,
                  "listed": len(outcome.figures["disagreements"]),
                  "counted": sum(sum(by.values())
                                 for by in outcome.figures["disagreement_counts"].values())}}))
"""
# Opening a project this Factmark has not checked before (a colleague's copy, a file from
# another machine): every page read through (quick_check) and every row's columns checked
# (factmark.core.soundness), in a user folder that knows no project. Its floor: SQLite's
# own quick_check of the file, which reads every page once.
FIRST_OPEN = """
import json, os, sqlite3, tempfile, time
from pathlib import Path
os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp()
from factmark.core.project import Project
path = Path({path!r})
began = time.perf_counter()
Project.open(path, readonly=True).close()
opened = time.perf_counter() - began
conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
began = time.perf_counter()
assert conn.execute("PRAGMA quick_check").fetchall() == [("ok",)]
print(json.dumps({{"open": opened, "floor": time.perf_counter() - began}}))
"""
# What a copy cannot go under: SQLite's backup of the project file alone, as the copy
# makes it before it records the copy's base.
BACKUP_FLOOR = """
import json, os, sqlite3, time
times, began = os.times(), time.perf_counter()
source = sqlite3.connect({path!r})
target = sqlite3.connect({target!r})
source.backup(target)
target.close()
seconds, ended = time.perf_counter() - began, os.times()
os.remove({target!r})
print(json.dumps({{"seconds": seconds,
                  "cpu": ended.user + ended.system - times.user - times.system}}))
"""

# What a merge of a copy cannot go under: every row of the copy's spans and of its base
# read once, by a bare sqlite3 (a merge checks every row of both, then compares each
# document's spans with its base).
MERGE_FLOOR = """
import json, os, resource, sqlite3, time
times, began = os.times(), time.perf_counter()
copy = sqlite3.connect({copy!r})
rows = 0
for table in ("spans", "merge_base"):
    for _ in copy.execute("SELECT * FROM " + table):
        rows += 1
seconds, ended = time.perf_counter() - began, os.times()
print(json.dumps({{"seconds": seconds, "rows": rows,
                  "cpu": ended.user + ended.system - times.user - times.system}}))
"""


# Suggest spans as the window's worker does it: the project's labelled spans learned the
# first time (ProjectPhrases, on a connection of its own), then an article; then the next
# article with what was learned kept. Each article is suggested for once beforehand with the
# rule suggesters alone, so their tables are loaded in every process before timing.
SUGGEST = """
import json, resource, time
from pathlib import Path
from factmark.core.project import Project
from factmark.core.suggest import suggest
from factmark.ui.background.suggestions import ProjectPhrases
with Project.open_beside(Path({path!r}), readonly=True) as project:
    ids = [d.id for d in project.documents()]
    first, second = (project.document(ids[n]).text for n in (len(ids) // 3, len(ids) // 2))
suggest(first)
def peak():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
if {floor!r}:
    began = time.perf_counter()
    found = suggest(second)
    print(json.dumps({{"seconds": time.perf_counter() - began, "memory": peak(),
                      "found": len(found)}}))
    raise SystemExit
phrases, spans = ProjectPhrases(Path({path!r})), []
began = time.perf_counter()
with phrases.lock:
    learned = phrases.current(spans.append)
    found = suggest(first, learned=learned)
first_seconds, first_memory = time.perf_counter() - began, peak()
began = time.perf_counter()
with phrases.lock:
    learned = phrases.current(spans.append)
    projected = time.perf_counter()
    learned.propose(second)
    projected = time.perf_counter() - projected
    found_next = suggest(second, learned=learned)
next_seconds = time.perf_counter() - began
print(json.dumps({{"first": first_seconds, "first_memory": first_memory, "spans": spans[0],
                  "phrases": len(learned), "next": next_seconds, "next_memory": peak(),
                  "project": projected, "found": len(found_next)}}))
"""


STEPS = (
    "import",
    "window",
    "check",
    "stats",
    "agree",
    "copy",
    "merge",
    "suggest",
    *(f"export:{fmt}" for fmt in FORMATS),
)


def steps(text: str) -> tuple[str, ...]:
    """``--steps`` as the known steps in their usual order (``export`` stands for every
    format; an export brings ``export:jsonl``, its floor, with it)."""
    asked = set()
    for step in filter(None, (item.strip() for item in text.split(","))):
        if step == "export":
            asked.update(f"export:{fmt}" for fmt in FORMATS)
        elif step in STEPS:
            asked.add(step)
        else:
            raise argparse.ArgumentTypeError(f"unknown step {step!r} (use {', '.join(STEPS)})")
    if any(step.startswith("export:") for step in asked):
        asked.add("export:jsonl")
    return tuple(step for step in STEPS if step in asked or step == "import")


# What a brat export cannot go under on this disk: the same files (names and sizes) made
# with os.open, os.write and os.close in a folder of their own, then put on the disk the
# way the export does it (one syncfs on Linux).
FILES_FLOOR = """
import json, os, shutil, time
from factmark.core.exporting.base import _flush_to_disk
folder = {folder!r}
files = [(name, os.path.getsize(os.path.join(folder, name))) for name in os.listdir(folder)]
target = folder + ".floor"
os.mkdir(target)
descriptor = os.open(target, os.O_RDONLY)
data = memoryview(b"x" * max(size for _, size in files))
flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
times, began = os.times(), time.perf_counter()
paths = []
for name, size in files:
    path = os.path.join(target, name)
    paths.append(path)
    made = os.open(path, flags, 0o666)
    os.write(made, data[:size])
    os.close(made)
_flush_to_disk(descriptor, paths)
seconds, ended = time.perf_counter() - began, os.times()
os.close(descriptor)
shutil.rmtree(target)
print(json.dumps({{"seconds": seconds, "files": len(files),
                  "cpu": ended.user + ended.system - times.user - times.system}}))
"""
# What a CoNLL export cannot go under in Python: reading every text and cutting it into
# its tokens (one compiled expression's split per text), nothing written.
TOKENS_FLOOR = """
import json, os, sqlite3, time
from factmark.core.exporting.conll_tokens import split
times, began = os.times(), time.perf_counter()
for (text,) in sqlite3.connect({path!r}).execute("SELECT text FROM documents ORDER BY id"):
    split(text)
seconds, ended = time.perf_counter() - began, os.times()
print(json.dumps({{"seconds": seconds, "files": 1,
                  "cpu": ended.user + ended.system - times.user - times.system}}))
"""


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=FULL)
    parser.add_argument(
        "--steps",
        type=steps,
        default=STEPS,
        help="comma-separated steps to run (default: all): import, window, check, stats, "
        "agree, copy, merge, suggest, export, export:FORMAT",
    )
    args = parser.parse_args(argv)
    chosen: tuple[str, ...] = args.steps
    rows: list[str] = []
    began = datetime.now(UTC)

    def row(what: str, seconds: float, memory: float, note: str = "") -> None:
        rows.append(f"| {what} | {seconds:.3f} s | {memory:.0f} MB | {note} |")
        print(rows[-1], flush=True)

    def verdict(within: bool) -> str:
        return "under target" if within else "OVER TARGET"

    # Every command runs from compiled bytecode, as an installed app does, also where
    # PYTHONDONTWRITEBYTECODE is set: compiled before anything is timed (bench/run.py too).
    ENV.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "desktop")], env=ENV)
    with tempfile.TemporaryDirectory(prefix="factmark-scale-") as tmp:
        work = Path(tmp)
        source = work / "archive.jsonl"
        corpus(source, args.documents)
        project = work / "archive.factmark"
        print(
            f"{args.documents:,} documents, {args.documents * 20:,} spans "
            f"({source.stat().st_size / 1e6:.0f} MB of JSONL)\n"
        )
        print("| step | time | peak memory | note |\n| --- | --- | --- | --- |", flush=True)
        # One user's folders for every step: the project the import wrote is known to the
        # window as this Factmark's own (it is not checked through again).
        ENV["XDG_CONFIG_HOME"] = str(work / "config")
        ENV["XDG_DATA_HOME"] = str(work / "data")
        factmark = [sys.executable, "-m", "factmark"]
        seconds, memory, _ = timed([*factmark, "import", str(project), str(source)])
        row("import", seconds, memory, "the search index is left to the window")
        seconds, memory, out = inside(FILL_INDEX.format(path=str(project)))
        row(
            "search index filled in the background (the window's job)",
            seconds,
            memory,
            f"{json.loads(out.strip().splitlines()[-1])['transactions']:,} transactions; "
            "meanwhile a search scans the documents not yet indexed",
        )
        if "window" in chosen:
            seconds, memory, out = inside(WINDOW.format(path=str(project)))
            window = json.loads(out.strip().splitlines()[-1])
            row(
                "window open on the project (to its panels' paint)",
                window["open"],
                window["memory"],
                f"target < 0.5 s: {verdict(window['open'] < 0.5)}",
            )
            row("document list: status filter", window["status"], window["memory"])
            keys, scans = window["keys"], window["scans"]
            row(
                "document list: search, per keystroke (median, slowest)",
                statistics.median(keys),
                window["memory"],
                f"slowest {max(keys) * 1000:.0f} ms; a scan of every text: median "
                f"{statistics.median(scans) * 1000:.0f} ms; {window['found']} found; "
                f"target < 100 ms: {verdict(max(keys) < 0.1)}",
            )
        if "check" in chosen:
            seconds, memory, out = inside(FIRST_OPEN.format(path=str(project)))
            first = json.loads(out.strip().splitlines()[-1])
            row(
                "first open of a project not checked before (a colleague's copy): its pages "
                "and rows checked",
                first["open"],
                memory,
                f"floor: SQLite's quick_check of the file {first['floor']:.3f} s "
                f"({first['open'] / first['floor']:.2f}x)",
            )
        if "stats" in chosen:
            seconds, memory, _ = timed([*factmark, "stats", str(project)])
            within = verdict(seconds < 0.3)
            row("statistics (`factmark stats`)", seconds, memory, f"target < 0.3 s: {within}")
        if "agree" in chosen:
            seconds, cpu, memory, _ = timed_cpu([*factmark, "agree", str(project)])
            within = verdict(seconds < 3)
            row(
                "agreement (`factmark agree`)",
                seconds,
                memory,
                f"processor time {cpu:.2f} s; target < 3 s: {within}",
            )
            listed = work / "agreement.json"
            seconds, cpu, memory, _ = timed_cpu(
                [*factmark, "agree", str(project), "--json"], to=listed
            )
            size = listed.stat().st_size
            listed.unlink()
            row(
                "agreement as JSON, every disagreement listed (`factmark agree --json`, "
                "written as found)",
                seconds,
                memory,
                f"processor time {cpu:.2f} s; {size / 1e6:,.0f} MB of JSON to a file; "
                f"target: peak < 200 MB: {verdict(memory < 200)}",
            )
            seconds, memory, out = inside(AGREE_WINDOW.format(path=str(project)))
            figures = json.loads(out.strip().splitlines()[-1])
            row(
                "agreement as View > Agreement counts it (figures, report, disagreements listed)",
                figures["seconds"],
                memory,
                f"{figures['counted']:,} disagreements counted, the first "
                f"{figures['listed']:,} listed; the command's target < 3 s: "
                f"{verdict(figures['seconds'] < 3)}",
            )
        if "copy" in chosen:
            copied = work / "copy.factmark"
            seconds, cpu, memory, _ = timed_cpu([*factmark, "copy", str(project), str(copied)])
            size = copied.stat().st_size
            copied.unlink()
            _, floor_memory, out = inside(
                BACKUP_FLOOR.format(path=str(project), target=str(work / "floor.factmark"))
            )
            floor = json.loads(out.strip().splitlines()[-1])
            row(
                "copy for an annotator (`factmark copy`, File > Export project for annotator)",
                seconds,
                memory,
                f"processor time {cpu:.2f} s; {size / 2**20:,.0f} MiB with its base",
            )
            row(
                "floor of the copy: SQLite's backup of the project file alone",
                floor["seconds"],
                floor_memory,
                f"{seconds / floor['seconds']:.2f}x (processor time {floor['cpu']:.2f} s)",
            )
        if "merge" in chosen:
            copied = work / "copy.factmark"
            timed([*factmark, "copy", str(project), str(copied), "--annotator", "ana"])
            seconds, cpu, memory, out = timed_cpu([*factmark, "merge", str(project), str(copied)])
            if " 0 spans added" not in out or " 0 spans deleted" not in out:
                raise RuntimeError(f"merging the copy back changed the project: {out}")
            _, floor_memory, floor_out = inside(MERGE_FLOOR.format(copy=str(copied)))
            floor = json.loads(floor_out.strip().splitlines()[-1])
            copied.unlink()
            row(
                "merge of that copy back, unchanged (`factmark merge`, File > Merge projects)",
                seconds,
                memory,
                f"processor time {cpu:.2f} s; three-way, from the copy's base; target: "
                f"peak < 300 MB: {verdict(memory < 300)}",
            )
            row(
                "floor of the merge: every row of the copy's spans and base read once "
                "(bare sqlite3)",
                floor["seconds"],
                floor_memory,
                f"{floor['rows']:,} rows; {seconds / floor['seconds']:.2f}x "
                f"(processor time {floor['cpu']:.2f} s)",
            )
        if "suggest" in chosen:
            _, _, out = inside(SUGGEST.format(path=str(project), floor=False))
            learn = json.loads(out.strip().splitlines()[-1])
            _, _, out = inside(SUGGEST.format(path=str(project), floor=True))
            floor = json.loads(out.strip().splitlines()[-1])
            row(
                "Suggest spans, first in a session: learning from every labelled span, "
                "then one article (a worker)",
                learn["first"],
                learn["first_memory"],
                f"{learn['spans']:,} spans, {learn['phrases']:,} phrases learned",
            )
            row(
                "Suggest spans, next article (what was learned kept)",
                learn["next"],
                learn["next_memory"],
                f"{learn['found']:,} proposals; the project suggester's part "
                f"{learn['project'] * 1000:.0f} ms",
            )
            row(
                "floor of Suggest spans: the rule suggesters alone on that article",
                floor["seconds"],
                floor["memory"],
                f"{floor['found']:,} proposals",
            )
        base = base_cpu = 0.0
        for fmt in FORMATS:
            if f"export:{fmt}" not in chosen:
                continue
            suffix = {
                "jsonl": ".jsonl",
                "doccano": ".jsonl",
                "labelstudio": ".json",
                "conll": ".conll",
                "spacy": ".spacy",
                "xmi": ".zip",
                "attribution": ".jsonl",
                "sentences": ".tsv",
                "claimreview": ".jsonld",
            }.get(fmt, "")
            output = work / f"out-{fmt}{suffix}"
            seconds, cpu, memory, _ = timed_cpu(
                [
                    *factmark,
                    "export",
                    str(project),
                    "-o",
                    str(output),
                    "--all",
                    "-f",
                    fmt,
                    "--no-card",
                ]
            )
            base, base_cpu = base or seconds, base_cpu or cpu
            from factmark.core.exporting import FORMATS as WRITERS

            # Processor time counts both processes of an export written by two.
            two = " in two processes" if getattr(WRITERS[fmt], "SECOND_PROCESS", False) else ""
            row(
                f"export `{fmt}`{two}",
                seconds,
                memory,
                f"{seconds / base:.2f}x JSONL (processor time {cpu:.2f} s, "
                f"{cpu / base_cpu:.2f}x)"
                + (f"; target < 2x: {verdict(seconds / base < 2)}" if fmt != "jsonl" else ""),
            )
            floor = {
                "brat": (FILES_FLOOR, "making its files alone"),
                "conll": (TOKENS_FLOOR, "reading and tokenising every text alone"),
            }.get(fmt)
            if floor is not None:
                code, what = floor
                _, memory, out = inside(code.format(folder=str(output), path=str(project)))
                figures = json.loads(out.strip().splitlines()[-1])
                files = f" ({figures['files']:,} files)" if figures["files"] > 1 else ""
                row(
                    f"floor of `{fmt}`: {what}{files}",
                    figures["seconds"],
                    memory,
                    f"{figures['seconds'] / base:.2f}x JSONL (processor time "
                    f"{figures['cpu']:.2f} s, {figures['cpu'] / base_cpu:.2f}x)",
                )
            if output.is_dir():
                shutil.rmtree(output)
            elif output.exists():
                output.unlink()
    if args.documents == FULL and chosen == STEPS:
        write_results(rows, began)
    elif args.documents == FULL:
        # The rows of the steps asked for replace theirs in the whole run's results (the
        # import, always run, keeps the whole run's figures).
        update_results(rows[2:], [step for step in chosen if step != "import"], began)
    return 0


def write_results(rows: list[str], began: datetime) -> None:
    """A whole run at the full size: bench/SCALE.md, with the machine and the date, and
    the README's tables from it."""
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    text = (
        "# Scale benchmark results\n\n"
        f"One whole run of `python bench/scale.py` ({FULL:,} articles, {FULL * 20:,} spans; "
        "every step a process of its own, timed with its peak memory) started "
        f"{began:%Y-%m-%d %H:%M} UTC on {platform.node() or 'this machine'} ({machine}). "
        "Ratios are against the JSONL export in the same run. The corpus has no links and "
        "no verdicts: `attribution` writes a line per claim with no source and `claimreview` "
        "no review, each after reading every document.\n\n"
        "| step | time | peak memory | note |\n| --- | --- | --- | --- |\n" + "\n".join(rows) + "\n"
    )
    (HERE / "SCALE.md").write_text(text, encoding="utf-8")
    readme.main([])


def update_results(rows: list[str], chosen: list[str], began: datetime) -> None:
    """Put the rows of a run of some steps at the full size into bench/SCALE.md, in place
    of the rows of the same name (a new one after the row before it in this run, or
    before the exports'), say when they were measured, and write the README's tables
    again."""
    path = HERE / "SCALE.md"
    lines = path.read_text(encoding="utf-8").splitlines()
    steps = ", ".join(chosen)
    command = f"python bench/scale.py --steps {','.join(chosen)}"  # as typed: no spaces
    note = f"The rows of `{steps}` were measured apart, by `{command}`"
    notes = [
        line for line in lines if line.startswith("The rows of ") and not line.startswith(note)
    ]
    lines = [line for line in lines if not line.startswith("The rows of ")]
    while lines and not lines[-1]:
        lines.pop()
    exports = all(step.startswith("export:") for step in chosen)
    for number, new in enumerate(rows):
        name = new.split(" | ")[0]
        same = [n for n, line in enumerate(lines) if line.split(" | ")[0] == name]
        if same:
            lines[same[0]] = new
            continue
        earlier = rows[number - 1].split(" | ")[0] if number else None
        after = [n for n, line in enumerate(lines) if line.split(" | ")[0] == earlier]
        before = [n for n, line in enumerate(lines) if line.startswith("| export ")]
        if after:
            lines.insert(after[0] + 1, new)
        else:
            lines.insert(len(lines) if exports or not before else before[0], new)
    lines += ["", *notes, f"{note} on {began:%Y-%m-%d %H:%M} UTC."]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    readme.main([])


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
