"""The second process making a large spaCy output's later files
(factmark.core.exporting.spacy_docbin) failing, killed, cancelled or interrupted: the
export fails in one line or is cancelled, an earlier export under the same name stays as
it was, the second process is gone, and nothing of either process is left (beside the
output, nor in the temporary folder)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from factmark.core.exporting import spacy_docbin
from factmark.core.exporting.base import AtomicFolder, Selection
from factmark.core.exporting.sentence_split import available
from factmark.core.project import Project
from factmark.ui.background.jobs import export_project
from tests.faults.helpers import (
    gone,
    interrupt_with_a_slow_second,
    new_project,
    own_temporary_folder,
    posix_only,
    second_as,
    words_text,
)
from tests.faults.test_second_process import exported, fails_in_one_line, left_over

pytestmark = [posix_only, pytest.mark.skipif(not available(), reason="spaCy is not installed")]

# Run as the second process (see SECOND_WRAPPER): MODE makes it fail as asked when it is
# to write its first file (killed: SIGKILL; full: the disk full), or (slow:PIDFILE)
# writes its process id and waits before making any.
WRAPPER = """
from factmark.core.exporting import spacy_docbin

write = spacy_docbin._Files._write

def failing(self, name, docbin):
    if mode == "killed":
        os.kill(os.getpid(), signal.SIGKILL)
    if mode == "full":
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    write(self, name, docbin)

spacy_docbin._Files._write = failing
if mode.startswith("slow:"):
    slow()
sys.exit(main(sys.argv[1:]))
"""


def a_project(tmp_path: Path, documents: int) -> Path:
    path = tmp_path / "work" / "project.factmark"
    path.parent.mkdir()
    ids = new_project(path, [words_text(n * 10, 30 + n % 7) for n in range(documents)])
    with Project.open(path) as project:
        for document in ids:
            project.add_span(document, 0, 20, "claim", "ana")
    return path


@pytest.fixture
def setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project of 40 documents with a claim each, its spaCy exports twenty files, the
    later ones made by a second process; the temporary folder one of the test's own."""
    path = a_project(tmp_path, 40)
    monkeypatch.setattr(spacy_docbin, "FROM_BYTES", 0)
    monkeypatch.setattr(spacy_docbin, "DOCUMENTS_PER_FILE", 2)
    own_temporary_folder(tmp_path, monkeypatch, WRAPPER)
    return path


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
    mode: str,
    says: str,
) -> None:
    before = exported(setting, capsys, "spacy", "corpus.spacy")
    assert len([name for name in before if name.endswith(".spacy")]) == 20
    second_as(monkeypatch, tmp_path / "wrapper.py", mode)
    fails_in_one_line(setting, tmp_path, capsys, "spacy", "corpus.spacy", says, before)


def test_a_cancel_stops_the_second_process(
    setting: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cancelled (in the window) while the second process makes its files: it is
    stopped, and the export is cancelled with nothing written."""
    pidfile = tmp_path / "second.pid"
    second_as(monkeypatch, tmp_path / "wrapper.py", f"slow:{pidfile}")
    out = setting.parent / "corpus.spacy"
    began = time.monotonic()
    outcome = export_project(setting, "spacy", out, Selection(frozenset()), pidfile.exists)
    assert outcome.cancelled
    assert time.monotonic() - began < 30  # not the second process's whole minute
    assert gone(int(pidfile.read_text()))
    assert left_over(tmp_path, setting) == []


def test_ctrl_c_stops_the_second_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C on `factmark export` while the second process makes its files: both stop,
    nothing is left, and the command says it was interrupted."""
    setting = a_project(tmp_path, 2100)  # three files of spacy_docbin.DOCUMENTS_PER_FILE
    own_temporary_folder(tmp_path, monkeypatch, WRAPPER)
    out = setting.parent / "corpus.spacy"
    interrupt_with_a_slow_second(
        tmp_path,
        "factmark.core.exporting.spacy_docbin",
        tmp_path / "wrapper.py",
        ["export", str(setting), "--all", "-f", "spacy", "-o", str(out)],
    )
    assert left_over(tmp_path, setting) == []


def test_a_cancel_stops_one_process_between_files(
    setting: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cancelled (in the window) while one process makes the files: it stops before the
    next file, and the export is cancelled with nothing written."""
    monkeypatch.setattr(spacy_docbin, "FROM_BYTES", 1 << 62)
    written: list[str] = []
    write = AtomicFolder.write

    def counted(folder: AtomicFolder, relative: str, data: bytes) -> None:
        written.append(relative)
        write(folder, relative, data)

    monkeypatch.setattr(AtomicFolder, "write", counted)
    out = setting.parent / "corpus.spacy"
    outcome = export_project(
        setting, "spacy", out, Selection(frozenset()), lambda: len(written) >= 2
    )
    assert outcome.cancelled
    assert written == ["000001.spacy", "000002.spacy"]
    assert left_over(tmp_path, setting) == []
