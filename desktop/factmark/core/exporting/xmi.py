"""UIMA CAS XMI for INCEpTION, written through dkpro-cassis: one zip, one ``.xmi`` per document.

``corpus.zip`` holds ``TypeSystem.xml`` and ``<title slug>-<id prefix>.xmi`` per document,
the layout of INCEpTION's own "UIMA CAS XMI (XML 1.0)" export. Each CAS has:

- the document text as its Sofa, and a ``DocumentMetaData`` (DKPro Core's) with the title
  (``documentTitle``) and Factmark's document id (``documentId``);
- one ``webanno.custom.Factmark`` annotation per span, with String features ``label``,
  ``note``, ``annotator`` and one per attribute key. A feature is named after its key when
  the key is a name INCEpTION keeps (ASCII letters, digits and ``_``, starting with a
  letter); other keys get such a name, and every attribute feature's description reads
  ``Factmark attribute: KEY`` so that Factmark reads the key back exactly;
- one ``webanno.custom.FactmarkLink`` annotation per relation (String features ``label``,
  ``note`` and one per link attribute key, ``quote``, named and described as the span
  layer's attribute features): ``Governor`` the head span,
  ``Dependent`` the child, ``label`` the link type, over the child's text (as INCEpTION
  places a relation).

Offsets: cassis writes UTF-16 code units (what Java and INCEpTION count) from Factmark's
code points, so a span after an emoji lands on the same characters in INCEpTION.

INCEpTION imports an ``.xmi`` into a project with that project's layers and drops what it
does not know: the card says which span layer, relation layer and features to create
first (INCEpTION turns the layer name ``Factmark`` into ``webanno.custom.Factmark``).
XML 1.0 cannot hold most control characters (or U+FFFE, U+FFFF): they are written as
spaces, as INCEpTION's own export does, which keeps every offset; attribute values that are
not text are written as their JSON text. The card counts both.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from factmark.core.exporting.base import WRITE_BUFFER, AtomicFile, ExportContext
from factmark.core.exporting.brat import slug
from factmark.core.exporting.second_process import part_beside
from factmark.core.exporting.zip_stream import ZipStream, igzip
from factmark.core.importing.inception_layers import ATTRIBUTE_MARK

NAME = "xmi"
SUFFIX = ".zip"
KEEPS_ANNOTATORS = True  # each span's annotator feature: no note of annotators pooled (base)
# A large export's later documents are written by a second process (see second_process).
SECOND_PROCESS = True
DESCRIPTION = (
    "UIMA CAS XMI for INCEpTION: a zip of one .xmi per document with TypeSystem.xml "
    "(span layer webanno.custom.Factmark, relation layer webanno.custom.FactmarkLink)"
)

SPAN_TYPE = "webanno.custom.Factmark"
LINK_TYPE = "webanno.custom.FactmarkLink"
DOCUMENT_META = "de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData"
STRING = "uima.cas.String"
_FIXED = ("label", "note", "annotator")
# Names a feature of the span layer cannot take: its own, UIMA's and cassis's.
_TAKEN = {"label", "note", "annotator", "begin", "end", "sofa", "type", "self", "xmiID"}
# And those a feature of the relation layer cannot take.
_LINK_TAKEN = _TAKEN | {"Governor", "Dependent"}
# What XML 1.0 refuses in text (it allows tab, line feed, carriage return and the rest).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ID_LENGTH = 12
_LOWER = re.compile("[a-z]")
# ISA-L's fastest level (0): an XMI member of 4 kB in 7 µs against 14 at its level 1,
# libdeflate's 20 and zlib's 35 at their fastest levels; the zip 16 % larger than its level
# 1 makes it (13 % larger than zlib's level 1, 19 % than libdeflate's).
_COMPRESSION = 0


def xml_safe(text: str) -> tuple[str, int]:
    """``text`` with what XML 1.0 cannot hold made a space (one UTF-16 unit each, so no
    offset moves), and how many characters that was."""
    return _NOT_XML.subn(" ", text)


# The XMI of one document is written here as text, in exactly the shape dkpro-cassis gives
# it (its serializer made a CAS, a type system and an XML tree per document: most of the
# export's time); the tests compare the two on every document of the shared corpus and
# on random text.
_HEAD = "<?xml version='1.0' encoding='UTF-8'?>\n"
_NAMESPACES_NO_LAYER = (
    '<xmi:XMI xmlns:xmi="http://www.omg.org/XMI" xmlns:cas="http:///uima/cas.ecore" '
    'xmlns:type="http:///de/tudarmstadt/ukp/dkpro/core/api/metadata/type.ecore" '
)
_NAMESPACES = _NAMESPACES_NO_LAYER + 'xmlns:custom="http:///webanno/custom.ecore" '
_NAMESPACES_NO_LAYER += 'xmi:version="2.0">'
_NAMESPACES += 'xmi:version="2.0">'
# What an XML attribute value cannot hold as it is (libxml2's escapes, which cassis gets
# through lxml): markup characters, and the white space an XML reader would normalise.
_ESCAPES = (
    ("&", "&amp;"),
    ("<", "&lt;"),
    (">", "&gt;"),
    ('"', "&quot;"),
    ("\n", "&#10;"),
    ("\r", "&#13;"),
    ("\t", "&#9;"),
)
_ASTRAL_OR_NOT_XML = re.compile(f"[{_NOT_XML.pattern[1:-1]}\U00010000-\U0010ffff]")


# A span element up to its begin offset; and no features, looked up for a span with
# attributes (see _known_spans).
_SPAN_OPEN = '<custom:Factmark xmi:id="{}" sofa="1" begin="'
_UNMET: dict[tuple[Any, Any, Any], str] = {}


def _escape(value: str) -> str:
    """``value`` as a double-quoted XML attribute holds it."""
    for char, escaped in _ESCAPES:
        if char in value:  # looked for first: replacing copies the text, found or not
            value = value.replace(char, escaped)
    return value


def _features(values: list[tuple[str, str | None]]) -> str:
    """`` name="value"`` for each feature that has a value, in the type's order."""
    return "".join(f' {name}="{_escape(value)}"' for name, value in values if value is not None)


def feature_name(key: str, taken: set[str]) -> str:
    """A feature name INCEpTION keeps for an attribute key (``\\w`` in ASCII, a letter
    first, not one of ``taken``), the key itself when it already is one."""
    base = re.sub(r"[^A-Za-z0-9_]+", "_", key).strip("_")
    if not base[:1].isalpha() or not base.isascii():
        base = f"attr_{base}".rstrip("_")
    name, number = base, 2
    while name in taken:
        name, number = f"{base}_{number}", number + 1
    return name


class XmiWriter:
    """Writes a zip of one XMI per document; TypeSystem.xml goes in when all are written,
    since documents bring attribute features as they come."""

    def __init__(self, path: Path, context: ExportContext, part: str | None = None) -> None:
        self.context = context
        self.attributes: dict[str, str] = {}  # attribute key -> feature name
        self.link_attributes: dict[str, str] = {}  # a link attribute key -> feature name
        # Each attribute key as first met: (True for a link's, the key); the keys of an
        # element with more than one (written in the order they were met).
        self.met: list[tuple[bool, str]] = []
        self.together: set[frozenset[str]] = set()
        self.links_together: set[frozenset[str]] = set()
        self.stems: set[str] = set()
        self.replaced = 0
        self.json_values = 0
        self.renamed: dict[str, str] = {}
        # (label, None, annotator) -> the span's features (see _fixed_features)
        self._fixed: dict[tuple[Any, Any, Any], str] = {}
        self._members: dict[int, str] = {}  # the View's members of a document of N - 2
        self._opens: list[str] = []  # the start of the span element of xmi:id N + 3
        # In a second process, the file its members go to (``part``); in the first, the
        # file a second process writes its members to (see share).
        self.part = part
        self.out: AtomicFile | BinaryIO = (
            AtomicFile(path) if part is None else open(part, "wb", buffering=WRITE_BUFFER)  # noqa: SIM115
        )
        self.archive = ZipStream(self.out.write, igzip(_COMPRESSION))

    def _typesystem(self) -> Any:
        """The layers with every attribute feature the export met: TypeSystem.xml."""
        from cassis import TypeSystem

        typesystem = TypeSystem()
        span_type = typesystem.create_type(SPAN_TYPE)
        for name in _FIXED:
            typesystem.create_feature(span_type, name, STRING)
        for key, name in self.attributes.items():
            description, _ = xml_safe(f"{ATTRIBUTE_MARK}{key}")
            typesystem.create_feature(span_type, name, STRING, description=description)
        link_type = typesystem.create_type(LINK_TYPE)
        typesystem.create_feature(link_type, "Governor", SPAN_TYPE)
        typesystem.create_feature(link_type, "Dependent", SPAN_TYPE)
        typesystem.create_feature(link_type, "label", STRING)
        typesystem.create_feature(link_type, "note", STRING)
        for key, name in self.link_attributes.items():
            description, _ = xml_safe(f"{ATTRIBUTE_MARK}{key}")
            typesystem.create_feature(link_type, name, STRING, description=description)
        meta_type = typesystem.create_type(
            DOCUMENT_META, supertypeName="uima.tcas.DocumentAnnotation"
        )
        for name in ("documentTitle", "documentId"):
            typesystem.create_feature(meta_type, name, STRING)
        return typesystem

    def add(self, record: dict[str, Any]) -> None:
        text = record["text"]
        # Code-point offsets to UTF-16 units (what UIMA counts): one more per character
        # beyond the BMP before the offset. The same pass finds what XML cannot hold.
        astral = []
        unsafe = False
        for found in _ASTRAL_OR_NOT_XML.finditer(text):
            if found.group() > "\uffff":
                astral.append(found.start())
            else:
                unsafe = True
        if unsafe:
            text, replaced = xml_safe(text)
            self.replaced += replaced
        title, _ = xml_safe(record.get("title") or "")
        spans, links = record["spans"], record["relations"]
        out = [
            _HEAD,
            _NAMESPACES if spans or links else _NAMESPACES_NO_LAYER,
            '<cas:NULL xmi:id="0"/>',
            f'<type:DocumentMetaData xmi:id="2" sofa="1" begin="0" end="{len(text) + len(astral)}" '
            f'documentTitle="{_escape(title)}" documentId="{_escape(str(record["id"]))}"/>',
        ]
        known = None if links else self._known_spans(spans, astral)
        if known is not None:
            out += known
        ids: dict[int, int] = {}
        places: dict[int, str] = {}
        fixed = self._fixed
        # Spans with attributes or features not met before, or any span of a document with
        # links, one at a time.
        for number, span in enumerate(spans if known is None else (), start=3):
            begin, end = span["start"], span["end"]
            if astral:
                begin += bisect_left(astral, begin)
                end += bisect_left(astral, end)
            if links:
                ids[span["id"]] = number
                places[span["id"]] = f'begin="{begin}" end="{end}"'
            fixed_values = (span.get("label"), span.get("note"), span.get("annotator"))
            try:
                features = fixed.get(fixed_values)
            except TypeError:  # a value that is a JSON list or object
                features = None
            if features is None:
                features = self._fixed_features(fixed_values)
            attrs = span.get("attrs")
            if attrs:
                for key in attrs:
                    self._feature(key)
                if len(attrs) > 1:
                    self.together.add(frozenset(attrs))
                features += _features(
                    [
                        (name, "" if attrs[key] == "" else self._text(attrs[key]))
                        for key, name in self.attributes.items()
                        if key in attrs
                    ]
                )
            out.append(
                f'<custom:Factmark xmi:id="{number}" sofa="1" begin="{begin}" end="{end}"'
                f"{features}/>"
            )
        number = len(spans) + 2
        for relation in links:
            number += 1
            for key in relation["attrs"]:
                self._link_feature(key)
            if len(relation["attrs"]) > 1:
                self.links_together.add(frozenset(relation["attrs"]))
            values = [
                ("label", self._text(relation["label"])),
                ("note", self._text(relation["note"])),
            ]
            attrs = relation["attrs"]
            values += [
                (name, "" if attrs[key] == "" else self._text(attrs[key]))
                for key, name in self.link_attributes.items()
                if key in attrs
            ]
            head, child = ids[relation["head"]], ids[relation["child"]]
            out.append(
                f'<custom:FactmarkLink xmi:id="{number}" sofa="1" {places[relation["child"]]} '
                f'Governor="{head}" Dependent="{child}"{_features(values)}/>'
            )
        members = self._members.get(number)
        if members is None:  # most documents have as many spans as others before them
            members = self._members[number] = " ".join(map(str, range(2, number + 1)))
        out.append(
            '<cas:Sofa xmi:id="1" sofaNum="1" sofaID="_InitialView" mimeType="text" '
            f'sofaString="{_escape(text)}"/><cas:View sofa="1" members="{members}"/></xmi:XMI>'
        )
        self.archive.writestr(f"{self._stem(record)}.xmi", "".join(out).encode("utf-8"))

    def _known_spans(self, spans: list[dict[str, Any]], astral: list[int]) -> list[str] | None:
        """The elements of ``spans`` when no span has attributes and every span's label,
        note and annotator were met before with nothing to count (most documents: one
        expression a span, no call), else None."""
        opens = self._opens
        if len(opens) < len(spans):
            opens += [_SPAN_OPEN.format(n) for n in range(len(opens) + 3, len(spans) + 3)]
        fixed = self._fixed
        try:
            if astral:
                return [
                    f'{open_}{s["start"] + bisect_left(astral, s["start"])}" end="'
                    f'{s["end"] + bisect_left(astral, s["end"])}"'
                    f"{(_UNMET if s['attrs'] else fixed)[s['label'], s['note'], s['annotator']]}/>"
                    for open_, s in zip(opens, spans, strict=False)
                ]
            return [
                f'{open_}{s["start"]}" end="{s["end"]}"'
                f"{(_UNMET if s['attrs'] else fixed)[s['label'], s['note'], s['annotator']]}/>"
                for open_, s in zip(opens, spans, strict=False)
            ]
        except (KeyError, TypeError):  # not met, attributes, a missing key, a JSON list
            return None

    def _fixed_features(self, values: tuple[Any, Any, Any]) -> str:
        """The label, note and annotator features of a span, counted. Spans without a note
        share them by label and annotator: kept, when they are text that needs nothing
        counted, to be written again as they are. A key found later is then one of these
        (True == 1, but neither equals a text)."""
        replaced, json_values = self.replaced, self.json_values
        features = _features(
            [(name, self._text(value)) for name, value in zip(_FIXED, values, strict=True)]
        )
        label, note, annotator = values
        if (
            note is None
            and type(label) is str
            and (annotator is None or type(annotator) is str)
            and (self.replaced, self.json_values) == (replaced, json_values)
        ):
            self._fixed[values] = features
        return features

    def _text(self, value: Any) -> str | None:
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            self.json_values += 1
            value = orjson.dumps(value).decode("utf-8")
        safe, replaced = xml_safe(value)
        self.replaced += replaced
        return safe

    def _feature(self, key: str) -> str:
        """The feature of attribute ``key``, named on first sight."""
        name = self.attributes.get(key)
        if name is None:
            self.met.append((False, key))
            name = _named(key, self.attributes, _TAKEN, self.renamed)
        return name

    def _link_feature(self, key: str) -> str:
        """The feature of link attribute ``key`` on the relation layer, named on first sight."""
        name = self.link_attributes.get(key)
        if name is None:
            self.met.append((True, key))
            name = _named(key, self.link_attributes, _LINK_TAKEN, self.renamed)
        return name

    def _stem(self, record: dict[str, Any]) -> str:
        title = slug(record.get("title") or "")
        if not _LOWER.search(title):
            title = ""
        uid = slug(str(record["id"]), limit=200) or "document"
        stem = f"{title}-{uid[:_ID_LENGTH]}" if title else uid[:_ID_LENGTH]
        if stem in self.stems:
            stem = f"{title}-{uid}" if title else uid
        base, number = stem, 2
        while stem in self.stems:
            stem, number = f"{base}-{number}", number + 1
        self.stems.add(stem)
        return stem

    def _notes(self) -> list[str]:
        part = f"{self.context.part}: " if self.context.part else ""
        notes = []
        for key, name in self.renamed.items():
            notes.append(
                f"INCEpTION feature names allow only A-Z, a-z, 0-9 and _: attribute {key!r} is "
                f"the feature {name!r} (its description keeps the key)"
            )
        if self.replaced:
            notes.append(
                f"{part}characters XML 1.0 cannot hold (control characters, U+FFFE, U+FFFF) "
                f"written as spaces, as INCEpTION does; no offset moves: {self.replaced}"
            )
        if self.json_values:
            notes.append(
                f"{part}attribute values that are not text, written as their JSON text "
                f"(INCEpTION features here are strings): {self.json_values}"
            )
        return notes

    # -- a second process's documents (see second_process) ---------------------

    def share(self) -> dict[str, Any]:
        """Where a second process writes its members: a file beside the zip, which
        :meth:`take` appends to it."""
        assert isinstance(self.out, AtomicFile)
        self.part = part_beside(self.out.path)
        return {"path": str(self.out.path), "file": self.part}

    def close(self) -> dict[str, Any]:
        """In the second process: its members written (their records, for the first
        process's central directory), the names and features it chose, what it counted."""
        part = self.archive.close_part()
        assert not isinstance(self.out, AtomicFile)
        self.out.close()
        return {
            "zip": part,
            "stems": list(self.stems),
            "met": self.met,
            "attributes": self.attributes,
            "link_attributes": self.link_attributes,
            "together": [sorted(keys) for keys in self.together],
            "links_together": [sorted(keys) for keys in self.links_together],
            "replaced": self.replaced,
            "json_values": self.json_values,
        }

    def fits(self, state: dict[str, Any]) -> bool:
        """Whether the second process chose, for its documents, the member names and
        feature names this writer would have chosen after its own, and wrote an
        element's features in the order this writer would (the order they were met; it
        knew none of the documents before its own): a member name taken here, or
        attribute keys named or met in another order here, would have been written
        otherwise."""
        if not self.stems.isdisjoint(state["stems"]):
            return False
        spans, links = dict(self.attributes), dict(self.link_attributes)
        if not self._name_met(state["met"], spans, links, {}, state):
            return False
        return all(
            [key for key in mine if key in keys] == [key for key in theirs if key in keys]
            for mine, theirs, together in (
                (spans, state["attributes"], state["together"]),
                (links, state["link_attributes"], state["links_together"]),
            )
            for keys in map(set, together)
        )

    def take(self, state: dict[str, Any]) -> None:
        """The second process's members after this writer's, its names and features
        and counts as this writer's own."""
        self._name_met(state["met"], self.attributes, self.link_attributes, self.renamed, state)
        self.stems.update(state["stems"])
        self.together.update(map(frozenset, state["together"]))
        self.links_together.update(map(frozenset, state["links_together"]))
        self.replaced += state["replaced"]
        self.json_values += state["json_values"]
        assert isinstance(self.out, AtomicFile) and self.part is not None
        out, part = self.out, Path(self.part)
        self.archive.take_part(state["zip"], lambda: out.append(part))
        self.drop(state)

    def _name_met(
        self,
        met: list[tuple[bool, str]],
        spans: dict[str, str],
        links: dict[str, str],
        renamed: dict[str, str],
        state: dict[str, Any],
    ) -> bool:
        """Name, in ``spans`` and ``links``, the attribute keys the second process met
        in the order it met them, as this writer names them; whether each is named as
        the second process named it."""
        named = True
        for link, key in met:
            names, taken = (links, _LINK_TAKEN) if link else (spans, _TAKEN)
            if key not in names:
                name = _named(key, names, taken, renamed)
                named = named and name == state["link_attributes" if link else "attributes"][key]
        return named

    def drop(self, state: dict[str, Any]) -> None:
        """Remove the file of the second process."""
        if self.part is not None and isinstance(self.out, AtomicFile):
            Path(self.part).unlink(missing_ok=True)
            self.part = None

    def finish(self) -> list[Path]:
        assert isinstance(self.out, AtomicFile)
        self.archive.writestr("TypeSystem.xml", self._typesystem().to_xml().encode("utf-8"))
        self.archive.close()
        self.context.notes.extend(n for n in self._notes() if n not in self.context.notes)
        return self.out.finish()

    def discard(self) -> None:
        self.archive.abandon()
        if isinstance(self.out, AtomicFile):
            self.out.discard()
        else:
            self.out.close()
        self.drop({})


def _named(key: str, names: dict[str, str], taken: set[str], renamed: dict[str, str]) -> str:
    """Name attribute ``key`` in ``names`` (a layer's features, beside the names
    ``taken``), and in ``renamed`` when its name is not the key."""
    name = names[key] = feature_name(key, taken | set(names.values()))
    if name != key:
        renamed[key] = name
    return name


def open_writer(path: Path, context: ExportContext) -> XmiWriter:
    """A writer of the zip ``path``."""
    return XmiWriter(path, context)


def open_share(share: dict[str, Any], context: ExportContext) -> XmiWriter:
    """In a second process: a writer of the members a first one appends to its zip."""
    return XmiWriter(Path(share["path"]), context, share["file"])
