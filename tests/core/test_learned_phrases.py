"""The project suggester learned once and kept up to date: LearnedPhrases, and the
phrase matcher's additions and removals."""

from __future__ import annotations

import random

from factmark.core.incoming import IncomingDocument
from factmark.core.model import Proposal
from factmark.core.project import Project
from factmark.core.suggest import LearnedPhrases, suggest
from factmark.core.suggest.learned import MIN_LENGTH
from factmark.core.suggest.phrases import PhraseMatcher

WORDS = ["Kyiv", "kyiv", "KYIV", "Azov", "Regiment", "the", "Lagos", "Water", "Board", "北京"]
WORDS += ["市", "上海", "officials", "in", '"Lagos', 'Board"', "東京都", "Chasiv", "Yar", "x"]


def phrases(rng: random.Random, count: int) -> list[str]:
    return [" ".join(rng.choices(WORDS, k=rng.randint(1, 3))) for _ in range(count)]


def text_of(rng: random.Random) -> str:
    return " ".join(rng.choices([*WORDS, ",", ".", "said"], k=400)) + "北京市上海東京都"


def test_a_matcher_filled_phrase_by_phrase_finds_what_one_made_at_once_finds() -> None:
    """Any order of additions and removals leaves the matcher that of() would make from
    the phrases left (independent oracle: a fresh of() of the phrases kept in a set)."""
    rng = random.Random(3)
    for ignore_case in (False, True):
        grown = PhraseMatcher.of([], ignore_case=ignore_case)
        kept: set[str] = set()
        for step in range(600):
            phrase = rng.choice(phrases(rng, 1) + sorted(kept or {"Kyiv"}))
            if rng.random() < 0.6:
                grown.add(phrase)
                kept.add(phrase)
            else:
                grown.remove(phrase)
                kept.discard(phrase)
            if step % 50 == 49:
                made = PhraseMatcher.of(kept, ignore_case=ignore_case)
                text = text_of(rng)
                for overlapping in (False, True):
                    assert list(grown.find(text, overlapping=overlapping)) == list(
                        made.find(text, overlapping=overlapping)
                    )
                assert len(grown) == len(made)


def test_a_phrase_stays_learned_while_a_span_holds_it_with_that_label() -> None:
    text = "Officials in Kyiv said so; KYIV agreed."
    learned = LearnedPhrases([("Kyiv", "location"), ("Kyiv", "location"), (" Kyiv ", "source")])
    found = {(text[p.start : p.end], p.label, p.confidence) for p in learned.propose(text)}
    assert found == {
        ("Kyiv", "location", 0.9),
        ("Kyiv", "source", 0.9),
        ("KYIV", "location", 0.6),
        ("KYIV", "source", 0.6),
    }
    learned.remove("Kyiv", "location")  # one of two location spans is gone
    assert {p.label for p in learned.propose(text)} == {"location", "source"}
    learned.remove("Kyiv", "location")
    assert {p.label for p in learned.propose(text)} == {"source"}
    learned.remove("Kyiv ", "source")
    assert learned.propose(text) == [] and len(learned) == 0
    learned.remove("Kyiv", "source")  # nothing left to forget: nothing happens
    learned.add("Officials in Kyiv", "source")
    learned.add("K", "location")  # a single character is never learned
    assert [(text[p.start : p.end], p.label) for p in learned.propose(text)] == [
        ("Officials in Kyiv", "source")
    ]


def test_learned_phrases_changed_span_by_span_propose_what_learning_again_proposes() -> None:
    """The oracle learns from the whole list of span texts left, from scratch."""
    rng = random.Random(11)
    spans: list[tuple[str, str]] = []
    learned = LearnedPhrases()
    for step in range(500):
        if spans and rng.random() < 0.4:
            gone = spans.pop(rng.randrange(len(spans)))
            learned.remove(*gone)
        else:
            new = (phrases(rng, 1)[0], rng.choice(["location", "source"]))
            spans.append(new)
            learned.add(*new)
        if step % 50 == 49:
            text = text_of(rng)
            assert sorted(map(repr, learned.propose(text))) == sorted(
                map(repr, LearnedPhrases(spans).propose(text))
            )


def test_suggest_with_learned_phrases_keeps_the_labels_asked_for() -> None:
    text = "Officials in Kyiv said 500 men left Kyiv."
    learned = LearnedPhrases([("Officials in Kyiv", "source"), ("Kyiv", "claim")])
    assert {p.label for p in suggest(text, labels=["number"], learned=learned)} == {"number"}
    found = suggest(text, labels=["source", "claim"], learned=learned)
    assert Proposal(0, 17, "source", "project", 0.9) in found
    assert Proposal(36, 40, "claim", "project", 0.9) in found


def test_learned_from_a_project_once(project: Project) -> None:
    added = project.add_document(IncomingDocument("Officials in Kyiv said so. Kyiv."))
    assert added is not None
    doc = added[0]
    project.add_span(doc, 13, 17, "location")
    project.add_span(doc, 0, 17, "source")
    project.add_span(doc, 27, 31, "location")
    learned = LearnedPhrases(project.labelled_texts(MIN_LENGTH))
    assert learned.labels_of("Kyiv") == {"location": 2}
    assert learned.labels_of("Officials in Kyiv") == {"source": 1}


def test_a_phrase_in_an_unspaced_script_is_found_ignoring_case_too() -> None:
    """As a phrase of spaced words is: "北京ABC" labelled, "北京abc" proposed less surely."""
    text = "记者在北京ABC和北京abc看到。"
    found = LearnedPhrases([("北京ABC", "source")]).propose(text)
    assert {(text[p.start : p.end], p.confidence) for p in found} == {
        ("北京ABC", 0.9),
        ("北京abc", 0.6),
    }
