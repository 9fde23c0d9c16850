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
