"""The quote proposed for a source -> claim link from the quotation marks around the
claim, in several scripts; expected values reasoned by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from factmark.core.model import Relation, Span
from factmark.core.quotes import is_quotation_mark, propose_quote, proposed_quotes

SEED = Path(__file__).resolve().parents[2] / "seeds" / "bakhmut-counterattack.txt"


def proposed(text: str, claim: str) -> str:
    start = text.index(claim)
    return propose_quote(text, start, start + len(claim))


@pytest.mark.parametrize(
    ("text", "claim", "expected"),
    [
        # English, straight and curly marks, the marks in the span or around it
        ('He said: "We lost 500 men."', '"We lost 500 men."', "direct"),
        ('He said: "We lost 500 men."', "We lost 500 men", "direct"),
        ("He said: “We lost 500 men.”", "We lost 500 men.", "direct"),
        ("He said they had lost 500 men.", "they had lost 500 men", "indirect"),
        (
            "He said the town was “still held” by Ukraine.",
            "the town was “still held” by Ukraine",
            "mixed",
        ),
        ("“We hold it,” he said, “and will.”", "“We hold it,” he said, “and will.”", "mixed"),
        ("“He told me ‘never’, again.”", "“He told me ‘never’, again.”", "direct"),
        # an apostrophe between letters is no quote
        ("He said Russia’s army lost.", "Russia’s army lost", "indirect"),
        # German low-high marks, French and Ukrainian guillemets, Arabic guillemets (RTL)
        ("Er sagte: „Die Stadt ist gefallen.“", "Die Stadt ist gefallen.", "direct"),
        ("Il a dit : « La ville est tombée ».", "La ville est tombée", "direct"),
        ("Il a dit que la ville était « tombée ».", "la ville était « tombée »", "mixed"),
        ("Він заявив: «Місто тримається».", "Місто тримається", "direct"),
        ("قال: «المدينة صامدة».", "المدينة صامدة", "direct"),
        # Chinese and Japanese corner brackets, Chinese curly marks
        ("他说：「城市已经陷落」。", "城市已经陷落", "direct"),
        ("彼は『街は持ちこたえている』と述べた。", "街は持ちこたえている", "direct"),
        ("他说：“城市已经陷落。”", "城市已经陷落。", "direct"),
        ("他说城市已经陷落。", "城市已经陷落", "indirect"),
    ],
)
def test_the_proposal_follows_the_quotation_marks(text: str, claim: str, expected: str) -> None:
    assert proposed(text, claim) == expected


def test_quotation_marks_are_found_by_unicode_properties_not_brackets() -> None:
    for mark in '"“”„‟«»‹›‘’‚「」『』〝〞＂':
        assert is_quotation_mark(mark), mark
    for other in "()[]{}（）【】.,!-'":
        assert not is_quotation_mark(other), other


def test_the_seed_articles_claims() -> None:
    text = SEED.read_text(encoding="utf-8")
    assert proposed(text, "«They just took off and ran out of there.»") == "direct"
    assert proposed(text, "it had lost around 500 men") == "indirect"
    claim = "Ukrainian forces carried out «effective counterattacks» in Bakhmut"
    assert proposed(text, claim) == "mixed"


def test_the_corpus_article_with_a_quoted_name(corpus: Path) -> None:
    text = (corpus / "emoji-lagos.txt").read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if '"Lagos Water Board"' in x)
    assert proposed(text, line) == "mixed"
    assert proposed(text, "Lagos Water Board") == "direct"


def test_only_attributed_to_links_without_a_quote_get_a_proposal() -> None:
    text = 'Ana said: "It fell." Bo said it held.'
    spans = {
        1: Span(1, 1, 0, 3, "source"),
        2: Span(2, 1, 10, 20, "claim"),
        3: Span(3, 1, 21, 23, "source"),
        4: Span(4, 1, 29, 36, "claim"),
    }
    relations = [
        Relation(10, 1, 1, 2, "attributed_to"),
        Relation(11, 1, 3, 4, "attributed_to"),
        Relation(12, 1, 3, 2, "attributed_to", attrs={"quote": "mixed"}),  # set: kept
        Relation(13, 1, 2, 4, "part_of"),
    ]
    definitions = {"attributed_to": [{"name": "quote", "values": ["direct", "indirect"]}]}
    assert proposed_quotes(text, spans, relations, definitions) == {10: "direct", 11: "indirect"}
    assert proposed_quotes(text, spans, relations, {}) == {}  # not defined: nothing proposed
