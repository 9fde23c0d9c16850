"""Helpers shared by the core tests: writing JSONL inputs and snapshotting a project."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest

from factmark.core.changes import ChangeSet
from factmark.core.project import Project

Snapshot = dict[str, Any]


def project_snapshot(project: Project) -> Snapshot:
    """Everything a user could see in a project: counts, texts, spans and relations."""
    documents = []
    for document in project.documents():
        full = project.document(document.id or 0)
        documents.append(
            (
                full.uid,
                full.title,
                full.text,
                full.status,
                full.meta,
                [
                    (s.id, s.start, s.end, s.label, s.annotator, s.note, s.attrs)
                    for s in project.spans(full.id or 0)
                ],
                [
                    (r.head_span_id, r.child_span_id, r.label)
                    for r in project.relations(full.id or 0)
                ],
            )
        )
    return {"stats": project.stats(), "labels": project.labels(), "documents": documents}


def sha256(path: Path) -> str:
    """The hash of a file's bytes, to prove a refused file was not touched."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def snapshot() -> Callable[[Project], Snapshot]:
    """:func:`project_snapshot`, for tests to compare a project before and after."""
    return project_snapshot


@pytest.fixture
def file_hash() -> Callable[[Path], str]:
    """:func:`sha256` of a file's bytes."""
    return sha256


@pytest.fixture
def write_jsonl(tmp_path: Path) -> Callable[..., Path]:
    """Write records (dicts are JSON-encoded, str/bytes written as they are) one per line."""

    def write(records: list[Any], name: str = "input.jsonl") -> Path:
        lines = []
        for record in records:
            if isinstance(record, bytes):
                lines.append(record)
            elif isinstance(record, str):
                lines.append(record.encode("utf-8"))
            else:
                lines.append(orjson.dumps(record))
        path = tmp_path / name
        path.write_bytes(b"\n".join(lines) + b"\n")
        return path

    return write


def kinds(changes: list[ChangeSet]) -> list[set[str]]:
    """The kinds of change each delivered ChangeSet held, by name."""
    return [change.kinds() for change in changes]
