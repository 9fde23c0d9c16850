"""brat standoff: ``NAME.ann`` with its ``NAME.txt`` beside it, one document per pair.

The ``.ann`` lines are read as brat's own reader (``server/src/annotation.py``) reads them:

- ``T1<TAB>label START END[;START END...]<TAB>text``: a span. Fragments whose gaps hold
  only line breaks (how brat, and Factmark's brat export, write a span across a line
  break) give back the one span; fragments farther apart give one span covering the gap
  (one brat annotation stays one Factmark span), which the report counts. The text field
  is a check: it must be the fragments' text joined by one space, as brat requires.
- ``R1<TAB>type Arg1:T1 Arg2:T2``: a link from the first argument to the second.
- ``A1<TAB>Name T1 [Value]`` and the older ``M1<TAB>Name T1``: a span attribute (``True``
  without a value, else the value as text).
- ``#1<TAB>AnnotatorNotes T1<TAB>note``: the span's note; ``AnnotatorNotes R1``: the
  link's note.
- ``E`` (events), ``N`` (normalisations), ``*`` (equivalences), and attributes on anything
  but a span or notes on anything but a span or a link, have no place in Factmark: the
  report counts them.

A line that cannot be read is that line's error (file and line number); the rest of the
file still imports. Offsets are code points of the ``.txt`` as brat reads it (strict UTF-8,
``\\r\\n`` two characters, a BOM one); they move with the text when it is stored (BOM
dropped, ``\\r\\n`` made ``\\n``). When the text fields show that a file counted offsets
otherwise, in UTF-16 code units (as INCEpTION does) or over ``\\r\\n`` taken as one
character, that reading is used and the report says so.

Label, link and attribute names are brat's type names. In a folder Factmark exported,
``visual.conf`` gives the original of each name the export had to change
(``claim_type | claim type``), and that original is used. With ``--create-labels`` the
entity and relation types of ``annotation.conf`` (in the ``.ann`` file's folder or the
nearest parent folder holding one, as brat looks it up) are added even when unused.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

from factmark.core.importing.base import Item, title_from, whole_number
from factmark.core.incoming import IncomingDocument, IncomingRelation, IncomingSpan
from factmark.core.model import ValidationError
from factmark.core.safe_text import printable
from factmark.core.source_files import not_regular, read_bounded

SUFFIXES = (".ann",)
MAX_BYTES = 32 * 1024 * 1024  # a .txt or .ann larger than this is not a brat document
_CONF_BYTES = 1024 * 1024
_CONF_LEVELS = 5  # how far up annotation.conf is looked for
_SEP = " "  # brat's DISCONT_SEP: fragment texts are joined by one space
_ID = re.compile(r"(?:[A-Za-z]+|#[A-Za-z]*)[0-9]+.*")
_OFFSETS = re.compile(r"(\S+) (\d+ \d+(?:;\d+ \d+)*)[ \t]*")
_FACTMARK_VISUAL = "# brat display configuration written by Factmark"
# What str.splitlines() splits at, as the brat export does: gaps of these only are line breaks.
_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
_UNKEPT = {"E": "event", "N": "normalisation", "*": "equivalence"}
# What Factmark's brat export writes for each whitespace character of an attribute value
# (exporting.brat: annotation.conf cannot list a value holding a space).
_SPACE = re.compile(r"\s")
_SPACE_WRITTEN = "_"


def annotations_of(txt: Path) -> Path | None:
    """The ``.ann`` file beside a ``.txt`` file, if there is one (then the pair is a brat
    document and the ``.txt`` alone is not imported)."""
    if txt.suffix.lower() != ".txt":
        return None
    ann = txt.with_suffix(".ann")
    return ann if ann.is_file() else None


def read(
    path: Path, definitions: Mapping[str, list[dict[str, Any]]] | None = None
) -> Iterator[Item]:
    """The document of a ``.ann`` file (or of a ``.txt`` with one beside it): an item for
    each line that could not be read, then the document with everything else.

    ``definitions`` are the attribute definitions of the project the file goes into (by
    label, as ``Project.attribute_definitions`` gives them): a value brat could only hold
    with ``_`` for its spaces is read back as the defined value it stands for (see
    :func:`spelled_back`)."""
    ann_path = path if path.suffix.lower() != ".txt" else path.with_suffix(".ann")
    txt_path = ann_path.with_suffix(".txt")
    kind = not_regular(txt_path)
    if kind is not None:
        raise ValidationError(
            f"{printable(txt_path.name)} beside it is not a regular file ({kind}); nothing was read"
        )
    if not txt_path.is_file():
        raise ValidationError(
            f"no {printable(txt_path.name)} beside it: a brat .ann file needs its text file"
        )
    text = _read_utf8(txt_path)
    lines = _read_utf8(ann_path).removeprefix("\ufeff").splitlines()
    names = _original_names(ann_path.parent)
    parsed = _Parsed(text, txt_path.name)
    errors: list[tuple[int, ValidationError]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            parsed.line(number, line)
        except ValidationError as error:
            errors.append((number, error))
    errors += parsed.resolve()
    for number, problem in sorted(errors, key=lambda pair: pair[0]):
        yield Item(number, problem)
    spans = [
        IncomingSpan(
            span.start,
            span.end,
            names.get(span.label, span.label),
            note="\n".join(span.notes) or None,
            attrs={names.get(k, k): v for k, v in span.attrs.items()},
            ref=span.tid,
            text=text[span.start : span.end],
        )
        for span in parsed.spans.values()
    ]
    relations = [
        IncomingRelation(head, child, names.get(label, label), "\n".join(notes) or None)
        for head, child, label, notes in parsed.relations.values()
    ]
    kept = spelled_back(spans, definitions or {})
    note = "; ".join(filter(None, [parsed.summary(), *kept])) or None
    document = IncomingDocument(text, title_from(text, txt_path), {}, "new", spans, relations)
    yield Item(None, document, note)


def spelled_back(
    spans: list[IncomingSpan], definitions: Mapping[str, list[dict[str, Any]]]
) -> list[str]:
    """Give the spans' attribute values holding ``_`` back their spaces where the project
    says which value they stand for; what the report says of the others.

    brat's ``annotation.conf`` cannot list a value with whitespace, so Factmark's brat
    export writes each whitespace character as ``_`` (``mostly true`` -> ``mostly_true``).
    A value read is the defined value of that attribute (for the span's label) that is
    written so, when exactly one is; a value the project defines as it is stays, and so
    does any value of an attribute the project does not define for that label (brat
    corpora write ``high_confidence`` of their own). A value of a defined attribute that
    none or several of its values stand for is kept as written, and counted in the lines
    returned."""
    kept: dict[tuple[str, str], list[Any]] = {}  # (name, value) -> [spans, candidates]
    for span in spans:
        for name, value in span.attrs.items():
            if not isinstance(value, str) or _SPACE_WRITTEN not in value:
                continue
            named = [d for d in definitions.get(span.label, ()) if d.get("name") == name]
            defined = [v for d in named for v in d.get("values", ())]
            if not named or value in defined:  # nothing to read it by, or as it is
                continue
            meant = sorted({v for v in defined if _SPACE.sub(_SPACE_WRITTEN, v) == value})
            if len(meant) == 1:
                span.attrs[name] = meant[0]
            else:
                counts = kept.setdefault((name, value), [0, meant])
                counts[0] += 1
    lines = []
    for (name, value), (number, meant) in sorted(kept.items()):
        why = (
            f"the project defines several values it may stand for ({', '.join(map(repr, meant))})"
            if meant
            else f"the project defines no value of {name} it stands for"
        )
        lines.append(
            f"{name} {value!r} kept as written on {number:,} span{'s' * (number > 1)} "
            f"(brat files write a space in a value as {_SPACE_WRITTEN!r}; {why})"
        )
    return lines


def declared_types(path: Path) -> tuple[list[str], list[str]]:
    """The entity and relation types ``annotation.conf`` declares for the brat document at
    ``path``, with their original names where a Factmark export renamed them."""
    conf = _find_conf(path.parent)
    if conf is None:
        return [], []
    names = _original_names(path.parent)
    sections = _conf_sections(conf)
    return (
        [names.get(n, n) for n in sections.get("entities", [])],
        [names.get(n, n) for n in sections.get("relations", [])],
    )


# -- reading files ----------------------------------------------------------------------------


def _read_utf8(path: Path, limit: int = MAX_BYTES) -> str:
    """The file as brat reads it: strict UTF-8, nothing changed (not even ``\\r\\n``)."""
    try:
        data = read_bounded(path, limit, "a brat file")
    except ValidationError as error:
        raise ValidationError(f"{printable(path.name)}: {error}") from None
    if b"\x00" in data:
        raise ValidationError(f"{printable(path.name)} is binary (it holds NUL bytes)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ValidationError(
            f"{printable(path.name)} is not UTF-8 (byte {error.start}); brat files are UTF-8"
        ) from None


def _find_conf(folder: Path) -> Path | None:
    for candidate in [folder, *folder.parents][:_CONF_LEVELS]:
        conf = candidate / "annotation.conf"
        if conf.is_file():
            return conf
    return None


def _conf_sections(conf: Path) -> dict[str, list[str]]:
    """The type names of each ``annotation.conf`` section: each line's first term, leaving
    out comments, separators, macros, special names (``<OVERLAP>``) and ``!`` groupings."""
    try:
        text = _read_utf8(conf, _CONF_BYTES)
    except (OSError, ValidationError):
        return {}
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#") or set(stripped) == {"-"}:
            continue
        header = re.fullmatch(r"\[(\w+)\]", stripped)
        if header:
            current = sections.setdefault(header.group(1).lower(), [])
            continue
        name = re.split(r"[\s|]", stripped, maxsplit=1)[0]
        if current is not None and not name.startswith(("<", "!")) and name not in current:
            current.append(name)
    return sections


def _original_names(folder: Path) -> dict[str, str]:
    """brat name -> Factmark name, from a ``visual.conf`` a Factmark export wrote: the
    ``[labels]`` lines whose display name differs (a name shown two ways is left alone)."""
    visual = folder / "visual.conf"
    try:
        text = _read_utf8(visual, _CONF_BYTES) if visual.is_file() else ""
    except (OSError, ValidationError):
        return {}
    if not text.startswith(_FACTMARK_VISUAL):
        return {}
    shown: dict[str, set[str]] = {}
    section = ""
    for line in text.splitlines():
        if line.startswith("["):
            section = line.strip()
        elif section == "[labels]" and " | " in line:
            brat, display = line.split(" | ", 1)
            shown.setdefault(brat, set()).add(display)
    return {
        brat: next(iter(displays))
        for brat, displays in shown.items()
        if len(displays) == 1 and brat not in displays
    }


# -- parsing the .ann lines -------------------------------------------------------------------


@dataclass
class _Span:
    tid: str
    label: str
    fragments: list[tuple[int, int]]
    shown: str | None  # the text field, when the line has one
    line: int
    start: int = 0
    end: int = 0
    notes: list[str] = field(default_factory=list)
    attrs: dict[str, object] = field(default_factory=dict)


@dataclass
class _Pending:
    """An R, A, M or # line, resolved once every T line is known."""

    line: int
    kind: str
    name: str
    targets: list[str]
    value: object = None


class _Parsed:
    """The lines of one .ann file, checked against its text."""

    def __init__(self, text: str, txt_name: str) -> None:
        self.text = text
        self.txt_name = printable(txt_name)
        self.ids: set[str] = set()
        self.bounds: dict[str, _Span] = {}
        self.pending: list[_Pending] = []
        self.spans: dict[str, _Span] = {}
        # By R id: head, child, type and the notes (AnnotatorNotes) on the link.
        self.relations: dict[str, tuple[str, str, str, list[str]]] = {}
        self.unkept: Counter[str] = Counter()
        self.gapped = 0
        self.convention = "code points"

    def line(self, number: int, line: str) -> None:
        """Read one line (raises ValidationError for this line)."""
        tid, tab, tail = line.partition("\t")
        if not tab or not (tid == "*" or _ID.fullmatch(tid)):
            raise ValidationError(
                f"not a brat annotation line (an id such as T1, a tab, then the annotation): "
                f"{_short(line)}"
            )
        if tid in self.ids and tid != "*":
            raise ValidationError(f"the id {printable(tid)} is used twice")
        self.ids.add(tid)  # before its line is read: a link to a bad line is told as such
        data, _, data_tail = tail.partition("\t")
        kind = tid[0]
        if kind in _UNKEPT:
            self.unkept[_UNKEPT[kind]] += 1
            return
        parse = {"T": self._textbound, "R": self._relation, "A": self._attribute}
        parse |= {"M": self._modifier, "#": self._comment}
        if kind not in parse:
            raise ValidationError(f"unknown brat annotation kind {printable(tid)!r}")
        parse[kind](number, tid, data, data_tail)

    def _textbound(self, number: int, tid: str, data: str, tail: str) -> None:
        match = _OFFSETS.fullmatch(data)
        if match is None:
            raise ValidationError(
                f"{printable(tid)}: expected 'label START END' (fragments as 'START END;START "
                f"END'), got {_short(data)}"
            )
        where = f"{printable(tid)}: an offset"
        fragments = [
            (whole_number(a, where), whole_number(b, where))
            for a, b in (piece.split(" ") for piece in match.group(2).split(";"))
        ]
        for start, end in fragments:
            if start > end:
                raise ValidationError(f"{printable(tid)}: a fragment starts after it ends")
        shown = tail if tail.strip() else None
        self.bounds[tid] = _Span(tid, match.group(1), fragments, shown, number)

    def _relation(self, number: int, tid: str, data: str, tail: str) -> None:
        kind, _, rest = data.partition(" ")
        args = [arg.split(":") for arg in rest.split()]
        if not kind or len(args) != 2 or any(len(arg) != 2 for arg in args):
            raise ValidationError(
                f"{printable(tid)}: expected 'type Arg1:T1 Arg2:T2', got {_short(data)}"
            )
        if args[0][0] == args[1][0]:
            raise ValidationError(f"{printable(tid)}: both arguments have the role {args[0][0]!r}")
        self.pending.append(_Pending(number, "R", kind, [args[0][1], args[1][1]], tid))

    def _attribute(self, number: int, tid: str, data: str, tail: str) -> None:
        match = re.fullmatch(r"(.+?) (.+?) (.+?)", data) or re.fullmatch(r"(.+?) (.+?)", data)
        if match is None:
            raise ValidationError(
                f"{printable(tid)}: expected 'Name T1' or 'Name T1 Value', got {_short(data)}"
            )
        value: object = match.group(3) if match.lastindex == 3 else True
        self.pending.append(_Pending(number, "A", match.group(1), [match.group(2)], value))

    def _modifier(self, number: int, tid: str, data: str, tail: str) -> None:
        parts = data.split()
        if len(parts) != 2:
            raise ValidationError(f"{printable(tid)}: expected 'Name T1', got {_short(data)}")
        self.pending.append(_Pending(number, "A", parts[0], [parts[1]], True))

    def _comment(self, number: int, tid: str, data: str, tail: str) -> None:
        parts = data.split()
        if len(parts) != 2:
            raise ValidationError(
                f"{printable(tid)}: expected 'AnnotatorNotes T1<TAB>note', got {_short(data)}"
            )
        self.pending.append(_Pending(number, "#", parts[0], [parts[1]], tail))

    # -- once every line is read ----------------------------------------------------------

    def resolve(self) -> Iterator[tuple[int, ValidationError]]:
        """Place the spans (choosing how the file counts offsets), then attach the links,
        attributes and notes; yields each line that fails, with its error."""
        self.convention, to_points = _offsets_reading(self.text, list(self.bounds.values()))
        for bound in self.bounds.values():
            try:
                self._place(bound, to_points)
            except ValidationError as error:
                yield bound.line, error
        # Links first: a note may point at a link whatever the order of the lines.
        for item in sorted(self.pending, key=lambda item: item.kind != "R"):
            try:
                self._attach(item)
            except ValidationError as error:
                yield item.line, error

    def _place(self, bound: _Span, to_points: Callable[[int], int | None]) -> None:
        where = " ".join(f"{a} {b}" for a, b in bound.fragments)
        points = []
        for start, end in bound.fragments:
            a, b = to_points(start), to_points(end)
            if a is None or b is None:
                raise ValidationError(
                    f"{printable(bound.tid)}: offsets {where} are outside the "
                    f"{len(self.text):,} characters of {self.txt_name}"
                )
            points.append((a, b))
        if not _fits(self.text, points, bound.shown):
            found = _short(bound.shown or "")
            wanted = _short(_SEP.join(self.text[a:b] for a, b in points))
            raise ValidationError(
                f"{printable(bound.tid)}: its text {found} is not the text at {where} in "
                f"{self.txt_name} ({wanted})"
            )
        points = sorted(p for p in points if p[0] < p[1])
        if not points:
            raise ValidationError(f"{printable(bound.tid)}: an empty span ({where})")
        for (_, end), (start, _) in pairwise(points):
            if start < end:
                raise ValidationError(f"{printable(bound.tid)}: its fragments overlap ({where})")
            if any(char not in _LINE_BREAKS for char in self.text[end:start]):
                self.gapped += 1
                break
        bound.start, bound.end = points[0][0], points[-1][1]
        self.spans[bound.tid] = bound

    def _attach(self, item: _Pending) -> None:
        spans = [self.spans.get(target) for target in item.targets]
        for target, span in zip(item.targets, spans, strict=True):
            if span is None and target not in self.ids:
                raise ValidationError(f"points at {printable(target)}, which is not in the file")
            if span is None and target.startswith("T"):
                raise ValidationError(
                    f"points at {printable(target)}, whose line could not be imported"
                )
        if item.kind == "R":
            if spans[0] is None or spans[1] is None:
                self.unkept["link to an event or between other links"] += 1
            else:
                notes: list[str] = []
                self.relations[str(item.value)] = (
                    item.targets[0],
                    item.targets[1],
                    item.name,
                    notes,
                )
        elif spans[0] is None and item.kind == "#" and item.targets[0] in self.relations:
            if item.name == "AnnotatorNotes":
                self.relations[item.targets[0]][3].append(str(item.value))
            else:
                self.unkept[f"{printable(item.name)} comment"] += 1
        elif spans[0] is None:
            what = "attribute" if item.kind == "A" else "note"
            self.unkept[f"{what} of an event or link"] += 1
        elif item.kind == "A":
            spans[0].attrs[item.name] = item.value
        elif item.name == "AnnotatorNotes":
            spans[0].notes.append(str(item.value))
        else:
            self.unkept[f"{printable(item.name)} comment"] += 1

    def summary(self) -> str | None:
        """What the report says beyond the counts: how offsets were read, what was left."""
        parts = []
        if self.convention != "code points":
            parts.append(f"offsets counted {self.convention} were converted")
        if self.gapped:
            parts.append(
                f"{self.gapped} discontinuous span{'s' * (self.gapped > 1)} imported as one "
                "span covering the gap"
            )
        if self.unkept:
            left = "; ".join(
                f"{count:,} {what}{'s' * (count > 1)}" for what, count in self.unkept.items()
            )
            parts.append(f"not imported (no place in Factmark): {left}")
        return "; ".join(parts) or None


def _fits(text: str, points: list[tuple[int, int]], shown: str | None) -> bool:
    """Whether the text field is the fragments' text, as brat checks it: joined by one
    space (or, from brat before 1.3, by nothing), then nothing or whitespace."""
    if shown is None:
        return True  # brat fills a missing text in
    for joined in (_SEP.join(text[a:b] for a, b in points), "".join(text[a:b] for a, b in points)):
        if shown.startswith(joined) and (len(shown) == len(joined) or shown[len(joined)].isspace()):
            return True
    return False


def _offsets_reading(text: str, bounds: list[_Span]) -> tuple[str, Callable[[int], int | None]]:
    """How the file counts offsets: code points unless another count makes more text fields
    fit (UTF-16 code units, or ``\\r\\n`` as one character), and offset -> code point."""

    def points(offset: int) -> int | None:
        return offset if offset <= len(text) else None

    readings: list[tuple[str, Callable[[int], int | None]]] = [("code points", points)]
    checked = [b for b in bounds if b.shown is not None]

    def fitting(to_points: Callable[[int], int | None]) -> int:
        count = 0
        for bound in checked:
            mapped = [(to_points(a), to_points(b)) for a, b in bound.fragments]
            if all(a is not None and b is not None for a, b in mapped):
                count += _fits(text, mapped, bound.shown)  # type: ignore[arg-type]
        return count

    if fitting(points) == len(checked):
        return readings[0]
    if any(char > "\uffff" for char in text):
        readings.append(("in UTF-16 code units (as INCEpTION writes them)", _units(text)))
    if "\r" in text:
        readings.append(("over \\r\\n as one character", _newlines(text)))
    if len(readings) == 1:
        return readings[0]

    best = max(readings, key=lambda reading: fitting(reading[1]))
    return best if fitting(best[1]) > fitting(points) else readings[0]


def _units(text: str) -> Callable[[int], int | None]:
    """UTF-16 code unit offset -> code point offset (None inside a surrogate pair)."""
    starts = [index + k for k, index in enumerate(i for i, c in enumerate(text) if c > "\uffff")]
    total = len(text) + len(starts)

    def to_points(unit: int) -> int | None:
        before = bisect_left(starts, unit)  # astral characters starting before this unit
        if unit > total or (before and starts[before - 1] == unit - 1):
            return None
        return unit - before

    return to_points


def _newlines(text: str) -> Callable[[int], int | None]:
    """Offset over the text with ``\\r\\n`` as one character -> offset in the file's text."""
    pairs = [index - k for k, index in enumerate(m.start() for m in re.finditer("\r\n", text))]
    total = len(text) - len(pairs)

    def to_points(offset: int) -> int | None:
        return None if offset > total else offset + bisect_left(pairs, offset)

    return to_points


def _short(value: str, limit: int = 60) -> str:
    shown = value if len(value) <= limit else value[: limit - 1] + "…"
    return repr(printable(shown))
