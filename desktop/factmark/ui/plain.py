"""Text from data shown as written: Qt reads a tooltip or message box text as rich text
when it looks like markup, so such text is escaped inside markup of our own."""

from __future__ import annotations

from PySide6 import QtGui
from PySide6.QtWidgets import QWidget

# What html.escape replaces, and with what: the html module compiles its character
# references' pattern and loads their table (2,231 names) as it is imported, which every
# start of the window would pay for the label keys' tooltips.
_MARKUP = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"})


def escape(text: str) -> str:
    """``text`` with the characters markup reads escaped, as ``html.escape`` does."""
    return text.translate(_MARKUP)


def shown_key(key: str) -> str:
    """A key as Qt shows it to the user (``a`` as ``A``, as in menus and on the toolbar);
    "" for none, and a key Qt cannot read as written."""
    if not key:
        return ""
    native = QtGui.QKeySequence.SequenceFormat.NativeText
    return QtGui.QKeySequence(key).toString(native) or key


def plain_tip(text: str) -> str:
    """A tooltip (or message box text) showing ``text`` as written, line breaks kept.

    Qt reads a tooltip as rich text when ``Qt::mightBeRichText`` says it looks like
    markup: a note holding ``<img src="file:///dev/zero">`` would make it read that
    file until memory runs out, and ``<i>`` would vanish. Such text is escaped inside
    markup of our own; any other text is left as it is (Qt shows it as plain text).
    """
    if not QtGui.Qt.mightBeRichText(text):
        return text
    return f"<p style='white-space:pre-wrap'>{escape(text)}</p>"


def plain_warning(parent: QWidget | None, title: str, text: str) -> None:
    """A warning box showing its text (an error naming a file, a title, a label) as
    written: QMessageBox reads text that looks like markup as rich text."""
    from PySide6.QtWidgets import QMessageBox  # here: its type is made when first used

    QMessageBox.warning(parent, title, plain_tip(text))
