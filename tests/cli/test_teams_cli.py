"""``factmark merge`` and ``factmark agree`` through the real entry point."""

from __future__ import annotations

import shutil
from pathlib import Path

import orjson
from tests.cli.test_cli import factmark

from factmark.core.incoming import IncomingDocument
from factmark.core.project import Project

TEXT = "Army says 240 troops left Kyiv."


def annotator_copies(tmp_path: Path) -> tuple[Path, Path]:
    base = tmp_path / "base.factmark"
    with Project.open(base) as project:
        project.add_document(IncomingDocument(TEXT, title="troops"))
    copies = []
    for name, spans in (
        ("ana", [(0, 31, "claim"), (10, 13, "number")]),
        ("ben", [(0, 25, "claim"), (10, 13, "number")]),
    ):
        path = tmp_path / f"{name}.factmark"
        shutil.copy(base, path)
        with Project.open(path) as project:
            doc = project.documents()[0].id or 0
            for start, end, label in spans:
                project.add_span(doc, start, end, label, name)
        copies.append(path)
    return copies[0], copies[1]


def test_merge_reports_each_source_and_is_idempotent(tmp_path: Path) -> None:
    ana, ben = annotator_copies(tmp_path)
    target = tmp_path / "team.factmark"
    result = factmark("merge", target, ana, ben)
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if not line.startswith("  ")]
    assert lines[0].startswith(f"{ana}: 1 document added, 2 spans added, 0 relations added")
    assert lines[1].startswith(f"{ben}: 0 documents added, 2 spans added")
    # Plain file copies have no base: each says that deletions in it cannot be seen.
    assert result.stdout.count("deleted in it cannot be seen") == 2
    again = factmark("merge", target, ana, ben)
    assert again.returncode == 0
    assert f"{ben}: 0 documents added, 0 spans added" in again.stdout
    stats = orjson.loads(factmark("stats", target, "--json").stdout)
    assert stats["spans_by_annotator"] == {"ana": 2, "ben": 2}


def test_a_bad_source_fails_alone_with_exit_1(tmp_path: Path) -> None:
    ana, _ = annotator_copies(tmp_path)
    junk = tmp_path / "junk.factmark"
    junk.write_text("hello")
    result = factmark("merge", tmp_path / "team.factmark", junk, ana)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"{junk}: error: not a Factmark project (not an SQLite database)"
    ]
    assert f"{ana}: 1 document added, 2 spans added" in result.stdout


def test_agree_prints_tables_and_json(tmp_path: Path) -> None:
    target = tmp_path / "team.factmark"
    assert factmark("merge", target, *annotator_copies(tmp_path)).returncode == 0
    table = factmark("agree", target)
    assert table.returncode == 0, table.stderr
    assert "1 document annotated by two or more of 2 annotators (ana, ben)" in table.stdout
    # Exact: number matches, claim does not: F1 = 2*1 / (2 + 2) = 0.5.
    assert any(
        line.split()[:3] == ["ana", "vs", "ben"] and line.split()[3] == "0.500"
        for line in table.stdout.splitlines()
    )
    assert "Krippendorff's unitizing alpha" in table.stdout
    assert any(line.split()[:2] == ["label", "number"] for line in table.stdout.splitlines())
    assert "disagreement" in table.stdout
    figures = orjson.loads(factmark("agree", target, "--json").stdout)
    assert set(figures["alpha_u"]["overall"]) == {"u", "bu", "cu", "u_2004", "units"}
    assert figures["alpha_u"]["labels"]["number"]["units"] == 2
    assert sum(figures["disagreement_counts"]["spans"].values()) == len(
        [d for d in figures["disagreements"] if d["kind"] == "span"]
    )
    assert figures["overall"]["exact_f1"] == 0.5
    assert figures["pairs"][0]["annotators"] == ["ana", "ben"]
    assert figures["documents"][0]["title"] == "troops"
    assert set(figures["labels"]) >= {"claim", "number"}


def test_agree_without_two_annotators_says_so(tmp_path: Path) -> None:
    ana, _ = annotator_copies(tmp_path)
    result = factmark("agree", ana)
    assert result.returncode == 0
    assert "nothing to compare" in result.stdout
    assert factmark("agree", tmp_path / "missing.factmark").returncode == 1


def test_export_majority_vote_from_the_command_line(tmp_path) -> None:
    import orjson
    from tests.cli.test_cli import factmark

    source = tmp_path / "votes.jsonl"
    spans = [
        {"start": 0, "end": 4, "label": "location", "annotator": who} for who in ("olena", "marko")
    ] + [{"start": 10, "end": 11, "label": "number", "annotator": "amina"}]
    source.write_text(
        orjson.dumps(
            {"text": "Kyiv said 5 drones fell.", "spans": spans, "status": "done"}
        ).decode()
        + "\n"
    )
    project = tmp_path / "p.factmark"
    assert factmark("import", project, source).returncode == 0
    out = tmp_path / "majority.jsonl"
    result = factmark("export", project, "-o", out, "--majority")
    assert result.returncode == 0, result.stderr
    (record,) = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    assert [(s["text"], s["label"]) for s in record["spans"]] == [("Kyiv", "location")]


def test_copy_then_merge_carries_deletions_and_lists_conflicts(tmp_path: Path) -> None:
    lead = tmp_path / "lead.factmark"
    with Project.open(lead) as project:
        project.add_document(IncomingDocument(TEXT, title="troops"))
        doc = project.documents()[0].id or 0
        project.add_span(doc, 0, 31, "claim", "lead")
        project.add_span(doc, 10, 13, "number", "lead")
    ana, ben = tmp_path / "ana.factmark", tmp_path / "ben.factmark"
    for name, path in (("ana", ana), ("ben", ben)):
        made = factmark("copy", lead, path, "--annotator", name)
        assert made.returncode == 0, made.stderr
        assert f"{path}: a copy for {name} of {lead} with its base (1 document, 2 spans" in (
            made.stdout
        )
    with Project.open(ana) as project:
        claim, number = project.spans(project.documents()[0].id or 0)
        project.delete_span(claim.id or 0)
        project.update_span(number.id or 0, note="ana")
    with Project.open(ben) as project:
        number = project.spans(project.documents()[0].id or 0)[1]
        project.update_span(number.id or 0, note="ben")
    result = factmark("merge", lead, ana, ben)
    assert result.returncode == 0, result.stderr
    assert "  1 span changed, 1 span deleted, 0 relations changed, 0 relations deleted" in (
        result.stdout
    )
    assert "1 conflict queued for review" in result.stdout
    listed = factmark("merge", "--conflicts", lead)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.splitlines() == [
        "troops: number 10-13 by lead: here note 'ana' | ben's copy ben.factmark: note 'ben'",
        "1 conflict waiting in the review queue (F7 in the window shows each)",
    ]
    assert factmark("merge", lead).returncode == 2
    with Project.open_to_read(lead) as project:
        assert [(s.label, s.note) for s in project.spans(project.documents()[0].id or 0)] == [
            ("number", "ana")
        ]


def test_copy_refuses_a_bad_annotator_name_and_writes_nothing(tmp_path: Path) -> None:
    lead = tmp_path / "lead.factmark"
    Project.open(lead).close()
    result = factmark("copy", lead, tmp_path / "c.factmark", "--annotator", "a\nb")
    assert result.returncode == 1
    assert "annotator name" in result.stderr
    assert not (tmp_path / "c.factmark").exists()


def test_agree_keeps_its_table_narrow_with_a_long_title(tmp_path: Path) -> None:
    """A document titled with a whole headline (over 90 characters) no longer pads every
    line of the table to its length: the first column is as wide as its longest entry,
    the title cut with "…" (--json keeps it whole)."""
    headline = (
        "Le ministre de l'Éducation a affirmé que 4 000 postes seraient créés à Marseille "
        "dès la rentrée"
    )
    base = tmp_path / "base.factmark"
    with Project.open(base) as project:
        project.add_document(IncomingDocument(TEXT, title=headline))
        doc = project.documents()[0].id or 0
        for name in ("ana", "ben"):
            project.add_span(doc, 10, 13, "number", name)
    table = factmark("agree", base)
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    shown = ("document " + headline)[:39] + "…"  # 40 characters, the longest entry
    row = next(line for line in lines if line.startswith("document "))
    assert row.startswith(shown + "  ")
    overall = next(line for line in lines if line.startswith("overall "))
    # The names' column as wide as that entry, then three figures of 10 after 2 spaces.
    assert len(overall) == len(row) == len(shown) + 3 * (2 + 10)
    table_lines = lines[: next(n for n, line in enumerate(lines) if line.startswith("Krippen"))]
    assert max(len(line) for line in table_lines) == len(row)  # 136 before: the headline's
    whole = orjson.loads(factmark("agree", base, "--json").stdout)
    assert whole["documents"][0]["title"] == headline


def test_a_later_round_keeps_a_span_the_lead_added_again(tmp_path: Path) -> None:
    """Ana deletes the lead's number, the lead takes it back after the first merge: the
    next round of ana's copy brings her new work and leaves the number alone."""
    lead, ana = tmp_path / "lead.factmark", tmp_path / "ana.factmark"
    with Project.open(lead) as project:
        project.add_document(IncomingDocument(TEXT, title="troops"))
        doc = project.documents()[0].id or 0
        project.add_span(doc, 0, 31, "claim", "lead")
        project.add_span(doc, 10, 13, "number", "lead")
    assert factmark("copy", lead, ana, "--annotator", "ana").returncode == 0
    with Project.open(ana) as project:
        project.delete_span(project.spans(project.documents()[0].id or 0)[1].id or 0)
    first = factmark("merge", lead, ana)
    assert first.returncode == 0, first.stderr
    assert "  0 spans changed, 1 span deleted, 0 relations changed" in first.stdout
    with Project.open(lead) as project:
        project.add_span(project.documents()[0].id or 0, 10, 13, "number", "lead")
    with Project.open(ana) as project:
        project.add_span(project.documents()[0].id or 0, 26, 30, "location", "ana")
    second = factmark("merge", lead, ana)
    assert second.returncode == 0, second.stderr
    assert second.stdout.splitlines()[:2] == [
        f"{ana}: 0 documents added, 1 span added, 0 relations added, 0 conflicts resolved "
        "(0 to the source, 0 to the target)",
        "  0 spans changed, 0 spans deleted, 0 relations changed, 0 relations deleted "
        "(three-way, from the copy's base); 0 conflicts queued for review (F7 in the window; "
        "factmark merge --conflicts)",
    ]
    assert "deleted:" not in second.stdout
    stats = orjson.loads(factmark("stats", lead, "--json").stdout)
    assert stats["spans_by_annotator"] == {"lead": 2, "ana": 1}
