"""What an empty window says: the one gesture that labels text, in the article and the
status bar, for a user who has not labelled anything yet."""

from __future__ import annotations

from collections.abc import Sequence

from factmark.core.model import Label

NO_DOCUMENT = (
    "No article to show. File > Import files… (or drop .txt, .html, .docx or .jsonl files here) "
    "brings articles in; then select text and press a label's key to label it."
)


def label_keys(labels: Sequence[Label]) -> str:
    """The label keys as a user reads them: "1–4" for a run of digits, else "1, 2 or Q"."""
    keys = [label.key for label in labels if label.key]
    if not keys:
        return ""
    digits = [int(key) for key in keys if key.isdigit()]
    if (
        len(keys) > 2
        and len(digits) == len(keys)
        and digits == list(range(digits[0], digits[-1] + 1))
    ):
        return f"{keys[0]}–{keys[-1]}"
    return keys[0] if len(keys) == 1 else ", ".join(keys[:-1]) + f" or {keys[-1]}"


def label_hint(labels: Sequence[Label]) -> str:
    """The first gesture: "Select text, then press 1–4 to label it" (with the keys of
    these labels), and how to go on."""
    keys = label_keys(labels)
    press = f"press {keys}" if keys else "click a label on the toolbar"
    return (
        f"Select text, then {press} to label it ({', '.join(map(_short, labels))}); "
        "a click on a span selects it. Ctrl+Shift+S suggests spans to accept or reject."
    )


def _short(label: Label) -> str:
    """A label's name as the hint shows it: cut after 30 characters (a project made
    before names had a limit may hold a name of thousands)."""
    return label.name if len(label.name) <= 31 else label.name[:30] + "…"
