"""`annotate review reassign` says why a gold task stays with the reviewer handed from.
Every queue of a review set gets the same gold passages, so the reviewer handed to holds
the source's gold already: it stays, as a passage they hold stays. The summary gave the
other reason, "gold moves only along with passages short of an answer (no gold-only
queue), nothing to hand on", in a run whose first line said passages had moved (found as a
team lead on a real server). Against a real Label Studio."""

from __future__ import annotations

import pytest

from annotate.review.queue_tasks import reviewer_projects
from annotate.studio.client import StudioClient

from .helpers import FIXTURES, PRELABELS
from .review_team import add_team, run

pytestmark = pytest.mark.integration
GOLD = FIXTURES / "gold.jsonl"


def passages(client: StudioClient, project_id: int) -> dict[str, bool]:
    """Passage id -> whether its task is gold."""
    return {
        t["data"]["passage_id"]: "annotate_gold" in (t.get("meta") or {})
        for t in client.iter_tasks(project_id, include="id,data,meta")
    }


def test_gold_the_target_holds_stays_and_the_summary_says_so(
    client: StudioClient, name: str
) -> None:
    team = list(add_team(("ana", "ben", "cai"), "goldheld.test"))
    ana, _, cai = team
    reviewers = [arg for email in team for arg in ("--reviewer", email)]
    run("push", str(PRELABELS), "--project", name, "-k", "2", "-q", "--gold", str(GOLD), *reviewers)
    queues = reviewer_projects(client, name)
    ana_q, cai_q = int(queues[ana]["id"]), int(queues[cai]["id"])
    ana_has, cai_has = passages(client, ana_q), passages(client, cai_q)
    gold = sorted(p for p, is_gold in cai_has.items() if is_gold)
    assert gold and all(ana_has.get(p) for p in gold), (ana_has, cai_has)  # the same gold
    shared = sorted(p for p, is_gold in cai_has.items() if not is_gold and p in ana_has)
    moving = sorted(p for p, is_gold in cai_has.items() if not is_gold and p not in ana_has)
    assert shared and moving, (ana_has, cai_has)

    out = run("review", "reassign", "--project", name, "--from", cai, "--to", ana, "--not-away")
    assert f"{len(moving)} open task(s) (0 gold) moved from {cai}" in out, out
    assert (
        f"{len(gold)} open gold task(s) left with {cai} (r-" in out
        and f"{ana} (r-" in out
        and "holds the same gold passage(s) already" in out
    ), out
    assert "gold moves only along with passages short of an answer" not in out, out
    left = passages(client, cai_q)
    assert sorted(left) == sorted([*gold, *shared]), left
    assert sorted(p for p in passages(client, ana_q) if p in moving) == moving
