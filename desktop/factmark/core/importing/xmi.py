"""UIMA CAS XMI, as INCEpTION and WebAnno export it, read through dkpro-cassis.

Two shapes are taken:

- ``NAME.xmi`` with ``TypeSystem.xml`` (any case) in the same folder;
- ``NAME.zip`` as INCEpTION's "UIMA CAS XMI" export gives it: ``.xmi`` files and a
  ``TypeSystem.xml`` inside (one document per ``.xmi``; a type system in the same folder
  of the archive as the ``.xmi`` wins over one elsewhere).

The document text is the CAS's text (its Sofa); ``DocumentMetaData.documentTitle`` is the
title. XMI offsets count UTF-16 code units (Java's strings); cassis turns them into Python
code points when it reads the file (``Utf16CodepointOffsetConverter`` in ``cassis/cas.py``),
and an offset inside an astral character refuses the document. Which layers become spans
and relations: :mod:`factmark.core.importing.inception_layers`.

The files come from elsewhere, so before any XML is parsed: a file declaring a DTD
(``<!DOCTYPE``, where entity bombs and external entities live; UIMA never writes one) or an
encoding other than UTF-8/ASCII is refused, every file is read up to a size limit, and a
zip's directory is checked (member count, inflated sizes, compression ratio) before a member
is inflated, each in small steps never past its stated size.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from factmark.core.importing.base import Item, title_from
from factmark.core.importing.inception_layers import (
    ANNOTATOR,
    ATTRIBUTE_MARK,
    DEPENDENT,
    GOVERNOR,
    NO_PROJECT,
    NOTE,
    LeftOut,
    Vocabulary,
    attribute_key,
    label_feature,
    short_name,
    silent,
)
from factmark.core.importing.xmi_references import unresolved
from factmark.core.incoming import IncomingDocument, IncomingRelation, IncomingSpan
from factmark.core.model import ValidationError
from factmark.core.text import text_uid

SUFFIXES = (".xmi", ".zip")
MAX_FILE = 200 * 1024 * 1024  # one .xmi or TypeSystem.xml, in bytes
MAX_MEMBERS = 20_000
MAX_UNCOMPRESSED = 1024 * 1024 * 1024  # all members of a zip together
MAX_RATIO = 100  # inflated / compressed, for a member of more than BIG_MEMBER bytes
BIG_MEMBER = 10 * 1024 * 1024
_MB = 1024 * 1024

DOCUMENT_META = "de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData"
_BASE_FEATURES = frozenset({"sofa", "begin", "end"})
_DECLARED = re.compile(rb"""\A<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_SAFE_ENCODINGS = frozenset({b"utf-8", b"utf8", b"us-ascii", b"ascii"})


def read(path: Path, vocabulary: Vocabulary = NO_PROJECT) -> Iterator[Item]:
    """One item per document: the ``.xmi`` beside its type system, or each in the zip;
    ``vocabulary`` is what the importing project names (see :mod:`inception_layers`)."""
    if path.suffix.lower() == ".zip":
        yield from _read_zip(path, vocabulary)
        return
    beside = [p for p in path.parent.iterdir() if p.name.lower() == "typesystem.xml"]
    if not beside:
        raise ValidationError(
            "no TypeSystem.xml beside it (INCEpTION's XMI export has one in the zip with the "
            ".xmi files: import the .zip, or put TypeSystem.xml in this folder)"
        )
    typesystem = load_typesystem(_read_limited(sorted(beside)[0]), beside[0].name)
    left_out = LeftOut()
    document = cas_document(_read_limited(path), typesystem, path.name, left_out, vocabulary)
    yield Item(None, document, left_out.note())


def load_typesystem(data: bytes, what: str) -> Any:
    """A cassis type system from the bytes of a ``TypeSystem.xml`` (ValidationError if bad)."""
    from cassis import load_typesystem as load

    check_xml(data, what)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return load(io.BytesIO(data))
    except Exception as error:  # cassis raises many kinds on a damaged file
        raise ValidationError(
            f"{what} is not a readable UIMA type system ({_reason(error)})"
        ) from None


def check_xml(data: bytes, what: str) -> None:
    """Refuse XML that could expand entities or read other files, or that hides its
    markup in an encoding other than UTF-8 (checked on the bytes, before any parser)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4]:
        raise ValidationError(f"{what} is not UTF-8 XML (UIMA writes UTF-8); nothing was read")
    head = data.removeprefix(b"\xef\xbb\xbf")
    declared = _DECLARED.match(head)
    if declared and declared.group(1).lower() not in _SAFE_ENCODINGS:
        encoding = declared.group(1).decode("ascii")
        raise ValidationError(f"{what} is declared as {encoding}, not UTF-8: refused")
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise ValidationError(
            f"{what} declares a DTD or entities (<!DOCTYPE>), which UIMA XMI never has: "
            "refused, as entities can expand to gigabytes or read other files"
        )


def cas_document(
    data: bytes,
    typesystem: Any,
    what: str,
    left_out: LeftOut,
    vocabulary: Vocabulary = NO_PROJECT,
) -> IncomingDocument:
    """The document one XMI file holds, its spans and relations (see the module docstring)."""
    from cassis import load_cas_from_xmi
    from cassis.typesystem import TypeNotFoundError

    check_xml(data, what)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            cas = load_cas_from_xmi(io.BytesIO(data), typesystem=typesystem, trusted=False)
        except TypeNotFoundError as error:
            raise ValidationError(
                f"{what} uses a layer its TypeSystem.xml does not define ({error.message})"
            ) from None
        except KeyError as error:  # cassis's, for a reference to an id the file lacks
            why = unresolved(data, error.args[0] if error.args else "?", typesystem)
            raise ValidationError(f"{what} is not readable UIMA CAS XMI ({why})") from None
        except Exception as error:  # lxml's, or cassis's on structure it does not expect
            raise ValidationError(
                f"{what} is not readable UIMA CAS XMI ({_reason(error)})"
            ) from None
    if any("Not mapping external offset" in str(w.message) for w in caught):
        raise ValidationError(
            f"{what}: an annotation offset falls inside a character (half of an emoji's UTF-16 "
            "pair) or outside the text"
        )
    text = cas.sofa_string
    if not isinstance(text, str):
        raise ValidationError(f"{what} holds no text (its CAS has no sofaString)")
    return _document(cas, text, what, left_out, vocabulary)


def _document(
    cas: Any, text: str, what: str, left_out: LeftOut, vocabulary: Vocabulary
) -> IncomingDocument:
    annotations = list(cas.select_all_annotations())
    kinds: dict[str, tuple[str, list[Any]] | None] = {}
    spans: dict[int, IncomingSpan] = {}
    relations: list[tuple[Any, Any, Any]] = []
    title, source_id = "", None
    for fs in annotations:
        name = fs.type.name
        if name == DOCUMENT_META:
            title = (fs.get("documentTitle") or "").strip()
            source_id = fs.get("documentId")
            continue
        if silent(name):
            continue
        if name not in kinds:
            kinds[name] = _kind(cas.typesystem, fs.type)
        kind = kinds[name]
        if kind is None:
            left_out.layers[short_name(name)] += 1
        elif kind[0] == "relation":
            relations.append((fs, kind[1], name))
        elif fs.begin >= fs.end:
            left_out.empty += 1
        else:
            spans[id(fs)] = _span(fs, kind[1], vocabulary.label(name), vocabulary, left_out)
    links = []
    for fs, features, name in relations:
        head, child = spans.get(id(fs.get(GOVERNOR))), spans.get(id(fs.get(DEPENDENT)))
        if head is None or child is None:
            left_out.relations += 1
            continue
        label, note, attrs = _values(fs, features, vocabulary.link_type(name), vocabulary, left_out)
        links.append(IncomingRelation(head.ref, child.ref, label, note, attrs))
    meta = {"source_id": source_id} if source_id and source_id != text_uid(text) else {}
    title = title or title_from(text, Path(PurePosixPath(what).name))
    return IncomingDocument(text, title, meta, spans=list(spans.values()), relations=links)


def _kind(typesystem: Any, type_: Any) -> tuple[str, list[Any]] | None:
    """``("span", features)``, ``("relation", features)`` or None (not understood) for an
    annotation type; the features are its own primitive ones."""
    features = [f for f in type_.all_features if f.name not in _BASE_FEATURES]
    names = {f.name for f in features}
    plain = [f for f in features if _primitive(typesystem, f)]
    if GOVERNOR in names and DEPENDENT in names:
        return "relation", plain
    return ("span", plain) if len(plain) == len(features) else None


def _primitive(typesystem: Any, feature: Any) -> bool:
    range_type = feature.rangeType
    return bool(typesystem.is_primitive(range_type) or typesystem.is_primitive_array(range_type))


def _span(
    fs: Any, features: list[Any], layer_label: str, vocabulary: Vocabulary, left_out: LeftOut
) -> IncomingSpan:
    label, note_or_none, attrs = _values(fs, features, layer_label, vocabulary, left_out)
    annotator = fs.get(ANNOTATOR) if any(f.name == ANNOTATOR for f in features) else None
    return IncomingSpan(
        fs.begin,
        fs.end,
        label,
        annotator=annotator if isinstance(annotator, str) and annotator else None,
        note=note_or_none,
        attrs=attrs,
        ref=fs.xmiID,
    )


def _values(
    fs: Any, features: list[Any], layer_label: str, vocabulary: Vocabulary, left_out: LeftOut
) -> tuple[str, str | None, dict[str, Any]]:
    """The label, note and attributes an annotation's features give (``layer_label``
    when no feature gives a label)."""
    text_names = [f.name for f in features if f.rangeType.name == "uima.cas.String"]
    attributes = vocabulary.attributes | {
        f.name for f in features if f.description and f.description.startswith(ATTRIBUTE_MARK)
    }
    chosen = label_feature((f.name for f in features), text_names, attributes)
    value = fs.get(chosen) if chosen else None
    label = value if isinstance(value, str) and value.strip() else layer_label
    note = fs.get(NOTE) if NOTE in text_names else None
    attrs: dict[str, Any] = {}
    for feature in features:
        if feature.name in (chosen, NOTE, ANNOTATOR, GOVERNOR, DEPENDENT):
            continue
        found = getattr(fs, feature.name, None)
        if found is None:
            continue
        if hasattr(found, "elements"):  # a multi-valued feature: its values as a list
            found = list(found.elements or [])
        if not isinstance(found, str | bool | int | float | list):
            left_out.features[feature.name] += 1
            continue
        attrs[attribute_key(feature.name, feature.description)] = found
    return label, note if isinstance(note, str) and note else None, attrs


def _read_limited(path: Path) -> bytes:
    with path.open("rb") as handle:
        data = handle.read(MAX_FILE + 1)
    if len(data) > MAX_FILE:
        raise ValidationError(
            f"{path.name} is over the {MAX_FILE // _MB} MB limit for one XMI file; nothing was read"
        )
    return data


def _read_zip(path: Path, vocabulary: Vocabulary) -> Iterator[Item]:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise ValidationError(f"not a readable zip file ({_reason(error)})") from None
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir() and not _hidden(m.filename)]
        _check_members(members)
        documents = [m for m in members if m.filename.lower().endswith(".xmi")]
        systems = {
            str(PurePosixPath(m.filename).parent): m
            for m in members
            if PurePosixPath(m.filename).name.lower() == "typesystem.xml"
        }
        if not documents:
            raise ValidationError(
                "the zip holds no .xmi file (INCEpTION's UIMA CAS XMI export has one per document)"
            )
        if not systems:
            raise ValidationError(
                "the zip holds no TypeSystem.xml (INCEpTION's XMI export puts one beside the "
                ".xmi files)"
            )
        loaded: dict[str, Any] = {}
        left_out = LeftOut()
        previous: Item | None = None
        for member in sorted(documents, key=lambda m: m.filename):
            folder = str(PurePosixPath(member.filename).parent)
            system = systems.get(folder) or (
                next(iter(systems.values())) if len(systems) == 1 else None
            )
            try:
                if system is None:
                    raise ValidationError(
                        f"{member.filename}: no TypeSystem.xml in its folder of the zip"
                    )
                if system.filename not in loaded:
                    loaded[system.filename] = load_typesystem(
                        _inflate(archive, system), system.filename
                    )
                document: IncomingDocument | ValidationError = cas_document(
                    _inflate(archive, member),
                    loaded[system.filename],
                    member.filename,
                    left_out,
                    vocabulary,
                )
            except ValidationError as error:
                message = str(error)
                if not message.startswith(member.filename) and system is not None:
                    message = f"{member.filename}: {message}"
                document = ValidationError(message)
            if previous is not None:
                yield previous
            previous = Item(None, document)
        if previous is not None:
            yield Item(previous.line, previous.document, left_out.note())


def _hidden(name: str) -> bool:
    """macOS resource forks and dot files that archivers add."""
    parts = PurePosixPath(name).parts
    return any(part.startswith(".") or part == "__MACOSX" for part in parts)


def _check_members(members: list[zipfile.ZipInfo]) -> None:
    """Refuse a zip that would inflate past the limits; only its directory is read."""
    if len(members) > MAX_MEMBERS:
        raise ValidationError(
            f"refused: the zip has {len(members):,} files, over the limit of {MAX_MEMBERS:,}; "
            "nothing of it was read"
        )
    total = sum(m.file_size for m in members)
    if total > MAX_UNCOMPRESSED:
        raise ValidationError(
            f"refused: the zip would inflate to {total / _MB:.1f} MB, over the "
            f"{MAX_UNCOMPRESSED // _MB} MB limit (a zip bomb?); nothing of it was read"
        )
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > MAX_FILE or (member.file_size > BIG_MEMBER and ratio > MAX_RATIO):
            raise ValidationError(
                f"refused: {member.filename!r} in the zip would inflate to "
                f"{member.file_size / _MB:.1f} MB ({ratio:.0f} times), over the limits "
                f"({MAX_FILE // _MB} MB, {MAX_RATIO} times for a big file); nothing of it was read"
            )


def _inflate(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bytes:
    """A member's bytes, inflated in 64 KB steps and never past its stated size."""
    if member.flag_bits & 0x1:
        raise ValidationError(f"{member.filename} is encrypted in the zip: it cannot be read")
    chunks, size = [], 0
    try:
        with archive.open(member) as handle:
            while chunk := handle.read(64 * 1024):
                size += len(chunk)
                if size > member.file_size:  # zipfile stops there; this is a second guard
                    raise ValidationError(f"{member.filename} is longer than the zip says")
                chunks.append(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError) as error:
        raise ValidationError(
            f"{member.filename} cannot be read from the zip ({_reason(error)})"
        ) from None
    return b"".join(chunks)


def _reason(error: BaseException) -> str:
    """An exception as one short line."""
    text = " ".join(str(error).split()) or type(error).__name__
    return text if len(text) <= 160 else text[:157] + "..."
