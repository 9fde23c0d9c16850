"""Reading earlier fact-checks from the files newsrooms have, for the archive.

Four shapes, told apart by the file's suffix and content:

- schema.org **ClaimReview** JSON-LD (``.json``, ``.jsonld``): one item, a list of
  items, an ``@graph``, or the ClaimReview **data feed** (``dataFeedElement`` items,
  each holding its ClaimReview in ``item``); every ClaimReview anywhere in the file is
  read, in the order it appears;
- the JSON the **Google Fact Check Tools API** returns (``claims[].claimReview[]``;
  a list of such claims is read too);
- ClaimReview embedded in **saved fact-check pages** (``.html``, ``.htm``), as JSON-LD
  or microdata, read with extruct: no other part of the page is read or run;
- **CSV** with a header naming the columns ``claim``, ``rating``, ``url``, ``date``,
  ``title``, ``publisher``, ``language`` (and ``claimant``); other columns are ignored.

A file is read whole (it is refused above :data:`MAX_FILE` bytes, before reading);
each item is checked by :func:`~factmark.core.archive.make_review`, and one that cannot
be stored is refused on its own with where it is (``item 3``, ``claims[2].claimReview[0]``,
``line 7``) and why.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from factmark.core.archive import Review, make_review
from factmark.core.model import ValidationError
from factmark.core.source_files import MAX_PAGE, check_regular
from factmark.core.text import decode_bytes

MAX_FILE = 256 * 1024 * 1024  # bytes; a JSON file is parsed whole
MAX_LISTED = 1000  # refused items listed one by one; beyond this only counted
JSON_SUFFIXES = (".json", ".jsonld")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
CSV_SUFFIXES = (".csv",)
SUFFIXES = JSON_SUFFIXES + HTML_SUFFIXES + CSV_SUFFIXES
CSV_COLUMNS = ("claim", "rating", "url", "date", "title", "publisher", "language", "claimant")
_CLAIM_REVIEW_TYPES = frozenset(
    {"claimreview", "schema:claimreview", "http://schema.org/claimreview",
     "https://schema.org/claimreview"}
)  # fmt: skip


@dataclass
class ReadArchive:
    """The reviews read from one file, and the items refused (where, why)."""

    reviews: list[tuple[str, Review]] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    refused_count: int = 0
    shape: str = ""

    def refuse(self, where: str, why: str) -> None:
        self.refused_count += 1
        if len(self.refused) < MAX_LISTED:
            self.refused.append((where, why))

    def take(self, where: str, fields: Mapping[str, object]) -> None:
        try:
            self.reviews.append((where, make_review(fields)))
        except ValidationError as error:
            self.refuse(where, str(error))


def read_archive_file(path: Path) -> ReadArchive:
    """The reviews in one file of any of the shapes above.

    Raises ValidationError (a one-line reason) when the file as a whole cannot be read:
    too large, binary, not JSON, not CSV with a ``claim`` and a ``url`` column, or holding
    no fact-check at all.
    """
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ValidationError(f"not a fact-check archive file ({', '.join(SUFFIXES)} are read)")
    limit = MAX_PAGE if suffix in HTML_SUFFIXES else MAX_FILE
    data = _read_bounded(path, limit)
    if suffix in CSV_SUFFIXES:
        read = _read_csv(data)
    elif suffix in HTML_SUFFIXES:
        read = _read_page(data)
    else:
        read = _read_json(data)
    if not read.reviews and not read.refused_count:
        raise ValidationError(f"no fact-check found in it (read as {read.shape})")
    return read


def _read_bounded(path: Path, limit: int) -> bytes:
    check_regular(path)  # before it is opened: a named pipe would block the opening
    try:
        size = path.stat().st_size
        if size > limit:
            raise ValidationError(f"{size:,} bytes: larger than the {limit:,} bytes read")
        with path.open("rb") as file:
            data = file.read(limit + 1)
    except OSError as error:
        raise ValidationError(f"cannot be read ({error.strerror or error})") from None
    if len(data) > limit:  # it grew while being read
        raise ValidationError(f"larger than the {limit:,} bytes read")
    return data


def _read_json(data: bytes) -> ReadArchive:
    if b"\x00" in data:
        raise ValidationError("binary file (it holds NUL bytes), not JSON")
    try:
        parsed = orjson.loads(data)
    except orjson.JSONDecodeError as error:
        raise ValidationError(f"not JSON ({error})") from None
    if _is_google_response(parsed):
        return _read_google(parsed)
    read = ReadArchive(shape="ClaimReview JSON-LD")
    for number, item in enumerate(claim_reviews(parsed), start=1):
        read.take(f"item {number}", claim_review_fields(item))
    return read


def _read_page(data: bytes) -> ReadArchive:
    """ClaimReview in a saved page: each JSON-LD block (a block that is not JSON is
    refused on its own, the others still read), then microdata; nothing else of the page
    is read."""
    import extruct  # only for saved pages: it brings html5lib, w3lib and others
    from extruct.jsonld import JsonLdExtractor
    from extruct.utils import parse_html

    page = decode_bytes(data).text
    read = ReadArchive(shape="a saved page's JSON-LD and microdata")
    blocks: list[Any] = []

    class Blocks(JsonLdExtractor):  # type: ignore[misc]
        def _extract_items(self, node: Any) -> list[Any]:
            try:
                items = list(super()._extract_items(node))
            except Exception:  # json and jstyleson raise several kinds for bad JSON
                read.refuse(f"JSON-LD block {len(blocks) + 1}", "not JSON")
                items = []
            blocks.append(items)
            return items

    try:
        tree = parse_html(page, encoding="UTF-8")
        Blocks().extract_items(tree)
        microdata = extruct.extract(
            page, syntaxes=["microdata"], uniform=True, errors="ignore"
        ).get("microdata", [])
    except Exception as error:  # lxml and extruct raise many kinds; one line says which
        raise ValidationError(f"the page cannot be read ({type(error).__name__})") from None
    number = 0
    for syntax, found in (("JSON-LD", blocks), ("microdata", microdata)):
        for item in claim_reviews(found):
            number += 1
            read.take(f"item {number} ({syntax})", claim_review_fields(item))
    return read


def _read_csv(data: bytes) -> ReadArchive:
    text = decode_bytes(data).text
    read = ReadArchive(shape="CSV")
    rows = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(rows, None)
        if header is None:
            raise ValidationError("empty CSV file")
        names = [name.strip().lstrip("\ufeff").casefold() for name in header]
        missing = [name for name in ("claim", "url") if name not in names]
        if missing:
            raise ValidationError(
                f"line 1: the header has no {' or '.join(missing)} column (it names "
                f"{', '.join(repr(n) for n in names[:10])}; expected {', '.join(CSV_COLUMNS)})"
            )
        where = {name: names.index(name) for name in CSV_COLUMNS if name in names}
        for row in rows:
            line = f"line {rows.line_num}"
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(names):
                read.refuse(line, f"{len(row)} fields where the header has {len(names)}")
                continue
            fields = {name: row[index] for name, index in where.items()}
            fields["reviewer"] = fields.pop("publisher", "")
            read.take(line, fields)
    except csv.Error as error:
        raise ValidationError(f"line {rows.line_num}: not CSV ({error})") from None
    return read


def _is_google_response(parsed: Any) -> bool:
    if isinstance(parsed, dict):
        return isinstance(parsed.get("claims"), list) and "@context" not in parsed
    return (
        isinstance(parsed, list)
        and bool(parsed)
        and all(isinstance(item, dict) and "claimReview" in item for item in parsed)
    )


def _read_google(parsed: Any) -> ReadArchive:
    """``claims[].claimReview[]`` as the Fact Check Tools API's claims:search gives it."""
    read = ReadArchive(shape="Google Fact Check Tools JSON")
    claims = parsed["claims"] if isinstance(parsed, dict) else parsed
    for i, claim in enumerate(claims):
        if not isinstance(claim, dict):
            read.refuse(f"claims[{i}]", "not an object")
            continue
        reviews = claim.get("claimReview")
        if not isinstance(reviews, list) or not reviews:
            read.refuse(f"claims[{i}]", "no claimReview list")
            continue
        for j, review in enumerate(reviews):
            where = f"claims[{i}].claimReview[{j}]"
            if not isinstance(review, dict):
                read.refuse(where, "not an object")
                continue
            read.take(
                where,
                {
                    "url": review.get("url"),
                    "claim": claim.get("text"),
                    "claimant": claim.get("claimant"),
                    "rating": review.get("textualRating"),
                    "reviewer": _name(review.get("publisher")),
                    "date": review.get("reviewDate") or claim.get("claimDate"),
                    "language": review.get("languageCode"),
                    "title": review.get("title"),
                },
            )
    return read


def claim_reviews(data: Any) -> Iterator[dict[str, Any]]:
    """Every ClaimReview object in parsed JSON-LD, in document order: at the top, in
    lists, in ``@graph``, in a data feed's ``dataFeedElement[].item``, or nested in
    another item (a page's ``mainEntity``). A loop, not recursion: data may nest deep."""
    waiting: list[Any] = [data]
    while waiting:
        node = waiting.pop()
        if isinstance(node, dict):
            if _is_claim_review(node):
                yield node
                continue
            waiting.extend(reversed(list(node.values())))
        elif isinstance(node, list):
            waiting.extend(reversed(node))


def claim_review_fields(item: Mapping[str, Any]) -> dict[str, object]:
    """The fields of a schema.org ClaimReview as :func:`make_review` takes them."""
    rating = item.get("reviewRating")
    reviewed = _first(item.get("itemReviewed"))
    reviewed = reviewed if isinstance(reviewed, dict) else {}
    url = item.get("url")
    if url is None and isinstance(item.get("@id"), str):
        url = item["@id"]
    return {
        "url": _first(url),
        "claim": _first(item.get("claimReviewed")) or _first(reviewed.get("name")),
        "rating": _rating(_first(rating)),
        "reviewer": _name(item.get("author")) or _name(item.get("publisher")),
        "claimant": _name(reviewed.get("author")),
        "date": _first(item.get("datePublished") or item.get("dateCreated")),
        "language": _language(item.get("inLanguage")),
        "title": _first(item.get("name") or item.get("headline")),
    }


def _is_claim_review(node: Mapping[str, Any]) -> bool:
    kinds = node.get("@type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return any(isinstance(kind, str) and kind.casefold() in _CLAIM_REVIEW_TYPES for kind in kinds)


def _first(value: Any) -> Any:
    """A property's value; of several, the first."""
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _name(value: Any) -> Any:
    """The name of an organisation or person (an object with ``name``, or text)."""
    value = _first(value)
    if isinstance(value, dict):
        return _first(value.get("name"))
    return value


def _rating(value: Any) -> Any:
    """A rating's words (``alternateName``), else its name, else ``value/best``."""
    if not isinstance(value, dict):
        return value
    words = _first(value.get("alternateName")) or _first(value.get("name"))
    if words:
        return words
    number, best = value.get("ratingValue"), value.get("bestRating")
    if number is None or isinstance(number, dict | list):
        return None
    return f"{number}/{best}" if isinstance(best, str | int | float) and best != "" else number


def _language(value: Any) -> Any:
    """``inLanguage``: a tag, or a Language object (its ``alternateName`` or name)."""
    value = _first(value)
    if isinstance(value, dict):
        return _first(value.get("alternateName")) or _first(value.get("name"))
    return value
