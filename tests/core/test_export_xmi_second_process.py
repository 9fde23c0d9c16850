"""A large XMI export is written by two processes (see
factmark.core.exporting.second_process): the zip is the one one process writes, byte for
byte (every member dated at one time in both processes), whatever the second process
could not know of the documents before its own (member names, feature names and their
order, ZIP64 offsets); zipfile, ``unzip -t`` and dkpro-cassis read it back."""

from __future__ import annotations

import io
import itertools
import sys
import zipfile
from pathlib import Path
from typing import Any

import orjson
import pytest
from cassis import load_cas_from_xmi, load_typesystem
from tests.core.test_zip_stream import unzip_reads

from factmark.core import two_processes
from factmark.core.exporting import export, second_process, zip_stream
from factmark.core.exporting.base import Selection, Split
from factmark.core.exporting.pseudonyms import ensure_key
from factmark.core.exporting.xmi import XmiWriter
from factmark.core.importing import import_file
from factmark.core.project import Project

NOW = 1_700_000_000.0  # when both processes date every member
# Run as the second process: ``python WRAPPER LIMIT _export-part FOLDER``, its members
# dated NOW and its ZIP64 records from LIMIT bytes on (as this process's, see `fixed`).
WRAPPER = f"""
import sys, time
time.time = lambda: {NOW!r}
from factmark.core.exporting import zip_stream
zip_stream.ZIP64_LIMIT = int(sys.argv.pop(1))
from factmark.cli import main
sys.exit(main(sys.argv[1:]))
"""


class Runs:
    """The second processes started, and the parts that did not fit (written again by
    the first)."""

    def __init__(self) -> None:
        self.started = 0
        self.unfit = 0


@pytest.fixture
def runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Runs:
    """Both processes dating members NOW, with zip_stream's ZIP64 limit (see `limit`)."""
    wrapper = tmp_path / "wrapper.py"
    wrapper.write_text(WRAPPER, encoding="utf-8")
    monkeypatch.setattr("time.time", lambda: NOW)
    monkeypatch.setattr(
        two_processes,
        "_program",
        lambda: [sys.executable, str(wrapper), str(zip_stream.ZIP64_LIMIT)],
    )
    seen = Runs()
    start, fits = second_process.SecondProcess.start.__func__, XmiWriter.fits  # type: ignore[attr-defined]

    def counted_start(cls: Any, *args: Any) -> Any:
        seen.started += 1
        return start(cls, *args)

    def counted_fits(self: XmiWriter, state: dict[str, Any]) -> bool:
        fit = fits(self, state)
        seen.unfit += not fit
        return fit

    monkeypatch.setattr(second_process.SecondProcess, "start", classmethod(counted_start))
    monkeypatch.setattr(XmiWriter, "fits", counted_fits)
    return seen


def limit(monkeypatch: pytest.MonkeyPatch, value: int) -> None:
    """ZIP64 records from ``value`` bytes on, in both processes (the wrapper reads it)."""
    monkeypatch.setattr(zip_stream, "ZIP64_LIMIT", value)


def imported(project: Project, tmp_path: Path, records: list[dict[str, Any]]) -> None:
    source = tmp_path / "source.jsonl"
    source.write_bytes(b"".join(orjson.dumps(record) + b"\n" for record in records))
    report = import_file(project, source, create_labels=True)
    assert report.documents == len(records), report.lines()


def both_ways(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **kwargs: Any
) -> tuple[Any, Any]:
    """The export in one process and in two, each into a folder of its own."""
    monkeypatch.setattr(second_process, "FROM_BYTES", 1 << 62)
    one = export(project, "xmi", tmp_path / "one" / "corpus.zip", **kwargs)
    monkeypatch.setattr(second_process, "FROM_BYTES", 0)
    two = export(project, "xmi", tmp_path / "two" / "corpus.zip", **kwargs)
    return one, two


def zips(result: Any) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in result.files if path.suffix == ".zip"}


def read_back(zipped: bytes, tmp_path: Path) -> dict[str, Any]:
    """Each document's CAS as dkpro-cassis reads it, once zipfile and ``unzip -t`` have
    checked every member."""
    with zipfile.ZipFile(io.BytesIO(zipped)) as archive:
        assert archive.testzip() is None
        typesystem = load_typesystem(io.BytesIO(archive.read("TypeSystem.xml")))
        cases = {
            name: load_cas_from_xmi(io.BytesIO(archive.read(name)), typesystem=typesystem)
            for name in archive.namelist()
            if name != "TypeSystem.xml"
        }
    unzip_reads(zipped, tmp_path / "read.zip")
    return cases


def same_zips(one: Any, two: Any, tmp_path: Path) -> None:
    """The two exports' zips, byte for byte, read back; the same notes and counts."""
    mine, theirs = zips(one), zips(two)
    assert mine.keys() == theirs.keys() and mine
    for name, data in mine.items():
        assert theirs[name] == data, name
        cases = read_back(data, tmp_path)
        assert all(cas.sofa_string for cas in cases.values())
    assert two.notes == one.notes
    assert (two.documents, two.spans, two.relations) == (one.documents, one.spans, one.relations)


HOSTILE = [
    "Міністр сказав:\r\nводи немає. 70% криниць сухі.",
    "قال الوزير إن 70% من الآبار جافة في الموصل.",
    "Minister 👍🏽 said 🇳🇬 wells are dry 😱 in Lagos.",
    "上海市政府表示，𠮷野家的水是安全的。",
    "A line that ends\nin the middle of a span\r\nand\x07 a bell, \ufffe too.",
]


def hostile_records(count: int) -> list[dict[str, Any]]:
    """Texts of every script, line ends crossed by spans, characters XML cannot hold,
    notes with tabs, attributes INCEpTION must rename, values that are not text, links
    with attributes: new keys met in either half."""
    records = []
    for n in range(count):
        text = f"{HOSTILE[n % len(HOSTILE)]} [{n}]"
        attrs: dict[str, Any] = [
            {},
            {"kind": f"k{n % 3}"},
            {"claim type": "stat", "n": n, "ok": True},
            {"Ключ": "значення", "kind": ""},
            {"a b": ["x", n]},
        ][n % 5 if n < count // 2 else (n + 2) % 5]
        records.append(
            {
                "title": f"Заголовок {n % 4} — {n}",
                "text": text,
                "status": "done",
                "spans": [
                    {"id": 1, "start": 0, "end": 12, "label": "source", "annotator": "ana"},
                    {"id": 2, "start": 5, "end": len(text) - 3, "label": "claim", "attrs": attrs},
                    {
                        "id": 3,
                        "start": 8,
                        "end": 20,
                        "label": "claim",
                        "note": "checked\twith\nthem",
                    },
                ],
                "relations": [
                    {"head": 1, "child": 2, "label": "says", "attrs": {"quote": "yes"}}
                    if n % 3 == 0
                    else {"head": 1, "child": 2, "label": "says", "annotator": "ben"}
                ]
                if n % 2
                else [],
            }
        )
    return records


@pytest.mark.parametrize("parts", [None, "train=0.5,test=0.5"])
def test_the_zip_of_two_processes_is_the_zip_of_one(
    project: Project,
    corpus: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    runs: Runs,
    parts: str | None,
) -> None:
    """The shared corpus and hostile documents, whole or split and with pseudonyms: every
    byte of each zip, its notes and counts; the second process's choices fit."""
    for name in ("annotated.jsonl", "doccano.jsonl", "emoji-lagos.txt", "zh-shanghai.txt"):
        assert not import_file(project, corpus / name, create_labels=True).errors
    imported(project, tmp_path, hostile_records(40))
    for name in ("uk-kharkiv-crlf.txt", "ar-mosul.txt", "fr-combining.txt"):
        assert not import_file(project, corpus / name, create_labels=True).errors
    ensure_key(project)
    split = Split.parse(parts, seed=5) if parts else None
    one, two = both_ways(
        project,
        tmp_path,
        monkeypatch,
        selection=Selection(frozenset()),
        split=split,
        options={"pseudonymise": "annotators"},
    )
    assert runs.started == 1 and runs.unfit == 0
    same_zips(one, two, tmp_path)
    assert one.relations > 0
    for note in ("'claim type' is the feature 'claim_type'", "JSON text", "written as spaces"):
        assert any(note in line for line in one.notes), note


TITLED = itertools.count()


def titled(title: str, attrs: dict[str, Any], links: dict[str, Any] | None = None) -> Any:
    text = "Officials said the water is safe. Nobody agreed.\nA second line."
    return {
        "title": title,
        "text": f"{text} {next(TITLED)}",
        "status": "done",
        "spans": [
            {"id": 1, "start": 0, "end": 9, "label": "source", "attrs": attrs},
            {"id": 2, "start": 10, "end": 14, "label": "claim"},
        ],
        "relations": []
        if links is None
        else [{"head": 1, "child": 2, "label": "says", "attrs": links}],
    }


@pytest.mark.parametrize(
    ("first", "later", "fits"),
    [
        ([titled("Same title", {})], [titled("Same title", {})], False),
        ([titled("A", {"a b": "v"})], [titled("B", {"a_b": "z"})], False),
        ([titled("A", {"y": 1}), titled("C", {"x": 2})], [titled("B", {"x": 3, "y": 4})], False),
        ([titled("A", {}, {"q r": 1})], [titled("B", {}, {"q_r": 2})], False),
        ([titled("A", {"k k": 1})], [titled("B", {}, {"k k": 2}), titled("D", {"z": 1})], True),
        (
            [titled("A", {"x": 1})],
            [titled("B", {"y": 4, "x": 1}), titled("D", {"é": 1, "y": 2})],
            True,
        ),
    ],
    ids=[
        "member name",
        "feature name",
        "feature order",
        "link feature name",
        "a key on both layers",
        "new keys after the first's",
    ],
)
def test_what_the_second_process_chose_unknowing_is_what_one_process_chooses(
    project: Project,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    runs: Runs,
    first: list[Any],
    later: list[Any],
    fits: bool,
) -> None:
    """A member name taken in the first half (the same title, ids alike in their first 12
    digits), a feature name taken there, features met there in another order (a
    document's elements list them in the order the export met them): the second process's
    documents are written again by the first, as one process writes them. Otherwise
    (keys new to the first, a key on both layers) its members are taken as they are."""
    filler = [titled(f"Filler {n}", {}) for n in range(8)]
    imported(project, tmp_path, [*first, *filler, *later])
    if first[0]["title"] == "Same title":
        ids = [document.id for document in project.documents()]
        with project.conn:  # ids alike in their first 12 digits (an import derives them)
            for uid, document in (("abcdef012345aa", ids[0]), ("abcdef012345bb", ids[-1])):
                project.conn.execute("UPDATE documents SET uid = ? WHERE id = ?", [uid, document])
    one, two = both_ways(project, tmp_path, monkeypatch, card=False)
    assert runs.started == 1
    assert runs.unfit == (not fits)
    same_zips(one, two, tmp_path)


@pytest.mark.parametrize("share", [0.6, None])
def test_zip64_records_where_one_process_writes_them(
    project: Project,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    runs: Runs,
    share: float | None,
) -> None:
    """The ZIP64 limit lowered in both processes (from 2 GiB): past it only once the
    second process's members are moved after the first's (at 0.6 of the zip), and for
    every member and offset (1,000 bytes)."""
    imported(project, tmp_path, hostile_records(30))
    monkeypatch.setattr(second_process, "FROM_BYTES", 1 << 62)
    size = len(
        zips(export(project, "xmi", tmp_path / "size" / "corpus.zip", card=False))["corpus.zip"]
    )
    limit(monkeypatch, int(size * share) if share else 1_000)
    one, two = both_ways(project, tmp_path, monkeypatch, card=False)
    assert runs.started == 1 and runs.unfit == 0
    assert b"PK\x06\x06" in zips(one)["corpus.zip"]  # zipfile's ZIP64 end records
    same_zips(one, two, tmp_path)
