"""spaCy ``DocBin`` files (``.spacy``): the binary corpus ``python -m spacy train`` reads as
it is.

The output is a folder named like a file (``corpus.spacy``, ``corpus.train.spacy``) holding
one ``DocBin`` per 1,000 documents (``000001.spacy``, ``000002.spacy``...), in project
order. spaCy's corpus reader takes the folder wherever it takes a file
(``--paths.train corpus.spacy``, ``spacy.training.Corpus``): it reads every ``.spacy`` file
in it, in name order. One DocBin holds every document in memory until it is written, and
compresses a copy of all of them: a 100,000-document archive needed several GB.

One tokenizer for the whole export (every part of a split), the one the dataset card tells
``spacy init config --lang`` to use, so that ``spacy train``, which tokenises each text
again with its own ``--lang`` and aligns the stored spans to those tokens, drops none:

- each document's language is its ``meta["lang"]`` (or ``meta["language"]``); ``en-US``,
  ``pt_BR`` and ``EN`` count as ``en``, ``pt`` and ``en``. A document without a language,
  with one spaCy does not know, or with one whose tokenizer needs a package that is not
  installed counts as ``xx`` (spaCy's multi-language tokenizer), and the card says so. In
  spaCy 3.8 the languages that need extra packages are Japanese (SudachiPy), Korean
  (mecab-ko), Thai (PyThaiNLP) and Vietnamese (pyvi); Chinese works with its default
  character segmenter.
- when every exported document has the same language, ``spacy.blank(lang)`` tokenises
  them all and the card advises ``--lang lang``; when they mix languages, ``xx`` tokenises
  them all and the card advises ``--lang xx``. A per-document tokenizer would not do: a
  Chinese text cut per character by ``zh`` is one run of characters for ``xx``, and
  ``spacy train --lang xx`` would silently drop every span inside such a run.
- ``xx`` does not split text written without spaces (Chinese, Japanese, Thai): spans in
  it are widened to the runs around them (see below), and the card counts them.
- ``doc.user_data["factmark_tokenizer"]`` names the language the tokens came from.

Tokenising waits until the export has seen every document (the writers of all parts share
the languages found through ``ExportContext.shared``; ``export()`` adds every record before
it finishes any part).

A large output's later files are made by a second process of this program (see
:data:`COMMAND`): once the tokenizer is chosen it reads the waiting records from its first
file's first record on, tokenises them with the same language and writes its files into
the folder this process fills, counting what it adjusted for the card; this process makes
the earlier files meanwhile, then counts the second's files and adjustments as its own.
The files are the bytes one process writes.

- ``doc.spans["sc"]`` holds every span, nested and overlapping ones included. ``"sc"`` is
  the ``spans_key`` spancat reads by default.
- ``doc.ents`` holds the subset ner can learn, which must not overlap. The rule is spaCy's
  own ``filter_spans``: longest span (in tokens) first, the earlier one on ties, then each
  span that overlaps none already kept. In a claim with a number inside it the claim stays
  and the number is left out. To train ner on the short labels only, export with
  ``--label`` for those labels. The card counts what was left out, by label.
- A spaCy span never starts or ends on a whitespace token (a line break, an article's
  last one too, or a run of spaces): a span whose edge is one (a claim up to the end of a
  text that ends in a line break) is trimmed to the tokens inside it, in both layers, and
  the card counts these spans.
- A span edge that falls inside a token (``"ig"`` in ``"big"``) cannot be a spaCy span.
  Such a span is widened to the tokens it touches (``alignment_mode="expand"``), and
  whitespace at its edges, which belongs to no token, is trimmed. The card counts these
  spans. A span that is only whitespace (the space after a word, which belongs to no
  token, or whitespace tokens alone) is left out of both layers and counted. Every span
  keeps its exact Factmark offsets in ``doc.user_data["factmark_spans"]``, so nothing is
  lost.
- ``doc.user_data`` also holds ``"factmark_id"`` (the document uid, as in Factmark JSONL)
  and ``"factmark_title"``, so every row can be traced back to the project.

spaCy is imported only when this format is used: loading it takes seconds, and the
window and the other formats must not wait for it.
"""

from __future__ import annotations

import contextlib
import re
import tempfile
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import orjson

from factmark.core import two_processes
from factmark.core.exporting.base import AtomicFolder, ExportContext, FolderPart
from factmark.core.exporting.sentence_split import available as available
from factmark.core.exporting.sentence_split import check_available as _check

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, DocBin
    from spacy.vocab import Vocab

NAME = "spacy"
SUFFIX = ".spacy"
HOLDS = ("span",)  # no links
DESCRIPTION = (
    "spaCy DocBin files for `spacy train` (a folder of .spacy files, 1,000 documents each): "
    "all spans in doc.spans['sc'], ner subset in doc.ents"
)
FOLDER = True  # named like a file (corpus.spacy), but a folder spaCy's reader takes
DOCUMENTS_PER_FILE = 1000

# A large output's later files are made by a second process of this program (started with
# this hidden command, ``factmark _spacy-part FOLDER``; see factmark.core.two_processes)
# once the tokenizer is chosen: it reads the waiting records from the first record of
# its first file on and writes its files into the folder this process fills, which makes
# the files before them meanwhile. Waiting records of fewer bytes than FROM_BYTES are
# made into files by this process alone: the second one takes about START_BYTES' worth
# of this process's time to start (Python, then spaCy's import and tokenizer).
COMMAND = "_spacy-part"
FROM_BYTES = 30_000_000
START_BYTES = 16_000_000

SPANS_KEY = "sc"
# The longest span (in tokens) the suggester of `spacy init config --pipeline spancat`
# proposes: spacy.ngram_suggester.v1 with sizes [1, 2, 3].
DEFAULT_NGRAMS = 3
FALLBACK_LANGUAGE = "xx"
# Codes that spaCy files under another name.
_ALIASES = {"no": "nb", "iw": "he", "in": "id", "ji": "yi"}


def check_available() -> None:
    """Raise ValidationError when spaCy cannot be imported (before anything is written)."""
    _check("spacy", purpose="")


def language_code(meta: dict[str, Any]) -> str | None:
    """The primary language subtag of ``meta["lang"]`` or ``meta["language"]``, lower case."""
    value = meta.get("lang") or meta.get("language")
    if not isinstance(value, str) or not value.strip():
        return None
    code = value.strip().replace("_", "-").split("-")[0].lower()
    return _ALIASES.get(code, code)


# Only what training reads: the words, their spacing and the entities (spans go in span
# groups). spaCy's default also stores tags, heads, lemmas... which a blank tokenizer
# leaves empty: twice the memory and file for nothing.
DOCBIN_ATTRS = ["ORTH", "SPACY", "ENT_IOB", "ENT_TYPE", "ENT_KB_ID", "ENT_ID"]


class SpacyWriter:
    """Collects the records of one output; tokenises them all with one tokenizer and
    writes a ``DocBin`` per :data:`DOCUMENTS_PER_FILE` documents at finish()."""

    def __init__(self, path: Path, context: ExportContext) -> None:
        self.context = context
        self.out = AtomicFolder(path)
        # The records wait on disk, one JSON line each, until every document's language
        # is known (a file without a name, inside the folder being filled: nothing to
        # clean up, whatever happens).
        # A second process reads them too: the file has a name (taken away before the
        # folder is put in place).
        descriptor, name = tempfile.mkstemp(dir=self.out.temp, prefix=".records-")
        self.pending = open(descriptor, "w+b")  # noqa: SIM115
        self.pending_path = Path(name)
        self.starts: list[int] = []  # where each file's first record begins in it
        self.documents = 0
        self.second: two_processes.SecondProcess | None = None
        self.pipelines: dict[str, Language] = {}
        self.fallbacks: dict[str, str] = {}  # language code -> why it became xx
        self.by_language: Counter[str] = Counter()  # why -> documents
        # Shared by the writers of every part: languages found, and the tokenizer chosen.
        self.languages: Counter[str] = context.shared.setdefault("spacy_languages", Counter())
        self.counts = _Counts()

    def add(self, record: dict[str, Any]) -> None:
        code = self._language(language_code(record["meta"] or {}))
        self.languages[code] += 1
        if not self.documents % DOCUMENTS_PER_FILE:
            self.starts.append(self.pending.tell())
        self.documents += 1
        # Kept as a JSON line until finish(): the tokenizer is chosen once every
        # document's language is known.
        self.pending.write(
            orjson.dumps(
                {key: record[key] for key in ("id", "title", "text", "spans")} | {"lang": code}
            )
            + b"\n"
        )

    def _language(self, code: str | None) -> str:
        """``code`` if spaCy can tokenise it here, else ``xx`` (the reason counted)."""
        import spacy

        if code is None:
            self.by_language["no `lang` or `language` in their meta"] += 1
            return FALLBACK_LANGUAGE
        if code in self.fallbacks:
            self.by_language[self.fallbacks[code]] += 1
            return FALLBACK_LANGUAGE
        if code not in self.pipelines:
            try:
                if not re.fullmatch(r"[a-z]{2,3}", code):  # spaCy's codes; never a path
                    raise ImportError(f"[E048] no language {code!r}")
                self.pipelines[code] = spacy.blank(code)
            except ImportError as error:
                reason = str(error).split("\n")[0]
                if "E048" in reason:  # no such language in spacy.lang
                    why = f"language {code!r}, which spaCy does not know"
                else:  # the language's tokenizer needs a package that is not installed
                    why = f"language {code!r}: {reason.split('. ')[0].rstrip('.')}"
                self.fallbacks[code] = why
                return self._language(code)
        return code

    def tokenizer(self) -> str:
        """The one language every document of the export is tokenised with: theirs when
        they share one, else ``xx``; the card's ``--lang``."""
        chosen = str(
            self.context.shared.setdefault(
                "spacy_lang",
                next(iter(self.languages)) if len(self.languages) == 1 else FALLBACK_LANGUAGE,
            )
        )
        self.context.card_values["lang"] = chosen
        return chosen

    def _notes(self) -> list[str]:
        """What the card's Notes say about this output, one line per kind of adjustment."""
        where = f"{self.context.part}: " if self.context.part else ""
        notes = [
            f"{where}documents counted as spaCy's multi-language `xx` ({why}): {count:,}"
            for why, count in sorted(self.by_language.items())
        ]
        if len(self.languages) > 1:  # the same line from every part: the card shows it once
            mixed = ", ".join(
                f"{code if code != FALLBACK_LANGUAGE else 'other or none'} {n:,}"
                for code, n in sorted(self.languages.items(), key=_xx_last)
            )
            notes.append(
                f"documents in several languages ({mixed}): all tokenised with spaCy's "
                "multi-language `xx` tokenizer, the one `spacy train` uses with `--lang xx`, "
                "so that it drops no span at alignment; `xx` does not split text written "
                "without spaces (Chinese, Japanese, Thai), where spans are widened to whole "
                "runs of characters (counted below). For such a language's own tokenizer, "
                "export its documents on their own: the card then advises its `--lang`"
            )
        if self.counts.widened:
            notes.append(
                f"{where}spans not on spaCy token boundaries, widened in the .spacy file to the "
                "whole tokens they touch (edge whitespace left out): "
                f"{self._of(self.counts.widened)}; their exact offsets are in "
                'doc.user_data["factmark_spans"]'
            )
        if self.counts.trimmed:
            notes.append(
                f"{where}spans that start or end on whitespace (a line break, a run of spaces, "
                "a text's last line break), which no spaCy span does, trimmed in the .spacy "
                f"file to the tokens inside them: {self._of(self.counts.trimmed)}; their exact "
                'offsets are in doc.user_data["factmark_spans"]'
            )
        if self.counts.unplaced:
            notes.append(
                f"{where}spans that are only whitespace (the space after a word belongs to no "
                "spaCy token, and no spaCy span is whitespace tokens alone), left out of "
                "doc.spans and doc.ents: "
                f"{self._of(self.counts.unplaced)}; they are in "
                'doc.user_data["factmark_spans"]'
            )
        if self.counts.not_in_ents:
            notes.append(
                f'{where}spans in doc.spans["sc"] (spancat) but not in doc.ents (ner), which '
                "cannot overlap and keeps the longest of overlapping spans: "
                f"{self._of(self.counts.not_in_ents)}"
            )
        return notes

    def _of(self, counts: Counter[str]) -> str:
        """``"12 of 25 (location 6, number 6)"``."""
        by_label = ", ".join(f"{label} {n:,}" for label, n in sorted(counts.items()))
        return f"{sum(counts.values()):,} of {self.counts.spans:,} ({by_label})"

    def finish(self) -> list[Path]:
        lang = self.tokenizer()
        nlp = self.pipelines.get(lang) or _blank(lang)
        self.pending.flush()
        files = max(len(self.starts), 1)
        own = self._own_files(lang)
        self.pending.seek(0)
        made = _Files(nlp, self.out, self.counts, DOCUMENTS_PER_FILE)
        if own == files:
            made.write(self.pending, 1, self.context.cancelled)
        else:
            made.write(islice(self.pending, own * DOCUMENTS_PER_FILE), 1, self.context.cancelled)
            self._take_second()
        self.pending.close()
        self.pending_path.unlink()
        self.context.notes.extend(self._notes())
        self._suggester_sizes()
        # The spans the files hold: those placed on tokens (the others are in the notes).
        self.context.written["span"] = sum(self.counts.by_tokens.values())
        return self.out.finish()

    def _suggester_sizes(self) -> None:
        """The card's ``{longest}`` (tokens of the longest span in doc.spans["sc"] of every
        part) and ``{beyond_default}`` (how many spans are longer than spancat's default
        suggester proposes), over the writers of every part."""
        values = self.context.card_values
        longest = max(self.counts.by_tokens, default=0)
        values["longest"] = str(max(longest, int(values.get("longest", "0"))))
        beyond = sum(n for size, n in self.counts.by_tokens.items() if size > DEFAULT_NGRAMS)
        values["beyond_default"] = str(beyond + int(values.get("beyond_default", "0")))
        values["in_sc"] = str(sum(self.counts.by_tokens.values()) + int(values.get("in_sc", "0")))

    def _own_files(self, lang: str) -> int:
        """How many files this process makes: all of them, or, for large waiting records,
        the first ones while a second process (started here) makes the rest, so that both
        end together."""
        size = self.pending.tell()
        if size < FROM_BYTES or len(self.starts) < 2:
            return max(len(self.starts), 1)
        mine = (size + START_BYTES) / 2
        own = max(1, min(bisect_right(self.starts, mine) - 1, len(self.starts) - 1))
        self.second = two_processes.SecondProcess.start(
            "export",
            COMMAND,
            {
                "records": str(self.pending_path),
                "from": self.starts[own],
                "number": own + 1,
                "per_file": DOCUMENTS_PER_FILE,
                "lang": lang,
                "folder": str(self.out.temp),
            },
        )
        return own

    def _take_second(self) -> None:
        """Wait for the second process; count its files and what it adjusted as this
        process's own."""
        assert self.second is not None
        try:
            result = self.second.result(self.context.cancelled)
            self.out.adopt(result["written"])
            self.counts.add(result["counts"])
        finally:
            self.second.stop()
            self.second = None

    def discard(self) -> None:
        if self.second is not None:
            self.second.stop()
            self.second = None
        self.pending.close()
        self.out.discard()


class _Counts:
    """The spans of an output and what was adjusted, by label (the card's notes)."""

    def __init__(self) -> None:
        self.spans = 0
        self.widened: Counter[str] = Counter()
        self.trimmed: Counter[str] = Counter()
        self.unplaced: Counter[str] = Counter()
        self.not_in_ents: Counter[str] = Counter()
        # The spans of doc.spans["sc"] by their length in tokens: spancat only learns a
        # span its suggester proposes, and the card's training command must reach them.
        self.by_tokens: Counter[int] = Counter()

    def as_data(self) -> dict[str, Any]:
        return {
            "spans": self.spans,
            "widened": self.widened,
            "trimmed": self.trimmed,
            "unplaced": self.unplaced,
            "not_in_ents": self.not_in_ents,
            "by_tokens": {str(n): count for n, count in self.by_tokens.items()},  # JSON keys
        }

    def add(self, data: dict[str, Any]) -> None:
        """Add counts made elsewhere (:meth:`as_data`)."""
        self.spans += data["spans"]
        self.widened.update(data["widened"])
        self.trimmed.update(data["trimmed"])
        self.unplaced.update(data["unplaced"])
        self.not_in_ents.update(data["not_in_ents"])
        self.by_tokens.update({int(n): count for n, count in data["by_tokens"].items()})


class _Out(Protocol):
    def write(self, relative: str, data: bytes) -> None: ...


class _Files:
    """Waiting records tokenised and written as numbered DocBin files of ``per_file``
    documents each into a folder (this process's, or for a second
    process its part of it); what was adjusted counted in ``counts``."""

    def __init__(self, nlp: Language, out: _Out, counts: _Counts, per_file: int) -> None:
        self.nlp = nlp
        self.out = out
        self.counts = counts
        self.per_file = per_file

    def write(
        self, records: Iterable[bytes], first: int, cancelled: Callable[[], bool] | None
    ) -> None:
        """The records (JSON lines) as files numbered from ``first`` on; none at all
        as one empty file, for spaCy to read. Raises :class:`two_processes.Cancelled`
        between files once ``cancelled()`` is true."""
        # zlib, most of DocBin.to_bytes, lets other threads run: one file is compressed
        # and written in a thread while the next one's documents are made.
        with _encoders_looked_up_once(), ThreadPoolExecutor(max_workers=1) as writer:
            writing: Future[None] | None = None
            for number, docbin in enumerate(self._docbins(records), start=first):
                if writing is not None:
                    writing.result()  # its error, if any; and one DocBin waits at most
                if cancelled is not None and cancelled():
                    raise two_processes.Cancelled
                writing = writer.submit(self._write, f"{number:06d}.spacy", docbin)
            if writing is not None:
                writing.result()

    def _docbins(self, records: Iterable[bytes]) -> Iterator[DocBin]:
        """The records as DocBins of ``per_file`` documents; no record at all as one
        empty DocBin."""
        vocab = self.nlp.vocab
        filling, first = _Filling(vocab), True
        for line in records:
            self._add_document(filling, orjson.loads(line))
            if len(filling.docbin) == self.per_file:
                yield filling.done()
                filling, first = _Filling(vocab), False
        if len(filling.docbin) or first:
            yield filling.done()

    def _write(self, name: str, docbin: DocBin) -> None:
        """Compress ``docbin`` and write it as ``name`` (in the writer thread)."""
        self.out.write(name, docbin_bytes(docbin))

    def _add_document(self, filling: _Filling, record: dict[str, Any]) -> None:
        """Tokenise one record and add it to ``filling``: its spans placed on the tokens
        (widened ones and those that touch no token counted), the ner subset chosen."""
        from spacy.tokens import Span

        nlp = self.nlp
        doc = nlp.make_doc(record["text"])
        tokens = filling.tokens(doc)
        placed = self._place(filling, tokens, record["spans"])
        label_ids = self._label_ids(placed)
        doc.spans[SPANS_KEY] = [
            Span(doc, start, end, label=label_ids[label]) for start, end, label in placed
        ]
        kept = _longest_first([(start, end, n) for n, (start, end, _) in enumerate(placed)])
        filling.set_entities(
            tokens, [(start, end, label_ids[placed[n][2]]) for start, end, n in kept]
        )
        if len(kept) < len(placed):
            chosen = {n for _, _, n in kept}
            for n, (_, _, label) in enumerate(placed):
                if n not in chosen:
                    self.counts.not_in_ents[label] += 1
        doc.user_data["factmark_id"] = record["id"]
        doc.user_data["factmark_title"] = record["title"]
        doc.user_data["factmark_tokenizer"] = nlp.lang
        doc.user_data["factmark_spans"] = [
            [s["id"], s["start"], s["end"], s["label"]] for s in record["spans"]
        ]
        filling.add(doc, tokens, set(label_ids))

    def _place(
        self, filling: _Filling, tokens: Any, spans: list[dict[str, Any]]
    ) -> list[tuple[int, int, str]]:
        """Each span as (first token, token after the last, label), by bisecting the
        tokens' offsets: what ``doc.char_span`` gives with ``alignment_mode="strict"``,
        else with ``"expand"``, without a Token object per look; whitespace tokens at
        either edge left out (spaCy's spans never start or end on one)."""
        self.counts.spans += len(spans)
        if not spans:
            return []
        offsets = tokens[:, filling.idx]
        starts = offsets.tolist()
        ends = (offsets + tokens[:, filling.length]).tolist()
        space = tokens[:, filling.is_space].tolist()
        placed = []
        for span in spans:
            start, end, label = span["start"], span["end"], span["label"]
            # The tokens holding the first and the last character (a token owns the
            # whitespace after it, so every character has one).
            first = bisect_right(starts, start) - 1
            last = bisect_right(starts, end - 1) - 1
            widened = starts[first] != start or ends[last] != end
            if widened and start == ends[first]:  # the space after a token is not part of it
                first += 1
            if first <= last and (space[first] or space[last]):
                while first <= last and space[first]:
                    first += 1
                while last >= first and space[last]:
                    last -= 1
                if not widened and first <= last:
                    self.counts.trimmed[label] += 1
            if first > last:
                self.counts.unplaced[label] += 1
                continue
            if widened:
                self.counts.widened[label] += 1
            placed.append((first, last + 1, label))
            self.counts.by_tokens[last + 1 - first] += 1
        return placed

    def _label_ids(self, placed: list[tuple[int, int, str]]) -> dict[str, int]:
        """The labels of ``placed``, each with its hash in the vocabulary's strings."""
        labels = {label for _, _, label in placed}
        strings = self.nlp.vocab.strings
        return {label: strings.add(label) for label in labels}


class _Filling:
    """A ``DocBin`` being filled, to the bytes ``DocBin.add`` and ``doc.set_ents`` would
    give, without their loops over every token in Python: ``DocBin.add`` reads nine
    strings of each token (a Token object made each time: most of the export's time)
    only to collect the strings the file must hold, and ``set_ents`` checks every token
    against a set. Here each document's tokens are read once, as one array holding the
    stored columns, the columns of the strings, the spaces and the offsets; the entities
    are written into that array, and the strings are collected from it a hundred
    documents at a time."""

    def __init__(self, vocab: Vocab) -> None:
        from spacy import attrs
        from spacy.tokens import DocBin

        self.vocab = vocab
        self.docbin = DocBin(attrs=DOCBIN_ATTRS, store_user_data=True)
        stored = list(self.docbin.attrs)  # as DocBin orders them: ORTH first
        # The strings DocBin.add keeps of a token: text, norm_, tag_, lemma_, dep_,
        # ent_type_, ent_kb_id_, ent_id_ (each the string of the hash in its column),
        # and str(morph) (see done()).
        strings = [
            attrs.ORTH, attrs.NORM, attrs.TAG, attrs.LEMMA, attrs.DEP,
            attrs.ENT_TYPE, attrs.ENT_KB_ID, attrs.ENT_ID,
        ]  # fmt: skip
        extra = [attrs.SPACY, attrs.MORPH, attrs.IDX, attrs.LENGTH, attrs.IS_SPACE]
        self.columns = [*stored, *(a for a in strings if a not in stored), *extra]
        column = self.columns.index
        self.width = len(stored)
        self.strings = [column(a) for a in strings]
        self.spacy, self.morph, self.idx, self.length, self.is_space = map(column, extra)
        self.iob, self.type = column(attrs.ENT_IOB), column(attrs.ENT_TYPE)
        self.arrays: list[Any] = []  # the string columns of documents added since _collect()
        self.hashes: set[int] = set()
        self.morphs: set[int] = set()

    def tokens(self, doc: Doc) -> Any:
        """The document's tokens as a numpy array, a row each, one column per attribute
        of :attr:`columns`."""
        return doc.to_array(self.columns)

    def set_entities(self, tokens: Any, entities: list[tuple[int, int, int]]) -> None:
        """What ``doc.set_ents`` stores for these (start, end, label hash) entities, which
        do not overlap, of a Doc fresh from the tokenizer: B (3) on an entity's first
        token and I (1) on the others, with its label; O (2) and no label elsewhere."""
        iob, label = tokens[:, self.iob], tokens[:, self.type]  # views: written through
        iob[:] = 2
        for start, end, kind in entities:
            iob[start] = 3
            iob[start + 1 : end] = 1
            label[start:end] = kind

    def add(self, doc: Doc, tokens: Any, labels: set[str]) -> None:
        """``docbin.add(doc)``, the stored columns taken from ``tokens``; the spans of
        ``doc``'s span group carry one of ``labels`` each and no kb_id or id."""
        import srsly

        docbin = self.docbin
        docbin.tokens.append(tokens[:, : self.width].copy())
        docbin.spaces.append(tokens[:, self.spacy : self.spacy + 1].astype(bool))
        docbin.flags.append({"has_unknown_spaces": doc.has_unknown_spaces})
        docbin.cats.append(doc.cats)
        docbin.user_data.append(srsly.msgpack_dumps(doc.user_data))
        docbin.span_groups.append(doc.spans.to_bytes())
        if labels:
            docbin.strings.update(labels)
            docbin.strings.add("")  # the kb_id_ and id_ of each span
        self.arrays.append(tokens[:, [*self.strings, self.morph]])
        if len(self.arrays) == 100:
            self._collect()

    def done(self) -> DocBin:
        """The DocBin, with the strings of all its tokens."""
        self._collect()
        strings = self.vocab.strings
        empty = self.vocab.morphology.EMPTY_MORPH
        self.docbin.strings.update(strings[key] for key in self.hashes)
        # str(token.morph) is "" for the morphology's empty analysis
        self.docbin.strings.update("" if strings[k] == empty else strings[k] for k in self.morphs)
        return self.docbin

    def _collect(self) -> None:
        """The distinct hashes of the documents added since the last call, in
        :attr:`hashes` and :attr:`morphs` (a few documents at a time: a file's worth of
        token rows would take tens of MB)."""
        import numpy

        if not self.arrays:
            return
        rows = numpy.concatenate(self.arrays)
        self.arrays = []
        for n in range(len(self.strings)):
            values = numpy.ascontiguousarray(rows[:, n])
            if values.any():  # most columns hold no string at all: only ""
                self.hashes.update(numpy.unique(values).tolist())
            elif len(values):
                self.hashes.add(0)
        self.morphs.update(numpy.unique(rows[:, -1]).tolist())


def _longest_first(spans: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """The (start, end, n) spans ``spacy.util.filter_spans`` keeps of these: longest
    (in tokens) first, the earlier one on ties, then each that overlaps none kept."""
    kept = []
    seen: set[int] = set()
    for span in sorted(spans, key=lambda s: (s[1] - s[0], -s[0]), reverse=True):
        start, end, _ = span
        if start not in seen and end - 1 not in seen:
            kept.append(span)
            seen.update(range(start, end))
    return kept


@contextlib.contextmanager
def _encoders_looked_up_once() -> Iterator[None]:
    """srsly, which writes a document's user data and span groups for DocBin, asks
    catalogue for its msgpack encoders at every call: catalogue reads the installed
    packages' entry points and walks every function spaCy and thinc registered, three times
    a document (more than half the export's time). They cannot change while the files are
    written, so they are looked up once here, and srsly asks again afterwards."""
    from srsly.msgpack import msgpack_encoders

    found = msgpack_encoders.get_all()
    msgpack_encoders.get_all = lambda: found
    try:
        yield
    finally:
        del msgpack_encoders.get_all


# ISA-L's default level: a file of 1,000 articles' tokens (25 MB of msgpack, mostly the
# zeros of attributes a blank tokenizer leaves unset) compressed in 15 ms into 2.0 MB,
# where zlib's default level, DocBin.to_bytes's, took 310 ms for 1.6 MB: at 100,000
# articles, 30 s of processor time, more than the tokenizing.
DOCBIN_LEVEL = 2


def docbin_bytes(docbin: DocBin) -> bytes:
    """What ``docbin.to_bytes()`` returns but compressed by ISA-L instead of zlib: the
    same msgpack message, as a zlib stream ``DocBin.from_bytes`` (``zlib.decompress``)
    reads as it reads its own."""
    import numpy
    import srsly

    # The zip writer's module, already in the installers (isal_zlib adds 0.3 MiB to them).
    from isal.igzip_lib import COMP_ZLIB, compress

    lengths = [len(tokens) for tokens in docbin.tokens]
    tokens = numpy.vstack(docbin.tokens) if docbin.tokens else numpy.asarray([])
    spaces = numpy.vstack(docbin.spaces) if docbin.spaces else numpy.asarray([])
    msg = {
        "version": docbin.version,
        "attrs": docbin.attrs,
        "tokens": tokens.tobytes("C"),
        "spaces": spaces.tobytes("C"),
        "lengths": numpy.asarray(lengths, dtype="int32").tobytes("C"),
        "strings": sorted(docbin.strings),
        "cats": docbin.cats,
        "flags": docbin.flags,
        "span_groups": docbin.span_groups,
    }
    if docbin.store_user_data:
        msg["user_data"] = docbin.user_data
    return compress(srsly.msgpack_dumps(msg), DOCBIN_LEVEL, COMP_ZLIB)


def _xx_last(item: tuple[str, int]) -> tuple[bool, str]:
    return item[0] == FALLBACK_LANGUAGE, item[0]


def _blank(lang: str) -> Language:
    import spacy

    return spacy.blank(lang)


def open_writer(path: Path, context: ExportContext) -> SpacyWriter:
    """A writer for ``path``; imports spaCy (check_available() has made sure it can)."""
    return SpacyWriter(path, context)


# -- the second process ----------------------------------------------------------------


def run(folder: str) -> int:
    """``factmark _spacy-part FOLDER``: make the files the job in FOLDER describes; their
    names and what was adjusted (or why it failed) go to FOLDER/result.json."""
    return two_processes.serve(folder, _make_part)


def _make_part(job: dict[str, Any], _folder: Path) -> dict[str, Any]:
    out = FolderPart(Path(job["folder"]))
    counts = _Counts()
    try:
        with open(job["records"], "rb") as records:
            records.seek(job["from"])
            made = _Files(_blank(job["lang"]), out, counts, job["per_file"])
            made.write(records, job["number"], None)
    finally:
        out.close()
    return {"written": out.written(), "counts": counts.as_data()}
