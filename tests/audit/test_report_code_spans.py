"""report.html showed an input file's name and a hand-made passage id in a Markdown code
span written as `` `NAME` ``: a name holding a backtick closed the span, and the rest
(`<img src=x onerror=...>`) reached report.html as HTML. An export's file names and ids
come from the documents delivered (a scraped dump's names are anyone's), so the report
that a compliance reviewer opens must show them as text."""

from __future__ import annotations

import pytest

from annotate.audit.markdown import code_span
from annotate.audit.provenance import ingest_run_lines, repost_lines
from annotate.audit.report import to_html

EVIL = "d/x`<img src=x onerror=alert(1)>`.pdf"


def test_a_skipped_files_name_cannot_close_its_code_span() -> None:
    runs = {"runs": [{"run": "ingest-1", "skipped_files": [{"file": EVIL, "problem": "x"}]}]}
    page = to_html("\n".join(ingest_run_lines(runs)), "report")
    assert "<img" not in page
    assert "<code>d/x`&lt;img src=x onerror=alert(1)&gt;`.pdf</code>" in page


def test_a_reposts_passage_ids_cannot_close_their_code_spans() -> None:
    n = {
        "passages": 1,
        "texts": 1,
        "texts_in_corpus": 1,
        "examples": [{"passage_id": EVIL, "repost_of": "p_1"}],
    }
    page = to_html("\n".join(repost_lines(n)), "report")
    assert "<img" not in page


@pytest.mark.parametrize("value", ["plain", "a`b", "``x", "y`", "a\nb", "```"])
def test_a_code_span_renders_its_value_as_it_is(value: str) -> None:
    page = to_html(code_span(value), "t")
    shown = page.split("<code>", 1)[1].split("</code>", 1)[0]
    assert shown == value.replace("\n", " ")


def test_passage_ids_over_k_reviewers_cannot_close_their_code_spans() -> None:
    from annotate.audit.report import _short_of_reviewers_lines

    page = to_html("\n".join(_short_of_reviewers_lines({"2": 1, "3": 1}, 2, [EVIL])), "report")
    assert "<img" not in page
