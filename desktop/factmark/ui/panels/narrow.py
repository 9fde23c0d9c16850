"""Widgets for the side column's panels that fit a narrow column (the guidelines open
beside the article, a small screen, a splitter dragged): their text wraps, their lists
shorten, and none makes the column wider than it is (the panel would be cut on the right:
it never scrolls sideways)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtGui import QHelpEvent, QMouseEvent, QPaintEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QStyle,
    QStyleOptionComboBox,
    QStylePainter,
    QToolTip,
    QWidget,
)

SHORTEST_COMBO = 4  # characters a drop-down shows at least (then "…")


class ShrinkingComboBox(QComboBox):
    """A drop-down list as narrow as its column lets it be: its value is cut short with
    "…" (the open list shows the values whole), and then its tooltip says it whole."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(SHORTEST_COMBO)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def shown_text(self) -> str:
        """The value as the closed list shows it: whole, or cut short to its width."""
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        field = self.style().subControlRect(
            QStyle.ComplexControl.CC_ComboBox,
            option,
            QStyle.SubControl.SC_ComboBoxEditField,
            self,
        )
        return self.fontMetrics().elidedText(
            option.currentText, Qt.TextElideMode.ElideRight, max(0, field.width() - 2)
        )

    def event(self, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ToolTip
            and isinstance(event, QHelpEvent)
            and self.shown_text() != self.currentText()
        ):
            # The value whole, as it is now (values are set with the signals blocked).
            QToolTip.showText(event.globalPos(), self.currentText(), self)
            return True
        return super().event(event)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QStylePainter(self)
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        option.currentText = self.shown_text()
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)


class OneLineLabel(QLabel):
    """A plain-text label that wraps only when its row has no room for its one line:
    beside other widgets it asks for that line's width (a wrapping QLabel asks for less,
    and wraps even where the row has room)."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)

    def sizeHint(self) -> QSize:
        margins = self.contentsMargins()
        width = (
            self.fontMetrics().horizontalAdvance(self.text())
            + margins.left()
            + margins.right()
            + 2 * self.margin()
            + 1  # rounding: the line must fit the width it asked for
        )
        return QSize(width, self.heightForWidth(width))


def wrapping_form(form: QFormLayout) -> QFormLayout:
    """A form whose rows put the name above the field when both do not fit side by side."""
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
    return form


class WrappingCheckBox(QWidget):
    """A check box whose text wraps on more lines in a narrow column (a QCheckBox's text
    never wraps); a click on the text ticks it, as on a check box's own text."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.box = QCheckBox(self)
        self.text = QLabel(text, self)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setWordWrap(True)
        self.text.setBuddy(self.box)
        self.text.installEventFilter(self)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.box, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.text, 1)

    def setToolTip(self, tip: str) -> None:
        super().setToolTip(tip)
        self.box.setToolTip(tip)
        self.text.setToolTip(tip)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.text and isinstance(event, QMouseEvent) and self.box.isEnabled():
            left = event.button() == Qt.MouseButton.LeftButton
            if event.type() == QEvent.Type.MouseButtonPress and left:
                return True  # the release that follows comes here
            if event.type() == QEvent.Type.MouseButtonRelease and left:
                if self.text.rect().contains(event.position().toPoint()):
                    self.box.click()
                return True
        return super().eventFilter(watched, event)
