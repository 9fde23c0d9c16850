"""File > Export corpus from the window."""

from __future__ import annotations

from pathlib import Path

import orjson
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from factmark.ui.dialogs.export_dialog import ExportDialog
from tests.ui.helpers import drag_select
from tests.ui.test_annotation import KEYS, find


def test_export_dialog_writes_the_done_documents(open_window, qtbot: QtBot, tmp_path: Path) -> None:
    window = open_window()
    start = find(window, "Yevgeny Prigozhin")
    drag_select(window.article_view, start, start + len("Yevgeny Prigozhin"))
    qtbot.keyClick(window.article_view, KEYS["source"])
    qtbot.keyClick(window.article_view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    dialog = ExportDialog(window.project, window)
    qtbot.addWidget(dialog)
    assert dialog.counts.text() == "1 of 6 documents will be exported."
    out = tmp_path / "corpus.jsonl"
    dialog.output.setText(str(out))
    export_button = next(
        b
        for b in dialog.buttons.buttons()
        if dialog.buttons.buttonRole(b) == QDialogButtonBox.ButtonRole.AcceptRole
    )
    qtbot.mouseClick(export_button, Qt.MouseButton.LeftButton)
    (record,) = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    assert record["title"] == "Bakhmut counterattack"
    assert [(s["label"], s["text"]) for s in record["spans"]] == [("source", "Yevgeny Prigozhin")]
    assert dialog.result_message.startswith("Exported 1 document, 1 span")
    assert window.statusBar().currentMessage() == dialog.result_message


def test_export_dialog_label_filter_and_all_statuses(
    open_window, qtbot: QtBot, tmp_path: Path
) -> None:
    window = open_window()
    for piece, label in (("Yevgeny Prigozhin", "source"), ("Bakhmut", "location")):
        start = find(window, piece)
        drag_select(window.article_view, start, start + len(piece))
        qtbot.keyClick(window.article_view, KEYS[label])
    dialog = ExportDialog(window.project, window)
    qtbot.addWidget(dialog)
    for box in dialog.statuses.values():
        box.setChecked(True)
    dialog.labels["source"].setChecked(False)
    assert dialog.counts.text() == "6 of 6 documents will be exported."
    out = tmp_path / "locations.jsonl"
    dialog.output.setText(str(out))
    dialog.export()
    records = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    assert len(records) == 6
    assert [(s["label"], s["text"]) for s in records[0]["spans"]] == [("location", "Bakhmut")]


def test_export_dialog_split_and_card(open_window, qtbot: QtBot, tmp_path: Path) -> None:
    window = open_window()
    dialog = ExportDialog(window.project, window)
    qtbot.addWidget(dialog)
    for box in dialog.statuses.values():
        box.setChecked(True)
    qtbot.mouseClick(dialog.split_on, Qt.MouseButton.LeftButton)
    dialog.split.setText("train=0.5,dev=0.5")
    dialog.seed.setValue(3)
    dialog.output.setText(str(tmp_path / "corpus.jsonl"))
    dialog.export()
    train = [orjson.loads(x) for x in (tmp_path / "corpus.train.jsonl").read_bytes().splitlines()]
    dev = [orjson.loads(x) for x in (tmp_path / "corpus.dev.jsonl").read_bytes().splitlines()]
    assert len(train) + len(dev) == 6
    card = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert "train=0.5,dev=0.5 with seed 3" in card


def test_export_dialog_refuses_a_bad_split(
    open_window, qtbot: QtBot, tmp_path: Path, monkeypatch
) -> None:
    window = open_window()
    dialog = ExportDialog(window.project, window)
    qtbot.addWidget(dialog)
    shown = []
    monkeypatch.setattr(
        "factmark.ui.dialogs.export_dialog.QMessageBox.warning",
        lambda _parent, _title, text: shown.append(text),
    )
    dialog.split_on.setChecked(True)
    dialog.split.setText("train=0.7,dev=0.7")
    dialog.output.setText(str(tmp_path / "corpus.jsonl"))
    dialog.export()
    assert shown == ["split fractions add up to 1.4, not 1"]
    assert list(tmp_path.iterdir()) == []


def test_export_dialog_offers_every_available_format(
    open_window, qtbot: QtBot, monkeypatch
) -> None:
    from factmark.core.exporting import spacy_docbin

    window = open_window()
    dialog = ExportDialog(window.project, window)
    qtbot.addWidget(dialog)
    offered = [dialog.format.itemData(i) for i in range(dialog.format.count())]
    assert offered == [
        "jsonl",
        "doccano",
        "labelstudio",
        "brat",
        "conll",
        "spacy",
        "xmi",
        "attribution",
        "sentences",
        "claimreview",
    ]
    monkeypatch.setattr(spacy_docbin, "available", lambda: False)
    without = ExportDialog(window.project, window)
    qtbot.addWidget(without)
    assert "spacy" not in [without.format.itemData(i) for i in range(without.format.count())]
    # Choosing a folder format changes the output path to a folder name.
    dialog.output.setText("/tmp/x/corpus.jsonl")
    dialog.format.setCurrentIndex(offered.index("brat"))
    assert dialog.output.text() == "/tmp/x/corpus"
    assert not dialog.nested.isEnabled()
    dialog.format.setCurrentIndex(offered.index("conll"))
    assert dialog.output.text() == "/tmp/x/corpus.conll"
    assert dialog.nested.isEnabled()
    dialog.format.setCurrentIndex(offered.index("xmi"))
    assert dialog.output.text() == "/tmp/x/corpus.zip"
    # The sentences format's scheme: TSV for CheckThat!, JSONL for ClaimBuster.
    assert not dialog.scheme.isEnabled()
    dialog.format.setCurrentIndex(offered.index("sentences"))
    assert dialog.scheme.isEnabled()
    assert dialog.output.text() == "/tmp/x/corpus.tsv"
    assert dialog.options() == {"scheme": "checkthat"}
    dialog.scheme.setCurrentIndex(dialog.scheme.findData("claimbuster"))
    assert dialog.output.text() == "/tmp/x/corpus.jsonl"
    assert dialog.options() == {"scheme": "claimbuster"}
