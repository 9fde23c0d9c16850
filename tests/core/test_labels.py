"""Span labels: adding, renaming, re-keying, recolouring, reordering and deleting them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from tests.core.conftest import kinds

from factmark.core.incoming import IncomingDocument
from factmark.core.model import Label, ValidationError
from factmark.core.project import ChangeSet, Project

ARTICLE = "The minister said 40 schools in Kharkiv reopened on Monday."
OTHER = "A spokesperson for the ministry confirmed 12 more would follow."
DEFAULTS = ["claim", "source", "location", "number"]


def names(project: Project) -> list[str]:
    return [label.name for label in project.labels()]


def label(project: Project, name: str) -> Label:
    (found,) = [x for x in project.labels() if x.name == name]
    return found


def add_document(project: Project, text: str = ARTICLE) -> int:
    added = project.add_document(IncomingDocument(text, title="Schools"))
    assert added is not None
    return added[0]


def add_span(project: Project, document_id: int, text: str, substring: str, name: str) -> int:
    start = text.index(substring)
    span = project.add_span(document_id, start, start + len(substring), name, "olena")
    assert span.id is not None
    return span.id


@pytest.fixture
def changes(project: Project) -> list[ChangeSet]:
    """Every change the project notifies from now on."""
    heard: list[ChangeSet] = []
    project.subscribe(heard.append)
    return heard


# -- adding -------------------------------------------------------------------------------


def test_added_label_goes_last_tidied_and_is_announced(
    project: Project, changes: list[ChangeSet]
) -> None:
    added = project.add_label("  weapon ", key="w", colour="#d55e00", description=" Arms. ")
    assert added == Label("weapon", "w", "#D55E00", "Arms.", 4)
    assert project.labels()[-1] == added
    assert names(project) == [*DEFAULTS, "weapon"]
    assert kinds(changes) == [{"labels"}]


def test_added_label_is_committed(project: Project, project_path: Path) -> None:
    project.add_label("weapon", key="w", colour="#D55E00")
    project.close()
    with Project.open(project_path) as reopened:
        assert label(reopened, "weapon") == Label("weapon", "w", "#D55E00", "", 4)


def test_a_label_may_have_no_key(project: Project) -> None:
    project.add_label("date")
    project.add_label("person")  # two labels without a key do not collide
    assert [label(project, n).key for n in ("date", "person")] == ["", ""]


@pytest.mark.parametrize(
    ("name", "key", "colour", "message"),
    [
        ("", "", "#999999", "a label needs a name"),
        ("   ", "", "#999999", "a label needs a name"),
        ("claim", "", "#999999", "label 'claim' exists already"),
        ("Claim", "", "#999999", "label 'Claim' exists already (as 'claim')"),
        ("two\nlines", "", "#999999", "cannot hold line breaks"),
        ("weapon", "1", "#999999", "key '1' is taken by label 'claim'"),
        ("weapon", "4", "#999999", "key '4' is taken by label 'number'"),
        ("weapon", "ab", "#999999", "a label key is one character"),
        ("weapon", "\x07", "#999999", "a label key is one character"),
        ("weapon", "w", "red", "#RRGGBB"),
        ("weapon", "w", "#FFF", "#RRGGBB"),
        ("weapon", "w", "D55E00", "#RRGGBB"),
        ("weapon", "w", "#D55E0G", "#RRGGBB"),
        ("weapon", "w", "#D55E001", "#RRGGBB"),
    ],
)
def test_bad_labels_are_refused_and_change_nothing(
    project: Project, changes: list[ChangeSet], name: str, key: str, colour: str, message: str
) -> None:
    before = project.labels()
    with pytest.raises(ValidationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        project.add_label(name, key=key, colour=colour)
    assert project.labels() == before
    assert changes == []


def test_keys_collide_whatever_their_case(project: Project) -> None:
    """Qt fires the same shortcut for "w" and "W", so both cannot be label keys."""
    project.add_label("weapon", key="w")
    with pytest.raises(ValidationError, match="key 'W' is taken by label 'weapon'"):
        project.add_label("witness", key="W")


# -- changing -----------------------------------------------------------------------------


def test_rekey_recolour_and_describe(project: Project, changes: list[ChangeSet]) -> None:
    changed = project.update_label("source", key="s", colour="#0072b2", description="Who said it")
    assert changed == Label("source", "s", "#0072B2", "Who said it", 1)
    assert label(project, "source") == changed
    assert kinds(changes) == [{"labels"}]


def test_an_empty_key_removes_the_key(project: Project) -> None:
    project.update_label("number", key="")
    assert label(project, "number").key == ""
    project.update_label("claim", key="4")  # now free for another label
    assert label(project, "claim").key == "4"


def test_a_label_keeps_its_own_key_and_name_when_other_fields_change(project: Project) -> None:
    project.update_label("claim", key="1", name="claim", colour="#000000")
    assert label(project, "claim") == Label(
        "claim", "1", "#000000", label(project, "claim").description, 0
    )


def test_changing_nothing_writes_nothing(project: Project, changes: list[ChangeSet]) -> None:
    same = label(project, "claim")
    assert project.update_label("claim", key=same.key, colour=same.colour) == same
    assert changes == []


@pytest.mark.parametrize(
    ("changes_", "message"),
    [
        ({"key": "2"}, "key '2' is taken by label 'source'"),
        ({"name": "source"}, "label 'source' exists already"),
        ({"name": "NUMBER"}, "exists already"),
        ({"name": " "}, "a label needs a name"),
        ({"colour": "orange"}, "#RRGGBB"),
        ({"position": 3}, "labels have no field"),
    ],
)
def test_bad_changes_are_refused(
    project: Project, changes: list[ChangeSet], changes_: dict[str, object], message: str
) -> None:
    before = project.labels()
    with pytest.raises(ValidationError, match=message):
        project.update_label("claim", **changes_)
    assert project.labels() == before
    assert changes == []


def test_changing_an_unknown_label_is_refused(project: Project) -> None:
    with pytest.raises(ValidationError, match="unknown label 'opinion'"):
        project.update_label("opinion", key="o")


def test_foreign_keys_are_enforced_on_project_connections(project: Project) -> None:
    """The rename cascade below relies on it: SQLite leaves foreign keys off by default."""
    assert project.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_rename_carries_every_span_along(project: Project, changes: list[ChangeSet]) -> None:
    first, second = add_document(project), add_document(project, OTHER)
    claims = [
        add_span(project, first, ARTICLE, "40 schools in Kharkiv reopened", "claim"),
        add_span(project, second, OTHER, "12 more would follow", "claim"),
    ]
    number = add_span(project, first, ARTICLE, "40", "number")
    source = add_span(project, second, OTHER, "A spokesperson", "source")
    project.add_relation(source, claims[1], "attributed_to")
    changes.clear()

    renamed = project.update_label("claim", name="assertion", key="a")

    assert renamed == Label("assertion", "a", "#E69F00", renamed.description, 0)
    assert names(project) == ["assertion", "source", "location", "number"]
    assert [project.span(i).label for i in claims] == ["assertion", "assertion"]
    assert project.span(number).label == "number"
    assert project.relations(second)[0].head_span_id == source
    assert project.db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert project.stats()["spans_by_label"] == {
        "assertion": 2,
        "source": 1,
        "location": 0,
        "number": 1,
    }
    assert kinds(changes) == [{"labels", "label_renamed"}]
    # The old name is free again and the spans are found under the new one.
    project.add_label("claim")
    assert project.label_span_counts()["claim"] == 0


def test_a_rename_that_changes_only_case_is_allowed(project: Project) -> None:
    document = add_document(project)
    span = add_span(project, document, ARTICLE, "Kharkiv", "location")
    project.update_label("location", name="Location")
    assert project.span(span).label == "Location"


def test_span_counts_list_every_label(project: Project) -> None:
    document = add_document(project)
    add_span(project, document, ARTICLE, "40", "number")
    add_span(project, document, ARTICLE, "Kharkiv", "location")
    add_span(project, document, ARTICLE, "Monday", "number")
    assert project.label_span_counts() == {"claim": 0, "source": 0, "location": 1, "number": 2}


# -- reordering ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "position", "order"),
    [
        ("number", 0, ["number", "claim", "source", "location"]),
        ("claim", 3, ["source", "location", "number", "claim"]),
        ("source", 2, ["claim", "location", "source", "number"]),
        ("location", 1, ["claim", "location", "source", "number"]),
        ("claim", 0, DEFAULTS),
    ],
)
def test_move_puts_the_label_at_the_position_and_shifts_the_rest(
    project: Project, changes: list[ChangeSet], name: str, position: int, order: list[str]
) -> None:
    old = DEFAULTS.index(name)
    assert project.move_label(name, position) == old
    assert names(project) == order
    assert [x.position for x in project.labels()] == [0, 1, 2, 3]
    assert kinds(changes) == [{"labels"}]


def test_move_keeps_keys_and_persists(project: Project, project_path: Path) -> None:
    project.move_label("number", 0)
    project.close()
    with Project.open(project_path) as reopened:
        assert [(x.name, x.key) for x in reopened.labels()] == [
            ("number", "4"),
            ("claim", "1"),
            ("source", "2"),
            ("location", "3"),
        ]


@pytest.mark.parametrize(
    ("name", "position", "message"),
    [
        ("claim", 4, "outside 0-3"),
        ("claim", -1, "outside 0-3"),
        ("opinion", 0, "unknown label 'opinion'"),
    ],
)
def test_bad_moves_are_refused(
    project: Project, changes: list[ChangeSet], name: str, position: int, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        project.move_label(name, position)
    assert names(project) == DEFAULTS
    assert changes == []


# -- deleting -----------------------------------------------------------------------------


def test_an_unused_label_can_be_deleted(project: Project, changes: list[ChangeSet]) -> None:
    deleted = project.delete_label("source")
    assert deleted == Label("source", "2", "#56B4E9", deleted.description, 1)
    assert names(project) == ["claim", "location", "number"]
    assert [x.position for x in project.labels()] == [0, 1, 2]
    assert kinds(changes) == [{"labels"}]
    project.add_label("witness", key="2")  # its key is free again
    assert names(project)[-1] == "witness"


@pytest.mark.parametrize(("count", "words"), [(1, "1 span uses it"), (3, "3 spans use it")])
def test_a_label_in_use_is_not_deleted(
    project: Project, changes: list[ChangeSet], count: int, words: str
) -> None:
    document = add_document(project)
    for substring in ["40", "Kharkiv", "Monday"][:count]:
        add_span(project, document, ARTICLE, substring, "number")
    changes.clear()
    with pytest.raises(ValidationError, match=f"label 'number' cannot be deleted: {words}"):
        project.delete_label("number")
    assert names(project) == DEFAULTS
    assert len(project.spans(document)) == count
    assert changes == []


def test_a_label_can_be_deleted_once_its_spans_are_gone(project: Project) -> None:
    document = add_document(project)
    span = add_span(project, document, ARTICLE, "Kharkiv", "location")
    with pytest.raises(ValidationError):
        project.delete_label("location")
    project.delete_span(span)
    project.delete_label("location")
    assert names(project) == ["claim", "source", "number"]


def test_deleting_an_unknown_label_is_refused(project: Project) -> None:
    with pytest.raises(ValidationError, match="unknown label 'opinion'"):
        project.delete_label("opinion")


def test_each_label_change_is_heard_once_after_commit(project: Project) -> None:
    """Listeners run after the commit, so what they read is already stored."""
    seen: list[list[str]] = []
    project.subscribe(lambda change: seen.append(names(project)))
    steps: list[Callable[[], object]] = [
        lambda: project.add_label("weapon", key="w"),
        lambda: project.update_label("weapon", name="arms"),
        lambda: project.move_label("arms", 0),
        lambda: project.delete_label("arms"),
    ]
    for step in steps:
        step()
    assert seen == [
        [*DEFAULTS, "weapon"],
        [*DEFAULTS, "arms"],
        ["arms", *DEFAULTS],
        DEFAULTS,
    ]
