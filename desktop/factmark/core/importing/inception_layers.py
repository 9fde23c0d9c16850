"""What INCEpTION / WebAnno layers mean to Factmark: shared by the XMI and TSV3 readers.

- A **span layer** (an annotation type whose own features are all primitive) gives
  spans. The label is the feature named ``label``, else ``value`` (DKPro Core's
  ``NamedEntity`` and most built-in layers), else the layer's only text feature that is
  no attribute (below); when there is none, or an annotation leaves it empty, the label
  is the layer's short name (``webanno.custom.Claim`` -> ``Claim``), written as the
  project writes a label of that name in any case (``claim``).
- A **relation layer** (features ``Governor`` and ``Dependent``) gives relations between
  those spans, its link type chosen the same way (among the project's link types).
- A feature ``note`` becomes the span's note, ``annotator`` its annotator, and every
  other feature with a value an attribute. A feature named after one of the project's
  span or link attributes (``verdict``, ``checkworthy``, ``quote``...) is always read as
  that attribute, never as the label: a layer ``Claim`` whose only feature is
  ``verdict`` gives claims with a verdict. Factmark's own export names a feature after
  an attribute key only when the key is a valid UIMA name; otherwise the feature's
  description, ``Factmark attribute: KEY``, gives the key back (such a feature is an
  attribute too).
- Linguistic segmentation and metadata layers (tokens, sentences, part of speech,
  lemmas, document metadata, imported XML structure) are skipped without a word;
  anything else that is not understood is counted in the import report.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from factmark.core.text import counted

GOVERNOR, DEPENDENT = "Governor", "Dependent"
NOTE, ANNOTATOR = "note", "annotator"
ATTRIBUTE_MARK = "Factmark attribute: "

# Layers every INCEpTION document has (or its importer adds) that carry no annotation
# a fact-checker made: they are left out silently.
SILENT_PREFIXES = (
    "uima.tcas.DocumentAnnotation",
    "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.",  # Token, Sentence, Lemma...
    "de.tudarmstadt.ukp.dkpro.core.api.lexmorph.type.",  # POS, morphology
    "de.tudarmstadt.ukp.dkpro.core.api.metadata.type.",  # DocumentMetaData, TagsetDescription
    "de.tudarmstadt.ukp.clarin.webanno.api.type.",  # CASMetadata (INCEpTION's bookkeeping)
    "de.tudarmstadt.ukp.inception.",  # internal layers (e.g. recommender bookkeeping)
    "org.dkpro.core.api.xml.type.",  # structure of an imported HTML/XML document
    "org.dkpro.core.api.pdf.type.",  # PDF layout
)


def silent(type_name: str) -> bool:
    """Whether a layer is segmentation or metadata, left out without a note."""
    return type_name.startswith(SILENT_PREFIXES)


def short_name(type_name: str) -> str:
    """``webanno.custom.Claim`` -> ``Claim``."""
    return type_name.rsplit(".", 1)[-1] or type_name


@dataclass(frozen=True)
class Vocabulary:
    """What the project importing a file already names: its labels, link types and the
    keys of its span and link attributes (empty when read without a project)."""

    labels: tuple[str, ...] = ()
    link_types: tuple[str, ...] = ()
    attributes: frozenset[str] = frozenset()

    def label(self, type_name: str) -> str:
        """The label a span layer's name gives: the project's label of that name in any
        case, else the short name."""
        return _same_name(short_name(type_name), self.labels)

    def link_type(self, type_name: str) -> str:
        """The link type a relation layer's name gives, as :meth:`label` does."""
        return _same_name(short_name(type_name), self.link_types)


#: What a file is read with outside any project: layer names as they are, no attributes.
NO_PROJECT = Vocabulary()


def _same_name(name: str, known: tuple[str, ...]) -> str:
    folded = name.casefold()
    return next((other for other in known if other.casefold() == folded), name)


def label_feature(
    names: Iterable[str], text_names: Iterable[str], attributes: Iterable[str] = ()
) -> str | None:
    """The feature that gives a layer's labels: ``label``, ``value``, or the only text
    feature that is not one of ``attributes`` (``note`` and ``annotator`` never)."""
    skipped = {NOTE, ANNOTATOR, *attributes}
    candidates = [n for n in text_names if n not in skipped]
    all_names = set(names)
    for name in ("label", "value"):
        if name in all_names:
            return name
    return candidates[0] if len(candidates) == 1 else None


def attribute_key(feature: str, description: str | None) -> str:
    """The attribute key a feature stands for (see the module docstring)."""
    if description and description.startswith(ATTRIBUTE_MARK):
        return description[len(ATTRIBUTE_MARK) :]
    return feature


class LeftOut:
    """What a reader saw but could not import, counted for the report's note."""

    def __init__(self) -> None:
        self.layers: Counter[str] = Counter()
        self.empty = 0
        self.relations = 0
        self.features: Counter[str] = Counter()

    def note(self) -> str | None:
        """One clause for the import report, or None when nothing was left out."""
        parts = []
        if self.layers:
            shown = ", ".join(f"{n:,} {name}" for name, n in sorted(self.layers.items()))
            parts.append(f"not imported, layers Factmark does not read: {shown}")
        if self.empty:
            parts.append(
                f"{counted(self.empty, 'zero-width annotation')} left out "
                "(a Factmark span covers at least one character)"
            )
        if self.relations:
            parts.append(
                f"{counted(self.relations, 'relation')} left out "
                "(between annotations that were not imported)"
            )
        if self.features:
            shown = ", ".join(f"{n:,} {name}" for name, n in sorted(self.features.items()))
            parts.append(f"feature values not imported (not text, number or yes/no): {shown}")
        return "; ".join(parts) or None
