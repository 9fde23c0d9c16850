"""``factmark export --format spacy`` through the real entry point, with and without spaCy."""

from __future__ import annotations

import os
from pathlib import Path

import spacy  # a test dependency (the `test` extra): never skipped
from spacy.training import Corpus
from tests.cli.test_cli import factmark


def test_spacy_export_with_a_split_end_to_end(tmp_path: Path, corpus: Path) -> None:
    project = tmp_path / "p.factmark"
    factmark("import", project, corpus / "annotated.jsonl", corpus / "doccano.jsonl")
    out = tmp_path / "out" / "corpus.spacy"

    result = factmark(
        "export", project, "--format", "spacy", "-o", out, "--all", "--split", "train=0.5,dev=0.5"
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"{out}: exported 5 documents and 20 spans")
    parts = [tmp_path / "out" / f"corpus.{part}.spacy" for part in ("train", "dev")]
    nlp = spacy.blank("xx")  # spaCy's own reader, given each part as `spacy train` is
    docs = [example.reference for part in parts for example in Corpus(part)(nlp)]
    assert len(docs) == 5
    assert sum(len(doc.spans["sc"]) for doc in docs) == 20
    assert all(len(doc.user_data["factmark_id"]) == 64 for doc in docs)
    card = (tmp_path / "out" / "README.md").read_text(encoding="utf-8")
    assert "python -m spacy train" in card and "corpus.train.spacy" in card
    assert "Traceback" not in result.stderr


def test_without_spacy_the_command_says_what_to_install(tmp_path: Path, corpus: Path) -> None:
    project = tmp_path / "p.factmark"
    factmark("import", project, corpus / "annotated.jsonl")
    # A `spacy` package that cannot be imported, found before the installed one.
    broken = tmp_path / "nospacy" / "spacy"
    broken.mkdir(parents=True)
    (broken / "__init__.py").write_text("raise ImportError('No module named spacy')\n")
    path = os.pathsep.join(filter(None, [str(broken.parent), os.environ.get("PYTHONPATH")]))
    out = tmp_path / "out" / "corpus.spacy"

    result = factmark("export", project, "--format", "spacy", "-o", out, env={"PYTHONPATH": path})

    assert result.returncode == 2
    assert result.stderr.strip() == (
        "factmark: error: the spacy format needs spaCy: pip install 'factmark[spacy]'"
    )
    assert not out.parent.exists()
