"""A report of any length in a dialog that fits the screen: its summary at the top, every
line in a list that scrolls, Close (the default button: Enter and Escape close it) and
Copy. The import report and the merge report are made on it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from factmark.ui.dialogs.fit import fit_to_screen


class LinesDialog(QDialog):
    """An icon (a warning when ``troubled``) beside ``summary``, the lines below in a
    read-only list (filled by the maker: :attr:`lines`), and the buttons.

    Further labels go under the summary (:attr:`header`), further buttons in
    :attr:`buttons`. Copy puts :meth:`text` on the clipboard.
    """

    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        summary: str,
        *,
        troubled: bool,
        size: tuple[int, int] = (760, 440),
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        fit_to_screen(self, *size)
        style = self.style()
        self.warning = style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        big = (
            self.warning
            if troubled
            else style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation)
        )
        icon = QLabel(self)
        side = style.pixelMetric(QStyle.PixelMetric.PM_MessageBoxIconSize)
        icon.setPixmap(big.pixmap(side, side))
        self.summary = QLabel(summary, self)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)  # file names, as written
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.header = QVBoxLayout()
        self.header.addWidget(self.summary)
        top = QHBoxLayout()
        top.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        top.addLayout(self.header, 1)

        self.lines = QListWidget(self)
        self.lines.setWordWrap(True)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.copy_button = self.buttons.addButton("Copy", QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.setToolTip("Copy the summary and every line to the clipboard")
        self.copy_button.clicked.connect(self.copy)
        self.buttons.rejected.connect(self.reject)
        self.close_button = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        self.close_button.setDefault(True)
        self.close_button.setFocus()

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.lines, 1)
        layout.addWidget(self.buttons)

    def text(self) -> str:
        """The summary and every line, as copied."""
        rows = [self.lines.item(row).text() for row in range(self.lines.count())]
        return "\n".join([self.summary.text(), *rows])

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.text())
