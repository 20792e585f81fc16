"""`annotate review reassign` into a review set pushed with --max-graphic-per-reviewer: a
hand-over moves every open task, so the target could end with more open graphic tasks
than the cap, and nothing said so (found by a team lead rebalancing with --not-away).
The push now records the cap with the set's push records, and the hand-over is refused
before anything changes, naming the cap and the target's open graphic count; with
--allow-over-graphic-cap it moves and warns. Against the session's real Label
Studio and its accounts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.review.exposure import is_graphic_task
from annotate.review.queue_tasks import reviewer_projects
from annotate.studio.client import StudioClient

from .helpers import PRELABELS
from .review_team import add_team, run

pytestmark = pytest.mark.integration
GRAPHIC = "doc-c-p1"  # the fixture's one passage the model flags graphic_violence


def with_two_graphic(tmp_path: Path) -> Path:
    """The fixture's pre-labels and a second graphic passage (the first one's, under
    another id and document)."""
    rows = [json.loads(line) for line in PRELABELS.read_text(encoding="utf-8").splitlines()]
    (row,) = [r for r in rows if r["id"] == GRAPHIC]
    extra = {**row, "id": "doc-g2-p0", "doc_id": "doc-g2", "text": row["text"] + " Again."}
    path = tmp_path / "prelabels.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in [*rows, extra]), encoding="utf-8")
    return path


def open_graphic(client: StudioClient, project_id: int) -> set[str]:
    return {
        t["data"]["passage_id"]
        for t in client.iter_tasks(project_id)
        if is_graphic_task(t["data"])
        and not t.get("total_annotations")
        and not t.get("cancelled_annotations")
    }


def test_a_hand_over_above_the_cap_is_refused_unless_allowed(
    client: StudioClient, name: str, tmp_path: Path
) -> None:
    team = list(add_team(("ana", "ben", "cai"), "capmove.test"))
    out = run(
        "push",
        str(with_two_graphic(tmp_path)),
        "--project",
        name,
        "-k",
        "2",
        "--max-graphic-per-reviewer",
        "1",
        *[f"--reviewer={e}" for e in team],
    )
    queues = {e: int(p["id"]) for e, p in reviewer_projects(client, name).items()}
    graphic = {e: open_graphic(client, q) for e, q in queues.items()}
    assert all(len(g) <= 1 for g in graphic.values()), (graphic, out)
    # a source whose graphic passage the target lacks, and a target at the cap already
    pairs = [
        (s, t)
        for s in team
        for t in team
        if s != t and graphic[s] and graphic[t] and not graphic[s] <= graphic[t]
    ]
    assert pairs, graphic
    source, target = pairs[0]

    move = ("review", "reassign", "--project", name, "--from", source, "--to", target)
    # refused before anything changes (stop 48: it only warned, after the move)
    refused = " ".join(run(*move, code=1).split())
    assert (
        f"to {target} would leave {target} with 2 open graphic task(s) (1 now, 1 of those "
        "moved), above the cap of 1 the set was pushed with"
        in refused
        and "Nothing was moved." in refused
        and "--allow-over-graphic-cap" in refused
    ), refused
    assert open_graphic(client, queues[target]) == graphic[target]
    assert open_graphic(client, queues[source]) == graphic[source]
    assert "away=" not in str(client.get_project(queues[source]).get("description"))

    out = run(*move, "--not-away", "--allow-over-graphic-cap")
    assert len(open_graphic(client, queues[target])) == 2
    text = " ".join(out.split())
    assert (
        f"warning: {target} (r-" in text
        and "now holds 2 open graphic task(s)" in text
        and "above the cap of 1 it was pushed with (push --max-graphic-per-reviewer 1;" in text
    ), out


def test_a_hand_over_within_the_cap_says_nothing_of_it(
    client: StudioClient, name: str, tmp_path: Path
) -> None:
    team = list(add_team(("dan", "eve", "fay"), "capnone.test"))
    push = ("push", str(PRELABELS), "--project", name, "-k", "2")
    run(*push, "--max-graphic-per-reviewer", "2", *[f"--reviewer={e}" for e in team])
    queues = {e: int(p["id"]) for e, p in reviewer_projects(client, name).items()}
    source = next(e for e in team if open_graphic(client, queues[e]))
    target = next(e for e in team if not open_graphic(client, queues[e]))
    out = run("review", "reassign", "--project", name, "--from", source, "--to", target)
    assert len(open_graphic(client, queues[target])) == 1 and "graphic" not in out, out
