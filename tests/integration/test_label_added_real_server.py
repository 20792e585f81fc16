"""A category added to labels.yaml in the middle of a review, on a real Label Studio:
the push keeps in the project's labeling config when the old labels.yaml version ended
(XML comments the server stores as given), and the export stamps the answer made before
the push with the old version and the one made after with the new. The fake-server
tests of the same flow are tests/test_taxonomy_label_added.py."""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from annotate.corpus.export import export
from annotate.review.recent import recent_answers
from annotate.settings import resource
from annotate.studio.client import StudioClient
from annotate.studio.label_config import taxonomy_history
from annotate.studio.push import push
from annotate.taxonomy import load_taxonomy

from .helpers import PRELABELS, choices, give_answer, new_reviewer, tasks_by_passage

pytestmark = pytest.mark.integration


def _with_harassment(tmp_path: Path) -> Path:
    text = resource("labels.yaml").read_text(encoding="utf-8")
    added = text.replace(
        "\nspans:",  # at the end of the categories: no category's id moves
        "\n  - name: harassment\n    group: harmful\n    title: Harassment\n"
        "    definition: Targeted abuse.\n\nspans:",
        1,
    ).replace("version: 1.0.0", "version: 1.1.0", 1)
    assert "harassment" in added and "version: 1.1.0" in added
    path = tmp_path / "labels-1.1.yaml"
    path.write_text(added, encoding="utf-8")
    return path


def _scoring_harassment(tmp_path: Path) -> Path:
    """The fixture pre-labels as a model trained with the new labels.yaml writes them
    (a score for the new category; the old labels.yaml's pre-labels lack it)."""
    rows = [json.loads(line) for line in PRELABELS.read_text(encoding="utf-8").splitlines()]
    for row in rows:
        row["scores"]["harassment"] = 0.01
    path = tmp_path / "prelabels-1.1.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_answers_before_and_after_an_added_category_keep_their_versions(
    client: StudioClient, project_name: str, tmp_path: Path
) -> None:
    since = datetime.now(timezone.utc) - timedelta(minutes=1)
    first = push(PRELABELS, project_name, client=client)
    me = int(client.whoami()["id"])
    tasks = tasks_by_passage(client, first.project_id)
    client.sdk.annotations.create(
        id=tasks["doc-a-p1"]["id"],
        result=[choices("category", ["violent_threat"])],
        completed_by=me,
    )
    time.sleep(1.5)  # the history's cut-off is a time: the answers must fall either side
    new_tax = load_taxonomy(_with_harassment(tmp_path))
    push(_scoring_harassment(tmp_path), project_name, client=client, taxonomy=new_tax)
    config = client.get_project(first.project_id)["label_config"]
    assert "harassment" in config
    (entry,) = taxonomy_history(config)  # the server kept the history comment
    assert (entry.version, entry.next_version) == ("1.0.0", "1.1.0")
    assert entry.added == ("category:harassment",)
    time.sleep(1.5)
    client.sdk.annotations.create(
        id=tasks["doc-b-p0"]["id"], result=[choices("category", ["harassment"])], completed_by=me
    )
    result = export(project_name, tmp_path / "out", taxonomy=new_tax, client=client, salt="s")
    assert result.rows == 2
    rows = {
        r["id"]: r
        for split in ("train", "validation", "test")
        for line in (tmp_path / "out" / "jsonl" / f"{split}.jsonl").read_text().splitlines()
        for r in [json.loads(line)]
    }
    assert rows["doc-a-p1"]["annotations"][0]["taxonomy_version"] == "1.0.0"
    assert rows["doc-b-p0"]["annotations"][0]["taxonomy_version"] == "1.1.0"
    assert rows["doc-b-p0"]["labels"] == ["harassment"]
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["taxonomy_versions_of_answers"] == {"1.0.0": 1, "1.1.0": 1}
    # `review status` reads the recent answers the same way (it stamped them all with the
    # version the project was created with)
    recent = recent_answers(client, project_name, new_tax, salt="s", since=since)
    stamped = {r["id"]: r["annotations"][0]["taxonomy_version"] for r in recent.rows}
    assert stamped == {"doc-a-p1": "1.0.0", "doc-b-p0": "1.1.0"}


def test_answers_not_offered_the_added_category_do_not_vote_on_it(
    client: StudioClient, project_name: str, tmp_path: Path
) -> None:
    """Two reviewers answer under 1.0.0 (harassment not offered), a third under 1.1.0
    chooses it: the exported label has harassment (before: outvoted 1 of 3 by the
    forced no's), and agreement with consensus agrees with the third."""
    first = push(PRELABELS, project_name, client=client)
    tasks = tasks_by_passage(client, first.project_id)
    task = tasks["doc-a-p1"]["id"]
    early = [new_reviewer(client), new_reviewer(client)]
    for user in early:
        give_answer(client, task, user, ["violent_threat"], "high")
    time.sleep(1.5)  # the history's cut-off is a time: the answers must fall either side
    new_tax = load_taxonomy(_with_harassment(tmp_path))
    push(_scoring_harassment(tmp_path), project_name, client=client, taxonomy=new_tax)
    time.sleep(1.5)
    give_answer(client, task, new_reviewer(client), ["violent_threat", "harassment"], "high")
    out = tmp_path / "out"
    export(project_name, out, taxonomy=new_tax, client=client, salt="s")
    (row,) = [
        r
        for split in ("train", "validation", "test")
        for line in (out / "jsonl" / f"{split}.jsonl").read_text().splitlines()
        for r in [json.loads(line)]
        if r["id"] == "doc-a-p1"
    ]
    versions = sorted(a["taxonomy_version"] for a in row["annotations"])
    assert versions == ["1.0.0", "1.0.0", "1.1.0"]
    assert row["labels"] == ["violent_threat", "harassment"]
    assert row["resolution"] == "unanimous" and not row["label_tie"]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["labels_not_offered"] == {"1.0.0": ["harassment"]}
    assert manifest["labels_not_offered_vote"] == "left out"
    third = next(a["reviewer"] for a in row["annotations"] if a["taxonomy_version"] == "1.1.0")
    consensus = json.loads((out / "agreement.json").read_text())["reviewer_vs_consensus"]
    assert consensus[third]["categories"]["harassment"] == 1.0
