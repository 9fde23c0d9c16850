"""The per-user data and config folders are those platformdirs gives, though a start on
Linux works them out without importing it (core.workspace.user_dir)."""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import platformdirs
import pytest

from factmark.core.preferences import config_dir
from factmark.core.workspace import APP_NAME, data_dir

# Each variable unset (None), empty, blank, relative, with a tilde, absolute with
# trailing or doubled slashes, the root, and names outside ASCII (CJK, Arabic, emoji).
XDG_VALUES = (
    None,
    "",
    "  ",
    "relative/data",
    "~/data",
    "/srv/data",
    "/srv/data/",
    "//srv//data",
    "/",
    "/home/数据/بيانات 📁",
)
HOME_VALUES = (None, "", "relative", "/home/user", "/home/user/", "/", "/home/用户 ☕")


@pytest.mark.parametrize(("xdg", "home"), list(itertools.product(XDG_VALUES, HOME_VALUES)))
def test_folders_are_platformdirs_own(
    monkeypatch: pytest.MonkeyPatch, xdg: str | None, home: str | None
) -> None:
    for variable in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "HOME", "ANDROID_DATA", "ANDROID_ROOT"):
        monkeypatch.delenv(variable, raising=False)
    if home is not None:
        monkeypatch.setenv("HOME", home)
    if xdg is not None:
        monkeypatch.setenv("XDG_DATA_HOME", xdg)
        monkeypatch.setenv("XDG_CONFIG_HOME", xdg)
    assert data_dir() == Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    assert config_dir() == Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def test_a_start_does_not_import_platformdirs(monkeypatch: pytest.MonkeyPatch) -> None:
    """On Linux with an absolute home (or XDG folders) the folders come without it."""
    if sys.platform != "linux":
        pytest.skip("only Linux is worked out without platformdirs")
    monkeypatch.setenv("HOME", "/home/user")
    for variable in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "ANDROID_DATA", "ANDROID_ROOT"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.delitem(sys.modules, "platformdirs")
    monkeypatch.setattr(sys, "meta_path", [_Refuse("platformdirs"), *sys.meta_path])
    assert data_dir() == Path("/home/user/.local/share/Factmark")
    assert config_dir() == Path("/home/user/.config/Factmark")


class _Refuse:
    """An import finder that fails the import of one module."""

    def __init__(self, name: str) -> None:
        self.name = name

    def find_spec(self, name: str, path: object, target: object = None) -> None:
        if name == self.name:
            raise AssertionError(f"{name} imported")
