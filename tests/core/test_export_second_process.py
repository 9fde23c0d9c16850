"""A large brat, CoNLL, attribution or sentences export is written by two processes (see
factmark.core.exporting.second_process): the files are those one process writes, byte for
byte, whatever the second process could not know of the documents before its own; a small
export stays in one process; the cut is placed by the size of the texts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from factmark.core.exporting import export, second_process
from factmark.core.exporting.base import Selection, Split
from factmark.core.exporting.brat import BratWriter
from factmark.core.exporting.pseudonyms import ensure_key
from factmark.core.importing import import_file
from factmark.core.project import Project

# As the module sets them (the tests' --second-process changes them for each test).
FROM_BYTES = second_process.FROM_BYTES


def two_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(second_process, "FROM_BYTES", 0)


def one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(second_process, "FROM_BYTES", 1 << 62)


def imported(project: Project, tmp_path: Path, records: list[dict[str, Any]]) -> Project:
    source = tmp_path / "source.jsonl"
    source.write_bytes(b"".join(orjson.dumps(record) + b"\n" for record in records))
    report = import_file(project, source)
    assert report.documents == len(records), report.lines()
    return project


def files_of(result: Any, root: Path) -> dict[str, bytes]:
    return {str(path.relative_to(root)): path.read_bytes() for path in result.files}


def both_ways(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str, **kwargs: Any
) -> tuple[Any, Any]:
    """The export in one process and in two, each into a folder of its own."""
    suffix = ".conll" if fmt == "conll" else ""
    one_process(monkeypatch)
    one = export(project, fmt, tmp_path / "one" / f"corpus{suffix}", **kwargs)
    two_processes(monkeypatch)
    two = export(project, fmt, tmp_path / "two" / f"corpus{suffix}", **kwargs)
    return one, two


@pytest.mark.parametrize(
    ("first", "later", "written"),
    [
        ({"x": True}, {"x": "w"}, "A1\tx T2\n"),  # x first written without a value
        ({"a b": "v"}, {"a_b": "z"}, "A1\ta_b-2 T1 z\n"),  # a_b taken by "a b"
        ({}, {}, "T1\tsource 0 9\tOfficials\n"),  # the file name taken
    ],
    ids=["attribute kind", "type name", "file name"],
)
def test_what_the_second_process_chose_unknowing_is_what_one_process_chooses(
    project: Project,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    first: dict[str, Any],
    later: dict[str, Any],
    written: str,
) -> None:
    """brat's file names and attributes depend on the documents before: an attribute the
    first half writes without a value and the second with one, a type name taken in the
    first half, and a file name taken there (the same title, ids alike in their first 12
    digits) are written by the second process's documents as one process writes them."""
    text = "Officials said the water is safe. Nobody agreed.\nA second line."
    records = [
        {
            "title": "Same title",
            "text": text,
            "status": "done",
            "spans": [{"start": 0, "end": 9, "label": "source", "attrs": first}],
        }
    ]
    records += [
        {"title": f"Filler {n}", "text": f"{text} {n}", "status": "done"} for n in range(10)
    ]
    records.append(
        {
            "title": "Same title",
            "text": f"{text} again",
            "status": "done",
            "spans": [
                {"start": 0, "end": 9, "label": "source", "attrs": later},
                {"start": 10, "end": 14, "label": "claim", "attrs": first},
            ],
        }
    )
    imported(project, tmp_path, records)
    ids = [document.id for document in project.documents()]
    same = "abcdef012345" if not first else "0123456789ab"
    with project.conn:  # ids alike in their first 12 digits (an import derives them)
        for uid, document in ((f"{same}aa", ids[0]), ("abcdef012345bb", ids[-1])):
            project.conn.execute("UPDATE documents SET uid = ? WHERE id = ?", [uid, document])
    dropped: list[int] = []
    drop = BratWriter.drop
    monkeypatch.setattr(
        BratWriter, "drop", lambda self, state: dropped.append(1) or drop(self, state)
    )
    one, two = both_ways(project, tmp_path, monkeypatch, "brat", card=False)
    assert dropped  # the second process's files were written again here
    assert files_of(two, tmp_path / "two") == files_of(one, tmp_path / "one")
    assert two.notes == one.notes
    later_name = "same-title-abcdef012345bb" if not first else "same-title-abcdef012345"
    assert written in (tmp_path / "one" / "corpus" / f"{later_name}.ann").read_text()


def test_a_second_process_whose_choices_fit_is_taken_as_it_wrote(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "Officials said the water is safe."
    records = [
        {
            "title": f"Article {n}",
            "text": f"{text * (1 + n % 3)} [{n}]",
            "status": "done",
            "spans": [{"start": 0, "end": 9, "label": "source", "attrs": {"kind": f"k{n % 4}"}}],
        }
        for n in range(12)
    ]
    imported(project, tmp_path, records)
    monkeypatch.setattr(BratWriter, "drop", lambda self, state: pytest.fail("written again"))
    one, two = both_ways(project, tmp_path, monkeypatch, "brat", card=False)
    assert files_of(two, tmp_path / "two") == files_of(one, tmp_path / "one")
    conf = (tmp_path / "two" / "corpus" / "annotation.conf").read_text()
    assert "kind\tArg:<ENTITY>, Value:k0|k1|k2|k3" in conf


def test_verdicts_holding_spaces_are_counted_over_both_processes(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Values written with ``_`` for their spaces by either process are listed in
    annotation.conf and counted on the card as one process counts them."""
    text = "Officials said the water is safe."
    verdicts = ["mostly true", "false", "half true"]
    records = [
        {
            "title": f"Article {n}",
            "text": f"{text * (1 + n % 3)} [{n}]",
            "status": "done",
            "spans": [
                {"start": 0, "end": 9, "label": "claim", "attrs": {"verdict": verdicts[n % 3]}}
            ],
        }
        for n in range(12)
    ]
    imported(project, tmp_path, records)
    monkeypatch.setattr(BratWriter, "drop", lambda self, state: pytest.fail("written again"))
    jobs: list[str] = []
    start = second_process.SecondProcess.start
    monkeypatch.setattr(
        second_process.SecondProcess,
        "start",
        lambda *args: jobs.append(args[1]) or start(*args),
    )
    one, two = both_ways(project, tmp_path, monkeypatch, "brat", card=False)
    assert jobs == ["brat"]  # the second export started a second process
    assert files_of(two, tmp_path / "two") == files_of(one, tmp_path / "one")
    assert two.notes == one.notes
    assert [n for n in two.notes if "cannot hold a space" in n] == [
        "brat attribute values cannot hold a space: verdict 'half true' is written as "
        "'half_true', and annotation.conf lists it so: 4",
        "brat attribute values cannot hold a space: verdict 'mostly true' is written as "
        "'mostly_true', and annotation.conf lists it so: 4",
    ]
    conf = (tmp_path / "two" / "corpus" / "annotation.conf").read_text()
    assert "verdict\tArg:<ENTITY>, Value:mostly_true|false|half_true" in conf


@pytest.mark.parametrize(
    ("fmt", "scheme"),
    [
        ("brat", None),
        ("conll", None),
        ("attribution", None),
        ("sentences", "checkthat"),
        ("sentences", "claimbuster"),
    ],
)
def test_split_groups_pseudonyms_and_a_selection_are_the_same_in_two_processes(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str, scheme: str | None
) -> None:
    """The second process exports the same documents to the same parts, with the same
    pseudonyms, statuses, labels and annotators; the card counts both processes'."""
    records = [
        {
            "title": f"Article {n}",
            "text": f"Minister {n} said 70% of wells (in Lagos) are dry. 东京！ Yes 👍🏽.\r\nEnd.",
            "status": ["done", "in_progress", "new"][n % 3],
            "meta": {"outlet": f"outlet {n % 5}"},
            "spans": [
                {"start": 0, "end": 10, "label": "source", "annotator": ["ana", "ben"][n % 2]},
                {"start": 11, "end": 50, "label": "claim", "annotator": "ana", "note": "a\nb"},
                {"start": 18, "end": 21, "label": "number", "annotator": "ben"},
            ],
        }
        for n in range(60)
    ]
    imported(project, tmp_path, records)
    ensure_key(project)
    split = Split.parse("train=0.6,dev=0.2,test=0.2", seed=3, by="meta.outlet")
    selection = Selection(
        frozenset({"done", "in_progress"}), frozenset({"claim", "source"}), frozenset({"ana"})
    )
    options = {"pseudonymise": "annotators"}
    if fmt == "conll":
        options["nested"] = "per-label"
    if scheme is not None:
        options["scheme"] = scheme
    one, two = both_ways(
        project, tmp_path, monkeypatch, fmt, selection=selection, split=split, options=options
    )
    cards = {result.card for result in (one, two)}
    one_files, two_files = files_of(one, tmp_path / "one"), files_of(two, tmp_path / "two")
    assert two_files.keys() == one_files.keys()
    for name, data in one_files.items():
        if not name.endswith(".md"):  # the card names the output and the time
            assert two_files[name] == data, name
    assert len(cards) == 2
    assert (two.documents, two.spans, two.parts) == (one.documents, one.spans, one.parts)
    assert two.notes == one.notes


@pytest.mark.parametrize("scheme", ["checkthat", "claimbuster"])
@pytest.mark.parametrize("where", ["first", "last"])
def test_sentence_ids_and_labels_count_both_processes_sentences(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str, scheme: str
) -> None:
    """A sentences export's ids run on through both processes' sentences and every split
    part, and its label rule is the one of every document: a claim with the checkworthy
    attribute only among the first process's documents, or only among the second's,
    decides every sentence's label alike."""
    pytest.importorskip("spacy")
    records = [
        {
            "text": f"Officials said {n} wells are dry. Nobody agreed.\r\n东京！ Да 👍🏽 {n}.",
            "status": "done",
            "spans": [{"start": 0, "end": 30, "label": "claim"}],
        }
        for n in range(40)
    ]
    marked = records[0 if where == "first" else -1]["spans"][0]
    marked["attrs"] = {"checkworthy": "no"}
    imported(project, tmp_path, records)
    split = Split.parse("train=0.5,test=0.5", seed=1)
    options = {"scheme": scheme}
    one, two = both_ways(
        project, tmp_path, monkeypatch, "sentences", split=split, options=options, card=False
    )
    assert files_of(two, tmp_path / "two") == files_of(one, tmp_path / "one")
    assert two.notes == one.notes
    assert any("only those saying yes count" in note for note in one.notes)
    written = b"".join(path.read_bytes() for path in two.files)  # train, then test
    assert b"Yes" not in written and b'"CFS"' not in written  # no claim says yes
    if scheme == "checkthat":
        ids = [line.split(b"\t")[0] for line in written.splitlines() if line[:1].isdigit()]
    else:
        ids = [b"%d" % orjson.loads(line)["Sentence_id"] for line in written.splitlines()]
    assert ids == [b"%d" % n for n in range(1, 40 * 4 + 1)]  # four sentences a text


@pytest.mark.parametrize("fmt", ["attribution", "sentences"])
def test_nothing_of_the_second_process_is_left_beside_the_output(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    """Nothing is left beside the outputs once the second process's part is taken."""
    pytest.importorskip("spacy")
    records = [{"text": f"Claim {n} here. Another one.", "status": "done"} for n in range(8)]
    imported(project, tmp_path, records)
    two_processes(monkeypatch)
    result = export(project, fmt, tmp_path / "out" / "corpus", card=False)
    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == [
        path.name for path in result.files
    ]


def test_small_exports_stay_in_one_process(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    imported(
        project, tmp_path, [{"text": f"A short text {n}.", "status": "done"} for n in range(3)]
    )

    def start(*args: Any, **kwargs: Any) -> None:
        pytest.fail("a second process for three short documents")

    monkeypatch.setattr(second_process, "FROM_BYTES", FROM_BYTES)
    monkeypatch.setattr(second_process.SecondProcess, "start", start)
    export(project, "conll", tmp_path / "out.conll", card=False)
    export(project, "brat", tmp_path / "out", card=False)


def test_the_cut_shares_the_texts_bytes_not_the_documents(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ten long texts then ninety short ones (each long one as long as nine short): the
    second process gets about half the bytes, not half the documents."""
    monkeypatch.setattr(second_process, "FROM_BYTES", 0)
    records = [{"text": f"{n:04d}" + "x" * 896, "status": "done"} for n in range(10)]
    records += [{"text": f"y{n:03d}" * 25, "status": "done"} for n in range(90)]
    imported(project, tmp_path, records)
    ids = [document.id for document in project.documents()]
    first = second_process.cut(project, Selection())
    assert first == ids[10]  # 9,000 bytes before it, 9,000 from it
    monkeypatch.setattr(second_process, "FROM_BYTES", 18_001)
    assert second_process.cut(project, Selection()) is None


def test_documents_at_the_ends_of_sqlites_ids_are_exported_by_one_process_or_the_other(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = [{"text": f"Text {n} of the project.", "status": "done"} for n in range(6)]
    imported(project, tmp_path, records)
    ids = [document.id for document in project.documents()]
    with project.conn:
        project.conn.execute("UPDATE documents SET id = ? WHERE id = ?", [-(2**63), ids[0]])
        project.conn.execute("UPDATE documents SET id = ? WHERE id = ?", [2**63 - 1, ids[-1]])
    one, two = both_ways(project, tmp_path, monkeypatch, "conll", card=False)
    assert one.documents == two.documents == 6
    assert files_of(two, tmp_path / "two") == files_of(one, tmp_path / "one")


def test_the_sentences_export_leaves_the_second_process_more_of_the_texts(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first process of a sentences export numbers and labels every sentence once both
    are done, so it takes less than half of the texts; other formats take half."""
    pytest.importorskip("spacy")
    records = [{"text": f"Text {n:03d} is here. " * 20, "status": "done"} for n in range(100)]
    imported(project, tmp_path, records)
    ids = [document.id for document in project.documents()]
    two_processes(monkeypatch)
    shares: list[float] = []
    cut = second_process.cut
    monkeypatch.setattr(second_process, "cut", lambda *args: shares.append(args[2]) or cut(*args))
    export(project, "sentences", tmp_path / "corpus.tsv", card=False)
    export(project, "conll", tmp_path / "corpus.conll", card=False)
    assert shares == [0.47, 0.5]
    assert cut(project, Selection(), 0.47) == ids[47]
