"""The CoNLL card names the files the export wrote, whatever ``-o`` was, with a split and
with one file per label: its flair lines name each part's file in its role, and its
``spacy convert`` lines, run as they are in the card's folder, convert every file (read
back with spaCy's DocBin, every B- tag of the file an entity)."""

from __future__ import annotations

import ast
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from spacy.tokens import DocBin

from factmark.core.exporting import export
from factmark.core.exporting.base import Selection, Split
from factmark.core.incoming import IncomingDocument
from factmark.core.project import Project

TEXTS = [
    ("Officials in Leeds said {n} drones were shot down.", "Leeds", "location"),
    ("The mayor of York said the bridge cost {n} pounds.", "York", "location"),
    ("Police in Hull counted {n} cars.", "Hull", "location"),
]


def fill(project: Project) -> None:
    for n in range(12):
        text, part, label = TEXTS[n % len(TEXTS)]
        text = text.format(n=n + 10)
        added = project.add_document(IncomingDocument(text))
        assert added is not None
        start = text.index(part)
        project.add_span(added[0], start, start + len(part), label)
        start = text.index(str(n + 10))
        project.add_span(added[0], start, start + 2, "number")


def loading(card: str) -> tuple[list[dict[str, str]], list[list[str]]]:
    """The card's flair ColumnCorpus keyword arguments (one dict per corpus) and its
    ``spacy convert`` lines as argument lists."""
    section = card.split("## Loading it", 1)[1]
    (python,) = re.findall(r"```python\n(.*?)```", section, re.S)
    corpora = [
        {k.arg or "": ast.literal_eval(k.value) for k in node.keywords}
        for node in ast.walk(ast.parse(python))
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "ColumnCorpus"
    ]
    (bash,) = re.findall(r"```bash\n(.*?)```", section, re.S)
    return corpora, [shlex.split(line) for line in bash.splitlines()]


def b_tags(path: Path) -> int:
    """B- tags in a CoNLL file, read by hand."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return sum(1 for line in lines if line.split()[-1:] and line.split()[-1].startswith("B-"))


def converted(folder: Path, commands: list[list[str]]) -> dict[str, int]:
    """Each card's ``spacy convert`` line run in the card's folder: file -> entities in
    the DocBin it made."""
    found = {}
    for command in commands:
        assert command[:4] == ["python", "-m", "spacy", "convert"]
        made = subprocess.run(  # as the card says it, but with this Python
            [sys.executable, *command[1:]], cwd=folder, capture_output=True, text=True
        )
        assert made.returncode == 0, made.stdout + made.stderr
        docbin = DocBin().from_disk(folder / f"{Path(command[4]).stem}.spacy")
        found[command[4]] = sum(len(doc.ents) for doc in docbin.get_docs(_vocab()))
    return found


def _vocab():  # type: ignore[no-untyped-def]
    import spacy

    return spacy.blank("xx").vocab


@pytest.mark.slow
def test_a_split_conll_card_names_each_written_file(project: Project, tmp_path: Path) -> None:
    fill(project)
    folder = tmp_path / "cc"
    split = Split.parse("train=0.5,dev=0.25,test=0.25", seed=3)
    result = export(project, "conll", folder / "news.conll", Selection(frozenset()), split)
    assert not result.empty_parts
    written = sorted(p.name for p in folder.glob("*.conll"))
    assert written == ["news.dev.conll", "news.test.conll", "news.train.conll"]
    card = (folder / "README.md").read_text(encoding="utf-8")
    assert "corpus.conll" not in card and "{'" not in card

    corpora, commands = loading(card)
    assert corpora == [
        {
            "train_file": "news.train.conll",
            "dev_file": "news.dev.conll",
            "test_file": "news.test.conll",
        }
    ]
    found = converted(folder, commands)
    assert sorted(found) == written
    assert found == {name: b_tags(folder / name) for name in written}
    assert all(found.values())


@pytest.mark.slow
def test_an_unsplit_and_a_per_label_conll_card_name_the_files(
    project: Project, tmp_path: Path
) -> None:
    fill(project)
    folder = tmp_path / "cc"
    export(project, "conll", folder / "news.conll", Selection(frozenset()))
    card = (folder / "README.md").read_text(encoding="utf-8")
    corpora, commands = loading(card)
    assert corpora == [{"train_file": "news.conll"}]
    assert converted(folder, commands) == {"news.conll": b_tags(folder / "news.conll")}

    (folder / "news.conll").unlink()
    export(project, "conll", folder / "news.conll", Selection(frozenset()), None, {
        "nested": "per-label"
    })  # fmt: skip
    written = sorted(p.name for p in folder.glob("*.conll"))
    assert "news.conll" not in written and "news.location.conll" in written
    card = (folder / "README.md").read_text(encoding="utf-8")
    assert "`news.conll`" not in card and "'news.conll'" not in card
    corpora, commands = loading(card)
    assert sorted(c["train_file"] for c in corpora) == written
    found = converted(folder, commands)
    assert found == {name: b_tags(folder / name) for name in written}
    assert found["news.location.conll"] == 12 and found["news.number.conll"] == 12
