"""The article: the text view, span painting and the one code-point <-> UTF-16 converter."""
