"""Run by the frozen app before anything of Factmark (a PyInstaller runtime hook): on
Linux, pytz reads time zones from the system's database, as Python's own ``zoneinfo``
does, since the bundle leaves pytz's copy (0.9 MiB in 600 files) out.

pytz is there for dateparser, which reads the dates of saved web pages; it opens a
zone's file only when asked for that zone by name, which the page import never does
(it asks for the machine's own zone through ``zoneinfo``). Every Linux desktop has the
database (the .deb depends on ``tzdata``); a user's own PYTZ_TZDATADIR is kept.
"""

import os
import sys

SYSTEM_ZONES = "/usr/share/zoneinfo"

if sys.platform.startswith("linux") and os.path.isdir(SYSTEM_ZONES):
    os.environ.setdefault("PYTZ_TZDATADIR", SYSTEM_ZONES)
