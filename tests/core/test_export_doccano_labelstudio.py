"""doccano and Label Studio exports: the files a user loads into those tools, checked as
those tools read them.

The corpus project holds annotated.jsonl, doccano.jsonl and every .txt of the shared
corpus (their texts are the same articles, so the .txt imports are duplicates), plus
spans added on the .txt texts where tools slip: emoji and flags, decomposed accents,
right-to-left text, an astral ideograph and spans across line breaks.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from tests.cli.test_cli import factmark

import factmark.core.exporting.labelstudio as labelstudio_writer
from factmark.core.exporting import export
from factmark.core.exporting.base import ExportContext, Selection, Split
from factmark.core.importing import import_file
from factmark.core.incoming import IncomingDocument
from factmark.core.project import Project
from factmark.core.text import text_uid

ALL = Selection(frozenset())
TXT_FILES = (
    "ar-mosul.txt",
    "emoji-lagos.txt",
    "fr-combining.txt",
    "uk-kharkiv-crlf.txt",
    "zh-shanghai.txt",
)
# (substring of the .txt text, label, annotator, note); each substring occurs once.
EXTRA_SPANS: dict[str, list[tuple[str, str, str | None, str | None]]] = {
    "emoji-lagos.txt": [
        ("\U0001f1f3\U0001f1ec", "location", "amina", "the flag is two code points"),
        ("unsafe to drink \U0001f631", "claim", None, None),
        ("as its source.\nOfficials", "claim", "olena", None),
    ],
    "fr-combining.txt": [
        ("l'E\u0301ducation", "source", None, None),
        ("4 000 postes seraient cre\u0301e\u0301s a\u0300 Marseille", "claim", None, None),
        ("0,3 point", "number", None, None),
    ],
    "ar-mosul.txt": [
        ("وزير الصحة", "source", None, None),
        ("35 مستشفى", "number", None, None),
    ],
    "uk-kharkiv-crlf.txt": [
        ("районі.\n\nПовітряні сили", "claim", None, None),
    ],
    "zh-shanghai.txt": [
        ("\U00020bb7野家", "source", "wei", None),
        ("北京", "location", None, None),
        ("50家", "number", None, None),
    ],
}
# head text, child text, relation type: added on the .txt texts
EXTRA_RELATIONS = {
    "zh-shanghai.txt": ("\U00020bb7野家", "北京", "part_of"),
}


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [orjson.loads(line) for line in path.read_bytes().splitlines() if line.strip()]


def txt_text(path: Path) -> str:
    return path.read_bytes().decode("utf-8").replace("\r\n", "\n")


def find_document(project: Project, text: str) -> int:
    for document in project.documents():
        if document.uid == text_uid(text):
            return document.id or 0
    raise AssertionError(f"no document holds the text of {text[:30]!r}")


def build_corpus(project: Project, corpus: Path) -> None:
    for name in ("annotated.jsonl", "doccano.jsonl"):
        report = import_file(project, corpus / name)
        assert not report.errors, report.lines()
    for name in TXT_FILES:
        report = import_file(project, corpus / name)
        assert not report.errors, report.lines()
        assert report.documents + report.duplicates == 1
        text = txt_text(corpus / name)
        doc_id = find_document(project, text)
        added = {}
        for needle, label, annotator, note in EXTRA_SPANS.get(name, []):
            assert text.count(needle) == 1, needle
            start = text.index(needle)
            span = project.add_span(doc_id, start, start + len(needle), label, annotator, note)
            added[needle] = span.id or 0
        if name in EXTRA_RELATIONS:
            head, child, kind = EXTRA_RELATIONS[name]
            project.add_relation(added[head], added[child], kind)


@pytest.fixture
def corpus_project(project: Project, corpus: Path) -> Project:
    build_corpus(project, corpus)
    return project


Truth = dict[str, dict[str, Any]]


def truth(project: Project) -> Truth:
    """Straight from the project: each document's text, spans and relations by uid."""
    found: Truth = {}
    for document in project.documents():
        full = project.document(document.id or 0)
        spans = project.spans(full.id or 0)
        texts = {s.id: full.text[s.start : s.end] for s in spans}
        found[full.uid] = {
            "title": full.title,
            "text": full.text,
            "status": full.status,
            "spans": sorted(
                (s.start, s.end, s.label, full.text[s.start : s.end], s.annotator, s.note)
                for s in spans
            ),
            "relations": sorted(
                (texts[r.head_span_id], texts[r.child_span_id], r.label)
                for r in project.relations(full.id or 0)
            ),
        }
    return found


# -- Label Studio's offsets, the way its frontend reads them ---------------------------
# A model of web/libs/editor/src/utils/selection-tools.js (findRange, findOnPosition,
# codePointsToChars) over the DOM the <Text> tag renders: the text split at each "\n"
# into one text node per non-empty line, with a <br/> between lines. The browser holds
# each text node as UTF-16 code units; positions count `[...node.textContent].length`
# (code points, by surrogate pairs) and a <br/> counts one. Nothing here uses Python's
# own str indexing on the document text.

Node = list[int] | None  # UTF-16 units of a text node, or None for a <br/>


def utf16(text: str) -> list[int]:
    data = text.encode("utf-16-le", "surrogatepass")
    return [int.from_bytes(data[i : i + 2], "little") for i in range(0, len(data), 2)]


def from_utf16(units: list[int]) -> str:
    return b"".join(u.to_bytes(2, "little") for u in units).decode("utf-16-le", "surrogatepass")


def _pair_at(units: list[int], i: int) -> bool:
    return 0xD800 <= units[i] <= 0xDBFF and i + 1 < len(units) and 0xDC00 <= units[i + 1] <= 0xDFFF


def js_code_point_count(units: list[int]) -> int:
    """``[...string].length``"""
    i = count = 0
    while i < len(units):
        i += 2 if _pair_at(units, i) else 1
        count += 1
    return count


def code_points_to_chars(units: list[int], position: int) -> int:
    """``[...string].slice(0, position).join("").length``"""
    i = 0
    for _ in range(position):
        if i >= len(units):
            break
        i += 2 if _pair_at(units, i) else 1
    return i


def text_tag_nodes(text: str) -> list[Node]:
    nodes: list[Node] = []
    for n, line in enumerate(text.split("\n")):
        if n:
            nodes.append(None)
        if line:
            nodes.append(utf16(line))
    return nodes


def find_on_position(nodes: list[Node], position: int, border: str) -> tuple[int, int] | None:
    last = 0
    finish_here = False
    for i, node in enumerate(nodes):
        if node is None:
            last += 1
            continue
        if finish_here:
            return i, 0
        length = js_code_point_count(node)
        has_next = i + 1 < len(nodes)
        if length + last >= position or not has_next:
            if border == "right" and length + last == position and has_next:
                finish_here = True
            else:
                return i, max(0, min(position - last, length))
        last += length
    return None  # past the text: Label Studio finds no range and shows no region


def label_studio_highlight(text: str, start: int, end: int) -> str | None:
    """The characters Label Studio highlights for ``value.start`` / ``value.end``
    (line breaks inside the region as ``\\n``); None when it can place no region."""
    nodes = text_tag_nodes(text)
    found_start = find_on_position(nodes, start, "right")
    found_end = find_on_position(nodes, end, "left")
    if found_start is None or found_end is None:
        return None
    (first, first_cp), (last, last_cp) = found_start, found_end
    parts = []
    for i in range(first, last + 1):
        node = nodes[i]
        if node is None:
            parts.append("\n")
            continue
        low = code_points_to_chars(node, first_cp) if i == first else 0
        high = code_points_to_chars(node, last_cp) if i == last else len(node)
        parts.append(from_utf16(node[low:high]))
    return "".join(parts)


def utf16_offset(text: str, index: int) -> int:
    return len(utf16(text[:index]))


# -- Label Studio ----------------------------------------------------------------------


def load_tasks(path: Path) -> list[dict[str, Any]]:
    tasks = orjson.loads(path.read_bytes())
    assert isinstance(tasks, list)
    return tasks


def results(task: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for annotation in task["annotations"]:
        yield from annotation["result"]


def test_labelstudio_spans_land_on_the_same_characters(
    corpus_project: Project, tmp_path: Path
) -> None:
    out = tmp_path / "tasks.json"
    result = export(corpus_project, "labelstudio", out, ALL)
    expected = truth(corpus_project)

    tasks = load_tasks(out)
    assert len(tasks) == result.documents == len(expected) == 5
    seen = 0
    for task in tasks:
        data = task["data"]
        want = expected[data["factmark_id"]]
        assert (data["text"], data["title"]) == (want["text"], want["title"])
        regions = [r for r in results(task) if r["type"] == "labels"]
        got = []
        for region in regions:
            assert (region["from_name"], region["to_name"]) == ("label", "text")
            value = region["value"]
            shown = label_studio_highlight(data["text"], value["start"], value["end"])
            assert shown == value["text"], (value, shown)
            (label,) = value["labels"]
            meta = region.get("meta", {})
            note = meta["text"][0] if "text" in meta else None
            got.append((value["start"], value["end"], label, shown, meta.get("annotator"), note))
        assert sorted(got) == want["spans"]
        seen += len(got)
    assert seen == result.spans == 20 + sum(len(v) for v in EXTRA_SPANS.values())


def test_labelstudio_model_tells_code_points_from_utf16(
    corpus_project: Project, corpus: Path
) -> None:
    """The check above can fail: read as UTF-16 units, the same spans land elsewhere."""
    expected = truth(corpus_project)
    wrong = 0
    for name in ("emoji-lagos.txt", "zh-shanghai.txt"):
        text = txt_text(corpus / name)
        for start, end, _label, span_text, _who, _note in expected[text_uid(text)]["spans"]:
            as_utf16 = (utf16_offset(text, start), utf16_offset(text, end))
            if as_utf16 != (start, end):
                assert label_studio_highlight(text, *as_utf16) != span_text
                wrong += 1
            assert label_studio_highlight(text, start, end) == span_text
    assert wrong >= 5


def test_labelstudio_relations_and_annotations(corpus_project: Project, tmp_path: Path) -> None:
    """One annotation per annotator, as Label Studio holds several people's work: each
    holds that annotator's regions only and names them in its factmark_annotator text
    area; the spans without an annotator are an annotation of their own. A link between
    two annotations' regions is in the task's meta, and counted in the notes."""
    out = tmp_path / "tasks.json"
    result = export(corpus_project, "labelstudio", out, ALL)
    expected = truth(corpus_project)

    with_relations = across = 0
    for task in load_tasks(out):
        want = expected[task["data"]["factmark_id"]]
        assert task["data"]["factmark_status"] == want["status"]
        assert "predictions" not in task
        whose = []
        regions = {}
        for annotation in task["annotations"]:
            assert "completed_by" not in annotation
            assert annotation["ground_truth"] is False  # no gold layer in the corpus
            own = {r["id"]: r for r in annotation["result"] if r["type"] == "labels"}
            named = [r for r in annotation["result"] if r["type"] == "textarea"]
            who = named[0]["value"]["text"][0] if named else None
            assert len(named) <= 1 and named == (
                []
                if who is None
                else [
                    {
                        "id": "factmark_annotator",
                        "from_name": "factmark_annotator",
                        "to_name": "text",
                        "type": "textarea",
                        "value": {"text": [who]},
                    }
                ]
            )
            assert {r.get("meta", {}).get("annotator") for r in own.values()} == {who}
            whose.append(who)
            for link in annotation["result"]:
                if link["type"] == "relation":  # within the annotation
                    assert link["from_id"] in own and link["to_id"] in own
            regions.update(own)
        # the project's annotators of this document, the spans without one first
        assert whose == sorted(
            {s[4] for s in want["spans"]}, key=lambda w: (w is not None, w or "")
        )
        assert len(regions) == len(want["spans"])  # ids are unique within the task
        links = [r for r in results(task) if r["type"] == "relation"]
        links_across = task.get("meta", {}).get("factmark_links", [])
        across += len(links_across)
        got = []
        for link in links + links_across:
            assert link["direction"] == "right"
            (kind,) = link["labels"]
            head, child = regions[link["from_id"]], regions[link["to_id"]]
            got.append((head["value"]["text"], child["value"]["text"], kind))
        assert sorted(got) == want["relations"]
        with_relations += bool(got)
    assert with_relations == 2
    # 𠮷野家 (wei's) is linked to 北京 (nobody's)
    assert across == 1
    assert any(
        "links between two annotators' spans" in note and note.endswith(": 1")
        for note in result.notes
    )
    assert any("credited to whoever imports" in note for note in result.notes)


def test_labelstudio_annotation_only_for_labelled_work(
    project: Project, tmp_path: Path, write_jsonl: Any
) -> None:
    source = write_jsonl(
        [
            {"text": "Nothing to see here.", "status": "new"},
            {"text": "Checked: no claim here.", "status": "done"},
            {
                "text": "Spam page with 100 links.",
                "status": "skipped",
                "spans": [{"start": 15, "end": 18, "label": "number"}],
            },
        ]
    )
    assert not import_file(project, source).errors
    out = tmp_path / "tasks.json"
    export(project, "labelstudio", out, ALL)

    new, done, skipped = load_tasks(out)
    assert new["annotations"] == []
    assert done["annotations"] == [{"result": [], "ground_truth": False}]
    (annotation,) = skipped["annotations"]
    assert annotation["was_cancelled"] is True
    assert [r["value"]["text"] for r in annotation["result"]] == ["100"]


def test_labelstudio_exact_task_for_one_document(project: Project, tmp_path: Path) -> None:
    text = "👍 Lagos"
    doc_id, *_ = project.add_document(IncomingDocument(text, title="Tiny", status="done")) or ()
    project.add_span(doc_id, 2, 7, "location", annotator="amina", note="city", attrs={"k": 1})
    out = tmp_path / "tiny.json"
    export(project, "labelstudio", out, ALL)

    uid = text_uid(text)
    expected = {
        "id": 1,
        "data": {"text": text, "title": "Tiny", "factmark_id": uid, "factmark_status": "done"},
        "annotations": [
            {
                "result": [
                    {
                        "id": "s1",
                        "from_name": "label",
                        "to_name": "text",
                        "type": "labels",
                        "value": {"start": 2, "end": 7, "text": "Lagos", "labels": ["location"]},
                        "meta": {"annotator": "amina", "text": ["city"], "attrs": {"k": 1}},
                    },
                    {
                        "id": "factmark_annotator",
                        "from_name": "factmark_annotator",
                        "to_name": "text",
                        "type": "textarea",
                        "value": {"text": ["amina"]},
                    },
                ],
                "ground_truth": False,
            }
        ],
    }
    assert out.read_bytes() == b"[\n" + orjson.dumps(expected) + b"\n]\n"
    assert label_studio_highlight(text, 2, 7) == "Lagos"  # UTF-16 would say 3..8


def test_labelstudio_labeling_config(corpus_project: Project, tmp_path: Path) -> None:
    corpus_project.add_label("rumour", "5", "#123ABC", "a <claim> & more")
    corpus_project.update_label("number", name='"figure"')
    out = tmp_path / "tasks.json"
    result = export(corpus_project, "labelstudio", out, ALL)

    config_file = tmp_path / "tasks.labeling-config.xml"
    assert config_file in result.files and out in result.files
    view = ET.fromstring(config_file.read_bytes())
    assert view.tag == "View"
    (labels,) = view.findall("Labels")
    assert (labels.get("name"), labels.get("toName")) == ("label", "text")
    assert [(x.get("value"), x.get("background"), x.get("hotkey")) for x in labels] == [
        (label.name, label.colour, label.key or None) for label in corpus_project.labels()
    ]
    assert ("rumour", "#123ABC", "5") in [
        (x.get("value"), x.get("background"), x.get("hotkey")) for x in labels
    ]
    (relations,) = view.findall("Relations")
    assert [x.get("value") for x in relations] == corpus_project.relation_types()
    (text_tag,) = view.findall("Text")
    assert (text_tag.get("name"), text_tag.get("value")) == ("text", "$text")

    # every label and relation type the tasks use is in the config
    offered = {x.get("value") for x in labels}
    kinds = {x.get("value") for x in relations}
    tasks = load_tasks(out)
    used = {r["value"]["labels"][0] for t in tasks for r in results(t) if r["type"] == "labels"}
    linked = {r["labels"][0] for t in tasks for r in results(t) if r["type"] == "relation"}
    assert '"figure"' in used and used <= offered
    assert linked and linked <= kinds


def test_labelstudio_config_without_relation_types(project: Project) -> None:
    context = ExportContext(labels=project.labels(), relation_types=[])

    view = ET.fromstring(labelstudio_writer.labeling_config(context))

    assert view.findall("Relations") == []
    assert [x.get("value") for x in view.iter("Label")] == [x.name for x in project.labels()]


def test_labelstudio_config_shows_the_annotator_when_spans_have_one(
    project: Project, tmp_path: Path
) -> None:
    """The text area naming each annotation's annotator is in the config when an exported
    span has an annotator (Label Studio shows a result only for a control of its
    config), and not otherwise."""
    text = "Police said 12 roads were shut."
    doc_id, *_ = project.add_document(IncomingDocument(text, status="done")) or ()
    project.add_span(doc_id, 12, 14, "number")
    plain = tmp_path / "plain.json"
    export(project, "labelstudio", plain, ALL)
    view = ET.fromstring(labelstudio_writer.config_path(plain).read_bytes())
    assert view.findall("TextArea") == []
    assert all("factmark_annotator" not in str(r) for r in results(load_tasks(plain)[0]))

    project.add_span(doc_id, 0, 6, "source", annotator="amina")
    named = tmp_path / "named.json"
    export(project, "labelstudio", named, ALL)
    view = ET.fromstring(labelstudio_writer.config_path(named).read_bytes())
    (area,) = view.findall("TextArea")
    assert (area.get("name"), area.get("toName")) == ("factmark_annotator", "text")
    tags = [child.tag for child in view]
    assert tags[tags.index("TextArea") - 1] == "Header"  # its caption in the interface
    first, second = load_tasks(named)[0]["annotations"]
    assert [r["type"] for r in first["result"]] == ["labels"]  # nobody's span
    assert [r["from_name"] for r in second["result"]] == ["label", "factmark_annotator"]


def test_labelstudio_split_writes_a_config_per_part(
    corpus_project: Project, tmp_path: Path
) -> None:
    out = tmp_path / "corpus.json"
    result = export(corpus_project, "labelstudio", out, ALL, Split.parse("train=0.5,dev=0.5", 3))

    for part in ("train", "dev"):
        tasks = tmp_path / f"corpus.{part}.json"
        assert tasks in result.files
        assert (tmp_path / f"corpus.{part}.labeling-config.xml") in result.files
        assert len(load_tasks(tasks)) == result.parts[part].documents
    # one labeling interface for the parts, which go into one Label Studio project
    configs = {
        (tmp_path / f"corpus.{part}.labeling-config.xml").read_bytes() for part in ("train", "dev")
    }
    assert len(configs) == 1 and b'name="factmark_annotator"' in configs.pop()


def test_labelstudio_failed_export_leaves_nothing(
    corpus_project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out" / "tasks.json"
    export(corpus_project, "labelstudio", out, ALL)
    before = {p.name: p.read_bytes() for p in out.parent.iterdir()}
    calls = 0
    real = labelstudio_writer.task

    def failing(record: dict[str, Any], number: int) -> dict[str, Any]:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise RuntimeError("disk on fire")
        return real(record, number)

    monkeypatch.setattr(labelstudio_writer, "task", failing)
    corpus_project.add_label("rumour")
    with pytest.raises(RuntimeError):
        export(corpus_project, "labelstudio", out, ALL)

    assert {p.name: p.read_bytes() for p in out.parent.iterdir()} == before


# -- doccano ---------------------------------------------------------------------------


def test_doccano_relation_shape_offsets_and_round_trip(
    corpus_project: Project, tmp_path: Path
) -> None:
    out = tmp_path / "doccano.jsonl"
    result = export(corpus_project, "doccano", out, ALL)
    expected = truth(corpus_project)

    lines = read_jsonl(out)
    assert len(lines) == 5
    for line in lines:
        # one consistent relation-extraction file: no line uses the `label` shape
        assert set(line) == {"text", "entities", "relations", "id", "title"}
        want = expected[line["id"]]
        assert line["title"] == want["title"]
        by_id = {}
        for entity in line["entities"]:
            assert set(entity) == {"id", "label", "start_offset", "end_offset"}
            by_id[entity["id"]] = line["text"][entity["start_offset"] : entity["end_offset"]]
        assert len(by_id) == len(line["entities"])
        assert sorted(
            (e["start_offset"], e["end_offset"], e["label"], by_id[e["id"]])
            for e in line["entities"]
        ) == [s[:4] for s in want["spans"]]
        relations = sorted(
            (by_id[r["from_id"]], by_id[r["to_id"]], r["type"]) for r in line["relations"]
        )
        assert relations == want["relations"]
        assert [r["id"] for r in line["relations"]] == list(range(1, len(relations) + 1))
    assert any("JSONL(Relation)" in note for note in result.notes)
    assert any("Allow overlapping spans" in note for note in result.notes)
    assert any("annotator" in note for note in result.notes)

    with Project.open(tmp_path / "back.factmark") as back:
        report = import_file(back, out)
        assert not report.errors, report.lines()
        assert (report.documents, report.spans) == (5, result.spans)
        again = truth(back)
    assert again.keys() == expected.keys()
    for uid, want in expected.items():
        got = again[uid]
        assert (got["text"], got["title"]) == (want["text"], want["title"])
        assert [s[:4] for s in got["spans"]] == [s[:4] for s in want["spans"]]
        assert got["relations"] == want["relations"]


def test_doccano_sequence_labelling_shape_when_there_are_no_relations(
    corpus_project: Project, tmp_path: Path
) -> None:
    for document in corpus_project.documents():
        for relation in corpus_project.relations(document.id or 0):
            corpus_project.delete_relation(relation.id or 0)
    out = tmp_path / "doccano.jsonl"
    result = export(corpus_project, "doccano", out, ALL)
    expected = truth(corpus_project)

    lines = read_jsonl(out)
    assert len(lines) == 5
    for line in lines:
        assert set(line) == {"text", "label", "id", "title"}
        triples = line["label"]
        assert all(len(t) == 3 for t in triples)
        assert sorted((s, e, label, line["text"][s:e]) for s, e, label in triples) == [
            s[:4] for s in expected[line["id"]]["spans"]
        ]
    assert not any("JSONL(Relation)" in note for note in result.notes)

    with Project.open(tmp_path / "back.factmark") as back:
        assert not import_file(back, out).errors
        again = truth(back)
    for uid, want in expected.items():
        assert [s[:4] for s in again[uid]["spans"]] == [s[:4] for s in want["spans"]]


def test_doccano_exact_line(project: Project, tmp_path: Path) -> None:
    text = "🇳🇬 Abuja\n"
    doc_id, *_ = project.add_document(IncomingDocument(text, title="Flag")) or ()
    project.add_span(doc_id, 3, 8, "location")
    out = tmp_path / "tiny.jsonl"
    export(project, "doccano", out, ALL)

    uid = text_uid(text)
    expected = f'{{"text":"🇳🇬 Abuja\\n","label":[[3,8,"location"]],"id":"{uid}","title":"Flag"}}\n'
    assert out.read_bytes() == expected.encode("utf-8")


# -- the command line ------------------------------------------------------------------


def test_cli_exports_labelstudio(corpus: Path, tmp_path: Path) -> None:
    project_file = tmp_path / "p.factmark"
    imported = factmark(
        "import", project_file, corpus / "annotated.jsonl", corpus / "doccano.jsonl"
    )
    assert imported.returncode == 0, imported.stderr

    out = tmp_path / "out.json"
    result = factmark("export", project_file, "-o", out, "--format", "labelstudio", "--all")

    assert result.returncode == 0, result.stderr
    assert f"{out}: exported 5 documents, 20 spans and 1 link" in result.stdout
    assert "Traceback" not in result.stderr
    tasks = load_tasks(out)
    assert len(tasks) == 5
    for task in tasks:
        for region in results(task):
            if region["type"] == "labels":
                value = region["value"]
                shown = label_studio_highlight(task["data"]["text"], value["start"], value["end"])
                assert shown == value["text"]
    config = ET.fromstring((tmp_path / "out.labeling-config.xml").read_bytes())
    assert {x.get("value") for x in config.iter("Label")} == {
        "claim",
        "source",
        "location",
        "number",
    }
    card = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert "out.labeling-config.xml" in card and "labelstudio" in card
