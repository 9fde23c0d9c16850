"""File > Export corpus from the window."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import orjson
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDialogButtonBox, QProgressDialog, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from factmark.core.incoming import IncomingDocument
from factmark.core.project import Project
from factmark.ui.dialogs.export_dialog import ExportDialog
from tests.cli.test_cli import factmark
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
    assert dialog.result_message.startswith("Exported 1 document, 1 span and 0 links to ")
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


def test_export_dialog_offers_every_format(open_window, qtbot: QtBot) -> None:
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


def _export_button(dialog: ExportDialog):  # type: ignore[no-untyped-def]
    return next(
        b
        for b in dialog.buttons.buttons()
        if dialog.buttons.buttonRole(b) == QDialogButtonBox.ButtonRole.AcceptRole
    )


OUTLET_NAMES = ("Zofia Wiśniewska-Kowalczyk", "Bartholomew Quincey")


def _outlets(project: Project) -> None:
    """Six done reports from three outlets, two each; spans by two annotators."""
    for n in range(6):
        text = f"Report {n}: the mayor said {n + 3} bridges closed.\n"
        meta = {"outlet": ["Echo", "Post", "Times"][n // 2], "date": f"2024-01-0{n + 1}"}
        added = project.add_document(IncomingDocument(text, status="done", meta=meta))
        assert added is not None
        project.add_span(added[0], 0, 8, "claim", annotator=OUTLET_NAMES[n % 2])


def test_export_dialog_keeps_an_outlet_in_one_part(
    project: Project, qtbot: QtBot, tmp_path: Path
) -> None:
    _outlets(project)
    dialog = ExportDialog(project)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.split_by.isEnabled()
    offered = [dialog.split_by.itemText(i) for i in range(dialog.split_by.count())]
    assert offered == ["", "meta.date", "meta.outlet"]
    qtbot.mouseClick(dialog.split_on, Qt.MouseButton.LeftButton)
    assert dialog.split_by.isEnabled()
    dialog.split.clear()
    qtbot.keyClicks(dialog.split, "train=0.34,dev=0.33,test=0.33")
    dialog.split_by.setFocus()
    qtbot.keyClick(dialog.split_by, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.split_by, Qt.Key.Key_Down)
    assert dialog.split_by.currentText() == "meta.outlet"
    dialog.output.setText(str(tmp_path / "c.jsonl"))
    qtbot.mouseClick(_export_button(dialog), Qt.MouseButton.LeftButton)
    for part in ("train", "dev", "test"):
        data = (tmp_path / f"c.{part}.jsonl").read_bytes()
        records = [orjson.loads(x) for x in data.splitlines()]
        assert len(records) == 2
        assert len({r["meta"]["outlet"] for r in records}) == 1
    assert "## Split by `meta.outlet`" in (tmp_path / "README.md").read_text(encoding="utf-8")


def _annotators(path: Path) -> list[str]:
    lines = path.read_bytes().splitlines()
    return [span["annotator"] for line in lines for span in orjson.loads(line)["spans"]]


def test_export_dialog_refuses_a_typed_field_that_is_not_meta_name(
    project: Project, qtbot: QtBot, tmp_path: Path, monkeypatch
) -> None:
    _outlets(project)
    shown: list[str] = []
    monkeypatch.setattr(
        "PySide6.QtWidgets.QMessageBox.warning", lambda _parent, _title, text: shown.append(text)
    )
    dialog = ExportDialog(project)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.split_on, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.split_by.lineEdit(), "outlet")
    dialog.output.setText(str(tmp_path / "c.jsonl"))
    qtbot.mouseClick(_export_button(dialog), Qt.MouseButton.LeftButton)
    assert shown == [
        "--split-by takes meta.NAME, a document metadata field (e.g. meta.outlet), not 'outlet'"
    ]
    assert not list(tmp_path.glob("c*"))


def test_export_dialog_pseudonymises_annotators(
    project: Project, qtbot: QtBot, tmp_path: Path
) -> None:
    _outlets(project)
    dialog = ExportDialog(project)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.pseudonymise, Qt.MouseButton.LeftButton)
    assert dialog.pseudonymise.isChecked()
    out = tmp_path / "shared.jsonl"
    dialog.output.setText(str(out))
    qtbot.mouseClick(_export_button(dialog), Qt.MouseButton.LeftButton)
    written = out.read_bytes() + (tmp_path / "README.md").read_bytes()
    for name in OUTLET_NAMES:
        assert name.split()[-1].encode() not in written
    shown = _annotators(out)
    assert len(set(shown)) == 2 and all(a.startswith("annotator-") for a in shown)
    # The command line, on the same project, gives every name the same pseudonym.
    again = tmp_path / "again.jsonl"
    done = factmark("export", project.path, "-o", again, "--pseudonymise", "annotators")
    assert done.returncode == 0, done.stderr
    assert _annotators(again) == shown


def test_export_dialog_writes_claimreview(project: Project, qtbot: QtBot, tmp_path: Path) -> None:
    text = "The mayor said 40 bridges were closed.\n"
    added = project.add_document(
        IncomingDocument(text, status="done", meta={"url": "https://example.org/a"})
    )
    assert added is not None
    project.add_span(added[0], 15, 37, "claim", attrs={"verdict": "false"})
    dialog = ExportDialog(project)
    qtbot.addWidget(dialog)
    dialog.output.setText(str(tmp_path / "corpus.jsonl"))
    dialog.format.setCurrentIndex(dialog.format.findData("claimreview"))
    assert dialog.output.text() == str(tmp_path / "corpus.jsonld")
    qtbot.mouseClick(_export_button(dialog), Qt.MouseButton.LeftButton)
    feed = orjson.loads((tmp_path / "corpus.jsonld").read_bytes())
    (element,) = feed["dataFeedElement"]
    review = element["item"][0]
    assert review["claimReviewed"] == text[15:37] == "40 bridges were closed"
    assert review["url"] == "https://example.org/a#:~:text=40%20bridges%20were%20closed"
    assert review["reviewRating"]["alternateName"] == "false"


def test_cancel_in_the_progress_keeps_the_dialog_and_the_previous_file(
    open_window, qtbot: QtBot, tmp_path: Path, monkeypatch
) -> None:
    """Cancel pressed while the export runs: no error box, the export dialog stays open
    with its choices, the window says nothing was written, and an earlier export of that
    name is untouched."""
    window = open_window()
    out = tmp_path / "corpus.jsonl"
    out.write_text("the previous export\n")
    dialog = ExportDialog(window.project, window)
    qtbot.addWidget(dialog)
    dialog.show()
    for box in dialog.statuses.values():
        box.setChecked(True)
    dialog.output.setText(str(out))
    with cancel_while_exporting(qtbot, window, monkeypatch):
        qtbot.mouseClick(_export_button(dialog), Qt.MouseButton.LeftButton)

    assert dialog.isVisible()  # not accepted: its choices are there to run again
    assert dialog.result_message == "Export cancelled; nothing was written"
    assert window.statusBar().currentMessage() == dialog.result_message
    assert out.read_text() == "the previous export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus.jsonl"]


def test_choosing_a_format_replaces_only_an_export_suffix(
    open_window, qtbot: QtBot, tmp_path: Path
) -> None:
    window = open_window(tmp_path / "news.2024.factmark")
    dialog = ExportDialog(window.project, window)
    qtbot.addWidget(dialog)
    names = []
    for fmt in ("brat", "jsonl", "conll", "brat", "sentences", "labelstudio"):
        dialog.format.setCurrentIndex(dialog.format.findData(fmt))
        names.append(Path(dialog.output.text()).name)
    assert names == [
        "news.2024",
        "news.2024.jsonl",
        "news.2024.conll",
        "news.2024",
        "news.2024.tsv",
        "news.2024.json",
    ]


@contextmanager
def cancel_while_exporting(
    qtbot: QtBot, window: QWidget, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """Within: an export started holds until Cancel has been clicked in its progress
    dialog (under ``window``), as a user pressing Cancel while it runs."""
    from factmark.ui.background import jobs

    pressed = threading.Event()
    real_export = jobs.export

    def export_after_cancel(*args, **kwargs):  # type: ignore[no-untyped-def]
        pressed.wait(10)  # the export is still running when Cancel is pressed
        return real_export(*args, **kwargs)

    def press_cancel() -> None:
        progress = window.findChild(QProgressDialog, "exportProgress")
        if progress is None or not progress.isVisible() or pressed.is_set():
            return
        qtbot.mouseClick(progress.findChild(QPushButton), Qt.MouseButton.LeftButton)
        pressed.set()

    monkeypatch.setattr(jobs, "export", export_after_cancel)
    timer = QTimer()
    timer.timeout.connect(press_cancel)
    timer.start(10)
    try:
        yield
    finally:
        timer.stop()
        pressed.set()


def test_the_window_says_when_annotators_spans_are_pooled(
    open_window, qtbot: QtBot, tmp_path: Path
) -> None:
    """doccano has no place for a span's annotator: two annotators' copies of a span are
    two labels there, and the message says so; JSONL keeps each span's annotator, and
    says nothing of pooling."""
    window = open_window()
    text = "The mayor said 40 bridges were closed."
    added = window.project.add_document(IncomingDocument(text, title="Bridges", status="done"))
    assert added is not None
    start = text.index("40")
    for annotator in ("amina", "bo"):
        window.project.add_span(added[0], start, start + 2, "number", annotator=annotator)

    messages = {}
    for fmt, layer in (
        ("doccano", "every annotator's spans"),
        ("doccano", "only amina's spans"),
        ("jsonl", "every annotator's spans"),
    ):
        dialog = ExportDialog(window.project, window)
        qtbot.addWidget(dialog)
        dialog.format.setFocus()
        qtbot.keyClick(dialog.format, Qt.Key.Key_Home)
        while dialog.format.currentData() != fmt:  # down the list, as a user goes
            qtbot.keyClick(dialog.format, Qt.Key.Key_Down)
        dialog.layer.setCurrentIndex(dialog.layer.findText(layer))
        out = tmp_path / f"{fmt}-{layer.split()[1]}" / "corpus.jsonl"
        dialog.output.setText(str(out))
        qtbot.mouseClick(_export_button(dialog), Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda dialog=dialog: bool(dialog.result_message))
        assert window.statusBar().currentMessage() == dialog.result_message
        card = (out.parent / "README.md").read_text(encoding="utf-8")
        messages[fmt, layer.split()[1]] = (dialog.result_message, card, out)
    pooled, card, _ = messages["doccano", "annotator's"]
    assert pooled.startswith("Exported 1 document, 2 spans and 0 links to ")
    assert " Spans of 2 annotators (amina, bo) pooled in 1 of 1 document: " in pooled
    assert "--annotator NAME" in pooled and "in the window, Spans." in pooled
    assert "pooled in 1 of 1 document" in card
    one, card, _ = messages["doccano", "amina's"]
    assert one.startswith("Exported 1 document, 1 span and 0 links to ") and "pooled" not in one
    assert "pooled" not in card
    kept, card, out = messages["jsonl", "annotator's"]
    # the file tells the two copies apart by their annotators
    (record,) = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    assert sorted((s["text"], s["annotator"]) for s in record["spans"]) == [
        ("40", "amina"),
        ("40", "bo"),
    ]
    assert kept == f"Exported 1 document, 2 spans and 0 links to {out}."
    assert "pooled" not in card and "side by side" not in card
