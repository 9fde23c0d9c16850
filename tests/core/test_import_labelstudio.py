"""Label Studio exports coming in: the full JSON export as Label Studio writes it, the
JSON_MIN that label-studio-converter makes of it, and what the file holds that Factmark
cannot take, told in the report.

The fixtures in fixtures/labelstudio/ follow Label Studio 1.x byte for byte (see the
README there): emoji, a flag, right-to-left Arabic and a text with ``\\r\\n`` line ends,
whose offsets count ``\\r`` as Label Studio's editor does.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.core.test_properties import ANY_CHAR, FAST, JSON, check_report, mostly

from factmark.core.importing import import_file, labelstudio
from factmark.core.project import Project

FIXTURES = Path(__file__).parent / "fixtures" / "labelstudio"
EXPORT = FIXTURES / "export.json"
OLENA = "olena@newsroom.example"
AMINA = "Amina Bello"  # her account has no e-mail: Label Studio gives her name

# Every span the export holds, as a reader of the file sees it: (text, label, annotator).
LAGOS_SPANS = {
    ("A viral post claims that 70% of the water in Lagos is unsafe to drink", "claim", OLENA),
    ("70%", "number", OLENA),
    ('"Lagos Water Board" 👍', "source", OLENA),
    ("🇳🇬", "location", OLENA),
    ("unsafe to drink 😱", "claim", AMINA),
    ("Abuja", "location", AMINA),
}
KHARKIV_SPANS = {
    ("районі.\n\nПовітряні сили", "claim", OLENA),  # stored with \n where the file had \r\n
    ("Харкова", "location", OLENA),
}
MOSUL_SPANS = {("وزير الصحة", "source", OLENA), ("240", "number", OLENA)}


def by_source(project: Project) -> dict[Any, Any]:
    """Each document by the Label Studio task id kept in its metadata."""
    return {d.meta.get("source_id"): project.document(d.id or 0) for d in project.documents()}


def spans_of(project: Project, document_id: int) -> set[tuple[str, str, str | None]]:
    text = project.document(document_id).text
    return {(text[s.start : s.end], s.label, s.annotator) for s in project.spans(document_id)}


def test_full_export_every_annotation_on_its_text(project: Project) -> None:
    report = import_file(project, EXPORT)

    assert report.lines() == [
        f"{EXPORT}: imported 4 documents, 10 spans, 2 links (left out: 1 region without a label, "
        "1 result in predictions, 1 result of type rectanglelabels; "
        "1 link without a label imported as 'related', added link types: related)"
    ]
    docs = by_source(project)
    assert set(docs) == {101, 102, 103, 104}
    assert spans_of(project, docs[101].id) == LAGOS_SPANS
    assert spans_of(project, docs[102].id) == KHARKIV_SPANS
    assert spans_of(project, docs[103].id) == MOSUL_SPANS
    assert spans_of(project, docs[104].id) == set()
    assert [docs[n].status for n in (101, 102, 103, 104)] == ["done", "done", "done", "skipped"]
    # The stored text follows the offsets rule; the task text is the file's.
    tasks = orjson.loads(EXPORT.read_bytes())
    assert "\r\n" in tasks[1]["data"]["text"]
    assert docs[102].text == tasks[1]["data"]["text"].replace("\r\n", "\n")
    assert docs[101].text == tasks[0]["data"]["text"]


def test_per_region_answers_notes_links_and_document_answers(project: Project) -> None:
    import_file(project, EXPORT)
    docs = by_source(project)
    lagos = docs[101]
    spans = {lagos.text[s.start : s.end]: s for s in project.spans(lagos.id or 0)}

    claim = spans["A viral post claims that 70% of the water in Lagos is unsafe to drink"]
    assert claim.attrs == {"certainty": "high"}  # the per-region Choices on the claim
    assert spans["70%"].note == "share of what? ask the board"  # the per-region TextArea
    (link,) = project.relations(lagos.id or 0)
    assert (project.span(link.head_span_id).id, link.label) == (claim.id, "attributed_to")
    assert project.span(link.child_span_id).id == spans['"Lagos Water Board" 👍'].id
    # Results on no region are the document's: data fields and answers, by name.
    assert lagos.meta == {"source_id": 101, "source": "viral post", "verdict": ["false"]}
    assert docs[103].meta == {"source_id": 103, "quality": 4}

    mosul = docs[103]
    notes = {mosul.text[s.start : s.end]: s.note for s in project.spans(mosul.id or 0)}
    assert notes["وزير الصحة"] == "the minister, not the ministry"  # the region's meta.text

    # direction "left" points from to_id to from_id; no label: "related".
    kharkiv = docs[102]
    (turned,) = project.relations(kharkiv.id or 0)
    head, child = project.span(turned.head_span_id), project.span(turned.child_span_id)
    assert kharkiv.text[head.start : head.end] == "районі.\n\nПовітряні сили"
    assert kharkiv.text[child.start : child.end] == "Харкова"
    assert turned.label == "related"


def test_region_text_that_disagrees_refuses_its_task_by_id(project: Project) -> None:
    path = FIXTURES / "utf16-offsets.json"

    report = import_file(project, path)

    assert report.documents == 1  # task 202 goes in
    ((line, message),) = report.errors
    assert line is None
    assert message.startswith("task 201: region 'o1' at ")
    assert "says 'Lagos Water Board'" in message
    assert message.endswith("(its offsets count UTF-16 units, as Label Studio before 1.0 did)")
    (document,) = project.documents()
    assert document.meta["source_id"] == 202


def label_config(tmp_path: Path) -> Path:
    """The labeling interface the fixture's tasks were made with."""
    config = tmp_path / "config.xml"
    config.write_text(
        """<View>
  <Labels name="label" toName="text">
    <Label value="claim"/><Label value="source"/><Label value="location"/>
    <Label value="number"/>
  </Labels>
  <Text name="text" value="$text"/>
  <Choices name="certainty" toName="text" perRegion="true">
    <Choice value="high"/><Choice value="low"/>
  </Choices>
  <TextArea name="comment" toName="text" perRegion="true"/>
  <Choices name="verdict" toName="text"><Choice value="false"/><Choice value="true"/></Choices>
  <Rating name="quality" toName="text"/>
</View>
""",
        encoding="utf-8",
    )
    return config


def converted(source: Path, config: Path, out: Path, kind: str) -> Path:
    converter = pytest.importorskip("label_studio_converter")
    converter.Converter(str(config), str(out)).convert(str(source), str(out), kind, is_dir=False)
    return out / ("result.conll" if kind == "CONLL2003" else "result.json")


def test_json_min_made_by_label_studio_converter(project: Project, tmp_path: Path) -> None:
    minimal = converted(EXPORT, label_config(tmp_path), tmp_path / "min", "JSON_MIN")
    records = orjson.loads(minimal.read_bytes())
    assert "label" in records[0] and "annotations" not in records[0]  # the flat shape

    report = import_file(project, minimal)

    assert not report.errors, report.lines()
    docs = by_source(project)
    # The converter leaves out skipped annotations (task 104) and relations, and names an
    # annotator by e-mail only (Amina has none).
    assert set(docs) == {101, 102, 103}
    amina_unnamed = {
        (text, label, None if who == AMINA else who) for text, label, who in LAGOS_SPANS
    }
    assert spans_of(project, docs[101].id) == amina_unnamed
    assert spans_of(project, docs[102].id) == KHARKIV_SPANS
    assert spans_of(project, docs[103].id) == MOSUL_SPANS
    # JSON_MIN writes a control's single answers as bare values, without the region
    # they were on (certainty and comment were on two of Olena's four regions): nothing in
    # the file says which, so they stay the document's, and the report says so.
    (line,) = report.lines()
    assert line.endswith(
        "; kept in the documents' metadata, though they may be answers on regions: "
        "'certainty' in 1 record, 'comment' in 1 record, 'verdict' in 1 record, as JSON_MIN "
        "writes an answer of one choice or one line without its region and Label Studio's "
        "JSON export keeps it)"
    )
    assert {k: docs[101].meta[k] for k in ("verdict", "certainty", "comment")} == {
        "verdict": "false",
        "certainty": "high",
        "comment": "share of what? ask the board",
    }
    assert all(s.note is None and not s.attrs for s in project.spans(docs[101].id or 0))
    assert docs[103].meta["quality"] == 4


def test_json_min_regions_not_understood_are_counted(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "min.json"
    text = "Odesa port 🚢 was hit, officials said."
    path.write_bytes(
        orjson.dumps(
            [
                {
                    "text": text,
                    "id": 7,
                    "ner": [
                        {"start": 0, "end": 5, "text": "Odesa", "labels": ["location"]},
                        {"labels": ["claim"]},  # no offsets
                        {"start": 22, "end": 36, "text": "officials said", "labels": []},
                    ],
                    "annotator": "olena@newsroom.example",
                    "annotation_id": 3,
                }
            ]
        )
    )

    report = import_file(project, path)

    assert report.lines() == [
        f"{path}: imported 1 document, 1 span (left out: 1 region without a label, "
        "1 region without character offsets)"
    ]
    (document,) = project.documents()
    assert spans_of(project, document.id or 0) == {("Odesa", "location", OLENA)}
    assert document.status == "done"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "not valid JSON (unexpected character, expected a string key)"),
        (b"[]", "not a Label Studio export (a JSON list of tasks, each with its text)"),
        (b"  \n", "empty file: there is no task to import"),
        (b'"text"', "not a Label Studio export (a JSON list of tasks, each with its text)"),
    ],
)
def test_whole_file_errors_store_nothing(
    project: Project, tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "tasks.json"
    path.write_bytes(content)

    report = import_file(project, path)

    assert report.errors == [(None, message)]
    assert project.documents() == []


def test_bad_tasks_are_named_and_the_rest_goes_in(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "tasks.json"
    good = {"id": 3, "data": {"text": "Kharkiv was shelled."}, "annotations": []}
    path.write_bytes(
        orjson.dumps(
            [
                {"id": 1, "data": {"url": 5}},
                {"id": 2, "data": {"body": "a", "lede": "b"}},
                good,
                {
                    "id": 4,
                    "data": {"text": "Lviv"},
                    "annotations": [
                        {
                            "result": [
                                {
                                    "type": "labels",
                                    "id": "a",
                                    "value": {"start": 0, "end": 9, "labels": ["location"]},
                                }
                            ]
                        }
                    ],
                },
                5,
            ]
        )
    )

    report = import_file(project, path)

    assert report.errors == [
        (None, "task 1: its data holds no text (no string field)"),
        (
            None,
            "task 2: its data holds several texts ('body', 'lede') and none is named "
            '"text"; rename the one to import',
        ),
        (None, "task 4: region 'a' at 0-9 is outside its text (length 4) or empty"),
        (None, 'task #5 (it has no id): a task must be a JSON object with a "data" object'),
    ]
    assert [d.title for d in project.documents()] == ["Kharkiv was shelled."]


def test_a_file_over_the_size_limit_is_refused(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(labelstudio, "MAX_BYTES", 1 << 30)
    path = tmp_path / "huge.json"
    with path.open("wb") as out:  # sparse: no gigabyte is written
        out.truncate((1 << 30) + 1)

    report = import_file(project, path)

    assert report.errors == [(None, "the file is larger than 1 GiB; split the export to import it")]


OFFSET = mostly(st.integers(0, 12))
REGION = st.fixed_dictionaries(
    {
        "id": mostly(st.sampled_from(["a", "b", "c"])),
        "type": mostly(st.sampled_from(["labels", "choices", "textarea", "relation", "rating"])),
        "value": mostly(
            st.fixed_dictionaries(
                {"start": OFFSET, "end": OFFSET},
                optional={
                    "text": st.one_of(st.text(ANY_CHAR, max_size=5), JSON),
                    "labels": mostly(st.lists(st.sampled_from(["claim", "source"]), max_size=2)),
                    "choices": mostly(st.lists(st.text(max_size=3), max_size=2)),
                },
            )
        ),
    },
    optional={
        "from_id": JSON | st.sampled_from(["a", "b"]),
        "to_id": JSON | st.sampled_from(["a", "b"]),
        "labels": JSON,
        "direction": mostly(st.sampled_from(["left", "right", "bi"])),
        "meta": mostly(st.fixed_dictionaries({}, optional={"text": JSON, "attrs": JSON})),
        "from_name": JSON,
    },
)
TASK = st.fixed_dictionaries(
    {"data": mostly(st.fixed_dictionaries({"text": mostly(st.text(ANY_CHAR, min_size=1))}))},
    optional={
        "id": JSON,
        "annotations": mostly(
            st.lists(
                st.fixed_dictionaries(
                    {"result": mostly(st.lists(REGION, max_size=4))},
                    optional={"completed_by": JSON, "was_cancelled": JSON},
                ),
                max_size=2,
            )
        ),
        "predictions": JSON,
    },
)
MIN_RECORD = st.fixed_dictionaries(
    {"text": mostly(st.text(ANY_CHAR, min_size=1))},
    optional={"id": JSON, "label": mostly(st.lists(REGION.map(lambda r: r["value"]))), "x": JSON},
)


@FAST
@given(tasks=st.one_of(st.lists(TASK, max_size=3), st.lists(MIN_RECORD, max_size=3), JSON))
def test_any_task_file_gives_a_report(tasks: Any) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "tasks.json"
        path.write_bytes(orjson.dumps(tasks))
        with Project.open(Path(folder) / "p.factmark") as project:
            report = import_file(project, path, create_labels=True)
            check_report(report, project)


VIRAL = (
    "A viral post claims that 70% of the water in Lagos is unsafe to drink. The board denies it."
)


def several_answers_export(tmp_path: Path) -> tuple[Path, Path]:
    """A Label Studio export (its 1.x shape, as in fixtures/labelstudio) of one task: a
    claim region over the first sentence with two per-region verdicts and a two-line
    per-region comment; and the labeling interface it was made with."""
    region = {"start": 0, "end": 69, "text": VIRAL[:69]}
    result = [
        {
            "value": {**region, "labels": ["claim"]},
            "id": "c1",
            "from_name": "label",
            "to_name": "text",
            "type": "labels",
            "origin": "manual",
        },
        {
            "value": {**region, "choices": ["false", "misleading"]},
            "id": "c1",
            "from_name": "verdict",
            "to_name": "text",
            "type": "choices",
            "origin": "manual",
        },
        {
            "value": {**region, "text": ["share of what?", "ask the board"]},
            "id": "c1",
            "from_name": "comment",
            "to_name": "text",
            "type": "textarea",
            "origin": "manual",
        },
    ]
    task = {
        "id": 201,
        "annotations": [
            {
                "id": 31,
                "completed_by": {"id": 1, "email": OLENA, "first_name": "", "last_name": ""},
                "result": result,
                "was_cancelled": False,
                "created_at": "2025-03-04T10:12:31.228512Z",
                "updated_at": "2025-03-04T10:12:31.228530Z",
                "lead_time": 12.5,
                "task": 201,
            }
        ],
        "predictions": [],
        "data": {"text": VIRAL},
    }
    source = tmp_path / "export.json"
    source.write_bytes(orjson.dumps([task]))
    config = tmp_path / "config.xml"
    config.write_text(
        """<View>
  <Labels name="label" toName="text"><Label value="claim"/></Labels>
  <Text name="text" value="$text"/>
  <Choices name="verdict" toName="text" perRegion="true" choice="multiple">
    <Choice value="false"/><Choice value="misleading"/><Choice value="true"/>
  </Choices>
  <TextArea name="comment" toName="text" perRegion="true"/>
</View>
""",
        encoding="utf-8",
    )
    return source, config


def test_json_min_region_with_several_choices_keeps_them_on_its_span(
    project: Project, tmp_path: Path
) -> None:
    source, config = several_answers_export(tmp_path)
    minimal = converted(source, config, tmp_path / "min", "JSON_MIN")
    (record,) = orjson.loads(minimal.read_bytes())
    assert isinstance(record["verdict"], dict)  # the converter kept the region

    report = import_file(project, minimal)

    assert report.lines() == [f"{minimal}: imported 1 document, 1 span"]
    (document,) = project.documents()
    assert "verdict" not in document.meta and "comment" not in document.meta
    (span,) = project.spans(document.id or 0)
    assert (span.start, span.end, span.label) == (0, 69, "claim")
    assert span.attrs == {"verdict": ["false", "misleading"]}
    assert span.note == "share of what?\nask the board"


# Per-region answers in JSON_MIN. label-studio-converter's prettify_result writes a
# Choices or TextArea result of one choice (or one line) as that bare string, its region
# dropped, and one of several as its value with the region; a control with several results
# in one annotation (a per-region control, one result a region) as a list of both kinds.
# (text, [(region text, {control: answer value in the full export})], document answers)
REGION_ANSWERS: list[tuple[str, list[tuple[str, dict[str, list[str]]]], dict[str, list[str]]]] = [
    (
        "The mayor said 40 homes flooded.",
        [("The mayor said 40 homes flooded", {"verdict": ["false"]})],
        {"checkworthy": ["yes"]},
    ),
    (
        "Police said no one was hurt.",
        [("no one was hurt", {"verdict": ["false", "misleading"], "comment": ["ask", "again"]})],
        {},
    ),
    (
        "Bridges closed. Roads shut.",
        [("Bridges closed", {"verdict": ["false"]}), ("Roads shut", {"verdict": ["false"]})],
        {},
    ),
    (
        "Schools open. Shops closed.",
        [("Schools open", {"verdict": ["true"]}), ("Shops closed", {"verdict": ["false"]})],
        {},
    ),
    (
        "Rain fell. Rivers rose 3 m.",
        [
            ("Rain fell", {"verdict": ["mostly true"]}),
            ("Rivers rose 3 m", {"verdict": ["false", "misleading"]}),
        ],
        {},
    ),
    ("Power is back.", [("Power is back", {"comment": ["check the grid"]})], {}),
    ("Nothing to label here.", [], {"checkworthy": ["no"]}),
    ("Ports reopened.", [("Ports reopened", {"stance": ["supports"]})], {}),
]
REGION_CONFIG = """<View>
  <Labels name="label" toName="text"><Label value="claim"/></Labels>
  <Text name="text" value="$text"/>
  <Choices name="verdict" toName="text" perRegion="true" choice="multiple">
    <Choice value="false"/><Choice value="misleading"/><Choice value="mostly true"/>
    <Choice value="true"/>
  </Choices>
  <TextArea name="comment" toName="text" perRegion="true"/>
  <Choices name="stance" toName="text" perRegion="true"><Choice value="supports"/></Choices>
  <Choices name="checkworthy" toName="text"><Choice value="yes"/><Choice value="no"/></Choices>
</View>
"""
WHEN = {"created_at": "2025-03-04T10:12:31.228512Z", "updated_at": "2025-03-04T10:12:31.228530Z"}


def region_answers_json_min() -> list[dict[str, Any]]:
    """REGION_ANSWERS as convert_to_json_min writes them, made by hand from its source:
    the task data, ``id``, the controls in the order their results come (prettified),
    then the annotation's bookkeeping."""
    records = []
    for number, (text, regions, document) in enumerate(REGION_ANSWERS, start=301):
        record: dict[str, Any] = {"text": text, "id": number}
        outputs: dict[str, list[Any]] = {}
        for part, answers in regions:
            start = text.index(part)
            region = {"start": start, "end": start + len(part), "text": part}
            outputs.setdefault("label", []).append({**region, "labels": ["claim"]})
            for control, answer in answers.items():
                key = "text" if control == "comment" else "choices"
                outputs.setdefault(control, []).append(
                    answer[0] if len(answer) == 1 else {**region, key: answer}
                )
        for control, answer in document.items():
            outputs[control] = [answer[0] if len(answer) == 1 else {"choices": answer}]
        for control, values in outputs.items():
            single = control != "label" and len(values) == 1
            record[control] = values[0] if single else values
        record.update(annotator=OLENA, annotation_id=number - 200, **WHEN, lead_time=9.5)
        records.append(record)
    return records


def region_answers_export() -> list[dict[str, Any]]:
    """The same tasks as Label Studio 1.x exports them in full (its JSON export)."""
    tasks = []
    for number, (text, regions, document) in enumerate(REGION_ANSWERS, start=301):
        result = []
        for index, (part, answers) in enumerate(regions):
            start = text.index(part)
            region = {"start": start, "end": start + len(part), "text": part}
            common = {"id": f"r{index}", "to_name": "text", "origin": "manual"}
            result.append(
                {**common, "from_name": "label", "type": "labels",
                 "value": {**region, "labels": ["claim"]}}
            )  # fmt: skip
            for control, answer in answers.items():
                kind, key = ("textarea", "text") if control == "comment" else ("choices", "choices")
                result.append(
                    {**common, "from_name": control, "type": kind,
                     "value": {**region, key: answer}}
                )  # fmt: skip
        for control, answer in document.items():
            result.append(
                {"id": "d", "from_name": control, "to_name": "text", "type": "choices",
                 "origin": "manual", "value": {"choices": answer}}
            )  # fmt: skip
        annotation = {
            "id": number - 200,
            "completed_by": {"id": 1, "email": OLENA, "first_name": "", "last_name": ""},
            "result": result,
            "was_cancelled": False,
            **WHEN,
            "lead_time": 9.5,
            "task": number,
        }
        tasks.append(
            {"id": number, "annotations": [annotation], "predictions": [], "data": {"text": text}}
        )
    return tasks


def test_the_hand_made_json_min_is_what_the_converter_writes(tmp_path: Path) -> None:
    source = tmp_path / "export.json"
    source.write_bytes(orjson.dumps(region_answers_export()))
    config = tmp_path / "config.xml"
    config.write_text(REGION_CONFIG, encoding="utf-8")

    minimal = converted(source, config, tmp_path / "min", "JSON_MIN")

    assert orjson.loads(minimal.read_bytes()) == region_answers_json_min()


def test_json_min_answers_written_bare_go_onto_the_span_the_file_names(
    project: Project, tmp_path: Path
) -> None:
    """A bare answer goes onto a span when the file tells which: its control answers on
    regions elsewhere in the file, and the annotation has as many regions without an
    answer of it as it has bare answers, all alike. Else it stays in the document's
    metadata and the report says so."""
    path = tmp_path / "min.json"
    path.write_bytes(orjson.dumps(region_answers_json_min()))

    report = import_file(project, path)

    assert report.lines() == [
        f"{path}: imported 8 documents, 10 spans (kept in the documents' metadata: 2 answers "
        "of 'verdict' on regions JSON_MIN does not name, as it writes an answer of one choice "
        "or one line without its region and the annotation had several regions it could be "
        "on; kept in the documents' metadata, though they may be answers on regions: 'stance' "
        "in 1 record, as JSON_MIN writes an answer of one choice or one line without its "
        "region and Label Studio's JSON export keeps it)"
    ]
    docs = by_source(project)
    found = {}
    for number, document in docs.items():
        text = document.text
        spans = project.spans(document.id or 0)
        found[number] = (
            {k: v for k, v in document.meta.items() if k != "source_id"},
            sorted((text[s.start : s.end], s.attrs, s.note) for s in spans),
        )
    assert found == {
        # one region, one bare answer: verdict answers on regions (task 302 says so)
        301: (
            {"checkworthy": "yes"},
            [("The mayor said 40 homes flooded", {"verdict": "false"}, None)],
        ),
        302: (
            {},
            [("no one was hurt", {"verdict": ["false", "misleading"]}, "ask\nagain")],
        ),
        # two regions, two answers alike: one each
        303: (
            {},
            [
                ("Bridges closed", {"verdict": "false"}, None),
                ("Roads shut", {"verdict": "false"}, None),
            ],
        ),
        # two regions, two answers that differ: which is whose is not written
        304: (
            {"verdict": ["true", "false"]},
            [("Schools open", {}, None), ("Shops closed", {}, None)],
        ),
        # the answer with its region goes there, the bare one to the other region
        305: (
            {},
            [
                ("Rain fell", {"verdict": "mostly true"}, None),
                ("Rivers rose 3 m", {"verdict": ["false", "misleading"]}, None),
            ],
        ),
        # comment answers on regions as a text area: a line of the span's note
        306: ({}, [("Power is back", {}, "check the grid")]),
        307: ({"checkworthy": "no"}, []),
        # stance is never written with its region: which it is, the file cannot say
        308: ({"stance": "supports"}, [("Ports reopened", {}, None)]),
    }


def test_json_min_entries_of_a_region_list_that_are_no_object_are_named_and_left_out(
    project: Project, tmp_path: Path
) -> None:
    """A region list holding a string or a list among its regions keeps its regions as
    spans; the report names each entry left out by its record and place in the list."""
    text = "Prigozhin said 500 men died in Bakhmut."
    claim = {"start": 0, "end": 9, "text": "Prigozhin", "labels": ["claim"]}
    place = {"start": 31, "end": 38, "text": "Bakhmut", "labels": ["location"]}
    records = [
        {"text": text, "id": 1, "label": [claim, "junk", [1, 2], place], "annotator": 1},
        {"text": "A second article.", "id": 2, "label": ["junk"], "annotator": 1},
    ]
    path = tmp_path / "min.json"
    path.write_bytes(orjson.dumps(records))

    report = import_file(project, path)

    assert report.lines() == [
        f"{path}: imported 2 documents, 2 spans (record 1: regions 2 and 3 of 'label' are "
        "not objects: left out)"
    ]
    document = by_source(project)[1]
    assert spans_of(project, document.id or 0) == {
        ("Prigozhin", "claim", None),
        ("Bakhmut", "location", None),
    }
    assert "label" not in document.meta
    assert by_source(project)[2].meta == {"source_id": 2, "label": ["junk"]}
