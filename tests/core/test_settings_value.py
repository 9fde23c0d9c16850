"""Settings read at start by the standard library's json give orjson's value, or its
error, for any text (core.settings_store.settings_value; orjson is the oracle)."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path

import orjson
import pytest

from factmark.core.project import Project
from factmark.core.settings_store import settings_value

WORDS = ("claim", "", " ", "Харків", "日本語の文", "بيان صحفي", "☕", "𠮷", "a\r\nb", "\t", "\x00")

HOSTILE = [
    "",
    " ",
    "null",
    "true",
    "false",
    "0",
    "-0",
    "01",
    "+1",
    "1.",
    ".5",
    "1.5",
    "-0.0",
    "1e5",
    "1E400",
    "-1e400",
    "1e-400",
    "NaN",
    "Infinity",
    "-Infinity",
    "[NaN]",
    str(2**63 - 1),
    str(-(2**63)),
    str(-(2**63) - 1),
    str(2**64 - 1),
    str(2**64),
    str(10**30),
    '"\\ud800"',
    '"\\udc00 x"',
    '"\\ud83d\\ude00"',
    '"\\u0041"',
    '"\\\\u0041"',
    '"\\/"',
    '"\\x"',
    '"a\x01b"',
    '"\ud800"',
    '{"a": 1, "b": 2, "a": 3}',
    '{"a": 1,}',
    "[1, 2,]",
    "[1 2]",
    '{"a" 1}',
    "\ufeff[]",
    "[] []",
    " \t\r\n[ \t\r\n1 \t\r\n] \t\r\n",
    "\x0c[]",
    "\u00a0[]",
    "[" * 900 + "]" * 900,
    "[" * 1100 + "]" * 1100,
    '{"guidelines": "# Heading\\n\\n- one\\r\\n- two"}',
    b'{"a": 1}',
    b'"\xff"',
]


def _outcome(read: Callable[[str | bytes], object], text: str | bytes) -> tuple[str, str]:
    try:
        return "value", repr(read(text))
    except Exception as error:  # the oracle's error, whatever it is
        return type(error).__name__, str(error)


def _value(rng: random.Random, depth: int = 0) -> object:
    kind = rng.randrange(9 if depth < 4 else 5)
    if kind == 0:
        return rng.choice(WORDS) + rng.choice(WORDS)
    if kind == 1:
        return rng.choice(
            (0, 1, -1, 2**63 - 1, -(2**63), 2**64 - 1, rng.randrange(-(10**9), 10**9))
        )
    if kind == 2:
        return rng.choice((0.5, -1.25, 1e300, 5e-324, 0.1 + 0.2))
    if kind == 3:
        return rng.choice((None, True, False))
    if kind == 4:
        return ""
    if kind in (5, 6):
        return [_value(rng, depth + 1) for _ in range(rng.randrange(4))]
    return {rng.choice(WORDS) + str(n): _value(rng, depth + 1) for n in range(rng.randrange(4))}


def _texts() -> list[str | bytes]:
    rng = random.Random(17)
    texts: list[str | bytes] = list(HOSTILE)
    for _ in range(400):
        value = _value(rng)
        texts.append(orjson.dumps(value).decode())  # as the app writes settings
        texts.append(json.dumps(value))  # as the schema wrote the first ones (\u escapes)
        texts.append(json.dumps(value, ensure_ascii=False, indent=rng.choice((None, 2))))
    return texts


@pytest.mark.parametrize("text", _texts())
def test_a_setting_reads_as_orjson_reads_it(text: str | bytes) -> None:
    assert _outcome(settings_value, text) == _outcome(orjson.loads, text)


def test_a_project_reads_and_writes_its_settings(tmp_path: Path) -> None:
    with Project.open(tmp_path / "p.factmark") as project:
        project.set_setting("x", {"日本": [1, 2**64 - 1, 0.5, "☕\x01"]})
        assert project.setting("x") == {"日本": [1, 2**64 - 1, 0.5, "☕\x01"]}
