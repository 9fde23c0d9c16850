"""A path whose name is longer than a file system allows (255 bytes a part): one line
naming it, shortened, for every command; never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from factmark.core.project import Project
from tests.cli.test_cli import factmark
from tests.faults.helpers import own_project  # noqa: F401  (the fixture `project`)

LONG = "a" * 300  # over the 255 bytes Linux and macOS file systems take for one name
# How the name is shown: its first 30 characters, an ellipsis, its last 20.
SHOWN_FACTMARK = "a" * 30 + "…" + "a" * 11 + ".factmark"
TOO_LONG = "name too long (a file or folder name is at most 255 bytes)"


@pytest.mark.parametrize(
    "command",
    [
        ["import", "{long}.factmark", "{good}"],
        ["stats", "{long}.factmark"],
        ["labels", "{long}.factmark"],
        ["agree", "{long}.factmark"],
        ["merge", "{project}", "{long}.factmark"],
        ["copy", "{project}", "{long}.factmark"],
        ["export", "{project}", "-o", "{long}.factmark"],
        ["guidelines", "{project}", "--set", "{long}.factmark"],
        ["gui", "{long}.factmark"],
    ],
)
def test_every_command_names_a_long_path_in_one_line(
    tmp_path: Path, project: Path, command: list[str]
) -> None:
    good = tmp_path / "good.txt"
    good.write_text("A good article.\n")
    args = [part.format(long=LONG, good=good, project=project) for part in command]

    result = factmark(*args)

    assert result.returncode == 2
    assert result.stderr == f"factmark: error: {SHOWN_FACTMARK}: {TOO_LONG}\n"
    assert result.stdout == ""


def test_import_reports_a_long_file_name_and_imports_the_others(
    tmp_path: Path, project: Path
) -> None:
    good = tmp_path / "good.txt"
    good.write_text("A good article.\n")

    result = factmark("import", project, f"{LONG}.txt", good)

    assert result.returncode == 1
    assert result.stderr == f"{'a' * 30}…{'a' * 16}.txt: error: {TOO_LONG}\n"
    assert result.stdout == f"{good}: imported 1 document, 0 spans\n"
    with Project.open_to_read(project) as opened:
        assert [d.title for d in opened.documents()] == ["Mine", "A good article."]


def test_archive_add_reports_a_long_file_name(tmp_path: Path, project: Path) -> None:
    result = factmark("archive", "add", project, tmp_path / f"{LONG}.json")

    assert result.returncode == 1
    shown = f"{str(tmp_path)[:30]}…{'a' * 15}.json"
    assert result.stderr == f"{shown}: error: {TOO_LONG}\n"
    assert "Traceback" not in result.stdout
