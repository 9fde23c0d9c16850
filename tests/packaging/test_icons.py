"""The Windows and macOS icons ``packaging/icons.py`` renders from the SVG read back.

They are only used on Windows and macOS builds, so they are checked here, where
the Linux CI can: Qt reads each file back and finds every size.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtGui import QImageReader
from tests.packaging.conftest import packaging_module

REPO = Path(__file__).resolve().parents[2]
SVG = REPO / "resources" / "icons" / "factmark.svg"


@pytest.fixture(scope="module")
def icons() -> ModuleType:
    """``packaging/icons.py``, loaded from its file (``packaging`` is not a package)."""
    return packaging_module("icons")


def sizes_read_back(path: Path) -> list[int]:
    reader = QImageReader(str(path))
    found = []
    for index in range(reader.imageCount()):
        assert reader.jumpToImage(index), reader.errorString()
        image = reader.read()
        assert not image.isNull(), reader.errorString()
        assert image.width() == image.height()
        found.append(image.width())
    return found


def test_ico_holds_every_size(icons: ModuleType, tmp_path: Path) -> None:
    ico = icons.write_icon(SVG, tmp_path / "factmark.ico")
    assert sizes_read_back(ico) == list(icons.ICO_SIZES)


def test_icns_holds_every_size(icons: ModuleType, tmp_path: Path) -> None:
    icns = icons.write_icon(SVG, tmp_path / "factmark.icns")
    data = icns.read_bytes()
    assert data[:4] == b"icns" and int.from_bytes(data[4:8], "big") == len(data)
    assert sizes_read_back(icns) == [size for _kind, size in icons.ICNS_ENTRIES]


def test_rendered_icon_is_not_blank(icons: ModuleType) -> None:
    from PySide6.QtGui import QImage

    image = QImage.fromData(icons.render_png(SVG, 64), "PNG")
    assert image.size().width() == 64
    colours = {image.pixel(x, y) for x in range(0, 64, 4) for y in range(0, 64, 4)}
    assert len(colours) > 3  # transparent corners, the page, its lines and the label colours


def test_only_ico_and_icns(icons: ModuleType, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"only \.ico and \.icns"):
        icons.write_icon(SVG, tmp_path / "factmark.png")
