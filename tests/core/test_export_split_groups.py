"""--split-by meta.FIELD: documents sharing a metadata value are never in two parts.

Twelve reports from four outlets (5, 3, 1 and 1 of them) and two without an outlet, split
train=0.6,dev=0.2,test=0.2 (7.2, 2.4 and 2.4 documents). By hand: the outlet of 5 goes to
train, the outlet of 3 to dev (train is then 2.2 short, dev and test 2.4: dev comes first),
and the four single documents fill test and train in turn: train 7, dev 3, test 2, the
closest whole groups allow (the 3 must go whole somewhere).
"""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from factmark.core.exporting import export
from factmark.core.exporting.base import Selection, Split
from factmark.core.incoming import IncomingDocument
from factmark.core.model import ValidationError
from factmark.core.project import Project

ALL = Selection(frozenset())
PARTS = "train=0.6,dev=0.2,test=0.2"
PART_NAMES = ("train", "dev", "test")
OUTLETS = ["Leeds Echo"] * 5 + ["Kyiv Post"] * 3 + ["Le Monde", "Al Jazeera", None, ""]


@pytest.fixture
def reports(project: Project) -> Project:
    for n, outlet in enumerate(OUTLETS, start=1):
        meta = {"outlet": outlet} if outlet is not None else {"topic": "floods"}
        text = f"Report {n}: the council said {n * 7} homes were flooded.\n"
        added = project.add_document(IncomingDocument(text, title=f"Report {n}", meta=meta))
        assert added is not None
        project.add_span(added[0], 0, len(f"Report {n}"), "claim")
    return project


def parts_of(tmp_path: Path, name: str = "c") -> dict[str, list[dict]]:
    lines = {part: (tmp_path / f"{name}.{part}.jsonl").read_bytes() for part in PART_NAMES}
    return {part: [orjson.loads(x) for x in data.splitlines()] for part, data in lines.items()}


def test_an_outlet_is_in_one_part_and_the_sizes_are_the_hand_worked_ones(
    reports: Project, tmp_path: Path
) -> None:
    split = Split.parse(PARTS, seed=5, by="meta.outlet")
    result = export(reports, "jsonl", tmp_path / "c.jsonl", ALL, split)
    parts = parts_of(tmp_path)
    assert {part: len(records) for part, records in parts.items()} == {
        "train": 7,
        "dev": 3,
        "test": 2,
    }
    where: dict[str, set[str]] = {}
    for part, records in parts.items():
        for record in records:
            outlet = record["meta"].get("outlet")
            if outlet:
                where.setdefault(outlet, set()).add(part)
    assert where["Leeds Echo"] == {"train"}
    assert where["Kyiv Post"] == {"dev"}
    assert all(len(found) == 1 for found in where.values())
    card = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert "- split by the metadata field `outlet`: train=0.6,dev=0.2,test=0.2 with seed 5" in card
    assert "## Split by `meta.outlet`" in card
    rows = {
        line.split(" | ")[0].strip("| "): line.split(" | ")
        for line in card.splitlines()
        if line.startswith(("| train |", "| dev |", "| test |"))
    }
    assert rows["dev"][1:4] == ["1", "3", "0"]
    assert "`Kyiv Post`" in rows["dev"][4]
    assert "`Leeds Echo`" in rows["train"][4]
    # 4 outlets and 2 documents without one: 6 groups, 2 of them alone.
    assert sum(int(row[1]) for row in rows.values()) == 6
    assert sum(int(row[3]) for row in rows.values()) == 2
    assert result.groups is not None


def test_the_same_seed_gives_the_same_split_and_seeds_differ(
    reports: Project, tmp_path: Path
) -> None:
    def placed(seed: int, folder: Path) -> dict[str, str]:
        export(
            reports, "jsonl", folder / "c.jsonl", ALL, Split.parse(PARTS, seed, by="meta.outlet")
        )
        return {
            record["title"]: part
            for part, records in parts_of(folder).items()
            for record in records
        }

    first = placed(5, tmp_path / "a")
    assert placed(5, tmp_path / "b") == first
    others = [placed(seed, tmp_path / f"s{seed}") for seed in range(6)]
    assert any(other != first for other in others)  # the single documents move with the seed


def test_a_number_and_its_text_are_two_groups(project: Project, tmp_path: Path) -> None:
    for n, year in enumerate([2023, "2023", 2023, "2023"]):
        text = f"Item {n}: the mayor spoke.\n"
        project.add_document(IncomingDocument(text, title=f"Item {n}", meta={"year": year}))
    split = Split.parse("train=0.5,dev=0.25,test=0.25", by="meta.year")
    export(project, "jsonl", tmp_path / "c.jsonl", ALL, split)
    parts = parts_of(tmp_path)
    years = {part: {repr(r["meta"]["year"]) for r in records} for part, records in parts.items()}
    assert sorted(map(len, parts.values())) == [0, 2, 2]
    assert sorted(map(sorted, years.values())) == [[], ["'2023'"], ["2023"]]


@pytest.mark.parametrize("field", ["outlet", "meta.", "meta", "spans.outlet", "meta.a\nb"])
def test_a_field_that_is_not_meta_name_is_refused(field: str) -> None:
    with pytest.raises(ValidationError, match=r"--split-by takes meta\.NAME"):
        Split.parse(PARTS, by=field)
