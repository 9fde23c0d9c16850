"""Shared fixtures. Qt runs offscreen and nothing touches the user's real data."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before any Qt import

import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from factmark.core.project import Project

REPO = Path(__file__).resolve().parent.parent
SHARED_CORPUS = REPO.parent / "shared" / "corpus"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--second-process",
        action="store_true",
        help="formats that can (brat, CoNLL, attribution, sentences, XMI, spaCy) export, "
        "and agreement figures are counted, with a second process whatever the size",
    )


@pytest.fixture(autouse=True)
def second_process_always(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """With --second-process, every export of more than one document in a format that can
    (brat, CoNLL, attribution, sentences, XMI) is written by two processes
    (factmark.core.exporting.second_process), every spaCy output of more than one file has
    its later files made by a second process (factmark.core.exporting.spacy_docbin), and
    the agreement figures of more than one document are counted by two
    (factmark.core.agreement)."""
    if request.config.getoption("--second-process"):
        from factmark.core import agreement
        from factmark.core.exporting import second_process, spacy_docbin

        monkeypatch.setattr(second_process, "FROM_BYTES", 0)
        monkeypatch.setattr(spacy_docbin, "FROM_BYTES", 0)
        monkeypatch.setattr(agreement, "FROM_BYTES", 0)


@pytest.fixture(autouse=True)
def user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the per-user data and config folders at a temporary place."""
    home = tmp_path_factory.mktemp("home")
    for variable in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(variable, str(home / variable.lower()))
    return home


@pytest.fixture(scope="session", autouse=True)
def qt_test_mode() -> None:
    """QStandardPaths test mode, so QSettings never write the user's real settings."""
    from PySide6.QtCore import QStandardPaths

    QStandardPaths.setTestModeEnabled(True)


@pytest.fixture
def corpus() -> Path:
    """The shared test corpus (several scripts and newline styles, and bad inputs)."""
    if not SHARED_CORPUS.is_dir():
        pytest.fail(f"the shared corpus is missing at {SHARED_CORPUS}")
    return SHARED_CORPUS


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    """Where a fresh project file may be created."""
    return tmp_path / "test.factmark"


@pytest.fixture
def project(project_path: Path) -> Iterator[Project]:
    """A fresh, empty project that is closed after the test."""
    with Project.open(project_path) as opened:
        yield opened


# A project open in another process, as another Factmark window has it (see ``held``).
HOLDER = """
import sys
from factmark.core.project import Project
project = Project.open(sys.argv[1])
project.document_count()
print("open", flush=True)
sys.stdin.read()
project.close()
"""


@pytest.fixture
def held() -> Iterator[Callable[[Path], None]]:
    """Open a project in another process, as a window has it open (another Factmark
    window); closed at the end."""
    holders: list[subprocess.Popen[str]] = []

    def hold(path: Path) -> None:
        holder = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        holders.append(holder)
        assert holder.stdout is not None and holder.stdout.readline() == "open\n"

    yield hold
    for holder in holders:
        assert holder.stdin is not None
        holder.stdin.close()
        assert holder.wait(timeout=60) == 0
