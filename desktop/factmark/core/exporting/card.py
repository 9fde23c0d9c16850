"""The dataset card: a README.md beside an export saying what is inside and how it was made."""

from __future__ import annotations

import json
import shlex
from datetime import UTC, datetime
from pathlib import Path

from factmark import __version__
from factmark.core.exporting.base import AtomicFile, ExportResult, Selection, Split
from factmark.core.exporting.card_agreement import agreement_lines
from factmark.core.exporting.card_counts import count_rows, left_out_lines
from factmark.core.exporting.grouping import card_lines
from factmark.core.exporting.grouping import shown as shown_code
from factmark.core.exporting.pseudonyms import DIGITS, PREFIX, Pseudonyms
from factmark.core.project import Project

MARKER = "<!-- Factmark dataset card: rewritten by every export to this folder -->"

LOADING = {
    "jsonl": (
        "```python\nfrom datasets import load_dataset\n"
        'corpus = load_dataset("json", data_files={files})\n```\n'
        "Each record has `text`, `spans` (`start`, `end` in code points, `label`, `text`) "
        "and `relations` (`head`, `child`, `label`, the link's `note` and `attrs`, e.g. "
        '`{{"quote": "direct"}}`); Prodigy reads the same lines as span tasks.'
    ),
    "spacy": (
        "Files: {listing}. Train a spaCy pipeline on them as they are (CPU, no vectors):\n\n"
        "```bash\npip install 'spacy>=3.7'\n"
        "python -m spacy init config config.cfg --lang {lang} --pipeline spancat\n"
        "python -m spacy train config.cfg --paths.train {train} --paths.dev {dev} "
        "--output model --components.spancat.suggester "
        '\'{{"@misc": "spacy.ngram_range_suggester.v1", "min_size": 1, '
        '"max_size": {max_size}}}\'\n```\n'
        "spancat learns only the spans its suggester proposes as candidates, and the one "
        "`spacy init config` gives it (`spacy.ngram_suggester.v1`, sizes [1, 2, 3]) proposes "
        "spans of 1 to 3 tokens: {beyond_default} of the {in_sc} spans in "
        '`doc.spans["sc"]` are longer (the longest is {longest} tokens), would never be '
        "proposed, and `spacy debug data` does not warn. The `--components.spancat.suggester` "
        "override proposes every span of 1 to {max_size} tokens, so every span of these files "
        "is a candidate (with `--pipeline ner`, leave it out). "
        "Keep `--lang {lang}`: every document in these files was tokenised with "
        '`spacy.blank("{lang}")`, the tokenizer `spacy train` uses with that `--lang`, so '
        "every span lines up with the tokens it is trained on; with another `--lang` the "
        "texts are cut into other tokens and `spacy train` silently drops each span whose "
        "edge falls inside one. {dev_hint}`--pipeline spancat` learns every span "
        '(`doc.spans["sc"]`, nested ones included); `--pipeline ner` learns `doc.ents`, '
        "where overlapping spans were reduced to the longest. Each of these is a folder "
        "of DocBin files (`000001.spacy`, ... 1,000 documents each), which spaCy reads "
        "wherever it reads one file. In Python: "
        '`docs = [eg.reference for eg in Corpus(path)(spacy.blank("{lang}"))]` '
        "(`from spacy.training import Corpus`, project order); "
        '`doc.user_data["factmark_id"]` is the document\'s id in Factmark JSONL, '
        '`doc.user_data["factmark_spans"]` its spans at exact code-point offsets and '
        '`doc.user_data["factmark_tokenizer"]` the language its tokens came from.'
    ),
    "brat": (
        "Copy the folder (with a split, each part's folder) into brat's `data/` directory: "
        "its `annotation.conf` and `visual.conf` come with it. Each `NAME.ann` belongs to "
        "`NAME.txt`; `T` lines are `T1<TAB>label start end<TAB>text` with offsets in "
        "characters (code points) of the .txt, and a span across a line break has fragments "
        "`start end;start end`. `R` lines are relations (Arg1 the head), `A` lines span "
        "attributes (`A1<TAB>Name T1` when true, `A1<TAB>Name T1 value` for text; declared "
        "in `annotation.conf` under `[attributes]`), `#` lines notes of spans and of "
        "relations (`#1<TAB>AnnotatorNotes R1<TAB>note`); brat has no attributes on "
        "relations, so a link's `quote` is not in the folder (the jsonl export keeps it). "
        "Offsets are code "
        "points, as brat counts them; INCEpTION counts brat offsets in UTF-16 code units and "
        "would shift every span after an emoji: for INCEpTION use the XMI export."
    ),
    "xmi": (
        "Files: {listing}. In INCEpTION, first create in the project's Settings > Layers a span "
        "layer named `Factmark` (INCEpTION calls it `webanno.custom.Factmark`) with String "
        "features `label`, `note`, `annotator` and one per attribute (the names in "
        "`TypeSystem.xml`), and a relation layer `FactmarkLink` attached to it with String "
        "features `label`, `note` and one per link attribute (`quote`); then unpack the zip "
        'and import the `.xmi` files as "UIMA CAS XMI (XML 1.0)" (INCEpTION drops layers its '
        "project lacks). In Python: "
        "`cassis.load_cas_from_xmi(f, typesystem=cassis.load_typesystem(ts))`; offsets there "
        "are code points again, `annotation.get_covered_text()` is each span's text."
    ),
    "attribution": (
        "```python\nfrom datasets import load_dataset\n"
        'attributions = load_dataset("json", data_files={files})\n```\n'
        "One line per attribution: `doc` (the document's id in Factmark JSONL), `source` "
        "(null for a claim with no source), `voice` (`source`; `outlet` for a claim in the "
        "outlet's own voice; `unknown` for one with no source and not marked), `cue` (the "
        "reporting verb or phrase, null when not marked), `content` (the claim), `quote` "
        "(`direct`, `indirect` or `mixed` as the annotator set it on the link, null when "
        "not set or with no source) and `sentence`. Each span has `start`, `end` (code "
        "points, end exclusive) "
        "and `text`, and the same places as `start_utf16`/`end_utf16` (UTF-16 code units: "
        "JavaScript, Java, C#) and `start_utf8`/`end_utf8` (UTF-8 bytes: Rust, Go, C)."
    ),
    "sentences": "Files: {listing}. {sentences_loading}",
    "claimreview": (
        "Files: {listing}. Each is one JSON-LD document, a schema.org `DataFeed` whose "
        "`dataFeedElement[].item` lists hold the `ClaimReview`s (the data feed shape "
        "fact-check aggregators publish and read):\n\n"
        "```python\nimport json\n"
        "feed = json.load(open(PATH, encoding='utf-8'))\n"
        "reviews = [review for element in feed['dataFeedElement'] for review in "
        "element['item']]\n```\n"
        "Each review has `claimReviewed` (the claim's exact text), `reviewRating.alternateName` "
        "(the verdict), `itemReviewed` (a `Claim`: `author` from the source linked to the "
        "claim, `appearance` the article) and, as the article's metadata allows, `url` (the "
        "article's address with a text fragment pointing at the claim), `datePublished` "
        "(the article's `date`), `inLanguage` and `citation` (an earlier fact-check linked to "
        "the claim). A claim marked `unverified` has no review. Another Factmark project "
        "takes the file into its fact-check archive with `factmark archive add PROJECT FILE`; "
        "JSON-LD processors (pyld, rdflib) expand it with the schema.org context."
    ),
}


def card_path(output: Path, is_folder: bool) -> Path:
    """``README.md`` in the export's folder, unless a README there is not a card of ours
    (then ``<output name>.README.md``, so nobody's own README is overwritten)."""
    folder = output if is_folder else output.parent
    readme = folder / "README.md"
    if readme.exists() and MARKER not in readme.read_text(encoding="utf-8", errors="replace"):
        return folder / f"{output.name}.README.md"
    return readme


def write_card(
    project: Project,
    fmt: str,
    output: Path,
    selection: Selection,
    split: Split | None,
    options: dict[str, str],
    result: ExportResult,
    pseudonyms: Pseudonyms | None = None,
) -> Path:
    """Write the card for a finished export; returns its path. With ``pseudonyms``, every
    annotator name in it (the selection, the agreement section) is a pseudonym."""
    from factmark.core.exporting import FORMATS

    module = FORMATS[fmt]
    is_folder = module.SUFFIX == ""
    path = card_path(output, is_folder)
    base = output if is_folder else output.parent
    lines = [
        MARKER,
        f"# {project.path.stem} — annotated news corpus",
        "",
        f"Exported {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by Factmark {__version__} from the "
        f"project `{project.path.name}`, as **{fmt}**: {module.DESCRIPTION}.",
        "",
        "## Files",
        "",
    ]
    listed: set[Path] = set()
    for part, output in result.outputs.items():
        inside = [f for f in result.files if f == output or output in f.parents]
        prefix = "" if part == "all" else f"{part}: "
        if not inside:  # written as several files beside it (conll per label)
            beside = [
                f
                for f in result.files
                if f.parent == output.parent and f.name.startswith(f"{output.stem}.")
            ]
            lines += [f"- {prefix}`{_relative(f, base)}`" for f in beside]
            listed.update(beside)
            continue
        what = f" ({len(inside):,} files)" if output.is_dir() else ""
        if part in result.empty_parts:
            what += " — **empty**: no document fell in this part"
        lines.append(f"- {prefix}`{_relative(output, base) or '.'}`{what}")
    extra = [
        f
        for f in result.files
        if f not in listed and not any(f == o or o in f.parents for o in result.outputs.values())
    ]
    lines += [f"- `{_relative(f, base)}`" for f in extra]
    lines += ["", "## Counts", ""]
    parts = list(result.parts)
    label_names = [label.name for label in project.labels()]
    header = ["", *parts] + (["all"] if len(parts) > 1 else [])
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + " --- |" * len(header))

    def row(name: str, values: list[int]) -> str:
        cells = values + ([sum(values)] if len(parts) > 1 else [])
        return f"| {name} | " + " | ".join(str(v) for v in cells) + " |"

    lines += count_rows(fmt, project, result, row)
    if any(result.parts[p].fact_checked for p in parts):
        lines.append(
            row(
                "claims linked to an earlier fact-check (`fact_check_url`, `fact_check_rating`)",
                [result.parts[p].fact_checked for p in parts],
            )
        )
    if any(result.parts[p].outlet_voiced for p in parts) or "cue" in label_names:
        lines.append(
            row(
                "claims in the outlet's own voice (`voice: outlet`)",
                [result.parts[p].outlet_voiced for p in parts],
            )
        )
    left_out = left_out_lines(fmt, result, options.get("nested") == "per-label")
    if left_out:
        lines += ["", *left_out]
    lines += ["", "## Labels", ""]
    for label in project.labels():
        key = f", key {label.key}" if label.key else ""
        lines.append(f"- **{label.name}** ({label.colour}{key}): {label.description or '—'}")
    kinds = project.relation_types()
    if kinds:
        lines.append(f"- relation types: {', '.join(f'`{k}`' for k in kinds)}")
    lines += ["", "## How it was selected", ""]
    lines.append(f"- documents with status: {', '.join(sorted(selection.statuses)) or 'any'}")
    lines.append(f"- labels: {', '.join(sorted(selection.labels)) or 'all'}")
    chosen = sorted(
        str(pseudonyms.name(name) if pseudonyms else name) for name in selection.annotators
    )
    lines.append(f"- annotators: {', '.join(chosen) or 'all'}")
    if pseudonyms:
        lines.append(
            f"- annotator names pseudonymised: each is `{PREFIX}` and {DIGITS} hex digits of a "
            "keyed hash (HMAC-SHA256) under a random key kept in the project, so an annotator "
            "has the same pseudonym in every export of this project and a pseudonym cannot be "
            "traced back by trying names; the gold layer stays `gold`. Notes, metadata and "
            "guidelines are as written"
        )
    if split and split.by:
        lines.append(
            f"- split by the metadata field `{shown_code(split.by)}`: {split.describe()} with seed "
            f"{split.seed} (documents sharing a value are in one part; see below)"
        )
    elif split:
        lines.append(
            f"- split by document: {split.describe()} with seed {split.seed} (a document's "
            "part depends only on its text and the seed, so it stays put when documents "
            "are added)"
        )
    for key, value in sorted(options.items()):
        if key != "pseudonymise":  # said above, in words
            lines.append(f"- {key}: {value}")
    lines.append(
        "- offsets: UTF-16 code units in the XMI files (as INCEpTION and Java count; cassis "
        "reads them as code points), end exclusive"
        if fmt == "xmi"
        else "- offsets: Unicode code points of `text`, end exclusive"
    )
    if result.groups is not None:
        lines += card_lines(result.groups, {p: c.documents for p, c in result.parts.items()})
    lines += agreement_lines(project, selection.annotators, pseudonyms)
    if result.warnings or result.notes or result.pooled:
        pooled = [result.pooled] if result.pooled else []
        notes = [f"**{warning}**" for warning in result.warnings] + pooled + result.notes
        lines += ["", "## Notes", ""] + [f"- {note}" for note in notes]
    loading = LOADING.get(fmt)
    if loading or fmt == "conll":
        # Empty parts are left out: load_dataset refuses a data file with no rows.
        data_files = {
            name: _relative(file, base)
            for name, file in result.outputs.items()
            if name not in result.empty_parts
        }
        shown = repr(data_files if split else next(iter(data_files.values()), ""))
        lines += ["", "## Loading it", ""]
        if not result.documents:
            lines.append("The export holds no documents: there is nothing to load.")
        else:
            if result.empty_parts:
                lines += [
                    f"Left out below because they are empty: {', '.join(result.empty_parts)}.",
                    "",
                ]
            part_files = _part_files(result, base)
            if loading is None:
                per_label = options.get("nested") == "per-label"
                lines.append(conll_loading(part_files, per_label))
            else:
                listing = files_listed(part_files)
                values = _training_files(data_files, result)
                lines.append(loading.format(files=shown, listing=listing, **values))
    guidelines = project.guidelines().strip()
    if guidelines:
        # The annotators' guidelines, headings moved one level down under this card's own.
        demoted = [
            ("#" + line) if line.startswith("#") else line for line in guidelines.splitlines()
        ]
        if demoted and demoted[0].lstrip("#").strip().lower() == "annotation guidelines":
            demoted = demoted[1:]
        lines += ["", "## Annotation guidelines", "", *demoted]
    out = AtomicFile(path)
    try:
        out.write(("\n".join(lines) + "\n").encode("utf-8"))
        out.finish()
    except BaseException:
        out.discard()
        raise
    return path


def _training_files(data_files: dict[str, str], result: ExportResult) -> dict[str, str]:
    """The card's ``{train}``, ``{dev}`` and ``{lang}``: the files a training command names
    (a part called dev, validation or test for evaluation) and the format's values."""
    files = list(data_files.values())
    train = data_files.get("train") or (files[0] if files else "corpus.spacy")
    dev = next((data_files[p] for p in ("dev", "validation", "test") if p in data_files), None)
    hint = (
        ""
        if dev
        else "Export with a split such as train=0.8,dev=0.2 to get a dev file for `--paths.dev`. "
    )
    values = {"train": train, "dev": dev or "corpus.dev.spacy", "dev_hint": hint, "lang": "xx"}
    values |= result.card_values
    # spancat's suggester reaches the longest span, and at least one token.
    values["max_size"] = str(max(int(values.get("longest", "0")), 1))
    return values


def _part_files(result: ExportResult, base: Path) -> dict[str, list[str]]:
    """The files written for each part that got documents (``all`` unsplit), relative to
    the card's folder: the output itself, or the files beside it (one per label)."""
    written: dict[str, list[str]] = {}
    for part, output in result.outputs.items():
        if part in result.empty_parts:
            continue
        if any(f == output or output in f.parents for f in result.files):
            mine = [output]  # the file, or the folder holding the part's files
        else:  # the files beside it, one per label (conll --nested per-label)
            mine = [
                f
                for f in result.files
                if f.parent == output.parent and f.name.startswith(f"{output.stem}.")
            ]
        written[part] = [_relative(f, base) for f in mine]
    return written


# flair's ColumnCorpus arguments, by the split part names that fill them.
_FLAIR_ROLES = (
    ("train_file", ("train",)),
    ("dev_file", ("dev", "validation")),
    ("test_file", ("test",)),
)


def files_listed(part_files: dict[str, list[str]]) -> str:
    """The files of each part as the card's text names them: ``train: `a.conll`; dev:
    `b.conll```, or the files alone unsplit."""
    return "; ".join(
        (f"{part}: " if part != "all" else "") + ", ".join(f"`{f}`" for f in files)
        for part, files in part_files.items()
    )


def conll_loading(part_files: dict[str, list[str]], per_label: bool) -> str:
    """The CoNLL card's loading lines, naming the files written: flair's train, dev and
    test files (one corpus per label with ``--nested per-label``), ``spacy convert`` for
    each file."""
    # Each corpus: the part's files of one label (or its one file), by what follows the
    # part's own name (``claim.conll``).
    corpora: dict[str, dict[str, str]] = {}
    for part, files in part_files.items():
        for file in files:
            key = file.split("/")[-1].split(".")[-2] if per_label else ""
            corpora.setdefault(key, {})[part] = file
    lines = [
        f"Files: {files_listed(part_files)}. Each line is `token TAG` (IOB2), with a blank "
        "line after each sentence and no `-DOCSTART-` lines."
        + (" Each label has its own file, holding only that label's spans." if per_label else ""),
        "",
        "```python",
        "from flair.datasets import ColumnCorpus",
    ]
    for key, by_part in corpora.items():
        arguments = []
        for role, names in _FLAIR_ROLES:
            chosen = next((by_part[n] for n in names if n in by_part), None)
            if role == "train_file" and chosen is None:
                chosen = next(iter(by_part.values()))  # unsplit, or parts of other names
            if chosen is not None:
                arguments.append(f"{role}={json.dumps(chosen, ensure_ascii=False)}")
        name = f"corpus_{key}".replace("-", "_") if per_label else "corpus"
        lines.append(f'{name} = ColumnCorpus(".", {{0: "text", 1: "ner"}}, {", ".join(arguments)})')
    lines += [
        "```",
        "",
        "spaCy (`-n` groups sentences into documents):",
        "",
        "```bash",
        *(
            f"python -m spacy convert {shlex.quote(file)} . --converter ner -n 10"
            for files in part_files.values()
            for file in files
        ),
        "```",
    ]
    return "\n".join(lines)


def _relative(file: Path, base: Path) -> str:
    try:
        relative = file.relative_to(base).as_posix()
        return "" if relative == "." else relative
    except ValueError:
        return str(file)
