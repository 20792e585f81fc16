"""Reviewer wellbeing while the round runs, against a real Label Studio: `annotate push
--max-graphic-per-reviewer N` holds graphic passages back from a queue holding N open ones
(a re-run adds none; a later push with room adds them, once), and `annotate review status`
shows each reviewer's answers, graphic passages and high-severity answers of today, read
live, flagging those above --graphic-limit (before, only an export's exposure.json told)."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from annotate.review.queue_tasks import reviewer_projects
from annotate.review.view import hidden_neighbour
from annotate.studio.client import StudioClient
from annotate.studio.push import push
from tests.test_graphic_backstop import AFTERMATH, COUNCIL, _row

from .helpers import PRELABELS
from .review_team import add_team, answer_as, push_set, reviewer_flags, run

pytestmark = pytest.mark.integration
GRAPHIC = "doc-c-p1"  # the fixture's one passage the model flags graphic_violence


def passages(client: StudioClient, project_id: int) -> list[str]:
    return sorted(t["data"]["passage_id"] for t in client.iter_tasks(project_id))


def test_graphic_work_is_held_back_and_status_flags_exposure(
    client: StudioClient, name: str
) -> None:
    team = add_team(("ana", "ben"), "wellbeing.test")
    ana, ben = team
    push = ("push", str(PRELABELS), "--project", name, "-k", "2", *reviewer_flags(team))

    out = run(*push, "--max-graphic-per-reviewer", "0")
    assert "1 graphic passage(s) held back (2 reviewer task(s) not made)" in out, out
    queues = {e: int(p["id"]) for e, p in reviewer_projects(client, name).items()}
    assert all(GRAPHIC not in passages(client, q) for q in queues.values())
    assert all(len(passages(client, q)) == 5 for q in queues.values())
    again = run(*push, "--max-graphic-per-reviewer", "0")  # a re-run adds nothing
    assert again.count("0 added (0 gold)") == 2, again
    assert "cap above 0" in again and "once reviewers have answered" not in again, again
    # in no queue, so no task tells of it: status shows it from the push's record
    held = run("review", "status", "--project", name)
    assert (
        "1 graphic passage(s) in no queue: held back by push --max-graphic-per-reviewer 0 " in held
    )
    assert f"(a cap of 0 queues none; e.g. {GRAPHIC!r})" in held, held
    assert f"annotate push {PRELABELS} --project {name} -k 2 --max-graphic-per-reviewer N" in held

    room = run(*push, "--max-graphic-per-reviewer", "1")  # room for one: it comes now
    assert room.count("1 added (0 gold)") == 2 and "held back" not in room, room
    assert all(GRAPHIC in passages(client, q) for q in queues.values())
    assert "in no queue" not in run("review", "status", "--project", name)
    once = run(*push, "--max-graphic-per-reviewer", "1")
    assert once.count("0 added (0 gold)") == 2, once

    # ana reads the graphic passage and calls another one graphic, at high severity
    answer_as(client, ana, queues[ana], GRAPHIC, ["graphic_violence"], "high")
    answer_as(client, ana, queues[ana], "doc-a-p0", ["graphic_violence"], "medium")
    answer_as(client, ana, queues[ana], "doc-b-p0", ["none"])
    today = datetime.now(timezone.utc).date().isoformat()

    status = run("review", "status", "--project", name, "--graphic-limit", "1")
    assert f"exposure today ({today}, UTC), graphic limit 1 a day:" in status, status
    line = next(x for x in status.splitlines() if ana in x and "answered" in x and "graphic" in x)
    assert f"3 answered, 2 graphic, 1 high severity  OVER LIMIT: 2 graphic on {today}" in line
    assert not any(ben in x and "OVER LIMIT" in x for x in status.splitlines()), status
    assert "warning: 1 reviewer(s) above 1 graphic passage(s) a day" in status, status

    calm = run("review", "status", "--project", name, "--since", today)
    assert "graphic limit 25 a day" in calm and "OVER LIMIT" not in calm, calm


def test_status_since_a_time_reads_only_recent_answers_and_their_passages(
    client: StudioClient, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--since takes a time (as escalations --since); the answers before it are not
    counted, yet one of them still makes its passage graphic for whoever read it later
    (read from the other queue by passage id, not from a whole-project export)."""
    import time

    team = add_team(("cyd", "dee"), "wellbeing.test")
    cyd, dee = team
    push_set(name, (cyd, dee))
    queues = {e: int(p["id"]) for e, p in reviewer_projects(client, name).items()}
    # before the cut: dee calls doc-a-p0 graphic (the model does not), answers another one
    answer_as(client, dee, queues[dee], "doc-a-p0", ["graphic_violence"], "high")
    answer_as(client, dee, queues[dee], "doc-b-p0", ["none"])
    time.sleep(1.1)
    cut = datetime.now(timezone.utc).isoformat(timespec="seconds")
    time.sleep(1.1)
    answer_as(client, cyd, queues[cyd], "doc-a-p0", ["none"])  # read after dee called it graphic

    status = run("review", "status", "--project", name, "--since", cut, "--graphic-limit", "5")
    assert "answers created since then" in status, status
    seen = exposure_of(status)
    assert seen[cyd] == "1 answered, 1 graphic, 0 high severity" and dee not in seen, status
    # the same read by snapshots (many recent passages, or mostly recent queues)
    monkeypatch.setattr("annotate.review.recent.MAX_LOOKUPS", 0)
    again = run("review", "status", "--project", name, "--since", cut, "--graphic-limit", "5")
    assert exposure_of(again) == seen, again
    monkeypatch.setattr("annotate.review.recent.SNAPSHOT_FROM", 1)
    again = run("review", "status", "--project", name, "--since", cut, "--graphic-limit", "5")
    assert exposure_of(again) == seen, again
    monkeypatch.undo()
    whole = exposure_of(run("review", "status", "--project", name, "--graphic-limit", "5"))
    assert whole[dee] == "2 answered, 1 graphic, 1 high severity", whole


def exposure_of(status: str) -> dict[str, str]:
    """E-mail -> the counts of its exposure line in `review status`'s output."""
    lines = status.split("exposure ", 1)[1].splitlines()[1:]
    return {x.strip().split(" ")[0]: x.split("): ", 1)[1] for x in lines if x.startswith("  ")}


def test_a_passage_the_model_scores_low_is_hidden_by_a_term_on_the_server(
    client: StudioClient, name: str, tmp_path: Path
) -> None:
    """What the server holds after a push: the passage a term hides carries its warning,
    the reason in ``graphic_hidden_by`` and no "show" tick; the neutral one opens at once."""
    rows = [
        {**_row(AFTERMATH, 0.075, ["news_reporting"]), "id": "wb-term"},
        {**_row(COUNCIL, 0.02, ["news_reporting"]), "id": "wb-news", "passage_index": 1},
    ]
    path = tmp_path / "prelabels.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    result = push(path, name, client=client)
    assert (result.created, result.failed) == (2, 0)
    got = {}
    for task in client.iter_tasks(result.project_id):
        full = client.sdk.tasks.get(str(task["id"]))
        reveal = any(r["from_name"] == "reveal" for p in full.predictions or [] for r in p.result)
        got[full.data["passage_id"]] = (full.data, reveal)
    term, shown = got["wb-term"], got["wb-news"]
    assert term[0]["graphic_hidden_by"] == "term \u201climbs\u201d" and not term[1]
    assert term[0]["warning"].startswith(
        "Content warning (graphic violence: term \u201climbs\u201d)"
    )
    assert shown[0]["graphic_hidden_by"] == "" and shown[0]["warning"] == "" and shown[1]
    assert shown[0]["context_before"] == hidden_neighbour("wb-term")
