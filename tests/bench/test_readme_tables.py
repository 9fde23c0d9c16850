"""The README's speed tables are the benchmarks' result files, never figures typed by hand."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _between_markers(readme: str) -> list[str]:
    lines = readme.splitlines()
    begin = next(n for n, line in enumerate(lines) if line.startswith("<!-- speed tables:"))
    end = next(n for n, line in enumerate(lines) if line == "<!-- end of speed tables -->")
    return lines[begin + 1 : end]


def _measured(name: str) -> list[str]:
    """A result file's table rows and its lines saying when and where it was measured."""
    lines = (REPO / "bench" / name).read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.startswith(("|", "Measured", "Rows re-", "One whole"))]


def test_the_readme_shows_every_measured_line_of_both_result_files_and_nothing_else() -> None:
    block = _between_markers((REPO / "README.md").read_text(encoding="utf-8"))
    expected = _measured("RESULTS.md") + _measured("SCALE.md")
    shown = [line for line in block if line.startswith(("|", "Measured", "Rows re-", "One whole"))]
    assert shown == expected
    assert any(" UTC " in line for line in shown)  # with the date of the run
    assert any("cores" in line for line in shown)  # and the machine
