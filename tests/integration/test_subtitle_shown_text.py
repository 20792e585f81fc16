"""A subtitle cue against the real Label Studio: reviewers are shown it without its
markup (annotate.studio.shown_text), the model's span is on the text shown, a reviewer's
span drawn on it is exported on the passage's and the document's characters, and a
second push of the same file finds the task it made (its passage text as ingested); so
for a WebVTT file saved as .txt (told by its content, recorded in its passages' meta)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.corpus.export import export
from annotate.studio.client import StudioClient
from annotate.studio.push import push
from annotate.studio.shown_text import SOURCE_TEXT_FIELD
from tests.studio.test_shown_text import SHOWN, VTT, cue_rows

from .helpers import choices, span, tasks_by_passage

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("file_name", ["call.vtt", "call.txt"])
def test_a_cue_is_shown_clean_and_its_spans_export_on_the_files_characters(
    client: StudioClient, project_name: str, tmp_path: Path, file_name: str
) -> None:
    rows = cue_rows(tmp_path, file_name)
    path = tmp_path / "prelabels.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    pushed = push(path, project_name, client=client)
    assert pushed.failed == 0 and pushed.created == len(rows)
    # the file's text, markup and all, is out of the grid as the text is (a graphic
    # passage's words); a project's tab made before source_text existed gets it hidden
    (tab,) = client.list_views(pushed.project_id)
    assert f"tasks:data.{SOURCE_TEXT_FIELD}" in tab["data"]["hiddenColumns"]["explore"]
    old = {
        k: [c for c in v if SOURCE_TEXT_FIELD not in c]
        for k, v in tab["data"]["hiddenColumns"].items()
    }
    client.update_view(int(tab["id"]), pushed.project_id, {**tab["data"], "hiddenColumns": old})
    again = push(path, project_name, client=client)  # the task it made is found
    assert (again.created, again.other_text) == (0, 0)
    (tab,) = client.list_views(pushed.project_id)
    for mode in ("explore", "labeling"):
        assert f"tasks:data.{SOURCE_TEXT_FIELD}" in tab["data"]["hiddenColumns"][mode]

    first = rows[0]
    raw, shown = SHOWN[0]
    task_id = tasks_by_passage(client, pushed.project_id)[first["id"]]["id"]
    task = client.sdk.tasks.get(str(task_id))
    assert task.data["text"] == shown  # what the labeling view shows: "Bob: I will find you"
    assert task.data[SOURCE_TEXT_FIELD] == raw
    value = next(r["value"] for r in task.predictions[0].result if r["from_name"] == "evidence")
    assert shown[value["start"] : value["end"]] == "find you"

    admin = int(client.whoami()["id"])
    client.sdk.annotations.create(
        id=task_id,
        result=[choices("category", ["violent_threat"]), span(shown, "I will find", "threat")],
        completed_by=admin,
    )
    export(project_name, tmp_path / "out", client=client, salt="s")
    exported = {
        r["id"]: r
        for split in ("train", "validation", "test")
        for line in (tmp_path / "out" / "jsonl" / f"{split}.jsonl").read_text().splitlines()
        for r in [json.loads(line)]
    }
    row = exported[first["id"]]
    assert (row["text"], row["shown_text"]) == (raw, shown)
    start = raw.index("I will")  # after "<v Bob><i>"; "</i>" inside the span
    end = raw.index(" you")
    assert row["spans"] == [
        {"start": start, "end": end, "label": "threat", "text": "I will</i> find"}
    ]
    assert VTT[row["start"] + start : row["start"] + end] == "I will</i> find"
    model = raw.index("find you")
    assert [(s["start"], s["end"]) for s in row["model_spans"]] == [(model, model + 8)]
