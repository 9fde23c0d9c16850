"""Agreement figures checked against values worked out by hand in the comments."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from factmark.core.agreement import agreement, cohen_kappa, token_labels, tokens
from factmark.core.incoming import IncomingDocument, IncomingSpan
from factmark.core.project import Project

# Document 1, 7 tokens: Army(0-4) says(5-9) 240(10-13) troops(14-20) left(21-25)
# Kyiv(26-30) .(30-31)
DOC1 = "Army says 240 troops left Kyiv."
# Document 2, 5 tokens: Police(0-6) arrested(7-15) 12(16-18) men(19-22) .(22-23)
DOC2 = "Police arrested 12 men."


def span(start: int, end: int, label: str, annotator: str | None) -> IncomingSpan:
    return IncomingSpan(start, end, label, annotator)


@pytest.fixture
def figures(tmp_path: Path) -> dict[str, Any]:
    with Project.open(tmp_path / "team.factmark") as project:
        project.add_document(
            IncomingDocument(
                DOC1,
                title="doc1",
                spans=[
                    span(0, 31, "claim", "ana"),  # the whole sentence
                    span(10, 13, "number", "ana"),  # 240
                    span(26, 30, "location", "ana"),  # Kyiv
                    span(0, 25, "claim", "ben"),  # Army says 240 troops left
                    span(10, 20, "number", "ben"),  # 240 troops
                    span(26, 30, "location", "ben"),  # Kyiv
                ],
            )
        )
        project.add_document(
            IncomingDocument(
                DOC2,
                title="doc2",
                spans=[
                    span(16, 18, "number", "ana"),  # 12
                    span(16, 18, "number", "ben"),  # 12
                    span(16, 22, "number", "cy"),  # 12 men
                    span(0, 6, "source", None),  # no annotator: left out
                ],
            )
        )
        # One annotator (plus an unattributed span): not compared.
        project.add_document(
            IncomingDocument(
                "Nobody else read this one.",
                title="doc3",
                spans=[span(0, 6, "source", "ana"), span(0, 6, "source", None)],
            )
        )
        return agreement(project)


def test_documents_with_two_annotators_count(figures: dict[str, Any]) -> None:
    assert figures["documents_compared"] == 2
    assert figures["annotators"] == ["ana", "ben", "cy"]
    assert [d["title"] for d in figures["documents"]] == ["doc1", "doc2"]


def test_document_one_by_hand(figures: dict[str, Any]) -> None:
    # Exact: only Kyiv matches: F1 = 2*1 / (3 + 3) = 1/3.
    # Overlap: every span of each overlaps a same-label span of the other: F1 = 1.
    # Tokens (innermost label): ana  claim claim number claim  claim location claim
    #                           ben  claim claim number number claim location O
    # agree on 5 of 7: po = 5/7. ana: claim 5, number 1, location 1;
    # ben: claim 3, number 2, location 1, O 1. pe = (5*3 + 1*2 + 1*1) / 49 = 18/49.
    # kappa = (35/49 - 18/49) / (31/49) = 17/31 = 0.5484.
    doc1 = figures["documents"][0]
    assert doc1["annotators"] == ["ana", "ben"]
    assert (doc1["exact_f1"], doc1["overlap_f1"], doc1["kappa"]) == (0.3333, 1.0, 0.5484)


def test_document_two_pools_its_three_pairs(figures: dict[str, Any]) -> None:
    # Pairs ana-ben, ana-cy, ben-cy: exact matches 1 + 0 + 0 over 2 + 2 + 2 spans:
    # F1 = 2/6. Tokens: ana-ben agree on 5 of 5, ana-cy and ben-cy on 4 of 5 ("men"):
    # po = 13/15. Side A (ana, ana, ben): number 3, O 12; side B (ben, cy, cy):
    # number 5, O 10. pe = (3*5 + 12*10) / 225 = 0.6; kappa = (13/15 - 0.6) / 0.4 = 2/3.
    doc2 = figures["documents"][1]
    assert doc2["annotators"] == ["ana", "ben", "cy"]
    assert (doc2["exact_f1"], doc2["overlap_f1"], doc2["kappa"]) == (0.3333, 1.0, 0.6667)


def test_lowest_agreement_first(figures: dict[str, Any]) -> None:
    # Both documents have exact F1 1/3; doc1 has the lower kappa (0.5484 < 0.6667).
    assert [d["kappa"] for d in figures["documents"]] == [0.5484, 0.6667]


def test_per_label_by_hand(figures: dict[str, Any]) -> None:
    labels = figures["labels"]
    # number, per label kappa is binary (a number span over the token or not):
    # doc1 ana {240}, ben {240, troops}; doc2 ana-ben {12}/{12}, ana-cy and ben-cy
    # {12}/{12, men}. 22 token pairs, disagreements: troops, men, men: po = 19/22.
    # Side A number: 1 + 1 + 1 + 1 = 4 of 22; side B: 2 + 1 + 2 + 2 = 7 of 22.
    # pe = (4*7 + 18*15) / 484 = 298/484; kappa = (418 - 298) / (484 - 298) = 120/186.
    # Exact: doc1 0 of 1+1, doc2 1 of 2+2+2: F1 = 2*1 / 8 = 0.25.
    assert labels["number"] == {"exact_f1": 0.25, "overlap_f1": 1.0, "kappa": 0.6452}
    # claim: in doc1 ana's claim covers 7 tokens, ben's 5; doc2's three pairs agree
    # that none of their 15 tokens is a claim (tokens pool every compared pair).
    # po = (5 + 15) / 22. A: claim 7, O 15; B: claim 5, O 17. pe = (35 + 255) / 484;
    # kappa = (440 - 290) / (484 - 290) = 150/194 = 0.7732. Exact 0 of 2; overlap 1.
    assert labels["claim"] == {"exact_f1": 0.0, "overlap_f1": 1.0, "kappa": 0.7732}
    ab_claim = next(p for p in figures["pairs"] if p["annotators"] == ["ana", "ben"])
    # ana-ben: 12 tokens, agree 5 + 5; A claim 7, O 5; B claim 5, O 7.
    # pe = (35 + 35) / 144; kappa = (120 - 70) / (144 - 70) = 50/74 = 0.6757.
    assert ab_claim["labels"]["claim"]["kappa"] == 0.6757
    # location: Kyiv by both, nothing else: all perfect.
    assert labels["location"] == {"exact_f1": 1.0, "overlap_f1": 1.0, "kappa": 1.0}
    # source: only the unattributed span and doc3 (one annotator): nothing to compare.
    assert labels["source"] == {"exact_f1": None, "overlap_f1": None, "kappa": None}


def test_overall_and_pairs_by_hand(figures: dict[str, Any]) -> None:
    # Overall exact: 2 matches over 6 + 6 spans = 1/3. Tokens: 7 + 15 = 22 pairs,
    # 5 + 13 = 18 agree. Side A: claim 5, number 4, location 1, O 12; side B: claim 3,
    # number 7, location 1, O 11. pe = (15 + 28 + 1 + 132) / 484 = 176/484;
    # kappa = (396 - 176) / (484 - 176) = 220/308 = 0.7143.
    assert figures["overall"] == {"exact_f1": 0.3333, "overlap_f1": 1.0, "kappa": 0.7143}
    pairs = {tuple(p["annotators"]): p for p in figures["pairs"]}
    assert list(pairs) == [("ana", "ben"), ("ana", "cy"), ("ben", "cy")]
    # ana-ben over both documents: exact 2 of 4 + 4: 0.5. Tokens 12, agree 10;
    # ana: claim 5, number 2, location 1, O 4; ben: claim 3, number 3, location 1, O 5.
    # pe = (15 + 6 + 1 + 20) / 144 = 42/144; kappa = (120 - 42) / (144 - 42) = 78/102.
    ab = pairs[("ana", "ben")]
    assert (ab["documents"], ab["exact_f1"], ab["kappa"]) == (2, 0.5, 0.7647)
    # ana-cy, doc2 only: 4 of 5 tokens agree; ana number 1, O 4; cy number 2, O 3.
    # pe = (2 + 12) / 25; kappa = (20 - 14) / (25 - 14) = 6/11.
    ac = pairs[("ana", "cy")]
    assert (ac["documents"], ac["exact_f1"], ac["overlap_f1"], ac["kappa"]) == (
        1,
        0.0,
        1.0,
        0.5455,
    )
    assert ac["labels"]["number"]["kappa"] == 0.5455
    # The unitizing alpha of this project has its own tests (test_agreement_more.py).
    assert figures["alpha_u"]["overall"]["units"] == 9


def test_overlap_f1_counts_each_side() -> None:
    # Here spans of A: 0-5 (overlaps B's 3-8), 10-12 (no); spans of B: 3-8 only.
    # R = 1/2 (A's matched), P = 1/1 (B's matched): F1 = 2 * 1 * 0.5 / 1.5 = 2/3.
    from factmark.core.agreement import _span_counts

    counts = _span_counts({(0, 5, "claim"), (10, 12, "claim")}, {(3, 8, "claim")})
    assert counts.figures()["overlap_f1"] == 0.6667
    assert counts.figures()["exact_f1"] == 0.0


def test_cohen_kappa_textbook_example() -> None:
    # 50 items: both yes 20, A yes B no 5, A no B yes 10, both no 15.
    # po = 35/50 = 0.7; A yes 25, B yes 30: pe = (25*30 + 25*20) / 2500 = 0.5.
    # kappa = (0.7 - 0.5) / 0.5 = 0.4.
    pairs = Counter({("y", "y"): 20, ("y", "n"): 5, ("n", "y"): 10, ("n", "n"): 15})
    assert cohen_kappa(pairs) == pytest.approx(0.4)
    assert cohen_kappa(Counter({("O", "O"): 4})) is None
    assert cohen_kappa(Counter()) is None


def test_innermost_span_labels_a_token() -> None:
    text = "He said 12 tanks."
    toks = tokens(text)
    assert [text[s:e] for s, e in toks] == ["He", "said", "12", "tanks", "."]
    labels = token_labels(toks, {(0, 17, "claim"), (8, 16, "number"), (8, 10, "source")})
    assert labels == ["claim", "claim", "source", "number", "claim"]
    # Same width: the first label by name wins. A span ending mid-token still covers it.
    assert token_labels(toks, {(8, 10, "source"), (8, 10, "number"), (0, 1, "claim")}) == [
        "claim",
        "O",
        "number",
        "O",
        "O",
    ]
