"""Build the Factmark desktop app and, on Linux, its .tar.gz and .deb: one command.

    python packaging/build.py [--out DIR] [--work DIR] [--cache DIR] [--fast]

Run it with the Python that has Factmark's dependencies and PyInstaller
installed (``pip install -e '.[test]'``). It

1. renders the Windows ``.ico`` or macOS ``.icns`` icon from
   ``resources/icons/factmark.svg`` (see ``packaging/icons.py``);
2. on Linux, builds the installed numpy's version without BLAS (see
   ``numpy_without_blas``: once per numpy version and Python, into ``CACHE``, a few minutes);
3. runs PyInstaller with ``build.spec``: ``OUT/Factmark/`` (and ``OUT/Factmark.app``
   on macOS), intermediate files under ``WORK``;
4. on Linux, packs ``OUT/factmark-VERSION-linux-ARCH.tar.gz`` of that folder and,
   when ``dpkg-deb`` is installed, ``OUT/factmark_VERSION_ARCH.deb``.

The Windows installer (``packaging/windows/factmark.iss``) and the macOS disk
image (``packaging/macos/make-dmg.sh``) are made from ``OUT`` afterwards; see
``docs/installers.md``.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

PACKAGING = Path(__file__).resolve().parent
REPO = PACKAGING.parent
SPEC = REPO / "build.spec"
SVG_ICON = REPO / "resources" / "icons" / "factmark.svg"
INSTALL_DIR = "/opt/factmark"

MAINTAINER = "Factmark maintainers <factmark@example.org>"
# What the bundle loads from the system, by Debian/Ubuntu package name (the same
# names on Debian 12 and Ubuntu 22.04/24.04). PyInstaller never bundles the C
# library, the GL/EGL drivers, libxcb or the Wayland client libraries, and
# build.spec leaves the rest of these to the system (SYSTEM_LIBRARIES there);
# so all of them are listed (libqxcb.so, libQt6XcbQpa.so.6, libQt6Gui.so.6,
# libQt6Core.so.6 and Python's modules link them). libc6's and libstdc++6's
# minimum versions are the build machine's, added by `depends()`.
DEPENDS = (
    "libegl1",
    "libgl1",
    "libfontconfig1",
    "libfreetype6",
    "libdbus-1-3",
    "tzdata",  # pytz's time zones (packaging/system_tzdata.py)
    # Ubuntu 24.04 renamed it (the 64-bit time transition); Debian 12 and Ubuntu 22.04 not.
    "libglib2.0-0t64 | libglib2.0-0",
    "libx11-6",
    "libx11-xcb1",
    "libxcb1",
    "libxcb-cursor0",
    "libxcb-glx0",
    "libxcb-icccm4",
    "libxcb-image0",
    "libxcb-keysyms1",
    "libxcb-randr0",
    "libxcb-render0",
    "libxcb-render-util0",
    "libxcb-shape0",
    "libxcb-shm0",
    "libxcb-sync1",
    "libxcb-util1",
    "libxcb-xfixes0",
    "libxcb-xkb1",
    "libxkbcommon0",
    "libxkbcommon-x11-0",
    "libwayland-client0",
    "libwayland-cursor0",
    "libwayland-egl1",
    "libgcc-s1",
    "zlib1g",
    "libzstd1",
    "liblzma5",
    "libbz2-1.0",
    "libffi8",
    "libuuid1",
)
# numpy's build options for the bundle (see numpy_without_blas): no BLAS, no LAPACK, and
# no extra copies of its loops for newer processors than the baseline (x86-64-v2 on x86).
NUMPY_WITHOUT_BLAS = ("-Dallow-noblas=true", "-Dblas=none", "-Dlapack=none", "-Dcpu-dispatch=none")
# Names the cached build: a build made with other options is another one.
NUMPY_BUILD = "noblas-nodispatch"
DESCRIPTION = """\
offline annotation of news articles for fact-checking corpora
 Factmark is a desktop tool for fact-checkers: import articles (text, saved
 web pages, Word files, JSONL), mark claims, sources, locations and numbers,
 and export training corpora (JSONL, doccano, Label Studio, brat, CoNLL, spaCy).
 .
 Projects live in each user's data folder (~/.local/share/Factmark), never
 under /opt/factmark: upgrading or removing the package leaves them alone.
"""


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    out, work = args.out.resolve(), args.work.resolve()
    version = read_version()
    icon = make_icon(work)
    numpy = numpy_without_blas(args.cache.resolve()) if sys.platform.startswith("linux") else None
    bundle = run_pyinstaller(out, work, icon, numpy)
    made = [bundle]
    if sys.platform.startswith("linux"):
        made.append(make_tarball(bundle, out, version, fast=args.fast))
        if shutil.which("dpkg-deb"):
            made.append(make_deb(bundle, out, work, version, args.maintainer, fast=args.fast))
        else:
            print("build.py: dpkg-deb is not installed; no .deb made", file=sys.stderr)
    for path in made:
        print(f"{path}  {size_mib(path):.1f} MiB")
    return 0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python packaging/build.py",
        description="Build the Factmark app with PyInstaller, and its .tar.gz and .deb on Linux.",
    )
    parser.add_argument(
        "--out", type=Path, default=REPO / "dist", help="output folder (default: dist/)"
    )
    parser.add_argument(
        "--work",
        type=Path,
        default=REPO / "build",
        help="intermediate files, kept to speed up the next build (default: build/)",
    )
    parser.add_argument(
        "--fast",
        action="store_true",
        help="compress the .tar.gz and .deb quickly rather than small (for tests)",
    )
    parser.add_argument(
        "--cache",
        type=Path,
        default=Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "factmark-build",
        help="numpy built without BLAS, kept between builds (default: ~/.cache/factmark-build)",
    )
    parser.add_argument(
        "--maintainer", default=MAINTAINER, help=f"the .deb's Maintainer (default: {MAINTAINER})"
    )
    return parser.parse_args(argv)


def read_version() -> str:
    """``factmark.__version__`` from the checkout's source (the one build.spec bundles)."""
    source = (REPO / "desktop" / "factmark" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__\s*=\s*["\']([^"\']+)["\']', source, re.MULTILINE)
    if not match:
        raise SystemExit("build.py: no __version__ in desktop/factmark/__init__.py")
    return match.group(1)


def make_icon(work: Path) -> Path | None:
    """The icon the executable and installer show on Windows or macOS (None elsewhere)."""
    suffix = {"win32": ".ico", "darwin": ".icns"}.get(sys.platform)
    if suffix is None:
        return None
    sys.path.insert(0, str(PACKAGING))
    from icons import write_icon

    return write_icon(SVG_ICON, work / "icons" / f"factmark{suffix}")


def numpy_without_blas(cache: Path) -> Path:
    """A folder holding the installed numpy's version built without BLAS and LAPACK,
    for PyInstaller to bundle instead of the installed wheel's; built once per numpy
    version and Python.

    numpy's Linux wheels carry OpenBLAS (24 MiB, with libgfortran 27 MiB) and their
    core links it, but Factmark never calls it: agreement, krippendorff and bm25s use
    numpy's sorting, counting, searching and element-wise arithmetic, never a matrix
    product or linear algebra. Built with ``allow-noblas``, numpy keeps every function
    (its own loops stand in for BLAS). Without ``cpu-dispatch`` its core holds its loops
    once, for the baseline processor, instead of again for AVX2 and three AVX-512 levels
    (4.4 MiB against 9.6): ``agree`` takes the same processor time with either.
    Needs a C and C++ compiler and a few minutes.
    """
    version = importlib.metadata.version("numpy")
    # Kept per numpy version and per interpreter and machine: a build made for another
    # Python (cpython-312) or processor does not import in this one.
    made_for = f"{sys.implementation.cache_tag}-{platform.machine()}"
    folder = cache / f"numpy-{version}-{made_for}-{NUMPY_BUILD}"
    if (folder / "numpy").is_dir():
        return folder
    wheels = cache / f"wheels-{made_for}-{NUMPY_BUILD}"
    partial = folder.with_name(f"{folder.name}.partial")
    shutil.rmtree(partial, ignore_errors=True)
    options = [f"--config-settings=setup-args={option}" for option in NUMPY_WITHOUT_BLAS]
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet"]
    try:
        subprocess.run(
            [
                *pip,
                "wheel",
                "--no-deps",
                "--no-binary",
                "numpy",
                "--no-cache-dir",
                "--wheel-dir",
                str(wheels),
                *options,
                f"numpy=={version}",
            ],
            check=True,
        )
        (wheel,) = wheels.glob(f"numpy-{version}-*.whl")
        subprocess.run(
            [*pip, "install", "--no-deps", "--no-compile", "--target", str(partial), str(wheel)],
            check=True,
        )
    except (OSError, ValueError, subprocess.CalledProcessError) as error:
        raise SystemExit(
            f"build.py: numpy {version} could not be built without BLAS ({error}); "
            "it needs a C and C++ compiler and Python's headers"
        ) from None
    partial.rename(folder)  # whole or not there: an interrupted build starts again
    return folder


def run_pyinstaller(out: Path, work: Path, icon: Path | None, numpy: Path | None) -> Path:
    """Build ``out/Factmark`` with build.spec, with ``numpy`` (a folder holding numpy)
    found before the installed one; returns that folder."""
    work.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        str(SPEC),
        "--noconfirm",
        "--log-level=WARN",
        "--distpath",
        str(out),
        "--workpath",
        str(work),
    ]
    if icon:
        command += ["--", "--icon", str(icon)]
    env = dict(os.environ)
    if numpy:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(numpy), env.get("PYTHONPATH")]))
    subprocess.run(command, check=True, cwd=work, env=env)
    return out / "Factmark"


def make_tarball(bundle: Path, out: Path, version: str, *, fast: bool) -> Path:
    """``factmark-VERSION-linux-ARCH.tar.gz``: the ``Factmark/`` folder, owned by root."""
    target = out / f"factmark-{version}-linux-{platform.machine()}.tar.gz"

    def root_owned(member: tarfile.TarInfo) -> tarfile.TarInfo:
        member.uid = member.gid = 0
        member.uname = member.gname = "root"
        return member

    with tarfile.open(target, "w:gz", compresslevel=1 if fast else 6) as tar:
        tar.add(bundle, arcname=bundle.name, filter=root_owned)
    return target


def make_deb(
    bundle: Path, out: Path, work: Path, version: str, maintainer: str, *, fast: bool
) -> Path:
    """``factmark_VERSION_ARCH.deb``: the folder under /opt/factmark, a command, a menu entry.

    No maintainer scripts: dpkg itself replaces /opt/factmark on upgrade and
    removes it on removal, and touches nothing else. shared-mime-info,
    desktop-file-utils and hicolor-icon-theme refresh their caches through
    their own dpkg triggers.
    """
    arch = dpkg_architecture()
    root = work / "deb" / "root"
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(bundle, root / INSTALL_DIR.lstrip("/"), symlinks=True)
    usr = root / "usr"
    (usr / "bin").mkdir(parents=True)
    # What people type is the command line (the console program; with no
    # command it opens the window); the menu entry starts the windowed one.
    (usr / "bin" / "factmark").symlink_to(f"{INSTALL_DIR}/factmark-debug")
    for source, folder in (
        (PACKAGING / "linux" / "factmark.desktop", "share/applications"),
        (PACKAGING / "linux" / "factmark.xml", "share/mime/packages"),
        (SVG_ICON, "share/icons/hicolor/scalable/apps"),
    ):
        (usr / folder).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, usr / folder / source.name)
    normalise_modes(root)
    sums, size = md5sums(root), installed_size_kib(root)

    control = root / "DEBIAN"
    control.mkdir(mode=0o755)
    fields = {
        "Package": "factmark",
        "Version": debian_version(version),
        "Architecture": arch,
        "Maintainer": maintainer,
        "Installed-Size": str(size),
        "Depends": ", ".join(depends()),
        "Section": "text",
        "Priority": "optional",
        "Description": DESCRIPTION.rstrip("\n"),
    }
    (control / "control").write_text(
        "".join(f"{name}: {value}\n" for name, value in fields.items()), encoding="utf-8"
    )
    (control / "md5sums").write_text(sums, encoding="utf-8")
    for path in control.iterdir():
        path.chmod(0o644)

    target = out / f"factmark_{debian_version(version)}_{arch}.deb"
    # Released: xz at its highest level, 1.5 MiB (3%) smaller than dpkg-deb's default
    # (level 6) for a fifth more time; installing needs 65 MiB of memory to unpack it.
    compression = ["-Zgzip", "-z1"] if fast else ["-Zxz", "-z9"]
    subprocess.run(
        ["dpkg-deb", "--build", "--root-owner-group", *compression, str(root), str(target)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    shutil.rmtree(root)
    return target


def dpkg_architecture() -> str:
    result = subprocess.run(
        ["dpkg", "--print-architecture"], check=True, capture_output=True, text=True
    )
    return result.stdout.strip()


def depends() -> list[str]:
    """The Depends list: the C library and the C++ runtime at least as new as the build
    machine's, then DEPENDS."""
    libc, libc_version = platform.libc_ver()
    if libc != "glibc" or not libc_version:
        raise SystemExit("build.py: the .deb is built on a glibc system (Debian, Ubuntu)")
    return [
        f"libc6 (>= {libc_version})",
        f"libstdc++6 (>= {installed_version('libstdc++6')})",
        *DEPENDS,
    ]


def installed_version(package: str) -> str:
    """The upstream version of an installed Debian package (``12.2.0`` of ``12.2.0-14``)."""
    try:
        result = subprocess.run(
            ["dpkg-query", "--show", "--showformat=${Version}", package],
            check=True,
            capture_output=True,
            text=True,
        )
    except (OSError, subprocess.CalledProcessError):
        raise SystemExit(
            f"build.py: {package} is not installed; the .deb is built where it is"
        ) from None
    return result.stdout.rpartition(":")[2].partition("-")[0]


def debian_version(version: str) -> str:
    """A PEP 440 version as dpkg orders it: ``1.0rc1`` becomes ``1.0~rc1``, before ``1.0``."""
    return re.sub(r"(?<=\d)\.?(a|b|rc|dev)(?=\d|$)", r"~\1", version)


def normalise_modes(root: Path) -> None:
    """rwxr-xr-x folders and programs, rw-r--r-- files, whatever the umask was."""
    for folder, dirs, files in os.walk(root):
        for name in dirs:
            path = Path(folder, name)
            if not path.is_symlink():
                path.chmod(0o755)
        for name in files:
            path = Path(folder, name)
            if not path.is_symlink():
                path.chmod(0o755 if path.stat().st_mode & 0o111 else 0o644)
    root.chmod(0o755)


def installed_size_kib(root: Path) -> int:
    """Installed-Size as dpkg-gencontrol counts it: KiB per file, rounded up, 1 per entry else."""
    total = 0
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink():
            total += -(-path.stat().st_size // 1024)
        else:
            total += 1
    return total


def md5sums(root: Path) -> str:
    """DEBIAN/md5sums: lets ``dpkg --verify factmark`` check the installed files."""
    lines = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            digest = hashlib.md5(path.read_bytes(), usedforsecurity=False).hexdigest()
            lines.append(f"{digest}  {path.relative_to(root).as_posix()}\n")
    return "".join(lines)


def size_mib(path: Path) -> float:
    """A file's size, or the total of a folder's files (symbolic links not followed), in MiB."""
    files = [p for p in path.rglob("*") if p.is_file() and not p.is_symlink()] or [path]
    return sum(p.stat().st_size for p in files) / 2**20


if __name__ == "__main__":
    sys.exit(main())
