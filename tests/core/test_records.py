"""``record`` makes the classes ``dataclasses.dataclass`` makes with the same options.

The oracle: each record class made again by ``dataclasses.make_dataclass`` from its own
fields (the generated methods Python compiles). Both are given the same arguments, of
every script in the shared corpus, and must agree on every value, error, text, equality,
hash and what ``replace``, ``asdict``, ``astuple``, ``copy`` and ``pickle`` make of them.
"""

from __future__ import annotations

import copy
import dataclasses
import math
import pickle
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factmark.core import changes, model, operations
from factmark.core.records import record

FROZEN = [
    model.Label,
    model.RelationType,
    model.Span,
    model.Relation,
    model.Proposal,
    model.Suggestion,
    model.Document,
    changes.DocumentState,
]
MUTABLE = [changes.ChangeSet]
OPERATIONS = [
    operations.Compound,
    operations.AddSpan,
    operations.DeleteSpan,
    operations.UpdateSpan,
    operations.SetStatus,
    operations.AddRelation,
    operations.DeleteRelation,
    operations.UpdateRelation,
    operations.SetDocumentMeta,
    operations.AcceptSuggestion,
    operations.RejectSuggestion,
]
OPTIONS: dict[type, dict[str, bool]] = {
    **{cls: {"frozen": True} for cls in FROZEN},
    **{cls: {} for cls in MUTABLE},
    **{cls: {"eq": False, "repr": False} for cls in OPERATIONS},
}
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"


def _oracle(cls: type) -> type:
    """``cls`` made again by dataclass, its generated methods compiled (with its base
    and its own methods: an operation's base is abstract)."""
    specs = [
        (
            f.name,
            f.type,
            dataclasses.field(
                default=f.default,
                default_factory=f.default_factory,
                repr=f.repr,
                hash=f.hash,
                compare=f.compare,
            ),
        )
        for f in dataclasses.fields(cls)
    ]
    bases = tuple(b for b in cls.__bases__ if b is not object)
    names = {f.name for f in dataclasses.fields(cls)}
    methods = {
        name: value
        for name, value in vars(cls).items()
        if not name.startswith("__") and name not in names
    }
    return dataclasses.make_dataclass(
        cls.__name__, specs, bases=bases, namespace=methods, **OPTIONS[cls]
    )


ORACLES = {cls: _oracle(cls) for cls in OPTIONS}


def _texts() -> list[str]:
    """Lines and pieces of every script in the shared corpus (CRLF kept)."""
    found = ["", " ", "\r\n", "\x00", "😱🇳🇬", "\U00020bb7", "e\u0301", "\u200fمرحبا"]
    for path in sorted(CORPUS.glob("*.txt")):
        text = path.read_bytes().decode("utf-8")
        found += [text[:40], text[-25:], text.splitlines(keepends=True)[0][:60]]
    return found


VALUES = st.one_of(
    st.none(),
    st.integers(-(2**70), 2**70),
    st.booleans(),
    st.floats(allow_nan=True),
    st.sampled_from(_texts()),
    st.text(max_size=8),
    st.dictionaries(st.sampled_from(_texts()), st.integers(), max_size=2),
    st.lists(st.integers(), max_size=2),
)


def _call(cls: type, args: list[Any], kwargs: dict[str, Any]) -> tuple[str, Any]:
    try:
        return "made", cls(*args, **kwargs)
    except TypeError:
        return "refused", None


def _same_values(a: Any, b: Any) -> bool:
    """Equal field by field, NaN taken as equal to NaN (the same float object or not)."""
    one, other = vars(a), vars(b)
    if list(one) != list(other):  # the same fields set, in the same order
        return False
    return all(
        x == y
        or (isinstance(x, float) and isinstance(y, float) and math.isnan(x) and math.isnan(y))
        for x, y in zip(one.values(), other.values(), strict=True)
    )


@pytest.mark.parametrize("cls", list(OPTIONS), ids=lambda cls: cls.__name__)
def test_the_fields_are_the_dataclass_fields(cls: type) -> None:
    oracle = ORACLES[cls]
    assert dataclasses.is_dataclass(cls)
    ours = [
        (f.name, f.default, f.default_factory, f.compare, f.hash, f.repr, f.init)
        for f in dataclasses.fields(cls)
    ]
    theirs = [
        (f.name, f.default, f.default_factory, f.compare, f.hash, f.repr, f.init)
        for f in dataclasses.fields(oracle)
    ]
    assert ours == theirs
    assert cls.__match_args__ == oracle.__match_args__  # type: ignore[attr-defined]
    assert (cls.__hash__ is None) == (oracle.__hash__ is None)


@pytest.mark.parametrize("cls", list(OPTIONS), ids=lambda cls: cls.__name__)
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_the_same_arguments_make_the_same_records(cls: type, data: st.DataObject) -> None:
    oracle = ORACLES[cls]
    names = [f.name for f in dataclasses.fields(cls)]
    # Some fields in order, some by name (now and then a wrong or repeated name).
    count = data.draw(st.integers(0, len(names) + 1))
    args = [data.draw(VALUES) for _ in range(count)]
    keyword_names = data.draw(
        st.lists(st.sampled_from([*names, "nonsense"]), unique=True, max_size=len(names))
    )
    kwargs = {name: data.draw(VALUES) for name in keyword_names}
    (made, ours), (made_too, theirs) = _call(cls, args, kwargs), _call(oracle, args, kwargs)
    assert made == made_too
    if made == "refused":
        return
    assert _same_values(ours, theirs)
    options = OPTIONS[cls]
    if options.get("repr", True):
        assert repr(ours) == repr(theirs)
    else:
        assert repr(ours).startswith(f"<{cls.__module__}.{cls.__qualname__} object at ")
    # Another of each, from values that may equal the first's.
    other_args = [data.draw(st.sampled_from([a, data.draw(VALUES)])) for a in args]
    other_kwargs = {
        k: data.draw(st.sampled_from([v, data.draw(VALUES)])) for k, v in kwargs.items()
    }
    ours_too, theirs_too = cls(*other_args, **other_kwargs), oracle(*other_args, **other_kwargs)
    assert (ours == ours_too) == (theirs == theirs_too)
    assert (ours != ours_too) == (theirs != theirs_too)
    assert (ours == ours) == (theirs == theirs)  # (NaN inside)
    assert ours != theirs  # a record equals only its own class's records
    for name in names:  # each field changed alone: which ones equality looks at
        value = data.draw(VALUES)
        one, other = (
            dataclasses.replace(ours, **{name: value}),
            dataclasses.replace(theirs, **{name: value}),
        )
        assert (ours == one) == (theirs == other)
    if not options.get("eq", True):  # compared and hashed as objects
        assert hash(ours) == object.__hash__(ours)
    elif oracle.__hash__ is not None:
        try:
            expected: Any = hash(theirs)
        except TypeError:  # an unhashable value among the hashed fields
            expected = TypeError
        if expected is TypeError:
            with pytest.raises(TypeError):
                hash(ours)
        else:
            assert hash(ours) == expected
    if options.get("frozen"):
        for name in [*names[:2], "not_a_field"]:
            with pytest.raises(dataclasses.FrozenInstanceError) as refused:
                setattr(ours, name, 1)
            with pytest.raises(dataclasses.FrozenInstanceError) as refused_too:
                setattr(theirs, name, 1)
            assert str(refused.value) == str(refused_too.value)
            with pytest.raises(dataclasses.FrozenInstanceError) as refused:
                delattr(ours, name)
            with pytest.raises(dataclasses.FrozenInstanceError) as refused_too:
                delattr(theirs, name)
            assert str(refused.value) == str(refused_too.value)
    changed = {name: data.draw(VALUES) for name in data.draw(st.lists(st.sampled_from(names)))}
    assert _same_values(
        dataclasses.replace(ours, **changed), dataclasses.replace(theirs, **changed)
    )
    if cls not in OPERATIONS:  # (an operation's parts may be anything)
        assert repr(dataclasses.asdict(ours)) == repr(dataclasses.asdict(theirs))
        assert repr(dataclasses.astuple(ours)) == repr(dataclasses.astuple(theirs))
    for again in (copy.copy(ours), copy.deepcopy(ours), pickle.loads(pickle.dumps(ours))):
        assert type(again) is cls
        assert _same_values(again, theirs)


def test_a_default_factory_makes_a_new_value_each_time() -> None:
    one, other = model.Span(None, None, 0, 1, "claim"), model.Span(None, None, 0, 1, "claim")
    assert one.attrs == {} and one.attrs is not other.attrs
    assert changes.ChangeSet().spans is not changes.ChangeSet().spans


def test_operations_are_compared_and_hashed_as_objects() -> None:
    one, other = operations.SetStatus(1, "done"), operations.SetStatus(1, "done")
    assert one != other and one == one
    assert len({one, other}) == 2


def test_what_a_record_does_not_support_is_refused() -> None:
    class Later:
        x: int
        y: int = dataclasses.field(init=False, default=0)

    with pytest.raises(TypeError, match="given to __init__"):
        record(Later)

    class Checked:
        x: int

        def __post_init__(self) -> None:
            pass

    with pytest.raises(TypeError, match="__post_init__"):
        record(Checked)
