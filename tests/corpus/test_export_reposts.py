"""Export shows what push left out as re-posts (the holding task's meta
``annotate_reposts``): the manifest maps each re-posted passage id to the passage and task
whose text it repeats (the 100 cap said), the report says it in a line and the CLI in a
note; no row is written for a re-post. And the manifest names a review set's passages
with more answers than K (ids and count). Fakes here; the real Label Studio:
tests/integration/test_push_reposts.py."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from annotate.corpus.export import export
from annotate.review.queues import K_PREFIX
from annotate.studio.reposts import MAX_RECORDED
from tests.audit.fakes import MUSEUM, FakeStudio, reviewed_tasks, task
from tests.test_cli import run
from tests.test_export_pseudonymous_projects import ReviewSetStudio


def _reposts(*pids: str) -> dict[str, Any]:
    return {"annotate_reposts": [{"passage_id": p, "doc_id": f"thread-{p}"} for p in pids]}


def _ids(out: Path) -> set[str]:
    return {
        json.loads(line)["id"]
        for f in (out / "jsonl").glob("*.jsonl")
        for line in f.read_text().splitlines()
    }


def test_the_manifest_maps_each_repost_to_the_passage_it_repeats(tmp_path: Path) -> None:
    tasks = reviewed_tasks()
    threat = next(t for t in tasks if t["data"]["passage_id"] == "doc-a-p1")
    threat["meta"] = _reposts("r-1", "r-2", "kept")
    # a text spammed: its (unanswered) task lists the most a push records
    spam = task(30, "doc-d-p0", MUSEUM, doc="doc-d", index=0, model_labels=[], annotations=[])
    spam["meta"] = _reposts(*(f"s-{i:03}" for i in range(MAX_RECORDED)))
    # 'kept' was left out once, then pushed with --keep-reposts: a passage of its own
    kept = task(31, "kept", MUSEUM, doc="thread-kept", index=0, model_labels=[], annotations=[])
    out = tmp_path / "c"
    export("p", out, client=FakeStudio([*tasks, spam, kept]), salt="s")  # type: ignore[arg-type]

    reposts = json.loads((out / "manifest.json").read_text())["reposts"]
    assert reposts["passages"] == 2 + MAX_RECORDED
    where = {"ls_project_id": 7, "ls_task_id": threat["id"]}
    assert reposts["by_passage"]["r-1"] == {
        "repost_of": "doc-a-p1",
        "doc_id": "thread-r-1",
        **where,
        "holder": "in_corpus",
    }
    assert reposts["by_passage"]["s-000"]["holder"] == "not_in_corpus"
    assert "kept" not in reposts["by_passage"] and reposts["pushed_later"] == 1
    assert (reposts["texts"], reposts["texts_in_corpus"]) == (2, 1)
    assert reposts["tasks_at_cap"] == [
        {"ls_project_id": 7, "ls_task_id": 30, "repost_of": "doc-d-p0"}
    ]
    assert reposts["max_listed_per_task"] == MAX_RECORDED
    assert not {"r-1", "r-2", "s-000"} & _ids(out)  # the corpus has each text once

    report = " ".join((out / "report" / "report.md").read_text().split())
    assert (
        f"Re-posts left out by push: {2 + MAX_RECORDED} ingested passage(s) have no row" in report
    )
    assert "They repeat 2 passage(s), 1 of which are in the corpus (the rest gold" in report
    assert "(e.g. `r-1` of `doc-a-p1`, `r-2` of `doc-a-p1`, `s-000` of `doc-d-p0`" in report
    assert f"1 task(s) hold the most a task lists ({MAX_RECORDED})" in report
    assert "1 recorded re-post(s) were pushed later (`--keep-reposts`)" in report
    report_json = json.loads((out / "report" / "report.json").read_text())
    assert report_json["reposts"]["passages"] == 2 + MAX_RECORDED


class KStudio(ReviewSetStudio):
    """The review set of ReviewSetStudio, its queues recording K = 2; every queue holds
    the threat passage (3 answers: one more than K) and its re-post record."""

    def __init__(self) -> None:
        super().__init__()
        for p in self.projects.values():
            p["description"] += f"\n{K_PREFIX}2"
        threat = next(t for t in self.tasks if t["data"]["passage_id"] == "doc-a-p1")
        threat["meta"] = _reposts("r-1")


def test_a_review_set_records_passages_over_k_and_reposts_once(tmp_path: Path) -> None:
    out = tmp_path / "c"
    export("Week 49", out, client=KStudio(), salt="s")  # type: ignore[arg-type]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["passages_over_reviewers_per_task"] == {
        "reviewers_per_task": 2,
        "passages": 1,
        "passage_ids": ["doc-a-p1"],
    }
    # recorded on the task in each queue: mapped once, to the first queue's task
    assert manifest["reposts"]["passages"] == 1
    assert manifest["reposts"]["by_passage"]["r-1"]["ls_project_id"] == 21
    report = " ".join((out / "report" / "report.md").read_text().split())
    assert "1 passage(s) have more than 2 answers" in report
    assert "(`doc-a-p1`; `manifest.json` `passages_over_reviewers_per_task`)." in report


def test_export_prints_a_note_on_the_reposts_left_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import annotate.corpus.export as export_lib
    from annotate.corpus.export import ExportResult

    reposts = {
        "passages": 3,
        "texts": 2,
        "texts_in_corpus": 1,
        "max_listed_per_task": MAX_RECORDED,
        "tasks_at_cap": [{"ls_project_id": 7, "ls_task_id": 4, "repost_of": "a"}],
    }

    def fake_export(project: str, target: Path, **_: object) -> ExportResult:
        splits = {"train": 9, "validation": 0, "test": 0}
        return ExportResult(Path(target), 9, splits, 9, 1, 0, manifest={"reposts": reposts})

    monkeypatch.setattr(export_lib, "export", fake_export)
    done = run("export", "--project", "B", "--out", str(tmp_path / "corpus"))
    assert done.returncode == 0, done.stderr
    err = " ".join(done.stderr.split())
    assert (
        "note: 3 ingested passage(s) have no row: push left them out as re-posts (the exact "
        "text of another passage already pushed, 2 text(s) in all; 1 of those passages are "
        "in the corpus, the rest gold or not answered yet); manifest.json reposts.by_passage "
        "maps each to the passage it repeats; 1 task(s) hold the most a task lists (100)"
    ) in err, err
    reposts.update(passages=0, texts=0, texts_in_corpus=0, tasks_at_cap=[])
    done = run("export", "--project", "B", "--out", str(tmp_path / "corpus"))
    assert "re-post" not in done.stderr
