"""``factmark import --lang``: plain-text articles say their language, and the spaCy export
tokenises them by it (spaCy's own tokenizer for that language is the oracle)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import orjson
import spacy  # a test dependency (the `test` extra): never skipped
from spacy.training import Corpus
from tests.cli.test_cli import factmark

XINHUA = "据新华社报道，吉野家在上海开设了第300家门店。上海的门店增加了。"


def metas(project: Path) -> dict[str, dict[str, object]]:
    with sqlite3.connect(project) as db:
        return {
            text: orjson.loads(meta)
            for text, meta in db.execute("SELECT text, meta FROM documents")
        }


def test_lang_is_kept_on_the_documents_that_name_no_language(tmp_path: Path) -> None:
    article = tmp_path / "xinhua.txt"
    article.write_text(XINHUA + "\n", encoding="utf-8")
    said = tmp_path / "said.jsonl"  # a document that names its own language keeps it
    said.write_bytes(orjson.dumps({"text": "Leeds flooded.", "meta": {"language": "en"}}) + b"\n")
    project = tmp_path / "p.factmark"

    result = factmark("import", project, article, said, "--lang", "zh")

    assert result.returncode == 0, result.stderr
    assert metas(project) == {XINHUA + "\n": {"lang": "zh"}, "Leeds flooded.": {"language": "en"}}


def test_a_chinese_article_alone_is_tokenised_as_chinese(tmp_path: Path) -> None:
    article = tmp_path / "xinhua.txt"
    article.write_text(XINHUA, encoding="utf-8")
    project = tmp_path / "p.factmark"

    result = factmark("import", project, article, "--lang", "Chinese")

    assert result.returncode == 0, result.stderr
    assert metas(project) == {XINHUA: {"lang": "zh"}}
    out = tmp_path / "corpus.spacy"
    exported = factmark("export", project, "--format", "spacy", "-o", out, "--all")
    assert exported.returncode == 0, exported.stderr
    (doc,) = (e.reference for e in Corpus(out)(spacy.blank("xx")))
    assert doc.user_data["factmark_tokenizer"] == "zh"
    assert [t.text for t in doc] == [t.text for t in spacy.blank("zh").make_doc(XINHUA)]
    assert len(doc) > 10  # not whole sentences as tokens


def test_a_lang_that_is_no_language_tag_is_a_usage_error(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Text.", encoding="utf-8")
    project = tmp_path / "p.factmark"

    result = factmark("import", project, article, "--lang", "zh/../x")

    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "factmark: error: --lang: language 'zh/../x' is not a language tag such as en or fr"
    ]
    assert "Traceback" not in result.stderr
    assert not project.exists()
