"""Span labels and relation (link) types: their order, their checks and renames."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from factmark.core.actions import label_key_problem
from factmark.core.model import Label, RelationType, ValidationError, check_name_length
from factmark.core.safe_text import first_unsafe
from factmark.core.schema import NEXT_LABEL_ID, NEXT_RELATION_TYPE_ID
from factmark.core.settings_store import settings_value
from factmark.core.storage import Storage

COLOUR_PATTERN = re.compile(r"#[0-9A-Fa-f]{6}")
# The Okabe-Ito palette, distinguishable with the common colour-vision deficiencies.
OKABE_ITO: tuple[str, ...] = (
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#F0E442",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
    "#000000",
)
# The colours labels get when added without one (an import, the Labels dialog's Add, cues),
# the first no label has: Okabe-Ito without its black, which a label's translucent tint
# does not show on a dark theme, then six of like lightness from Tol's, ColorBrewer's and
# Tableau's palettes, each chosen the farthest (CIELAB) from those before it as the article
# tints them on a light and on a dark page: none nearer to another there than Okabe-Ito's
# own two blues are, and none grey (the colour of a span whose label has none).
LABEL_COLOURS: tuple[str, ...] = (
    *OKABE_ITO[:7],
    "#E7298A",
    "#80BA5A",
    "#E31A1C",
    "#EE8866",
    "#17BECF",
    "#A6761D",
)
NO_COLOUR = "#999999"
# The keys labels get when added without one, the first no label, action or attribute
# takes (see :func:`free_key`).
LABEL_KEYS = "123456789abcdefghijklmnopqrstuvwxyz"
RELATION_TYPES = "relation_types"  # the change kind of link-type edits other than renames


class LabelsStore(Storage):
    """A project's span labels and relation types; changes to either are "labels" changes."""

    # -- labels --------------------------------------------------------------

    def labels(self) -> list[Label]:
        """The project's span labels in toolbar order."""
        return [
            Label(r["name"], r["key"], r["colour"], r["description"], r["position"], r["id"])
            for r in self._query("SELECT * FROM labels ORDER BY position, name")
        ]

    def label_id(self, name: str) -> int:
        """The stable id of label ``name``; ValidationError for an unknown label.
        (Known labels are remembered until the labels change, as for labelling.)"""
        known = self._label_names.get(name)
        if known is not None:
            return known
        rows = self._query("SELECT id FROM labels WHERE name = ?", [name])
        if not rows:
            raise ValidationError(f"unknown label {name!r}")
        self._label_names[name] = found = int(rows[0]["id"])
        return found

    def label_name(self, label_id: int) -> str:
        """The name label ``label_id`` has now; ValidationError when there is none."""
        for name, known in self._label_names.items():
            if known == label_id:
                return name
        rows = self._query("SELECT name FROM labels WHERE id = ?", [label_id])
        if not rows:
            raise ValidationError(f"the label (number {label_id}) no longer exists")
        name = str(rows[0]["name"])
        self._label_names[name] = label_id
        return name

    def add_label(
        self, name: str, key: str = "", colour: str = "#999999", description: str = ""
    ) -> Label:
        """Add a span label at the end of the label list.

        The name must be new, the key one printable character no other label uses
        (or empty for none) and the colour ``#RRGGBB``; see :func:`check_label`.
        """
        with self.transaction():
            labels = self.labels()
            label = check_label(Label(name, key, colour, description, len(labels)), labels)
            next_id = self._query(f"SELECT {NEXT_LABEL_ID} AS id")[0]["id"]
            label = replace(label, id=int(next_id))
            self._insert_label_row(label)
        self._notify("labels")
        return label

    def restore_label(self, label: Label, suggestions: Sequence[tuple[Any, ...]] = ()) -> None:
        """Put back a label as :meth:`delete_label` returned it (undo): the same id,
        key, colour and description, at its position (the labels after it move down),
        with the ``suggestions`` of it that deleting dropped (from
        :meth:`label_suggestion_rows`). The name and key are checked as
        :meth:`add_label` checks them."""
        wanted = label.id
        if wanted is None:
            raise ValidationError(f"label {label.name!r} has no id to restore")
        with self.transaction():
            labels = self.labels()
            label = check_label(label, labels, kept_name=label.name)  # as it was stored
            _refuse_taken_id("label", wanted, {x.id: x.name for x in labels})
            self._insert_label_row(label)
            names = [x.name for x in labels]
            names.insert(min(max(label.position, 0), len(names)), label.name)
            self._number_rows("labels", names)
            self.conn.executemany(
                'INSERT INTO suggestions (id, document_id, start, "end", suggester, confidence, '
                "created_at, rejected_at, label) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(*row, label.name) for row in suggestions],
            )
            for document_id in sorted({row[1] for row in suggestions}):
                self._notify("suggestions", document_id)
        self._notify("labels")

    def label_suggestion_rows(self, name: str) -> list[tuple[Any, ...]]:
        """The stored suggestions of label ``name``, rejected ones too, which deleting
        the label drops with it: rows for :meth:`restore_label` to put back."""
        return [
            tuple(row.values())
            for row in self._query(
                'SELECT id, document_id, start, "end", suggester, confidence, created_at, '
                "rejected_at FROM suggestions WHERE label = ? ORDER BY id",
                [name],
            )
        ]

    def _insert_label_row(self, label: Label) -> None:
        self.conn.execute(
            "INSERT INTO labels (id, name, key, colour, description, position) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [label.id, label.name, label.key, label.colour, label.description, label.position],
        )

    def update_label(self, name: str, /, **changes: Any) -> Label:
        """Rename, re-key, recolour or re-describe a label; spans follow a rename.

        ``update_label("claim", name="assertion", key="a")``: ``name`` is
        positional-only so that ``name=`` can be a change. The new values are
        checked as :meth:`add_label` checks them; changing nothing writes nothing
        and notifies no one.
        """
        allowed = {"name", "key", "colour", "description"}
        if not changes.keys() <= allowed:
            raise ValidationError(f"labels have no field {sorted(changes.keys() - allowed)}")
        with self.transaction():
            labels = self.labels()
            old = _find_label(labels, name)
            new = check_label(
                replace(old, **changes), [x for x in labels if x.name != name], kept_name=name
            )
            if new == old:
                return old
            # spans.label is a foreign key with ON UPDATE CASCADE: a rename carries them along.
            self.conn.execute(
                "UPDATE labels SET name = ?, key = ?, colour = ?, description = ? WHERE name = ?",
                [new.name, new.key, new.colour, new.description, name],
            )
            self._notify("labels")
            if new.name != name:
                self._notify("label_renamed")  # stored spans now carry the new name
        return new

    def move_label(self, name: str, position: int) -> int:
        """Move a label to ``position`` (0 is first) in the toolbar order, shifting the
        labels in between; returns the position it had (for undo)."""
        with self.transaction():
            names = [label.name for label in self.labels()]
            old, names = _reordered(names, name, position, "label")
            self._number_rows("labels", names)
        self._notify("labels")
        return old

    def delete_label(self, name: str) -> Label:
        """Delete a label no span uses; returns it (with its position) so undo can
        add it back. Refuses a label in use rather than delete or orphan spans."""
        with self.transaction():
            labels = self.labels()
            label = _find_label(labels, name)
            used = self.label_span_counts().get(name, 0)
            _refuse_if_used("label", name, used, "span", "relabel or delete them first")
            self.conn.execute("DELETE FROM labels WHERE name = ?", [name])
            self._number_rows("labels", [x.name for x in labels if x.name != name])
        self._notify("labels")
        return label

    def label_span_counts(self) -> dict[str, int]:
        """How many spans use each label, every project label present (0 when unused)."""
        counts = {label.name: 0 for label in self.labels()}
        for r in self._query("SELECT label, count(*) AS n FROM spans GROUP BY label"):
            counts[r["label"]] = r["n"]
        return counts

    def _number_rows(self, table: str, names: list[str]) -> None:
        """Store ``names`` as the order of ``table`` (labels or relation types),
        positions 0, 1, 2, ..."""
        if table not in ("labels", "relation_types"):
            raise ValueError(f"{table!r} has no positions")
        self.conn.executemany(
            f"UPDATE {table} SET position = ? WHERE name = ?",
            [(position, name) for position, name in enumerate(names)],
        )

    def _insert_label(self, name: str) -> Label:
        """Add a label at the end (an import), with the key and colour of
        :meth:`free_key_and_colour`; returns it."""
        labels = self.labels()
        key, colour = self.free_key_and_colour(labels)
        self.conn.execute(
            f"INSERT INTO labels (id, name, key, colour, position) SELECT {NEXT_LABEL_ID}, "
            "?, ?, ?, count(*) FROM labels",
            [name, key, colour],
        )
        return Label(name, key, colour, "", len(labels))

    def free_key_and_colour(self, labels: Sequence[Label] | None = None) -> tuple[str, str]:
        """The key and colour a label added now without its own gets: the first of
        :data:`LABEL_KEYS` that no label, action or attribute key takes ("" when none is
        left) and the first of :data:`LABEL_COLOURS` no label has (grey when all are).
        ``labels``: the project's, when read already."""
        labels = self.labels() if labels is None else labels
        return free_key(labels, self._attribute_keys()), free_colour(labels)

    def _attribute_keys(self) -> list[str]:
        """The keys the project's span and link attributes set (``Shift+Alt+Y``)."""
        keys = []
        for (text,) in self._rows(
            "SELECT value FROM settings WHERE key IN ('attributes', 'link_attributes')"
        ):
            try:
                value = settings_value(text)
            except ValueError:
                continue  # a damaged setting: the window reads it as no attributes
            for definitions in value.values() if isinstance(value, dict) else ():
                for definition in definitions if isinstance(definitions, list) else ():
                    found = definition.get("keys") if isinstance(definition, dict) else None
                    keys += [key for key in found or () if isinstance(key, str)]
        return keys

    def relation_types(self) -> list[str]:
        """The project's relation types in order."""
        rows = self._query("SELECT name FROM relation_types ORDER BY position, name")
        return [r["name"] for r in rows]

    def relation_type_entries(self) -> list[RelationType]:
        """The relation types in order with their descriptions, places and ids."""
        rows = self._query(
            "SELECT name, description, id FROM relation_types ORDER BY position, name"
        )
        return [
            RelationType(r["name"], r["description"], position, r["id"])
            for position, r in enumerate(rows)
        ]

    def relation_type_id(self, name: str) -> int:
        """The stable id of relation type ``name``; ValidationError for an unknown one."""
        rows = self._query("SELECT id FROM relation_types WHERE name = ?", [name])
        if not rows:
            raise ValidationError(f"unknown link type {name!r}")
        return int(rows[0]["id"])

    def relation_type_name(self, type_id: int) -> str:
        """The name relation type ``type_id`` has now; ValidationError when there is none."""
        rows = self._query("SELECT name FROM relation_types WHERE id = ?", [type_id])
        if not rows:
            raise ValidationError(f"the link type (number {type_id}) no longer exists")
        return str(rows[0]["name"])

    def relation_type_rows(self) -> list[dict[str, Any]]:
        """Relation types with their description and how many links use each."""
        return self._query(
            "SELECT t.name, t.description, "
            "(SELECT count(*) FROM relations r WHERE r.label = t.name) AS links "
            "FROM relation_types t ORDER BY t.position, t.name"
        )

    def add_relation_type(self, name: str, description: str = "") -> str:
        """Add a relation type (a word, e.g. ``contradicts``) at the end of the list;
        returns its name as stored. The name is checked by :func:`check_relation_type`."""
        with self.transaction():
            names = self.relation_types()
            name = check_relation_type(name, names)
            self.conn.execute(
                "INSERT INTO relation_types (id, name, description, position) "
                f"SELECT {NEXT_RELATION_TYPE_ID}, ?, ?, coalesce(max(position) + 1, 0) "
                "FROM relation_types",
                [name, _description(description)],
            )
        self._notify(RELATION_TYPES)
        return name

    def restore_relation_type(self, kind: RelationType) -> None:
        """Put back a relation type as :meth:`delete_relation_type` returned it (undo):
        the same id and description, at its position (the types after it move down)."""
        if kind.id is None:
            raise ValidationError(f"link type {kind.name!r} has no id to restore")
        with self.transaction():
            entries = self.relation_type_entries()
            names = [entry.name for entry in entries]
            name = check_relation_type(kind.name, names, kept_name=kind.name)
            _refuse_taken_id("link type", kind.id, {x.id: x.name for x in entries})
            self.conn.execute(
                "INSERT INTO relation_types (id, name, description, position) VALUES (?, ?, ?, ?)",
                [kind.id, name, _description(kind.description), kind.position],
            )
            names.insert(min(max(kind.position, 0), len(names)), name)
            self._number_rows("relation_types", names)
        self._notify(RELATION_TYPES)

    def update_relation_type(self, name: str, /, **changes: str) -> str:
        """Rename or re-describe a relation type; returns its name as stored.

        ``update_relation_type("part_of", name="located_in")``: the links using the
        type follow a rename in the same transaction (``relations.label`` is plain
        text, no foreign key), and each document they are in is reported as a
        "relations" change besides the "labels" one. The new name is checked as
        :meth:`add_relation_type` checks it; changing nothing writes nothing.
        """
        allowed = {"name", "description"}
        if not changes.keys() <= allowed:
            raise ValidationError(f"link types have no field {sorted(changes.keys() - allowed)}")
        with self.transaction():
            rows = {r["name"]: r for r in self.relation_type_rows()}
            if name not in rows:
                raise ValidationError(f"unknown link type {name!r}")
            others = [other for other in rows if other != name]
            new_name = check_relation_type(changes.get("name", name), others, kept_name=name)
            description = _description(changes.get("description", rows[name]["description"]))
            if (new_name, description) == (name, rows[name]["description"]):
                return name
            self.conn.execute(
                "UPDATE relation_types SET name = ?, description = ? WHERE name = ?",
                [new_name, description, name],
            )
            if new_name != name:
                self._rename_relations(name, new_name)
                # Stored links now name the new type: views showing links read them again.
                self._notify("label_renamed")
            self._notify(RELATION_TYPES)
        return new_name

    def _rename_relations(self, old: str, new: str) -> None:
        """Give the links of type ``old`` type ``new`` (inside a transaction)."""
        touched = self._query(
            "SELECT DISTINCT document_id FROM relations WHERE label = ? ORDER BY document_id", [old]
        )
        self.conn.execute("UPDATE relations SET label = ? WHERE label = ?", [new, old])
        for row in touched:
            self._notify("relations", row["document_id"])
        # The type's link attributes (quote on attributed_to) follow it.
        found = self.conn.execute(
            "SELECT value FROM settings WHERE key = 'link_attributes'"
        ).fetchone()
        import orjson  # not at start (see storage._loads)

        definitions = orjson.loads(found[0]) if found else None
        if isinstance(definitions, dict) and old in definitions and new not in definitions:
            definitions[new] = definitions.pop(old)
            self.conn.execute(
                "UPDATE settings SET value = ? WHERE key = 'link_attributes'",
                [orjson.dumps(definitions).decode()],
            )
            self._notify("settings")

    def move_relation_type(self, name: str, position: int) -> int:
        """Move a relation type to ``position`` (0 is first) in the list, shifting the
        types in between; returns the position it had."""
        with self.transaction():
            old, names = _reordered(self.relation_types(), name, position, "link type")
            self._number_rows("relation_types", names)
        self._notify(RELATION_TYPES)
        return old

    def delete_relation_type(self, name: str) -> RelationType:
        """Delete a relation type no link uses; returns it (with its place and id) so
        undo can put it back. Refuses one in use rather than delete links or leave them
        with a type the project does not list."""
        with self.transaction():
            rows = {r["name"]: r["links"] for r in self.relation_type_rows()}
            if name not in rows:
                raise ValidationError(f"unknown link type {name!r}")
            _refuse_if_used("link type", name, rows[name], "link", "delete those links first")
            (deleted,) = [entry for entry in self.relation_type_entries() if entry.name == name]
            self.conn.execute("DELETE FROM relation_types WHERE name = ?", [name])
            self._number_rows("relation_types", [other for other in rows if other != name])
        self._notify(RELATION_TYPES)
        return deleted


def _refuse_if_used(thing: str, name: str, used: int, unit: str, advice: str) -> None:
    """Refuse deleting ``name`` while any of its ``unit`` (span, link) still use it."""
    if used:
        noun = f"{unit} uses" if used == 1 else f"{unit}s use"
        raise ValidationError(f"{thing} {name!r} cannot be deleted: {used} {noun} it; {advice}")


def _refuse_taken_id(thing: str, wanted: int, taken: dict[int | None, str]) -> None:
    """Refuse restoring a deleted row under an id another row has taken meanwhile."""
    if wanted in taken:
        raise ValidationError(
            f"the {thing} cannot be put back: {taken[wanted]!r} was added in its place"
        )


def check_label(label: Label, others: list[Label], *, kept_name: str = "") -> Label:
    """The label tidied (name, key and description stripped, colour in capitals), or
    ValidationError with a message for the user when it breaks a rule.

    Names are non-empty, printable, at most :data:`~factmark.core.model.MAX_NAME`
    characters and differ from the ``others`` (ignoring case, so "Claim" cannot sit
    beside "claim"); a label stored before that limit keeps its name (``kept_name``: its
    name as stored) through a recolouring or an undo. A key is a keyboard shortcut: empty for none,
    else one printable character no other label uses, again ignoring case (Qt treats
    "a" and "A" as the same key). Colours are ``#RRGGBB``.
    """
    fields = (label.name, label.key, label.colour, label.description)
    if not all(isinstance(value, str) for value in fields):
        raise ValidationError(f"label fields must be text, got {fields!r}")
    name, key = label.name.strip(), label.key.strip()
    if not name:
        raise ValidationError("a label needs a name")
    if not name.isprintable():  # also refuses control and bidi characters (see safe_text)
        raise ValidationError(
            f"a label name cannot hold line breaks, tabs, control or bidi characters: {name!r}"
        )
    if name != kept_name:
        check_name_length(name, "a label name")
    _check_unique(name, [other.name for other in others], "label")
    if len(key) > 1 or not key.isprintable():
        raise ValidationError(
            f"a label key is one character (a letter, digit or sign) or none, got {key!r}"
        )
    for other in others:
        if key and other.key.casefold() == key.casefold():
            raise ValidationError(f"key {key!r} is taken by label {other.name!r}")
    problem = label_key_problem(key) if key else None
    if problem:
        raise ValidationError(problem)
    if not COLOUR_PATTERN.fullmatch(label.colour):  # whole string: not "javascript:"
        raise ValidationError(
            f"a label colour is written #RRGGBB, e.g. #E69F00, got {label.colour!r}"
        )
    if first_unsafe(label.description) is not None:
        raise ValidationError(
            "a label description is one line without control or bidi characters, "
            f"got {label.description!r}"
        )
    return replace(
        label,
        name=name,
        key=key,
        colour=label.colour.upper(),
        description=label.description.strip(),
    )


def free_key(labels: Sequence[Label], taken: Iterable[str] = ()) -> str:
    """The first key of :data:`LABEL_KEYS` (the digits 1-9, then the letters) that no
    label uses, no action takes (:func:`label_key_problem`, the rule the Labels dialog
    checks a typed key by) and none of ``taken`` is (attribute keys), case ignored as Qt
    ignores it; "" when all are taken."""
    used = {label.key.casefold() for label in labels} | {key.casefold() for key in taken}
    return next((k for k in LABEL_KEYS if k not in used and label_key_problem(k) is None), "")


def free_colour(labels: Sequence[Label]) -> str:
    """The first of :data:`LABEL_COLOURS` no label has (grey when all are used)."""
    colours = {label.colour.upper() for label in labels}
    return next((c for c in LABEL_COLOURS if c not in colours), NO_COLOUR)


def check_relation_type(name: str, others: list[str], *, kept_name: str = "") -> str:
    """The relation type name stripped, or ValidationError with a message for the user.

    A type is one word (exporters such as brat need that), e.g. ``contradicts``, at
    most :data:`~factmark.core.model.MAX_NAME` characters (``kept_name`` as for
    :func:`check_label`), and differs from the ``others`` ignoring case, as label names do.
    """
    if not isinstance(name, str):
        raise ValidationError(f"a link type name is text, got {name!r}")
    name = name.strip()
    if not name:
        raise ValidationError("a link type needs a name")
    # isprintable() is False for control and bidi characters (see safe_text) too.
    if not name.isprintable() or any(char.isspace() for char in name):
        raise ValidationError(f"a link type is one word, e.g. contradicts, not {name!r}")
    if name != kept_name:
        check_name_length(name, "a link type")
    _check_unique(name, others, "link type")
    return name


def _check_unique(name: str, others: list[str], what: str) -> None:
    """Refuse a ``name`` that one of ``others`` has already, ignoring case."""
    for other in others:
        if other.casefold() == name.casefold():
            as_named = "" if other == name else f" (as {other!r})"
            raise ValidationError(f"{what} {name!r} exists already{as_named}")


def _description(value: object) -> str:
    if not isinstance(value, str):
        raise ValidationError(f"a description is text, got {value!r}")
    return value.strip()


def _reordered(names: list[str], name: str, position: int, what: str) -> tuple[int, list[str]]:
    """The index of ``name`` in ``names`` and the names with it moved to ``position``;
    ValidationError for an unknown name or a position outside the list."""
    if name not in names:
        raise ValidationError(f"unknown {what} {name!r}")
    if not isinstance(position, int) or not 0 <= position < len(names):
        raise ValidationError(f"{what} position {position!r} is outside 0-{len(names) - 1}")
    old = names.index(name)
    moved = [other for other in names if other != name]
    moved.insert(position, name)
    return old, moved


def _find_label(labels: list[Label], name: str) -> Label:
    for label in labels:
        if label.name == name:
            return label
    raise ValidationError(f"unknown label {name!r}")
