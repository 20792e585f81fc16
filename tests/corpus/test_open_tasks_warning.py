"""An export made while tasks are open says how many passages it lacks, not how many tasks
are open: a review set's open tasks include gold tasks (never in the corpus) and second
reviewers' copies of passages that are exported already (another reviewer answered them).
A lead told "20 task(s) ... their passages are not in this export" looked for 20 missing
passages where 6 were missing."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from annotate.cli.export import open_tasks_warning
from annotate.corpus.export import export
from annotate.review.gold import GOLD_META_KEY
from tests.audit.fakes import THREAT, StudioWithLead, reviewed_tasks, task


def test_open_tasks_are_told_apart_from_the_passages_missing_from_the_export(
    tmp_path: Path,
) -> None:
    tasks = reviewed_tasks()  # 5 answered tasks, 5 passages
    # a new passage in two reviewers' queues, nobody has answered it: 2 open tasks, 1 passage
    for task_id in (18, 19):
        tasks.append(
            task(task_id, "doc-d-p0", THREAT, doc="doc-d", index=0, model_labels=[], annotations=[])
        )
    # a second reviewer's copy of an exported passage, still open
    held = copy.deepcopy(tasks[0])
    held["id"], held["annotations"] = 20, []
    tasks.append(held)
    # an open gold task
    gold = copy.deepcopy(tasks[1])
    gold["id"], gold["annotations"] = 21, []
    gold["data"]["passage_id"] = "gold-1"
    gold["meta"] = {GOLD_META_KEY: {"labels": ["violent_threat"], "severity": ""}}
    tasks.append(gold)

    export("p", tmp_path / "c", client=StudioWithLead(tasks, []), salt="s")  # type: ignore[arg-type]
    manifest = json.loads((tmp_path / "c" / "manifest.json").read_text())
    assert manifest["rows"]["total"] == 5
    assert manifest["tasks_unanswered_in_label_studio"] == 4
    assert manifest["passages_unanswered_in_label_studio"] == 1
    assert manifest["tasks_unanswered_of_exported_passages"] == 1
    assert manifest["tasks_unanswered_gold"] == 1

    text = open_tasks_warning(manifest, 4)
    assert text.startswith("warning: 4 task(s) in Label Studio had neither an answer nor a skip")
    assert "1 passage(s) nobody has answered yet are not in this export" in text
    assert "1 open task(s) are of passages it holds" in text
    assert "1 open gold task(s)" in text

    # the auditor reads the report, not the terminal: it says so too
    report = " ".join((tmp_path / "c" / "report" / "report.md").read_text().split())
    assert "The review was still under way:** 4 task(s) had neither an answer nor a skip" in report
    assert "1 passage(s) nobody had answered yet, not in this corpus" in report
    assert "1 open task(s) of passages in this corpus" in report
    assert "1 open gold task(s)" in report


def test_a_finished_review_says_no_task_was_open(tmp_path: Path) -> None:
    export("p", tmp_path / "c", client=StudioWithLead(reviewed_tasks(), []), salt="s")  # type: ignore[arg-type]
    report = (tmp_path / "c" / "report" / "report.md").read_text()
    assert "No task was open when the export read Label Studio" in report
    assert "still under way" not in report


def test_an_older_manifest_keeps_the_old_warning() -> None:
    text = open_tasks_warning({"tasks_unanswered_in_label_studio": 3}, 3)
    assert "3 task(s) in Label Studio had neither an answer nor a skip: their passages" in text


def test_no_passage_missing_is_said_so() -> None:
    manifest = {
        "tasks_unanswered_in_label_studio": 3,
        "passages_unanswered_in_label_studio": 0,
        "tasks_unanswered_of_exported_passages": 2,
        "tasks_unanswered_gold": 1,
    }
    text = open_tasks_warning(manifest, 3)
    assert "0 passage(s)" not in text and "each of their passages is in this export" in text
    assert "2 open task(s) are of passages it holds" in text and "1 open gold task(s)" in text


def test_large_counts_are_written_with_thousands_separators() -> None:
    """A lead's export of a round 1,209 tasks long said "1202 task(s)" where `review
    status` said "1,202 open": the same count is written alike in both."""
    manifest = {
        "passages_unanswered_in_label_studio": 595,
        "tasks_unanswered_of_exported_passages": 1_000,
        "tasks_unanswered_gold": 1_005,
    }
    text = open_tasks_warning(manifest, 2_600)
    assert text.startswith("warning: 2,600 task(s) in Label Studio"), text
    assert "595 passage(s)" in text and "1,000 open task(s)" in text, text
    assert "1,005 open gold task(s)" in text, text
    from annotate.audit.report import _open_tasks_lines

    (line,) = _open_tasks_lines({**manifest, "tasks_unanswered_in_label_studio": 2_600})
    assert "under way:** 2,600 task(s)" in line and "1,000 open task(s)" in line, line
    assert "1,005 open gold" in line, line
