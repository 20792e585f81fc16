"""`annotate push --max-graphic-per-reviewer N` with a gold table: a gold passage hidden as
graphic is an open graphic task like any, so it counts against the cap. Before, the cap
was reckoned on the regular passages alone and the gold added after it: with a cap of 1
every queue got its graphic regular passage and the graphic gold one, two open graphic
tasks (found as a team lead on a real server), and a cap of 0 ("no queue takes a graphic
passage") still queued the graphic gold. Against a real Label Studio."""

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


def graphic_gold(tmp_path: Path) -> Path:
    """A gold table of one graphic passage (the fixture's, under another id and document)."""
    rows = [json.loads(line) for line in PRELABELS.read_text(encoding="utf-8").splitlines()]
    (row,) = [r for r in rows if r["id"] == GRAPHIC]
    gold = {**row, "id": "doc-gg-p0", "doc_id": "doc-gg", "text": row["text"] + " Later."}
    gold |= {"gold_labels": ["graphic_violence"], "gold_severity": "high"}
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(gold) + "\n", encoding="utf-8")
    return path


def open_graphic(client: StudioClient, project_id: int) -> list[str]:
    return sorted(
        t["data"]["passage_id"]
        for t in client.iter_tasks(project_id)
        if is_graphic_task(t["data"]) and not t.get("total_annotations")
    )


def test_graphic_gold_counts_against_the_cap(
    client: StudioClient, name: str, tmp_path: Path
) -> None:
    ana, ben = add_team(("ana", "ben"), "capgold.test")
    gold = graphic_gold(tmp_path)
    push = ("push", str(PRELABELS), "--project", name, "-k", "2", "--gold", str(gold))
    push += ("--reviewer", ana, "--reviewer", ben)

    out = run(*push, "--max-graphic-per-reviewer", "1")
    queues = {e: int(p["id"]) for e, p in reviewer_projects(client, name).items()}
    for email, queue in queues.items():
        # the queue's one graphic task is its gold: the regular graphic passage waits
        assert open_graphic(client, queue) == ["doc-gg-p0"], (email, out)
    assert "1 graphic passage(s) held back (2 reviewer task(s) not made)" in out, out
    again = run(*push, "--max-graphic-per-reviewer", "1")  # no room yet: nothing added
    assert again.count("0 added (0 gold)") == 2, again
    assert all(len(open_graphic(client, q)) == 1 for q in queues.values())


def test_a_cap_of_0_queues_no_graphic_gold(client: StudioClient, name: str, tmp_path: Path) -> None:
    ana, ben = add_team(("ana", "ben"), "capgold.test")
    gold = graphic_gold(tmp_path)
    push = ("push", str(PRELABELS), "--project", name, "-k", "2", "--gold", str(gold))
    out = run(*push, "--reviewer", ana, "--reviewer", ben, "--max-graphic-per-reviewer", "0")
    queues = reviewer_projects(client, name)
    assert sorted(queues) == sorted([ana, ben]), out
    for email, project in queues.items():
        assert open_graphic(client, int(project["id"])) == [], (email, out)
