"""The project database schema, grown only through ``sqlite_utils.Migrations``.

Never edit a migration that has shipped: add a new one at the end of ``MIGRATIONS``.

The migrations are plain functions registered with sqlite-utils only when some are
to be applied (:func:`migrations`): opening an up-to-date project, which is every
start of the app but the first, then needs no sqlite-utils import at all (about a
fifth of the start time). :func:`applied_names` reads what sqlite-utils recorded.
"""

from __future__ import annotations

import json
import sqlite3
from functools import cache
from typing import TYPE_CHECKING

from factmark.core.resources import default_labels, resource_path

if TYPE_CHECKING:
    from sqlite_utils import Database, Migrations

MIGRATION_SET = "factmark"
# Where sqlite-utils records applied migrations (``Migrations.migrations_table``;
# tests/core/test_project.py checks the two agree).
MIGRATIONS_TABLE = "_sqlite_migrations"


def m001_initial(db: Database) -> None:
    """Documents, labels, annotators, spans and relations, with the default labels."""
    db.executescript(
        """
        CREATE TABLE documents (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL DEFAULT '',
            text TEXT NOT NULL,
            meta TEXT NOT NULL DEFAULT '{}',
            status TEXT NOT NULL DEFAULT 'new'
                CHECK (status IN ('new', 'in_progress', 'done', 'skipped')),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE labels (
            name TEXT PRIMARY KEY,
            key TEXT NOT NULL DEFAULT '',
            colour TEXT NOT NULL DEFAULT '#999999',
            description TEXT NOT NULL DEFAULT '',
            position INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE annotators (
            name TEXT PRIMARY KEY,
            created_at TEXT NOT NULL
        );
        CREATE TABLE spans (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            label TEXT NOT NULL REFERENCES labels(name) ON UPDATE CASCADE,
            annotator TEXT,
            note TEXT,
            attrs TEXT NOT NULL DEFAULT '{}',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            CHECK (start >= 0 AND start < "end")
        );
        CREATE INDEX spans_by_document ON spans(document_id, start);
        CREATE TABLE relations (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            head_span_id INTEGER NOT NULL REFERENCES spans(id) ON DELETE CASCADE,
            child_span_id INTEGER NOT NULL REFERENCES spans(id) ON DELETE CASCADE,
            label TEXT NOT NULL
        );
        CREATE INDEX relations_by_document ON relations(document_id);
        """
    )
    for position, label in enumerate(default_labels()["labels"]):
        db.execute(
            "INSERT INTO labels (name, key, colour, description, position) VALUES (?, ?, ?, ?, ?)",
            [label["name"], label["key"], label["colour"], label["description"], position],
        )


def m002_relation_types(db: Database) -> None:
    """Per-project relation types (defaults plus any already used) and a status index."""
    db.executescript(
        """
        CREATE TABLE relation_types (
            name TEXT PRIMARY KEY,
            description TEXT NOT NULL DEFAULT '',
            position INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX documents_by_status ON documents(status);
        """
    )
    for position, kind in enumerate(default_labels()["relation_types"]):
        db.execute(
            "INSERT INTO relation_types (name, description, position) VALUES (?, ?, ?)",
            [kind["name"], kind["description"], position],
        )
    db.execute(
        "INSERT OR IGNORE INTO relation_types (name, position) "
        "SELECT DISTINCT label, 100 FROM relations"
    )


def m003_suggestions(db: Database) -> None:
    """Suggested spans awaiting review: shaped like spans, plus who suggested them.

    A suggestion is never a span: exports, statistics and document status read
    ``spans`` only. ``rejected_at`` keeps a rejected suggestion (hidden) so that
    suggesting again does not bring back what the annotator already refused.
    """
    db.executescript(
        """
        CREATE TABLE suggestions (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            label TEXT NOT NULL
                REFERENCES labels(name) ON UPDATE CASCADE ON DELETE CASCADE,
            suggester TEXT NOT NULL,
            confidence REAL NOT NULL DEFAULT 0.5,
            created_at TEXT NOT NULL,
            rejected_at TEXT,
            CHECK (start >= 0 AND start < "end"),
            UNIQUE (document_id, start, "end", label)
        );
        """
    )


def m004_settings(db: Database) -> None:
    """Project settings (key -> JSON): annotation guidelines and per-label attributes."""
    db.execute("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    guidelines = resource_path("guidelines.md").read_text(encoding="utf-8")
    attributes = json.loads(resource_path("attributes.json").read_text(encoding="utf-8"))
    attributes.pop("_comment", None)
    db.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?)", ["guidelines", json.dumps(guidelines)]
    )
    db.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?)", ["attributes", json.dumps(attributes)]
    )


def m005_spans_in_text_order(db: Database) -> None:
    """An index in the order spans are shown and exported (outer before inner at the
    same start), so neither has to sort them; it replaces the (document, start) index."""
    db.executescript(
        """
        CREATE INDEX spans_in_text_order ON spans(document_id, start, "end" DESC, label, id);
        DROP INDEX spans_by_document;
        """
    )


def m006_attribute_keys_clear_of_menus(db: Database) -> None:
    """Attribute keys move from Alt+letter to Shift+Alt+letter: Alt+F, Alt+E, Alt+D and
    Alt+V open the File, Edit, Document and View menus, so Qt delivered none of them."""
    row = db.execute("SELECT value FROM settings WHERE key = 'attributes'").fetchone()
    if row is None:
        return
    try:
        attributes = json.loads(row[0])
    except ValueError:
        return  # a damaged value stays as it is; the window reads it with defaults
    if not isinstance(attributes, dict):
        return
    for definitions in attributes.values():
        for definition in definitions if isinstance(definitions, list) else []:
            keys = definition.get("keys") if isinstance(definition, dict) else None
            if isinstance(keys, list):
                definition["keys"] = [
                    "Shift+" + key
                    if isinstance(key, str) and key.startswith("Alt+") and len(key) == 5
                    else key
                    for key in keys
                ]
    db.execute("UPDATE settings SET value = ? WHERE key = 'attributes'", [json.dumps(attributes)])


def m007_label_ids(db: Database) -> None:
    """Labels and link types get a stable number, ``id``, that undo steps refer to them by,
    so that a rename no longer breaks them. Existing rows are numbered 1..n in their
    order. ``last_ids`` keeps the largest number each table ever gave (a trigger keeps
    it up to date), and a new row takes one more (:data:`NEXT_LABEL_ID`), so a number
    is never given again to another label after its own was deleted.

    SQLite cannot add a UNIQUE or NOT NULL column to a table with rows: the column is
    added, filled, then made unique by an index, and triggers refuse a row without one.
    """
    db.execute("CREATE TABLE last_ids (name TEXT PRIMARY KEY, id INTEGER NOT NULL)")
    for table in ("labels", "relation_types"):
        db.execute(f"ALTER TABLE {table} ADD COLUMN id INTEGER")
        names = db.execute(f"SELECT name FROM {table} ORDER BY position, name").fetchall()
        db.conn.executemany(
            f"UPDATE {table} SET id = ? WHERE name = ?",
            [(number, name) for number, (name,) in enumerate(names, start=1)],
        )
        db.execute("INSERT INTO last_ids (name, id) VALUES (?, ?)", [table, len(names)])
        # One statement at a time: executescript would commit the migration half done.
        db.execute(f"CREATE UNIQUE INDEX {table}_by_id ON {table}(id)")
        for trigger in _label_id_triggers(table).values():
            db.execute(trigger)


def _label_id_triggers(table: str) -> dict[str, str]:
    """m007's triggers on ``labels`` or ``relation_types``, by name: a row needs an id,
    and ``last_ids`` keeps the largest given."""
    triggers = {
        f"{table}_id_on_{event.split()[0].lower()}": (
            f"CREATE TRIGGER {table}_id_on_{event.split()[0].lower()} "
            f"BEFORE {event} ON {table} WHEN NEW.id IS NULL "
            f"BEGIN SELECT RAISE(ABORT, '{table}.id may not be NULL'); END"
        )
        for event in ("INSERT", "UPDATE OF id")
    }
    triggers[f"{table}_last_id"] = (
        f"CREATE TRIGGER {table}_last_id AFTER INSERT ON {table} BEGIN "
        f"UPDATE last_ids SET id = max(id, NEW.id) WHERE name = '{table}'; END"
    )
    return triggers


# The tombstone of a span, or of a link, a trigger's OLD or NEW row stands for.
_SAME_SPAN = (
    "document_id = {row}.document_id AND kind = 'span' AND annotator IS {row}.annotator "
    'AND start = {row}.start AND "end" = {row}."end" AND label = {row}.label'
)
_SAME_LINK = (
    "document_id = {row}.document_id AND kind = 'relation' AND link = {row}.label "
    "AND EXISTS (SELECT 1 FROM spans h, spans c WHERE h.id = {row}.head_span_id "
    "AND c.id = {row}.child_span_id AND h.annotator IS tombstones.annotator "
    'AND h.start = tombstones.start AND h."end" = tombstones."end" '
    "AND h.label = tombstones.label AND c.annotator IS tombstones.child_annotator "
    'AND c.start = tombstones.child_start AND c."end" = tombstones.child_end '
    "AND c.label = tombstones.child_label)"
)


def m008_merge_base(db: Database) -> None:
    """What three-way merges need (see :mod:`factmark.core.threeway`).

    - ``copy_origin`` (one row in a copy made by File > Export project for annotator or
      ``factmark copy``): the copy's id, its annotator, when and from which file;
    - ``merge_base``: what the copy held when it was made, per document (its status) and
      per span and link (identity ``key`` and ``content``, both JSON);
    - ``tombstones``: spans and links deleted in this project, with what they held (filled
      by triggers, so every way of deleting records one; a span or link there again under
      the same identity outweighs its tombstone), which a merge carries on to the projects
      this one is merged into;
    - ``merge_conflicts``: edits made both here and in a merged copy since their base,
      waiting for a decision in review mode (``decided`` is NULL until then);
    - ``spans.origin``: the copy a span was merged from and when (JSON; NULL when made here).
    """
    db.execute("ALTER TABLE spans ADD COLUMN origin TEXT")
    for statement in (
        """CREATE TABLE copy_origin (
            copy_id TEXT PRIMARY KEY,
            annotator TEXT,
            made_at TEXT NOT NULL,
            made_from TEXT NOT NULL DEFAULT ''
        )""",
        """CREATE TABLE merge_base (
            uid TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('document', 'span', 'relation')),
            key TEXT NOT NULL,
            content TEXT NOT NULL,
            PRIMARY KEY (uid, kind, key)
        )""",
        # A span's identity and content, or a link's two spans and type, in columns:
        # the triggers that fill it may call no SQL function (trusted_schema is off).
        """CREATE TABLE tombstones (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN ('span', 'relation')),
            annotator TEXT,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            label TEXT NOT NULL,
            note TEXT,
            attrs TEXT NOT NULL DEFAULT '{}',
            child_annotator TEXT,
            child_start INTEGER,
            child_end INTEGER,
            child_label TEXT,
            link TEXT
        )""",
        "CREATE INDEX tombstones_by_document ON tombstones(document_id, kind, start)",
        """CREATE TABLE merge_conflicts (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN ('span', 'status')),
            key TEXT NOT NULL,
            target TEXT NOT NULL,
            source TEXT NOT NULL,
            copy TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            decided TEXT CHECK (decided IN ('source', 'target')),
            decided_at TEXT
        )""",
        "CREATE INDEX merge_conflicts_by_document ON merge_conflicts(document_id)",
        # A span deleted (not with its document) leaves a tombstone of what it held.
        f"""CREATE TRIGGER spans_tombstone AFTER DELETE ON spans
        WHEN EXISTS (SELECT 1 FROM documents WHERE id = OLD.document_id) BEGIN
            DELETE FROM tombstones WHERE {_SAME_SPAN.format(row="OLD")};
            INSERT INTO tombstones (document_id, kind, annotator, start, "end", label, note, attrs)
            VALUES (OLD.document_id, 'span', OLD.annotator, OLD.start, OLD."end", OLD.label,
                    OLD.note, OLD.attrs);
        END""",
        # A link deleted while both its spans are there (not with one of them).
        f"""CREATE TRIGGER relations_tombstone AFTER DELETE ON relations BEGIN
            DELETE FROM tombstones WHERE {_SAME_LINK.format(row="OLD")};
            INSERT INTO tombstones (document_id, kind, annotator, start, "end", label,
                child_annotator, child_start, child_end, child_label, link)
            SELECT OLD.document_id, 'relation', h.annotator, h.start, h."end", h.label,
                   c.annotator, c.start, c."end", c.label, OLD.label
            FROM spans h, spans c WHERE h.id = OLD.head_span_id AND c.id = OLD.child_span_id;
        END""",
    ):
        # One statement at a time: executescript would commit the migration half done.
        db.execute(statement)


def m009_links_by_span(db: Database) -> None:
    """Indexes of links by their head and child spans: deleting a span (which deletes its
    links) no longer reads every link of the project, which made a merge that deletes
    spans slow down as the project grew."""
    db.execute("CREATE INDEX relations_by_head ON relations(head_span_id)")
    db.execute("CREATE INDEX relations_by_child ON relations(child_span_id)")


# The document search index (m010_document_search): made exactly so, or not used.
DOCUMENT_SEARCH_SQL = (
    "CREATE VIRTUAL TABLE document_search USING fts5(title, text, content='', "
    "tokenize='trigram', detail='none')"
)


def m010_document_search(db: Database) -> None:
    """A full-text index of titles and texts for the document list's search: SQLite's
    FTS5 with its trigram tokenizer, which finds any run of three or more characters in
    any script (Chinese and Japanese have no spaces between words for a word tokenizer to
    find). Contentless (the text stays in ``documents`` only) and without positions
    (``detail='none'``): about a tenth of the text's size. A search asks it for the
    documents holding every three-character piece of the words, then checks each."""
    db.execute(DOCUMENT_SEARCH_SQL)
    db.execute(
        "INSERT INTO document_search (rowid, title, text) SELECT id, title, text FROM documents"
    )


def m011_documents_listed(db: Database) -> None:
    """An index holding what the document list shows (id, status, uid, title), so that
    listing an archive reads the index, not every page of every text (100,000 articles:
    0.33 s to 0.16 s)."""
    db.execute("CREATE INDEX documents_listed ON documents(id, status, uid, title)")


def m012_fact_check_archive(db: Database) -> None:
    """The archive of earlier fact-checks (:mod:`factmark.core.archive`), kept in the
    project file so that it travels with the project: one row per review, known by its
    URL (adding the same review again updates it). ``review_date`` is ``YYYY-MM-DD`` or
    empty; ``language`` a language tag (``en``, ``pt-BR``) or empty when not known;
    ``source_file`` the name of the file it was last added from."""
    db.execute(
        """CREATE TABLE fact_checks (
            id INTEGER PRIMARY KEY,
            url TEXT NOT NULL UNIQUE,
            claim TEXT NOT NULL,
            rating TEXT NOT NULL DEFAULT '',
            reviewer TEXT NOT NULL DEFAULT '',
            claimant TEXT NOT NULL DEFAULT '',
            review_date TEXT NOT NULL DEFAULT '',
            language TEXT NOT NULL DEFAULT '',
            title TEXT NOT NULL DEFAULT '',
            source_file TEXT NOT NULL DEFAULT '',
            added_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )"""
    )


def m013_spans_by_label(db: Database) -> None:
    """An index of spans by label and annotator: the statistics count spans by both from
    the index alone (2 million spans: about 0.9 s to under 0.1 s)."""
    db.execute("CREATE INDEX spans_by_label ON spans(label, annotator)")


def m014_link_attributes(db: Database) -> None:
    """Links carry a note and attributes of their own (``relations.note``, ``attrs`` a
    JSON object, as spans have), defined per link type in the setting
    ``link_attributes`` (from ``resources/link_attributes.json``: ``quote`` direct /
    indirect / mixed on ``attributed_to``). A deleted link's tombstone keeps its note and
    attributes, and a merge conflict can be about a link (``kind = 'relation'``): the
    conflict table is made again with the wider check, its rows kept."""
    db.execute("ALTER TABLE relations ADD COLUMN note TEXT")
    db.execute("ALTER TABLE relations ADD COLUMN attrs TEXT NOT NULL DEFAULT '{}'")
    definitions = json.loads(resource_path("link_attributes.json").read_text(encoding="utf-8"))
    definitions.pop("_comment", None)
    db.execute(
        "INSERT OR IGNORE INTO settings (key, value) VALUES ('link_attributes', ?)",
        [json.dumps(definitions)],
    )
    db.execute("DROP TRIGGER relations_tombstone")
    db.execute(
        f"""CREATE TRIGGER relations_tombstone AFTER DELETE ON relations BEGIN
            DELETE FROM tombstones WHERE {_SAME_LINK.format(row="OLD")};
            INSERT INTO tombstones (document_id, kind, annotator, start, "end", label, note,
                attrs, child_annotator, child_start, child_end, child_label, link)
            SELECT OLD.document_id, 'relation', h.annotator, h.start, h."end", h.label,
                   OLD.note, OLD.attrs, c.annotator, c.start, c."end", c.label, OLD.label
            FROM spans h, spans c WHERE h.id = OLD.head_span_id AND c.id = OLD.child_span_id;
        END"""
    )
    for statement in (
        """CREATE TABLE merge_conflicts_new (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN ('span', 'status', 'relation')),
            key TEXT NOT NULL,
            target TEXT NOT NULL,
            source TEXT NOT NULL,
            copy TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            decided TEXT CHECK (decided IN ('source', 'target')),
            decided_at TEXT
        )""",
        "INSERT INTO merge_conflicts_new SELECT id, document_id, kind, key, target, source, "
        "copy, created_at, decided, decided_at FROM merge_conflicts",
        "DROP TABLE merge_conflicts",
        "ALTER TABLE merge_conflicts_new RENAME TO merge_conflicts",
        "CREATE INDEX merge_conflicts_by_document ON merge_conflicts(document_id)",
    ):
        db.execute(statement)


def m015_spans_for_agreement(db: Database) -> None:
    """The text-order index also holds each span's annotator, so that the agreement reads
    every span it compares from the index alone, in text order (2 million spans: the
    table's pages are not read); and a small index of the documents whose spans carry
    attributes, the only ones the agreement reads in full. The text-order index keeps its
    name and its order: it is made again with one more column."""
    for statement in (
        "DROP INDEX spans_in_text_order",
        'CREATE INDEX spans_in_text_order ON spans(document_id, start, "end" DESC, label, id, '
        "annotator)",
        "CREATE INDEX spans_with_attributes ON spans(document_id) WHERE attrs <> '{}'",
    ):
        db.execute(statement)


# A new tombstone is written before the older one of the same span or link goes: it takes
# a number no tombstone held before (SQLite gives one more than the largest there), so a
# later deletion of the same identity is told from the one a merge already took.
_NEWER_SPAN_TOMBSTONE = (
    "CREATE TRIGGER spans_tombstone AFTER DELETE ON spans "
    "WHEN EXISTS (SELECT 1 FROM documents WHERE id = OLD.document_id) BEGIN "
    'INSERT INTO tombstones (document_id, kind, annotator, start, "end", label, note, attrs) '
    "VALUES (OLD.document_id, 'span', OLD.annotator, OLD.start, OLD.\"end\", OLD.label, "
    "OLD.note, OLD.attrs); "
    f"DELETE FROM tombstones WHERE {_SAME_SPAN.format(row='OLD')} "
    "AND id < (SELECT id FROM tombstones ORDER BY id DESC LIMIT 1); END"
)
_NEWER_LINK_TOMBSTONE = (
    "CREATE TRIGGER relations_tombstone AFTER DELETE ON relations BEGIN "
    'INSERT INTO tombstones (document_id, kind, annotator, start, "end", label, note, attrs, '
    "child_annotator, child_start, child_end, child_label, link) "
    "SELECT OLD.document_id, 'relation', h.annotator, h.start, h.\"end\", h.label, OLD.note, "
    'OLD.attrs, c.annotator, c.start, c."end", c.label, OLD.label '
    "FROM spans h, spans c WHERE h.id = OLD.head_span_id AND c.id = OLD.child_span_id; "
    f"DELETE FROM tombstones WHERE {_SAME_LINK.format(row='OLD')} "
    "AND id < (SELECT id FROM tombstones ORDER BY id DESC LIMIT 1); END"
)


def m016_deletions_taken(db: Database) -> None:
    """A later round of merging the same copy applies only what the copy changed since the
    round before (:mod:`factmark.core.threeway`).

    - ``deletions_taken``: per copy (its id) and document, each span or link deletion of
      the copy a merge has taken or seen (``key``: its identity, JSON as the conflict queue
      writes it) and the copy's tombstone it came from (``tombstone``, that row's id; NULL
      when the copy simply lacks a span or link of its base). A later round passes over a
      deletion already there, so a span the lead added again stays; a new tombstone of the
      same identity (the annotator added it again and deleted it again) is a new deletion.
    - The tombstone triggers write the new tombstone before removing the older one of the
      same identity, so that each deletion gets a number of its own (before, deleting the
      last tombstone first gave the new one the same number again).
    """
    for statement in (
        """CREATE TABLE deletions_taken (
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            copy_id TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('span', 'relation')),
            key TEXT NOT NULL,
            tombstone INTEGER,
            PRIMARY KEY (document_id, copy_id, kind, key)
        )""",
        # IF EXISTS: an older copy being upgraded to be read by a merge has none left.
        "DROP TRIGGER IF EXISTS spans_tombstone",
        _NEWER_SPAN_TOMBSTONE,
        "DROP TRIGGER IF EXISTS relations_tombstone",
        _NEWER_LINK_TOMBSTONE,
    ):
        # One statement at a time: executescript would commit the migration half done.
        db.execute(statement)


def m017_tombstone_origins(db: Database) -> None:
    """A span's tombstone records where the deleted span came from (``tombstones.origin``):
    ``''`` when it was made in this project, else its ``spans.origin`` (the copy it was
    merged from, JSON); NULL for a tombstone written before. A merge reads it when the
    copy's base lacks the span (the copy added it, then deleted it): the tombstone then
    deletes the target's span only if the target's came from the same place, so a gold
    span the lead accepted in one copy and undid does not delete the same gold span
    another copy brought (:mod:`factmark.core.threeway`)."""
    for statement in (
        "ALTER TABLE tombstones ADD COLUMN origin TEXT",
        # IF EXISTS: an older copy being upgraded to be read by a merge has none left.
        "DROP TRIGGER IF EXISTS spans_tombstone",
        _ORIGIN_SPAN_TOMBSTONE,
    ):
        # One statement at a time: executescript would commit the migration half done.
        db.execute(statement)


# m016's span trigger, writing the deleted span's origin too (a CASE, not a function: the
# triggers may call none).
_ORIGIN_SPAN_TOMBSTONE = (
    "CREATE TRIGGER spans_tombstone AFTER DELETE ON spans "
    "WHEN EXISTS (SELECT 1 FROM documents WHERE id = OLD.document_id) BEGIN "
    'INSERT INTO tombstones (document_id, kind, annotator, start, "end", label, note, attrs, '
    "origin) VALUES (OLD.document_id, 'span', OLD.annotator, OLD.start, OLD.\"end\", "
    "OLD.label, OLD.note, OLD.attrs, CASE WHEN OLD.origin IS NULL THEN '' ELSE OLD.origin "
    "END); "
    f"DELETE FROM tombstones WHERE {_SAME_SPAN.format(row='OLD')} "
    "AND id < (SELECT id FROM tombstones ORDER BY id DESC LIMIT 1); END"
)


# The id a new label or link type takes, as an SQL expression (see m007_label_ids).
NEXT_LABEL_ID = "(SELECT id + 1 FROM last_ids WHERE name = 'labels')"
NEXT_RELATION_TYPE_ID = "(SELECT id + 1 FROM last_ids WHERE name = 'relation_types')"


MIGRATIONS = (
    m001_initial,
    m002_relation_types,
    m003_suggestions,
    m004_settings,
    m005_spans_in_text_order,
    m006_attribute_keys_clear_of_menus,
    m007_label_ids,
    m008_merge_base,
    m009_links_by_span,
    m010_document_search,
    m011_documents_listed,
    m012_fact_check_archive,
    m013_spans_by_label,
    m014_link_attributes,
    m015_spans_for_agreement,
    m016_deletions_taken,
    m017_tombstone_origins,
)
KNOWN_MIGRATIONS: tuple[str, ...] = tuple(m.__name__ for m in MIGRATIONS)

# The triggers a project made by this version holds, by name, each as SQLite keeps it in
# sqlite_master (the statement that made it); it holds no views. A migration that makes,
# changes or drops one changes this too (tests/core/test_stored_code.py compares it with
# a new project's).
TRIGGERS: dict[str, str] = {
    **_label_id_triggers("labels"),
    **_label_id_triggers("relation_types"),
    "spans_tombstone": _ORIGIN_SPAN_TOMBSTONE,
    "relations_tombstone": _NEWER_LINK_TOMBSTONE,
}


@cache
def migrations() -> Migrations:
    """The sqlite-utils migration set of a project, in order."""
    from sqlite_utils import Migrations

    registered = Migrations(MIGRATION_SET)
    for migration in MIGRATIONS:
        registered()(migration)
    return registered


def applied_names(conn: sqlite3.Connection) -> list[str]:
    """Names of the Factmark migrations applied to a database, in the order applied."""
    found = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [MIGRATIONS_TABLE]
    ).fetchone()
    if found is None:
        return []
    rows = conn.execute(
        f"SELECT name FROM {MIGRATIONS_TABLE} WHERE migration_set = ? ORDER BY rowid",
        [MIGRATION_SET],
    )
    return [name for (name,) in rows]
