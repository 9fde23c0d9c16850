"""A smaller ``libicudata`` for the Linux bundle: ICU's data less what Qt never asks for.

The PySide6 wheel's QtCore links ICU, whose data library (``libicudata.so.NN``, 31 MiB)
holds every ICU service's data. QtCore calls only collation (``ucol_*``: QCollator, the
file dialog's sorting), converters (``ucnv_*``: QStringConverter's encodings beyond
UTF-8/16/32 and Latin-1), the calendar (``ucal_open``/``ucal_close``: time zones) and
case mapping (``u_strToUpper``/``u_strToLower``); no Qt library Factmark bundles calls
anything else (``readelf --dyn-syms``: the ``_NN``-suffixed names they import). So the
data of the services nobody calls goes: line and word break rules and dictionaries
(``brkitr/``; Qt breaks text with its own tables), display names of languages,
regions, currencies, units and time zones, spelled-out numbers, transliteration,
character names, spoof checks, StringPrep and IDNA. What those four services read
stays whole: collation, converters, supplemental data, time zones, normalization and
properties. Of the locale bundles (``de.res``, ``ar_SA.res``…: dates, numbers and
names in each language, 2.9 MiB) only ``root.res`` stays: of the four services only
the calendar opens them, for a calendar of the locale's own kind, and Qt asks for a
Gregorian one (``UCAL_GREGORIAN``), whose week and era come from the supplemental
data; asked without them, ICU gives every answer the same, and only says it fell
back to the root locale (a warning, which Qt takes as success like the one it gives
for a locale it lacks).

ICU keeps its data as one "common data" package (``icudtNNl.dat``: a header, a table of
item names and offsets sorted by name, the items 16-byte aligned) exported by the
library as the symbol ``icudtNN_dat``. :func:`trim_library` reads that package out of
the wheel's library, writes a package of the kept items, and links it into a library of
the same name and symbol with binutils' ``as`` and ``ld`` (binutils is already a build
requirement: PyInstaller reads binaries with ``objdump``).

    python packaging/icu_data.py LIBRARY OUT     # OUT: the smaller library
"""

from __future__ import annotations

import re
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

# Item names are "icudtNNl/<tree>/<name>" or "icudtNNl/<name>".
UNUSED_TREES = ("brkitr", "curr", "lang", "region", "unit", "zone", "rbnf", "translit")
UNUSED_SUFFIXES = (".spp", ".cfu")  # StringPrep profiles, spoof-check confusables
UNUSED_ITEMS = ("unames.icu", "uts46.nrm")  # character names; IDNA (QUrl has its own)
_DATA_SYMBOL = re.compile(rb"icudt\d+_dat")
_ALIGN = 16
_PAD = b"\xaa"  # what icupkg pads with: a package of every item is the original


# A locale's bundle at the top of the package (``de.res``, ``zh_Hant_TW.res``); the
# supplemental data (``supplementalData.res``, ``pool.res``…) is named otherwise.
_LOCALE_BUNDLE = re.compile(r"[a-z]{2,3}(?:_[A-Za-z0-9]+)*\.res")


def kept(name: str) -> bool:
    """Whether the package item ``name`` (``icudt73l/coll/de.res``) stays."""
    path = name.partition("/")[2]
    tree, _, item = path.rpartition("/")
    return not (
        tree.split("/")[0] in UNUSED_TREES
        or item.endswith(UNUSED_SUFFIXES)
        or (not tree and (item in UNUSED_ITEMS or _LOCALE_BUNDLE.fullmatch(item) is not None))
    )


def data_symbol(library: bytes) -> tuple[str, int, int]:
    """The name, file offset and size of the ``icudtNN_dat`` symbol of an ELF64
    little-endian shared library."""
    if library[:6] != b"\x7fELF\x02\x01":
        raise SystemExit("icu_data.py: not a 64-bit little-endian ELF library")
    (shoff,) = struct.unpack_from("<Q", library, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", library, 0x3A)
    sections = [
        struct.unpack_from("<IIQQQQIIQQ", library, shoff + i * shentsize) for i in range(shnum)
    ]
    for _name, kind, _flags, _addr, offset, size, link, _info, _align, entsize in sections:
        if kind != 11:  # SHT_DYNSYM
            continue
        strings = sections[link][4]
        for at in range(offset, offset + size, entsize):
            name_at, _bind, _other, shndx, value, sym_size = struct.unpack_from(
                "<IBBHQQ", library, at
            )
            end = library.index(b"\0", strings + name_at)
            name = library[strings + name_at : end]
            if _DATA_SYMBOL.fullmatch(name):
                section = sections[shndx]
                return name.decode(), value - section[3] + section[4], sym_size
    raise SystemExit("icu_data.py: no icudtNN_dat symbol in the library")


def items(package: bytes) -> tuple[bytes, list[tuple[str, bytes]]]:
    """The header and the (name, data) items of an ICU common data package."""
    header_size, magic1, magic2 = struct.unpack_from("<HBB", package, 0)
    if (magic1, magic2) != (0xDA, 0x27) or package[12:16] != b"CmnD":
        raise SystemExit("icu_data.py: the data is not an ICU common data package")
    (count,) = struct.unpack_from("<I", package, header_size)
    toc = [struct.unpack_from("<II", package, header_size + 4 + 8 * i) for i in range(count)]
    ends = [data for _name, data in toc[1:]] + [len(package) - header_size]
    found = []
    for (name_at, data_at), end in zip(toc, ends, strict=True):
        name_end = package.index(b"\0", header_size + name_at)
        name = package[header_size + name_at : name_end].decode("ascii")
        found.append((name, package[header_size + data_at : header_size + end]))
    return package[:header_size], found


def pack(header: bytes, entries: list[tuple[str, bytes]]) -> bytes:
    """A common data package of ``entries`` (kept in their order: sorted by name, as
    ICU's binary search needs), each item 16-byte aligned."""
    names = b"".join(name.encode("ascii") + b"\0" for name, _data in entries)
    toc_size = 4 + 8 * len(entries)
    data_at = _aligned(toc_size + len(names))
    toc, body, name_at = [struct.pack("<I", len(entries))], [], toc_size
    for name, data in entries:
        toc.append(struct.pack("<II", name_at, data_at))
        name_at += len(name) + 1
        padded = data + _PAD * (_aligned(len(data)) - len(data))
        body.append(padded)
        data_at += len(padded)
    table = b"".join(toc) + names
    return header + table + _PAD * (_aligned(len(table)) - len(table)) + b"".join(body)


def _aligned(size: int) -> int:
    return -(-size // _ALIGN) * _ALIGN


def trim_library(library: Path, out: Path) -> tuple[int, int]:
    """Write to ``out`` the library ``library`` with only the kept items; returns the
    number of items before and after."""
    raw = library.read_bytes()
    symbol, offset, size = data_symbol(raw)
    header, entries = items(raw[offset : offset + size])
    keep = [entry for entry in entries if kept(entry[0])]
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        (work / "data.dat").write_bytes(pack(header, keep))
        # %object, not @object: '@' starts a comment in ARM assembly.
        (work / "data.s").write_text(
            "\t.section .rodata\n"
            f"\t.balign {_ALIGN}\n"
            f"\t.globl {symbol}\n"
            f"\t.type {symbol}, %object\n"
            f"\t.size {symbol}, {(work / 'data.dat').stat().st_size}\n"
            f"{symbol}:\n"
            '\t.incbin "data.dat"\n'
            '\t.section .note.GNU-stack,"",%progbits\n',
            encoding="ascii",
        )
        subprocess.run(["as", "-o", "data.o", "data.s"], cwd=work, check=True)
        subprocess.run(
            ["ld", "-shared", "-soname", library.name, "-o", str(out.resolve()), "data.o"],
            cwd=work,
            check=True,
        )
    return len(entries), len(keep)


if __name__ == "__main__":
    before, after = trim_library(Path(sys.argv[1]), Path(sys.argv[2]))
    print(f"{sys.argv[2]}: {after} of {before} ICU data items")
