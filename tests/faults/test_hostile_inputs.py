"""Hostile imports, names and terminal output (issue 14): file names that are not UTF-8
or hold line breaks and escape sequences, labels and annotators with control or bidi
characters, a .docx zip bomb.

Each test runs the command as a user does and asserts the one-line message, the exit
code, that the other files were imported and that the project is otherwise what it
was. What is printed never holds a raw control or bidi character.
"""

from __future__ import annotations

import io
import os
import re
import sqlite3
import struct
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest

from factmark.core.importing import import_file
from factmark.core.incoming import IncomingDocument
from factmark.core.labels_store import check_label, check_relation_type
from factmark.core.model import Label, ValidationError
from factmark.core.project import Project
from factmark.core.safe_text import printable
from tests.cli.test_cli import factmark
from tests.faults.helpers import own_project  # noqa: F401  (the fixture `project`)

# What must never reach a terminal raw: C0 but the line break ending each line, DEL,
# C1, the Unicode line separators and the bidi controls.
RAW = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
ESC = "\x1b"
RLO = "\u202e"

linux_only = pytest.mark.skipif(
    sys.platform != "linux", reason="file names of any bytes: Linux file systems allow them"
)


def contents(path: Path) -> dict[str, Any]:
    """What a project holds, for comparing before and after."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {
            "labels": conn.execute(
                "SELECT name, key, colour, description FROM labels ORDER BY position"
            ).fetchall(),
            "relation_types": conn.execute(
                "SELECT name FROM relation_types ORDER BY position"
            ).fetchall(),
            "documents": conn.execute("SELECT title, text FROM documents ORDER BY id").fetchall(),
            "spans": conn.execute(
                'SELECT document_id, start, "end", label, annotator FROM spans ORDER BY id'
            ).fetchall(),
        }
    finally:
        conn.close()


def with_documents(before: dict[str, Any], *documents: tuple[str, str]) -> dict[str, Any]:
    """``before`` with these (title, text) documents added at the end."""
    return {**before, "documents": before["documents"] + list(documents)}


def assert_terminal_safe(*outputs: str) -> None:
    for output in outputs:
        assert not RAW.search(output), f"raw control or bidi character in {output!r}"
        assert "Traceback" not in output


# -- file names ----------------------------------------------------------------------


@linux_only
def test_a_file_name_that_is_not_utf8_is_reported_escaped_and_skipped(
    tmp_path: Path, project: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    # Empty-titled text: the title would come from the name, which SQLite cannot store.
    bad = os.path.join(os.fsencode(folder), b"\xff\xfebad.txt")
    try:
        with open(bad, "wb") as file:
            file.write(b"x" * 200 + b"\n")
    except OSError:
        pytest.skip("this file system refuses names that are not UTF-8")
    (folder / "good.txt").write_text("A good article.\n")
    (folder / "zz-after.txt").write_text("One more after it.\n")
    before = contents(project)

    result = factmark("import", project, folder)

    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{folder}/\\xff\\xfebad.txt: error: the file name is not valid UTF-8; "
        "rename it to import it"
    ]
    assert result.stdout.splitlines() == [
        f"{folder / 'good.txt'}: imported 1 document, 0 spans",
        f"{folder / 'zz-after.txt'}: imported 1 document, 0 spans",
    ]
    assert_terminal_safe(result.stdout, result.stderr)
    assert contents(project) == with_documents(
        before,
        ("A good article.", "A good article.\n"),
        ("One more after it.", "One more after it.\n"),
    )


@linux_only
def test_a_file_name_that_is_not_utf8_named_on_the_command_line(
    tmp_path: Path, project: Path
) -> None:
    bad = os.path.join(os.fsencode(tmp_path), b"caf\xe9.md")
    try:
        with open(bad, "wb") as file:
            file.write(b"# Caf\xc3\xa9\n\nText.\n")
    except OSError:
        pytest.skip("this file system refuses names that are not UTF-8")
    good = tmp_path / "good.txt"
    good.write_text("A good article.\n")
    before = contents(project)

    result = factmark("import", project, os.fsdecode(bad), good)

    assert result.returncode == 1
    assert result.stderr == (
        f"{tmp_path}/caf\\xe9.md: error: the file name is not valid UTF-8; rename it to import it\n"
    )
    assert result.stdout == f"{good}: imported 1 document, 0 spans\n"
    assert contents(project) == with_documents(before, ("A good article.", "A good article.\n"))


@linux_only
def test_a_newline_or_escape_sequence_in_a_file_name_cannot_forge_report_lines(
    tmp_path: Path, project: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    forged = "a.txt: imported 1 document, 0 spans\nb.txt: imported 1 document, 0 spans"
    names = [forged + ".txt", f"{ESC}[2J{ESC}]0;owned{chr(7)}.txt", f"{RLO}txt.exe.txt"]
    try:
        for number, name in enumerate(names):
            (folder / name).write_text(f"Article number {number}.\n")
    except OSError:
        pytest.skip("this file system refuses such names")
    before = contents(project)

    result = factmark("import", project, folder)

    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert sorted(result.stdout.splitlines()) == sorted(
        f"{folder}/{escaped}: imported 1 document, 0 spans"
        for escaped in (
            "a.txt: imported 1 document, 0 spans\\nb.txt: imported 1 document, 0 spans.txt",
            "\\x1b[2J\\x1b]0;owned\\x07.txt",
            "\\u202etxt.exe.txt",
        )
    )
    assert_terminal_safe(result.stdout)
    assert len(contents(project)["documents"]) == len(before["documents"]) + 3


@linux_only
def test_an_export_name_that_is_not_utf8_is_refused_before_anything_is_written(
    tmp_path: Path, project: Path
) -> None:
    before = project.read_bytes()
    output = os.fsdecode(os.path.join(os.fsencode(tmp_path), b"out\xff\x1b.jsonl"))

    result = factmark("export", project, "-o", output, "--all")

    assert result.returncode == 2
    assert result.stderr == (
        f"factmark: error: {tmp_path}/out\\xff\\x1b.jsonl: the output file name is not valid "
        "UTF-8\n"
    )
    assert sorted(os.listdir(tmp_path)) == ["mine.factmark"]
    assert project.read_bytes() == before


def test_report_lines_escape_the_file_name(tmp_path: Path) -> None:
    """The core's report lines, as the window shows them too."""
    path = tmp_path / f"x{ESC}[31m\n{RLO}.csv"
    with Project.open(tmp_path / "p.factmark") as opened:
        report = import_file(opened, path)
    (line,) = report.lines()
    # The list of suffixes grows with the readers; the name is what is escaped here.
    assert line.startswith(
        f"{tmp_path}/x\\x1b[31m\\n\\u202e.csv: error: unsupported file type '.csv' "
        "(Factmark imports "
    )
    assert ".docx, .htm, .html, .json, .jsonl, .markdown, .md, .ndjson" in line
    assert "\x1b" not in line and "\n" not in line and "\u202e" not in line


# -- labels, link types and annotators that imports bring -----------------------------


@pytest.mark.parametrize(
    ("label", "message"),
    [
        (
            "evil\nlabel",
            "a label name cannot hold line breaks, tabs, control or bidi characters: "
            "'evil\\nlabel'",
        ),
        (
            f"{ESC}[31mred",
            "a label name cannot hold line breaks, tabs, control or bidi characters: "
            "'\\x1b[31mred'",
        ),
        (
            f"{RLO}lebal",
            "a label name cannot hold line breaks, tabs, control or bidi characters: "
            "'\\u202elebal'",
        ),
        (" padded ", "a label name cannot start or end with spaces: ' padded '"),
        ("CLAIM", "label 'CLAIM' exists already (as 'claim')"),
    ],
)
def test_create_labels_applies_the_rules_of_labels_add(
    tmp_path: Path, project: Path, label: str, message: str
) -> None:
    import orjson

    source = tmp_path / "spans.jsonl"
    good = {"text": "Good line.", "spans": [{"start": 0, "end": 4, "label": "fine_label"}]}
    bad = {"text": "Bad line.", "spans": [{"start": 0, "end": 3, "label": label}]}
    source.write_bytes(orjson.dumps(bad) + b"\n" + orjson.dumps(good) + b"\n")
    before = contents(project)

    result = factmark("import", project, source, "--create-labels")

    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"{source}:1: error: {printable(message)}"]
    assert result.stdout == (
        f"{source}: imported 1 document, 1 span; 1 line failed\n"
        "added labels: fine_label (key 5)\n"  # the first key a new project leaves free
    )
    assert_terminal_safe(result.stdout, result.stderr)
    after = contents(project)
    assert [row[0] for row in after["labels"]] == [row[0] for row in before["labels"]] + [
        "fine_label"
    ]
    assert after["documents"] == before["documents"] + [("Good line.", "Good line.")]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "relation",
            f"{RLO}contradicts",
            "a link type is one word, e.g. contradicts, not '\\u202econtradicts'",
        ),
        ("relation", "two\nwords", "a link type is one word, e.g. contradicts, not 'two\\nwords'"),
        (
            "annotator",
            f"ana{ESC}[2J",
            "span 0-3: the annotator name holds a line break or control character (U+001B); "
            "use one line of text",
        ),
        (
            "annotator",
            f"{RLO}ana",
            "span 0-3: the annotator name holds a bidi control character: '\\u202eana'",
        ),
        ("title", "Title\x00hidden", "the title holds a NUL character: 'Title\\x00hidden'"),
        ("meta", "value\x00", "the metadata holds a NUL character"),
    ],
)
def test_link_types_annotators_titles_and_metadata_brought_by_an_import(
    tmp_path: Path, project: Path, field: str, value: str, message: str
) -> None:
    import orjson

    bad: dict[str, Any] = {
        "text": "Bad line.",
        "spans": [{"id": 1, "start": 0, "end": 3, "label": "claim"}],
    }
    if field == "relation":
        bad["spans"].append({"id": 2, "start": 4, "end": 8, "label": "claim"})
        bad["relations"] = [{"head": 1, "child": 2, "label": value}]
    elif field == "annotator":
        bad["spans"][0]["annotator"] = value
    elif field == "title":
        bad["title"] = value
    else:
        bad["meta"] = {"source": [value]}
    source = tmp_path / "spans.jsonl"
    good = {"text": "Good line.", "title": f"Data{ESC}[31m stays data"}
    source.write_bytes(orjson.dumps(bad) + b"\n" + orjson.dumps(good) + b"\n")
    before = contents(project)

    result = factmark("import", project, source)

    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"{source}:1: error: {printable(message)}"]
    assert result.stdout == f"{source}: imported 1 document, 0 spans; 1 line failed\n"
    assert_terminal_safe(result.stdout, result.stderr)
    # A title with an escape sequence is data: stored as it is, escaped when printed.
    assert contents(project) == with_documents(before, (f"Data{ESC}[31m stays data", "Good line."))


@pytest.mark.parametrize(
    ("record", "message"),
    [
        (
            {"meta": {"a": "nested"}},
            "the metadata: nested more than 255 levels deep, too deep to store",
        ),
        (
            {"spans": [{"start": 0, "end": 3, "label": "claim", "attrs": {"a": "nested"}}]},
            "span 0-3: the attributes: nested more than 255 levels deep, too deep to store",
        ),
        ({"meta": {"a": "nul\x00", "b": "nested"}}, "the metadata holds a NUL character"),
    ],
)
def test_deeply_nested_json_data_fails_its_line_only(
    tmp_path: Path, project: Path, record: dict[str, Any], message: str
) -> None:
    import orjson

    # 900 levels: deeper than Python's stack and orjson's writer allow (its reader takes it).
    deep = b"[" * 900 + b'"x"' + b"]" * 900
    data = orjson.dumps({"text": "Bad line.", **record}).replace(b'"nested"', deep)
    source = tmp_path / "deep.jsonl"
    source.write_bytes(data + b"\n" + orjson.dumps({"text": "Good line."}) + b"\n")
    before = contents(project)

    result = factmark("import", project, source)

    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"{source}:1: error: {message}"]
    assert result.stdout == f"{source}: imported 1 document, 0 spans; 1 line failed\n"
    assert contents(project) == with_documents(before, ("Good line.", "Good line."))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"key": "ab"}, "a label key is one character"),
        ({"colour": "javascript:alert(1)"}, "a label colour is written #RRGGBB"),
        ({"colour": "#AABBCC\n"}, "a label colour is written #RRGGBB"),
        ({"description": "one\nline"}, "a label description is one line"),
        ({"description": f"red{ESC}[31m"}, "a label description is one line"),
        ({"description": f"{RLO}backwards"}, "a label description is one line"),
        ({"name": "tab\tname"}, "a label name cannot hold"),
        ({"name": f"a{chr(0x2067)}b"}, "a label name cannot hold"),
    ],
)
def test_check_label_refuses_control_and_bidi_characters(
    changes: dict[str, str], message: str
) -> None:
    with pytest.raises(ValidationError, match=re.escape(message)):
        check_label(Label(**{"name": "fine", **changes}), [])


@pytest.mark.parametrize("name", [f"a{ESC}b", f"{RLO}x", "x\u2028y", "a\x85b", "\u200fx"])
def test_check_relation_type_refuses_control_and_bidi_characters(name: str) -> None:
    with pytest.raises(ValidationError, match="a link type is one word"):
        check_relation_type(name, [])


def test_labels_add_refuses_an_escape_in_the_description(project: Path) -> None:
    before = project.read_bytes()
    result = factmark("labels", project, "--add", "rumour", "--description", f"x{ESC}[2Jy")
    assert result.returncode == 2
    assert result.stderr == (
        "factmark: error: a label description is one line without control or bidi "
        "characters, got 'x\\x1b[2Jy'\n"
    )
    assert project.read_bytes() == before


# -- names printed by the commands ---------------------------------------------------


def hostile_project(path: Path) -> None:
    """A project holding names with escape sequences and bidi overrides, as one made
    before the rules (or written behind Factmark's back) may."""
    with Project.open(path) as opened:
        added = opened.add_document(IncomingDocument("Alpha beta gamma delta.\n", "Doc"))
        assert added is not None
        opened.add_span(added[0], 0, 5, "claim", annotator="ana")
        opened.add_relation_type("supports")
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA foreign_keys = ON")  # the spans follow the label's new name
        names = [f"cl{ESC}[31maim", f"marks{RLO} claims\nand more"]
        conn.execute("UPDATE labels SET name = ?, description = ? WHERE name = 'claim'", names)
        conn.execute("UPDATE spans SET annotator = ?", [f"a{ESC}]0;title{chr(7)}na"])
        conn.execute("UPDATE relation_types SET name = ? WHERE name = 'supports'", [f"sup{RLO}p"])
        conn.execute("UPDATE documents SET title = ?", [f"T{ESC}[2Jitle\n{RLO}"])
    conn.close()


def test_stats_labels_and_relations_print_names_escaped(tmp_path: Path) -> None:
    path = tmp_path / "old.factmark"
    hostile_project(path)
    before = path.read_bytes()

    stats = factmark("stats", path)
    labels = factmark("labels", path)
    relations = factmark("relations", path)

    for result in (stats, labels, relations):
        assert result.returncode == 0, result.stderr
        assert_terminal_safe(result.stdout, result.stderr)
    assert "  cl\\x1b[31maim           1" in stats.stdout.splitlines()
    assert "  a\\x1b]0;title\\x07na           1" in stats.stdout.splitlines()
    row = next(line for line in labels.stdout.splitlines() if "aim" in line)
    # The description's line break is shown as a space, as the table shows every one.
    assert row.endswith("cl\\x1b[31maim  #E69F00      1  marks\\u202e claims and more")
    assert any(line.startswith("sup\\u202ep ") for line in relations.stdout.splitlines())
    assert path.read_bytes() == before


def test_merge_report_lines_are_escaped(tmp_path: Path) -> None:
    """A title is data: a copy may bring one with escape sequences; the conflict line
    that names it is printed escaped."""
    text = "Alpha beta gamma delta.\n"
    title = f"T{ESC}[2Jitle\n{RLO}"
    target, copy = tmp_path / "mine.factmark", tmp_path / "copy.factmark"
    for path, status in ((target, "new"), (copy, "done")):
        with Project.open(path) as opened:
            added = opened.add_document(IncomingDocument(text, "Doc"))
            assert added is not None
            opened.set_status(added[0], status)
        with sqlite3.connect(path) as conn:
            conn.execute("UPDATE documents SET title = ?", [title])
        conn.close()

    result = factmark("merge", target, copy)

    assert result.returncode == 0, result.stderr
    assert_terminal_safe(result.stdout, result.stderr)
    conflict = next(line for line in result.stdout.splitlines() if "conflict:" in line)
    assert conflict.startswith("  conflict: T\\x1b[2Jitle\\n\\u202e: status: ")


# -- a Word zip bomb -----------------------------------------------------------------


def word_file(text: str) -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def zip_bomb(path: Path, megabytes: int) -> None:
    """A real .docx whose document.xml is ``megabytes`` MB of zeros, written in chunks
    (the test stays fast and small: 300 MB compress to about 300 KB)."""
    template = zipfile.ZipFile(io.BytesIO(word_file("template")))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in template.infolist():
            if info.filename != "word/document.xml":
                out.writestr(info.filename, template.read(info.filename))
                continue
            with out.open("word/document.xml", "w", force_zip64=True) as part:
                chunk = bytes(1024 * 1024)
                for _ in range(megabytes):
                    part.write(chunk)


def test_a_docx_zip_bomb_is_refused_before_it_is_inflated(tmp_path: Path, project: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    zip_bomb(folder / "a-bomb.docx", 300)  # over the 200 MB limit in all
    zip_bomb(folder / "b-dense.docx", 40)  # under it, but compressed ~1000 times
    (folder / "c-good.docx").write_bytes(word_file("A real Word article."))
    (folder / "d-good.txt").write_text("A text article after them.\n")
    assert (folder / "a-bomb.docx").stat().st_size < 1024 * 1024
    before = contents(project)

    result = factmark("import", project, folder)

    assert result.returncode == 1
    errors = result.stderr.splitlines()
    assert re.fullmatch(
        re.escape(f"{folder / 'a-bomb.docx'}: error: refused: the .docx would inflate to ")
        + r"30\d\.\d MB, over the 200 MB limit \(a zip bomb\?\); nothing of it was read",
        errors[0],
    )
    assert re.fullmatch(
        re.escape(f"{folder / 'b-dense.docx'}: error: refused: part 'word/document.xml' of ")
        + r"the \.docx would inflate \d+ times, to 40\.0 MB, over the limit of 100 times "
        r"\(a zip bomb\?\); nothing of it was read",
        errors[1],
    )
    assert len(errors) == 2
    assert result.stdout.splitlines() == [
        f"{folder / 'c-good.docx'}: imported 1 document, 0 spans",
        f"{folder / 'd-good.txt'}: imported 1 document, 0 spans",
    ]
    assert "project" not in result.stderr
    assert contents(project) == with_documents(
        before,
        ("A real Word article.", "A real Word article.\n"),
        ("A text article after them.", "A text article after them.\n"),
    )


def understate_size(path: Path, name: bytes, size: int) -> None:
    """Make the archive say its part ``name`` inflates to ``size`` bytes (both headers)."""
    data = bytearray(path.read_bytes())
    at = data.find(b"PK\x01\x02")
    while at != -1:
        length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + length] == name:
            struct.pack_into("<I", data, at + 24, size)
            local = struct.unpack_from("<I", data, at + 42)[0]
            struct.pack_into("<I", data, local + 22, size)
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))


def test_a_docx_that_understates_its_sizes_is_never_inflated_past_them(
    tmp_path: Path, project: Path
) -> None:
    """zipfile's read() inflates a whole part before cutting it to the stated size: a
    part stated as 5,000 bytes that inflates to 600 MB would take gigabytes. It is
    inflated in small steps and no further than stated, so it is merely damaged."""
    liar = tmp_path / "liar.docx"
    template = zipfile.ZipFile(io.BytesIO(word_file("template")))
    with zipfile.ZipFile(liar, "w", zipfile.ZIP_DEFLATED) as out:
        for info in template.infolist():
            if info.filename != "word/document.xml":
                out.writestr(info.filename, template.read(info.filename))
                continue
            with out.open("word/document.xml", "w") as part:
                for _ in range(600):
                    part.write(bytes(1024 * 1024))
    understate_size(liar, b"word/document.xml", 5000)
    good = tmp_path / "good.txt"
    good.write_text("A text article after it.\n")
    before = contents(project)

    # The peak memory of this process alone (VmHWM, in kB; ru_maxrss can carry the
    # parent's peak across fork and exec), or 0 where /proc does not say.
    script = (
        "import re, sys\n"
        "from pathlib import Path\n"
        "from factmark.cli import main\n"
        "code = main(sys.argv[1:])\n"
        "status = Path('/proc/self/status')\n"
        "found = re.search(r'VmHWM:\\s*(\\d+)', status.read_text()) if status.exists() else None\n"
        "print(found.group(1) if found else 0, file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, "import", str(project), str(liar), str(good)],
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 1
    *errors, peak = result.stderr.splitlines()
    assert errors == [f"{liar}: error: not a readable .docx file (damaged or truncated)"]
    assert result.stdout == f"{good}: imported 1 document, 0 spans\n"
    assert int(peak) < 400 * 1024, f"peak memory {int(peak) // 1024} MB"
    assert contents(project) == with_documents(
        before, ("A text article after it.", "A text article after it.\n")
    )


def test_a_docx_with_an_encrypted_part_gets_one_line(tmp_path: Path, project: Path) -> None:
    locked = tmp_path / "locked.docx"
    data = bytearray(word_file("Secret."))
    at = data.find(b"PK\x01\x02")
    while at != -1:  # set the "encrypted" flag of every part
        struct.pack_into("<H", data, at + 8, struct.unpack_from("<H", data, at + 8)[0] | 1)
        at = data.find(b"PK\x01\x02", at + 4)
    locked.write_bytes(bytes(data))
    before = contents(project)

    result = factmark("import", project, locked)

    assert result.returncode == 1
    assert result.stderr == (
        f"{locked}: error: part '[Content_Types].xml' of the .docx is encrypted: "
        "it cannot be read\n"
    )
    assert contents(project) == before
