"""Pushes at the same time, import answers checked, several projects of one title, and
passages in several tasks at export: against a real Label Studio (item 3 of issue 12)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from annotate.corpus.export import export
from annotate.errors import StudioError
from annotate.review.view import QUEUE_TAB
from annotate.studio.client import ImportAnswer, StudioClient
from annotate.studio.connection import Connection
from annotate.studio.push import ensure_project, push

from .helpers import PRELABELS, TAX, choices, tasks_by_passage

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]


def many_prelabels(path: Path, copies: int) -> list[str]:
    """The fixture rows ``copies`` times under new passage ids; returns the ids."""
    rows = [json.loads(line) for line in PRELABELS.read_text().splitlines() if line.strip()]
    out = [{**r, "id": f"{r['id']}-{k}"} for k in range(copies) for r in rows]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in out))
    return [r["id"] for r in out]


@pytest.fixture()
def titles(client: StudioClient) -> Iterator[list[str]]:
    """Fresh project titles; every project of these titles is deleted afterwards."""
    made: list[str] = []
    yield made
    for title in made:
        for proj in client.find_projects(title):
            client.delete_project(int(proj["id"]))


def run_push(
    studio: Connection, prelabels: Path, project: str, lock_dir: Path
) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "LABEL_STUDIO_URL": studio.url,
        "LABEL_STUDIO_API_KEY": studio.api_key,
        "ANNOTATE_LOCK_DIR": str(lock_dir),
        "PYTHONPATH": str(ROOT),
    }
    cmd = [sys.executable, "-m", "annotate", "push", str(prelabels), "--project", project]
    cmd += ["--batch-size", "3", "--quiet"]
    return subprocess.Popen(cmd, env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def assert_each_passage_once_with_its_prediction(
    client: StudioClient, project: str, ids: list[str]
) -> None:
    proj = client.require_project(project)  # raises if the title names several projects
    tasks = tasks_by_passage(client, int(proj["id"]))  # asserts no passage twice
    assert sorted(tasks) == sorted(ids)
    versions = client.prediction_versions(int(proj["id"]))
    without = [
        pid for pid, t in tasks.items() if "fixture-model-1" not in versions.get(t["id"], set())
    ]
    assert without == []


@pytest.mark.parametrize(
    "case",
    [
        "same project, same machine (lock)",
        "same project, two machines (no shared lock)",
        "two projects at once",
    ],
)
def test_two_pushes_at_once(
    case: str,
    studio: Connection,
    client: StudioClient,
    titles: list[str],
    tmp_path: Path,
) -> None:
    prelabels = tmp_path / "prelabels.jsonl"
    ids = many_prelabels(prelabels, 8)  # 48 passages, 16 batches per run
    first = f"test-{uuid.uuid4()}"
    second = first if case.startswith("same project") else f"test-{uuid.uuid4()}"
    titles += [first, second]
    lock_a = tmp_path / "locks-a"
    lock_b = lock_a if "same machine" in case else tmp_path / "locks-b"
    procs = [
        run_push(studio, prelabels, first, lock_a),
        run_push(studio, prelabels, second, lock_b),
    ]
    outs = [p.communicate(timeout=300) for p in procs]
    for proc, (out, err) in zip(procs, outs, strict=True):
        # two machines: a push that saw the other's copies (left for it to remove) says
        # so and exits 1 (faults49 F7): the user is to check they went
        left = "more than once, as copies another push made" in " ".join(err.split())
        assert proc.returncode == (1 if left else 0), out + err
        assert not left or "two machines" in case, err
        assert "Traceback" not in err
    for title in {first, second}:
        assert_each_passage_once_with_its_prediction(client, title, ids)
        # the fix it gives: the same push again, once the other ended, exits 0
        again = run_push(studio, prelabels, title, lock_a)
        out, err = again.communicate(timeout=300)
        assert again.returncode == 0 and "more than once" not in err, out + err
    created = sum(int(re.search(r"(\d+) created,", err).group(1)) for _, err in outs)  # type: ignore[union-attr]
    assert created == len(ids) * len({first, second})


def test_projects_made_at_the_same_moment_end_one_per_title_with_its_tab(
    studio: Connection, titles: list[str]
) -> None:
    """Label Studio on SQLite repeats a project creation that found its database locked
    (DatabaseIsLockedRetryMiddleware), after the first run stored the project: creations
    at the same moment make two projects of a title (CI 52c: ids 4 and 6; here, before the
    fix, this test failed 3 runs of 3), and the push then took the empty first one,
    without its Data Manager tab. Each title must end as one project, the one
    ensure_project returned, with its tab. CI 53b: one request run three times (ids 29,
    32, 34): only ours (34) was deleted and 32 stayed; every empty copy is deleted now."""
    rounds, at_once = 8, 3
    config = TAX.render_label_config()
    for _ in range(rounds):
        batch = [f"test-{uuid.uuid4()}" for _ in range(at_once)]
        titles += batch
        start = threading.Barrier(at_once)
        used: dict[str, Any] = {}

        def make(title: str, start: threading.Barrier, used: dict[str, Any]) -> None:
            own = StudioClient(studio, keep_users=False)
            start.wait()
            try:
                used[title] = int(ensure_project(own, title, config, TAX, "m1")[0]["id"])
            except Exception as exc:  # reported by the assert below
                used[title] = repr(exc)

        threads = [threading.Thread(target=make, args=(t, start, used)) for t in batch]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        reader = StudioClient(studio, keep_users=False)
        for title in batch:
            ids = [int(p["id"]) for p in reader.find_projects(title)]
            assert ids == [used[title]], (title, ids, used[title])
            tabs = [v["data"]["title"] for v in reader.list_views(ids[0])]
            assert tabs == [QUEUE_TAB], tabs


class DroppingPredictions(StudioClient):
    """The real server, but the answer of some imports lost predictions (as observed)."""

    def import_tasks(self, project_id: int, tasks: Any) -> ImportAnswer:
        tasks = [json.loads(t) if isinstance(t, str) else t for t in tasks]  # push sends JSON
        bare = [{**t, "predictions": []} if i % 2 == 0 else t for i, t in enumerate(tasks)]
        return super().import_tasks(project_id, bare)


class DroppingPredictionsSilently(DroppingPredictions):
    """As above, but the answer claims every prediction was created: only the project's
    own counts after the import show the loss."""

    def import_tasks(self, project_id: int, tasks: Any) -> ImportAnswer:
        answer = super().import_tasks(project_id, tasks)
        return ImportAnswer(answer.task_ids, answer.task_count, len(tasks))


class DroppingEverything(DroppingPredictions):
    def import_predictions(self, project_id: int, predictions: Any) -> int:
        return 0


@pytest.mark.parametrize("answer", ["says so", "silent"])
def test_predictions_the_server_did_not_create_are_sent_again(
    answer: str, studio: Connection, project_name: str, tmp_path: Path
) -> None:
    client = (DroppingPredictions if answer == "says so" else DroppingPredictionsSilently)(studio)
    prelabels = tmp_path / "p.jsonl"
    ids = many_prelabels(prelabels, 2)
    result = push(prelabels, project_name, client=client, batch_size=5)
    # batches of 5, 5, 2: rows 0, 2, 4 of each lost their prediction -> 3 + 3 + 1
    assert (result.created, result.failed, result.predictions_repaired) == (12, 0, 7)
    assert_each_passage_once_with_its_prediction(client, project_name, ids)


def test_predictions_that_cannot_be_repaired_are_reported(
    studio: Connection, project_name: str, tmp_path: Path
) -> None:
    client = DroppingEverything(studio)
    result = push(PRELABELS, project_name, client=client)
    assert result.failed == 3
    assert all("has no prediction of model 'fixture-model-1'" in e for e in result.errors)
    named = sorted(e.split("'")[1] for e in result.errors)
    project = client.require_project(project_name)
    versions = client.prediction_versions(int(project["id"]))
    tasks = tasks_by_passage(client, int(project["id"]))
    assert named == sorted(p for p, t in tasks.items() if not versions.get(t["id"]))


class RefusingText(StudioClient):
    """Sends the passages named in ``bad`` without their text: the server refuses (400)."""

    bad: tuple[str, ...] = ()

    def import_tasks(self, project_id: int, tasks: Any) -> ImportAnswer:
        sent = []
        for t in tasks:
            t = json.loads(t) if isinstance(t, str) else t  # push sends JSON
            if t["data"]["passage_id"] in self.bad:
                t = {**t, "data": {k: v for k, v in t["data"].items() if k != "text"}}
            sent.append(t)
        return super().import_tasks(project_id, sent)


@pytest.mark.parametrize("bad", [("doc-b-p0",), ("doc-a-p0", "doc-c-p1")])
def test_a_refused_batch_is_split_so_only_bad_rows_fail(
    bad: tuple[str, ...], studio: Connection, project_name: str
) -> None:
    client = RefusingText(studio)
    client.bad = bad
    result = push(PRELABELS, project_name, client=client, batch_size=6)
    assert (result.created, result.failed) == (6 - len(bad), len(bad))
    assert sorted(e.split("'")[1] for e in result.errors) == sorted(bad)
    tasks = tasks_by_passage(client, result.project_id)
    assert set(tasks) == {f"doc-{d}-p{i}" for d in "abc" for i in (0, 1)} - set(bad)


@pytest.mark.parametrize("command", ["push", "export"])
def test_a_title_of_several_projects_is_an_error_naming_them(
    command: str, client: StudioClient, titles: list[str], tmp_path: Path
) -> None:
    title = f"test-{uuid.uuid4()}"
    titles.append(title)
    ids = [int(client.create_project(title, TAX.render_label_config())["id"]) for _ in range(2)]
    with pytest.raises(StudioError) as err:
        if command == "push":
            push(PRELABELS, title, client=client)
        else:
            export(title, tmp_path / "out", client=client, salt="s")
    assert f"ids {ids[0]}, {ids[1]}" in str(err.value)
    assert not (tmp_path / "out").exists()
    assert [list(client.iter_tasks(i)) for i in ids] == [[], []]  # nothing was sent


@pytest.mark.parametrize("copies", [2, 3])
def test_export_writes_a_passage_in_several_tasks_once(
    copies: int, client: StudioClient, project_name: str, tmp_path: Path
) -> None:
    pushed = push(PRELABELS, project_name, client=client)
    tasks = tasks_by_passage(client, pushed.project_id)
    original = tasks["doc-b-p0"]
    full = client.sdk.tasks.get(str(original["id"]))
    # an older tool (or a push elsewhere) imported the passage again
    extra = client.import_tasks(pushed.project_id, [{"data": dict(full.data)}] * (copies - 1))
    admin = int(client.whoami()["id"])
    verdicts = ["none", "news_reporting", "none"]
    for task_id, verdict in zip([original["id"], *extra.task_ids], verdicts, strict=False):
        client.sdk.annotations.create(
            id=task_id, result=[choices("category", [verdict])], completed_by=admin
        )
    result = export(project_name, tmp_path / "out", client=client, salt="s")
    rows = [
        json.loads(line)
        for split in ("train", "validation", "test")
        for line in (tmp_path / "out" / "jsonl" / f"{split}.jsonl").read_text().splitlines()
    ]
    assert Counter(r["id"] for r in rows) == Counter({"doc-b-p0": 1})
    assert result.rows == 1
    row = rows[0]
    assert row["ls_task_id"] == original["id"]
    # the same reviewer in several tasks: their latest answer is their vote
    assert len(row["annotations"]) == 1
    assert row["labels"] == [verdicts[copies - 1]]
