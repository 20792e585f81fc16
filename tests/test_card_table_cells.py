"""Model card tables (threshold, span, metrics, cross-source) and the comparison's
passage table wrote cell text as it was: a ``|`` in a source name, a rule or a passage
split the cell, a line break ended the row. Every row now goes through one helper
(annotate.audit.markdown.table_row)."""

from __future__ import annotations

import re

from annotate.audit.markdown import markdown_table, table_cell, table_row
from annotate.evaluation.model_card import span_table, threshold_table
from annotate.training.crosssource import markdown

ODD = "forum|board\nsecond line\r\nthird"


def _cells(row: str) -> list[str]:
    """The cells of a Markdown table row, split where GitHub splits them (on a ``|``
    no backslash escapes)."""
    assert row.startswith("| ") and row.endswith(" |"), row
    return [c.strip() for c in re.split(r"(?<!\\)\|", row[1:-1])]


def test_a_cell_escapes_pipes_and_line_breaks_only() -> None:
    assert table_cell(ODD) == "forum\\|board second line third"
    assert table_cell(0.5) == "0.5" and table_cell("`a*b`") == "`a*b`"
    assert _cells(table_row(["a", ODD, 3])) == ["a", "forum\\|board second line third", "3"]
    (_, _, row, _) = markdown_table(["x", "y"], [["a", ODD]])
    assert len(_cells(row)) == 2 and "\n" not in row, row


def test_the_threshold_and_span_tables_keep_their_columns() -> None:
    config = {"thresholds": {"threat": 0.4}}
    met = {"threshold_rules": {"threat": ODD}}
    (head, _, row) = threshold_table(["threat"], config, met)
    assert len(_cells(row)) == len(_cells(head)) == 3, row
    assert _cells(row)[2] == "forum\\|board second line third"
    validation = {
        "quote": {"support": 3, "threshold": 0.5, "source": ODD, "validation_positives": 2,
                  "validation_negatives": 9, "precision": 0.5, "recall": 1.0, "f1": 0.6},
    }  # fmt: skip
    head, _, row = span_table(validation)
    assert len(_cells(row)) == len(_cells(head)) == 9, row


def test_the_cross_source_tables_keep_their_columns() -> None:
    fold = {
        "source": ODD,
        "n_scored": 10,
        "scored_rows": "all",
        "n_train": 100,
        "train_sources": ["a", "b"],
        "n_valid": 20,
        "model": {"labels": {"threat": {"n": 10, "positives": 2, "auprc": 0.5}}},
        "baseline": {"labels": {"threat": {"n": 10, "positives": 2, "auprc": 0.4}}},
    }
    report = {"trainer": "finetune", "caps": {}, "folds": [fold], "comparison": []}
    rows = [ln for ln in markdown(report).splitlines() if ln.startswith("| ")]
    tables = [r for r in rows if not r.startswith("| held-out")]
    assert len(tables) == 2, rows  # the fold and its label, each one line
    heads = [r for r in rows if r.startswith("| held-out")]
    assert [len(_cells(r)) for r in tables] == [len(_cells(h)) for h in heads[:2]], rows
