"""The main window's links: linking two spans and showing the current document's links."""

from __future__ import annotations

from PySide6.QtWidgets import QMenu

from factmark.ui.window.window_parts import WindowParts


class LinkActions(WindowParts):
    """Linking a span to another (R, then a click or Enter), for ``MainWindow``.

    Expects of the window: ``project``, ``current``, ``article_view``, ``annotation``,
    ``relations`` (the relations panel), ``actions_by_name`` (with ``confirmLink`` once the
    menus are built), ``link_from`` (the span a link starts at, while linking),
    ``_relations`` (the links shown), ``statusBar()``, ``show_problem`` and ``select_span``.
    """

    def start_link(self) -> None:
        """R: link the selected span to the next span clicked (or chosen, then Enter)."""
        if self.article_view.selected_span_id is None:
            self.show_problem("Select a span first (click it), then press R to link it.")
            return
        self.link_from = self.article_view.selected_span_id
        self.actions_by_name["confirmLink"].setEnabled(True)
        self.statusBar().showMessage(
            "Linking: click the span to link with, or choose it with Alt+Down and press "
            "Enter. Escape cancels."
        )

    def cancel_link(self) -> None:
        self.link_from = None
        if "confirmLink" in self.actions_by_name:
            self.actions_by_name["confirmLink"].setEnabled(False)

    def finish_link(self, target: int | None = None) -> None:
        """Link the span linking started at with ``target`` (default: the selected span)."""
        start, self.link_from = self.link_from, None
        self.actions_by_name["confirmLink"].setEnabled(False)
        target = target if target is not None else self.article_view.selected_span_id
        if start is None or target is None or target == start:
            self.show_problem("Link cancelled: choose another span to link with.")
            return
        self.statusBar().clearMessage()
        kinds = self.project.relation_types()
        labels = {self.article_view.span(start).label, self.article_view.span(target).label}
        # The labels decide the type only while the project has that type (it may
        # have been renamed or removed); otherwise the user is asked.
        obvious = (labels == {"source", "claim"} and "attributed_to" in kinds) or bool(
            "claim" in labels and labels & {"number", "location"} and "part_of" in kinds
        )
        kind = None
        if not obvious and len(kinds) > 1:
            kind = self._choose_relation_type(kinds)
            if kind is None:
                self.show_problem("Link cancelled.")
                return
        self.annotation.link(start, target, kinds, kind)

    def _choose_relation_type(self, kinds: list[str]) -> str | None:
        """Ask which kind of link, at the text cursor (labels alone do not tell)."""
        menu = QMenu(self)
        menu.setObjectName("relationTypeMenu")
        for kind in kinds:
            menu.addAction(kind).setData(kind)
        rect = self.article_view.cursorRect()
        chosen = menu.exec(self.article_view.viewport().mapToGlobal(rect.bottomLeft()))
        return str(chosen.data()) if chosen is not None else None

    def _span_clicked(self, span_id: int | None) -> None:
        if self.link_from is not None and span_id is not None:
            self.select_span(span_id)
            self.finish_link(span_id)
            return
        self.select_span(span_id)

    def _relation_chosen(self, relation_id: int) -> None:
        relation = next((r for r in self._relations if r.id == relation_id), None)
        if relation is not None:
            self.select_span(relation.head_span_id)
            self.article_view.select_span(relation.head_span_id)

    def _refresh_relations(self) -> None:
        self._relations = self.project.relations(self.current.id) if self.current else []
        span = self.article_view.span  # the shown spans by id
        self.relations.show_relations(self._relations, span, self.article_view.text)
        links = [(span(r.head_span_id), span(r.child_span_id), r.label) for r in self._relations]
        self.article_view.set_links(
            [(head, child, kind) for head, child, kind in links if head and child]
        )
