"""INCEpTION's formats from the command line: import .tsv / .xmi zip, export --format xmi."""

from __future__ import annotations

import zipfile
from pathlib import Path

from tests.cli.test_cli import factmark

FIXTURES = Path(__file__).parents[1] / "core" / "fixtures" / "inception"


def test_import_tsv_and_export_xmi_then_import_the_zip(tmp_path: Path) -> None:
    project, copy = tmp_path / "news.factmark", tmp_path / "copy.factmark"

    imported = factmark("import", project, FIXTURES / "claims.tsv", "--create-labels")
    exported = factmark("export", project, "--all", "--format", "xmi", "-o", tmp_path / "c.zip")
    again = factmark("import", copy, tmp_path / "c.zip", "--create-labels")

    assert imported.returncode == 0, imported.stderr
    assert "imported 1 document, 8 spans" in imported.stdout
    assert "2 CoreferenceLink" in imported.stdout  # what was not imported is said
    assert exported.returncode == 0, exported.stderr
    with zipfile.ZipFile(tmp_path / "c.zip") as archive:
        names = archive.namelist()
    assert "TypeSystem.xml" in names and sum(n.endswith(".xmi") for n in names) == 1
    assert again.returncode == 0, again.stderr
    assert f"{tmp_path / 'c.zip'}: imported 1 document, 8 spans" in again.stdout
