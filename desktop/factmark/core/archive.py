"""The archive of earlier fact-checks a project keeps (table ``fact_checks``).

The archive belongs to the project file: a copy of the project carries it, and the
window and ``factmark match`` read it from there. A review is known by its URL: adding
the same URL again updates the review instead of adding a second one.

Every review comes from outside (a newsroom's feed, a saved page, a spreadsheet), so
:func:`make_review` checks each field before anything is stored: a web address for the
URL, a claim that is text, dates as ISO 8601, language tags, no NUL, bounded lengths.
The readers of the file shapes are in :mod:`factmark.core.archive_readers`.
"""

from __future__ import annotations

import functools
import re
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import astuple, dataclass
from datetime import date

from factmark.core.model import ValidationError
from factmark.core.storage import Storage, now

MAX_URL = 2048
MAX_CLAIM = 10_000
MAX_FIELD = 2000  # rating, reviewer, claimant, title

_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")
_DATE_START = re.compile(r"(\d{4}-\d{2}-\d{2})(?:$|[T ])")
# English language names babel's CLDR data does not hold that feeds and metadata write
# (lower case); every name babel holds is read too (see english_language_names).
LANGUAGE_NAMES = {
    "mandarin": "zh",
    "mandarin chinese": "zh",
    "farsi": "fa",
    "brazilian portuguese": "pt-BR",
}
_COLUMNS = "url, claim, rating, reviewer, claimant, review_date, language, title, source_file"


@dataclass(frozen=True)
class Review:
    """One earlier fact-check: the claim it checked, its verdict and where it is."""

    url: str
    claim: str
    rating: str = ""
    reviewer: str = ""  # the fact-checking organisation (publisher)
    claimant: str = ""  # who made the claim, when the review says
    date: str = ""  # YYYY-MM-DD, or empty
    language: str = ""  # a language tag (en, pt-BR), or empty when not known
    title: str = ""


@dataclass(frozen=True)
class ArchivedReview(Review):
    """A review as the archive holds it, with its row id."""

    id: int = 0


@dataclass
class AddCounts:
    """What adding one file's reviews did."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0


def make_review(fields: Mapping[str, object]) -> Review:
    """A checked :class:`Review` from raw fields (``url``, ``claim``, ``rating``,
    ``reviewer``, ``claimant``, ``date``, ``language``, ``title``; missing ones empty).

    Raises ValidationError naming the field when one cannot be stored. A number as a
    rating (``4``) is kept as its text.
    """
    url = _text(fields, "url", MAX_URL)
    if not url:
        raise ValidationError("no URL (a review is known by its URL)")
    if not url.lower().startswith(("http://", "https://")) or any(c.isspace() for c in url):
        raise ValidationError(f"url {_quoted(url)} is not a web address (http or https)")
    claim = _text(fields, "claim", MAX_CLAIM)
    if not claim:
        raise ValidationError("no claim text")
    return Review(
        url=url,
        claim=claim,
        rating=_text(fields, "rating", MAX_FIELD),
        reviewer=_text(fields, "reviewer", MAX_FIELD),
        claimant=_text(fields, "claimant", MAX_FIELD),
        date=_date(_text(fields, "date", MAX_FIELD)),
        language=language_tag(_text(fields, "language", MAX_FIELD)),
        title=_text(fields, "title", MAX_FIELD),
    )


def language_tag(value: str) -> str:
    """A language as a tag (``en``, ``pt-BR``): tags are kept (``_`` read as ``-``),
    English language names become their tag, empty stays empty; anything else is
    refused (ValidationError)."""
    if not value:
        return ""
    tag = value.replace("_", "-")
    if _LANGUAGE_TAG.fullmatch(tag):
        return tag
    named = english_language_names().get(value.strip().casefold())
    if named is None:
        raise ValidationError(f"language {_quoted(value)} is not a language tag such as en or fr")
    return named


@functools.cache
def english_language_names() -> dict[str, str]:
    """Every English language name CLDR knows (babel's ``Locale("en").languages``:
    ``chinese``, ``ukrainian``, ``british english``...), lower case, with
    :data:`LANGUAGE_NAMES`, to its tag (``zh``, ``uk``, ``en-GB``). Read once, when a
    name first needs it (babel's data takes milliseconds to load)."""
    from babel import Locale

    names = {
        name.casefold(): code.replace("_", "-") for code, name in Locale("en").languages.items()
    }
    return names | LANGUAGE_NAMES


def primary_language(tag: str) -> str:
    """The language part of a tag, lower case: ``pt-BR`` -> ``pt``."""
    return tag.split("-", 1)[0].lower()


def add_reviews(project: Storage, reviews: Iterable[Review], source: str) -> AddCounts:
    """Store reviews in the project's archive, in one transaction: a new URL is added, a
    known one updated when anything differs (its ``added_at`` stays). ``source`` is the
    name of the file they came from."""
    counts = AddCounts()
    conn = project.conn
    with project.transaction():
        stamp = now()
        for review in reviews:
            values = (*astuple(review), source)
            row = conn.execute(
                f"SELECT id, {_COLUMNS} FROM fact_checks WHERE url = ?", [review.url]
            ).fetchone()
            if row is None:
                insert_review(conn, values, stamp, stamp)
                counts.added += 1
            elif tuple(row[1:-1]) == values[:-1]:
                counts.unchanged += 1
            else:
                update_review(conn, row[0], values, stamp)
                counts.updated += 1
    return counts


def insert_review(
    conn: sqlite3.Connection, values: tuple[str, ...], added_at: str, updated_at: str
) -> None:
    """Add a review row: ``values`` are a :class:`Review`'s fields and its source file."""
    conn.execute(
        f"INSERT INTO fact_checks ({_COLUMNS}, added_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [*values, added_at, updated_at],
    )


def update_review(
    conn: sqlite3.Connection, row_id: int, values: tuple[str, ...], updated_at: str
) -> None:
    """Replace the stored review ``row_id`` (same URL) by ``values``; its ``added_at`` stays."""
    conn.execute(
        "UPDATE fact_checks SET claim = ?, rating = ?, reviewer = ?, claimant = ?, "
        "review_date = ?, language = ?, title = ?, source_file = ?, updated_at = ? "
        "WHERE id = ?",
        [*values[1:], updated_at, row_id],
    )


def archived_reviews(project: Storage) -> list[ArchivedReview]:
    """Every review of the archive, in the order they were first added."""
    rows = project._rows(
        "SELECT url, claim, rating, reviewer, claimant, review_date, language, title, id "
        "FROM fact_checks ORDER BY id"
    )
    return [ArchivedReview(*row) for row in rows]


def archive_size(project: Storage) -> int:
    """How many reviews the archive holds."""
    return int(project._rows("SELECT count(*) FROM fact_checks")[0][0])


def archive_version(project: Storage) -> tuple[int, int, str]:
    """What tells one state of the archive from another: the count, the newest row id
    and the latest change. A matcher built from the archive is stale once it differs."""
    count, newest, changed = project._rows(
        "SELECT count(*), coalesce(max(id), 0), coalesce(max(updated_at), '') FROM fact_checks"
    )[0]
    return int(count), int(newest), str(changed)


def archive_summary(project: Storage) -> dict[str, object]:
    """What the archive holds: the count, the reviews per language and per reviewer (most
    first), the oldest and newest review dates and the files they were added from."""

    def grouped(column: str) -> dict[str, int]:
        rows = project._rows(
            f"SELECT {column}, count(*) AS n FROM fact_checks GROUP BY {column} "
            f"ORDER BY n DESC, {column}"
        )
        return {str(value): int(n) for value, n in rows}

    oldest, newest = project._rows(
        "SELECT min(nullif(review_date, '')), max(nullif(review_date, '')) FROM fact_checks"
    )[0]
    return {
        "reviews": archive_size(project),
        "languages": grouped("language"),
        "reviewers": grouped("reviewer"),
        "oldest": oldest or "",
        "newest": newest or "",
        "files": grouped("source_file"),
    }


def _text(fields: Mapping[str, object], name: str, limit: int) -> str:
    value = fields.get(name)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValidationError(f"{name} is not text")
    text = str(value).strip()
    if "\x00" in text:
        raise ValidationError(f"{name} holds NUL (binary data)")
    if len(text) > limit:
        raise ValidationError(f"{name} is {len(text):,} characters long (at most {limit:,})")
    return text


def _date(value: str) -> str:
    """An ISO 8601 date or date-time as ``YYYY-MM-DD``; empty stays empty."""
    if not value:
        return ""
    found = _DATE_START.match(value)
    try:
        if found is None:
            raise ValueError
        return date.fromisoformat(found.group(1)).isoformat()
    except ValueError:
        raise ValidationError(f"date {_quoted(value)} is not an ISO 8601 date") from None


def _quoted(value: str, limit: int = 60) -> str:
    return repr(value if len(value) <= limit else value[:limit] + "…")
