"""Krippendorff's unitizing alpha against published figures and hand computation.

The 1995 and 2004 figures are Krippendorff's own worked examples, with the exact values
DKPro Statistics (the library behind INCEpTION's agreement) asserts for them in
``dkpro-statistics-agreement/src/test/java/org/dkpro/statistics/agreement/unitizing/``
``Krippendorff1995Test.java`` and ``Krippendorff2004Test.java`` (release 2.3.1+).

The 2016 family (u, bu, cu, per value) is checked against the worked example of
Krippendorff (2019), Content Analysis 4th ed., section 12.6, Figure 12.11, with the data
and figures the R package quallmer asserts for it (:func:`example_2019`).
"""

from __future__ import annotations

import pytest

from factmark.core.unitizing import (
    Coincidences,
    disagreement_2004,
    merged,
    partition,
    pooled_alpha,
)


def example_2004() -> dict[str, list[list[tuple[int, int]]]]:
    """Krippendorff (2004), Content Analysis 2nd ed., p. 254: two observers i and j on a
    continuum from 150 to 450 (offsets here from 150), values c and k."""

    def at(begin: int, length: int) -> tuple[int, int]:
        return (begin - 150, begin - 150 + length)

    return {
        "c": [[at(225, 70), at(370, 30)], [at(220, 80), at(355, 20), at(400, 20)]],
        "k": [[at(180, 60), at(300, 50)], [at(180, 60), at(300, 50)]],
    }


def test_krippendorff_2004_page_254() -> None:
    study = example_2004()
    c = disagreement_2004(300, study["c"])
    k = disagreement_2004(300, study["k"])
    # Krippendorff2004Test.testCategoryAgreement: c Do .0144, De .0532, alpha .7286;
    # k Do 0, De .0490, alpha 1. testAgreement: alpha over both values .8591.
    assert c.observed == pytest.approx(0.0144, abs=0.0001)
    assert c.expected == pytest.approx(0.0532, abs=0.0001)
    assert c.alpha() == pytest.approx(0.7286, abs=0.0001)
    assert k.observed == 0
    assert k.expected == pytest.approx(0.0490, abs=0.0001)
    assert k.alpha() == 1.0
    assert pooled_alpha([c, k]) == pytest.approx(0.8591, abs=0.0005)


def example_1995(stretch: int, per: int = 1) -> dict[str, list[list[tuple[int, int]]]]:
    """Krippendorff (1995), Sociological Methodology 25, p. 57: four pairs of observers
    (Bertha/Bill, John/Jill, Gerret/Gill, Heather/Hill) each unitizing 24 positions for one
    value; every offset is multiplied by ``stretch / per`` (a finer or coarser continuum,
    same picture; every offset in the figure is even, so halving is exact)."""

    def units(*pairs: tuple[int, int]) -> list[tuple[int, int]]:
        return [(b * stretch // per, (b + n) * stretch // per) for b, n in pairs]

    return {
        "A": [units((2, 8), (14, 6)), units((4, 4), (15, 2))],
        "B": [
            units((0, 18)),
            units((0, 2), (2, 1), (3, 1), (4, 1), (5, 1), (6, 3), (9, 1)),
        ],
        "C": [
            units((2, 6), (10, 2), (14, 4), (20, 2)),
            units((0, 2), (4, 4), (10, 4), (16, 2), (20, 2)),
        ],
        "D": [
            units((0, 2), (2, 8), (10, 4), (14, 6), (20, 4)),
            units((0, 4), (4, 4), (8, 7), (15, 2), (17, 7)),
        ],
    }


def test_krippendorff_1995_page_57_observed() -> None:
    # Krippendorff1995Test.testAgreement: observed disagreement at the published grain.
    study = example_1995(1)
    observed = {v: disagreement_2004(24, units).observed for v, units in study.items()}
    assert observed["A"] == pytest.approx(0.03125, abs=0.00001)
    assert observed["B"] == pytest.approx(2.26736, abs=0.00001)
    assert observed["C"] == pytest.approx(0.02777, abs=0.00001)
    assert observed["D"] == pytest.approx(0.38715, abs=0.00001)


def test_krippendorff_1995_page_57_alphas() -> None:
    # The paper's alphas assume a near-continuous scale: DKPro stretches the 24 positions
    # 50,000 times and expects De .06990/1.17731/.08642/.41445 (within .005) and alphas
    # .553, -.926, .679, .066 (within .02), the figures printed in the paper.
    study = example_1995(50_000)
    length = 24 * 50_000
    expected = {"A": 0.06990, "B": 1.17731, "C": 0.08642, "D": 0.41445}
    alphas = {"A": 0.553, "B": -0.926, "C": 0.679, "D": 0.066}
    for value, units in study.items():
        d = disagreement_2004(length, units)
        assert d.expected == pytest.approx(expected[value], abs=0.005), value
        assert d.alpha() == pytest.approx(alphas[value], abs=0.02), value


def test_krippendorff_1995_finer_grain_converges() -> None:
    # Krippendorff1995Test.testVaryingLengths, value C: on 12 positions (the figure halved)
    # Do .02777, De .05494, alpha .494 (within .02); on 120 positions De .08234 (within
    # .005) and alpha .663: the coefficient settles as the grain gets finer.
    coarse = disagreement_2004(12, example_1995(1, 2)["C"])
    assert coarse.observed == pytest.approx(0.02777, abs=0.00001)
    assert coarse.expected == pytest.approx(0.05494, abs=0.00001)
    assert coarse.alpha() == pytest.approx(0.494, abs=0.02)
    fine = disagreement_2004(120, example_1995(5)["C"])
    assert fine.expected == pytest.approx(0.08234, abs=0.005)
    assert fine.alpha() == pytest.approx(0.663, abs=0.02)


def test_2016_u_alpha_by_hand() -> None:
    # Two observers, continuum of 10. A: unit [2,6); B: unit [3,6).
    # Intersections, both directions (m - 1 = 1): gap-gap 2 + 4 = 6 twice -> 12,
    # c-c 3 twice -> 6, c-gap 1, gap-c 1. l.. = 20 = m * L.
    # Corrections (eq. 4): units l², gaps l: A 16 + (2 + 4), B 9 + (3 + 4): 38, c 25, gap 13.
    # e(gap,gap) = 20 (13² - 13) / (20² - 38) = 3120/362; e(c,c) = 20 (7² - 25)/362 = 480/362.
    # Do = 20 - 18 = 2; De = 20 - 3600/362 = 3640/362; uα = 1 - 724/3640 = 0.801099.
    a = partition([(2, 6, "c")], 10)
    b = partition([(3, 6, "c")], 10)
    study = Coincidences.of([a, b])
    assert study.u() == pytest.approx(2916 / 3640)
    # With one value, |uα (units against gaps) is the same figure; cuα has no second value.
    assert study.bu() == pytest.approx(2916 / 3640)
    assert study.cu() is None


def test_2016_cu_alpha_by_hand() -> None:
    # Continuum of 8, no gaps. A: a [0,4), b [4,8); B: a [0,6), b [6,8).
    # Coincidences: a-a 4, a-b 2 (B's a over A's b), b-b 2; both directions: aa 8,
    # ab 2, ba 2, bb 4; margins a 10, b 6, total 16.
    # cuα (eq. 10): per unit, (its intersection with the other's units)²: A.a 16, A.b 16,
    # B.a 36, B.b 4 -> a 52, b 20, all 72. Denominator 16 - 72/16 = 11.5;
    # e(a,a) = (100 - 52)/11.5, e(b,b) = (36 - 20)/11.5; De = 16 - 64/11.5 = 120/11.5;
    # Do = 16 - 12 = 4; cuα = 1 - 46/120 = 0.616667.
    a = partition([(0, 4, "a"), (4, 8, "b")], 8)
    b = partition([(0, 6, "a"), (6, 8, "b")], 8)
    study = Coincidences.of([a, b])
    assert study.cu() == pytest.approx(74 / 120)
    # uα: no gaps, so the eq. 4 corrections (l² per unit) give the same matrix here.
    assert study.u() == pytest.approx(74 / 120)
    assert study.bu() is None  # nobody left a gap: nothing to tell apart


def test_perfect_agreement_is_one_and_pooling_documents_adds_up() -> None:
    one = [(0, 5, "claim"), (1, 3, "number")]
    study = Coincidences.of([partition(one, 12), partition(one, 12)])
    assert (study.u(), study.bu(), study.cu()) == (1.0, 1.0, 1.0)
    # Two documents pooled equal the two texts laid end to end (gaps count by length).
    first = [partition([(2, 6, "c")], 10), partition([(3, 6, "c")], 10)]
    second = [partition([(0, 4, "c")], 9), partition([(1, 4, "c")], 9)]
    pooled = Coincidences.of(first)
    pooled.add(Coincidences.of(second))
    joined = Coincidences.of(
        [partition([(2, 6, "c"), (10, 14, "c")], 19), partition([(3, 6, "c"), (11, 14, "c")], 19)]
    )
    assert pooled.u() == pytest.approx(joined.u())


def test_partition_takes_the_innermost_label() -> None:
    # A claim [0,10) with a number [3,5) in it: claim, number, claim, then a gap.
    assert partition([(0, 10, "claim"), (3, 5, "number")], 12) == [
        (0, 3, "claim"),
        (3, 5, "number"),
        (5, 10, "claim"),
        (10, 12, None),
    ]
    assert merged([(0, 4), (2, 6), (6, 8)]) == [(0, 6), (6, 8)]


def example_2019() -> list[list[tuple[int, int, str]]]:
    """Krippendorff (2019), Content Analysis 4th ed., section 12.6, Figure 12.11 (p. 340):
    observers Alex, Paul and Suzan on a continuum of 60, values 1-7. The positions are the
    ones the R package quallmer tests against the book: ``make_book_example()`` in
    tests/testthat/test-alpha_u.R of quallmer 0.4.0 (CRAN, cran/quallmer commit
    b54c54b912be659109be39bceda8a086d05ed8b3) and of its development repository
    SeraphineM/quallmer (commit 44dee7eb5ed88361792fe119acdb439597796480), there 1-based
    and inclusive, here ``[start, end)`` from 0."""

    def observer(*units: tuple[int, int, str]) -> list[tuple[int, int, str]]:
        return [(first - 1, last, value) for first, last, value in units]

    alex = observer((1, 7, "1"), (8, 13, "2"), (31, 32, "5"), (33, 37, "6"), (38, 44, "6"))
    alex.append((44, 60, "7"))
    paul = observer((1, 7, "1"), (8, 13, "3"), (14, 21, "5"), (33, 44, "6"))
    suzan = observer((1, 7, "1"), (8, 13, "4"), (14, 21, "5"), (33, 37, "6"), (38, 41, "6"))
    suzan.append((41, 44, "6"))
    return [alex, paul, suzan]


def test_krippendorff_2019_figure_12_11() -> None:
    # quallmer's test-alpha_u.R asserts the book's figures for this example: u_alpha
    # nominal .510 (eq. 34, rounded to 3 places), |u_alpha binary .413 (eq. 35, within a
    # relative .002) and cu_alpha "slightly higher than .724" (eqs. 36-37; quallmer gets
    # .728, between .72 and .73). By hand from the coincidences (l.. = 180 = m L; the
    # eq. 33 corrections, l² per unit and l per gap, add up to 982, 71 of them gaps):
    study = Coincidences.of([partition(units, 60) for units in example_2019()])
    denominator = 180 - 982 / 180
    # uα: observed disagreement 180 - (45 + 21 + 8 + 36) = 70; expected agreement
    # (gap 71² - 71, value 1 21² - 147, 5 18² - 132, 6 36² - 268; 2, 3, 4, 7 none) / den.
    expected = 180 - (4970 + 294 + 192 + 1028) / denominator
    assert study.u() == pytest.approx(1 - 70 / expected)
    assert study.u() == pytest.approx(0.510, abs=0.0005)
    # |uα: 52 of units met gaps; expected 2 * 71 * 109 / den. The exact figure is .4136;
    # the book prints .413 (quallmer accepts it within .002 too).
    assert study.bu() == pytest.approx(1 - 52 / (2 * 71 * 109 / denominator))
    assert study.bu() == pytest.approx(0.413, abs=0.001)
    # cuα on the 83 valued coincidences (1 21, 5 8, 6 36 agree; 2, 3, 4 each meet the
    # other two for 6): each unit's self-pairing correction is the square of the length it
    # meets the others' units, summed over them / (m - 1): 1 147, 2-4 36 each, 5 32,
    # 6 268 -> 555. De = 83 - (294 + 0 + 32 + 1028) / (83 - 555 / 83); Do = 83 - 65.
    assert study.cu() == pytest.approx(1 - 18 / (83 - 1354 / (83 - 555 / 83)))
    assert study.cu() == pytest.approx(0.724, abs=0.0005)


def test_krippendorff_2019_figure_12_11_per_value() -> None:
    # quallmer's "per_value matches book Figure 12.11" (eq. 38): (k)u_alpha 1 for values
    # 1, 5, 6 (wherever units of them met units of others, those were 1, 5, 6 too), 0 for
    # 2, 3, 4 (each used by one observer only); coverage of 5 is 8/18 (of its 18
    # coincidences, 8 are with units) and of 7 nothing (it only met gaps).
    study = Coincidences.of([partition(units, 60) for units in example_2019()])
    for value in "156":
        assert study.ku(value) == pytest.approx(1.0), value
    for value in "234":
        assert study.ku(value) == pytest.approx(0.0, abs=1e-12), value
    assert study.coverage("5") == pytest.approx(8 / 18)
    assert study.coverage("7") == 0
    assert study.ku("7") is None  # no unit of 7 met a unit: nothing to tell


def test_touching_units_of_one_value_stay_two() -> None:
    # Alex's 6 [32,37) and 6 [37,44) are two units (the book's figures need it: joined,
    # uα would be .513 and |uα .417); overlapping units of one value still count once.
    alex = partition(example_2019()[0], 60)
    assert (32, 37, "6") in alex and (37, 44, "6") in alex
    assert partition([(0, 4, "a"), (2, 6, "a"), (6, 8, "a")], 10) == [
        (0, 6, "a"),
        (6, 8, "a"),
        (8, 10, None),
    ]
    # Pieces of one unit that another unit's start cuts apart are one segment again.
    assert partition([(0, 5, "claim"), (3, 8, "number"), (0, 20, "source")], 20) == [
        (0, 5, "claim"),
        (5, 8, "number"),
        (8, 20, "source"),
    ]
