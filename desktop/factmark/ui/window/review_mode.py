"""Review mode: spans coloured by who made them (gold black), for adjudication.

The colours follow whatever is shown while review mode is on: another document, another
project, spans added or merged in. An annotator keeps one colour across the documents of a
project: the project's annotators take the colours in name order when first needed, and a
name met later (a merge brought it) takes the next colour.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMainWindow

from factmark.core.changes import ChangeSet
from factmark.core.model import GOLD, Document
from factmark.ui.article.article_view import ArticleView
from factmark.ui.models.tables import SpanListModel
from factmark.ui.window.session import Session

# Annotators in review mode: Okabe-Ito colours not used for labels first.
REVIEW_COLOURS = ("#0072B2", "#D55E00", "#F0E442", "#009E73", "#CC79A7", "#56B4E9", "#E69F00")
GOLD_COLOUR = "#000000"
# The colours in the words the legend gives them (Okabe & Ito's names, made plainer).
COLOUR_NAMES = {
    "#0072B2": "blue",
    "#D55E00": "red-orange",
    "#F0E442": "yellow",
    "#009E73": "green",
    "#CC79A7": "pink",
    "#56B4E9": "sky blue",
    "#E69F00": "orange",
    GOLD_COLOUR: "black",
}
LEGEND_MS = 15000


class AnnotatorColours(dict[str, str]):
    """Annotator name (``""``: none recorded) -> colour; a name without one is given one
    when first asked for (the painter asks as it paints)."""

    def __init__(self, names: Callable[[], list[str]]) -> None:
        super().__init__({GOLD: GOLD_COLOUR})
        self._names = names  # the project's annotators, read when a name is first missing
        self._read = False

    def __missing__(self, name: str) -> str:
        if not self._read:
            self._read = True
            for each in self._names():
                self._add(each)
        return self._add(name)

    def _add(self, name: str) -> str:
        if name not in self:
            self[name] = REVIEW_COLOURS[(len(self) - 1) % len(REVIEW_COLOURS)]  # gold aside
        return self[name]


class ReviewMode:
    """F6: the article's spans coloured by annotator, with a legend in the status bar."""

    def __init__(
        self, view: ArticleView, model: SpanListModel, session: Session, window: QMainWindow
    ) -> None:
        self.view = view
        self.model = model
        self.session = session
        self.window = window
        self._told: list[str] | None = None  # the names the legend gave last
        session.project_closing.connect(self._project_closing)
        session.document_shown.connect(self._shown)
        session.changed.connect(self._changed)

    @property
    def on(self) -> bool:
        return self.view.painter.by_annotator

    def set(self, on: bool) -> None:
        painter = self.view.painter
        if on and not painter.by_annotator:
            self._fresh_colours()
        painter.by_annotator = on
        painter.rehighlight()
        if on:
            self._tell_legend()

    def _fresh_colours(self) -> None:
        session = self.session
        self.view.painter.annotator_colours = AnnotatorColours(
            lambda: session.project.annotators()  # the project open when first asked
        )

    def _project_closing(self) -> None:
        # Before the next project's first document is painted: its own annotators.
        if self.on:
            self._fresh_colours()

    def _shown(self, document: Document | None) -> None:
        if self.on and document is not None:
            self._tell_legend()

    def _changed(self, changes: ChangeSet) -> None:
        if not self.on or self.session.document is None:
            return
        touched = changes.documents_reloaded or changes.spans_in(self.session.document_id)
        if touched and self._names() != self._told:  # someone new (or gone) here
            self._tell_legend()

    def _names(self) -> list[str]:
        """The annotators of the document shown, in name order, gold last."""
        names = sorted({s.annotator or "" for s in self.model.spans} - {GOLD})
        return [*names, GOLD]

    def _tell_legend(self) -> None:
        colours = self.view.painter.annotator_colours
        names = self._names()
        self._told = names
        legend = ", ".join(
            f"{name or '(none)'} {COLOUR_NAMES.get(colours[name], colours[name])}" for name in names
        )
        self.window.statusBar().showMessage(
            "Review mode: G accepts the selected span into the gold layer, X rejects it "
            f"(struck through). Colours: {legend}",
            LEGEND_MS,
        )
