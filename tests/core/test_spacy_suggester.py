"""The spaCy card's training command makes spancat's suggester propose every exported span:
the config is the one ``spacy init config`` writes, the override is read by spaCy's own
command-line parser and the suggester built from spaCy's registry, then run over the
exported documents."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import spacy  # a test dependency (the `test` extra): never skipped
from spacy.cli._util import parse_config_overrides
from spacy.tokens import Doc
from spacy.training import Corpus
from spacy.util import load_config

from factmark.core.exporting import export
from factmark.core.exporting.base import Selection, Split
from factmark.core.incoming import IncomingDocument
from factmark.core.project import Project

TEXTS = [
    (
        "Officials in Leeds said the new bridge will cost the city 40 million pounds "
        "over the next ten years, far more than planned.",
        [
            ("the new bridge will cost the city 40 million pounds over the next ten", "claim"),
            ("Leeds", "location"),
            ("40 million pounds", "number"),
        ],
    ),
    (
        "The mayor said crime fell by a third last year in every district of York.",
        [("crime fell by a third last year in every district of York", "claim")],
    ),
    ("Police in Hull said so.", [("Hull", "location")]),
]


def card_commands(card: str) -> list[list[str]]:
    """The ``python -m spacy ...`` lines of the card's bash block, as argument lists."""
    (block,) = re.findall(r"```bash\n(.*?)```", card, re.S)
    return [
        shlex.split(line)[3:] for line in block.splitlines() if line.startswith("python -m spacy")
    ]


def suggested(config: Path, overrides: list[str], docs: list[Doc]) -> list[set[tuple[int, int]]]:
    """The (start, end) token spans the config's spancat suggester proposes in each doc,
    the config read as ``spacy train`` reads it with these command-line overrides."""
    loaded = load_config(config, overrides=parse_config_overrides(overrides), interpolate=False)
    suggester = spacy.registry.resolve({"s": loaded["components"]["spancat"]["suggester"]})["s"]
    found = suggester(docs)
    proposed, row = [], 0
    for length in found.lengths.tolist():
        proposed.append({(int(s), int(e)) for s, e in found.data[row : row + length].tolist()})
        row += length
    return proposed


def test_the_cards_training_command_proposes_every_span(project: Project, tmp_path: Path) -> None:
    for text, spans in TEXTS:
        added = project.add_document(IncomingDocument(text, meta={"lang": "en"}))
        assert added is not None
        for part, label in spans:
            start = text.index(part)
            project.add_span(added[0], start, start + len(part), label)
    split = Split.parse("train=0.5,dev=0.5", seed=1)
    export(project, "spacy", tmp_path / "corpus.spacy", Selection(frozenset()), split)
    card = (tmp_path / "README.md").read_text(encoding="utf-8")
    init, train = card_commands(card)

    made = subprocess.run(
        [sys.executable, "-m", "spacy", *init], cwd=tmp_path, capture_output=True, text=True
    )
    assert made.returncode == 0, made.stderr
    config = tmp_path / init[2]
    # spacy train's own options are not config overrides.
    assert train[:3] == ["train", "config.cfg", "--paths.train"] and "--output" in train
    overrides = train[2:]
    del overrides[overrides.index("--output") : overrides.index("--output") + 2]

    nlp = spacy.blank("en")
    docs = [
        example.reference
        for part in ("train", "dev")
        for example in Corpus(tmp_path / f"corpus.{part}.spacy")(nlp)
    ]
    stored = [{(s.start, s.end) for s in doc.spans["sc"]} for doc in docs]
    assert sum(map(len, stored)) == 5
    longest = max(end - start for spans in stored for start, end in spans)

    with_card = suggested(config, overrides, docs)
    assert all(spans <= proposed for spans, proposed in zip(stored, with_card, strict=True))

    # What `spacy init config` alone would propose: the card counts what it misses.
    default = suggested(config, [], docs)
    missed = sum(len(spans - proposed) for spans, proposed in zip(stored, default, strict=True))
    assert missed == 2  # the two claims
    assert (
        f'{missed} of the 5 spans in `doc.spans["sc"]` are longer (the longest is '
        f"{longest} tokens)" in card
    )
    assert f'"max_size": {longest}}}' in card
