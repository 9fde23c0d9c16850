"""A gold export's dataset card states how far the adjudicated layers agreed."""

from __future__ import annotations

from pathlib import Path

from tests.cli.test_cli import factmark

from factmark.core.incoming import IncomingDocument, IncomingSpan
from factmark.core.project import Project

TEXT = "Army says 240 troops left Kyiv."


def test_gold_export_card_states_agreement(tmp_path: Path) -> None:
    project_path = tmp_path / "desk.factmark"
    with Project.open(project_path) as project:
        project.add_document(
            IncomingDocument(
                TEXT,
                title="troops",
                status="done",
                spans=[
                    IncomingSpan(10, 13, "number", "ana"),  # 240
                    IncomingSpan(10, 20, "number", "ben"),  # 240 troops
                    IncomingSpan(26, 30, "location", "ana"),
                    IncomingSpan(26, 30, "location", "ben"),
                    IncomingSpan(10, 13, "number", "gold"),
                    IncomingSpan(26, 30, "location", "gold"),
                ],
            )
        )
    out = tmp_path / "gold" / "gold.jsonl"
    out.parent.mkdir()
    result = factmark("export", project_path, "-o", out, "--annotator", "gold")
    assert result.returncode == 0, result.stderr
    card = (out.parent / "README.md").read_text(encoding="utf-8")
    assert "## Agreement of the layers adjudicated" in card
    # One document, one of everything: English says "1 document" (core.text.counted).
    assert "2 annotators' layers (ana, ben) on 1 document. Krippendorff" in card
    assert "1 documents" not in card
    assert "on 4 spans. Exact span F1" in card
    # The number row: uα 0.347 and the 2004 αu -0.295, worked out by hand in
    # tests/core/test_agreement_more.py (same spans); one disagreement (240 / 240 troops).
    assert "| number | 0.347 | -0.295 | 2 | 0.000 | 1 |" in card
    assert "| location | 1.000 | 1.000 | 2 | 1.000 | 0 |" in card

    # An export of the annotators' own layers has no such section.
    plain = tmp_path / "all" / "all.jsonl"
    plain.parent.mkdir()
    assert factmark("export", project_path, "-o", plain).returncode == 0
    assert "Agreement of the layers" not in (plain.parent / "README.md").read_text("utf-8")
