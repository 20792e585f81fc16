"""An empty answer (no category, no span: Label Studio lets a reviewer submit one) first
in a passage's annotations must not break the export of the answers after it."""

from __future__ import annotations

import json

from annotate.corpus.export import export
from tests.audit.fakes import FakeStudio, annotation, reviewed_tasks
from tests.conftest import project_taxonomy


def test_an_empty_first_answer_keeps_the_later_answers_labels(tmp_path):
    tasks = reviewed_tasks()
    first = tasks[0]
    later = first["annotations"][0]
    first["annotations"] = [
        annotation(900, 9, [], minute=0, lead_time=3.0),  # submitted with nothing chosen
        {**later, "result": [*later["result"]]},
    ]
    assert any(r["from_name"] == "category" for r in later["result"])
    out = tmp_path / "corpus"
    export("p", out, client=FakeStudio(tasks), salt="s")  # type: ignore[arg-type]
    rows = [
        json.loads(line)
        for split in ("train", "validation", "test")
        for line in (out / "jsonl" / f"{split}.jsonl").read_text().splitlines()
    ]
    row = next(r for r in rows if r["ls_task_id"] == first["id"])
    answers = sorted(row["annotations"], key=lambda a: len(a["categories"]))
    assert answers[0]["categories"] == [] and answers[0]["spans"] == []
    assert answers[1]["categories"] == ["news_reporting"]
    assert [s["label"] for s in answers[1]["spans"]] == ["quoted_propaganda"]
    from datasets import load_from_disk

    hf = load_from_disk(str(out / "hf"))
    names = project_taxonomy().category_names  # ClassLabel ids are their positions
    hf_rows = [r for s in hf for r in hf[s] if r["ls_task_id"] == first["id"]]
    cats = sorted(([names[i] for i in a["categories"]] for a in hf_rows[0]["annotations"]), key=len)
    assert cats == [[], ["news_reporting"]]
