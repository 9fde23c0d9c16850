"""A project's annotation guidelines: replacing them, and reading them from Markdown files."""

from __future__ import annotations

from pathlib import Path

import pytest

from factmark.core.guidelines import decode_guidelines, read_guidelines, section
from factmark.core.model import ValidationError
from factmark.core.project import ChangeSet, Project
from factmark.core.resources import default_guidelines, resource_path

OURS = "# Newsroom rules\n\n## claim\n\nExamples:\n- **the bridge reopened** on Monday\n"


def test_a_new_project_starts_with_the_default_guidelines(project: Project) -> None:
    assert project.guidelines() == default_guidelines()
    assert default_guidelines().startswith("# Annotation guidelines\n")
    assert "\r" not in default_guidelines()
    assert resource_path("guidelines.md").is_file()


def test_set_guidelines_round_trip_survives_reopening(project_path: Path) -> None:
    text = "# Règles\n\nNo-break\u00a0space, tab\there, emoji 🧭 and e\u0301.\n"
    with Project.open(project_path) as project:
        project.set_guidelines(text)
        assert project.guidelines() == text
    with Project.open(project_path) as again:
        assert again.guidelines() == text


def test_set_guidelines_normalises_newlines_and_the_bom(project: Project) -> None:
    project.set_guidelines("\ufeff# Rules\r\n\r\nline one\rline two\r\n")
    assert project.guidelines() == "# Rules\n\nline one\nline two\n"


def test_nul_is_refused_and_the_old_guidelines_kept(project: Project) -> None:
    project.set_guidelines(OURS)
    heard: list[ChangeSet] = []
    project.subscribe(heard.append)
    with pytest.raises(ValidationError, match="NUL"):
        project.set_guidelines("# Rules\x00binary")
    with pytest.raises(ValidationError, match="surrogates"):
        project.set_guidelines("# Rules \ud800")
    assert project.guidelines() == OURS
    assert heard == []


def test_listeners_hear_a_settings_change_after_the_commit(project_path: Path) -> None:
    with Project.open(project_path) as project:
        heard: list[tuple[str, str]] = []

        def listener(change: ChangeSet) -> None:
            # What a second connection reads: the change is committed when it is reported.
            with Project.open_to_read(project_path) as reader:
                heard.append(("settings" if change.settings else "", reader.guidelines()))

        project.subscribe(listener)
        project.set_guidelines(OURS)
    assert heard == [("settings", OURS)]


def test_empty_guidelines_are_allowed_and_a_reset_restores_the_default(project: Project) -> None:
    project.set_guidelines("")
    assert project.guidelines() == ""
    project.set_guidelines(default_guidelines())
    assert project.guidelines() == default_guidelines()


def test_the_label_section_of_new_guidelines_is_found(project: Project) -> None:
    project.set_guidelines(OURS)
    assert section(project.guidelines(), "claim") == (
        "Examples:\n- **the bridge reopened** on Monday"
    )


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"# Rules\r\n", "# Rules\n"),
        (b"\xef\xbb\xbf# R\xc3\xa8gles\n", "# Règles\n"),
        ("# Правила\n".encode(), "# Правила\n"),
    ],
)
def test_markdown_files_are_read_as_utf8(data: bytes, expected: str) -> None:
    assert decode_guidelines(data) == expected


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"caf\xe9 au lait", "not UTF-8 text (byte 3 is not valid UTF-8)"),
        (b"\xff\xfe#\x00 \x00", "UTF-16 text, not UTF-8"),
        (b"PK\x03\x04\x00\x00", "binary data"),
        (b" \n\n", "empty"),
        (b"", "empty"),
    ],
)
def test_files_that_are_not_utf8_markdown_are_refused(data: bytes, reason: str) -> None:
    with pytest.raises(ValidationError) as refused:
        decode_guidelines(data)
    assert str(refused.value).startswith(reason)
    assert "\n" not in str(refused.value)


def test_a_missing_file_raises_oserror(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_guidelines(tmp_path / "missing.md")
