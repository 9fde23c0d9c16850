"""schema.org ClaimReview JSON-LD: one review per claim that has a verdict.

The file is one JSON-LD document in the shape of a ClaimReview **data feed**, the shape the
fact-checking aggregators publish and read (Google's Fact Check Tools feeds, the Data
Commons fact-check feed), and the one ``factmark archive add`` reads back::

    {"@context": "https://schema.org", "@type": "DataFeed",
     "dataFeedElement": [{"@type": "DataFeedItem", "item": [CLAIM_REVIEW]}, ...]}

Each ``CLAIM_REVIEW`` holds, for a ``claim`` span whose ``verdict`` attribute is text other
than ``unverified`` (which says that no verdict was reached, so it is not a rating):

- ``claimReviewed``: the claim's text, exactly as in the document;
- ``reviewRating``: a ``Rating`` whose ``alternateName`` is the verdict, as written;
- ``itemReviewed``: a ``Claim`` whose ``author`` is the source span linked to the claim by an
  ``attributed_to`` link (head the source, child the claim, as the attribution export reads
  them): a ``Person`` when the source's ``kind`` attribute is ``person``, an
  ``Organization`` when it is ``organisation`` or ``media``, a bare ``{"name"}`` otherwise
  (a document, or no kind); several sources give a list. A claim with no source that is
  marked as the outlet's own voice (``voice: outlet``) has the outlet as its author, as
  the ClaimBuster export names its speaker: a ``Person`` named by the document's ``author``
  metadata, else an ``Organization`` named by its ``publication`` (else ``outlet``). Its
  ``appearance`` is the article (``CreativeWork`` with the document's ``url``, title as
  ``headline`` and date);
- ``url``: the document's ``url`` metadata (an http or https address) with a text fragment
  (``#:~:text=``) that opens the article at the claim: reviews are known by their URL (by
  ``factmark archive add`` among others), so each claim of an article needs its own;
- ``datePublished``: the document's ``date`` metadata, when it is an ISO 8601 date or time;
- ``inLanguage``: the document's ``lang`` (or ``language``) metadata, when it is a tag or
  an English language name CLDR knows (``Chinese`` -> ``zh``);
- ``citation``: the earlier fact-check the claim was linked to in the window (its
  ``fact_check_url`` and ``fact_check_rating`` attributes), as a ``ClaimReview`` with that
  ``url`` and ``reviewRating``.

Metadata that is missing or not what the property takes is left out, and the dataset card
counts it. Reviews come in document order, then by the claim's place in the text.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urldefrag

import orjson

from factmark.core.archive import language_tag
from factmark.core.cues import is_outlet_voice
from factmark.core.exporting.base import AtomicFile, ExportContext
from factmark.core.model import ValidationError
from factmark.core.text import counted

NAME = "claimreview"
SUFFIX = ".jsonld"
HOLDS = ("review",)  # one per claim with a verdict
DESCRIPTION = (
    "schema.org ClaimReview JSON-LD (a data feed): one review per claim with a verdict, "
    "its linked source as the claim's author"
)
LABEL = "claim"
VERDICT = "verdict"
NOT_A_RATING = frozenset({"unverified"})
RELATION = "attributed_to"
AUTHOR_TYPES = {"person": "Person", "organisation": "Organization", "media": "Organization"}
FRAGMENT_WORDS = 5  # a text fragment names a long claim by its first and last words
_HEAD = b'{"@context":"https://schema.org","@type":"DataFeed","dataFeedElement":[\n'
_TAIL = b"\n]}\n"


class ClaimReviewWriter:
    """Writes each document's reviews as they come, inside one data feed."""

    def __init__(self, path: Path, context: ExportContext) -> None:
        self.context = context
        self.out = AtomicFile(path)
        self.out.write(_HEAD)
        self.reviews = 0
        self.unverified = 0  # claims whose verdict says none was reached
        self.without_verdict = 0
        self.left_out: dict[str, int] = {}  # metadata left out, by what was wrong
        self.urls: set[str] = set()
        self.shared_urls = 0

    def add(self, record: dict[str, Any]) -> None:
        spans = {span["id"]: span for span in record["spans"]}
        sources: dict[int, list[dict[str, Any]]] = {}
        for relation in record["relations"]:
            if relation["label"] == RELATION:
                sources.setdefault(relation["child"], []).append(spans[relation["head"]])
        article = self._article(record)
        for span in record["spans"]:
            if span["label"] != LABEL:
                continue
            verdict = span["attrs"].get(VERDICT)
            if not isinstance(verdict, str) or not verdict.strip():
                self.without_verdict += 1
                continue
            if verdict.strip().casefold() in NOT_A_RATING:
                self.unverified += 1
                continue
            review = self._review(span, verdict, sources.get(span["id"], []), article)
            element = orjson.dumps({"@type": "DataFeedItem", "item": [review]})
            self.out.write((b",\n" if self.reviews else b"") + element)
            self.reviews += 1

    def _article(self, record: dict[str, Any]) -> dict[str, str]:
        """The document's metadata the reviews use, each checked (bad ones counted)."""
        meta = record["meta"] if isinstance(record["meta"], dict) else {}
        found: dict[str, str] = {}
        url = meta.get("url")
        if url is not None:
            if _web_address(url):
                found["url"] = urldefrag(url).url
            else:
                self._leave_out("`url` not an http(s) address")
        when = meta.get("date")
        if when is not None:
            if _iso_date(when):
                found["date"] = when
            else:
                self._leave_out("`date` not an ISO 8601 date")
        key = "lang" if "lang" in meta else "language"
        language = meta.get(key)
        if language is not None:
            try:
                found["language"] = language_tag(language) if isinstance(language, str) else ""
            except ValidationError:
                found["language"] = ""
            if not found["language"]:
                del found["language"]
                self._leave_out(f"`{key}` not a language tag or English language name")
        for key in ("author", "publication", "outlet"):
            value = meta.get(key)
            if isinstance(value, str) and value.strip() and "voice" not in found:
                kind = "Person" if key == "author" else "Organization"
                found["voice"], found["voice_type"] = value.strip(), kind
        if record["title"]:
            found["title"] = record["title"]
        return found

    def _review(
        self,
        claim: dict[str, Any],
        verdict: str,
        sources: list[dict[str, Any]],
        article: dict[str, str],
    ) -> dict[str, Any]:
        review: dict[str, Any] = {"@type": "ClaimReview"}
        if "url" in article:
            url = article["url"] + text_fragment(claim["text"])
            self.shared_urls += url in self.urls
            self.urls.add(url)
            review["url"] = url
        review["claimReviewed"] = claim["text"]
        if "date" in article:
            review["datePublished"] = article["date"]
        if "language" in article:
            review["inLanguage"] = article["language"]
        item: dict[str, Any] = {"@type": "Claim"}
        authors = [_author(source) for source in sorted(sources, key=lambda s: s["start"])]
        if not authors and is_outlet_voice(claim["attrs"]):
            if "voice" in article:
                authors = [{"@type": article["voice_type"], "name": article["voice"]}]
            else:
                self._leave_out("the outlet's voice with no `publication` or `author` to name it")
        if authors:
            item["author"] = authors[0] if len(authors) == 1 else authors
        appearance = {"@type": "CreativeWork"} | {
            key: article[name]
            for key, name in (("url", "url"), ("headline", "title"), ("datePublished", "date"))
            if name in article
        }
        if len(appearance) > 1:
            item["appearance"] = appearance
        review["itemReviewed"] = item
        review["reviewRating"] = {"@type": "Rating", "alternateName": verdict}
        earlier = claim["attrs"].get("fact_check_url")
        if _web_address(earlier):
            cited: dict[str, Any] = {"@type": "ClaimReview", "url": earlier}
            rating = claim["attrs"].get("fact_check_rating")
            if isinstance(rating, str) and rating.strip():
                cited["reviewRating"] = {"@type": "Rating", "alternateName": rating}
            review["citation"] = cited
        elif earlier is not None:
            self._leave_out("`fact_check_url` not an http(s) address")
        return review

    def _leave_out(self, why: str) -> None:
        self.left_out[why] = self.left_out.get(why, 0) + 1

    def finish(self) -> list[Path]:
        self.out.write(_TAIL)
        self.context.written["review"] = self.reviews
        notes = self.context.notes
        notes.append(
            f"claimreview: {counted(self.reviews, 'review')}, one per `claim` span with a "
            f"`verdict`; {counted(self.unverified, 'claim')} marked `unverified` (no verdict "
            f"reached, so no rating) and {counted(self.without_verdict, 'claim')} without a "
            "verdict are not in the file"
        )
        for why, count in sorted(self.left_out.items()):
            notes.append(f"claimreview: {why}, left out {counted(count, 'time')}")
        if self.shared_urls:
            notes.append(
                f"claimreview: {counted(self.shared_urls, 'review')} with the URL of another "
                "(the same claim text twice in one article): an archive keeps one review per URL"
            )
        return self.out.finish()

    def discard(self) -> None:
        self.out.discard()


def text_fragment(claim: str) -> str:
    """A URL text fragment (``#:~:text=``, WICG "URL Fragment Text Directives") that
    browsers scroll to and highlight: the whole claim when short, else its first and last
    words as ``start,end``. ``-``, ``,`` and ``&`` are percent-encoded, as the syntax asks."""
    words = claim.split()
    if len(words) <= 2 * FRAGMENT_WORDS:
        return "#:~:text=" + _directive(words)
    head, tail = words[:FRAGMENT_WORDS], words[-FRAGMENT_WORDS:]
    return "#:~:text=" + _directive(head) + "," + _directive(tail)


def _directive(words: list[str]) -> str:
    return quote(" ".join(words), safe="").replace("-", "%2D")


def _author(source: dict[str, Any]) -> dict[str, str]:
    kind = source["attrs"].get("kind")
    typed = AUTHOR_TYPES.get(kind) if isinstance(kind, str) else None
    return ({"@type": typed} if typed else {}) | {"name": source["text"]}


def _web_address(value: object) -> bool:
    return (
        isinstance(value, str)
        and value.lower().startswith(("http://", "https://"))
        and not re.search(r"\s", value)
    )


def _iso_date(value: object) -> bool:
    """A date (``2023-05-11``) or a date and time, as schema.org's Date and DateTime take."""
    if not isinstance(value, str):
        return False
    for parse in (date.fromisoformat, datetime.fromisoformat):
        try:
            parse(value)
        except ValueError:
            continue
        return bool(re.match(r"\d{4}-\d{2}-\d{2}", value))
    return False


def open_writer(path: Path, context: ExportContext) -> ClaimReviewWriter:
    """A writer for ``path``."""
    return ClaimReviewWriter(path, context)
