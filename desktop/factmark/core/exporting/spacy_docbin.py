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

- ``doc.spans["sc"]`` holds every span, nested and overlapping ones included. ``"sc"`` is
  the ``spans_key`` spancat reads by default.
- ``doc.ents`` holds the subset ner can learn, which must not overlap. The rule is spaCy's
  own ``filter_spans``: longest span (in tokens) first, the earlier one on ties, then each
  span that overlaps none already kept. In a claim with a number inside it the claim stays
  and the number is left out. Spans whose first or last token is whitespace are left out
  too, because ner cannot learn them. To train ner on the short labels only, export
  with ``--label`` for those labels. The card counts what was left out, by label.
- A span edge that falls inside a token (``"ig"`` in ``"big"``) cannot be a spaCy span.
  Such a span is widened to the tokens it touches (``alignment_mode="expand"``), and
  whitespace at its edges, which belongs to no token, is trimmed. The card counts these
  spans. A span that is only the space after a word touches no token at all: it is left
  out of both layers and counted. Every span keeps its exact Factmark offsets in
  ``doc.user_data["factmark_spans"]``, so nothing is lost.
- ``doc.user_data`` also holds ``"factmark_id"`` (the document uid, as in Factmark JSONL)
  and ``"factmark_title"``, so every row can be traced back to the project.

spaCy is imported only when this format is used: loading it takes seconds, and the
window and the other formats must not wait for it.
"""

from __future__ import annotations

import contextlib
import re
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from factmark.core.exporting.base import AtomicFolder, ExportContext
from factmark.core.exporting.sentence_split import available as available
from factmark.core.exporting.sentence_split import check_available as _check

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

NAME = "spacy"
SUFFIX = ".spacy"
DESCRIPTION = (
    "spaCy DocBin files for `spacy train` (a folder of .spacy files, 1,000 documents each): "
    "all spans in doc.spans['sc'], ner subset in doc.ents"
)
FOLDER = True  # named like a file (corpus.spacy), but a folder spaCy's reader takes
DOCUMENTS_PER_FILE = 1000

SPANS_KEY = "sc"
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
        self.pending = tempfile.TemporaryFile(dir=self.out.temp)  # noqa: SIM115
        self.pipelines: dict[str, Language] = {}
        self.fallbacks: dict[str, str] = {}  # language code -> why it became xx
        self.by_language: Counter[str] = Counter()  # why -> documents
        # Shared by the writers of every part: languages found, and the tokenizer chosen.
        self.languages: Counter[str] = context.shared.setdefault("spacy_languages", Counter())
        self.spans = 0
        self.widened: Counter[str] = Counter()
        self.unplaced: Counter[str] = Counter()
        self.not_in_ents: Counter[str] = Counter()

    def add(self, record: dict[str, Any]) -> None:
        code = self._language(language_code(record["meta"] or {}))
        self.languages[code] += 1
        # Kept as a JSON line until finish(): the tokenizer is chosen once every
        # document's language is known.
        self.pending.write(
            orjson.dumps(
                {key: record[key] for key in ("id", "title", "text", "spans")} | {"lang": code}
            )
            + b"\n"
        )

    def _doc(self, nlp: Language, record: dict[str, Any]) -> Doc:
        doc = nlp.make_doc(record["text"])
        placed: list[Span] = []
        for span in record["spans"]:
            self.spans += 1
            start, end, label = span["start"], span["end"], span["label"]
            found = doc.char_span(start, end, label=label, alignment_mode="strict")
            if found is None:
                found = doc.char_span(start, end, label=label, alignment_mode="expand")
                if found is None or not len(found):
                    self.unplaced[label] += 1
                    continue
                self.widened[label] += 1
            placed.append(found)
        doc.spans[SPANS_KEY] = placed
        doc.ents = self._entities(placed)
        doc.user_data["factmark_id"] = record["id"]
        doc.user_data["factmark_title"] = record["title"]
        doc.user_data["factmark_tokenizer"] = nlp.lang
        doc.user_data["factmark_spans"] = [
            [s["id"], s["start"], s["end"], s["label"]] for s in record["spans"]
        ]
        return doc

    def _entities(self, spans: list[Span]) -> list[Span]:
        """The non-overlapping subset: longest first (spaCy's filter_spans), no whitespace edges."""
        from spacy.util import filter_spans

        learnable = [s for s in spans if not (s[0].is_space or s[-1].is_space)]
        kept = filter_spans(learnable)
        chosen = {id(s) for s in kept}
        for span in spans:
            if id(span) not in chosen:
                self.not_in_ents[span.label_] += 1
        return kept

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
            f"{where}documents counted as spaCy's multi-language `xx` ({why}): {count}"
            for why, count in sorted(self.by_language.items())
        ]
        if len(self.languages) > 1:  # the same line from every part: the card shows it once
            mixed = ", ".join(
                f"{code if code != FALLBACK_LANGUAGE else 'other or none'} {n}"
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
        if self.widened:
            notes.append(
                f"{where}spans not on spaCy token boundaries, widened in the .spacy file to the "
                "whole tokens they touch (edge whitespace left out): "
                f"{self._of(self.widened)}; their exact offsets are in "
                'doc.user_data["factmark_spans"]'
            )
        if self.unplaced:
            notes.append(
                f"{where}spans that are only the space after a word, which belongs to no spaCy "
                f"token, left out of doc.spans and doc.ents: {self._of(self.unplaced)}; they "
                'are in doc.user_data["factmark_spans"]'
            )
        if self.not_in_ents:
            notes.append(
                f'{where}spans in doc.spans["sc"] (spancat) but not in doc.ents (ner), which '
                "cannot overlap and keeps the longest of overlapping spans: "
                f"{self._of(self.not_in_ents)}"
            )
        return notes

    def _of(self, counts: Counter[str]) -> str:
        """``"12 of 25 (location 6, number 6)"``."""
        by_label = ", ".join(f"{label} {n}" for label, n in sorted(counts.items()))
        return f"{sum(counts.values())} of {self.spans} ({by_label})"

    def finish(self) -> list[Path]:
        from spacy.tokens import DocBin

        lang = self.tokenizer()
        nlp = self.pipelines.get(lang) or _blank(lang)
        # Only what training reads: the words, their spacing and the entities (spans go in
        # span groups). spaCy's default also stores tags, heads, lemmas... which a blank
        # tokenizer leaves empty: twice the memory and file for nothing.
        self.pending.seek(0)
        number = 0
        with _encoders_looked_up_once():
            while True:
                docbin = DocBin(attrs=DOCBIN_ATTRS, store_user_data=True)
                for line in self.pending:
                    docbin.add(self._doc(nlp, orjson.loads(line)))
                    if len(docbin) == DOCUMENTS_PER_FILE:
                        break
                if not len(docbin) and number:
                    break
                number += 1  # an empty export still has one (empty) file for spaCy to read
                self.out.write(f"{number:06d}.spacy", docbin.to_bytes())
        self.pending.close()
        self.context.notes.extend(self._notes())
        return self.out.finish()

    def discard(self) -> None:
        self.pending.close()
        self.out.discard()


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


def _xx_last(item: tuple[str, int]) -> tuple[bool, str]:
    return item[0] == FALLBACK_LANGUAGE, item[0]


def _blank(lang: str) -> Language:
    import spacy

    return spacy.blank(lang)


def open_writer(path: Path, context: ExportContext) -> SpacyWriter:
    """A writer for ``path``; imports spaCy (check_available() has made sure it can)."""
    return SpacyWriter(path, context)
