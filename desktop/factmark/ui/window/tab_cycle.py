"""Where Tab and Shift+Tab take the keys in the window: through its parts in the order
they stand on the screen (the document list's filter, search and list; the article and
the bars under it; the span list and the panels under it; the guidelines docked beside
them), and within a part in the order its layouts show its fields, then round again.

Qt's own focus chain follows the order widgets were made in. The window makes its
panels after its first paint and many of their fields when first needed (an attribute's
drop-down when a span of its label is first selected, a match's Link button when a claim
first has one), so that order is not the one on the screen: a static
``QWidget.setTabOrder`` would be out of date at the next span. The order is worked out
from the layouts at each press instead (a few dozen widgets).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLayout, QSplitter, QWidget

_TAB = Qt.FocusPolicy.TabFocus.value
Place = tuple[int, tuple[int, ...]]  # a part's number, a widget's place in its layouts


def next_in_chain(
    window: QWidget, parts: Sequence[QWidget], focused: QWidget | None, forward: bool
) -> QWidget | None:
    """The widget Tab (``forward``) or Shift+Tab takes the keys to from ``focused``;
    None when ``focused`` is in none of ``parts`` (Qt's own order then decides)."""
    if focused is None:
        return None
    holder = next((n for n, p in enumerate(parts) if p is focused or p.isAncestorOf(focused)), None)
    if holder is None or parts[holder].window() is not window:
        return None
    stops = _stops(window, parts)
    if not stops:
        return None
    chain = [widget for _key, widget in stops]
    if focused in chain:
        at = chain.index(focused)
        return chain[(at + (1 if forward else -1)) % len(chain)]
    # A widget Tab does not stop at (a label clicked, say): on from where it stands.
    key: Place = (holder, _place(focused, parts[holder]))
    after = sum(1 for stop_key, _widget in stops if stop_key <= key)
    return chain[(after if forward else after - 1) % len(chain)]


def _stops(window: QWidget, parts: Sequence[QWidget]) -> list[tuple[Place, QWidget]]:
    """The widgets Tab stops at with their places, in order."""
    stops: list[tuple[Place, QWidget]] = []
    for number, part in enumerate(parts):
        if not _shown(part) or part.window() is not window:
            continue
        # Each part's children, not Qt's focus chain: walking that chain from Python left
        # the Label menu's wrapper invalid after the guidelines panel was made (a PySide
        # fault not tracked down); findChildren does not.
        found = [
            ((number, _place(w, part)), w) for w in part.findChildren(QWidget) if _takes_tab(w)
        ]
        # Sorted by place in the layouts; the order they were made in breaks ties.
        stops += sorted(found, key=lambda stop: stop[0])
    return stops


def _shown(part: QWidget) -> bool:
    return part.isVisible() and part.width() > 0 and part.height() > 0


def _takes_tab(widget: QWidget) -> bool:
    return (
        bool(widget.focusPolicy().value & _TAB)
        and widget.isVisible()
        and widget.isEnabled()
        and widget.focusProxy() is None
    )


def _place(widget: QWidget, part: QWidget) -> tuple[int, ...]:
    """Where ``widget`` stands in ``part``: the index of each of its ancestors (itself
    last) in the splitter or layout that holds it, outermost first."""
    place: list[int] = []
    child = widget
    while child is not part and child is not None:
        parent = child.parentWidget()
        if parent is None:
            break
        if isinstance(parent, QSplitter):
            at = [parent.indexOf(child)]
        else:
            layout = parent.layout()
            at = (_layout_place(layout, child) if layout is not None else None) or [0]
        place[:0] = at
        child = parent
    return tuple(place)


def _layout_place(layout: QLayout, widget: QWidget) -> list[int] | None:
    """The indices leading to ``widget`` in ``layout`` and the layouts nested in it."""
    for index in range(layout.count()):
        item = layout.itemAt(index)
        if item is None:
            continue
        if item.widget() is widget:
            return [index]
        nested = item.layout()
        if nested is not None:
            found = _layout_place(nested, widget)
            if found is not None:
                return [index, *found]
    return None


def bring_into_view(widget: QWidget) -> None:
    """Scroll each scroll area holding ``widget`` to show it (the details panel's fields
    below its fold at 1366x768, say)."""
    from PySide6.QtWidgets import QScrollArea

    child, parent = widget, widget.parentWidget()
    while parent is not None and not child.isWindow():
        if isinstance(parent, QScrollArea):
            parent.ensureWidgetVisible(widget)
        child, parent = parent, parent.parentWidget()
