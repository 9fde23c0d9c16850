"""``factmark labels``: listing and editing span labels through the real entry point."""

from __future__ import annotations

import hashlib
from pathlib import Path

import orjson
import pytest
from tests.cli.test_cli import factmark

from factmark.core.incoming import IncomingDocument
from factmark.core.project import Project

TEXT = "The governor said 3 bridges near Kherson were repaired by the army."
DEFAULT_NAMES = ["claim", "source", "location", "number"]


@pytest.fixture
def project_file(tmp_path: Path) -> Path:
    """A project with one document: two number spans and one location span."""
    path = tmp_path / "labels.factmark"
    with Project.open(path) as project:
        added = project.add_document(IncomingDocument(TEXT, title="Bridges"))
        assert added is not None
        for substring, label in (("3", "number"), ("3 bridges", "number"), ("Kherson", "location")):
            start = TEXT.index(substring)
            project.add_span(added[0], start, start + len(substring), label, "olena")
    return path


def listed(path: Path) -> list[dict[str, object]]:
    result = factmark("labels", path, "--json")
    assert result.returncode == 0, result.stderr
    rows: list[dict[str, object]] = orjson.loads(result.stdout)
    return rows


def names(path: Path) -> list[object]:
    return [row["name"] for row in listed(path)]


def span_labels(path: Path) -> list[str]:
    with Project.open(path, create=False, readonly=True) as project:
        return sorted(span.label for span in project.spans(1))


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_table_lists_labels_in_order_with_keys_colours_and_span_counts(
    project_file: Path,
) -> None:
    before = digest(project_file)
    result = factmark("labels", project_file)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["#", "key", "name", "colour", "spans", "description"]
    assert [line.split()[:5] for line in lines[1:]] == [
        ["1", "1", "claim", "#E69F00", "0"],
        ["2", "2", "source", "#56B4E9", "0"],
        ["3", "3", "location", "#009E73", "1"],
        ["4", "4", "number", "#CC79A7", "2"],
    ]
    assert lines[1].endswith(
        "A checkable statement of fact presented as true: what could be verified or refuted."
    )
    # Columns line up: every name starts where the header's "name" does.
    column = lines[0].index("name")
    assert [line[column:].split()[0] for line in lines[1:]] == DEFAULT_NAMES
    assert result.stderr == ""
    assert digest(project_file) == before  # listing never writes


def test_json_lists_every_field(project_file: Path) -> None:
    rows = listed(project_file)
    assert [(r["name"], r["key"], r["colour"], r["spans"]) for r in rows] == [
        ("claim", "1", "#E69F00", 0),
        ("source", "2", "#56B4E9", 0),
        ("location", "3", "#009E73", 1),
        ("number", "4", "#CC79A7", 2),
    ]
    assert all(set(row) == {"name", "key", "colour", "description", "spans"} for row in rows)
    assert str(rows[2]["description"]).startswith("A named place")


def test_a_missing_project_is_a_project_error_and_is_not_created(tmp_path: Path) -> None:
    path = tmp_path / "missing.factmark"
    result = factmark("labels", path)
    assert result.returncode == 1
    assert result.stderr == f"factmark: error: {path}: no such project file\n"
    assert not path.exists()


def test_add_with_key_colour_and_description(project_file: Path) -> None:
    result = factmark(
        "labels",
        project_file,
        "--add",
        "weapon",
        "--key",
        "w",
        "--colour",
        "#d55e00",
        "--description",
        "Arms and munitions",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "added label 'weapon' at position 5\n"
    assert listed(project_file)[-1] == {
        "name": "weapon",
        "key": "w",
        "colour": "#D55E00",
        "description": "Arms and munitions",
        "spans": 0,
    }


def test_add_with_json_prints_the_new_list(project_file: Path) -> None:
    result = factmark("labels", project_file, "--add", "date", "--color", "#F0E442", "--json")
    assert result.returncode == 0, result.stderr
    rows = orjson.loads(result.stdout)
    assert [row["name"] for row in rows] == [*DEFAULT_NAMES, "date"]
    assert rows[-1]["key"] == ""


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--add", "claim"], "label 'claim' exists already"),
        (["--add", "Number"], "label 'Number' exists already (as 'number')"),
        (["--add", " "], "a label needs a name"),
        (["--add", "weapon", "--key", "2"], "key '2' is taken by label 'source'"),
        (["--add", "weapon", "--key", "wx"], "a label key is one character"),
        (["--add", "weapon", "--colour", "orange"], "a label colour is written #RRGGBB"),
        (["--rename", "claim", "source"], "label 'source' exists already"),
        (["--rename", "opinion", "view"], "unknown label 'opinion'"),
        (["--set", "claim", "--key", "4"], "key '4' is taken by label 'number'"),
        (["--set", "claim"], "--set NAME needs --key, --colour or --description"),
        (["--key", "k"], "--key goes with --add NAME or --set NAME"),
        (["--rename", "a", "b", "--colour", "#000000"], "--colour goes with --add NAME"),
        (["--move", "claim", "0"], "POSITION must be a number from 1 to 4, got '0'"),
        (["--move", "claim", "5"], "POSITION must be a number from 1 to 4, got '5'"),
        (["--move", "claim", "first"], "POSITION must be a number from 1 to 4, got 'first'"),
        (["--move", "opinion", "1"], "unknown label 'opinion'"),
        (["--delete", "number"], "label 'number' cannot be deleted: 2 spans use it"),
        (["--delete", "location"], "label 'location' cannot be deleted: 1 span uses it"),
    ],
)
def test_refused_changes_exit_2_with_one_line_and_change_nothing(
    project_file: Path, arguments: list[str], message: str
) -> None:
    before = digest(project_file)
    result = factmark("labels", project_file, *arguments)
    assert result.returncode == 2
    assert result.stderr.startswith(f"factmark: error: {message}")
    assert len(result.stderr.splitlines()) == 1
    assert result.stdout == ""
    assert digest(project_file) == before


def test_two_actions_at_once_are_a_usage_error(project_file: Path) -> None:
    result = factmark("labels", project_file, "--add", "a", "--delete", "source")
    assert result.returncode == 2
    assert "not allowed with argument" in result.stderr
    assert names(project_file) == DEFAULT_NAMES


def test_rename_carries_the_spans_along(project_file: Path) -> None:
    result = factmark("labels", project_file, "--rename", "number", "quantity")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "renamed label 'number' to 'quantity'; 2 spans follow it\n"
    assert names(project_file) == ["claim", "source", "location", "quantity"]
    assert span_labels(project_file) == ["location", "quantity", "quantity"]
    assert listed(project_file)[3]["spans"] == 2


def test_set_changes_only_the_fields_given(project_file: Path) -> None:
    before = listed(project_file)[1]
    result = factmark(
        "labels", project_file, "--set", "source", "--key", "s", "--colour", "#0072b2"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "changed label 'source': key 's', colour '#0072B2'\n"
    assert listed(project_file)[1] == {**before, "key": "s", "colour": "#0072B2"}


def test_set_with_an_empty_key_removes_the_key(project_file: Path) -> None:
    assert factmark("labels", project_file, "--set", "claim", "--key", "").returncode == 0
    assert listed(project_file)[0]["key"] == ""
    table = factmark("labels", project_file).stdout.splitlines()
    assert table[1].split()[:3] == ["1", "-", "claim"]


def test_move_counts_positions_from_one(project_file: Path) -> None:
    result = factmark("labels", project_file, "--move", "number", "1")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "moved label 'number' to position 1\n"
    assert names(project_file) == ["number", "claim", "source", "location"]
    assert factmark("labels", project_file, "--move", "claim", "4").returncode == 0
    assert names(project_file) == ["number", "source", "location", "claim"]


def test_delete_an_unused_label(project_file: Path) -> None:
    result = factmark("labels", project_file, "--delete", "source")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "deleted label 'source'\n"
    assert names(project_file) == ["claim", "location", "number"]
    assert span_labels(project_file) == ["location", "number", "number"]


def test_help_names_every_action() -> None:
    result = factmark("labels", "--help")
    assert result.returncode == 0
    for option in ("--add", "--rename", "--set", "--move", "--delete", "--key", "--colour"):
        assert option in result.stdout


def test_relation_types_are_listed_added_and_deleted(tmp_path) -> None:
    from tests.cli.test_cli import factmark

    project = tmp_path / "p.factmark"
    (tmp_path / "a.jsonl").write_text(
        '{"text": "Kyiv said 5.", "spans": [{"id": 1, "start": 0, "end": 4, "label": "source"},'
        ' {"id": 2, "start": 10, "end": 11, "label": "number"}],'
        ' "relations": [{"head": 2, "child": 1, "label": "part_of"}]}\n'
    )
    factmark("import", project, tmp_path / "a.jsonl")
    listed = factmark("relations", project)
    assert listed.returncode == 0
    assert [line.split()[:2] for line in listed.stdout.splitlines()] == [
        ["attributed_to", "0"],
        ["part_of", "1"],
    ]
    added = factmark("relations", project, "--add", "contradicts", "--description", "X refutes Y")
    assert added.returncode == 0 and "contradicts" in added.stdout
    refused = factmark("relations", project, "--delete", "part_of")
    assert refused.returncode == 2 and "1 link uses it" in refused.stderr
    assert factmark("relations", project, "--add", "two words").returncode == 2
    assert factmark("relations", project, "--delete", "contradicts").returncode == 0
    assert "contradicts" not in factmark("relations", project).stdout


def test_relation_types_are_renamed_described_and_moved(tmp_path) -> None:
    from tests.cli.test_cli import factmark, read_jsonl

    project = tmp_path / "p.factmark"
    (tmp_path / "a.jsonl").write_text(
        '{"text": "Kyiv said 5.", "status": "done", "spans": ['
        '{"id": 1, "start": 0, "end": 4, "label": "source"},'
        ' {"id": 2, "start": 10, "end": 11, "label": "number"}],'
        ' "relations": [{"head": 2, "child": 1, "label": "part_of"}]}\n'
    )
    factmark("import", project, tmp_path / "a.jsonl")
    renamed = factmark("relations", project, "--rename", "part_of", "counted_by")
    assert renamed.returncode == 0, renamed.stderr
    assert renamed.stdout.strip() == "renamed link type 'part_of' to 'counted_by' (1 link renamed)"
    described = factmark("relations", project, "--set", "counted_by", "--description", "N of X")
    assert described.returncode == 0
    moved = factmark("relations", project, "--move", "counted_by", "1")
    assert moved.returncode == 0
    listed = factmark("relations", project).stdout.splitlines()
    assert [line.split()[0] for line in listed] == ["counted_by", "attributed_to"]
    assert listed[0].split()[1:] == ["1", "link", "N", "of", "X"]
    factmark("export", project, "-o", tmp_path / "out.jsonl")
    (record,) = read_jsonl(tmp_path / "out.jsonl")
    assert record["relations"] == [
        {"head": 2, "child": 1, "label": "counted_by", "note": None, "attrs": {}}
    ]

    taken = factmark("relations", project, "--rename", "counted_by", "attributed_to")
    assert taken.returncode == 2 and "attributed_to" in taken.stderr
    assert factmark("relations", project, "--set", "counted_by").returncode == 2  # no text
    assert factmark("relations", project, "--move", "counted_by", "first").returncode == 2
    both = factmark("relations", project, "--add", "x", "--delete", "counted_by")
    assert both.returncode == 2


def test_cues_on_adds_the_cue_label_and_link_type_and_off_removes_them(
    project_file: Path,
) -> None:
    result = factmark("labels", project_file, "--cues", "on")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "cues on: label 'cue' (key 5, #F0E442) and link type 'cue_of' (cue -> claim)"
    )
    assert listed(project_file)[-1] == {
        "name": "cue",
        "key": "5",
        "colour": "#F0E442",
        "description": "The reporting verb or phrase that ties a source to what it says: "
        "said, according to, wrote on Telegram.",
        "spans": 0,
    }
    kinds = factmark("relations", project_file, "--json")
    assert [row["name"] for row in orjson.loads(kinds.stdout)][-1] == "cue_of"
    again = factmark("labels", project_file, "--cues", "on")
    assert (again.returncode, again.stdout.strip()) == (0, "cues are on already")
    # In use, they stay: the project is left as it was.
    with Project.open(project_file, create=False) as project:
        start = TEXT.index("said")
        project.add_span(1, start, start + 4, "cue")
    before = digest(project_file)
    refused = factmark("labels", project_file, "--cues", "off")
    assert refused.returncode == 2
    assert "label 'cue' cannot be deleted: 1 span uses it" in refused.stderr
    assert digest(project_file) == before
    with Project.open(project_file, create=False) as project:
        project.delete_span(next(s.id for s in project.spans(1) if s.label == "cue") or 0)
    off = factmark("labels", project_file, "--cues", "off")
    assert off.returncode == 0, off.stderr
    assert names(project_file) == DEFAULT_NAMES
