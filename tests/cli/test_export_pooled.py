"""An export of documents annotated by several annotators says, in one line of its notes
(the command's, the card's, the window's), that their spans are pooled side by side and
how to export one layer; the files show the pooling as the peers read them."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from tests.cli.test_cli import factmark

from factmark.core.incoming import IncomingDocument
from factmark.core.project import Project

TEXT = "The mayor said 40 bridges were closed. Police said 12 roads were shut."
CLAIM = "40 bridges were closed"


def annotate(project: Project) -> None:
    """One document with the same claim and number by two annotators, a second with
    one annotator's span only."""
    added = project.add_document(IncomingDocument(TEXT, title="Bridges", status="done"))
    assert added is not None
    claim, number = TEXT.index(CLAIM), TEXT.index("40")
    for annotator, verdict in (("amina", "false"), ("bo", "mostly false")):
        project.add_span(
            added[0], claim, claim + len(CLAIM), "claim", annotator=annotator,
            attrs={"verdict": verdict},
        )  # fmt: skip
        project.add_span(added[0], number, number + 2, "number", annotator=annotator)
    other = project.add_document(IncomingDocument("Police in Hull said so.", status="done"))
    assert other is not None
    project.add_span(other[0], 10, 14, "location", annotator="amina")


def pooled_notes(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("note:") and "pooled" in line]


def test_pooled_annotators_are_told_and_one_layer_is_not(project: Project, tmp_path: Path) -> None:
    annotate(project)
    number = TEXT.index("40")

    out = tmp_path / "d" / "corpus.jsonl"
    run = factmark("export", project.path, "-f", "doccano", "-o", out)
    assert run.returncode == 0, run.stderr
    first = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    # What the tester saw: the same number twice in one doccano record.
    assert first["label"].count([number, number + 2, "number"]) == 2
    notes = pooled_notes(run.stdout)
    assert len(notes) == 1, run.stdout
    note = notes[0]
    assert note.startswith("note: spans of 2 annotators (amina, bo) pooled in 1 of 2 documents")
    assert "--annotator NAME" in note and "--majority" in note and "--annotator gold" in note
    card = (out.parent / "README.md").read_text(encoding="utf-8")
    assert f"- {note.removeprefix('note: ')}" in card

    out = tmp_path / "r" / "reviews.jsonld"
    run = factmark("export", project.path, "-f", "claimreview", "-o", out)
    assert run.returncode == 0, run.stderr
    feed = json.loads(out.read_text(encoding="utf-8"))
    reviews = [review for element in feed["dataFeedElement"] for review in element["item"]]
    assert sorted(r["reviewRating"]["alternateName"] for r in reviews) == [
        "false",
        "mostly false",
    ]  # two reviews of one claim
    assert len(pooled_notes(run.stdout)) == 1

    for layer in (["--annotator", "amina"], ["--majority"]):
        out = tmp_path / layer[0].strip("-") / "corpus.jsonl"
        run = factmark("export", project.path, "-f", "doccano", "-o", out, *layer)
        assert run.returncode == 0, run.stderr
        assert pooled_notes(run.stdout) == []
        assert " pooled in " not in (out.parent / "README.md").read_text(encoding="utf-8")
        first = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
        assert first["label"].count([number, number + 2, "number"]) == 1


def test_formats_keeping_each_span_s_annotator_say_nothing_of_pooling(
    project: Project, tmp_path: Path
) -> None:
    """JSONL and XMI keep whose span is whose: the two annotators' copies are told apart
    in the file, and neither the command nor the card speaks of pooling. Label Studio too:
    each annotator's spans are an annotation of their own, named in it."""
    annotate(project)
    number = TEXT.index("40")

    out = tmp_path / "j" / "corpus.jsonl"
    run = factmark("export", project.path, "-f", "jsonl", "-o", out)
    assert run.returncode == 0, run.stderr
    first = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    copies = [
        s["annotator"] for s in first["spans"] if (s["start"], s["end"]) == (number, number + 2)
    ]
    assert sorted(copies) == ["amina", "bo"]
    assert pooled_notes(run.stdout) == [] and "side by side" not in run.stdout
    card = (out.parent / "README.md").read_text(encoding="utf-8")
    assert " pooled in " not in card and "side by side" not in card

    out = tmp_path / "x" / "corpus.zip"
    run = factmark("export", project.path, "-f", "xmi", "-o", out)
    assert run.returncode == 0, run.stderr
    with zipfile.ZipFile(out) as archive:
        members = [
            archive.read(name).decode() for name in archive.namelist() if name.endswith(".xmi")
        ]
    assert sum(m.count('annotator="amina"') for m in members) == 3
    assert sum(m.count('annotator="bo"') for m in members) == 2
    assert pooled_notes(run.stdout) == []
    assert " pooled in " not in (out.parent / "README.md").read_text(encoding="utf-8")

    out = tmp_path / "l" / "corpus.json"
    run = factmark("export", project.path, "-f", "labelstudio", "-o", out)
    assert run.returncode == 0, run.stderr
    task = json.loads(out.read_text(encoding="utf-8"))[0]
    copies = []
    for annotation in task["annotations"]:  # one per annotator
        (named,) = [r["value"]["text"] for r in annotation["result"] if r["type"] == "textarea"]
        copies += [
            (*named, r["value"]["start"])
            for r in annotation["result"]
            if r["type"] == "labels" and r["value"]["labels"] == ["number"]
        ]
    assert sorted(copies) == [("amina", number), ("bo", number)]
    assert pooled_notes(run.stdout) == []
    card = (out.parent / "README.md").read_text(encoding="utf-8")
    assert " pooled in " not in card
    # Label Studio takes only its own accounts as completed_by: the card says whose
    # the annotations are there, and where the names are
    assert "without `completed_by`" in card and "credited to whoever imports" in card
    assert "`factmark_annotator` text area" in run.stdout
