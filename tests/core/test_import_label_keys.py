"""The key and colour a label added by an import gets: the next key no label, action or
attribute takes, the first colour no label has; the file's report lists the labels added."""

from __future__ import annotations

import itertools
import sqlite3
from pathlib import Path

import orjson

from factmark.core.importing import import_file
from factmark.core.project import Project

MIXED = Path(__file__).parent / "fixtures" / "brat" / "mixed"
TEXT = "Anna met Boris in Kyiv on Monday."


def jsonl(path: Path, labels: list[str]) -> Path:
    """One document with a span of each label (all on "Anna": spans may share text)."""
    spans = [{"start": 0, "end": 4, "label": label} for label in labels]
    path.write_bytes(orjson.dumps({"text": TEXT, "spans": spans}) + b"\n")
    return path


def stored_labels(path: Path) -> list[tuple[str, str, str]]:
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT name, key, colour FROM labels ORDER BY position").fetchall()
    db.close()
    return rows


def test_keys_run_through_the_digits_then_the_letters_the_window_leaves_free(
    tmp_path: Path,
) -> None:
    path = tmp_path / "p.factmark"
    names = [f"kind {n}" for n in range(13)]
    with Project.open(path) as project:
        report = import_file(project, jsonl(tmp_path / "in.jsonl", names), create_labels=True)
    rows = stored_labels(path)
    # Read off the action table by hand: G accepts a span into the gold layer.
    assert [key for _name, key, _colour in rows[4:]] == list("56789abcdefhi")
    assert [(label.name, label.key) for label in report.added_labels] == [
        (name, key) for name, key, _colour in rows[4:]
    ]
    colours = [colour.upper() for _name, _key, colour in rows]
    # As many different colours as the palette holds, then grey (no colour of its own).
    distinct = [c for c in colours if c != "#999999"]
    assert len(set(distinct)) == len(distinct) == 13
    assert colours[13:] == ["#999999"] * 4
    assert "#000000" not in colours  # black: its tint does not show on a dark page
    # None of the new ones is near-white or near-black (a tint of it would not show).
    for colour in distinct:
        red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
        assert 60 < (red * 299 + green * 587 + blue * 114) // 1000 < 235, colour
    assert all(a != b for a, b in itertools.combinations(distinct, 2))


def test_a_key_an_attribute_sets_is_not_given(tmp_path: Path) -> None:
    path = tmp_path / "p.factmark"
    with Project.open(path) as project:
        project.set_setting(
            "attributes", {"claim": [{"name": "hedged", "values": ["yes"], "keys": ["5"]}]}
        )
        project.set_setting(
            "link_attributes",
            {"attributed_to": [{"name": "tone", "values": ["flat"], "keys": ["6"]}]},
        )
        import_file(project, jsonl(tmp_path / "in.jsonl", ["person"]), create_labels=True)
    assert stored_labels(path)[-1][:2] == ("person", "7")


def test_labels_declared_by_annotation_conf_get_a_key_and_colour(tmp_path: Path) -> None:
    path = tmp_path / "p.factmark"
    with Project.open(path) as project:
        report = import_file(project, MIXED / "mosul.ann", create_labels=True)
    # annotation.conf declares "person" (besides the four default labels).
    assert stored_labels(path)[-1] == ("person", "5", "#F0E442")
    assert [(label.name, label.key) for label in report.added_labels] == [("person", "5")]


def test_a_file_refused_whole_reports_no_label_added(tmp_path: Path) -> None:
    folder = tmp_path / "brat"
    folder.mkdir()
    (folder / "annotation.conf").write_text("[entities]\nperson\n[relations]\n")
    (folder / "doc.ann").write_text("T1\tperson 0 4\tAnna\n")  # no doc.txt beside it
    path = tmp_path / "p.factmark"
    with Project.open(path) as project:
        report = import_file(project, folder / "doc.ann", create_labels=True)
    assert report.failed
    assert report.added_labels == []
    assert [name for name, _key, _colour in stored_labels(path)] == [
        "claim",
        "source",
        "location",
        "number",
    ]
