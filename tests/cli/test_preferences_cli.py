"""``factmark preferences``, run as a user runs it, on a config folder of the test's own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.cli.test_cli import factmark, read_jsonl


@pytest.fixture
def config(user_dirs: Path) -> Path:
    """The test's own config folder (tests/conftest.py points XDG_CONFIG_HOME there)."""
    return user_dirs / "xdg_config_home" / "Factmark"


def shown(output: str) -> dict[str, str]:
    return dict(line.split(": ", 1) for line in output.splitlines())


def test_shows_the_file_and_the_defaults_and_writes_nothing(config: Path) -> None:
    result = factmark("preferences")
    assert result.returncode == 0, result.stderr
    values = shown(result.stdout)
    assert values["file"] == str(config / "preferences.json")
    assert values["annotator"].endswith("(the login name: none chosen yet)")
    assert values["snap"] == "on"
    assert values["suggest-on-open"] == "off"
    assert list(values) == ["file", "annotator", "snap", "suggest-on-open"]
    assert not (config / "preferences.json").exists()


def test_sets_what_is_given_and_keeps_the_rest(config: Path) -> None:
    result = factmark("preferences", "--annotator", "  Olena K. ", "--snap", "off")
    assert result.returncode == 0, result.stderr
    assert shown(result.stdout)["annotator"] == "Olena K."
    assert shown(result.stdout)["snap"] == "off"
    result = factmark("preferences", "--suggest-on-open", "ON")
    assert shown(result.stdout) == {
        "file": str(config / "preferences.json"),
        "annotator": "Olena K.",
        "snap": "off",
        "suggest-on-open": "on",
    }
    stored = json.loads((config / "preferences.json").read_text(encoding="utf-8"))
    assert stored["annotator"] == "Olena K."
    assert stored["snap_to_words"] is False
    assert stored["suggest_on_open"] is True


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--snap", "maybe"], "--snap takes on or off, not 'maybe'"),
        (["--suggest-on-open", "1"], "--suggest-on-open takes on or off"),
        (["--annotator", ""], "--annotator: the annotator name is empty"),
        (["--annotator", "a\nb"], "line break"),
        (["--annotator", "x" * 101], "at most 100"),
        (["--annotator", "gold"], "adjudicated layer"),
        (["--annotator", "olena", "--snap", "of"], "--snap takes on or off"),
    ],
)
def test_bad_values_exit_2_with_one_line_and_change_nothing(
    config: Path, args: list[str], message: str
) -> None:
    result = factmark("preferences", *args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("factmark: error: ")
    assert message in result.stderr
    assert not (config / "preferences.json").exists()


def test_a_damaged_file_is_reported_then_replaced(config: Path) -> None:
    config.mkdir(parents=True)
    (config / "preferences.json").write_text("{broken", encoding="utf-8")
    result = factmark("preferences")
    assert result.returncode == 0
    assert "is not valid JSON; the defaults are shown" in result.stderr
    assert (config / "preferences.json").read_text(encoding="utf-8") == "{broken"
    result = factmark("preferences", "--annotator", "olena")
    assert result.returncode == 0
    assert "it was replaced" in result.stderr
    assert json.loads((config / "preferences.json").read_text(encoding="utf-8"))["annotator"]


def test_a_file_that_cannot_be_written_exits_1(config: Path) -> None:
    config.parent.mkdir(parents=True)
    config.write_text("a file where the folder should be", encoding="utf-8")
    result = factmark("preferences", "--snap", "off")
    assert result.returncode == 1
    assert result.stderr.startswith("factmark: error: ")
    assert "cannot be written" in result.stderr


def test_import_records_no_annotator_unless_one_is_named(tmp_path: Path) -> None:
    """As in the window, imported spans that name no annotator stay without one: the
    preferences' annotator is recorded on spans made in the window, not on imports."""
    assert factmark("preferences", "--annotator", "olena").returncode == 0
    source = tmp_path / "in.jsonl"
    source.write_text(
        json.dumps(
            {"text": "Kyiv said so.", "spans": [{"start": 0, "end": 4, "label": "location"}]}
        )
        + "\n",
        encoding="utf-8",
    )
    project, out = tmp_path / "p.factmark", tmp_path / "out.jsonl"
    assert factmark("import", project, source).returncode == 0
    assert factmark("export", project, "-o", out, "--all").returncode == 0
    assert [s.get("annotator") for s in read_jsonl(out)[0]["spans"]] == [None]

    named = tmp_path / "named.factmark"
    assert factmark("import", named, source, "--annotator", " bohdan ").returncode == 0
    assert factmark("export", named, "-o", out, "--all").returncode == 0
    assert [s["annotator"] for s in read_jsonl(out)[0]["spans"]] == ["bohdan"]

    refused = factmark("import", tmp_path / "x.factmark", source, "--annotator", "a\tb")
    assert refused.returncode == 2
    assert "--annotator:" in refused.stderr
    assert not (tmp_path / "x.factmark").exists()
