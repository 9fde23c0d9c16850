"""Factmark benchmarks: each figure next to a baseline measured in the same run.

    python bench/run.py            # every case, table printed and written to bench/RESULTS.md
    python bench/run.py open keys  # some cases

Run it with the Python of an app-only install (``pip install .``), as users have it: the
test extras bring pandas, which sqlite-utils imports when present, adding about 0.3 s
to every process start. The results file says which kind of environment measured it.

Each case runs in a process of its own, so its peak memory (max RSS) is its own.
These are measurements, not tests: nothing here fails a build. When ``dist/Factmark``
exists (``python packaging/build.py``), the installed sizes follow (``bench/bundle.py``).
"""

from __future__ import annotations

import importlib.util
import json
import os
import platform
import random
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "desktop"))

import readme  # noqa: E402  (bench/readme.py, beside this script)

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


# Presses a key in a process's window once it is shown and the first events are handled
# (two rounds of the loop: the show, layout and paint are done by then), says when the
# key was handled (wall clock, and the process's CPU time so far), then ends the event
# loop; exit code 3 when the key did not do what it does.
# (Factmark asks for its QApplication more than once: the key is pressed once.)
KEY_TAKEN = "key taken at"
KEY_WHEN_SHOWN = (
    f"KEY_TAKEN = {KEY_TAKEN!r}\n"
    "scheduled = []\n"
    "def key_when_shown(app, press):\n"
    "    from PySide6.QtCore import QTimer\n"
    "    def pressed():\n"
    "        import time\n"
    "        done = press()\n"
    "        print(f'{KEY_TAKEN} {time.time()!r} {time.process_time()!r}', flush=True)\n"
    "        app.exit(0 if done else 3)\n"
    "    if not scheduled:\n"
    "        scheduled.append(True)\n"
    "        QTimer.singleShot(0, lambda: QTimer.singleShot(0, pressed))\n"
    "    return app\n"
)


def case_start(work: Path) -> dict:
    """Cold start of the ``factmark`` command to its window on the default project,
    taking keys, against a bare QMainWindow + QPlainTextEdit holding the seed article.

    Both processes run their event loop until the window is shown and the first events
    are handled, then press a key in it (a real key event, QTest), and are timed from
    their launch to the key handled (the wall clock and their CPU time then; what
    follows, ending the process, is not part of a start), then end: Factmark
    selects the word after the last span of the article shown and presses label key 1,
    which must have added a span (checked in the window, and in the project file at the
    end); the bare window types a letter, which must be in its text. The command is run
    as installed apps have it: from compiled bytecode (kept under the bench's folder,
    also where PYTHONDONTWRITEBYTECODE is set), with the annotator already chosen (the
    first start's question is not part of a start). The two are timed alternately, so a
    change in the machine's load touches both.
    """
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_DATA_HOME": str(work / "data"),
        "XDG_CONFIG_HOME": str(work / "config"),
        "PYTHONPATH": str(REPO / "desktop"),
    }
    # Where `factmark gui` imports them: the command line, then the window's modules in
    # its main (they are patched as they load, by a finder that then leaves).
    code_app = KEY_WHEN_SHOWN + (
        "import sys\n"
        "shown = []\n"
        "def patch(app_module):\n"
        "    make_window = app_module.create_main_window\n"
        "    app_module.create_main_window = lambda *a, **k: shown.append(make_window(*a, **k))"
        " or shown[0]\n"
        "    make_app = app_module.application\n"
        "    app_module.application = lambda: key_when_shown(make_app(), label_next_word)\n"
        "class PatchWindow:\n"
        "    def find_spec(self, name, path, target=None):\n"
        "        if name != 'factmark.ui.app':\n"
        "            return None\n"
        "        sys.meta_path.remove(self)\n"
        "        from importlib.util import find_spec\n"
        "        spec = find_spec(name)\n"
        "        load = spec.loader.exec_module\n"
        "        spec.loader.exec_module = lambda module: (load(module), patch(module))\n"
        "        return spec\n"
        "if 'factmark.ui.app' in sys.modules:  # the first run, which chose the annotator\n"
        "    patch(sys.modules['factmark.ui.app'])\n"
        "else:\n"
        "    sys.meta_path.insert(0, PatchWindow())\n"
        "from factmark.cli import main\n"
        "def label_next_word():\n"
        "    from PySide6.QtCore import Qt\n"
        "    from PySide6.QtGui import QTextCursor\n"
        "    from PySide6.QtTest import QTest\n"
        "    view = shown[0].article_view\n"
        "    before = len(view.spans)\n"
        "    cursor = view.textCursor()\n"
        "    cursor.setPosition(view.offsets.to_qt(max((s.end for s in view.spans), default=0)))\n"
        "    cursor.movePosition(QTextCursor.MoveOperation.NextWord)\n"
        "    cursor.select(QTextCursor.SelectionType.WordUnderCursor)\n"
        "    view.setTextCursor(cursor)\n"
        "    QTest.keyClick(view, Qt.Key.Key_1)\n"
        "    return len(view.spans) == before + 1\n"
        "raise SystemExit(main(['gui']))\n"
    )
    seed = (REPO / "seeds" / "bakhmut-counterattack.txt").read_text(encoding="utf-8")
    code_base = KEY_WHEN_SHOWN + (
        "from PySide6.QtWidgets import QApplication, QMainWindow, QPlainTextEdit\n"
        "def type_letter():\n"
        "    from PySide6.QtCore import Qt\n"
        "    from PySide6.QtTest import QTest\n"
        "    QTest.keyClick(e, Qt.Key.Key_X)\n"
        "    return e.toPlainText() == 'x' + seed\n"
        "app = key_when_shown(QApplication([]), type_letter)\n"
        f"seed = {seed!r}\n"
        "w = QMainWindow(); e = QPlainTextEdit()\n"
        "e.setPlainText(seed); w.setCentralWidget(e); w.show(); e.setFocus()\n"
        "raise SystemExit(app.exec())\n"
    )
    first = (
        "from factmark.ui.app import application\n"
        "from factmark.ui.window.settings import Settings\n"
        "application(); Settings().set_annotator('bench')\n"
    )
    # Creates the default project and the bytecode of both programs (a first label
    # makes the article in progress, as it is at every later start).
    for code in (first + code_app, code_base):
        subprocess.run([sys.executable, "-c", code], env=env, check=True)
    runs = 11
    figures = _alternate(
        [sys.executable, "-c", code_app], [sys.executable, "-c", code_base], env, runs=runs
    )
    labelled = _bench_spans(work / "data" / "Factmark" / "default.factmark")
    if labelled != runs + 1:
        raise RuntimeError(f"the project holds {labelled} spans of the bench, not {runs + 1}")
    return {**figures, "unit": "s", "target": 1.5, "ratio_target": 1.5}


def _bench_spans(project: Path) -> int:
    """Spans the start-up runs labelled (annotator ``bench``) in the project file."""
    with closing(sqlite3.connect(f"file:{project}?mode=ro", uri=True)) as db:
        row = db.execute("SELECT count(*) FROM spans WHERE annotator = 'bench'").fetchone()
    return int(row[0])


def _timed_process(command: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Wall time (s), peak memory (MB) and CPU time (s, user + system) of one process,
    from start to exit, or to the moment it says it took a key (KEY_TAKEN: the
    interpreter's teardown after the window closes is not part of a start)."""
    began, began_clock = time.perf_counter(), time.time()
    child = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert child.stdout is not None
    output = child.stdout.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - began
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise RuntimeError(f"{command[:4]} exited with {child.returncode}")
    cpu = usage.ru_utime + usage.ru_stime
    for line in output.splitlines():
        if line.startswith(KEY_TAKEN):
            taken, cpu = map(float, line[len(KEY_TAKEN) :].split())
            elapsed = taken - began_clock
    return elapsed, usage.ru_maxrss / 1024, cpu


def _alternate(
    command: list[str], baseline: list[str], env: dict[str, str], runs: int
) -> dict[str, float]:
    """Median wall times of ``command`` and ``baseline`` run in turns (so that a change
    in the machine's load touches both), their median CPU times (which a busy machine
    stretches less) and the command's peak memory (MB)."""
    times, base_times, cpu, base_cpu, memory = [], [], [], [], 0.0
    for _ in range(runs):
        elapsed, peak, used = _timed_process(command, env)
        times.append(elapsed)
        cpu.append(used)
        memory = max(memory, peak)
        elapsed, _peak, used = _timed_process(baseline, env)
        base_times.append(elapsed)
        base_cpu.append(used)
    return {
        "value": statistics.median(times),
        "baseline": statistics.median(base_times),
        "cpu": statistics.median(cpu),
        "cpu_baseline": statistics.median(base_cpu),
        "memory": memory,
    }


def _window_on_big_article(work: Path, name: str, extra_small: bool = False):
    """A main window (offscreen) on a project with a 1 MB article holding 5,000 spans."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    os.environ["XDG_CONFIG_HOME"] = str(work / "config")
    from PySide6.QtWidgets import QApplication

    from factmark.core.incoming import IncomingDocument, IncomingSpan
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
    while not window.panels_placed:  # the panels beside the article follow the first paint
        QApplication.processEvents()
    QApplication.processEvents()
    return window, text


def case_open(work: Path) -> dict:
    """Open a 1 MB article holding 5,000 spans in the window (nine times, from another
    document; median), against setPlainText of the same text into a bare editor; wall
    and CPU time of each.

    After each open, Ctrl+End is pressed in the article (a real key event) and the
    page at the end is painted (the repaint has returned when the clock stops): the
    paragraphs there were left to be formatted when they come into view. Its floor is
    the same key and repaint in the bare editor just after its setPlainText.
    """
    window, text = _window_on_big_article(work, "open", extra_small=True)
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QPlainTextEdit

    small, big = (d.id for d in window.documents.model.documents)
    view = window.findChild(QPlainTextEdit, "articleView")
    plain = QPlainTextEdit()
    plain.resize(window.article_view.size())
    plain.show()
    times, baseline, jumps, jump_floor, cpu, base_cpu = [], [], [], [], [], []
    for _ in range(9):
        window.navigator.show(small)
        QApplication.processEvents()
        began, used = time.perf_counter(), time.process_time()
        window.navigator.show(big)
        QApplication.processEvents()
        times.append(time.perf_counter() - began)
        cpu.append(time.process_time() - used)
        jumps.append(_jump_to_end(view, QTest, Qt))
        if view.painter.pending == 0:
            raise RuntimeError("the whole article was formatted before the jump to its end")
        plain.setPlainText("")
        QApplication.processEvents()
        began, used = time.perf_counter(), time.process_time()
        plain.setPlainText(text)
        QApplication.processEvents()
        baseline.append(time.perf_counter() - began)
        base_cpu.append(time.process_time() - used)
        jump_floor.append(_jump_to_end(plain, QTest, Qt))
    return {
        "value": statistics.median(times),
        "baseline": statistics.median(baseline),
        "jump": statistics.median(jumps) * 1000,
        "jump_floor": statistics.median(jump_floor) * 1000,
        "cpu": statistics.median(cpu),
        "cpu_baseline": statistics.median(base_cpu),
        "unit": "s",
        "target": 0.5,
        "ratio_target": 2,
        "memory": peak_mb(),
    }


def _jump_to_end(view, QTest, Qt) -> float:  # type: ignore[no-untyped-def]
    """Seconds from Ctrl+End pressed in ``view`` to the page at the end painted; checks
    that the view shows the end of its text."""
    view.setFocus()
    began = time.perf_counter()
    QTest.keyClick(view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    view.viewport().repaint()
    elapsed = time.perf_counter() - began
    if view.textCursor().position() != view.document().characterCount() - 1:
        raise RuntimeError("Ctrl+End did not move to the end of the article")
    last = view.document().lastBlock()
    top = view.blockBoundingGeometry(last).translated(view.contentOffset()).top()
    if not 0 <= top < view.viewport().height():
        raise RuntimeError("the end of the article is not on screen")
    return elapsed


def case_keys(work: Path) -> dict:
    """Label key press to span saved and painted, on the 1 MB / 5,000-span article,
    against its floor measured in the same window, the two timed in turns.

    The figure: a word in the middle of the visible text selected, label key 1
    pressed (a real key event), events processed, then the word's paragraph repainted
    (the repaint has returned when the clock stops). The floor: a key no action uses,
    one span-like INSERT + COMMIT into a scratch database in WAL mode at
    synchronous=FULL (as projects are kept), events processed and the same paragraph
    repainted. The window is reached only through create_main_window, widgets found by
    object name and key events. The document is in progress already (a first label is
    kept), and each timed label is undone (Ctrl+Z, untimed) so the article stays the
    same; the last is kept and looked up in the project file at the end.
    """
    window, _text = _window_on_big_article(work, "keys")
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QPlainTextEdit, QSplitter, QTableView

    view = window.findChild(QPlainTextEdit, "articleView")
    span_rows = window.findChild(QTableView, "spanList").model()
    unbound = _unbound_key(window)
    # Words are picked from the middle of the article, as it is shown there.
    cursor = view.textCursor()
    cursor.setPosition(view.document().characterCount() // 2)
    view.setTextCursor(cursor)
    view.centerCursor()
    QApplication.processEvents()

    scratch = sqlite3.connect(work / "keys-floor.sqlite", isolation_level=None)
    scratch.execute("PRAGMA journal_mode = WAL")
    scratch.execute("PRAGMA synchronous = FULL")
    scratch.execute(
        "CREATE TABLE spans (id INTEGER PRIMARY KEY, document_id INTEGER NOT NULL, start INTEGER,"
        ' "end" INTEGER, label TEXT, annotator TEXT, note TEXT, attrs TEXT NOT NULL,'
        " created_at TEXT NOT NULL, updated_at TEXT NOT NULL)"
    )
    scratch.execute("CREATE INDEX spans_by_document ON spans(document_id, start)")

    rng = random.Random(3)
    taken: set[int] = set()
    # A first label, kept: the document is in progress from then on, as it is for every
    # press but a document's first (whose undo would make the document new again).
    _select_visible_word(view, rng, taken)
    QTest.keyClick(view, Qt.Key.Key_1)
    QApplication.processEvents()
    spans = span_rows.rowCount()
    warm_up, runs = 5, 60
    floor, times, panels = [], [], []
    side = window.findChild(QSplitter, "sideSplitter")
    for n in range(warm_up + runs):
        word, paragraph = _select_visible_word(view, rng, taken)
        QApplication.processEvents()  # the selection painted, untimed
        # Floor: an unbound key, a bare commit, one paragraph repainted.
        began = time.perf_counter()
        QTest.keyClick(view, unbound)
        now = datetime.now(UTC).isoformat()
        scratch.execute("BEGIN")
        scratch.execute(
            'INSERT INTO spans (document_id, start, "end", label, annotator, attrs, created_at,'
            " updated_at) VALUES (1, ?, ?, 'claim', 'bench', '{}', ?, ?)",
            (n, n + len(word), now, now),
        )
        scratch.execute("COMMIT")
        QApplication.processEvents()
        view.viewport().repaint(paragraph)
        floor_time = time.perf_counter() - began
        # Figure: the label key, through to the same paragraph repainted.
        began = time.perf_counter()
        QTest.keyClick(view, Qt.Key.Key_1)
        QApplication.processEvents()
        view.viewport().repaint(paragraph)
        figure_time = time.perf_counter() - began
        # The panels beside the article (span list, details) follow at the next frame.
        while not side.updatesEnabled():
            QApplication.processEvents()
        QApplication.processEvents()
        panels_time = time.perf_counter() - began
        if span_rows.rowCount() != spans + 1:
            raise RuntimeError(f"label key 1 on {word!r} added no span to the span list")
        if n < warm_up + runs - 1:
            QTest.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
            QApplication.processEvents()
            if span_rows.rowCount() != spans:
                raise RuntimeError(f"Ctrl+Z did not take the span on {word!r} away")
            while not side.updatesEnabled():  # the undo's panels painted, untimed
                QApplication.processEvents()
        if n >= warm_up:
            floor.append(floor_time * 1000)
            times.append(figure_time * 1000)
            panels.append(panels_time * 1000)
    scratch.close()
    # Saved: the project file holds the last span (the others were undone).
    with closing(sqlite3.connect(f"file:{work / 'keys.factmark'}?mode=ro", uri=True)) as project:
        saved = project.execute("SELECT count(*) FROM spans").fetchone()[0]
        last = project.execute(
            'SELECT substr(d.text, s.start + 1, s."end" - s.start) FROM spans s'
            " JOIN documents d ON d.id = s.document_id WHERE s.label = 'claim'"
            " ORDER BY s.id DESC LIMIT 1"
        ).fetchone()[0]
    if saved != spans + 1 or word not in last:
        raise RuntimeError(f"the file holds {saved} spans, the last {last!r}; expected {word!r}")
    return {
        "value": statistics.median(times),
        "p95": _p95(times),
        "baseline": statistics.median(floor),
        "baseline_p95": _p95(floor),
        "panels": statistics.median(panels),
        "unit": "ms",
        "ratio_target": 3,
        "memory": peak_mb(),
    }


def _p95(values: list[float]) -> float:
    return sorted(values)[int(len(values) * 0.95)]


def _unbound_key(window):  # type: ignore[no-untyped-def]
    """A function key that none of the window's actions has as a shortcut."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QAction, QKeySequence

    bound = {s.toString() for a in window.findChildren(QAction) for s in a.shortcuts()}
    for key in (Qt.Key.Key_F12, Qt.Key.Key_F11, Qt.Key.Key_F10, Qt.Key.Key_F9, Qt.Key.Key_F8):
        if QKeySequence(key).toString() not in bound:
            return key
    raise RuntimeError("every key from F8 to F12 has an action")


def _select_visible_word(view, rng: random.Random, taken: set[int]):  # type: ignore[no-untyped-def]
    """Select a word not chosen before from the middle of what the view shows; return
    it and the rectangle of its paragraph in the viewport."""
    from PySide6.QtCore import QPoint, QRect
    from PySide6.QtGui import QTextCursor

    viewport = view.viewport()
    for _ in range(1000):
        point = QPoint(
            int(viewport.width() * rng.uniform(0.1, 0.9)),
            int(viewport.height() * rng.uniform(0.2, 0.8)),
        )
        cursor = view.cursorForPosition(point)
        cursor.select(QTextCursor.SelectionType.WordUnderCursor)
        word = cursor.selectedText()
        if cursor.selectionStart() in taken or not any(c.isalnum() for c in word):
            continue
        taken.add(cursor.selectionStart())
        view.setTextCursor(cursor)
        block = cursor.block()
        height = view.document().documentLayout().blockBoundingRect(block).height()
        # The layout places blocks at 0; the view's cursor rectangle gives where the
        # paragraph's first line is in the viewport (scrolled).
        top = view.cursorRect(QTextCursor(block)).top()
        return word, QRect(0, top, viewport.width(), int(height) + 1)
    raise RuntimeError("no unchosen word in view")


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
    """Import 10,000 articles with 200,000 spans from JSONL into a new project, in a
    process of its own (its peak memory is the import's, not the corpus maker's).

    Two floors, each a process of its own run in turn with the import (three rounds,
    medians): the same rows through bare sqlite3 + orjson into the same project file
    (Factmark's schema: its indexes, foreign keys and checks, the same journal and sync
    settings, one transaction), which is the ratio's; and the bare insert into two tables
    without an index or a check, printed beside it. Each also reports its CPU time (user
    + system, the process's own): on a machine whose disk is busy with others' work, the
    wall times of writing 80 MB with fsyncs say more about the disk than about the
    import, and CPU time beside them tells the two apart.

    The import leaves the documents' full-text search index to the window, which fills
    it in the background afterwards: that filling is timed too (the same process, after
    the import, in the window's transactions of SEARCH_INDEX_CHUNK documents), beside the
    floor's one INSERT ... SELECT of every document into the same index.
    """
    source = _corpus(work)
    env = {**os.environ, "PYTHONPATH": str(REPO / "desktop")}
    code = f"""
import json, resource, sys, time
from pathlib import Path
from factmark.core.importing import import_file
from factmark.core.project import SEARCH_INDEX_CHUNK, Project
began, used = time.perf_counter(), time.process_time()
with Project.open(Path(sys.argv[1])) as project:
    report = import_file(project, Path({str(source)!r}))
assert report.documents == 10_000 and report.spans == 200_000, report.lines()
took, cpu = time.perf_counter() - began, time.process_time() - used
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
began = time.perf_counter()
with Project.open(Path(sys.argv[1])) as project:  # as the window's background job does
    while not project.index_new_documents(SEARCH_INDEX_CHUNK):
        pass
    assert project.documents_not_indexed() == 0
print(json.dumps([took, cpu, peak, time.perf_counter() - began]))
"""
    values, cpu, memory, floors, bare, index = [], [], 0.0, [], [], []
    for turn in range(3):
        # The project exists already, as a desk's does: its creation is not part of an
        # import. The floor writes into a copy of the same empty project.
        project, floor = work / f"import-{turn}.factmark", work / f"floor-{turn}.factmark"
        _empty_project(project)
        shutil.copyfile(project, floor)
        out = subprocess.run(
            [sys.executable, "-c", code, str(project)],
            capture_output=True,
            text=True,
            check=True,
            env=env,
        )
        value, used, peak, filled = json.loads(out.stdout.strip().splitlines()[-1])
        values.append(value)
        index.append(filled)
        cpu.append(used)
        memory = max(memory, peak)
        floors.append(_same_sql_import(source, floor))
        bare.append(_plain_import(source, work / f"plain-{turn}.sqlite"))
    return {
        "value": statistics.median(values),
        "baseline": statistics.median(floor for floor, _, _ in floors),
        "bare": statistics.median(plain for plain, _ in bare),
        "cpu": statistics.median(cpu),
        "cpu_baseline": statistics.median(used for _, used, _ in floors),
        "index": statistics.median(index),
        "index_floor": statistics.median(filled for _, _, filled in floors),
        "cpu_bare": statistics.median(used for _, used in bare),
        "unit": "s",
        "target": 20,
        "ratio_target": 2.5,
        "memory": memory,
    }


def _empty_project(path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-c",
            "from factmark.core.project import Project; from pathlib import "
            f"Path; Project.open(Path({str(path)!r})).close()",
        ],
        check=True,
        env={**os.environ, "PYTHONPATH": str(REPO / "desktop")},
    )


def _same_sql_import(source: Path, target: Path) -> tuple[float, float, float]:
    """Floor: the rows an import stores, through bare sqlite3 + orjson, into an empty
    Factmark project (same tables, indexes, foreign keys and checks; WAL and
    synchronous=FULL; one transaction; the file closed, as the import closes its
    project): wall and CPU time. No row is checked in Python. Then, timed apart, the
    full-text index filled with every document by one INSERT ... SELECT."""
    code = f"""
import hashlib, orjson, sqlite3, time
began, used = time.perf_counter(), time.process_time()
db = sqlite3.connect({str(target)!r}, isolation_level=None)
db.execute("PRAGMA foreign_keys = ON")
db.execute("PRAGMA journal_mode = WAL")
db.execute("PRAGMA synchronous = FULL")
db.execute("BEGIN IMMEDIATE")
stamp = "2026-01-01T00:00:00.000+00:00"
for line in open({str(source)!r}, "rb"):
    r = orjson.loads(line)
    text = r["text"]
    i = db.execute(
        "INSERT INTO documents (uid, title, text, meta, status, created_at, updated_at) "
        "VALUES (?, ?, ?, '{{}}', ?, ?, ?)",
        [hashlib.sha256(text.encode()).hexdigest(), text.split("\\n", 1)[0][:80], text,
         r["status"], stamp, stamp]).lastrowid
    db.executemany(
        'INSERT INTO spans (document_id, start, "end", label, attrs, created_at, updated_at) '
        "VALUES (?, ?, ?, ?, '{{}}', ?, ?)",
        [(i, s["start"], s["end"], s["label"], stamp, stamp) for s in r["spans"]])
db.execute("COMMIT")
db.close()
took, cpu = time.perf_counter() - began, time.process_time() - used
began = time.perf_counter()
db = sqlite3.connect({str(target)!r}, isolation_level=None)
db.execute("BEGIN IMMEDIATE")
db.execute("INSERT INTO document_search (rowid, title, text) SELECT id, title, text FROM documents")
db.execute("COMMIT")
db.close()
print(took, cpu, time.perf_counter() - began)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    took, cpu, filled = map(float, out.stdout.split())
    return took, cpu, filled


def _plain_import(source: Path, target: Path) -> tuple[float, float]:
    """The bare floor: the same rows through bare sqlite3 + orjson into two tables that
    keep no index and check nothing, in one transaction."""
    code = f"""
import orjson, sqlite3, time
began, used = time.perf_counter(), time.process_time()
db = sqlite3.connect({str(target)!r})
db.execute("CREATE TABLE d (id INTEGER PRIMARY KEY, text TEXT)")
db.execute("CREATE TABLE s (d INTEGER, start INTEGER, end INTEGER, label TEXT)")
with db:
    for line in open({str(source)!r}, "rb"):
        r = orjson.loads(line)
        i = db.execute("INSERT INTO d (text) VALUES (?)", [r["text"]]).lastrowid
        db.executemany("INSERT INTO s VALUES (?, ?, ?, ?)",
                       [(i, s["start"], s["end"], s["label"]) for s in r["spans"]])
print(time.perf_counter() - began, time.process_time() - used)
"""
    return _wall_and_cpu(code)


def _wall_and_cpu(code: str) -> tuple[float, float]:
    """Wall and CPU time (user + system) a floor script prints, in seconds."""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    wall, used = map(float, out.stdout.split())
    return wall, used


def case_export(work: Path) -> dict:
    """``factmark export`` of 200,000 spans (10,000 documents) as JSONL, as a process.

    Both sides are timed the same way: wall clock of a process of its own, from
    start to exit (interpreter start-up included), five times in turns; medians. The
    project is made by a process of its own: a process forked from one that had imported
    10,000 articles reported that one's peak memory as its own.
    """
    path = work / "export.factmark"
    env = {**os.environ, "PYTHONPATH": str(REPO / "desktop")}
    if not path.exists():
        subprocess.run(
            [
                sys.executable,
                "-c",
                "from pathlib import Path\n"
                "from factmark.core.importing import import_file\n"
                "from factmark.core.project import Project\n"
                f"with Project.open(Path({str(path)!r})) as project:\n"
                f"    import_file(project, Path({str(_corpus(work))!r}))",
            ],
            check=True,
            env=env,
        )
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
    figures = _alternate(command, [sys.executable, "-c", code], env, runs=5)
    return {**figures, "unit": "s", "target": 5, "ratio_target": 1.2}


CASES = {
    "start": case_start,
    "open": case_open,
    "keys": case_keys,
    "import": case_import,
    "export": case_export,
}
TITLES = {
    "start": (
        "cold start of `factmark` to its window taking a label key",
        "bare QMainWindow + QPlainTextEdit taking a letter",
    ),
    "open": ("open 1 MB article with 5,000 spans", "QPlainTextEdit.setPlainText"),
    "keys": (
        "label key press to saved + painted (median, p95)",
        "floor: unbound key + one paragraph repainted + bare SQLite commit, synchronous=FULL",
    ),
    "import": (
        "import 10,000 articles / 200,000 spans",
        "the same rows and indexes through bare sqlite3 + orjson",
    ),
    "export": ("`factmark export` of 200,000 spans as JSONL", "bare sqlite3 + orjson script"),
}


def main(argv: list[str]) -> int:
    if argv[:1] == ["--case"]:
        work = Path(argv[2])
        print(json.dumps(CASES[argv[1]](work)), flush=True)
        os._exit(0)  # skip interpreter teardown of Qt objects: only the figures matter
    if argv[:1] in (["-h"], ["--help"]):
        print(f"{__doc__.strip()}\n\nCases, in order: {' '.join(CASES)}")
        return 0
    unknown = [name for name in argv if name not in CASES]
    if unknown:
        print(f"unknown case {unknown[0]!r}; the cases are: {' '.join(CASES)}", file=sys.stderr)
        return 2
    chosen = argv or list(CASES)
    rows = []
    print(HEADER, end="", flush=True)
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
    readme.main([])  # the README's tables are the result files'
    if (REPO / "dist" / "Factmark").is_dir():  # a build of packaging/build.py: its sizes
        print()
        subprocess.run([sys.executable, str(HERE / "bundle.py")], check=False)
    return 0


HEADER = (
    "| benchmark | Factmark | baseline | ratio | target | peak memory |\n"
    "| --- | --- | --- | --- | --- | --- |\n"
)


def _row(name: str, f: dict) -> str:
    ratio = f["value"] / f["baseline"] if f["baseline"] else float("nan")
    if "target" in f:
        target = f"< {f['target']} {f['unit']}"
        within = f["value"] < f["target"]
        if "ratio_target" in f:
            target += f" and < {f['ratio_target']}x"
            within = within and ratio < f["ratio_target"]
    else:  # a figure held to its floor only: the ratio of the medians decides
        target = f"< {f['ratio_target']}x floor"
        within = ratio < f["ratio_target"]
    if "bare" in f and "ratio_target" in f:  # the floor: a bare insert, no index
        within = within and f["value"] / f["bare"] < f["ratio_target"]
    verdict = "under target" if within else "OVER TARGET"
    extra = f", p95 {f['p95']:.3f}" if "p95" in f else ""
    if "panels" in f:
        extra += f"; span list and details painted a frame later, at {f['panels']:.1f}"
    if "jump" in f:
        extra += (
            f"; a page painted after Ctrl+End {f['jump']:.1f} ms against the bare editor's"
            f" {f['jump_floor']:.1f} ms ({f['jump'] / f['jump_floor']:.2f}x)"
        )
    if "index" in f:
        extra += (
            f"; search index filled afterwards by the window in {f['index']:.3f} s against"
            f" one INSERT ... SELECT's {f['index_floor']:.3f} s"
            f" ({f['index'] / f['index_floor']:.2f}x)"
        )
    base_extra = f", p95 {f['baseline_p95']:.3f}" if "baseline_p95" in f else ""
    ratio_text = f"{ratio:.2f}x"
    if f.get("cpu_baseline"):
        ratio_text += f" (CPU time {f['cpu'] / f['cpu_baseline']:.2f}x)"
    if "p95" in f and f.get("baseline_p95"):
        ratio_text += f" (p95 {f['p95'] / f['baseline_p95']:.2f}x)"
    if "bare" in f:
        ratio_text += (
            f"; {f['value'] / f['bare']:.2f}x a bare insert that keeps no index and checks "
            f"nothing ({f['bare']:.3f} {f['unit']}), the floor the target is held to"
        )
        if f.get("cpu_bare"):
            ratio_text += f" (CPU time {f['cpu'] / f['cpu_bare']:.2f}x)"
    memory = f"{f['memory']:.0f} MB" if f.get("memory") else "-"
    return (
        f"| {TITLES[name][0]} | {f['value']:.3f} {f['unit']}{extra} | "
        f"{f['baseline']:.3f} {f['unit']}{base_extra} ({TITLES[name][1]}) | {ratio_text} | "
        f"{target}: {verdict} | {memory} |"
    )


def _write_results(rows: list[tuple[str, dict]]) -> None:
    """Write the table. A run of some cases replaces their rows and keeps the others
    as the file had them, with a line saying which rows were measured when."""
    path = HERE / "RESULTS.md"
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    extras = importlib.util.find_spec("pandas") is not None
    machine += ", test extras installed (pandas present)" if extras else ", app-only install"
    when = f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.node() or 'this machine'}"
    lines = {name: _row(name, figures) for name, figures in rows}
    names = [name for name, _ in rows]
    if set(names) == set(CASES) or not path.exists():
        notes = [f"Measured {when} ({machine}) with `python bench/run.py`."]
    else:
        old = path.read_text(encoding="utf-8").splitlines()
        for name in CASES:
            kept = [line for line in old if line.startswith(f"| {TITLES[name][0]} |")]
            if name not in lines and kept:
                lines[name] = kept[0]
        notes = [
            line
            for line in old
            if line.startswith("Measured ")
            or (line.startswith("Rows re-measured ") and not set(_cases_named(line)) <= set(names))
        ]
        notes.append(
            f"Rows re-measured {when} ({machine}) with `python bench/run.py {' '.join(names)}`."
        )
    table = "\n".join(lines[name] for name in CASES if name in lines)
    text = "# Benchmark results\n\n" + "\n\n".join(notes) + "\n\n" + HEADER + table + "\n"
    path.write_text(text, encoding="utf-8")


def _cases_named(note: str) -> list[str]:
    """The cases a results line's ``python bench/run.py ...`` command ran."""
    command = note.split("`python bench/run.py", 1)[-1].split("`", 1)[0]
    return command.split()


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
