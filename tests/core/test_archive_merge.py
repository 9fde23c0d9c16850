"""``factmark merge`` brings a copy's archive of earlier fact-checks: new reviews added,
for a URL both hold the newer change kept, every row checked as ``archive add`` checks
an item, and merging again changes nothing."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest
from tests.cli.test_cli import factmark

from factmark.core.archive import Review, add_reviews, archived_reviews
from factmark.core.copies import make_copy
from factmark.core.incoming import IncomingDocument
from factmark.core.merge import merge_projects
from factmark.core.project import Project

BASE = "https://checks.example"
FIVE_G = Review(url=f"{BASE}/en/5g", claim="5G spreads the virus", rating="False", language="en")
BLEACH = Review(url=f"{BASE}/en/bleach", claim="Bleach cures COVID-19", rating="False")


@pytest.fixture
def team(tmp_path: Path) -> tuple[Path, Path]:
    """A project with two reviews, and a copy of it for an annotator."""
    target = tmp_path / "desk.factmark"
    with Project.open(target) as project:
        project.add_document(IncomingDocument("Some say 5G spreads the virus.", title="5G"))
        add_reviews(project, [FIVE_G, BLEACH], "desk.csv")
        make_copy(project, tmp_path / "ana.factmark", "ana")
    return target, tmp_path / "ana.factmark"


def archive(path: Path) -> dict[str, tuple[str, str, str]]:
    with Project.open(path, readonly=True) as project:
        return {r.url: (r.claim, r.rating, r.reviewer) for r in archived_reviews(project)}


def test_a_copys_new_and_newer_reviews_come_and_merging_again_changes_nothing(
    team: tuple[Path, Path],
) -> None:
    target, copy = team
    with Project.open(copy) as project:
        time.sleep(0.01)  # a later change than the project's
        add_reviews(
            project,
            [
                Review(url=FIVE_G.url, claim=FIVE_G.claim, rating="Misleading", reviewer="Ana"),
                Review(url=f"{BASE}/uk/drones", claim="Дрони летять з півночі", language="uk"),
            ],
            "ana.csv",
        )
    with Project.open(target) as project:
        (report,) = merge_projects(project, [copy])
    assert report.error is None
    assert (report.archive.added, report.archive.updated, report.archive.refused_count) == (1, 1, 0)
    assert "  fact-checks: 1 added, 1 updated (the newer of a review both hold), 0 refused" in (
        report.lines()
    )
    assert archive(target) == {
        FIVE_G.url: ("5G spreads the virus", "Misleading", "Ana"),
        BLEACH.url: ("Bleach cures COVID-19", "False", ""),
        f"{BASE}/uk/drones": ("Дрони летять з півночі", "", ""),
    }
    with Project.open(target) as project:
        (again,) = merge_projects(project, [copy])
    assert (again.archive.added, again.archive.updated) == (0, 0)
    assert not any("fact-checks" in line for line in again.lines())


def test_the_projects_newer_change_is_kept(team: tuple[Path, Path]) -> None:
    target, copy = team
    with Project.open(copy) as project:
        add_reviews(project, [Review(url=BLEACH.url, claim=BLEACH.claim, rating="True")], "a")
    time.sleep(0.01)
    with Project.open(target) as project:  # changed after the copy's change
        add_reviews(project, [Review(url=BLEACH.url, claim=BLEACH.claim, rating="Fake")], "b")
        (report,) = merge_projects(project, [copy])
    assert report.archive.updated == 0
    assert archive(target)[BLEACH.url] == ("Bleach cures COVID-19", "Fake", "")


def test_rows_a_copy_should_not_hold_are_refused_one_by_one(team: tuple[Path, Path]) -> None:
    """Written into the copy's file by hand, as a tampered copy would hold them: each is
    checked as ``archive add`` checks an item; the good row still comes."""
    target, copy = team
    conn = sqlite3.connect(copy)
    rows = [
        ("javascript:alert(1)", "A claim", "2030-01-01T00:00:00+00:00"),
        (f"{BASE}/nul", "A claim with \x00 NUL", "2030-01-01T00:00:00+00:00"),
        (f"{BASE}/blob", b"\xff\xfe", "2030-01-01T00:00:00+00:00"),
        (f"{BASE}/when", "Undated change", "yesterday"),
        (f"{BASE}/long", "x" * 10_001, "2030-01-01T00:00:00+00:00"),
        (f"{BASE}/good", "A good claim", "2030-01-01T00:00:00+00:00"),
    ]
    for url, claim, changed in rows:
        conn.execute(
            "INSERT INTO fact_checks (url, claim, added_at, updated_at) VALUES (?, ?, ?, ?)",
            [url, claim, changed, changed],
        )
    conn.execute(  # a language that is not one, on a review the project holds
        "UPDATE fact_checks SET language = 'tlhIngan Hol!', updated_at = '2030-01-01' "
        "WHERE url = ?",
        [FIVE_G.url],
    )
    conn.commit()
    conn.close()
    with Project.open(target) as project:
        (report,) = merge_projects(project, [copy])
    assert report.error is None
    assert report.archive.added == 1 and report.archive.refused_count == 6
    assert sorted(report.archive.refused) == sorted(
        [
            "fact_checks row 1: language 'tlhIngan Hol!' is not a language tag such as en or fr",
            "fact_checks row 3: url 'javascript:alert(1)' is not a web address (http or https)",
            "fact_checks row 4: claim holds NUL (binary data)",
            "fact_checks row 5: claim is not text",
            "fact_checks row 6: updated_at is not a time",
            "fact_checks row 7: claim is 10,001 characters long (at most 10,000)",
        ]
    )
    assert set(archive(target)) == {FIVE_G.url, BLEACH.url, f"{BASE}/good"}
    assert archive(target)[FIVE_G.url] == ("5G spreads the virus", "False", "")


def test_factmark_merge_says_what_came_of_the_archive(team: tuple[Path, Path]) -> None:
    target, copy = team
    with Project.open(copy) as project:
        add_reviews(project, [Review(url=f"{BASE}/new", claim="A new claim")], "ana.csv")
    result = factmark("merge", target, copy)
    assert result.returncode == 0, result.stderr
    assert "  fact-checks: 1 added, 0 updated (the newer of a review both hold), 0 refused" in (
        result.stdout.splitlines()
    )
