"""The guidelines dock: the project's annotation guidelines, rendered or edited as Markdown."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QObject, Qt, QUrl, Signal
from PySide6.QtGui import (
    QDesktopServices,
    QFontDatabase,
    QImage,
    QKeyEvent,
    QKeySequence,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from factmark.core.guidelines import read_guidelines
from factmark.core.model import ValidationError
from factmark.core.project import Project, ProjectError
from factmark.ui import file_dialogs
from factmark.ui.article.typed_text import typed_text
from factmark.ui.plain import plain_warning

VIEW, EDIT = 0, 1
SAVE = QKeySequence.StandardKey.Save
EDITOR_COLUMNS = 60  # how wide the docked editor grows while editing, in characters
# Rendering Markdown takes about a second per 5 MB and blocks the window meanwhile:
# longer guidelines are rendered up to here (at a paragraph break), with a notice.
RENDER_LIMIT = 200_000  # characters
WEB_SCHEMES = ("http", "https", "mailto")  # the links handed to the system browser
MARKDOWN = (
    QTextDocument.MarkdownFeature.MarkdownDialectGitHub
    | QTextDocument.MarkdownFeature.MarkdownNoHTML
)
PLACEHOLDER = ":/qt-project.org/styles/commonstyle/images/file-16.png"  # Qt's own icon


class NoResourceDocument(QTextDocument):
    """A document that loads nothing: no image, style sheet or page, from files or the net.

    Guidelines come from others (a partner newsroom's file): an image such as
    ``file:///dev/zero`` would be read until memory runs out. When the loader finds
    nothing Qt reads a local file itself (the document, and the image handler for
    images), so the loader answers every URL: an image with Qt's small "file" icon in
    its place, anything else with nothing. The URLs asked for are kept in ``refused``.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.refused: list[str] = []
        self._placeholder = QImage(PLACEHOLDER)  # built into Qt (qrc), not a file
        if self._placeholder.isNull():
            self._placeholder = QImage(1, 1, QImage.Format.Format_ARGB32)
            self._placeholder.fill(Qt.GlobalColor.transparent)

    def loadResource(self, type: int, name: QUrl | str) -> object:
        if len(self.refused) < 100:
            self.refused.append(QUrl(name).toString())
        if type == QTextDocument.ResourceType.ImageResource.value:
            return self._placeholder
        return QByteArray()


class GuidelinesView(QTextBrowser):
    """The rendered guidelines: loads no resources and never follows a link itself."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDocument(NoResourceDocument(self))
        self.setOpenLinks(False)  # a click only emits anchorClicked
        self.setOpenExternalLinks(False)

    def loadResource(self, type: int, name: QUrl | str) -> object:
        return None

    def doSetSource(
        self,
        name: QUrl | str,
        /,
        type: QTextDocument.ResourceType = QTextDocument.ResourceType.UnknownResource,
    ) -> None:
        """Never navigates: the pane shows the project's guidelines and nothing else."""


def render_guidelines(view: QTextBrowser, text: str, limit: int = RENDER_LIMIT) -> bool:
    """Render Markdown in ``view``; True when it was cut at ``limit`` characters.

    GitHub's dialect (tables, task lists, autolinks) without raw HTML: HTML in the
    guidelines shows as written (Qt's importer drops everything after an HTML block
    such as ``<img ...>``). A cut text ends at the last paragraph break before the
    limit and is followed by a plain notice (the editor has the whole text).
    """
    cut = len(text)
    if cut > limit:
        paragraph = text.rfind("\n\n", limit // 2, limit)
        cut = paragraph if paragraph > 0 else limit
    view.document().setMarkdown(text[:cut], MARKDOWN)
    if cut < len(text):
        cursor = QTextCursor(view.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertBlock()
        notice = QTextCharFormat()
        notice.setFontItalic(True)
        cursor.insertText(
            f"The guidelines are {len(text):,} characters long: only the start is shown "
            "here, to keep the window responsive. Edit shows the whole text.",
            notice,
        )
    view.moveCursor(QTextCursor.MoveOperation.Start)  # from the top, as a new text
    return cut < len(text)


class MarkdownEditor(QPlainTextEdit):
    """A plain-text editor in which Ctrl+S saves and Escape cancels.

    Both keys are claimed before the window's shortcuts see them (Escape also
    deselects in the article), so they act on the editor that has focus.
    """

    save_requested = Signal()
    cancel_requested = Signal()

    def event(self, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and self._claimed(event)
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(SAVE):
            self.save_requested.emit()
        elif self._claimed(event):
            self.cancel_requested.emit()
        else:
            super().keyPressEvent(event)

    def source(self) -> str:
        """The Markdown as typed (see :mod:`factmark.ui.article.typed_text`)."""
        return typed_text(self.document())

    @staticmethod
    def _claimed(event: QKeyEvent) -> bool:
        escape = event.key() == Qt.Key.Key_Escape and not event.modifiers()
        return escape or event.matches(SAVE)


class GuidelinesPanel(QWidget):
    """Shows the guidelines rendered; Edit turns the panel into a Markdown editor.

    Saving stores the text with :meth:`Project.set_guidelines` (committed before the
    panel shows it as saved); the window hears the "settings" change and refreshes
    the label tips. Cancel and Escape discard the edit, as in a dialog; closing or
    switching the project asks first (:meth:`confirm_leave`).
    """

    saved = Signal(str)  # a message for the status bar

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("guidelinesPanel")
        self.project = project
        self._original = ""  # the text the edit started from, to tell unsaved changes
        self._narrow_width: int | None = None  # the dock's width before editing widened it

        self.view = GuidelinesView(self)
        self.view.setObjectName("guidelines")
        self.view.anchorClicked.connect(self.follow_link)
        self.truncated = False  # the rendered guidelines stop before the end (too long)
        self.edit_button = self._button("Edit", "guidelinesEdit", self.edit)

        self.hint = QLabel(
            "Markdown. A “## label” section’s “Examples:” list shows in that label’s tooltip.",
            self,
        )
        self.hint.setObjectName("guidelinesHint")
        self.hint.setWordWrap(True)
        self.editor = MarkdownEditor(self)
        self.editor.setObjectName("guidelinesEditor")
        self.editor.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.editor.save_requested.connect(self.save)
        self.editor.cancel_requested.connect(self.cancel)
        self.load_button = self._button("Load file…", "guidelinesLoad", self.choose_file)
        self.load_button.setToolTip("Put a Markdown file's text in the editor (not saved yet)")
        self.cancel_button = self._button("Cancel", "guidelinesCancel", self.cancel)
        self.cancel_button.setToolTip("Discard the changes (Escape)")
        self.save_button = self._button("Save", "guidelinesSave", self.save)
        keys = QKeySequence(SAVE).toString(QKeySequence.SequenceFormat.NativeText)
        self.save_button.setToolTip(f"Save the guidelines to the project ({keys})")

        self.pages = QStackedWidget(self)
        self.pages.setObjectName("guidelinesPages")
        self.pages.addWidget(self._page([self.view], [None, self.edit_button]))
        self.pages.addWidget(
            self._page(
                [self.hint, self.editor],
                [self.load_button, None, self.cancel_button, self.save_button],
            )
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)
        self.refresh()

    def _button(self, text: str, name: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    def _page(self, widgets: list[QWidget], buttons: list[QPushButton | None]) -> QWidget:
        """A page: widgets (the last one grows) over a row of buttons (None: a stretch)."""
        page = QWidget(self)
        column = QVBoxLayout(page)
        column.setContentsMargins(6, 6, 6, 6)
        column.setSpacing(6)
        for widget in widgets:
            column.addWidget(widget, 1 if widget is widgets[-1] else 0)
        row = QHBoxLayout()
        row.setSpacing(6)
        for button in buttons:
            if button is None:
                row.addStretch(1)
            else:
                row.addWidget(button)
        column.addLayout(row)
        return page

    # -- state -------------------------------------------------------------------

    @property
    def editing(self) -> bool:
        return self.pages.currentIndex() == EDIT

    def has_unsaved_changes(self) -> bool:
        return self.editing and self.editor.source() != self._original

    def set_project(self, project: Project) -> None:
        """Show another project's guidelines; an edit in progress is dropped (ask first)."""
        self.project = project
        self._show_view()
        self.refresh()

    def refresh(self) -> None:
        """Render the stored guidelines (an edit in progress is left as it is)."""
        self.truncated = render_guidelines(self.view, self.project.guidelines())
        writable = not self.project.readonly
        self.edit_button.setEnabled(writable)
        self.edit_button.setToolTip(
            "Edit the guidelines as Markdown"
            if writable
            else "The project is open read-only: its guidelines cannot be changed"
        )

    # -- actions -----------------------------------------------------------------

    def follow_link(self, url: QUrl) -> bool:
        """A link clicked in the guidelines: an anchor in them scrolls there; a web link
        opens in the system browser once the user agrees (the question names it in
        full). Anything else (a file, a relative path) is named and not opened. True
        when the browser was asked to open it."""
        if url.scheme() == "" and url.path() == "" and url.hasFragment():
            self.view.scrollToAnchor(url.fragment())
            return False
        target = bytes(url.toEncoded().data()).decode("ascii", "replace")
        box = QMessageBox(self)
        box.setWindowTitle("Open link")
        box.setTextFormat(Qt.TextFormat.PlainText)
        if url.scheme().lower() in WEB_SCHEMES:
            box.setIcon(QMessageBox.Icon.Question)
            box.setText(f"Open this link in your web browser?\n\n{target}")
            box.setStandardButtons(
                QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Cancel
            )
            box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        else:
            box.setIcon(QMessageBox.Icon.Information)
            box.setText(
                "Only web links (http, https, mailto) in the guidelines are opened; "
                f"this one is not:\n\n{target}"
            )
            box.setStandardButtons(QMessageBox.StandardButton.Ok)
        box.exec()
        if box.standardButton(box.clickedButton()) != QMessageBox.StandardButton.Open:
            return False
        return QDesktopServices.openUrl(url)

    def edit(self) -> None:
        """Switch to the editor, holding the stored Markdown."""
        self._original = self.project.guidelines()
        self.editor.setPlainText(self._original)
        self.editor.moveCursor(QTextCursor.MoveOperation.Start)
        self.pages.setCurrentIndex(EDIT)
        self._widen_dock()
        self.editor.setFocus()

    def save(self) -> bool:
        """Store the editor's text; True once it is committed and shown rendered."""
        try:
            self.project.set_guidelines(self.editor.source())
        except (ValidationError, ProjectError) as error:
            plain_warning(self, "Guidelines not saved", str(error))
            return False
        self._show_view()
        self.refresh()
        self.saved.emit("Saved the guidelines; the label tooltips quote the new text.")
        return True

    def cancel(self) -> None:
        """Leave the editor without storing anything."""
        self._show_view()

    def choose_file(self) -> None:
        path, _ = file_dialogs.open_file_name(
            self,
            "Load guidelines",
            str(self.project.path.parent),
            "Markdown (*.md *.markdown *.txt);;All files (*)",
        )
        if path:
            self.load_file(Path(path))

    def load_file(self, path: Path) -> bool:
        """Put a Markdown file's text in the editor, as one undoable edit (not saved yet)."""
        try:
            text = read_guidelines(path)
        except OSError as error:
            reason = error.strerror or str(error)
        except ValidationError as error:
            reason = str(error)
        else:
            cursor = self.editor.textCursor()
            cursor.select(QTextCursor.SelectionType.Document)
            cursor.insertText(text)
            self.editor.moveCursor(QTextCursor.MoveOperation.Start)
            self.editor.setFocus()
            return True
        plain_warning(self, "Load guidelines", f"{path.name}: {reason}")
        return False

    def confirm_leave(self) -> bool:
        """Before the project is closed or switched: may it go? Asks about unsaved edits.

        Save stores them (a failed save counts as Cancel), Discard drops them, Cancel
        (or closing the question) keeps the editor open and answers False.
        """
        if not self.has_unsaved_changes():
            return True
        dock = self.parentWidget()
        if isinstance(dock, QDockWidget):
            dock.show()
            dock.raise_()
        buttons = QMessageBox.StandardButton
        answer = QMessageBox.warning(
            self,
            "Unsaved guidelines",
            "The guidelines have changes that are not saved. Save them to the project?",
            buttons.Save | buttons.Discard | buttons.Cancel,
            buttons.Save,
        )
        if answer == buttons.Save:
            return self.save()
        if answer == buttons.Discard:
            self.cancel()
            return True
        self.editor.setFocus()
        return False

    def _show_view(self) -> None:
        had_focus = self.editor.hasFocus()
        self.pages.setCurrentIndex(VIEW)
        self._original = ""
        if self._narrow_width is not None:
            self._resize_dock(self._narrow_width)
            self._narrow_width = None
        if had_focus:
            self.view.setFocus()

    def _widen_dock(self) -> None:
        """Markdown source wraps badly in a narrow dock: widen it while editing."""
        wanted = self.editor.fontMetrics().horizontalAdvance("m" * EDITOR_COLUMNS)
        dock = self.parentWidget()
        if isinstance(dock, QDockWidget) and dock.width() < wanted:
            before = dock.width()
            if self._resize_dock(wanted):
                self._narrow_width = before

    def _resize_dock(self, width: int) -> bool:
        """Resize the dock in the window's layout (a floating dock is left alone)."""
        dock = self.parentWidget()
        window = self.window()
        if not isinstance(dock, QDockWidget) or dock.isFloating():
            return False
        if not isinstance(window, QMainWindow):
            return False
        window.resizeDocks([dock], [width], Qt.Orientation.Horizontal)
        return True
