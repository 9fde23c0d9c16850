"""Shared by the fault tests: child processes to kill, integrity checks, small projects.

A child writes its lines to a file rather than a pipe: a pipe could fill and block
it, and a file keeps every line the child flushed before it was killed.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from factmark.core.incoming import IncomingDocument
from factmark.core.project import Project

REPO = Path(__file__).resolve().parents[2]
READY = "ready"

# SIGKILL and POSIX permissions: these tests describe Linux and macOS behaviour.
posix_only = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and chmod are POSIX")


def integrity(project: Project) -> list[str]:
    """``PRAGMA integrity_check`` plus foreign-key problems; ``["ok"]`` when sound."""
    rows = [row[0] for row in project.db.execute("PRAGMA integrity_check").fetchall()]
    orphans = project.db.execute("PRAGMA foreign_key_check").fetchall()
    return rows + [f"foreign key: {row}" for row in orphans]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def words_text(first: int, count: int, per_line: int = 12) -> str:
    """Distinct words ``w00000 w00001 ...``, a line break every ``per_line`` words."""
    words = [f"w{n:05d}" for n in range(first, first + count)]
    lines = [" ".join(words[i : i + per_line]) for i in range(0, count, per_line)]
    return "\n".join(lines) + "\n"


def new_project(path: Path, texts: list[str]) -> list[int]:
    """Create a project holding these texts (one document each); returns their ids."""
    with Project.open(path) as project:
        ids = []
        for n, text in enumerate(texts):
            added = project.add_document(IncomingDocument(text, f"Article {n + 1}"))
            assert added is not None
            ids.append(added[0])
    return ids


@dataclass
class Child:
    """A Python child process whose stdout and stderr go to files."""

    process: subprocess.Popen[bytes]
    out: Path
    err: Path

    @classmethod
    def start(cls, script: Path, *args: object, env: dict[str, str] | None = None) -> Child:
        name = f"{script.stem}-{time.monotonic_ns()}"
        out = script.parent / f"{name}.out"
        err = script.parent / f"{name}.err"
        with out.open("wb") as stdout, err.open("wb") as stderr:
            process = subprocess.Popen(
                [sys.executable, str(script), *map(str, args)],
                stdin=subprocess.DEVNULL,
                stdout=stdout,
                stderr=stderr,
                cwd=script.parent,
                env=env,
            )
        return cls(process, out, err)

    def lines(self) -> list[str]:
        """Complete lines written so far (a line cut short by a kill is left out)."""
        data = self.out.read_bytes()
        return data[: data.rfind(b"\n") + 1].decode("utf-8").splitlines()

    def stderr(self) -> str:
        return self.err.read_text("utf-8", errors="replace")

    def wait_for(self, line: str, timeout: float = 120) -> None:
        """Wait until the child has written ``line`` (generous: CI machines are slow)."""
        deadline = time.monotonic() + timeout
        while line not in self.lines():
            if self.process.poll() is not None:
                pytest.fail(f"the child exited ({self.process.returncode}):\n{self.stderr()}")
            if time.monotonic() > deadline:
                self.kill()
                pytest.fail(f"no {line!r} from the child in {timeout} s:\n{self.stderr()}")
            time.sleep(0.005)

    def kill(self) -> int:
        """SIGKILL this child (if it still runs) and reap it; returns its exit status."""
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
        return self.process.wait(timeout=60)

    def killed_running(self) -> None:
        """Kill the child and check it was still at work (not dead of an error)."""
        code = self.kill()
        assert code == -signal.SIGKILL, f"the child ended by itself ({code}):\n{self.stderr()}"

    def after(self, line: str = READY) -> list[str]:
        """The lines written after ``line``."""
        lines = self.lines()
        return lines[lines.index(line) + 1 :]


def factmark(*args: object, prelude: str = "") -> subprocess.CompletedProcess[str]:
    """Run the ``factmark`` command in a child (after ``prelude``, Python run first)."""
    code = f"{prelude}\nimport sys\nfrom factmark.cli import main\nsys.exit(main(sys.argv[1:]))"
    return subprocess.run(
        [sys.executable, "-c", code, *map(str, args)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )


# -- a second process (factmark.core.two_processes) -------------------------------------

# The start of a wrapper run as the second process: ``python WRAPPER MODE COMMAND FOLDER``;
# ``slow()`` (MODE slow:PIDFILE) writes its process id and waits a minute. A wrapper goes on
# to make the part's work fail as MODE asks, then runs ``main(sys.argv[1:])``.
SECOND_WRAPPER = """
import errno, os, signal, sys, time
from factmark.cli import main

mode = sys.argv.pop(1)

def slow():
    with open(mode[5:] + ".part", "w") as pid:
        pid.write(str(os.getpid()))
    os.replace(mode[5:] + ".part", mode[5:])
    time.sleep(60)
"""

# For a whole command in a process of its own: the module named by TWO_PROCESSES (its
# FROM_BYTES) always works in two processes, the second one slow (see SECOND_WRAPPER).
_SITECUSTOMIZE = """
import os, sys
if os.environ.get("SLOW_SECOND_PROCESS"):
    from importlib import import_module
    from factmark.core import two_processes
    import_module(os.environ["TWO_PROCESSES"]).FROM_BYTES = 0
    command = [sys.executable, os.environ["WRAPPER"], "slow:" + os.environ["SLOW_SECOND_PROCESS"]]
    two_processes._program = lambda: command
"""


def second_as(monkeypatch: pytest.MonkeyPatch, wrapper: Path, mode: str) -> None:
    """Second processes started from this process run ``wrapper`` in ``mode``."""
    from factmark.core import two_processes

    command = [sys.executable, str(wrapper), mode]
    monkeypatch.setattr(two_processes, "_program", lambda: command)


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def interrupt_with_a_slow_second(
    tmp_path: Path, module: str, wrapper: Path, arguments: list[str]
) -> None:
    """``factmark ARGUMENTS`` in a process of its own, ``module`` working in two processes,
    interrupted (Ctrl-C) while the second one (``wrapper`` slow) works: both stop, and the
    command says it was interrupted."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(_SITECUSTOMIZE, encoding="utf-8")
    pidfile = tmp_path / "second.pid"
    environment = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(site), str(REPO / "desktop")]),
        "SLOW_SECOND_PROCESS": str(pidfile),
        "TWO_PROCESSES": module,
        "WRAPPER": str(wrapper),
        "TMPDIR": str(tmp_path / "tmp"),
    }
    command = [sys.executable, "-m", "factmark", *arguments]
    # Ctrl-C reaches the command however the tests were started: a shell's background job
    # ignores SIGINT, and Python then keeps it ignored (no KeyboardInterrupt) in every
    # process it starts.
    child = subprocess.Popen(
        command,
        env=environment,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
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


def own_temporary_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, wrapper: str) -> None:
    """The temporary folder ``tmp_path/tmp`` (where a second process's job goes), and
    ``wrapper`` (after SECOND_WRAPPER) as ``tmp_path/wrapper.py``."""
    import tempfile

    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    (tmp_path / "wrapper.py").write_text(SECOND_WRAPPER + wrapper, encoding="utf-8")


@pytest.fixture(name="project")
def own_project(tmp_path: Path) -> Path:
    """A project holding one article of the user's own, which bad input must leave as it
    was (a test module takes it as its ``project`` by importing it)."""
    path = tmp_path / "mine.factmark"
    with Project.open(path) as opened:
        opened.add_document(IncomingDocument("My own article.\n", "Mine"))
    return path
