"""``record``: the dataclass decorator for the classes a start loads, without compiling.

``dataclasses.dataclass`` writes the source of each method it makes (``__init__``,
``__eq__``, ``__hash__``, ``__repr__``, a frozen class's ``__setattr__`` and
``__delattr__``) and compiles it: about 4.4 million instructions a frozen class, at every
start, for each of the model's classes. ``record`` makes the same class (a dataclass,
which ``dataclasses.fields``, ``replace`` and ``asdict`` take, and type checkers read as
one) with methods shared by every record, which read the class's fields: the same
arguments, defaults, equality, hash, text and frozenness as ``dataclass`` with the same
options gives, at a tenth of the cost to make the class. Given every field in order, its
``__init__`` is as quick as dataclass's; given some by name or left to their defaults, it
takes one or two microseconds more a call (where many are made at once, as a document's
spans, they are given every field or made without it).

Only what the project's records use is supported: fields given to ``__init__``
(positionally or by name), with defaults or default factories; no ``__post_init__``,
``InitVar``, keyword-only fields or ``field(init=False)``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import MISSING, FrozenInstanceError, dataclass, field, fields
from operator import attrgetter
from typing import Any, TypeVar, dataclass_transform, overload

T = TypeVar("T")


@overload
def record(cls: type[T], /) -> type[T]: ...
@overload
def record(
    *, frozen: bool = False, eq: bool = True, repr: bool = True
) -> Callable[[type[T]], type[T]]: ...
@dataclass_transform(field_specifiers=(field,))
def record(
    cls: type[T] | None = None, /, *, frozen: bool = False, eq: bool = True, repr: bool = True
) -> type[T] | Callable[[type[T]], type[T]]:
    """``dataclass`` (with these of its options) for ``cls``, its methods not compiled."""

    def make(cls: type[T]) -> type[T]:
        return _make(cls, frozen=frozen, eq=eq, repr=repr)

    return make if cls is None else make(cls)


def _make(cls: type[T], *, frozen: bool, eq: bool, repr: bool) -> type[T]:
    if "__post_init__" in vars(cls):
        raise TypeError(f"{cls.__qualname__}: a record has no __post_init__")
    cls = dataclass(init=False, repr=False, eq=False)(cls)  # the fields: nothing compiled
    own = fields(cls)  # type: ignore[arg-type]
    if any(not f.init or f.kw_only for f in own):  # InitVars are not among fields()
        raise TypeError(f"{cls.__qualname__}: a record's fields are all given to __init__")
    names = tuple(f.name for f in own)
    methods: dict[str, Any] = {"__init__": _init(names, own)}
    if repr:
        methods["__repr__"] = _repr(names)
    if eq:
        compared = tuple(f.name for f in own if f.compare)
        methods["__eq__"] = _eq(compared)
        if frozen:  # as dataclass: hashed by the compared fields not marked hash=False
            hashed = tuple(f.name for f in own if (f.compare if f.hash is None else f.hash))
            methods["__hash__"] = _hash(hashed)
        else:
            methods["__hash__"] = None  # equal by value yet changeable: not hashable
    for name, method in methods.items():
        if method is not None:  # each made for this class
            method.__qualname__ = f"{cls.__qualname__}.{name}"
    if frozen:  # (shared by every frozen record)
        methods.update(__setattr__=_refuse_assignment, __delattr__=_refuse_deletion)
    for name, method in methods.items():
        setattr(cls, name, method)
    return cls


def _init(names: tuple[str, ...], own: tuple[Any, ...]) -> Callable[..., None]:
    """An ``__init__`` taking the fields in order or by name, filling in the rest."""
    count = len(names)
    known = frozenset(names)
    defaults = {f.name: f.default for f in own if f.default is not MISSING}
    factories = {f.name: f.default_factory for f in own if f.default_factory is not MISSING}

    def bind(kind: type, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...]:
        """The fields' values in order, from arguments other than every field in order."""
        if len(args) > count:
            raise TypeError(
                f"{kind.__qualname__}() takes {count} arguments but {len(args)} were given"
            )
        values = dict(zip(names, args, strict=False))
        for name in kwargs:
            if name not in known:
                raise TypeError(
                    f"{kind.__qualname__}() got an unexpected keyword argument {name!r}"
                )
            if name in values:
                raise TypeError(f"{kind.__qualname__}() got multiple values for argument {name!r}")
        values.update(kwargs)
        for name in names[len(args) :]:
            if name in values:
                continue
            if name in defaults:
                values[name] = defaults[name]
            elif name in factories:
                values[name] = factories[name]()
            else:
                raise TypeError(f"{kind.__qualname__}() missing required argument: {name!r}")
        return tuple(values[name] for name in names)

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        if kwargs or len(args) != count:
            args = bind(type(self), args, kwargs)
        # Set as dataclass's __init__ sets them, in order (a frozen class's too, as its
        # __init__ goes past its __setattr__).
        self.__dict__.update(zip(names, args, strict=True))

    return __init__


def _repr(names: tuple[str, ...]) -> Callable[[Any], str]:
    def __repr__(self: Any) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{type(self).__qualname__}({shown})"

    return __repr__


def _values(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """The named attributes of an object as a tuple (also for one name, or none)."""
    if len(names) == 1:
        one = attrgetter(names[0])
        return lambda self: (one(self),)
    if not names:
        return lambda self: ()
    return attrgetter(*names)


def _eq(names: tuple[str, ...]) -> Callable[[Any, object], Any]:
    values = _values(names)

    def __eq__(self: Any, other: object) -> Any:
        if other.__class__ is self.__class__:
            return values(self) == values(other)
        return NotImplemented

    return __eq__


def _hash(names: tuple[str, ...]) -> Callable[[Any], int]:
    values = _values(names)

    def __hash__(self: Any) -> int:
        return hash(values(self))

    return __hash__


def _refuse_assignment(self: Any, name: str, value: Any) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _refuse_deletion(self: Any, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")
