"""The ``factmark`` command (also ``python -m factmark``).

Exit codes: 0 success, 1 when some input failed (the rest was done), 2 usage errors
(an output refused because it would replace a project or a file is one: choose another
name). A closed standard output (``factmark stats P | head -3``) ends a command with 1 and
no message.
"""

from __future__ import annotations

import errno
import gc
import os
import sys
from collections.abc import Callable, Sequence
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

    from factmark.cli.parser import build_parser

__all__ = ["build_parser", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) == 2 and args[0] in _PARTS:
        # A second process of a large export or agreement (factmark.core.two_processes):
        # not a command anyone types, so not in the parser.
        module, name = _PARTS[args[0]]
        run: Callable[[str], int] = getattr(import_module(module), name)
        return run(args[1])
    window = _window_only(args)
    if window is not None:
        # Starting makes no garbage worth a look, but Python's cyclic collector would scan
        # the objects made by the modules of the core and the window and by Qt's
        # enumerations some 70 times over (about 4% of the start's processor time): it
        # waits until the window shows (factmark.ui.app.run then sets what start-up made
        # aside and turns it back on). The core is imported here, not with this module,
        # for that reason.
        gc.disable()
    try:
        code = _run(argv, window)
        sys.stdout.flush()  # a reader gone away shows here, where it can be handled
    except BrokenPipeError:
        # `factmark stats P | head -3`: the reader has stopped reading, and wants no
        # more. As Python's documentation advises (the signal module's note on SIGPIPE):
        # what is still buffered goes nowhere, so that Python's own flush at exit does not
        # fail again, and the exit code is 1, no message.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    finally:
        gc.enable()  # also when the window never showed
    return code


def _run(argv: Sequence[str] | None, window: tuple[str | None] | None) -> int:
    from factmark.cli.common import _failed, _say, _usage_error, long_path, project_argument
    from factmark.core.project import ProjectError
    from factmark.core.source_files import too_long_line

    try:
        if window is not None:
            return run_gui(None if window[0] is None else project_argument(window[0]))
        from factmark.cli.parser import build_parser

        args = build_parser().parse_args(argv)
        too_long = long_path(args)
        if too_long is not None:
            return _usage_error(too_long_line(too_long))
        command = args.command or "gui"
        if command == "gui":
            return run_gui(getattr(args, "project", None))
        return _handler(command)(args)
    except ProjectError as error:
        return _failed(str(error))
    except OSError as error:
        if error.errno != errno.ENAMETOOLONG:
            raise
        # A name built from another (a backup's, a -wal file's) can pass the limit too.
        return _usage_error(too_long_line(error.filename or ""))
    except KeyboardInterrupt:
        _say("factmark: interrupted; everything reported as done is saved", err=True)
        return 130


def _window_only(args: list[str]) -> tuple[str | None] | None:
    """``factmark``, ``factmark gui``, ``factmark gui PROJECT`` (no option) and
    ``factmark PROJECT.factmark`` (a project file named alone, as a user types it to open
    it): the project argument (None for none), read without building the parser of every
    command (the window starts sooner); None for any other command line."""
    if args in ([], ["gui"]):
        return (None,)
    if len(args) == 1 and args[0].lower().endswith(".factmark") and not args[0].startswith("-"):
        return (args[0],)
    if len(args) == 2 and args[0] == "gui" and not args[1].startswith("-"):
        return (args[1],)
    return None


def __getattr__(name: str) -> object:
    if name == "build_parser":  # factmark.cli.build_parser, imported when asked for
        from factmark.cli.parser import build_parser

        return build_parser
    raise AttributeError(name)


# The hidden command of each second process (its COMMAND) and its module and function.
_PARTS = {
    "_export-part": ("factmark.core.exporting.second_process", "run"),
    "_agree-part": ("factmark.core.agreement", "run_second_part"),
    "_agree-list": ("factmark.core.agreement_listing", "run_second_part"),
    "_spacy-part": ("factmark.core.exporting.spacy_docbin", "run"),
}

# Each command's module (in factmark.cli) and function.
_COMMANDS = {
    "import": ("corpus", "run_import"),
    "export": ("corpus", "run_export"),
    "stats": ("corpus", "run_stats"),
    "labels": ("project_setup", "run_labels"),
    "relations": ("project_setup", "run_relations"),
    "guidelines": ("project_setup", "run_guidelines"),
    "suggest": ("suggest", "run_suggest"),
    "merge": ("teams", "run_merge"),
    "copy": ("teams", "run_copy"),
    "agree": ("teams", "run_agree"),
    "preferences": ("preferences", "run_preferences"),
    "archive": ("archive", "run_archive"),
    "match": ("archive", "run_match"),
}


def _handler(command: str) -> Callable[[argparse.Namespace], int]:
    """The function that runs *command* (any but gui).

    The command's own module is imported here, once the command line is parsed, and each
    command imports the core modules it needs itself, so that `factmark` (the window)
    starts without the importers, the exporters' machinery and the merger, and a command
    without the others' (the suggesters, the archive's matching). The bundle holds every
    module of factmark (build.spec), so that it finds them too.
    """
    if command == "selftest":
        return run_selftest
    module, name = _COMMANDS[command]
    found: Callable[[argparse.Namespace], int] = getattr(
        import_module(f"factmark.cli.{module}"), name
    )
    return found


def run_gui(project: Path | None) -> int:
    from factmark.ui.app import run

    # None: the last project used. "factmark gui default" names the default project (seeded
    # when new, as at a first start), whichever project was used last.
    return run(project)


def run_selftest(_args: argparse.Namespace) -> int:
    from factmark.cli.common import EXIT_FAILED, EXIT_OK, _say
    from factmark.ui.selftest import SelftestError, selftest

    try:
        _say(selftest())
    except SelftestError as error:
        _say(f"selftest failed: {error}", err=True)
        return EXIT_FAILED
    return EXIT_OK
