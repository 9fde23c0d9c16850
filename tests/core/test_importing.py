"""Importing files: duplicates, bad inputs, saved web pages, Word files and JSONL shapes."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import orjson
import pytest

from factmark.core.importing import FileReport, collect_files, import_file
from factmark.core.project import Project

Snap = Callable[[Project], dict[str, Any]]


def texts(project: Project) -> list[str]:
    return [project.document(d.id or 0).text for d in project.documents()]


def spans_as_text(project: Project, doc_id: int) -> list[tuple[str, str]]:
    text = project.document(doc_id).text
    return [(text[s.start : s.end], s.label) for s in project.spans(doc_id)]


@pytest.fixture
def filled(project: Project, corpus: Path) -> Project:
    """A project with work in it: the corpus articles, gold spans and a relation."""
    for path in (corpus / "annotated.jsonl", corpus / "doccano.jsonl"):
        assert not import_file(project, path).errors
    assert project.document_count() == 5
    return project


# -- duplicates -----------------------------------------------------------------------


def test_same_file_twice_is_one_document(project: Project, corpus: Path) -> None:
    path = corpus / "emoji-lagos.txt"
    first = import_file(project, path)
    second = import_file(project, path)

    assert (first.documents, first.duplicates) == (1, 0)
    assert (second.documents, second.duplicates, second.errors) == (0, 1, [])
    assert project.document_count() == 1
    (line,) = second.lines()
    assert line.startswith(str(path))
    assert "duplicate" in line
    assert "imported" not in line


def test_crlf_and_lf_copies_of_an_article_are_duplicates(
    project: Project, corpus: Path, tmp_path: Path
) -> None:
    lf_copy = tmp_path / "kharkiv-lf.txt"
    lf_copy.write_bytes((corpus / "uk-kharkiv-crlf.txt").read_bytes().replace(b"\r\n", b"\n"))

    import_file(project, corpus / "uk-kharkiv-crlf.txt")
    report = import_file(project, lf_copy)

    assert report.duplicates == 1
    assert project.document_count() == 1


def test_duplicate_lines_in_jsonl_are_counted(
    project: Project, write_jsonl: Callable[..., Path]
) -> None:
    path = write_jsonl([{"text": "Kyiv, 3 May."}, {"text": "Kyiv, 3 May."}, {"text": "Odesa."}])
    report = import_file(project, path)

    assert (report.documents, report.duplicates) == (2, 1)
    assert "1 duplicate" in report.lines()[0]
    assert project.document_count() == 2


def test_the_spans_a_duplicate_carried_are_said_to_be_left_out(
    project: Project, write_jsonl: Callable[..., Path]
) -> None:
    """A document already in the project comes in with none of its spans: the report says
    how many stayed out, so that none goes missing unsaid."""
    text = "Kyiv said 42 troops."
    import_file(project, write_jsonl([{"text": text}]))
    spans = [
        {"start": 0, "end": 4, "label": "location"},
        {"start": 10, "end": 12, "label": "number"},
    ]
    path = write_jsonl([{"text": text, "spans": spans}])

    report = import_file(project, path)

    assert report.lines() == [
        f"{path}: duplicate (same text already in the project; 2 spans on it not imported)"
    ]
    assert project.spans(project.documents()[0].id) == []
    both = write_jsonl([{"text": text, "spans": spans}, {"text": text, "spans": spans[:1]}])
    assert import_file(project, both).lines() == [
        f"{both}: 2 duplicates (same text already there; 3 spans on them not imported)"
    ]


# -- bad inputs -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("binary.txt", "binary"),
        ("empty.txt", "empty"),
        ("truncated.docx", "damaged or truncated"),
    ],
)
def test_bad_file_gives_clear_error_and_changes_nothing(
    filled: Project, corpus: Path, name: str, reason: str, snapshot: Snap
) -> None:
    path = corpus / "bad" / name
    before = snapshot(filled)

    report = import_file(filled, path)

    assert report.failed
    assert report.documents == 0
    (line,) = report.lines()
    assert line.startswith(f"{path}: error:")
    assert reason in line
    assert snapshot(filled) == before


def test_latin1_text_is_decoded_correctly_and_the_encoding_reported(
    filled: Project, corpus: Path
) -> None:
    path = corpus / "bad" / "latin1.txt"
    report = import_file(filled, path)

    assert not report.errors
    assert report.documents == 1
    stored = texts(filled)[-1]
    assert stored == "Le ministre a déclaré que 4 000 postes"
    assert "Ã" not in stored and "\ufffd" not in stored  # no mojibake
    (line,) = report.lines()
    assert "decoded as" in line
    encoding = filled.documents()[-1].meta["encoding"]
    assert encoding in line
    assert path.read_bytes().decode(encoding) == stored


LEGACY = [
    pytest.param("El niño comió piñata en España y señaló 3 000 casos.", "latin-1", id="es"),
    pytest.param(
        "Der Bürgermeister sagte, 12 Drohnen seien über Köln abgeschossen.", "latin-1", id="de"
    ),
    pytest.param("Le ministre a dit que 4 000 postes seront créés à Marseille.", "cp1252", id="fr"),
    pytest.param("O ministério afirmou que a inflação caiu em São Paulo.", "latin-1", id="pt"),
    pytest.param("Lech Wałęsa powiedział, że 12 dronów zestrzelono nad Łodzią.", "cp1250", id="pl"),
    pytest.param("Bakan, İstanbul'da 12 işçinin yaralandığını söyledi.", "cp1254", id="tr"),
    pytest.param("ראש העיר אמר כי 12 רחפנים הופלו מעל תל אביב.", "cp1255", id="he"),
    pytest.param("Мэр Харькова заявил, что ночью город атаковали 12 дронов.", "koi8_r", id="ru"),
    pytest.param("Мер Харкова заявив, що вночі місто атакували 12 дронів.", "cp1251", id="uk"),
    pytest.param(
        "据新华社报道，吉野家在上海开设了第300家门店。明年将在北京再开50家。", "gb18030", id="zh"
    ),
    pytest.param("قال وزير الصحة إن عدد المصابين ارتفع إلى 240 شخصا في الموصل.", "cp1256", id="ar"),
    pytest.param("Мер Харкова 🚨 заявив, що 12 дронів", "utf-16", id="uk-utf16"),
]
# These read one way only; refusing them would be a needless failure.
MUST_DECODE = {"koi8_r", "cp1251", "gb18030", "cp1256", "utf-16"}


@pytest.mark.parametrize(("text", "encoding"), LEGACY)
def test_legacy_encodings_are_decoded_right_or_refused(
    project: Project, tmp_path: Path, text: str, encoding: str
) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes(text.encode(encoding))

    report = import_file(project, path)

    if report.documents:
        assert texts(project) == [text]  # never mojibake
        assert "decoded as" in report.lines()[0]
    else:
        assert encoding not in MUST_DECODE, report.lines()
        (line,) = report.lines()
        assert line.startswith(f"{path}: error:")
        assert "save the file as UTF-8" in line
        assert project.document_count() == 0


def test_malformed_jsonl_keeps_good_lines_and_reports_each_bad_one(
    filled: Project, corpus: Path, snapshot: Snap
) -> None:
    path = corpus / "bad" / "malformed.jsonl"
    before = snapshot(filled)

    report = import_file(filled, path)

    assert report.documents == 2
    assert texts(filled)[-2:] == ["Good line one in Kyiv.", "Good line two in Odesa."]
    assert [line for line, _ in report.errors] == [2, 3, 4, 5]
    reasons = dict(report.errors)
    assert "JSON" in reasons[2]
    assert "5-99" in reasons[3] and "outside" in reasons[3]
    assert "villain" in reasons[4]
    assert '"text"' in reasons[5]
    lines = report.lines()
    assert "imported 2 documents" in lines[0] and "4 lines failed" in lines[0]
    for number, error_line in zip([2, 3, 4, 5], lines[1:], strict=True):
        assert error_line.startswith(f"{path}:{number}: error: ")
    # What was there before is untouched; only the two good lines were added.
    after = snapshot(filled)
    assert after["documents"][:-2] == before["documents"]
    assert after["labels"] == before["labels"]  # "villain" did not sneak in


def test_unsupported_and_missing_files_are_reported(project: Project, tmp_path: Path) -> None:
    odt = tmp_path / "article.odt"
    odt.write_bytes(b"PK\x03\x04")
    report = import_file(project, odt)
    assert report.failed and ".odt" in report.lines()[0]

    files, missing = collect_files([tmp_path / "gone.txt"])
    assert files == []
    assert missing[0].lines() == [f"{tmp_path / 'gone.txt'}: error: no such file or folder"]


def test_folder_import_skips_hidden_and_unsupported(tmp_path: Path, corpus: Path) -> None:
    folder = tmp_path / "inbox"
    (folder / ".cache").mkdir(parents=True)
    shutil.copy(corpus / "ar-mosul.txt", folder / "ar.txt")
    shutil.copy(corpus / "ar-mosul.txt", folder / ".cache" / "ar.txt")
    (folder / "photo.jpg").write_bytes(b"\xff\xd8")
    files, missing = collect_files([folder])
    assert files == [folder / "ar.txt"] and missing == []


# -- saved web pages -------------------------------------------------------------------

NEWS_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Ministry denies claim of 40,000 new jobs | The Kyiv Ledger</title>
<meta property="og:site_name" content="The Kyiv Ledger">
<meta property="og:title" content="Ministry denies claim of 40,000 new jobs">
<meta name="author" content="Olena Petrenko">
<meta property="article:published_time" content="2024-03-14T09:30:00+02:00">
<link rel="canonical" href="https://kyivledger.example/news/ministry-jobs">
</head>
<body>
<header><div class="logo">The Kyiv Ledger</div>
<nav><ul>
<li><a href="/">Home</a></li><li><a href="/politics">Politics</a></li>
<li><a href="/economy">Economy</a></li><li><a href="/subscribe">Subscribe now</a></li>
</ul></nav></header>
<main><article>
<h1>Ministry denies claim of 40,000 new jobs</h1>
<p>The Ministry of Economy on Thursday rejected a widely shared social media post claiming
that 40,000 new jobs had been created in Kharkiv since January.</p>
<p>According to the ministry's spokesperson, the real figure for the first quarter is closer
to 4,000, and most of those positions are temporary reconstruction contracts.</p>
<p>The original post, which has been shared more than 12,000 times, cited a report by the
State Statistics Service that does not exist, fact-checkers found.</p>
<p>Economists at the Kyiv School of Economics said the regional labour market is recovering
but remains well below its pre-war level.</p>
</article></main>
<footer><p>© 2024 The Kyiv Ledger. All rights reserved.</p>
<p><a href="/privacy">Privacy policy</a> | <a href="/cookies">Cookie settings</a></p></footer>
</body>
</html>
"""

PARAGRAPH_STARTS = [
    "The Ministry of Economy on Thursday rejected",
    "According to the ministry's spokesperson",
    "The original post, which has been shared more than 12,000 times",
    "Economists at the Kyiv School of Economics",
]


def test_saved_news_page_keeps_the_article_and_drops_boilerplate(
    project: Project, tmp_path: Path
) -> None:
    path = tmp_path / "ministry-jobs.html"
    path.write_text(NEWS_PAGE, encoding="utf-8")

    report = import_file(project, path)

    assert not report.errors, report.lines()
    (document,) = project.documents()
    text = project.document(document.id or 0).text
    positions = [text.find(start) for start in PARAGRAPH_STARTS]
    assert -1 not in positions, text
    assert positions == sorted(positions)  # in reading order
    assert "pre-war level." in text
    for boilerplate in ("Subscribe now", "Politics", "Privacy policy", "Cookie", "rights reserved"):
        assert boilerplate not in text
    assert "<p>" not in text and "&" not in text
    assert "Ministry denies claim of 40,000 new jobs" in document.title
    assert document.meta.get("publication") == "The Kyiv Ledger"
    # The stored plain text is what gets annotated.
    start = text.index("40,000 new jobs had")
    span = project.add_span(document.id or 0, start, start + 6, "number")
    assert text[span.start : span.end] == "40,000"


def test_page_without_article_text_is_refused(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "blank.html"
    path.write_text("<html><head><title>x</title></head><body>  </body></html>", "utf-8")
    report = import_file(project, path)
    assert report.failed and str(path) in report.lines()[0]
    assert project.document_count() == 0


# -- Word files ---------------------------------------------------------------------------


def test_docx_paragraphs_and_title_are_kept(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "report.docx"
    word = docx.Document()
    word.core_properties.title = "Звіт: обстріл Харкова"
    word.add_paragraph("The mayor said 12 drones attacked the city overnight.")
    word.add_paragraph("")  # an empty paragraph is not kept
    word.add_paragraph("Мер Харкова заявив, що вночі місто атакували 12 дронів.")
    word.add_paragraph("据新华社报道，𠮷野家在上海开设了第300家门店。")
    word.save(str(path))

    report = import_file(project, path)

    assert not report.errors, report.lines()
    (document,) = project.documents()
    assert document.title == "Звіт: обстріл Харкова"
    text = project.document(document.id or 0).text
    assert text == (
        "The mayor said 12 drones attacked the city overnight.\n\n"
        "Мер Харкова заявив, що вночі місто атакували 12 дронів.\n\n"
        "据新华社报道，𠮷野家在上海开设了第300家门店。\n"
    )
    start = text.index("𠮷野家")
    span = project.add_span(document.id or 0, start, start + 3, "source")
    assert text[span.start : span.end] == "𠮷野家"


def test_docx_without_title_takes_its_first_line(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "untitled.docx"
    word = docx.Document()
    word.core_properties.title = ""
    word.add_paragraph("Lagos water is safe, officials say")
    word.add_paragraph("Body text.")
    word.save(str(path))

    import_file(project, path)

    assert project.documents()[0].title == "Lagos water is safe, officials say"


# -- JSONL shapes -------------------------------------------------------------------------

KYIV = "The mayor of Kyiv said 40 drones were shot down, according to the air force."


def at(text: str, substring: str) -> tuple[int, int]:
    start = text.index(substring)
    return start, start + len(substring)


def test_factmark_spans_with_annotator_note_attrs_and_relations(
    project: Project, write_jsonl: Callable[..., Path]
) -> None:
    claim, number, source = (
        at(KYIV, "40 drones were shot down"),
        at(KYIV, "40"),
        at(KYIV, "air force"),
    )
    path = write_jsonl(
        [
            {
                "title": "Kyiv drones",
                "text": KYIV,
                "status": "done",
                "meta": {"lang": "en"},
                "spans": [
                    {
                        "id": 10,
                        "start": claim[0],
                        "end": claim[1],
                        "label": "claim",
                        "annotator": "olena",
                        "note": "check with ministry",
                        "attrs": {"checkworthy": True},
                    },
                    {
                        "id": 11,
                        "start": number[0],
                        "end": number[1],
                        "label": "number",
                        "text": "40",
                    },
                    {
                        "id": 12,
                        "start": source[0],
                        "end": source[1],
                        "label": "source",
                        "annotator": "amina",
                    },
                ],
                "relations": [
                    {"head": 12, "child": 10, "label": "attributed_to"},
                    {"head": 11, "child": 10, "label": "part_of"},
                ],
            }
        ]
    )

    report = import_file(project, path)

    assert not report.errors, report.lines()
    assert (report.documents, report.spans) == (1, 3)
    (document,) = project.documents()
    assert (document.title, document.status, document.meta) == (
        "Kyiv drones",
        "done",
        {"lang": "en"},
    )
    spans = {KYIV[s.start : s.end]: s for s in project.spans(document.id or 0)}
    assert set(spans) == {"40 drones were shot down", "40", "air force"}
    claim_span = spans["40 drones were shot down"]
    assert (claim_span.annotator, claim_span.note, claim_span.attrs) == (
        "olena",
        "check with ministry",
        {"checkworthy": True},
    )
    assert spans["air force"].annotator == "amina"
    links = {
        (KYIV[project.span(r.head_span_id).start : project.span(r.head_span_id).end], r.label)
        for r in project.relations(document.id or 0)
        if r.child_span_id == claim_span.id
    }
    assert links == {("air force", "attributed_to"), ("40", "part_of")}


def test_prodigy_relations_and_answer(project: Project, write_jsonl: Callable[..., Path]) -> None:
    claim, source = at(KYIV, "40 drones were shot down"), at(KYIV, "the air force")
    claim_span = {"start": claim[0], "end": claim[1], "label": "claim", "token_start": 5}
    source_span = {"start": source[0], "end": source[1], "label": "source", "token_start": 12}
    path = write_jsonl(
        [
            {
                "text": KYIV,
                "spans": [claim_span, source_span],
                # Prodigy's head/child are token indices, not span ids.
                "relations": [
                    {
                        "head": 12,
                        "child": 5,
                        "head_span": source_span,
                        "child_span": claim_span,
                        "label": "attributed_to",
                    }
                ],
                "answer": "accept",
                "_annotator_id": "factcheck-olena",
            },
            {"text": "Rejected example about Odesa.", "answer": "reject"},
        ]
    )

    report = import_file(project, path)

    assert not report.errors, report.lines()
    accepted, rejected = project.documents()
    assert (accepted.status, rejected.status) == ("done", "skipped")
    (relation,) = project.relations(accepted.id or 0)
    head, child = project.span(relation.head_span_id), project.span(relation.child_span_id)
    assert KYIV[head.start : head.end] == "the air force"
    assert KYIV[child.start : child.end] == "40 drones were shot down"
    assert relation.label == "attributed_to"
    assert {s.annotator for s in project.spans(accepted.id or 0)} == {"factcheck-olena"}


def test_doccano_label_triples(project: Project, write_jsonl: Callable[..., Path]) -> None:
    path = write_jsonl(
        [{"text": KYIV, "label": [[*at(KYIV, "Kyiv"), "location"], [*at(KYIV, "40"), "number"]]}]
    )
    report = import_file(project, path)
    assert not report.errors, report.lines()
    doc_id = project.documents()[0].id or 0
    assert spans_as_text(project, doc_id) == [("Kyiv", "location"), ("40", "number")]


def test_doccano_entities_and_relations(project: Project, write_jsonl: Callable[..., Path]) -> None:
    source, claim = at(KYIV, "The mayor of Kyiv"), at(KYIV, "40 drones were shot down")
    path = write_jsonl(
        [
            {
                "id": 42,
                "text": KYIV,
                "entities": [
                    {
                        "id": 7,
                        "label": "source",
                        "start_offset": source[0],
                        "end_offset": source[1],
                    },
                    {"id": 8, "label": "claim", "start_offset": claim[0], "end_offset": claim[1]},
                ],
                "relations": [{"id": 1, "from_id": 7, "to_id": 8, "type": "attributed_to"}],
            }
        ]
    )

    report = import_file(project, path)

    assert not report.errors, report.lines()
    (document,) = project.documents()
    assert document.meta == {"source_id": 42}  # doccano's own id is kept
    doc_id = document.id or 0
    assert spans_as_text(project, doc_id) == [
        ("The mayor of Kyiv", "source"),
        ("40 drones were shot down", "claim"),
    ]
    (relation,) = project.relations(doc_id)
    head = project.span(relation.head_span_id)
    assert (KYIV[head.start : head.end], relation.label) == ("The mayor of Kyiv", "attributed_to")


def test_span_text_that_disagrees_with_offsets_is_refused(
    project: Project, write_jsonl: Callable[..., Path]
) -> None:
    start, end = at(KYIV, "Kyiv")
    path = write_jsonl(
        [
            {
                "text": KYIV,
                "spans": [{"start": start, "end": end, "label": "location", "text": "Kyiv "}],
            },
            {
                "text": "Odesa port reopened.",
                "spans": [{"start": 0, "end": 5, "label": "location", "text": "Odesa"}],
            },
        ]
    )

    report = import_file(project, path)

    assert report.documents == 1
    ((line, message),) = report.errors
    assert line == 1
    assert "does not match" in message and "'Kyiv '" in message
    assert texts(project) == ["Odesa port reopened."]


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        (
            {
                "text": KYIV,
                "spans": [{"start": 0, "end": 3, "label": "claim", "annotator": {"name": "x"}}],
            },
            "annotator",
        ),
        ({"text": KYIV, "spans": [{"start": 0, "end": 3, "label": "claim", "note": [1]}]}, "note"),
        ({"text": KYIV, "spans": [{"id": [1], "start": 0, "end": 3, "label": "claim"}]}, "span id"),
        (
            {
                "text": KYIV,
                "entities": [
                    {"id": {"a": 1}, "label": "claim", "start_offset": 0, "end_offset": 3}
                ],
            },
            "span id",
        ),
        ({"text": KYIV, "spans": [{"start": 0, "end": True, "label": "claim"}]}, "integers"),
        (
            {"text": "A\r\nB", "spans": [{"start": 0, "end": 1, "label": "claim", "text": 5}]},
            "does not match",
        ),
        (
            {
                "text": KYIV,
                "spans": [
                    {"id": 1, "start": 0, "end": 3, "label": "claim"},
                    {"id": 2, "start": 4, "end": 9, "label": "claim"},
                ],
                "relations": [{"head": 1, "child": 2, "label": ["part_of"]}],
            },
            "relation label",
        ),
        ({"text": KYIV, "entities": [], "relations": [None, 5]}, 'relation has no "from_id"'),
        ({"text": KYIV, "status": "finished"}, "unknown status"),
        ({"text": "  \n\t "}, "empty"),
        ({"text": "nul \u0000 inside"}, "binary"),
        ([1, 2, 3], "JSON object"),
        ({"title": "No text"}, 'no "text" field'),
        ({"text": 5}, '"text" must be the article text (a string), not a number'),
        ({"text": ["a", "b"]}, '"text" must be the article text (a string), not a list'),
    ],
)
def test_wrongly_typed_fields_are_line_errors_not_crashes(
    project: Project, write_jsonl: Callable[..., Path], record: Any, reason: str
) -> None:
    path = write_jsonl([record, {"text": "A good line after it."}])

    report = import_file(project, path)

    assert isinstance(report, FileReport)
    assert report.documents == 1
    ((line, message),) = report.errors
    assert line == 1
    assert reason in message
    assert texts(project) == ["A good line after it."]


def test_bad_offsets_over_crlf_text_fail_only_their_line(
    project: Project, write_jsonl: Callable[..., Path]
) -> None:
    # Offsets over \r\n text are moved before they are checked; a bad one there must
    # still be that line's error, not undo the lines around it.
    path = write_jsonl(
        [
            {"text": "First good line."},
            {"text": "Kyiv\r\nOdesa", "spans": [{"start": 0, "end": None, "label": "claim"}]},
            {"text": "Last good line."},
        ]
    )

    report = import_file(project, path)

    assert texts(project) == ["First good line.", "Last good line."]
    assert report.documents == 2
    ((line, message),) = report.errors
    assert line == 2 and "integers" in message
    assert report.lines()[0] == f"{path}: imported 2 documents, 0 spans; 1 line failed"


def test_unknown_label_needs_create_labels(
    project: Project, write_jsonl: Callable[..., Path]
) -> None:
    start, end = at(KYIV, "The mayor")
    path = write_jsonl(
        [{"text": KYIV, "spans": [{"start": start, "end": end, "label": "official"}]}]
    )

    refused = import_file(project, path)
    assert refused.documents == 0
    assert "unknown label 'official'" in refused.errors[0][1]
    assert "official" not in {label.name for label in project.labels()}

    accepted = import_file(project, path, create_labels=True)
    assert not accepted.errors
    assert [label.name for label in project.labels()][-1] == "official"
    doc_id = project.documents()[0].id or 0
    assert spans_as_text(project, doc_id) == [("The mayor", "official")]


def test_annotator_option_fills_missing_annotators(
    project: Project, write_jsonl: Callable[..., Path]
) -> None:
    path = write_jsonl(
        [
            {
                "text": KYIV,
                "spans": [
                    {"start": 0, "end": 3, "label": "claim"},
                    {"start": 4, "end": 9, "label": "claim", "annotator": "amina"},
                ],
            }
        ]
    )
    import_file(project, path, annotator="olena")
    doc_id = project.documents()[0].id or 0
    assert [s.annotator for s in project.spans(doc_id)] == ["olena", "amina"]


def test_a_jsonl_record_without_title_is_titled_by_its_first_line(project, tmp_path) -> None:
    from factmark.core.importing import import_file

    source = tmp_path / "untitled.jsonl"
    long_line = "Officials in Kharkiv said on Monday that twelve drones had been shot down " * 3
    source.write_text(
        '{"text": "Short headline\\nBody text."}\n' + '{"text": "' + long_line + '"}\n',
        encoding="utf-8",
    )
    assert import_file(project, source).documents == 2
    first, second = project.documents()
    assert first.title == "Short headline"
    assert second.title.endswith("…") and len(second.title) <= 81
    assert long_line.startswith(second.title[:-1])


def test_a_folder_import_leaves_out_readme_and_hidden_files(tmp_path) -> None:
    from factmark.core.importing import collect_files

    (tmp_path / "README.md").write_text("# About these articles\n")
    (tmp_path / ".draft.txt").write_text("not yet\n")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "kyiv.txt").write_text("Kyiv said so.\n")
    (tmp_path / "lviv.md").write_text("# Lviv\n")
    files, missing = collect_files([tmp_path])
    assert [p.relative_to(tmp_path).as_posix() for p in files] == ["lviv.md", "sub/kyiv.txt"]
    assert missing == []
    # Named on its own, a README is imported like any file.
    assert collect_files([tmp_path / "README.md"])[0] == [tmp_path / "README.md"]


def test_a_nul_byte_late_in_a_streamed_jsonl_file_stores_nothing_of_it(
    project: Project, tmp_path: Path
) -> None:
    """The file is read line by line: documents before a binary line were already read
    when it comes, and still nothing of the file is kept."""
    path = tmp_path / "late-nul.jsonl"
    good = b"".join(orjson.dumps({"text": f"Article {n}."}) + b"\n" for n in range(50))
    path.write_bytes(good + b'{"text": "bad \x00 bytes"}\n' + good)
    report = import_file(project, path)
    assert report.documents == 0 and any("binary file" in m for _, m in report.errors)
    assert project.documents() == []


def test_a_doccano_relation_pointing_at_a_list_is_that_lines_error(
    project: Project, write_jsonl: Callable[..., Path]
) -> None:
    path = write_jsonl(
        [
            {"text": KYIV, "entities": [], "relations": [{"from_id": [], "to_id": 0, "type": "x"}]},
            {"text": "A second article."},
        ]
    )
    report = import_file(project, path)
    assert [line for line, _ in report.errors] == [1]
    assert "points at unknown span []" in report.errors[0][1]
    assert [d.title for d in project.documents()] == ["A second article."]
