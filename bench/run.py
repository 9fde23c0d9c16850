"""Factmark benchmarks: each figure next to a baseline measured in the same run.

    python bench/run.py            # every case, table printed and written to bench/RESULTS.md
    python bench/run.py open keys  # some cases

Run it with the Python of an app-only install (``pip install .``), as users have it: the
test extras bring pandas, which sqlite-utils imports when present, adding about 0.3 s
to every process start. The results file says which kind of environment measured it.

Each case runs in a process of its own, so its peak memory (max RSS) is its own.
These are measurements, not tests: nothing here fails a build.
"""

from __future__ import annotations

import importlib.util
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "desktop"))

# fmt: off
WORDS = (
    'the', 'army', 'said', 'on', 'Monday', 'that', '240', 'soldiers', 'had', 'crossed', 'the',
    'river', 'near', 'Bakhmut', 'while', 'officials', 'in', 'Kyiv', 'told', 'reporters',
    'according', 'to', 'the', 'ministry', 'around', '15,000', 'people', 'fled', 'Ukraine’s',
    'forces', 'claimed', '☕', '𠮷', 'Харків', 'élan',
)
# fmt: on


def article(size: int, seed: int = 1) -> str:
    """A plausible article of about ``size`` characters, paragraphs of a few sentences."""
    rng = random.Random(seed)
    parts, length = [], 0
    while length < size:
        sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 25))) + ". "
        if rng.random() < 0.2:
            sentence += "\n\n"
        parts.append(sentence)
        length += len(sentence)
    return "".join(parts)[:size]


def spans_for(text: str, count: int, seed: int = 2) -> list[tuple[int, int, str]]:
    rng = random.Random(seed)
    labels = ("claim", "source", "location", "number")
    result = []
    for _ in range(count):
        start = rng.randrange(0, len(text) - 60)
        result.append((start, start + rng.randint(3, 60), rng.choice(labels)))
    return result


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- cases (each runs in its own process and prints one JSON line) ------------------


# Ends a process's event loop once it has shown its window and handled the first
# events (two rounds of the loop: the show, layout and paint are done by then).
QUIT_WHEN_SHOWN = (
    "def quit_when_shown(app):\n"
    "    from PySide6.QtCore import QTimer\n"
    "    QTimer.singleShot(0, lambda: QTimer.singleShot(0, app.quit))\n"
    "    return app\n"
)


def case_start(work: Path) -> dict:
    """Cold start of the ``factmark`` command to its window on the default project,
    taking events, against a bare QMainWindow + QPlainTextEdit holding the seed article.

    Both processes run their event loop until the window is shown and the first events
    are handled. The command is run as installed apps have it: from compiled bytecode
    (kept under the bench's folder, also where PYTHONDONTWRITEBYTECODE is set), with
    the annotator already chosen (the first start's question is not part of a start).
    The two are timed alternately, so a change in the machine's load touches both.
    """
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_DATA_HOME": str(work / "data"),
        "XDG_CONFIG_HOME": str(work / "config"),
        "PYTHONPATH": str(REPO / "desktop"),
    }
    # In the order `factmark gui` imports them: the command line, then the window.
    code_app = QUIT_WHEN_SHOWN + (
        "from factmark.cli import main\n"
        "import factmark.ui.app as app_module\n"
        "make_app = app_module.application\n"
        "app_module.application = lambda: quit_when_shown(make_app())\n"
        "raise SystemExit(main(['gui']))\n"
    )
    seed = (REPO / "seeds" / "bakhmut-counterattack.txt").read_text(encoding="utf-8")
    code_base = QUIT_WHEN_SHOWN + (
        "from PySide6.QtWidgets import QApplication, QMainWindow, QPlainTextEdit\n"
        "app = quit_when_shown(QApplication([]))\n"
        "w = QMainWindow(); e = QPlainTextEdit()\n"
        f"e.setPlainText({seed!r}); w.setCentralWidget(e); w.show()\n"
        "app.exec()\n"
    )
    first = (
        "from factmark.ui.app import application\n"
        "from factmark.ui.window.settings import Settings\n"
        "application(); Settings().set_annotator('bench')\n"
    )
    # Creates the default project and the bytecode of both programs.
    for code in (first + code_app, code_base):
        subprocess.run([sys.executable, "-c", code], env=env, check=True)

    value, baseline, memory = _alternate(
        [sys.executable, "-c", code_app], [sys.executable, "-c", code_base], env, runs=11
    )
    return {
        "value": value,
        "baseline": baseline,
        "unit": "s",
        "target": 1.5,
        "ratio_target": 3,
        "memory": memory,
    }


def _timed_process(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall time (s) and peak memory (MB) of one process, from start to exit."""
    began = time.perf_counter()
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - began
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise RuntimeError(f"{command[:4]} exited with {child.returncode}")
    return elapsed, usage.ru_maxrss / 1024


def _alternate(
    command: list[str], baseline: list[str], env: dict[str, str], runs: int
) -> tuple[float, float, float]:
    """Median times of ``command`` and ``baseline`` run in turns (so that a change in
    the machine's load touches both), and the command's peak memory (MB)."""
    times, base_times, memory = [], [], 0.0
    for _ in range(runs):
        elapsed, peak = _timed_process(command, env)
        times.append(elapsed)
        memory = max(memory, peak)
        base_times.append(_timed_process(baseline, env)[0])
    return statistics.median(times), statistics.median(base_times), memory


def _window_on_big_article(work: Path, name: str, extra_small: bool = False):
    """A main window (offscreen) on a project with a 1 MB article holding 5,000 spans."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    os.environ["XDG_CONFIG_HOME"] = str(work / "config")
    from PySide6.QtWidgets import QApplication

    from factmark.core.model import IncomingDocument, IncomingSpan
    from factmark.core.project import Project
    from factmark.ui.app import create_main_window

    text = article(1_000_000)
    path = work / f"{name}.factmark"
    with Project.open(path) as project:
        if extra_small:
            project.add_document(IncomingDocument("small", "small"))
        spans = [IncomingSpan(s, e, label) for s, e, label in spans_for(text, 5000)]
        project.add_document(IncomingDocument(text, "big", spans=spans))
    window = create_main_window(path)
    window.show()
    QApplication.processEvents()
    return window, text


def case_open(work: Path) -> dict:
    """Open a 1 MB article holding 5,000 spans in the window (five times, from another
    document; median), against setPlainText of the same text into a bare editor."""
    window, text = _window_on_big_article(work, "open", extra_small=True)
    from PySide6.QtWidgets import QApplication, QPlainTextEdit

    small, big = (d.id for d in window.documents.model.documents)
    plain = QPlainTextEdit()
    plain.resize(window.article_view.size())
    plain.show()
    times, baseline = [], []
    for _ in range(5):
        window.show_document(small)
        QApplication.processEvents()
        began = time.perf_counter()
        window.show_document(big)
        QApplication.processEvents()
        times.append(time.perf_counter() - began)
        plain.setPlainText("")
        QApplication.processEvents()
        began = time.perf_counter()
        plain.setPlainText(text)
        QApplication.processEvents()
        baseline.append(time.perf_counter() - began)
    return {
        "value": statistics.median(times),
        "baseline": statistics.median(baseline),
        "unit": "s",
        "target": 0.5,
        "memory": peak_mb(),
    }


def case_keys(work: Path) -> dict:
    """Label key press to span saved and painted, on the 1 MB / 5,000-span article."""
    window, text = _window_on_big_article(work, "keys")
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    view = window.article_view
    rng = random.Random(3)
    times, baseline = [], []
    for _ in range(200):
        start = rng.randrange(0, len(text) - 40)
        view.select_range(start, start + 12)
        QApplication.processEvents()
        began = time.perf_counter()
        QTest.keyClick(view, Qt.Key.Key_4)
        QApplication.processEvents()
        times.append(time.perf_counter() - began)
        # Baseline: a key bound to nothing, and a repaint.
        began = time.perf_counter()
        QTest.keyClick(view, Qt.Key.Key_F12)
        view.viewport().update()
        QApplication.processEvents()
        baseline.append(time.perf_counter() - began)
    times.sort()
    return {
        "value": statistics.median(times) * 1000,
        "p95": times[int(len(times) * 0.95)] * 1000,
        "baseline": statistics.median(baseline) * 1000,
        "unit": "ms",
        "target": 30,
        "memory": peak_mb(),
    }


def _corpus(work: Path) -> Path:
    """10,000 articles (about 30 MB) with 200,000 spans, as one JSONL file."""
    import orjson

    source = work / "corpus.jsonl"
    if source.exists():
        return source
    labels = ("claim", "source", "location", "number")
    rng = random.Random(4)
    with source.open("wb") as out:
        for n in range(10_000):
            text = article(3000, seed=n) + f" [{n}]"
            spans = []
            for _ in range(20):
                start = rng.randrange(0, len(text) - 40)
                spans.append(
                    {"start": start, "end": start + rng.randint(3, 30), "label": rng.choice(labels)}
                )
            out.write(orjson.dumps({"text": text, "status": "done", "spans": spans}) + b"\n")
    return source


def case_import(work: Path) -> dict:
    """Import 10,000 articles with 200,000 spans from JSONL."""
    source = _corpus(work)
    from factmark.core.importing import import_file
    from factmark.core.project import Project

    began = time.perf_counter()
    with Project.open(work / "import.factmark") as project:
        report = import_file(project, source)
    value = time.perf_counter() - began
    assert report.documents == 10_000 and report.spans == 200_000, report.lines()
    baseline = _plain_import(source, work / "plain.sqlite")
    return {"value": value, "baseline": baseline, "unit": "s", "target": 20, "memory": peak_mb()}


def _plain_import(source: Path, target: Path) -> float:
    """Baseline: the same rows through bare sqlite3 + orjson, in one transaction."""
    code = f"""
import orjson, sqlite3, time
began = time.perf_counter()
db = sqlite3.connect({str(target)!r})
db.execute("CREATE TABLE d (id INTEGER PRIMARY KEY, text TEXT)")
db.execute("CREATE TABLE s (d INTEGER, start INTEGER, end INTEGER, label TEXT)")
with db:
    for line in open({str(source)!r}, "rb"):
        r = orjson.loads(line)
        i = db.execute("INSERT INTO d (text) VALUES (?)", [r["text"]]).lastrowid
        db.executemany("INSERT INTO s VALUES (?, ?, ?, ?)",
                       [(i, s["start"], s["end"], s["label"]) for s in r["spans"]])
print(time.perf_counter() - began)
"""
    return float(
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout
    )


def case_export(work: Path) -> dict:
    """``factmark export`` of 200,000 spans (10,000 documents) as JSONL, as a process.

    Both sides are timed the same way: wall clock of a process of its own, from
    start to exit (interpreter start-up included), five times in turns; medians.
    """
    from factmark.core.importing import import_file
    from factmark.core.project import Project

    path = work / "export.factmark"
    if not path.exists():
        with Project.open(path) as project:
            import_file(project, _corpus(work))
    env = {**os.environ, "PYTHONPATH": str(REPO / "desktop")}
    command = [
        sys.executable,
        "-m",
        "factmark",
        "export",
        str(path),
        "-o",
        str(work / "out.jsonl"),
        "--all",
        "--no-card",
    ]
    code = f"""
import orjson, sqlite3
db = sqlite3.connect({str(path)!r})
spans = {{}}
query = 'SELECT document_id, start, "end", label FROM spans ORDER BY document_id, start'
for row in db.execute(query):
    spans.setdefault(row[0], []).append({{"start": row[1], "end": row[2], "label": row[3]}})
with open({str(work / "plain.jsonl")!r}, "wb") as out:
    for i, uid, text in db.execute("SELECT id, uid, text FROM documents ORDER BY id"):
        out.write(orjson.dumps({{"id": uid, "text": text, "spans": [
            dict(s, text=text[s["start"]:s["end"]]) for s in spans.get(i, [])]}}) + b"\\n")
"""
    value, baseline, memory = _alternate(command, [sys.executable, "-c", code], env, runs=5)
    return {
        "value": value,
        "baseline": baseline,
        "unit": "s",
        "target": 5,
        "ratio_target": 2,
        "memory": memory,
    }


CASES = {
    "start": case_start,
    "open": case_open,
    "keys": case_keys,
    "import": case_import,
    "export": case_export,
}
TITLES = {
    "start": ("cold start of `factmark` to its window", "bare QMainWindow + QPlainTextEdit"),
    "open": ("open 1 MB article with 5,000 spans", "QPlainTextEdit.setPlainText"),
    "keys": ("label key press to saved + painted (median)", "unbound key + repaint"),
    "import": ("import 10,000 articles / 200,000 spans", "bare sqlite3 + orjson insert"),
    "export": ("`factmark export` of 200,000 spans as JSONL", "bare sqlite3 + orjson script"),
}


def main(argv: list[str]) -> int:
    if argv[:1] == ["--case"]:
        work = Path(argv[2])
        print(json.dumps(CASES[argv[1]](work)), flush=True)
        os._exit(0)  # skip interpreter teardown of Qt objects: only the figures matter
    chosen = argv or list(CASES)
    rows = []
    with tempfile.TemporaryDirectory(prefix="factmark-bench-") as tmp:
        # Every process runs from compiled bytecode, as an installed app does, also
        # where PYTHONDONTWRITEBYTECODE is set: compiled before anything is timed.
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "desktop")])
        for name in chosen:
            out = subprocess.run(
                [sys.executable, __file__, "--case", name, tmp], capture_output=True, text=True
            )
            if out.returncode != 0:
                print(f"{name}: failed\n{out.stderr}", file=sys.stderr)
                return 1
            figures = json.loads(out.stdout.strip().splitlines()[-1])
            rows.append((name, figures))
            print(_row(name, figures), flush=True)
    _write_results(rows)
    return 0


def _row(name: str, f: dict) -> str:
    ratio = f["value"] / f["baseline"] if f["baseline"] else float("nan")
    target = f"< {f['target']} {f['unit']}"
    within = f["value"] < f["target"]
    if "ratio_target" in f:
        target += f" and < {f['ratio_target']}x"
        within = within and ratio < f["ratio_target"]
    verdict = "under target" if within else "OVER TARGET"
    extra = f", p95 {f['p95']:.1f}" if "p95" in f else ""
    memory = f"{f['memory']:.0f} MB" if f.get("memory") else "-"
    return (
        f"| {TITLES[name][0]} | {f['value']:.3f} {f['unit']}{extra} | "
        f"{f['baseline']:.3f} {f['unit']} ({TITLES[name][1]}) | {ratio:.2f}x | "
        f"{target}: {verdict} | {memory} |"
    )


def _write_results(rows: list[tuple[str, dict]]) -> None:
    header = (
        "| benchmark | Factmark | baseline | ratio | target | peak memory |\n"
        "| --- | --- | --- | --- | --- | --- |\n"
    )
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    extras = importlib.util.find_spec("pandas") is not None
    machine += ", test extras installed (pandas present)" if extras else ", app-only install"
    text = (
        f"# Benchmark results\n\nMeasured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on "
        f"{platform.node() or 'this machine'} ({machine}) with `python bench/run.py`.\n\n"
        + header
        + "\n".join(_row(n, f) for n, f in rows)
        + "\n"
    )
    (HERE / "RESULTS.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
