"""The factmark command, run as a user runs it: a real process through its entry point."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import orjson

from factmark import __version__


def factmark(
    *args: str | Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the installed ``factmark`` script (``python -m factmark`` if not installed)."""
    script = shutil.which("factmark", path=str(Path(sys.executable).parent))
    command = [script] if script else [sys.executable, "-m", "factmark"]
    return subprocess.run(
        [*command, *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


def read_jsonl(path: Path) -> list[dict]:
    return [orjson.loads(line) for line in path.read_bytes().splitlines() if line.strip()]


def test_version() -> None:
    result = factmark("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"factmark {__version__}"


def test_python_dash_m_runs_the_same_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "factmark", "--version"], capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == f"factmark {__version__}"


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert factmark("import").returncode == 2
    assert factmark("export", tmp_path / "p.factmark").returncode == 2  # no -o
    assert factmark("frobnicate").returncode == 2


def test_import_of_the_corpus_reports_every_file(tmp_path: Path, corpus: Path) -> None:
    project = tmp_path / "new.factmark"
    result = factmark("import", project, corpus)
    assert result.returncode == 1  # the bad files failed, the rest went in
    out, err = result.stdout, result.stderr
    assert f"{corpus / 'annotated.jsonl'}: imported 3 documents, 16 spans" in out
    assert f"{corpus / 'ar-mosul.txt'}: imported 1 document, 0 spans" in out
    assert f"{corpus / 'bad' / 'latin1.txt'}: imported 1 document, 0 spans (decoded as " in out
    assert f"{corpus / 'bad' / 'binary.txt'}: error: binary file" in err
    assert f"{corpus / 'bad' / 'empty.txt'}: error: empty file" in err
    assert f"{corpus / 'bad' / 'truncated.docx'}: error: not a readable .docx file" in err
    for line in (2, 3, 4, 5):
        assert f"{corpus / 'bad' / 'malformed.jsonl'}:{line}: error: " in err
    assert (
        f"{corpus / 'bad' / 'malformed.jsonl'}: imported 2 documents, 0 spans; 4 lines failed"
        in out
    )
    # emoji-lagos.txt holds the same text as a line of annotated.jsonl, read first
    assert f"{corpus / 'emoji-lagos.txt'}: duplicate (same text already in the project)" in out
    assert "Traceback" not in err

    again = factmark("import", project, corpus / "ar-mosul.txt")
    assert again.returncode == 0
    assert (
        again.stdout.strip()
        == f"{corpus / 'ar-mosul.txt'}: duplicate (same text already in the project)"
    )


def test_export_spans_match_the_input_exactly(tmp_path: Path, corpus: Path) -> None:
    project = tmp_path / "p.factmark"
    assert (
        factmark("import", project, corpus / "annotated.jsonl", corpus / "doccano.jsonl").returncode
        == 0
    )
    out = tmp_path / "out.jsonl"
    result = factmark("export", project, "-o", out, "--all")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"{out}: exported 5 documents, 20 spans and 1 link",
        f"dataset card: {tmp_path / 'README.md'}",
    ]

    exported = {record["text"]: record for record in read_jsonl(out)}
    sources = read_jsonl(corpus / "annotated.jsonl")
    for source in sources:
        record = exported[source["text"]]
        assert record["id"] == hashlib.sha256(source["text"].encode()).hexdigest()
        assert record["status"] == source["status"]
        got = sorted((s["start"], s["end"], s["label"], s["text"]) for s in record["spans"])
        want = sorted((s["start"], s["end"], s["label"], s["text"]) for s in source["spans"])
        assert got == want
        for span in record["spans"]:
            assert span["text"] == record["text"][span["start"] : span["end"]]
    lagos = exported[sources[0]["text"]]
    by_id = {s["id"]: s for s in lagos["spans"]}
    (relation,) = lagos["relations"]
    assert relation["label"] == "attributed_to"
    assert by_id[relation["head"]]["text"] == '"Lagos Water Board"'
    assert by_id[relation["child"]]["text"].startswith("A viral post claims")

    doccano = read_jsonl(corpus / "doccano.jsonl")
    for source in doccano:
        record = exported[source["text"]]
        spans = source.get("label") or [
            [e["start_offset"], e["end_offset"], e["label"]] for e in source["entities"]
        ]
        assert sorted((s["start"], s["end"], s["label"]) for s in record["spans"]) == sorted(
            tuple(s) for s in spans
        )

    # Round trip: the export imported into a new project exports to the same bytes.
    second = tmp_path / "second.factmark"
    assert factmark("import", second, out).returncode == 0
    out2 = tmp_path / "out2.jsonl"
    assert factmark("export", second, "-o", out2, "--all").returncode == 0
    assert out2.read_bytes() == out.read_bytes()


def test_export_defaults_to_done_documents(tmp_path: Path, corpus: Path) -> None:
    project = tmp_path / "p.factmark"
    factmark("import", project, corpus / "annotated.jsonl")
    out = tmp_path / "done.jsonl"
    result = factmark("export", project, "-o", out)
    assert result.returncode == 0
    assert [r["status"] for r in read_jsonl(out)] == ["done", "done"]
    only_zh = tmp_path / "zh.jsonl"
    factmark("export", project, "-o", only_zh, "--status", "in_progress", "--label", "number")
    (record,) = read_jsonl(only_zh)
    assert [s["text"] for s in record["spans"]] == ["300"]


def test_export_of_an_unknown_label_is_a_usage_error(tmp_path: Path, corpus: Path) -> None:
    project = tmp_path / "p.factmark"
    factmark("import", project, corpus / "annotated.jsonl")
    result = factmark("export", project, "-o", tmp_path / "x.jsonl", "--label", "villain")
    assert result.returncode == 2
    assert "unknown label 'villain'" in result.stderr
    assert not (tmp_path / "x.jsonl").exists()


def test_stats(tmp_path: Path, corpus: Path) -> None:
    project = tmp_path / "p.factmark"
    factmark("import", project, corpus / "annotated.jsonl", "--annotator", "alice")
    result = factmark("stats", project, "--json")
    assert result.returncode == 0
    figures = orjson.loads(result.stdout)
    assert figures["documents"] == {"new": 0, "in_progress": 1, "done": 2, "skipped": 0}
    assert figures["spans_by_label"] == {"claim": 2, "source": 4, "location": 5, "number": 5}
    assert figures["spans_by_annotator"] == {"alice": 16}
    table = factmark("stats", project).stdout
    assert "Documents by status (total 3)" in table
    assert "Spans by label (total 16)" in table


def test_stats_table_groups_thousands(tmp_path: Path) -> None:
    """The table reads large counts as every other message does: 1,234."""
    source = tmp_path / "many.jsonl"
    spans = [{"start": n, "end": n + 2, "label": "number"} for n in range(1234)]
    source.write_bytes(orjson.dumps({"text": "7" * 1300, "spans": spans}) + b"\n")
    project = tmp_path / "p.factmark"
    assert factmark("import", project, source).returncode == 0
    lines = factmark("stats", project).stdout.splitlines()
    assert "Spans by label (total 1,234)" in lines
    assert ["number", "1,234"] in [line.split() for line in lines]


def test_bad_project_files_get_one_line_and_stay_unchanged(tmp_path: Path, corpus: Path) -> None:
    not_a_project = tmp_path / "notes.factmark"
    not_a_project.write_text("these are my notes, not a database\n")
    before = not_a_project.read_bytes()
    for args in (
        ("import", not_a_project, corpus / "ar-mosul.txt"),
        ("stats", not_a_project),
        ("export", not_a_project, "-o", tmp_path / "o.jsonl"),
    ):
        result = factmark(*args)
        assert result.returncode == 1
        assert result.stderr.strip() == (
            f"factmark: error: {not_a_project}: not a Factmark project (not an SQLite database)"
        )
    assert not_a_project.read_bytes() == before

    missing = factmark("stats", tmp_path / "missing.factmark")
    assert missing.returncode == 1
    assert "no such project file" in missing.stderr
    assert not (tmp_path / "missing.factmark").exists()


def test_read_only_project_is_refused_for_import_but_exports(tmp_path: Path, corpus: Path) -> None:
    project = tmp_path / "p.factmark"
    factmark("import", project, corpus / "annotated.jsonl")
    project.chmod(0o444)
    before = project.read_bytes()
    result = factmark("import", project, corpus / "ar-mosul.txt")
    assert result.returncode == 1
    assert "read-only" in result.stderr
    assert factmark("export", project, "-o", tmp_path / "o.jsonl").returncode == 0
    assert project.read_bytes() == before


def test_import_creates_labels_only_when_asked(tmp_path: Path) -> None:
    source = tmp_path / "villains.jsonl"
    source.write_text(
        '{"text": "Dr Evil said so.", "spans": [{"start": 0, "end": 7, "label": "villain"}]}\n'
    )
    project = tmp_path / "p.factmark"
    refused = factmark("import", project, source)
    assert refused.returncode == 1
    assert f"{source}:1: error: unknown label 'villain'" in refused.stderr
    accepted = factmark("import", project, source, "--create-labels")
    assert accepted.returncode == 0
    assert "imported 1 document, 1 span" in accepted.stdout


def test_selftest_labels_exports_and_says_so_in_one_line() -> None:
    result = factmark("selftest")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "selftest ok: labelled 'Yevgeny Prigozhin' as source in bakhmut-counterattack.txt "
        "and exported it"
    ]
    assert result.stderr == ""


def test_split_is_seeded_stable_and_carded(tmp_path: Path, corpus: Path) -> None:
    project = tmp_path / "p.factmark"
    factmark("import", project, corpus)
    out = tmp_path / "split" / "corpus.jsonl"
    args = ("export", project, "-o", out, "--all", "--split", "train=0.5,dev=0.5", "--seed", "3")
    first = factmark(*args)
    assert first.returncode == 0, first.stderr
    train, dev = (
        tmp_path / "split" / "corpus.train.jsonl",
        tmp_path / "split" / "corpus.dev.jsonl",
    )
    ids = {part: [r["id"] for r in read_jsonl(part)] for part in (train, dev)}
    assert ids[train] and ids[dev] and not set(ids[train]) & set(ids[dev])
    assert f"  train: {train}: {len(ids[train])} documents" in first.stdout
    card = (tmp_path / "split" / "README.md").read_text(encoding="utf-8")
    assert "train=0.5,dev=0.5 with seed 3" in card
    assert "| documents | " in card and "`claim` spans" in card
    # Same seed, same split; a new document does not move the others.
    (tmp_path / "extra.txt").write_text("Officials in Odesa said 40 drones were shot down.\n")
    factmark("import", project, tmp_path / "extra.txt")
    assert factmark(*args).returncode == 0
    again = {part: [r["id"] for r in read_jsonl(part)] for part in (train, dev)}
    assert set(ids[train]) <= set(again[train]) and set(ids[dev]) <= set(again[dev])
    assert len(again[train]) + len(again[dev]) == len(ids[train]) + len(ids[dev]) + 1


def test_split_and_option_mistakes_are_usage_errors(tmp_path: Path, corpus: Path) -> None:
    project = tmp_path / "p.factmark"
    factmark("import", project, corpus / "annotated.jsonl")
    out = tmp_path / "o.jsonl"
    bad_sum = factmark("export", project, "-o", out, "--split", "train=0.8,dev=0.1")
    assert bad_sum.returncode == 2
    assert "split fractions add up to 0.9, not 1" in bad_sum.stderr
    nested = factmark("export", project, "-o", out, "--nested", "innermost")
    assert nested.returncode == 2 and "--format conll only" in nested.stderr
    assert not out.exists()


def test_no_card_and_a_foreign_readme_is_never_overwritten(tmp_path: Path, corpus: Path) -> None:
    project = tmp_path / "p.factmark"
    factmark("import", project, corpus / "annotated.jsonl")
    (tmp_path / "README.md").write_text("# My own notes\n")
    assert factmark("export", project, "-o", tmp_path / "a.jsonl", "--no-card").returncode == 0
    assert not (tmp_path / "a.jsonl.README.md").exists()
    result = factmark("export", project, "-o", tmp_path / "b.jsonl")
    assert result.stdout.splitlines()[-1] == f"dataset card: {tmp_path / 'b.jsonl.README.md'}"
    assert (tmp_path / "README.md").read_text() == "# My own notes\n"


def test_a_terminal_sees_a_progress_bar_and_a_pipe_plain_lines(
    tmp_path: Path, corpus: Path
) -> None:
    import pty

    script = shutil.which("factmark", path=str(Path(sys.executable).parent))
    command = [script] if script else [sys.executable, "-m", "factmark"]
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [*command, "import", str(tmp_path / "tty.factmark"), str(corpus)],
        stdout=subprocess.PIPE,
        stderr=follower,
        env={**os.environ, "COLUMNS": "100"},
    )
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        seen += chunk
    out, _ = process.communicate(timeout=120)
    os.close(leader)
    assert b"importing" in seen  # the bar, drawn on the terminal
    assert b"\x1b[" in seen
    assert b"\x1b[" not in out  # the report lines on the pipe stay plain
    assert b"annotated.jsonl: imported 3 documents, 16 spans" in out


def test_export_and_stats_upgrade_a_project_from_an_older_factmark(tmp_path: Path) -> None:
    """After updating Factmark, reading an old project works at once; the old file is
    kept as a backup copy, and a read-only old file is refused with the reason."""
    from tests.core.test_project import ARTICLE, make_old_project

    old = tmp_path / "old.factmark"
    make_old_project(old)
    readonly = tmp_path / "locked.factmark"
    make_old_project(readonly)
    readonly.chmod(0o444)

    stats = factmark("stats", old, "--json")
    assert stats.returncode == 0, stats.stderr
    assert orjson.loads(stats.stdout)["documents"]["done"] == 1
    (backup,) = tmp_path.glob("old.factmark.m001_initial.*.bak")
    out = tmp_path / "out.jsonl"
    exported = factmark("export", old, "-o", out)
    assert exported.returncode == 0, exported.stderr
    (record,) = read_jsonl(out)
    assert record["text"] == ARTICLE
    assert [(s["text"], s["label"]) for s in record["spans"]] == [
        ("Officials in Abuja", "source"),
        ("70%", "number"),
    ]
    assert list(tmp_path.glob("old.factmark.*.bak")) == [backup]  # upgraded once

    refused = factmark("export", readonly, "-o", tmp_path / "locked.jsonl")
    assert refused.returncode == 1
    assert "older Factmark" in refused.stderr and "Traceback" not in refused.stderr
    assert not list(tmp_path.glob("locked.factmark.*.bak"))
