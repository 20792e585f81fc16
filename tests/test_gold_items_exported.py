"""agreement.json gave each reviewer's gold accuracy but not the gold passages nor the
answers to them: an auditor could neither tell which passages were gold nor recompute a
reviewer's accuracy (nor see which gold passage a flagged reviewer missed) from the
export. `gold.items` lists them."""

from __future__ import annotations

import json
from pathlib import Path

from annotate.corpus.export import export
from annotate.review.gold import GOLD_META_KEY
from tests.audit.fakes import FakeStudio, reviewed_tasks


def test_agreement_json_lists_each_gold_passage_with_its_answers(tmp_path: Path) -> None:
    tasks = reviewed_tasks()
    tasks[0]["meta"] = {GOLD_META_KEY: {"labels": ["none"], "severity": "none"}}
    tasks[2]["meta"] = {GOLD_META_KEY: {"labels": ["incitement"], "severity": "high"}}
    gold_ids = sorted(t["data"]["passage_id"] for t in (tasks[0], tasks[2]))
    out = tmp_path / "corpus"
    export("p", out, client=FakeStudio(tasks), salt="s", gold_min_accuracy=0.5)  # type: ignore[arg-type]
    gold = json.loads((out / "agreement.json").read_text())["gold"]
    items = gold["items"]
    assert [i["passage_id"] for i in items] == gold_ids
    assert all(i["answers"] for i in items)
    # the per-reviewer figures are recomputable from the items
    for name, figures in gold["reviewers"].items():
        mine = [a for i in items for a in i["answers"] if a["reviewer"] == name]
        assert len(mine) == figures["n_items"]
        assert round(sum(a["exact"] for a in mine) / len(mine), 4) == figures["exact"]
    for item in items:
        for a in item["answers"]:
            assert a["exact"] == (set(a["categories"]) == set(item["gold"]["labels"]))
            assert a["created_at"]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["review"]["gold_passages"] == len(items) == gold["n_gold"]


def test_each_gold_answer_names_its_label_studio_record(tmp_path: Path) -> None:
    """audit49 A14: gold answers carried reviewer and time but no Label Studio id, so an
    auditor could not find a gold judgement again on the server."""
    tasks = reviewed_tasks()
    tasks[2]["meta"] = {GOLD_META_KEY: {"labels": ["incitement"], "severity": "high"}}
    out = tmp_path / "corpus"
    export("p", out, client=FakeStudio(tasks), salt="s")  # type: ignore[arg-type]
    (item,) = json.loads((out / "agreement.json").read_text())["gold"]["items"]
    assert item["ls_tasks"] == [{"project_id": 7, "task_id": tasks[2]["id"]}]
    got = sorted(
        (a["ls_project_id"], a["ls_task_id"], a["ls_annotation_id"]) for a in item["answers"]
    )
    want = sorted((7, tasks[2]["id"], a["id"]) for a in tasks[2]["annotations"])
    assert got == want
