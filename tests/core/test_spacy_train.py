"""The spaCy export trains as it is: the dataset card's own ``spacy init config`` +
``spacy train`` lines on a split export of the whole shared corpus (five scripts) start,
finish and save a pipeline that loads (spancat on doc.spans["sc"], ner on doc.ents), and
``spacy train`` drops no span at alignment, because the card's ``--lang`` is the tokenizer
the export used. A few steps on a tiny corpus: this proves the files work, not that the
model is any good."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import spacy  # a test dependency (the `test` extra): never skipped
from spacy.language import Language
from spacy.tokens import DocBin
from spacy.training import Corpus

from factmark.core.exporting import export
from factmark.core.exporting.base import Selection, Split
from factmark.core.importing import import_file
from factmark.core.incoming import IncomingDocument
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


def card_commands(card: str) -> list[list[str]]:
    """The ``python -m spacy ...`` lines of the card's bash block, as argument lists."""
    (block,) = re.findall(r"```bash\n(.*?)```", card, re.S)
    return [
        shlex.split(line)[3:] for line in block.splitlines() if line.startswith("python -m spacy")
    ]


def dropped_at_alignment(path: Path, nlp: Language) -> tuple[int, int, list[str]]:
    """How spacy train sees a .spacy file: its Corpus reader tokenises each text again
    with ``nlp`` and aligns the stored spans to those tokens (spancat reads them through
    ``Example.get_aligned_spans_y2x``, ner through the same alignment of doc.ents).
    Returns (spans stored, spans that survive, texts of those dropped)."""
    stored = kept = 0
    lost: list[str] = []
    for example in Corpus(path)(nlp):
        for group in (example.reference.spans["sc"], example.reference.ents):
            aligned = example.get_aligned_spans_y2x(group, allow_overlap=True)
            stored += len(group)
            kept += len(aligned)
            lost += sorted({s.text for s in group} - {s.text for s in aligned})
    return stored, kept, lost


@pytest.mark.slow
@pytest.mark.parametrize("component", ["spancat", "ner"])
def test_spacy_train_as_the_card_says_drops_no_span(
    component: str, project: Project, corpus: Path, tmp_path: Path
) -> None:
    build_corpus(project, corpus)  # every language of the shared corpus, and the seed article
    split = Split.parse("train=0.5,dev=0.5", seed=SPLIT_SEED)
    result = export(project, "spacy", tmp_path / "corpus.spacy", Selection(frozenset()), split)
    train, dev = tmp_path / "corpus.train.spacy", tmp_path / "corpus.dev.spacy"
    assert result.outputs == {"train": train, "dev": dev}
    assert result.parts["train"].spans and result.parts["dev"].spans
    card = (tmp_path / "README.md").read_text(encoding="utf-8")
    init, train_command = card_commands(card)

    # The card's own commands; only the pipeline and the length of training changed.
    init[init.index("--pipeline") + 1] = component
    if component == "ner":  # the card's suggester override is spancat's: left out, as it says
        at = train_command.index("--components.spancat.suggester")
        del train_command[at : at + 2]
    made = run(*init, "--optimize", "efficiency", cwd=tmp_path)
    assert made.returncode == 0, made.stdout + made.stderr
    trained = run(
        *train_command,
        "--training.max_epochs", "1", "--training.max_steps", "20",
        "--training.eval_frequency", "10", "--gpu-id", "-1",
        cwd=tmp_path,
    )  # fmt: skip
    assert trained.returncode == 0, trained.stdout + trained.stderr
    model = tmp_path / "model" / "model-last"
    assert (model / "config.cfg").is_file()

    nlp = spacy.load(model)
    assert nlp.pipe_names == ["tok2vec", component]
    labels = set(nlp.get_pipe(component).labels)
    assert labels <= {"claim", "source", "location", "number"} and "location" in labels
    nlp("Officials in Kharkiv said 12 drones were shot down.")  # the pipeline runs
    # The trained pipeline's tokenizer is the one training aligned the spans to.
    for part in (train, dev):
        stored, kept, lost = dropped_at_alignment(part, nlp)
        assert stored and lost == [] and kept == stored, (part.name, lost)


def test_the_alignment_check_sees_a_tokenizer_mismatch(tmp_path: Path) -> None:
    """What the test above guards against: Chinese cut per character by ``zh`` and trained
    with ``--lang xx`` loses the spans inside xx's longer tokens at alignment."""
    text = "据新华社报道，𠮷野家在上海开设了第300家门店。"
    doc = spacy.blank("zh").make_doc(text)
    spans = [doc.char_span(text.index(p), text.index(p) + len(p), label=lab)
             for p, lab in (("上海", "location"), ("新华社", "source"))]  # fmt: skip
    doc.spans["sc"] = spans
    path = tmp_path / "zh.spacy"
    DocBin(docs=[doc]).to_disk(path)

    assert dropped_at_alignment(path, spacy.blank("zh"))[2] == []
    assert sorted(dropped_at_alignment(path, spacy.blank("xx"))[2]) == ["上海", "新华社"]


def test_the_card_advises_the_language_the_export_tokenised_with(
    project: Project, tmp_path: Path
) -> None:
    """One language: its own tokenizer and `--lang`; several: `xx` for all, and saying so."""
    for text, lang in (
        ("据新华社报道，𠮷野家在上海开设了第300家门店。", "zh"),
        ("上海的门店数量增加了。", "zh-CN"),
    ):
        added = project.add_document(IncomingDocument(text, meta={"lang": lang}))
        assert added is not None
        start = text.index("上海")
        project.add_span(added[0], start, start + 2, "location")
    only_zh = tmp_path / "zh" / "corpus.spacy"
    export(project, "spacy", only_zh, Selection(frozenset()))
    card = (only_zh.parent / "README.md").read_text(encoding="utf-8")
    assert card_commands(card)[0][3:5] == ["--lang", "zh"]
    assert dropped_at_alignment(only_zh, spacy.blank("zh"))[2] == []
    docs = [example.reference for example in Corpus(only_zh)(spacy.blank("zh"))]
    assert {d.user_data["factmark_tokenizer"] for d in docs} == {"zh"}
    assert [t.text for t in docs[1]][:2] == ["上", "海"]

    project.add_document(IncomingDocument("Officials in Leeds said so.", meta={"lang": "en"}))
    mixed = tmp_path / "mixed" / "corpus.spacy"
    result = export(project, "spacy", mixed, Selection(frozenset()))
    card = (mixed.parent / "README.md").read_text(encoding="utf-8")
    assert card_commands(card)[0][3:5] == ["--lang", "xx"]
    assert dropped_at_alignment(mixed, spacy.blank("xx"))[2] == []
    (note,) = [n for n in result.notes if "several languages" in n]
    assert note.startswith("documents in several languages (en 1, zh 2): all tokenised")
    assert note in card
    widened = next(n for n in result.notes if n.startswith("spans not on spaCy token"))
    assert ": 2 of 2 (location 2);" in widened  # inside xx's runs of Chinese characters
