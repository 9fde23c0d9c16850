"""``factmark agree --json`` writes the disagreements as they are found: the same document
as when it was built whole in memory, to the byte, in bounded memory; a reader that stops
early or Ctrl-C ends it quietly."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import orjson
import pytest
from tests.cli.agree_projects import CAPTURED, PROJECTS, handmade
from tests.cli.test_cli import factmark
from tests.faults.helpers import (
    SECOND_WRAPPER,
    interrupt_with_a_slow_second,
    own_temporary_folder,
    posix_only,
    second_as,
)

from factmark.cli import main
from factmark.core import agreement, agreement_scan, two_processes
from factmark.core.importing import import_file
from factmark.core.project import Project


@pytest.mark.parametrize("name", sorted(PROJECTS))
def test_the_json_is_the_document_printed_before_it_was_streamed(name: str, tmp_path: Path) -> None:
    path = tmp_path / f"{name}.factmark"
    PROJECTS[name](path)
    printed = factmark("agree", path, "--json")
    assert printed.returncode == 0, printed.stderr
    assert printed.stdout.encode() == (CAPTURED / f"{name}.json").read_bytes()


def test_the_disagreements_of_a_small_project_worked_out_by_hand(tmp_path: Path) -> None:
    """Each cluster of one label that the annotators did not mark alike, in document
    order, then the links and attributes; counted by label."""
    path = tmp_path / "handmade.factmark"
    handmade(path)
    figures = json.loads(factmark("agree", path, "--json").stdout)

    def entry(kind: str, label: str, doc: int, start: int, end: int, ana: str, ben: str) -> dict:
        title = {1: "troops", 2: "Львів 𠮷"}[doc]
        found = {"kind": kind, "label": label, "document_id": doc, "document": title}
        return {**found, "start": start, "end": end, "versions": {"ana": ana, "ben": ben}}

    # troops: the claims differ ([0,31) and [0,25)); number and source agree; the gold
    # layer's location is no annotator's. Police: ana's Lviv has no span of ben's; the
    # numbers overlap ([12,14) and [12,21)): one cluster, from 12 to 21. Labels by name.
    assert figures["disagreements"] == [
        entry(
            "span",
            "claim",
            1,
            0,
            31,
            "[0, 31) “Army says 240 troops left Kyiv.”",
            "[0, 25) “Army says 240 troops left”",
        ),
        entry("span", "location", 2, 30, 34, "[30, 34) “Lviv”", "—"),
        entry("span", "number", 2, 12, 21, "[12, 14) “12”", "[12, 21) “12 people”"),
        # ana's source -> claim, which ben did not link; its ends cut at 30 characters.
        entry("link", "source_of", 1, 0, 31, "Army → Army says 240 troops left Kyi…", "—"),
        {**entry("attribute", "verdict", 1, 0, 31, "false", "true"), "span_label": "claim"},
    ]
    assert figures["disagreement_counts"] == {
        "spans": {"claim": 1, "location": 1, "number": 1},
        "links": {"source_of": 1},
        "attributes": {"verdict": 1},
    }
    assert figures["documents_compared"] == 2
    # Lowest exact F1 first: Police 0 (no span alike), troops 2 * 2 / (3 + 3) = 0.6667.
    assert [(row["title"], row["exact_f1"]) for row in figures["documents"]] == [
        ("Львів 𠮷", 0.0),
        ("troops", 0.6667),
    ]


def printed_in_process(path: Path, out: Path) -> int:
    """``factmark agree PATH --json`` run here, its standard output into ``out``."""
    with out.open("w", encoding="utf-8") as stdout:
        before, sys.stdout = sys.stdout, stdout
        try:
            return main(["agree", str(path), "--json"])
        finally:
            sys.stdout = before


@pytest.mark.parametrize("name", ["handmade", "mixed"])
def test_small_batches_and_a_second_process_give_the_same_bytes(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many batches, their lists of disagreements and the documents' rows written a part
    at a time, the later documents' disagreements laid out by a second process: the
    same document."""
    path = tmp_path / f"{name}.factmark"
    PROJECTS[name](path)
    monkeypatch.setattr(agreement_scan, "BATCH", 8)
    monkeypatch.setattr(agreement, "FROM_BYTES", 0)
    monkeypatch.setattr("factmark.core.agreement_documents.ROWS", 5)
    started = []
    start = two_processes.SecondProcess.start

    def recorded(what: str, command: str, job: dict) -> two_processes.SecondProcess:
        started.append(command)
        return start(what, command, job)

    monkeypatch.setattr(two_processes.SecondProcess, "start", recorded)
    out = tmp_path / "out.json"
    assert printed_in_process(path, out) == 0
    assert started == ["_agree-part", "_agree-list"]
    assert out.read_bytes() == (CAPTURED / f"{name}.json").read_bytes()


DOCUMENTS = 1500


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """1,500 documents, each with 5 claims two annotators marked apart: 7,500 span
    disagreements."""
    folder = tmp_path_factory.mktemp("many")
    source = folder / "many.jsonl"
    with source.open("wb") as out:
        for n in range(DOCUMENTS):
            text = " ".join(f"w{n:05}x{k:02}" for k in range(60))  # 659 characters
            spans = []
            for k in range(10):
                start = 60 * k
                for who in ("ana", "ben"):
                    end = start + 30 + (k % 2 and who == "ben")  # every other one differs
                    spans.append({"start": start, "end": end, "label": "claim", "annotator": who})
            out.write(orjson.dumps({"title": f"article {n}", "text": text, "spans": spans}))
            out.write(b"\n")
    path = folder / "many.factmark"
    with Project.open(path) as project:
        assert import_file(project, source).documents == DOCUMENTS
    return path


def test_the_disagreements_are_not_held_whole(
    many: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Memory follows the batch, not the project: with batches of 64 documents, the
    peak of Python's allocations while the 7,500 disagreements (3 MB of JSON) are
    printed stays far under what the list of them alone takes (about 9 MB)."""
    monkeypatch.setattr(agreement_scan, "BATCH", 64)
    out = tmp_path / "out.json"
    tracemalloc.start()
    try:
        assert printed_in_process(many, out) == 0
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    figures = orjson.loads(out.read_bytes())
    assert figures["disagreement_counts"]["spans"] == {"claim": 5 * DOCUMENTS}
    assert len(figures["disagreements"]) == 5 * DOCUMENTS
    assert len(figures["documents"]) == DOCUMENTS
    assert peak < 4_000_000, f"peak {peak / 1e6:.1f} MB"


@posix_only
def test_a_reader_that_stops_early_ends_it_quietly(many: Path) -> None:
    """``factmark agree --json P | head -c 100``: no traceback, the exit code of a
    closed output (1)."""
    command = [sys.executable, "-m", "factmark", "agree", str(many), "--json"]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert child.stdout is not None and child.stderr is not None
    assert len(child.stdout.read(100)) == 100
    child.stdout.close()
    assert child.wait(timeout=120) == 1
    assert child.stderr.read() == b""


@posix_only
def test_ctrl_c_while_the_disagreements_are_written(many: Path) -> None:
    """Ctrl-C once the list has begun (the reader slower than the command): the usual
    one line, no traceback."""
    command = [sys.executable, "-m", "factmark", "agree", str(many), "--json"]
    child = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        # Ctrl-C reaches the command however the tests were started (a background job
        # ignores SIGINT).
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert child.stdout is not None
    read = b""
    while b'"disagreements": [\n' not in read:
        chunk = os.read(child.stdout.fileno(), 1 << 12)
        assert chunk, child.communicate()[1]
        read += chunk
    time.sleep(0.5)  # the pipe full, the command waits to write more
    child.send_signal(signal.SIGINT)
    _, err = child.communicate(timeout=60)
    assert child.returncode == 130
    assert err == b"factmark: interrupted; everything reported as done is saved\n"


# The second process of the list (factmark _agree-list) slow; the counting's as usual.
SLOW_LIST = """
if sys.argv[1] == "_agree-list":
    slow()
sys.exit(main(sys.argv[1:]))
"""


@posix_only
def test_ctrl_c_while_a_second_process_lists_stops_it(tmp_path: Path) -> None:
    """Both processes stop, nothing is left in the temporary folder, and the command
    says it was interrupted."""
    path = tmp_path / "mixed.factmark"
    PROJECTS["mixed"](path)
    (tmp_path / "tmp").mkdir()
    wrapper = tmp_path / "wrapper.py"
    wrapper.write_text(SECOND_WRAPPER + SLOW_LIST, encoding="utf-8")
    arguments = ["agree", str(path), "--json"]
    interrupt_with_a_slow_second(tmp_path, "factmark.core.agreement", wrapper, arguments)
    assert list((tmp_path / "tmp").iterdir()) == []


# The second process of the list killed as it starts.
KILLED_LIST = """
if sys.argv[1] == "_agree-list":
    os.kill(os.getpid(), signal.SIGKILL)
sys.exit(main(sys.argv[1:]))
"""


@posix_only
def test_a_second_process_that_fails_fails_the_command_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mixed.factmark"
    PROJECTS["mixed"](path)
    own_temporary_folder(tmp_path, monkeypatch, KILLED_LIST)
    second_as(monkeypatch, tmp_path / "wrapper.py", "killed")
    monkeypatch.setattr(agreement, "FROM_BYTES", 0)
    assert main(["agree", str(path), "--json"]) == 1
    err = capsys.readouterr().err
    assert err == (
        f"factmark: error: {path}: the second agreement process stopped (ended by signal SIGKILL)\n"
    )
    assert list((tmp_path / "tmp").iterdir()) == []
