"""The window fixture of the ui tests, for the fault tests that drive the window."""

from __future__ import annotations

from tests.ui.conftest import open_window

__all__ = ["open_window"]
