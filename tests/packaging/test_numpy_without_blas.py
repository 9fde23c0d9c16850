"""``packaging/build.py`` builds numpy without BLAS once, keeps it whole or not at all,
and says in one line why it could not.

The build itself (minutes of compiling) is what the bundle tests run; here pip is
replaced, so these tests take no time and need no network.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import platform
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]
VERSION = importlib.metadata.version("numpy")
# The interpreter and machine the cached build is made for (cpython-311-x86_64).
MADE_FOR = f"{sys.implementation.cache_tag}-{platform.machine()}"


def fake_pip(calls: list[list[str]], *, fail_at: str = "") -> object:
    """A stand-in for subprocess.run that records pip's commands and makes what pip would."""

    def run(command: list[str], check: bool) -> subprocess.CompletedProcess[str]:
        calls.append(command)
        step = "wheel" if "wheel" in command else "install"
        if step == "wheel" and fail_at != "wheel":
            wheels = Path(command[command.index("--wheel-dir") + 1])
            wheels.mkdir(parents=True, exist_ok=True)
            (wheels / f"numpy-{VERSION}-cp311-cp311-linux_x86_64.whl").write_bytes(b"")
        elif step == "install":
            target = Path(command[command.index("--target") + 1])
            (target / "numpy").mkdir(parents=True)  # a failing install stops half-way
        if step == fail_at:
            raise subprocess.CalledProcessError(1, command)
        return subprocess.CompletedProcess(command, 0)

    return run


def test_built_once_without_blas_then_reused(
    build: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[list[str]] = []
    monkeypatch.setattr(build.subprocess, "run", fake_pip(calls))
    folder = build.numpy_without_blas(tmp_path)
    assert folder == tmp_path / f"numpy-{VERSION}-{MADE_FOR}-noblas-nodispatch"
    assert (folder / "numpy").is_dir()
    wheel = calls[0]
    assert f"numpy=={VERSION}" in wheel
    assert wheel[wheel.index("--no-binary") + 1] == "numpy"
    for option in ("-Dallow-noblas=true", "-Dblas=none", "-Dlapack=none", "-Dcpu-dispatch=none"):
        assert f"--config-settings=setup-args={option}" in wheel
    assert len(calls) == 2
    assert build.numpy_without_blas(tmp_path) == folder
    assert len(calls) == 2  # the second build reuses the first's


@pytest.mark.parametrize("fail_at", ["wheel", "install"])
def test_a_failed_build_says_why_in_one_line_and_leaves_nothing_taken_for_whole(
    build: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fail_at: str
) -> None:
    calls: list[list[str]] = []
    monkeypatch.setattr(build.subprocess, "run", fake_pip(calls, fail_at=fail_at))
    with pytest.raises(SystemExit) as stopped:
        build.numpy_without_blas(tmp_path)
    message = str(stopped.value)
    assert "\n" not in message
    assert message.startswith(f"build.py: numpy {VERSION} could not be built without BLAS")
    assert "C and C++ compiler" in message
    assert not (tmp_path / f"numpy-{VERSION}-{MADE_FOR}-noblas-nodispatch").exists()


def test_a_build_for_another_python_is_not_taken_for_this_ones(
    build: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cache shared by two Pythons (a 3.12 venv's build beside it, its wheel too): this
    Python builds its own, and pip's wheel folder holds only this Python's wheel."""
    other = tmp_path / f"numpy-{VERSION}-cpython-312-{platform.machine()}-noblas-nodispatch"
    (other / "numpy").mkdir(parents=True)
    other_wheels = tmp_path / f"wheels-cpython-312-{platform.machine()}-noblas-nodispatch"
    other_wheels.mkdir()
    (other_wheels / f"numpy-{VERSION}-cp312-cp312-linux_x86_64.whl").write_bytes(b"")
    calls: list[list[str]] = []
    monkeypatch.setattr(build.subprocess, "run", fake_pip(calls))
    folder = build.numpy_without_blas(tmp_path)
    assert folder == tmp_path / f"numpy-{VERSION}-{MADE_FOR}-noblas-nodispatch"
    assert len(calls) == 2  # built, and installed from this Python's wheel alone


def test_a_build_made_with_other_options_is_not_taken_for_this_ones(
    build: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache of a build made before numpy's loops for newer processors were left out
    (its name ends in -noblas) stays beside this one's and is not reused."""
    before = tmp_path / f"numpy-{VERSION}-{MADE_FOR}-noblas"
    (before / "numpy").mkdir(parents=True)
    calls: list[list[str]] = []
    monkeypatch.setattr(build.subprocess, "run", fake_pip(calls))
    assert build.numpy_without_blas(tmp_path) != before
    assert len(calls) == 2
