"""The ``factmark`` command (also ``python -m factmark``).

Exit codes: 0 success, 1 when some input failed (the rest was done), 2 usage errors.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import orjson

from factmark import __version__
from factmark.core.model import STATUSES, ValidationError
from factmark.core.project import Project, ProjectError
from factmark.core.suggest import DEFAULT_LABELS

# Each command imports the core modules it needs itself, so that `factmark` (the
# window) starts without the importers, the exporters' machinery and the merger.

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class _FormatNames:
    """The export formats, for argparse: read from the registry only when a command
    line names a format or asks for help, so that opening the window does without
    the exporters."""

    def __iter__(self) -> Iterator[str]:
        from factmark.core.exporting import WRITERS

        return iter(sorted(WRITERS))

    def __contains__(self, name: object) -> bool:
        return name in list(self)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="factmark",
        description="Annotate news articles for fact-checking and export training corpora.",
    )
    parser.add_argument("--version", action="version", version=f"factmark {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    gui = commands.add_parser("gui", help="open the annotation window (the default)")
    gui.add_argument("project", nargs="?", type=Path, help="project file (default project if none)")

    imp = commands.add_parser("import", help="import articles into a project (created if new)")
    imp.add_argument("project", type=Path)
    imp.add_argument(
        "paths",
        nargs="+",
        type=Path,
        metavar="PATH",
        help=".txt .md .html .htm .docx .jsonl files or folders (recursive)",
    )
    imp.add_argument(
        "--create-labels",
        action="store_true",
        help="add span labels the project does not have yet instead of refusing",
    )
    imp.add_argument("--annotator", help="annotator recorded for imported spans that name none")

    exp = commands.add_parser("export", help="export annotations as a training corpus")
    exp.add_argument("project", type=Path)
    exp.add_argument("-o", "--output", type=Path, required=True, help="output file")
    exp.add_argument(
        "--format",
        "-f",
        default="jsonl",
        choices=_FormatNames(),
        metavar="FORMAT",
        help="%(choices)s (default: %(default)s)",
    )
    which = exp.add_mutually_exclusive_group()
    which.add_argument("--all", action="store_true", help="every document, whatever its status")
    which.add_argument(
        "--status",
        action="append",
        choices=STATUSES,
        help="documents with this status (repeatable; default: done)",
    )
    exp.add_argument("--label", action="append", default=[], help="only spans with this label")
    exp.add_argument(
        "--annotator", action="append", default=[], help="only spans by this annotator (repeatable)"
    )
    exp.add_argument(
        "--majority",
        action="store_true",
        help="only spans most of a document's annotators made (use --annotator gold for the "
        "adjudicated layer)",
    )
    exp.add_argument(
        "--split",
        metavar="PARTS",
        help="split by document into one output per part, e.g. train=0.8,dev=0.1,test=0.1",
    )
    exp.add_argument(
        "--seed", type=int, default=0, help="seed of the split (same seed, same split; default 0)"
    )
    exp.add_argument(
        "--nested",
        choices=("outermost", "innermost", "per-label"),
        help="conll only: which of nested spans BIO keeps (default outermost), or one file "
        "per label",
    )
    exp.add_argument(
        "--no-card", action="store_true", help="do not write the README.md dataset card"
    )

    commands.add_parser(
        "selftest",
        help="open the window offscreen, label a span in the seed article, export, check",
    )

    stats = commands.add_parser("stats", help="documents by status, spans by label and annotator")
    stats.add_argument("project", type=Path)
    stats.add_argument("--json", action="store_true", help="print JSON instead of a table")

    _labels_parser(commands)
    _guidelines_parser(commands)
    _suggest_parser(commands)
    _team_parsers(commands)
    return parser


def _team_parsers(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    merge = commands.add_parser(
        "merge",
        help="merge annotators' copies of a project into one (documents matched by text)",
        description="Add each source's documents, spans and relations to TARGET, one "
        "transaction per source. Each annotator's spans are kept side by side; merging a "
        "file again changes nothing; conflicts (same span, different note or attributes; "
        "different document status) go to the newest change and are reported.",
    )
    merge.add_argument("target", type=Path, help="project to merge into (created if new)")
    merge.add_argument("sources", nargs="+", type=Path, metavar="SOURCE", help="project files")

    agree = commands.add_parser(
        "agree",
        help="inter-annotator agreement: span F1 and Cohen's kappa per label, pair, document",
        description="Compare annotators pairwise on the documents at least two of them "
        "annotated: span F1 (exact and overlap match) and Cohen's kappa over tokens, per "
        "label, per annotator pair and per document (lowest agreement first).",
    )
    agree.add_argument("project", type=Path)
    agree.add_argument("--json", action="store_true", help="print JSON instead of tables")
    agree.add_argument(
        "--documents",
        type=int,
        default=10,
        metavar="N",
        help="documents to list in the table, lowest agreement first (default 10; 0 for all)",
    )


def _suggest_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sug = commands.add_parser(
        "suggest",
        help="propose spans (numbers, locations, sources...) for review in the window",
        description="Run the rule-based suggesters over documents and store what they propose "
        "as suggestions, not spans: they are reviewed in the window (accepted or rejected) "
        "and never exported. A rejected suggestion is not proposed again.",
    )
    sug.add_argument("project", type=Path)
    sug.add_argument(
        "--labels",
        metavar="LABELS",
        help=f"comma-separated labels to suggest (default: {','.join(DEFAULT_LABELS)}, plus any "
        "label of text already labelled in the project; 'claim' proposes whole sentences)",
    )
    sug.add_argument(
        "--status",
        default="new,in_progress",
        metavar="STATUSES",
        help="comma-separated statuses of the documents to suggest for (default: new,in_progress)",
    )
    sug.add_argument(
        "--json",
        action="store_true",
        help="print one JSON object per document: id and the suggestions awaiting review",
    )


def _labels_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    kinds = commands.add_parser(
        "relations",
        help="list the link (relation) types, or add, rename, change, move or delete one",
        description="Without an action, list the link types in the order the window offers them.",
    )
    kinds.add_argument("project", type=Path)
    kinds.add_argument("--json", action="store_true", help="print JSON instead of a table")
    kind_action = kinds.add_mutually_exclusive_group()
    kind_action.add_argument("--add", metavar="NAME", help="add a link type (one word) at the end")
    kind_action.add_argument(
        "--rename", nargs=2, metavar=("OLD", "NEW"), help="rename (existing links follow)"
    )
    kind_action.add_argument("--set", metavar="NAME", help="change a link type's description")
    kind_action.add_argument(
        "--move", nargs=2, metavar=("NAME", "POSITION"), help="move to POSITION (1 is first)"
    )
    kind_action.add_argument("--delete", metavar="NAME", help="delete a link type no link uses")
    kinds.add_argument("--description", help="with --add or --set: what the link means")

    labels = commands.add_parser(
        "labels",
        help="list the span labels of a project, or add, rename, change, move or delete one",
        description="Without an action, list the labels in toolbar order. Keys are keyboard "
        "shortcuts: one character, or an empty string for none.",
    )
    labels.add_argument("project", type=Path)
    labels.add_argument("--json", action="store_true", help="print JSON instead of a table")
    action = labels.add_mutually_exclusive_group()
    action.add_argument("--add", metavar="NAME", help="add a label at the end")
    action.add_argument("--rename", nargs=2, metavar=("OLD", "NEW"), help="rename (spans follow)")
    action.add_argument("--set", metavar="NAME", help="change a label's key, colour, description")
    action.add_argument(
        "--move", nargs=2, metavar=("NAME", "POSITION"), help="move to POSITION (1 is first)"
    )
    action.add_argument("--delete", metavar="NAME", help="delete a label no span uses")
    labels.add_argument("--key", help="with --add or --set: shortcut key ('' for none)")
    labels.add_argument("--colour", "--color", help="with --add or --set: colour as #RRGGBB")
    labels.add_argument("--description", help="with --add or --set: what the label marks")


def _guidelines_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    guide = commands.add_parser(
        "guidelines",
        help="print a project's annotation guidelines (Markdown), or replace or reset them",
        description="Without an option, print the guidelines as Markdown. They are shown in "
        "the window (F2), quoted in the label buttons' tips (a '## label' section's "
        "'Examples:') and copied into every export's dataset card.",
    )
    guide.add_argument("project", type=Path)
    action = guide.add_mutually_exclusive_group()
    action.add_argument(
        "--set",
        metavar="FILE",
        help="replace them with a UTF-8 Markdown file ('-' reads standard input)",
    )
    action.add_argument(
        "--reset", action="store_true", help="restore the guidelines a new project starts with"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = build_parser().parse_args(argv)
    command = args.command or "gui"
    try:
        if command == "gui":
            return run_gui(getattr(args, "project", None))
        handler = {
            "import": run_import,
            "export": run_export,
            "stats": run_stats,
            "labels": run_labels,
            "relations": run_relations,
            "guidelines": run_guidelines,
            "suggest": run_suggest,
            "selftest": run_selftest,
            "merge": run_merge,
            "agree": run_agree,
        }[command]
        return handler(args)
    except ProjectError as error:
        print(f"factmark: error: {error}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("factmark: interrupted; everything reported as done is saved", file=sys.stderr)
        return 130


def run_gui(project: Path | None) -> int:
    from factmark.ui.app import run

    return run(project)


def run_selftest(_args: argparse.Namespace) -> int:
    from factmark.ui.selftest import SelftestError, selftest

    try:
        print(selftest())
    except SelftestError as error:
        print(f"selftest failed: {error}", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def run_import(args: argparse.Namespace) -> int:
    from factmark.core.importing import collect_files, import_file

    files, reports = collect_files(args.paths)
    for report in reports:
        _print_report(report.lines())
    with Project.open(args.project) as project, _progress(len(files)) as step:
        for path in files:
            report = import_file(
                project, path, create_labels=args.create_labels, annotator=args.annotator
            )
            reports.append(report)
            _print_report(report.lines())
            step(path.name)
    return EXIT_FAILED if any(r.failed for r in reports) else EXIT_OK


def run_export(args: argparse.Namespace) -> int:
    from factmark.core.exporting import export
    from factmark.core.exporting.base import Selection, Split

    statuses = frozenset() if args.all else frozenset(args.status or ["done"])
    selection = Selection(
        statuses, frozenset(args.label), frozenset(args.annotator), majority=args.majority
    )
    options = {"nested": args.nested} if args.nested else {}
    if args.nested and args.format != "conll":
        print("factmark: error: --nested applies to --format conll only", file=sys.stderr)
        return EXIT_USAGE
    with Project.open_to_read(args.project) as project:
        try:
            split = Split.parse(args.split, args.seed) if args.split else None
            result = export(
                project, args.format, args.output, selection, split, options, card=not args.no_card
            )
        except ValidationError as error:
            print(f"factmark: error: {error}", file=sys.stderr)
            return EXIT_USAGE
        except OSError as error:
            print(f"factmark: error: {args.output}: {error.strerror or error}", file=sys.stderr)
            return EXIT_FAILED
        print(
            f"{args.output}: exported {result.documents} documents, {result.spans} spans, "
            f"{result.relations} relations"
        )
        if split:
            for part, counts in result.parts.items():
                print(
                    f"  {part}: {result.outputs[part]}: {counts.documents} documents, "
                    f"{counts.spans} spans"
                )
        for note in result.notes:
            print(f"note: {note}")
        if result.card:
            print(f"dataset card: {result.card}")
        if not result.documents and not args.all:
            total = project.document_count()
            print(
                f"note: only documents with status {', '.join(sorted(statuses))} are "
                f"exported and none of the {total} matched; mark documents done or "
                "use --all",
                file=sys.stderr,
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
        print(f"{title} (total {sum(rows.values())})")
        width = max((len(name) for name in rows), default=0)
        for name, count in rows.items():
            print(f"  {name:<{width}}  {count:>8}")
    return EXIT_OK


def run_relations(args: argparse.Namespace) -> int:
    changing = any(
        value is not None for value in (args.add, args.rename, args.set, args.move, args.delete)
    )
    if args.description is not None and args.add is None and args.set is None:
        return _usage_error("--description goes with --add NAME or --set NAME")
    if args.set is not None and args.description is None:
        return _usage_error("--set NAME needs --description TEXT")
    with _open_existing(args.project, changing) as project:
        try:
            done = _change_relation_types(project, args)
        except ValidationError as error:
            return _usage_error(str(error))
        rows = project.relation_type_rows()
    if args.json:
        sys.stdout.buffer.write(orjson.dumps(rows, option=orjson.OPT_INDENT_2) + b"\n")
    elif done:
        print(done)
    else:
        for row in rows:
            print(f"{row['name']:<20} {_count(row['links'], 'link'):>9}  {row['description']}")
    return EXIT_OK


def _change_relation_types(project: Project, args: argparse.Namespace) -> str:
    """Carry out the one change asked for; returns what was done ("" when listing)."""
    if args.add is not None:
        name = project.add_relation_type(args.add, args.description or "")
        return f"added link type {name!r}"
    if args.rename is not None:
        old, new = args.rename
        project.update_relation_type(old, name=new)
        links = next(r["links"] for r in project.relation_type_rows() if r["name"] == new)
        return f"renamed link type {old!r} to {new!r} ({_count(links, 'link')} renamed)"
    if args.set is not None:
        project.update_relation_type(args.set, description=args.description)
        return f"changed link type {args.set!r}"
    if args.move is not None:
        name, position = args.move
        if not position.isdigit() or int(position) < 1:
            raise ValidationError(f"POSITION must be a number from 1, not {position!r}")
        project.move_relation_type(name, int(position) - 1)
        return f"moved link type {name!r} to position {int(position)}"
    if args.delete is not None:
        project.delete_relation_type(args.delete)
        return f"deleted link type {args.delete!r}"
    return ""


def run_guidelines(args: argparse.Namespace) -> int:
    from factmark.core.guidelines import decode_guidelines, read_guidelines
    from factmark.core.resources import default_guidelines

    if args.set is None and not args.reset:
        with Project.open_to_read(args.project) as project:
            sys.stdout.write(project.guidelines())
        return EXIT_OK
    source = "<stdin>" if args.set == "-" else args.set
    try:
        if args.reset:
            text = default_guidelines()
        elif args.set == "-":
            text = decode_guidelines(sys.stdin.buffer.read())
        else:
            text = read_guidelines(Path(args.set))
    except OSError as error:
        print(f"factmark: error: {source}: {error.strerror or error}", file=sys.stderr)
        return EXIT_FAILED
    except ValidationError as error:
        print(f"factmark: error: {source}: {error}", file=sys.stderr)
        return EXIT_FAILED
    with Project.open(args.project, create=False) as project:
        project.set_guidelines(text)
    if args.reset:
        print(f"{args.project}: guidelines reset to the default")
    else:
        lines = _count(len(text.splitlines()), "line")
        print(f"{args.project}: guidelines replaced from {source} ({lines})")
    return EXIT_OK


def run_merge(args: argparse.Namespace) -> int:
    from factmark.core.merge import merge_projects

    with Project.open(args.target) as target:
        reports = merge_projects(target, args.sources)
    for report in reports:
        _print_report(report.lines())
    return EXIT_FAILED if any(r.failed for r in reports) else EXIT_OK


def run_agree(args: argparse.Namespace) -> int:
    from factmark.core.agreement import agreement

    with Project.open_to_read(args.project) as project:
        figures = agreement(project)
    if args.json:
        sys.stdout.buffer.write(orjson.dumps(figures, option=orjson.OPT_INDENT_2) + b"\n")
        return EXIT_OK
    if not figures["documents_compared"]:
        print("no document has spans by two or more annotators: nothing to compare")
        return EXIT_OK
    print(
        f"{figures['documents_compared']} documents annotated by two or more of "
        f"{len(figures['annotators'])} annotators ({', '.join(figures['annotators'])})"
    )
    header = ("exact F1", "overlap F1", "kappa")
    rows = [("overall", figures["overall"])]
    rows += [(f"label {name}", row) for name, row in figures["labels"].items()]
    rows += [(" vs ".join(p["annotators"]), p) for p in figures["pairs"]]
    shown = figures["documents"][: args.documents or None]
    rows += [(f"document {d['title'] or d['id'][:12]}", d) for d in shown]
    width = max(len(name) for name, _ in rows)
    print(f"{'':<{width}}  " + "  ".join(f"{h:>10}" for h in header))
    for number, (name, row) in enumerate(rows):
        if number in (1, 1 + len(figures["labels"]), len(rows) - len(shown)):
            print()
        cells = (row["exact_f1"], row["overlap_f1"], row["kappa"])
        print(f"{name:<{width}}  " + "  ".join(f"{_figure(v):>10}" for v in cells))
    for note in figures["notes"]:
        print(f"note: {note}")
    return EXIT_OK


def _figure(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def run_labels(args: argparse.Namespace) -> int:
    fields = {
        name: value
        for name, value in (
            ("key", args.key),
            ("colour", args.colour),
            ("description", args.description),
        )
        if value is not None
    }
    changing = any(
        value is not None for value in (args.add, args.rename, args.set, args.move, args.delete)
    )
    if fields and args.add is None and args.set is None:
        return _usage_error(f"--{next(iter(fields))} goes with --add NAME or --set NAME")
    if args.set is not None and not fields:
        return _usage_error("--set NAME needs --key, --colour or --description")
    with _open_existing(args.project, changing) as project:
        try:
            done = _change_labels(project, args, fields) if changing else ""
        except ValidationError as error:
            return _usage_error(str(error))
        if args.json:
            rows = _label_rows(project)
            sys.stdout.buffer.write(orjson.dumps(rows, option=orjson.OPT_INDENT_2) + b"\n")
        elif done:
            print(done)
        else:
            _print_labels(_label_rows(project))
    return EXIT_OK


def _change_labels(project: Project, args: argparse.Namespace, fields: dict[str, str]) -> str:
    """Apply the one change the arguments ask for; returns what was done, for the user."""
    if args.add is not None:
        label = project.add_label(args.add, **fields)
        return f"added label {label.name!r} at position {label.position + 1}"
    if args.rename is not None:
        old, new = args.rename
        label = project.update_label(old, name=new)
        spans = project.label_span_counts()[label.name]
        return f"renamed label {old!r} to {label.name!r}; {_count(spans, 'span')} follow it"
    if args.set is not None:
        label = project.update_label(args.set, **fields)
        return f"changed label {label.name!r}: " + ", ".join(
            f"{name} {getattr(label, name)!r}" for name in fields
        )
    if args.move is not None:
        name, position = args.move
        count = len(project.labels())
        if not position.isdecimal() or not 1 <= int(position) <= count:
            raise ValidationError(f"POSITION must be a number from 1 to {count}, got {position!r}")
        project.move_label(name, int(position) - 1)
        return f"moved label {name!r} to position {position}"
    project.delete_label(args.delete)
    return f"deleted label {args.delete!r}"


def run_suggest(args: argparse.Namespace) -> int:
    from factmark.core.suggest import suggest

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
        learned = project.span_texts()
        total = 0
        for listed in project.documents():
            if listed.status not in statuses:
                continue
            document = project.document(listed.id or 0)
            language = str(document.meta.get("lang") or document.meta.get("language") or "en")
            proposals = [
                proposal
                for proposal in suggest(
                    document.text, labels=labels, project_spans=learned, language=language
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
                print(f"{name}: {_count(added, 'new suggestion')}, {len(pending)} awaiting review")
        if not args.json:
            print(f"{_count(total, 'new suggestion')} stored for review")
    return EXIT_OK


def _open_existing(path: Path, changing: bool) -> Project:
    """An existing project, opened for writing only when the command changes it."""
    return Project.open(path, create=False) if changing else Project.open_to_read(path)


def _comma_list(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _label_rows(project: Project) -> list[dict[str, str | int]]:
    counts = project.label_span_counts()
    return [
        {
            "name": label.name,
            "key": label.key,
            "colour": label.colour,
            "description": label.description,
            "spans": counts[label.name],
        }
        for label in project.labels()
    ]


def _print_labels(rows: list[dict[str, str | int]]) -> None:
    """Labels as an aligned table in toolbar order, the free-text description last."""
    header = ("#", "key", "name", "colour", "spans", "description")
    lines = [header] + [
        (
            str(number),
            str(row["key"]) or "-",
            str(row["name"]),
            str(row["colour"]),
            str(row["spans"]),
            " ".join(str(row["description"]).split()),
        )
        for number, row in enumerate(rows, 1)
    ]
    widths = [max(len(line[column]) for line in lines) for column in range(len(header) - 1)]
    for line in lines:
        cells = [
            cell.rjust(width) if column in (0, 4) else cell.ljust(width)
            for column, (cell, width) in enumerate(zip(line[:-1], widths, strict=True))
        ]
        print("  ".join([*cells, line[-1]]).rstrip())


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _usage_error(message: str) -> int:
    print(f"factmark: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def _print_report(lines: list[str]) -> None:
    for line in lines:
        print(line, file=sys.stderr if ": error: " in line else sys.stdout)


@contextmanager
def _progress(total: int) -> Iterator[Callable[[str], None]]:
    """A progress bar (rich) on a terminal; nothing extra when output is redirected.

    Report lines printed while the bar shows appear above it.
    """
    if not (sys.stderr.isatty() and total > 1):
        yield lambda name: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    columns = (
        TextColumn("importing"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
    )
    # Report lines meant for a pipe must reach the pipe, not the terminal the bar is on.
    with Progress(
        *columns,
        console=Console(stderr=True),
        transient=True,
        redirect_stdout=sys.stdout.isatty(),
    ) as bar:
        task = bar.add_task("", total=total)
        yield lambda name: bar.update(task, advance=1, description=name)
