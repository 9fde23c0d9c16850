"""CoNLL-2003-style BIO: one ``token TAG`` line per token, a blank line after each sentence.

The layout is the two-column form of CoNLL-2003 NER data: the token, one space, its IOB2 tag
(``B-claim`` on a span's first token, ``I-claim`` on the rest, ``O`` outside spans), UTF-8,
``\\n`` line ends. It is what these read as they are:

- flair: ``ColumnCorpus(folder, {0: "text", 1: "ner"}, train_file="corpus.conll")``;
- spaCy: ``python -m spacy convert corpus.conll . --converter ner -n 10`` (its
  ``conll_ner_to_docs`` splits each line at whitespace, takes the first column as the
  word and the last as the IOB tag, and sentences at blank lines);
- any reader that splits lines at whitespace, e.g. to feed ``seqeval``.

There are no ``-DOCSTART-`` lines. spaCy recognises only the exact four-column line
``-DOCSTART- -X- O O``, and flair's two-column reader takes that line as a token tagged
``-X-``, which makes it treat the whole tag column as token labels instead of spans.
A document always ends a sentence, so no sentence mixes two documents; with spaCy, ``-n``
groups sentences into documents.

Tokens: runs of letters, digits and combining marks (``15,000`` and ``0,3`` stay whole: a
``,`` or ``.`` between two digits joins them), each Chinese or Japanese character alone
(they are written without spaces), and each other character that is not whitespace alone
(``70%`` is ``70`` and ``%``). A character keeps the marks, variation selectors and emoji
modifiers that follow it, and a zero-width (non-)joiner keeps its neighbours together, so
no token splits a letter from its accent or an emoji sequence. Whitespace is everything
``str.isspace()`` calls whitespace, as ``str.split()`` and flair's ``\\s+`` do, so no token
holds a character a reader splits at, and joining the tokens gives back the text without
its whitespace. Languages written without spaces other than Chinese and Japanese (Thai,
Lao, Khmer...) get one token per space-separated run.

Sentences end after ``.``, ``!``, ``?``, ``。``, ``！``, ``？``, ``؟`` (Arabic) and ``।``
(Devanagari), with any closing quotes or brackets right after them, when whitespace
follows (the full-width ones need none, so ``U.S.`` and ``example.com`` stay in one
sentence), and at every line break. A sentence break inside a span that is kept is not
made, so that the span stays one entity.

BIO cannot hold nested or overlapping spans. The ``nested`` option picks what is kept:

- ``outermost`` (default): spans inside no other span;
- ``innermost``: spans with no other span inside them;
- ``per-label``: one file per label, ``corpus.claim.conll``, ``corpus.number.conll``...,
  each with only that label's spans (outermost among them), so a number inside a claim is
  kept in both files. Every file has the same tokens and lines apart from sentence breaks
  inside spans, and there is a file for each project label even when it has no span.

Among spans that cross (overlap without nesting) the one starting first is kept. A span
whose edge falls inside a token is widened to the whole token, and whitespace at a span's
edges, which belongs to no token, is trimmed. The card counts every span widened, left out
or merged across a sentence break. A label's tag is its name with spaces made ``_``
(columns are split at whitespace); the card notes any such change.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from operator import itemgetter
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

from factmark.core.exporting.base import WRITE_BUFFER, AtomicFile, ExportContext
from factmark.core.exporting.conll_tokens import sentence_starts as sentence_starts
from factmark.core.exporting.conll_tokens import split_marked, starts_of_sentences
from factmark.core.exporting.conll_tokens import tokenize as tokenize
from factmark.core.exporting.second_process import part_beside
from factmark.core.model import ValidationError

NAME = "conll"
SUFFIX = ".conll"
HOLDS = ("span",)  # the spans tagged (counted by the writer); no links
# A large export's later documents are written by a second process (see second_process).
SECOND_PROCESS = True
DESCRIPTION = (
    "CoNLL-2003-style BIO (IOB2): one `token TAG` line per token, a blank line between "
    "sentences (flair ColumnCorpus, spacy convert)"
)

POLICIES = ("outermost", "innermost", "per-label")
DEFAULT_POLICY = "outermost"


class TokenSpan(NamedTuple):
    """A span as a ``[first, end)`` range of token indexes; ``order`` is its record position.

    A named tuple rather than a frozen dataclass: an export makes one for every span, and
    a tuple is made several times faster."""

    first: int
    end: int
    label: str
    order: int


# A span's fields as callables for sorting without a Python function per span.
_FIRST, _END, _ORDER = itemgetter(0), itemgetter(1), itemgetter(3)


def keep_outermost(spans: Iterable[TokenSpan]) -> list[TokenSpan]:
    """Spans in no other kept span; of two that cross, the one starting first."""
    kept: list[TokenSpan] = []
    for span in _sorted_by(spans, _FIRST, _END, reverse_second=True):
        if not kept or span.first >= kept[-1].end:
            kept.append(span)
    return kept


def keep_innermost(spans: Iterable[TokenSpan]) -> list[TokenSpan]:
    """Spans with no other span inside them; of two that cross, the one starting first."""
    kept: list[TokenSpan] = []
    for span in _sorted_by(spans, _END, _FIRST, reverse_second=True):
        if not kept or span.first >= kept[-1].end:
            kept.append(span)
    return sorted(kept, key=_FIRST)


def _sorted_by(
    spans: Iterable[TokenSpan],
    key: Callable[[TokenSpan], int],
    second: Callable[[TokenSpan], int],
    *,
    reverse_second: bool,
) -> list[TokenSpan]:
    """``spans`` sorted by ``key``, then ``second`` (descending if asked), then record
    order: stable sorts by fields, last key first, with no Python function called per
    span (an export sorts the spans of every document)."""
    ordered = sorted(spans, key=_ORDER)
    ordered.sort(key=second, reverse=reverse_second)  # reversed, a sort stays stable
    ordered.sort(key=key)
    return ordered


def tag_name(label: str) -> str:
    """A label as a tag suffix: whitespace (the column separator) made ``_``."""
    return "".join("_" if ch.isspace() else ch for ch in label)


def _file_label(label: str) -> str:
    """A label as part of a file name: letters, digits, ``-`` and ``_``; others ``_``."""
    name = "".join(
        ch if ch.isalnum() or ch in "-_" else "_" for ch in unicodedata.normalize("NFC", label)
    )
    return name.strip("_-.") or "label"


def _unique(names: Iterable[str], clean: Any) -> dict[str, str]:
    """Each name -> ``clean(name)``, with ``-2``, ``-3``... where two would be the same
    (compared ignoring case, as Windows and macOS file systems do)."""
    chosen: dict[str, str] = {}
    taken: set[str] = set()
    for name in names:
        base = clean(name)
        candidate, number = base, 2
        while candidate.casefold() in taken:
            candidate, number = f"{base}-{number}", number + 1
        taken.add(candidate.casefold())
        chosen[name] = candidate
    return chosen


@dataclass
class _Counts:
    widened: int = 0
    trimmed: int = 0
    blank: int = 0
    nested: int = 0
    crossing: int = 0
    merged: int = 0
    unknown: int = 0
    tagged: int = 0  # spans written as B-/I- tags (over every per-label file)


class _Output:
    """One .conll file: the spans it keeps and its atomic file (in a second process, the
    file beside it that its documents go to, ``part``)."""

    def __init__(self, path: Path, labels: set[str] | None, part: str | None = None) -> None:
        self.path = path
        self.labels = labels  # None: every label
        self.file: AtomicFile | BinaryIO = (
            AtomicFile(path) if part is None else open(part, "wb", buffering=WRITE_BUFFER)  # noqa: SIM115
        )

    @property
    def atomic(self) -> AtomicFile:
        assert isinstance(self.file, AtomicFile)
        return self.file


class ConllWriter:
    """Writes each record's tokens and tags, to one file or to one file per label."""

    def __init__(
        self, path: Path, context: ExportContext, policy: str, parts: list[str] | None = None
    ) -> None:
        self.context = context
        self.path = path
        self.parts: list[str] = []  # files a second process writes its documents to
        self.policy = policy
        names = [label.name for label in context.labels]
        self.tags = _unique(names, tag_name)
        # Each label's two tag column endings, made once: an export tags millions of tokens.
        self.begin = {name: f" B-{tag}\n" for name, tag in self.tags.items()}
        self.inside = {name: f" I-{tag}\n" for name, tag in self.tags.items()}
        self.counts = _Counts()
        self.outputs: list[_Output] = []
        try:
            if policy == "per-label":
                suffix = path.suffix or SUFFIX
                stem = path.name.removesuffix(path.suffix) if path.suffix else path.name
                for number, (name, part) in enumerate(_unique(names, _file_label).items()):
                    target = path.with_name(f"{stem}.{part}{suffix}")
                    self.outputs.append(_Output(target, {name}, parts[number] if parts else None))
            else:
                self.outputs.append(_Output(path, None, parts[0] if parts else None))
        except BaseException:
            self.discard()
            raise

    def add(self, record: dict[str, Any]) -> None:
        text: str = record["text"]
        words, starts, ends, marks = split_marked(text)
        if not words:
            return
        sentences = starts_of_sentences(text, words, starts, ends, marks)
        spans = self._token_spans(starts, ends, record["spans"])
        keep = keep_innermost if self.policy == "innermost" else keep_outermost
        begin, inside = self.begin, self.inside
        for output in self.outputs:
            labels = output.labels
            chosen = spans if labels is None else [s for s in spans if s.label in labels]
            kept = keep(chosen)
            self.counts.tagged += len(kept)
            self._count_left_out(chosen, kept)
            # What follows each token on its line: its tag and the line end (a blank line
            # before a sentence is one more line end after the token before it).
            tails = [" O\n"] * len(words)
            for first, end, label, _ in kept:
                tails[first] = begin[label]
                tails[first + 1 : end] = [inside[label]] * (end - first - 1)
            for k in sentences:
                if tails[k][1] == "I":  # inside a kept span (they never overlap): no break
                    self.counts.merged += 1
                else:
                    tails[k - 1] += "\n"
            tails[-1] += "\n"  # a document ends its sentence
            lines = words * 2  # a list of the right length, filled in place below
            lines[0::2] = words
            lines[1::2] = tails
            output.file.write("".join(lines).encode())

    def _token_spans(
        self, starts: list[int], ends: list[int], spans: list[dict[str, Any]]
    ) -> list[TokenSpan]:
        """Each span as the tokens it touches; counts what had to be widened or trimmed."""
        result: list[TokenSpan] = []
        append, make = result.append, tuple.__new__  # TokenSpan(...) runs Python code each time
        tags, counts = self.tags, self.counts
        for order, span in enumerate(spans):
            label = span["label"]
            if label not in tags:
                counts.unknown += 1
                continue
            start, end = span["start"], span["end"]
            first = bisect_right(ends, start)
            last = bisect_left(starts, end)
            if first >= last:
                counts.blank += 1
                continue
            token_start, token_end = starts[first], ends[last - 1]
            if token_start < start or token_end > end:
                counts.widened += 1
            elif token_start > start or token_end < end:
                counts.trimmed += 1
            append(make(TokenSpan, (first, last, label, order)))
        return result

    def _count_left_out(self, chosen: list[TokenSpan], kept: list[TokenSpan]) -> None:
        """Counts each span left out as nested (in a kept span, or around one) or crossing.

        The kept spans never overlap and are in text order, so only two can hold a span
        or sit inside it: the last one starting at or before it, and the first one starting
        at or after it."""
        left_out = len(chosen) - len(kept)
        if not left_out:
            return
        kept_orders = set(map(_ORDER, kept))
        firsts = list(map(_FIRST, kept))
        nested = 0
        for first, end, _, order in chosen:
            if order in kept_orders:
                continue
            before = bisect_right(firsts, first) - 1  # starts at or before it: holds it?
            if before >= 0 and end <= kept[before].end:
                nested += 1
                continue
            after = bisect_left(firsts, first)  # starts at or after it: inside it?
            if after < len(kept) and kept[after].end <= end:
                nested += 1
        self.counts.nested += nested
        self.counts.crossing += left_out - nested

    def _notes(self) -> list[str]:
        part = f"{self.context.part}: " if self.context.part else ""
        counts = self.counts
        per_label = ", counted over the per-label files" if self.policy == "per-label" else ""
        how = {
            "outermost": "by --nested outermost, inside another span",
            "innermost": "by --nested innermost, around another span",
            "per-label": "by --nested per-label, inside another span of the same label",
        }[self.policy]
        notes = [
            f"BIO tags cannot hold a space: label {name!r} is tagged {tag!r}"
            for name, tag in self.tags.items()
            if name != tag
        ]
        for number, what in (
            (counts.widened, "spans widened to whole tokens (an edge fell inside a token)"),
            (counts.trimmed, "spans trimmed of whitespace at an edge (it belongs to no token)"),
            (counts.blank, "spans left out, holding only whitespace"),
            (counts.nested, f"spans left out {how} (BIO cannot nest){per_label}"),
            (
                counts.crossing,
                "spans left out, crossing an earlier span (BIO cannot overlap; the span "
                f"starting first was kept){per_label}",
            ),
            (
                counts.merged,
                "sentence breaks not made because they fell inside a span (it stays one "
                f"entity){per_label}",
            ),
            (counts.unknown, "spans left out, their label not being a project label"),
        ):
            if number:
                notes.append(f"{part}{what}: {number:,}")
        return notes

    # -- a second process's documents (see second_process) ---------------------

    def share(self) -> dict[str, Any]:
        """Where a second process writes its documents: a file beside each output, which
        :meth:`take` appends to it."""
        self.parts += [part_beside(output.path) for output in self.outputs]
        return {"path": str(self.path), "files": list(self.parts)}

    def close(self) -> dict[str, Any]:
        """In the second process: its files complete, and what it counted."""
        for output in self.outputs:
            assert not isinstance(output.file, AtomicFile)
            output.file.close()
        return {"counts": asdict(self.counts)}

    def fits(self, state: dict[str, Any]) -> bool:
        """A document's lines depend on no other document's: always."""
        return True

    def take(self, state: dict[str, Any]) -> None:
        """The second process's lines after this writer's, and its counts added."""
        for name, number in state["counts"].items():
            setattr(self.counts, name, getattr(self.counts, name) + number)
        for output, part in zip(self.outputs, self.parts, strict=True):
            output.atomic.append(Path(part))
        self.drop(state)

    def drop(self, state: dict[str, Any]) -> None:
        """Remove the files of the second process."""
        while self.parts:
            Path(self.parts.pop()).unlink(missing_ok=True)

    def finish(self) -> list[Path]:
        files: list[Path] = []
        try:
            while self.outputs:
                files += self.outputs[0].atomic.finish()
                self.outputs.pop(0)
        except BaseException:
            self.discard()
            raise
        self.context.notes.extend(n for n in self._notes() if n not in self.context.notes)
        self.context.written["span"] = self.counts.tagged  # those left out are in the notes
        return files

    def discard(self) -> None:
        for output in self.outputs:
            if isinstance(output.file, AtomicFile):
                output.file.discard()
            else:
                output.file.close()
        self.outputs = []
        self.drop({})


def open_writer(path: Path, context: ExportContext) -> ConllWriter:
    """A writer for ``path`` (for ``per-label``, the files beside it named after each label)."""
    policy = context.options.get("nested") or DEFAULT_POLICY
    if policy not in POLICIES:
        raise ValidationError(f"unknown nested-span policy {policy!r} (use {', '.join(POLICIES)})")
    return ConllWriter(path, context, policy)


def open_share(share: dict[str, Any], context: ExportContext) -> ConllWriter:
    """In a second process: a writer to the files a first one appends to its outputs."""
    policy = context.options.get("nested") or DEFAULT_POLICY
    return ConllWriter(Path(share["path"]), context, policy, list(share["files"]))
