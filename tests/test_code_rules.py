"""House rules that keep the code easy to change, checked with the tools that define them."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent))
    assert found, f"{name} is not installed beside {sys.executable}; install '.[test]'"
    return found


def test_core_never_imports_qt_or_the_ui() -> None:
    result = subprocess.run(
        [_tool("lint-imports"), "--no-cache"], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "core never imports Qt or the ui KEPT" in result.stdout
    assert (
        "the ui is layered: window over dialogs over panels and the article over models KEPT"
        in (result.stdout)
    )
    assert "Contracts: 3 kept, 0 broken." in result.stdout


def test_the_ui_has_no_import_cycles() -> None:
    """Within the ui, no module imports one that (directly or not) imports it back."""
    import grimp

    graph = grimp.build_graph("factmark")
    modules = {m for m in graph.modules if m.startswith("factmark.ui")}
    cycles = [
        (module, other)
        for module in sorted(modules)
        for other in graph.find_modules_directly_imported_by(module) & modules
        if graph.chain_exists(importer=other, imported=module)
    ]
    assert cycles == []


def test_ruff_is_clean() -> None:
    result = subprocess.run(
        [_tool("ruff"), "check", "desktop", "tests", "bench"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_window_starts_without_modules_it_does_not_need_yet(tmp_path: Path) -> None:
    """`factmark` opens an up-to-date project without sqlite-utils (needed only to
    migrate), the importers, the merger, the agreement figures, the archive's matcher or
    the parts of the window made when first used: each of these would add to every start
    of the app."""
    project = tmp_path / "p.factmark"
    subprocess.run(
        [
            sys.executable,
            "-c",
            f"from factmark.core.project import Project\nProject.open({str(project)!r}).close()",
        ],
        check=True,
        timeout=60,
    )
    code = (
        "import sys\n"
        "from factmark.cli import build_parser\n"
        "from factmark.core.workspace import open_project\n"
        "import factmark.ui.window.main_window\n"
        "build_parser().parse_args(['gui'])\n"
        f"open_project(__import__('pathlib').Path({str(project)!r})).close()\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    loaded = set(
        subprocess.run(
            [sys.executable, "-c", code], check=True, capture_output=True, text=True, timeout=60
        ).stdout.split()
    )
    later = {
        "sqlite_utils",
        "factmark.core.importing",
        "factmark.core.exporting",
        "factmark.core.merge",
        "factmark.core.agreement",
        "trafilatura",
        "docx",
        "charset_normalizer",
        "rich",
        "spacy",
        # Parts made when first used: the guidelines dock, the merge conflict queue,
        # turning cues on or off, a document's identity (hashing an added text).
        "factmark.ui.panels.guidelines_panel",
        "factmark.core.conflicts",
        "factmark.core.label_operations",
        "hashlib",
        # The archive of earlier fact-checks and its matcher (loaded by the look-up, off
        # the GUI thread), and copies' checks (loaded when a span is first shown).
        "factmark.core.archive",
        "factmark.core.claim_matching",
        "factmark.core.copies",
        # The look-ups themselves: made when a claim is first selected, or sentences
        # checked before are first looked for.
        "factmark.ui.background.claim_matches",
        # The window's parts made when first used: the File menu's work, the dialogs and
        # review mode, the merge conflict queue and its panel.
        "factmark.ui.window.files",
        "factmark.ui.window.dialogs",
        "factmark.ui.window.conflict_queue",
        "factmark.ui.panels.conflict_panel",
        # Made after the first paint: the panels under the span list and the parts they
        # serve (links, cues, link attributes, earlier fact-checks).
        "factmark.ui.window.side_panels",
        "factmark.ui.panels.details_panel",
        "factmark.ui.panels.relations_panel",
        "factmark.ui.panels.suggestion_panel",
        "factmark.ui.panels.room",
        "factmark.ui.panels.previously_checked",
        "factmark.ui.window.linking",
        "factmark.ui.window.cues",
        "factmark.ui.window.link_attributes",
        "factmark.ui.window.previously_checked",
        # Loaded by nothing a start needs: markup is escaped without the html module's
        # table of character references; the login name is asked only on a first start.
        "html",
        "getpass",
        # The cue patterns and operations (a start reads only the names and checks of
        # core.cue_names), and the matching of sentences checked before.
        "factmark.core.cues",
        "factmark.core.checked_sentences",
        # The user's folders are worked out without platformdirs on Linux.
        "platformdirs",
        # orjson (with the uuid and platform modules it imports): the settings a start
        # reads are read by the standard library's json (see settings_store.settings_value).
        "orjson",
        "uuid",
        "platform",
        # Documents, spans and links as read from a file: importers and merges use them.
        "factmark.core.incoming",
        # The lists' table views, made after the first paint: Qt's item-view classes,
        # whose enumerations PySide makes when a class is first touched, wait for them.
        "factmark.ui.panels.table_view",
    }
    assert loaded & later == set()
    assert "factmark.ui.window.main_window" in loaded  # the check itself ran


def test_the_command_line_module_loads_no_core_before_main_runs() -> None:
    """`factmark` imports factmark.cli, then runs its main: the core is imported in main,
    after the window's start has paused the cyclic collector (see factmark.cli.main)."""
    code = (
        "import sys\n"
        "import factmark.cli\n"
        "print(' '.join(m for m in sys.modules if m.startswith('factmark.')))\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True, timeout=60
    ).stdout.split()
    assert loaded == ["factmark.cli"]


@pytest.mark.parametrize("package", ["factmark.core", "factmark.ui"])
def test_type_checks_strictly(package: str) -> None:
    result = subprocess.run(
        [_tool("mypy"), "--strict", "-p", package],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
