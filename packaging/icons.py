"""Windows ``.ico`` and macOS ``.icns`` icons rendered from ``resources/icons/factmark.svg``.

Qt can write both formats, but only one image per file; Windows and macOS pick
the size they show (16 px in a list, 256 px or more in a large view) from a set,
and scale a single image badly. Both formats allow PNG images inside (ICO since
Windows Vista, ICNS since OS X 10.7), so each file here is a small header over
one PNG per size, rendered by Qt's SVG renderer. Nothing is committed: the build
writes them to its work folder (see ``packaging/build.py``).
"""

from __future__ import annotations

import struct
from pathlib import Path

ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# Type codes of the PNG entries of an .icns file (what iconutil writes for an iconset).
ICNS_ENTRIES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"ic11", 32),  # 16 px at 2x
    (b"ic12", 64),  # 32 px at 2x
    (b"ic07", 128),
    (b"ic13", 256),  # 128 px at 2x
    (b"ic08", 256),
    (b"ic14", 512),  # 256 px at 2x
    (b"ic09", 512),
    (b"ic10", 1024),  # 512 px at 2x
)


def render_png(svg: Path, size: int) -> bytes:
    """The SVG drawn on a transparent ``size`` x ``size`` image, as PNG bytes."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"{svg}: not an SVG image Qt can draw")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise RuntimeError("Qt could not encode a PNG image")
    buffer.close()
    return bytes(data.data())


def ico_bytes(svg: Path) -> bytes:
    """A Windows icon: ICONDIR, one ICONDIRENTRY per size, then the PNG images."""
    images = [render_png(svg, size) for size in ICO_SIZES]
    header = struct.pack("<HHH", 0, 1, len(images))  # reserved, type 1 = icon, count
    offset = len(header) + 16 * len(images)
    entries = b""
    for size, png in zip(ICO_SIZES, images, strict=True):
        # Width and height are one byte each; 0 means 256.
        entries += struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(png), offset)
        offset += len(png)
    return header + entries + b"".join(images)


def icns_bytes(svg: Path) -> bytes:
    """A macOS icon: the ``icns`` header, then one typed, length-prefixed PNG per entry."""
    rendered: dict[int, bytes] = {}
    body = b""
    for kind, size in ICNS_ENTRIES:
        png = rendered.setdefault(size, render_png(svg, size))
        body += kind + struct.pack(">I", 8 + len(png)) + png
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def write_icon(svg: Path, target: Path) -> Path:
    """Write ``target`` (``.ico`` or ``.icns``, by its suffix) from ``svg``; returns it."""
    makers = {".ico": ico_bytes, ".icns": icns_bytes}
    if target.suffix not in makers:
        raise ValueError(f"{target}: only .ico and .icns icons are made here")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(makers[target.suffix](svg))
    return target
