"""A push beyond --max-tasks-per-project fills numbered projects `NAME #1`, `NAME #2`, ...;
export, agreement and adjudicate read them as one (issue 11, item 2), on a real server."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from annotate.corpus.export import export
from annotate.errors import StudioError
from annotate.review.adjudication import adjudicate
from annotate.review.collect import collect
from annotate.studio.client import StudioClient
from annotate.studio.projects import project_set
from annotate.studio.push import push
from tests.conftest import project_taxonomy

from .helpers import PRELABELS, SALT, answer_of, choices, new_reviewer, tasks_by_passage

pytestmark = pytest.mark.integration
TAX = project_taxonomy()
IDS = sorted(json.loads(line)["id"] for line in PRELABELS.read_text().splitlines() if line.strip())


@pytest.fixture()
def name(client: StudioClient) -> Iterator[str]:
    """A fresh name; every project of it (numbered, adjudication) is deleted afterwards."""
    title = f"num-{uuid.uuid4().hex[:10]}"
    yield title
    for proj in client.list_projects():
        if str(proj["title"]).startswith(title):
            client.delete_project(int(proj["id"]))


def _answer(client: StudioClient, task_id: int, user: int, label: str) -> None:
    result: list[dict[str, Any]] = [
        choices(TAX.interface.categories, [label]),
        choices(TAX.interface.severity, [TAX.severity_names[0]]),
    ]
    answer_of(client, task_id, user, result)


def test_a_push_split_over_numbered_projects_exports_as_one_corpus(
    client: StudioClient, name: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    result = push(PRELABELS, name, client=client, batch_size=3, max_tasks_per_project=4)
    assert (result.created, result.failed, result.total) == (6, 0, 6)
    assert result.projects_created == [f"{name} #1", f"{name} #2"]
    # what `push` names in "projects 'NAME #1', 'NAME #2' created" (no plain NAME)
    assert list(result.projects) == [f"{name} #1", f"{name} #2"]
    members = project_set(client, name)
    assert members.kind == "numbered"
    assert list(members.titles) == [f"{name} #1", f"{name} #2"]
    per_project = {t: tasks_by_passage(client, i) for t, i in members.titles.items()}
    assert [len(v) for v in per_project.values()] == [4, 2]
    assert sorted(p for tasks in per_project.values() for p in tasks) == IDS

    # a re-run adds nothing; a smaller limit never moves tasks, it only opens new projects
    again = push(PRELABELS, name, client=client, max_tasks_per_project=4)
    assert (again.created, again.skipped, again.failed) == (0, 6, 0)
    assert again.projects_created == [] and not again.project_created
    assert list(project_set(client, name).titles) == [f"{name} #1", f"{name} #2"]

    # two reviewers answer every passage; they disagree on one of each project
    admin = int(client.whoami()["id"])
    user = new_reviewer(client)
    none, harmful = TAX.none_label, TAX.harmful[0]
    disputed = set()
    for tasks in per_project.values():
        for k, (pid, task) in enumerate(sorted(tasks.items())):
            _answer(client, int(task["id"]), admin, none)
            _answer(client, int(task["id"]), user, harmful if k == 0 else none)
            if k == 0:
                disputed.add(pid)

    out = tmp_path / "corpus"
    export(name, out, client=client, salt=SALT, taxonomy=TAX)
    rows = [
        json.loads(x)
        for f in sorted((out / "jsonl").glob("*.jsonl"))
        for x in f.read_text().splitlines()
    ]
    assert sorted(r["id"] for r in rows) == IDS  # every passage exactly once
    assert all(r["n_reviewers"] == 2 for r in rows)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["label_studio_projects"] == members.titles
    assert manifest["rows"]["total"] == 6
    assert manifest["near_duplicates"]["cross_split_groups"] == {}

    collected = collect(client, name, TAX, salt=SALT)
    assert sorted(r["id"] for r in collected.rows) == IDS and not collected.review_set

    # one part alone (a title copied from the project list): read, with a warning naming
    # the whole set and the --project that reads it (passA50 P5)
    with caplog.at_level("WARNING", logger="annotate.review.collect"):
        part = collect(client, f"{name} #1", TAX, salt=SALT)
    assert len(part.rows) == 4
    said = " ".join(caplog.text.split())
    assert (
        f"'{name} #1' is one of the 2 numbered projects of '{name}' ({name} #1 and {name} #2, "
        "6 tasks): only its own tasks are read"
    ) in said, said
    assert f"--project '{name}' reads them all as one corpus" in said
    # review status of that part: its counts alone, with the same warning (status's words)
    from annotate.review.project_status import project_status

    caplog.clear()
    with caplog.at_level("WARNING", logger="annotate.review.project_status"):
        parts = project_status(client, f"{name} #1")
    assert [(p.title, p.tasks) for p in parts] == [(f"{name} #1", 4)]
    said = " ".join(caplog.text.split())
    assert (
        f"'{name} #1' is one of the 2 numbered projects of '{name}' ({name} #1 and {name} #2, "
        f"6 tasks): only its own tasks are counted; --project '{name}' lists every part"
    ) in said, said

    adj = adjudicate(client, name, TAX, salt=SALT)
    assert set(adj.passages) == disputed and adj.added == 2


def test_a_name_that_is_both_numbered_and_a_review_set_is_refused(
    client: StudioClient, name: str
) -> None:
    config = TAX.render_label_config()
    client.create_project(f"{name} #1", config)
    client.create_project(
        f"{name} · ann",
        config,
        description=f'queue\n[annotate-review] project="{name}" reviewer=ann@annotate.local',
    )
    with pytest.raises(StudioError, match="both a review set"):
        project_set(client, name)
    with pytest.raises(StudioError, match="both a review set"):
        push(PRELABELS, name, client=client, max_tasks_per_project=4)


def test_two_projects_of_one_numbered_title_are_an_error_naming_them(
    client: StudioClient, name: str
) -> None:
    config = TAX.render_label_config()
    ids = [int(client.create_project(f"{name} #2", config)["id"]) for _ in range(2)]
    with pytest.raises(StudioError) as err:
        project_set(client, name)
    assert f"ids {ids[0]}, {ids[1]}" in str(err.value) and f"{name} #2" in str(err.value)


def test_a_name_too_long_for_the_next_numbered_project_is_refused_before_any_task(
    client: StudioClient, name: str, tmp_path: Path
) -> None:
    """A 48-character name fits one project, not 'NAME #1': a push that fills the project
    and then needs 'NAME #1' pushed into the first, then failed; it is refused first."""
    from annotate.errors import InputError

    long = name + "x" * (48 - len(name))
    first = tmp_path / "first.jsonl"
    first.write_text("".join(PRELABELS.read_text().splitlines(keepends=True)[:3]))
    assert push(first, long, client=client, max_tasks_per_project=4).created == 3
    (only,) = project_set(client, long).projects
    with pytest.raises(InputError, match=rf"'{long} #1' has 51 characters") as err:
        push(PRELABELS, long, client=client, max_tasks_per_project=4)
    assert "at most 47 characters" in str(err.value.fix)
    assert len(tasks_by_passage(client, int(only["id"]))) == 3  # nothing pushed
    assert [p["title"] for p in project_set(client, long).projects] == [long]


def test_a_project_titled_like_a_numbered_one_before_stop_35_is_still_pushed_into(
    client: StudioClient, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`push --project 'X #2'` is refused where it would make 'X #2' (read as project 2
    of 'X'), but a project of exactly that title made before that check, with no 'X' or
    other 'X #k' beside it, is pushed into: the refusal left no way to add to it."""
    from tests.test_cli import _error_line, run

    monkeypatch.setenv("LABEL_STUDIO_URL", client.conn.url)
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", client.conn.api_key)
    config = TAX.render_label_config()
    old = f"{name}-old #2"
    made = client.create_project(old, config)
    pushed = run("push", str(PRELABELS), "--project", old, "-q")
    assert pushed.returncode == 0, pushed.stderr
    assert f"project {old!r} updated: 6 created" in pushed.stderr, pushed.stderr
    assert sorted(tasks_by_passage(client, int(made["id"]))) == IDS
    assert project_set(client, old).kind == "single"

    # one of the numbered projects of another name: refused, as a new such name is
    client.create_project(f"{name}-set", config)
    client.create_project(f"{name}-set #2", config)
    part = f"{name}-set #2"  # its fix names the set, which a push fills (passE51 E5)
    said = run("push", str(PRELABELS), "--project", part, "-q").stderr
    whole = name + "-set"
    assert (
        f"--project {part!r} is one of the projects of the numbered set {whole!r} "
        f"({whole!r}, {part!r})" in said
    ), said
    assert f"Fix: pass --project {name + '-set'!r}: the push fills" in said, said
    said = _error_line(run("push", str(PRELABELS), "--project", f"{name}-new #3", "-q"))
    assert f"--project {name + '-new #3'!r} ends in '#" in said, said
    assert client.find_project(f"{name}-new #3") is None
