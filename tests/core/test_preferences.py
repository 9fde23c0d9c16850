"""The preferences file the window and the command line share."""

from __future__ import annotations

import getpass
import json
import os
from pathlib import Path

import pytest

from factmark.core import preferences as module
from factmark.core.model import ValidationError
from factmark.core.preferences import Preferences, clean_annotator, read_legacy_settings


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "config" / "preferences.json"


def stored(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def project(folder: Path, name: str) -> Path:
    """An existing project file (recent projects list only files that exist)."""
    target = folder / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(b"")
    return target


def test_defaults_without_a_file(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(getpass, "getuser", lambda: "olena")
    prefs = Preferences(path)
    assert prefs.annotator() == "olena"
    assert not prefs.has_annotator()
    assert prefs.snap_to_words() is True
    assert prefs.suggest_on_open() is False
    assert prefs.zoom() == 0
    assert prefs.recent_projects() == []
    assert prefs.last_project() is None
    assert prefs.last_document(path.parent / "x.factmark") is None
    assert prefs.problem() is None
    assert not path.exists()  # reading writes nothing


def test_login_name_fallback(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_user() -> str:
        raise OSError("no login name")

    monkeypatch.setattr(getpass, "getuser", no_user)
    assert Preferences(path).annotator() == "annotator"
    monkeypatch.setattr(getpass, "getuser", lambda: "bad\nname")
    assert Preferences(path).annotator() == "annotator"


def test_default_path_is_in_the_user_config_folder(user_dirs: Path) -> None:
    expected = user_dirs / "xdg_config_home" / "Factmark" / "preferences.json"
    assert Preferences().path == expected


def test_round_trip(path: Path, tmp_path: Path) -> None:
    one, two = project(tmp_path, "one.factmark"), project(tmp_path, "two.factmark")
    prefs = Preferences(path)
    prefs.set_annotator("  Zoë Müller  ")
    prefs.set_snap_to_words(False)
    prefs.set_suggest_on_open(True)
    prefs.set_zoom(-3)
    prefs.add_recent_project(one)
    prefs.add_recent_project(two)
    prefs.set_last_document(one, 12)

    again = Preferences(path)
    assert again.annotator() == "Zoë Müller"
    assert again.has_annotator()
    assert again.snap_to_words() is False
    assert again.suggest_on_open() is True
    assert again.zoom() == -3
    assert again.recent_projects() == [two.resolve(), one.resolve()]
    assert again.last_project() == two.resolve()
    assert again.last_document(one) == 12
    assert again.last_document(two) is None
    again.set_last_document(one, None)
    assert Preferences(path).last_document(one) is None
    data = stored(path)
    assert data["annotator"] == "Zoë Müller"
    assert "Zoë" in path.read_text(encoding="utf-8")  # readable, not \\u-escaped


def test_recent_projects_most_recent_first_existing_only_at_most_eight(
    path: Path, tmp_path: Path
) -> None:
    prefs = Preferences(path)
    projects = [project(tmp_path, f"p{i}.factmark") for i in range(10)]
    for item in projects:
        prefs.add_recent_project(item)
    prefs.add_recent_project(projects[3])  # again: moves to the front, no duplicate
    expected = [projects[3], *reversed(projects[4:]), projects[2]][:8]
    assert prefs.recent_projects() == [p.resolve() for p in expected]
    projects[9].unlink()
    assert projects[9].resolve() not in Preferences(path).recent_projects()
    assert len(stored(path)["recent_projects"]) == 8


def test_a_change_by_another_process_is_seen(path: Path) -> None:
    window, command_line = Preferences(path), Preferences(path)
    assert not window.has_annotator()
    command_line.set_annotator("olena")
    assert window.annotator() == "olena"
    window.set_snap_to_words(False)  # keeps the other's annotator
    assert stored(path)["annotator"] == "olena"


def test_writes_are_atomic_and_leave_no_temporary_file(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    prefs = Preferences(path)
    prefs.set_annotator("olena")
    prefs.set_zoom(2)
    assert sorted(p.name for p in path.parent.iterdir()) == ["preferences.json"]

    before = path.read_bytes()

    def crash(_source: object, _target: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(module.os, "replace", crash)
    with pytest.raises(OSError):
        prefs.set_annotator("someone else")
    assert path.read_bytes() == before  # the old file stands whole
    assert sorted(p.name for p in path.parent.iterdir()) == ["preferences.json"]
    assert prefs.annotator() == "someone else"  # the session goes on with it


def test_an_unchanged_value_is_not_written_again(path: Path) -> None:
    prefs = Preferences(path)
    prefs.set_zoom(2)
    signature = os.stat(path).st_ino, os.stat(path).st_mtime_ns
    prefs.set_zoom(2)
    assert (os.stat(path).st_ino, os.stat(path).st_mtime_ns) == signature


@pytest.mark.parametrize(
    "content",
    [
        b"{not json",
        b"",
        b"[1, 2, 3]",
        b'"a string"',
        b"\xff\xfe\x00binary",
        b"[" * 100_000,  # nesting deep enough to exhaust the parser
    ],
    ids=["broken", "empty", "list", "string", "binary", "deep"],
)
def test_a_damaged_file_reads_as_defaults_and_is_kept_until_a_setter_writes(
    path: Path, content: bytes
) -> None:
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    prefs = Preferences(path)
    assert prefs.snap_to_words() is True
    assert not prefs.has_annotator()
    assert prefs.zoom() == 0
    assert prefs.problem()
    assert path.read_bytes() == content  # not overwritten by reading
    prefs.set_annotator("olena")
    assert stored(path)["annotator"] == "olena"  # replaced by the first write
    assert Preferences(path).problem() is None


def test_an_oversized_file_is_not_read(path: Path) -> None:
    path.parent.mkdir(parents=True)
    padding = " " * (module.MAX_FILE_BYTES + 1)
    path.write_text('{"annotator": "olena"}' + padding, encoding="utf-8")
    prefs = Preferences(path)
    assert not prefs.has_annotator()
    assert "larger than" in (prefs.problem() or "")


def test_an_unreadable_file_reads_as_defaults(path: Path) -> None:
    path.mkdir(parents=True)  # a folder where the file should be
    prefs = Preferences(path)
    assert prefs.snap_to_words() is True
    assert prefs.problem()
    with pytest.raises(OSError):
        prefs.set_annotator("olena")


def test_values_of_the_wrong_type_read_as_defaults(path: Path, tmp_path: Path) -> None:
    kept = project(tmp_path, "kept.factmark")
    path.parent.mkdir(parents=True)
    path.write_text(
        json.dumps(
            {
                "annotator": 42,
                "snap_to_words": "no",
                "suggest_on_open": 1,
                "zoom": True,
                "recent_projects": [7, None, "", "relative.factmark", str(kept)],
                "last_documents": {str(kept.resolve()): "12"},
                "from_a_newer_version": {"x": 1},
            }
        ),
        encoding="utf-8",
    )
    prefs = Preferences(path)
    assert not prefs.has_annotator()
    assert prefs.snap_to_words() is True
    assert prefs.suggest_on_open() is False
    assert prefs.zoom() == 0
    assert prefs.recent_projects() == [kept]
    assert prefs.last_document(kept) is None
    assert prefs.problem() is None  # the file itself is fine

    for zoom in (1.5, 10**6, "3", None):
        path.write_text(json.dumps({"zoom": zoom, "recent_projects": "x"}), encoding="utf-8")
        assert Preferences(path).zoom() == 0
        assert Preferences(path).recent_projects() == []
    path.write_text(json.dumps({"last_documents": [1, 2]}), encoding="utf-8")
    assert Preferences(path).last_document(kept) is None
    for bad_name in ("", "a\nb", "x" * 101, "gold"):
        path.write_text(json.dumps({"annotator": bad_name}), encoding="utf-8")
        assert not Preferences(path).has_annotator()

    path.write_text(json.dumps({"zoom": "3", "from_a_newer_version": 1}), encoding="utf-8")
    again = Preferences(path)
    again.set_snap_to_words(False)
    assert stored(path)["from_a_newer_version"] == 1  # what this version does not know stays


@pytest.mark.parametrize(
    "name",
    [
        "",
        "   ",
        "a\nb",
        "a\rb",
        "tab\there",
        "nul\x00",
        "bell\x07",
        "del\x7f",
        "line\u2028sep",
        "x" * 101,
    ],
)
def test_annotator_names_that_cannot_be_recorded_are_refused(path: Path, name: str) -> None:
    prefs = Preferences(path)
    with pytest.raises(ValidationError):
        prefs.set_annotator(name)
    assert not path.exists()  # nothing written


def test_annotator_names_that_are_fine(path: Path) -> None:
    prefs = Preferences(path)
    for name in ("x" * 100, "Олена", "李雷", "J. O'Brien-Smith", "زهرا\u200cی"):
        prefs.set_annotator(f" {name}\n")
        assert Preferences(path).annotator() == name
    assert clean_annotator("  a b  ") == "a b"


def test_gold_is_refused_as_the_annotator(path: Path) -> None:
    with pytest.raises(ValidationError, match="adjudicated"):
        Preferences(path).set_annotator("gold")


def test_other_setters_refuse_bad_values(path: Path) -> None:
    prefs = Preferences(path)
    for zoom in (True, 1000, -1000):
        with pytest.raises(ValidationError):
            prefs.set_zoom(zoom)
    for document_id in (0, -1, True):
        with pytest.raises(ValidationError):
            prefs.set_last_document(path, document_id)
    assert not path.exists()


def test_last_documents_are_remembered_for_a_bounded_number_of_projects(
    path: Path, tmp_path: Path
) -> None:
    prefs = Preferences(path)
    for number in range(module.MAX_LAST_DOCUMENTS + 5):
        prefs.set_last_document(tmp_path / f"p{number}.factmark", number + 1)
    assert len(stored(path)["last_documents"]) == module.MAX_LAST_DOCUMENTS
    assert prefs.last_document(tmp_path / "p0.factmark") is None  # the oldest went
    assert prefs.last_document(tmp_path / "p204.factmark") == 205


# -- the INI file of earlier versions -------------------------------------------------

# As QSettings (Qt 6) wrote it for the earlier Settings class: section [General],
# true/false, lists comma-separated, a value with a comma, quote or edge space quoted
# and backslash-escaped, the window layout in groups of its own.
LEGACY_INI = r"""[General]
annotator="Zoë, Müller \"x\""
recent_projects={b}, "{a}", {missing}
snap_to_words=false
suggest_on_open=true
zoom=-3

[last_document]
17c63c673f6d4689=5

[window]
geometry=@ByteArray(\x1\x2geo)
splitter=100, 200
state=@ByteArray(st)
"""


def write_legacy(folder: Path, tmp_path: Path) -> tuple[Path, Path]:
    a = project(tmp_path, "with, comma.factmark")
    b = project(tmp_path, "plain.factmark")
    folder.mkdir(parents=True, exist_ok=True)
    text = LEGACY_INI.format(a=a, b=b, missing=tmp_path / "gone.factmark")
    (folder / "factmark.ini").write_text(text, encoding="utf-8")
    return a, b


def test_the_ini_file_of_earlier_versions_is_taken_over(path: Path, tmp_path: Path) -> None:
    a, b = write_legacy(path.parent, tmp_path)
    ini_before = (path.parent / "factmark.ini").read_bytes()
    prefs = Preferences(path)
    assert prefs.annotator() == 'Zoë, Müller "x"'
    assert prefs.has_annotator()
    assert prefs.snap_to_words() is False
    assert prefs.suggest_on_open() is True
    assert prefs.zoom() == -3
    assert prefs.recent_projects() == [b, a]
    assert stored(path)["annotator"] == 'Zoë, Müller "x"'  # saved as preferences.json
    assert (path.parent / "factmark.ini").read_bytes() == ini_before  # left to Qt

    # Taken over once: later changes to the INI file do not count any more.
    (path.parent / "factmark.ini").write_text("[General]\nannotator=other\n", encoding="utf-8")
    assert Preferences(path).annotator() == 'Zoë, Müller "x"'


def test_the_ini_file_does_not_count_once_preferences_exist(path: Path, tmp_path: Path) -> None:
    write_legacy(path.parent, tmp_path)
    path.write_text('{"zoom": 4}', encoding="utf-8")
    prefs = Preferences(path)
    assert prefs.zoom() == 4
    assert not prefs.has_annotator()


def test_ini_values_that_cannot_be_used_are_left_out(tmp_path: Path) -> None:
    ini = tmp_path / "factmark.ini"
    ini.write_text(
        "[General]\nannotator=tab\\there\nsnap_to_words=maybe\nzoom=big\n"
        "recent_projects=@Invalid()\n",
        encoding="utf-8",
    )
    assert read_legacy_settings(ini) == {}
    ini.write_text("[General]\nannotator=@@at\nrecent_projects=/only/one\n", encoding="utf-8")
    assert read_legacy_settings(ini) == {"annotator": "@at", "recent_projects": ["/only/one"]}
    for damaged in (b"no section\nannotator=x\n", b"\xff\xfe[General]\x00", b""):
        ini.write_bytes(damaged)
        assert read_legacy_settings(ini) == {}
    prefs = Preferences(tmp_path / "preferences.json")
    assert prefs.snap_to_words() is True  # a damaged INI file means defaults


def test_ini_escapes_read_as_qsettings_reads_them(tmp_path: Path) -> None:
    ini = tmp_path / "factmark.ini"
    cases = {
        r"\x41\x42c": "AЬ",  # hex escapes run as long as hex digits follow
        r"\101": "A",
        r"a\qb": "ab",  # an unknown escape drops the character
        r'"a" b': "ab",
        r"C:\\Users\\me": "C:\\Users\\me",
        r"a \t ": "a \t",
    }
    for raw, expected in cases.items():
        ini.write_text(f"[General]\nrecent_projects={raw}\n", encoding="utf-8")
        assert read_legacy_settings(ini)["recent_projects"] == [expected], raw
    ini.write_text('[General]\nrecent_projects= "x"  , y ,"a,b"\n', encoding="utf-8")
    assert read_legacy_settings(ini)["recent_projects"] == ["x", "y", "a,b"]
