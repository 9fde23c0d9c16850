"""Dialogs opened from the menus: labels, statistics, agreement, export, import report."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from factmark.ui.models.tables import plain_tip


def plain_warning(parent: QWidget | None, title: str, text: str) -> None:
    """A warning box showing its text (an error naming a file, a title, a label) as
    written: QMessageBox reads text that looks like markup as rich text."""
    QMessageBox.warning(parent, title, plain_tip(text))
