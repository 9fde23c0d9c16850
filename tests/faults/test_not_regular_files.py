"""Files that are not files, and files too large for what they claim to be.

A link to /dev/zero or /dev/urandom never ends and a named pipe blocks whoever opens
it: each is refused with one line before it is opened, wherever a file from outside
is read. Every reader has a bound, said in the refusal. Each command runs in a child
process limited in memory and time, as a user's machine would be, so that reading
such a file whole shows as a failure rather than as a machine brought down.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from factmark.core.project import Project
from tests.faults.helpers import own_project  # noqa: F401  (the fixture `project`)

linux_only = pytest.mark.skipif(
    sys.platform != "linux", reason="/dev/zero, /dev/urandom and mkfifo as on Linux"
)
pytestmark = linux_only

MEMORY = 3 << 30  # bytes of address space a command may take (it needs under 1 GB)


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def factmark(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """The command as a user runs it, in at most MEMORY and 60 s (a hang fails)."""
    script = shutil.which("factmark", path=str(Path(sys.executable).parent))
    command = [script] if script else [sys.executable, "-m", "factmark"]
    return subprocess.run(
        [*command, *map(str, args)],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_limited,
        stdin=subprocess.DEVNULL,
    )


def titles(project: Path) -> list[str]:
    with Project.open_to_read(project) as opened:
        return [document.title for document in opened.documents()]


def hostile(folder: Path) -> dict[str, Path]:
    """Links to endless devices and named pipes, under names each reader takes."""
    folder.mkdir()
    made = {}
    for name, target in (("zero.txt", "/dev/zero"), ("rand.md", "/dev/urandom")):
        made[name] = folder / name
        made[name].symlink_to(target)
    for name in ("zero.jsonl", "zero.docx", "zero.json", "zero.html"):
        made[name] = folder / name
        made[name].symlink_to("/dev/zero")
    for name in ("pipe.txt", "pipe.jsonl", "pipe.json", "pipe.tsv"):
        made[name] = folder / name
        os.mkfifo(made[name])
    return made


def test_devices_and_named_pipes_named_on_the_command_line_get_one_line_each(
    tmp_path: Path, project: Path
) -> None:
    made = hostile(tmp_path / "in")
    good = tmp_path / "good.txt"
    good.write_text("A good article.\n")

    result = factmark("import", project, *made.values(), good)

    assert result.returncode == 1
    assert result.stdout == f"{good}: imported 1 document, 0 spans\n"
    expected = {
        f"{path}: error: not a regular file "
        + (
            "(a named pipe)"
            if name.startswith("pipe")
            else f"(a device: a link to {os.path.realpath(path)})"
        )
        + "; nothing was read"
        for name, path in made.items()
    }
    assert set(result.stderr.splitlines()) == expected
    assert titles(project) == ["Mine", "A good article."]


def test_in_a_folder_they_are_skipped_and_said_so(tmp_path: Path, project: Path) -> None:
    made = hostile(tmp_path / "in")
    (tmp_path / "in" / "good.txt").write_text("A good article.\n")

    result = factmark("import", project, tmp_path / "in")

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert f"{made['pipe.txt']}: skipped: not a regular file (a named pipe)" in lines
    assert (
        f"{made['zero.txt']}: skipped: not a regular file (a device: a link to /dev/zero)" in lines
    )
    assert f"{tmp_path / 'in' / 'good.txt'}: imported 1 document, 0 spans" in lines
    assert len(lines) == len(made) + 1
    assert titles(project) == ["Mine", "A good article."]


def test_a_brat_text_linked_to_a_device_is_said_to_be_one(tmp_path: Path, project: Path) -> None:
    (tmp_path / "doc.ann").write_text("T1\tclaim 0 4\tsome\n")
    (tmp_path / "doc.txt").symlink_to("/dev/zero")

    result = factmark("import", project, tmp_path / "doc.ann")

    assert result.returncode == 1
    assert result.stderr == (
        f"{tmp_path / 'doc.ann'}: error: doc.txt beside it is not a regular file "
        "(a device: a link to /dev/zero); nothing was read\n"
    )
    assert titles(project) == ["Mine"]


@pytest.mark.parametrize("kind", ["device", "pipe"])
def test_guidelines_set_refuses_a_device_or_a_pipe(
    tmp_path: Path, project: Path, kind: str
) -> None:
    source = Path("/dev/zero")
    if kind == "pipe":
        source = tmp_path / "guide.md"
        os.mkfifo(source)
    with Project.open_to_read(project) as opened:
        before = opened.guidelines()

    result = factmark("guidelines", project, "--set", source)

    assert result.returncode == 1
    what = "a device" if kind == "device" else "a named pipe"
    assert (
        result.stderr
        == f"factmark: error: {source}: not a regular file ({what}); nothing was read\n"
    )
    with Project.open_to_read(project) as opened:
        assert opened.guidelines() == before


def test_archive_add_and_merge_refuse_a_pipe(tmp_path: Path, project: Path) -> None:
    pipe = tmp_path / "checks.json"
    os.mkfifo(pipe)
    copy = tmp_path / "copy.factmark"
    os.mkfifo(copy)

    added = factmark("archive", "add", project, pipe)
    merged = factmark("merge", project, copy)

    assert added.returncode == 1
    assert f"{pipe}: error: not a regular file (a named pipe); nothing was read" in added.stderr
    assert merged.returncode == 1
    assert "Traceback" not in merged.stderr and str(copy) in merged.stderr
    assert titles(project) == ["Mine"]


def test_a_text_file_over_the_limit_is_refused_before_it_is_read(
    tmp_path: Path, project: Path
) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as file:  # 21 MB of words, no article is this long
        file.write(b"word " * (21 * 1024 * 1024 // 5))
    good = tmp_path / "good.md"
    good.write_text("A good article.\n")

    result = factmark("import", project, big, good)

    assert result.returncode == 1
    assert result.stderr == (
        f"{big}: error: 21 MB: over the 20 MB limit for a document; nothing of it was read\n"
    )
    assert titles(project) == ["Mine", "A good article."]


def test_a_jsonl_line_over_the_limit_fails_that_line_only(tmp_path: Path, project: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    with corpus.open("wb") as file:
        file.write(orjson.dumps({"text": "Before it."}) + b"\n")
        file.write(b'{"text": "' + b"x" * (41 * 1024 * 1024) + b'"}\n')
        file.write(orjson.dumps({"text": "After it."}) + b"\n")

    result = factmark("import", project, corpus)

    assert result.returncode == 1
    assert result.stdout == f"{corpus}: imported 2 documents, 0 spans; 1 line failed\n"
    assert result.stderr == (
        f"{corpus}:2: error: the line is over the 40 MB limit for one line (a document of "
        "at most 20 MB of text with its annotations); nothing of it was read\n"
    )
    assert titles(project) == ["Mine", "Before it.", "After it."]


def test_guidelines_over_the_limit_are_refused(tmp_path: Path, project: Path) -> None:
    guide = tmp_path / "guide.md"
    guide.write_bytes(b"# Claims\n" + b"Say what a claim is. " * (5 * 1024 * 1024 // 21))

    result = factmark("guidelines", project, "--set", guide)

    assert result.returncode == 1
    assert result.stderr == (
        f"factmark: error: {guide}: 5 MB: over the 4 MB limit for the guidelines; "
        "nothing of it was read\n"
    )
