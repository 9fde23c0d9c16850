"""Attribution JSONL: one line per attribution, source – cue – content, as the attribution
datasets (PARC 3.0, PolNeAR, NewsClaims) pair them.

A line::

    {"doc": uid, "source": SPAN | null, "cue": null, "content": SPAN, "quote": null,
     "sentence": OFFSETS}

- An attribution is a link of type ``attributed_to``: its head is the ``source`` span and
  its child the ``content`` (the claim), the direction the window links a source to its
  claim in. A claim with two sources gives two lines.
- A ``claim`` span that is the content of no ``attributed_to`` link gives one line with
  ``"source": null``: an unattributed claim is data (the outlet speaking in its own voice),
  not a forgotten link, and a model of attribution must see those too.
- ``SPAN`` is ``{"start", "end", "text", "start_utf16", "end_utf16", "start_utf8",
  "end_utf8"}``: ``start``/``end`` in code points (Python), the same places in UTF-16 code
  units (JavaScript, Java, C#) and in UTF-8 bytes (Rust, Go, C), each end exclusive, and
  ``text == document[start:end]``. ``OFFSETS`` is the same without ``text``.
- ``sentence`` is the run of whole sentences the content overlaps (one sentence unless
  the claim crosses a boundary), from spaCy's sentencizer (see ``sentence_split``).
- ``cue`` and ``quote`` are always null for now: Factmark does not yet mark cues or quote
  types; the keys are there so that files written now keep their shape when it does.

Lines come in document order, then by the content's start, then by the source's start.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from factmark.core.exporting.base import AtomicFile, ExportContext
from factmark.core.exporting.sentence_split import (
    Segmenter,
    SentenceIndex,
    located,
    offset_table,
)
from factmark.core.exporting.sentence_split import available as available
from factmark.core.exporting.sentence_split import check_available as _check
from factmark.core.text import counted

NAME = "attribution"
SUFFIX = ".jsonl"
DESCRIPTION = (
    "attribution JSONL: one line per source → claim (claims without a source too), "
    "offsets in code points, UTF-16 and UTF-8"
)
RELATION = "attributed_to"


def check_available() -> None:
    """Refuse the export when spaCy (the sentence segmenter) is not installed."""
    _check(NAME)


class AttributionWriter:
    """Writes each document's attributions as they come."""

    def __init__(self, path: Path, context: ExportContext) -> None:
        self.context = context
        self.segmenter = Segmenter()
        self.attributed = 0
        self.unattributed = 0
        self.across = 0  # contents that cross a sentence boundary
        self.out = AtomicFile(path)

    def add(self, record: dict[str, Any]) -> None:
        text = record["text"]
        spans = {span["id"]: span for span in record["spans"]}
        pairs = [
            (spans[r["child"]], spans[r["head"]])
            for r in record["relations"]
            if r["label"] == RELATION
        ]
        linked = {id(content) for content, _ in pairs}
        pairs += [
            (span, None)
            for span in record["spans"]
            if span["label"] == "claim" and id(span) not in linked
        ]
        if not pairs:
            return
        pairs.sort(key=lambda p: (p[0]["start"], p[0]["end"], p[1]["start"] if p[1] else -1))
        sentences = SentenceIndex(self.segmenter.sentences(text))
        covering = {
            id(content): sentences.covering(content["start"], content["end"])
            for content, _ in pairs
        }
        positions = [x for s, _ in pairs for x in (s["start"], s["end"])]
        positions += [x for s in (p[1] for p in pairs) if s for x in (s["start"], s["end"])]
        positions += [x for bounds in covering.values() for x in bounds]
        table = offset_table(text, positions)
        for content, source in pairs:
            if len(sentences.overlapped(content["start"], content["end"])) > 1:
                self.across += 1
            if source is None:
                self.unattributed += 1
            else:
                self.attributed += 1
            line = {
                "doc": record["id"],
                "source": _span(source, table),
                "cue": None,
                "content": _span(content, table),
                "quote": None,
                "sentence": located(*covering[id(content)], table),
            }
            self.out.write(orjson.dumps(line, option=orjson.OPT_APPEND_NEWLINE))

    def finish(self) -> list[Path]:
        self.context.notes.append(
            f"attribution: {counted(self.attributed, 'line')} for `{RELATION}` links (a source "
            "span to its claim) and "
            f'{counted(self.unattributed, "claim")} with no source (`"source": null`: '
            "claims in the outlet's own voice, not forgotten links); `cue` and `quote` are "
            "null in every line, as Factmark does not mark cues or quote types yet"
        )
        if self.across:
            self.context.notes.append(
                f"attribution: {counted(self.across, 'claim')} crossing a sentence boundary "
                "(its `sentence` covers every sentence it touches)"
            )
        return self.out.finish()

    def discard(self) -> None:
        self.out.discard()


def _span(span: dict[str, Any] | None, table: dict[int, tuple[int, int]]) -> dict[str, Any] | None:
    if span is None:
        return None
    place = located(span["start"], span["end"], table)
    return {"start": place.pop("start"), "end": place.pop("end"), "text": span["text"], **place}


def open_writer(path: Path, context: ExportContext) -> AttributionWriter:
    """A writer for ``path``; loads spaCy (check_available() has made sure it can)."""
    return AttributionWriter(path, context)
