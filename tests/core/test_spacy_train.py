"""The spaCy export trains as it is: ``spacy init config`` + ``spacy train`` on a split
export start, finish and save a pipeline that loads (spancat on doc.spans["sc"], ner on
doc.ents). A few steps on a tiny corpus: this proves the files work, not that the model
is any good."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import spacy  # a test dependency (the `test` extra): never skipped

from factmark.core.exporting import export
from factmark.core.exporting.base import Selection, Split
from factmark.core.importing import import_file
from factmark.core.project import Project

SEED_ARTICLE = Path(__file__).resolve().parents[2] / "seeds" / "bakhmut-counterattack.txt"
SPLIT_SEED = 8  # the seed article goes to train and both parts hold spans (checked below)
SEED_SPANS = [  # (text, label, how many of its occurrences)
    ("Ukraine has pushed back the Russian army from some positions around Bakhmut", "claim", 1),
    ("Bakhmut", "location", 4),
    ("Yevgeny Prigozhin", "source", 1),
    ("Prigozhin", "source", 3),
    ("500", "number", 2),
    ("2 kilometers", "number", 1),
    ("Kremlin", "source", 2),
]


def build_corpus(project: Project, corpus: Path) -> None:
    """The shared corpus plus the seed article with spans, nested ones included."""
    for path in [corpus / "annotated.jsonl", corpus / "doccano.jsonl", *corpus.glob("*.txt")]:
        assert not import_file(project, path).errors
    assert not import_file(project, SEED_ARTICLE).errors
    (seed,) = [d for d in project.documents() if d.title == "Bakhmut counterattack"]
    document_id = seed.id or 0
    text = project.document(document_id).text
    for part, label, count in SEED_SPANS:
        start = -1
        for _ in range(count):
            start = text.index(part, start + 1)
            project.add_span(document_id, start, start + len(part), label)


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "spacy", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=180,
    )


@pytest.mark.slow
@pytest.mark.parametrize("component", ["spancat", "ner"])
def test_spacy_train_runs_on_the_export(
    component: str, project: Project, corpus: Path, tmp_path: Path
) -> None:
    build_corpus(project, corpus)
    split = Split.parse("train=0.5,dev=0.5", seed=SPLIT_SEED)
    result = export(project, "spacy", tmp_path / "corpus.spacy", Selection(frozenset()), split)
    train, dev = tmp_path / "corpus.train.spacy", tmp_path / "corpus.dev.spacy"
    assert result.outputs == {"train": train, "dev": dev}
    assert result.parts["train"].spans and result.parts["dev"].spans

    config = tmp_path / "config.cfg"
    made = run(
        "init", "config", config, "--lang", "en", "--pipeline", component,
        "--optimize", "efficiency", cwd=tmp_path,
    )  # fmt: skip
    assert made.returncode == 0, made.stdout + made.stderr
    model = tmp_path / "model"
    trained = run(
        "train", config, "--output", model,
        "--paths.train", train, "--paths.dev", dev,
        "--training.max_epochs", "1", "--training.max_steps", "20",
        "--training.eval_frequency", "10", "--gpu-id", "-1",
        cwd=tmp_path,
    )  # fmt: skip
    assert trained.returncode == 0, trained.stdout + trained.stderr
    assert (model / "model-last" / "config.cfg").is_file()

    nlp = spacy.load(model / "model-last")
    assert nlp.pipe_names == ["tok2vec", component]
    labels = set(nlp.get_pipe(component).labels)
    assert labels <= {"claim", "source", "location", "number"} and "location" in labels
    nlp("Officials in Kharkiv said 12 drones were shot down.")  # the pipeline runs
