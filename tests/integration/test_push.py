"""Push against a real Label Studio: project, predictions, idempotency, resumption."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from annotate.studio.client import StudioClient
from annotate.studio.connection import Connection
from annotate.studio.push import push
from tests.conftest import project_taxonomy

from .helpers import PRELABELS, check_queue_order, passage_ids, tasks_by_passage

pytestmark = pytest.mark.integration
TAX = project_taxonomy()


def test_push_creates_the_project_from_labels_yaml_with_visible_predictions(
    client: StudioClient, project_name: str
) -> None:
    result = push(PRELABELS, project_name, client=client, batch_size=4)
    assert (result.created, result.skipped, result.failed, result.total) == (6, 0, 0, 6)
    assert result.project_created

    project = client.get_project(result.project_id)
    assert "".join(project["label_config"].split()) == "".join(TAX.render_label_config().split())
    assert project["model_version"] == "fixture-model-1"

    # every task carries one prediction of the project's model version, one result per control
    seen = 0
    for task in client.sdk.tasks.list(project=result.project_id, fields="all", page_size=100):
        seen += 1
        full = client.sdk.tasks.get(str(task.id))
        preds = full.predictions or []
        assert len(preds) == 1
        pred = preds[0]
        assert pred.model_version == project["model_version"]
        names = Counter(r["from_name"] for r in pred.result)
        # a severity only where no harmful label is predicted ("none"): the model suggests
        # none for a harmful passage (stop 48 F19)
        harmful = {"violent_threat", "incitement", "graphic_violence", "extremist_propaganda"}
        labels = set(full.data["model_labels"])
        assert names["category"] == 1 and names["severity"] == (0 if labels & harmful else 1)
        text = full.data["text"]
        for r in pred.result:
            if r["from_name"] == "evidence":
                v = r["value"]
                # Label Studio counts code points, like Python
                # (a passage hidden behind its content warning sends offsets only)
                assert text[v["start"] : v["end"]] == v.get("text", text[v["start"] : v["end"]])
        if seen >= 6:
            break
    assert seen == 6


def test_tasks_are_ordered_riskiest_and_least_certain_first(
    client: StudioClient, project_name: str
) -> None:
    result = push(PRELABELS, project_name, client=client)
    tasks = sorted(client.iter_tasks(result.project_id), key=lambda t: t["id"])
    priorities = [t["data"]["priority"] for t in tasks]
    assert priorities == sorted(priorities, reverse=True)
    assert tasks[0]["data"]["passage_id"] == "doc-a-p1"  # the credible threat


def test_the_queue_tab_and_the_label_stream_serve_riskiest_first(
    client: StudioClient, project_name: str, tmp_path: Path
) -> None:
    """Priorities at the edges of [0, 1]: see :func:`tests.integration.helpers.
    check_queue_order` (the PostgreSQL twin is in test_postgres.py)."""
    check_queue_order(client, project_name, tmp_path)


def test_emoji_span_offsets_are_code_points_on_the_server(
    client: StudioClient, project_name: str
) -> None:
    result = push(PRELABELS, project_name, client=client)
    tasks = tasks_by_passage(client, result.project_id)
    full = client.sdk.tasks.get(str(tasks["doc-a-p1"]["id"]))
    text = full.data["text"]
    evidence = next(r for r in full.predictions[0].result if r["from_name"] == "evidence")
    cp = text.index("nobody leaves alive")
    assert evidence["value"]["start"] == cp  # two emoji before it count one each


def test_repush_adds_nothing(client: StudioClient, project_name: str) -> None:
    first = push(PRELABELS, project_name, client=client)
    again = push(PRELABELS, project_name, client=client)
    assert (again.created, again.skipped, again.failed) == (0, 6, 0)
    assert not again.project_created and again.project_id == first.project_id
    assert sorted(passage_ids(client, first.project_id)) == sorted(
        tasks_by_passage(client, first.project_id)
    )
    assert len(passage_ids(client, first.project_id)) == 6


class Killed(Exception):
    pass


def test_a_push_killed_after_the_first_batch_resumes(
    client: StudioClient, project_name: str
) -> None:
    def die(number: int, ids: list[int]) -> None:
        if number == 1:
            raise Killed

    with pytest.raises(Killed):
        push(PRELABELS, project_name, client=client, batch_size=2, after_batch=die)
    project = client.require_project(project_name)
    assert len(passage_ids(client, int(project["id"]))) == 2

    resumed = push(PRELABELS, project_name, client=client, batch_size=2)
    assert (resumed.created, resumed.skipped, resumed.failed) == (4, 2, 0)
    ids = passage_ids(client, resumed.project_id)
    assert Counter(ids) == Counter({f"doc-{d}-p{i}": 1 for d in "abc" for i in (0, 1)})


def test_a_push_process_killed_midway_resumes(
    studio: Connection, client: StudioClient, project_name: str
) -> None:
    code = (
        "import time, sys\n"
        "from annotate.studio.push import push\n"
        "push(sys.argv[1], sys.argv[2], batch_size=1,\n"
        "     after_batch=lambda n, ids: time.sleep(0.4))\n"
    )
    env = {**os.environ, "LABEL_STUDIO_URL": studio.url, "LABEL_STUDIO_API_KEY": studio.api_key}
    proc = subprocess.Popen([sys.executable, "-c", code, str(PRELABELS), project_name], env=env)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            project = client.find_project(project_name)
            if project and len(passage_ids(client, int(project["id"]))) >= 2:
                break
            time.sleep(0.1)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    project = client.require_project(project_name)
    before = len(passage_ids(client, int(project["id"])))
    assert 2 <= before < 6

    resumed = push(PRELABELS, project_name, client=client)
    assert resumed.created == 6 - before and resumed.skipped == before
    assert Counter(passage_ids(client, resumed.project_id)) == Counter(
        {f"doc-{d}-p{i}": 1 for d in "abc" for i in (0, 1)}
    )


def test_repush_with_a_new_model_adds_its_predictions_once(
    client: StudioClient, project_name: str, tmp_path
) -> None:
    import json

    first = push(PRELABELS, project_name, client=client)
    newer = tmp_path / "newer.jsonl"
    rows = [json.loads(line) for line in PRELABELS.read_text().splitlines() if line.strip()]
    newer.write_text(
        "".join(json.dumps({**r, "model_version": "fixture-model-2"}) + "\n" for r in rows)
    )

    second = push(newer, project_name, client=client)
    assert (second.created, second.skipped, second.predictions_added) == (
        0,
        first.total,
        first.total,
    )
    assert client.get_project(first.project_id)["model_version"] == "fixture-model-2"
    versions = client.prediction_versions(first.project_id)
    assert len(versions) == first.total
    assert all(v == {"fixture-model-1", "fixture-model-2"} for v in versions.values())

    third = push(newer, project_name, client=client)
    assert (third.created, third.predictions_added) == (0, 0)
    assert len(passage_ids(client, first.project_id)) == first.total


FOREIGN_CONFIG = """<View>
  <Text name="review" value="$review"/>
  <Choices name="sentiment" toName="review">
    <Choice value="positive"/><Choice value="negative"/>
  </Choices>
</View>"""


def test_a_push_into_a_hand_made_project_with_tasks_changes_nothing(
    client: StudioClient, project_name: str
) -> None:
    """A project someone made by hand (its own labeling config and tasks) kept its tasks
    but lost its config, replaced by labels.yaml's, with only a log line; annotate's
    passages were added beside its tasks."""
    from annotate.errors import StudioError

    proj = client.create_project(project_name, FOREIGN_CONFIG)
    client.import_tasks(int(proj["id"]), [{"review": "Great film."}, {"review": "Dull."}])
    with pytest.raises(StudioError, match="was not made by annotate") as err:
        push(PRELABELS, project_name, client=client)
    assert "holds 2 task(s)" in str(err.value) and "--project" in (err.value.fix or "")
    after = client.get_project(int(proj["id"]))
    assert "".join(after["label_config"].split()) == "".join(FOREIGN_CONFIG.split())
    assert int(after["task_number"]) == 2


def test_an_empty_hand_made_project_is_taken_over(client: StudioClient, project_name: str) -> None:
    proj = client.create_project(project_name, FOREIGN_CONFIG)
    result = push(PRELABELS, project_name, client=client)
    assert result.project_id == int(proj["id"]) and result.created == 6
    after = client.get_project(int(proj["id"]))
    assert "".join(after["label_config"].split()) == "".join(TAX.render_label_config().split())
