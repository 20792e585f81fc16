"""Skips per passage (``skipped_by``) and the passages only skipped
(``passages_skipped_without_answer``), on snapshot-shaped tasks; the real-server test is
tests/integration/test_export_skips_and_sources.py."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from annotate.corpus.export import export
from annotate.corpus.resolve import pseudonym
from tests.audit.fakes import FakeStudio, annotation, reviewed_tasks, task


def _skip(ann_id: int, user: int) -> dict:
    return {**annotation(ann_id, user, [], minute=50, lead_time=1.0), "was_cancelled": True}


def _export(tmp_path: Path, tasks: list) -> tuple[dict, dict]:
    out = tmp_path / "c"
    export("p", out, client=FakeStudio(tasks), salt="s")  # type: ignore[arg-type]
    rows = {
        r["id"]: r
        for f in (out / "jsonl").glob("*.jsonl")
        for r in (json.loads(line) for line in f.read_text().splitlines())
    }
    return rows, json.loads((out / "manifest.json").read_text())


def test_skips_are_named_per_row_and_only_skipped_passages_counted(tmp_path: Path) -> None:
    tasks = reviewed_tasks()
    tasks[1]["annotations"] += [_skip(201, 5), _skip(202, 4), _skip(203, 5)]  # 5 twice
    only_skipped = task(16, "doc-d-p0", "A passage everyone skipped.", doc="doc-d", index=0,
                        model_labels=["none"], annotations=[_skip(204, 4)])  # fmt: skip
    # a passage skipped in one task, its duplicate still open: unanswered work, not "skipped"
    skipped_copy = task(17, "doc-e-p0", "A passage pushed twice.", doc="doc-e", index=0,
                        model_labels=["none"], annotations=[_skip(205, 4)])  # fmt: skip
    open_copy = copy.deepcopy(skipped_copy)
    open_copy["id"], open_copy["annotations"] = 18, []
    rows, manifest = _export(tmp_path, [*tasks, only_skipped, skipped_copy, open_copy])
    assert rows["doc-a-p1"]["skipped_by"] == sorted([pseudonym(4, "s"), pseudonym(5, "s")])
    assert all(r["skipped_by"] == [] for k, r in rows.items() if k != "doc-a-p1")
    assert "doc-d-p0" not in rows and "doc-e-p0" not in rows
    assert manifest["passages_skipped_without_answer"] == 1  # doc-d-p0
    assert manifest["passages_unanswered_in_label_studio"] == 1  # doc-e-p0's open copy
    assert manifest["review"]["skipped_by_reviewers"] == {"tasks": 3, "skips": 5}


def test_no_skips_no_extra_snapshot(tmp_path: Path) -> None:
    class Counting(FakeStudio):
        asked = 0

        def skipped_snapshot(self, project_id: int) -> list:
            Counting.asked += 1
            return super().skipped_snapshot(project_id)

    export("p", tmp_path / "c", client=Counting(reviewed_tasks()), salt="s")  # type: ignore[arg-type]
    assert Counting.asked == 0


def test_the_cli_notes_skipped_passages_and_rows_without_a_source_hash(
    tmp_path: Path, monkeypatch
) -> None:
    from tests.test_open_work import export_cli

    tasks = reviewed_tasks()
    tasks[0]["data"]["document_sha256"] = "ab" * 32  # one passage from a newer ingest
    only_skipped = task(16, "doc-d-p0", "A passage everyone skipped.", doc="doc-d", index=0,
                        model_labels=["none"], annotations=[_skip(204, 4)])  # fmt: skip
    studio = FakeStudio([*tasks, only_skipped])
    ran = export_cli(studio, tmp_path / "c", monkeypatch)
    assert ran.exit_code == 0, ran.stderr
    notes = [line for line in ran.stderr.splitlines() if line.startswith("note:")]
    assert (
        "note: 1 passage(s) were skipped by reviewers and answered by nobody: not in the corpus "
        "(manifest.json passages_skipped_without_answer; each row's skipped_by names who "
        "skipped it)"
    ) in notes, ran.stderr
    assert sum("have no document_sha256" in n for n in notes) == 1, ran.stderr
    assert "note: 4 of 5 passage(s) have no document_sha256" in ran.stderr
