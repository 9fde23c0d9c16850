"""Documents, spans and links as read from a file, before they have database ids: what
importers, merges and scripts hand to :meth:`~factmark.core.project.Project.add_document`.

Apart from :mod:`factmark.core.model`, which every start loads: the window needs none of
these, and each dataclass's generated methods are compiled when its class is made.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)  # slots: an import makes hundreds of thousands
class IncomingSpan:
    """A span as read from a file, before it has a database id.

    ``ref`` is the id the file gave the span (relations point at it); ``text``,
    when the file has it, must equal the document text at the offsets.
    """

    start: int
    end: int
    label: str
    annotator: str | None = None
    note: str | None = None
    attrs: dict[str, Any] = field(default_factory=dict)
    ref: Any = None
    text: str | None = None


@dataclass
class IncomingRelation:
    """A relation as read from a file: head and child are span ``ref`` values."""

    head: Any
    child: Any
    label: str
    note: str | None = None
    attrs: dict[str, Any] = field(default_factory=dict)


@dataclass
class IncomingDocument:
    """A document as read from a file, with its spans and relations."""

    text: str
    title: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    status: str = "new"
    spans: list[IncomingSpan] = field(default_factory=list)
    relations: list[IncomingRelation] = field(default_factory=list)
