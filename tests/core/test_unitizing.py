"""Krippendorff's unitizing alpha against published figures and hand computation.

The 1995 and 2004 figures are Krippendorff's own worked examples, with the exact values
DKPro Statistics (the library behind INCEpTION's agreement) asserts for them in
``dkpro-statistics-agreement/src/test/java/org/dkpro/statistics/agreement/unitizing/``
``Krippendorff1995Test.java`` and ``Krippendorff2004Test.java`` (release 2.3.1+).
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
