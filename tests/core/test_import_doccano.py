"""doccano's JSONL export: its metadata columns and comments come into the document's
metadata, and what cannot come in is counted in the report.

The lines are written by hand in the shape doccano's documentation gives for its export
(``{"id", "text", "label", ...metadata columns..., "Comments": [...]}``, and the relation
project's ``entities`` / ``relations`` shape); expected values are written by hand.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from factmark.core.importing import import_file
from factmark.core.project import Project

FIRST = "Officials in Kyiv said 40 drones were shot down."
THIRD = "Third text."


def metadata(project: Project) -> dict[str, dict[str, object]]:
    """Each document's metadata by its text."""
    return {
        project.document(d.id or 0).text: project.document(d.id or 0).meta
        for d in project.documents()
    }


def test_doccano_metadata_columns_and_comments_are_kept(
    project: Project, write_jsonl: Callable[..., Path]
) -> None:
    path = write_jsonl(
        [
            {
                "id": 7,
                "text": FIRST,
                "label": [[13, 17, "location"]],
                "outlet": "Kyiv Independent",
                "published": "2024-01-05",
                "Comments": ["check the figure", "second source?"],
            },
            {"id": 9, "text": THIRD, "label": [], "outlet": "BBC", "Comments": ["a comment"]},
            {
                "id": 11,
                "text": "The mayor said so.",
                "entities": [{"id": 1, "label": "source", "start_offset": 0, "end_offset": 9}],
                "relations": [],
                "Comments": [],
                "author": "Ana Lima",
            },
        ]
    )

    report = import_file(project, path)

    assert report.lines() == [f"{path}: imported 3 documents, 2 spans"]
    assert metadata(project) == {
        FIRST: {
            "source_id": 7,
            "outlet": "Kyiv Independent",
            "published": "2024-01-05",
            "comments": ["check the figure", "second source?"],
        },
        THIRD: {"source_id": 9, "outlet": "BBC", "comments": ["a comment"]},
        "The mayor said so.": {"source_id": 11, "author": "Ana Lima"},
    }


def test_a_doccano_column_whose_name_meta_has_is_counted(
    project: Project, write_jsonl: Callable[..., Path]
) -> None:
    path = write_jsonl(
        [{"text": THIRD, "label": [], "meta": {"outlet": "AP"}, "outlet": "BBC", "desk": "World"}]
    )

    report = import_file(project, path)

    assert report.lines() == [
        f'{path}: imported 1 document, 0 spans (1 doccano line with a "outlet" field not kept '
        '(its "meta" already has that name))'
    ]
    assert metadata(project) == {THIRD: {"outlet": "AP", "desk": "World"}}
