"""Domain types: small frozen dataclasses of strings and code-point offsets (made by
``record``: their methods are not compiled at every start).

Offsets are Python ``str`` indices (Unicode code points) over the stored text,
``[start, end)`` with ``0 <= start < end <= len(text)``.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from dataclasses import field
from typing import Any

from factmark.core.records import record

STATUSES: tuple[str, ...] = ("new", "in_progress", "done", "skipped")
# The annotator name of the adjudicated layer: spans a reviewer accepted as the truth.
GOLD = "gold"
# The attribute holding adjudication's verdict on a span (core.adjudication), and its values.
REVIEW = "review"
ACCEPTED, REJECTED = "accepted", "rejected"


class ValidationError(ValueError):
    """Data that breaks a model rule; the message is meant for the user."""


#: The longest label or link type name: a name reads at a glance on a toolbar button, a
#: list row and a column of an export; a sentence belongs in the description.
MAX_NAME = 100


def check_name_length(name: str, what: str) -> None:
    """Refuse (ValidationError) a label or link type name over :data:`MAX_NAME`
    characters, its start shown."""
    if len(name) > MAX_NAME:
        raise ValidationError(
            f"{what} is at most {MAX_NAME} characters, not {len(name):,} "
            f"({name[:30]!r}…); put the rest in its description"
        )


@record(frozen=True)
class Label:
    """A span label of a project, with its keyboard key and display colour."""

    name: str
    key: str = ""
    colour: str = "#999999"
    description: str = ""
    position: int = 0
    # The label's stable number: undo steps refer to it, so a rename does not break them.
    # Not compared: two labels that show the same are equal.
    id: int | None = field(default=None, compare=False)


@record(frozen=True)
class RelationType:
    """A relation (link) type of a project: ``position`` is its place in the list (0 is
    first), ``id`` its stable number, as a label's."""

    name: str
    description: str = ""
    position: int = 0
    id: int | None = None


@record(frozen=True)
class Span:
    """A labelled ``[start, end)`` range of one document's text."""

    id: int | None
    document_id: int | None
    start: int
    end: int
    label: str
    annotator: str | None = None
    note: str | None = None
    attrs: dict[str, Any] = field(default_factory=dict, hash=False, compare=True)


def spans_from_rows(
    rows: list[tuple[Any, ...]], attributes: Callable[[str], dict[str, Any]]
) -> list[Span]:
    """Spans from rows of (id, document_id, start, end, label, annotator, note, attrs as
    stored), ``attributes`` decoding the last.

    A document opens with thousands: each is made by filling in its fields at once,
    without a call of the class's ``__init__``; the spans are the same.
    """
    new = object.__new__
    spans: list[Span] = []
    append = spans.append
    # Spans hold no cycles: the collector, which would walk every object of the process
    # many times over while thousands are made, waits until they are.
    collecting = gc.isenabled()
    gc.disable()
    try:
        for i, document_id, start, end, label, annotator, note, attrs in rows:
            span = new(Span)
            span.__dict__.update(
                id=i,
                document_id=document_id,
                start=start,
                end=end,
                label=label,
                annotator=annotator,
                note=note,
                attrs={} if attrs == "{}" else attributes(attrs),
            )
            append(span)
    finally:
        if collecting:
            gc.enable()
    return spans


@record(frozen=True)
class Relation:
    """A typed link from a head span to a child span of the same document."""

    id: int | None
    document_id: int | None
    head_span_id: int
    child_span_id: int
    label: str
    note: str | None = None
    # The link's own attributes (``quote``: direct / indirect / mixed on attributed_to),
    # defined per link type as a span's are per label.
    attrs: dict[str, Any] = field(default_factory=dict, hash=False, compare=True)


# The suggester of the sentences checked before (core.checked_sentences), which the
# window hides while the option is off.
ARCHIVE_SUGGESTER = "archive"
# The labels the suggesters propose when none are asked for: claims are opt-in (whole
# sentences, low confidence). Here, not with the suggesters, for the command line's help.
DEFAULT_SUGGESTIONS = ("number", "location", "source")


@record(frozen=True)
class Proposal:
    """A span a suggester proposes for ``[start, end)`` of a text, before it is stored.

    ``suggester`` names the rule set ("number", "location", "source", "claim",
    "project"); ``confidence`` in ``[0, 1]`` orders proposals, it is no probability.
    """

    start: int
    end: int
    label: str
    suggester: str
    confidence: float


@record(frozen=True)
class Suggestion:
    """A stored proposal awaiting review: never exported, never counted as done."""

    id: int | None
    document_id: int | None
    start: int
    end: int
    label: str
    suggester: str
    confidence: float


@record(frozen=True)
class Document:
    """An article: its stored text is the truth every offset refers to."""

    id: int | None
    uid: str
    title: str
    text: str
    meta: dict[str, Any] = field(default_factory=dict, hash=False)
    status: str = "new"
    span_count: int = 0


def validate_offsets(text: str | int, start: int, end: int) -> None:
    """Raise ValidationError unless ``[start, end)`` is a non-empty range inside ``text``
    (given as the text itself or its length in code points)."""
    # type() rather than isinstance: a bool is an int too, and is refused (run per span).
    if type(start) is not int or type(end) is not int:
        raise ValidationError(f"span offsets must be integers, got {start!r}, {end!r}")
    length = text if isinstance(text, int) else len(text)
    if not 0 <= start < end <= length:
        raise ValidationError(f"span {start}-{end} is outside the text (length {length}) or empty")


def validate_status(status: str) -> None:
    """Raise ValidationError unless ``status`` is one of STATUSES."""
    if status not in STATUSES:
        raise ValidationError(f"unknown status {status!r} (use one of {', '.join(STATUSES)})")
