"""αu, link and attribute agreement and the disagreements behind them, on small projects
whose figures are worked out by hand in the comments (formulas cited there)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from factmark.core.agreement import agreement
from factmark.core.incoming import IncomingDocument, IncomingRelation, IncomingSpan
from factmark.core.project import Project

TEXT = "Army says 240 troops left Kyiv."  # 31 code points


def span(s: int, e: int, label: str, who: str, ref: str, **attrs: Any) -> IncomingSpan:
    return IncomingSpan(s, e, label, who, attrs=attrs, ref=ref)


@pytest.fixture
def figures(tmp_path: Path) -> dict[str, Any]:
    with Project.open(tmp_path / "links.factmark") as project:
        project.add_document(
            IncomingDocument(
                TEXT,
                title="troops",
                spans=[
                    span(0, 4, "source", "ana", "a1"),  # Army
                    span(0, 31, "claim", "ana", "a2", verdict="false"),
                    span(10, 13, "number", "ana", "a3"),  # 240
                    span(26, 30, "location", "ana", "a4"),  # Kyiv
                    span(0, 4, "source", "ben", "b1"),
                    span(0, 25, "claim", "ben", "b2", verdict="misleading"),
                    span(10, 20, "number", "ben", "b3"),  # 240 troops
                    span(26, 30, "location", "ben", "b4"),
                ],
                relations=[
                    IncomingRelation("a1", "a2", "source_of"),
                    IncomingRelation("b1", "b2", "source_of"),
                    IncomingRelation("a3", "a2", "about"),  # only ana links the number
                ],
            ),
            create_labels=True,
        )
        return agreement(project)


def test_alpha_u_per_label_by_hand(figures: dict[str, Any]) -> None:
    labels = figures["alpha_u"]["labels"]
    # location: both marked Kyiv [26,30): no disagreement at all.
    assert labels["location"] == {"u": 1.0, "u_2004": 1.0, "units": 2}
    # number, L = 31: ana [10,13), ben [10,20).
    # 2016 uα (eq. 4-5): intersections both ways: gap-gap 2 * (10 + 11) = 42, n-n 6,
    # gap-n 7, n-gap 7; margins gap 49, n 13; l.. = 62. Corrections (units l², gaps l):
    # ana 9 + 28, ben 100 + 21: gap 49, n 109, all 158; denominator 62² - 158 = 3686.
    # e(gap,gap) = 62 (49² - 49)/3686, e(n,n) = 62 (13² - 109)/3686;
    # Do = 62 - 48 = 14; De = 78988/3686; uα = 1 - 14 * 3686/78988 = 0.3467.
    # 1995/2004 αu: Do = 2 (0² + 7²) / (2 * 1 * 31²) = 49/961. De: units 3, 10 (N = 2);
    # gaps 10, 10, 11, 18. l = 3: 1 * (3*2*5/3) + 9 * (8 + 8 + 9 + 16) = 379;
    # l = 10: 1 * (10*9*19/3) + 100 * (1 + 1 + 2 + 9) = 1870; De = 2 * 2249 /
    # (31 * (2*31*61 - (6 + 90))) = 4498/114266; αu = 1 - (49/961)/(4498/114266) = -0.2953.
    assert labels["number"] == {"u": 0.3467, "u_2004": -0.2953, "units": 2}
    assert labels["claim"]["units"] == 2
    overall = figures["alpha_u"]["overall"]
    assert overall["units"] == 8
    assert set(overall) == {"u", "bu", "cu", "u_2004", "units"}
    assert -1 <= overall["u"] < 1 and overall["bu"] < 1


def test_link_f1_per_type(figures: dict[str, Any]) -> None:
    # source_of: Army -> claim by both; the claims differ ([0,31) and [0,25)) but overlap:
    # exact F1 0 (ends not identical), overlap F1 2 * 1 / 2 = 1.
    assert figures["links"]["source_of"] == {"exact_f1": 0.0, "overlap_f1": 1.0, "links": 2}
    # about: only ana's number -> claim: nothing of ben's to match: 0 of 1.
    assert figures["links"]["about"] == {"exact_f1": 0.0, "overlap_f1": 0.0, "links": 1}


def test_disagreements_behind_the_figures(figures: dict[str, Any]) -> None:
    counts = figures["disagreement_counts"]
    # Spans: the claim and the number differ; source and location agree.
    assert counts["spans"] == {"claim": 1, "number": 1}
    assert counts["links"] == {"about": 1}
    assert counts["attributes"] == {"verdict": 1}
    number = next(d for d in figures["disagreements"] if d["label"] == "number")
    assert (number["document"], number["start"], number["end"]) == ("troops", 10, 20)
    assert number["versions"] == {"ana": "[10, 13) “240”", "ben": "[10, 20) “240 troops”"}
    verdict = next(d for d in figures["disagreements"] if d["kind"] == "attribute")
    assert verdict["versions"] == {"ana": "false", "ben": "misleading"}


def verdicts(tmp_path: Path, rows: list[tuple[str, ...]], names: list[str]) -> dict[str, Any]:
    """One claim per document by each annotator, with the given verdicts."""
    with Project.open(tmp_path / f"verdicts{len(names)}.factmark") as project:
        for n, row in enumerate(rows):
            project.add_document(
                IncomingDocument(
                    f"Claim number {n} is here.",
                    title=f"d{n}",
                    spans=[
                        span(0, 14, "claim", who, f"{who}{n}", verdict=value)
                        for who, value in zip(names, row, strict=True)
                    ],
                )
            )
        return agreement(project)["attributes"]


def test_attribute_kappa_two_annotators(tmp_path: Path) -> None:
    # Cohen (1960): kappa = (po - pe) / (1 - pe). Verdicts (ana, ben): (false, false),
    # (false, false), (true, false), (true, true): po = 3/4; ana false 2, true 2; ben
    # false 3, true 1: pe = (2*3 + 2*1)/16 = 1/2; kappa = (3/4 - 1/2)/(1/2) = 0.5.
    rows = [("false", "false"), ("false", "false"), ("true", "false"), ("true", "true")]
    figures = verdicts(tmp_path, rows, ["ana", "ben"])
    assert figures["verdict"] == {"measure": "cohen_kappa", "value": 0.5, "spans_compared": 4}


def test_attribute_alpha_three_annotators(tmp_path: Path) -> None:
    # Krippendorff's nominal alpha, coincidences (each ordered pair of values of one unit
    # weighs 1/(m_u - 1) = 1/2): (f,f,f) ff 3; (f,f,t) ff 1, ft 1, tf 1; (t,f,t) tt 1,
    # ft 1, tf 1; (t,t,t) tt 3. n = 12, n_f = n_t = 6, off-diagonal 4.
    # alpha = 1 - (n - 1) * 4 / (2 * n_f * n_t) = 1 - 44/72 = 0.3889.
    rows = [
        ("false", "false", "false"),
        ("false", "false", "true"),
        ("true", "false", "true"),
        ("true", "true", "true"),
    ]
    figures = verdicts(tmp_path, rows, ["ana", "ben", "cy"])
    assert figures["verdict"] == {
        "measure": "krippendorff_alpha",
        "value": 0.3889,
        "spans_compared": 4,
    }


def test_examples_list_the_first_of_each_figure_and_count_every_one(tmp_path: Path) -> None:
    """``examples=N`` lists the first N disagreements of each figure (span label, link
    type, attribute) in document order, with the same figures and counts as the whole
    list, which is worked out by hand here: each document repeats the troops document's
    claim, number, link and verdict disagreements (one each)."""
    with Project.open(tmp_path / "many.factmark") as project:
        for n in range(3):
            project.add_document(
                IncomingDocument(
                    TEXT.replace("Kyiv", f"Kyi{n}"),
                    title=f"troops {n}",
                    spans=[
                        span(0, 4, "source", "ana", "a1"),
                        span(0, 31, "claim", "ana", "a2", verdict="false"),
                        span(10, 13, "number", "ana", "a3"),
                        span(0, 4, "source", "ben", "b1"),
                        span(0, 25, "claim", "ben", "b2", verdict="misleading"),
                        span(10, 20, "number", "ben", "b3"),
                    ],
                    relations=[
                        IncomingRelation("a1", "a2", "source_of"),
                        IncomingRelation("b1", "b2", "source_of"),
                        IncomingRelation("a3", "a2", "about"),
                    ],
                ),
                create_labels=True,
            )
        every = agreement(project)
        first = agreement(project, examples=2)
    counts = {
        "spans": {"claim": 3, "number": 3},
        "links": {"about": 3},
        "attributes": {"verdict": 3},
    }
    assert every["disagreement_counts"] == first["disagreement_counts"] == counts
    assert len(every["disagreements"]) == 12
    listed = [(d["kind"], d["label"], d["document"]) for d in first["disagreements"]]
    figures = [("span", "claim"), ("span", "number"), ("link", "about"), ("attribute", "verdict")]
    assert sorted(listed) == sorted(
        (kind, label, f"troops {n}") for kind, label in figures for n in (0, 1)
    )
    assert {k: v for k, v in every.items() if k != "disagreements"} == {
        k: v for k, v in first.items() if k != "disagreements"
    }
