"""`factmark archive add`, `archive list` and `match`, run as a user runs them."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from tests.cli.test_cli import factmark
from tests.core.archive_samples import BASE, write_samples

from factmark.core import archive_readers

ENGLISH = "Officials denied it, but he said the coronavirus is spread by 5G mobile networks."
FRENCH = "Selon lui, les vaccins contiennent des puces. Le maire dément."


def _span(text: str, claim: str) -> dict[str, object]:
    start = text.index(claim)
    return {"start": start, "end": start + len(claim), "label": "claim"}


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    """A project with an English and a French article, each with one claim span."""
    english_claim = "the coronavirus is spread by 5G mobile networks"
    french_claim = "les vaccins contiennent des puces"
    lines = [
        {"title": "Masts", "text": ENGLISH, "spans": [_span(ENGLISH, english_claim)]},
        {
            "title": "Vaccins",
            "text": FRENCH,
            "meta": {"lang": "fr"},
            "spans": [_span(FRENCH, french_claim)],
        },
    ]
    source = tmp_path / "articles.jsonl"
    source.write_bytes(b"\n".join(orjson.dumps(line) for line in lines) + b"\n")
    project = tmp_path / "p.factmark"
    result = factmark("import", project, source)
    assert result.returncode == 0, result.stderr
    return project


def test_archive_add_reports_each_file(tmp_path: Path) -> None:
    files = write_samples(tmp_path / "archive")
    project = tmp_path / "p.factmark"
    result = factmark("archive", "add", project, *files.values())
    assert result.returncode == 1  # some items were refused
    out = result.stdout.splitlines()
    assert out == [
        f"{files['jsonld']}: added 5, updated 0, refused 3 (ClaimReview JSON-LD)",
        f"{files['feed']}: added 5, updated 0, refused 1 (ClaimReview JSON-LD)",
        f"{files['google']}: added 3, updated 0, refused 2 (Google Fact Check Tools JSON)",
        f"{files['csv']}: added 10, updated 0, refused 2 (CSV)",
        f"{files['page']}: added 2, updated 0, refused 1 (a saved page's JSON-LD and microdata)",
        f"{project}: the archive holds 25 fact-checks",
    ]
    errors = result.stderr.splitlines()
    assert f"{files['jsonld']}: item 6: error: no URL (a review is known by its URL)" in errors
    assert f"{files['csv']}: line 12: error: 2 fields where the header has 7" in errors
    assert f"{files['page']}: JSON-LD block 1: error: not JSON" in errors
    assert len(errors) == 3 + 1 + 2 + 2 + 1
    assert "Traceback" not in result.stderr


def test_adding_again_updates_by_url(tmp_path: Path) -> None:
    project = tmp_path / "p.factmark"
    first = tmp_path / "first.csv"
    first.write_text(
        f"claim,rating,url\nThe dam burst,Unproven,{BASE}/en/dam\n"
        f"The lake froze,True,{BASE}/en/lake\n",
        encoding="utf-8",
    )
    assert factmark("archive", "add", project, first).returncode == 0
    again = factmark("archive", "add", project, first)
    assert (
        again.stdout.splitlines()[0] == f"{first}: added 0, updated 0, unchanged 2, refused 0 (CSV)"
    )
    revised = tmp_path / "revised.csv"
    revised.write_text(f"url,claim,rating\n{BASE}/en/dam,The dam burst,False\n", encoding="utf-8")
    result = factmark("archive", "add", project, revised)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"{revised}: added 0, updated 1, refused 0 (CSV)",
        f"{project}: the archive holds 2 fact-checks",
    ]
    listed = orjson.loads(factmark("archive", "list", project, "--json").stdout)
    assert listed["reviews"] == 2
    assert listed["files"] == {"first.csv": 1, "revised.csv": 1}


def test_hostile_files_are_refused_in_one_line_each(tmp_path: Path) -> None:
    huge = tmp_path / "huge.json"
    with huge.open("wb") as file:
        file.truncate(archive_readers.MAX_FILE + 1)
    binary = tmp_path / "nul.csv"
    binary.write_bytes(b"claim,url\n\x00\x00\x00,https://x.example/1\n")
    project = tmp_path / "p.factmark"
    result = factmark("archive", "add", project, huge, binary, tmp_path / "missing.json")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{tmp_path / 'missing.json'}: error: no such file or folder",
        f"{huge}: error: {archive_readers.MAX_FILE + 1:,} bytes: larger than the "
        f"{archive_readers.MAX_FILE:,} bytes read",
        f"{binary}: error: binary file (it holds NUL bytes), not text",
    ]
    assert result.stdout.splitlines() == [f"{project}: the archive holds 0 fact-checks"]


def test_match_json_ranks_the_archive_for_every_claim(articles: Path, tmp_path: Path) -> None:
    files = write_samples(tmp_path / "archive")
    factmark("archive", "add", articles, *files.values())
    result = factmark("match", articles, "--json", "--top", "3")
    assert result.returncode == 0, result.stderr
    english, french = (orjson.loads(line) for line in result.stdout.splitlines())
    assert english["title"] == "Masts"
    assert ENGLISH[english["start"] : english["end"]] == english["text"]
    assert english["text"] == "the coronavirus is spread by 5G mobile networks"
    assert [m["url"] for m in english["matches"]] == [
        f"{BASE}/en/5g-coronavirus",
        f"{BASE}/other/5g",
        f"{BASE}/en/5g-masts",
    ]
    best = english["matches"][0]
    assert {k: best[k] for k in ("claim", "rating", "publisher", "date")} == {
        "claim": "5G mobile networks spread the coronavirus",
        "rating": "False",
        "publisher": "FactDesk",
        "date": "2020-04-06",
    }
    assert best["matched_words"] == ["5G", "mobile", "networks", "spread", "coronavirus"]
    assert french["language"] == "fr"
    assert [m["url"] for m in french["matches"]] == [f"{BASE}/fr/vaccins-puces"]
    assert french["matches"][0]["rating"] == "Faux"
    # The same command gives the same ranking.
    assert factmark("match", articles, "--json", "--top", "3").stdout == result.stdout


def test_match_prints_foreign_text_as_it_is_and_escapes_controls(
    articles: Path, tmp_path: Path
) -> None:
    sheet = tmp_path / "foreign.csv"
    sheet.write_text(
        "claim,rating,url,publisher,language\n"
        f'"Les vaccins contiennent des puces 💉 \u202eesuaf\u202c",Faux \x1b[31m!,{BASE}/fr/x,'
        "Vérif العربية,fr\n",
        encoding="utf-8",
    )
    assert factmark("archive", "add", articles, sheet).returncode == 0
    result = factmark("match", articles, "--status", "new", "--status", "in_progress")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "💉" in out and "Vérif العربية" in out  # foreign text shown as it is
    assert "\u202e" not in out and "\\u202e" in out  # bidi override escaped
    assert "\x1b" not in out and "\\x1b[31m" in out  # terminal escape shown, not run
    assert out.splitlines()[-1] == "2 claims matched against 1 fact-check"


def test_match_without_archive_says_how_to_add_one(articles: Path) -> None:
    result = factmark("match", articles)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"factmark: error: {articles}: the archive of earlier fact-checks is empty; add some "
        f"with factmark archive add {articles} FILE..."
    ]
