"""The PyInstaller bundle built with ``build.spec`` runs the command line like the checkout.

The bundle comes from ``packaging/build.py`` (the ``build_output`` fixture of
``conftest.py``, shared with the installer tests); the build takes about half a
minute, so these tests are marked slow. They catch
what only a frozen app shows: a data file a dependency reads at run time and the
spec did not collect (trafilatura's settings.cfg, justext's stoplists, python-docx's
template), our own ``resources/`` and ``seeds/`` missing, or an excluded module
that turns out to be imported.
"""

from __future__ import annotations

import os
import subprocess
import sys
from importlib.util import find_spec
from pathlib import Path

import orjson
import pytest

from factmark import __version__

REPO = Path(__file__).resolve().parents[2]
EXE_SUFFIX = ".exe" if sys.platform == "win32" else ""

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        find_spec("PyInstaller") is None,
        reason="PyInstaller is not importable here; install it (pip install '.[test]') "
        "to build and test the bundle",
    ),
]

ARTICLE_HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Reservoir levels fall to record low</title>
<meta name="author" content="A. Reporter">
<meta property="og:site_name" content="Example Times">
<meta name="date" content="2024-03-05"></head>
<body><nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<article><h1>Reservoir levels fall to record low</h1>
<p>The regional water authority said on Tuesday that the main reservoir near Cape Town
was at 23 percent of capacity, the lowest level since records began in 1978.</p>
<p>According to the authority, consumption rose by 12 percent over the past month while
rainfall was less than half the seasonal average.</p>
<p>Officials urged residents to limit use to 50 litres per person per day.</p></article>
<footer>Copyright Example Times. Cookie settings.</footer></body></html>
"""


@pytest.fixture(scope="module")
def bundle(build_output: Path) -> Path:
    """The ``Factmark`` folder built from the checkout (in a temporary folder)."""
    return build_output / "Factmark"


@pytest.fixture
def articles(tmp_path: Path, corpus: Path) -> list[Path]:
    """One article of each kind the frozen app must read: text, saved page, Word file."""
    import docx

    folder = tmp_path / "articles"
    folder.mkdir()
    page = folder / "reservoir.html"
    page.write_text(ARTICLE_HTML, encoding="utf-8")
    document = docx.Document()
    document.core_properties.title = "Port reopens"
    document.core_properties.author = "B. Writer"
    document.add_paragraph("The port of Odesa reopened on Monday, officials said.")
    document.add_paragraph("About 40 ships were waiting offshore.")
    word = folder / "port.docx"
    document.save(str(word))
    return [corpus / "ar-mosul.txt", corpus / "annotated.jsonl", page, word]


def run(
    command: list[str | Path], tmp_path: Path, **extra_env: str
) -> subprocess.CompletedProcess[str]:
    """Run a factmark command offscreen with its user folders inside ``tmp_path``.

    PYTHONPATH is passed only when asked for (the checkout run), so nothing but
    the bundle can supply the frozen app's modules.
    """
    env = {
        **{name: value for name, value in os.environ.items() if name != "PYTHONPATH"},
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_DATA_HOME": str(tmp_path / "xdg-data"),
        "XDG_CONFIG_HOME": str(tmp_path / "xdg-config"),
        "XDG_CACHE_HOME": str(tmp_path / "xdg-cache"),
        **extra_env,
    }
    return subprocess.run(
        [str(part) for part in command],
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
        cwd=tmp_path,
    )


def debug_exe(bundle: Path) -> Path:
    return bundle / f"factmark-debug{EXE_SUFFIX}"


def test_both_programs_share_one_folder(bundle: Path) -> None:
    assert (bundle / f"Factmark{EXE_SUFFIX}").is_file()
    assert debug_exe(bundle).is_file()


def test_bundle_holds_resources_and_seeds(bundle: Path) -> None:
    """Under ``<_MEIPASS>/factmark/``, where ``factmark.core.resources`` looks first."""
    (labels,) = bundle.rglob("factmark/resources/labels.json")
    root = labels.parent.parent
    for folder in ("resources", "seeds"):
        for path in (REPO / folder).rglob("*"):
            if path.is_file():
                copy = root / path.relative_to(REPO)
                assert copy.is_file(), f"{path.relative_to(REPO)} is not in the bundle"
                assert copy.read_bytes() == path.read_bytes(), copy


def test_version(bundle: Path, tmp_path: Path) -> None:
    result = run([debug_exe(bundle), "--version"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"factmark {__version__}"


def test_selftest_runs_the_window_from_the_bundle(bundle: Path, tmp_path: Path) -> None:
    """The bundled app opens its window, labels a span with its own widgets and exports."""
    result = run([debug_exe(bundle), "selftest"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("selftest ok: labelled 'Yevgeny Prigozhin' as source")


def test_import_and_stats_match_the_checkout(
    bundle: Path, articles: list[Path], tmp_path: Path
) -> None:
    """Same reports, same stats from the frozen app as from ``python -m factmark``."""
    checkout = [sys.executable, "-m", "factmark"]
    pythonpath = os.pathsep.join(
        filter(None, [str(REPO / "desktop"), os.environ.get("PYTHONPATH")])
    )
    frozen_project = tmp_path / "frozen.factmark"
    source_project = tmp_path / "source.factmark"

    frozen = run([debug_exe(bundle), "import", frozen_project, *articles], tmp_path)
    source = run([*checkout, "import", source_project, *articles], tmp_path, PYTHONPATH=pythonpath)

    assert frozen.returncode == 0, frozen.stdout + frozen.stderr
    assert source.returncode == 0, source.stdout + source.stderr
    text, jsonl, page, word = articles
    assert f"{text}: imported 1 document, 0 spans" in frozen.stdout, frozen.stdout
    assert f"{jsonl}: imported 3 documents, 16 spans" in frozen.stdout, frozen.stdout
    assert f"{page}: imported 1 document, 0 spans" in frozen.stdout, frozen.stdout
    assert f"{word}: imported 1 document, 0 spans" in frozen.stdout, frozen.stdout
    assert (frozen.stdout, frozen.stderr) == (source.stdout, source.stderr)

    frozen_stats = run([debug_exe(bundle), "stats", "--json", frozen_project], tmp_path)
    source_stats = run(
        [*checkout, "stats", "--json", source_project], tmp_path, PYTHONPATH=pythonpath
    )
    assert frozen_stats.returncode == 0, frozen_stats.stderr
    figures = orjson.loads(frozen_stats.stdout)
    assert sum(figures["documents"].values()) == 6  # 1 + 3 (JSONL) + 1 + 1
    # Default labels come from the bundled resources/labels.json.
    assert {"claim", "source", "location", "number"} <= set(figures["spans_by_label"])
    assert figures == orjson.loads(source_stats.stdout)

    table = run([debug_exe(bundle), "stats", frozen_project], tmp_path)
    assert table.returncode == 0, table.stderr
    assert "Documents by status (total 6)" in table.stdout


def test_saved_page_keeps_its_metadata(bundle: Path, articles: list[Path], tmp_path: Path) -> None:
    """trafilatura's metadata path (htmldate, courlan) works frozen, not only the body text."""
    project = tmp_path / "meta.factmark"
    page = articles[2]
    assert run([debug_exe(bundle), "import", project, page], tmp_path).returncode == 0
    out = tmp_path / "out.jsonl"
    result = run([debug_exe(bundle), "export", project, "--all", "-o", out], tmp_path)
    assert result.returncode == 0, result.stderr
    (record,) = [orjson.loads(line) for line in out.read_bytes().splitlines() if line.strip()]
    assert record["title"] == "Reservoir levels fall to record low"
    assert "23 percent of capacity" in record["text"]
    assert "Cookie settings" not in record["text"]
    assert record["meta"].get("date") == "2024-03-05"
    assert record["meta"].get("publication") == "Example Times"
