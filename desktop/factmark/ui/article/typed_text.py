"""The text a user typed into a Qt editor, exactly.

``QPlainTextEdit.toPlainText()`` turns no-break spaces (U+00A0, which French typography
puts before « : ; ? ! ») into ordinary spaces; notes and guidelines keep what was typed.
"""

from __future__ import annotations

from PySide6.QtGui import QTextDocument


def typed_text(document: QTextDocument) -> str:
    """The document's text with its characters as typed and ``\\n`` between lines."""
    return document.toRawText().replace("\u2029", "\n").replace("\u2028", "\n")
