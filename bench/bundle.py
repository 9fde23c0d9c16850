"""The size of the installed app beside its targets: the bundle folder, the .deb, the .tar.gz.

    python packaging/build.py && python bench/bundle.py     # dist/ by default
    python bench/bundle.py --dist DIR                       # another build's output

Reads what ``packaging/build.py`` wrote: ``Factmark/`` (every file, symbolic links
counted once as links, as a package stores them) and, on Linux, the .deb and the
.tar.gz, then lists what takes the space in the folder. Targets (issue 17): the
folder under 100 MiB, the .deb under 40 MiB. A .deb built with ``--fast`` (as the
packaging tests build it) is compressed with gzip instead of xz and is larger
than the one users download; the table says which compression it has.
``bench/run.py`` prints this table after its own when ``dist/Factmark`` exists.
Sizes are measurements, not tests: the packaging tests hold the limits.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MIB = 2**20
TARGETS = {"bundle": 100, "deb": 40}  # MiB
TOP = 12  # items listed in the breakdown


def folder_bytes(folder: Path) -> int:
    """The bytes of every file under ``folder``; a symbolic link counts as itself, not
    its target."""
    total = 0
    for root, _dirs, files in os.walk(folder):
        for name in files:
            total += os.lstat(os.path.join(root, name)).st_size
    return total


def breakdown(bundle: Path) -> list[tuple[int, str]]:
    """The biggest items of the bundle: the programs, each folder or library of
    ``_internal``, and Qt's libraries one by one."""
    internal = bundle / "_internal"
    items: list[tuple[int, str]] = []
    for path in [*bundle.iterdir(), *(internal.iterdir() if internal.is_dir() else [])]:
        qt_libs = path / "Qt" / "lib"
        if path == internal:
            continue
        if path.name == "PySide6" and qt_libs.is_dir():
            items += [
                (os.lstat(lib).st_size, f"PySide6/Qt/lib/{lib.name}") for lib in qt_libs.iterdir()
            ]
            items.append((folder_bytes(path) - folder_bytes(qt_libs), "PySide6/ (the rest)"))
        elif path.is_dir() and not path.is_symlink():
            items.append((folder_bytes(path), f"{path.name}/"))
        else:
            items.append((os.lstat(path).st_size, path.name))
    return sorted(items, reverse=True)[:TOP]


def deb_compression(deb: Path) -> str:
    """How the .deb's files are compressed: its data member's suffix (``ar t``)."""
    try:
        members = subprocess.run(
            ["ar", "t", str(deb)], capture_output=True, text=True, check=True
        ).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        return "compression unknown"
    data = [m for m in members if m.startswith("data.tar")]
    suffix = data[0].removeprefix("data.tar").lstrip(".") if data else ""
    return {"xz": "xz, as released", "gz": "gzip: a --fast build"}.get(suffix, suffix or "none")


def rows(dist: Path) -> list[str]:
    bundle = dist / "Factmark"
    size = folder_bytes(bundle) / MIB
    lines = [
        "| installed size | measured | target | |",
        "| --- | --- | --- | --- |",
        _row(f"app folder ({bundle})", size, TARGETS["bundle"]),
    ]
    for deb in sorted(dist.glob("factmark_*.deb")):
        lines.append(
            _row(f"{deb.name} ({deb_compression(deb)})", deb.stat().st_size / MIB, TARGETS["deb"])
        )
    for tarball in sorted(dist.glob("factmark-*.tar.gz")):
        lines.append(f"| {tarball.name} | {tarball.stat().st_size / MIB:.1f} MiB | - | |")
    lines += ["", f"What takes the space in {bundle.name}/:", ""]
    lines += [f"  {item_size / MIB:7.1f} MiB  {name}" for item_size, name in breakdown(bundle)]
    return lines


def _row(what: str, mib: float, target: int) -> str:
    verdict = "under target" if mib < target else "OVER TARGET"
    return f"| {what} | {mib:.1f} MiB | < {target} MiB ({mib / target:.2f}x) | {verdict} |"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python bench/bundle.py", description=__doc__)
    parser.add_argument(
        "--dist", type=Path, default=REPO / "dist", help="packaging/build.py's output folder"
    )
    args = parser.parse_args(argv)
    if not (args.dist / "Factmark").is_dir():
        print(f"no {args.dist / 'Factmark'}: run python packaging/build.py first", file=sys.stderr)
        return 1
    print("\n".join(rows(args.dist)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
