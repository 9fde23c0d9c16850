"""The agreement figures of a large project counted by two processes
(factmark.core.agreement, factmark.core.two_processes): the same JSON to the byte as one
process and as the straightforward computation, whatever the second process numbered."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from tests.core.agreement_reference import straightforward_agreement
from tests.core.test_agreement_batches import archive, hostile

from factmark.core import agreement as agreement_module
from factmark.core import agreement_scan, two_processes
from factmark.core.agreement import agreement
from factmark.core.agreement_scan import Codes
from factmark.core.project import Project

__all__ = ["archive", "hostile"]  # the fixtures of the figures' other tests
FROM_BYTES = agreement_module.FROM_BYTES  # before --second-process sets it to 0


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, dict[str, Any]]]:
    """Every project counted by two processes; each second process's command and job."""
    monkeypatch.setattr(agreement_module, "FROM_BYTES", 0)
    jobs: list[tuple[str, dict[str, Any]]] = []
    start = two_processes.SecondProcess.start.__func__  # type: ignore[attr-defined]

    def recorded(
        cls: type[two_processes.SecondProcess], what: str, command: str, job: dict[str, Any]
    ) -> two_processes.SecondProcess:
        jobs.append((command, job))
        return start(cls, what, command, job)  # type: ignore[no-any-return]

    monkeypatch.setattr(two_processes.SecondProcess, "start", classmethod(recorded))
    return jobs


def as_json(figures: dict[str, Any]) -> str:
    return json.dumps(figures, ensure_ascii=False)


@pytest.mark.parametrize("details", [True, False])
def test_two_processes_give_the_bytes_of_one(
    hostile: Path,
    archive: Path,
    details: bool,
    started: list[tuple[str, dict[str, Any]]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """On CJK, Arabic, emoji, CRLF and spans crossing lines (hostile), and on links,
    attributes and an annotator met only in the later documents (archive): the later
    documents' counts made by the second process and pooled here, none counted twice."""
    monkeypatch.setattr(agreement_scan, "BATCH", 16)  # gaps of units carried across batches
    counted: list[range] = []
    count = agreement_module._count

    def recorded(*args: Any, **kwargs: Any) -> Any:
        counted.append(args[-1])
        return count(*args, **kwargs)

    monkeypatch.setattr(agreement_module, "_count", recorded)
    for path in (hostile, archive):
        with Project.open_to_read(path) as project:
            expected = straightforward_agreement(project)
            if not details:
                del expected["disagreements"]
            found = agreement(project, details)
            (command, job), *_ = started[-1:]
            assert command == "_agree-part" and job["details"] is details
            # This process counted the documents before the cut, and only those.
            assert counted[-1] == range(-(2**63), job["first"])
            ids = [row[0] for row in project.conn.execute("SELECT id FROM documents")]
            assert min(ids) < job["first"] <= max(ids)
        assert expected["documents_compared"] > 100
        assert as_json(found) == as_json(expected)
    assert len(started) == len(counted) == 2


def test_names_numbered_otherwise_there_are_counted_here(
    archive: Path, started: list[tuple[str, dict[str, Any]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Should the second process have numbered labels or annotators otherwise (the
    counts are kept by number), its documents are counted again here."""
    monkeypatch.setattr(Codes, "numbered_alike", lambda self, names: False)
    with Project.open_to_read(archive) as project:
        expected = straightforward_agreement(project)
        found = agreement(project)
    assert started
    assert as_json(found) == as_json(expected)


def test_numbered_alike_takes_only_the_same_numbers() -> None:
    ours = Codes(["claim", "source", "extra"])
    assert ours.numbered_alike(["claim", "source"])
    assert ours.numbered_alike(["claim", "source", "extra", "later"])
    assert ours.names == ["claim", "source", "extra", "later"]
    assert not Codes(["claim", "source", "extra"]).numbered_alike(["claim", "source", "other"])
    assert not Codes(["claim", "source"]).numbered_alike(["claim", "source", "late", "source"])
    assert not Codes(["claim", "source"]).numbered_alike(["source", "claim"])


def test_a_small_project_is_counted_by_one_process(
    archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused(*_args: Any) -> None:
        raise AssertionError("a second process started")

    monkeypatch.setattr(two_processes.SecondProcess, "start", refused)
    monkeypatch.setattr(agreement_module, "FROM_BYTES", FROM_BYTES)
    with Project.open_to_read(archive) as project:  # far under FROM_BYTES
        assert agreement(project) == straightforward_agreement(project)


@pytest.fixture
def second_processes(monkeypatch: pytest.MonkeyPatch) -> list[two_processes.SecondProcess]:
    """Every project counted by two processes, each second process started kept."""
    monkeypatch.setattr(agreement_module, "FROM_BYTES", 0)
    kept: list[two_processes.SecondProcess] = []
    start = two_processes.SecondProcess.start.__func__  # type: ignore[attr-defined]

    def recorded(
        cls: type[two_processes.SecondProcess], what: str, command: str, job: dict[str, Any]
    ) -> two_processes.SecondProcess:
        kept.append(start(cls, what, command, job))
        return kept[-1]

    monkeypatch.setattr(two_processes.SecondProcess, "start", classmethod(recorded))
    return kept


def test_a_cancel_stops_before_the_next_batch(
    archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(agreement_module, "FROM_BYTES", FROM_BYTES)  # one process
    monkeypatch.setattr(agreement_scan, "BATCH", 16)
    read: list[object] = []
    batches = agreement_module.read_batches

    def recorded(*args: Any) -> Any:
        for batch in batches(*args):
            read.append(batch)
            yield batch

    monkeypatch.setattr(agreement_module, "read_batches", recorded)
    with Project.open_to_read(archive) as project:
        assert agreement(project) == straightforward_agreement(project)
        every = len(read)
        read.clear()
        with pytest.raises(two_processes.Cancelled):
            agreement(project, cancelled=lambda: len(read) >= 2)
    assert every > 10
    assert len(read) == 2  # none read after the cancel


def test_a_cancel_ends_the_second_process_and_leaves_nothing(
    archive: Path,
    second_processes: list[two_processes.SecondProcess],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A second process that would never finish: the cancel asked while this process
    waits for it ends it and removes its folder."""
    monkeypatch.setattr(
        two_processes, "_program", lambda: [sys.executable, "-c", "import sys; sys.stdin.read()"]
    )
    mine_counted = False
    count = agreement_module._count

    def counted(*args: Any, **kwargs: Any) -> Any:
        nonlocal mine_counted
        tally = count(*args, **kwargs)
        mine_counted = True
        return tally

    monkeypatch.setattr(agreement_module, "_count", counted)
    with Project.open_to_read(archive) as project, pytest.raises(two_processes.Cancelled):
        agreement(project, cancelled=lambda: mine_counted)
    (second,) = second_processes
    assert second.child.returncode is not None
    assert not second.folder.exists()
