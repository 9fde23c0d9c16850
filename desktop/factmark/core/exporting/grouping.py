"""A split by group (``--split-by meta.FIELD``): documents sharing a metadata value land in
one part, so that a model is evaluated on outlets, topics or dates it never saw in training
(as NewsClaims evaluates on unseen topics).

- A group is the documents whose metadata ``FIELD`` has one value (compared as JSON: the text
  ``"2023"`` and the number ``2023`` are two values). A document without the field (or with
  it empty or null) is a group of its own: it cannot share a part with documents it has
  nothing in common with, and leaving it out would lose data silently.
- Groups are placed largest first (groups of the same size in an order drawn from the seed),
  each into the part furthest below its share of the documents, so the parts come as close
  to the fractions as whole groups allow. The same seed on the same documents gives the same
  split; unlike a split by document, adding documents can move a group, since the sizes
  decide the order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import orjson

from factmark.core.exporting.base import Split
from factmark.core.model import ValidationError
from factmark.core.project import Project

PREFIX = "meta."
MAX_FIELD = 200
SHOWN = 20  # group values listed per part in the dataset card


def field_name(text: str) -> str:
    """``meta.outlet`` -> ``outlet``; raises ValidationError for anything else."""
    name = text[len(PREFIX) :] if text.startswith(PREFIX) else ""
    if not name.strip() or len(name) > MAX_FIELD or not name.isprintable():
        raise ValidationError(
            f"--split-by takes meta.NAME, a document metadata field (e.g. meta.outlet), "
            f"not {text[:MAX_FIELD]!r}"
        )
    return name


@dataclass
class GroupPlan:
    """Where each document of a split by group goes, and what each part holds."""

    meta_field: str
    part_of: dict[str, str]  # document uid -> part
    groups: dict[str, list[str]] = field(default_factory=dict)  # part -> values (JSON)
    alone: dict[str, int] = field(default_factory=dict)  # part -> documents without the field


def plan(project: Project, statuses: list[str], split: Split, name: str) -> GroupPlan:
    """Place the groups of the documents with these statuses into the split's parts."""
    members: dict[str, list[str]] = {}
    for uid, meta in project.document_metas(statuses):
        value = meta.get(name)
        if value in (None, "", [], {}):
            key = "\x00" + uid  # its own group; no JSON text starts with NUL
        else:
            key = orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()
        members.setdefault(key, []).append(uid)
    total = sum(len(uids) for uids in members.values())
    placed = {part: 0 for part, _ in split.parts}
    result = GroupPlan(name, {}, {part: [] for part in placed}, {part: 0 for part in placed})

    import hashlib  # a split's only: loading OpenSSL's hashes takes milliseconds

    def drawn(key: str) -> bytes:
        return hashlib.sha256(f"{split.seed}:{key}".encode("utf-8", "surrogatepass")).digest()

    for key in sorted(members, key=lambda k: (-len(members[k]), drawn(k))):
        part = max(split.parts, key=lambda p: p[1] * total - placed[p[0]])[0]
        placed[part] += len(members[key])
        for uid in members[key]:
            result.part_of[uid] = part
        if key.startswith("\x00"):
            result.alone[part] += 1
        else:
            result.groups[part].append(key)
    for values in result.groups.values():
        values.sort()
    return result


def card_lines(plan: GroupPlan, documents: dict[str, int]) -> list[str]:
    """The dataset card's section on the grouping: per part its groups and documents."""
    lines = [
        "",
        f"## Split by `meta.{shown(plan.meta_field)}`",
        "",
        f"Documents sharing a value of their metadata field `{shown(plan.meta_field)}` are in one "
        "part, so no value is in two parts; a document without the field is a group of its "
        "own. Groups were placed largest first (same sizes in an order drawn from the seed), "
        "each into the part furthest below its share.",
        "",
        "| part | groups | documents | of which without the field | values |",
        "| --- | --- | --- | --- | --- |",
    ]
    for part, values in plan.groups.items():
        listed = ", ".join(f"`{shown(_value(v))}`" for v in values[:SHOWN])
        if len(values) > SHOWN:
            listed += f" and {len(values) - SHOWN} more"
        lines.append(
            f"| {part} | {len(values) + plan.alone[part]} | {documents.get(part, 0)} | "
            f"{plan.alone[part]} | {listed or '—'} |"
        )
    return lines


def _value(key: str) -> str:
    value: Any = orjson.loads(key)
    return value if isinstance(value, str) else key


def shown(text: str) -> str:
    """Text from a document's metadata, safe inside a Markdown code span in a table."""
    cleaned = "".join(c if c.isprintable() else " " for c in text).replace("`", "'")
    cleaned = cleaned.replace("|", "/")
    return cleaned if len(cleaned) <= 80 else cleaned[:79] + "…"
