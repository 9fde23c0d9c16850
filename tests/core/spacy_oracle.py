"""The spaCy export's files as Factmark first wrote them (spaCy's ``doc.char_span``,
``filter_spans``, ``doc.ents`` and ``DocBin.add``, a Token object for every look): the
oracle that the fast writer in ``factmark.core.exporting.spacy_docbin`` must match byte
for byte (tests/core/test_export_spacy_bytes.py).

Kept as it was, apart from the names: the records come in as the export reads them, and
the counts of the dataset card's notes come back beside the files; and since spaCy's spans
never start or end on a whitespace token, whitespace tokens at a span's edges are left out
(``Token.is_space``), a span of whitespace tokens alone left out altogether.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, DocBin, Span
from spacy.util import filter_spans

from factmark.core.exporting.spacy_docbin import (
    DOCBIN_ATTRS,
    DOCUMENTS_PER_FILE,
    SPANS_KEY,
    _encoders_looked_up_once,
)


class Counts:
    """The note counts: spans widened, trimmed of whitespace tokens, touching no token,
    and left out of doc.ents."""

    def __init__(self) -> None:
        self.spans = 0
        self.widened: Counter[str] = Counter()
        self.trimmed: Counter[str] = Counter()
        self.unplaced: Counter[str] = Counter()
        self.not_in_ents: Counter[str] = Counter()


def reference_doc(nlp: Language, record: dict[str, Any], counts: Counts) -> Doc:
    doc = nlp.make_doc(record["text"])
    placed: list[Span] = []
    for span in record["spans"]:
        counts.spans += 1
        start, end, label = span["start"], span["end"], span["label"]
        found = doc.char_span(start, end, label=label, alignment_mode="strict")
        widened = found is None
        if found is None:
            found = doc.char_span(start, end, label=label, alignment_mode="expand")
            if found is None or not len(found):
                counts.unplaced[label] += 1
                continue
        words = [token.i for token in found if not token.is_space]
        if not words:
            counts.unplaced[label] += 1
            continue
        inside = doc[words[0] : words[-1] + 1]
        if len(inside) < len(found) and not widened:
            counts.trimmed[label] += 1
        if widened:
            counts.widened[label] += 1
        placed.append(Span(doc, inside.start, inside.end, label=label))
    doc.spans[SPANS_KEY] = placed
    learnable = [s for s in placed if not (s[0].is_space or s[-1].is_space)]
    kept = filter_spans(learnable)
    chosen = {id(s) for s in kept}
    for span in placed:
        if id(span) not in chosen:
            counts.not_in_ents[span.label_] += 1
    doc.ents = kept
    doc.user_data["factmark_id"] = record["id"]
    doc.user_data["factmark_title"] = record["title"]
    doc.user_data["factmark_tokenizer"] = nlp.lang
    doc.user_data["factmark_spans"] = [
        [s["id"], s["start"], s["end"], s["label"]] for s in record["spans"]
    ]
    return doc


def reference_files(nlp: Language, records: list[dict[str, Any]]) -> tuple[list[bytes], Counts]:
    """The bytes of each .spacy file, in order, and the counts."""
    counts = Counts()
    files = []
    with _encoders_looked_up_once():  # the same bytes, without srsly's slow look-ups
        for first in range(0, max(len(records), 1), DOCUMENTS_PER_FILE):
            docbin = DocBin(attrs=DOCBIN_ATTRS, store_user_data=True)
            for record in records[first : first + DOCUMENTS_PER_FILE]:
                docbin.add(reference_doc(nlp, record, counts))
            files.append(docbin.to_bytes())
    return files, counts
