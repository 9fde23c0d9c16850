"""What an XMI file's broken reference is, in its own terms.

dkpro-cassis resolves every ``xmi:id`` a file refers to (an annotation's Sofa, a view's
members, a relation's ``Governor``...) through one dictionary, and a reference to an id
the file does not hold ends the load with a bare ``KeyError`` naming the number. Read
again here, only when that happened, the file says which element refers to it and how:
an id used twice (the second element replaced the first, so one of the ids the view lists
is gone), a missing Sofa (the text), a view member or a feature pointing nowhere.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

XMI_ID = "{http://www.omg.org/XMI}id"
# Features of every annotation that hold numbers, never references.
_PRIMITIVE = frozenset({"begin", "end", "sofaNum"})


def unresolved(data: bytes, missing: Any, typesystem: Any = None) -> str:
    """Why cassis found no element with the ``xmi:id`` ``missing`` in the XMI ``data``
    (already checked by ``xmi.check_xml``): one short clause for the report."""
    from lxml import etree

    fallback = f"something refers to xmi:id {missing}, which the file does not hold"
    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        root = etree.fromstring(data, parser)
    except etree.LxmlError:
        return fallback
    elements = [element for element in root if isinstance(element.tag, str)]
    used = Counter(e.get(XMI_ID) for e in elements if e.get(XMI_ID) is not None)
    twice = [identity for identity, count in used.items() if count > 1]
    if twice:
        more = f" (and {len(twice) - 1:,} more ids)" if len(twice) > 1 else ""
        return f"xmi:id {twice[0]} is used by two elements{more}"
    wanted = str(missing)
    sofas = {e.get(XMI_ID) for e in elements if etree.QName(e).localname == "Sofa"}
    if wanted not in sofas and any(e.get("sofa") == wanted for e in elements):
        return f"it has no Sofa, the text its annotations point at as xmi:id {wanted}"
    for element in elements:
        name = etree.QName(element).localname
        if name == "View" and wanted in (element.get("members") or "").split():
            return f"its view lists xmi:id {wanted}, which no element has"
        for feature, value in element.attrib.items():
            if feature in _PRIMITIVE or feature == XMI_ID or wanted not in value.split():
                continue
            if _primitive(typesystem, etree.QName(element), feature):
                continue
            return (
                f"{name} xmi:id {element.get(XMI_ID)}: its {feature} points at xmi:id {wanted}, "
                "which no element has"
            )
    return fallback


def _primitive(typesystem: Any, tag: Any, feature: str) -> bool:
    """Whether the type system says ``feature`` of the element's type holds a value
    (text, a number), not a reference; False when it cannot say."""
    if typesystem is None:
        return False
    # cassis names a type from the element's namespace: http:///webanno/custom.ecore
    # and Claim give webanno.custom.Claim.
    package = tag.namespace.removeprefix("http:///").removesuffix(".ecore").replace("/", ".")
    try:
        found = typesystem.get_type(f"{package}.{tag.localname}").get_feature(feature)
        return found is not None and bool(typesystem.is_primitive(found.rangeType))
    except Exception:  # a type or feature the type system lacks: cassis said so already
        return False
