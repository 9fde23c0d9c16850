"""``factmark guidelines``: printing, replacing and resetting a project's guidelines."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from tests.cli.test_cli import factmark

from factmark.core.incoming import IncomingDocument
from factmark.core.project import Project
from factmark.core.resources import default_guidelines

OURS = (
    "# Newsroom guidelines\n\n"
    "Mark what our desk checks.\n\n"
    "## claim\n\n"
    "A statement our desk can verify.\n\n"
    "Examples:\n"
    "- **the bridge reopened on Monday**\n"
)


@pytest.fixture
def project_file(tmp_path: Path) -> Path:
    """A project with one article, holding the default guidelines."""
    path = tmp_path / "desk.factmark"
    with Project.open(path) as project:
        project.add_document(IncomingDocument("The bridge reopened on Monday.", title="Bridge"))
    return path


def stored(path: Path) -> str:
    with Project.open_to_read(path) as project:
        return project.guidelines()


def test_prints_the_guidelines_as_markdown(project_file: Path) -> None:
    result = factmark("guidelines", project_file)
    assert result.returncode == 0, result.stderr
    assert result.stdout == default_guidelines()
    assert result.stderr == ""


def test_set_replaces_them_with_a_file(project_file: Path, tmp_path: Path) -> None:
    source = tmp_path / "ours.md"
    source.write_bytes(b"\xef\xbb\xbf" + OURS.replace("\n", "\r\n").encode("utf-8"))
    result = factmark("guidelines", project_file, "--set", source)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{project_file}: guidelines replaced from {source} (10 lines)\n"
    assert stored(project_file) == OURS  # BOM removed, CRLF turned into LF
    assert factmark("guidelines", project_file).stdout == OURS


def test_set_dash_reads_standard_input(project_file: Path) -> None:
    text = "# Règles de la rédaction\n\n## claim\n\nUne affirmation vérifiable.\n"
    script = Path(sys.executable).parent / "factmark"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "factmark"]
    result = subprocess.run(
        [*command, "guidelines", str(project_file), "--set", "-"],
        input=text.encode("utf-8"),
        capture_output=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert b"guidelines replaced from <stdin>" in result.stdout
    assert stored(project_file) == text


def test_reset_restores_the_default(project_file: Path, tmp_path: Path) -> None:
    source = tmp_path / "ours.md"
    source.write_text(OURS, encoding="utf-8")
    assert factmark("guidelines", project_file, "--set", source).returncode == 0
    result = factmark("guidelines", project_file, "--reset")
    assert result.returncode == 0, result.stderr
    assert "guidelines reset to the default" in result.stdout
    assert stored(project_file) == default_guidelines()


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("missing.md", None, "No such file or directory"),
        ("latin1.md", "# Règles\n".encode("latin-1"), "not UTF-8 text (byte 3 is not valid UTF-8)"),
        ("binary.md", b"# Rules\x00\x01\x02", "binary data (it holds NUL bytes)"),
        ("empty.md", b"\n", "empty: there are no guidelines in it"),
    ],
)
def test_a_bad_file_is_refused_with_one_line_and_nothing_changes(
    project_file: Path, tmp_path: Path, name: str, content: bytes | None, reason: str
) -> None:
    source = tmp_path / name
    if content is not None:
        source.write_bytes(content)
    result = factmark("guidelines", project_file, "--set", source)
    assert result.returncode == 1
    assert result.stderr.startswith(f"factmark: error: {source}: {reason}")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stdout == ""
    assert stored(project_file) == default_guidelines()


def test_usage_errors_exit_2(project_file: Path, tmp_path: Path) -> None:
    both = factmark("guidelines", project_file, "--set", tmp_path / "x.md", "--reset")
    assert both.returncode == 2
    assert "not allowed with argument" in both.stderr
    assert factmark("guidelines").returncode == 2
    assert factmark("guidelines", project_file, "--set").returncode == 2
    assert stored(project_file) == default_guidelines()


def test_a_missing_project_is_an_error_and_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "none.factmark"
    for extra in ([], ["--reset"]):
        result = factmark("guidelines", missing, *extra)
        assert result.returncode == 1
        assert result.stderr == f"factmark: error: {missing}: no such project file\n"
    assert not missing.exists()


def test_the_dataset_card_of_an_export_holds_the_new_guidelines(
    project_file: Path, tmp_path: Path
) -> None:
    source = tmp_path / "ours.md"
    source.write_text(OURS, encoding="utf-8")
    assert factmark("guidelines", project_file, "--set", source).returncode == 0
    out = tmp_path / "export" / "out.jsonl"
    out.parent.mkdir()
    result = factmark("export", project_file, "-o", out, "--all")
    assert result.returncode == 0, result.stderr
    card = (out.parent / "README.md").read_text(encoding="utf-8")
    assert "## Annotation guidelines" in card
    assert "Mark what our desk checks." in card
    assert "- **the bridge reopened on Monday**" in card
    assert "When in doubt, mark it" not in card  # the default ones are gone
