"""packaging/icu_data.py reads and writes ICU's common data package as icupkg does.

The oracle is the PySide6 wheel's own ``libicudata``: a package written from every item
it holds is its data byte for byte, and the smaller package holds exactly the items the
trim keeps, each unchanged. What the smaller library answers Qt is the bundle tests'
business (``test_bundle.py``: the same answers as the wheel's ICU).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "packaging"))
import icu_data  # noqa: E402  (packaging/ is not a package)

QT_LIB = Path(pytest.importorskip("PySide6").__file__).parent / "Qt" / "lib"
WHEEL_ICU = sorted(QT_LIB.glob("libicudata.so.*"))

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or not WHEEL_ICU,
    reason="only the Linux PySide6 wheel bundles ICU's data library",
)


def wheel_package() -> bytes:
    raw = WHEEL_ICU[0].read_bytes()
    _symbol, offset, size = icu_data.data_symbol(raw)
    return raw[offset : offset + size]


def test_every_item_packed_again_is_the_wheels_data() -> None:
    package = wheel_package()
    header, entries = icu_data.items(package)
    assert len(entries) > 3000
    assert icu_data.pack(header, entries) == package


def test_the_trim_keeps_what_qt_asks_for_and_nothing_of_the_rest() -> None:
    _header, entries = icu_data.items(wheel_package())
    kept = {name.partition("/")[2] for name, _data in entries if icu_data.kept(name)}
    gone = {name.partition("/")[2] for name, _data in entries} - kept
    # Collation (root and tailorings), converters and their aliases, the root locale,
    # supplemental and time zone data, normalization.
    for item in (
        "coll/ucadata.icu",
        "coll/de.res",
        "coll/zh.res",
        "cnvalias.icu",
        "ibm-943_P15A-2003.cnv",
        "gb18030.cnv",
        "root.res",
        "pool.res",
        "supplementalData.res",
        "likelySubtags.res",
        "zoneinfo64.res",
        "nfkc.nrm",
        "ulayout.icu",
    ):
        assert item in kept, item
    for item in (
        "de.res",
        "ar_SA.res",
        "zh_Hant_TW.res",
        "brkitr/cjdict.dict",
        "brkitr/line.brk",
        "lang/de.res",
        "curr/de.res",
        "zone/de.res",
        "unit/de.res",
        "region/de.res",
        "translit/root.res",
        "rbnf/de.res",
        "unames.icu",
        "confusables.cfu",
        "rfc3491.spp",
        "uts46.nrm",
    ):
        assert item in gone, item
    assert not {name for name in kept if name.split("/")[0] in icu_data.UNUSED_TREES}


def test_the_smaller_library_holds_the_kept_items_unchanged(tmp_path: Path) -> None:
    if shutil.which("as") is None or shutil.which("ld") is None:
        pytest.skip("binutils (as, ld) is not installed")
    smaller = tmp_path / WHEEL_ICU[0].name
    before, after = icu_data.trim_library(WHEEL_ICU[0], smaller)
    header, entries = icu_data.items(wheel_package())
    raw = smaller.read_bytes()
    symbol, offset, size = icu_data.data_symbol(raw)
    assert symbol == "icudt" + WHEEL_ICU[0].name.rpartition(".")[2] + "_dat"
    assert offset % 16 == 0
    kept_header, kept_entries = icu_data.items(raw[offset : offset + size])
    assert kept_header == header
    assert kept_entries == [entry for entry in entries if icu_data.kept(entry[0])]
    assert (before, after) == (len(entries), len(kept_entries))
    assert len(raw) < WHEEL_ICU[0].stat().st_size / 2
