"""spaCy DocBin export: every span in doc.spans["sc"], a non-overlapping doc.ents, the
document's language for tokens, traceable uids, and a clear message without spaCy."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
import spacy  # a test dependency (the `test` extra): never skipped
from spacy.tokens import Doc, DocBin
from spacy.training import Corpus

from factmark.core.exporting import export, spacy_docbin
from factmark.core.exporting.base import Selection, Split, iter_records
from factmark.core.importing import import_file
from factmark.core.model import ValidationError
from factmark.core.project import Project

ALL = Selection(frozenset())


def import_corpus(project: Project, corpus: Path) -> None:
    """The JSONL files first (they carry the language), then the plain-text articles."""
    for path in [
        corpus / "annotated.jsonl",
        corpus / "doccano.jsonl",
        *sorted(corpus.glob("*.txt")),
    ]:
        report = import_file(project, path)
        assert not report.errors, report.lines()


def document(project: Project, **meta: str) -> tuple[int, str]:
    """Id and text of the one document whose meta holds these items."""
    (found,) = [d for d in project.documents() if meta.items() <= d.meta.items()]
    assert found.id is not None
    return found.id, project.document(found.id).text


def label(
    project: Project, document_id: int, text: str, part: str, name: str, nth: int = 0
) -> None:
    """Label the ``nth`` occurrence of ``part`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(part, start + 1)
    project.add_span(document_id, start, start + len(part), name)


def add_nested_spans(project: Project) -> None:
    """Claims around numbers and places, so that spans nest and overlap."""
    kharkiv, text = document(project, source_id="uk-kharkiv")
    label(project, kharkiv, text, "Мер Харкова заявив, що вночі місто атакували 12 дронів", "claim")
    label(
        project, kharkiv, text, "збили 9 з 12 безпілотників над Харківською", "claim"
    )  # crosses a place
    lagos, text = document(project, source_id="emoji-lagos")
    label(project, lagos, text, "The post, shared 15,000 times", "claim")  # overlaps a source
    # the French article with decomposed accents (letter + combining mark)
    texts = {d.id or 0: project.document(d.id or 0).text for d in project.documents()}
    (fr,) = [i for i, t in texts.items() if "e\u0301" in t]
    text = texts[fr]
    label(project, fr, text, text[: text.index(".")], "claim")
    label(project, fr, text, "4 000", "number")


def load(path: Path) -> list[Doc]:
    """The documents as `spacy train` reads them: spaCy's own corpus reader, given the
    export as `--paths.train` names it."""
    return [example.reference for example in Corpus(path)(spacy.blank("xx"))]


def by_uid(project: Project) -> dict[str, dict[str, Any]]:
    return {record["id"]: record for record in iter_records(project, ALL)}


def overlapping(spans: list[Any]) -> bool:
    ordered = sorted((s.start, s.end) for s in spans)
    return any(a_end > b_start for (_, a_end), (b_start, _) in pairwise(ordered))


def test_every_span_is_in_sc_with_its_exact_text(
    project: Project, corpus: Path, tmp_path: Path
) -> None:
    import_corpus(project, corpus)
    add_nested_spans(project)
    out = tmp_path / "corpus.spacy"

    result = export(project, "spacy", out, ALL)

    records = by_uid(project)
    docs = load(out)
    assert result.outputs == {"all": out} and result.files == [out / "000001.spacy", result.card]
    assert result.documents == len(docs) == len(records) == 5
    assert result.spans == sum(len(r["spans"]) for r in records.values()) == 20 + 5
    for doc in docs:
        record = records[doc.user_data["factmark_id"]]
        assert doc.text == record["text"]
        assert doc.user_data["factmark_title"] == record["title"]
        want = [(s["start"], s["end"], s["label"], s["text"]) for s in record["spans"]]
        got = [(s.start_char, s.end_char, s.label_, s.text) for s in doc.spans["sc"]]
        if doc.text.startswith("据新华社"):
            # The corpus mixes languages, so `xx` tokenised every document (as `spacy
            # train --lang xx` will): it keeps a run of Chinese characters as one token,
            # and each span is widened to the run that holds it.
            for start, end, name, _ in want:
                assert any(a <= start and end <= b and lab == name for a, b, lab, _ in got)
            assert len(got) == len(want)
            assert all(text == doc.text[a:b] for a, b, _, text in got)
            continue
        assert sorted(got) == sorted(want)
        assert [list(s) for s in doc.user_data["factmark_spans"]] == [
            [s["id"], s["start"], s["end"], s["label"]] for s in record["spans"]
        ]
        # ner's layer: no overlaps, every entity is one of the spans, and a span left
        # out overlaps an entity at least as long (the longest-first rule).
        ents = list(doc.ents)
        assert not overlapping(ents)
        assert {(e.start, e.end, e.label_) for e in ents} <= {
            (s.start, s.end, s.label_) for s in doc.spans["sc"]
        }
        for span in doc.spans["sc"]:
            if (span.start, span.end, span.label_) not in {
                (e.start, e.end, e.label_) for e in ents
            }:
                assert any(
                    e.start < span.end and span.start < e.end and len(e) >= len(span) for e in ents
                )
    # Inside (or across) a longer span: 4 in Lagos (70%, Lagos, 15,000, Abuja), 4 in
    # Kharkiv (a place, two numbers, and the region the second claim crosses), 2 in
    # Shanghai and 2 in the French claim; they are for spancat only.
    (note,) = [n for n in result.notes if "not in doc.ents" in n]
    assert note.startswith('spans in doc.spans["sc"] (spancat) but not in doc.ents (ner)')
    # ... and the Chinese claim, widened to the same run as the source before it.
    assert note.endswith(": 13 of 25 (claim 1, location 6, number 6)")
    (widened,) = [n for n in result.notes if n.startswith("spans not on spaCy token")]
    assert ": 4 of 25 (claim 1, location 1, number 1, source 1);" in widened  # the Chinese
    card = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert note in card and widened in card
    assert "python -m spacy train config.cfg" in card and "Files: `corpus.spacy`" in card


@pytest.mark.parametrize(
    ("texts", "lang"),
    [
        (["The mayor of Leeds said 40 homes flooded.", "Police in York said so."], "en"),
        (["据新华社报道，𠮷野家在上海开设了第300家门店。", "上海的门店增加了。"], "zh"),
    ],
)
def test_one_language_is_tokenised_with_its_own_tokenizer(
    project: Project, tmp_path: Path, write_jsonl: Callable[..., Path], texts: list[str], lang: str
) -> None:
    tags = {"en": ["en-GB", "EN"], "zh": ["zh-CN", "zh_Hans"]}[lang]  # one language, two tags
    source = write_jsonl(
        [{"text": t, "meta": {"lang": tag}} for t, tag in zip(texts, tags, strict=True)]
    )
    assert not import_file(project, source).errors
    out = tmp_path / "corpus.spacy"

    result = export(project, "spacy", out, ALL)

    docs = load(out)
    assert len(docs) == result.documents == 2
    for doc in docs:
        assert doc.user_data["factmark_tokenizer"] == lang
        assert [t.text for t in doc] == [t.text for t in spacy.blank(lang).make_doc(doc.text)]
    assert not any("several languages" in n or "`xx`" in n for n in result.notes)
    card = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert f"init config config.cfg --lang {lang} --pipeline spancat" in card


def test_mixed_languages_are_all_tokenised_with_xx(
    project: Project, corpus: Path, tmp_path: Path, write_jsonl: Callable[..., Path]
) -> None:
    import_corpus(project, corpus)
    extra = write_jsonl(
        [
            {"text": "The mayor of Leeds said 40 homes flooded.", "meta": {"lang": "en-GB"}},
            {"text": "東京都で3人が負傷した。", "meta": {"lang": "ja"}},
            {"text": "Qapla' batlh je.", "meta": {"language": "tlh"}},
        ]
    )
    assert not import_file(project, extra).errors
    out = tmp_path / "corpus.spacy"

    result = export(project, "spacy", out, ALL)

    # One tokenizer for all, the one `spacy train --lang xx` (the card's advice) uses:
    # every stored token is where spaCy's training will look for it.
    docs = load(out)
    assert len(docs) == result.documents == 8
    for doc in docs:
        assert doc.user_data["factmark_tokenizer"] == "xx"
        assert [t.text for t in doc] == [t.text for t in spacy.blank("xx").make_doc(doc.text)]
    card = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert "init config config.cfg --lang xx --pipeline spancat" in card
    has_sudachi = importlib.util.find_spec("sudachipy") is not None
    (mixed,) = [n for n in result.notes if "several languages" in n]
    ja = "ja 1, " if has_sudachi else ""
    assert mixed.startswith(f"documents in several languages (en 2, {ja}uk 1, zh 1, other or none ")
    assert mixed in card
    assert any("language 'tlh', which spaCy does not know" in n for n in result.notes)
    if not has_sudachi:
        assert any("language 'ja'" in n and "SudachiPy" in n for n in result.notes)
    (no_language,) = [n for n in result.notes if "no `lang` or `language`" in n]
    assert no_language.endswith("): 2")
    assert no_language.startswith("documents counted as spaCy's multi-language `xx`")


def test_span_edges_inside_tokens_are_widened_and_counted(
    project: Project, tmp_path: Path, write_jsonl: Callable[..., Path]
) -> None:
    text = "Officials in Kharkivska oblast said 12 drones fell."
    spans = [
        {"start": text.index("Kharkiv"), "end": text.index("Kharkiv") + 7, "label": "location"},
        {"start": text.index("12") - 1, "end": text.index("12") + 3, "label": "number"},  # " 12 "
        {"start": 9, "end": 10, "label": "source"},  # the space after "Officials"
        {"start": 0, "end": 9, "label": "source"},
    ]
    source = write_jsonl([{"text": text, "meta": {"lang": "en"}, "status": "done", "spans": spans}])
    assert not import_file(project, source).errors
    out = tmp_path / "one.spacy"

    result = export(project, "spacy", out)

    (doc,) = load(out)
    assert sorted((s.text, s.label_) for s in doc.spans["sc"]) == [
        ("12", "number"),
        ("Kharkivska", "location"),
        ("Officials", "source"),
    ]
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Officials", "source"),
        ("Kharkivska", "location"),
        ("12", "number"),
    ]
    assert sorted(tuple(s[1:]) for s in doc.user_data["factmark_spans"]) == sorted(
        (s["start"], s["end"], s["label"]) for s in spans
    )
    widened, unplaced = result.notes
    assert widened.startswith("spans not on spaCy token boundaries, widened")
    assert ": 2 of 4 (location 1, number 1);" in widened
    assert unplaced.startswith("spans that are only whitespace (the space after a word")
    assert ": 1 of 4 (source 1);" in unplaced


def test_split_parts_hold_different_documents(
    project: Project, corpus: Path, tmp_path: Path
) -> None:
    import_corpus(project, corpus)
    out = tmp_path / "corpus.spacy"

    result = export(project, "spacy", out, ALL, Split.parse("train=0.5,dev=0.5", seed=1))

    train, dev = tmp_path / "corpus.train.spacy", tmp_path / "corpus.dev.spacy"
    assert result.outputs == {"train": train, "dev": dev}
    ids = {part: {d.user_data["factmark_id"] for d in load(part)} for part in (train, dev)}
    assert ids[train] and ids[dev] and not ids[train] & ids[dev]
    assert ids[train] | ids[dev] == set(by_uid(project))
    assert not out.exists()


def test_without_spacy_the_export_says_how_to_get_it_and_writes_nothing(
    project: Project, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_corpus(project, corpus)
    monkeypatch.setitem(sys.modules, "spacy", None)  # `import spacy` now raises ImportError
    out = tmp_path / "out" / "corpus.spacy"

    with pytest.raises(ValidationError) as error:
        export(project, "spacy", out, ALL, Split.parse("train=0.5,dev=0.5"))

    assert str(error.value) == "the spacy format needs spaCy: pip install 'factmark[spacy]'"
    assert not out.parent.exists()


def test_loading_the_registry_does_not_import_spacy() -> None:
    code = "import sys, factmark.core.exporting, factmark.cli; print('spacy' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "False"


def test_a_large_export_is_a_folder_of_docbins_read_in_project_order(
    project: Project, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A DocBin holds its documents in memory: the export writes one per so many
    documents, and spaCy's reader gives them back in the project's order."""
    import_corpus(project, corpus)
    monkeypatch.setattr(spacy_docbin, "DOCUMENTS_PER_FILE", 2)
    out = tmp_path / "corpus.spacy"

    result = export(project, "spacy", out, ALL)

    names = ["000001.spacy", "000002.spacy", "000003.spacy"]
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == names
    assert result.files == [*(out / name for name in names), result.card]
    sizes = [len(DocBin().from_disk(out / name)) for name in names]
    assert sizes == [2, 2, 1]
    order = [record["id"] for record in iter_records(project, ALL)]
    assert [doc.user_data["factmark_id"] for doc in load(out)] == order


def test_an_empty_export_is_an_empty_corpus_for_spacy(project: Project, tmp_path: Path) -> None:
    out = tmp_path / "corpus.spacy"

    result = export(project, "spacy", out, ALL)

    assert result.documents == 0 and result.files == [out / "000001.spacy", result.card]
    assert load(out) == []


# Texts that end in a line break (the second as a file written on Windows), with spans up
# to their end or ending in whitespace; the text each span must hold in the .spacy file,
# written out by hand.
ENDING_IN_WHITESPACE = [
    (
        "The mayor said 40 homes flooded.\n",
        [(0, 33, "claim"), (15, 17, "number")],
        ["The mayor said 40 homes flooded.", "40"],
    ),
    (
        "Police in York said so.\n\nNothing else.\r\n",
        [(0, 25, "claim"), (10, 14, "location"), (25, 40, "claim"), (23, 25, "source")],
        ["Police in York said so.", "York", "Nothing else.", None],
    ),
    (
        "Officials said  12 drones fell   \r\n",
        [(0, 35, "claim"), (15, 18, "number"), (10, 35, "claim")],
        ["Officials said  12 drones fell", "12", "said  12 drones fell"],
    ),
]


def test_a_span_ending_at_a_text_s_last_line_break_holds_no_whitespace_token(
    project: Project, tmp_path: Path, write_jsonl: Callable[..., Path]
) -> None:
    """spaCy's spans never start or end on a whitespace token: a claim up to the end of
    an article that ends in a line break is the claim's words, in doc.spans and in
    doc.ents, read back by spaCy's own DocBin reader."""
    source = write_jsonl(
        [
            {
                "text": text,
                "meta": {"lang": "en"},
                "status": "done",
                "spans": [{"start": s, "end": e, "label": name} for s, e, name in spans],
            }
            for text, spans, _ in ENDING_IN_WHITESPACE
        ]
    )
    assert not import_file(project, source).errors
    out = tmp_path / "corpus.spacy"

    result = export(project, "spacy", out, ALL)

    nlp = spacy.blank("en")
    docs = list(DocBin().from_disk(out / "000001.spacy").get_docs(nlp.vocab))
    assert len(docs) == 3
    entities = set()
    for doc, (_, spans, expected) in zip(docs, ENDING_IN_WHITESPACE, strict=True):
        assert doc.text.endswith("\n") and "\r" not in doc.text
        want = sorted(
            (text, name) for (_, _, name), text in zip(spans, expected, strict=True) if text
        )
        got = doc.spans["sc"]
        assert sorted((s.text, s.label_) for s in got) == want
        for span in [*got, *doc.ents]:
            assert span.text == span.text.strip()
            assert doc.text[span.start_char : span.end_char] == span.text
        entities |= {e.text for e in doc.ents}
    # ner learns them too, now that no edge is whitespace
    assert {"The mayor said 40 homes flooded.", "Nothing else."} <= entities
    (trimmed,) = [n for n in result.notes if n.startswith("spans that start or end on whitesp")]
    # every claim (each ends in a line break, a blank line or spaces), and the number
    # that starts on the second space of a run
    assert ": 6 of 9 (claim 5, number 1);" in trimmed
    (unplaced,) = [n for n in result.notes if n.startswith("spans that are only whitespace")]
    assert ": 1 of 9 (source 1);" in unplaced  # the blank line alone
    assert trimmed in (tmp_path / "README.md").read_text(encoding="utf-8")
