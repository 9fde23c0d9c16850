"""Label and link type names are at most 100 characters at every edge: `labels --add` and
`--rename`, `relations --add`, an import bringing labels. A label stored before the limit
(a 100,000-character name) keeps working: recoloured, deleted and brought back."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import orjson
import pytest

from factmark.core.model import ValidationError
from factmark.core.project import Project
from tests.cli.test_cli import factmark
from tests.faults.helpers import own_project  # noqa: F401  (the fixture `project`)

OVER = "x" * 101
MESSAGE = (
    "is at most 100 characters, not {n} ('" + "x" * 30 + "'…); put the rest in its description"
)


def labels(project: Path) -> list[str]:
    with Project.open_to_read(project) as opened:
        return [label.name for label in opened.labels()]


def link_types(project: Path) -> list[str]:
    with Project.open_to_read(project) as opened:
        return opened.relation_types()


@pytest.mark.parametrize(
    ("command", "what"),
    [
        (["labels", "{p}", "--add", OVER], "a label name"),
        (["labels", "{p}", "--rename", "claim", OVER], "a label name"),
        (["relations", "{p}", "--add", OVER], "a link type"),
    ],
)
def test_commands_refuse_a_name_over_100_characters(
    project: Path, command: list[str], what: str
) -> None:
    before = labels(project), link_types(project)

    result = factmark(*(part.format(p=project) for part in command))

    assert result.returncode == 2
    assert result.stderr == f"factmark: error: {what} {MESSAGE.format(n=101)}\n"
    assert (labels(project), link_types(project)) == before


def test_a_name_of_100_characters_is_taken(project: Path) -> None:
    result = factmark("labels", project, "--add", "y" * 100)
    assert result.returncode == 0, result.stderr
    assert labels(project)[-1] == "y" * 100


@pytest.mark.parametrize("create", [True, False])
def test_an_import_refuses_a_label_of_100000_characters_in_one_line(
    tmp_path: Path, project: Path, create: bool
) -> None:
    corpus = tmp_path / "corpus.jsonl"
    long_label = {"text": "Some words.", "spans": [{"start": 0, "end": 4, "label": "x" * 100_000}]}
    corpus.write_bytes(
        orjson.dumps(long_label) + b"\n" + orjson.dumps({"text": "Other words."}) + b"\n"
    )
    before = labels(project)

    result = factmark("import", *(["--create-labels"] if create else []), project, corpus)

    assert result.returncode == 1
    assert result.stderr == f"{corpus}:1: error: a label name {MESSAGE.format(n='100,000')}\n"
    assert result.stdout == f"{corpus}: imported 1 document, 0 spans; 1 line failed\n"
    assert labels(project) == before


def test_a_label_stored_before_the_limit_keeps_working(project: Path) -> None:
    name = "z" * 100_000
    conn = sqlite3.connect(project)
    with conn:
        conn.execute(
            "INSERT INTO labels (id, name, key, colour, description, position) "
            "VALUES ((SELECT max(id) + 1 FROM labels), ?, '', '#999999', '', 4)",
            [name],
        )
    conn.close()
    with Project.open(project) as opened:
        opened.update_label(name, colour="#E69F00")  # a recolouring keeps the name
        assert opened.labels()[-1].colour == "#E69F00"
        removed = opened.delete_label(name)
        opened.restore_label(removed)  # an undo brings it back whole
        assert opened.labels()[-1].name == name
        with pytest.raises(ValidationError):
            opened.update_label(name, name=name + "z")  # a new name meets the limit
