"""Factmark: offline annotation of news articles for fact-checking corpora."""

__version__ = "0.1.0"
