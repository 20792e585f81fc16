"""A training table whose rows label `none` ("Nothing above applies") together with another
category (audit 49, A15): `annotate train` trained on them without a word, the `none`
head learning those passages as positives. Reading the table now warns: how many rows,
the first ones, the fix."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from annotate.taxonomy import load_taxonomy
from annotate.training.sources.native import read_native

TAX = load_taxonomy()


def _table(path: Path, labels: list[str]) -> Path:
    lines = ["text,labels"]
    lines += [
        f'"Passage number {i} about the council vote.","{cell}"' for i, cell in enumerate(labels)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _said(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


def test_rows_labelled_none_and_another_category_are_warned(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    cells = ["news_reporting, none", "none", "violent_threat", "none,incitement", "none, none"]
    with caplog.at_level(logging.WARNING):
        examples = read_native(_table(tmp_path / "t.csv", cells), TAX, seed=0)
    assert len(examples) == 5
    (said,) = _said(caplog)
    assert "2 row(s) are labelled 'none'" in said, said
    assert "row 1 (line 2)" in said and "row 4 (line 5)" in said
    assert "keep either 'none' or the other categories" in said


def test_a_clean_table_says_nothing(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        read_native(_table(tmp_path / "t.csv", ["none", "violent_threat"]), TAX, seed=0)
    assert _said(caplog) == []
