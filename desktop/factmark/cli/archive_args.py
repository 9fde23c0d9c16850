"""The arguments of the archive commands: ``archive add``, ``archive list`` and ``match``."""

from __future__ import annotations

import argparse
from pathlib import Path

from factmark.core.model import STATUSES


def add_archive_parsers(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
) -> None:
    """Add ``archive`` (with ``add`` and ``list``) and ``match`` to the command parsers."""
    from factmark.cli.parser import _add_project

    archive = commands.add_parser(
        "archive",
        help="the project's archive of earlier fact-checks: add to it or summarise it",
        description="The archive of earlier fact-checks is kept in the project file (it "
        "travels with copies of the project); 'factmark match' ranks it for each claim.",
    )
    actions = archive.add_subparsers(dest="archive_command", metavar="ACTION", required=True)
    add = actions.add_parser(
        "add",
        help="add fact-checks from files (re-adding a review with the same URL updates it)",
        description="Read earlier fact-checks from schema.org ClaimReview JSON-LD (.json, "
        ".jsonld: items, @graph or a dataFeedElement data feed), the JSON of the Google "
        "Fact Check Tools API (claims[].claimReview[]), saved fact-check pages (.html, "
        ".htm: ClaimReview as JSON-LD or microdata) and CSV with a header (claim, rating, "
        "url, date, title, publisher, language). Each file's report says how many reviews "
        "were added, updated and refused, with one line per refused item (exit 1 if any).",
    )
    _add_project(add, "the project whose archive to add to (created if new)")
    add.add_argument(
        "files",
        nargs="+",
        type=Path,
        metavar="FILE",
        help=".json .jsonld .html .htm .csv files or folders (recursive)",
    )
    listing = actions.add_parser(
        "list", help="how many fact-checks the archive holds, by language, reviewer and file"
    )
    _add_project(listing)
    listing.add_argument("--json", action="store_true", help="print JSON instead of lines")

    match = commands.add_parser(
        "match",
        help="rank the archive's earlier fact-checks for every claim span",
        description="For every claim span, the earlier fact-checks of the project's archive "
        "that share the most words with it (BM25 over each review's claim and title, words "
        "stemmed in the document's language: its 'lang' metadata, English when none), best "
        "first, with the words that matched.",
    )
    _add_project(match)
    match.add_argument(
        "--top", type=int, default=5, metavar="K", help="fact-checks per claim (default 5)"
    )
    match.add_argument(
        "--status",
        action="append",
        choices=STATUSES,
        help="only documents with this status (repeatable; default: every document)",
    )
    match.add_argument(
        "--label", default="claim", help="the label of claim spans (default: %(default)s)"
    )
    match.add_argument(
        "--json",
        action="store_true",
        help="print one JSON object per claim span: document id and title, span id, start, "
        "end, text, language and its matches (url, claim, rating, publisher, date, score, "
        "matched_words)",
    )
