"""Crash safety of the window: spans labelled with real key presses survive SIGKILL.

A child process opens the real main window offscreen and labels word after word
(select, press 1). The app commits a span before the key press returns, so each
word the child prints after its press must be in the project after the kill. The
kill times come from a seeded generator; the child runs with the test's private
user folders and offscreen Qt (inherited from tests/conftest.py).
"""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

import pytest

from factmark.core.project import Project
from factmark.ui.window.main_window import MainWindow
from tests.faults.helpers import READY, Child, integrity, new_project, posix_only, words_text

pytestmark = [posix_only, pytest.mark.slow]

SEED = 7
KILLS = 8
WORDS_PER_RUN = 250

LABELLER = """
import json, re, sys, time
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from factmark.ui.app import create_main_window

path, first = sys.argv[1], int(sys.argv[2])
window = create_main_window(path)
window.show()
window.activateWindow()  # label keys are window shortcuts: the window must be active
deadline = time.monotonic() + 60
while not window.isActiveWindow() and time.monotonic() < deadline:
    QApplication.processEvents()
    time.sleep(0.01)
view = window.article_view
view.setFocus()
QApplication.processEvents()
text = view.text
words = [m.span() for m in re.finditer(r"\\S+", text)]
print("ready", flush=True)
for start, end in words[first : first + PER_RUN]:
    before = len(window.spans.spans)
    view.select_range(start, end)
    QTest.keyClick(view, Qt.Key.Key_1)
    if len(window.spans.spans) != before + 1:
        sys.exit(f"the press added no span: {window.statusBar().currentMessage()!r}")
    print(json.dumps([start, end, text[start:end]]), flush=True)
print("finished", flush=True)
time.sleep(120)  # the parent kills us
""".replace("PER_RUN", str(WORDS_PER_RUN))


def test_spans_labelled_by_key_presses_survive_sigkill(tmp_path: Path, open_window) -> None:
    path = tmp_path / "gui.factmark"
    (document_id,) = new_project(path, [words_text(0, KILLS * WORDS_PER_RUN)])
    script = tmp_path / "labeller.py"
    script.write_text(LABELLER, "utf-8")
    rng = random.Random(SEED)
    printed: dict[tuple[int, int], str] = {}
    for run in range(KILLS):
        child = Child.start(script, path, run * WORDS_PER_RUN)
        child.wait_for(READY)
        time.sleep(rng.uniform(0.05, 0.6))
        child.killed_running()
        for line in child.after(READY):
            if line != "finished":
                start, end, word = json.loads(line)
                printed[(start, end)] = word

        with Project.open(path, create=False) as project:
            assert integrity(project) == ["ok"]
            text = project.document(document_id).text
            stored = {(s.start, s.end) for s in project.spans(document_id) if s.label == "claim"}
            missing = sorted(set(printed) - stored)
            assert not missing, f"run {run}: labelled before the kill but not saved: {missing}"
            assert all(text[s:e] == word for (s, e), word in printed.items())
            # At most the one press in flight at each kill saved more than was printed.
            assert len(stored) - len(printed) <= run + 1
    assert len(printed) >= KILLS, "the kills should land while the child is labelling"

    window: MainWindow = open_window(path)  # and reopening the window shows them all
    shown = {
        (s.start, s.end): window.article_view.text[s.start : s.end] for s in window.spans.spans
    }
    assert window.current is not None and window.current.id == document_id
    assert printed.items() <= shown.items()
    assert window.span_list.model().rowCount() == len(shown)
    assert {(s.start, s.end) for s in window.article_view.spans} == set(shown)
