"""The session of one window: the open project, the document shown, the undo history,
and the one broadcast of what each change did.

Changes flow one way: a part asks the session to perform an operation; the operation's
undo command applies it (``redo`` does the work, in one transaction); once the step is
on the undo stack the session broadcasts the ChangeSet the project committed, with the
part that started it; every view updates itself from the values it carries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QUndoCommand, QUndoStack

from factmark.core.changes import ChangeSet
from factmark.core.model import Document, ValidationError
from factmark.core.operations import Operation
from factmark.core.project import Project, ProjectError


class Session(QObject):
    """The open project and the document shown; says when either changes."""

    project_closing = Signal()  # before the open project is closed for another
    project_opened = Signal(object)  # the Project, after switching to it
    document_shown = Signal(object)  # the Document shown, or None
    performing = Signal()  # an operation, undo or redo is about to change the project
    changed = Signal(object)  # a ChangeSet, after the operation and its undo step
    problem = Signal(str)  # a message for the user: nothing was changed

    def __init__(self, project: Project, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.document: Document | None = None
        self.undo_stack = QUndoStack(self)
        project.subscribe(self._heard)

    # -- project and document -------------------------------------------------------

    def set_project(self, project: Project) -> None:
        """Close the open project and work on ``project``; the history starts afresh."""
        self.project_closing.emit()
        self.project.unsubscribe(self._heard)
        self.project.close()
        self.undo_stack.clear()
        self.project = project
        self.document = None
        project.subscribe(self._heard)
        self.document_shown.emit(None)
        self.project_opened.emit(project)

    def close(self) -> None:
        """Stop hearing the project (the window is closing)."""
        self.project.unsubscribe(self._heard)

    def show_document(self, document_id: int | None, *, again: bool = False) -> bool:
        """Make a document the current one (None: none); False when it cannot be read.
        ``again`` reads it even when it is the current one (after a merge)."""
        if not again and (self.document.id if self.document else None) == document_id:
            return True
        try:
            document = self.project.document(document_id) if document_id else None
        except (ProjectError, ValueError) as error:
            self.problem.emit(str(error))
            return False
        self.document = document
        self.document_shown.emit(document)
        return True

    @property
    def document_id(self) -> int | None:
        return self.document.id if self.document else None

    # -- operations and undo ------------------------------------------------------------

    def perform(self, operation: Operation, origin: object = None) -> bool:
        """Apply an operation as one undo step; False (and a message, no step) when it
        fails. Views hear of the change once the step is on the stack."""
        command = OperationCommand(self, operation)
        self.performing.emit()
        with self.project.held(origin):
            self.undo_stack.push(command)
        return command.applied

    def undo(self) -> str | None:
        """Undo the last step; its text (None: nothing to undo, or it failed)."""
        return self._step_history(redo=False)

    def redo(self) -> str | None:
        """Redo the step undone last; its text (None: nothing to redo, or it failed)."""
        return self._step_history(redo=True)

    def _step_history(self, redo: bool) -> str | None:
        stack = self.undo_stack
        command = stack.command(stack.index() if redo else stack.index() - 1)
        if command is None:
            return None
        self.performing.emit()
        with self.project.held(stack):
            if redo:
                stack.redo()
            else:
                stack.undo()
        applied = command.applied if isinstance(command, OperationCommand) else redo
        return command.text() if applied == redo else None

    def _heard(self, changes: ChangeSet) -> None:
        if self.document is not None:
            edit = changes.documents.get(self.document.id or 0)
            if edit is not None and edit.new is not None:
                self.document = replace(self.document, status=edit.new.status, meta=edit.new.meta)
        self.changed.emit(changes)


class OperationCommand(QUndoCommand):
    """One core operation on the undo stack: ``redo`` applies it, ``undo`` reverts it.

    An operation that fails when first applied marks the command obsolete, so
    ``QUndoStack.push`` drops it: no step is left for an edit that did not happen. An
    undo or redo that fails leaves the project as it was, and the stack's position is
    put back, so the history never drifts from the file.
    """

    def __init__(self, session: Session, operation: Operation) -> None:
        super().__init__(operation.description)
        self.session = session
        self.operation = operation
        self.applied = False

    def redo(self) -> None:
        if self.applied:
            return  # the stack's position was put back after a failed undo
        if self._run(self.operation.apply):
            self.applied = True
            self.setText(self.operation.description)
        elif not self._on_stack():
            self.setObsolete(True)  # never applied: push drops it

    def undo(self) -> None:
        if not self.applied:
            return
        if self._run(self.operation.revert):
            self.applied = False

    def _run(self, step: Callable[[Project], ChangeSet]) -> bool:
        """Run apply or revert; on failure say why and, for a step already on the stack,
        move the stack back to where it was."""
        session = self.session
        document_id = self.operation.document_id
        if document_id is not None and document_id != session.document_id:
            session.show_document(document_id)  # an undo in another document shows it
        busy = self.operation.rewrites_many()
        if busy:  # seconds on an archive: the pointer says the window is at work
            QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            step(session.project)
        except (ProjectError, ValidationError) as error:
            session.problem.emit(f"{self.operation.description}: {error}")
            stack = session.undo_stack
            if self._on_stack():
                position = stack.index()
                QTimer.singleShot(0, lambda: stack.setIndex(position))
            return False
        finally:
            if busy:
                QGuiApplication.restoreOverrideCursor()
        return True

    def _on_stack(self) -> bool:
        stack = self.session.undo_stack
        return any(stack.command(n) is self for n in range(stack.count()))
