"""Adding files of earlier fact-checks to a project's archive, file by file, with the
report ``factmark archive add`` prints and File > Add fact-check archive shows: per file,
how many reviews were added, updated and refused, and why each refused one was."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from factmark.core.archive import AddCounts, add_reviews
from factmark.core.archive_readers import SUFFIXES, read_archive_file
from factmark.core.model import ValidationError
from factmark.core.safe_text import printable
from factmark.core.source_files import TOO_LONG, name_too_long, short_name
from factmark.core.storage import Storage


@dataclass
class ArchiveFileReport:
    """What adding one file did: the counts and the shape read, or why the whole file
    was refused; and one line per refused item (``where``, ``why``)."""

    path: Path
    counts: AddCounts | None = None
    shape: str = ""
    refused: list[tuple[str, str]] = field(default_factory=list)
    refused_count: int = 0
    error: str = ""  # the whole file could not be read

    @property
    def failed(self) -> bool:
        return bool(self.error or self.refused_count)

    @property
    def errors(self) -> list[str]:
        """The report's error lines (every line but the counts)."""
        return self.lines()[0 if self.error else 1 :]

    def lines(self) -> list[str]:
        """The counts line, then a line per refused item: one line each, names from
        outside escaped."""
        name = printable(self.path)
        if self.error:
            return [printable(f"{name}: error: {self.error}")]
        counts = self.counts or AddCounts()
        parts = [f"added {counts.added}", f"updated {counts.updated}"]
        if counts.unchanged:
            parts.append(f"unchanged {counts.unchanged}")
        parts.append(f"refused {self.refused_count}")
        lines = [f"{name}: {', '.join(parts)} ({self.shape})"]
        lines += [f"{name}: {where}: error: {why}" for where, why in self.refused]
        if self.refused_count > len(self.refused):
            lines.append(
                f"{name}: error: and {self.refused_count - len(self.refused)} more refused"
            )
        return [printable(line) for line in lines]


def collect_archive_files(paths: Iterable[Path]) -> tuple[list[Path], list[ArchiveFileReport]]:
    """Files named, and in folders (recursively, hidden entries left out) the files of
    the archive's suffixes; and a report for each path that does not exist."""
    files: list[Path] = []
    missing: list[ArchiveFileReport] = []
    for path in paths:
        if name_too_long(path):
            missing.append(ArchiveFileReport(Path(short_name(path)), error=TOO_LONG))
        elif path.is_dir():
            files += sorted(
                found
                for found in path.rglob("*")
                if found.is_file()
                and found.suffix.lower() in SUFFIXES
                and not any(part.startswith(".") for part in found.relative_to(path).parts)
            )
        elif path.exists():
            files.append(path)
        else:
            missing.append(ArchiveFileReport(path, error="no such file or folder"))
    return files, missing


def add_archive_file(project: Storage, path: Path) -> ArchiveFileReport:
    """Read one file and add its reviews to the project's archive (one transaction)."""
    try:
        read = read_archive_file(path)
    except ValidationError as error:
        return ArchiveFileReport(path, error=str(error))
    counts = add_reviews(project, (review for _, review in read.reviews), path.name)
    return ArchiveFileReport(path, counts, read.shape, read.refused, read.refused_count)
