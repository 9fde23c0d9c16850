"""``python docs/make_screenshots.py FOLDER`` makes every screenshot the README shows, each
at most a 1366×768 laptop's screen (the script drives the real window and dialogs, so a
dialog's changed constructor breaks it here rather than at the next release)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

REPO = Path(__file__).resolve().parents[2]
# Taken by hand in the real X window (its fonts: emoji tints, right-to-left paragraphs).
BY_HAND = {"scripts.png"}


def test_the_script_makes_every_screenshot_the_readme_shows(tmp_path: Path) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    shown = set(re.findall(r"\(docs/([\w-]+\.png)\)", readme))
    assert "agreement.png" in shown and "main-window.png" in shown
    environment = {k: v for k, v in os.environ.items() if k != "DISPLAY"}  # offscreen
    result = subprocess.run(
        [sys.executable, str(REPO / "docs" / "make_screenshots.py"), str(tmp_path)],
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    for name in sorted(shown - BY_HAND):
        image = QImage(str(tmp_path / name))
        assert not image.isNull(), f"{name} not made"
        assert image.width() <= 1366 and image.height() <= 768, name
