"""Dialogs that fit the screen they open on: never wider or taller than its available
area (a 1366×768 laptop is the common machine), with room for a title bar."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFrame, QScrollArea, QWidget

# Room for a window manager's title bar and borders around a dialog.
FRAME_ROOM = QSize(16, 48)


def available_area(widget: QWidget) -> QRect:
    """The area windows may use on the screen ``widget`` opens on (its parent's)."""
    parent = widget.parentWidget()
    screen = (parent.screen() if parent is not None else None) or widget.screen()
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def fit_to_screen(dialog: QWidget, width: int | None = None, height: int | None = None) -> None:
    """Resize ``dialog`` to ``width`` × ``height`` (default: its size hint), or less: the
    available area of its screen, less a title bar's room, is the most it takes."""
    hint = dialog.sizeHint()
    wanted = QSize(width or hint.width(), height or hint.height())
    area = available_area(dialog)
    dialog.resize(wanted.boundedTo(area.size() - FRAME_ROOM))


def scrolling(content: QWidget, parent: QWidget) -> QScrollArea:
    """``content`` in a frameless scroll area: a dialog holding it can be as short as the
    screen, whatever ``content`` grows to (charts of many labels)."""
    area = QScrollArea(parent)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(content)
    return area
