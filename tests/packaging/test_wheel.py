"""A wheel built from the repository carries the package and its data folders.

``resources/`` and ``seeds/`` sit at the top of the repository and reach the
wheel only through hatchling's force-include mapping (``factmark/resources``,
``factmark/seeds``); a mistake there ships an app that cannot open a project.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from collections.abc import Iterator
from importlib.util import find_spec
from pathlib import Path

import pytest

from factmark import __version__

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Iterator[zipfile.ZipFile]:
    """The wheel ``pip wheel`` builds from the checkout, opened."""
    out = tmp_path_factory.mktemp("wheel")
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out)]
    if find_spec("hatchling") is not None:
        # Offline and fast; without hatchling pip fetches it into an isolated env.
        command.append("--no-build-isolation")
    result = subprocess.run(
        [*command, str(REPO)], capture_output=True, text=True, timeout=300, cwd=out
    )
    assert result.returncode == 0, f"pip wheel failed:\n{result.stdout}\n{result.stderr}"
    built = list(out.glob("factmark-*.whl"))
    assert len(built) == 1, f"expected one factmark wheel in {out}, found {built}"
    with zipfile.ZipFile(built[0]) as archive:
        yield archive


def _data_files(folder: str) -> list[Path]:
    files = [p for p in (REPO / folder).rglob("*") if p.is_file()]
    assert files, f"{REPO / folder} is empty: nothing to check"
    return files


def test_wheel_holds_the_package(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    assert "factmark/__init__.py" in names
    assert "factmark/cli/__init__.py" in names
    assert "factmark/core/resources.py" in names
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]


def test_wheel_holds_resources_and_seeds(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    assert "factmark/resources/labels.json" in names
    assert "factmark/seeds/bakhmut-counterattack.txt" in names
    scripts = sorted((REPO / "seeds" / "scripts").glob("*.txt"))
    assert scripts, "seeds/scripts/ has no .txt files"
    missing = [
        f"factmark/{path.relative_to(REPO).as_posix()}"
        for path in _data_files("resources") + _data_files("seeds")
        if f"factmark/{path.relative_to(REPO).as_posix()}" not in names
    ]
    assert not missing, f"not in the wheel: {missing}"


def test_seed_files_are_byte_for_byte_the_same(wheel: zipfile.ZipFile) -> None:
    """No newline or encoding conversion: uk-kharkiv-crlf.txt must keep its CRLFs."""
    for path in _data_files("seeds"):
        name = f"factmark/{path.relative_to(REPO).as_posix()}"
        assert wheel.read(name) == path.read_bytes(), name


def test_wheel_metadata_has_the_version_and_the_command(wheel: zipfile.ZipFile) -> None:
    info = f"factmark-{__version__}.dist-info"
    metadata = wheel.read(f"{info}/METADATA").decode()
    assert f"\nVersion: {__version__}\n" in metadata
    entry_points = wheel.read(f"{info}/entry_points.txt").decode()
    assert "factmark = factmark.cli:main" in entry_points
