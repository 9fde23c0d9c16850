"""Reading the annotation guidelines (Markdown) by label."""

from __future__ import annotations

import re


def section(markdown: str, heading: str) -> str:
    """The text under the ``## heading`` of the guidelines (case-insensitive), or ""."""
    lines = markdown.splitlines()
    found: list[str] = []
    inside = False
    for line in lines:
        match = re.match(r"^(#{1,6})\s+(.*?)\s*#*\s*$", line)
        if match:
            if inside:
                break
            inside = match.group(2).strip().lower() == heading.strip().lower()
            continue
        if inside:
            found.append(line)
    return "\n".join(found).strip()
