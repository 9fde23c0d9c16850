"""The argument parser of the ``factmark`` command: one sub-parser a command."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path

from factmark import __version__
from factmark.cli.common import DEFAULT_NAME, project_argument
from factmark.core.model import DEFAULT_SUGGESTIONS, STATUSES
from factmark.core.workspace import default_project_path

__all__ = ["DEFAULT_NAME", "build_parser", "project_argument"]


def _project_help(what: str = "the project") -> str:
    return (
        f"{what}: a .factmark file, or '{DEFAULT_NAME}' for the default project "
        f"({default_project_path()})"
    )


def _add_project(parser: argparse.ArgumentParser, what: str = "the project") -> None:
    parser.add_argument(
        "project", type=project_argument, metavar="PROJECT", help=_project_help(what)
    )


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
        epilog=f"The default project, which the window opens when no project is named, is "
        f"{default_project_path()}; every command's PROJECT may be written "
        f"'{DEFAULT_NAME}' for it (e.g. factmark export {DEFAULT_NAME} -o corpus.jsonl).",
    )
    parser.add_argument("--version", action="version", version=f"factmark {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    gui = commands.add_parser("gui", help="open the annotation window (the default)")
    gui.add_argument(
        "project",
        nargs="?",
        type=project_argument,
        metavar="PROJECT",
        help=_project_help("the project to open (none: the one used last)"),
    )

    imp = commands.add_parser("import", help="import articles into a project (created if new)")
    _add_project(imp, "the project to import into (created if new)")
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
    imp.add_argument(
        "--annotator",
        metavar="NAME",
        help="annotator recorded for imported spans that name none (default: none, as when "
        "importing in the window)",
    )
    imp.add_argument(
        "--lang",
        metavar="CODE",
        help="the language of the imported documents that say none (a language tag such as "
        "zh or pt-BR, or an English name such as Chinese), kept as their meta.lang: the "
        "spaCy export tokenises by it",
    )

    exp = commands.add_parser("export", help="export annotations as a training corpus")
    _add_project(exp, "the project to export")
    exp.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        help="output file (a folder for brat); '-' writes jsonl, doccano, labelstudio, conll, "
        "attribution, sentences or claimreview to standard output, without a dataset card "
        "(reports go to stderr)",
    )
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
        "--annotator",
        action="append",
        default=[],
        help="only spans by this annotator (repeatable); gold alone: the adjudicated "
        "documents only",
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
        "--min-per-part",
        type=int,
        default=0,
        metavar="N",
        help="with --split: refuse the export (nothing written) when a part would get fewer "
        "than N documents; without it an empty part is written and warned about",
    )
    exp.add_argument(
        "--split-by",
        metavar="meta.FIELD",
        help="with --split: keep documents sharing this metadata field's value in one part "
        "(e.g. meta.outlet), for evaluating on outlets or topics never seen in training; a "
        "document without the field is a group of its own",
    )
    exp.add_argument(
        "--pseudonymise",
        choices=("annotators",),
        help="replace annotator names with stable pseudonyms (annotator-<hex>, the same in "
        "every export of the project) in every file and the dataset card",
    )
    exp.add_argument(
        "--nested",
        choices=("outermost", "innermost", "per-label"),
        help="conll only: which of nested spans BIO keeps (default outermost), or one file "
        "per label",
    )
    exp.add_argument(
        "--sentences-scheme",
        choices=("checkthat", "claimbuster"),
        help="sentences only: CheckThat! TSV with Yes/No (default) or ClaimBuster JSONL with "
        "CFS/UFS/NFS",
    )
    exp.add_argument(
        "--no-card", action="store_true", help="do not write the README.md dataset card"
    )

    commands.add_parser(
        "selftest",
        help="open the window offscreen, label a span in the seed article, export, check",
    )

    stats = commands.add_parser("stats", help="documents by status, spans by label and annotator")
    _add_project(stats)
    stats.add_argument("--json", action="store_true", help="print JSON instead of a table")

    _labels_parser(commands)
    _guidelines_parser(commands)
    _suggest_parser(commands)
    _team_parsers(commands)
    _preferences_parser(commands)
    from factmark.cli.archive_args import add_archive_parsers

    add_archive_parsers(commands)
    return parser


def _preferences_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    prefs = commands.add_parser(
        "preferences",
        help="show or change the preferences the window uses (annotator name, switches)",
        description="Print the preferences file's path and the current values, one per "
        "line, after setting those given. The window reads the same file: the annotator "
        "set here is the one recorded on the spans made in the window.",
    )
    prefs.add_argument("--annotator", metavar="NAME", help="annotator name recorded on new spans")
    prefs.add_argument(
        "--snap", metavar="on|off", help="widen selections to whole words before labelling"
    )
    prefs.add_argument(
        "--suggest-on-open",
        metavar="on|off",
        help="compute suggestions when a document is opened in the window",
    )


def _team_parsers(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    merge = commands.add_parser(
        "merge",
        help="merge annotators' copies of a project into one (documents matched by text)",
        description="Add each source's documents, spans and relations to TARGET, one "
        "transaction per source. Each annotator's spans are kept side by side; merging a "
        "file again changes nothing. A copy made by 'factmark copy' (or File > Export "
        "project for annotator) remembers its base, so its added, changed and deleted spans, "
        "links and attributes are applied, and an edit made both here and in the copy is a "
        "conflict queued for review (F7 in the window; list them with --conflicts). A copy "
        "without a base (older Factmark) only adds and updates (conflicts to the newest change). A "
        "source is only read, and every row of it is checked first: a source holding rows "
        "that break a project's rules is refused whole, one line per row (exit 1).",
    )
    merge.add_argument(
        "target",
        type=project_argument,
        metavar="TARGET",
        help=_project_help("the project to merge into (created if new)"),
    )
    merge.add_argument(
        "sources",
        nargs="*",
        type=project_argument,
        metavar="SOURCE",
        help=f"the annotators' copies: .factmark files ('{DEFAULT_NAME}': the default project)",
    )
    merge.add_argument(
        "--skip-invalid",
        action="store_true",
        help="merge the valid rows of a source holding rows that break a project's rules, "
        "and list what was left out (without it such a source is refused whole)",
    )
    merge.add_argument(
        "--conflicts",
        action="store_true",
        help="list the conflicts of TARGET waiting in the review queue; merges nothing "
        "(give no SOURCE)",
    )

    copy = commands.add_parser(
        "copy",
        help="copy a project for an annotator, remembering its base for three-way merges",
        description="Write COPY, a copy of PROJECT for an annotator to work on offline, as "
        "File > Export project for annotator does: it records what it holds (its base), so "
        "that merging it back applies the spans, links and attributes the annotator added, "
        "changed or deleted.",
    )
    _add_project(copy)
    copy.add_argument(
        "copy",
        type=Path,
        metavar="COPY",
        help="the copy to write (.factmark): a new file; an existing one is never replaced",
    )
    copy.add_argument("--annotator", metavar="NAME", help="the annotator the copy is for")

    agree = commands.add_parser(
        "agree",
        help="inter-annotator agreement: unitizing alpha, span F1, kappa, links, attributes",
        description="Compare annotators on the documents at least two of them annotated: "
        "Krippendorff's unitizing alpha per label and overall (u, bu, cu and the 2004 "
        "figure INCEpTION shows, with unit counts), span F1 (exact and overlap match) and "
        "Cohen's kappa over tokens per label, annotator pair and document (lowest first), "
        "link F1 per type, kappa or alpha on each span attribute, and the disagreements "
        "behind each figure (--json carries all of it).",
    )
    _add_project(agree)
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
    _add_project(sug)
    sug.add_argument(
        "--labels",
        metavar="LABELS",
        help="comma-separated labels to suggest (default: "
        f"{','.join(DEFAULT_SUGGESTIONS)}, plus any label of text already labelled in the "
        "project; 'claim' proposes whole sentences)",
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
    _add_project(kinds)
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
    _add_project(labels)
    labels.add_argument("--json", action="store_true", help="print JSON instead of a table")
    action = labels.add_mutually_exclusive_group()
    action.add_argument("--add", metavar="NAME", help="add a label at the end")
    action.add_argument("--rename", nargs=2, metavar=("OLD", "NEW"), help="rename (spans follow)")
    action.add_argument("--set", metavar="NAME", help="change a label's key, colour, description")
    action.add_argument(
        "--move", nargs=2, metavar=("NAME", "POSITION"), help="move to POSITION (1 is first)"
    )
    action.add_argument("--delete", metavar="NAME", help="delete a label no span uses")
    action.add_argument(
        "--cues",
        choices=("on", "off"),
        help="mark cues (the reporting verb: said, according to): 'on' adds the label 'cue' "
        "(a free key and colour) and the link type 'cue_of' (cue -> claim); 'off' removes "
        "both while nothing uses them",
    )
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
    _add_project(guide)
    action = guide.add_mutually_exclusive_group()
    action.add_argument(
        "--set",
        metavar="FILE",
        help="replace them with a UTF-8 Markdown file ('-' reads standard input)",
    )
    action.add_argument(
        "--reset", action="store_true", help="restore the guidelines a new project starts with"
    )
