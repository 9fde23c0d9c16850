"""Projects for the tests of ``factmark agree --json``, made the same way at every run.

``tests/cli/agree_json/NAME.json`` holds what ``factmark agree PROJECT --json`` printed for
project NAME when the whole document was built in memory before it was printed (captured
from that command's output, before the disagreements were streamed): the streamed output
must be the same bytes.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

from factmark.core.incoming import IncomingDocument, IncomingRelation, IncomingSpan
from factmark.core.model import GOLD
from factmark.core.project import Project

CAPTURED = Path(__file__).parent / "agree_json"

TROOPS = "Army says 240 troops left Kyiv."
POLICE = "Police said 12 people died in Lviv."


def handmade(path: Path) -> None:
    """Three documents: two compared (ana and ben), one only ana marked."""
    with Project.open(path) as project:
        project.add_document(
            IncomingDocument(
                TROOPS,
                title="troops",
                spans=[
                    IncomingSpan(0, 31, "claim", "ana", attrs={"verdict": "false"}, ref="a1"),
                    IncomingSpan(10, 13, "number", "ana"),
                    IncomingSpan(0, 4, "source", "ana", ref="a2"),
                    IncomingSpan(0, 25, "claim", "ben", attrs={"verdict": "true"}),
                    IncomingSpan(10, 13, "number", "ben"),
                    IncomingSpan(0, 4, "source", "ben"),
                    IncomingSpan(26, 30, "location", GOLD),  # adjudication: not compared
                ],
                relations=[IncomingRelation("a2", "a1", "source_of")],
            ),
            create_labels=True,
        )
        project.add_document(
            IncomingDocument(
                POLICE,
                title="Львів 𠮷",
                spans=[
                    IncomingSpan(30, 34, "location", "ana"),
                    IncomingSpan(12, 14, "number", "ana"),
                    IncomingSpan(12, 21, "number", "ben"),
                ],
            )
        )
        project.add_document(
            IncomingDocument("Only one annotator here.", spans=[IncomingSpan(0, 4, "claim", "ana")])
        )


def agreed(path: Path) -> None:
    """Two documents both annotators marked alike: no disagreement at all."""
    with Project.open(path) as project:
        for n in range(2):
            spans = [IncomingSpan(n, 9, "claim", who) for who in ("ana", "ben")]
            project.add_document(IncomingDocument(f"{TROOPS} {n}", spans=spans))


def alone(path: Path) -> None:
    """No document two annotators marked: nothing compared."""
    with Project.open(path) as project:
        project.add_document(IncomingDocument(TROOPS, spans=[IncomingSpan(0, 4, "claim", "ana")]))


def ties(path: Path) -> None:
    """Documents whose figures tie, read in an order that is neither that of their titles
    nor that of their uids (the documents are listed by figures, then title, then uid)."""
    with Project.open(path) as project:
        for n, title in enumerate(["b", "a", "", "c", "a", "Ä", "b", "a"]):
            text = f"{n}: Army says 240 troops left Kyiv."
            spans = [
                IncomingSpan(3, 7, "source", "ana"),
                IncomingSpan(3, 7 + n % 2, "source", "ben"),
            ]
            project.add_document(IncomingDocument(text, title=title, spans=spans))


WORDS = ["Army", "says", "240", "troops", "left", "Kyiv", "𠮷", "Харків", "☕", "don't", "—"]
LABELS = ["claim", "source", "location", "number"]


def mixed(path: Path) -> None:
    """120 random documents: three annotators (one only in the later documents), the gold
    layer and spans of no one, spans repeated and nested, links and verdicts, non-ASCII
    titles and texts, a third of the documents marked by one annotator only."""
    rng = random.Random(41)
    with Project.open(path) as project:
        for n in range(120):
            words = [rng.choice(WORDS) for _ in range(rng.randint(3, 40))]
            text = " ".join(words) + f" [{n}]"
            spans: list[IncomingSpan] = []
            relations: list[IncomingRelation] = []
            who_all: list[str | None] = ["ana", "ben", GOLD, None] + (["cy"] if n > 60 else [])
            for who in who_all:
                if rng.random() < 0.35:
                    continue
                refs = []
                for k in range(rng.randint(1, 6)):
                    if spans and rng.random() < 0.3:  # another's span, or nested in it
                        other = rng.choice(spans)
                        start, end = other.start, other.end - rng.choice([0, 0, 1])
                        label = other.label
                    else:
                        start = rng.randrange(len(text) - 1)
                        end = min(len(text), start + rng.choice([1, 3, 8, 20, 60]))
                        label = rng.choice(LABELS)
                    attrs = {"verdict": rng.choice(["false", "true"])} if k == 0 else {}
                    ref = f"{who}-{k}"
                    refs.append(ref)
                    spans.append(
                        IncomingSpan(start, max(end, start + 1), label, who, attrs=attrs, ref=ref)
                    )
                if len(refs) > 1 and rng.random() < 0.5:
                    kind = rng.choice(["about", "source_of"])
                    relations.append(IncomingRelation(refs[0], refs[1], kind))
            title = rng.choice(["", "Kyiv", "Харків ☕", 'a "quoted" title'])
            project.add_document(
                IncomingDocument(text, title=title, spans=spans, relations=relations),
                create_labels=True,
            )


PROJECTS: dict[str, Callable[[Path], None]] = {
    "handmade": handmade,
    "agreed": agreed,
    "alone": alone,
    "ties": ties,
    "mixed": mixed,
}
