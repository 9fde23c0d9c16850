"""The card's Counts table counts what the files hold, read back from the files (by hand,
or with spaCy's DocBin), not what the export selected: CoNLL's tagged spans, spaCy's
doc.spans["sc"], attribution's lines, ClaimReview's reviews, the sentences' rows; the
selection's relations are never counted as the files' when the format has none."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
import spacy
from spacy.training import Corpus

from factmark.core.exporting import export
from factmark.core.exporting.base import Selection
from factmark.core.incoming import IncomingDocument
from factmark.core.project import Project

TEXT = (
    "The mayor said 40 bridges were closed, and the council said 12 roads were shut. "
    "Officials in Leeds agreed. "
)
ALL = Selection(frozenset())


def annotate(project: Project) -> None:
    """Claims with a number nested in each (CoNLL keeps the outer one), a source linked
    to the first, and a span that is only a space (spaCy can place it on no token)."""
    for number in range(3):
        text = f"{number}. {TEXT}"
        added = project.add_document(IncomingDocument(text, meta={"lang": "en"}))
        assert added is not None
        doc = added[0]

        def span(part: str, label: str, text: str = text, doc: int = doc, **attrs: str) -> int:
            start = text.index(part)
            return project.add_span(doc, start, start + len(part), label, attrs=attrs).id

        first = span("40 bridges were closed", "claim", verdict="false")
        span("12 roads were shut", "claim", verdict="true")
        span("40", "number")
        span("12", "number")
        project.add_relation(span("The mayor", "source"), first, "attributed_to")
        space = text.index(" Officials")
        project.add_span(doc, space, space + 1, "location")


def cell(card: str, name: str) -> int:
    """The (unsplit) table's number in the row ``name``."""
    (found,) = re.findall(rf"^\| {re.escape(name)} \| (\d+) \|$", card, re.M)
    return int(found)


def rows(card: str) -> list[str]:
    return re.findall(r"^\| ([^|]+?) \|", card, re.M)


def card_of(path: Path) -> str:
    return (path.parent / "README.md").read_text(encoding="utf-8")


@pytest.fixture
def annotated(project: Project) -> Project:
    annotate(project)
    return project


def test_conll_counts_the_tags_in_the_file(annotated: Project, tmp_path: Path) -> None:
    out = tmp_path / "c" / "news.conll"
    result = export(annotated, "conll", out, ALL)
    tags = [line.split()[-1] for line in out.read_text(encoding="utf-8").splitlines() if line]
    tagged = sum(tag.startswith("B-") for tag in tags)
    assert tagged == 9  # per document: two claims and the source; numbers nested, space blank
    card = card_of(out)
    assert cell(card, "spans tagged (`B-` tags)") == tagged
    assert cell(card, "spans selected") == 18 and cell(card, "relations selected") == 3
    assert "relations" not in rows(card) and "spans" not in rows(card)
    assert f"The files hold {tagged} of the 18 spans selected" in card
    assert (
        "- 3 relations selected, not in the files as relations: the conll format has none" in card
    )
    assert result.wrote() == f"3 documents and {tagged} spans"  # the command's own report


def test_spacy_counts_the_spans_in_its_docbins(annotated: Project, tmp_path: Path) -> None:
    out = tmp_path / "s" / "corpus.spacy"
    result = export(annotated, "spacy", out, ALL)
    docs = [eg.reference for eg in Corpus(out)(spacy.blank("en"))]
    in_sc = sum(len(doc.spans["sc"]) for doc in docs)
    assert in_sc == 15  # the spaces are on no token
    card = card_of(out)
    assert cell(card, 'spans in `doc.spans["sc"]`') == in_sc
    assert "relations" not in rows(card) and cell(card, "relations selected") == 3
    assert result.wrote() == f"3 documents and {in_sc} spans"


def test_attribution_claimreview_and_sentences_count_their_own_units(
    annotated: Project, tmp_path: Path
) -> None:
    out = tmp_path / "a" / "attributions.jsonl"
    export(annotated, "attribution", out, ALL)
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    card = card_of(out)
    assert cell(card, "lines in the files") == len(lines) == 6  # one per claim
    assert "spans" not in rows(card) and "relations" not in rows(card)
    assert cell(card, "spans selected") == 18

    out = tmp_path / "r" / "reviews.jsonld"
    export(annotated, "claimreview", out, ALL)
    feed = json.loads(out.read_text(encoding="utf-8"))
    reviews = [review for element in feed["dataFeedElement"] for review in element["item"]]
    card = card_of(out)
    assert cell(card, "reviews in the files") == len(reviews) == 6

    out = tmp_path / "t" / "sentences.tsv"
    export(annotated, "sentences", out, ALL)
    with out.open(encoding="utf-8", newline="") as handle:
        sentences = list(csv.DictReader(handle, delimiter="\t"))
    card = card_of(out)
    assert cell(card, "sentences in the files") == len(sentences) == 9
