"""Attribution JSONL: one line per attribution, source – cue – content, as the attribution
datasets (PARC 3.0, PolNeAR, NewsClaims) pair them.

A line::

    {"doc": uid, "source": SPAN | null, "voice": "source" | "outlet" | "unknown",
     "cue": SPAN | null, "content": SPAN, "quote": "direct" | "indirect" | "mixed" | null,
     "sentence": OFFSETS}

- An attribution is a link of type ``attributed_to``: its head is the ``source`` span and
  its child the ``content`` (the claim), the direction the window links a source to its
  claim in. A claim with two sources gives two lines.
- A ``claim`` span that is the content of no ``attributed_to`` link gives one line with
  ``"source": null``: a model of attribution must see unattributed claims too.
- ``voice`` tells those apart: ``"source"`` for a line with a source span, ``"outlet"``
  for a claim with no source that the annotator marked as the outlet's (or its author's)
  own voice (the claim attribute ``voice: outlet``, see ``core.cues``), ``"unknown"`` for a
  claim with neither (not marked: a link may have been forgotten). A claim marked as the
  outlet's that has a source linked after all gives its source lines (``"source"``).
- ``cue`` is the ``cue`` span linked to the content by a ``cue_of`` link (cue -> claim);
  when the claim has several, the one nearest the source; null when it has none.
- ``SPAN`` is ``{"start", "end", "text", "start_utf16", "end_utf16", "start_utf8",
  "end_utf8"}``: ``start``/``end`` in code points (Python), the same places in UTF-16 code
  units (JavaScript, Java, C#) and in UTF-8 bytes (Rust, Go, C), each end exclusive, and
  ``text == document[start:end]``. ``OFFSETS`` is the same without ``text``.
- ``sentence`` is the run of whole sentences the content overlaps (one sentence unless
  the claim crosses a boundary), from spaCy's sentencizer (see ``sentence_split``).
- ``quote`` is the ``quote`` attribute of the ``attributed_to`` link: ``"direct"`` (the
  claim is the source's words in quotation marks), ``"indirect"`` (reported speech) or
  ``"mixed"`` (partly quoted), as the annotator set or accepted it (the window proposes it
  from quotation marks; a proposal not accepted is not stored); null when none was set
  and for a claim with no source.

Lines come in document order, then by the content's start, then by the source's start.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from operator import itemgetter
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from factmark.core.cues import CUE, CUE_OF, cue_for, is_outlet_voice
from factmark.core.exporting.base import WRITE_BUFFER, AtomicFile, ExportContext
from factmark.core.exporting.second_process import part_beside
from factmark.core.exporting.sentence_split import (
    Segmenter,
    located,
    offset_table,
)
from factmark.core.exporting.sentence_split import available as available
from factmark.core.exporting.sentence_split import check_available as _check
from factmark.core.text import counted

NAME = "attribution"
SUFFIX = ".jsonl"
HOLDS = ("line",)  # one per attributed_to link, one per claim without a source
# A large export's later documents are written by a second process (see second_process).
SECOND_PROCESS = True
DESCRIPTION = (
    "attribution JSONL: one line per source → claim (claims without a source too), "
    "offsets in code points, UTF-16 and UTF-8"
)
RELATION = "attributed_to"
# The line of a claim with no source (so no cue and no quote): the JSON orjson makes of
# its dict, key for key, with the document's id, the voice, the claim's offsets and text,
# and its sentences' offsets put in.
_CLAIM_LINE = (
    b'{"doc":%b,"source":null,"voice":%b,"cue":null,"content":{"start":%d,"end":%d,'
    b'"text":%b,"start_utf16":%d,"end_utf16":%d,"start_utf8":%d,"end_utf8":%d},'
    b'"quote":null,"sentence":{"start":%d,"end":%d,"start_utf16":%d,"end_utf16":%d,'
    b'"start_utf8":%d,"end_utf8":%d}}\n'
)
_OUTLET, _UNKNOWN = orjson.dumps("outlet"), orjson.dumps("unknown")


def check_available() -> None:
    """Refuse the export when spaCy (the sentence segmenter) is not installed."""
    _check(NAME)


class AttributionWriter:
    """Writes each document's attributions as they come."""

    def __init__(self, path: Path, context: ExportContext, part: str | None = None) -> None:
        self.context = context
        self.path = path
        self.segmenter = Segmenter()
        self.attributed = 0
        self.unattributed = 0
        self.outlet = 0  # claims without a source, in the outlet's own voice
        self.cued = 0  # lines with a cue
        self.quoted = 0  # lines whose link has a quote
        self.across = 0  # contents that cross a sentence boundary
        self.part: str | None = None  # the file a second process writes its documents to
        # In a second process, the file beside the output that the first appends to it.
        self.out: AtomicFile | BinaryIO = (
            AtomicFile(path) if part is None else open(part, "wb", buffering=WRITE_BUFFER)  # noqa: SIM115
        )

    def add(self, record: dict[str, Any]) -> None:
        if not record["relations"]:
            self._add_claims(record)
            return
        text = record["text"]
        quotes: dict[tuple[int, int], Any] = {}
        cues: dict[int, list[dict[str, Any]]] = {}
        pairs = self._links(record, quotes, cues)
        if not pairs:
            return
        pairs.sort(key=_order)
        sentences = self.segmenter.index(text)
        # Per line: its content, source, cue and the run of sentences the content
        # overlaps (with how many sentences that is); and every offset they give.
        rows = []
        positions: list[int] = []
        covering: dict[int, tuple[tuple[int, int], int]] = {}
        for content, source in pairs:
            start, end = content["start"], content["end"]
            run = covering.get(id(content))
            if run is None:
                run = covering[id(content)] = sentences.covering(start, end)
            positions += (start, end, *run[0])
            if source is not None:
                positions += (source["start"], source["end"])
            cue = None
            theirs = cues.get(content["id"]) if cues else None
            if theirs:
                n = cue_for(
                    (source["start"], source["end"]) if source else None,
                    [(c["start"], c["end"]) for c in theirs],
                )
                if n is not None:
                    cue = theirs[n]
                    positions += (cue["start"], cue["end"])
            rows.append((content, source, cue, run))
        table = offset_table(text, positions)
        lines = []
        for content, source, cue, ((first, last), count) in rows:
            if count > 1:
                self.across += 1
            if source is not None:
                self.attributed += 1
                voice = "source"
            elif content["attrs"] and is_outlet_voice(content["attrs"]):
                self.outlet += 1
                voice = "outlet"
            else:
                self.unattributed += 1
                voice = "unknown"
            quote = _quote(quotes, content, source) if quotes else None
            self.quoted += quote is not None
            self.cued += cue is not None
            line = {
                "doc": record["id"],
                "source": None if source is None else _span(source, table),
                "voice": voice,
                "cue": None if cue is None else _span(cue, table),
                "content": _span(content, table),
                "quote": quote,
                "sentence": located(first, last, table),
            }
            lines.append(orjson.dumps(line, option=orjson.OPT_APPEND_NEWLINE))
        self.out.write(b"".join(lines))

    def _add_claims(self, record: dict[str, Any]) -> None:
        """The lines of a document without links: every claim a line of its own, with no
        source, made from their values without a dict a line."""
        claims = [span for span in record["spans"] if span["label"] == "claim"]
        if not claims:
            return
        claims.sort(key=_PLACE)
        text = record["text"]
        sentences = self.segmenter.index(text)
        starts, ends = sentences.starts, sentences.ends
        runs = []  # per claim, the run of sentences it overlaps (see SentenceIndex.covering)
        positions: list[int] = []
        for claim in claims:
            start, end = claim["start"], claim["end"]
            first = bisect_right(ends, start)
            last = bisect_left(starts, end, first)
            if first == last:
                run = start, end
            else:
                run = starts[first], ends[last - 1]
                self.across += last - first > 1
            positions += (start, end, *run)
            runs.append(run)
        table = offset_table(text, positions)
        doc = orjson.dumps(record["id"])
        lines = []
        for claim, (first, last) in zip(claims, runs, strict=True):
            if claim["attrs"] and is_outlet_voice(claim["attrs"]):
                self.outlet += 1
                voice = _OUTLET
            else:
                self.unattributed += 1
                voice = _UNKNOWN
            start, end = claim["start"], claim["end"]
            (start16, start8), (end16, end8) = table[start], table[end]
            (first16, first8), (last16, last8) = table[first], table[last]
            lines.append(
                _CLAIM_LINE
                % (
                    doc,
                    voice,
                    start,
                    end,
                    orjson.dumps(claim["text"]),
                    start16,
                    end16,
                    start8,
                    end8,
                    first,
                    last,
                    first16,
                    last16,
                    first8,
                    last8,
                )
            )
        self.out.write(b"".join(lines))

    @staticmethod
    def _links(
        record: dict[str, Any],
        quotes: dict[tuple[int, int], Any],
        cues: dict[int, list[dict[str, Any]]],
    ) -> list[tuple[dict[str, Any], dict[str, Any] | None]]:
        """A document's (content, source) pairs: one per ``attributed_to`` link, one per
        claim that has none (its source None); fills in each link's quote and the cues
        linked to each content (sorted by their place)."""
        spans = {span["id"]: span for span in record["spans"]}
        pairs: list[tuple[dict[str, Any], dict[str, Any] | None]] = []
        for relation in record["relations"]:
            if relation["label"] == RELATION:
                pairs.append((spans[relation["child"]], spans[relation["head"]]))
                quotes[relation["child"], relation["head"]] = relation["attrs"].get("quote")
            elif relation["label"] == CUE_OF and spans[relation["head"]]["label"] == CUE:
                cues.setdefault(relation["child"], []).append(spans[relation["head"]])
        for theirs in cues.values():
            theirs.sort(key=_PLACE)
        linked = {id(content) for content, _ in pairs}
        pairs += [
            (span, None)
            for span in record["spans"]
            if span["label"] == "claim" and id(span) not in linked
        ]
        return pairs

    def finish(self) -> list[Path]:
        self.context.written["line"] = self.attributed + self.outlet + self.unattributed
        self.context.notes.append(
            f"attribution: {counted(self.attributed, 'line')} for `{RELATION}` links (a source "
            f"span to its claim), {counted(self.outlet, 'claim')} in the outlet's own voice "
            f'(`"voice": "outlet"`: marked by the annotator, no source) and '
            f"{counted(self.unattributed, 'claim')} with no source and not marked "
            '(`"voice": "unknown"`); '
            f"{counted(self.cued, 'line')} with a `cue` (a `{CUE}` span linked `{CUE_OF}` to "
            "the claim); "
            f"{counted(self.quoted, 'line')} with a `quote` (the link's attribute: direct, "
            "indirect or mixed; null where the annotator set none)"
        )
        if self.across:
            self.context.notes.append(
                f"attribution: {counted(self.across, 'claim')} crossing a sentence boundary "
                "(its `sentence` covers every sentence it touches)"
            )
        assert isinstance(self.out, AtomicFile)
        return self.out.finish()

    def discard(self) -> None:
        if isinstance(self.out, AtomicFile):
            self.out.discard()
        else:
            self.out.close()
        self.drop({})

    # -- a second process's documents (see second_process) ---------------------

    def share(self) -> dict[str, Any]:
        """Where a second process writes its lines: a file beside the output, which
        :meth:`take` appends to it."""
        self.part = part_beside(self.path)
        return {"path": str(self.path), "file": self.part}

    def close(self) -> dict[str, Any]:
        """In the second process: its file complete, and what it counted."""
        assert not isinstance(self.out, AtomicFile)
        self.out.close()
        return {"counts": {name: getattr(self, name) for name in _COUNTS}}

    def fits(self, state: dict[str, Any]) -> bool:
        """A document's lines depend on no other document's: always."""
        return True

    def take(self, state: dict[str, Any]) -> None:
        """The second process's lines after this writer's, and its counts added."""
        for name, number in state["counts"].items():
            setattr(self, name, getattr(self, name) + number)
        assert isinstance(self.out, AtomicFile) and self.part is not None
        self.out.append(Path(self.part))
        self.drop(state)

    def drop(self, state: dict[str, Any]) -> None:
        """Remove the file of the second process."""
        if self.part is not None:
            Path(self.part).unlink(missing_ok=True)
            self.part = None


# What a writer counts (for the card's notes), added up over both processes.
_COUNTS = ("attributed", "unattributed", "outlet", "cued", "quoted", "across")
_PLACE = itemgetter("start", "end")


def _order(pair: tuple[dict[str, Any], dict[str, Any] | None]) -> tuple[int, int, int]:
    """Lines by the content's place, then the source's start."""
    content, source = pair
    return content["start"], content["end"], source["start"] if source else -1


def _quote(
    quotes: dict[tuple[int, int], Any], content: dict[str, Any], source: dict[str, Any] | None
) -> str | None:
    """The quote the annotator set on the link of ``source`` to ``content`` (text only)."""
    if source is None:
        return None
    value = quotes.get((content["id"], source["id"]))
    return value if isinstance(value, str) and value else None


def _span(span: dict[str, Any] | None, table: dict[int, tuple[int, int]]) -> dict[str, Any] | None:
    if span is None:
        return None
    start, end = span["start"], span["end"]
    return {
        "start": start,
        "end": end,
        "text": span["text"],
        "start_utf16": table[start][0],
        "end_utf16": table[end][0],
        "start_utf8": table[start][1],
        "end_utf8": table[end][1],
    }


def open_writer(path: Path, context: ExportContext) -> AttributionWriter:
    """A writer for ``path``; loads spaCy (check_available() has made sure it can)."""
    return AttributionWriter(path, context)


def open_share(share: dict[str, Any], context: ExportContext) -> AttributionWriter:
    """In a second process: a writer to the file a first one appends to its output."""
    return AttributionWriter(Path(share["path"]), context, share["file"])
