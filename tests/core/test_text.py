"""The offsets rule over the shared corpus: stored text and span offsets (DESIGN.md section 2)."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest

from factmark.core.importing import import_file
from factmark.core.importing.base import normalise_document
from factmark.core.incoming import IncomingDocument, IncomingSpan
from factmark.core.project import Project
from factmark.core.text import decode_bytes, normalise_newlines

# Code-point offsets over the stored (\n) text, written down independently of the code:
# they are the offsets the corpus's own annotated.jsonl and doccano.jsonl use.
EXPECTED_SPANS: dict[str, list[tuple[int, int, str, str]]] = {
    "emoji-lagos.txt": [
        (13, 82, "claim", "A viral post claims that 70% of the water in Lagos is unsafe to drink"),
        (38, 41, "number", "70%"),
        (58, 63, "location", "Lagos"),
        (103, 109, "number", "15,000"),
        (127, 146, "source", '"Lagos Water Board"'),
        (177, 182, "location", "Abuja"),
    ],
    "uk-kharkiv-crlf.txt": [
        (4, 11, "location", "Харкова"),
        (45, 47, "number", "12"),
        (67, 81, "source", "Ігоря Терехова"),
        (164, 165, "number", "9"),
        (189, 208, "location", "Харківською областю"),
    ],
    "zh-shanghai.txt": [
        (1, 4, "source", "新华社"),
        (11, 13, "location", "上海"),
        (17, 20, "number", "300"),
        (7, 23, "claim", "𠮷野家在上海开设了第300家门店"),
    ],
    "ar-mosul.txt": [
        (41, 44, "number", "240"),
        (59, 65, "location", "الموصل"),
        (110, 115, "location", "نينوى"),
    ],
    "fr-combining.txt": [
        # Marseille sits after four decomposed accents (É, é, é, é): NFC would move it to 72.
        (76, 85, "location", "Marseille"),
        (43, 48, "number", "4 000"),  # after two decomposed accents
    ],
}


def corpus_texts(corpus: Path) -> list[Path]:
    return sorted(corpus.glob("*.txt"))


def expected_text(path: Path) -> str:
    """The offsets rule written out by hand: UTF-8, BOM dropped, CRLF -> LF, nothing else."""
    text = path.read_bytes().decode("utf-8")
    return text.removeprefix("\ufeff").replace("\r\n", "\n")


def test_every_corpus_file_has_expected_spans(corpus: Path) -> None:
    # Guard against a corpus file being added without offsets to check here.
    assert {p.name for p in corpus_texts(corpus)} == set(EXPECTED_SPANS)


@pytest.mark.parametrize("name", sorted(EXPECTED_SPANS))
def test_corpus_text_is_stored_exactly(project: Project, corpus: Path, name: str) -> None:
    path = corpus / name
    report = import_file(project, path)

    assert not report.errors, report.lines()
    assert report.documents == 1
    (document,) = project.documents()
    stored = project.document(document.id or 0).text
    assert stored == expected_text(path)
    assert "\r" not in stored
    assert not stored.startswith("\ufeff")


@pytest.mark.parametrize("name", sorted(EXPECTED_SPANS))
def test_spans_over_corpus_text_give_expected_substrings(
    project: Project, corpus: Path, name: str
) -> None:
    import_file(project, corpus / name)
    (document,) = project.documents()
    doc_id = document.id or 0
    text = project.document(doc_id).text

    for start, end, label, substring in EXPECTED_SPANS[name]:
        span = project.add_span(doc_id, start, end, label)
        assert text[span.start : span.end] == substring
    stored = {(s.start, s.end, s.label) for s in project.spans(doc_id)}
    assert stored == {(s, e, lab) for s, e, lab, _ in EXPECTED_SPANS[name]}


def test_crlf_file_is_stored_with_lf_and_shorter(project: Project, corpus: Path) -> None:
    raw = (corpus / "uk-kharkiv-crlf.txt").read_bytes()
    assert raw.count(b"\r\n") == 4  # the corpus file really has Windows line endings

    import_file(project, corpus / "uk-kharkiv-crlf.txt")
    text = project.document(project.documents()[0].id or 0).text

    decoded = raw.decode("utf-8")
    assert len(text) == len(decoded) - 4
    assert text.count("\n") == 4
    assert text.splitlines() == decoded.splitlines()


def test_combining_marks_are_not_normalised(project: Project, corpus: Path) -> None:
    import_file(project, corpus / "fr-combining.txt")
    text = project.document(project.documents()[0].id or 0).text

    assert "E\u0301ducation" in text
    assert "\u00c9" not in text  # no precomposed É
    assert unicodedata.normalize("NFC", text) != text
    assert text.count("\u0301") == 5


def test_astral_characters_count_as_one_code_point(project: Project, corpus: Path) -> None:
    import_file(project, corpus / "zh-shanghai.txt")
    import_file(project, corpus / "emoji-lagos.txt")
    zh, emoji = (project.document(d.id or 0).text for d in project.documents())

    assert zh[7] == "\U00020bb7"
    assert zh[7:9] == "\U00020bb7野"
    assert emoji[0] == "🚨"
    assert emoji[2:10] == "BREAKING"
    flag = "\U0001f1f3\U0001f1ec"  # 🇳🇬: two regional-indicator code points
    assert emoji.index(flag) == len(emoji) - 3
    assert len(emoji) == len(emoji.encode("utf-16-le")) // 2 - 6  # 6 astral code points


def test_span_over_astral_character_and_flag(project: Project, corpus: Path) -> None:
    import_file(project, corpus / "emoji-lagos.txt")
    doc_id = project.documents()[0].id or 0
    text = project.document(doc_id).text

    flag = project.add_span(doc_id, len(text) - 3, len(text) - 1, "location")
    assert text[flag.start : flag.end] == "🇳🇬"
    alarm = project.add_span(doc_id, 0, 1, "claim")
    assert text[alarm.start : alarm.end] == "🚨"


# -- normalisation of span offsets given over raw text ---------------------------------


def raw_span(text: str, substring: str, label: str) -> IncomingSpan:
    start = text.index(substring)
    return IncomingSpan(start, start + len(substring), label, text=substring)


def test_normalise_document_moves_spans_past_bom_and_crlf() -> None:
    raw = "\ufeffMayor: 12 drones\r\nover Kharkiv.\r\n\r\nAir force: 9 of 12\r\n"
    spans = [
        raw_span(raw, "Mayor", "source"),
        raw_span(raw, "12", "number"),
        raw_span(raw, "Kharkiv", "location"),
        raw_span(raw, "Air force", "source"),
        raw_span(raw, "9 of 12", "number"),
        raw_span(raw, "12 drones\r\nover Kharkiv", "claim"),
    ]

    document = normalise_document(IncomingDocument(raw, spans=spans))

    assert document.text == "Mayor: 12 drones\nover Kharkiv.\n\nAir force: 9 of 12\n"
    got = [(document.text[s.start : s.end], s.text) for s in document.spans]
    assert got == [
        ("Mayor", "Mayor"),
        ("12", "12"),
        ("Kharkiv", "Kharkiv"),
        ("Air force", "Air force"),
        ("9 of 12", "9 of 12"),
        ("12 drones\nover Kharkiv", "12 drones\nover Kharkiv"),
    ]


def test_normalise_document_leaves_lf_text_alone() -> None:
    document = IncomingDocument("a\nb", spans=[IncomingSpan(2, 3, "claim", text="b")])
    assert normalise_document(document) == document


def test_lone_cr_becomes_lf_and_keeps_offsets() -> None:
    raw = "Old Mac text\rwith 40 claims\r"
    document = normalise_document(IncomingDocument(raw, spans=[raw_span(raw, "40", "number")]))
    assert document.text == "Old Mac text\nwith 40 claims\n"
    (span,) = document.spans
    assert document.text[span.start : span.end] == "40"


def test_jsonl_spans_over_crlf_text_are_stored_over_lf_text(
    project: Project, write_jsonl: Callable[..., Path]
) -> None:
    raw = "\ufeffThe mayor said\r\n12 drones hit Kharkiv.\r\nOfficials in Kyiv agreed."
    path = write_jsonl(
        [
            {
                "text": raw,
                "spans": [
                    {"start": raw.index("12"), "end": raw.index("12") + 2, "label": "number"},
                    {
                        "start": raw.index("Kharkiv"),
                        "end": raw.index("Kharkiv") + 7,
                        "label": "location",
                        "text": "Kharkiv",
                    },
                    {
                        "start": raw.index("12"),
                        "end": raw.index("Kyiv") + 4,
                        "label": "claim",
                        "text": raw[raw.index("12") : raw.index("Kyiv") + 4],
                    },
                ],
            }
        ]
    )

    report = import_file(project, path)

    assert not report.errors, report.lines()
    doc_id = project.documents()[0].id or 0
    text = project.document(doc_id).text
    assert text == "The mayor said\n12 drones hit Kharkiv.\nOfficials in Kyiv agreed."
    assert sorted(text[s.start : s.end] for s in project.spans(doc_id)) == sorted(
        ["12", "Kharkiv", "12 drones hit Kharkiv.\nOfficials in Kyiv"]
    )


# -- decoding -------------------------------------------------------------------------


def test_decode_keeps_text_exactly() -> None:
    text = "e\u0301 \U00020bb7 🇳🇬 مرحبا\r\n"
    assert decode_bytes(text.encode("utf-8")).text == text
    assert decode_bytes(b"\xef\xbb\xbf" + text.encode("utf-8")).encoding == "utf-8-sig"


def test_normalise_newlines_drops_only_the_bom() -> None:
    assert normalise_newlines("\ufeffa\r\nb\rc\n") == "a\nb\nc\n"
    assert normalise_newlines("a\u2028b\u00a0\ufeff ") == "a\u2028b\u00a0\ufeff "


def test_stored_text_never_starts_with_a_bom(
    project: Project, write_jsonl: Callable[..., Path], tmp_path: Path
) -> None:
    # A BOM twice (a file saved with one, then pasted into a tool that adds another):
    # if one were kept, exporting and importing the document would change its text.
    txt = tmp_path / "twice.txt"
    txt.write_bytes(b"\xef\xbb\xbf" + "\ufeffKyiv, 3 May.".encode())
    raw = "\ufeff\ufeffOdesa, 4 May."
    line = write_jsonl([{"text": raw, "spans": [{"start": 2, "end": 7, "label": "location"}]}])

    import_file(project, txt)
    import_file(project, line)

    kyiv, odesa = project.documents()
    assert project.document(kyiv.id or 0).text == "Kyiv, 3 May."
    assert project.document(odesa.id or 0).text == "Odesa, 4 May."
    (span,) = project.spans(odesa.id or 0)
    assert (span.start, span.end) == (0, 5)
    assert normalise_newlines(normalise_newlines(raw)) == normalise_newlines(raw)
