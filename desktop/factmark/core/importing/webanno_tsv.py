"""WebAnno TSV 3.2 / 3.3 (``.tsv``), as INCEpTION and WebAnno export it: one document per file.

dkpro-cassis reads XMI and UIMA JSON but not TSV, so this module follows INCEpTION's own
reader (``Tsv3XDeserializer``, ``Escaping``, ``TsvDocument.resolveReference`` in
``inception-io-webanno-tsv``) and its format guide (``webannotsv.adoc``):

- ``#FORMAT=WebAnno TSV 3.3``, then ``#T_SP=`` (span), ``#T_CH=`` (chain) and ``#T_RL=``
  (relation) layer lines ``TYPE|feature|...`` (a relation layer's last field is
  ``BT_<span type>``), then two blank lines;
- per sentence: ``#Text=`` lines (its text, one line per line break; ``\\t``, ``\\n``,
  ``\\r``, ``\\f``, ``\\b``, ``\\\\`` and ``\\`` + a control character escaped), then one line
  per token ``S-T<TAB>BEGIN-END<TAB>token<TAB>`` and a column per feature; sub-tokens are
  ``S-T.N``. Sentences are separated by one blank line.
- The document text is rebuilt as INCEpTION does: each sentence's lines, each ended by a
  line feed; when the next sentence starts right after the previous one that line feed
  goes; a gap before a sentence is filled with spaces (the format cannot hold the text
  between sentences).
- Offsets count **UTF-16 code units** (an emoji is 2); they are turned into code points
  here. A token whose text is not the text at its offsets refuses the file, so a file
  written with other offsets is never imported shifted.
- A column value is ``_`` (no annotation) or ``|``-stacked values; ``*`` is an empty
  feature; ``VALUE[N]`` carries disambiguation id N, which joins the tokens of one
  multi-token annotation and tells stacked ones apart. Values are unescaped
  (``\\\\ \\[ \\] \\| \\_ \\-> \\; \\t \\n \\*``).
- A relation is written on its dependent's token: the ``BT_`` column gives the governor's
  token id, with ``[G_D]`` disambiguation ids when either end is ambiguous (0 for none).

Spans, labels, attributes and relations follow :mod:`inception_layers`; slot features and
chains are not imported (the report counts them).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from factmark.core.importing.base import Item, title_from, whole_number
from factmark.core.importing.inception_layers import (
    ANNOTATOR,
    NO_PROJECT,
    NOTE,
    LeftOut,
    Vocabulary,
    label_feature,
    short_name,
    silent,
)
from factmark.core.incoming import IncomingDocument, IncomingRelation, IncomingSpan
from factmark.core.model import ValidationError

SUFFIXES = (".tsv",)
MAX_FILE = 200 * 1024 * 1024

_FORMAT = re.compile(r"#FORMAT=(?P<name>.*) (?P<major>\d+)\.(?P<minor>\d+)")
_LINES = re.compile(r"\r\n|\r|\n")  # what Java's readLine ends a line at, nothing more
_STACK = re.compile(r"(?<!\\)\|")
_VALUE_ESCAPE = re.compile(r"\\(\\|\[|\]|\||_|->|;|t|n|\*)")
_TEXT_ESCAPE = re.compile(r"\\([\x00-\x07\x0e-\x1f]|[tnfrb\\])")
_TEXT_CODES = {"t": "\t", "n": "\n", "f": "\f", "r": "\r", "b": "\b", "\\": "\\"}
_UNIT_ID = re.compile(r"\d+-\d+(\.\d+)?")

SPAN, RELATION, CHAIN = "span", "relation", "chain"
PRIMITIVE, PLACEHOLDER, REFERENCE, UNREAD = "primitive", "placeholder", "reference", "unread"


class _Bad(Exception):
    """A problem with the file, at a line (None: the whole file)."""

    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class Column:
    """One annotation column: which layer and feature, and what kind of value it holds."""

    index: int
    layer: str  # SPAN, RELATION or CHAIN
    type_name: str
    kind: str
    feature: str = ""
    target: str = ""  # the span type a relation layer links


@dataclass
class Annotation:
    """A span or relation being read; offsets in UTF-16 units until the end."""

    type_name: str
    begin: int
    end: int
    line: int
    features: dict[str, str] = field(default_factory=dict)
    relation: bool = False
    ends: tuple[Annotation, Annotation] | None = None  # a relation's governor and dependent


def unescape_value(value: str) -> str:
    """A feature value as INCEpTION's ``Escaping.unescapeValue`` reads it."""
    return _VALUE_ESCAPE.sub(lambda m: {"t": "\t", "n": "\n"}.get(m.group(1), m.group(1)), value)


def unescape_text(text: str) -> str:
    """A ``#Text=`` line as ``Escaping.unescapeText`` reads it (TSV 3.2 and later)."""
    return _TEXT_ESCAPE.sub(lambda m: _TEXT_CODES.get(m.group(1), m.group(1)), text)


def code_points(text: str, offsets: set[int]) -> dict[int, int]:
    """UTF-16 offsets into ``text`` -> code-point offsets; an offset inside an astral
    character or past the end is left out (the caller names it)."""
    wanted = sorted(offsets)
    found: dict[int, int] = {}
    units, index = 0, 0
    for position, char in enumerate(text):
        while index < len(wanted) and wanted[index] <= units:
            if wanted[index] == units:
                found[units] = position
            index += 1
        units += 2 if ord(char) > 0xFFFF else 1
    while index < len(wanted) and wanted[index] <= units:
        if wanted[index] == units:
            found[units] = len(text)
        index += 1
    return found


def read(path: Path, vocabulary: Vocabulary = NO_PROJECT) -> Iterator[Item]:
    """The file's one document, or its error with the line it was found at;
    ``vocabulary`` is what the importing project names (see :mod:`inception_layers`)."""
    with path.open("rb") as handle:
        data = handle.read(MAX_FILE + 1)
    if len(data) > MAX_FILE:
        raise ValidationError(f"over the {MAX_FILE // 2**20} MB limit; nothing was read")
    try:
        content = data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError as error:
        raise ValidationError(
            f"not UTF-8 (byte {error.start}), and WebAnno TSV is always UTF-8"
        ) from None
    lines = _LINES.split(content)
    if lines and lines[-1] == "":
        lines.pop()  # the line break ending the last line
    left_out = LeftOut()
    try:
        document = _Reader(lines, left_out, vocabulary).document(path)
    except _Bad as bad:
        yield Item(bad.line, ValidationError(str(bad)))
        return
    yield Item(None, document, left_out.note())


class _Reader:
    """Reads the lines of one file (see the module docstring)."""

    def __init__(self, lines: list[str], left_out: LeftOut, vocabulary: Vocabulary) -> None:
        self.lines = lines
        self.left_out = left_out
        self.vocabulary = vocabulary
        self.columns: list[Column] = []
        self.units: dict[str, tuple[int, int, int]] = {}  # id -> begin, end, line
        self.stacks: dict[tuple[str, str], list[Annotation]] = {}  # (unit, type) -> stack
        self.numbered: dict[int, Annotation] = {}  # disambiguation id -> annotation
        self.references: list[tuple[Annotation, Column, str, str, int, int, int]] = []
        self.annotations: list[Annotation] = []
        self.unit_texts: dict[str, str] = {}  # id -> the token column, checked at the end
        self.unread: dict[str, int] = {}  # type -> its first column (counted there only)

    def document(self, path: Path) -> IncomingDocument:
        body = self._header()
        text = self._body(body)
        self._resolve_references()
        return self._assemble(text, path)

    # -- header ------------------------------------------------------------------

    def _header(self) -> int:
        """Read the format line and the layers; the number of the first body line."""
        first = self.lines[0] if self.lines else ""
        found = _FORMAT.fullmatch(first)
        if not found or found["name"] != "WebAnno TSV":
            raise _Bad(1, "not WebAnno TSV: the first line must be #FORMAT=WebAnno TSV 3.3")
        if (
            _number(found["major"], "the version", 1) != 3
            or _number(found["minor"], "the version", 1) < 2
        ):
            version = f"{found['major']}.{found['minor']}"
            raise _Bad(1, f"WebAnno TSV {version} is not read (3.2 and 3.3 are)")
        number = 1
        prefixes = {"#T_SP=": SPAN, "#T_RL=": RELATION, "#T_CH=": CHAIN}
        while number < len(self.lines) and self.lines[number][:6] in prefixes:
            line = self.lines[number]
            self._layer(prefixes[line[:6]], line[6:], number + 1)
            number += 1
        for blank in (number, number + 1):
            if blank >= len(self.lines) or self.lines[blank].strip():
                raise _Bad(
                    blank + 1,
                    "expected a blank line: the layer lines end with two blank lines",
                )
        return number + 2

    def _layer(self, layer: str, declaration: str, line: int) -> None:
        fields = [part for part in declaration.split("|") if part]  # as StringUtils.split
        if not fields:
            raise _Bad(line, "a layer line without a type name")
        type_name = fields[0]
        if len(fields) == 1:
            self.columns.append(Column(len(self.columns), layer, type_name, PLACEHOLDER))
        previous = ""
        for name in fields[1:]:
            index = len(self.columns)
            if layer == RELATION and name.startswith("BT_"):
                column = Column(index, layer, type_name, REFERENCE, target=name[3:])
            elif (layer == SPAN and name.startswith("ROLE_")) or layer == CHAIN:
                column = Column(index, layer, type_name, UNREAD, name)
            elif layer == SPAN and "." in name:
                if not previous.startswith("ROLE_"):
                    raise _Bad(line, f"slot target {name!r} does not follow a ROLE_ column")
                column = Column(index, layer, type_name, UNREAD, name)
            else:
                column = Column(index, layer, type_name, PRIMITIVE, name)
            self.columns.append(column)
            previous = name

    # -- body --------------------------------------------------------------------

    def _body(self, start: int) -> str:
        """Read sentences and tokens; the document text as INCEpTION rebuilds it."""
        parts: list[str] = []
        units = 0  # the text's length so far, in UTF-16 units
        sentence: list[str] = []
        previous = "blank"
        token = ""
        sentences = 0
        for number in range(start, len(self.lines) + 1):
            line = self.lines[number] if number < len(self.lines) else None
            here = number + 1
            if line is None:
                state = "end"
            elif previous in ("blank", "header") and line.startswith("#"):
                state = "header"
            elif line == "":
                state = "blank"
            else:
                state = "subtoken" if "." in line.split("\t", 1)[0] else "token"
            if previous == "blank" and state in ("token", "subtoken"):
                raise _Bad(here, "expected a sentence header (#Text=...) before the tokens")
            if previous == "header" and state not in ("header", "token"):
                raise _Bad(here, "expected a token line after the sentence header")
            if state == "header":
                if line is not None and line.startswith("#Text="):
                    sentence.append(unescape_text(line[len("#Text=") :]) + "\n")
                previous = state
                continue
            if state in ("blank", "end"):
                previous = state
                continue
            assert line is not None
            fields = line.split("\t")
            unit, begin, _ = self._unit(fields, here)
            if state == "token":
                if previous == "header":
                    sentences += 1
                    if units > begin:
                        if units != begin + 1 or not parts or not parts[-1].endswith("\n"):
                            raise _Bad(
                                here, f"the sentence starts at {begin}, inside the one before"
                            )
                        parts[-1] = parts[-1][:-1]
                        units -= 1
                    elif units < begin:
                        parts.append(" " * (begin - units))
                        units = begin
                    joined = "".join(sentence)
                    parts.append(joined)
                    units += _utf16_length(joined)
                    sentence = []
                token = unit
            elif not unit.startswith(f"{token}."):
                raise _Bad(here, f"sub-token {unit} does not follow its token")
            self._annotations(fields, unit, here)
            previous = state
        if not sentences:
            raise _Bad(None, "holds no sentence (no #Text= line with tokens)")
        return "".join(parts)

    def _unit(self, fields: list[str], line: int) -> tuple[str, int, int]:
        if len(fields) < len(self.columns) + 3:
            raise _Bad(
                line,
                f"expected {len(self.columns) + 3} tab-separated fields (id, offsets, token "
                f"and one per layer column), found {len(fields)}",
            )
        unit, offsets = fields[0], [part for part in fields[1].split("-") if part]
        if (
            not _UNIT_ID.fullmatch(unit)
            or len(offsets) != 2
            or not all(o.isascii() and o.isdigit() for o in offsets)
        ):
            raise _Bad(line, f"not a token line (id {unit!r}, offsets {fields[1]!r})")
        if unit in self.units:
            raise _Bad(line, f"token {unit} appears twice")
        begin, end = (_number(offset, f"token {unit}: an offset", line) for offset in offsets)
        if begin > end:
            raise _Bad(line, f"token {unit} ends before it begins ({fields[1]})")
        self.units[unit] = (begin, end, line)
        self.unit_texts[unit] = fields[2]
        return unit, begin, end

    def _annotations(self, fields: list[str], unit: str, line: int) -> None:
        begin, end, _ = self.units[unit]
        for column in self.columns:
            raw = fields[column.index + 3]
            if raw == "_":
                continue
            values = _STACK.split(raw)
            while len(values) > 1 and values[-1] == "":
                values.pop()  # Java's split drops trailing empty strings
            if column.kind == UNREAD:
                if self.unread.setdefault(column.type_name, column.index) == column.index:
                    self.left_out.layers[short_name(column.type_name)] += len(values)
                continue
            for stack, value in enumerate(values):
                self._value(column, unit, begin, end, stack, value, line)

    def _value(
        self, column: Column, unit: str, begin: int, end: int, stack: int, value: str, line: int
    ) -> None:
        number = None
        if value.endswith("]") and not value.endswith("\\]"):
            cut = value.rfind("[")
            number, value = value[cut + 1 : -1], value[:cut]
            if cut < 0 or not (
                number.replace("_", "", 1).isascii() and number.replace("_", "", 1).isdigit()
            ):
                raise _Bad(line, f"bad disambiguation id [{number}] in column {column.index + 4}")
        stacked = self.stacks.setdefault((unit, column.type_name), [])
        annotation = stacked[stack] if stack < len(stacked) else None
        if column.layer == SPAN:
            identity = (
                _number(number, "a disambiguation id", line)
                if number and "_" not in number
                else None
            )
            if annotation is None and identity:
                annotation = self.numbered.get(identity)
                if annotation is not None:
                    annotation.end = end  # a multi-token annotation reaches this token
                    stacked.append(annotation)
            if annotation is None:
                annotation = Annotation(column.type_name, begin, end, line)
                self.annotations.append(annotation)
                stacked.append(annotation)
            if identity:
                self.numbered[identity] = annotation
        elif annotation is None:
            annotation = Annotation(column.type_name, -1, -1, line, relation=True)
            self.annotations.append(annotation)
            stacked.append(annotation)
        if column.kind == PRIMITIVE and value != "*":
            annotation.features[column.feature] = unescape_value(value)
        elif column.kind == REFERENCE:
            source, target = 0, 0
            if number is not None:
                ids = number.split("_")
                if len(ids) != 2:
                    raise _Bad(
                        line, f"a relation's ids must be [GOVERNOR_DEPENDENT], not [{number}]"
                    )
                source, target = (_number(i, "a relation's id", line) for i in ids)
            self.references.append((annotation, column, value, unit, source, target, line))

    def _resolve_references(self) -> None:
        for relation, column, source_unit, unit, source, target, line in self.references:
            if silent(column.target) or silent(relation.type_name):
                continue  # e.g. dependencies between tokens: counted as left out
            ends = []
            for where, identity in ((source_unit, source), (unit, target)):
                if identity > 0:
                    found = self.numbered.get(identity)
                else:
                    stacked = self.stacks.get((where, column.target), [])
                    found = stacked[0] if stacked else None
                    if where not in self.units:
                        raise _Bad(line, f"a relation refers to token {where}, which is not there")
                if found is None:
                    what = f"[{identity}]" if identity > 0 else f"on token {where}"
                    raise _Bad(line, f"a relation refers to no {short_name(column.target)} {what}")
                ends.append(found)
            relation.ends = (ends[0], ends[1])

    # -- result ------------------------------------------------------------------

    def _assemble(self, text: str, path: Path) -> IncomingDocument:
        offsets = {o for begin, end, _ in self.units.values() for o in (begin, end)}
        mapped = code_points(text, offsets)
        for unit, (begin, end, line) in self.units.items():
            if begin not in mapped or end not in mapped:
                raise _Bad(
                    line,
                    f"token {unit}: offsets {begin}-{end} fall outside the text or inside a "
                    "character (TSV offsets count UTF-16 units)",
                )
            if text[mapped[begin] : mapped[end]] != self.unit_texts[unit]:
                raise _Bad(
                    line,
                    f"token {unit} is not the text at {begin}-{end} (TSV offsets count UTF-16 "
                    "units; was the file written with other offsets?)",
                )
        features = self._features_by_type()
        spans: dict[int, IncomingSpan] = {}
        relations = []
        for annotation in self.annotations:
            names = features.get(annotation.type_name, [])
            label, note, attrs = _values(
                annotation, names, self.vocabulary.label(annotation.type_name), self.vocabulary
            )
            if annotation.relation or silent(annotation.type_name):
                continue
            begin, end = mapped[annotation.begin], mapped[annotation.end]
            if begin >= end:
                self.left_out.empty += 1
                continue
            annotator = annotation.features.get(ANNOTATOR) or None
            spans[id(annotation)] = IncomingSpan(
                begin, end, label, annotator, note, attrs, ref=len(spans) + 1
            )
        for annotation in self.annotations:
            if not annotation.relation or silent(annotation.type_name):
                continue
            head = child = None
            if annotation.ends is not None:
                head, child = (spans.get(id(end)) for end in annotation.ends)
            if head is None or child is None:
                self.left_out.relations += 1
                continue
            label, note, attrs = _values(
                annotation,
                features.get(annotation.type_name, []),
                self.vocabulary.link_type(annotation.type_name),
                self.vocabulary,
            )
            relations.append(IncomingRelation(head.ref, child.ref, label, note, attrs))
        return IncomingDocument(
            text, title_from(text, path), spans=list(spans.values()), relations=relations
        )

    def _features_by_type(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for column in self.columns:
            names = found.setdefault(column.type_name, [])
            if column.kind == PRIMITIVE:
                names.append(column.feature)
        return found


def _values(
    annotation: Annotation, names: list[str], layer_label: str, vocabulary: Vocabulary
) -> tuple[str, str | None, dict[str, Any]]:
    """Label, note and attributes from an annotation's feature values (all text in TSV;
    ``layer_label`` when no feature gives a label)."""
    chosen = label_feature(names, names, vocabulary.attributes)
    label = annotation.features.get(chosen or "", "")
    if not label.strip():
        label = layer_label
    note = annotation.features.get(NOTE) or None
    attrs = {
        key: value
        for key, value in annotation.features.items()
        if key not in (chosen, NOTE, ANNOTATOR)
    }
    return label, note, attrs


def _number(digits: str, what: str, line: int) -> int:
    """:func:`whole_number`, its refusal told at ``line``."""
    try:
        return whole_number(digits, what)
    except ValidationError as error:
        raise _Bad(line, str(error)) from None


def _utf16_length(text: str) -> int:
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)
