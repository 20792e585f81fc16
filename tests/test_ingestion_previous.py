"""`annotate ingest --previous EARLIER`: a second batch drops exact copies of the first
batch's passages and groups its near-copies with them (real files, real ingest)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from annotate.cli import app
from annotate.errors import InputError
from annotate.ingestion import ingest

STATEMENT = (
    "The council confirmed on Tuesday that the footbridge over the river will stay closed "
    "for repairs until the end of the month while engineers replace the rusted railings."
)
CHOIR = "Our choir is looking for tenors for the winter concert; rehearsals start in October."
MARKET = "The farmers market moves to the school car park for the summer, every Saturday."


def _folder(root: Path, docs: dict[str, str]) -> Path:
    root.mkdir()
    for name, text in docs.items():
        (root / f"{name}.txt").write_text(text + "\n")
    return root


def _rows(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text().splitlines() if x.strip()]


@pytest.fixture()
def batches(tmp_path: Path) -> tuple[Path, Path]:
    first = _folder(tmp_path / "march", {"statement": STATEMENT, "choir": CHOIR})
    second = _folder(
        tmp_path / "may",
        {
            "repost": STATEMENT.replace("railings", "handrails"),  # a near-copy
            "choir-again": CHOIR,  # an exact copy in another document
            "market": MARKET,  # new
        },
    )
    return first, second


def test_a_second_batch_leaves_out_what_the_first_had(tmp_path, batches) -> None:
    first, second = batches
    ingest([first], tmp_path / "march.jsonl")
    earlier = {r["text"]: r["id"] for r in _rows(tmp_path / "march.jsonl")}

    stats = ingest([second], tmp_path / "may.jsonl", previous=[tmp_path / "march.jsonl"])
    rows = {r["doc_id"]: r for r in _rows(tmp_path / "may.jsonl")}
    assert sorted(rows) == ["may/market.txt", "may/repost.txt"]  # the exact copy is dropped
    assert stats.duplicates == 1
    assert rows["may/repost.txt"]["near_dup_group"] == earlier[STATEMENT]
    assert rows["may/market.txt"]["near_dup_group"] is None
    assert (stats.near_dup_groups, stats.near_duplicates) == (0, 1)

    ingest(
        [second],
        tmp_path / "may-new-only.jsonl",
        previous=[tmp_path / "march.jsonl"],
        drop_near_duplicates=True,
    )
    assert [r["doc_id"] for r in _rows(tmp_path / "may-new-only.jsonl")] == ["may/market.txt"]


def test_without_previous_the_second_batch_keeps_everything(tmp_path, batches) -> None:
    _, second = batches
    ingest([second], tmp_path / "may.jsonl")
    assert len(_rows(tmp_path / "may.jsonl")) == 3


def test_an_edited_document_re_ingested_keeps_only_its_changed_passages(tmp_path) -> None:
    v1 = _folder(tmp_path / "v1", {"report": STATEMENT + "\n\n" + CHOIR})
    v2 = _folder(tmp_path / "v2", {"report": STATEMENT + "\n\n" + MARKET})
    ingest([v1], tmp_path / "v1.jsonl", min_chars=1)
    ingest([v2], tmp_path / "v2.jsonl", min_chars=1, previous=[tmp_path / "v1.jsonl"])
    assert [r["text"] for r in _rows(tmp_path / "v2.jsonl")] == [MARKET]


def test_previous_must_be_an_earlier_runs_passages(tmp_path, batches) -> None:
    first, second = batches
    with pytest.raises(InputError, match="no such file"):
        ingest([second], tmp_path / "may.jsonl", previous=[tmp_path / "nope.jsonl"])
    (tmp_path / "docs.jsonl").write_text(json.dumps({"body": "x"}) + "\n")
    result = CliRunner().invoke(
        app,
        [
            "ingest",
            str(second),
            "--out",
            str(tmp_path / "may.jsonl"),
            "--previous",
            str(tmp_path / "docs.jsonl"),
        ],
    )
    assert result.exit_code != 0 and "missing column" in result.output
    assert "Traceback" not in result.output
    ingest([first], tmp_path / "march.jsonl")
    with pytest.raises(InputError, match="is this run's --out"):
        ingest([second], tmp_path / "march.jsonl", previous=[tmp_path / "march.jsonl"])
    # break4 B8: without --overwrite the refusal of the existing --out came first, and its
    # fix (--overwrite) only led to this error: the options error comes first
    with pytest.raises(InputError, match="is this run's --out"):
        ingest(
            [second],
            tmp_path / "march.jsonl",
            previous=[tmp_path / "march.jsonl"],
            overwrite=False,
        )
