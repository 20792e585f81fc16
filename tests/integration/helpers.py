"""Shared helpers of the integration tests."""

from __future__ import annotations

import atexit
import json
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from annotate.cli import main
from annotate.review.reviewers import ReviewerSession, add_reviewer
from annotate.studio import tasks as task_rows
from annotate.studio.client import StudioClient
from annotate.studio.connection import Connection
from annotate.studio.push import push
from annotate.taxonomy import load_taxonomy
from tests.conftest import project_taxonomy

from . import prestart
from .fault_proxy import Faults, fault_proxy

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PRELABELS = FIXTURES / "prelabels.jsonl"
GOLD = FIXTURES / "gold.jsonl"
MODEL = "fixture-model-1"  # the model_version of PRELABELS' predictions
SALT = prestart.SALT  # the studio fixture's ANNOTATE_PSEUDONYM_SALT
TAX = load_taxonomy()


def tasks_by_passage(client: StudioClient, project_id: int) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for task in client.iter_tasks(project_id, include="id,data"):
        pid = task["data"]["passage_id"]
        assert pid not in out, f"passage {pid} is in the project twice"
        out[pid] = task
    return out


def passage_ids(client: StudioClient, project_id: int) -> list[str]:
    return [t["data"]["passage_id"] for t in client.iter_tasks(project_id, include="id,data")]


def choices(name: str, values: list[str]) -> dict[str, Any]:
    return {
        "from_name": name,
        "to_name": "passage",
        "type": "choices",
        "value": {"choices": values},
    }


def answer_result(categories: list[str], severity: str = "none") -> list[dict[str, Any]]:
    """A reviewer's answer as Label Studio holds it: the category and severity choices."""
    return [choices("category", categories), choices("severity", [severity])]


# e-mail -> password of the reviewer accounts the tests signed up (:func:`new_reviewer`,
# review_team.add_team): :func:`answer_of` answers logged in as them, so Label Studio
# records each answer as written by its reviewer (``updated_by``), as a reviewer's own
# answer in the browser is; one made with the admin token in a reviewer's name is exported
# marked as written by the admin, and the review stated not blind (passM55 #1)
PASSWORDS: dict[str, str] = {}
_EMAILS: dict[tuple[str, int], str] = {}  # (server url, user id) -> e-mail, as looked up
_SESSIONS: dict[tuple[str, str], ReviewerSession] = {}  # (server url, e-mail) -> logged in


@atexit.register
def _close_sessions() -> None:
    for session in _SESSIONS.values():
        session.close()


def session_of(client: StudioClient, user: int) -> ReviewerSession | None:
    """A session logged in as account ``user`` when the tests signed it up
    (:data:`PASSWORDS`), kept for the next answers; else None."""
    if not PASSWORDS:
        return None
    key = (client.url, int(user))
    if key not in _EMAILS:
        _EMAILS[key] = str(client.sdk.users.get(int(user)).email).lower()
    email = _EMAILS[key]
    if email not in PASSWORDS:
        return None
    session = _SESSIONS.get((client.url, email))
    if session is None:
        session = _SESSIONS[(client.url, email)] = ReviewerSession(
            client.url, email, PASSWORDS[email]
        )
    assert session.user_id == int(user), (email, session.user_id, user)
    return session


def answer_of(
    client: StudioClient, task_id: int, user: int, result: list[dict[str, Any]], **extra: Any
) -> int:
    """``user``'s answer ``result`` (``extra``: more fields, e.g. ``was_cancelled``) to task
    ``task_id``, made logged in as ``user`` when the tests signed the account up
    (:func:`session_of`: Label Studio then records the reviewer as its author and last
    writer), else with the admin token, completed by ``user`` (the admin's own answer, or
    one recorded as written by the admin); the annotation id."""
    session = session_of(client, user)
    if session is None:
        made = client.sdk.annotations.create(id=task_id, result=result, completed_by=user, **extra)
        assert made.id is not None
        return int(made.id)
    body = {"result": result, **extra}
    return int(session.post(f"/api/tasks/{task_id}/annotations/", body)["id"])


def change_answer(
    client: StudioClient, annotation_id: int, user: int, result: list[dict[str, Any]]
) -> None:
    """``user`` changes their answer ``annotation_id`` to ``result``, logged in as ``user``
    when the tests signed the account up (:func:`session_of`: Label Studio then records
    the reviewer as its last writer, as a reviewer's own update in the browser is), else
    with the admin token (recorded as written by the admin: export marks it written_by,
    and agreement leaves it out)."""
    session = session_of(client, user)
    if session is None:
        client.sdk.annotations.update(id=annotation_id, result=result)
        return
    resp = session.request("PATCH", f"/api/annotations/{annotation_id}/", json={"result": result})
    assert resp.status_code == 200, (resp.status_code, resp.text)
    assert resp.json()["updated_by"] == user, resp.json()


def give_answer(
    client: StudioClient, task_id: int, user: int, categories: list[str], severity: str = "none"
) -> int:
    """``user``'s answer (:func:`answer_result`) to task ``task_id``, made logged in as
    ``user`` (:func:`answer_of`); the annotation id."""
    return answer_of(client, task_id, user, answer_result(categories, severity))


def pushed_tasks(client: StudioClient, project: str) -> tuple[int, dict[str, dict[str, Any]]]:
    """PRELABELS pushed (the library call) into the plain project ``project``: (its id,
    passage id -> task)."""
    project_id = push(PRELABELS, project, client=client).project_id
    return project_id, tasks_by_passage(client, project_id)


def dispute(client: StudioClient, task_id: int, first: int, second: int) -> int:
    """Users ``first`` and ``second`` disagree on task ``task_id``: none/none against
    news_reporting/low; the id of ``second``'s answer (to change it later)."""
    give_answer(client, task_id, first, ["none"])
    return give_answer(client, task_id, second, ["news_reporting"], "low")


def disputed_tasks(client: StudioClient, project: str, count: int = 3) -> dict[str, int]:
    """PRELABELS pushed into ``project``; two fresh reviewers disagree (:func:`dispute`)
    on its first ``count`` passages: passage -> its task id."""
    _, tasks = pushed_tasks(client, project)
    first, second = new_reviewer(client), new_reviewer(client)
    out = {pid: int(tasks[pid]["id"]) for pid in sorted(tasks)[:count]}
    for task_id in out.values():
        dispute(client, task_id, first, second)
    return out


def a_third_answers(client: StudioClient, disputed: dict[str, int]) -> None:
    """A fresh third reviewer answers each of ``disputed`` (passage -> task id, from
    :func:`disputed_tasks`): incitement/medium."""
    third = new_reviewer(client)
    for task_id in disputed.values():
        give_answer(client, task_id, third, ["incitement"], "medium")


def assert_each_answer_once(client: StudioClient, project: str, count: int) -> None:
    """``PROJECT · adjudication`` holds ``count`` predictions, no reviewer's answer twice
    on a task."""
    from annotate.review.adjudication import BLANK_START

    adj = client.require_project(f"{project} · adjudication")
    preds = client.list_predictions(int(adj["id"]))
    per_task = Counter((p["task"], p["model_version"]) for p in preds)
    assert set(per_task.values()) == {1}, per_task  # no answer twice
    assert len([p for p in preds if p["model_version"] != BLANK_START]) == count


def gold_pushed_as_data(folder: Path) -> tuple[Path, Path]:
    """Two batches of PRELABELS in ``folder``: monday.jsonl (its first three rows) and
    wednesday.jsonl (the rest and doc-h-p0, a GOLD passage, as a regular row)."""
    lines = PRELABELS.read_text(encoding="utf-8").splitlines()
    monday, wednesday = folder / "monday.jsonl", folder / "wednesday.jsonl"
    monday.write_text("\n".join(lines[:3]) + "\n", encoding="utf-8")
    gold_row = json.loads(GOLD.read_text(encoding="utf-8").splitlines()[1])  # doc-h-p0
    regular = {k: v for k, v in gold_row.items() if not k.startswith("gold_")}
    wednesday.write_text("\n".join([*lines[3:], json.dumps(regular)]) + "\n", encoding="utf-8")
    return monday, wednesday


def run_main(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """The CLI in this process: (exit code, what it told the user: stderr)."""
    capsys.readouterr()
    with pytest.raises(SystemExit) as exc:
        main(argv)
        raise SystemExit(0)
    return int(exc.value.code or 0), capsys.readouterr().err


def through(studio: Connection, url: str, monkeypatch: pytest.MonkeyPatch, tmp: Path) -> None:
    """The CLI's next runs talk to ``url`` (the server, or a fault proxy before it) with
    ``studio``'s token; their locks in ``tmp``."""
    monkeypatch.setenv("LABEL_STUDIO_URL", url)
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", studio.api_key)
    monkeypatch.setenv("ANNOTATE_LOCK_DIR", str(tmp / "locks"))


@dataclass
class CliRun:
    """The fixture ``cli_run``: the CLI in this process against the session's Label
    Studio, straight or through a fault proxy (fault_proxy.py); its locks in ``tmp``."""

    studio: Connection
    monkeypatch: pytest.MonkeyPatch
    tmp: Path
    capsys: pytest.CaptureFixture[str]

    def __call__(self, argv: list[str], faults: Faults | None = None) -> tuple[int, str]:
        """``annotate ARGV``: (exit code, stderr); with ``faults``, through a proxy that
        makes them (``faults.faulted`` then lists what it did). A "held" request is carried
        out once the command ended well, before the proxy goes (``faults.landed`` is set
        when it was, within 60 s). The environment it sets (LABEL_STUDIO_URL, the server
        or the proxy) stays for what the test does next."""
        if faults is None:
            through(self.studio, self.studio.url, self.monkeypatch, self.tmp)
            return run_main(argv, self.capsys)
        with fault_proxy(self.studio.url, faults) as url:
            through(self.studio, url, self.monkeypatch, self.tmp)
            code, err = run_main(argv, self.capsys)
            if faults.fault == "held" and code == 0:  # the server finishes it now
                faults.release.set()
                faults.landed.wait(60)
            return code, err


def many_prelabels(path: Path, copies: int) -> list[str]:
    """The fixture's passages ``copies`` times under new ids and documents, written to
    ``path``; their ids."""
    rows = [json.loads(line) for line in PRELABELS.read_text().splitlines() if line.strip()]
    out = [
        {**r, "id": f"k{k}-{r['id']}", "doc_id": f"k{k}-{r['doc_id']}"}
        for k in range(copies)
        for r in rows
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in out), encoding="utf-8")
    return [r["id"] for r in out]


def assert_each_passage_once_with_its_prediction(
    client: StudioClient, project: str, expected: list[str]
) -> int:
    """Project ``project`` holds each of ``expected`` once, each with its MODEL prediction;
    its id."""
    proj = client.require_project(project)
    pid = int(proj["id"])
    assert Counter(passage_ids(client, pid)) == Counter(expected)
    by_passage = tasks_by_passage(client, pid)
    versions = client.prediction_versions(pid)
    missing = [p for p, t in by_passage.items() if MODEL not in versions.get(int(t["id"]), set())]
    assert missing == [], f"tasks without their prediction: {missing}"
    return pid


def span(text: str, part: str, label: str) -> dict[str, Any]:
    """A span result as the Label Studio UI sends it (code-point offsets, like Python)."""
    start = text.index(part)
    end = start + len(part)
    return {
        "from_name": "evidence",
        "to_name": "passage",
        "type": "labels",
        "value": {"start": start, "end": end, "text": part, "labels": [label]},
    }


def comment(text: str) -> dict[str, Any]:
    return {
        "from_name": "comment",
        "to_name": "passage",
        "type": "textarea",
        "value": {"text": [text]},
    }


def new_reviewer(client: StudioClient, prefix: str = "rev") -> int:
    """A fresh reviewer account (``PREFIX-xxxxxxxx@annotate.local``), signed up with a
    password kept in :data:`PASSWORDS`; its id."""
    name = f"{prefix}-{uuid.uuid4().hex[:8]}"
    # signed up as `annotate reviewers add` does (the users API takes no password), so
    # :func:`answer_of` can log in as it
    login = add_reviewer(client, f"{name}@annotate.local", password=uuid.uuid4().hex)
    assert login.created and login.password is not None, login
    PASSWORDS[login.email] = login.password
    _EMAILS[(client.url, login.user_id)] = login.email
    return login.user_id


def fresh_title(client: StudioClient, prefix: str) -> Iterator[str]:
    """For a fixture: a short fresh project title (review sets add suffixes; titles hold
    50 characters); afterwards every project whose title starts with it is deleted."""
    from annotate.review.queue_tasks import list_projects

    name = f"{prefix}-{uuid.uuid4().hex[:8]}"
    yield name
    for proj in list_projects(client):
        if str(proj["title"]).startswith(name):
            client.sdk.projects.delete(int(proj["id"]))


# score vectors (every category at once, then overrides) -> the priority they give:
# the edges of [0, 1], a value JSON writes with an exponent (1e-05), and 0.9 / 0.12
QUEUE_SCORES: list[tuple[float, dict[str, float], float]] = [
    (0.0, {}, 0.0),
    (1.0e-05 / 1.25, {}, 1e-05),  # 1.25 x the score (below 0.5): JSON "1e-05"
    (0.096, {}, 0.12),
    (1.0, {}, 0.75),
    (0.4, {"violent_threat": 1.0}, 0.95),
    (0.5, {"violent_threat": 1.0}, 1.0),
]


def check_queue_order(client: StudioClient, project: str, tmp_path: Path) -> None:
    """A plain push's Queue tab (set by the push itself, across pushes; a reviewer queue's
    is made the same way) orders by ``data.priority``; Label Studio sorts it as a
    number only where the request carries the tab's ``columnsDisplayType`` (the grid),
    and otherwise as what the database reads from the JSON ("Label Tasks As Displayed":
    the tab's ordering sent to the next_task action; a listing with an inline ordering):
    SQLite's JSON_EXTRACT gives a number, PostgreSQL's ``->>`` the jsonb value's text.
    Every priority annotate writes lies in [0, 1] and PostgreSQL reads a JSON number back
    as a plain decimal (1e-05 as "0.00001"), so that text order is the numeric one: a
    push's tasks, priorities at the edges (0, 1, 1e-05, 0.12 / 0.95), come riskiest first
    in every request."""
    tax = project_taxonomy()
    rows = []
    fixture = [json.loads(line) for line in PRELABELS.read_text(encoding="utf-8").splitlines()]
    for row, (base, extra, _) in zip(fixture, QUEUE_SCORES, strict=True):
        rows.append({**row, "scores": {c: base for c in tax.category_names} | extra})
    wanted = sorted((p for _, _, p in QUEUE_SCORES), reverse=True)
    assert sorted((task_rows.priority(r["scores"], tax) for r in rows), reverse=True) == wanted
    assert "1e-05" in json.dumps([task_rows.priority(r["scores"], tax) for r in rows])
    # the least risky pushed first, the rest by a later push: task ids (import order) are
    # not the queue order
    for n, part in enumerate((rows[:3], rows)):
        path = tmp_path / f"queue-order-{n}.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in part), encoding="utf-8")
        project_id = push(path, project, client=client).project_id
    # the push itself orders the tab (a plain push's too, since 6 Dec 2026)
    (tab,) = [v for v in client.list_views(project_id) if v["data"]["title"] == "Queue"]

    def listed(**params: Any) -> list[float]:
        found = client._get(
            "api/tasks/", "listing", project=project_id, fields="task_only", **params
        )
        return [float(t["data"]["priority"]) for t in found["tasks"]]

    assert listed() != wanted  # by id: import order
    assert listed(view=int(tab["id"])) == wanted  # the grid: sorted as numbers
    assert listed(query=json.dumps({"ordering": tab["data"]["ordering"]})) == wanted
    # "Label All Tasks" (the tab's id, an empty body: no ordering) follows the sampling,
    # Sequential: the lowest open task id, the first push's, whatever the tab says (README;
    # asked first: it locks the task it serves, which it would serve again)
    assert client.get_project(project_id).get("sampling") == "Sequential sampling"
    resp = client._http.request(
        "api/dm/actions",
        method="POST",
        params={"id": "next_task", "project": project_id, "tabID": int(tab["id"])},
        json={},
    )
    served = client._json(resp, "asking for the next task")
    assert float(served["data"]["priority"]) == listed()[0] < 1.0, served["data"]
    resp = client._http.request(
        "api/dm/actions",
        method="POST",
        params={"id": "next_task", "project": project_id, "tabID": int(tab["id"])},
        json={
            "ordering": tab["data"]["ordering"],
            "filters": {"conjunction": "and", "items": []},
            "selectedItems": {"all": True, "excluded": []},
        },
    )
    first = client._json(resp, "asking for the next task")
    assert float(first["data"]["priority"]) == 1.0, first["data"]
