"""What every export writer shares: the selection, the result, the records, atomic files."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from factmark.core.model import STATUSES, ValidationError
from factmark.core.project import Project


@dataclass(frozen=True)
class Selection:
    """Which documents and spans go into an export.

    Empty sets mean "no filter"; by default only documents marked done are exported,
    since unfinished ones would teach a model that unmarked text is not a claim.
    """

    statuses: frozenset[str] = frozenset({"done"})
    labels: frozenset[str] = frozenset()
    annotators: frozenset[str] = frozenset()

    def check(self, project: Project) -> None:
        """Raise ValidationError for a status, label or annotator the project does not know."""
        for status in self.statuses - set(STATUSES):
            raise ValidationError(f"unknown status {status!r} (use {', '.join(STATUSES)})")
        known = {label.name for label in project.labels()}
        for label in self.labels - known:
            raise ValidationError(
                f"unknown label {label!r} (project labels: {', '.join(sorted(known))})"
            )
        annotators = project.annotators()
        for annotator in sorted(self.annotators - set(annotators)):
            known_names = ", ".join(annotators) or "none"
            raise ValidationError(f"no spans by {annotator!r} (annotators: {known_names})")


@dataclass
class ExportResult:
    """How much an export wrote and where."""

    path: Path
    documents: int = 0
    spans: int = 0
    relations: int = 0
    files: list[Path] = field(default_factory=list)


def iter_records(project: Project, selection: Selection) -> Iterator[dict[str, Any]]:
    """Documents in project order as Factmark records, spans numbered 1..n per document.

    Spans are in text order (outer before inner at the same start); relations
    point at those numbers. This order is what makes export -> import -> export
    byte-identical.
    """
    for document, spans, relations in project.export_rows(sorted(selection.statuses)):
        kept = [
            s
            for s in spans
            if (not selection.labels or s.label in selection.labels)
            and (not selection.annotators or s.annotator in selection.annotators)
        ]
        numbers = {span.id: n for n, span in enumerate(kept, start=1)}
        text = document.text
        yield {
            "id": document.uid,
            "title": document.title,
            "text": text,
            "status": document.status,
            "meta": document.meta,
            "spans": [
                {
                    "id": numbers[s.id],
                    "start": s.start,
                    "end": s.end,
                    "label": s.label,
                    "text": text[s.start : s.end],
                    "annotator": s.annotator,
                    "note": s.note,
                    "attrs": s.attrs,
                }
                for s in kept
            ],
            "relations": [
                {
                    "head": numbers[r.head_span_id],
                    "child": numbers[r.child_span_id],
                    "label": r.label,
                }
                for r in relations
                if r.head_span_id in numbers and r.child_span_id in numbers
            ],
        }


@contextmanager
def atomic_output(path: Path) -> Iterator[BinaryIO]:
    """Write to a temporary file beside ``path`` and rename it into place when complete.

    A failed or interrupted export leaves no partial file under the final name.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    # Not a `with` block: the file must outlive it to be renamed into place.
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115
        dir=path.parent, prefix=f".{path.name}.", suffix=".part", delete=False
    )
    try:
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
