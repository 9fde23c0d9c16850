"""Undo commands: one QUndoCommand around each core operation."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from factmark.core.model import ValidationError
from factmark.core.operations import Operation
from factmark.core.project import Project, ProjectError


class OperationCommand(QUndoCommand):
    """Applies (redo) or reverts (undo) one core operation.

    The operation has already been applied and committed when the command is
    pushed, so the first redo that QUndoStack.push performs does nothing.
    ``shown`` is told which document changed, so an undo in another document
    brings that document into view; ``failed`` hears of storage errors.
    """

    def __init__(
        self,
        project: Project,
        operation: Operation,
        shown: Callable[[int], None],
        failed: Callable[[str], None],
    ) -> None:
        super().__init__(operation.description)
        self.project = project
        self.operation = operation
        self._shown = shown
        self._failed = failed
        self._applied = True

    def redo(self) -> None:
        if self._applied:
            return
        self._run(self.operation.apply)
        self._applied = True

    def undo(self) -> None:
        self._run(self.operation.revert)
        self._applied = False

    def _run(self, step: Callable[[Project], None]) -> None:
        self._shown(self.operation.document_id)
        try:
            step(self.project)
        except (ProjectError, ValidationError) as error:
            self._failed(str(error))
