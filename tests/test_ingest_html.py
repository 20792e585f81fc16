"""HTML files (saved web pages, news articles): ingest reads their visible text, with
entities decoded, scripts and styles dropped and the <title> as title; a web page saved
as .txt is warned of (read with its markup). The offsets index the extracted text, and
what extracted it is recorded, so `verify --sources` extracts it again."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import pytest

from annotate.audit.sources import CHANGED, UNCHANGED, check_sources
from annotate.corpus.export import export
from annotate.ingestion import document_sha256, ingest
from annotate.ingestion.html import extractor, looks_like_html
from annotate.tables import iter_rows
from tests.audit.fakes import FakeStudio, annotation, task
from tests.integration.helpers import choices

PAGE = """<!DOCTYPE html>
<html><head><title>Town
  news</title><script>var tracker = 1;</script><style>p { color: red }</style></head>
<body><nav>Home | Sport</nav>
<h1>Man threatens council staff</h1>
<p>A man shouted &quot;I will burn your office down&quot; at <b>council staff</b> on
Monday, police said.</p>
<!-- ad slot -->
<p>He was arrested later that day and will appear in court next week.</p>
<footer>&copy; 2026 Town News</footer>
</body></html>
"""


def _ingest(root: Path, out: Path, names: list[str]) -> list[dict]:
    cwd = os.getcwd()
    os.chdir(root)
    try:
        ingest(names, out, min_chars=20, dedupe=False, near_dup_threshold=None)
    finally:
        os.chdir(cwd)
    return list(iter_rows(out))


def test_an_html_file_is_read_as_its_visible_text(tmp_path: Path) -> None:
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "page.html").write_text(PAGE, encoding="utf-8")
    rows = _ingest(tmp_path, tmp_path / "p.jsonl", ["news"])
    text = "\n\n".join(r["text"] for r in rows)
    assert '"I will burn your office down"' in text  # entities decoded: a quotation
    assert "© 2026 Town News" in text
    assert "<" not in text and "tracker" not in text and "color" not in text
    assert "ad slot" not in text
    assert {r["title"] for r in rows} == {"Town news"}
    assert {r["doc_id"] for r in rows} == {"news/page.html"}
    meta = json.loads(rows[0]["meta"])
    assert meta == {"text_extracted_by": extractor()}
    assert extractor().startswith("html-text ")
    run = json.loads(rows[0]["ingest_run"])
    assert run["extracted_by"] == {"html": extractor()}
    # the offsets index the extracted text, which document_sha256 hashes
    from annotate.ingestion.html import html_document

    whole, _ = html_document(PAGE)
    assert all(whole[r["start"] : r["end"]] == r["text"] for r in rows)
    assert {r["document_sha256"] for r in rows} == {document_sha256(whole)}


def test_a_run_without_html_records_no_extractor(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("A plain note about the weather today.\n", encoding="utf-8")
    (row,) = _ingest(tmp_path, tmp_path / "p.jsonl", ["a.txt"])
    assert "extracted_by" not in json.loads(row["ingest_run"])


def test_a_web_page_saved_as_txt_is_warned_of_with_the_fix(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "page.txt").write_text(PAGE, encoding="utf-8")
    (tmp_path / "note.txt").write_text(
        "In HTML a paragraph is <p> and bold is <b>; that is all.\n", encoding="utf-8"
    )
    with caplog.at_level(logging.WARNING):
        rows = _ingest(tmp_path, tmp_path / "p.jsonl", ["page.txt", "note.txt"])
    said = [r.getMessage() for r in caplog.records if "web page" in r.getMessage()]
    assert len(said) == 1, said
    assert "page.txt: looks like a saved web page (HTML" in said[0]
    assert "rename it to .html" in said[0] and "page.html" in said[0]
    assert any("<!DOCTYPE" in r["text"] for r in rows)  # read as it is, as the warning says
    assert looks_like_html("I use <b>bold</b> and <i>italics</i> here.") is None


def _export(root: Path, passages: Path, out: Path) -> None:
    tasks = []
    for n, row in enumerate(iter_rows(passages)):
        t = task(
            100 + n,
            row["id"],
            row["text"],
            doc=row["doc_id"],
            index=row["passage_index"],
            model_labels=["news_reporting"],
            annotations=[
                annotation(
                    1000 + n,
                    1,
                    [choices("category", ["news_reporting"]), choices("severity", ["low"])],
                    minute=n % 60,
                    lead_time=5.0,
                )
            ],
        )
        for key in ("start", "end", "source", "document_sha256", "input_file", "input_row"):
            t["data"][key] = row[key]
        t["data"]["ingest_run"] = row["ingest_run"]
        tasks.append(t)
    export("p", out, client=FakeStudio(tasks), salt="s")  # type: ignore[arg-type]


def test_verify_sources_extracts_an_html_file_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "in"
    root.mkdir()
    (root / "page.html").write_text(PAGE, encoding="utf-8")
    passages = tmp_path / "p.jsonl"
    _ingest(root, passages, ["page.html"])
    corpus = tmp_path / "corpus"
    _export(root, passages, corpus)
    (doc,) = check_sources(corpus, root).documents
    assert doc.status == UNCHANGED, doc.what
    # markup changed, visible text not: still unchanged (the text is what is checked)
    (root / "page.html").write_text(PAGE.replace("<b>", "<strong>"), encoding="utf-8")
    (doc,) = check_sources(corpus, root).documents
    assert doc.status == UNCHANGED, doc.what
    (root / "page.html").write_text(PAGE.replace("Monday", "Tuesday"), encoding="utf-8")
    (doc,) = check_sources(corpus, root).documents
    assert doc.status == CHANGED and "extractor" not in doc.what
    # another extractor version installed than the run recorded: said
    monkeypatch.setattr("annotate.ingestion.html.extractor", lambda: "html-text 9.9 (lxml 1)")
    (doc,) = check_sources(corpus, root).documents
    assert doc.status == CHANGED
    assert "by html-text 9.9 (lxml 1) here" in doc.what and "may be the extractor's" in doc.what


def test_a_page_without_a_title_is_titled_by_its_first_heading_not_its_menu() -> None:
    from annotate.ingestion.html import html_document

    page = "<html><body><nav>Home | Sport</nav><h1>Fire at the <i>depot</i></h1><p>Text.</p>"
    assert html_document(page)[1] == "Fire at the depot"
    assert html_document("<html><body><nav>Home | Sport</nav><p>Text.</p>")[1] is None
