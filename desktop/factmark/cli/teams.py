"""The commands for teams of annotators: ``merge`` and ``agree``."""

from __future__ import annotations

import argparse
import sys

import orjson

from factmark.cli.common import EXIT_FAILED, EXIT_OK, _print_report, _say
from factmark.core.project import Project
from factmark.core.safe_text import printable
from factmark.core.text import counted


def run_merge(args: argparse.Namespace) -> int:
    from factmark.core.merge import merge_projects

    with Project.open(args.target) as target:
        reports = merge_projects(target, args.sources, skip_invalid=args.skip_invalid)
    for report in reports:
        _print_report(report.lines())
    # 1 when a source was refused or had rows left out, as for any input that failed.
    return EXIT_FAILED if any(r.incomplete for r in reports) else EXIT_OK


def run_agree(args: argparse.Namespace) -> int:
    from factmark.core.agreement import agreement

    with Project.open_to_read(args.project) as project:
        figures = agreement(project)
    if args.json:
        sys.stdout.buffer.write(orjson.dumps(figures, option=orjson.OPT_INDENT_2) + b"\n")
        return EXIT_OK
    if not figures["documents_compared"]:
        _say("no document has spans by two or more annotators: nothing to compare")
        return EXIT_OK
    _say(
        f"{counted(figures['documents_compared'], 'document')} annotated by two or more of "
        f"{counted(len(figures['annotators']), 'annotator')} "
        f"({', '.join(figures['annotators'])})"
    )
    header = ("exact F1", "overlap F1", "kappa")
    rows = [("overall", figures["overall"])]
    rows += [(f"label {name}", row) for name, row in figures["labels"].items()]
    rows += [(" vs ".join(p["annotators"]), p) for p in figures["pairs"]]
    shown = figures["documents"][: args.documents or None]
    rows += [(f"document {d['title'] or d['id'][:12]}", d) for d in shown]
    rows = [(printable(name), row) for name, row in rows]  # escaped before measured
    width = max(len(name) for name, _ in rows)
    _say(f"{'':<{width}}  " + "  ".join(f"{h:>10}" for h in header))
    for number, (name, row) in enumerate(rows):
        if number in (1, 1 + len(figures["labels"]), len(rows) - len(shown)):
            _say()
        cells = (row["exact_f1"], row["overlap_f1"], row["kappa"])
        _say(f"{name:<{width}}  " + "  ".join(f"{_figure(v):>10}" for v in cells))
    for note in figures["notes"]:
        _say(f"note: {note}")
    return EXIT_OK


def _figure(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"
