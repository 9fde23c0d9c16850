"""The compared documents as a table (View > Agreement's Documents tab): the same rows, in
the same order, as the straightforward computation lists them, and every other order as
Python's sort gives it, on titles that only their whole tells apart."""

from __future__ import annotations

import math
import random
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from tests.core.agreement_reference import straightforward_agreement

from factmark.core import agreement_table
from factmark.core.agreement import agreement
from factmark.core.agreement_table import FIGURES, NAME, ComparedDocuments, Part, rounded_all
from factmark.core.agreement_texts import Names
from factmark.core.incoming import IncomingDocument, IncomingSpan
from factmark.core.project import Project

LONG = "Ukraine’s army says 240 troops left Kyiv on Monday, reporters were told"
TITLES = [
    "",  # named by the start of its id
    "",
    LONG,
    LONG + " again",  # alike in far more than the first 32 bytes
    LONG[:40] + "é",
    LONG[:40] + "é",  # e and a combining accent: another character order
    "𠮷 troops",  # astral: four bytes
    "☕ troops",
    "Харків",
    "خبر عاجل",
    "Zürich",
    "zürich",
    "Z",
    "Zebra",
    "a" * 31 + "é",  # a character across the 32nd byte
    "a" * 31 + "ê",
    "a" * 32,
    "troops",
    "troops",  # the same title: ordered by id
]
LABELS = ["claim", "source"]


def _spans(rng: random.Random, text: str, who: str) -> list[IncomingSpan]:
    spans = []
    for _ in range(rng.randint(0, 3)):
        start = rng.randrange(len(text) - 1)
        end = min(len(text), start + rng.choice([1, 4, 9]))
        spans.append(IncomingSpan(start, end, rng.choice(LABELS), who))
    return spans


@pytest.fixture(scope="module")
def titled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """160 documents titled from :data:`TITLES` (several of each), few spans by two or
    three annotators: many documents tie on every figure, so their titles and ids order
    them."""
    path = tmp_path_factory.mktemp("titled") / "titled.factmark"
    rng = random.Random(41)
    with Project.open(path) as project:
        for n in range(160):
            text = f"Army says 240 troops left Kyiv, 𠮷 ☕ Харків [{n}]."
            spans = [
                s for who in rng.sample(["ana", "ben", "cy"], 2) for s in _spans(rng, text, who)
            ]
            spans.append(IncomingSpan(0, 4, "claim", "ana"))  # two annotators in each
            spans.append(IncomingSpan(0, 4, "claim", "ben"))
            title = TITLES[n % len(TITLES)]
            project.add_document(
                IncomingDocument(text, title=title, spans=spans), create_labels=True
            )
    return path


def _key(value: float | None) -> float:
    return 2.0 if value is None else value


def _python_order(rows: list[dict[str, Any]], column: str, descending: bool) -> list[int]:
    """The rows' places as Python's stable sort orders them by ``column``."""

    def key(at: int) -> Any:
        row = rows[at]
        return row["title"] or row["id"][:12] if column == NAME else _key(row[column])

    return sorted(range(len(rows)), key=key, reverse=descending)


def test_the_table_lists_the_straightforward_rows_in_their_order(titled: Path) -> None:
    with Project.open_to_read(titled) as project:
        expected = straightforward_agreement(project)["documents"]
        table = agreement(project, table=True)["documents"]
        listed = agreement(project, details=False)["documents"]
        heads = {n: agreement(project, details=False, table=True, listed=n) for n in (1, 9, 40)}
    assert isinstance(table, ComparedDocuments)
    assert len(table) == len(expected) == 160
    assert list(table) == expected == listed
    assert [table[at] for at in range(-3, 3)] == expected[-3:] + expected[:3]
    assert table[5:9] == expected[5:9]
    for n, figures in heads.items():
        assert list(figures["documents"]) == expected[:n]
    titles = [row["title"] for row in expected]
    assert len(set(titles)) < len(titles) / 5  # many ordered by title or id alone


@pytest.mark.parametrize("column", [NAME, *FIGURES])
@pytest.mark.parametrize("descending", [False, True])
def test_each_order_is_pythons(titled: Path, column: str, descending: bool) -> None:
    with Project.open_to_read(titled) as project:
        expected = straightforward_agreement(project)["documents"]
        table = agreement(project, table=True)["documents"]
    found = table.order(column, descending).tolist()
    assert found == _python_order(expected, column, descending)
    if (column, descending) != ("exact_f1", False):  # the table's own order, else
        assert found != list(range(len(expected)))


def _part(pieces: list[bytes], exact: list[float]) -> Part:
    """A batch of documents whose uid and title are ``pieces`` two by two."""
    bounds = np.concatenate(([0], np.cumsum([len(p) for p in pieces]))).astype(np.int64)
    values = np.array(exact)
    count = len(exact)
    return Part(
        Names(b"".join(pieces), bounds), ["ana"], [np.ones(count, bool)], values, values, values
    )


def test_names_not_utf8_are_ordered_as_read() -> None:
    """A title that is not UTF-8 (as a hostile file may hold) is read with replacement
    characters and ordered so, like every other."""
    pieces = [b"u1", b"b\xff", b"u2", b"b\xc3", b"u3", b"\x80a", b"u4", b"b", b"\xe2\x98", b""]
    pieces += [b"u6", "𠮷".encode(), b"u7", b"a" * 40 + b"\xff", b"u8", b"a" * 40]
    part = _part(pieces, [0.5] * 8)
    table = ComparedDocuments.ordered([part], [np.arange(8)], None)
    rows = [(part.documents.title(at), part.documents.uid(at)) for at in range(8)]
    assert [(table.title(at), table.uid(at)) for at in range(8)] == sorted(rows)
    ours = [table.row(at) for at in range(8)]
    for descending in (False, True):
        assert table.order(NAME, descending).tolist() == _python_order(ours, NAME, descending)


def test_rows_given_keep_their_order_and_sort_as_pythons() -> None:
    rng = random.Random(3)
    rows = [
        {
            "id": f"{n:064x}",
            "title": rng.choice(TITLES),
            "annotators": ["ana", "ben"],
            **{
                key: rng.choice([None, 0.0, 0.25, 0.5, 1.0, round(rng.random(), 4)])
                for key in FIGURES
            },
        }
        for n in range(300)
    ]
    table = ComparedDocuments.of_rows(rows)
    assert list(table) == rows
    for column in (NAME, *FIGURES):
        for descending in (False, True):
            assert table.order(column, descending).tolist() == _python_order(
                rows, column, descending
            )


def test_figures_round_as_python_rounds() -> None:
    """The figures rounded all at once are those ``round(value, 4)`` gives, halves and
    the values next to them included."""
    rng = random.Random(5)
    values = [rng.random() for _ in range(20_000)] + [rng.uniform(-1, 1) for _ in range(5_000)]
    halves = [(n + 0.5) / 10_000 for n in range(-10_000, 10_000)]
    values += (
        halves + [math.nextafter(v, 2) for v in halves] + [math.nextafter(v, -2) for v in halves]
    )
    values += [2 * m / n for n in range(1, 200) for m in range(n + 1)]  # F1 of span counts
    values += [0.0, -0.0, 1.0, -1.0, 0.00005, -0.00005, 0.12345, 0.98765]
    found = rounded_all(np.array([*values, math.nan]))
    assert found[:-1].tolist() == [round(v, 4) for v in values]
    assert [math.copysign(1, v) for v in found[:-1]] == [
        math.copysign(1, round(v, 4)) for v in values
    ]
    assert math.isnan(found[-1])


def test_titles_alike_in_their_first_words_are_compared_whole(
    titled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """However few bytes are compared as numbers, the order is the same."""
    with Project.open_to_read(titled) as project:
        expected = straightforward_agreement(project)["documents"]
        for words in (1, 2):
            monkeypatch.setattr(agreement_table, "WORDS", words)
            table = agreement(project, table=True)["documents"]
            assert list(table) == expected
            assert table.order(NAME).tolist() == _python_order(expected, NAME, False)
