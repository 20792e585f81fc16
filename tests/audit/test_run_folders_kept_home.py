"""The absolute folders of the lead's machine that an ingest run records (the sources
folders, the working folder: ``/home/jane/...``) reached the reviewers' task data
(``ingest_run``) and the ``export --redact`` hand-out's manifest and report (passL54
finding 6). Push now sends the record without them (each sources folder's last part
only) and keeps them in the state folder, an export on that machine puts them back in
the manifest, and ``export --redact`` leaves them out."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from annotate.audit.redact import RedactionSettings
from annotate.corpus.export import export
from annotate.studio.label_config import parse_label_config
from annotate.studio.tasks import row_to_task
from annotate.taxonomy import load_taxonomy
from tests.audit.fakes import FakeStudio, reviewed_tasks
from tests.test_cli import run


def _ingested(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[dict[str, Any], Path]:
    """A passage row ingested from ``~/in`` under a fake home, and the home."""
    home = tmp_path / "home" / "jane"
    (home / "in").mkdir(parents=True)
    (home / "in" / "comments.csv").write_text(
        "comment_id,body\nc1,The council meets on Tuesday to vote on the new bus lanes.\n"
    )
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(home)
    out = home / "passages.parquet"
    done = run("ingest", "in", "--out", str(out), "--text-column", "body", "--id-column",
               "comment_id")  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    (row,) = pq.read_table(out).to_pylist()
    assert str(home) in row["ingest_run"]  # the record names the folder, as before
    return row, home


def _task_record(row: dict[str, Any]) -> str:
    tax = load_taxonomy()
    prelabelled = {
        **row,
        "scores": json.dumps({c: 0.1 for c in tax.category_names}),
        "labels": "[]",
        "spans": "[]",
        "model_version": "default@x",
    }
    task = row_to_task(prelabelled, tax, parse_label_config(tax.render_label_config()), where="t")
    assert str(Path.home()) not in json.dumps(task["data"])
    return str(task["data"]["ingest_run"])


def test_the_task_data_names_no_folder_of_the_lead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    row, home = _ingested(tmp_path, monkeypatch)
    record = json.loads(_task_record(row))
    text = json.dumps(record)
    assert str(home) not in text and "/home/" not in text, record
    assert record["sources_folder_names"] == ["jane"]  # the folder holding `in`
    assert "working_folder" not in record
    assert record["run"] == json.loads(row["ingest_run"])["run"]  # the same run


def test_export_names_the_folders_and_the_hand_out_does_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    row, home = _ingested(tmp_path, monkeypatch)
    pushed = _task_record(row)
    tasks = reviewed_tasks()
    tasks[0]["data"]["ingest_run"] = pushed
    # a task pushed before (the record whole, folders and all)
    tasks[1]["data"]["ingest_run"] = row["ingest_run"]
    out = tmp_path / "corpus"
    export("p", out, client=FakeStudio(tasks), salt="s")  # type: ignore[arg-type]
    (run_record,) = json.loads((out / "manifest.json").read_text())["ingest_runs"]["runs"]
    # on the lead's machine: the folders verify --sources takes, as ingest recorded them
    assert run_record["sources_folders"] == [str(home)]
    assert run_record["working_folder"] == str(home)
    hand = tmp_path / "handout"
    export(  # type: ignore[arg-type]
        "p", hand, client=FakeStudio(tasks), salt="s", redact=RedactionSettings(),
        id_key=tmp_path / "key", id_map=tmp_path / "map.jsonl",
    )  # fmt: skip
    for path in [hand / "manifest.json", *(hand / "report").rglob("*")]:
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            assert str(home) not in text and str(tmp_path) not in text, path
    (run_record,) = json.loads((hand / "manifest.json").read_text())["ingest_runs"]["runs"]
    assert "sources_folders" not in run_record and "working_folder" not in run_record
    assert run_record["sources_folder_names"] == ["jane"]
