"""What the commands share: exit codes, messages, reports and the progress bar.

Every line the commands print goes through :func:`_say` (or the helpers here that
call it), which escapes control and bidi characters in it (see core/safe_text.py):
names from data can neither drive the terminal nor forge report lines.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from factmark.core.project import Project
from factmark.core.safe_text import printable
from factmark.core.source_files import name_too_long
from factmark.core.workspace import default_project_path

if TYPE_CHECKING:
    import argparse

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
DEFAULT_NAME = "default"  # as a PROJECT argument: the default project, wherever it lives


def project_argument(value: str) -> Path:
    """A PROJECT argument as a path: ``default`` is the default project (the one the
    window opens when none is named); ``./default`` names a file called default."""
    return default_project_path() if value == DEFAULT_NAME else Path(value)


def long_path(args: argparse.Namespace) -> Path | str | None:
    """The first path the command line names (a project, an output, a copy, the
    guidelines to set) that no file system could hold, or None. The files to import or
    add to the archive are not among them: each is reported in its turn."""
    for key, value in vars(args).items():
        if key in _REPORTED_ONE_BY_ONE:
            continue
        for item in value if isinstance(value, list) else [value]:
            named = isinstance(item, Path) or (key == "set" and isinstance(item, str))
            if named and name_too_long(item):
                return item
    return None


_REPORTED_ONE_BY_ONE = frozenset({"paths", "files"})


def _say(line: object = "", *, err: bool = False) -> None:
    """Print one line (stdout, or stderr when ``err``), its unsafe characters escaped."""
    print(printable(line), file=sys.stderr if err else sys.stdout)


def _usage_error(message: str) -> int:
    _say(f"factmark: error: {message}", err=True)
    return EXIT_USAGE


def _failed(message: str) -> int:
    """Say why a command failed (one line on stderr); returns the exit code for it."""
    _say(f"factmark: error: {message}", err=True)
    return EXIT_FAILED


def _print_report(lines: list[str]) -> None:
    for line in lines:
        _say(line, err=": error: " in line)


@contextmanager
def _progress(total: int) -> Iterator[Callable[[str], None]]:
    """A progress bar (rich) on a terminal; nothing extra when output is redirected.

    Report lines printed while the bar shows appear above it.
    """
    if not (sys.stderr.isatty() and total > 1):
        yield lambda name: None
        return
    from rich.console import Console
    from rich.markup import escape
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
        # A file name is text, not rich markup ("[link=...]" stays as it is).
        yield lambda name: bar.update(task, advance=1, description=escape(printable(name)))


def _open_existing(path: Path, changing: bool) -> Project:
    """An existing project, opened for writing only when the command changes it."""
    return Project.open(path, create=False) if changing else Project.open_to_read(path)
