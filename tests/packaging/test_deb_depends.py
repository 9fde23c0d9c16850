"""The .deb's Depends: the C library and the C++ runtime at least as new as the build
machine's (``packaging/build.py``'s ``depends``), and one clear line when it cannot say."""

from __future__ import annotations

import subprocess
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("installed", "upstream"),
    [("12.2.0-14", "12.2.0"), ("14-20240412-0ubuntu1", "14"), ("1:2.3.4-1~bpo12+1", "2.3.4")],
)
def test_the_upstream_version_of_an_installed_package(
    build: ModuleType, monkeypatch: pytest.MonkeyPatch, installed: str, upstream: str
) -> None:
    def dpkg_query(command: list[str], **_: object) -> subprocess.CompletedProcess[str]:
        assert command[0] == "dpkg-query" and command[-1] == "libstdc++6"
        return subprocess.CompletedProcess(command, 0, stdout=installed)

    monkeypatch.setattr(build.subprocess, "run", dpkg_query)
    assert build.installed_version("libstdc++6") == upstream
    assert build.depends()[1] == f"libstdc++6 (>= {upstream})"


def test_a_package_that_is_not_installed_stops_the_build_in_one_line(build: ModuleType) -> None:
    with pytest.raises(SystemExit) as stopped:
        build.installed_version("factmark-no-such-package")
    message = str(stopped.value)
    assert message.startswith("build.py: factmark-no-such-package is not installed")
    assert "\n" not in message
