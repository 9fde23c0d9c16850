"""--pseudonymise annotators: no annotator's name leaves the project in any export.

The shared corpus is annotated by two annotators with distinctive names (and a gold layer
adjudicated from them); every format is exported with pseudonyms, and every byte written
(inside the XMI zip and the compressed spaCy DocBin too) is searched for the names.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path

import orjson
import pytest
from tests.core.test_export_brat_conll import add, document_with, import_corpus

from factmark.core.exporting import FORMATS, export
from factmark.core.exporting.base import Selection
from factmark.core.exporting.pseudonyms import ensure_key
from factmark.core.incoming import IncomingDocument
from factmark.core.model import ValidationError
from factmark.core.project import Project

ALL = Selection(frozenset())
ZOFIA = "Zofia Wiśniewska-Kowalczyk"
BART = "Bartholomew Quincey"
# The names and their parts, as UTF-8 and as any JSON escaping would write them.
NEEDLES = [ZOFIA, "Wiśniewska", "Wi\\u015bniewska", "Kowalczyk", "Zofia", BART, "Bartholomew"]
NEEDLES += ["Quincey"]
PSEUDONYM = re.compile(r"annotator-[0-9a-f]{12}")
OPTIONS = {"pseudonymise": "annotators"}


@pytest.fixture
def team(project: Project, corpus: Path) -> Project:
    """The corpus with spans, notes, attributes and links by two annotators and gold."""
    import_corpus(project, corpus)
    lagos, text = document_with(project, "Lagos Water Board")
    for who in (ZOFIA, BART):
        claim = add(
            project, lagos, text, "claim", "Officials in Abuja said", annotator=who,
            note="check the board", attrs={"verdict": "false", "checkworthy": "yes"},
        )  # fmt: skip
        source = add(project, lagos, text, "source", "Lagos Water Board", annotator=who)
        project.add_relation(source, claim, "attributed_to")
    add(project, lagos, text, "location", "Abuja", annotator=ZOFIA)
    add(project, lagos, text, "claim", "Officials in Abuja said", annotator="gold")
    for listed in project.documents():
        project.set_status(listed.id or 0, "done")
    ensure_key(project)
    return project


def written_bytes(files: list[Path]) -> bytes:
    """Everything the export wrote, with zip members and DocBins unpacked."""
    found = []
    for file in files:
        data = file.read_bytes()
        found.append(data)
        if file.suffix == ".zip":
            with zipfile.ZipFile(file) as archive:
                found += [archive.read(name) for name in archive.namelist()]
        if file.suffix == ".spacy":
            found.append(zlib.decompress(data))
    return b"\n".join(found)


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_no_name_in_any_byte_of_any_format(team: Project, fmt: str, tmp_path: Path) -> None:
    out = tmp_path / f"out{FORMATS[fmt].SUFFIX}"
    plain = export(team, fmt, tmp_path / "plain" / out.name, ALL)
    result = export(team, fmt, out, ALL, options=OPTIONS)
    data = written_bytes(result.files)
    assert result.card is not None and result.card in result.files
    for needle in NEEDLES:
        assert needle.encode() not in data, (fmt, needle)
    if b"Kowalczyk" in written_bytes(plain.files):  # the format writes annotators at all
        assert PSEUDONYM.search(data.decode("utf-8", "replace")), fmt


def test_the_gold_cards_agreement_section_names_pseudonyms(team: Project, tmp_path: Path) -> None:
    gold = Selection(frozenset(), annotators=frozenset({"gold"}))
    result = export(team, "jsonl", tmp_path / "gold.jsonl", gold, options=OPTIONS)
    card = (result.card or Path()).read_text(encoding="utf-8")
    assert "## Agreement of the layers adjudicated" in card
    line = next(x for x in card.splitlines() if "layers (" in x)
    names = re.search(r"layers \(([^)]*)\)", line)
    assert names is not None
    assert len(PSEUDONYM.findall(names.group(1))) == 2
    assert "- annotators: gold" in card
    for needle in NEEDLES:
        assert needle not in card


def annotators_in(path: Path) -> list[str | None]:
    return [
        span["annotator"]
        for line in path.read_bytes().splitlines()
        for span in orjson.loads(line)["spans"]
    ]


def test_a_name_has_one_pseudonym_in_every_export(team: Project, tmp_path: Path) -> None:
    plain = annotators_in(export(team, "jsonl", tmp_path / "plain.jsonl", ALL).path)
    first = annotators_in(export(team, "jsonl", tmp_path / "a.jsonl", ALL, options=OPTIONS).path)
    second = annotators_in(export(team, "jsonl", tmp_path / "b.jsonl", ALL, options=OPTIONS).path)
    assert first == second
    # Span by span: one pseudonym per name, two names two pseudonyms, gold and none kept.
    pairs = set(zip(plain, first, strict=True))
    by_name = {name: {p for n, p in pairs if n == name} for name in (ZOFIA, BART)}
    assert all(len(pseudonyms) == 1 for pseudonyms in by_name.values())
    assert by_name[ZOFIA] != by_name[BART]
    assert all(PSEUDONYM.fullmatch(p) for ps in by_name.values() for p in ps)
    assert {(n, p) for n, p in pairs if n in ("gold", None)} <= {("gold", "gold"), (None, None)}


def test_another_project_gives_other_pseudonyms(team: Project, tmp_path: Path) -> None:
    text = "Officials in Abuja said the water was safe.\n"
    with Project.open(tmp_path / "other.factmark") as other:
        added = other.add_document(IncomingDocument(text, status="done"))
        assert added is not None
        other.add_span(added[0], 0, 9, "source", annotator=ZOFIA)
        ensure_key(other)
        theirs = annotators_in(
            export(other, "jsonl", tmp_path / "o.jsonl", ALL, options=OPTIONS).path
        )
    ours = set(
        annotators_in(export(team, "jsonl", tmp_path / "t.jsonl", ALL, options=OPTIONS).path)
    )
    assert theirs[0] not in ours  # the key is the project's: names cannot be matched across


def test_a_read_only_project_without_a_key_is_refused(project_path: Path, tmp_path: Path) -> None:
    Project.open(project_path).close()
    with Project.open_to_read(project_path) as project, pytest.raises(ValidationError) as error:
        export(project, "jsonl", tmp_path / "x.jsonl", ALL, options=OPTIONS)
    assert "no pseudonym key yet" in str(error.value)
    assert not (tmp_path / "x.jsonl").exists()


def test_only_annotators_can_be_pseudonymised(team: Project, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="cannot pseudonymise 'notes'"):
        export(team, "jsonl", tmp_path / "x.jsonl", ALL, options={"pseudonymise": "notes"})
