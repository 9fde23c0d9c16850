"""One build of the desktop app, shared by every packaging test that needs it."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def build_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The output folder of ``python packaging/build.py --fast``, run once per session.

    It holds ``Factmark/`` (built with ``build.spec``) and, on Linux, the .tar.gz
    and (with dpkg-deb) the .deb. The build takes about half a minute, so the
    bundle tests and the installer tests share it; ``--fast`` compresses the
    archives in seconds instead of a minute.
    """
    root = tmp_path_factory.mktemp("installers")
    command = [
        sys.executable,
        str(REPO / "packaging" / "build.py"),
        "--out",
        str(root / "dist"),
        "--work",
        str(root / "build"),
        "--fast",
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=1200, cwd=root)
    assert result.returncode == 0, (
        f"packaging/build.py failed:\n{result.stdout}\n{result.stderr[-6000:]}"
    )
    shutil.rmtree(root / "build")  # intermediate files (tens of MB) the tests never read
    return root / "dist"


def packaging_module(name: str) -> ModuleType:
    """``packaging/NAME.py``, loaded from its file (``packaging`` is not a package)."""
    spec = importlib.util.spec_from_file_location(name, REPO / "packaging" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def build() -> ModuleType:
    """``packaging/build.py``, loaded afresh for each test (tests patch it)."""
    return packaging_module("build")
