"""The ClaimReview export: the seed article's verdicts as schema.org ClaimReview JSON-LD.

The seed article is annotated here (sources with their kind, claims with verdicts, an earlier
fact-check linked to one) and the export compared with a file written by hand
(``fixtures/tasks/bakhmut.claimreview.jsonld``). The JSON-LD is expanded by pyld, offline,
and every property and type it expands to must be a term of schema.org's vocabulary as
rdflib ships it; the archive reader that ``factmark archive add`` uses reads the reviews back.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tests.core.test_export_tasks import span_at

from factmark.core.archive import add_reviews, archived_reviews
from factmark.core.archive_readers import read_archive_file
from factmark.core.exporting import export
from factmark.core.exporting.base import Selection
from factmark.core.incoming import IncomingDocument
from factmark.core.project import Project

ALL = Selection(frozenset())
FIXTURES = Path(__file__).parent / "fixtures"
SEED = Path(__file__).resolve().parents[2] / "seeds" / "bakhmut-counterattack.txt"
ARTICLE = "https://www.nbcnews.com/news/world/bakhmut-counterattack"
META = {"url": ARTICLE + "#top", "date": "2023-05-11", "lang": "en", "publication": "NBC News"}
SCHEMA = "http://schema.org/"
PUSHED_BACK = "Ukraine has pushed back the Russian army from some positions around Bakhmut"
FIRST_URL = (
    f"{ARTICLE}#:~:text=Ukraine%20has%20pushed%20back%20the,"
    "from%20some%20positions%20around%20Bakhmut"
)
BRIGADE_CLAIM = (
    "It is official. Prigozhin’s report about the flight of the Russian 72nd Independent "
    "Motor Rifle Brigade from near Bakhmut and the ‘500 corpses’ of Russians left behind is "
    "true"
)


def annotate_seed(project: Project) -> str:
    """The seed article with sources, claims, verdicts and links; returns its text."""
    text = SEED.read_text(encoding="utf-8")
    stored = project.add_document(
        IncomingDocument(text, title="Bakhmut", status="done", meta=dict(META))
    )
    assert stored is not None
    doc = stored[0]

    def span(label: str, needle: str, at: int = 0, **attrs: str) -> int:
        return span_at(project, doc, text, label, needle, at, attrs=attrs)

    pushed = span("claim", PUSHED_BACK, verdict="true")
    project.add_relation(span("source", "commanders on both sides"), pushed, "attributed_to")
    army = span("source", "Ukraine’s army", kind="organisation")
    project.add_relation(army, pushed, "attributed_to")
    span("claim", "Britain sent in new long-range missiles", verdict="true")
    prigozhin = span("source", "Prigozhin", text.index("Prigozhin said Thursday"), kind="person")
    partial = span(
        "claim",
        "Ukrainian forces had been «unfortunately, partially successful»",
        verdict="unverified",
    )
    project.add_relation(prigozhin, partial, "attributed_to")
    lost = span(
        "claim",
        "it had lost around 500 men",
        verdict="misleading",
        fact_check_url="https://factcheck.example.org/2023/05/wagner-losses",
        fact_check_rating="Unproven",
    )
    project.add_relation(prigozhin, lost, "attributed_to")
    span("number", "500 men")
    span("claim", "Russia’s military has not commented", verdict="true", voice="outlet")
    syrskyi = span("source", "Oleksandr Syrskyi", kind="person")
    counter = span(
        "claim",
        "Ukrainian forces carried out «effective counterattacks» in Bakhmut",
        verdict="true",
    )
    project.add_relation(syrskyi, counter, "attributed_to")
    brigade = span("source", "the Ukrainian 3rd Separate Assault Brigade", kind="organisation")
    official = span("claim", BRIGADE_CLAIM, verdict="false")
    project.add_relation(brigade, official, "attributed_to")
    span("claim", "Ukrainian forces conducted limited successful counterattacks around Bakhmut")
    return text


@pytest.fixture
def seed(project: Project) -> Project:
    annotate_seed(project)
    return project


def test_the_seed_article_gives_the_hand_written_file(seed: Project, tmp_path: Path) -> None:
    out = tmp_path / "reviews.jsonld"
    export(seed, "claimreview", out, ALL)
    written = json.loads(out.read_text(encoding="utf-8"))
    expected = json.loads(
        (FIXTURES / "tasks" / "bakhmut.claimreview.jsonld").read_text(encoding="utf-8")
    )
    assert written == expected
    card = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert "6 reviews" in card
    assert "1 claim marked `unverified`" in card
    assert "1 claim without a verdict" in card


def _offline_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """schema.org's context from the vendored copy; any other address fails the test."""
    assert url.rstrip("/") in ("https://schema.org", "http://schema.org"), url
    document = json.loads((FIXTURES / "schemaorg" / "context.jsonld").read_text("utf-8"))
    return {"contextUrl": None, "documentUrl": url, "document": document}


def _expanded_terms(node: Any, found: set[str]) -> None:
    """Every property and type IRI in expanded JSON-LD."""
    if isinstance(node, list):
        for item in node:
            _expanded_terms(item, found)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == "@type":
                found.update(value)
            elif not key.startswith("@"):
                found.add(key)
            _expanded_terms(value, found)


def _compact_terms(node: Any, found: set[str]) -> None:
    """Every property and type name as written in the file."""
    if isinstance(node, list):
        for item in node:
            _compact_terms(item, found)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == "@type":
                found.add(value)
            elif not key.startswith("@"):
                found.add(key)
            _compact_terms(value, found)


def test_every_term_expands_to_schema_org_vocabulary(seed: Project, tmp_path: Path) -> None:
    jsonld = pytest.importorskip("pyld.jsonld")
    from rdflib.namespace import SDO

    vocabulary = set(SDO.__annotations__)  # every class and property of schema.org
    assert {"ClaimReview", "claimReviewed", "itemReviewed"} <= vocabulary
    out = tmp_path / "reviews.jsonld"
    export(seed, "claimreview", out, ALL, card=False)
    document = json.loads(out.read_text(encoding="utf-8"))
    expanded = jsonld.expand(document, {"documentLoader": _offline_loader})
    terms: set[str] = set()
    _expanded_terms(expanded, terms)
    written: set[str] = set()
    _compact_terms(document, written)
    assert {term.removeprefix(SCHEMA) for term in terms} == written  # nothing dropped
    outside = sorted(t for t in terms if not t.startswith(SCHEMA))
    assert outside == []
    unknown = sorted(t for t in terms if t.removeprefix(SCHEMA) not in vocabulary)
    assert unknown == []
    # The addresses are IRIs, not strings, as the schema.org context types `url`.
    (feed,) = expanded
    review = feed[SCHEMA + "dataFeedElement"][0][SCHEMA + "item"][0]
    assert review[SCHEMA + "url"] == [{"@id": FIRST_URL}]


def test_the_archive_reads_back_the_claims_ratings_and_urls(seed: Project, tmp_path: Path) -> None:
    out = tmp_path / "reviews.jsonld"
    export(seed, "claimreview", out, ALL, card=False)
    read = read_archive_file(out)
    assert read.refused == []
    with Project.open(tmp_path / "other.factmark") as other:
        add_reviews(other, [review for _where, review in read.reviews], out.name)
        back = {
            (r.claim, r.rating, r.claimant, r.date, r.language) for r in archived_reviews(other)
        }
        urls = {r.url for r in archived_reviews(other)}
    expected = json.loads(
        (FIXTURES / "tasks" / "bakhmut.claimreview.jsonld").read_text(encoding="utf-8")
    )
    reviews = [element["item"][0] for element in expected["dataFeedElement"]]
    assert urls == {review["url"] for review in reviews}
    assert back == {
        (PUSHED_BACK, "true", "commanders on both sides", "2023-05-11", "en"),
        ("Britain sent in new long-range missiles", "true", "", "2023-05-11", "en"),
        ("it had lost around 500 men", "misleading", "Prigozhin", "2023-05-11", "en"),
        ("Russia’s military has not commented", "true", "NBC News", "2023-05-11", "en"),
        (
            "Ukrainian forces carried out «effective counterattacks» in Bakhmut",
            "true",
            "Oleksandr Syrskyi",
            "2023-05-11",
            "en",
        ),
        (BRIGADE_CLAIM, "false", "the Ukrainian 3rd Separate Assault Brigade", "2023-05-11", "en"),
    }


def test_metadata_that_is_not_what_a_property_takes_is_left_out_and_counted(
    project: Project, tmp_path: Path
) -> None:
    text = "The mayor said 40 bridges were closed. The council said the river rose 2 metres.\n"
    meta = {"url": "ftp://example.org/a", "date": "11 May 2023", "lang": "not a language"}
    doc = project.add_document(IncomingDocument(text, title="", status="done", meta=meta))
    assert doc is not None
    span_at(project, doc[0], text, "claim", "40 bridges were closed", attrs={"verdict": "false"})
    span_at(
        project,
        doc[0],
        text,
        "claim",
        "the river rose 2 metres",
        attrs={
            "verdict": "Mostly false",
            "fact_check_url": "javascript:alert(1)",
            "voice": "outlet",
        },
    )
    out = tmp_path / "r.jsonld"
    export(project, "claimreview", out, ALL)
    reviews = [e["item"][0] for e in json.loads(out.read_bytes())["dataFeedElement"]]
    assert reviews == [
        {
            "@type": "ClaimReview",
            "claimReviewed": "40 bridges were closed",
            "itemReviewed": {"@type": "Claim"},
            "reviewRating": {"@type": "Rating", "alternateName": "false"},
        },
        {
            "@type": "ClaimReview",
            "claimReviewed": "the river rose 2 metres",
            "itemReviewed": {"@type": "Claim"},
            "reviewRating": {"@type": "Rating", "alternateName": "Mostly false"},
        },
    ]
    card = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert "`url` not an http(s) address, left out 1 time" in card
    assert "`date` not an ISO 8601 date, left out 1 time" in card
    assert "`lang` not a language tag or English language name, left out 1 time" in card
    assert "`fact_check_url` not an http(s) address, left out 1 time" in card
    assert (
        "the outlet's voice with no `publication` or `author` to name it, left out 1 time" in card
    )


def test_the_outlets_voice_names_the_author_else_the_publication(
    project: Project, tmp_path: Path
) -> None:
    text = "Prices rose 9% in May.\n"
    for meta in ({"author": "Ann Lee", "publication": "The Post"}, {"publication": "The Post"}):
        added = project.add_document(IncomingDocument(text + str(meta), status="done", meta=meta))
        assert added is not None
        span_at(project, added[0], text, "claim", "Prices rose 9% in May",
                attrs={"verdict": "true", "voice": "outlet"})  # fmt: skip
    out = tmp_path / "r.jsonld"
    export(project, "claimreview", out, ALL, card=False)
    reviews = [e["item"][0] for e in json.loads(out.read_bytes())["dataFeedElement"]]
    assert [r["itemReviewed"]["author"] for r in reviews] == [
        {"@type": "Person", "name": "Ann Lee"},
        {"@type": "Organization", "name": "The Post"},
    ]


def test_an_export_without_reviews_is_an_empty_feed(project: Project, tmp_path: Path) -> None:
    out = tmp_path / "r.jsonld"
    export(project, "claimreview", out, ALL, card=False)
    assert json.loads(out.read_bytes()) == {
        "@context": "https://schema.org",
        "@type": "DataFeed",
        "dataFeedElement": [],
    }


def test_an_english_language_name_babel_knows_becomes_the_reviews_language(
    project: Project, tmp_path: Path
) -> None:
    from babel import Locale

    # The oracle: CLDR's English names, as babel ships them.
    tag_of = {name: code.replace("_", "-") for code, name in Locale("en").languages.items()}
    names = ["Chinese", "Ukrainian", "Japanese", "Swahili", "Tagalog"]
    text = "The mayor said 40 bridges were closed.\n"
    for number, language in enumerate([*names, "Klingonese"]):
        meta = {"url": f"https://example.org/{number}", "language": language}
        doc = project.add_document(
            IncomingDocument(f"{number}. {text}", title="", status="done", meta=meta)
        )
        assert doc is not None
        span_at(
            project,
            doc[0],
            f"{number}. {text}",
            "claim",
            "40 bridges were closed",
            attrs={"verdict": "false"},
        )
    out = tmp_path / "r.jsonld"
    result = export(project, "claimreview", out, ALL)
    reviews = [e["item"][0] for e in json.loads(out.read_bytes())["dataFeedElement"]]
    assert [r.get("inLanguage") for r in reviews] == [*(tag_of[n] for n in names), None]
    assert [tag_of[n] for n in names] == ["zh", "uk", "ja", "sw", "tl"]
    (note,) = [n for n in result.notes if "language" in n]
    assert "`language` not a language tag" in note  # the key the value came from
    assert note in (tmp_path / "README.md").read_text(encoding="utf-8")
