"""A form feed (the page break pdftotext writes between pages) or a vertical tab (Word's
manual line break in the text it exports) was removed as a control character, joining
the words on either side: "the last line of page one.\\fPage two" became "one.Page",
and "formfeed" one word, in the passage reviewers read and the model scored. They are
line breaks now: the words stay apart, and the text keeps its length."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from annotate._util.encoding import clean_text
from annotate.ingestion import ingest


def test_a_page_break_and_a_vertical_tab_become_line_breaks() -> None:
    text = "End of page one.\fPage two starts\vwith a manual break.\x00"
    cleaned, changed = clean_text(text, where="x")
    assert cleaned == "End of page one.\nPage two starts\nwith a manual break."
    assert changed == 3  # the NUL removed, the two breaks made line breaks


def test_a_word_export_keeps_its_words_apart(tmp_path: Path) -> None:
    """Word's "Plain Text" export writes a page break as a form feed and a manual line
    break (Shift+Enter) as a vertical tab, with no line end beside them."""
    src = tmp_path / "minutes.txt"
    src.write_text(
        "The committee met to discuss the river bridge and the night bus timetable."
        "\fAppendix on the budget\vfor next year.\n"
    )
    ingest([src], tmp_path / "p.parquet")
    joined = " ".join(pd.read_parquet(tmp_path / "p.parquet")["text"])
    assert "timetable.\nAppendix" in joined and "budget\nfor" in joined
