"""The export registry names every writer module once, under the module's own NAME, and
loads a writer only when its format is used (a JSONL export does not load the XMI
writer and, through it, every importer)."""

from __future__ import annotations

import importlib
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import factmark.core.exporting as exporting
from factmark.core.exporting import FORMATS

REPO = Path(__file__).resolve().parents[2]


def test_every_writer_module_is_registered_under_its_own_name() -> None:
    found = {}
    for info in pkgutil.iter_modules(exporting.__path__):
        module = importlib.import_module(f"{exporting.__name__}.{info.name}")
        if hasattr(module, "open_writer"):
            found[module.NAME] = module
    assert sorted(FORMATS) == sorted(found)
    assert all(FORMATS[name] is module for name, module in found.items())
    assert "jsonl" in FORMATS and "nonsense" not in FORMATS and len(FORMATS) == len(found)


def test_a_jsonl_export_loads_no_other_writer(tmp_path: Path) -> None:
    code = """
import json, sys
from pathlib import Path
from factmark.core.exporting import export
from factmark.core.exporting.base import Selection
from factmark.core.incoming import IncomingDocument, IncomingSpan
from factmark.core.project import Project
with Project.open(Path(sys.argv[1])) as project:
    spans = [IncomingSpan(15, 17, "number")]
    project.add_document(IncomingDocument("Officials said 42.", spans=spans))
    export(project, "jsonl", Path(sys.argv[2]), Selection(frozenset()), card=False)
print(json.dumps(sorted(m for m in sys.modules if m.startswith("factmark.core.")
                        and m.split(".")[2] in ("exporting", "importing"))))
"""
    out = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "p.factmark"), str(tmp_path / "out.jsonl")],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(REPO / "desktop"), "PATH": "/usr/bin:/bin"},
    )
    loaded = json.loads(out.stdout.strip().splitlines()[-1])
    assert "factmark.core.exporting.jsonl" in loaded
    others = [
        m
        for m in loaded
        if m.startswith("factmark.core.importing")
        or m.split(".")[-1] in ("xmi", "conll", "brat", "attribution", "sentences", "spacy_docbin")
    ]
    assert others == []
    (line,) = (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(line)["spans"][0]["text"] == "42"
