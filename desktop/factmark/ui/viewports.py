"""Viewports made in Python for the scroll areas the window shows at once.

A viewport Qt makes reaches Python without a type PySide knows, and PySide finds its
type by making every widget class it has, each with its enumerations (over 10 ms, at
the window's start or at the first key). A viewport made here is known from the start;
it is set up as Qt sets up its own.
"""

from __future__ import annotations

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QAbstractScrollArea, QWidget


def own_viewport(area: QAbstractScrollArea) -> QWidget:
    """Give ``area`` a viewport made here (as Qt's: named, painted in the Base colour)."""
    viewport = QWidget(area)
    viewport.setObjectName("qt_scrollarea_viewport")
    viewport.setBackgroundRole(QPalette.ColorRole.Base)
    viewport.setAutoFillBackground(True)
    area.setViewport(viewport)
    return viewport
