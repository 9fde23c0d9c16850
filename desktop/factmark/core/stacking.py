"""When a suggested span would stack on a span already there.

Spans may nest: a number inside a claim, a location inside a source, each marks
something of its own. Two spans on exactly the same text (whatever their labels), or one
span inside another of its label (the source “Prigozhin” inside the source “Wagner
Group chief Yevgeny Prigozhin”), mark the same thing twice. Suggestions that would do
that are not proposed (``Project.suggestions`` leaves them out, ``add_suggestions``
stores none); one around a span of its own label is proposed, for the user to judge one
by one, but Accept all leaves it out, with any second suggestion for the same text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from factmark.core.model import Span, Suggestion


def stacks_on(new: Span | Suggestion, old: Span | Suggestion) -> bool:
    """Whether ``new`` would mark again what ``old`` marks: the same text whatever the
    labels, or the same label with one inside the other."""
    if (new.start, new.end) == (old.start, old.end):
        return True
    if new.label != old.label:
        return False
    inside = old.start <= new.start and new.end <= old.end
    return inside or (new.start <= old.start and old.end <= new.end)


def accepted_together(
    suggestions: Sequence[Suggestion], spans: Iterable[Span]
) -> tuple[list[Suggestion], list[Suggestion]]:
    """Which of ``suggestions`` Accept all takes, and which it leaves out because they
    would stack (:func:`stacks_on`) on one of ``spans`` or on a suggestion taken before
    them; both lists in the order given. The most confident are taken first, on a tie
    the earlier given."""
    ranges: set[tuple[int, int]] = set()
    by_label: dict[str, list[tuple[int, int]]] = {}  # only a span of its label can hold one

    def place(start: int, end: int, label: str) -> None:
        ranges.add((start, end))
        by_label.setdefault(label, []).append((start, end))

    for span in spans:
        place(span.start, span.end, span.label)
    taken: set[int] = set()
    for n in sorted(range(len(suggestions)), key=lambda n: -suggestions[n].confidence):
        new = suggestions[n]
        start, end = new.start, new.end
        if (start, end) in ranges or any(
            (a <= start and end <= b) or (start <= a and b <= end)
            for a, b in by_label.get(new.label, ())
        ):
            continue
        taken.add(n)
        place(start, end, new.label)
    kept = [s for n, s in enumerate(suggestions) if n in taken]
    left = [s for n, s in enumerate(suggestions) if n not in taken]
    return kept, left
