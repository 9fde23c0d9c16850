"""Files from outside, read with care: only regular files, and never more than a bound.

A path a user names can be anything the file system holds: a link to ``/dev/zero``
or ``/dev/urandom`` (endless bytes: reading it whole fills the memory), a named pipe
(opening it waits for a writer that may never come), a socket or a folder. Every
place that reads a file from outside (an article, a corpus, an archive file, the
guidelines, a colleague's copy of a project) asks :func:`not_regular` first, with
``os.stat`` (which follows links and never opens the file), and reads through
:func:`read_bounded`, which stops one byte past its limit however large the file
says it is or grows while being read.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from factmark.core.model import ValidationError

_MB = 1024 * 1024
#: The text of one document (a .txt, .md or .html file, a .docx's text, one JSONL
#: line): far beyond any article (a long one is under 200 KB), well below what
#: would make the window slow.
MAX_DOCUMENT = 20 * _MB
#: A saved web page, scripts and inline images included (its text is a document).
MAX_PAGE = 32 * _MB
#: The guidelines: a long handbook in Markdown is a few hundred KB.
MAX_GUIDELINES = 4 * _MB


#: The longest name of one file or folder, in bytes (Linux and macOS file systems), and
#: of a whole path.
NAME_MAX = 255
PATH_MAX = 4096
_SHOWN = 60  # characters of a name too long shown in a message, its start and its end


def name_too_long(path: Path | str) -> bool:
    """Whether no file system could hold ``path``: a part of it longer than
    :data:`NAME_MAX` bytes, or the whole longer than :data:`PATH_MAX`. Checked before
    the name is used, where ``Path.exists()`` would raise OSError (ENAMETOOLONG)."""
    name = os.fsencode(path)
    return len(name) >= PATH_MAX or any(len(part) > NAME_MAX for part in name.split(b"/"))


def too_long_line(path: Path | str) -> str:
    """``aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…aaaaaaaaaaaaaaaaaaaa.txt: name too long (...)``: the
    message for such a name, the name shortened to its start and end."""
    return f"{short_name(path)}: {TOO_LONG}"


TOO_LONG = f"name too long (a file or folder name is at most {NAME_MAX} bytes)"


def short_name(path: Path | str) -> str:
    """``path`` as text, its middle left out (``…``) when longer than 60 characters."""
    text = os.fsdecode(path)
    if len(text) <= _SHOWN:
        return text
    return f"{text[: _SHOWN // 2]}…{text[-(_SHOWN // 2 - 10) :]}"


def not_regular(path: Path | str) -> str | None:
    """Why ``path`` is not a regular file (``"a device"``, ``"a named pipe"``, ``"a
    folder"``, ``"a socket"``, with the target when a link leads there), or None for a
    regular file and for a path that does not exist (the caller's reading says so).

    Raises OSError only for what stopping at the name itself raises (a name too long)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return None
    except OSError as error:
        if error.errno == errno.ENAMETOOLONG:
            raise
        return None  # a loop of links, no permission...: the reading says so in its words
    if stat.S_ISREG(mode):
        return None
    kind = (
        "a device"
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
        else "a named pipe"
        if stat.S_ISFIFO(mode)
        else "a folder"
        if stat.S_ISDIR(mode)
        else "a socket"
        if stat.S_ISSOCK(mode)
        else "not a file"
    )
    if os.path.islink(path):
        kind += f": a link to {os.path.realpath(path)}"
    return kind


def check_regular(path: Path | str) -> None:
    """Raise ValidationError ``not a regular file (a device: a link to /dev/zero)``
    unless ``path`` is a regular file (or does not exist)."""
    kind = not_regular(path)
    if kind is not None:
        raise ValidationError(f"not a regular file ({kind}); nothing was read")


def read_bounded(path: Path, limit: int, what: str = "a document") -> bytes:
    """The bytes of the regular file ``path``, refused (ValidationError) when it is not
    a regular file or holds more than ``limit`` bytes, before anything is read when its
    size says so, else after ``limit + 1`` bytes. OSError when it cannot be read."""
    check_regular(path)
    with open(path, "rb") as file:
        size = os.fstat(file.fileno()).st_size
        if size > limit:
            raise ValidationError(too_large(size, limit, what))
        data = file.read(limit + 1)
    if len(data) > limit:  # it grew while being read
        raise ValidationError(too_large(len(data), limit, what))
    return data


def too_large(size: int, limit: int, what: str) -> str:
    """``45 MB: over the 20 MB limit for a document; nothing of it was read``."""
    return (
        f"{_megabytes(size)}: over the {limit // _MB} MB limit for {what}; nothing of it was read"
    )


def _megabytes(size: int) -> str:
    return f"{size / _MB:,.0f} MB" if size >= _MB else f"{size:,} bytes"
