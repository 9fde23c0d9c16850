"""The batch computation of ``factmark agree`` gives the figures the straightforward one
does, on a few hundred random documents read in many small batches."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import orjson
import pytest
from tests.core.agreement_reference import straightforward_agreement

from factmark.core import agreement as agreement_module
from factmark.core import agreement_arrays, agreement_scan
from factmark.core.agreement import agreement
from factmark.core.agreement_texts import BatchTexts
from factmark.core.importing import import_file
from factmark.core.incoming import IncomingDocument, IncomingRelation, IncomingSpan
from factmark.core.model import GOLD
from factmark.core.project import Project
from factmark.core.storage import ProjectError

WORDS = ["Army", "says", "240", "troops", "left", "Kyiv", "𠮷", "Харків", "☕", "don't", "—"]
LABELS = ["claim", "source", "location", "number"]


def _text(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(1, 40))]
    separators = [rng.choice([" ", " ", ", ", ".  ", "\n"]) for _ in words]
    return "".join(w + s for w, s in zip(words, separators, strict=True))


def _spans(rng: random.Random, text: str, who: str | None, refs: list[str]) -> list[IncomingSpan]:
    spans = []
    for _ in range(rng.randint(0, 6)):
        start = rng.randrange(len(text))
        end = min(len(text), start + rng.choice([1, 2, 3, 5, 8, 20, 60]))
        ref = f"{who}{len(refs)}"
        refs.append(ref)
        attrs = {"verdict": rng.choice(["false", "true"])} if rng.random() < 0.1 else {}
        spans.append(IncomingSpan(start, end, rng.choice(LABELS), who, attrs=attrs, ref=ref))
        if rng.random() < 0.1:  # the same span twice, or nested in the last one
            spans.append(IncomingSpan(start, end, spans[-1].label, who))
    return spans


def _document(rng: random.Random, n: int, late: bool) -> IncomingDocument:
    text = _text(rng)
    annotators: list[str | None] = ["ana", "ben", GOLD, None]
    if late:  # a third annotator who only appears in the later documents
        annotators.append("cy")
    spans: list[IncomingSpan] = []
    refs: list[str] = []
    for who in annotators:
        if rng.random() < 0.8:
            found = _spans(rng, text, who, refs)
            if rng.random() < 0.3 and spans and found:  # agree exactly on some
                found.append(IncomingSpan(spans[0].start, spans[0].end, spans[0].label, who))
            spans += found
    relations = []
    by_who: dict[str | None, list[Any]] = {}
    for s in spans:
        if s.ref is not None:
            by_who.setdefault(s.annotator, []).append(s.ref)
    for ours in by_who.values():
        if len(ours) > 1 and rng.random() < 0.3:
            relations.append(IncomingRelation(ours[0], ours[1], rng.choice(["about", "source_of"])))
    return IncomingDocument(text, title=f"doc {n % 37}", spans=spans, relations=relations)


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("archive") / "random.factmark"
    rng = random.Random(17)
    with Project.open(path) as project:
        for n in range(300):
            project.add_document(_document(rng, n, late=n > 150), create_labels=True)
    return path


def test_batches_give_the_straightforward_figures(
    archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(agreement_scan, "BATCH", 16)  # many batches, gaps carried across
    monkeypatch.setattr(agreement_arrays, "CHUNK", 300)  # texts tokenized a few at a time
    with Project.open_to_read(archive) as project:
        expected = straightforward_agreement(project)
        found = agreement(project)
        counts_only = agreement(project, details=False)
    assert expected["documents_compared"] > 150
    assert expected["annotators"] == ["ana", "ben", "cy"]
    assert expected["links"] and expected["attributes"]
    assert found == expected
    assert counts_only == {k: v for k, v in expected.items() if k != "disagreements"}


def test_one_batch_gives_the_same_figures(archive: Path) -> None:
    with Project.open_to_read(archive) as project:
        assert agreement(project) == straightforward_agreement(project)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """200 documents cut from the shared corpus (CJK, Arabic, emoji, CRLF, combining
    marks), spans of three annotators crossing line breaks, some the same or nested."""
    from tests.conftest import SHARED_CORPUS

    folder = tmp_path_factory.mktemp("hostile")
    texts = [path.read_text(encoding="utf-8") for path in sorted(SHARED_CORPUS.glob("*.txt"))]
    assert len(texts) >= 5, f"the shared corpus is missing at {SHARED_CORPUS}"
    rng = random.Random(29)
    source = folder / "hostile.jsonl"
    with source.open("wb") as out:
        for n in range(200):
            parts = [rng.choice(texts) for _ in range(rng.randint(1, 3))]
            text = "".join(p[rng.randrange(len(p)) :] for p in parts) + f" [{n}]"
            spans: list[dict[str, Any]] = []
            for who in rng.sample(["ana", "ben", "cy", None], rng.randint(1, 4)):
                for _ in range(rng.randint(0, 12)):
                    if spans and rng.random() < 0.3:  # agree with another, or nest in it
                        other = rng.choice(spans)
                        start, end = other["start"], other["end"] - rng.choice([0, 0, 1])
                    else:
                        start = rng.randrange(len(text) - 1)
                        end = min(len(text), start + rng.choice([1, 2, 5, 20, 80, 300]))
                    label = rng.choice(LABELS)
                    spans.append({"start": start, "end": max(end, start + 1), "label": label})
                    spans[-1]["annotator"] = who
            out.write(orjson.dumps({"title": f"t{n % 7}", "text": text, "spans": spans}) + b"\n")
    path = folder / "hostile.factmark"
    with Project.open(path) as project:
        assert import_file(project, source).documents == 200
    return path


@pytest.mark.parametrize("details", [True, False])
def test_any_number_of_workers_gives_the_same_bytes(
    hostile: Path, archive: Path, details: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Batches counted in threads, pooled in the order read: the same JSON to the byte as
    one at a time, and as the straightforward computation."""
    monkeypatch.setattr(agreement_scan, "BATCH", 7)  # many batches in flight at once
    monkeypatch.setattr(agreement_arrays, "CHUNK", 500)
    for path in (hostile, archive):
        with Project.open_to_read(path) as project:
            expected = straightforward_agreement(project)
            if not details:
                del expected["disagreements"]
            found = [agreement(project, details, workers=n) for n in (1, 2, 3, 5)]
        assert expected["documents_compared"] > 100
        for figures in found:
            assert json.dumps(figures, ensure_ascii=False) == json.dumps(
                expected, ensure_ascii=False
            )


def test_annotators_are_those_of_every_span(
    hostile: Path, archive: Path, project_path: Path
) -> None:
    """Stepping through the label and annotator index finds the names a read of every
    span finds (the gold layer, an empty name, names only some labels have)."""
    with Project.open(project_path) as project:
        for n, who in enumerate(["zoë", "", "ana", GOLD, None, "Ana", "ana", "𠮷"]):
            text = f"one two three {n}"
            span = IncomingSpan(n % 5, 5 + n % 5, LABELS[n % 3], who)
            project.add_document(IncomingDocument(text, spans=[span]), create_labels=True)
    for path in (hostile, archive, project_path):
        with Project.open_to_read(path) as project:
            every = project.conn.execute("SELECT annotator FROM spans").fetchall()
            expected = sorted({who for (who,) in every if who is not None})
            assert project.annotators() == expected
            assert len(expected) >= 3


def test_listing_fewer_documents_lists_the_lowest_of_all(hostile: Path, archive: Path) -> None:
    """Only the documents shown are made rows: the same rows, in the same order, as the
    head of the whole list (figures tied once rounded, titles repeated), every other
    figure unchanged."""
    for path in (hostile, archive):
        with Project.open_to_read(path) as project:
            whole = agreement(project, details=False)
            rows = whole["documents"]
            exact = [row["exact_f1"] for row in rows]
            assert len(set(exact)) < len(exact) / 2  # many documents tie
            for listed in (1, 2, 3, 7, 10, 37, len(rows) - 1, len(rows), len(rows) + 5):
                found = agreement(project, details=False, workers=1 + listed % 3, listed=listed)
                assert found["documents"] == rows[:listed]
                assert {**found, "documents": rows} == whole
            assert agreement(project, details=False, listed=0)["documents"] == []


def test_ids_far_apart_are_passed_over_not_stepped_through(
    archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A project's ids may leave gaps of any size (a copy made elsewhere, documents
    deleted): the ranges read start at the next document, so a copy whose ids are 2**40
    apart is read in as many ranges as one whose ids follow each other, and gives the
    same figures."""
    import shutil
    import sqlite3

    spread = tmp_path / "spread.factmark"
    shutil.copy(archive, spread)
    conn = sqlite3.connect(spread)
    conn.execute("PRAGMA foreign_keys = OFF")
    tables = [
        name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    ]
    for table in tables:
        columns = [row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')]
        if "document_id" in columns:
            conn.execute(f'UPDATE "{table}" SET document_id = document_id * 1099511627776')
    conn.execute("UPDATE documents SET id = id * 1099511627776")
    (documents,) = conn.execute("SELECT count(*) FROM documents").fetchone()
    conn.commit()
    conn.close()
    monkeypatch.setattr(agreement_scan, "BATCH", 16)
    ranges = []
    for name in ("spans_between", "coded_spans_between"):
        read = getattr(Project, name)

        def counted(self: Project, first: int, *rest: Any, _read: Any = read) -> Any:
            ranges.append(first)
            if len(ranges) > 1000:  # stepping through the gaps: 2**36 ranges a document
                raise AssertionError("ranges of ids with no document are read")
            return _read(self, first, *rest)

        monkeypatch.setattr(Project, name, counted)
    with Project.open_to_read(archive) as project:
        expected = straightforward_agreement(project)
    for item in expected["disagreements"]:  # the list names documents by their ids
        item["document_id"] *= 1099511627776
    with Project.open_to_read(spread) as project:
        assert agreement(project) == expected
        counts_only = agreement(project, details=False)
        ranges.clear()
        monkeypatch.setattr(agreement_module, "FROM_BYTES", 1 << 62)  # every range read here
        agreement(project)
        assert len(ranges) == documents > 250  # each document alone in its range
    assert counts_only == {k: v for k, v in expected.items() if k != "disagreements"}


def test_agree_loads_no_masked_arrays(hostile: Path) -> None:
    """numpy's hashing ``unique`` loads ``numpy.ma`` (17 ms of ``factmark agree``): the
    counts, characters never met before among them, go without it."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from factmark.core.agreement import agreement\n"
        "from factmark.core.project import Project\n"
        f"with Project.open_to_read({str(hostile)!r}) as project:\n"
        "    agreement(project, details=False)\n"
        "print('numpy' in sys.modules, 'numpy.ma' in sys.modules)\n"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert found.stdout.split() == ["True", "False"], found.stderr


def _row(documents: list[tuple[int, str, str, str]]) -> tuple[str, str, str, str, bytes, bytes]:
    """``joined_texts``' row of these documents, in this order, made in Python."""

    def numbers(values: list[int]) -> str:
        return ",".join(map(str, values))

    texts = [text.encode() for _, _, _, text in documents]
    names = [(uid.encode(), title.encode()) for _, uid, title, _ in documents]
    return (
        numbers([document for document, _, _, _ in documents]),
        numbers([len(text.split("\x00")[0]) for _, _, _, text in documents]),  # SQLite's
        numbers([len(text) for text in texts]),
        numbers([len(part) for pair in names for part in pair]),
        b" ".join(texts),
        b"".join(part for pair in names for part in pair),
    )


def test_agree_imports_no_other_command(hostile: Path) -> None:
    """``factmark agree`` imports its own command's module, not the other commands' (the
    suggesters, the importers, the archive's matching: 17 % of its start's instructions)."""
    import subprocess
    import sys

    others = ["archive", "corpus", "preferences", "project_setup", "suggest"]
    code = (
        "import sys\n"
        "from factmark.cli import main\n"
        f"assert main(['agree', {str(hostile)!r}]) == 0\n"
        f"names = [f'factmark.cli.{{n}}' for n in {others!r}] + ['factmark.core.suggest']\n"
        "print('factmark.cli.teams' in sys.modules, [n for n in names if n in sys.modules])\n"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert found.returncode == 0, found.stderr
    assert found.stdout.splitlines()[-1] == "True []"


def test_texts_read_as_one_row_are_the_rows(
    hostile: Path, project_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The documents of a batch, read as one row (their texts' bytes end to end, a space
    between them) and decoded a run of texts at a time, are the rows a plain query gives:
    CJK, Arabic, emoji, CRLF, a NUL (SQLite counts no character after it), empty texts
    and titles; in id order also when the row does not hold them in it."""
    monkeypatch.setattr(agreement_arrays, "CHUNK", 40)  # a few texts a run
    with Project.open(project_path) as project:
        for n, text in enumerate(["", "a\x00b\r\n𠮷", "", "ٱلسَّلَامُ ☕", "\x00", "x" * 90]):
            title = "" if n % 2 else f"t{n} ☕"
            added = project.add_document(IncomingDocument(f"text {n}", title=title))
            assert added is not None
            # Texts the app would refuse, as a file made elsewhere may hold them.
            project.conn.execute("UPDATE documents SET text = ? WHERE id = ?", [text, added[0]])
        project.conn.commit()
    for path in (hostile, project_path):
        with Project.open_to_read(path) as project:
            every = project.conn.execute(
                "SELECT id, uid, title, text FROM documents ORDER BY id"
            ).fetchall()
            ids = [row[0] for row in every]
            assert project.joined_texts([max(ids) + 1]) is None
            assert project.joined_texts([]) is None
            for chosen, row in (
                (every, project.joined_texts([*ids[::-1], max(ids) + 1])),
                (every[1::3], project.joined_texts(ids[1::3])),
                (every, _row(every)),
                (every, _row(every[::-1])),  # out of order: sorted by id
                (every[::2], _row(random.Random(3).sample(every[::2], len(every[::2])))),
            ):
                assert row is not None
                found = BatchTexts.read(row, "here")
                assert found.ids == [document for document, _, _, _ in chosen]
                texts = [text for _, _, _, text in chosen]
                assert [found.text(at) for at in range(len(texts))] == texts
                assert found.lengths.tolist() == [len(text) for text in texts]
                assert " ".join(found.chunks) == " ".join(texts)
                assert len(found.chunks) > 1 or len(texts) < 5
                names = found.names
                assert [(names.uid(at), names.title(at)) for at in range(len(texts))] == [
                    (uid, title) for _, uid, title, _ in chosen
                ]


def test_a_text_not_utf8_is_named(project_path: Path) -> None:
    """A text that is not UTF-8 (a file made elsewhere): one line naming the file and the
    document, wherever in its run of texts it lies."""
    documents = [(n, f"u{n}", "", f"text {n} ☕") for n in range(1, 9)]
    for bad in (1, 5, 8):
        row = list(_row(documents))
        texts = [text.encode() for _, _, _, text in documents]
        texts[bad - 1] = texts[bad - 1][:-1]  # the last character cut in two
        row[2] = ",".join(str(len(text)) for text in texts)
        row[4] = b" ".join(texts)
        with pytest.raises(ProjectError) as error:
            BatchTexts.read(tuple(row), "here.factmark")  # type: ignore[arg-type]
        assert str(error.value) == f"here.factmark: document {bad}: its text is not UTF-8"


def test_a_nul_in_a_text_gives_the_straightforward_figures(project_path: Path) -> None:
    """SQLite counts the characters of a text up to a NUL: the texts' lengths are counted
    again where it did, and the figures are those of the straightforward computation."""
    rng = random.Random(41)
    with Project.open(project_path) as project:
        for n in range(40):
            added = project.add_document(_document(rng, n, late=False), create_labels=True)
            assert added is not None
            if n % 3 == 0:
                project.conn.execute(
                    "UPDATE documents SET text = substr(text, 1, 4) || char(0) || substr(text, 6) "
                    "WHERE id = ?",
                    [added[0]],
                )
        project.conn.commit()
    with Project.open_to_read(project_path) as project:
        (nuls,) = project.conn.execute(
            "SELECT count(*) FROM documents WHERE instr(CAST(text AS BLOB), x'00')"
        ).fetchone()
        assert nuls >= 10
        expected = straightforward_agreement(project)
        assert expected["documents_compared"] > 15
        for details in (True, False):
            found = agreement(project, details)
            if not details:
                del expected["disagreements"]
            assert found == expected
