"""What every reader yields, and the offsets-preserving text normalisation."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from factmark.core.incoming import IncomingDocument, IncomingSpan
from factmark.core.model import ValidationError

if TYPE_CHECKING:
    from json import JSONDecodeError  # what orjson's JSONDecodeError derives from

MAX_TITLE = 100
#: Significant digits past which a number written in a file is refused as too large: no
#: offset or id a file can rightly carry has more, and Python itself refuses to turn text
#: of over 4,300 digits into a number (a ValueError no reader expects).
MAX_DIGITS = 18


@dataclass(frozen=True)
class Item:
    """One document read from a file, or the error of one line of it.

    ``line`` is the 1-based line number for line-oriented formats (JSONL), else None;
    ``note`` is something worth telling the user (e.g. the encoding detected).
    """

    line: int | None
    document: IncomingDocument | ValidationError
    note: str | None = None


def whole_number(digits: str, what: str) -> int:
    """The number ``digits`` (digits only, as the caller's pattern matched) writes;
    ValidationError naming ``what`` (e.g. "offset") past :data:`MAX_DIGITS` significant
    digits."""
    significant = digits.lstrip("0")
    if len(significant) > MAX_DIGITS:
        raise ValidationError(
            f"{what} {significant[:12]}… is a number too large ({len(significant):,} digits)"
        )
    return int(significant or "0")


def json_refusal(error: JSONDecodeError, *, lines: bool = True) -> str:
    """Why orjson refused a JSON text, as a report says it: its reason without its place,
    ``not valid JSON (unexpected character)``; but a number past what a double holds
    (orjson reads a number too long for 64 bits as one) is valid JSON: ``a number too
    large (line 1, column 9)`` (``lines`` False: only the column, the text being one
    line of a file the report numbers)."""
    if error.msg.startswith("number is infinity"):
        where = f"line {error.lineno}, column {error.colno}" if lines else f"column {error.colno}"
        return f"a number too large ({where})"
    return f"not valid JSON ({str(error).split(':')[0]})"


def title_from(text: str, path: Path) -> str:
    """A title for a document: its first line when short enough, else the file name."""
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return line if len(line) <= MAX_TITLE else title_from_name(path)
    return title_from_name(path)


def title_from_name(path: Path) -> str:
    """``bakhmut-counterattack.txt`` -> ``Bakhmut counterattack``."""
    words = path.stem.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:] if words else path.name


def normalise_document(document: IncomingDocument) -> IncomingDocument:
    """Apply the offsets rule to a document read from a file.

    The BOM is dropped and ``\\r\\n`` / ``\\r`` become ``\\n``; span offsets given
    over the original text move with the characters they point at. Every leading
    U+FEFF counts as a BOM, so that stored text is already normalised and an
    export imports back unchanged.
    """
    text = document.text
    if "\r" not in text and not text.startswith("\ufeff"):
        return document
    bom = len(text) - len(text.lstrip("\ufeff"))
    removed = list(range(bom))
    removed += [
        i
        for i, char in enumerate(text)
        if char == "\r" and i + 1 < len(text) and text[i + 1] == "\n"
    ]

    def moved(offset: int) -> int:
        if not isinstance(offset, int) or isinstance(offset, bool):
            raise ValidationError(f"span offsets must be integers, got {offset!r}")
        return offset - bisect_left(removed, offset)

    new_text = text[bom:].replace("\r\n", "\n").replace("\r", "\n")
    spans = [_move(span, moved) for span in document.spans]
    return replace(document, text=new_text, spans=spans)


def _move(span: IncomingSpan, moved: Callable[[int], int]) -> IncomingSpan:
    start, end = moved(span.start), moved(span.end)
    text = span.text
    if isinstance(text, str):  # anything else is refused later, with the span's offsets
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return replace(span, start=start, end=end, text=text)


def noted(items: Iterator[Item], note: Callable[[], str | None]) -> Iterator[Item]:
    """``items`` as they come, the last one also carrying ``note()``: what a reader
    tells about the whole file (e.g. what it left out, with counts), known only at
    the end."""
    previous: Item | None = None
    for item in items:
        if previous is not None:
            yield previous
        previous = item
    if previous is None:
        return
    told = note()
    if told:
        previous = replace(previous, note=f"{previous.note}, {told}" if previous.note else told)
    yield previous
