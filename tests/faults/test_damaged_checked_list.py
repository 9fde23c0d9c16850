"""The data folder's list of projects already checked (checked-projects.json) is a
convenience: damaged in any way (nested deeper than Python's parser goes, not JSON, a
named pipe in its place), it counts as none. Every command still works, and the next
one that remembers a project writes a sound list again."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.faults.helpers import own_project  # noqa: F401  (the fixture `project`)
from tests.faults.test_not_regular_files import factmark


def checked_list() -> Path:
    """Where the commands run by the tests keep it (tests/conftest.py points
    XDG_DATA_HOME at a temporary folder, and the children inherit it)."""
    folder = Path(os.environ["XDG_DATA_HOME"]) / "Factmark"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "checked-projects.json"


@pytest.mark.parametrize(
    "damage",
    ["nested 50,000 deep", "nested inside an object", "not JSON", "not UTF-8", "a named pipe"],
)
def test_every_command_works_with_a_damaged_list(
    tmp_path: Path, project: Path, damage: str
) -> None:
    listed = checked_list()
    listed.unlink(missing_ok=True)
    if damage == "nested 50,000 deep":
        listed.write_text("[" * 50_000 + "]" * 50_000)
    elif damage == "nested inside an object":
        listed.write_text('{"a": ' + "[" * 50_000 + "]" * 50_000 + "}")
    elif damage == "not JSON":
        listed.write_text('{"a": [1, 2')
    elif damage == "not UTF-8":
        listed.write_bytes(b'{"\xff": 1}')
    else:
        os.mkfifo(listed)
    article = tmp_path / "new.txt"
    article.write_text("A new article.\n")

    stats = factmark("stats", project)
    imported = factmark("import", project, article)

    assert (stats.returncode, stats.stderr) == (0, "")
    assert "total 1" in stats.stdout
    assert (imported.returncode, imported.stderr) == (0, "")
    assert imported.stdout == f"{article}: imported 1 document, 0 spans\n"
    remembered = json.loads(listed.read_text())  # written anew, a regular file
    assert str(project.resolve()) in remembered
    listed.unlink()
