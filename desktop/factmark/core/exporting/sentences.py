"""Sentence classification corpora: every sentence of every exported document, labelled
from the spans under one stated rule, in the shape of a public check-worthiness dataset.

Sentences come from spaCy's sentencizer (see ``sentence_split``). A span *touches* a
sentence when they share a character; a span across a sentence boundary touches each
sentence it covers part of, and the dataset card counts such spans.

**Which claims are check-worthy.** When any exported ``claim`` span has a ``checkworthy``
attribute, a claim is check-worthy exactly when that attribute is ``yes`` (any case) or
true; otherwise (no claim has the attribute) every claim is check-worthy. The card says
which of the two applied.

The ``scheme`` option (``--sentences-scheme``) picks the shape:

- ``checkthat`` (default): the binary check-worthiness of the CLEF CheckThat! lab, as the
  English files of its most recent edition with English check-worthiness data (CLEF 2024,
  Task 1, ``CT24_checkworthy_english_{train,dev,dev-test}.tsv``; format in
  ``task1/README.md`` of gitlab.com/checkthat_lab/clef2024-checkthat-lab): UTF-8 TSV with
  the header ``Sentence_id<TAB>Text<TAB>class_label``, one sentence a line, ``class_label``
  ``Yes`` when the sentence touches a check-worthy claim, else ``No``. ``Sentence_id``
  counts sentences 1, 2, ... in document order, on through every part of a split, so ids
  never repeat. A sentence's tabs and line breaks (with the whitespace around them) become
  one space, since the lab's files hold one sentence a line and its scorer splits each
  line at tabs into exactly three fields; fields holding ``"`` are quoted CSV-style (as in
  the lab's files, and as ``pandas.read_csv(sep="\\t")`` reads them). That file format has
  no speaker column (CT21's debate files had one; a fourth column would break the 2024
  scorer): the speaker is in the ``claimbuster`` shape.
- ``claimbuster``: the three classes of the ClaimBuster dataset (Arslan et al., 2020,
  doi:10.5281/zenodo.3609356) as JSON Lines with its attribute names: ``Sentence_id``,
  ``Text`` (exact), ``Speaker``, ``File_id`` (the document's id), ``Line_number`` (the
  sentence's place in its document, from 1) and ``Verdict``: ``1`` (CFS, check-worthy
  factual: touches a check-worthy claim), ``0`` (UFS, unimportant factual: touches a
  ``claim`` or ``number`` span but no check-worthy claim), ``-1`` (NFS, non-factual:
  anything else); ``label`` repeats the verdict as ``CFS``/``UFS``/``NFS`` and
  ``sentence`` gives its offsets in code points, UTF-16 code units and UTF-8 bytes.
  ``Speaker`` is the text of the source span linked (``attributed_to``) to a claim touching
  the sentence, several joined by ``"; "`` in text order; for a claim without a source
  marked as the outlet's own voice (``voice: outlet``, see ``core.cues``), the document's
  ``author``, else its ``publication`` (metadata), else ``outlet``; ``""`` when there is
  none of these.

Labels are decided once every document of the export has been seen (the rule depends on
all of them), so the writer keeps the sentences in a temporary file until ``finish``, with
one byte each in memory saying what touches it (100,000 articles: a few MB, not GB). In a
large export a second process spools the later documents' sentences to a file beside the
output and says what touches each; ``finish`` numbers and labels them after this
process's own (see ``second_process``).
"""

from __future__ import annotations

import base64
import re
import tempfile
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from itertools import chain
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from factmark.core.cues import OUTLET, is_outlet_voice
from factmark.core.exporting.base import WRITE_BUFFER, AtomicFile, ExportContext
from factmark.core.exporting.second_process import part_beside
from factmark.core.exporting.sentence_split import (
    Segmenter,
    SentenceIndex,
    located,
    offset_table,
)
from factmark.core.exporting.sentence_split import available as available
from factmark.core.exporting.sentence_split import check_available as _check
from factmark.core.model import ValidationError
from factmark.core.text import counted

NAME = "sentences"
SUFFIX = ".tsv"
HOLDS = ("sentence",)  # one line each
# A large export's later documents are spooled by a second process (see second_process).
SECOND_PROCESS = True
# The first process numbers and labels every sentence once both have finished (0.67 s of
# processor time for 1.56 million at 100,000 articles, against 10.4 s for the whole
# export): it takes that much less of the texts.
FIRST_SHARE = 0.47
DESCRIPTION = (
    "sentences labelled for check-worthiness: CheckThat! TSV (Yes/No), or ClaimBuster "
    "JSONL (CFS/UFS/NFS) with --sentences-scheme claimbuster"
)
SCHEMES = {
    "checkthat": "CheckThat! check-worthiness TSV (Yes / No)",
    "claimbuster": "ClaimBuster JSONL (CFS / UFS / NFS, with the speaker)",
}
DEFAULT_SCHEME = "checkthat"
SUFFIXES = {"checkthat": ".tsv", "claimbuster": ".jsonl"}
ATTRIBUTE = "checkworthy"
_SHARED_ATTRIBUTE = "sentences: a claim has the checkworthy attribute"
_SHARED_NEXT_ID = "sentences: next Sentence_id"
# A tab and what ends a line (str.splitlines): none is left in a CheckThat! field.
_BREAKS = "\t\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_LINE_BREAKS = re.compile(f"\\s*[{_BREAKS}]\\s*")
# The others, each looked for on its own: ten finds of one character (each a memchr) take
# a third of the time of one expression's scan for them all.
_OTHER_BREAKS = _BREAKS.replace("\n", "")
VERDICTS = {"CFS": 1, "UFS": 0, "NFS": -1}
# The dataset card's "Loading it" for each scheme (after the file names).
LOADING = {
    "checkthat": (
        "The columns of the CheckThat! 2024 English check-worthiness files "
        "(`Sentence_id`, `Text`, `class_label` Yes/No):\n\n"
        "```python\nimport pandas as pd\n"
        'sentences = pd.read_csv(path, sep="\\t", keep_default_na=False)\n```\n'
        "`keep_default_na=False` keeps a sentence such as `NA` as text."
    ),
    "claimbuster": (
        "The attributes of the ClaimBuster dataset (`Sentence_id`, `Text`, `Speaker`, "
        "`File_id`, `Line_number`, `Verdict` 1/0/-1), plus `label` (CFS/UFS/NFS) and "
        "`sentence` offsets. `Speaker` is the source linked to a claim in the sentence, or "
        "for a claim marked as the outlet's own voice the article's author, else its "
        "publication, else `outlet`; empty when the sentence has neither:\n\n"
        "```python\nfrom datasets import load_dataset\n"
        'sentences = load_dataset("json", data_files=path)\n```'
    ),
}


def check_available() -> None:
    """Refuse the export when spaCy (the sentence segmenter) is not installed."""
    _check(NAME)


# What touches a sentence, one byte a sentence until the rule is known.
CHECKWORTHY_YES = 1  # a claim whose attribute says yes
CLAIM = 2  # any claim
NUMBER = 4  # a number span


class SentencesWriter:
    """Keeps every sentence (in a temporary file, one line each, already in the shape
    written); writes them labelled when the export has seen them all."""

    def __init__(self, path: Path, context: ExportContext, part: str | None = None) -> None:
        self.context = context
        self.path = path
        self.scheme = context.options.get("scheme") or DEFAULT_SCHEME
        self.segmenter = Segmenter()
        # One line a sentence, in order; closed by finish or discard. CheckThat!: the Text
        # field as the TSV holds it; ClaimBuster: the JSON of what its line says besides
        # the id and the verdict. In a second process, the file its first process reads
        # after its own spool (``later``).
        self.spool: BinaryIO = (
            tempfile.TemporaryFile()  # noqa: SIM115
            if part is None
            else open(part, "wb", buffering=WRITE_BUFFER)  # noqa: SIM115
        )
        self.part: str | None = None  # the spool a second process writes to
        self.later: BinaryIO | None = None  # that spool, once the second process is done
        self.touched = bytearray()  # per sentence: CHECKWORTHY_YES | CLAIM | NUMBER
        self.crossing: dict[str, int] = {}  # label -> spans across a sentence boundary
        context.shared.setdefault(_SHARED_ATTRIBUTE, False)
        context.shared.setdefault(_SHARED_NEXT_ID, 1)
        self.out = AtomicFile(path) if part is None else None

    def add(self, record: dict[str, Any]) -> None:
        text = record["text"]
        index = self.segmenter.index(text)
        touched = bytearray(len(index.starts))
        # Per sentence, the claims touching it (ClaimBuster names their speakers).
        claims: list[list[dict[str, Any]]] | None = None
        if self.scheme == "claimbuster":
            claims = [[] for _ in index.starts]
        # What index.reach finds, without a call per span.
        starts, ends = index.starts, index.ends
        for span in record["spans"]:
            first = bisect_right(ends, span["start"])
            last = bisect_left(starts, span["end"], first)
            if first == last:
                continue
            label = span["label"]
            if label == "claim":
                flag = CLAIM
                if span["attrs"]:
                    if _has_attribute(span):
                        self.context.shared[_SHARED_ATTRIBUTE] = True
                    if _says_yes(span):
                        flag |= CHECKWORTHY_YES
            else:
                flag = NUMBER if label == "number" else 0
            if last - first > 1:
                self.crossing[label] = self.crossing.get(label, 0) + 1
            if not flag:  # neither a claim nor a number: touches nothing that counts
                continue
            if last - first == 1 and claims is None:  # most spans: within one sentence
                touched[first] |= flag
                continue
            for n in range(first, last):
                touched[n] |= flag
                if claims is not None and label == "claim":
                    claims[n].append(span)
        self.touched += touched
        if claims is None:
            self.spool.write(_tsv_fields(text, index))
        else:
            self._spool_claimbuster(record, index.bounds, claims)

    def _spool_claimbuster(
        self,
        record: dict[str, Any],
        bounds: list[tuple[int, int]],
        claims: list[list[dict[str, Any]]],
    ) -> None:
        text = record["text"]
        spans = record["spans"]
        by_id = {s["id"]: s for s in spans}
        sources: dict[int, list[dict[str, Any]]] = {}
        for relation in record["relations"]:
            if relation["label"] == "attributed_to":
                sources.setdefault(relation["child"], []).append(by_id[relation["head"]])
        table = offset_table(text, [x for place in bounds for x in place])
        lines = []
        for number, ((start, end), inside) in enumerate(zip(bounds, claims, strict=True), 1):
            speakers: list[str] = []
            for claim in inside:
                names = [s["text"] for s in sorted(sources.get(claim["id"], []), key=_start)]
                if not names and is_outlet_voice(claim["attrs"]):
                    names = [_outlet(record["meta"])]
                for name in names:
                    if name not in speakers:
                        speakers.append(name)
            line = [text[start:end], "; ".join(speakers), record["id"], number]
            lines.append(orjson.dumps([*line, located(start, end, table)]))
        lines.append(b"")
        self.spool.write(b"\n".join(lines))

    def finish(self) -> list[Path]:
        by_attribute = bool(self.context.shared[_SHARED_ATTRIBUTE])
        first_id = int(self.context.shared[_SHARED_NEXT_ID])
        self.context.shared[_SHARED_NEXT_ID] = first_id + len(self.touched)
        # Each sentence's class, one byte each: the first letter of its name.
        classes = self.touched.translate(
            bytes(ord(_class(touched, by_attribute)[0]) for touched in range(256))
        )
        self.spool.seek(0)
        if self.scheme == "checkthat":
            self._write_checkthat(first_id, classes)
        else:
            self._write_claimbuster(first_id, classes)
        self.spool.close()
        self.drop({})
        self._notes(by_attribute, classes)
        self.context.written["sentence"] = len(classes)
        self.context.card_values["sentences_loading"] = LOADING[self.scheme]
        return self._out.finish()

    @property
    def _out(self) -> AtomicFile:
        assert self.out is not None
        return self.out

    def _spooled(self) -> Iterator[bytes]:
        """The spooled lines, a megabyte at a time: this writer's, then a second
        process's."""
        for spool in (self.spool, self.later):
            while spool is not None and (block := spool.read(WRITE_BUFFER)):
                yield block

    def _write_checkthat(self, first_id: int, classes: bytearray) -> None:
        out = self._out
        out.write(b"Sentence_id\tText\tclass_label\n")
        labels = {ord("C"): b"Yes", ord("U"): b"No", ord("N"): b"No"}
        label_of = [labels.get(kind, b"") for kind in range(256)]
        line = b"%d\t%s\t%s\n".__mod__
        done = 0  # sentences written
        rest = b""  # the start of a line the last block cut
        # A megabyte of the spool at a time, its lines made by map and zip in C.
        for block in self._spooled():
            fields = (rest + block).split(b"\n")
            rest = fields.pop()
            ids = range(first_id + done, first_id + done + len(fields))
            kinds = map(label_of.__getitem__, classes[done : done + len(fields)])
            out.write(b"".join(map(line, zip(ids, fields, kinds, strict=True))))
            done += len(fields)
        if rest or done != len(classes):
            raise RuntimeError(f"sentences: {done} kept for {len(classes)} sentences")

    def _write_claimbuster(self, first_id: int, classes: bytearray) -> None:
        names = {ord(name[0]): name for name in VERDICTS}
        out = self._out
        kept_lines = chain(self.spool, self.later or ())
        for n, (kept, kind) in enumerate(zip(kept_lines, classes, strict=True)):
            text, speaker, doc, line_number, offsets = orjson.loads(kept)
            label = names[kind]
            line = {
                "Sentence_id": first_id + n,
                "Text": text,
                "Speaker": speaker,
                "File_id": doc,
                "Line_number": line_number,
                "Verdict": VERDICTS[label],
                "label": label,
                "sentence": offsets,
            }
            out.write(orjson.dumps(line, option=orjson.OPT_APPEND_NEWLINE))

    def _notes(self, by_attribute: bool, classes: bytearray) -> None:
        notes = self.context.notes
        worthy = (
            f"a claim span whose `{ATTRIBUTE}` attribute is `yes` (some exported claims have "
            "that attribute, so only those saying yes count)"
            if by_attribute
            else f"any claim span (no exported claim has a `{ATTRIBUTE}` attribute, so every "
            "claim counts as check-worthy)"
        )
        if self.scheme == "checkthat":
            rule = f"`class_label` is `Yes` for a sentence sharing a character with {worthy}"
            rule += ", else `No`"
            counts = f"Yes {classes.count(b'C'):,}, No {len(classes) - classes.count(b'C'):,}"
        else:
            rule = (
                f"`Verdict` 1 (CFS) for a sentence sharing a character with {worthy}; 0 (UFS) "
                "for one sharing a character with a claim or number span but no check-worthy "
                "claim; -1 (NFS) for any other"
            )
            counts = ", ".join(f"{name} {classes.count(name[:1].encode())}" for name in VERDICTS)
        notes.append(f"sentences: label rule: {rule}")
        notes.append(
            f"sentences: {counted(len(classes), 'sentence')} ({counts}), cut by spaCy's sentencizer"
        )
        if self.crossing:
            by_label = ", ".join(f"{label} {n:,}" for label, n in sorted(self.crossing.items()))
            notes.append(
                f"sentences: {counted(sum(self.crossing.values()), 'span')} crossing a sentence "
                f"boundary ({by_label}); each counts for every sentence it shares a character with"
            )

    def discard(self) -> None:
        self.spool.close()
        if self.out is not None:
            self.out.discard()
        self.drop({})

    # -- a second process's documents (see second_process) ---------------------

    def share(self) -> dict[str, Any]:
        """Where a second process spools its sentences: a file beside the output, which
        :meth:`finish` reads after this writer's own."""
        self.part = part_beside(self.path)
        return {"path": str(self.path), "file": self.part}

    def close(self) -> dict[str, Any]:
        """In the second process: its spool complete, and what touches each sentence in
        it (what decides their labels once every document is seen)."""
        self.spool.close()
        return {
            "touched": base64.b64encode(self.touched).decode("ascii"),
            "crossing": self.crossing,
            "attribute": bool(self.context.shared[_SHARED_ATTRIBUTE]),
        }

    def fits(self, state: dict[str, Any]) -> bool:
        """A document's sentences depend on no other document's; their ids and labels
        are given in :meth:`finish`, once both processes' sentences are known: always."""
        return True

    def take(self, state: dict[str, Any]) -> None:
        """The second process's sentences after this writer's."""
        assert self.part is not None
        self.later = open(self.part, "rb")  # noqa: SIM115  (closed by drop)
        self.touched += base64.b64decode(state["touched"])
        for label, number in state["crossing"].items():
            self.crossing[label] = self.crossing.get(label, 0) + number
        if state["attribute"]:
            self.context.shared[_SHARED_ATTRIBUTE] = True

    def drop(self, state: dict[str, Any]) -> None:
        """Remove the spool of the second process."""
        if self.later is not None:
            self.later.close()
            self.later = None
        if self.part is not None:
            Path(self.part).unlink(missing_ok=True)
            self.part = None


def _tsv_fields(text: str, index: SentenceIndex) -> bytes:
    """The Text fields of a document's CheckThat! lines, each with a line break, as UTF-8:
    each sentence on one line (its tabs and line breaks with the white space around them
    one space), quoted CSV-style when it holds a quotation mark (as ``csv.writer`` quotes
    a field)."""
    fields = [text[start:end] for start, end in zip(index.starts, index.ends, strict=True)]
    if not fields:
        return b""
    body = "\n".join(fields)
    # Most line breaks are between sentences: a sentence holds one when the lines hold
    # more than those between them, or another kind.
    if body.count("\n") != len(fields) - 1 or any(map(body.__contains__, _OTHER_BREAKS)):
        fields = [_LINE_BREAKS.sub(" ", field) for field in fields]
        body = "\n".join(fields)
    if '"' in body:
        fields = ['"' + f.replace('"', '""') + '"' if '"' in f else f for f in fields]
        body = "\n".join(fields)
    return (body + "\n").encode("utf-8")


def _start(span: dict[str, Any]) -> int:
    return int(span["start"])


def _outlet(meta: dict[str, Any]) -> str:
    """Who speaks in the outlet's own voice: the author, the publication, or "outlet"."""
    for key in ("author", "publication"):
        value = meta.get(key)
        if isinstance(value, str) and value.strip():
            return " ".join(value.split())
    return OUTLET


def _has_attribute(span: dict[str, Any]) -> bool:
    value = span["attrs"].get(ATTRIBUTE)
    return value is not None and value != ""


def _says_yes(span: dict[str, Any]) -> bool:
    value = span["attrs"].get(ATTRIBUTE)
    return value is True or (isinstance(value, str) and value.strip().lower() == "yes")


def _class(touched: int, by_attribute: bool) -> str:
    """CFS, UFS or NFS under the rule in the module docstring, for a sentence ``touched``
    by CHECKWORTHY_YES, CLAIM and NUMBER spans."""
    if touched & CHECKWORTHY_YES or (touched & CLAIM and not by_attribute):
        return "CFS"
    if touched & (CLAIM | NUMBER):
        return "UFS"
    return "NFS"


def open_writer(path: Path, context: ExportContext) -> SentencesWriter:
    """A writer for ``path``; loads spaCy (check_available() has made sure it can)."""
    scheme = context.options.get("scheme") or DEFAULT_SCHEME
    if scheme not in SCHEMES:
        raise ValidationError(f"unknown sentences scheme {scheme!r} (use {', '.join(SCHEMES)})")
    return SentencesWriter(path, context)


def open_share(share: dict[str, Any], context: ExportContext) -> SentencesWriter:
    """In a second process: a writer spooling to the file a first one reads after its own."""
    return SentencesWriter(Path(share["path"]), context, share["file"])
