"""Project files: opening, migrating, refusing bad files untouched, and editing annotations."""

from __future__ import annotations

import os
import sqlite3
from collections import Counter
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlite_utils import Database, Migrations

from factmark.core.changes import DocumentState, Edit
from factmark.core.importing import import_file
from factmark.core.incoming import IncomingDocument, IncomingRelation, IncomingSpan
from factmark.core.model import ValidationError
from factmark.core.project import ChangeSet, Project, ProjectError
from factmark.core.schema import (
    KNOWN_MIGRATIONS,
    MIGRATION_SET,
    MIGRATIONS_TABLE,
    applied_names,
    migrations,
)
from factmark.core.storage import PAGE_SIZE
from factmark.core.text import text_uid

ARTICLE = "Officials in Abuja said on Monday that 70% of the water in Lagos is safe.\n"
OTHER = "Мер Харкова заявив, що вночі місто атакували 12 дронів.\n"


def span_of(text: str, substring: str, label: str, ref: int | None = None) -> IncomingSpan:
    start = text.index(substring)
    return IncomingSpan(start, start + len(substring), label, ref=ref)


def add_article(project: Project, text: str = ARTICLE) -> int:
    added = project.add_document(IncomingDocument(text, title="Lagos water"))
    assert added is not None
    return added[0]


# -- migrations -----------------------------------------------------------------------


def make_old_project(path: Path) -> None:
    """A project as the first Factmark release wrote it: only m001 applied."""
    db = Database(path)
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = FULL")
    migrations().apply(db, stop_before="m002_relation_types")
    stamp = "2024-01-01T00:00:00.000+00:00"
    with db.atomic():
        db.execute(
            "INSERT INTO documents (id, uid, title, text, meta, status, created_at, updated_at) "
            "VALUES (1, ?, 'Lagos water', ?, '{\"lang\": \"en\"}', 'done', ?, ?)",
            [text_uid(ARTICLE), ARTICLE, stamp, stamp],
        )
        for span_id, substring, label in (
            (1, "70%", "number"),
            (2, "Officials in Abuja", "source"),
        ):
            start = ARTICLE.index(substring)
            db.execute(
                'INSERT INTO spans (id, document_id, start, "end", label, annotator, note, attrs,'
                " created_at, updated_at) VALUES (?, 1, ?, ?, ?, 'amina', NULL, '{}', ?, ?)",
                [span_id, start, start + len(substring), label, stamp, stamp],
            )
        db.execute(
            "INSERT INTO relations (id, document_id, head_span_id, child_span_id, label) "
            "VALUES (1, 1, 2, 1, 'cites')"
        )
    db.close()


def applied(path: Path) -> list[str]:
    db = Database(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True))
    try:
        return [m.name for m in migrations().applied(db)]
    finally:
        db.close()


def test_old_project_is_migrated_with_data_kept_and_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "old.factmark"
    make_old_project(path)
    assert applied(path) == ["m001_initial"]

    with Project.open(path) as project:
        backup = project.backup_path
        assert project.relation_types()[:2] == ["attributed_to", "part_of"]
        assert "cites" in project.relation_types()  # the type already in use is kept
        (document,) = project.documents()
        assert (document.title, document.status, document.meta) == (
            "Lagos water",
            "done",
            {"lang": "en"},
        )
        text = project.document(document.id or 0).text
        assert text == ARTICLE
        spans = project.spans(document.id or 0)
        assert [(text[s.start : s.end], s.label, s.annotator) for s in spans] == [
            ("Officials in Abuja", "source", "amina"),
            ("70%", "number", "amina"),
        ]
        (relation,) = project.relations(document.id or 0)
        assert (relation.head_span_id, relation.child_span_id, relation.label) == (2, 1, "cites")
        # The migrated project still takes new work.
        project.add_span(document.id or 0, text.index("Lagos"), text.index("Lagos") + 5, "location")

    assert applied(path)[:2] == ["m001_initial", "m002_relation_types"]
    assert applied(path) == list(KNOWN_MIGRATIONS)  # every later migration ran too
    assert backup is not None
    assert backup.parent == path.parent
    assert backup.name.startswith("old.factmark.")
    assert backup.is_file()
    # The backup is the old version, complete, and SQLite finds it sound.
    assert applied(backup) == ["m001_initial"]
    with sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro", uri=True) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT text FROM documents").fetchall() == [(ARTICLE,)]
        assert conn.execute("SELECT count(*) FROM spans").fetchone() == (2,)
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        assert "relation_types" not in tables
    conn.close()
    # An old Factmark could still use it: reading it read-only is refused only as "older".
    with pytest.raises(ProjectError, match="older"):
        Project.open(backup, readonly=True)


def test_new_projects_have_large_pages_and_older_ones_keep_theirs(tmp_path: Path) -> None:
    """A new project is made with 16 KB pages (articles of a few KB share a page); a
    project made with SQLite's 4 KB default keeps them, and its work, when upgraded."""
    new, old = tmp_path / "new.factmark", tmp_path / "old.factmark"
    Project.open(new).close()
    make_old_project(old)
    with Project.open(old) as project:
        (document,) = project.documents()
        project.add_span(document.id or 0, 0, 9, "source")
    for path, size in ((new, PAGE_SIZE), (old, 4096)):
        with sqlite3.connect(path) as conn:
            assert conn.execute("PRAGMA page_size").fetchone() == (size,)
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        conn.close()


def test_migration_record_is_read_where_sqlite_utils_keeps_it(project_path: Path) -> None:
    """Opening reads the applied migrations without sqlite-utils; both must agree."""
    assert Migrations.migrations_table == MIGRATIONS_TABLE
    with Project.open(project_path) as project:
        by_sqlite_utils = [m.name for m in migrations().applied(project.db)]
        assert applied_names(project.conn) == by_sqlite_utils == list(KNOWN_MIGRATIONS)
        assert [m.name for m in migrations().pending(project.db)] == []


def test_current_project_reopens_without_backup(project_path: Path) -> None:
    with Project.open(project_path) as project:
        add_article(project)
        assert project.backup_path is None
    with Project.open(project_path) as project:
        assert project.backup_path is None
        assert project.document_count() == 1
    assert sorted(p.name for p in project_path.parent.iterdir()) == [project_path.name]


def test_new_project_has_default_labels_and_relation_types(project: Project) -> None:
    assert [(label.name, label.key) for label in project.labels()] == [
        ("claim", "1"),
        ("source", "2"),
        ("location", "3"),
        ("number", "4"),
    ]
    assert project.relation_types() == ["attributed_to", "part_of"]


# -- files that must be refused, untouched ---------------------------------------------


def real_project(path: Path, documents: int = 120) -> None:
    """A closed project big enough that its middle is table data, not the header."""
    with Project.open(path) as project, project.transaction():
        for n in range(documents):
            text = f"Article {n}: the ministry said {n} drones were shot down. " * 30
            project.add_document(IncomingDocument(text, title=f"Article {n}"))


def newer_project(path: Path) -> None:
    with Project.open(path) as project:
        add_article(project)
    db = Database(path)
    db["_sqlite_migrations"].insert(
        {
            "migration_set": MIGRATION_SET,
            "name": "m999_from_the_future",
            "applied_at": "2031-01-01 00:00:00+00:00",
        }
    )
    db.close()


def text_file(path: Path) -> None:
    path.write_text("These are my notes, not a project.\n", encoding="utf-8")


def unrelated_sqlite(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
    conn.execute("INSERT INTO contacts VALUES ('Amina', '+234 1 234')")
    conn.commit()
    conn.close()


def header_then_garbage(path: Path) -> None:
    path.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 40)


def truncated_project(path: Path) -> None:
    real_project(path)
    data = path.read_bytes()
    assert len(data) > 16 * 4096
    path.write_bytes(data[: len(data) // 2])


def overwritten_project(path: Path) -> None:
    real_project(path)
    data = bytearray(path.read_bytes())
    page = 4096
    middle = (len(data) // 2) // page * page
    data[middle : middle + page] = b"\xde\xad\xbe\xef" * (page // 4)
    path.write_bytes(bytes(data))


def read_only_project(path: Path) -> None:
    with Project.open(path) as project:
        add_article(project)
    path.chmod(0o444)


REFUSED: dict[str, tuple[Callable[[Path], None], str]] = {
    "text file": (text_file, "not a Factmark project"),
    "unrelated sqlite": (unrelated_sqlite, "unrelated"),
    "header then garbage": (header_then_garbage, "damaged"),
    "truncated": (truncated_project, "damaged"),
    "overwritten middle": (overwritten_project, "damaged"),
    "newer version": (newer_project, "newer"),
    "read-only file": (read_only_project, "read-only"),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_bad_project_file_is_refused_untouched(
    tmp_path: Path, case: str, file_hash: Callable[[Path], str]
) -> None:
    make, reason = REFUSED[case]
    path = tmp_path / "my-work.factmark"
    make(path)
    before = file_hash(path)
    siblings = sorted(p.name for p in tmp_path.iterdir())

    with pytest.raises(ProjectError) as raised:
        Project.open(path)

    message = str(raised.value)
    assert "my-work.factmark" in message
    assert reason in message
    assert file_hash(path) == before
    # Nothing left beside it either (-wal / -shm files, backups).
    assert sorted(p.name for p in tmp_path.iterdir()) == siblings


def test_read_only_project_can_still_be_read(tmp_path: Path, file_hash: Callable[..., str]) -> None:
    path = tmp_path / "archive.factmark"
    read_only_project(path)
    before = file_hash(path)

    with Project.open(path, readonly=True) as project:
        assert project.document_count() == 1
        with pytest.raises(ProjectError, match="read-only"):
            project.set_status(project.documents()[0].id or 0, "done")

    assert file_hash(path) == before


def test_read_only_is_honoured_even_for_the_administrator(tmp_path: Path) -> None:
    # Running as root, the OS would allow the write; the file's mode still says no.
    path = tmp_path / "locked.factmark"
    read_only_project(path)
    assert os.stat(path).st_mode & 0o222 == 0
    with pytest.raises(ProjectError, match="read-only"):
        Project.open(path)


def test_missing_project_is_not_created_when_not_allowed(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.factmark"
    with pytest.raises(ProjectError, match=r"nowhere\.factmark"):
        Project.open(path, create=False)
    assert not path.exists()
    with pytest.raises(ProjectError, match="does not exist"):
        Project.open(tmp_path / "no-folder" / "x.factmark")


def test_folder_is_not_a_project(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="folder"):
        Project.open(tmp_path)


# -- editing annotations ----------------------------------------------------------------


def test_add_update_delete_restore_span(project: Project) -> None:
    doc_id = add_article(project)
    claim_start = ARTICLE.index("70%")
    claim = project.add_span(doc_id, claim_start, len(ARTICLE) - 2, "claim", annotator="amina")
    number = project.add_span(doc_id, claim_start, claim_start + 3, "number", note="check")
    source = project.add_span(doc_id, 0, len("Officials in Abuja"), "source")
    attributed = project.add_relation(source.id or 0, claim.id or 0, "attributed_to")
    part = project.add_relation(number.id or 0, claim.id or 0, "part_of")

    assert ARTICLE[claim.start : claim.end] == "70% of the water in Lagos is safe"
    assert project.document(doc_id).status == "in_progress"  # labelling starts the work
    # Outer before inner at the same start.
    assert [s.label for s in project.spans(doc_id)] == ["source", "claim", "number"]

    old = project.update_span(number.id or 0, end=claim_start + 2, note=None, attrs={"unit": "%"})
    assert old == number
    changed = project.span(number.id or 0)
    assert (changed.end, changed.note, changed.attrs) == (claim_start + 2, None, {"unit": "%"})
    project.update_span(number.id or 0, end=claim_start + 3, label="claim")
    assert project.span(number.id or 0).label == "claim"

    removed, relations = project.delete_span(claim.id or 0)
    assert removed == claim
    assert sorted(r.id or 0 for r in relations) == sorted([attributed.id or 0, part.id or 0])
    assert claim.id not in {s.id for s in project.spans(doc_id)}
    assert project.relations(doc_id) == []  # relations go with the span

    project.restore_span(removed, relations)
    assert project.span(claim.id or 0) == claim
    assert project.relations(doc_id) == [attributed, part]


def test_add_and_delete_relation(project: Project) -> None:
    doc_id = add_article(project)
    head = project.add_span(doc_id, 0, 18, "source")
    child = project.add_span(doc_id, ARTICLE.index("70%"), ARTICLE.index("70%") + 3, "number")

    relation = project.add_relation(head.id or 0, child.id or 0, "supports")
    assert project.relations(doc_id) == [relation]
    assert "supports" in project.relation_types()

    assert project.delete_relation(relation.id or 0) == relation
    assert project.relations(doc_id) == []
    assert project.span(head.id or 0) == head  # deleting a relation keeps its spans
    with pytest.raises(ValidationError):
        project.delete_relation(relation.id or 0)
    with pytest.raises(ValidationError, match="itself"):
        project.add_relation(head.id or 0, head.id or 0, "supports")


def test_relation_across_documents_is_refused(project: Project) -> None:
    first, second = add_article(project), add_article(project, OTHER)
    head = project.add_span(first, 0, 9, "source")
    child = project.add_span(second, 4, 11, "location")

    with pytest.raises(ValidationError, match="same document"):
        project.add_relation(head.id or 0, child.id or 0, "attributed_to")
    assert project.relations(first) == [] and project.relations(second) == []


def test_set_status(project: Project) -> None:
    doc_id = add_article(project)
    assert project.set_status(doc_id, "done") == "new"
    assert project.document(doc_id).status == "done"
    assert project.documents(status="done")[0].id == doc_id
    with pytest.raises(ValidationError, match="unknown status"):
        project.set_status(doc_id, "finished")
    assert project.document(doc_id).status == "done"


@pytest.mark.parametrize(
    ("start", "end", "label", "message"),
    [
        (0, 5, "villain", "unknown label"),
        (5, 5, "claim", "outside"),
        (6, 2, "claim", "outside"),
        (-1, 4, "claim", "outside"),
        (0, len(ARTICLE) + 1, "claim", "outside"),
        (0, True, "claim", "integers"),
        (0.0, 4, "claim", "integers"),
    ],
)
def test_bad_span_is_refused_and_nothing_stored(
    project: Project,
    start: int,
    end: int,
    label: str,
    message: str,
    snapshot: Callable[[Project], dict[str, object]],
) -> None:
    add_article(project)
    doc_id = project.documents()[0].id or 0
    before = snapshot(project)

    with pytest.raises(ValidationError, match=message):
        project.add_span(doc_id, start, end, label)

    assert snapshot(project) == before
    assert project.document(doc_id).status == "new"


def test_update_span_refuses_bad_changes(project: Project) -> None:
    doc_id = add_article(project)
    span = project.add_span(doc_id, 0, 9, "source")
    for changes in ({"end": len(ARTICLE) + 5}, {"label": "villain"}, {"document_id": 2}):
        with pytest.raises(ValidationError):
            project.update_span(span.id or 0, **changes)
    assert project.span(span.id or 0) == span


def test_add_document_is_all_or_nothing(project: Project) -> None:
    text = ARTICLE
    bad = IncomingDocument(
        text,
        spans=[span_of(text, "Abuja", "location", 1), span_of(text, "Lagos", "location", 2)],
        relations=[IncomingRelation(1, 3, "part_of")],
    )
    with pytest.raises(ValidationError, match="unknown span"):
        project.add_document(bad)
    assert project.document_count() == 0
    assert project.stats()["spans_by_label"]["location"] == 0


# -- listeners ------------------------------------------------------------------------


def test_listeners_hear_each_committed_change_once(project: Project) -> None:
    doc_id = add_article(project)
    heard: list[tuple[ChangeSet, int]] = []

    def listener(change: ChangeSet) -> None:
        # Another connection sees the change already: it was committed before we were told.
        with sqlite3.connect(project.path) as other:
            count = other.execute("SELECT count(*) FROM spans").fetchone()[0]
        other.close()
        heard.append((change, count))

    project.subscribe(listener)
    span = project.add_span(doc_id, 0, 9, "source")
    # The span and the document's status (new -> in progress): told once, after commit,
    # with the new values.
    ((change, count),) = heard
    assert count == 1
    assert change.spans == {span.id: Edit(None, span)}
    assert change.documents == {
        doc_id: Edit(DocumentState(doc_id, "new"), DocumentState(doc_id, "in_progress"))
    }

    heard.clear()
    project.set_status(doc_id, "done")
    ((change, _),) = heard
    assert change.kinds() == {"documents"}
    assert change.documents[doc_id].new == DocumentState(doc_id, "done")

    heard.clear()
    project.delete_span(span.id or 0)
    ((change, count),) = heard
    assert (change.spans, count) == ({span.id: Edit(span, None)}, 0)

    heard.clear()
    with pytest.raises(ValidationError):
        project.add_span(doc_id, 0, 9, "villain")
    with pytest.raises(ValidationError):
        project.add_span(doc_id, 0, len(ARTICLE) + 1, "claim")
    other = project.add_span(doc_id, 0, 9, "source")
    heard.clear()
    with pytest.raises(ValidationError):
        project.add_relation(other.id or 0, other.id or 0, "part_of")
    with pytest.raises(ValidationError):
        project.set_status(doc_id, "finished")
    assert heard == []

    project.unsubscribe(listener)
    project.add_span(doc_id, 1, 9, "source")
    assert heard == []


def test_listeners_hear_nothing_from_a_rolled_back_transaction(project: Project) -> None:
    doc_id = add_article(project)
    heard: list[ChangeSet] = []
    project.subscribe(heard.append)

    with pytest.raises(RuntimeError), project.transaction():
        project.add_span(doc_id, 0, 9, "source")
        project.add_span(doc_id, 13, 18, "location")
        assert heard == []  # not yet: nothing is committed
        raise RuntimeError("the user cancelled")

    assert heard == []
    assert project.spans(doc_id) == []
    assert project.document(doc_id).status == "new"

    with project.transaction():
        first = project.add_span(doc_id, 0, 9, "source")
        second = project.add_span(doc_id, 13, 18, "location")
    # One batch: one notice, naming both spans with their values.
    (change,) = heard
    assert change.spans == {first.id: Edit(None, first), second.id: Edit(None, second)}


def test_listeners_hear_of_an_import_once_it_is_stored(project: Project, corpus: Path) -> None:
    heard: list[tuple[str, int]] = []
    project.subscribe(
        lambda change: heard.append((change.documents_reloaded, project.document_count()))
    )

    import_file(project, corpus / "bad" / "binary.txt")
    assert heard == []
    import_file(project, corpus / "annotated.jsonl")
    assert heard and all(reloaded and count == 3 for reloaded, count in heard)


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["claim", "source", "location", "number", "Zitat", "引用"]),
            st.sampled_from([None, "", "ana", "Ana", "ben", "bén", "(none)", "z" * 40]),
        ),
        max_size=60,
    )
)
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_stats_count_spans_as_a_plain_count_of_their_rows(
    tmp_path: Path, marks: list[tuple[str, str | None]]
) -> None:
    path = tmp_path / f"stats-{len(list(tmp_path.iterdir()))}.factmark"
    with Project.open(path) as project:
        for name in ("Zitat", "引用"):
            project.add_label(name, colour="#336699")
        doc_id = add_article(project)
        for start, (label, annotator) in enumerate(marks):
            project.add_span(doc_id, start, start + 1, label, annotator)
        figures = project.stats()
    # The oracle: every span row read by plain sqlite3 and counted in Python.
    with closing(sqlite3.connect(path)) as plain:
        rows = plain.execute("SELECT label, annotator FROM spans").fetchall()
    assert len(rows) == len(marks)
    labels = dict.fromkeys(["claim", "source", "location", "number", "Zitat", "引用"], 0)
    labels.update(Counter(label for label, _ in rows))
    people = Counter(annotator or "(none)" for _, annotator in rows)
    assert figures["spans_by_label"] == labels
    assert figures["spans_by_annotator"] == dict(sorted(people.items()))
    assert list(figures["spans_by_annotator"]) == sorted(people)
