"""The corpus commands: ``import``, ``export`` and ``stats``."""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import orjson

from factmark.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    _failed,
    _print_report,
    _progress,
    _say,
    _usage_error,
)
from factmark.core.model import ValidationError
from factmark.core.project import Project
from factmark.core.safe_text import printable
from factmark.core.text import counted

if TYPE_CHECKING:  # the exporters load only when a command exports
    from factmark.core.exporting.base import Selection


def run_import(args: argparse.Namespace) -> int:
    from factmark.core.importing import (
        added_labels,
        added_labels_line,
        collect_files,
        import_file,
        keyless_labels_line,
        missing_labels,
    )
    from factmark.core.preferences import clean_annotator

    # Spans that name no annotator stay without one unless --annotator names one, as
    # when importing in the window (the preferences' annotator is not assumed).
    annotator = None
    if args.annotator is not None:
        try:
            annotator = clean_annotator(args.annotator)
        except ValidationError as error:
            return _usage_error(f"--annotator: {error}")
    lang = None
    if args.lang is not None:
        from factmark.core.archive import language_tag

        try:
            lang = language_tag(args.lang.strip()) or None
        except ValidationError as error:
            return _usage_error(f"--lang: {error}")
        if lang is None:
            return _usage_error("--lang: give a language tag such as zh or en")
    files, reports = collect_files(args.paths)
    for report in reports:
        _print_report(report.lines())
    with Project.open(args.project) as project, _progress(len(files)) as step:
        for path in files:
            report = import_file(
                project, path, create_labels=args.create_labels, annotator=annotator, lang=lang
            )
            reports.append(report)
            _print_report(report.lines())
            step(path.name)
    added = added_labels(reports)
    if added:
        advice = (
            f"give them one with: factmark labels {shlex.quote(str(args.project))} "
            "--set NAME --key KEY (or in the window's Edit > Labels)"
        )
        lines = [added_labels_line(added), keyless_labels_line(added, advice)]
        _print_report([line for line in lines if line])
    missing = missing_labels(reports)
    if missing:
        _print_report(
            [
                f"labels the project does not have: {', '.join(missing)}; import again "
                "with --create-labels to add them (documents already in are skipped)"
            ]
        )
    return EXIT_FAILED if any(r.failed for r in reports) else EXIT_OK


def run_export(args: argparse.Namespace) -> int:
    from factmark.core.exporting import export
    from factmark.core.exporting.base import Selection, Split, SplitTooSmall, left_out_line

    statuses = frozenset() if args.all else frozenset(args.status or ["done"])
    selection = Selection(
        statuses, frozenset(args.label), frozenset(args.annotator), majority=args.majority
    )
    options = {"nested": args.nested} if args.nested else {}
    if args.nested and args.format != "conll":
        _say("factmark: error: --nested applies to --format conll only", err=True)
        return EXIT_USAGE
    if args.sentences_scheme:
        if args.format != "sentences":
            return _usage_error("--sentences-scheme applies to --format sentences only")
        options["scheme"] = args.sentences_scheme
    if args.min_per_part and not args.split:
        return _usage_error("--min-per-part applies to --split only")
    if args.split_by is not None:
        from factmark.core.exporting.grouping import field_name

        if not args.split:
            return _usage_error("--split-by applies to --split only")
        try:
            field_name(args.split_by)
        except ValidationError as error:
            return _usage_error(str(error))
    if args.pseudonymise:
        options["pseudonymise"] = args.pseudonymise
        _make_pseudonym_key(args.project)
    if args.min_per_part < 0:
        return _usage_error(f"--min-per-part must be 0 or more, not {args.min_per_part}")
    if str(args.output) == "-":
        return _export_to_stdout(args, selection, options)
    try:  # the dataset card and the reports name the output: its name must be text
        str(args.output).encode("utf-8")
    except UnicodeEncodeError:
        return _usage_error(f"{args.output}: the output file name is not valid UTF-8")
    with Project.open_to_read(args.project) as project:
        try:
            split = (
                Split.parse(args.split, args.seed, args.min_per_part, args.split_by)
                if args.split
                else None
            )
            result = export(
                project, args.format, args.output, selection, split, options, card=not args.no_card
            )
        except SplitTooSmall as error:
            return _usage_error(f"--min-per-part {args.min_per_part}: {error}")
        except ValidationError as error:
            return _usage_error(str(error))
        except OSError as error:
            return _failed(f"{args.output}: {error.strerror or error}")
        _say(f"{args.output}: exported {result.wrote()}")
        if result.not_adjudicated:
            _say(f"note: {left_out_line(result.not_adjudicated)}")
        if result.pooled:
            _say(f"note: {result.pooled}")
        if split:
            for part in result.parts:
                groups = ""
                if result.groups is not None:
                    number = len(result.groups.groups[part]) + result.groups.alone[part]
                    groups = f"; {counted(number, 'group')} of meta.{split.by}"
                _say(f"  {part}: {result.outputs[part]}: {result.part_wrote(part)}{groups}")
        for note in result.notes:
            _say(f"note: {note}")
        for warning in result.warnings:
            _say(f"factmark: warning: {warning}", err=True)
        if result.card:
            _say(f"dataset card: {result.card}")
        if not result.documents and not args.all:
            total = project.document_count()
            _say(
                f"note: only documents with status {', '.join(sorted(statuses))} are "
                f"exported and none of the {counted(total, 'document')} matched; mark "
                "documents done or "
                "use --all",
                err=True,
            )
    return EXIT_OK


def _make_pseudonym_key(project_path: Path) -> None:
    """The project's pseudonym key, made (opening the project for writing) only when it
    has none yet: a read-only project that has one exports as well."""
    from factmark.core.exporting.pseudonyms import ensure_key, has_key

    with Project.open_to_read(project_path) as project:
        if has_key(project):
            return
    with Project.open(project_path, create=False) as project:
        ensure_key(project)


def _export_to_stdout(
    args: argparse.Namespace, selection: Selection, options: dict[str, str]
) -> int:
    """``-o -``: the export on standard output, every other line on stderr, no card."""
    from factmark.core.exporting import check_streamable, export_to_stream
    from factmark.core.exporting.base import left_out_line

    try:
        check_streamable(args.format, args.split, options)
    except ValidationError as error:
        return _usage_error(f"-o -: {error}")
    with Project.open_to_read(args.project) as project:
        try:
            result = export_to_stream(project, args.format, sys.stdout.buffer, selection, options)
        except ValidationError as error:
            return _usage_error(str(error))
        except OSError as error:  # a closed pipe, a full disk for the private copy
            return _failed(f"standard output: {error.strerror or error}")
        _say(f"standard output: exported {result.wrote()}", err=True)
        if result.not_adjudicated:
            _say(f"note: {left_out_line(result.not_adjudicated)}", err=True)
        if result.pooled:
            _say(f"note: {result.pooled}", err=True)
        for note in result.notes:
            _say(f"note: {note}", err=True)
        if not result.documents and not args.all:
            _say(
                f"note: only documents with status {', '.join(sorted(selection.statuses))} "
                f"are exported and none of the {counted(project.document_count(), 'document')} "
                "matched; mark documents done or use --all",
                err=True,
            )
    return EXIT_OK


def run_stats(args: argparse.Namespace) -> int:
    with Project.open_to_read(args.project) as project:
        figures = project.stats()
    if args.json:
        sys.stdout.buffer.write(orjson.dumps(figures, option=orjson.OPT_INDENT_2) + b"\n")
        return EXIT_OK
    titles = {
        "documents": "Documents by status",
        "spans_by_label": "Spans by label",
        "spans_by_annotator": "Spans by annotator",
    }
    for key, title in titles.items():
        rows = figures[key]
        _say(f"{title} (total {sum(rows.values()):,})")
        # Names escaped before they are measured, so that the columns line up.
        names = {name: printable(name) for name in rows}
        width = max((len(shown) for shown in names.values()), default=0)
        for name, count in rows.items():
            _say(f"  {names[name]:<{width}}  {count:>10,}")
    return EXIT_OK
