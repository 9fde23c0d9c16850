"""The XMI of one document as dkpro-cassis writes it: the export's former writer, kept as
the oracle of the text the export now writes itself (a CAS, its type system and an XML
tree per document made most of the export's time)."""

from __future__ import annotations

from typing import Any

from cassis import Cas

from factmark.core.exporting.xmi import (
    _FIXED,
    DOCUMENT_META,
    LINK_TYPE,
    SPAN_TYPE,
    XmiWriter,
    xml_safe,
)


def cassis_xmi(writer: XmiWriter, record: dict[str, Any]) -> bytes:
    """``record`` as cassis serialises it, with the features ``writer`` has named (call
    after ``writer.add(record)``, which names them)."""
    typesystem = writer._typesystem()
    span_type, link_type = typesystem.get_type(SPAN_TYPE), typesystem.get_type(LINK_TYPE)
    cas = Cas(typesystem=typesystem)
    text, _ = xml_safe(record["text"])
    cas.sofa_string = text
    cas.sofa_mime = "text"
    title, _ = xml_safe(record.get("title") or "")
    cas.add(
        typesystem.get_type(DOCUMENT_META)(
            begin=0, end=len(text), documentTitle=title, documentId=str(record["id"])
        )
    )
    made: dict[int, Any] = {}
    for span in record["spans"]:
        values = {name: _text(span.get(name)) for name in _FIXED}
        for key, value in (span.get("attrs") or {}).items():
            values[writer.attributes[key]] = "" if value == "" else _text(value)
        annotation = span_type(begin=span["start"], end=span["end"], **values)
        made[span["id"]] = annotation
        cas.add(annotation)
    for relation in record["relations"]:
        head, child = made[relation["head"]], made[relation["child"]]
        values = {"label": _text(relation["label"]), "note": _text(relation["note"])}
        for key, value in relation["attrs"].items():
            values[writer.link_attributes[key]] = "" if value == "" else _text(value)
        cas.add(
            link_type(begin=child.begin, end=child.end, Governor=head, Dependent=child, **values)
        )
    return str(cas.to_xmi()).encode("utf-8")


def _text(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        import orjson

        value = orjson.dumps(value).decode("utf-8")
    return xml_safe(value)[0]
