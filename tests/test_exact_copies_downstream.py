"""A passage's ``exact_copies`` (the copies of its text ingest dropped) reaches the
reviewers' task data (not the view), the export's rows and `annotate escalations`: the
same threat posted in three documents was escalated for the first document only, and
the other two were in no output."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

import annotate.review.escalations as escalations
from annotate.corpus.rows import task_to_row
from annotate.ingestion import ingest
from annotate.prelabeling import prelabel
from annotate.studio.label_config import parse_label_config, render_label_config
from annotate.studio.tasks import row_to_task
from annotate.tables import iter_rows
from annotate.taxonomy import load_taxonomy
from tests.audit.fakes import annotation, task
from tests.conftest import project_taxonomy
from tests.fakes import KeywordClassifier
from tests.integration.helpers import choices
from tests.test_cli import run

THREAT = (
    "If you show your face at the depot again I will break your legs, I swear. Everyone "
    "on the night shift knows what you did to my brother."
)
COPIES = json.dumps(
    {
        "copies": [
            {
                "passage_id": "p_2",
                "doc_id": "posts/dup2.txt",
                "input_file": "posts/dup2.txt",
                "input_row": None,
                "start": 0,
                "end": 135,
            },
            {
                "passage_id": "p_3",
                "doc_id": "t3",
                "input_file": "posts.csv",
                "input_row": "row 3 (line 4)",
                "start": 0,
                "end": 135,
            },
        ],
        "count": 3,
    }
)


def test_push_puts_them_in_the_task_data_not_the_view(tmp_path: Path) -> None:
    folder = tmp_path / "posts"
    folder.mkdir()
    for name in ("dup1.txt", "dup2.txt"):
        (folder / name).write_text(THREAT + "\n", encoding="utf-8")
    passages = tmp_path / "passages.parquet"
    ingest([folder], passages)
    tax = load_taxonomy()
    out = tmp_path / "prelabels.parquet"
    prelabel(passages, out, classifier=KeywordClassifier(tax.category_names), taxonomy=tax)
    (row,) = list(iter_rows(out))
    config = parse_label_config(render_label_config(tax))
    data = row_to_task(row, tax, config, where="row 1")["data"]
    assert json.loads(data["exact_copies"])["copies"][0]["doc_id"] == "posts/dup2.txt"
    assert "exact_copies" not in config.data_fields
    row["exact_copies"] = None  # none dropped (or ingested before the column): no field
    assert "exact_copies" not in row_to_task(row, tax, config, where="row 1")["data"]


def _task(copies: str | None) -> dict:
    t = task(
        1,
        "p_1",
        THREAT,
        doc="posts/dup1.txt",
        index=0,
        model_labels=["violent_threat"],
        annotations=[
            annotation(
                10,
                1,
                [choices("category", ["violent_threat"]), choices("severity", ["critical"])],
                minute=1,
                lead_time=5.0,
            )
        ],
    )
    if copies is not None:
        t["data"]["exact_copies"] = copies
    return t


def test_the_export_row_carries_them_and_export_redact_the_count_only() -> None:
    tax = project_taxonomy()
    assert task_to_row(_task(COPIES), tax, salt="s")["exact_copies"] == COPIES
    assert task_to_row(_task(None), tax, salt="s")["exact_copies"] is None
    from annotate.audit.redact_export import copies_count

    assert json.loads(copies_count(COPIES) or "") == {"count": 3}
    assert copies_count(None) is None


def test_escalations_name_the_other_documents(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))
    ann = {
        "reviewer": "r-a",
        "severity": "critical",
        "categories": ["violent_threat"],
        "created_at": "2026-12-01T10:00:00Z",
    }
    rows = [
        {
            "id": "p_1",
            "doc_id": "posts/dup1.txt",
            "source": "s",
            "text": THREAT,
            "exact_copies": COPIES,
            "annotations": [ann],
        },
        {"id": "p_9", "doc_id": "d9", "source": "s", "text": "t", "annotations": [ann]},
    ]
    monkeypatch.setattr(
        escalations, "collect", lambda *a, **k: SimpleNamespace(rows=rows, adjudications=[])
    )
    found = escalations.pending(object(), "P", project_taxonomy(), salt="s")  # type: ignore[arg-type]
    by_id = {e.passage: e for e in found}
    assert by_id["p_1"].also_in == ("posts/dup2.txt", "t3 (row 3 (line 4))")
    assert by_id["p_1"].also_in_count == 3
    assert (by_id["p_9"].also_in, by_id["p_9"].also_in_count) == ((), 0)
    monkeypatch.setattr("annotate.studio.client.connect", lambda: object())
    monkeypatch.setattr("annotate.cli.review.emails.emails_of", lambda *a: {})
    ran = run("escalations", "--project", "P")
    assert ran.returncode == 0, ran.stderr
    (line,) = [ln for ln in ran.stdout.splitlines() if "p_1" in ln]
    assert line.endswith(
        "\talso posted in 3: doc posts/dup2.txt, doc t3 (row 3 (line 4)), 1 more"
    ), line


def test_the_audit_report_counts_input_files_that_hold_only_copies() -> None:
    """An auditor read 'inputs: 11 files' in the ingest run and found 8 in the report:
    the files whose text was all copies are named by the kept rows' exact_copies."""
    from annotate.audit import provenance

    rows = [
        {"id": "p_1", "input_file": "posts/dup1.txt", "input_row": None, "exact_copies": COPIES},
        {"id": "p_5", "input_file": "posts.csv", "input_row": "row 1 (line 2)"},
    ]
    numbers = provenance.input_file_numbers(rows, {})
    assert (numbers["copies_only"], numbers["copies_only_first"]) == (1, ["posts/dup2.txt"])
    (line, *_) = provenance.input_file_lines(numbers)
    assert line.endswith(
        " 1 more input file(s) hold only exact copies of exported passages' text, dropped at "
        "ingest and named in those rows' `exact_copies` (`posts/dup2.txt`)."
    ), line
    assert "copies_only" not in provenance.input_file_numbers(rows[1:], {})
