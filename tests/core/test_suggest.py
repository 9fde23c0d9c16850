"""The rule-based suggesters, each on crafted sentences, and suggest() that merges them."""

from __future__ import annotations

import json
from pathlib import Path

import orjson
import pytest

from factmark.core.model import Proposal, ValidationError
from factmark.core.resources import data_dir, resource_path
from factmark.core.suggest import (
    DEFAULT_LABELS,
    merge,
    suggest,
    suggest_claims,
    suggest_from_project,
    suggest_locations,
    suggest_numbers,
    suggest_sources,
)
from factmark.core.suggest.locations import gazetteer_settings, place_names
from factmark.core.suggest.phrases import PhraseMatcher, alternation
from factmark.core.suggest.sources import attribution_path, compile_rules

SEED_GOLD = Path(__file__).parent / "fixtures" / "seed-gold.jsonl"


def texts(text: str, proposals: list[Proposal]) -> list[str]:
    return [text[p.start : p.end] for p in proposals]


# -- numbers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("It lost around 500 men and 15,000 rifles.", ["500 men", "15,000 rifles"]),
        ("Prices rose 1.24 points, or 3.5%, to 1 200.", ["1.24", "3.5%", "1 200"]),
        ("up to 2 kilometers (1.24 miles) away", ["2 kilometers", "1.24 miles"]),
        ("the 72nd Brigade and the 3rd Separate Assault Brigade", ["72nd", "3rd"]),
        ("a 10-year-old boy ran 18 km/h", ["10-year", "18 km/h"]),
        (
            "It cost $5m, €3.2 billion, 45 ₴, 300₽ and USD 40.",
            ["$5m", "€3.2 billion", "45 ₴", "300₽", "USD 40"],
        ),
        (
            "between 9 to 12 drones and 10-15 or 10–15% of them",
            ["9 to 12 drones", "10-15", "10–15%"],
        ),
        ("He paid $5-10 million", ["$5-10 million"]),
        (
            "five hundred people, twelve drones, a dozen eggs",
            ["five hundred people", "twelve drones", "a dozen"],
        ),
        (
            "one hundred and fifty troops; twenty-one tanks",
            ["one hundred and fifty troops", "twenty-one tanks"],
        ),
        ("tens of thousands fled, thousands stayed", ["tens of thousands", "thousands"]),
        ("on May 9, 2023 they counted 40 homes", ["40 homes"]),  # a date is not a number
        ("at 10:30 the rate was 0,3 point and 4 000 posts", ["0,3", "4 000 posts"]),
        ("1.5 percent, 3 percentage points", ["1.5 percent", "3 percentage points"]),
    ],
)
def test_numbers_with_units_currencies_ordinals_ranges(sentence: str, expected: list[str]) -> None:
    proposals = suggest_numbers(sentence)
    assert texts(sentence, proposals) == expected
    assert {(p.label, p.suggester) for p in proposals} == {("number", "number")}


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("ارتفع إلى ٢٤٠ شخصا", ["٢٤٠"]),  # Arabic-Indic digits
        ("ارتفع إلى ٢٤٠٫٥ شخصا", ["٢٤٠٫٥"]),  # with the Arabic decimal separator
        ("कुल १२३ लोग", ["१२३"]),  # Devanagari
        ("全角の４５人", ["４５"]),  # full-width
        ("在上海开设了第300家门店", ["300"]),  # glued to Chinese characters
        ("атакували 12 дронів", ["12"]),
    ],
)
def test_numbers_in_any_scripts_digits(sentence: str, expected: list[str]) -> None:
    assert texts(sentence, suggest_numbers(sentence)) == expected


def test_names_with_digits_and_a_lone_one_are_not_numbers() -> None:
    sentence = "An F-16, a Su-25, COVID-19, flight MH17, 5G and a 2A42 gun; one of them."
    assert suggest_numbers(sentence) == []


def test_number_confidence_says_how_sure() -> None:
    sentence = "In 2023 twelve drones hit 40 homes on May 9, thousands fled."
    found = {sentence[p.start : p.end]: p.confidence for p in suggest_numbers(sentence)}
    assert found == {"40 homes": 0.9, "twelve drones": 0.7, "thousands": 0.5}


# -- locations -----------------------------------------------------------------------


def test_gazetteer_names_whole_words_case_sensitive() -> None:
    sentence = (
        "Troops left Bakhmut for Kyiv, then Kiev's suburbs; Britain, the United Kingdom and "
        "New York reacted, Romeo did not, and china plates stayed in Romeo's shop."
    )
    found = texts(sentence, suggest_locations(sentence))
    assert found == ["Bakhmut", "Kyiv", "Kiev", "Britain", "United Kingdom", "New York"]


def test_gazetteer_names_in_other_scripts() -> None:
    assert texts("في مدينة الموصل.", suggest_locations("في مدينة الموصل.")) == ["الموصل"]
    assert texts("我在上海开设了门店", suggest_locations("我在上海开设了门店")) == ["上海"]
    assert texts("Бахмут тримається", suggest_locations("Бахмут тримається")) == ["Бахмут"]


def test_stoplist_keeps_common_words_out() -> None:
    # Most (Czechia), Police (Poland), Of (Turkey), Reading (England) are geonames cities.
    names = place_names()
    assert {"Most", "Police", "Of", "Reading"} <= names
    assert {"Most", "Police", "Of", "Reading"} <= set(gazetteer_settings()["stoplist"])
    sentence = "Most of them said Police would act. Of course Reading helps."
    assert suggest_locations(sentence) == []


def test_a_place_name_inside_a_longer_name_is_left_out() -> None:
    sentence = 'It cites the "Lagos Water Board" about the water in Lagos.'
    proposals = suggest_locations(sentence)
    assert texts(sentence, proposals) == ["Lagos"]
    assert proposals[0].start == sentence.rindex("Lagos")


def test_the_projects_own_locations_count() -> None:
    sentence = "Shelling hit Chasiv Yar and Avdiivka."
    assert "Chasiv Yar" not in texts(sentence, suggest_locations(sentence))
    found = texts(sentence, suggest_locations(sentence, known=["Chasiv Yar"]))
    assert "Chasiv Yar" in found


# -- sources ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Yevgeny Prigozhin said the unit fled.", "Yevgeny Prigozhin"),
        ("The unit fled, said Yevgeny Prigozhin.", "Yevgeny Prigozhin"),
        ("The unit fled, according to Ukraine’s army.", "Ukraine’s army"),
        ("Oleksandr Syrskyi told reporters the unit fled.", "Oleksandr Syrskyi"),
        ("Prigozhin wrote on Telegram that the unit fled.", "Prigozhin"),
        ("The Defence Ministry said in a statement the unit fled.", "The Defence Ministry"),
        ("“The unit fled,” said the mercenary chief.", "the mercenary chief"),
        ("«The unit fled,» boasted Andriy Biletsky, its founder.", "Andriy Biletsky"),
        ("Officials in Kyiv said on Monday the unit fled.", "Officials in Kyiv"),
        (
            "But Ukrainian President Volodymyr Zelenskyy said no.",
            "Ukrainian President Volodymyr Zelenskyy",
        ),
        (
            "Wagner Group chief Yevgeny Prigozhin has repeatedly claimed it.",
            "Wagner Group chief Yevgeny Prigozhin",
        ),
        ("U.S. officials said it.", "U.S. officials"),
        ("It happened, Dr. Jane Doe said.", "Dr. Jane Doe"),
    ],
)
def test_attribution_patterns(sentence: str, expected: str) -> None:
    proposals = suggest_sources(sentence)
    assert texts(sentence, proposals) == [expected]
    assert proposals[0].label == proposals[0].suggester == "source"


@pytest.mark.parametrize(
    "sentence",
    [
        "He said the unit fled.",
        "“It fled,” it said.",
        "The claims were backed by nobody.",
        "On Tuesday said nothing.",
        "The unit fled and ran.",
    ],
)
def test_pronouns_and_sentences_without_attribution_give_no_source(sentence: str) -> None:
    assert suggest_sources(sentence) == []


def test_the_shipped_attribution_patterns_are_data() -> None:
    path = attribution_path("en")
    assert path == resource_path("suggest", "attribution-en.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert {"lists", "macros", "patterns", "strip_leading", "not_sources"} <= data.keys()
    rules = compile_rules(data)
    assert [name for name, _ in rules.patterns] == [p["name"] for p in data["patterns"]]


def test_a_newsroom_adds_its_language_as_data() -> None:
    ukrainian = {
        "lists": {"verbs": ["заявив", "заявила", "повідомили"]},
        "macros": {
            "NAME": "[А-ЯІЇЄҐ][а-яіїєґ’']+(?: [А-ЯІЇЄҐ][а-яіїєґ’']+)*",
            "VERB": "(?:{LIST:verbs})",
        },
        "patterns": [
            {"name": "за словами X", "regex": "[Зз]а словами (?P<source>{NAME})"},
            {"name": "X заявив", "regex": "(?P<source>{NAME}) {VERB}"},
        ],
    }
    rules = compile_rules(ukrainian)
    text = "За словами Ігоря Терехова, постраждали троє людей. Повітряні сили повідомили, що"
    found = [
        text[m.start("source") : m.end("source")]
        for _, p in rules.patterns
        for m in p.finditer(text)
    ]
    assert found == ["Ігоря Терехова"]
    assert texts(text, suggest_sources(text, language="uk")) == []  # no file for uk: nothing


@pytest.mark.parametrize(
    "broken",
    [
        {"patterns": [{"name": "no group", "regex": "said"}]},
        {"patterns": [{"name": "bad regex", "regex": "(?P<source>said"}]},
        {"patterns": [{"name": "unknown list", "regex": "(?P<source>{LIST:nope})"}]},
        {"macros": {"A": "{B}", "B": "{A}"}, "patterns": [{"name": "loop", "regex": "{A}"}]},
    ],
)
def test_a_broken_pattern_file_is_refused_clearly(broken: dict) -> None:
    with pytest.raises(ValidationError, match="attribution"):
        compile_rules(broken)


# -- claims ------------------------------------------------------------------------------


def test_claims_are_sentences_with_a_cue_or_a_figure_at_low_confidence() -> None:
    text = (
        "The army said it advanced. Nothing happened here. It lost 500 men.\n"
        "Is it true? «It fled.» he told her."
    )
    proposals = suggest_claims(text, numbers=suggest_numbers(text))
    assert texts(text, proposals) == [
        "The army said it advanced.",
        "It lost 500 men.",
        "«It fled.» he told her.",
    ]
    assert all(p.label == "claim" and p.confidence < 0.5 for p in proposals)


def test_claims_are_opt_in() -> None:
    text = "The army said it lost 500 men in Bakhmut."
    assert "claim" not in DEFAULT_LABELS
    assert {p.label for p in suggest(text)} == {"source", "number", "location"}
    assert "claim" in {p.label for p in suggest(text, labels=["claim"])}


# -- learning from the project ---------------------------------------------------------------


def test_text_labelled_elsewhere_is_suggested_again_exact_and_ignoring_case() -> None:
    text = "The Azov Regiment met the AZOV REGIMENT near Chasiv Yar; azov regiment too."
    learned = [("Azov Regiment", "source"), ("Chasiv Yar", "location"), ("x", "number")]
    proposals = suggest_from_project(text, learned)
    found = [(text[p.start : p.end], p.label, p.confidence) for p in proposals]
    assert ("Azov Regiment", "source", 0.9) in found
    assert ("AZOV REGIMENT", "source", 0.6) in found
    assert ("azov regiment", "source", 0.6) in found
    assert ("Chasiv Yar", "location", 0.9) in found
    assert all(p.suggester == "project" for p in proposals)
    assert len(found) == 4  # a one-character text is never suggested


def test_nested_labelled_texts_are_both_suggested() -> None:
    text = "Officials in Abuja said so."
    learned = [("Officials in Abuja", "source"), ("Abuja", "location")]
    found = texts(text, suggest_from_project(text, learned))
    assert found == ["Officials in Abuja", "Abuja"]


def test_quoted_labelled_text_keeps_its_quotes() -> None:
    text = 'It cites the "Lagos Water Board" as its source.'
    found = texts(text, suggest_from_project(text, [('"Lagos Water Board"', "source")]))
    assert found == ['"Lagos Water Board"']


def test_learning_from_the_seed_gold_finds_the_repeated_places() -> None:
    record = orjson.loads(SEED_GOLD.read_bytes())
    text = record["text"]
    learned = {(s["text"], s["label"]) for s in record["spans"] if s["label"] == "location"}
    proposals = suggest(text, labels=["location"], project_spans=learned)
    gold = {(s["start"], s["end"]) for s in record["spans"] if s["label"] == "location"}
    assert gold <= {(p.start, p.end) for p in proposals}
    assert {p.suggester for p in proposals if (p.start, p.end) in gold} == {"project"}


# -- suggest() and the matcher ------------------------------------------------------------------


def test_merge_keeps_the_most_confident_per_span_and_label() -> None:
    merged = merge(
        [
            Proposal(5, 9, "location", "location", 0.8),
            Proposal(5, 9, "location", "project", 0.9),
            Proposal(5, 9, "source", "source", 0.7),
            Proposal(0, 20, "claim", "claim", 0.3),
        ]
    )
    assert [(p.start, p.label, p.suggester) for p in merged] == [
        (0, "claim", "claim"),
        (5, "location", "project"),
        (5, "source", "source"),
    ]


def test_labels_limit_every_suggester_project_included() -> None:
    text = "Officials in Kyiv said 500 men left Kyiv."
    learned = [("Officials in Kyiv", "source")]
    assert {p.label for p in suggest(text, labels=["number"], project_spans=learned)} == {"number"}
    assert {p.label for p in suggest(text, project_spans=learned)} == {
        "number",
        "location",
        "source",
    }


def test_every_proposal_is_a_valid_span_of_the_corpus_texts(corpus: Path) -> None:
    everything = ["number", "location", "source", "claim"]
    for path in sorted(corpus.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for p in suggest(text, labels=everything):
            assert 0 <= p.start < p.end <= len(text)
            assert text[p.start : p.end].strip() == text[p.start : p.end]
            assert 0 <= p.confidence <= 1


def test_seed_article_numbers_and_locations_against_the_gold() -> None:
    record = orjson.loads(SEED_GOLD.read_bytes())
    text = record["text"]
    proposals = {(p.start, p.end, p.label) for p in suggest(text)}
    for label in ("number", "location"):
        gold = {(s["start"], s["end"], label) for s in record["spans"] if s["label"] == label}
        assert gold <= proposals, f"{label}: missed {gold - proposals}"


def test_the_gold_fixture_is_valid_factmark_jsonl() -> None:
    record = orjson.loads(SEED_GOLD.read_bytes())
    seed = data_dir("seeds") / "bakhmut-counterattack.txt"
    assert record["text"] == seed.read_text(encoding="utf-8")
    for span in record["spans"]:
        assert record["text"][span["start"] : span["end"]] == span["text"]
        assert span["label"] in {"claim", "source", "location", "number"}


def test_phrase_matcher_prefers_the_longest_and_respects_word_edges() -> None:
    matcher = PhraseMatcher.of(["York", "New York", "New York City", "Rome"])
    text = "New York City, York, Romeo, Rome."
    assert [m.phrase for m in matcher.find(text)] == ["New York City", "York", "Rome"]
    assert [m.phrase for m in matcher.find(text, overlapping=True)] == [
        "New York City",
        "New York",
        "York",  # inside New York
        "York",
        "Rome",
    ]


def test_alternation_matches_exactly_the_words() -> None:
    import re

    pattern = re.compile(rf"\b{alternation(['said', 'says', 'say', 'told', 'km', 'km/h'])}\b")
    assert pattern.findall("said says say sai told km/h km") == [
        "said",
        "says",
        "say",
        "told",
        "km/h",
        "km",
    ]
