"""The archive of earlier fact-checks: each input shape read, hostile input refused one
item or one file at a time, reviews stored by URL, and claims ranked against it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from tests.core.archive_samples import BASE, write_samples

from factmark.core import archive_readers
from factmark.core.archive import Review, add_reviews, archive_summary, archived_reviews
from factmark.core.archive_readers import read_archive_file
from factmark.core.checked_sentences import checked_sentences
from factmark.core.claim_matching import ClaimMatcher
from factmark.core.model import ValidationError
from factmark.core.project import Project, ProjectError


@pytest.fixture
def samples(tmp_path: Path) -> dict[str, Path]:
    return write_samples(tmp_path / "archive")


@pytest.fixture
def matcher(project: Project, samples: dict[str, Path]) -> ClaimMatcher:
    for path in samples.values():
        add_reviews(project, (r for _, r in read_archive_file(path).reviews), path.name)
    return ClaimMatcher(archived_reviews(project))


def test_claimreview_jsonld_keeps_claim_rating_reviewer_date_language(
    samples: dict[str, Path],
) -> None:
    read = read_archive_file(samples["jsonld"])
    where, first = read.reviews[0]
    assert where == "item 1"
    assert first == Review(
        url=f"{BASE}/en/5g-coronavirus",
        claim="5G mobile networks spread the coronavirus",
        rating="False",
        reviewer="FactDesk",
        claimant="A blogger",
        date="2020-04-06",
        language="en",
        title="How the 5G rumour started",
    )
    by_url = {review.url: review for _, review in read.reviews}
    # A date-time keeps its date; a Language object gives its tag; a number rating reads
    # as value/best when the rating has no words.
    assert by_url[f"{BASE}/en/5g-masts"].date == "2020-04-10"
    assert by_url[f"{BASE}/en/5g-masts"].language == "en"
    assert by_url[f"{BASE}/en/vaccine-dna"].rating == "2/5"
    assert read.refused == [
        ("item 6", "no URL (a review is known by its URL)"),
        ("item 7", "claim is not text"),
        ("item 8", "date 'last Tuesday' is not an ISO 8601 date"),
    ]


def test_data_feed_items_are_read_in_order(samples: dict[str, Path]) -> None:
    read = read_archive_file(samples["feed"])
    assert [review.url for _, review in read.reviews] == [
        f"{BASE}/fr/5g",
        f"{BASE}/fr/vaccins-puces",
        f"{BASE}/fr/chomage",
        f"{BASE}/fr/tour-eiffel",
        f"{BASE}/en/wind-turbines",
    ]
    assert read.reviews[2][1].rating == "Plutôt vrai"
    assert read.reviews[1][1].language == "fr-FR"
    assert read.refused == [("item 6", "claim holds NUL (binary data)")]


def test_google_fact_check_tools_json(samples: dict[str, Path]) -> None:
    read = read_archive_file(samples["google"])
    assert read.shape == "Google Fact Check Tools JSON"
    where, first = read.reviews[0]
    assert where == "claims[0].claimReview[0]"
    assert first == Review(
        url=f"{BASE}/es/5g",
        claim="Las redes 5G propagan el coronavirus",
        rating="Falso",
        reviewer="Verifica Ya",
        claimant="Redes sociales",
        date="2020-04-03",
        language="es",
        title="No, el 5G no propaga el coronavirus",
    )
    assert [where for where, _ in read.reviews] == [
        "claims[0].claimReview[0]",
        "claims[1].claimReview[0]",
        "claims[2].claimReview[0]",
    ]
    assert read.refused == [
        (
            "claims[1].claimReview[1]",
            "url 'ftp://checks.example/es/copia' is not a web address (http or https)",
        ),
        ("claims[3]", "no claimReview list"),
    ]


def test_csv_with_header(samples: dict[str, Path]) -> None:
    read = read_archive_file(samples["csv"])
    by_url = {review.url: (where, review) for where, review in read.reviews}
    # A language name reads as its tag, pt_BR as pt-BR; an empty language stays unknown.
    assert by_url[f"{BASE}/en/dead-voters"][1].language == "en"
    assert by_url[f"{BASE}/pt/urnas"][1].language == "pt-BR"
    assert by_url[f"{BASE}/any/hot-water"] == (
        "line 7",
        Review(
            url=f"{BASE}/any/hot-water",
            claim="Drinking hot water kills the coronavirus",
            rating="False",
            reviewer="Somewhere",
            date="2020-03-20",
        ),
    )
    assert by_url[f"{BASE}/zh/chips"][1].claim == "疫苗含有追踪芯片"
    assert read.refused == [
        ("line 12", "2 fields where the header has 7"),
        ("line 13", "language 'tlhIngan Hol!' is not a language tag such as en or fr"),
    ]


def test_saved_page_reads_jsonld_and_microdata_and_nothing_else(
    samples: dict[str, Path],
) -> None:
    read = read_archive_file(samples["page"])
    assert [(where, review.url, review.claim) for where, review in read.reviews] == [
        (
            "item 1 (JSON-LD)",
            f"{BASE}/en/eiffel",
            "The Eiffel Tower will be dismantled <b>next year</b>",  # markup kept as text
        ),
        (
            "item 2 (microdata)",
            f"{BASE}/en/eiffel-scrap",
            "The Eiffel Tower is being sold for scrap metal",
        ),
    ]
    assert read.reviews[1][1].reviewer == "Tower Watch"
    # The block that is not JSON is refused alone; the page's scripts are never read.
    assert read.refused == [("JSON-LD block 1", "not JSON")]


def test_whole_files_refused_with_one_reason(tmp_path: Path) -> None:
    huge = tmp_path / "huge.json"
    with huge.open("wb") as file:  # sparse: nothing is written, and nothing must be read
        file.truncate(archive_readers.MAX_FILE + 1)
    binary = tmp_path / "nul.csv"
    binary.write_bytes(b"claim,url\nfine,https://x.example/1\nbad\x00,https://x.example/2\n")
    not_json = tmp_path / "broken.json"
    not_json.write_text('{"claims": [', encoding="utf-8")
    headless = tmp_path / "sheet.csv"
    headless.write_text("Claim text,Verdict\nSomething,False\n", encoding="utf-8")
    nothing = tmp_path / "plain.json"
    nothing.write_text('{"hello": "world"}', encoding="utf-8")
    other = tmp_path / "notes.txt"
    other.write_text("hello", encoding="utf-8")
    reasons = {}
    for path in (huge, binary, not_json, headless, nothing, other):
        with pytest.raises(ValidationError) as refused:
            read_archive_file(path)
        reasons[path.name] = str(refused.value)
    assert reasons["huge.json"].startswith(f"{archive_readers.MAX_FILE + 1:,} bytes: larger")
    assert reasons["nul.csv"] == "binary file (it holds NUL bytes), not text"
    assert reasons["broken.json"].startswith("not JSON (")
    assert reasons["sheet.csv"].startswith("line 1: the header has no claim or url column")
    assert reasons["plain.json"] == "no fact-check found in it (read as ClaimReview JSON-LD)"
    assert reasons["notes.txt"].startswith("not a fact-check archive file")
    assert all("\n" not in reason for reason in reasons.values())


def test_same_url_updates_instead_of_duplicating(project: Project) -> None:
    first = Review(url=f"{BASE}/en/x", claim="The bridge collapsed", rating="Unproven")
    counts = add_reviews(project, [first], "one.csv")
    assert (counts.added, counts.updated, counts.unchanged) == (1, 0, 0)
    counts = add_reviews(project, [first], "one.csv")
    assert (counts.added, counts.updated, counts.unchanged) == (0, 0, 1)
    revised = Review(url=f"{BASE}/en/x", claim="The bridge collapsed", rating="False")
    counts = add_reviews(project, [revised], "two.json")
    assert (counts.added, counts.updated, counts.unchanged) == (0, 1, 0)
    (stored,) = archived_reviews(project)
    assert (stored.url, stored.rating) == (f"{BASE}/en/x", "False")
    assert archive_summary(project)["files"] == {"two.json": 1}


def test_archive_travels_with_a_copy_of_the_project(project: Project, tmp_path: Path) -> None:
    add_reviews(project, [Review(url=f"{BASE}/en/y", claim="Tides stopped")], "a.csv")
    copy = project.copy_to(tmp_path / "copy.factmark")
    with Project.open_to_read(copy) as copied:
        assert [r.claim for r in archived_reviews(copied)] == ["Tides stopped"]


def test_a_project_with_unreadable_archive_rows_is_refused(project_path: Path) -> None:
    with Project.open(project_path):
        pass
    conn = sqlite3.connect(project_path)
    conn.execute(
        "INSERT INTO fact_checks (url, claim, added_at, updated_at) VALUES ('u', x'00ff', '', '')"
    )
    conn.commit()
    conn.close()
    with pytest.raises(ProjectError, match=r"fact_checks row 1: an archived fact-check"):
        Project.open(project_path)


def test_the_same_claim_reworded_ranks_first(matcher: ClaimMatcher) -> None:
    matches = matcher.match("The coronavirus is being spread by 5G mobile networks", "en", 5)
    # All five words of the claim (stemmed: spread, 5g, mobil, network, coronavirus) are
    # in the first review; the same claim by another desk lacks "mobile"; the masts claim
    # shares 5G and spread; the hot-water claim (language not given, so in every
    # language's index) only coronavirus. No French, Spanish or German review.
    assert [m.review.url for m in matches[:3]] == [
        f"{BASE}/en/5g-coronavirus",
        f"{BASE}/other/5g",
        f"{BASE}/en/5g-masts",
    ]
    assert f"{BASE}/any/hot-water" in [m.review.url for m in matches]
    assert all(m.review.language in ("en", "") for m in matches)
    assert matches[0].matched_words == ("5G", "mobile", "networks", "spread", "coronavirus")
    assert matches[1].matched_words == ("5G", "networks", "spreading", "coronavirus")
    assert matches[0].score > matches[1].score > matches[2].score


def test_a_french_claim_finds_the_french_review(matcher: ClaimMatcher) -> None:
    (match,) = matcher.match("Selon lui, les vaccins contiennent des puces", "fr", 5)
    assert match.review.url == f"{BASE}/fr/vaccins-puces"  # its language is fr-FR
    assert match.matched_words == ("vaccins", "contiennent", "puces")


def test_a_spanish_claim_with_other_words_still_finds_its_review(matcher: ClaimMatcher) -> None:
    matches = matcher.match("Dicen que las vacunas tienen microchips", "es-ES", 5)
    assert [m.review.url for m in matches] == [f"{BASE}/es/vacunas-microchips"]
    assert matches[0].matched_words == ("vacunas", "microchips")


def test_no_shared_word_no_match(matcher: ClaimMatcher) -> None:
    assert matcher.match("The harvest was early this autumn", "en", 5) == []
    assert matcher.match("", "en", 5) == []
    assert matcher.match("madai kwa lugha nyingine", "sw", 5) == []


def test_ranking_is_reproducible_and_ties_keep_archive_order(project: Project) -> None:
    twins = [
        Review(url=f"{BASE}/tie/{n}", claim="Dolphins can vote", language="en") for n in (3, 1, 2)
    ]
    add_reviews(project, twins, "twins.csv")
    orders = [
        [m.review.url for m in ClaimMatcher(archived_reviews(project)).match("dolphins", "en")]
        for _ in range(3)
    ]
    assert orders == [[f"{BASE}/tie/3", f"{BASE}/tie/1", f"{BASE}/tie/2"]] * 3


def test_a_chinese_claim_worded_otherwise_finds_its_review(matcher: ClaimMatcher) -> None:
    """Pairs of characters: the query 新冠疫苗里面有追踪芯片 shares 疫苗 有追 追踪 踪芯 芯片
    with 疫苗含有追踪芯片 and only 新冠 冠疫 疫苗 with 新冠疫苗会改变人的基因; on whole
    words (the query is one "word" without spaces) it would share nothing with either."""
    matches = matcher.match("新冠疫苗里面有追踪芯片", "zh", 5)
    assert [m.review.url for m in matches] == [f"{BASE}/zh/chips", f"{BASE}/zh/genes"]
    assert matches[0].matched_words == ("疫苗", "有追", "追踪", "踪芯", "芯片")
    assert matches[1].matched_words == ("新冠", "冠疫", "疫苗")


def test_a_japanese_claim_worded_otherwise_finds_its_review(matcher: ClaimMatcher) -> None:
    """マイクロチップがワクチンに入っているという噂 holds マイクロチップが and
    ワクチンに and 入っている of ワクチンにはマイクロチップが入っている (twelve pairs
    and more) and only ワクチン (ワク クチ チン) of ワクチン接種で不妊になる."""
    matches = matcher.match("マイクロチップがワクチンに入っているという噂", "ja", 5)
    assert [m.review.url for m in matches] == [f"{BASE}/ja/chips", f"{BASE}/ja/fertility"]
    assert matches[1].matched_words == ("ワク", "クチ", "チン")
    assert {"マイ", "チッ", "ップ", "入っ", "いる"} <= set(matches[0].matched_words)


def test_chinese_words_inside_an_english_claim_are_cut_into_pairs_too(project: Project) -> None:
    """Whatever the document's language, a run of Chinese characters is cut into pairs, so
    a claim quoting Chinese finds the review holding the same characters."""
    add_reviews(project, [Review(url=f"{BASE}/zh/x", claim="他说疫苗含有芯片")], "x.csv")
    (match,) = ClaimMatcher(archived_reviews(project)).match("The post said 疫苗含有", "en")
    assert match.matched_words == ("疫苗", "苗含", "含有")


ARTICLE = (
    "A post shared this week says that vaccines against Covid hide microchips to track "
    "people. The health ministry denies it. The city plans to roll out 5G networks next "
    "year. Drinking water is important in hot weather. Some people say the coronavirus is "
    "spread by 5G mobile networks."
)


def sentences_of(text: str, *sentences: str) -> list[tuple[int, int]]:
    return [(text.index(s), text.index(s) + len(s)) for s in sentences]


def test_sentences_close_to_an_archived_claim_are_found_and_others_not(
    matcher: ClaimMatcher,
) -> None:
    """Reasoned by hand: the first sentence holds five of the seven words of "COVID-19
    vaccines contain microchips that track people" (not 19, contain) and the last all
    five of "5G mobile networks spread the coronavirus" (and all four of another desk's
    "5G networks are spreading the coronavirus", ranked below it): over 70% of the
    weight of the review's claim; the title of FactDesk's 5G review ("How the 5G rumour
    started") does not count. The 5G roll-out shares two words (5G, networks), fewer than three;
    the drinking-water sentence holds drinking, hot and water of "Drinking hot water kills
    the coronavirus" but not kills or coronavirus, the rarer words: under 70%."""
    bounds = sentences_of(
        ARTICLE,
        "A post shared this week says that vaccines against Covid hide microchips to track people.",
        "The health ministry denies it.",
        "The city plans to roll out 5G networks next year.",
        "Drinking water is important in hot weather.",
        "Some people say the coronavirus is spread by 5G mobile networks.",
    )
    found = checked_sentences(ARTICLE, bounds, matcher, "en")
    assert [(s.start, s.end, s.match.review.url) for s in found] == [
        (*bounds[0], f"{BASE}/en/vaccine-microchips"),
        (*bounds[4], f"{BASE}/en/5g-coronavirus"),
    ]
    assert found[1].match.coverage == 1.0  # every word of that review is in the sentence
    assert 0.7 <= found[0].match.coverage < 1.0
    proposal = found[0].proposal()
    assert (proposal.label, proposal.suggester) == ("claim", "archive")
    assert proposal.confidence == found[0].match.coverage


def test_a_review_with_a_long_title_is_found_by_the_words_of_its_claim(project: Project) -> None:
    """Reasoned by hand on the seed article: its sentence holds five of the six words of
    the claim "Britain sent long-range missiles to Ukraine" (not Ukraine: it says
    Ukrainian, another stem), the rarest among them; the review's headline, which the
    sentence does not echo, must not count against it. The sentence before shares only
    Ukraine with it."""
    add_reviews(
        project,
        [
            Review(
                url=f"{BASE}/en/storm-shadow",
                claim="Britain sent long-range missiles to Ukraine",
                title="Storm Shadow: what the cruise missiles can reach, and what London said",
            ),
            Review(url=f"{BASE}/en/other", claim="Wagner fighters left the city of Bakhmut"),
        ],
        "x.csv",
    )
    text = (
        "Ukraine has pushed back the Russian army. But Ukrainian President Volodymyr "
        "Zelenskyy signaled otherwise, even as Britain sent in new long-range missiles that "
        "could allow Kiev to strike deeper into Ukrainian-controlled territory."
    )
    bounds = sentences_of(text, "Ukraine has pushed back the Russian army.", text[42:])
    found = checked_sentences(text, bounds, ClaimMatcher(archived_reviews(project)), "en")
    assert [(s.start, s.end, s.match.review.url) for s in found] == [
        (*bounds[1], f"{BASE}/en/storm-shadow")
    ]
    assert found[0].match.matched_words[:5] == ("Britain", "sent", "long", "range", "missiles")
    assert 0.7 <= found[0].match.coverage < 1.0


def test_sentences_in_french_chinese_and_japanese_find_their_reviews(
    matcher: ClaimMatcher,
) -> None:
    cases = [
        ("Il affirme que la 5G propage le coronavirus.", "fr", f"{BASE}/fr/5g"),
        ("网上流传说疫苗里含有追踪芯片。", "zh", f"{BASE}/zh/chips"),
        ("マイクロチップがワクチンに入っているという噂が広がった。", "ja", f"{BASE}/ja/chips"),
    ]
    for text, language, url in cases:
        found = checked_sentences(text, [(0, len(text))], matcher, language)
        assert [s.match.review.url for s in found] == [url], text
    # Sharing only the word for vaccine is not close.
    for text, language in (("有人说疫苗很安全。", "zh"), ("ワクチンは安全です。", "ja")):
        assert checked_sentences(text, [(0, len(text))], matcher, language) == []
