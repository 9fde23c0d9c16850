"""The ``preferences`` command: show or change the preferences the window uses too."""

from __future__ import annotations

import argparse

from factmark.cli.common import EXIT_OK, _failed, _say, _usage_error
from factmark.core.model import ValidationError

_SWITCH = {"on": True, "off": False}


def run_preferences(args: argparse.Namespace) -> int:
    """Set what the options give (nothing unless all of them are valid), then print the
    file's path and the current values, one per line."""
    from factmark.core.preferences import Preferences, clean_annotator

    switches: dict[str, bool] = {}
    for option, value in (("--snap", args.snap), ("--suggest-on-open", args.suggest_on_open)):
        if value is None:
            continue
        if value.lower() not in _SWITCH:
            return _usage_error(f"{option} takes on or off, not {value!r}")
        switches[option] = _SWITCH[value.lower()]
    if args.annotator is not None:
        try:
            clean_annotator(args.annotator)
        except ValidationError as error:
            return _usage_error(f"--annotator: {error}")

    preferences = Preferences()
    damaged = preferences.problem()
    changing = args.annotator is not None or bool(switches)
    try:  # the annotator first: when it is refused (gold), nothing has changed
        if args.annotator is not None:
            preferences.set_annotator(args.annotator)
        if "--snap" in switches:
            preferences.set_snap_to_words(switches["--snap"])
        if "--suggest-on-open" in switches:
            preferences.set_suggest_on_open(switches["--suggest-on-open"])
    except ValidationError as error:
        return _usage_error(f"--annotator: {error}")
    except OSError as error:
        return _failed(f"{preferences.path}: cannot be written ({error.strerror or error})")

    problem = preferences.problem()
    if problem:
        _say(f"note: {preferences.path} {problem}; the defaults are shown", err=True)
    elif damaged and changing:
        _say(f"note: {preferences.path} {damaged}; it was replaced", err=True)
    annotator = preferences.annotator()
    if not preferences.has_annotator():
        annotator += " (the login name: none chosen yet)"
    _say(f"file: {preferences.path}")
    _say(f"annotator: {annotator}")
    _say(f"snap: {_on_off(preferences.snap_to_words())}")
    _say(f"suggest-on-open: {_on_off(preferences.suggest_on_open())}")
    return EXIT_OK


def _on_off(value: bool) -> str:
    return "on" if value else "off"
