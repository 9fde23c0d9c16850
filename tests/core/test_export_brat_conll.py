"""brat standoff and CoNLL BIO exports, read back the way brat, spaCy and flair read them.

The corpus project holds annotated.jsonl, doccano.jsonl and every .txt of the shared corpus
(the .txt files hold the same articles, so they come in as duplicates: the Ukrainian one
with its \\r\\n stored as \\n), plus spans added where these formats slip: nested spans, a
crossing span, spans across a line break and a blank line, a decomposed accent, a note with
a line break and a relation. One more document, ``WATER``, has spans whose fate under each
nested-span policy is known exactly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import pytest
from tests.cli.test_cli import factmark

from factmark.core.exporting import export
from factmark.core.exporting.base import Selection, Split, iter_records
from factmark.core.exporting.conll import sentence_starts, tokenize
from factmark.core.importing import import_file
from factmark.core.incoming import IncomingDocument, IncomingSpan
from factmark.core.model import ValidationError
from factmark.core.project import Project

ALL = Selection(frozenset())
LINE_BREAK = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")

WATER = (
    "Officials in Abuja said 70% of Lagos water is safe.\nThe board cited 15,000 tests by Waterlab."
)
# (label, the text of the span: its first occurrence in WATER)
WATER_SPANS = [
    ("source", "Officials in Abuja"),
    ("location", "Abuja"),
    ("claim", "70% of Lagos water is safe"),
    ("number", "70%"),
    ("location", "Lagos"),
    ("source", "safe.\nThe board"),  # crosses the claim, and the line break
    ("number", "15,000"),
    ("source", "aterlab"),  # an edge inside the token "Waterlab"
]
# What BIO keeps of WATER, as (label, text from the first to the last token).
WATER_KEPT = {
    "outermost": {
        ("source", "Officials in Abuja"),
        ("claim", "70% of Lagos water is safe"),
        ("number", "15,000"),
        ("source", "Waterlab"),
    },
    "innermost": {
        ("location", "Abuja"),
        ("number", "70%"),
        ("location", "Lagos"),
        ("source", "safe.\nThe board"),
        ("number", "15,000"),
        ("source", "Waterlab"),
    },
}
# What the card says about them (counted by hand over the corpus spans and WATER's).
CONLL_NOTES = {
    "outermost": [
        "spans widened to whole tokens (an edge fell inside a token): 1",
        "spans left out by --nested outermost, inside another span (BIO cannot nest): 11",
        "spans left out, crossing an earlier span (BIO cannot overlap; the span starting "
        "first was kept): 2",
        "sentence breaks not made because they fell inside a span (it stays one entity): 1",
    ],
    "innermost": [
        "spans widened to whole tokens (an edge fell inside a token): 1",
        "spans left out by --nested innermost, around another span (BIO cannot nest): 8",
        "sentence breaks not made because they fell inside a span (it stays one entity): 3",
    ],
}


# -- the project ----------------------------------------------------------------------------


def import_corpus(project: Project, corpus: Path) -> None:
    """Every corpus file, the annotated ones first (so the .txt files are the duplicates)."""
    files = [corpus / "annotated.jsonl", corpus / "doccano.jsonl", *sorted(corpus.glob("*.txt"))]
    for file in files:
        report = import_file(project, file)
        assert not report.errors, report.lines()
    assert project.document_count() == 5


def document_with(project: Project, needle: str) -> tuple[int, str]:
    for document in project.documents():
        text = project.document(document.id or 0).text
        if needle in text:
            return document.id or 0, text
    raise AssertionError(f"no document holds {needle!r}")


def add(project: Project, doc_id: int, text: str, label: str, needle: str, **kw: Any) -> int:
    start = text.index(needle)
    return project.add_span(doc_id, start, start + len(needle), label, **kw).id or 0


@pytest.fixture
def loaded(project: Project, corpus: Path) -> Project:
    """The corpus project with the extra spans and the WATER document."""
    import_corpus(project, corpus)
    lagos, text = document_with(project, "Lagos Water Board")
    across = add(project, lagos, text, "claim", "drink 😱.\nThe post", note="two\nlines")
    source = project.spans(lagos)
    board = next(s for s in source if text[s.start : s.end] == '"Lagos Water Board"')
    inner = add(project, lagos, text, "location", "Lagos Water", annotator="amina")
    project.add_relation(inner, board.id or 0, "part_of")
    project.add_relation(board.id or 0, across, "attributed_to")
    kharkiv, text = document_with(project, "Харкова")
    add(project, kharkiv, text, "claim", "районі.\n\nПовітряні сили")  # across a blank line
    add(project, kharkiv, text, "claim", "вночі місто атакували 12 дронів")  # 12 inside
    paris, text = document_with(project, "Marseille")
    add(project, paris, text, "source", "l'E\u0301ducation")  # a decomposed É
    mosul, text = document_with(project, "الموصل")
    add(project, mosul, text, "claim", "ارتفع إلى 240 شخصا")  # 240 inside, right to left
    stored = project.add_document(IncomingDocument(WATER, title="Waterlab"))
    assert stored is not None
    water = stored[0]
    for label, needle in WATER_SPANS:
        add(project, water, WATER, label, needle)
    return project


def records(project: Project) -> list[dict[str, Any]]:
    return list(iter_records(project, ALL))


# -- brat, read as brat reads it ------------------------------------------------------------


@dataclass
class TextBound:
    tid: str
    label: str
    fragments: list[tuple[int, int]]
    text: str


def read_ann(ann: Path, txt: Path) -> tuple[str, dict[str, TextBound], list[str], list[str]]:
    """A .ann file checked the way brat's reader (server/src/annotation.py) checks it."""
    document = txt.read_bytes().decode("utf-8")  # brat opens both files as strict UTF-8
    bounds: dict[str, TextBound] = {}
    relations, notes = [], []
    for line in ann.read_bytes().decode("utf-8").split("\n")[:-1]:
        assert len(line.splitlines()) == 1, f"a line break inside {line!r}"
        tid, rest = line.split("\t", 1)
        if tid.startswith("T"):
            data, shown = rest.split("\t", 1)
            label, offsets = data.split(" ", 1)
            fragments = [(int(a), int(b)) for a, b in (p.split(" ") for p in offsets.split(";"))]
            seen: list[tuple[int, int]] = []
            for start, end in fragments:
                assert 0 <= start < end <= len(document)
                assert not any(end >= s and start < e for s, e in seen), "brat: fragments overlap"
                seen.append((start, end))
            # brat's DISCONT_SEP: the text is the fragments joined by one space
            assert shown == " ".join(document[a:b] for a, b in fragments)
            assert re.fullmatch(r"[A-Za-z0-9_-]+", label)
            bounds[tid] = TextBound(tid, label, fragments, shown)
        elif tid.startswith("R"):
            relations.append(rest)
        else:
            assert tid.startswith("#")
            notes.append(rest)
    return document, bounds, relations, notes


def brat_text(span_text: str) -> str:
    """What brat shows for a Factmark span: the pieces between line breaks, one space apart."""
    return " ".join(piece for piece in LINE_BREAK.split(span_text) if piece)


def test_brat_fragments_index_into_the_txt_and_equal_the_span_texts(
    loaded: Project, tmp_path: Path
) -> None:
    out = tmp_path / "brat"
    result = export(loaded, "brat", out, ALL)

    by_text = {r["text"]: r for r in records(loaded)}
    anns = sorted(out.glob("*.ann"))
    assert len(anns) == len(by_text) == 6
    assert {p.stem for p in out.glob("*.txt")} == {p.stem for p in anns}
    seen_discontinuous = 0
    for ann in anns:
        document, bounds, _, _ = read_ann(ann, ann.with_suffix(".txt"))
        record = by_text[document]  # the .txt is the stored text, byte for byte
        assert ann.with_suffix(".txt").read_bytes() == record["text"].encode("utf-8")
        want = [(s["label"], brat_text(s["text"])) for s in record["spans"]]
        assert [(b.label, b.text) for b in bounds.values()] == want
        for bound, span in zip(bounds.values(), record["spans"], strict=True):
            first, last = bound.fragments[0][0], bound.fragments[-1][1]
            assert span["start"] <= first and last <= span["end"]
            covered = "".join(document[a:b] for a, b in bound.fragments)
            assert covered == LINE_BREAK.sub("", span["text"])  # only line breaks left out
            seen_discontinuous += len(bound.fragments) > 1
    assert seen_discontinuous == 3  # "drink 😱.\nThe post", "районі.\n\nПовітряні", WATER's
    assert any("discontinuous fragments" in note and note.endswith(": 3") for note in result.notes)
    stems = [p.stem for p in anns]
    assert (
        "lagos-water-post-" + by_text[next(t for t in by_text if "Lagos" in t)]["id"][:12] in stems
    )


def test_brat_relations_notes_and_configuration(loaded: Project, tmp_path: Path) -> None:
    out = tmp_path / "brat"
    result = export(loaded, "brat", out, ALL)

    lagos = next(p for p in out.glob("lagos-water-post-*.ann"))
    _, bounds, relations, notes = read_ann(lagos, lagos.with_suffix(".txt"))
    text_of = {tid: bound.text for tid, bound in bounds.items()}
    shown = []
    for relation in relations:
        kind, arg1, arg2 = relation.split(" ")
        assert arg1.startswith("Arg1:") and arg2.startswith("Arg2:")
        shown.append((kind, text_of[arg1[5:]], text_of[arg2[5:]]))
    assert shown == [
        (
            "attributed_to",
            '"Lagos Water Board"',
            "A viral post claims that 70% of the water in Lagos is unsafe to drink",
        ),
        ("part_of", "Lagos Water", '"Lagos Water Board"'),
        ("attributed_to", '"Lagos Water Board"', "drink 😱. The post"),
    ]
    assert len(notes) == 1
    kind, _, note = notes[0].partition("\t")
    assert kind.split(" ")[0] == "AnnotatorNotes"
    assert text_of[kind.split(" ")[1]] == "drink 😱. The post"
    assert note == "two lines"
    assert any("notes with line breaks" in n for n in result.notes)
    assert any("no place for span annotators" in n for n in result.notes)  # amina's span

    conf = (out / "annotation.conf").read_text(encoding="utf-8")
    sections = dict(re.findall(r"\[(\w+)\]\n(.*?)(?=\n\[|\Z)", conf, re.S))
    assert sections.keys() == {"entities", "relations", "events", "attributes"}
    assert sections["entities"].split() == ["claim", "source", "location", "number"]
    anything = "claim|source|location|number"
    relation_lines = [line for line in sections["relations"].splitlines() if line]
    assert relation_lines == [
        f"attributed_to\tArg1:{anything}, Arg2:{anything}",
        f"part_of\tArg1:{anything}, Arg2:{anything}",
        f"<OVERLAP>\tArg1:{anything}, Arg2:{anything}, <OVL-TYPE>:<ANY>",
    ]
    visual = (out / "visual.conf").read_text(encoding="utf-8")
    for label in loaded.labels():
        assert re.search(rf"^{label.name}\tbgColor:{label.colour}, fgColor:\w+$", visual, re.M)
        assert f"\n{label.name} | {label.name}\n" in visual
    assert (out / "README.md").is_file()  # the dataset card, in the folder brat opens


def test_brat_maps_type_names_brat_cannot_store(project: Project, tmp_path: Path) -> None:
    project.add_label("claim type", key="5", colour="#112233")
    project.add_label("джерело", key="6", colour="#FFEEDD")
    text = "Мер заявив: «Все гаразд».\n"
    stored = project.add_document(IncomingDocument(text, title="Харків"))
    assert stored is not None
    first = add(project, stored[0], text, "claim type", "«Все гаразд»")
    second = add(project, stored[0], text, "джерело", "Мер")
    project.add_relation(first, second, "based on")
    out = tmp_path / "brat"

    result = export(project, "brat", out, ALL)

    (ann,) = out.glob("*.ann")
    assert re.fullmatch(r"[0-9a-f]{12}", ann.stem)  # no ASCII letter in the title
    _, bounds, relations, _ = read_ann(ann, ann.with_suffix(".txt"))
    assert [(b.label, b.text) for b in bounds.values()] == [
        ("label", "Мер"),
        ("claim_type", "«Все гаразд»"),
    ]
    assert relations == ["based_on Arg1:T2 Arg2:T1"]
    visual = (out / "visual.conf").read_text(encoding="utf-8")
    assert "\nclaim_type | claim type\n" in visual and "\nlabel | джерело\n" in visual
    assert "\nbased_on | based on\n" in visual
    assert "claim_type\tbgColor:#112233, fgColor:white" in visual
    assert "label\tbgColor:#FFEEDD, fgColor:black" in visual
    conf = (out / "annotation.conf").read_text(encoding="utf-8")
    assert "\nclaim_type\nlabel\n" in conf and "\nbased_on\tArg1:" in conf
    renamed = [n for n in result.notes if n.startswith("brat type names")]
    assert len(renamed) == 3 and "'claim type' is written as 'claim_type'" in renamed[0]


def test_brat_split_gives_each_part_its_own_collection(loaded: Project, tmp_path: Path) -> None:
    out = tmp_path / "brat"
    result = export(loaded, "brat", out, ALL, Split.parse("train=0.5,dev=0.5", seed=3))

    assert set(result.outputs) == {"train", "dev"}
    total = 0
    for part in ("train", "dev"):
        folder = out / part
        assert (folder / "annotation.conf").is_file() and (folder / "visual.conf").is_file()
        total += len(list(folder.glob("*.ann")))
    assert total == 6


# -- CoNLL, read as flair and spaCy read it -------------------------------------------------


@dataclass
class Token:
    word: str
    tag: str
    start: int = -1  # offset in the joined texts, found by aligning
    end: int = -1


def read_conll(path: Path) -> list[list[Token]]:
    """Sentences of (word, tag), as a whitespace-splitting column reader sees them."""
    raw = path.read_bytes().decode("utf-8")
    assert "\r" not in raw and raw.endswith("\n\n")
    sentences: list[list[Token]] = [[]]
    for line in raw.split("\n"):
        if not line.strip():
            if sentences[-1]:
                sentences.append([])
            continue
        fields = line.split()  # what spaCy does; flair splits at \s+
        assert len(fields) == 2 and line == f"{fields[0]} {fields[1]}", line
        assert re.fullmatch(r"O|[BI]-\S+", fields[1])
        assert not fields[0].startswith("-DOCSTART-")
        sentences[-1].append(Token(*fields))
    return [s for s in sentences if s]


def align(sentences: list[list[Token]], texts: list[str]) -> str:
    """Find each token in the texts, in order; between tokens only whitespace may be left."""
    joined = "\n".join(texts)
    position = 0
    for token in (t for s in sentences for t in s):
        found = joined.find(token.word, position)
        assert found >= 0, f"{token.word!r} is not in the text after {position}"
        assert joined[position:found].isspace() or found == position, (
            f"lost {joined[position:found]!r} before {token.word!r}"
        )
        token.start, token.end = found, found + len(token.word)
        position = token.end
    assert not joined[position:].strip()
    return joined


def entities(sentences: list[list[Token]], joined: str) -> set[tuple[str, str]]:
    """(label, text from first to last token) of each B-/I- run; checks IOB2 on the way."""
    found = set()
    for sentence in sentences:
        current: list[Token] = []
        label = ""
        for token in [*sentence, Token("", "O")]:
            if current and not token.tag.startswith("I-"):
                found.add((label, joined[current[0].start : current[-1].end]))
                current = []
            if token.tag.startswith("B-"):
                current, label = [token], token.tag[2:]
            elif token.tag.startswith("I-"):
                assert current and token.tag[2:] == label, "I- must follow B- or I- of its label"
                current.append(token)
    return found


def file_entities(path: Path, texts: list[str]) -> set[tuple[str, str]]:
    sentences = read_conll(path)
    return entities(sentences, align(sentences, texts))


def token_range(tokens: list[Token], start: int, end: int) -> tuple[int, int] | None:
    touched = [t for t in tokens if t.end > start and t.start < end]
    return (touched[0].start, touched[-1].end) if touched else None


def factmark_spans(project: Project, tokens: list[Token]) -> list[tuple[str, int, int]]:
    """Every Factmark span as (label, start, end) of the tokens it touches, in the joined text."""
    spans, offset = [], 0
    for record in records(project):
        for span in record["spans"]:
            edges = token_range(tokens, offset + span["start"], offset + span["end"])
            if edges:
                spans.append((span["label"], *edges))
        offset += len(record["text"]) + 1
    return spans


def export_conll(project: Project, out: Path, nested: str | None = None) -> Any:
    options = {"nested": nested} if nested else {}
    return export(project, "conll", out, ALL, options=options)


@pytest.mark.parametrize("nested", ["outermost", "innermost"])
def test_conll_keeps_what_the_nested_policy_says(
    loaded: Project, tmp_path: Path, nested: str
) -> None:
    out = tmp_path / "corpus.conll"
    result = export_conll(loaded, out, nested)

    texts = [r["text"] for r in records(loaded)]
    sentences = read_conll(out)
    joined = align(sentences, texts)  # every character is in a token, whitespace aside
    tokens = [t for s in sentences for t in s]
    got = entities(sentences, joined)
    water = joined.rindex(WATER)
    in_water = {(label, text) for label, text in got if joined.find(text, water) >= 0}
    assert in_water == WATER_KEPT[nested]

    spans = factmark_spans(loaded, tokens)
    kept = [(label, a, b) for label, a, b in spans if (label, joined[a:b]) in got]
    assert {(label, joined[a:b]) for label, a, b in kept} == got  # each is a Factmark span
    for i, (_, a, b) in enumerate(kept):  # BIO: none overlap
        assert all(b <= c or d <= a for _, c, d in kept[i + 1 :])
    for label, a, b in spans:
        if (label, a, b) in kept:
            if nested == "innermost":  # nothing inside a kept span
                assert not any(a <= c and d <= b and (c, d) != (a, b) for _, c, d in spans)
            continue
        inside = any(c <= a and b <= d for _, c, d in kept)
        around = any(a <= c and d <= b for _, c, d in kept)
        crosses_earlier = any(c < a < d < b for _, c, d in kept)
        if nested == "outermost":
            assert inside or crosses_earlier, (label, joined[a:b])
        else:
            assert around or crosses_earlier, (label, joined[a:b])
    assert result.notes == CONLL_NOTES[nested]


def test_conll_per_label_gives_one_file_per_label(loaded: Project, tmp_path: Path) -> None:
    out = tmp_path / "corpus.conll"
    result = export_conll(loaded, out, "per-label")

    labels = [label.name for label in loaded.labels()]
    files = {label: tmp_path / f"corpus.{label}.conll" for label in labels}
    assert sorted(result.files) == sorted([*files.values(), tmp_path / "README.md"])
    assert not out.exists()
    texts = [r["text"] for r in records(loaded)]
    words = None
    for label, file in files.items():
        sentences = read_conll(file)
        joined = align(sentences, texts)
        file_words = [t.word for s in sentences for t in s]
        assert words is None or file_words == words  # the same tokens in every file
        words = file_words
        got = entities(sentences, joined)
        assert {name for name, _ in got} == {label}
        spans = factmark_spans(loaded, [t for s in sentences for t in s])
        mine = [(a, b) for name, a, b in spans if name == label]
        outermost = {
            joined[a:b]
            for a, b in mine
            if not any(c <= a and b <= d and (c, d) != (a, b) for c, d in mine)
            and not any(c < a < d < b for c, d in mine)
        }
        assert {text for _, text in got} == outermost
    number, claim = (file_entities(files[label], texts) for label in ("number", "claim"))
    # nesting across labels survives: the number inside the claim is in both files
    assert ("number", "70%") in number
    assert ("claim", "A viral post claims that 70% of the water in Lagos is unsafe to drink") in (
        claim
    )
    assert ("claim", "70% of Lagos water is safe") in claim


def test_a_real_reader_spacy_reads_the_same_tokens_and_entities(
    loaded: Project, tmp_path: Path
) -> None:
    converters = pytest.importorskip("spacy.training.converters")
    out = tmp_path / "corpus.conll"
    export_conll(loaded, out)
    sentences = read_conll(out)
    joined = align(sentences, [r["text"] for r in records(loaded)])

    docs = list(converters.conll_ner_to_docs(out.read_text(encoding="utf-8"), no_print=True))

    words = [token.text for doc in docs for token in doc]
    assert words == [t.word for s in sentences for t in s]
    assert sum(1 for doc in docs for token in doc if token.is_sent_start) == len(sentences)
    tokens = [t for s in sentences for t in s]
    offset, spacy_entities = 0, set()
    for doc in docs:
        for ent in doc.ents:
            first, last = tokens[offset + ent.start], tokens[offset + ent.end - 1]
            spacy_entities.add((ent.label_, joined[first.start : last.end]))
        offset += len(doc)
    assert spacy_entities == entities(sentences, joined)
    assert len(spacy_entities) > 10


def test_conll_sentences_and_documents(loaded: Project, tmp_path: Path) -> None:
    out = tmp_path / "corpus.conll"
    export_conll(loaded, out)
    sentences = read_conll(out)
    texts = [r["text"] for r in records(loaded)]
    align(sentences, texts)

    plain = [" ".join(t.word for t in s) for s in sentences]
    assert "据 新 华 社 报 道 ， 𠮷 野 家 在 上 海 开 设 了 第 300 家 门 店 。" in plain
    assert "🇳🇬" in plain  # after "invented." and a space: a sentence of its own
    # the Ukrainian text had \r\n: its line ends and blank line are sentence breaks
    assert any(s.startswith("За словами Ігоря Терехова") for s in plain)
    # a claim across the blank line keeps its sentences together (outermost keeps it)
    assert any("Київському районі . Повітряні сили" in s for s in plain)
    assert any(s.startswith("Le ministre de l ' E\u0301ducation") for s in plain)
    # no sentence mixes two documents
    starts = [0]
    for text in texts:
        starts.append(starts[-1] + len(text) + 1)
    for sentence in sentences:
        documents = {max(i for i, s in enumerate(starts) if s <= t.start) for t in sentence}
        assert len(documents) == 1, " ".join(t.word for t in sentence)


def tokenize_words(text: str) -> list[str]:
    return [text[a:b] for a, b in tokenize(text)]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("le choc l'E\u0301ducation", ["le", "choc", "l", "'", "E\u0301ducation"]),
        ("shared 15,000 times, 0,3 point, 4 000 posts", None),
        ("据新华社报道，𠮷野家开设了第300家门店。", None),
        ("🚨 BREAKING 🇳🇬 👍🏽 ❤️ 70%", ["🚨", "BREAKING", "🇳🇬", "👍🏽", "❤️", "70", "%"]),
        ("می\u200cخواهم بروم", ["می\u200cخواهم", "بروم"]),
        ("إلى 240 شخصا", ["إلى", "240", "شخصا"]),
        ("a\u00a0b\u2028c\u3000d", ["a", "b", "c", "d"]),  # every str.isspace() splits
    ],
)
def test_tokenizer(text: str, words: list[str] | None) -> None:
    got = tokenize_words(text)
    if "15,000" in text:
        words = ["shared", "15,000", "times", ",", "0,3", "point", ",", "4", "000", "posts"]
    if "新华社" in text:
        words = ["据", "新", "华", "社", "报", "道", "，", "𠮷", "野", "家", "开", "设"]
        words += ["了", "第", "300", "家", "门", "店", "。"]
    assert got == words
    assert "".join(got) == "".join(text.split())


def test_sentence_breaks() -> None:
    text = "It rose.Then U.S. data came. Next!? “Yes.” He left\nNew 好。好"
    tokens = tokenize(text)
    words = [text[a:b] for a, b in tokens]
    firsts = [words[k] for k in sorted(sentence_starts(text, tokens))]
    assert firsts == ["data", "Next", "“", "He", "New", "好"]


def test_unknown_nested_policy_is_refused_and_writes_nothing(
    loaded: Project, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    with pytest.raises(ValidationError, match="nested-span policy 'deepest'"):
        export_conll(loaded, out / "corpus.conll", "deepest")
    assert not out.exists() or list(out.iterdir()) == []


def test_conll_tags_and_file_names_for_labels_with_spaces(project: Project, tmp_path: Path) -> None:
    project.add_label("claim type", key="5", colour="#112233")
    project.add_label("claim_type", key="6", colour="#112244")
    project.add_label("джерело", key="7", colour="#112255")
    text = "Мер заявив: все гаразд.\n"
    stored = project.add_document(IncomingDocument(text, title="t"))
    assert stored is not None
    add(project, stored[0], text, "claim type", "все гаразд")
    add(project, stored[0], text, "джерело", "Мер")

    result = export_conll(project, tmp_path / "corpus.conll")
    lines = (tmp_path / "corpus.conll").read_text(encoding="utf-8").splitlines()
    assert lines[:5] == [
        "Мер B-джерело",
        "заявив O",
        ": O",
        "все B-claim_type",
        "гаразд I-claim_type",
    ]
    assert "BIO tags cannot hold a space: label 'claim type' is tagged 'claim_type'" in result.notes
    assert "BIO tags cannot hold a space: label 'claim_type' is tagged 'claim_type-2'" in (
        result.notes
    )

    result = export_conll(project, tmp_path / "split" / "corpus.conll", "per-label")
    names = sorted(p.name for p in result.files)
    assert "corpus.claim_type.conll" in names and "corpus.claim_type-2.conll" in names
    assert "corpus.джерело.conll" in names


# -- the command, as a user runs it ---------------------------------------------------------


def test_cli_exports_brat_and_conll(tmp_path: Path, corpus: Path) -> None:
    project = tmp_path / "p.factmark"
    imported = factmark("import", project, corpus / "annotated.jsonl", corpus / "doccano.jsonl")
    assert imported.returncode == 0, imported.stderr

    brat = factmark("export", project, "--format", "brat", "-o", tmp_path / "brat", "--all")
    assert brat.returncode == 0, brat.stderr
    assert brat.stdout.startswith(f"{tmp_path / 'brat'}: exported 5 documents, 20 spans")
    anns = sorted((tmp_path / "brat").glob("*.ann"))
    assert len(anns) == 5
    assert sum(len(read_ann(a, a.with_suffix(".txt"))[1]) for a in anns) == 20
    assert (tmp_path / "brat" / "annotation.conf").is_file()

    out = tmp_path / "bio" / "corpus.conll"
    conll = factmark("export", project, "--format", "conll", "-o", out, "--all")
    assert conll.returncode == 0, conll.stderr
    sentences = read_conll(out)
    found = entities(sentences, align(sentences, _texts(corpus)))
    assert ("source", '"Lagos Water Board"') in found and ("location", "الموصل") in found
    assert "note: spans left out by --nested outermost" in conll.stdout

    per_label = factmark(
        "export", project, "-f", "conll", "-o", out, "--all", "--nested", "per-label"
    )
    assert per_label.returncode == 0, per_label.stderr
    for label in ("claim", "source", "location", "number"):
        assert (tmp_path / "bio" / f"corpus.{label}.conll").is_file()
    card = (tmp_path / "bio" / "README.md").read_text(encoding="utf-8")
    assert "- `corpus.claim.conll`" in card and "nested: per-label" in card
    assert "- `corpus.conll`" not in card  # per label, there is no such file
    assert "Traceback" not in brat.stderr + conll.stderr + per_label.stderr


def _texts(corpus: Path) -> list[str]:
    """The texts in project order: annotated.jsonl's, then doccano.jsonl's."""
    lines = []
    for name in ("annotated.jsonl", "doccano.jsonl"):
        lines += (corpus / name).read_bytes().splitlines()
    return [orjson.loads(line)["text"] for line in lines if line.strip()]


def test_large_counts_in_the_notes_are_grouped_by_thousands(
    project: Project, tmp_path: Path
) -> None:
    """The card and the export's message count as every report does: "1,200", not "1200"."""
    text = " ".join(f"w{n:04d}" for n in range(1200))  # 1,200 words of 5 characters
    spans = [IncomingSpan(6 * n + 1, 6 * n + 3, "number") for n in range(1200)]  # inside each
    assert project.add_document(IncomingDocument(text, "Many", status="done", spans=spans))

    result = export_conll(project, tmp_path / "many.conll", "outermost")

    assert result.notes == ["spans widened to whole tokens (an edge fell inside a token): 1,200"]
