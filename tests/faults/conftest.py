"""The fixtures the fault tests share: the window of the ui tests, for the tests that
drive it, and a project of the user's own that bad input must leave as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from factmark.core.incoming import IncomingDocument
from factmark.core.project import Project
from tests.ui.conftest import open_window

__all__ = ["open_window", "project"]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project holding one article of the user's own (a test file may define its own)."""
    path = tmp_path / "mine.factmark"
    with Project.open(path) as opened:
        opened.add_document(IncomingDocument("My own article.\n", "Mine"))
    return path
