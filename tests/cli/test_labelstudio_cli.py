"""`factmark import` with Label Studio exports: the report line a user reads, the exit code."""

from __future__ import annotations

from pathlib import Path

from tests.cli.test_cli import factmark

FIXTURES = Path(__file__).parents[1] / "core" / "fixtures" / "labelstudio"


def test_import_of_a_label_studio_export_reports_what_was_left_out(tmp_path: Path) -> None:
    path = FIXTURES / "export.json"

    result = factmark("import", tmp_path / "p.factmark", path)

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"{path}: imported 4 documents, 10 spans, 2 links (left out: 1 region without a label, "
        "1 result in predictions, 1 result of type rectanglelabels; "
        "1 link without a label imported as 'related', added link types: related)"
    ]


def test_a_task_whose_region_text_disagrees_fails_by_its_id(tmp_path: Path) -> None:
    path = FIXTURES / "utf16-offsets.json"

    result = factmark("import", tmp_path / "p.factmark", path)

    assert result.returncode == 1
    assert result.stdout.splitlines() == [f"{path}: imported 1 document, 1 span; 1 line failed"]
    (error,) = result.stderr.splitlines()
    assert error.startswith(f"{path}: error: task 201: region 'o1' at ")
    assert "Traceback" not in result.stderr
