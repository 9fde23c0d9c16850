"""The ``suggest`` command: rule-based proposals stored for review in the window."""

from __future__ import annotations

import argparse
import sys

import orjson

from factmark.cli.common import EXIT_OK, _say, _usage_error
from factmark.core.model import STATUSES
from factmark.core.project import Project
from factmark.core.text import counted


def run_suggest(args: argparse.Namespace) -> int:
    from factmark.core.suggest import LearnedPhrases, suggest
    from factmark.core.suggest.learned import MIN_LENGTH

    statuses = _comma_list(args.status)
    wrong = [status for status in statuses if status not in STATUSES]
    if not statuses or wrong:
        return _usage_error(
            f"--status takes statuses among {', '.join(STATUSES)}, got {args.status!r}"
        )
    with Project.open(args.project, create=False) as project:
        known = [label.name for label in project.labels()]
        labels = None if args.labels is None else _comma_list(args.labels)
        if labels is not None:
            unknown = [label for label in labels if label not in known]
            if not labels or unknown:
                return _usage_error(
                    f"--labels: unknown label {', '.join(unknown) or repr(args.labels)} "
                    f"(project labels: {', '.join(known)})"
                )
        learned = LearnedPhrases(project.labelled_texts(MIN_LENGTH))  # once for every document
        total = 0
        for listed in project.documents():
            if listed.status not in statuses:
                continue
            document = project.document(listed.id or 0)
            language = str(document.meta.get("lang") or document.meta.get("language") or "en")
            proposals = [
                proposal
                for proposal in suggest(
                    document.text, labels=labels, learned=learned, language=language
                )
                if proposal.label in known
            ]
            added = project.add_suggestions(document.id or 0, proposals)
            total += added
            pending = project.suggestions(document.id or 0)
            if args.json:
                rows = [
                    {
                        "start": s.start,
                        "end": s.end,
                        "label": s.label,
                        "text": document.text[s.start : s.end],
                        "by": s.suggester,
                        "confidence": s.confidence,
                    }
                    for s in pending
                ]
                sys.stdout.buffer.write(
                    orjson.dumps({"id": document.uid, "suggestions": rows}) + b"\n"
                )
            else:
                name = document.title or document.uid[:12]
                _say(
                    f"{name}: {counted(added, 'new suggestion')}, {len(pending):,} awaiting review"
                )
        if not args.json:
            _say(f"{counted(total, 'new suggestion')} stored for review")
    return EXIT_OK


def _comma_list(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]
