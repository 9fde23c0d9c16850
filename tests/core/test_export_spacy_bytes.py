"""The spaCy export writes, byte for byte once inflated, the files its first version wrote
through spaCy's own ``char_span``, ``filter_spans``, ``doc.ents``, ``DocBin.add`` and
``DocBin.to_bytes`` (tests/core/spacy_oracle.py; the export compresses with ISA-L instead
of zlib), and counts the same spans in its notes: on the shared
corpus with spans nested, widened, touching no token and with whitespace at their
edges; on English, whose tokenizer gives words norms of their own ("n't" -> "not"); on
a sample of the scale benchmark's archive; and on an empty export."""

from __future__ import annotations

import importlib.util
import sys
import zlib
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import spacy
from spacy.tokens import Doc, DocBin, Span
from tests.core.spacy_oracle import Counts, reference_files
from tests.core.test_export_spacy import ALL, add_nested_spans, import_corpus

from factmark.core.exporting import export
from factmark.core.exporting.base import iter_records
from factmark.core.exporting.spacy_docbin import DOCBIN_ATTRS, _Filling, docbin_bytes
from factmark.core.importing import import_file
from factmark.core.project import Project

SCALE = Path(__file__).resolve().parents[2] / "bench" / "scale.py"

# Spans where the tokens make it hard: inside a word, from or to the space after one,
# only that space, a run of spaces (a whitespace token), the whole text, the same span
# twice (two annotators), a tab and a line break, an emoji, at the very end, two as long
# as each other that overlap.
AWKWARD = "  Officials in Kharkivska  oblast said\t12 drones fell 🚨.\nPolice: none."


def awkward_spans(text: str) -> list[dict[str, Any]]:
    def at(part: str, label: str, before: int = 0, after: int = 0) -> dict[str, Any]:
        start = text.index(part)
        return {"start": start - before, "end": start + len(part) + after, "label": label}

    return [
        at("Kharkiv", "location"),
        at("12", "number", before=1, after=1),
        at("Officials", "source", after=1),
        {"start": text.index("in") - 1, "end": text.index("in"), "label": "source"},
        at(" oblast", "location", before=1),
        at("12", "number"),
        at("12", "number"),
        {"start": 0, "end": len(text), "label": "claim"},
        at("🚨", "claim"),
        at("none.", "claim"),
        at("🚨", "claim", before=1),  # from the space after "fell"
        at("Police", "source"),
        at("drones fell", "claim"),  # as long as the next, which it overlaps: the
        at("12 drones", "number"),  # earlier one is the entity
    ]


def assert_as_first_written(
    out: Path, lang: str, records: list[dict[str, Any]], notes: list[str]
) -> None:
    files, counts = reference_files(spacy.blank(lang), records)
    names = [f"{n:06d}.spacy" for n in range(1, len(files) + 1)]
    assert sorted(p.name for p in out.glob("*.spacy")) == names
    for name, expected in zip(names, files, strict=True):
        # The same message; the export compresses it with ISA-L, DocBin.to_bytes with zlib.
        assert zlib.decompress((out / name).read_bytes()) == zlib.decompress(expected), name
    assert counted(notes, "spans not on spaCy token boundaries") == of(counts, counts.widened)
    assert counted(notes, "spans that start or end on whitespace") == of(counts, counts.trimmed)
    assert counted(notes, "spans that are only whitespace") == of(counts, counts.unplaced)
    assert counted(notes, 'spans in doc.spans["sc"]') == of(counts, counts.not_in_ents)


def counted(notes: list[str], start: str) -> str | None:
    """The ``N of M (label n, ...)`` of the note that starts so, if there is one."""
    found = [n for n in notes if n.startswith(start)]
    if not found:
        return None
    (note,) = found
    return note[note.index(": ") + 2 :].split(";")[0]


def of(counts: Counts, what: Counter[str]) -> str | None:
    if not what:
        return None
    by_label = ", ".join(f"{label} {n:,}" for label, n in sorted(what.items()))
    return f"{sum(what.values()):,} of {counts.spans:,} ({by_label})"


def test_the_shared_corpus_and_awkward_spans(
    project: Project, corpus: Path, tmp_path: Path, write_jsonl: Callable[..., Path]
) -> None:
    import_corpus(project, corpus)
    add_nested_spans(project)
    extra = write_jsonl([{"text": AWKWARD, "status": "done", "spans": awkward_spans(AWKWARD)}])
    assert not import_file(project, extra).errors
    out = tmp_path / "corpus.spacy"

    result = export(project, "spacy", out, ALL)

    records = list(iter_records(project, ALL))
    assert len(records) == 6 and sum(len(r["spans"]) for r in records) == 25 + 14
    assert_as_first_written(out, "xx", records, result.notes)  # languages mixed: xx
    assert all(
        counted(result.notes, n)
        for n in ("spans not", "spans that start", "spans that are", "spans in")
    )


def test_english_norms_and_exceptions(
    project: Project, tmp_path: Path, write_jsonl: Callable[..., Path]
) -> None:
    texts = [
        "I don't think the U.K.'s 40% figure is right, y'all said at 5pm.",
        "They'll say it's 3 km away; we can't check it... can you?",
    ]
    source = write_jsonl(
        [
            {
                "text": text,
                "meta": {"lang": "en"},
                "status": "done",
                "spans": [
                    {"start": 2, "end": 7, "label": "claim"},  # "don't" is two tokens
                    {"start": 4, "end": 10, "label": "number"},
                    {"start": 0, "end": len(text) - 1, "label": "claim"},
                ],
            }
            for text in texts
        ]
    )
    assert not import_file(project, source).errors
    out = tmp_path / "corpus.spacy"

    result = export(project, "spacy", out, ALL)

    doc = spacy.blank("en")("can't")
    assert [t.norm_ for t in doc] == ["can", "not"]  # norms that are not the lower case
    assert_as_first_written(out, "en", list(iter_records(project, ALL)), result.notes)


@pytest.fixture(scope="module")
def scale() -> Any:
    spec = importlib.util.spec_from_file_location("scale_bench", SCALE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["scale_bench"] = module
    spec.loader.exec_module(module)
    return module


def test_a_sample_of_the_scale_archive(project: Project, tmp_path: Path, scale: Any) -> None:
    """2,000 of the scale benchmark's articles, 40,000 spans: two files."""
    source = tmp_path / "archive.jsonl"
    scale.corpus(source, 2000)
    assert not import_file(project, source).errors
    out = tmp_path / "corpus.spacy"

    result = export(project, "spacy", out, ALL)

    assert result.documents == 2000 and result.spans == 40_000
    assert_as_first_written(out, "xx", list(iter_records(project, ALL)), result.notes)


def test_an_empty_export(project: Project, tmp_path: Path) -> None:
    out = tmp_path / "corpus.spacy"

    result = export(project, "spacy", out, ALL)

    assert result.documents == 0
    assert_as_first_written(out, "xx", [], result.notes)
    assert zlib.decompress((out / "000001.spacy").read_bytes()) == zlib.decompress(
        DocBin(attrs=DOCBIN_ATTRS, store_user_data=True).to_bytes()
    )


def test_every_string_a_token_can_hold_is_stored_as_docbin_add_stores_it() -> None:
    """A tokenizer may give tags, lemmas and morphology (Japanese, Korean): the file holds
    their strings as ``DocBin.add`` collects them, the empty analysis as ""."""
    nlp = spacy.blank("en")
    doc = Doc(
        nlp.vocab,
        words=["The", "cats", "ran", "."],
        tags=["DT", "NNS", "VBD", "."],
        lemmas=["the", "cat", "run", "."],
        morphs=["Definite=Def", "Number=Plur", "", ""],
        deps=["det", "nsubj", "ROOT", "punct"],
        heads=[1, 2, 2, 2],
        ents=["O", "B-ANIMAL", "O", "O"],
    )
    doc[3].set_morph("")  # the morphology's empty analysis, which prints as ""
    doc.spans["sc"] = [Span(doc, 0, 2, label="claim")]
    doc.user_data["factmark_id"] = "x"
    expected = DocBin(attrs=DOCBIN_ATTRS, store_user_data=True)
    expected.add(doc)
    filling = _Filling(nlp.vocab)

    filling.add(doc, filling.tokens(doc), {"claim"})

    assert filling.done().to_bytes() == expected.to_bytes()
    assert {"DT", "cat", "Definite=Def", "nsubj", "ANIMAL", ""} <= expected.strings
    assert "_" not in expected.strings


def test_a_file_holds_what_docbin_to_bytes_holds_and_spacy_reads_it_back() -> None:
    """The message the export compresses is spaCy's own ``to_bytes`` message, on a DocBin
    with every part set (tokens with tags and lemmas, span groups, user data, cats,
    flags), and ``DocBin.from_bytes`` gives the same documents back."""
    nlp = spacy.blank("en")
    docbin = DocBin(attrs=[*DOCBIN_ATTRS, "TAG", "LEMMA"], store_user_data=True)
    for n, text in enumerate(["The minister said 42 percent.", "", "Kharkiv 🚨 Харків"]):
        doc = nlp.make_doc(text)
        if len(doc) > 1:
            doc[0].tag_, doc[0].lemma_ = "DT", "the"
            doc.spans["sc"] = [Span(doc, 0, 2, label="claim")]
        doc.cats = {"checkworthy": float(n % 2)}
        doc.user_data["factmark_id"] = f"doc-{n}"
        docbin.add(doc)

    written = docbin_bytes(docbin)

    assert zlib.decompress(written) == zlib.decompress(docbin.to_bytes())
    assert len(written) < 2 * len(docbin.to_bytes()) + 200
    back = list(DocBin().from_bytes(written).get_docs(nlp.vocab))
    original = list(docbin.get_docs(nlp.vocab))
    assert [d.to_json() for d in back] == [d.to_json() for d in original]
    assert [d.user_data for d in back] == [d.user_data for d in original]
