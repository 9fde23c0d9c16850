"""`factmark import --create-labels`: the labels it adds get a key and a colour of their own,
and the command names them with their keys, or says where to give a key when none was free."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.cli.test_cli import factmark

from factmark.core.project import Project

TSV = Path(__file__).parents[1] / "core" / "fixtures" / "inception" / "claims.tsv"
# What claims.tsv names that a new project lacks, in its order (read off the file).
ADDED = ["[wave]", "PER", "quote"]


def label_rows(path: Path) -> list[tuple[str, str, str]]:
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT name, key, colour FROM labels ORDER BY position").fetchall()
    db.close()
    return rows


def test_the_labels_added_are_named_with_their_keys(tmp_path: Path) -> None:
    project = tmp_path / "news.factmark"
    result = factmark("import", project, TSV, "--create-labels")
    assert result.returncode == 0, result.stderr

    rows = label_rows(project)
    assert [name for name, _key, _colour in rows[4:]] == ["LOC", *ADDED]
    keys = [key for _name, key, _colour in rows]
    assert all(keys) and len({key.casefold() for key in keys}) == len(keys), rows
    colours = [colour.upper() for _name, _key, colour in rows]
    assert len(set(colours)) == len(colours) and "#999999" not in colours, rows
    named = ", ".join(f"{name} (key {key})" for name, key, _colour in rows[4:])
    assert result.stdout.splitlines()[-1] == f"added labels: {named}"
    assert "no key was free" not in result.stdout


def test_labels_added_when_no_key_is_free_are_named_with_where_to_give_one(
    tmp_path: Path,
) -> None:
    project = tmp_path / "full.factmark"
    # Every digit and letter a label may take (G, R and X are the window's).
    with Project.open(project) as full:
        for key in "56789abcdefhijklmnopqstuvwyz":
            full.add_label(f"label {key}", key)
    result = factmark("import", project, TSV, "--create-labels")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-2:] == [
        "added labels: LOC (no key), [wave] (no key), PER (no key), quote (no key)",
        "no key was free for LOC, [wave], PER, quote; give them one with: factmark labels "
        f"{project} --set NAME --key KEY (or in the window's Edit > Labels)",
    ]
    assert [key for _name, key, _colour in label_rows(project)[-4:]] == ["", "", "", ""]

    # The way given works.
    given = factmark("labels", project, "--set", "quote", "--key", "0")
    assert given.returncode == 0, given.stderr
    assert label_rows(project)[-1][:2] == ("quote", "0")
