"""The names cue marking goes by, and the two checks a window makes at every start:
whether the project marks cues, and whether a claim is the outlet's own voice.

Kept apart from :mod:`factmark.core.cues` (which re-exports them), so that a start
reads them without loading the cue patterns and operations.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from factmark.core.project import Project

CUE = "cue"
CUE_OF = "cue_of"
VOICE = "voice"  # the claim attribute naming its voice
OUTLET = "outlet"  # ... the outlet's or its author's own


def cues_on(project: Project) -> bool:
    """Whether the project marks cues: it has the ``cue`` label and the ``cue_of`` type."""
    return any(label.name == CUE for label in project.labels()) and (
        CUE_OF in project.relation_types()
    )


def is_outlet_voice(attrs: dict[str, object]) -> bool:
    """Whether a claim's attributes mark it as the outlet's or its author's own voice."""
    value = attrs.get(VOICE)
    return isinstance(value, str) and value.strip().lower() == OUTLET
