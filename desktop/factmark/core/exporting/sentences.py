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
one byte each in memory saying what touches it (100,000 articles: a few MB, not GB).
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from factmark.core.cues import OUTLET, is_outlet_voice
from factmark.core.exporting.base import AtomicFile, ExportContext
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
_LINE_BREAKS = re.compile(r"\s*[\t\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]\s*")
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


@dataclass
class Sentence:
    """One sentence as written, once the rule is known."""

    doc: str
    line_number: int
    offsets: dict[str, int]
    text: str
    speaker: str


# What touches a sentence, one byte a sentence until the rule is known.
CHECKWORTHY_YES = 1  # a claim whose attribute says yes
CLAIM = 2  # any claim
NUMBER = 4  # a number span


class SentencesWriter:
    """Keeps every sentence (in a temporary file); writes them labelled when the export
    has seen them all."""

    def __init__(self, path: Path, context: ExportContext) -> None:
        self.context = context
        self.scheme = context.options.get("scheme") or DEFAULT_SCHEME
        self.segmenter = Segmenter()
        # One JSON line a sentence, in order; closed by finish or discard.
        self.spool = tempfile.TemporaryFile()  # noqa: SIM115
        self.touched = bytearray()  # per sentence: CHECKWORTHY_YES | CLAIM | NUMBER
        self.crossing: dict[str, int] = {}  # label -> spans across a sentence boundary
        context.shared.setdefault(_SHARED_ATTRIBUTE, False)
        context.shared.setdefault(_SHARED_NEXT_ID, 1)
        self.out = AtomicFile(path)

    def add(self, record: dict[str, Any]) -> None:
        text = record["text"]
        spans = record["spans"]
        if any(s["label"] == "claim" and _has_attribute(s) for s in spans):
            self.context.shared[_SHARED_ATTRIBUTE] = True
        index = SentenceIndex(self.segmenter.sentences(text))
        by_id = {s["id"]: s for s in spans}
        sources: dict[int, list[dict[str, Any]]] = {}
        for relation in record["relations"]:
            if relation["label"] == "attributed_to":
                sources.setdefault(relation["child"], []).append(by_id[relation["head"]])
        touching: dict[tuple[int, int], list[dict[str, Any]]] = {b: [] for b in index.bounds}
        for span in spans:
            touched = index.overlapped(span["start"], span["end"])
            if len(touched) > 1:
                self.crossing[span["label"]] = self.crossing.get(span["label"], 0) + 1
            for bounds in touched:
                touching[bounds].append(span)
        table = offset_table(text, [x for bounds in index.bounds for x in bounds])
        for number, (start, end) in enumerate(index.bounds, start=1):
            inside = touching[(start, end)]
            claims = [s for s in inside if s["label"] == "claim"]
            speakers: list[str] = []
            for claim in claims:
                names = [s["text"] for s in sorted(sources.get(claim["id"], []), key=_start)]
                if not names and is_outlet_voice(claim["attrs"]):
                    names = [_outlet(record["meta"])]
                for name in names:
                    if name not in speakers:
                        speakers.append(name)
            row = [record["id"], number, located(start, end, table), text[start:end]]
            self.spool.write(orjson.dumps([*row, "; ".join(speakers)]) + b"\n")
            self.touched.append(
                (CHECKWORTHY_YES if any(_says_yes(c) for c in claims) else 0)
                | (CLAIM if claims else 0)
                | (NUMBER if any(s["label"] == "number" for s in inside) else 0)
            )

    def finish(self) -> list[Path]:
        by_attribute = bool(self.context.shared[_SHARED_ATTRIBUTE])
        first_id = int(self.context.shared[_SHARED_NEXT_ID])
        self.context.shared[_SHARED_NEXT_ID] = first_id + len(self.touched)
        labels = [_class(touched, by_attribute) for touched in self.touched]
        if self.scheme == "checkthat":
            self._write_checkthat(first_id, labels)
        else:
            self._write_claimbuster(first_id, labels)
        self.spool.close()
        self._notes(by_attribute, labels)
        self.context.card_values["sentences_loading"] = LOADING[self.scheme]
        return self.out.finish()

    def _write_checkthat(self, first_id: int, labels: list[str]) -> None:
        buffer = io.StringIO()
        rows = csv.writer(buffer, delimiter="\t", lineterminator="\n")
        rows.writerow(["Sentence_id", "Text", "class_label"])
        for n, (sentence, label) in enumerate(zip(self._sentences(), labels, strict=True)):
            one_line = _LINE_BREAKS.sub(" ", sentence.text)
            rows.writerow([first_id + n, one_line, "Yes" if label == "CFS" else "No"])
            if buffer.tell() > 1 << 20:
                self.out.write(buffer.getvalue().encode("utf-8"))
                buffer.seek(0)
                buffer.truncate()
        self.out.write(buffer.getvalue().encode("utf-8"))

    def _write_claimbuster(self, first_id: int, labels: list[str]) -> None:
        for n, (sentence, label) in enumerate(zip(self._sentences(), labels, strict=True)):
            line = {
                "Sentence_id": first_id + n,
                "Text": sentence.text,
                "Speaker": sentence.speaker,
                "File_id": sentence.doc,
                "Line_number": sentence.line_number,
                "Verdict": VERDICTS[label],
                "label": label,
                "sentence": sentence.offsets,
            }
            self.out.write(orjson.dumps(line, option=orjson.OPT_APPEND_NEWLINE))

    def _sentences(self) -> Iterator[Sentence]:
        """The sentences kept, in the order they came."""
        self.spool.seek(0)
        for line in self.spool:
            doc, line_number, offsets, text, speaker = orjson.loads(line)
            yield Sentence(doc, line_number, offsets, text, speaker)

    def _notes(self, by_attribute: bool, labels: list[str]) -> None:
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
            counts = f"Yes {labels.count('CFS')}, No {len(labels) - labels.count('CFS')}"
        else:
            rule = (
                f"`Verdict` 1 (CFS) for a sentence sharing a character with {worthy}; 0 (UFS) "
                "for one sharing a character with a claim or number span but no check-worthy "
                "claim; -1 (NFS) for any other"
            )
            counts = ", ".join(f"{name} {labels.count(name)}" for name in VERDICTS)
        notes.append(f"sentences: label rule: {rule}")
        notes.append(
            f"sentences: {counted(len(labels), 'sentence')} ({counts}), cut by spaCy's sentencizer"
        )
        if self.crossing:
            by_label = ", ".join(f"{label} {n}" for label, n in sorted(self.crossing.items()))
            notes.append(
                f"sentences: {counted(sum(self.crossing.values()), 'span')} crossing a sentence "
                f"boundary ({by_label}); each counts for every sentence it shares a character with"
            )

    def discard(self) -> None:
        self.spool.close()
        self.out.discard()


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
