"""Fixtures for driving the real window with qtbot."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from factmark.ui.app import create_main_window
from factmark.ui.window.main_window import MainWindow


@pytest.fixture
def open_window(qtbot: QtBot) -> Iterator[Callable[..., MainWindow]]:
    """Open main windows (default project, or a given path); all are closed afterwards."""
    windows: list[MainWindow] = []

    def opener(path: Path | None = None, *, panels_placed: bool = True) -> MainWindow:
        """``panels_placed=False``: return as soon as the window is active, without
        waiting for the panels beside the article (placed after the first paint)."""
        window = create_main_window(path)
        assert isinstance(window, MainWindow)
        # A test that fails while editing the guidelines must not hang at closing on the
        # Save / Discard question: the edit is dropped first.
        qtbot.addWidget(window, before_close_func=lambda w: w.cancel_guidelines_edit())
        window.show()
        window.activateWindow()  # keyboard shortcuts act in the active window
        qtbot.waitExposed(window)
        qtbot.waitUntil(window.isActiveWindow)
        if panels_placed:
            qtbot.waitUntil(lambda: window.panels_placed)  # right after the first paint
        windows.append(window)
        return window

    yield opener
    for window in windows:
        window.close()
        window.project.close()
