"""Exporting a project as a training corpus: one writer module per format, one registry.

Adding a format means one new module with ``NAME``, ``SUFFIX``, ``DESCRIPTION`` and
``open_writer(path, context)``, and one entry in ``_FORMATS`` (its name and module). A
module whose output holds other things than the documents' spans and links says what in
``HOLDS`` (see ``base.HOLDS``), and its writer counts them. A module whose output keeps
each span's annotator, so that a reader can tell several annotators' copies of a span
apart, says ``KEEPS_ANNOTATORS = True``: its messages never say that annotators' spans
are pooled (``base.pooled_line``).
"""

from __future__ import annotations

import importlib
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any, BinaryIO, cast

from factmark.core import two_processes
from factmark.core.exporting import grouping, second_process
from factmark.core.exporting.base import (
    HOLDS,
    ExportContext,
    ExportResult,
    PartCounts,
    Selection,
    Split,
    SplitTooSmall,
    Writer,
    iter_records,
    not_adjudicated,
    outputs_placed_together,
    pooled_line,
)
from factmark.core.exporting.card import write_card
from factmark.core.exporting.pseudonyms import OPTION as PSEUDONYMISE
from factmark.core.exporting.pseudonyms import Pseudonyms, check_option
from factmark.core.model import ValidationError
from factmark.core.project import Project
from factmark.core.text import counted

# Format name -> the module writing it, in the order the dialog lists them. A module is
# imported when its format is first asked for: an export loads its own writer only (the
# XMI writer alone brings every importer).
_FORMATS: dict[str, str] = {
    "jsonl": "jsonl",
    "doccano": "doccano",
    "labelstudio": "labelstudio",
    "brat": "brat",
    "conll": "conll",
    "spacy": "spacy_docbin",
    "xmi": "xmi",
    "attribution": "attribution",
    "sentences": "sentences",
    "claimreview": "claimreview",
}


class _Formats(Mapping[str, ModuleType]):
    """The registry: format name -> writer module, imported on first use."""

    def __getitem__(self, name: str) -> ModuleType:
        return importlib.import_module(f"{__name__}.{_FORMATS[name]}")

    def __contains__(self, name: object) -> bool:
        return name in _FORMATS

    def __iter__(self) -> Iterator[str]:
        return iter(_FORMATS)

    def __len__(self) -> int:
        return len(_FORMATS)


FORMATS: Mapping[str, ModuleType] = _Formats()
WRITERS = FORMATS  # the names the command line and the dialog offer


def unavailable(fmt: str) -> str | None:
    """Why format ``fmt`` cannot be written by this install (what to install, as the
    export itself says it), or None when it can. Cheap: nothing heavy is imported for a
    format that can be written."""
    module = FORMATS[fmt]
    if getattr(module, "available", lambda: True)():
        return None
    try:
        if hasattr(module, "check_available"):
            module.check_available()
    except ValidationError as error:
        return str(error)
    return f"the {fmt} format is not part of this install"


def writes_folder(fmt: str) -> bool:
    """Whether format ``fmt`` writes a folder (brat; spaCy's folder of DocBin files is
    named like a file, ``corpus.spacy``)."""
    module = FORMATS[fmt]
    return module.SUFFIX == "" or bool(getattr(module, "FOLDER", False))


def part_path(output: Path, fmt: str, part: str | None) -> Path:
    """Where one part of a split goes: ``corpus.jsonl`` -> ``corpus.train.jsonl``;
    a folder format's parts are subfolders."""
    if part is None:
        return output
    if FORMATS[fmt].SUFFIX == "":
        return output / part
    suffix = output.suffix or FORMATS[fmt].SUFFIX
    return output.with_name(f"{output.name.removesuffix(output.suffix)}.{part}{suffix}")


def export(
    project: Project,
    fmt: str,
    path: Path,
    selection: Selection | None = None,
    split: Split | None = None,
    options: dict[str, str] | None = None,
    *,
    card: bool = True,
    cancelled: Callable[[], bool] | None = None,
) -> ExportResult:
    """Write the selected documents to ``path`` in format ``fmt``, split if asked,
    with a dataset card beside them.

    Every output is written beside its final name and moved into place only when the
    whole export has succeeded; on any error nothing under the final names changes. A
    format that opts in writes a large export's later documents in a second process
    (see ``second_process``), which stops once ``cancelled()`` is true.

    Once ``cancelled()`` is true the export stops (the running query is aborted: SQLite
    asks every few hundred steps) and nothing under the final names changes, up to the
    moment the outputs are put in place; from then on it finishes, its card too, and
    returns what it wrote, so that a late cancel never leaves new outputs reported as
    not written, or without their card.
    """
    if fmt not in FORMATS:
        raise ValidationError(f"unknown export format {fmt!r} (use {', '.join(FORMATS)})")
    selection = selection or Selection()
    selection.check(project)
    check_option((options or {}).get(PSEUDONYMISE))
    # Annotator names replaced in every record, before any writer sees them.
    pseudonyms = Pseudonyms.of(project) if (options or {}).get(PSEUDONYMISE) else None
    module = FORMATS[fmt]
    if hasattr(module, "check_available"):
        module.check_available()
    names: list[str | None] = [name for name, _ in split.parts] if split else [None]
    has_relations = _exports_relations(project, selection)
    contexts = contexts_for(project, selection, names, options or {}, has_relations)
    for context in contexts.values():
        context.cancelled = cancelled
    card_values = contexts[names[0]].card_values
    writers: dict[str | None, Writer] = {}
    result = ExportResult(path)
    if split and split.by:
        result.groups = grouping.plan(project, sorted(selection.statuses), split, split.by)
    groups = result.groups.part_of if result.groups is not None else None
    second: second_process.SecondProcess | None = None
    if cancelled is not None:
        project.conn.set_progress_handler(lambda: int(cancelled()), 200)
    try:
        for name in names:
            writers[name] = module.open_writer(part_path(path, fmt, name), contexts[name])
        counts = {name: PartCounts() for name in names}
        add = record_adder(split, groups, pseudonyms, writers, counts)
        first = None
        if _shares(module):
            share = getattr(module, "FIRST_SHARE", 0.5)
            first = second_process.cut(project, selection, share)
        if first is not None:
            second = second_process.SecondProcess.start(
                project,
                fmt,
                selection,
                options or {},
                has_relations,
                split,
                groups,
                cast(dict[str | None, second_process.Sharing], writers),
                first,
            )
        for record in iter_records(project, selection, second.own if second else None):
            add(record)
        if second is not None:

            def again(ids: range) -> None:
                for record in iter_records(project, selection, ids):
                    add(record)

            joined, second = second, None
            joined.join(
                cast(dict[str | None, second_process.Sharing], writers), counts, cancelled, again
            )
        if split:
            _check_parts(split, counts)
        if cancelled is not None and cancelled():
            raise two_processes.Cancelled
        with outputs_placed_together():  # all parts, or none, replace an earlier export
            for name in names:
                # Dropped only once finished: a writer whose finish fails is discarded too.
                result.files += writers[name].finish()
                del writers[name]
    except BaseException:
        if second is not None:
            second.stop()
        for writer in writers.values():
            writer.discard()
        raise
    finally:
        if cancelled is not None:
            project.conn.set_progress_handler(None, 0)  # in place: the rest is finished
    result.holds = tuple(getattr(module, "HOLDS", HOLDS))
    for name in names:
        part = counts[name]
        part.written = dict(contexts[name].written)
        for noun, number in part.written.items():
            result.written[noun] = result.written.get(noun, 0) + number
        result.documents += part.documents
        result.spans += part.spans
        result.relations += part.relations
        result.parts[name or "all"] = part
        result.outputs[name or "all"] = part_path(path, fmt, name)
        result.notes += [note for note in contexts[name].notes if note not in result.notes]
    result.card_values = dict(card_values)
    result.not_adjudicated = not_adjudicated(project, selection)
    # A majority vote is one layer, whoever made its spans; a format keeping each span's
    # annotator pools nothing.
    if not selection.majority and not getattr(module, "KEEPS_ANNOTATORS", False):
        result.pooled = pooled_line(result.parts.values(), result.documents)
    if split:
        result.warnings += [
            f"split part {name!r} got no documents ({split.describe()} with seed {split.seed} "
            f"on {counted(result.documents, 'document')}): {result.outputs[name]} is empty; "
            "try another seed or other fractions"
            for name in result.empty_parts
        ]
    if card:
        result.card = write_card(
            project, fmt, path, selection, split, options or {}, result, pseudonyms
        )
        result.files.append(result.card)
    return result


# Formats whose whole output is one text file, so that it can go to a stream (``-o -``).
STREAM_FORMATS = (
    "jsonl",
    "doccano",
    "labelstudio",
    "conll",
    "attribution",
    "sentences",
    "claimreview",
)
_NOT_A_STREAM = {"brat": "a folder", "spacy": "a folder of binary files", "xmi": "a zip file"}


def check_streamable(fmt: str, split: Split | None, options: dict[str, str]) -> None:
    """Raise ValidationError unless ``fmt`` with these choices writes one text output."""
    if fmt not in STREAM_FORMATS:
        what = _NOT_A_STREAM.get(fmt, "more than one file")
        raise ValidationError(
            f"the {fmt} format writes {what}, not text for standard output; name a "
            f"{'folder' if fmt in FORMATS and writes_folder(fmt) else 'file'} "
            f"(standard output takes {', '.join(STREAM_FORMATS)})"
        )
    if split:
        raise ValidationError(
            "a split writes one output per part; name a file, not standard output"
        )
    if options.get("nested") == "per-label":
        raise ValidationError("--nested per-label writes one file per label; name a file")


def export_to_stream(
    project: Project,
    fmt: str,
    stream: BinaryIO,
    selection: Selection | None = None,
    options: dict[str, str] | None = None,
) -> ExportResult:
    """Write the selected documents in ``fmt`` (one of STREAM_FORMATS) to ``stream``,
    without a dataset card. The export is made whole in a private folder first, so a
    refused or failed export writes nothing to the stream. Files the format writes beside
    its output (Label Studio's labeling config) are not written; ``result.files`` lists
    what was streamed."""
    check_streamable(fmt, None, options or {})
    with tempfile.TemporaryDirectory(prefix="factmark-export-") as folder:
        path = Path(folder) / f"corpus{FORMATS[fmt].SUFFIX}"
        result = export(project, fmt, path, selection, None, options, card=False)
        left = [f.name for f in result.files if f != path]
        if left:
            result.notes.append(
                f"not written to standard output: {', '.join(left)} (export to a file to get "
                f"{'them' if len(left) > 1 else 'it'})"
            )
        with path.open("rb") as handle:
            shutil.copyfileobj(handle, stream)
        stream.flush()
    result.files = []
    result.outputs = {}
    return result


def contexts_for(
    project: Project,
    selection: Selection,
    names: list[str | None],
    options: Mapping[str, str],
    has_relations: bool,
) -> dict[str | None, ExportContext]:
    """The context of the writer of each part ``names`` of an export."""
    # Only the labels asked for, so per-label outputs and tool configs match the data.
    labels = [
        label
        for label in project.labels()
        if not selection.labels or label.name in selection.labels
    ]
    relation_types = project.relation_types()
    shared: dict[str, Any] = {}
    card_values: dict[str, str] = {}
    return {
        name: ExportContext(
            labels=labels,
            relation_types=relation_types,
            options=dict(options),
            has_relations=has_relations,
            part=name,
            shared=shared,
            card_values=card_values,
        )
        for name in names
    }


def record_adder(
    split: Split | None,
    groups: Mapping[str, str] | None,
    pseudonyms: Pseudonyms | None,
    writers: Mapping[str | None, Writer],
    counts: Mapping[str | None, PartCounts],
) -> Callable[[dict[str, Any]], None]:
    """What gives a record to the writer of its part (annotators replaced first, if
    asked) and counts it."""

    def add(record: dict[str, Any]) -> None:
        if pseudonyms is not None:
            pseudonyms.record(record)
        name = _part(split, groups, record["id"])
        writers[name].add(record)
        counts[name].add(record)

    return add


def _shares(module: ModuleType) -> bool:
    """Whether a format writes a large export's later documents in a second process."""
    return bool(getattr(module, "SECOND_PROCESS", False))


def _part(split: Split | None, groups: Mapping[str, str] | None, uid: str) -> str | None:
    """The part a document goes to: by its group, or by its own text."""
    if split is None:
        return None
    if groups is not None:
        # A document added while the export reads has no group planned: it goes by itself.
        return groups.get(uid) or split.part_of(uid)
    return split.part_of(uid)


def _check_parts(split: Split, counts: Mapping[str | None, PartCounts]) -> None:
    """Raise SplitTooSmall when a part got fewer documents than the split asks for."""
    short = [
        f"{name} {counts[name].documents}"
        for name, _ in split.parts
        if counts[name].documents < split.min_per_part
    ]
    if short:
        total = sum(part.documents for part in counts.values())
        raise SplitTooSmall(
            f"each split part needs at least {counted(split.min_per_part, 'document')}, but "
            f"{split.describe()} with seed {split.seed} on {counted(total, 'document')} gives "
            f"{', '.join(short)}; nothing was written (try another seed or other fractions)"
        )


def _exports_relations(project: Project, selection: Selection) -> bool:
    """Whether any exported document keeps a relation (both its spans exported).

    A label or annotator filter can leave out every relation of a project that has some;
    formats whose shape depends on it (doccano) must then use the shape without relations.
    """
    if not project.has_relations(sorted(selection.statuses)):
        return False
    if not (selection.labels or selection.annotators or selection.majority):
        return True
    return any(record["relations"] for record in iter_records(project, selection))


__all__ = [
    "FORMATS",
    "STREAM_FORMATS",
    "WRITERS",
    "ExportResult",
    "Selection",
    "Split",
    "SplitTooSmall",
    "check_streamable",
    "export",
    "export_to_stream",
    "part_path",
    "unavailable",
]
