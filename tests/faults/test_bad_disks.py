"""Bad disks and files: read-only project, project file deleted or moved while open,
disk full, and export targets that cannot be written.

In every case the user gets a sentence that says what happened (a ProjectError, a
``factmark: error:`` line, a status bar message), never a traceback, and nothing that
was saved before is lost or half-changed.
"""

from __future__ import annotations

import errno
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import orjson
import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from factmark.core.exporting import base, export, spacy_docbin, zip_stream
from factmark.core.exporting.base import AtomicFolder, Selection, Split
from factmark.core.importing import import_file
from factmark.core.incoming import IncomingDocument
from factmark.core.project import Project, ProjectError
from factmark.ui.app import create_main_window
from factmark.ui.background.jobs import export_project
from factmark.ui.window.main_window import MainWindow
from tests.core.conftest import project_snapshot
from tests.faults.helpers import REPO, factmark, integrity, new_project, posix_only, sha256

EVERYTHING = Selection(frozenset())
READ_ONLY = "read-only"
GONE = "moved or deleted while it was open"
FULL = "the disk is full; the last change was not saved"


def no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr, result.stderr


def sample_project(path: Path) -> int:
    """A project with one document marked done and three spans; returns the document id."""
    (document_id,) = new_project(path, ["Officials in Lagos said 42 people were hurt in Kano."])
    with Project.open(path) as project:
        project.add_span(document_id, 0, 9, "source")
        project.add_span(document_id, 13, 18, "location")
        project.add_span(document_id, 24, 26, "number")
        project.set_status(document_id, "done")
    return document_id


def leftovers(folder: Path) -> list[str]:
    """Partial files or folders a failed export might leave behind (its temporaries
    are hidden ``.NAME.*.part`` entries beside the output)."""
    return sorted(
        str(p.relative_to(folder))
        for p in folder.rglob("*")
        if p.name.endswith(".part") or p.name.startswith(".")
    )


# -- read-only project -------------------------------------------------------------


@posix_only
def test_read_only_project_refuses_writes_and_still_exports(tmp_path: Path) -> None:
    path = tmp_path / "locked.factmark"
    sample_project(path)
    path.chmod(0o444)  # read-only for everyone; the core honours it even for root
    before = sha256(path)
    files_before = sorted(p.name for p in tmp_path.iterdir())

    with pytest.raises(ProjectError, match=READ_ONLY) as caught:
        Project.open(path)
    assert str(caught.value).startswith(str(path))
    with pytest.raises(ProjectError, match=READ_ONLY):
        create_main_window(path)  # the app shows this message in a box, then exits 1
    result = factmark("import", path, REPO / "seeds")
    assert result.returncode == 1 and READ_ONLY in result.stderr
    no_traceback(result)

    with Project.open(path, readonly=True) as project:
        outcome = export(project, "jsonl", tmp_path / "out" / "corpus.jsonl", EVERYTHING)
    assert outcome.documents == 1 and outcome.spans == 3
    result = factmark("export", path, "-o", tmp_path / "cli" / "corpus.jsonl", "--all")
    assert result.returncode == 0, result.stderr
    (record,) = [orjson.loads(line) for line in (tmp_path / "cli" / "corpus.jsonl").open("rb")]
    assert [s["text"] for s in record["spans"]] == ["Officials", "Lagos", "42"]

    assert sha256(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*files_before, "out", "cli"])
    assert leftovers(tmp_path) == []


# -- project file deleted or moved while open -----------------------------------------


@posix_only
def test_project_deleted_while_open(tmp_path: Path) -> None:
    """Deleting the project file while it is open (another program, the user in a file
    manager) makes every later change fail with a message saying so.

    Without that refusal SQLite would go on committing into the write-ahead log beside
    a file that no longer exists: each change would be reported saved, then lost when
    the project is closed. What was saved before stays readable through the open
    project, and a core export from it rescues all of it; reopening by name finds no
    project (the command line says so, without a traceback).
    """
    path = tmp_path / "doomed.factmark"
    document_id = sample_project(path)
    project = Project.open(path)
    try:
        before = project_snapshot(project)
        path.unlink()
        with pytest.raises(ProjectError, match=GONE) as caught:
            project.add_span(document_id, 44, 48, "location")
        assert str(caught.value).startswith(str(path))
        with pytest.raises(ProjectError, match=GONE):
            project.set_status(document_id, "in_progress")
        assert project_snapshot(project) == before  # still readable, nothing half-written
        rescued = export(project, "jsonl", tmp_path / "rescued.jsonl", EVERYTHING)
        assert rescued.spans == 3
    finally:
        project.close()

    with pytest.raises(ProjectError, match="no such project file"):
        Project.open(path, create=False)
    result = factmark("export", path, "-o", tmp_path / "again.jsonl")
    assert result.returncode == 1 and "no such project file" in result.stderr
    no_traceback(result)
    assert not (tmp_path / "again.jsonl").exists()


@posix_only
def test_project_moved_while_open_keeps_what_was_saved(tmp_path: Path) -> None:
    """A project renamed while open: later changes are refused as for a deleted file,
    and everything saved before the move is in the file at its new name once the
    project is closed (SQLite alone leaves it in a log beside the old name)."""
    path = tmp_path / "before.factmark"
    document_id = sample_project(path)
    moved = tmp_path / "after.factmark"
    with Project.open(path) as project:
        project.add_span(document_id, 44, 48, "location")  # saved in the log, not yet in the file
        expected = project_snapshot(project)
        path.rename(moved)
        with pytest.raises(ProjectError, match=GONE):
            project.add_span(document_id, 0, 9, "claim")
    with Project.open(moved, create=False) as project:
        assert integrity(project) == ["ok"]
        assert project_snapshot(project) == expected


@posix_only
def test_project_deleted_under_the_window(tmp_path: Path, open_window, qtbot: QtBot) -> None:
    path = tmp_path / "doomed.factmark"
    sample_project(path)
    window: MainWindow = open_window(path)
    view = window.article_view
    shown = list(view.spans)
    path.unlink()
    view.select_range(44, 48)  # "Kano"
    qtbot.keyClick(view, Qt.Key.Key_3)
    assert GONE in window.statusBar().currentMessage()
    assert view.spans == shown and window.session.undo_stack.count() == 0
    # Export from the window reads the file by name: a clear error, nothing written.
    outcome = export_project(path, "jsonl", tmp_path / "out.jsonl", EVERYTHING, lambda: False)
    assert outcome.error is not None and "no such project file" in outcome.error
    assert not (tmp_path / "out.jsonl").exists()


# -- disk full ---------------------------------------------------------------------------


def fill_up(project: Project, document_id: int) -> None:
    """Let the project's file grow no more (as on a full disk), then fill every page.

    ``max_page_count`` makes SQLite fail exactly as on a full disk ("database or disk
    is full") without a tiny file system, which would need root to mount.
    """
    (pages,) = project.db.execute("PRAGMA page_count").fetchone()
    project.db.execute(f"PRAGMA max_page_count = {pages}")
    for note in ("x" * 2000, None):  # big spans first, then the smallest a span can be
        for _ in range(10_000):
            try:
                project.add_span(document_id, 0, 1, "claim", note=note)
            except ProjectError as error:
                assert FULL in str(error)
                break
        else:
            pytest.fail("the project never filled up")


def test_disk_full_changes_nothing_and_keeps_earlier_work(
    project_path: Path, tmp_path: Path
) -> None:
    document_id = sample_project(project_path)
    source = tmp_path / "more.jsonl"
    source.write_bytes(
        b"".join(
            orjson.dumps({"text": f"Article {n} " + "words " * 200}) + b"\n" for n in range(50)
        )
    )
    with Project.open(project_path) as project:
        earlier = project_snapshot(project)
        (pages,) = project.db.execute("PRAGMA page_count").fetchone()
        project.db.execute(f"PRAGMA max_page_count = {pages}")
        with pytest.raises(ProjectError, match=FULL) as caught:
            project.add_span(document_id, 44, 48, "location", note="n" * 50_000)
        assert str(caught.value).startswith(str(project_path))
        with pytest.raises(ProjectError, match=FULL):
            import_file(project, source)
        with pytest.raises(ProjectError, match=FULL):
            project.add_document(IncomingDocument("A long article. " * 5000))  # > a page
        assert project_snapshot(project) == earlier  # nothing half-written
        assert integrity(project) == ["ok"]
        project.db.execute(f"PRAGMA max_page_count = {pages * 100}")  # space again
        project.add_span(document_id, 44, 48, "location", note="n" * 50_000)
        assert import_file(project, source).documents == 50
    with Project.open(project_path, create=False) as project:
        assert integrity(project) == ["ok"]
        after = project_snapshot(project)
    assert after["documents"][0][5][:3] == earlier["documents"][0][5]
    assert len(after["documents"]) == 51


def test_disk_full_in_the_window(tmp_path: Path, open_window, qtbot: QtBot) -> None:
    path = tmp_path / "full.factmark"
    (document_id,) = new_project(path, ["Officials in Lagos said 42 people were hurt in Kano."])
    window: MainWindow = open_window(path)
    fill_up(window.project, document_id)
    view = window.article_view
    shown = list(view.spans)
    stored = len(window.project.spans(document_id))
    view.select_range(13, 18)
    qtbot.keyClick(view, Qt.Key.Key_3)
    assert FULL in window.statusBar().currentMessage()
    assert view.spans == shown and len(window.project.spans(document_id)) == stored
    assert window.session.undo_stack.count() == 0
    assert integrity(window.project) == ["ok"]


# -- export targets that cannot be written -------------------------------------------------


def test_export_under_a_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "p.factmark"
    sample_project(path)
    blocker = tmp_path / "notes.txt"
    blocker.write_text("not a folder\n", "utf-8")
    target = blocker / "corpus.jsonl"

    outcome = export_project(path, "jsonl", target, EVERYTHING, lambda: False)  # the dialog
    assert outcome.error == (
        f"cannot create the folder {blocker}: {blocker} is a file, not a folder"
    )
    result = factmark("export", path, "-o", target, "--all")
    assert result.returncode == 1 and result.stderr.startswith("factmark: error: ")
    no_traceback(result)
    assert blocker.read_text("utf-8") == "not a folder\n"
    assert leftovers(tmp_path) == []


@posix_only
@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root writes anyway")
def test_export_into_a_read_only_folder_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "p.factmark"
    sample_project(path)
    folder = tmp_path / "shared"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        outcome = export_project(path, "jsonl", folder / "c.jsonl", EVERYTHING, lambda: False)
        assert outcome.error is not None and outcome.error.startswith(f"cannot write {folder}")
        result = factmark("export", path, "-o", folder / "c.jsonl", "--all")
        assert result.returncode == 1 and "Permission denied" in result.stderr
        no_traceback(result)
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)


@posix_only
def test_export_cut_short_by_a_full_disk_leaves_the_old_file(tmp_path: Path) -> None:
    """A write failing half-way (here the file size limit, RLIMIT_FSIZE, standing in
    for a full disk without root) ends with an error line, no partial file, and the
    previous export under that name untouched."""
    path = tmp_path / "big.factmark"
    texts = [f"Article {n}: " + "The minister said prices rose. " * 40 for n in range(200)]
    ids = new_project(path, texts)
    with Project.open(path) as project:
        for document_id in ids:
            project.add_span(document_id, 0, 7, "claim")
    output = tmp_path / "out" / "corpus.jsonl"
    output.parent.mkdir()
    output.write_bytes(b'{"earlier": "export"}\n')
    limit = (
        "import resource, signal\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write fails instead of killing\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, 100_000))"
    )
    result = factmark("export", path, "-o", output, "--all", prelude=limit)
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stderr.startswith(f"factmark: error: {output}: "), result.stderr
    no_traceback(result)
    assert output.read_bytes() == b'{"earlier": "export"}\n'
    assert sorted(p.name for p in output.parent.iterdir()) == ["corpus.jsonl"]
    assert factmark("export", path, "-o", output, "--all").returncode == 0  # room again
    assert len(output.read_bytes()) > 100_000


def flushed_by(monkeypatch: pytest.MonkeyPatch, flush: Callable[[int], None]) -> None:
    """Every flush an export asks of the system goes to ``flush``: each file's ``fsync``
    and a folder's ``syncfs`` (Linux), both of which report a full disk."""
    monkeypatch.setattr(base.os, "fsync", flush)
    if base._syncfs is not None:
        monkeypatch.setattr(base, "_syncfs", flush)


@pytest.mark.parametrize("fmt", ["jsonl", "doccano", "conll", "brat", "brat without syncfs"])
def test_export_failing_at_the_last_flush_leaves_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    """A full disk often shows only when the data is flushed at the end (fsync or syncfs
    reports ENOSPC): the export fails with the system's words, leaves no partial file or
    folder, and an earlier export of that name stays as it was. Without ``syncfs`` (other
    systems, older Linux) a folder is flushed file by file, and that reports it too."""
    if fmt == "brat without syncfs":
        monkeypatch.setattr(base, "_syncfs", None)
        fmt = "brat"
    path = tmp_path / "p.factmark"
    sample_project(path)
    output = tmp_path / "out" / f"corpus.{fmt}"
    assert export_project(path, fmt, output, EVERYTHING, lambda: False).error is None
    earlier = {
        p.relative_to(output.parent): p.read_bytes()
        for p in output.parent.rglob("*")
        if p.is_file()
    }

    def full(_descriptor: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    without_syncfs = base._syncfs is None
    flushed_by(monkeypatch, full)
    outcome = export_project(path, fmt, output, EVERYTHING, lambda: False)
    assert outcome.error is not None and "No space left on device" in outcome.error
    monkeypatch.undo()
    if without_syncfs:
        monkeypatch.setattr(base, "_syncfs", None)
    after = {
        p.relative_to(output.parent): p.read_bytes()
        for p in output.parent.rglob("*")
        if p.is_file()
    }
    assert after == earlier


def test_spacy_export_failing_while_a_file_is_written_leaves_no_partial_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The spacy export writes each .spacy file in a thread of its own while it makes the
    next one: the disk filling up there stops the export with the system's words, leaves
    no partial folder, and an earlier export of that name stays as it was."""
    path = tmp_path / "p.factmark"
    texts = [f"Officials in Lagos said {n} people were hurt in Kano." for n in range(5)]
    ids = new_project(path, texts)
    monkeypatch.setattr(spacy_docbin, "DOCUMENTS_PER_FILE", 2)  # three files
    output = tmp_path / "out" / "corpus.spacy"

    def files() -> dict[Path, bytes]:
        return {
            p.relative_to(output.parent): p.read_bytes()
            for p in output.parent.rglob("*")
            if p.is_file()
        }

    assert export_project(path, "spacy", output, EVERYTHING, lambda: False).error is None
    earlier = files()
    assert len([p for p in earlier if p.suffix == ".spacy"]) == 3
    with Project.open(path) as project:  # new work, so that a new export would differ
        project.add_span(ids[0], 13, 18, "location")
    write = AtomicFolder.write
    written: list[str] = []

    def full_at_the_second(folder: AtomicFolder, relative: str, data: bytes) -> None:
        written.append(relative)
        if relative == "000002.spacy":
            raise OSError(errno.ENOSPC, "No space left on device")
        write(folder, relative, data)

    monkeypatch.setattr(AtomicFolder, "write", full_at_the_second)
    outcome = export_project(path, "spacy", output, EVERYTHING, lambda: False)
    monkeypatch.undo()

    assert outcome.error is not None and "No space left on device" in outcome.error
    assert written == ["000001.spacy", "000002.spacy"]  # nothing more after the error
    assert files() == earlier
    marker = AtomicFolder.MARKER
    assert [p for p in leftovers(output.parent) if not p.endswith(marker)] == []


def test_xmi_export_failing_while_the_zip_is_written_leaves_the_earlier_zip(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The XMI export deflates and writes its members a batch at a time: the disk
    filling up while one is written stops the export with the system's words, nothing
    more is written, and an earlier zip of that name stays as it was."""
    path = tmp_path / "p.factmark"
    texts = [f"Officials in Lagos said {n} people were hurt in Kano." for n in range(5)]
    ids = new_project(path, texts)
    monkeypatch.setattr(zip_stream, "_BATCH_BYTES", 1)  # a batch per member
    output = tmp_path / "out" / "corpus.zip"
    assert export_project(path, "xmi", output, EVERYTHING, lambda: False).error is None
    earlier = output.read_bytes()
    with Project.open(path) as project:  # new work, so that a new export would differ
        project.add_span(ids[0], 13, 18, "location")
    write = base.AtomicFile.write
    written: list[bytes] = []

    def full_at_the_second(out: base.AtomicFile, data: bytes) -> None:
        written.append(data)
        if len(written) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        write(out, data)

    monkeypatch.setattr(base.AtomicFile, "write", full_at_the_second)
    outcome = export_project(path, "xmi", output, EVERYTHING, lambda: False)
    monkeypatch.undo()

    assert outcome.error is not None and "No space left on device" in outcome.error
    assert len(written) == 2  # nothing more after the error
    assert output.read_bytes() == earlier
    assert leftovers(output.parent) == []


@pytest.mark.parametrize(
    ("fmt", "nested"), [("jsonl", None), ("brat", None), ("conll", "per-label")]
)
def test_split_export_failing_in_a_later_part_replaces_no_part(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str, nested: str | None
) -> None:
    """All parts of a split (and every per-label file) replace an earlier export
    together or not at all: the disk filling up while the last part is flushed leaves
    the earlier train, dev and test outputs exactly as they were, and no temporaries."""
    path = tmp_path / "p.factmark"
    texts = [f"Officials in Lagos said {n} people were hurt in Kano." for n in range(40)]
    ids = new_project(path, texts)
    with Project.open(path) as project:
        for document_id in ids:
            project.add_span(document_id, 13, 18, "location")
            project.add_span(document_id, 0, 9, "source")
    output = tmp_path / "out" / f"corpus.{fmt}"
    options = {"nested": nested} if nested else {}
    split = Split.parse("train=0.5,dev=0.25,test=0.25", 7)

    def run() -> str | None:
        # No dataset card: the last flush is then the last part's.
        outcome = export_project(
            path, fmt, output, EVERYTHING, lambda: False, split, options, False
        )
        return outcome.error

    def files() -> dict[Path, bytes]:
        return {
            p.relative_to(output.parent): p.read_bytes()
            for p in output.parent.rglob("*")
            if p.is_file()
        }

    assert run() is None
    earlier = files()
    for part in ("train", "dev", "test"):  # files corpus.train.jsonl, folders corpus.brat/train
        assert any(part in p.parts or f".{part}." in p.name for p in earlier), part
    with Project.open(path) as project:  # new work, so that a new export would differ
        project.add_span(ids[0], 24, 25, "number")
    real_fsync = os.fsync
    synced: list[int] = []

    def counted(descriptor: int) -> None:
        synced.append(descriptor)
        real_fsync(descriptor)

    flushed_by(monkeypatch, counted)
    assert run() is None  # to count the flushes of a whole export
    monkeypatch.undo()
    flushes, synced[:] = len(synced), []
    assert run() is None and files() != earlier
    earlier = files()
    with Project.open(path) as project:
        project.add_span(ids[1], 24, 25, "number")

    def full_at_the_end(descriptor: int) -> None:
        synced.append(descriptor)
        if len(synced) == flushes:  # every output is whole but the last one flushed
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(descriptor)

    flushed_by(monkeypatch, full_at_the_end)
    error = run()
    monkeypatch.undo()
    assert error is not None and "No space left on device" in error
    assert files() == earlier
    marker = AtomicFolder.MARKER  # inside every folder an export made, on purpose
    assert [p for p in leftovers(output.parent) if not p.endswith(marker)] == []
    assert run() is None and files() != earlier  # with space again, all parts are replaced
