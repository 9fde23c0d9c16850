"""brat standoff: a folder that brat opens as a collection, one ``.txt`` and ``.ann`` per document.

The layout follows brat's standoff format (https://brat.nlplab.org/standoff.html) as brat's
own reader (``server/src/annotation.py``, ``projectconfig.py``) parses it:

- ``NAME.txt`` is the document text exactly as stored (UTF-8, ``\\n`` line ends, no BOM).
  brat reads it as UTF-8 and counts offsets in Python ``str`` characters, which are
  Factmark's code points, so ``text[start:end]`` in brat is the Factmark span text. (Only
  brat 1.3 run by a "narrow" Python 2 build, which counted an emoji as two characters,
  would disagree; brat's Python 3 code and the usual Linux Python 2 builds do not.)
- ``NAME.ann`` holds, in this order:

  - ``T1<TAB>label START END<TAB>text`` for each span, numbered in text order;
  - ``R1<TAB>type Arg1:T1 Arg2:T2`` for each relation (Arg1 the head, Arg2 the child);
  - ``A1<TAB>Name T1`` for each span attribute that is ``true`` (a binary attribute) and
    ``A1<TAB>Name T1 Value`` for each one whose value is text (a multi-valued attribute);
  - ``#1<TAB>AnnotatorNotes T1<TAB>note`` for each span note, and
    ``#2<TAB>AnnotatorNotes R1<TAB>note`` for each link's note (brat shows both). brat has
    no attributes on relations (``[attributes]`` in ``annotation.conf`` attach to entities
    and events), so a link's attributes (``quote``) are left out and counted in the card.

  brat is line-oriented and cannot hold a line break inside a fragment. A span that
  crosses one is written as discontinuous fragments around the breaks,
  ``T1<TAB>claim 10 25;26 40<TAB>first line second line``, with the fragment texts joined
  by one space: that is the text brat itself expects (its ``DISCONT_SEP``). Fragments are
  never empty, so a blank line between two fragments is skipped and line breaks at a
  span's edges are left out of it. A span made only of line breaks cannot be written and
  is left out, with its relations. Line breaks and tabs inside a note become spaces.
  Everything ``str.splitlines()`` splits at counts as a line break, so that no reader
  sees a broken line.
- ``annotation.conf`` lists the project's labels as entities and its relation types as
  relations whose Arg1 and Arg2 may be any label, plus an ``<OVERLAP>`` rule allowing any
  overlap (brat otherwise flags nested, crossing and identical spans as errors), and under
  ``[attributes]`` each attribute written, for any entity: ``Name<TAB>Arg:<ENTITY>`` for a
  binary one, ``Name<TAB>Arg:<ENTITY>, Value:a|b`` with the values written for the others.
  brat's configuration cannot hold a value with a space (an argument of ``annotation.conf``
  is ``Key:Value`` without whitespace): each whitespace character of a value is written
  as ``_`` (``mostly true`` -> ``mostly_true``) in the ``.ann`` file and in the ``Value:``
  list alike, and the card names each value so written. It cannot hold ``,``, ``|``,
  ``<`` or ``>`` either, nor an attribute that is not ``true`` or text (``false``,
  numbers, lists): those are left out, and an attribute name used both ways keeps the way
  it was first written; the card counts what was left out.
- ``visual.conf`` gives each label its Factmark colour (``bgColor``) and shows the original
  label and relation names in brat's interface.

brat type names (labels, relation types, attribute names) may hold only
``A-Z a-z 0-9 _ -``. Other names are mapped: accents dropped,
every other run of characters made one ``_`` (``"claim type"`` -> ``claim_type``), a name
with nothing left becomes ``label`` / ``relation``, and a name already taken gets ``-2``,
``-3``... The card notes each mapping; ``visual.conf`` keeps the original for display.

File names are ``<title slug>-<first 12 hex digits of the document id>`` (``lagos-water-
post-3f9a0c1b2d4e``), or the id prefix alone when the title has no ASCII letter.
They depend only on the title and the text, so the same document gets the same name in
every export; the id part keeps them unique (the full id is used in the unlikely case of a
clash), and the slug is lower-case ASCII so that case-insensitive file systems and brat's
URLs take them as they are. Span annotators have no place in brat and are not written
(the jsonl export keeps them); the card says so when any were left out.

Offsets are code points, as brat counts them. INCEpTION counts brat offsets in UTF-16 code
units, so every span after an emoji or another character beyond U+FFFF lands shifted there:
send INCEpTION the XMI export instead. Factmark's brat import reads either count.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from operator import itemgetter
from pathlib import Path
from typing import Any

from factmark import __version__
from factmark.core.exporting.base import AtomicFolder, ExportContext, FolderPart

NAME = "brat"
SUFFIX = ""
# A large export's later documents are written by a second process (see second_process).
SECOND_PROCESS = True
DESCRIPTION = (
    "brat standoff: a folder of .txt/.ann pairs with annotation.conf and visual.conf, "
    "ready to open in brat"
)

# What str.splitlines() splits at: none of these may appear inside a line of the .ann file.
LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
_LINE_BREAK = re.compile(f"[{''.join(sorted(LINE_BREAKS))}]")
# An attribute value brat's annotation.conf can list (``Value:a|b``) and its .ann can hold.
_VALUE = re.compile(r"[^\s,|<>]+")
# What a value holding whitespace is written with instead of each whitespace character.
_SPACE = re.compile(r"\s")
SPACE_IN_VALUE = "_"
# Names with a meaning of their own in brat's configuration files.
_RESERVED = ("SPAN_DEFAULT", "ARC_DEFAULT", "ATTRIBUTE_DEFAULT", "ENTITY-NESTING")
_ID_LENGTH = 12
_SLUG = re.compile(r"[a-z0-9]+")
_SLUG_LENGTH = 40
_ANNOTATOR = itemgetter("annotator")
_SLUG_BYTES = bytes(
    byte if chr(byte) in "abcdefghijklmnopqrstuvwxyz0123456789" else 32 for byte in range(256)
)


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``[start, end)`` cut at line breaks into the non-empty pieces brat can hold."""
    if _LINE_BREAK.search(text, start, end) is None:  # most spans: found without a loop
        return [(start, end)]
    pieces = []
    piece_start = start
    for index in range(start, end):
        if text[index] in LINE_BREAKS:
            if index > piece_start:
                pieces.append((piece_start, index))
            piece_start = index + 1
    if end > piece_start:
        pieces.append((piece_start, end))
    return pieces


def slug(text: str, limit: int = _SLUG_LENGTH) -> str:
    """Lower-case ASCII letters and digits joined by ``-``: ``"Lagos water post"`` ->
    ``lagos-water-post``; empty when nothing ASCII is left."""
    if _SLUG.fullmatch(text):  # a document id (hex digits) is its own slug
        return text[:limit]
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").lower()
    # Every byte but a letter or a digit made a space, the words joined by "-": in C, not
    # by a regular expression (a title of 80 characters 2.1 µs against 4).
    words = folded.translate(_SLUG_BYTES).split()
    return b"-".join(words)[:limit].decode("ascii").strip("-")


class TypeNames:
    """Factmark names -> brat type names (``[A-Za-z0-9_-]+``), unique and stable in order."""

    def __init__(self, fallback: str, names: Iterable[str] = ()) -> None:
        self.fallback = fallback
        self.names: dict[str, str] = {}
        self._taken = {name.casefold() for name in _RESERVED}
        for name in names:
            self.add(name)

    def copy(self) -> TypeNames:
        copied = TypeNames(self.fallback)
        copied.names, copied._taken = dict(self.names), set(self._taken)
        return copied

    def __getitem__(self, name: str) -> str:
        return self.add(name)

    def add(self, name: str) -> str:
        """The brat name of ``name``, chosen now if it has none yet."""
        if name not in self.names:
            folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
            base = re.sub(r"[^A-Za-z0-9_-]+", "_", folded).strip("_-") or self.fallback
            candidate, number = base, 2
            while candidate.casefold() in self._taken:
                candidate, number = f"{base}-{number}", number + 1
            self._taken.add(candidate.casefold())
            self.names[name] = candidate
        return self.names[name]

    def renamed(self) -> dict[str, str]:
        """The names that had to change, with what they became."""
        return {name: brat for name, brat in self.names.items() if name != brat}


def _display(name: str) -> str:
    """A name as brat's ``[labels]`` section can show it (no ``|``, tab or leading ``!``)."""
    shown = "".join(" " if ch.isspace() else ch for ch in name).replace("|", "/").strip()
    return shown.lstrip("!").strip() or "?"


def _one_line(note: str) -> str:
    return "".join(" " if ch in LINE_BREAKS or ch == "\t" else ch for ch in note)


def _text_colour(background: str) -> str:
    """Black on light label colours, white on dark ones."""
    try:
        red, green, blue = (int(background[i : i + 2], 16) for i in (1, 3, 5))
    except ValueError:
        return "black"
    return "black" if 0.299 * red + 0.587 * green + 0.114 * blue >= 128 else "white"


# What BratWriter counts to note in the card, summed over the processes of an export.
_COUNTS = (
    "unkept_attributes",
    "discontinuous",
    "edge_breaks",
    "line_break_only",
    "orphaned_relations",
    "flattened_notes",
    "unkept_details",
    "link_attributes",
)


class BratWriter:
    """Fills a folder with one .txt/.ann pair per record, then the two brat configurations.

    In a second process (``out`` a :class:`FolderPart`) it writes its documents' pairs into
    the folder the first process fills, and :meth:`close` gives back what it chose (names,
    attributes, counts); :meth:`fits` then tells whether the first process would have
    chosen the same after its own documents."""

    def __init__(
        self, path: Path | None, context: ExportContext, out: FolderPart | None = None
    ) -> None:
        self.context = context
        self.entities = TypeNames("label", (label.name for label in context.labels))
        self.relations = TypeNames("relation", context.relation_types)
        self.attributes = TypeNames("attribute")
        self.values: dict[str, list[str]] = {}  # brat attribute name -> values (binary: [])
        # Factmark attribute name -> value holding whitespace -> spans it was written for
        self.respelled: dict[str, dict[str, int]] = {}
        self.unkept_attributes = 0
        self.stems: set[str] = set()
        self.discontinuous = 0
        self.edge_breaks = 0
        self.line_break_only = 0
        self.orphaned_relations = 0
        self.flattened_notes = 0
        self.unkept_details = 0
        self.link_attributes = 0  # attributes of links, which brat cannot hold
        self.passed_over: list[str] = []  # file names tried and taken already (casefolded)
        self.part = out
        self.folder: AtomicFolder | None = None
        self.out: AtomicFolder | FolderPart
        if out is None:
            assert path is not None
            self.out = self.folder = AtomicFolder(path)
        else:
            self.out = out

    def add(self, record: dict[str, Any]) -> None:
        text: str = record["text"]
        spans = record["spans"]
        stem = self._stem(record)
        lines: list[str] = []
        attributes: list[str] = []
        notes: list[str] = []
        # Span numbers -> T numbers, for the relations (when the document has any).
        numbers: dict[int, int] | None = {} if record["relations"] else None
        entities = self.entities.names
        # Counted in C; a span left out below is taken off again.
        self.unkept_details += sum(map(bool, map(_ANNOTATOR, spans)))
        # Most spans hold no line break, no attribute and no note: one search and one
        # line each (an export writes millions).
        breaks = _LINE_BREAK.search
        number = 0
        for span in spans:
            start, end, label = span["start"], span["end"], span["label"]
            entity = entities.get(label) or self.entities[label]
            if breaks(text, start, end) is None:
                number += 1
                lines.append(f"T{number}\t{entity} {start} {end}\t{span['text']}")
            else:
                pieces = fragments(text, start, end)
                if not pieces:
                    self.line_break_only += 1
                    self.unkept_details -= bool(span["annotator"])
                    continue
                self.discontinuous += len(pieces) > 1
                self.edge_breaks += (pieces[0][0], pieces[-1][1]) != (start, end)
                number += 1
                offsets = ";".join(f"{first} {last}" for first, last in pieces)
                shown = " ".join(text[first:last] for first, last in pieces)
                lines.append(f"T{number}\t{entity} {offsets}\t{shown}")
            if numbers is not None:
                numbers[span["id"]] = number
            if span["attrs"] or span["note"]:
                self._span_extras(span, f"T{number}", attributes, notes)
        if numbers is not None:
            self._relations(record["relations"], numbers, lines, notes)
        lines += attributes
        lines += notes
        lines.append("")  # the last line ends too
        self.out.write(f"{stem}.txt", text.encode("utf-8"))
        self.out.write(f"{stem}.ann", "\n".join(lines).encode("utf-8"))

    def _span_extras(
        self, span: dict[str, Any], tid: str, attributes: list[str], notes: list[str]
    ) -> None:
        """The A lines of a span's attributes and the # line of its note."""
        for name, value in span["attrs"].items():
            written = self._attribute(name, value)
            if written is None:
                self.unkept_attributes += 1
            else:
                attributes.append(f"A{len(attributes) + 1}\t{written[0]} {tid}{written[1]}")
        note = span["note"]
        if note and not note.isspace():
            flat = _one_line(note)
            self.flattened_notes += flat != note
            notes.append(f"#{len(notes) + 1}\tAnnotatorNotes {tid}\t{flat}")

    def _relations(
        self,
        relations: list[dict[str, Any]],
        numbers: dict[int, int],
        lines: list[str],
        notes: list[str],
    ) -> None:
        """The R lines of a document's relations and the # lines of their notes."""
        number = 0
        for relation in relations:
            head, child = numbers.get(relation["head"]), numbers.get(relation["child"])
            if head is None or child is None:
                self.orphaned_relations += 1
                continue
            number += 1
            kind = self.relations[relation["label"]]
            lines.append(f"R{number}\t{kind} Arg1:T{head} Arg2:T{child}")
            note = relation.get("note") or ""
            if note.strip():
                flat = _one_line(note)
                self.flattened_notes += flat != note
                notes.append(f"#{len(notes) + 1}\tAnnotatorNotes R{number}\t{flat}")
            self.link_attributes += len(relation.get("attrs") or {})

    def _attribute(self, name: str, value: object) -> tuple[str, str] | None:
        """The brat name of a span attribute and what follows the span's id on its A line
        (``""`` for a binary attribute, ``" value"``), or None when brat cannot hold it."""
        if value is True:
            kind, written = "binary", ""
        elif isinstance(value, str) and _VALUE.fullmatch(
            written := _SPACE.sub(SPACE_IN_VALUE, value)  # what brat's files can hold
        ):
            kind = "valued"
        else:
            return None
        brat = self.attributes[name]
        values = self.values.setdefault(brat, [] if kind == "binary" else [written])
        if (kind == "binary") != (not values):  # the name was first written the other way
            return None
        if kind == "binary":
            return brat, ""
        if written != value:
            counts = self.respelled.setdefault(name, {})
            counts[str(value)] = counts.get(str(value), 0) + 1
        if written not in values:
            values.append(written)
        return brat, f" {written}"

    def _stem(self, record: dict[str, Any]) -> str:
        """``<title slug>-<id prefix>``, unique in this folder whatever the file system's case."""
        title = slug(record.get("title") or "")
        if not title.strip("-0123456789"):  # a slug holds only a-z, 0-9 and "-"
            title = ""  # digits alone ("12" from a Cyrillic title) name nothing
        uid = slug(str(record["id"]), limit=200) or "document"
        for length in (_ID_LENGTH, len(uid)):
            stem = f"{title}-{uid[:length]}" if title else uid[:length]
            if stem.casefold() not in self.stems:
                break
            self.passed_over.append(stem.casefold())
        else:  # the same id twice: cannot come from one project, but never overwrite
            base, number = stem, 2
            while stem.casefold() in self.stems:
                self.passed_over.append(stem.casefold())
                stem, number = f"{base}-{number}", number + 1
        self.stems.add(stem.casefold())
        return stem

    def _annotation_conf(self) -> str:
        entities = list(self.entities.names.values())
        lines = [
            f"# brat annotation configuration written by Factmark {__version__}:",
            "# the project's labels and relation types. Spans may nest, cross and coincide,",
            "# as they may in Factmark, hence the <OVERLAP> rule.",
            "",
            "[entities]",
            *entities,
            "",
            "[relations]",
        ]
        if entities:
            anything = "|".join(entities)
            lines += [
                f"{kind}\tArg1:{anything}, Arg2:{anything}"
                for kind in self.relations.names.values()
            ]
            lines.append(f"<OVERLAP>\tArg1:{anything}, Arg2:{anything}, <OVL-TYPE>:<ANY>")
        lines += ["", "[events]", "", "[attributes]"]
        for brat, values in self.values.items():
            allowed = f", Value:{'|'.join(values)}" if values else ""
            lines.append(f"{brat}\tArg:<ENTITY>{allowed}")
        lines.append("")
        return "\n".join(lines)

    def _visual_conf(self) -> str:
        colours = {label.name: label.colour for label in self.context.labels}
        lines = [f"# brat display configuration written by Factmark {__version__}", "", "[labels]"]
        for names in (self.entities.names, self.relations.names, self.attributes.names):
            lines += [f"{brat} | {_display(name)}" for name, brat in names.items()]
        lines += [
            "",
            "[drawing]",
            "SPAN_DEFAULT\tfgColor:black, bgColor:lightgreen, borderColor:darken",
            "ARC_DEFAULT\tcolor:black, arrowHead:triangle-5",
        ]
        for name, brat in self.entities.names.items():
            colour = colours.get(name)
            if colour:
                lines.append(f"{brat}\tbgColor:{colour}, fgColor:{_text_colour(colour)}")
        return "\n".join(lines) + "\n"

    def _notes(self) -> list[str]:
        part = f"{self.context.part}: " if self.context.part else ""
        notes = []
        for kind, names in (
            ("label", self.entities),
            ("relation type", self.relations),
            ("attribute", self.attributes),
        ):
            for name, brat in names.renamed().items():
                notes.append(
                    f"brat type names allow only A-Z, a-z, 0-9, _ and -: {kind} {name!r} is "
                    f"written as {brat!r} (visual.conf shows the original name)"
                )
        for number, what in (
            (
                self.discontinuous,
                "spans crossing a line break, which brat cannot hold inside a fragment: "
                "written as discontinuous fragments around the break, their texts joined by "
                "one space in the .ann file, as brat does",
            ),
            (self.edge_breaks, "spans starting or ending with a line break, written without it"),
            (self.line_break_only, "spans left out, holding only line breaks brat cannot show"),
            (self.orphaned_relations, "relations left out, pointing at such a span"),
            (
                self.unkept_attributes,
                "span attributes left out, neither true nor text brat's annotation.conf can "
                "list (no ',', '|', '<' or '>', not empty), or an attribute name written both "
                "with and without a value (the jsonl export keeps them)",
            ),
            (
                self.link_attributes,
                "link attributes left out (`quote`): brat attributes belong to entities and "
                "events, never to relations (the jsonl, labelstudio and xmi exports keep them)",
            ),
            (
                self.flattened_notes,
                "notes with line breaks or tabs, written with spaces (an AnnotatorNotes "
                "line is one line)",
            ),
        ):
            if number:
                notes.append(f"{part}{what}: {number:,}")
        for name, values in sorted(self.respelled.items()):
            for value, number in sorted(values.items()):
                written = _SPACE.sub(SPACE_IN_VALUE, value)
                notes.append(
                    f"{part}brat attribute values cannot hold a space: {name} {value!r} is "
                    f"written as {written!r}, and annotation.conf lists it so: {number:,}"
                )
        if self.unkept_details:
            notes.append(
                "brat has no place for span annotators: they are not in the brat files "
                "(the jsonl export keeps them)"
            )
        return notes

    # -- a second process's documents (see second_process) ---------------------

    def share(self) -> dict[str, Any]:
        """Where a second process writes its documents' files: this writer's folder."""
        return {"folder": str(self.out.temp)}

    def close(self) -> dict[str, Any]:
        """In the second process: what it wrote and chose, for :meth:`fits` and :meth:`take`."""
        assert self.part is not None
        self.part.close()
        return {
            "files": self.part.written(),
            "stems": sorted(self.stems),
            "passed_over": self.passed_over,
            "entities": self.entities.names,
            "relations": self.relations.names,
            "attributes": self.attributes.names,
            "values": self.values,
            "respelled": self.respelled,
            "counts": {name: getattr(self, name) for name in _COUNTS},
        }

    def fits(self, state: dict[str, Any]) -> bool:
        """Whether the second process chose, for its documents, the file names, type
        names and attribute values this writer would have chosen after its own (it made
        its choices knowing none of these): a name it tried that is taken here, or an
        attribute first written here the other way, would have been written otherwise."""
        if not self.stems.isdisjoint(state["stems"]) or not self.stems.isdisjoint(
            state["passed_over"]
        ):
            return False
        for names, theirs in self._type_names(state):
            trial = names.copy()
            if any(trial.add(name) != brat for name, brat in theirs.items()):
                return False
        return all(
            brat not in self.values or (not self.values[brat]) == (not values)
            for brat, values in state["values"].items()
        )

    def take(self, state: dict[str, Any]) -> None:
        """Count the second process's files, choices and figures as this writer's own."""
        assert self.folder is not None
        self.folder.adopt(state["files"])
        self.stems.update(state["stems"])
        for names, theirs in self._type_names(state):
            for name in theirs:
                names.add(name)
        for brat, values in state["values"].items():
            mine = self.values.setdefault(brat, [])
            mine += [value for value in values if value not in mine]
        for name, number in state["counts"].items():
            setattr(self, name, getattr(self, name) + number)
        for name, values in state["respelled"].items():
            counts = self.respelled.setdefault(name, {})
            for value, number in values.items():
                counts[value] = counts.get(value, 0) + number

    def drop(self, state: dict[str, Any]) -> None:
        """Remove the files the second process wrote (its documents are written here),
        but those this writer wrote over."""
        assert self.folder is not None
        for name in state["files"]:
            if not self.folder.holds(name):
                (self.folder.temp / name).unlink(missing_ok=True)

    def _type_names(self, state: dict[str, Any]) -> list[tuple[TypeNames, dict[str, str]]]:
        return [
            (self.entities, state["entities"]),
            (self.relations, state["relations"]),
            (self.attributes, state["attributes"]),
        ]

    def finish(self) -> list[Path]:
        assert self.folder is not None
        self.folder.write("annotation.conf", self._annotation_conf().encode("utf-8"))
        self.folder.write("visual.conf", self._visual_conf().encode("utf-8"))
        self.context.notes.extend(n for n in self._notes() if n not in self.context.notes)
        return self.folder.finish()

    def discard(self) -> None:
        if self.folder is not None:
            self.folder.discard()
        elif self.part is not None:
            self.part.close()


def open_writer(path: Path, context: ExportContext) -> BratWriter:
    """A writer filling the folder ``path``."""
    return BratWriter(path, context)


def open_share(share: dict[str, Any], context: ExportContext) -> BratWriter:
    """In a second process: a writer adding files to the folder a first one fills."""
    return BratWriter(None, context, FolderPart(Path(share["folder"])))
