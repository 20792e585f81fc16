"""The manifest counts what its names say: Label Studio tasks with an answer (a passage
answered in two tasks, a gold copy and the lead's adjudication task are one task each),
passages, the reviewers' answers and, separately, the lead's adjudication answers."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from annotate.corpus.export import export
from annotate.review.gold import GOLD_META_KEY
from tests.audit.fakes import (
    MUSEUM,
    THREAT,
    StudioWithLead,
    annotation,
    lead_task,
    reviewed_tasks,
    task,
)
from tests.integration.helpers import choices


def tasks_with_a_duplicate_and_gold() -> list[dict[str, Any]]:
    tasks = reviewed_tasks()  # 5 tasks, 5 passages, 8 answers
    # the museum passage imported twice: its second task answered by a fourth reviewer
    tasks.append(
        task(
            16,
            "doc-b-p0",
            MUSEUM,
            doc="doc-b",
            index=0,
            model_labels=["none"],
            annotations=[
                annotation(109, 5, [choices("category", ["none"])], minute=9, lead_time=3.0)
            ],
        )
    )
    gold = copy.deepcopy(tasks[0])
    gold["id"] = 17
    gold["data"]["passage_id"] = "gold-1"
    gold["meta"] = {GOLD_META_KEY: {"labels": ["news_reporting"], "severity": ""}}
    gold["annotations"] = [
        annotation(110, 1, [choices("category", ["none"])], minute=10, lead_time=2.0)
    ]
    tasks.append(gold)
    return tasks


def test_tasks_passages_answers_and_the_leads_answers_are_counted_apart(tmp_path: Path) -> None:
    lead = [lead_task("doc-a-p1", THREAT, [choices("category", ["violent_threat"])])]
    studio = StudioWithLead(tasks_with_a_duplicate_and_gold(), lead)
    result = export("p", tmp_path / "c", client=studio, salt="s")  # type: ignore[arg-type]
    manifest = json.loads((tmp_path / "c" / "manifest.json").read_text())
    assert manifest["rows"]["total"] == 5 == manifest["passages_annotated_in_label_studio"]
    # 5 + the duplicate + the gold copy in `p`, + the lead's task in `p · adjudication`
    assert manifest["tasks_annotated_in_label_studio"] == 8
    assert manifest["tasks_annotated_by_project"] == {"p": 7, "p · adjudication": 1}
    assert manifest["annotations"] == 9 == result.annotations  # reviewers', gold left out
    assert manifest["adjudication_answers"] == 1
    assert manifest["gold_annotations"] == 1
    report = (tmp_path / "c" / "report" / "report.md").read_text()
    assert "In Label Studio: 8 tasks with an answer (5 passages" in report
    assert "1 adjudication answer(s) by the lead, 1 answer(s) on gold tasks" in report
    assert f"`{manifest['content_sha256']['sha256']}`" in report


def test_an_export_made_while_tasks_are_open_says_how_many_and_train_warns(
    tmp_path: Path, caplog: Any
) -> None:
    import logging

    from annotate.taxonomy import load_taxonomy
    from annotate.training.sources import read_export

    tasks = reviewed_tasks()
    # two pushed passages nobody has answered yet, one a reviewer skipped
    tasks.append(
        task(18, "doc-c-p0", MUSEUM, doc="doc-c", index=0, model_labels=["none"], annotations=[])
    )
    tasks.append(
        task(19, "doc-c-p1", THREAT, doc="doc-c", index=1, model_labels=["none"], annotations=[])
    )
    skipped = task(
        20, "doc-c-p2", MUSEUM, doc="doc-c", index=2, model_labels=["none"], annotations=[]
    )
    skipped["annotations"] = [
        {**annotation(111, 2, [], minute=11, lead_time=1.0), "was_cancelled": True}
    ]
    tasks.append(skipped)
    export("p", tmp_path / "c", client=StudioWithLead(tasks, []), salt="s")  # type: ignore[arg-type]
    manifest = json.loads((tmp_path / "c" / "manifest.json").read_text())
    assert manifest["tasks_unanswered_in_label_studio"] == 2  # the skipped one is not open
    assert manifest["rows"]["total"] == 5

    with caplog.at_level(logging.WARNING, logger="annotate"):
        read_export(tmp_path / "c", load_taxonomy())
    assert any("2 tasks in Label Studio had no answer yet" in r.message for r in caplog.records)
    # read by `annotate evaluate` too: it said only "the model learns from part of the review"
    assert "figures scored on it measure, part of the review" in caplog.text

    # every task answered: no open work, no warning
    caplog.clear()
    export("p", tmp_path / "d", client=StudioWithLead(reviewed_tasks(), []), salt="s")  # type: ignore[arg-type]
    assert (
        json.loads((tmp_path / "d" / "manifest.json").read_text())[
            "tasks_unanswered_in_label_studio"
        ]
        == 0
    )
    with caplog.at_level(logging.WARNING, logger="annotate"):
        read_export(tmp_path / "d", load_taxonomy())
    assert not any("no answer yet" in r.message for r in caplog.records)
