"""Icons: SVG files from ``resources/icons`` and colour swatches for labels."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

from factmark.core.resources import resource_path


def icon(name: str) -> QIcon:
    """An SVG icon from ``resources/icons`` (sharp at any screen scale)."""
    return QIcon(str(resource_path("icons", f"{name}.svg")))


def swatch(colour: str, size: int = 64) -> QIcon:
    """A rounded square of a label's colour with a darker edge, so pale colours show on white."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor(colour))
    painter.setPen(QColor(colour).darker(150))
    margin = size / 12
    painter.drawRoundedRect(
        QRectF(margin, margin, size - 2 * margin, size - 2 * margin), size / 8, size / 8
    )
    painter.end()
    result = QIcon(pixmap)
    # The same pixmap when selected: styles otherwise tint it with the highlight colour,
    # which turns yellow into green.
    result.addPixmap(pixmap, QIcon.Mode.Selected)
    return result
