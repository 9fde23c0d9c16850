"""Cues: turning them on and off, the cue proposed for a source and its claim in the seed
article (read by hand), accepting one as one edit, and the outlet's own voice in exports."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from factmark.core.cues import (
    AcceptCue,
    cue_for,
    cues_on,
    find_cue,
    language_of,
    proposed_cues,
    turn_cues_off,
    turn_cues_on,
)
from factmark.core.exporting import export
from factmark.core.exporting.base import Selection
from factmark.core.incoming import IncomingDocument
from factmark.core.model import ValidationError
from factmark.core.project import Project

SEED = Path(__file__).resolve().parents[2] / "seeds" / "bakhmut-counterattack.txt"


def place(text: str, needle: str, after: str = "") -> tuple[int, int]:
    start = text.index(needle, text.index(after) if after else 0)
    return start, start + len(needle)


def word_before(text: str, at: int) -> str:
    return text[:at].split()[-1]


@pytest.fixture
def seed(project: Project) -> tuple[Project, int, str]:
    text = SEED.read_text(encoding="utf-8")
    added = project.add_document(IncomingDocument(text, title="Bakhmut"))
    assert added is not None
    return project, added[0], text


def test_turning_cues_on_adds_the_label_and_link_type_and_undoes(project: Project) -> None:
    assert not cues_on(project)
    before = (project.labels(), project.relation_types())
    operation = turn_cues_on(project)
    assert operation is not None
    operation.apply(project)
    cue = project.labels()[-1]
    # The first digit key no label has and the first Okabe-Ito colour no label has
    # (claim, source, location and number take 1-4 and orange, sky blue, green, purple).
    assert (cue.name, cue.key, cue.colour) == ("cue", "5", "#F0E442")
    assert project.relation_types()[-1] == "cue_of"
    assert cues_on(project)
    assert turn_cues_on(project) is None  # on already
    operation.revert(project)
    assert (project.labels(), project.relation_types()) == before
    operation.apply(project)  # redo
    assert project.labels()[-1] == cue


def test_a_taken_key_and_colour_are_passed_over(project: Project) -> None:
    project.add_label("quote", "5", "#F0E442")
    operation = turn_cues_on(project)
    assert operation is not None
    operation.apply(project)
    cue = project.labels()[-1]
    assert (cue.key, cue.colour) == ("6", "#0072B2")


def test_cues_in_use_cannot_be_turned_off(seed) -> None:
    project, doc, text = seed
    on = turn_cues_on(project)
    assert on is not None
    on.apply(project)
    start, end = place(text, "said")
    span = project.add_span(doc, start, end, "cue")
    off = turn_cues_off(project)
    assert off is not None
    with pytest.raises(ValidationError, match="'cue' cannot be deleted"):
        off.apply(project)
    assert cues_on(project)
    project.delete_span(span.id or 0)
    off.apply(project)
    assert not cues_on(project)
    assert turn_cues_off(project) is None


# The cue a reader finds for each source and claim of the seed article: (source, claim,
# the cue, the word before it).
SEED_CUES = [
    (
        ("Prigozhin", "Prigozhin said Thursday"),
        ("Ukrainian forces had been", ""),
        ("said", "Prigozhin"),
    ),
    # Linked to the same Prigozhin: the cue stands by the claim ("where he said").
    (("Prigozhin", "Prigozhin said Thursday"), ("it had lost around 500 men", ""), ("said", "he")),
    (
        ("Oleksandr Syrskyi", ""),
        ("Ukrainian forces carried out «effective counterattacks» in Bakhmut", ""),
        ("said", "Syrskyi"),
    ),
    (
        ("the Ukrainian 3rd Separate Assault Brigade", ""),
        ("It is official", ""),
        ("said", "Brigade"),
    ),
    (("Andriy Biletsky", ""), ("Victory Day was a success", ""), ("boasted", "success,”")),
    (
        ("commanders on both sides", ""),
        ("Ukraine has pushed back the Russian army from some positions around Bakhmut", ""),
        ("according to", "Bakhmut,"),
    ),
]


@pytest.mark.parametrize(("source", "claim", "cue"), SEED_CUES)
def test_the_cue_of_each_attribution_in_the_seed(source, claim, cue) -> None:
    text = SEED.read_text(encoding="utf-8")
    found = find_cue(text, place(text, *source), place(text, *claim))
    assert found is not None
    assert (text[found[0] : found[1]], word_before(text, found[0])) == cue


def test_no_cue_without_patterns_for_the_language() -> None:
    text = SEED.read_text(encoding="utf-8")
    source, claim = place(text, "Oleksandr Syrskyi"), place(text, "Ukrainian forces carried")
    assert find_cue(text, source, claim, language="xx") is None
    # A sentence with no reporting word has no cue.
    quiet = "Bakhmut is quiet. The mayor. Water runs again."
    assert find_cue(quiet, place(quiet, "The mayor"), place(quiet, "Water runs again")) is None


def test_cue_for_takes_the_cue_nearest_the_source() -> None:
    cues = [(10, 14), (50, 54)]
    assert cue_for((56, 60), cues) == 1
    assert cue_for((0, 8), cues) == 0
    assert cue_for(None, cues) == 0
    assert cue_for((0, 8), []) is None


def test_proposals_and_accepting_one(seed) -> None:
    project, doc, text = seed
    on = turn_cues_on(project)
    assert on is not None
    on.apply(project)
    source = project.add_span(doc, *place(text, "Oleksandr Syrskyi"), "source")
    claim = project.add_span(doc, *place(text, "Ukrainian forces carried out"), "claim")
    other = project.add_span(doc, *place(text, "It is official"), "claim")
    brigade = project.add_span(doc, *place(text, "the Ukrainian 3rd Separate"), "source")
    link = project.add_relation(source.id or 0, claim.id or 0, "attributed_to")
    project.add_relation(brigade.id or 0, other.id or 0, "attributed_to")
    proposals = proposed_cues(text, project.spans(doc), project.relations(doc))
    assert [(p.relation_id, word_before(text, p.start)) for p in proposals] == [
        (link.id, "Syrskyi"),
        (link.id + 1, "Brigade"),
    ]
    first = proposals[0]
    assert text[first.start : first.end] == "said"
    before = (project.spans(doc), project.relations(doc))  # nothing proposed is stored
    accept = AcceptCue(doc, first.start, first.end, first.claim_id, "olena")
    accept.apply(project)
    cue = next(s for s in project.spans(doc) if s.label == "cue")
    assert (cue.start, cue.end, cue.annotator) == (first.start, first.end, "olena")
    assert [(r.head_span_id, r.label) for r in project.relations(doc) if r.label == "cue_of"] == [
        (cue.id, "cue_of")
    ]
    # The claim has its cue now: only the brigade's link is still proposed one.
    left = proposed_cues(text, project.spans(doc), project.relations(doc))
    assert [p.relation_id for p in left] == [link.id + 1]
    accept.revert(project)  # one undo takes the span and the link
    assert (project.spans(doc), project.relations(doc)) == before
    accept.apply(project)  # redo: the same ids
    assert next(s for s in project.spans(doc) if s.label == "cue").id == cue.id


def test_accepting_links_a_cue_span_already_there(seed) -> None:
    project, doc, text = seed
    on = turn_cues_on(project)
    assert on is not None
    on.apply(project)
    claim = project.add_span(doc, *place(text, "Ukrainian forces carried out"), "claim")
    start, end = place(text, "said", "Oleksandr Syrskyi")
    cue = project.add_span(doc, start, end, "cue")
    accept = AcceptCue(doc, start, end, claim.id or 0)
    accept.apply(project)
    assert len([s for s in project.spans(doc) if s.label == "cue"]) == 1
    assert [(r.head_span_id, r.child_span_id) for r in project.relations(doc)] == [
        (cue.id, claim.id)
    ]
    accept.revert(project)
    assert project.relations(doc) == [] and project.span(cue.id or 0) == cue


def test_accepting_without_cues_on_is_refused(seed) -> None:
    project, doc, text = seed
    claim = project.add_span(doc, *place(text, "Ukrainian forces carried out"), "claim")
    with pytest.raises(ValidationError, match="turn them on"):
        AcceptCue(doc, *place(text, "said"), claim.id or 0).apply(project)
    assert project.spans(doc) == [claim]


def test_other_exports_carry_cues_as_spans_and_the_voice_as_an_attribute(
    seed, tmp_path: Path
) -> None:
    project, doc, text = seed
    on = turn_cues_on(project)
    assert on is not None
    on.apply(project)
    claim = project.add_span(
        doc, *place(text, "Russia’s military has not commented"), "claim", attrs={"voice": "outlet"}
    )
    counter = project.add_span(doc, *place(text, "Ukrainian forces carried out"), "claim")
    cue = project.add_span(doc, *place(text, "said", "Oleksandr Syrskyi"), "cue")
    project.add_relation(cue.id or 0, counter.id or 0, "cue_of")
    export(project, "jsonl", tmp_path / "out.jsonl", Selection(frozenset()))
    (record,) = [orjson.loads(line) for line in (tmp_path / "out.jsonl").read_bytes().splitlines()]
    by_text = {span["text"]: span for span in record["spans"]}
    assert by_text["said"]["label"] == "cue"
    assert by_text["Russia’s military has not commented"]["attrs"] == {"voice": "outlet"}
    assert record["relations"] == [
        {
            "head": by_text["said"]["id"],
            "child": by_text[text[counter.start : counter.end]]["id"],
            "label": "cue_of",
            "note": None,
            "attrs": {},
        }
    ]
    card = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert "| `cue` spans | 1 |" in card
    assert "| claims in the outlet's own voice (`voice: outlet`) | 1 |" in card
    assert claim.attrs == {"voice": "outlet"}


def test_a_copy_brings_back_its_cues_and_the_outlet_voice(tmp_path: Path) -> None:
    """An annotator's copy turns cues on, marks a cue and a claim in the outlet's voice;
    merging it back gives the lead project all three, and merging twice changes nothing."""
    from factmark.core.copies import make_copy
    from factmark.core.merge import merge_projects

    text = SEED.read_text(encoding="utf-8")
    lead, copy = tmp_path / "lead.factmark", tmp_path / "ana.factmark"
    with Project.open(lead) as project:
        added = project.add_document(IncomingDocument(text, title="Bakhmut"))
        assert added is not None
        counter = project.add_span(added[0], *place(text, "Ukrainian forces carried"), "claim")
        quiet = project.add_span(added[0], *place(text, "Russia’s military has not"), "claim")
        make_copy(project, copy, "ana")
    with Project.open(copy) as project:
        on = turn_cues_on(project)
        assert on is not None
        on.apply(project)
        cue = project.add_span(1, *place(text, "said", "Oleksandr Syrskyi"), "cue", "ana")
        project.add_relation(cue.id or 0, counter.id or 0, "cue_of")
        project.update_span(quiet.id or 0, attrs={"voice": "outlet"})
    for _ in range(2):
        with Project.open(lead) as project:
            (report,) = merge_projects(project, [copy])
            assert not report.failed, report.lines()
            assert cues_on(project)
            spans = {(s.start, s.end): s for s in project.spans(1)}
            start, end = place(text, "said", "Oleksandr Syrskyi")
            assert spans[start, end].label == "cue"
            assert spans[quiet.start, quiet.end].attrs == {"voice": "outlet"}
            links = [
                (spans_by_id.label, r.label)
                for r in project.relations(1)
                for spans_by_id in [project.span(r.head_span_id)]
            ]
            assert links == [("cue", "cue_of")]


def test_the_language_comes_from_the_document_metadata() -> None:
    assert language_of({}) == "en"
    assert language_of({"lang": "en-GB"}) == "en"  # only attribution-en.json exists
    assert language_of({"language": "fr"}) == "fr"  # none: nothing is proposed
    assert language_of({"lang": "../../etc"}) == "en"  # not a language tag
    assert language_of({"lang": 7}) == "en"


def test_the_claimbuster_speaker_of_an_outlet_claim(project: Project, tmp_path: Path) -> None:
    """The author when the metadata names one, else the publication, else "outlet"."""
    text = "Prices rose by 9 percent. The mayor said the bridge was closed."
    for n, (meta, speaker) in enumerate(
        (
            ({"author": "Jane  Doe", "publication": "NBC News"}, "Jane Doe"),
            ({"publication": "NBC News"}, "NBC News"),
            ({}, "outlet"),
        )
    ):
        added = project.add_document(
            IncomingDocument(text + " " * n, title=str(n), meta=meta, status="done")
        )
        assert added is not None
        project.add_span(
            added[0], *place(text, "Prices rose by 9 percent"), "claim", attrs={"voice": "outlet"}
        )
        out = tmp_path / f"s{n}.jsonl"
        export(project, "sentences", out, options={"scheme": "claimbuster"}, card=False)
        lines = [orjson.loads(line) for line in out.read_bytes().splitlines()]
        mine = [line for line in lines if line["File_id"] == project.document(added[0]).uid]
        assert [(line["Text"], line["Speaker"]) for line in mine] == [
            ("Prices rose by 9 percent.", speaker),
            ("The mayor said the bridge was closed.", ""),
        ]
