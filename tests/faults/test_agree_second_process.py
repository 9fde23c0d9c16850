"""The second process of `factmark agree` (factmark.core.agreement) failing, killed or
interrupted: the command fails in one line or says it was interrupted, the second process
is gone and nothing of it is left in the temporary folder; a project open for editing
(the window) while both processes read it stays as it was and editable."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from factmark.cli import main
from factmark.core import agreement
from factmark.core.incoming import IncomingDocument, IncomingSpan
from factmark.core.project import Project
from tests.faults.helpers import (
    integrity,
    interrupt_with_a_slow_second,
    own_temporary_folder,
    posix_only,
    second_as,
    sha256,
    words_text,
)

pytestmark = posix_only

# Run as the second process (see SECOND_WRAPPER): MODE makes it fail as asked as it
# starts counting (killed: SIGKILL; full: the disk full), or (slow:PIDFILE) write its
# process id and wait a minute first.
WRAPPER = """
from factmark.core import agreement

count = agreement._count

def failing(*args):
    if mode == "killed":
        os.kill(os.getpid(), signal.SIGKILL)
    if mode == "full":
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    if mode.startswith("slow:"):
        slow()
    return count(*args)

agreement._count = failing
sys.exit(main(sys.argv[1:]))
"""


@pytest.fixture
def setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project of 40 documents two annotators marked, its figures counted by two
    processes, the temporary folder one of the test's own."""
    path = tmp_path / "work" / "project.factmark"
    path.parent.mkdir()
    with Project.open(path) as project:
        for n in range(40):
            text = words_text(n * 100, 100 + n)
            spans = [
                IncomingSpan(7 * k, 7 * k + 6 + (k + n) % 3 * (who == "ben"), "claim", who)
                for who in ("ana", "ben")
                for k in range(5)
            ]
            project.add_document(IncomingDocument(text, f"Article {n}", spans=spans))
    monkeypatch.setattr(agreement, "FROM_BYTES", 0)
    own_temporary_folder(tmp_path, monkeypatch, WRAPPER)
    return path


@pytest.mark.parametrize(
    ("mode", "says"),
    [
        ("killed", "the second agreement process stopped (ended by signal SIGKILL)"),
        ("full", f": {os.strerror(28)}"),
    ],
)
def test_a_failing_second_process_fails_agree_in_one_line(
    setting: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    mode: str,
    says: str,
) -> None:
    before = sha256(setting)
    second_as(monkeypatch, tmp_path / "wrapper.py", mode)
    assert main(["agree", str(setting)]) == 1
    printed = capsys.readouterr()
    assert printed.out == ""
    assert printed.err.count("\n") == 1
    assert printed.err.startswith(f"factmark: error: {setting}: ")
    assert says in printed.err
    assert sha256(setting) == before
    assert list((tmp_path / "tmp").iterdir()) == []


def test_ctrl_c_stops_the_second_process(tmp_path: Path, setting: Path) -> None:
    """Ctrl-C on `factmark agree` while the second process counts: both stop, nothing is
    left, and the command says it was interrupted."""
    arguments = ["agree", str(setting)]
    interrupt_with_a_slow_second(
        tmp_path, "factmark.core.agreement", tmp_path / "wrapper.py", arguments
    )
    assert list((tmp_path / "tmp").iterdir()) == []


def test_a_project_open_for_editing_stays_editable_and_whole(
    setting: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The window holds the project open, mid-edit, while both processes read it: the
    figures are those of what was saved, and the edit is saved after them."""
    assert main(["agree", str(setting), "--json"]) == 0
    expected = capsys.readouterr().out
    with Project.open(setting, create=False) as window:
        window.db.execute("BEGIN IMMEDIATE")  # an edit under way, not yet saved
        window.db.execute("UPDATE documents SET title = 'edited' WHERE id = 1")
        assert main(["agree", str(setting), "--json"]) == 0
        assert capsys.readouterr().out == expected
        window.db.execute("COMMIT")
        assert integrity(window) == ["ok"]
    with Project.open_to_read(setting) as project:
        assert project.document(1).title == "edited"
    assert list((tmp_path / "tmp").iterdir()) == []
