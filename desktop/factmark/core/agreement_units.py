"""Unitizing alpha (αu) of a project's annotators, per label and overall.

The compared documents are laid end to end as one continuum of code points (the paper's
way of pooling several texts). Every annotator who made spans in any compared document
is an observer of each of them: an annotator without spans in a document counts as having
found nothing there, and that silence is disagreement when others marked something.

- Per label, that label's spans alone (other labels do not cut them, so a number inside a
  claim leaves the claim whole); an annotator's overlapping spans of one label count once.
  ``u`` is the 2016 uα of that layer (with one value it equals |uα) and ``u_2004`` the
  1995/2004 αu INCEpTION reports for the label.
- Overall, each annotator's spans cut into their innermost labels (the reading token kappa
  uses): ``u`` uα, ``bu`` |uα (spans of any label against the rest), ``cu`` cuα (labels
  where spans of two annotators meet), and ``u_2004`` the 2004 αu over all labels
  (``1 - ΣDo / ΣDe``).

``units`` is the number of spans each figure stands on. A figure is None when nothing could
disagree (e.g. nobody used the label).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from factmark.core.unitizing import (
    Coincidences,
    Disagreement,
    disagreement_2004,
    merged,
    partition,
    pooled_alpha,
)

# One compared document: its length and each annotator's (start, end, label) spans.
Layer = tuple[int, dict[str, list[tuple[int, int, str]]]]


@dataclass(frozen=True)
class UnitFigures:
    """αu figures in the JSON shape of ``factmark agree --json``."""

    labels: dict[str, dict[str, Any]]
    overall: dict[str, Any]


def unitizing_figures(documents: list[Layer], labels: list[str]) -> UnitFigures:
    """αu per label and overall over ``documents`` (see the module's docstring)."""
    annotators = sorted({name for _, spans in documents for name in spans})
    total = sum(length for length, _ in documents)
    by_label: dict[str, dict[str, Any]] = {}
    parts: list[Disagreement] = []
    for label in labels:
        layers = {name: list[tuple[int, int]]() for name in annotators}
        study: Coincidences | None = None
        units = 0
        offset = 0
        for length, spans in documents:
            mine = {
                name: merged([(s, e) for s, e, lab in spans.get(name, []) if lab == label])
                for name in annotators
            }
            units += sum(len(u) for u in mine.values())
            for name, found in mine.items():
                layers[name] += [(s + offset, e + offset) for s, e in found]
            if any(mine.values()):
                one = Coincidences.of(
                    [partition([(s, e, label) for s, e in mine[n]], length) for n in annotators]
                )
                study = one if study is None else _pooled(study, one)
            else:
                # Nobody marked the label here: the gaps agree (they still weigh in).
                empty = Coincidences.of([[(0, length, None)] for _ in annotators])
                study = empty if study is None else _pooled(study, empty)
            offset += length
        old = disagreement_2004(total, [layers[n] for n in annotators])
        if units:
            parts.append(old)
        by_label[label] = {
            "u": _round(study.u() if study and units else None),
            "u_2004": _round(old.alpha() if units else None),
            "units": units,
        }
    overall = _overall(documents, annotators)
    overall["u_2004"] = _round(pooled_alpha(parts))
    return UnitFigures(by_label, overall)


def _overall(documents: list[Layer], annotators: list[str]) -> dict[str, Any]:
    study: Coincidences | None = None
    units = 0
    for length, spans in documents:
        cut = [partition(spans.get(name, []), length) for name in annotators]
        units += sum(len(spans.get(name, [])) for name in annotators)
        one = Coincidences.of(cut)
        study = one if study is None else _pooled(study, one)
    if study is None or not units:
        return {"u": None, "bu": None, "cu": None, "units": units}
    return {
        "u": _round(study.u()),
        "bu": _round(study.bu()),
        "cu": _round(study.cu()),
        "units": units,
    }


def _pooled(into: Coincidences, other: Coincidences) -> Coincidences:
    into.add(other)
    return into


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
