"""A split never writes an empty part in silence: the part is named in a warning (the
command's stderr, the dataset card), the card's ``load_dataset`` line leaves it out and
runs, and ``--min-per-part N`` refuses an export (nothing written) whose parts fall short.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.cli.test_cli import factmark

from factmark.core.exporting import SplitTooSmall, export
from factmark.core.exporting.base import Selection, Split
from factmark.core.incoming import IncomingDocument
from factmark.core.project import Project

TEXTS = [
    f"Report {n}: the council said {n * 7} homes were flooded in Leeds.\n" for n in range(1, 15)
]
PARTS = "train=0.8,dev=0.1,test=0.1"
# With these 14 texts, seed 4 puts no document in dev (its file is 0 bytes, checked in
# each test); seed 0 puts at least one in every part.
EMPTY_DEV_SEED = 4
FULL_SEED = 0
ALL = Selection(frozenset())


def fill(project: Project) -> None:
    for n, text in enumerate(TEXTS, start=1):
        added = project.add_document(IncomingDocument(text, title=f"Report {n}"))
        assert added is not None
        start = text.index("Leeds")
        project.add_span(added[0], start, start + len("Leeds"), "location")


@pytest.fixture
def fourteen(project: Project) -> Project:
    fill(project)
    return project


def files_in(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def test_an_empty_part_is_named_in_a_warning_and_in_the_card(
    fourteen: Project, tmp_path: Path
) -> None:
    out = tmp_path / "corpus.jsonl"
    result = export(fourteen, "jsonl", out, ALL, Split.parse(PARTS, EMPTY_DEV_SEED))

    dev = tmp_path / "corpus.dev.jsonl"
    assert dev.read_bytes() == b""
    assert (tmp_path / "corpus.train.jsonl").stat().st_size > 0
    (warning,) = result.warnings
    assert "'dev'" in warning and str(dev) in warning and "seed 4" in warning
    card = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert "- dev: `corpus.dev.jsonl` — **empty**" in card
    assert f"**{warning}**" in card


def test_no_warning_when_every_part_has_documents(fourteen: Project, tmp_path: Path) -> None:
    result = export(fourteen, "jsonl", tmp_path / "c.jsonl", ALL, Split.parse(PARTS, FULL_SEED))
    assert result.warnings == []
    for part in ("train", "dev", "test"):
        assert (tmp_path / f"c.{part}.jsonl").stat().st_size > 0
    assert "empty" not in (tmp_path / "README.md").read_text(encoding="utf-8")


def test_the_cards_load_dataset_line_runs_with_an_empty_part(
    fourteen: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    datasets = pytest.importorskip("datasets")
    monkeypatch.setattr(datasets.config, "HF_DATASETS_OFFLINE", True, raising=False)
    monkeypatch.setattr(datasets.config, "HF_DATASETS_CACHE", tmp_path / "hf-cache")
    folder = tmp_path / "out"
    export(fourteen, "jsonl", folder / "corpus.jsonl", ALL, Split.parse(PARTS, EMPTY_DEV_SEED))
    assert (folder / "corpus.dev.jsonl").read_bytes() == b""
    card = (folder / "README.md").read_text(encoding="utf-8")
    (code,) = re.findall(r"```python\n(.*?)```", card, re.S)

    # Run the card's own lines where the card is, as a user would paste them.
    monkeypatch.chdir(folder)
    scope: dict[str, object] = {}
    exec(code, scope)

    corpus = scope["corpus"]
    assert isinstance(corpus, datasets.DatasetDict)
    assert set(corpus) == {"train", "test"}
    assert len(corpus["train"]) + len(corpus["test"]) == 14
    # The line the card used to print, with the empty dev file, is what datasets refuses:
    with pytest.raises(ValueError, match="dev"):
        datasets.load_dataset(
            "json",
            data_files={p: f"corpus.{p}.jsonl" for p in ("train", "dev", "test")},
        )


def test_min_per_part_refuses_and_leaves_an_earlier_export_as_it_was(
    fourteen: Project, tmp_path: Path
) -> None:
    out = tmp_path / "corpus.jsonl"
    export(fourteen, "jsonl", out, ALL, Split.parse(PARTS, FULL_SEED))
    before = files_in(tmp_path)

    with pytest.raises(SplitTooSmall) as refused:
        export(fourteen, "jsonl", out, ALL, Split.parse(PARTS, EMPTY_DEV_SEED, min_per_part=1))

    message = str(refused.value)
    assert "\n" not in message
    assert "dev 0" in message and "nothing was written" in message
    assert files_in(tmp_path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(before)  # no temporary files


def test_min_per_part_met_exports_as_usual(fourteen: Project, tmp_path: Path) -> None:
    result = export(
        fourteen, "jsonl", tmp_path / "c.jsonl", ALL, Split.parse(PARTS, FULL_SEED, min_per_part=1)
    )
    assert result.documents == 14 and result.warnings == []


def test_folder_format_empty_part_is_warned(fourteen: Project, tmp_path: Path) -> None:
    result = export(fourteen, "brat", tmp_path / "brat", ALL, Split.parse(PARTS, EMPTY_DEV_SEED))
    assert [w for w in result.warnings if "'dev'" in w]
    assert not list((tmp_path / "brat" / "dev").glob("*.txt"))


# -- the command line ------------------------------------------------------------------


@pytest.fixture
def project_file(tmp_path: Path) -> Path:
    path = tmp_path / "p.factmark"
    with Project.open(path) as project:
        fill(project)
    return path


def test_cli_warns_on_stderr_naming_the_empty_part(project_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "corpus.jsonl"
    done = factmark(
        "export", project_file, "-o", out, "--all", "--split", PARTS, "--seed", EMPTY_DEV_SEED
    )

    assert done.returncode == 0, done.stderr
    warnings = [line for line in done.stderr.splitlines() if "warning" in line]
    assert len(warnings) == 1
    assert warnings[0].startswith("factmark: warning: split part 'dev' got no documents")
    assert str(out.with_name("corpus.dev.jsonl")) in warnings[0]
    assert "warning" not in done.stdout
    assert "Traceback" not in done.stderr


def test_cli_min_per_part_refuses_writing_nothing(project_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "corpus.jsonl"
    refused = factmark(
        "export",
        project_file,
        "-o",
        out,
        "--all",
        "--split",
        PARTS,
        "--seed",
        EMPTY_DEV_SEED,
        "--min-per-part",
        "2",
    )

    assert refused.returncode == 2
    (line,) = refused.stderr.splitlines()
    assert line.startswith("factmark: error: --min-per-part 2: ")
    assert "dev 0" in line and "test 4" not in line  # test gets enough
    assert not out.parent.exists() or not any(out.parent.iterdir())


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        (["--min-per-part", "2"], "--min-per-part applies to --split only"),
        (["--split", PARTS, "--min-per-part", "-1"], "--min-per-part must be 0 or more, not -1"),
    ],
)
def test_cli_min_per_part_usage(
    project_file: Path, tmp_path: Path, extra: list[str], says: str
) -> None:
    done = factmark("export", project_file, "-o", tmp_path / "c.jsonl", "--all", *extra)
    assert done.returncode == 2
    assert done.stderr.strip() == f"factmark: error: {says}"
    assert not (tmp_path / "c.jsonl").exists()
