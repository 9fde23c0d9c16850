"""One large change (a label renamed on half a million spans, an import) does not leave a
log of its size beside the project for as long as the project stays open."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import factmark.core.storage as storage
from factmark.core.incoming import IncomingDocument
from factmark.core.project import Project


def test_the_log_is_cut_back_after_a_large_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage, "WAL_SIZE_LIMIT", 1 << 20)
    path = tmp_path / "desk.factmark"
    log = Path(f"{path}-wal")
    with Project.open(path) as project:
        project.add_document(IncomingDocument("word " * 4_000_000, title="a long article"))
        assert os.path.getsize(log) > 16 << 20  # 20 MB written through the log
        project.add_document(IncomingDocument("The next edit.", title="next"))
        assert os.path.getsize(log) <= 1 << 20
        assert [d.title for d in project.documents()] == ["a long article", "next"]
