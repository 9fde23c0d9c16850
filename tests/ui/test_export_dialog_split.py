"""File > Export corpus with a split: an empty part is named in a warning the user sees,
and "at least N per part" refuses such an export, writing nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from factmark.core.project import Project
from factmark.ui.dialogs.export_dialog import ExportDialog
from tests.core.test_export_split_parts import EMPTY_DEV_SEED, PARTS, fill


@pytest.fixture
def dialog(project: Project, qtbot: QtBot, tmp_path: Path) -> ExportDialog:
    fill(project)  # 14 documents; EMPTY_DEV_SEED leaves dev without one
    dialog = ExportDialog(project)
    qtbot.addWidget(dialog)
    for box in dialog.statuses.values():
        box.setChecked(True)
    dialog.split_on.setChecked(True)
    dialog.split.setText(PARTS)
    dialog.seed.setValue(EMPTY_DEV_SEED)
    dialog.output.setText(str(tmp_path / "out" / "corpus.jsonl"))
    return dialog


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    boxes: list[tuple[str, str]] = []
    monkeypatch.setattr(
        "PySide6.QtWidgets.QMessageBox.warning",
        lambda _parent, title, text: boxes.append((title, text)),
    )
    return boxes


def test_an_empty_part_is_named_in_the_result(
    dialog: ExportDialog, shown: list[tuple[str, str]], tmp_path: Path
) -> None:
    assert dialog.min_per_part.text() == "parts may be empty"
    dialog.export()

    assert (tmp_path / "out" / "corpus.dev.jsonl").read_bytes() == b""
    assert "Warning: Split part 'dev' got no documents" in dialog.result_message
    assert shown == [("Export", dialog.result_message)]


def test_at_least_n_per_part_refuses_and_writes_nothing(
    dialog: ExportDialog, shown: list[tuple[str, str]], tmp_path: Path
) -> None:
    dialog.min_per_part.setValue(1)
    dialog.export()

    ((title, text),) = shown
    assert title == "Export failed"
    assert "at least 1 document" in text and "dev 0" in text and "nothing was written" in text
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    assert dialog.result() == 0  # the dialog stays open to change the seed


def test_at_least_n_per_part_follows_the_split_box(dialog: ExportDialog) -> None:
    assert dialog.min_per_part.isEnabled()
    dialog.split_on.setChecked(False)
    assert not dialog.min_per_part.isEnabled()
