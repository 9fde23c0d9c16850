"""The retrieval bench's measures against a ranking scored by hand, as the CheckThat! 2020
lab's scorer (trectools' TrecEval.get_map) defines MAP@k: per query, the precision at the
rank of each relevant document found in the top k, summed, over the number of relevant
documents (not over k, and not over those found)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "retrieval.py"


@pytest.fixture(scope="module")
def retrieval():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("retrieval_bench", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["retrieval_bench"] = module
    spec.loader.exec_module(module)
    return module


QRELS = {"q1": {"d1", "d3"}, "q2": {"d9"}, "q3": {"d4"}, "q4": {"d2"}}
RANKING = {
    # d3 at rank 1 (precision 1/1), d1 at rank 3 (2/3): (1 + 2/3) / 2 relevant.
    "q1": [("d3", 9.0), ("d2", 8.0), ("d1", 7.0), ("d5", 6.0), ("d6", 5.0)],
    # d9 at rank 5 (1/5): 0.2.
    "q2": [("d7", 9.0), ("d8", 8.0), ("d2", 7.0), ("d1", 6.0), ("d9", 5.0)],
    # d4 at rank 6, past the depth: 0.
    "q3": [("d1", 6.0), ("d2", 5.0), ("d3", 4.0), ("d5", 3.0), ("d6", 2.0), ("d4", 1.0)],
    # q4 has no ranking at all (no shared word): 0.
}


def test_map_at_5_as_the_lab_defines_it(retrieval) -> None:  # type: ignore[no-untyped-def]
    map5, recall5 = retrieval.scores(RANKING, QRELS, 5)
    assert map5 == pytest.approx((5 / 6 + 1 / 5 + 0 + 0) / 4)  # 0.2583
    # Recall@5: both of q1's, q2's one, neither q3's (rank 6) nor q4's.
    assert recall5 == pytest.approx((1 + 1 + 0 + 0) / 4)


def test_depth_and_a_single_relevant_document(retrieval) -> None:  # type: ignore[no-untyped-def]
    ranked = ["d7", "d8", "d2", "d1", "d9", "d4"]
    assert retrieval.average_precision(ranked, {"d4"}, 5) == 0
    assert retrieval.average_precision(ranked, {"d4"}, 6) == pytest.approx(1 / 6)
    # Two relevant, one found at rank 2: (1/2) / 2, not (1/2) / 1.
    assert retrieval.average_precision(ranked, {"d8", "x"}, 5) == pytest.approx(0.25)
    assert retrieval.recall(ranked, {"d8", "x"}, 5) == 0.5
