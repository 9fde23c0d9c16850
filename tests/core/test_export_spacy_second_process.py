"""A large spaCy output's later files are made by a second process (spacy_docbin's
``_spacy-part``): every file is the same bytes as one process writes, numbered on from the
first process's files, spaCy's own readers give back every document in the project's
order, and the card counts the same widened and left-out spans. On the shared corpus
(CJK, Arabic, emoji, CRLF, spans crossing lines) with nested and awkward spans, in one
output and in the parts of a split, with the tokenizer of the whole export."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import spacy
from spacy.tokens import DocBin
from spacy.training import Corpus
from tests.core.test_export_spacy import (
    ALL,
    ENDING_IN_WHITESPACE,
    add_nested_spans,
    import_corpus,
)
from tests.core.test_export_spacy_bytes import AWKWARD, awkward_spans

from factmark.core import two_processes
from factmark.core.exporting import export, spacy_docbin
from factmark.core.exporting.base import Split, iter_records
from factmark.core.importing import import_file
from factmark.core.project import Project


@pytest.fixture
def archive(project: Project, corpus: Path, write_jsonl: Callable[..., Path]) -> Project:
    """The shared corpus with nested spans, and a document of awkward spans."""
    import_corpus(project, corpus)
    add_nested_spans(project)
    extra = write_jsonl([{"text": AWKWARD, "status": "done", "spans": awkward_spans(AWKWARD)}])
    assert not import_file(project, extra).errors
    return project


def exported(
    project: Project,
    out: Path,
    monkeypatch: pytest.MonkeyPatch,
    two: bool,
    split: Split | None = None,
) -> tuple[dict[str, bytes], list[str], list[Any]]:
    """Every file of the export (relative name: bytes), its notes, and the jobs of the
    second processes it started (none unless ``two``)."""
    monkeypatch.setattr(spacy_docbin, "DOCUMENTS_PER_FILE", 2)
    monkeypatch.setattr(spacy_docbin, "FROM_BYTES", 0 if two else 1 << 62)
    jobs: list[Any] = []
    start = two_processes.SecondProcess.start

    def spied(what: str, command: str, job: dict[str, Any]) -> two_processes.SecondProcess:
        jobs.append((command, job))
        return start(what, command, job)

    monkeypatch.setattr(two_processes.SecondProcess, "start", spied)
    result = export(project, "spacy", out, ALL, split)
    monkeypatch.undo()
    files = {
        str(path.relative_to(out.parent)): path.read_bytes()
        for path in sorted(out.parent.rglob("*"))
        if path.is_file() and path.suffix == ".spacy"
    }
    assert sorted(result.files) == sorted([*(out.parent / name for name in files), result.card])
    return files, result.notes, jobs


def test_the_later_files_of_a_second_process_are_the_bytes_one_process_writes(
    archive: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alone, alone_notes, none = exported(archive, tmp_path / "one" / "c.spacy", monkeypatch, False)
    both, notes, jobs = exported(archive, tmp_path / "two" / "c.spacy", monkeypatch, True)

    assert none == [] and [command for command, _ in jobs] == ["_spacy-part"]
    assert jobs[0][1]["lang"] == "xx" and jobs[0][1]["number"] in (2, 3)  # the last there
    names = [f"{n:06d}.spacy" for n in (1, 2, 3)]
    assert sorted(alone) == [f"c.spacy/{name}" for name in names]
    assert both == alone
    assert notes == alone_notes
    assert any(note.startswith("spans not on spaCy token boundaries") for note in notes)
    assert any(note.startswith("spans that start or end on whitespace") for note in notes)
    assert any(note.startswith("spans that are only whitespace") for note in notes)
    out = tmp_path / "two" / "c.spacy"
    assert sorted(p.name for p in out.iterdir()) == [".factmark-export", *names]
    # spaCy's own readers: the files one by one, and the folder as a corpus
    nlp = spacy.blank("xx")
    docs = [doc for name in names for doc in DocBin().from_disk(out / name).get_docs(nlp.vocab)]
    read = [example.reference for example in Corpus(out)(nlp)]
    order = [record["id"] for record in iter_records(archive, ALL)]
    assert [doc.user_data["factmark_id"] for doc in docs] == order
    assert [doc.user_data["factmark_id"] for doc in read] == order
    texts = [record["text"] for record in iter_records(archive, ALL)]
    assert [doc.text for doc in read] == texts
    every = "".join(texts)  # Chinese, Arabic and an emoji among them
    assert any("\u4e00" <= c <= "\u9fff" for c in every) and "🚨" in every
    assert any("\u0600" <= c <= "\u06ff" for c in every)


def test_each_part_of_a_split_has_its_later_files_made_by_a_second_process(
    archive: Project,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    write_jsonl: Callable[..., Path],
) -> None:
    text = "Officials in Kano said {} people were hurt."
    more = write_jsonl(  # enough documents for each part to hold two files or more
        [
            {
                "text": text.format(n),
                "status": "done",
                "spans": [{"start": 13, "end": 17, "label": "location"}],
            }
            for n in range(12)
        ]
    )
    assert not import_file(archive, more).errors
    split = Split((("train", 0.5), ("dev", 0.5)), seed=3)
    alone, alone_notes, _ = exported(
        archive, tmp_path / "one" / "c.spacy", monkeypatch, False, split
    )
    both, notes, jobs = exported(archive, tmp_path / "two" / "c.spacy", monkeypatch, True, split)

    assert len(jobs) == 2 and {job["lang"] for _, job in jobs} == {"xx"}
    assert len(alone) > 4 and both == alone
    assert notes == alone_notes


def test_a_second_process_trims_a_text_s_last_line_break_from_spans_too(
    project: Project,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    write_jsonl: Callable[..., Path],
) -> None:
    """The files a second process makes hold no span that starts or ends on a whitespace
    token either: read back with spaCy's own DocBin reader, file by file."""
    rows = [(text, spans, expected) for text, spans, expected in ENDING_IN_WHITESPACE * 2]
    source = write_jsonl(
        [
            {
                "text": f"{n}. {text}",
                "meta": {"lang": "en"},
                "status": "done",
                "spans": [{"start": s + 3, "end": e + 3, "label": name} for s, e, name in spans],
            }
            for n, (text, spans, _) in enumerate(rows, start=1)
        ]
    )
    assert not import_file(project, source).errors
    out = tmp_path / "c.spacy"

    files, notes, jobs = exported(project, out, monkeypatch, True)

    assert [command for command, _ in jobs] == ["_spacy-part"]
    assert jobs[0][1]["number"] in (2, 3) and len(files) == 3  # the last file is the second's
    nlp = spacy.blank("en")
    docs = [
        doc
        for name in sorted(files)
        for doc in DocBin().from_bytes(files[name]).get_docs(nlp.vocab)
    ]
    assert len(docs) == len(rows)
    for doc, (_, spans, expected) in zip(docs, rows, strict=True):
        want = sorted(
            (text, name) for (_, _, name), text in zip(spans, expected, strict=True) if text
        )
        assert sorted((s.text, s.label_) for s in doc.spans["sc"]) == want
        for span in [*doc.spans["sc"], *doc.ents]:
            assert span.text == span.text.strip()
    assert any(
        note.endswith(
            ": 12 of 18 (claim 10, number 2); their exact offsets are in "
            'doc.user_data["factmark_spans"]'
        )
        for note in notes
    )
