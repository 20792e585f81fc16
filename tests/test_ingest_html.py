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


CP1252_PAGE = (
    '<html><head><meta charset="windows-1252"><title>Caf\u00e9 row</title></head><body>'
    "<p>The owner said \u201cI will hurt you\u201d \u2013 at the caf\u00e9 on Monday.</p>"
    "</body></html>"
).encode("cp1252")
SJIS_PAGE = (
    '<html><head><meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">'
    "<!-- <meta charset=utf-8> in a comment is no declaration -->"
    "<title>\u63b2\u793a\u677f</title></head><body><p>\u304a\u524d\u3092\u6bba\u3059\u3068"
    "\u8a00\u3063\u305f\u3002\u5e97\u306e\u524d\u3067\u5f85\u3063\u3066\u3044\u308b\u3002</p>"
    "</body></html>"
).encode("cp932")


def test_a_page_is_decoded_with_the_charset_it_declares(tmp_path: Path) -> None:
    """A Windows-1252 page (<meta charset>) and a Shift JIS one (<meta http-equiv>) are
    read as they declare, without --encoding: before, each was a file that is not UTF-8
    (the run stopped naming the generic detector's guess). The run record lists them in
    decoded_files with what declared the codec, and verify --sources decodes them alike."""
    root = tmp_path / "in"
    (root / "pages").mkdir(parents=True)
    (root / "pages" / "cafe.html").write_bytes(CP1252_PAGE)
    (root / "pages" / "board.htm").write_bytes(SJIS_PAGE)
    utf16 = "<html><body><p>A UTF-16 page with its byte-order mark, read by it.</p></body></html>"
    (root / "pages" / "utf16.html").write_bytes(utf16.encode("utf-16"))
    passages = tmp_path / "p.jsonl"
    rows = _ingest(root, passages, ["pages"])
    text = {r["doc_id"]: r["text"] for r in rows}
    assert text["pages/cafe.html"] == (
        "The owner said \u201cI will hurt you\u201d \u2013 at the caf\u00e9 on Monday."
    )
    assert text["pages/board.htm"].startswith("\u304a\u524d\u3092\u6bba\u3059")
    assert "byte-order mark, read by it" in text["pages/utf16.html"]
    assert {r["title"] for r in rows if r["doc_id"] == "pages/cafe.html"} == {"Caf\u00e9 row"}
    run = json.loads(rows[0]["ingest_run"])
    decoded = {d["file"]: (d["encoding"], d.get("declared_by")) for d in run["decoded_files"]}
    assert decoded == {
        "pages/board.htm": ("cp932", "meta charset=Shift_JIS"),
        "pages/cafe.html": ("cp1252", "meta charset=windows-1252"),
        "pages/utf16.html": ("utf-16", "byte-order mark"),
    }
    corpus = tmp_path / "corpus"
    _export(root, passages, corpus)
    found = check_sources(corpus, root).documents
    assert {d.input_file: d.status for d in found} == dict.fromkeys(decoded, UNCHANGED), [
        d.what for d in found
    ]


def test_a_declaration_that_does_not_decode_is_warned_of_and_ingest_falls_back(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A page declaring Shift JIS whose bytes are Windows-1252: warned of, naming the
    file, and read the usual way (here --encoding cp1252); a UTF-8 page still declaring
    windows-1252 (saved again as UTF-8) is read as UTF-8, not as mojibake, and warned of."""
    (tmp_path / "wrong.html").write_bytes(CP1252_PAGE.replace(b"windows-1252", b"shift_jis"))
    (tmp_path / "resaved.html").write_bytes(CP1252_PAGE.decode("cp1252").encode("utf-8"))
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        with caplog.at_level(logging.WARNING):
            ingest(
                ["wrong.html", "resaved.html"],
                tmp_path / "p.jsonl",
                min_chars=20,
                dedupe=False,
                near_dup_threshold=None,
                encoding="cp1252",
            )
    finally:
        os.chdir(cwd)
    rows = list(iter_rows(tmp_path / "p.jsonl"))
    assert {r["text"] for r in rows} == {
        "The owner said \u201cI will hurt you\u201d \u2013 at the caf\u00e9 on Monday."
    }
    said = " ".join(r.getMessage() for r in caplog.records)
    assert (
        "wrong.html: the web page declares charset=shift_jis but byte offset 48, 0xe9, is not "
        "cp932; read as UTF-8 (else cp1252, --encoding) instead"
    ) in said, said
    assert (
        "resaved.html: the web page declares charset=windows-1252 but its bytes are UTF-8 (a "
        "page saved again as UTF-8 keeps its old declaration); read as UTF-8 instead"
    ) in said, said
    run = json.loads(rows[0]["ingest_run"])
    assert run["decoded_files"][0]["file"] == "wrong.html"
    assert "declared_by" not in run["decoded_files"][0]  # read as --encoding's
    assert len(run["decoded_files"]) == 1


def test_the_summary_counts_the_pages_read_as_their_declared_charset(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.audit.cli_run import run_cli

    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "cafe.html").write_bytes(CP1252_PAGE)
    (tmp_path / "pages" / "board.html").write_bytes(SJIS_PAGE)
    monkeypatch.chdir(tmp_path)
    code, said = run_cli(["ingest", "pages", "-o", "p.jsonl", "--min-chars", "10"], capsys)
    assert code == 0, said
    flat = " ".join(said.split())
    assert (
        "2 web pages not UTF-8 read as the charset each declares (listed in "
        "ingest_run.decoded_files)"
    ) in flat, said
    assert "--encoding" not in flat, said
