"""The commands that set a project up: ``labels``, ``relations`` and ``guidelines``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import orjson

from factmark.cli.common import EXIT_OK, _failed, _open_existing, _say, _usage_error
from factmark.core.model import ValidationError
from factmark.core.project import Project
from factmark.core.safe_text import BIDI_CONTROLS, printable
from factmark.core.text import counted


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
        value is not None
        for value in (args.add, args.rename, args.set, args.move, args.delete, args.cues)
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
            _say(done)
        else:
            _print_labels(_label_rows(project))
    return EXIT_OK


def _change_labels(project: Project, args: argparse.Namespace, fields: dict[str, str]) -> str:
    """Apply the one change the arguments ask for; returns what was done, for the user."""
    if args.cues is not None:
        return _switch_cues(project, args.cues == "on")
    if args.add is not None:
        label = project.add_label(args.add, **fields)
        return f"added label {label.name!r} at position {label.position + 1}"
    if args.rename is not None:
        old, new = args.rename
        label = project.update_label(old, name=new)
        spans = project.label_span_counts()[label.name]
        return f"renamed label {old!r} to {label.name!r}; {counted(spans, 'span')} follow it"
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


def _switch_cues(project: Project, on: bool) -> str:
    """Turn cue marking on or off (see core.cues); says what changed."""
    from factmark.core.cues import CUE, CUE_OF, turn_cues_off, turn_cues_on

    operation = turn_cues_on(project) if on else turn_cues_off(project)
    if operation is None:
        return f"cues are {'on' if on else 'off'} already"
    operation.apply(project)
    if not on:
        return f"cues off: removed the label {CUE!r} and the link type {CUE_OF!r}"
    cue = next(label for label in project.labels() if label.name == CUE)
    key = f"key {cue.key}" if cue.key else "no key"
    return f"cues on: label {CUE!r} ({key}, {cue.colour}) and link type {CUE_OF!r} (cue -> claim)"


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
    # Cells escaped before they are measured (a project from before the rules may
    # hold control or bidi characters), so that the columns line up.
    lines = [header] + [
        (
            str(number),
            printable(row["key"]) or "-",
            printable(row["name"]),
            printable(row["colour"]),
            str(row["spans"]),
            printable(" ".join(str(row["description"]).split())),
        )
        for number, row in enumerate(rows, 1)
    ]
    widths = [max(len(line[column]) for line in lines) for column in range(len(header) - 1)]
    for line in lines:
        cells = [
            cell.rjust(width) if column in (0, 4) else cell.ljust(width)
            for column, (cell, width) in enumerate(zip(line[:-1], widths, strict=True))
        ]
        _say("  ".join([*cells, line[-1]]).rstrip())


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
        _say(done)
    else:
        for row in rows:
            name = printable(row["name"])
            _say(f"{name:<20} {counted(row['links'], 'link'):>9}  {row['description']}")
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
        return f"renamed link type {old!r} to {new!r} ({counted(links, 'link')} renamed)"
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
            text = project.guidelines()
        if sys.stdout.isatty():
            # On a terminal, control characters (escape sequences) are shown, not run;
            # line breaks, tabs and the bidi marks of right-to-left text are the document's.
            text = printable(text, keep="\n\t" + "".join(BIDI_CONTROLS))
        sys.stdout.write(text)
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
        return _failed(f"{source}: {error.strerror or error}")
    except ValidationError as error:
        return _failed(f"{source}: {error}")
    with Project.open(args.project, create=False) as project:
        project.set_guidelines(text)
    if args.reset:
        _say(f"{args.project}: guidelines reset to the default")
    else:
        lines = counted(len(text.splitlines()), "line")
        _say(f"{args.project}: guidelines replaced from {source} ({lines})")
    return EXIT_OK
