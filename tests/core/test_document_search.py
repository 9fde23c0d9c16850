"""The document list's search: an FTS5 trigram index narrows, every hit is checked, and
the answer is what a plain case-insensitive substring test of each title and text gives
(Python's own ``casefold`` and ``in``, the oracle here)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from factmark.core.importing import collect_files, import_file
from factmark.core.incoming import IncomingDocument
from factmark.core.project import Project

QUERIES = [
    "bakhmut",  # any case
    "BAKHMUT",
    "Prigozhin said",
    "harkiv",
    "Харків",  # Cyrillic, other case than in the text
    "харків",
    "الموصل",  # Arabic
    "上海",  # two CJK characters: fewer than three, searched without the index
    "上海市",
    "🌊",
    "water 😱",
    "e\u0301",  # a combining accent
    "nothing like this anywhere",
    '"quoted"',
    "a",
]


def expected(project: Project, query: str) -> list[int]:
    folded = query.casefold()
    found = []
    for document in project.documents():
        full = project.document(document.id)
        if folded in full.title.casefold() or folded in full.text.casefold():
            found.append(document.id)
    return found


@pytest.fixture(params=["not indexed", "partly indexed", "indexed"])
def filled(request: pytest.FixtureRequest, project: Project, corpus: Path) -> Project:
    """The shared corpus imported, and the search index as the window's background
    filling may have left it: not begun, half done, done."""
    files, _ = collect_files([corpus])
    for path in files:
        import_file(project, path)
    project.add_document(IncomingDocument('He said "quoted" twice.', "Quotes"))
    if request.param == "partly indexed":
        project.index_new_documents(limit=len(project.documents()) // 2)
    elif request.param == "indexed":
        project.index_new_documents()
    return project


def test_an_import_leaves_its_documents_to_the_index_in_the_background(
    project: Project, corpus: Path
) -> None:
    files, _ = collect_files([corpus])
    for path in files:
        import_file(project, path)
    stored = len(project.documents())
    assert stored > 4
    assert project.documents_not_indexed() == stored
    project.index_new_documents(limit=3)
    assert project.documents_not_indexed() == stored - 3
    rows = project.conn.execute("SELECT rowid FROM document_search ORDER BY rowid").fetchall()
    assert [row[0] for row in rows] == [d.id for d in project.documents()][:3]  # oldest first
    project.index_new_documents()
    assert project.documents_not_indexed() == 0
    project.index_new_documents()  # nothing left: nothing written twice
    assert project.conn.execute("SELECT count(*) FROM document_search").fetchone()[0] == stored


@pytest.mark.parametrize("query", QUERIES)
def test_search_finds_what_a_substring_test_finds(filled: Project, query: str) -> None:
    got = [d.id for d in filled.documents(search=query)]
    assert got == expected(filled, query)


def test_the_index_is_asked_for_three_characters_and_more(filled: Project) -> None:
    asked: list[str] = []
    filled.conn.set_trace_callback(asked.append)
    filled.documents(search="Bakhmut")
    filled.documents(search="上海")
    filled.conn.set_trace_callback(None)
    assert sum("document_search MATCH" in sql for sql in asked) == 1


def test_documents_added_by_a_merge_are_found(filled: Project, tmp_path: Path) -> None:
    # A document written past the index (as merge.py's insert does) is found all the same.
    filled.conn.execute(
        "INSERT INTO documents (uid, title, text, meta, status, created_at, updated_at) "
        "VALUES ('x', 'Late', 'Arrived by a merge from Zhytomyr', '{}', 'new', '', '')"
    )
    late = filled.conn.execute("SELECT id FROM documents WHERE uid = 'x'").fetchone()[0]
    assert [d.id for d in filled.documents(search="zhytomyr")] == [late]
    assert [d.id for d in filled.documents(search="zhytomyr")] == expected(filled, "zhytomyr")


def test_a_search_table_not_of_our_making_is_not_used(tmp_path: Path) -> None:
    path = tmp_path / "odd.factmark"
    with Project.open(path) as project:
        project.add_document(IncomingDocument("Flooding in Lagos today.", "Lagos"))
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE document_search")
        conn.execute("CREATE VIRTUAL TABLE document_search USING fts5(title, text)")
    with Project.open(path) as project:
        assert [d.title for d in project.documents(search="agos tod")] == ["Lagos"]


def test_two_connections_filling_the_index_at_once_index_each_document_once(
    project: Project, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two windows on one project each fill the index in the background: the other's
    # chunk lands between this one's look at the index and its write.
    files, _ = collect_files([corpus])
    for path in files:
        import_file(project, path)
    stored = [d.id for d in project.documents()]
    with Project.open(project.path) as other:
        real = project.transaction

        @contextmanager
        def after_the_others_chunk() -> Iterator[None]:
            other.index_new_documents(limit=3)
            with real():
                yield

        monkeypatch.setattr(project, "transaction", after_the_others_chunk)
        project.index_new_documents(limit=2)
        monkeypatch.undo()
        assert other.documents_not_indexed() == len(stored) - 5
        other.index_new_documents()
    rows = [r[0] for r in project.conn.execute("SELECT rowid FROM document_search")]
    assert sorted(rows) == stored
