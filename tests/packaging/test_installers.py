"""The Linux packages ``packaging/build.py`` makes: the .deb and the .tar.gz.

The .deb is read with dpkg-deb (its file list, its control fields, that it has
no maintainer scripts) and unpacked, and the unpacked app runs its selftest;
the tarball holds the same ``Factmark/`` folder. The build is shared with
``test_bundle.py`` (``build_output`` in ``conftest.py``).
"""

from __future__ import annotations

import configparser
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import xml.etree.ElementTree as ET
from importlib.util import find_spec
from pathlib import Path

import pytest
from tests.packaging.test_bundle import BUNDLE_LIMIT_MIB, run

from factmark import __version__

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not sys.platform.startswith("linux"), reason="the .tar.gz and .deb are made on Linux only"
    ),
    pytest.mark.skipif(
        find_spec("PyInstaller") is None,
        reason="PyInstaller is not importable here; install it (pip install '.[test]') "
        "to build the packages",
    ),
]
needs_dpkg = pytest.mark.skipif(
    shutil.which("dpkg-deb") is None,
    reason="dpkg-deb is not installed (apt-get install dpkg), so build.py makes no .deb",
)

APP = "./opt/factmark"
# The .deb the tests build is compressed fast (gzip -1, ``build.py --fast``): 48.2 MiB for
# the 103 MiB folder on Linux x86-64. The released one (xz -9) is 33.2 MiB.
DEB_FAST_LIMIT_MIB = 52
MIME_NS = {"mime": "http://www.freedesktop.org/standards/shared-mime-info"}


@pytest.fixture(scope="module")
def deb(build_output: Path) -> Path:
    (package,) = build_output.glob("factmark_*.deb")
    return package


@pytest.fixture(scope="module")
def listing(deb: Path) -> dict[str, tuple[str, str]]:
    """``dpkg-deb -c``: each path with its mode string and owner (and '-> target' for links)."""
    out = dpkg_deb("-c", deb)
    entries = {}
    for line in out.splitlines():
        mode, owner, _size, _date, _time, rest = line.split(maxsplit=5)
        entries[rest] = (mode, owner)
    return entries


@pytest.fixture(scope="module")
def unpacked(deb: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The package's files unpacked with ``dpkg-deb -x`` (as installing would lay them out)."""
    root = tmp_path_factory.mktemp("deb-root")
    dpkg_deb("-x", deb, root)
    return root


def dpkg_deb(*args: str | Path) -> str:
    result = subprocess.run(
        ["dpkg-deb", *map(str, args)], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@needs_dpkg
def test_deb_installs_the_app_a_command_a_menu_entry_and_an_icon(
    listing: dict[str, tuple[str, str]],
) -> None:
    mode, _owner = listing[f"{APP}/Factmark"]
    assert mode == "-rwxr-xr-x", mode
    # The console program is the same one under another name (on Linux they were the same bytes).
    assert f"{APP}/factmark-debug -> Factmark" in listing
    # `factmark` on the PATH is the command line (the console program).
    assert "./usr/bin/factmark -> /opt/factmark/factmark-debug" in listing
    for path in (
        "./usr/share/applications/factmark.desktop",
        "./usr/share/icons/hicolor/scalable/apps/factmark.svg",
        "./usr/share/mime/packages/factmark.xml",
        f"{APP}/_internal/factmark/resources/labels.json",
        f"{APP}/_internal/factmark/seeds/bakhmut-counterattack.txt",
    ):
        assert path in listing, path
    assert {owner for _mode, owner in listing.values()} == {"root/root"}


@needs_dpkg
def test_deb_holds_the_built_folder_and_nothing_in_user_places(
    listing: dict[str, tuple[str, str]], build_output: Path
) -> None:
    """/opt/factmark is exactly the built folder; nothing under /home, /etc, /var, /root."""
    folder = build_output / "Factmark"
    built = {f"{APP}/{path.relative_to(folder).as_posix()}" for path in folder.rglob("*")}
    packaged = {
        path.partition(" -> ")[0].rstrip("/")  # folders are listed with a trailing slash
        for path in listing
        if path.startswith(f"{APP}/") and path != f"{APP}/"
    }
    assert packaged == built
    elsewhere = [
        path
        for path in listing
        if path not in ("./", "./opt/", "./usr/")
        and not path.startswith((f"{APP}/", "./usr/bin/", "./usr/share/"))
    ]
    assert elsewhere == []


@needs_dpkg
def test_deb_control_fields(deb: Path) -> None:
    names = ("Package", "Version", "Architecture", "Depends")
    fields = dict(line.split(": ", 1) for line in dpkg_deb("-f", deb, *names).splitlines())
    architecture = subprocess.run(
        ["dpkg", "--print-architecture"], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert fields["Package"] == "factmark"
    assert fields["Version"] == __version__
    assert fields["Architecture"] == architecture
    assert deb.name == f"factmark_{__version__}_{architecture}.deb"
    depends = [item.strip() for item in fields["Depends"].split(",")]
    assert re.fullmatch(r"libc6 \(>= \d+\.\d+\)", depends[0]), depends[0]
    assert re.fullmatch(r"libstdc\+\+6 \(>= \d+(\.\d+)+\)", depends[1]), depends[1]
    # What Qt's xcb platform plugin and QtGui load from the system.
    for library in ("libegl1", "libxcb-cursor0", "libxkbcommon-x11-0", "libfontconfig1", "zlib1g"):
        assert library in depends, library
    for name in ("Maintainer", "Description", "Installed-Size"):
        assert dpkg_deb("-f", deb, name).strip(), f"no {name} field"


@needs_dpkg
def test_deb_size(deb: Path) -> None:
    assert deb.stat().st_size / 2**20 < DEB_FAST_LIMIT_MIB, f"{deb.stat().st_size / 2**20:.1f} MiB"
    installed_kib = int(dpkg_deb("-f", deb, "Installed-Size"))
    assert installed_kib / 1024 < BUNDLE_LIMIT_MIB + 1  # the folder, a menu entry, an icon


@needs_dpkg
def test_deb_runs_no_maintainer_scripts(deb: Path, tmp_path: Path) -> None:
    """No preinst/postinst/prerm/postrm: upgrading or removing never touches user data."""
    dpkg_deb("-e", deb, tmp_path / "control")
    assert sorted(p.name for p in (tmp_path / "control").iterdir()) == ["control", "md5sums"]


@needs_dpkg
def test_desktop_entry_opens_the_window_and_project_files(unpacked: Path) -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    entry.read(unpacked / "usr/share/applications/factmark.desktop", encoding="utf-8")
    desktop = entry["Desktop Entry"]
    program, *arguments = desktop["Exec"].split()
    assert program == "/opt/factmark/Factmark"
    assert (unpacked / program.lstrip("/")).is_file()
    assert arguments == ["gui", "%f"]
    assert desktop["Icon"] == "factmark"
    assert desktop["Categories"] == "Office;Education;"
    (mime_type,) = filter(None, desktop["MimeType"].split(";"))

    declared = ET.parse(unpacked / "usr/share/mime/packages/factmark.xml").getroot()
    (node,) = declared.findall("mime:mime-type", MIME_NS)
    assert node.get("type") == mime_type
    assert node.find("mime:glob", MIME_NS).get("pattern") == "*.factmark"  # type: ignore[union-attr]


@needs_dpkg
def test_unpacked_deb_app_runs_its_selftest(unpacked: Path, tmp_path: Path) -> None:
    program = unpacked / "opt/factmark/factmark-debug"
    version = run([program, "--version"], tmp_path)
    assert version.returncode == 0, version.stderr
    assert version.stdout.strip() == f"factmark {__version__}"
    selftest = run([program, "selftest"], tmp_path)
    assert selftest.returncode == 0, selftest.stdout + selftest.stderr
    assert selftest.stdout.startswith("selftest ok:"), selftest.stdout


def test_tarball_holds_the_factmark_folder(build_output: Path) -> None:
    tarball = build_output / f"factmark-{__version__}-linux-{platform.machine()}.tar.gz"
    folder = build_output / "Factmark"
    with tarfile.open(tarball) as archive:
        members = {member.name: member for member in archive.getmembers()}
    built = {"Factmark"} | {
        f"Factmark/{path.relative_to(folder).as_posix()}" for path in folder.rglob("*")
    }
    assert set(members) == built
    program = members["Factmark/Factmark"]
    assert program.isfile() and program.mode == 0o755
    debug = members["Factmark/factmark-debug"]
    assert debug.issym() and debug.linkname == "Factmark"
    links = [path for path in folder.rglob("*") if path.is_symlink()]
    for link in links:
        assert members[f"Factmark/{link.relative_to(folder).as_posix()}"].issym(), link
    assert {(member.uname, member.gname) for member in members.values()} == {("root", "root")}
