"""The archive commands: ``archive add``, ``archive list`` and ``match``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import orjson

from factmark.cli.common import EXIT_FAILED, EXIT_OK, _failed, _print_report, _say, _usage_error
from factmark.core.model import STATUSES, ValidationError
from factmark.core.project import Project
from factmark.core.text import counted


def run_archive(args: argparse.Namespace) -> int:
    if args.archive_command == "add":
        return _add(args.project, args.files)
    return _list(args.project, args.json)


def _add(project_path: Path, paths: list[Path]) -> int:
    from factmark.core.archive import archive_size
    from factmark.core.archive_files import add_archive_file, collect_archive_files

    files, missing = collect_archive_files(paths)
    for report in missing:
        _print_report(report.lines())
    failed = bool(missing)
    with Project.open(project_path) as project:
        for path in files:
            report = add_archive_file(project, path)
            _print_report(report.lines())
            failed = failed or report.failed
        _say(f"{project_path}: the archive holds {counted(archive_size(project), 'fact-check')}")
    return EXIT_FAILED if failed else EXIT_OK


def _list(project_path: Path, as_json: bool) -> int:
    from factmark.core.archive import archive_summary

    with Project.open_to_read(project_path) as project:
        summary = archive_summary(project)
    if as_json:
        sys.stdout.buffer.write(orjson.dumps(summary) + b"\n")
        return EXIT_OK
    _say(f"{counted(int(str(summary['reviews'])), 'fact-check')} in the archive")
    if summary["oldest"]:
        _say(f"reviewed from {summary['oldest']} to {summary['newest']}")
    for title in ("languages", "reviewers", "files"):
        counts: dict[str, int] = summary[title]  # type: ignore[assignment]
        if counts:
            shown = [f"{name or '(not given)'} {n:,}" for name, n in list(counts.items())[:10]]
            more = f", and {len(counts) - 10} more" if len(counts) > 10 else ""
            _say(f"{title}: {', '.join(shown)}{more}")
    return EXIT_OK


def run_match(args: argparse.Namespace) -> int:
    from factmark.core.archive import archived_reviews
    from factmark.core.claim_matching import ClaimMatcher

    if args.top < 1:
        return _usage_error(f"--top must be 1 or more, not {args.top}")
    statuses = args.status or list(STATUSES)
    with Project.open_to_read(args.project) as project:
        reviews = archived_reviews(project)
        if not reviews:
            return _failed(
                f"{args.project}: the archive of earlier fact-checks is empty; add some with "
                f"factmark archive add {args.project} FILE..."
            )
        if args.label not in {label.name for label in project.labels()}:
            return _usage_error(f"--label: the project has no label {args.label!r}")
        claims = _claim_spans(project, statuses, args.label)
    matcher = ClaimMatcher(reviews)
    for claim in claims:
        matches = matcher.match(claim["text"], claim["language"], args.top)
        if args.json:
            claim["matches"] = [
                {
                    "url": m.review.url,
                    "claim": m.review.claim,
                    "rating": m.review.rating,
                    "publisher": m.review.reviewer,
                    "date": m.review.date,
                    "language": m.review.language,
                    "title": m.review.title,
                    "score": m.score,
                    "matched_words": list(m.matched_words),
                }
                for m in matches
            ]
            sys.stdout.buffer.write(orjson.dumps(claim) + b"\n")
            continue
        where = claim["title"] or claim["id"][:12]
        _say(f'{where} [{claim["start"]}:{claim["end"]}] "{_short(claim["text"], 100)}"')
        if not matches:
            _say("    no earlier fact-check shares its words")
        for rank, m in enumerate(matches, start=1):
            details = " · ".join(
                part for part in (m.review.rating, m.review.reviewer, m.review.date) if part
            )
            _say(f'  {rank}. {m.score:.2f}  {details}  "{_short(m.review.claim, 100)}"')
            _say(f"       {m.review.url}  (matched: {', '.join(m.matched_words)})")
    if not args.json:
        _say(
            f"{counted(len(claims), 'claim')} matched against {counted(len(reviews), 'fact-check')}"
        )
    return EXIT_OK


def _claim_spans(project: Project, statuses: list[str], label: str) -> list[dict[str, Any]]:
    """The claim spans of documents with these statuses, in document and text order, each
    with its text and its document's language (``lang`` or ``language`` in its metadata)."""
    rows = project._rows(
        'SELECT d.uid, d.title, d.meta, s.id, s.start, s."end", '
        'substr(d.text, s.start + 1, s."end" - s.start) '
        "FROM spans s JOIN documents d ON d.id = s.document_id "
        f"WHERE s.label = ? AND d.status IN ({', '.join('?' * len(statuses))}) "
        'ORDER BY d.id, s.start, s."end" DESC, s.id',
        [label, *statuses],
    )
    claims = []
    for uid, title, meta, span_id, start, end, text in rows:
        info = orjson.loads(meta) if meta and meta != "{}" else {}
        language = info.get("lang") or info.get("language") if isinstance(info, dict) else ""
        claims.append(
            {
                "id": uid,
                "title": title,
                "span": span_id,
                "start": start,
                "end": end,
                "text": text,
                "language": _language(language),
                "matches": [],
            }
        )
    return claims


def _language(value: object) -> str:
    """A document's language as a tag; empty (English is assumed) when it is not one."""
    from factmark.core.archive import language_tag

    try:
        return language_tag(value.strip()) if isinstance(value, str) else ""
    except ValidationError:
        return ""


def _short(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
