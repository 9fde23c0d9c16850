"""The jsonl export, split into train and dev, loads with Hugging Face ``datasets`` as the
dataset card says (``load_dataset("json", data_files=...)``), offline, texts and span
offsets intact."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from factmark.core.exporting import export, part_path
from factmark.core.exporting.base import Selection, Split
from factmark.core.importing import import_file
from factmark.core.project import Project

# With this seed the five corpus documents fall 2 in train, 3 in dev (checked below).
SEED = 2


def test_split_jsonl_export_loads_with_datasets(
    project: Project, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    datasets = pytest.importorskip("datasets")
    # datasets reads the variable when first imported; set it here too in case it already was
    monkeypatch.setattr(datasets.config, "HF_DATASETS_OFFLINE", True, raising=False)
    for name in ("annotated.jsonl", "doccano.jsonl"):
        assert not import_file(project, corpus / name).errors
    out = tmp_path / "corpus.jsonl"
    split = Split.parse("train=0.5,dev=0.5", seed=SEED)

    result = export(project, "jsonl", out, Selection(frozenset()), split)

    files = {part: part_path(out, "jsonl", part) for part in ("train", "dev")}
    assert files == {"train": tmp_path / "corpus.train.jsonl", "dev": tmp_path / "corpus.dev.jsonl"}
    assert (result.parts["train"].documents, result.parts["dev"].documents) == (2, 3)
    loaded = datasets.load_dataset(
        "json",
        data_files={part: str(path) for part, path in files.items()},
        cache_dir=str(tmp_path / "cache"),
    )

    assert set(loaded) == {"train", "dev"}
    for part, path in files.items():
        written = [orjson.loads(line) for line in path.read_bytes().splitlines()]
        rows = loaded[part].to_list()
        assert len(rows) == len(written) == result.parts[part].documents
        for row, record in zip(rows, written, strict=True):
            assert row["id"] == record["id"]
            assert row["text"] == record["text"]
            spans = [(s["start"], s["end"], s["label"], s["text"]) for s in row["spans"]]
            assert spans == [(s["start"], s["end"], s["label"], s["text"]) for s in record["spans"]]
            for start, end, _label, text in spans:
                assert row["text"][start:end] == text
            assert [(r["head"], r["child"], r["label"]) for r in row["relations"]] == [
                (r["head"], r["child"], r["label"]) for r in record["relations"]
            ]
    every = [s for part in loaded.values() for row in part for s in row["spans"]]
    assert len(every) == result.spans == 20
    lagos = next(row for part in loaded.values() for row in part if "Lagos" in row["title"])
    assert [s["text"] for s in lagos["spans"] if s["label"] == "location"] == ["Lagos", "Abuja"]
