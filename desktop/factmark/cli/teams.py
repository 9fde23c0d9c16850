"""The commands for teams of annotators: ``copy``, ``merge`` and ``agree``."""

from __future__ import annotations

import argparse
import sys
from contextlib import closing
from typing import Any

from factmark.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    _failed,
    _print_report,
    _say,
    _usage_error,
)
from factmark.core.project import Project
from factmark.core.safe_text import printable
from factmark.core.text import counted

# The widest name in the agreement table's first column (a document title is cut there).
NAME_WIDTH = 40


def run_merge(args: argparse.Namespace) -> int:
    from factmark.core.conflicts import conflicts
    from factmark.core.merge import merge_projects

    if not args.sources and not args.conflicts:
        return _usage_error("merge needs SOURCE files (or --conflicts to list the queue)")
    if args.sources and args.conflicts:
        return _usage_error(
            "--conflicts lists the queue of TARGET: give no SOURCE "
            f"(factmark merge --conflicts {args.target})"
        )
    if not args.sources:
        with Project.open_to_read(args.target) as project:
            waiting = conflicts(project)
        for found in waiting:
            _say(found.line())
        queued = counted(len(waiting), "conflict")
        _say(f"{queued} waiting in the review queue (F7 in the window shows each)")
        return EXIT_OK
    with Project.open(args.target) as target:
        reports = merge_projects(target, args.sources, skip_invalid=args.skip_invalid)
    for report in reports:
        _print_report(report.lines())
    # 1 when a source was refused or had rows left out, as for any input that failed.
    return EXIT_FAILED if any(r.incomplete for r in reports) else EXIT_OK


def run_copy(args: argparse.Namespace) -> int:
    from factmark.core.copies import make_copy
    from factmark.core.model import ValidationError
    from factmark.core.project import ProjectError
    from factmark.core.storage import RefusedOutput

    try:
        with Project.open_to_read(args.project) as project:
            made = make_copy(project, args.copy, args.annotator)
    except RefusedOutput as error:  # a name to choose again, as export -o onto a project
        return _usage_error(str(error))
    except (ProjectError, ValidationError, OSError) as error:
        return _failed(str(error))
    who = f" for {made.annotator}" if made.annotator else ""
    _say(
        f"{made.path}: a copy{who} of {args.project} with its base "
        f"({counted(made.documents, 'document')}, {counted(made.spans, 'span')}, "
        f"{counted(made.relations, 'relation')}); merge it back with: "
        f"factmark merge {args.project} {made.path}"
    )
    return EXIT_OK


def run_agree(args: argparse.Namespace) -> int:
    from factmark.core.agreement import agreement
    from factmark.core.agreement_arrays import keep_freed_memory
    from factmark.core.agreement_listing import span_disagreement_parts, write_json
    from factmark.core.two_processes import SecondProcessFailed

    keep_freed_memory()  # this process counts and ends
    with Project.open_to_read(args.project) as project:
        # The text lists no disagreement, only their counts, and only the documents it
        # shows: not building the lists saves most of the time on an archive.
        listed = args.documents if args.documents > 0 and not args.json else None
        try:
            figures = agreement(project, details=args.json, listed=listed, streamed=args.json)
            if args.json:
                # The span disagreements written a batch of documents at a time as they
                # are found, and every document's row a part at a time: no list is held
                # whole (an archive's took over a gigabyte).
                with closing(span_disagreement_parts(project)) as parts:
                    write_json(figures, parts, sys.stdout.buffer)
                return EXIT_OK
        except SecondProcessFailed as error:
            return _failed(f"{args.project}: {error.strerror or error}")
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
    # Escaped before measured; a long title (a whole headline) is cut, or it would pad
    # every line of the table to its length.
    rows = [(_shortened(printable(name)), row) for name, row in rows]
    width = max(len(name) for name, _ in rows)
    _say(f"{'':<{width}}  " + "  ".join(f"{h:>10}" for h in header))
    for number, (name, row) in enumerate(rows):
        if number in (1, 1 + len(figures["labels"]), len(rows) - len(shown)):
            _say()
        cells = (row["exact_f1"], row["overlap_f1"], row["kappa"])
        _say(f"{name:<{width}}  " + "  ".join(f"{_figure(v):>10}" for v in cells))
    _say_more(figures)
    for note in figures["notes"]:
        _say(f"note: {note}")
    return EXIT_OK


def _say_more(figures: dict[str, Any]) -> None:
    """Unitizing alpha, links, attributes and disagreement counts, one table each."""
    alpha = figures["alpha_u"]
    rows = [("overall", alpha["overall"])] + [
        (f"label {name}", row) for name, row in alpha["labels"].items()
    ]
    width = max(len(printable(name)) for name, _ in rows)
    _say()
    _say("Krippendorff's unitizing alpha (1 = same spans and labels, 0 = as by chance)")
    _say(f"{'':<{width}}  " + "  ".join(f"{h:>7}" for h in ("u", "bu", "cu", "u 2004", "units")))
    for name, row in rows:
        cells = [_figure(row.get(key)) for key in ("u", "bu", "cu", "u_2004")]
        _say(
            f"{printable(name):<{width}}  "
            + "  ".join(f"{c:>7}" for c in cells)
            + f"  {row['units']:>7}"
        )
    if figures["links"]:
        _say()
        _say("Links (relations), F1 of matched ends")
        for kind, row in figures["links"].items():
            _say(
                f"  {printable(kind)}: exact {_figure(row['exact_f1'])}, "
                f"overlap {_figure(row['overlap_f1'])} ({counted(row['links'], 'link')})"
            )
    if figures["attributes"]:
        _say()
        _say("Attributes of spans marked by several annotators")
        for name, row in figures["attributes"].items():
            measure = "Cohen's kappa" if row["measure"] == "cohen_kappa" else "Krippendorff's alpha"
            _say(
                f"  {printable(name)}: {measure} {_figure(row['value'])} "
                f"({counted(row['spans_compared'], 'span')} compared)"
            )
    counts = figures["disagreement_counts"]
    parts = [
        f"{kind} {printable(name)} {n:,}"
        for kind, key in (("span", "spans"), ("link", "links"), ("attribute", "attributes"))
        for name, n in counts[key].items()
    ]
    _say()
    total = sum(n for kind in counts.values() for n in kind.values())
    _say(f"{counted(total, 'disagreement')}" + (":" if parts else ""))
    if parts:
        _say("  " + ", ".join(parts) + " (--json lists each; View > Agreement opens them)")


def _shortened(name: str) -> str:
    """A row's name as the table shows it: at most NAME_WIDTH characters, a longer one
    cut with "…" (``--json`` gives every title whole)."""
    return name if len(name) <= NAME_WIDTH else name[: NAME_WIDTH - 1] + "…"


def _figure(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"
