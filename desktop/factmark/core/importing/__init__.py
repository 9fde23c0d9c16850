"""Importing files into a project: one reader module per format, one registry.

Adding a format means one new module with ``SUFFIXES`` and ``read(path)``, and
one entry in ``_READERS``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import ModuleType

import orjson

from factmark.core import error_log
from factmark.core.documents_store import DocumentBatch, UnknownLabel
from factmark.core.importing import brat, docx, html, jsonl, labelstudio, text, webanno_tsv, xmi
from factmark.core.importing.base import Item, normalise_document
from factmark.core.importing.inception_layers import Vocabulary
from factmark.core.incoming import IncomingDocument
from factmark.core.labels_store import check_label, check_relation_type
from factmark.core.model import Label, ValidationError
from factmark.core.preferences import clean_annotator
from factmark.core.project import Project, ProjectError
from factmark.core.safe_text import first_unsafe, printable
from factmark.core.source_files import (
    MAX_DOCUMENT,
    TOO_LONG,
    name_too_long,
    not_regular,
    short_name,
    too_large,
)
from factmark.core.text import check_text, counted, holds_nul

_READERS: tuple[ModuleType, ...] = (text, html, docx, jsonl, brat, labelstudio, xmi, webanno_tsv)
READERS: dict[str, Callable[[Path], Iterator[Item]]] = {
    suffix: module.read for module in _READERS for suffix in module.SUFFIXES
}


#: The first line of the dataset card every export writes beside its files
#: (``exporting.card``): a card describes a dataset, it is no article.
CARD_MARKER = b"<!-- Factmark dataset card:"


def supported(path: Path) -> bool:
    """Whether some reader takes files with this suffix."""
    return path.suffix.lower() in READERS


def dataset_card(path: Path) -> bool:
    """Whether ``path`` is a Factmark dataset card (its first line says so)."""
    if path.suffix.lower() not in text.SUFFIXES:
        return False
    try:
        with path.open("rb") as file:
            return (
                file.read(len(CARD_MARKER) + 3)
                .removeprefix(b"\xef\xbb\xbf")
                .startswith(CARD_MARKER)
            )
    except OSError:
        return False  # the reader tells what is wrong with it


@dataclass
class FileReport:
    """What importing one file did: counts, the per-line errors and any note."""

    path: Path
    documents: int = 0
    spans: int = 0
    links: int = 0
    duplicates: int = 0
    duplicate_spans: int = 0  # the spans the duplicates carried, not imported with them
    errors: list[tuple[int | None, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    unknown_labels: list[str] = field(default_factory=list)  # of the documents refused for them
    # The labels the file brought that were added (``create_labels``), with their keys.
    added_labels: list[Label] = field(default_factory=list)
    skipped: str | None = None  # why the file was not read, when that is no error

    @property
    def failed(self) -> bool:
        return bool(self.errors)

    def lines(self) -> list[str]:
        """The report as the user reads it: one summary line, then one line per error.

        Names from outside (the file's, labels in messages) are escaped: a line is one
        line, with no control or bidi character (see :func:`safe_text.printable`).
        """
        name = printable(self.path)
        if self.skipped:
            return [printable(f"{name}: skipped: {self.skipped}")]
        parts = []
        if self.documents:
            links = f", {counted(self.links, 'link')}" if self.links else ""
            parts.append(
                f"imported {counted(self.documents, 'document')}, "
                f"{counted(self.spans, 'span')}{links}"
            )
        if self.duplicates:
            # Their spans stay out with them: said, so that none goes missing unsaid.
            left = (
                f"; {counted(self.duplicate_spans, 'span')} on "
                f"{'it' if self.duplicates == 1 else 'them'} not imported"
                if self.duplicate_spans
                else ""
            )
            parts.append(
                f"duplicate (same text already in the project{left})"
                if self.duplicates == 1 and not (self.documents or self.errors)
                else f"{counted(self.duplicates, 'duplicate')} (same text already there{left})"
            )
        if self.errors and (self.documents or self.duplicates):
            parts.append(f"{counted(len(self.errors), 'line')} failed")
        lines = (
            [f"{name}: {'; '.join(parts)}" + (f" ({', '.join(self.notes)})" if self.notes else "")]
            if parts
            else []
        )
        for line, message in self.errors:
            where = f"{name}:{line}" if line else name
            lines.append(f"{where}: error: {message}")
        return [printable(line) for line in lines]


def added_labels(reports: Iterable[FileReport]) -> list[Label]:
    """The labels the reports' files added to the project, in the order they were added."""
    return [label for report in reports for label in report.added_labels]


def added_labels_line(labels: Iterable[Label]) -> str:
    """The labels an import added with their keys, as the import reports name them:
    ``added labels: LOC (key 5), PER (key 6), quote (no key)``; names escaped."""
    named = (f"{label.name} ({f'key {label.key}' if label.key else 'no key'})" for label in labels)
    return printable(f"added labels: {', '.join(named)}")


def keyless_labels_line(labels: Iterable[Label], advice: str) -> str:
    """A line naming the added labels that got no key (every key was taken), then
    ``advice`` (where to give them one); "" when each got a key."""
    names = [label.name for label in labels if not label.key]
    if not names:
        return ""
    return printable(f"no key was free for {', '.join(names)}; {advice}")


def missing_labels(reports: Iterable[FileReport]) -> list[str]:
    """The labels the project lacks that the reports' refused documents name, each once,
    in the order the files came."""
    return list(dict.fromkeys(name for report in reports for name in report.unknown_labels))


def collect_files(paths: Iterable[Path]) -> tuple[list[Path], list[FileReport]]:
    """Expand folders (recursively, skipping hidden entries) into importable files.

    Files named directly are always tried; in folders only supported suffixes are,
    leaving out hidden files and README files (which describe a folder) other than
    dataset cards (:func:`import_file` reports those skipped). A ``.txt``
    with a brat ``.ann`` beside it is a brat document: it comes in once, with its
    annotations (:func:`import_file` reads the pair whichever of the two it is given).
    Files in folders that are not regular files (a named pipe, a link to a device) are
    never opened: each gets a report saying it was skipped.
    A path whose name is too long for any file system gets a report of its own (its
    name shortened). Returns the files and reports for paths that do not exist, are too
    long or were skipped.
    """
    files: list[Path] = []
    missing: list[FileReport] = []
    for path in paths:
        if name_too_long(path):
            missing.append(FileReport(Path(short_name(path)), errors=[(None, TOO_LONG)]))
        elif path.is_dir():
            for found in sorted(path.rglob("*")):
                hidden = any(part.startswith(".") for part in found.relative_to(path).parts)
                # A folder's README describes the folder; it is not an article.
                readme = found.stem.lower() == "readme" and not dataset_card(found)
                if hidden or readme or not supported(found) or found.is_dir():
                    continue
                if found.is_file():
                    files.append(found)
                elif kind := not_regular(found):  # a pipe, a link to a device: said, not read
                    missing.append(FileReport(found, skipped=f"not a regular file ({kind})"))
        elif path.exists():
            files.append(path)
        else:
            missing.append(FileReport(path, errors=[(None, "no such file or folder")]))
    # A brat document is its .ann and .txt together: one of them brings in both.
    listed = set(files)
    files = [file for file in files if brat.annotations_of(file) not in listed]
    return files, missing


def import_file(
    project: Project,
    path: Path,
    *,
    create_labels: bool = False,
    annotator: str | None = None,
    lang: str | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> FileReport:
    """Import one file; each document goes in whole or not at all.

    ``lang`` (a language tag) becomes ``meta.lang`` of each document that says no
    language of its own (``lang`` or ``language`` in its metadata): what the spaCy
    export, the suggesters and the archive match read a document's language from.

    Storage errors (read-only or damaged project) raise ProjectError; everything
    wrong with the file itself ends up in the report. So does an error no reader
    expected (a bug meeting an odd file): the file is refused in one line, its
    traceback appended to ``factmark.log`` (:mod:`error_log`), and the import goes on
    with the next file.
    """
    try:
        return _import_file(project, path, create_labels, annotator, lang, cancelled)
    except ProjectError:
        raise
    except Exception as error:
        # The file's transaction was rolled back: nothing of it was stored.
        return _unreadable(path, error)


def _unreadable(path: Path, error: Exception) -> FileReport:
    """The report of a file whose reading raised what no reader expected."""
    report = FileReport(path)
    told = error_log.told(error, error_log.log_error(error))
    report.errors.append((None, f"could not be read: {told}"))
    return report


def _import_file(
    project: Project,
    path: Path,
    create_labels: bool,
    annotator: str | None,
    lang: str | None,
    cancelled: Callable[[], bool],
) -> FileReport:
    report = FileReport(path)
    kind = not_regular(path)  # before anything opens it: a named pipe blocks the opening
    if kind is not None:
        report.errors.append((None, f"not a regular file ({kind}); nothing was read"))
        return report
    if dataset_card(path):
        report.skipped = "a Factmark dataset card"
        return report
    if not _utf8(str(path)):
        # os.listdir gives the bytes it cannot decode as lone surrogates, which no
        # title or message can store: the file is skipped (its name escaped), the rest goes on.
        report.errors.append((None, "the file name is not valid UTF-8; rename it to import it"))
        return report
    reader = READERS.get(path.suffix.lower())
    if brat.annotations_of(path) is not None:
        reader = brat.read  # a .txt named with its brat annotations beside it
    if reader is None:
        known = ", ".join(sorted(READERS))
        report.errors.append(
            (None, f"unsupported file type {path.suffix or '(none)'!r} (Factmark imports {known})")
        )
        return report
    types_before = project.relation_types()
    if reader in (xmi.read, webanno_tsv.read):
        items = reader(path, _vocabulary(project))
    elif reader is brat.read:  # values brat holds respelled: the project's say which
        items = brat.read(path, project.attribute_definitions())
    else:
        items = reader(path)
    try:
        with project.transaction():
            if create_labels and reader is brat.read:
                _declare(project, *brat.declared_types(path), report)
            batch = project.document_batch(create_labels=create_labels)
            for item in items:
                if cancelled():
                    break
                _store(project, batch, item, report, create_labels, annotator, lang)
            batch.flush()
            report.added_labels += batch.added_labels
            added_types = [t for t in project.relation_types() if t not in types_before]
            if added_types:
                report.notes.append(f"added link types: {', '.join(added_types)}")
    except ValidationError as error:
        _rolled_back(report)
        _refused(report, None, error)
    except OSError as error:
        _rolled_back(report)
        report.errors.append((None, f"cannot be read ({error.strerror or error})"))
    return report


def _vocabulary(project: Project) -> Vocabulary:
    """The project's labels, link types and attribute keys, for the INCEpTION readers."""
    keys = frozenset(
        definition["name"]
        for definitions in (project.attribute_definitions(), project.link_attribute_definitions())
        for per_kind in definitions.values()
        for definition in per_kind
    )
    return Vocabulary(
        tuple(label.name for label in project.labels()), tuple(project.relation_types()), keys
    )


def _declare(
    project: Project, labels: list[str], relation_types: list[str], report: FileReport
) -> None:
    """Add the labels and link types a file's configuration declares (brat's
    annotation.conf) that the project lacks, in the configuration's order."""
    known, types = {label.name for label in project.labels()}, project.relation_types()
    refused = []
    for name in labels:
        try:
            if name not in known:
                added = project.add_label(name, *project.free_key_and_colour())
                known.add(added.name)
                report.added_labels.append(added)
        except ValidationError:
            refused.append(name)
    for name in relation_types:
        try:
            if name not in types:
                types.append(project.add_relation_type(name))
        except ValidationError:
            refused.append(name)
    if refused:
        report.notes.append(f"names in annotation.conf not taken as labels: {refused}")


def _utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _refused(report: FileReport, line: int | None, error: ValidationError) -> None:
    """Report a refused line (or file), and the labels it lacked when only they were wrong."""
    report.errors.append((line, str(error)))
    if isinstance(error, UnknownLabel):
        known = set(report.unknown_labels)
        report.unknown_labels += [name for name in error.labels if name not in known]


def _rolled_back(report: FileReport) -> None:
    """A whole-file error undid the file's transaction: nothing of it was stored."""
    report.documents = report.spans = report.links = report.duplicates = 0
    report.duplicate_spans = 0
    report.added_labels = []


def _store(
    project: Project,
    batch: DocumentBatch,
    item: Item,
    report: FileReport,
    create_labels: bool,
    annotator: str | None,
    lang: str | None = None,
) -> None:
    if item.note:
        report.notes.append(item.note)
    if isinstance(item.document, ValidationError):
        report.errors.append((item.line, str(item.document)))
        return
    try:
        # Inside the try: a bad offset found while normalising is this line's error,
        # not the whole file's.
        document = normalise_document(item.document)
        if annotator:
            for span in document.spans:
                span.annotator = span.annotator or annotator
        if lang and not document.meta.get("lang") and not document.meta.get("language"):
            document.meta["lang"] = lang
        _check_names(project, document, create_labels)
        added = batch.add(document)
    except ValidationError as error:
        _refused(report, item.line, error)
        return
    if added is None:
        report.duplicates += 1
        report.duplicate_spans += len(document.spans)
    else:
        report.documents += 1
        report.spans += added
        report.links += len(document.relations)


def _check_names(project: Project, document: IncomingDocument, create_labels: bool) -> None:
    """Refuse what a document brings that the model's rules forbid: new labels and link
    types as ``factmark labels --add`` / ``relations --add`` check them, annotator names
    as the preferences do, and NUL in the title or metadata (no display keeps it).

    Titles and metadata are data: other control or bidi characters are stored as they
    are and escaped wherever they are printed.
    """
    check_text(document.text)  # binary text is told as such, before its first line, the title
    if len(document.text) > MAX_DOCUMENT // 4 and len(document.text.encode()) > MAX_DOCUMENT:
        raise ValidationError(too_large(len(document.text.encode()), MAX_DOCUMENT, "a document"))
    if not isinstance(document.title, str) or "\x00" in document.title:
        raise ValidationError(f"the title holds a NUL character: {document.title!r}")
    if holds_nul(document.meta):
        raise ValidationError("the metadata holds a NUL character")
    _check_storable("the metadata", document.meta)
    for span in document.spans:
        if span.attrs:
            _check_storable(f"span {span.start}-{span.end}: the attributes", span.attrs)
    for span in document.spans:
        if isinstance(span.annotator, str):
            cleaned, problem = _annotator(span.annotator)
            if problem:
                raise ValidationError(f"span {span.start}-{span.end}: {problem}")
            span.annotator = cleaned
    if create_labels and document.spans:
        labels = project.labels()
        known = {label.name for label in labels}
        # A label that is not text is refused when the document is stored.
        for name in dict.fromkeys(s.label for s in document.spans if isinstance(s.label, str)):
            if name in known:
                continue
            checked = check_label(Label(name, position=len(labels)), labels)
            if checked.name != name:
                raise ValidationError(f"a label name cannot start or end with spaces: {name!r}")
            labels.append(checked)
            known.add(name)
    if document.relations:
        types = project.relation_types()
        for name in dict.fromkeys(r.label for r in document.relations if isinstance(r.label, str)):
            if name in types:
                continue
            if check_relation_type(name, types) != name:
                raise ValidationError(f"a link type cannot start or end with spaces: {name!r}")
            types.append(name)


def _check_storable(what: str, value: object) -> None:
    """Refuse JSON data the project cannot store as JSON (nested deeper than orjson
    writes, 255 levels) with a message, not a traceback."""
    if not value:
        return  # stored as {}
    try:
        orjson.dumps(value)
    except orjson.JSONEncodeError:
        raise ValidationError(
            f"{what}: nested more than 255 levels deep, too deep to store"
        ) from None


@lru_cache(maxsize=256)
def _annotator(name: str) -> tuple[str, str | None]:
    """The annotator name as stored and None, or the reason it is refused (a corpus
    names a few annotators over and over: each is checked once)."""
    try:
        cleaned = clean_annotator(name)
    except ValidationError as error:
        return name, str(error)
    if first_unsafe(cleaned) is not None:
        return name, f"the annotator name holds a bidi control character: {cleaned!r}"
    return cleaned, None


__all__ = [
    "READERS",
    "FileReport",
    "ProjectError",
    "collect_files",
    "dataset_card",
    "import_file",
    "missing_labels",
    "supported",
]
