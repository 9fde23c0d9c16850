"""The frozen app's pytz reads the system's time zones (packaging/system_tzdata.py, run
before the app on Linux, where build.spec leaves pytz's own copy out): every zone pytz
names gives the offsets its own database gives."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

HOOK = Path(__file__).resolve().parents[2] / "packaging" / "system_tzdata.py"
# What pytz answers for every common zone: its offset and name in the winter and summer
# of a few past years (rules already settled; a newer database may only add future ones).
ANSWERS = """
import datetime, json, sys, pytz
out = {"dir": __import__("os").environ.get("PYTZ_TZDATADIR")}
for name in pytz.common_timezones:
    zone = pytz.timezone(name)
    out[name] = [
        [str(zone.utcoffset(moment)), zone.tzname(moment)]
        for year in (1995, 2010, 2020)
        for moment in (datetime.datetime(year, 1, 15, 12), datetime.datetime(year, 7, 15, 12))
    ]
print(json.dumps(out))
"""

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or not Path("/usr/share/zoneinfo/UTC").exists(),
    reason="the system's time zone database is read on Linux",
)


def answers(*, hook: bool) -> dict[str, object]:
    code = (HOOK.read_text(encoding="utf-8") if hook else "") + "\n" + ANSWERS
    env = {name: value for name, value in os.environ.items() if name != "PYTZ_TZDATADIR"}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    found: dict[str, object] = orjson.loads(result.stdout)
    return found


def test_pytz_on_the_systems_zones_answers_as_on_its_own() -> None:
    own, system = answers(hook=False), answers(hook=True)
    assert own.pop("dir") is None
    assert system.pop("dir") == "/usr/share/zoneinfo"
    assert len(own) > 400
    assert system == own


def test_a_users_own_zone_folder_is_kept(tmp_path: Path) -> None:
    env = {**os.environ, "PYTZ_TZDATADIR": str(tmp_path)}
    code = HOOK.read_text(encoding="utf-8") + "\nimport os; print(os.environ['PYTZ_TZDATADIR'])"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert result.stdout.strip() == str(tmp_path)
