"""brat's own reader (tests/core/brat_upstream, unchanged upstream code) run on files.

``read_document`` parses a ``.txt``/``.ann`` pair with brat's ``TextAnnotations``, as brat's
server does when it opens a document: every offset checked against the text, every text
field against the text at its offsets. ``read_configuration`` parses ``annotation.conf``
with brat's ``projectconfig``.
"""

from __future__ import annotations

import importlib.util
import sys
import types
import warnings
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

UPSTREAM = Path(__file__).parent / "brat_upstream"


class _Messager:
    """brat's ``message.Messager``, keeping what brat would show the user."""

    shown: list[str] = []  # noqa: RUF012 (brat calls these as static methods)

    @staticmethod
    def warning(message: str, *args: Any, **kwargs: Any) -> None:
        _Messager.shown.append(message)

    error = info = debug = warning


def _load(name: str) -> types.ModuleType:
    spec = importlib.util.spec_from_loader(
        name, importlib.machinery.SourceFileLoader(name, str(UPSTREAM / f"{name}.py.txt"))
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Python 2-era escapes such as '\s' in upstream code
        spec.loader.exec_module(module)
    return module


@cache
def _modules() -> tuple[types.ModuleType, types.ModuleType]:
    """brat's annotation and projectconfig modules, loaded once under private names."""
    saved = {name: sys.modules.get(name) for name in ("annotation", "message", "config")}
    try:
        annotation = _load("annotation")
        sys.modules["annotation"] = annotation
        sys.modules["message"] = types.SimpleNamespace(Messager=_Messager)  # type: ignore[assignment]
        sys.modules["config"] = types.ModuleType("config")
        projectconfig = _load("projectconfig")
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module
    return annotation, projectconfig


@dataclass
class BratDocument:
    text: str
    errors: list[str]
    failed_lines: list[int]  # 0-based, as brat counts them
    textbounds: dict[str, tuple[str, list[tuple[int, int]], str]]  # id -> type, spans, text
    relations: list[tuple[str, str, str]]  # type, arg1, arg2
    attributes: list[tuple[str, str, object]]  # type, target, value (True when binary)
    notes: list[tuple[str, str, str]]  # type, target, text


def read_document(txt: Path, ann: Path) -> BratDocument:
    """A document as brat's server reads it (both files strict UTF-8, nothing changed)."""
    annotation, _ = _modules()
    text = txt.read_bytes().decode("utf-8")
    parsed = annotation.TextAnnotations(text=text, source=ann.read_bytes().decode("utf-8"))
    return BratDocument(
        text,
        list(parsed.get_messages().errors),
        list(parsed.failed_lines),
        {t.id: (t.type, list(t.spans), t.text) for t in parsed.get_textbounds()},
        [(r.type, r.arg1, r.arg2) for r in parsed.get_relations()],
        [(a.type, a.target, a.value) for a in parsed.get_attributes()],
        [
            (c.type, c.target, c.tail.lstrip("\t").rstrip("\n"))
            for c in parsed.get_oneline_comments()
        ],
    )


def read_configuration(conf: Path) -> tuple[dict[str, list[Any]], list[str]]:
    """``annotation.conf`` as brat parses it: section -> type nodes (``storage_form()``,
    ``arguments``), and the warnings brat would show."""
    _, projectconfig = _modules()
    _Messager.shown = []
    parse = getattr(projectconfig, "__parse_configs")
    configs, _ = parse(
        conf.read_bytes().decode("utf-8"),
        str(conf),
        ("entities", "relations", "events", "attributes"),
        [],
    )
    return configs, list(_Messager.shown)
