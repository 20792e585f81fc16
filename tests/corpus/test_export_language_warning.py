"""Prelabel marks a passage the model cannot read (``model_language_warning``: a script or
language none of its training languages is) and push pre-selects nothing for it, so its
exported ``model_labels`` is ``[]``. The export carried neither the warning nor a count of
such passages: an auditor or ML engineer read that ``[]`` as "the model said none", and
the report's Model vs reviewers table counted the reviewers' labels on them as the
model's misses. Now each row carries ``model_language_warning`` (in the schema, so Parquet
and HF hold it too), the manifest counts the passages (``passages_model_cannot_read``),
the report states them and leaves them out of the table, and an export made before the
column reads as no warning. No server (snapshot-shaped tasks, tests/audit/fakes.py)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
from datasets import load_from_disk

from annotate.audit.corpus import load_corpus
from annotate.audit.redact import RedactionSettings
from annotate.audit.report import compute, to_markdown
from annotate.audit.verify import verify
from annotate.cli.export import model_cannot_read_note
from annotate.corpus.export import export
from annotate.corpus.schema import corpus_features
from annotate.table_schemas import LANGUAGE_WARNING_COLUMN
from annotate.taxonomy import load_taxonomy
from tests.audit.fakes import FakeStudio, reviewed_tasks

WARNING = "Arabic script (the model was trained on en text)"
UNREAD = "doc-c-p0"  # the model's "none", a reviewer's incitement (tests/audit/fakes.py)


def _tasks() -> list[dict[str, Any]]:
    """The fixture, doc-c-p0 pushed as a passage the model cannot read: the warning in the
    task's data and a prediction without a category (annotate.studio.tasks.row_to_task)."""
    tasks = copy.deepcopy(reviewed_tasks())
    task = next(t for t in tasks if t["data"]["passage_id"] == UNREAD)
    task["data"][LANGUAGE_WARNING_COLUMN] = WARNING
    task["predictions"][0]["result"] = []
    return tasks


def _export(tmp_path: Path, tasks: list[dict[str, Any]]) -> tuple[Path, dict[str, dict]]:
    out = tmp_path / "c"
    export("p", out, client=FakeStudio(tasks), salt="s")  # type: ignore[arg-type]
    rows = {
        r["id"]: r
        for f in sorted((out / "jsonl").glob("*.jsonl"))
        for r in (json.loads(line) for line in f.read_text().splitlines())
    }
    return out, rows


def test_each_row_carries_the_warning_in_every_format_and_the_manifest_counts_it(
    tmp_path: Path,
) -> None:
    assert LANGUAGE_WARNING_COLUMN in corpus_features(load_taxonomy())
    out, rows = _export(tmp_path, _tasks())
    assert rows[UNREAD][LANGUAGE_WARNING_COLUMN] == WARNING
    assert rows[UNREAD]["model_labels"] == []  # no suggestion: the warning says why
    assert all(r[LANGUAGE_WARNING_COLUMN] is None for pid, r in rows.items() if pid != UNREAD)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["passages_model_cannot_read"] == {
        "passages": 1,
        "by_warning": {WARNING: 1},
        "examples": [UNREAD],
    }
    # Parquet and HF hold the column too (one schema), and the export verifies
    split = rows[UNREAD]["split"]
    table = pq.read_table(out / "parquet" / f"{split}.parquet")
    got = dict(
        zip(
            table.column("id").to_pylist(),
            table.column(LANGUAGE_WARNING_COLUMN).to_pylist(),
            strict=True,
        )
    )
    assert got[UNREAD] == WARNING
    hf = load_from_disk(str(out / "hf"))[split]
    assert dict(zip(hf["id"], hf[LANGUAGE_WARNING_COLUMN], strict=True))[UNREAD] == WARNING
    verify(out)
    line = model_cannot_read_note(manifest, len(rows))
    assert line is not None and line.startswith("note: 1 of 5 passage(s)")
    assert "not the model saying none" in line


def test_a_task_without_the_warning_or_of_another_model_exports_none(tmp_path: Path) -> None:
    """A task pushed before the warning existed has none; a task whose credited model is
    not the one it was pushed with (re-push with another model) gets none, as its scores."""
    tasks = _tasks()
    task = next(t for t in tasks if t["data"]["passage_id"] == UNREAD)
    task["predictions"][0]["model_version"] = "another-model"
    _, rows = _export(tmp_path, tasks)
    assert rows[UNREAD][LANGUAGE_WARNING_COLUMN] is None
    _, plain = _export(tmp_path / "plain", copy.deepcopy(reviewed_tasks()))
    assert all(r[LANGUAGE_WARNING_COLUMN] is None for r in plain.values())


def test_the_report_states_them_and_leaves_them_out_of_model_vs_reviewers(tmp_path: Path) -> None:
    out, _ = _export(tmp_path, _tasks())
    numbers = json.loads((out / "report" / "report.json").read_text())
    assert numbers["model_cannot_read"] == {
        "passages": 1,
        "by_warning": {WARNING: 1},
        "by_label": {"incitement": 1},
        "examples": [UNREAD],
    }
    mv = numbers["model_vs_human"]["fixture-model-1"]
    assert mv["cannot_read"] == 1 and mv["passages"] == 5
    # the reviewer's incitement on it is no miss of the model's (it suggested nothing);
    # incitement's fn is the threat's (the model suggested it there: tp) only
    assert mv["categories"]["incitement"]["fn"] == 0
    text = (out / "report" / "report.md").read_text()
    assert "**1 passage(s) the model cannot read** (`model_language_warning`: " + WARNING in text
    assert "not the model saying `none`" in text and "passages_model_cannot_read" in text
    assert "1 passage(s) the model cannot read are left out of the table" in text


def test_an_export_made_before_the_column_reads_as_no_warning(tmp_path: Path) -> None:
    """Rows without the column (an export made before it) load, and the report says
    nothing of it (not recorded) and compares the model on every passage, as before."""
    out, _ = _export(tmp_path, copy.deepcopy(reviewed_tasks()))
    for f in (out / "jsonl").glob("*.jsonl"):
        rows = [json.loads(line) for line in f.read_text().splitlines()]
        for r in rows:
            del r[LANGUAGE_WARNING_COLUMN]
        f.write_text("".join(json.dumps(r) + "\n" for r in rows))
    numbers = compute(load_corpus(out))
    assert numbers["model_cannot_read"] is None
    mv = numbers["model_vs_human"]["fixture-model-1"]
    assert mv["cannot_read"] == 0 and mv["categories"]["incitement"]["fn"] == 1
    assert "cannot read" not in to_markdown(numbers)
    assert model_cannot_read_note({}, 5) is None  # a manifest without the count


def test_the_decision_record_says_the_model_suggested_nothing(tmp_path: Path) -> None:
    """Its facts read "Pre-labelled by model ...: no category." (the model's "none", to a
    reader) for a passage the model was never let suggest anything on."""
    out = tmp_path / "c"
    export("p", out, client=FakeStudio(_tasks()), salt="s", decision_records=True)  # type: ignore[arg-type]
    lines = (out / "decision_records.jsonl").read_text(encoding="utf-8").splitlines()
    records = {r["annotate"]["passage_id"]: r for r in map(json.loads, lines)}
    unread = records[UNREAD]
    assert unread["annotate"]["model_language_warning"] == WARNING
    assert (
        "Pre-labelled by model fixture-model-1: no category or severity pre-selected, as the "
        f"model cannot read the passage ({WARNING})." in unread["decision_facts"]
    )
    other = records["doc-b-p0"]
    assert other["annotate"]["model_language_warning"] is None
    assert "Pre-labelled by model fixture-model-1: none." in other["decision_facts"]
    verify(out)  # the records agree with the rows


def test_the_decision_record_of_an_unread_passage_is_not_automated(tmp_path: Path) -> None:
    """docs/decision-records.md: PARTIALLY "when reviewers saw a model's pre-labels";
    on a passage the model cannot read they saw none (break8 M8: it said PARTIALLY)."""
    out = tmp_path / "c"
    export("p", out, client=FakeStudio(_tasks()), salt="s", decision_records=True)  # type: ignore[arg-type]
    path = out / "decision_records.jsonl"
    records = {r["annotate"]["passage_id"]: r for r in map(json.loads, path.open())}
    assert records[UNREAD]["automated_detection"] == "No"
    assert records[UNREAD]["automated_decision"] == "AUTOMATED_DECISION_NOT_AUTOMATED"
    assert records["doc-b-p0"]["automated_decision"] == "AUTOMATED_DECISION_PARTIALLY"
    doc = (Path(__file__).parents[2] / "docs" / "decision-records.md").read_text()
    assert "cannot read the passage" in doc.split("| `automated_decision` |")[1].split("\n")[0]


def test_export_redact_names_them_by_the_rows_pseudonyms(tmp_path: Path) -> None:
    """doc-c-p0's text holds personal data: --redact renames the row, and the manifest's
    examples name it by the same pseudonym, never by the id made from the unmasked text."""
    out = tmp_path / "c"
    export(
        "p", out, client=FakeStudio(_tasks()), salt="s", redact=RedactionSettings(),  # type: ignore[arg-type]
        id_key=tmp_path / "key", id_map=tmp_path / "map.jsonl",
    )  # fmt: skip
    rows = [
        json.loads(line)
        for f in sorted((out / "jsonl").glob("*.jsonl"))
        for line in f.read_text().splitlines()
    ]
    unread = [r["id"] for r in rows if r[LANGUAGE_WARNING_COLUMN] == WARNING]
    assert len(unread) == 1 and unread[0] != UNREAD
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["passages_model_cannot_read"]["examples"] == unread
    assert UNREAD not in (out / "manifest.json").read_text()
