"""The command line knows the default project: the help says where it lives, the name
``default`` addresses it, every PROJECT argument has help, and counts read as English."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from tests.cli.test_cli import factmark, read_jsonl

from factmark.cli import build_parser
from factmark.cli.parser import project_argument
from factmark.core.workspace import default_project_path, open_project

COMMANDS = ("import", "export", "stats", "labels", "relations", "guidelines", "suggest", "agree")


def subparsers() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_the_main_help_names_where_the_default_project_lives() -> None:
    result = factmark("--help")
    assert result.returncode == 0
    flat = " ".join(result.stdout.split())
    assert str(default_project_path()) in "".join(result.stdout.split())  # long ones wrap
    assert "factmark export default -o" in flat


@pytest.mark.parametrize("command", [*COMMANDS, "gui", "merge"])
def test_each_commands_help_names_the_default_project(command: str) -> None:
    result = factmark(command, "--help")
    assert result.returncode == 0
    flat = " ".join(result.stdout.split())
    assert str(default_project_path()) in "".join(result.stdout.split())  # long ones wrap
    assert "'default' for the default project" in flat


def test_every_project_argument_has_help_text() -> None:
    for name, sub in subparsers().items():
        for action in sub._actions:
            if action.dest in ("project", "target", "sources"):
                assert action.help, f"{name} {action.dest} has no help"
                assert "default" in action.help


def test_default_names_the_default_project_and_a_path_stays_a_path(tmp_path: Path) -> None:
    assert project_argument("default") == default_project_path()
    assert project_argument("./default") == Path("default")
    assert project_argument(str(tmp_path / "p.factmark")) == tmp_path / "p.factmark"


def test_export_default_exports_the_default_project(tmp_path: Path) -> None:
    open_project().close()  # the first start seeds it
    out = tmp_path / "out.jsonl"
    result = factmark("export", "default", "-o", out, "--all", "--no-card")
    assert result.returncode == 0, result.stderr
    records = read_jsonl(out)
    assert any(record["title"] == "Bakhmut counterattack" for record in records)
    count = len(records)
    assert f"{out}: exported {count} documents, 0 spans and 0 links" in result.stdout
    stats = factmark("stats", "default")
    assert stats.returncode == 0 and f"(total {count})" in stats.stdout


def test_counts_read_as_english(tmp_path: Path) -> None:
    project = tmp_path / "one.factmark"
    article = tmp_path / "a.txt"
    article.write_text("The army said it lost 500 men near Bakhmut.\n", encoding="utf-8")
    assert factmark("import", project, article).returncode == 0
    out = tmp_path / "out.jsonl"
    result = factmark("export", project, "-o", out, "--all", "--no-card")
    assert f"{out}: exported 1 document, 0 spans and 0 links" in result.stdout
    none = factmark("export", project, "-o", out, "--no-card")
    assert "none of the 1 document matched" in " ".join(none.stderr.split())
    suggested = factmark("suggest", project)
    assert suggested.returncode == 0, suggested.stderr
    assert "new suggestions stored for review" in suggested.stdout
