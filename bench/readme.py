"""Write the README's speed tables from the benchmarks' own result files.

    python bench/readme.py            # rewrite the block in README.md
    python bench/readme.py --check    # exit 1 when README.md's block is not what they say

``bench/run.py`` writes ``bench/RESULTS.md`` and ``bench/scale.py`` (a whole run at its
full size) writes ``bench/SCALE.md``, each with the machine and the date it was measured;
both then call this, so the README's tables are always the last measured ones, never
figures typed by hand. The block sits between two marker lines in README.md.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
README = HERE.parent / "README.md"
BEGIN = "<!-- speed tables: written by bench/readme.py from bench/RESULTS.md, bench/SCALE.md -->"
END = "<!-- end of speed tables -->"
SOURCES = (
    ("RESULTS.md", "`python bench/run.py`: one article, one window, 10,000 articles"),
    ("SCALE.md", "`python bench/scale.py`: 100,000 articles and 2 million spans"),
)


def block() -> str:
    """The README's block: each result file's measured lines and table under a heading,
    its own title left out."""
    parts = [BEGIN]
    for name, heading in SOURCES:
        lines = (HERE / name).read_text(encoding="utf-8").strip().splitlines()
        body = "\n".join(lines[1:] if lines[:1] and lines[0].startswith("# ") else lines)
        parts.append(f"#### {heading} ([bench/{name}](bench/{name}))\n\n{body.strip()}")
    parts.append(END)
    return "\n\n".join(parts)


def rendered(readme: str) -> str:
    """``readme`` with its block replaced by :func:`block`'s."""
    head, found, rest = readme.partition(BEGIN)
    if not found or END not in rest:
        raise SystemExit(f"{README}: the speed tables' marker lines are missing")
    return head + block() + rest.split(END, 1)[1]


def main(argv: list[str]) -> int:
    text = README.read_text(encoding="utf-8")
    new = rendered(text)
    if argv[:1] == ["--check"]:
        if new != text:
            print(
                "README.md's speed tables differ from bench/RESULTS.md and bench/SCALE.md: "
                "run python bench/readme.py",
                file=sys.stderr,
            )
            return 1
        return 0
    if new != text:
        README.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
