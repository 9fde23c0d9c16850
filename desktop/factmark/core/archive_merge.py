"""Merging a copy's archive of earlier fact-checks into a project (``factmark merge``).

A copy's reviews come from outside like any file's: each row is checked as ``archive
add`` checks an item (:func:`~factmark.core.archive.make_review`: a web address, a claim
that is text, an ISO date, a language tag, no NUL, bounded lengths), and its
``updated_at`` must be a time. A review is known by its URL: a new URL is added; for a
URL both hold, the newer change (``updated_at``) wins, and on a tie the project's stays.
The time of the change is kept, so merging the same copy again changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import astuple, dataclass, field
from datetime import UTC, datetime
from typing import Any

from factmark.core.archive import MAX_FIELD, insert_review, make_review, update_review
from factmark.core.model import ValidationError
from factmark.core.storage import Storage, now

# The source's columns, in this order, after its rowid.
SOURCE_COLUMNS = (
    "url, claim, rating, reviewer, claimant, review_date, language, title, source_file, updated_at"
)
MAX_LISTED = 1000  # refused rows listed one by one; beyond this only counted


@dataclass
class ArchiveMerge:
    """What merging a copy's archive did."""

    added: int = 0
    updated: int = 0
    refused: list[str] = field(default_factory=list)  # "fact_checks row 3: why"
    refused_count: int = 0

    def refuse(self, rowid: object, why: str) -> None:
        self.refused_count += 1
        if len(self.refused) < MAX_LISTED:
            self.refused.append(f"fact_checks row {rowid}: {why}")


def merge_archive(
    target: Storage, rows: Iterable[tuple[Any, ...]], copy_name: str, merged: ArchiveMerge
) -> None:
    """Merge a copy's ``fact_checks`` rows (rowid, then :data:`SOURCE_COLUMNS`) into the
    target's archive; the caller holds the target's transaction."""
    conn = target.conn
    for rowid, url, claim, rating, reviewer, claimant, date, language, title, file, changed in rows:
        try:
            review = make_review(
                {
                    "url": url,
                    "claim": claim,
                    "rating": rating,
                    "reviewer": reviewer,
                    "claimant": claimant,
                    "date": date,
                    "language": language,
                    "title": title,
                }
            )
            when = _time(changed)
        except ValidationError as error:
            merged.refuse(rowid, str(error))
            continue
        named = isinstance(file, str) and 0 < len(file) <= MAX_FIELD and "\x00" not in file
        values = (*astuple(review), file if named else copy_name)
        row = conn.execute(
            "SELECT id, updated_at, url, claim, rating, reviewer, claimant, review_date, "
            "language, title FROM fact_checks WHERE url = ?",
            [review.url],
        ).fetchone()
        if row is None:
            insert_review(conn, values, now(), changed)
            merged.added += 1
            continue
        ours = _time(row[1], default=datetime.min.replace(tzinfo=UTC))
        if when <= ours or tuple(row[2:]) == values[:-1]:
            continue  # the project's is as new or newer, or the same
        update_review(conn, row[0], values, changed)
        merged.updated += 1


def _time(value: object, default: datetime | None = None) -> datetime:
    """An ``*_at`` value as an aware time (UTC when it names no zone)."""
    try:
        if not isinstance(value, str) or len(value) > 40:
            raise ValueError
        parsed = datetime.fromisoformat(value)
    except ValueError:
        if default is not None:
            return default
        raise ValidationError("updated_at is not a time") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
