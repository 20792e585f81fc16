"""A gold sheet ingested as the README's gold route says (the gold posts ingested as the
regular ones were, its answers in a ``gold_labels`` column of the same CSV) kept the
answers in each passage's ``meta`` without a word; ``push --gold`` then said the column
was missing and told to add it (passL54 finding 3), and the same table pushed as regular
pre-labels put the answer key into every task's data reviewers can read. Now ingest says
where the answers went, ``push --gold`` reads them from ``meta`` (and leaves them out of
the task's data), and a push of pre-labels holding gold answers as regular data is
refused."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from annotate.errors import PredictionError
from annotate.review.gold import GOLD_META_KEY, read_gold
from annotate.studio.label_config import parse_label_config
from annotate.studio.tasks import row_to_task
from annotate.taxonomy import load_taxonomy
from tests.test_cli import run


def _row(pid: str, meta: dict[str, Any], **extra: Any) -> dict[str, Any]:
    tax = load_taxonomy()
    return {
        "id": pid,
        "doc_id": f"d-{pid}",
        "text": "I know where you live and I will come for you.",
        "meta": json.dumps(meta),
        "scores": json.dumps({c: 0.1 for c in tax.category_names}),
        "labels": "[]",
        "spans": "[]",
        "model_version": "default@x",
        **extra,
    }


def test_push_gold_reads_the_answers_ingest_kept_in_meta(tmp_path: Path) -> None:
    tax = load_taxonomy()
    gold = tmp_path / "gold.parquet"
    rows = [
        _row("g1", {"author": "pa_f6166e5b", "gold_labels": "violent_threat"}),
        _row("g2", {"gold_labels": "news_reporting", "gold_severity": "none"}),
    ]
    pd.DataFrame(rows).to_parquet(gold)
    tasks = read_gold(gold, tax, parse_label_config(tax.render_label_config()))
    assert [t["meta"][GOLD_META_KEY]["labels"] for t in tasks] == [
        ["violent_threat"],
        ["news_reporting"],
    ]
    assert tasks[1]["meta"][GOLD_META_KEY]["severity"] == "none"
    for t in tasks:  # the answer key is in no field of the task's data
        assert "gold_" not in json.dumps(t["data"]), t["data"]
    assert json.loads(tasks[0]["data"]["meta"]) == {"author": "pa_f6166e5b"}


@pytest.mark.parametrize(
    ("meta", "extra"),
    [
        ({"author": "x", "gold_labels": "violent_threat"}, {}),
        ({"gold_severity": "high"}, {}),
        ({}, {"gold_labels": "violent_threat"}),  # a gold table pushed as regular
    ],
)
def test_a_regular_push_refuses_rows_holding_gold_answers(
    meta: dict[str, Any], extra: dict[str, Any]
) -> None:
    tax = load_taxonomy()
    config = parse_label_config(tax.render_label_config())
    with pytest.raises(PredictionError) as err:
        row_to_task(_row("g1", meta, **extra), tax, config, where="t.parquet line 1")
    said = f"{err.value} {err.value.fix}"
    assert "gold" in said and "--gold" in said and "reviewers" in said, said


def test_an_empty_gold_column_is_no_answer() -> None:
    tax = load_taxonomy()
    config = parse_label_config(tax.render_label_config())
    task = row_to_task(_row("p1", {"a": 1}, gold_labels=None), tax, config, where="t")
    assert task["data"]["meta"] == json.dumps({"a": 1})


def test_ingest_says_where_a_gold_column_went(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    sheet = tmp_path / "gold_posts.csv"
    sheet.write_text(
        "comment_id,author,body,gold_labels\n"
        'g001,mark_w,"I know where you live, Mark. I will come to your house.",violent_threat\n'
    )
    with caplog.at_level(logging.WARNING):
        result = run(
            "ingest", str(sheet), "--out", str(tmp_path / "p.parquet"),
            "--text-column", "body", "--id-column", "comment_id",
        )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    said = " ".join(" ".join(r.getMessage() for r in caplog.records).split())
    assert "gold_labels" in said and "meta" in said and "--gold" in said, said


def test_prelabel_checks_the_answers_in_meta_before_the_model_loads(tmp_path: Path) -> None:
    """As it checks a gold_labels column: a wrong name is refused by the first command
    that reads it, not by push after the model ran."""
    from annotate.errors import InputError
    from annotate.review.gold import check_gold_answers

    passages = tmp_path / "gold_passages.parquet"
    rows = [_row("g1", {"gold_labels": "violent_threat"}), _row("g2", {"author": "x"})]
    pd.DataFrame(rows).to_parquet(passages)
    assert check_gold_answers(passages, load_taxonomy()) == 1
    pd.DataFrame([_row("g3", {"gold_labels": "violent_threats"})]).to_parquet(passages)
    with pytest.raises(InputError, match="gold_labels must be category names"):
        check_gold_answers(passages, load_taxonomy())


@pytest.mark.parametrize(
    ("meta", "extra", "path"),
    [  # break14 finding 11: the answer key at any depth of meta (a JSONL row's own meta)
        ({"meta": {"gold_labels": ["violent_threat"]}}, {}, "meta.meta.gold_labels"),
        ({"meta": {"review": {"gold_severity": "high"}}}, {}, "meta.meta.review.gold_severity"),
        ({"notes": [{"a": 1}, {"gold_labels": "x"}]}, {}, "meta.notes[1].gold_labels"),
        # finding 12: spelt otherwise, in meta or as a column; the spelling found is named
        ({"Gold_Labels": "news_reporting"}, {}, "meta.Gold_Labels"),
        ({"gold_label": "news_reporting"}, {}, "meta.gold_label"),
        ({"goldLabels": "news_reporting"}, {}, "meta.goldLabels"),
        ({"gold-labels": "news_reporting"}, {}, "meta.gold-labels"),
        ({}, {"Gold_Labels": "violent_threat"}, "Gold_Labels"),
        ({}, {"gold_label": "violent_threat"}, "gold_label"),
    ],
)
def test_a_regular_push_refuses_gold_answers_nested_or_spelt_otherwise(
    meta: dict[str, Any], extra: dict[str, Any], path: str
) -> None:
    tax = load_taxonomy()
    config = parse_label_config(tax.render_label_config())
    with pytest.raises(PredictionError) as err:
        row_to_task(_row("g1", meta, **extra), tax, config, where="t.jsonl line 3 (id 'g1')")
    said = str(err.value)
    assert "t.jsonl line 3 (id 'g1')" in said and f"({path})" in said, said


def test_keys_that_only_start_with_gold_are_no_answer() -> None:
    tax = load_taxonomy()
    config = parse_label_config(tax.render_label_config())
    meta = {"gold": "tier", "golden_hour": "x", "meta": {"gold_member": True}}
    task = row_to_task(_row("p1", meta), tax, config, where="t")
    assert json.loads(task["data"]["meta"]) == meta


def test_ingest_warns_of_a_gold_answer_nested_in_a_jsonl_row(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    sheet = tmp_path / "gold.jsonl"
    rows = [
        {"id": "p1", "text": "Lovely weather today.", "meta": {"source": "forum"}},
        {"id": "g1", "text": "I will hurt you.", "meta": {"review": {"gold_labels": ["x"]}}},
    ]
    sheet.write_text("".join(json.dumps(r) + "\n" for r in rows))
    with caplog.at_level(logging.WARNING):
        result = run("ingest", str(sheet), "--out", str(tmp_path / "p.jsonl"))
    assert result.returncode == 0, result.stdout + result.stderr
    said = " ".join(" ".join(r.getMessage() for r in caplog.records).split())
    assert "line 2" in said and "meta.review.gold_labels" in said, said
    assert "refuses" in said, said


def test_ingest_warns_of_gold_columns_spelt_otherwise(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    sheet = tmp_path / "gold_case.csv"
    sheet.write_text("id,text,Gold_Labels,gold-severity\ng2,Police said it.,news_reporting,none\n")
    with caplog.at_level(logging.WARNING):
        result = run("ingest", str(sheet), "--out", str(tmp_path / "p.jsonl"))
    assert result.returncode == 0, result.stdout + result.stderr
    said = " ".join(" ".join(r.getMessage() for r in caplog.records).split())
    assert "'Gold_Labels' (expected 'gold_labels')" in said, said
    assert "'gold-severity' (expected 'gold_severity')" in said, said


@pytest.mark.parametrize(
    ("meta", "path"),
    [
        ({"meta": {"gold_labels": "violent_threat"}}, "meta.meta.gold_labels"),
        ({"Gold_Labels": "violent_threat"}, "meta.Gold_Labels"),
    ],
)
def test_push_gold_names_answers_it_does_not_read(
    tmp_path: Path, meta: dict[str, Any], path: str
) -> None:
    """Not 'the gold_labels column is missing': where the answer is, and how to move it."""
    from annotate.errors import InputError

    tax = load_taxonomy()
    gold = tmp_path / "gold.parquet"
    pd.DataFrame([_row("g1", meta)]).to_parquet(gold)
    with pytest.raises(InputError) as err:
        read_gold(gold, tax, parse_label_config(tax.render_label_config()))
    said = f"{err.value} {err.value.fix}"
    assert path in said and "(id 'g1')" in said and "top-level" in said, said
