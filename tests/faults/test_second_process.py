"""The second process of a large export (factmark.core.exporting.second_process) failing,
killed, cancelled or interrupted: the export fails in one line or is cancelled, an earlier
export under the same name stays as it was, the second process is gone, and nothing of
either process is left (beside the output, nor in the temporary folder)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from factmark.cli import main
from factmark.core.exporting import second_process
from factmark.core.exporting.base import Selection
from factmark.ui.background.jobs import export_project
from tests.faults.helpers import REPO, new_project, posix_only, words_text

pytestmark = posix_only

# Run as the second process: ``python WRAPPER MODE _export-part FOLDER``. MODE makes it
# fail as asked once it has exported three documents (killed: SIGKILL; full: the disk
# full), or (slow:PIDFILE) writes its process id and waits before exporting.
WRAPPER = """
import errno, os, signal, sys, time
from factmark.core.exporting import second_process
from factmark.cli import main

mode = sys.argv.pop(1)
records = second_process.iter_records

def failing(*args):
    for number, record in enumerate(records(*args)):
        if number == 3 and mode == "killed":
            os.kill(os.getpid(), signal.SIGKILL)
        if number == 3 and mode == "full":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        yield record

second_process.iter_records = failing
if mode.startswith("slow:"):
    with open(mode[5:] + ".part", "w") as pid:
        pid.write(str(os.getpid()))
    os.replace(mode[5:] + ".part", mode[5:])
    time.sleep(60)
sys.exit(main(sys.argv[1:]))
"""

# For a whole `factmark export` in a process of its own: every brat and CoNLL export in
# two processes, the second one slow (see WRAPPER).
SITECUSTOMIZE = """
import os, sys
if os.environ.get("SLOW_SECOND_PROCESS"):
    from factmark.core.exporting import second_process
    second_process.FROM_BYTES = 0
    command = [sys.executable, os.environ["WRAPPER"], "slow:" + os.environ["SLOW_SECOND_PROCESS"]]
    second_process._program = lambda: command
"""


@pytest.fixture
def setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project of 40 documents, every export of it in two processes, the temporary
    folder one of the test's own."""
    path = tmp_path / "work" / "project.factmark"
    path.parent.mkdir()
    new_project(path, [words_text(n * 100, 100 + n) for n in range(40)])
    monkeypatch.setattr(second_process, "FROM_BYTES", 0)
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    (tmp_path / "wrapper.py").write_text(WRAPPER, encoding="utf-8")
    return path


def second_as(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: str) -> None:
    command = [sys.executable, str(tmp_path / "wrapper.py"), mode]
    monkeypatch.setattr(second_process, "_program", lambda: command)


def files_beside(project: Path) -> dict[str, bytes]:
    """Every file under the project's folder but the project's own, with its bytes."""
    return {
        str(path.relative_to(project.parent)): path.read_bytes()
        for path in project.parent.rglob("*")
        if path.is_file() and not path.name.startswith(project.name)
    }


def left_over(tmp_path: Path, project: Path) -> list[str]:
    """What is beside the project and in the temporary folder."""
    return sorted(files_beside(project)) + sorted(p.name for p in (tmp_path / "tmp").iterdir())


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


@pytest.mark.parametrize("fmt", ["brat", "conll"])
@pytest.mark.parametrize(
    ("mode", "says"),
    [
        ("killed", "the second export process stopped (ended by signal SIGKILL)"),
        ("full", f": {os.strerror(28)}"),
    ],
)
def test_a_failing_second_process_fails_the_export_in_one_line(
    setting: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    fmt: str,
    mode: str,
    says: str,
) -> None:
    out = setting.parent / ("corpus.conll" if fmt == "conll" else "corpus")
    assert main(["export", str(setting), "--all", "-f", fmt, "-o", str(out)]) == 0
    before = files_beside(setting)
    capsys.readouterr()
    second_as(tmp_path, monkeypatch, mode)
    assert main(["export", str(setting), "--all", "-f", fmt, "-o", str(out)]) == 1
    printed = capsys.readouterr()
    assert printed.out == ""
    assert printed.err.count("\n") == 1
    assert printed.err.startswith(f"factmark: error: {out}: ")
    assert says in printed.err
    assert files_beside(setting) == before  # the earlier export and its card, as they were
    assert list((tmp_path / "tmp").iterdir()) == []


def test_a_cancel_stops_the_second_process(
    setting: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cancelled (in the window) while the second process writes: it is stopped, and the
    export is cancelled with nothing written."""
    pidfile = tmp_path / "second.pid"
    second_as(tmp_path, monkeypatch, f"slow:{pidfile}")
    out = setting.parent / "corpus.conll"
    began = time.monotonic()
    outcome = export_project(setting, "conll", out, Selection(frozenset()), pidfile.exists)
    assert outcome.cancelled
    assert time.monotonic() - began < 30  # not the second process's whole minute
    assert gone(int(pidfile.read_text()))
    assert left_over(tmp_path, setting) == []


def test_ctrl_c_stops_the_second_process(tmp_path: Path, setting: Path) -> None:
    """Ctrl-C on `factmark export` while the second process writes: both stop, nothing
    is left, and the command says it was interrupted."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    pidfile = tmp_path / "second.pid"
    environment = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(site), str(REPO / "desktop")]),
        "SLOW_SECOND_PROCESS": str(pidfile),
        "WRAPPER": str(tmp_path / "wrapper.py"),
        "TMPDIR": str(tmp_path / "tmp"),
    }
    out = setting.parent / "corpus"
    command = [sys.executable, "-m", "factmark", "export", str(setting), "--all", "-f", "brat"]
    child = subprocess.Popen(
        [*command, "-o", str(out)], env=environment, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 60
    while not pidfile.exists():
        assert child.poll() is None, child.stderr.read() if child.stderr else ""
        assert time.monotonic() < deadline
        time.sleep(0.05)
    child.send_signal(signal.SIGINT)
    _, err = child.communicate(timeout=60)
    assert child.returncode == 130
    assert err == "factmark: interrupted; everything reported as done is saved\n"
    assert gone(int(pidfile.read_text()))
    assert left_over(tmp_path, setting) == []


WATCHING = """
import time
from factmark.core.exporting.second_process import _stop_with_the_first
_stop_with_the_first()
time.sleep(1)
print("still running")
"""


def test_a_second_process_stops_when_its_first_does_and_only_then(tmp_path: Path) -> None:
    """The second process exits once its standard input (a pipe from the first) ends;
    given no standard input at all, it goes on (the first stops it)."""
    command = [sys.executable, "-c", WATCHING]
    environment = {**os.environ, "PYTHONPATH": str(REPO / "desktop")}
    ended = subprocess.run(
        command, env=environment, stdin=subprocess.DEVNULL, capture_output=True, timeout=60
    )
    assert (ended.returncode, ended.stdout) == (1, b"")
    closed = subprocess.run(
        command, env=environment, capture_output=True, timeout=60, preexec_fn=lambda: os.close(0)
    )
    assert (closed.returncode, closed.stdout) == (0, b"still running\n")
