"""The second process of a large export (factmark.core.exporting.second_process) failing,
killed, cancelled or interrupted: the export fails in one line or is cancelled, an earlier
export under the same name stays as it was, the second process is gone, and nothing of
either process is left (beside the output, nor in the temporary folder)."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from factmark.cli import main
from factmark.core.exporting import base, second_process
from factmark.core.exporting.base import Selection
from factmark.core.exporting.sentence_split import available
from factmark.core.project import Project
from factmark.ui.background.jobs import export_project
from tests.faults.helpers import (
    REPO,
    gone,
    interrupt_with_a_slow_second,
    new_project,
    own_temporary_folder,
    posix_only,
    second_as,
    words_text,
)

pytestmark = posix_only
# Every format that writes a large export in two processes (attribution and sentences
# need spaCy), and the name of its output.
FORMATS = [
    ("brat", "corpus"),
    ("conll", "corpus.conll"),
    pytest.param(
        "attribution",
        "corpus.jsonl",
        marks=pytest.mark.skipif(not available(), reason="spaCy is not installed"),
    ),
    pytest.param(
        "sentences",
        "corpus.tsv",
        marks=pytest.mark.skipif(not available(), reason="spaCy is not installed"),
    ),
    ("xmi", "corpus.zip"),
]

# Run as the second process (see SECOND_WRAPPER): MODE makes it fail as asked once it has
# exported three documents (killed: SIGKILL; full: the disk full), or (slow:PIDFILE)
# writes its process id and waits before exporting.
WRAPPER = """
from factmark.core.exporting import second_process

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
    slow()
sys.exit(main(sys.argv[1:]))
"""


@pytest.fixture
def setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project of 40 documents with a claim each, every export of it in two processes,
    the temporary folder one of the test's own."""
    path = tmp_path / "work" / "project.factmark"
    path.parent.mkdir()
    ids = new_project(path, [words_text(n * 100, 100 + n) for n in range(40)])
    with Project.open(path) as project:
        for document in ids:
            project.add_span(document, 0, 20, "claim", "ana")
    monkeypatch.setattr(second_process, "FROM_BYTES", 0)
    own_temporary_folder(tmp_path, monkeypatch, WRAPPER)
    return path


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


@pytest.mark.parametrize(("fmt", "name"), FORMATS)
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
    name: str,
    mode: str,
    says: str,
) -> None:
    before = exported(setting, capsys, fmt, name)
    second_as(monkeypatch, tmp_path / "wrapper.py", mode)
    fails_in_one_line(setting, tmp_path, capsys, fmt, name, says, before)


def exported(setting: Path, capsys: pytest.CaptureFixture[str], fmt: str, name: str) -> Any:
    """Every file beside the project once it is exported in ``fmt`` to ``name``."""
    out = setting.parent / name
    assert main(["export", str(setting), "--all", "-f", fmt, "-o", str(out)]) == 0
    capsys.readouterr()
    return files_beside(setting)


def fails_in_one_line(
    setting: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    fmt: str,
    name: str,
    says: str,
    before: Any,
) -> None:
    """The export made again fails in one line saying ``says``, and leaves the files
    beside the project as they were ``before`` and nothing in the temporary folder."""
    out = setting.parent / name
    assert main(["export", str(setting), "--all", "-f", fmt, "-o", str(out)]) == 1
    printed = capsys.readouterr()
    assert printed.out == ""
    assert printed.err.count("\n") == 1
    assert printed.err.startswith(f"factmark: error: {out}: ")
    assert says in printed.err
    assert files_beside(setting) == before  # the earlier export and its card, as they were
    assert list((tmp_path / "tmp").iterdir()) == []


@pytest.mark.parametrize("output", [FORMATS[1], FORMATS[-1]], ids=["conll", "xmi"])
def test_a_full_disk_while_the_second_part_is_taken_fails_the_export_in_one_line(
    setting: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any, output: Any
) -> None:
    """The disk filling up halfway through the copy of the second process's part after
    the first's (CoNLL's lines, XMI's members): the export fails in one line, the earlier
    export stays as it was, and neither part is left."""

    def full(file: base.AtomicFile, path: Path) -> None:
        file.write(path.read_bytes()[: path.stat().st_size // 2])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(file.path))

    fmt, name = output
    before = exported(setting, capsys, fmt, name)
    monkeypatch.setattr(base.AtomicFile, "append", full)
    fails_in_one_line(setting, tmp_path, capsys, fmt, name, os.strerror(errno.ENOSPC), before)


@pytest.mark.parametrize(("fmt", "name"), FORMATS[1:])
def test_a_cancel_stops_the_second_process(
    setting: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str, name: str
) -> None:
    """Cancelled (in the window) while the second process writes: it is stopped, and the
    export is cancelled with nothing written."""
    pidfile = tmp_path / "second.pid"
    second_as(monkeypatch, tmp_path / "wrapper.py", f"slow:{pidfile}")
    out = setting.parent / name
    began = time.monotonic()
    outcome = export_project(setting, fmt, out, Selection(frozenset()), pidfile.exists)
    assert outcome.cancelled
    assert time.monotonic() - began < 30  # not the second process's whole minute
    assert gone(int(pidfile.read_text()))
    assert left_over(tmp_path, setting) == []


@pytest.mark.parametrize(("fmt", "name"), [FORMATS[0], FORMATS[3]])
def test_ctrl_c_stops_the_second_process(
    tmp_path: Path, setting: Path, fmt: str, name: str
) -> None:
    """Ctrl-C on `factmark export` while the second process writes: both stop, nothing
    is left, and the command says it was interrupted."""
    out = setting.parent / name
    interrupt_with_a_slow_second(
        tmp_path,
        "factmark.core.exporting.second_process",
        tmp_path / "wrapper.py",
        ["export", str(setting), "--all", "-f", fmt, "-o", str(out)],
    )
    assert left_over(tmp_path, setting) == []


WATCHING = """
import time
from factmark.core.two_processes import _stop_with_the_first
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
