"""Random edit scripts in three copies: the merged project does not depend on the order
of the merges, and merging again changes nothing (hypothesis)."""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factmark.core.conflicts import conflicts
from factmark.core.copies import make_copy
from factmark.core.incoming import IncomingDocument
from factmark.core.merge import merge_projects
from factmark.core.project import Project

TEXT = "The army said 240 soldiers crossed the river near Bakhmut on Monday, officials said."
# The lead's spans: (start, end, label).
BASE = [(0, 13, "claim"), (14, 17, "number"), (50, 57, "location"), (61, 67, "claim")]
NAMES = ("ana", "bob", "cy")

# What a copy does to one of the lead's spans it looks after.
edits = st.one_of(
    st.just(("keep",)),
    st.just(("delete",)),
    st.tuples(st.just("note"), st.sampled_from(["checked", "ask desk", "wrong figure"])),
    st.tuples(st.just("verdict"), st.sampled_from(["true", "false", "misleading"])),
)
# Spans a copy adds under its own name: (start, length).
additions = st.lists(st.tuples(st.integers(0, 70), st.integers(1, 10)), max_size=3)
scripts = st.tuples(
    st.lists(st.sampled_from([*NAMES, None]), min_size=len(BASE), max_size=len(BASE)),
    st.lists(edits, min_size=len(BASE), max_size=len(BASE)),
    st.fixed_dictionaries({name: additions for name in NAMES}),
    st.integers(0, 10_000),
)


def state(project: Project) -> set[tuple[object, ...]]:
    (doc,) = project.documents()
    return {
        (s.annotator, s.start, s.end, s.label, s.note, tuple(sorted(s.attrs.items())))
        for s in project.spans(doc.id or 0)
    }


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(scripts)
def test_random_edits_merge_alike_in_any_order(script: tuple) -> None:  # type: ignore[type-arg]
    owners, steps, added, seed = script
    with tempfile.TemporaryDirectory() as folder:
        lead = Path(folder) / "lead.factmark"
        with Project.open(lead) as project:
            project.add_document(IncomingDocument(TEXT, title="t"))
            doc = project.documents()[0].id or 0
            for start, end, label in BASE:
                project.add_span(doc, start, end, label, "lead")
            copies = [make_copy(project, Path(folder) / f"{n}.factmark", n).path for n in NAMES]
        # The expected spans, built by hand from the script: each base span changed only
        # by the copy that looks after it; each copy's own spans added.
        expected: set[tuple[object, ...]] = set()
        for (start, end, label), owner, step in zip(BASE, owners, steps, strict=True):
            if owner is None or step[0] == "keep":
                expected.add(("lead", start, end, label, None, ()))
            elif step[0] == "note":
                expected.add(("lead", start, end, label, step[1], ()))
            elif step[0] == "verdict":
                expected.add(("lead", start, end, label, None, (("verdict", step[1]),)))
        for name, path in zip(NAMES, copies, strict=True):
            with Project.open(path) as copy:
                spans = {(s.start, s.end, s.label): s.id or 0 for s in copy.spans(doc)}
                for (start, end, label), owner, step in zip(BASE, owners, steps, strict=True):
                    span_id = spans[(start, end, label)]
                    if owner != name or step[0] == "keep":
                        continue
                    if step[0] == "delete":
                        copy.delete_span(span_id)
                    elif step[0] == "note":
                        copy.update_span(span_id, note=step[1])
                    else:
                        copy.update_span(span_id, attrs={"verdict": step[1]})
                for start, length in added[name]:
                    end = min(start + length, len(TEXT))
                    if (name, start, end) not in {(e[0], e[1], e[2]) for e in expected}:
                        copy.add_span(doc, start, end, "number", name)
                        expected.add((name, start, end, "number", None, ()))
        orders = [list(copies), list(reversed(copies))]
        random.Random(seed).shuffle(orders[1])
        results = []
        for number, order in enumerate(orders):
            target = Path(folder) / f"target-{number}.factmark"
            target.write_bytes(lead.read_bytes())
            with Project.open(target) as project:
                merge_projects(project, order)
                first = state(project)
                merge_projects(project, order[::-1])
                assert state(project) == first
                assert conflicts(project) == []
                results.append(first)
        assert results[0] == results[1] == expected
