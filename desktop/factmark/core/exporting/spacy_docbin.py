"""spaCy ``DocBin`` (``.spacy``): the binary corpus ``python -m spacy train`` reads as it is.

Each document becomes one ``Doc`` tokenised by ``spacy.blank(lang)``, where ``lang`` is the
document's ``meta["lang"]`` (or ``meta["language"]``). ``en-US``, ``pt_BR`` and ``EN`` count
as ``en``, ``pt`` and ``en``. Documents without a language, with one spaCy does not know, or
with one whose tokenizer needs a package that is not installed are tokenised with ``xx``
(spaCy's multi-language tokenizer) and the card says so. In spaCy 3.8 the languages that
need extra packages are Japanese (SudachiPy), Korean (mecab-ko), Thai (PyThaiNLP) and
Vietnamese (pyvi); Chinese works with its default character segmenter.

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

import importlib.util
import re
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from factmark.core.exporting.base import AtomicFile, ExportContext
from factmark.core.model import ValidationError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import DocBin, Span

NAME = "spacy"
SUFFIX = ".spacy"
DESCRIPTION = "spaCy DocBin for `spacy train`: all spans in doc.spans['sc'], ner subset in doc.ents"

SPANS_KEY = "sc"
FALLBACK_LANGUAGE = "xx"
# Codes that spaCy files under another name.
_ALIASES = {"no": "nb", "iw": "he", "in": "id", "ji": "yi"}


def available() -> bool:
    """Whether spaCy is installed (cheap: finds it without importing it)."""
    return importlib.util.find_spec("spacy") is not None


def check_available() -> None:
    """Raise ValidationError when spaCy cannot be imported (before anything is written)."""
    try:
        import spacy  # noqa: F401
    except ImportError:
        if getattr(sys, "frozen", False):
            raise ValidationError(
                "the spacy format is not part of this installed app; export jsonl and "
                "convert it where the Python package runs: pip install 'factmark[spacy]'"
            ) from None
        raise ValidationError(
            "the spacy format needs spaCy: pip install 'factmark[spacy]'"
        ) from None
    except Exception as error:  # a broken install, e.g. a numpy built for another ABI
        raise ValidationError(
            f"the spacy format needs spaCy, which is installed but fails to load ({error}); "
            "reinstall it: pip install --force-reinstall 'factmark[spacy]'"
        ) from None


def language_code(meta: dict[str, Any]) -> str | None:
    """The primary language subtag of ``meta["lang"]`` or ``meta["language"]``, lower case."""
    value = meta.get("lang") or meta.get("language")
    if not isinstance(value, str) or not value.strip():
        return None
    code = value.strip().replace("_", "-").split("-")[0].lower()
    return _ALIASES.get(code, code)


class SpacyWriter:
    """Collects one ``Doc`` per record in a ``DocBin``; written as one file at finish()."""

    def __init__(self, path: Path, context: ExportContext) -> None:
        from spacy.tokens import DocBin

        self.context = context
        self.docbin: DocBin = DocBin(store_user_data=True)
        self.pipelines: dict[str, Language] = {}
        self.fallbacks: dict[str, str] = {}  # language code -> why it became xx
        self.by_language: Counter[str] = Counter()  # why -> documents
        self.spans = 0
        self.widened: Counter[str] = Counter()
        self.unplaced: Counter[str] = Counter()
        self.not_in_ents: Counter[str] = Counter()
        self.out = AtomicFile(path)

    def add(self, record: dict[str, Any]) -> None:
        doc = self._pipeline(language_code(record["meta"] or {})).make_doc(record["text"])
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
        doc.user_data["factmark_spans"] = [
            [s["id"], s["start"], s["end"], s["label"]] for s in record["spans"]
        ]
        self.docbin.add(doc)

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

    def _pipeline(self, code: str | None) -> Language:
        """A blank pipeline for ``code``, or ``xx`` when spaCy cannot tokenise it here."""
        import spacy

        if code is None:
            self.by_language["no `lang` or `language` in their meta"] += 1
            code = FALLBACK_LANGUAGE
        elif code in self.fallbacks:
            self.by_language[self.fallbacks[code]] += 1
            code = FALLBACK_LANGUAGE
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
                return self._pipeline(code)
        return self.pipelines[code]

    def _notes(self) -> list[str]:
        """What the card's Notes say about this output, one line per kind of adjustment."""
        where = f"{self.context.part}: " if self.context.part else ""
        notes = [
            f"{where}documents tokenised with spaCy's multi-language `xx` tokenizer ({why}): "
            f"{count}"
            for why, count in sorted(self.by_language.items())
        ]
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
        self.out.write(self.docbin.to_bytes())
        self.context.notes.extend(self._notes())
        return self.out.finish()

    def discard(self) -> None:
        self.out.discard()


def open_writer(path: Path, context: ExportContext) -> SpacyWriter:
    """A writer for ``path``; imports spaCy (check_available() has made sure it can)."""
    return SpacyWriter(path, context)
